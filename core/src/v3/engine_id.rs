//! snmpEngineID values (RFC 3411 §5, the SnmpEngineID textual convention).

use std::fmt;
use std::str::FromStr;

/// The special contextEngineID `localEngineID` ('8000000006'H) of RFC 5343
/// §3: a command responder treats a request carrying it as addressed to its
/// own snmpEngineID, so a manager can read snmpEngineID.0 without knowing it.
pub const LOCAL_ENGINE_ID: &[u8] = &[0x80, 0x00, 0x00, 0x00, 0x06];

/// An SNMP engine identifier: 5 to 32 octets (RFC 3411 §5).
///
/// Parsed and printed as hexadecimal, with or without Net-SNMP's `0x`
/// prefix (`-e 0x80001f8880...`).
///
/// ```
/// use oxsnmp_core::v3::EngineId;
/// let id: EngineId = "0x8000000001020304".parse().unwrap();
/// assert_eq!(id.as_bytes(), &[0x80, 0, 0, 0, 1, 2, 3, 4]);
/// assert_eq!(id.to_string(), "8000000001020304");
/// assert!("0x0102".parse::<EngineId>().is_err()); // fewer than 5 octets
///
/// // A fresh identifier in RFC 3411's format, from 8 random octets the caller draws.
/// let generated = EngineId::generated(99999, [7; 8]);
/// assert_eq!(&generated.as_bytes()[..5], &[0x80, 0x01, 0x86, 0x9f, 0x05]);
/// ```
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EngineId(Vec<u8>);

/// Why octets or text are not an engine ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EngineIdError {
    /// Fewer than 5 or more than 32 octets.
    #[error("engine ID must be 5 to 32 octets, not {0}")]
    BadLength(usize),
    /// Not an even number of hexadecimal digits.
    #[error("engine ID is not hexadecimal: {0:?}")]
    NotHex(String),
}

/// The enterprise number oxsnmp puts in the engine IDs it generates when
/// none is configured: 99999, an unassigned number used in examples (RFC
/// 3411's format asks for the vendor's private enterprise number; set your
/// own with [`EngineId::generated`]).
pub const DEFAULT_ENTERPRISE: u32 = 99999;

impl EngineId {
    /// An engine ID of these octets (5 to 32 of them).
    pub fn new(octets: impl Into<Vec<u8>>) -> Result<Self, EngineIdError> {
        let octets = octets.into();
        if (5..=32).contains(&octets.len()) {
            Ok(Self(octets))
        } else {
            Err(EngineIdError::BadLength(octets.len()))
        }
    }

    /// The RFC 3411 format with the "octets, administratively assigned"
    /// format (5): the enterprise number with its top bit set, then 5, then
    /// the given octets (e.g. random ones the driver draws once and stores).
    pub fn generated(enterprise: u32, octets: [u8; 8]) -> Self {
        let mut v = Vec::with_capacity(13);
        v.extend_from_slice(&(enterprise | 0x8000_0000).to_be_bytes());
        v.push(5);
        v.extend_from_slice(&octets);
        Self(v)
    }

    /// The RFC 3411 format with the text format (4): the enterprise number
    /// with its top bit set, then 4, then up to 27 octets of `text`.
    pub fn from_text(enterprise: u32, text: &str) -> Self {
        let mut v = Vec::with_capacity(32);
        v.extend_from_slice(&(enterprise | 0x8000_0000).to_be_bytes());
        v.push(4);
        v.extend(text.bytes().take(27));
        if v.len() < 6 {
            v.push(0); // an empty text still needs the 5-octet minimum plus one
        }
        Self(v)
    }

    /// The octets.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The octets, owned.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// Parses hexadecimal octets, with or without a `0x` prefix; `:` and
    /// spaces between octets are allowed.
    pub fn from_hex(s: &str) -> Result<Self, EngineIdError> {
        let octets = parse_hex(s).ok_or_else(|| EngineIdError::NotHex(s.to_owned()))?;
        Self::new(octets)
    }
}

/// Hexadecimal text to octets (`0x` prefix, `:` and spaces allowed between
/// octets); `None` unless it is an even number of hex digits.
pub(crate) fn parse_hex(s: &str) -> Option<Vec<u8>> {
    let t = s.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    let digits: Vec<u8> = t
        .bytes()
        .filter(|b| !matches!(b, b':' | b' '))
        .map(|b| (b as char).to_digit(16).map(|d| d as u8))
        .collect::<Option<_>>()?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    Some(digits.chunks(2).map(|p| (p[0] << 4) | p[1]).collect())
}

impl FromStr for EngineId {
    type Err = EngineIdError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_hex(s)
    }
}

impl fmt::Display for EngineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in &self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for EngineId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EngineId({self})")
    }
}

impl AsRef<[u8]> for EngineId {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

impl TryFrom<&[u8]> for EngineId {
    type Error = EngineIdError;
    fn try_from(octets: &[u8]) -> Result<Self, Self::Error> {
        Self::new(octets)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_forms() {
        let a: EngineId = "80:00:1f:88:80:aa".parse().unwrap();
        let b: EngineId = "0X80001F8880AA".parse().unwrap();
        assert_eq!(a, b);
        assert_eq!(a.to_string(), "80001f8880aa");
        assert!(EngineId::from_hex("80001f8880a").is_err());
        assert!(EngineId::from_hex("zz001f8880").is_err());
        assert_eq!(
            EngineId::from_hex(&"00".repeat(33)),
            Err(EngineIdError::BadLength(33))
        );
    }

    #[test]
    fn text_format() {
        let id = EngineId::from_text(8072, "router");
        assert_eq!(&id.as_bytes()[..5], &[0x80, 0x00, 0x1f, 0x88, 0x04]);
        assert_eq!(&id.as_bytes()[5..], b"router");
        assert_eq!(EngineId::from_text(1, "").as_bytes().len(), 6);
        assert_eq!(EngineId::from_text(1, &"x".repeat(40)).as_bytes().len(), 32);
    }
}
