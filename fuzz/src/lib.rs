//! Shared pieces of the fuzz targets and of the seed generator: a reader
//! that turns the fuzz input into choices ([`Script`]), and SNMPv3 fixtures
//! ([`v3`]): an agent's engine and users, and a builder for v3 messages
//! with every field chosen, signed and encrypted for real or with the
//! fuzzing crypto configuration of `oxsnmp_core::fuzzing`.

pub mod v3;

/// Reads choices off the fuzz input; past its end every read gives zeros
/// (so a short input is a valid, simple script).
#[derive(Debug, Clone)]
pub struct Script<'a>(pub &'a [u8]);

impl<'a> Script<'a> {
    /// Whether the input is used up.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The next octet, or `None` at the end.
    pub fn next(&mut self) -> Option<u8> {
        let (&b, rest) = self.0.split_first()?;
        self.0 = rest;
        Some(b)
    }

    /// The next octet (0 at the end).
    pub fn byte(&mut self) -> u8 {
        self.next().unwrap_or(0)
    }

    /// The next two octets, big-endian.
    pub fn u16(&mut self) -> u16 {
        u16::from_be_bytes([self.byte(), self.byte()])
    }

    /// The next four octets, big-endian.
    pub fn u32(&mut self) -> u32 {
        u32::from_be_bytes([self.byte(), self.byte(), self.byte(), self.byte()])
    }

    /// Up to `n` octets.
    pub fn bytes(&mut self, n: usize) -> &'a [u8] {
        let n = n.min(self.0.len());
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        head
    }

    /// One of `items` (non-empty).
    pub fn pick<'i, T>(&mut self, items: &'i [T]) -> &'i T {
        &items[usize::from(self.byte()) % items.len()]
    }
}
