//! Object identifiers: the owned [`Oid`] and the borrowed, still-encoded [`OidRef`].

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use thiserror::Error;

use crate::ber::writer::{self, BackWriter};
use crate::ber::{DecodeError, DecodeErrorKind};

/// The most sub-identifiers an OID may have (RFC 2578 §3.5).
pub const MAX_OID_LEN: usize = 128;

/// An owned object identifier.
///
/// Ordering is lexicographic by sub-identifier, which is the order of the
/// MIB tree that GETNEXT walks. Well-known OIDs can be built in `const`
/// context:
///
/// ```
/// use oxsnmp_core::Oid;
/// const SYS_DESCR: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 1, 0]);
/// let parsed: Oid = ".1.3.6.1.2.1.1.1.0".parse().unwrap();
/// assert_eq!(parsed, SYS_DESCR);
/// assert!(SYS_DESCR.starts_with(&"1.3.6.1.2.1.1".parse().unwrap()));
/// assert_eq!(SYS_DESCR.to_string(), "1.3.6.1.2.1.1.1.0");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Oid {
    arcs: Cow<'static, [u32]>,
    /// Size of the BER content octets, a function of `arcs` kept at hand so
    /// that encoders know every length without walking the arcs again.
    ber_len: u32,
}

/// Why a string or arc list is not a valid OID.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum OidError {
    /// A component that is not a decimal number within 32 bits.
    #[error("invalid sub-identifier {0:?}")]
    BadArc(String),
    /// More than 128 sub-identifiers.
    #[error("OID has more than 128 sub-identifiers")]
    TooLong,
    /// The first arc is not 0, 1 or 2, or the second is 40 or more under 0 or 1.
    #[error(
        "first two arcs cannot be encoded (first must be 0..=2, second < 40 unless first is 2)"
    )]
    BadPrefix,
    /// No sub-identifiers at all.
    #[error("empty OID")]
    Empty,
}

#[derive(Clone, Copy)]
enum ArcProblem {
    Empty,
    TooLong,
    BadPrefix,
}

const fn arc_problem(arcs: &[u32]) -> Option<ArcProblem> {
    if arcs.is_empty() {
        return Some(ArcProblem::Empty);
    }
    if arcs.len() > MAX_OID_LEN {
        return Some(ArcProblem::TooLong);
    }
    if arcs[0] > 2 || (arcs.len() > 1 && arcs[0] < 2 && arcs[1] >= 40) {
        return Some(ArcProblem::BadPrefix);
    }
    if arcs[0] == 2 && arcs.len() > 1 && arcs[1] > u32::MAX - 80 {
        return Some(ArcProblem::BadPrefix);
    }
    None
}

fn check_arcs(arcs: &[u32]) -> Result<(), OidError> {
    match arc_problem(arcs) {
        None => Ok(()),
        Some(ArcProblem::Empty) => Err(OidError::Empty),
        Some(ArcProblem::TooLong) => Err(OidError::TooLong),
        Some(ArcProblem::BadPrefix) => Err(OidError::BadPrefix),
    }
}

impl Oid {
    /// Bytes this OID holds on the heap (its arcs when they are owned), for
    /// memory budgets.
    pub(crate) fn heap_bytes(&self) -> usize {
        match &self.arcs {
            Cow::Owned(arcs) => arcs.capacity() * std::mem::size_of::<u32>(),
            Cow::Borrowed(_) => 0,
        }
    }

    /// An OID over a static arc list, usable in `const` items.
    ///
    /// # Panics
    /// At compile time (in a `const`) or at run time if the arcs are not a
    /// valid OID (empty, over 128 arcs, or a first pair that cannot be encoded).
    pub const fn from_static(arcs: &'static [u32]) -> Self {
        if arc_problem(arcs).is_some() {
            panic!("invalid static OID");
        }
        Self {
            arcs: Cow::Borrowed(arcs),
            ber_len: ber_len_of(arcs),
        }
    }

    /// An OID over arcs that are known to be valid.
    fn owned(arcs: Vec<u32>) -> Self {
        Self {
            ber_len: ber_len_of(&arcs),
            arcs: Cow::Owned(arcs),
        }
    }

    /// An OID from owned arcs, validated.
    pub fn from_arcs(arcs: impl Into<Vec<u32>>) -> Result<Self, OidError> {
        let arcs = arcs.into();
        check_arcs(&arcs)?;
        Ok(Self::owned(arcs))
    }

    /// An OID from a slice of arcs, validated.
    pub fn from_slice(arcs: &[u32]) -> Result<Self, OidError> {
        check_arcs(arcs)?;
        Ok(Self::owned(arcs.to_vec()))
    }

    /// The sub-identifiers.
    pub fn arcs(&self) -> &[u32] {
        &self.arcs
    }

    /// Number of sub-identifiers.
    pub fn len(&self) -> usize {
        self.arcs.len()
    }

    /// Always false: an OID has at least one arc. Present for API symmetry.
    pub fn is_empty(&self) -> bool {
        self.arcs.is_empty()
    }

    /// Whether `prefix` is this OID or one of its ancestors.
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        self.arcs.starts_with(&prefix.arcs)
    }

    /// This OID with `arc` appended, or `None` past 128 arcs.
    pub fn child(&self, arc: u32) -> Option<Oid> {
        self.extended(&[arc])
    }

    /// This OID with `suffix` appended (an instance index, say), or `None` past 128 arcs.
    pub fn extended(&self, suffix: &[u32]) -> Option<Oid> {
        if self.arcs.len() + suffix.len() > MAX_OID_LEN {
            return None;
        }
        let mut arcs = Vec::with_capacity(self.arcs.len() + suffix.len());
        arcs.extend_from_slice(&self.arcs);
        arcs.extend_from_slice(suffix);
        if self.arcs.len() == 1 {
            check_arcs(&arcs).ok()?;
        }
        Some(Oid::owned(arcs))
    }

    /// The parent OID, or `None` for a single-arc OID.
    pub fn parent(&self) -> Option<Oid> {
        if self.arcs.len() <= 1 {
            return None;
        }
        Some(Oid::owned(self.arcs[..self.arcs.len() - 1].to_vec()))
    }

    /// Size of the BER content octets of this OID (kept, not recomputed).
    #[inline]
    pub fn ber_content_len(&self) -> usize {
        self.ber_len as usize
    }

    /// Appends the BER content octets (not the tag or length).
    pub fn write_ber_content(&self, out: &mut Vec<u8>) {
        writer::append_backward(out, self.ber_content_len(), |w| self.write_ber_back(w));
    }

    /// Writes the BER content octets backwards.
    #[inline(always)]
    pub(crate) fn write_ber_back(&self, w: &mut BackWriter<'_>) {
        let arcs: &[u32] = &self.arcs;
        w.with_raw(|rest| put_oid_back(rest, arcs));
    }
}

/// The first sub-identifier: the first two arcs as X.690 §8.19.4 packs
/// them. A single arc `N` (`.1`, the root of a walk) has no BER form of
/// its own, as the first sub-identifier always stands for two arcs;
/// Net-SNMP's tools send `N` itself (`.1` goes out as `06 01 01`, which
/// reads back as `.0.1`, the name they print), and so do we, so that the
/// agent sees, and error lines name, what it sees from snmpget.
#[inline]
const fn first_subid(arcs: &[u32]) -> u64 {
    match *arcs {
        [a, b, ..] => a as u64 * 40 + b as u64,
        [a] => a as u64,
        [] => 0,
    }
}

/// Octets of a sub-identifier of any size (the first one may exceed 32 bits).
#[inline]
const fn subid_len(v: u64) -> usize {
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Octets of a 32-bit sub-identifier.
#[inline(always)]
const fn arc_len(a: u32) -> usize {
    1 + (a >= 1 << 7) as usize
        + (a >= 1 << 14) as usize
        + (a >= 1 << 21) as usize
        + (a >= 1 << 28) as usize
}

/// Size of the BER content octets of `arcs` (at most 1 + 127 * 5).
const fn ber_len_of(arcs: &[u32]) -> u32 {
    let mut n = subid_len(first_subid(arcs));
    let mut i = 2;
    while i < arcs.len() {
        n += arc_len(arcs[i]);
        i += 1;
    }
    n as u32
}

/// Writes the BER content octets of `arcs` at the end of `rest`; returns
/// what remains in front of them.
#[inline(always)]
fn put_oid_back<'a>(mut rest: &'a mut [u8], arcs: &[u32]) -> Option<&'a mut [u8]> {
    let mut tail = arcs.get(2..).unwrap_or(&[]);
    loop {
        // Four single-octet arcs at once when possible.
        while let Some((more, &[a, b, c, d])) = tail.split_last_chunk::<4>() {
            if a | b | c | d >= 0x80 {
                break;
            }
            let at = rest.len().checked_sub(4)?;
            let (front, back) = rest.split_at_mut_checked(at)?;
            back.copy_from_slice(&[a as u8, b as u8, c as u8, d as u8]);
            rest = front;
            tail = more;
        }
        let Some((&a, more)) = tail.split_last() else {
            break;
        };
        tail = more;
        if a < 0x80 {
            let (last, front) = rest.split_last_mut()?;
            *last = a as u8;
            rest = front;
        } else {
            rest = put_subid_back(rest, u64::from(a))?;
        }
    }
    put_subid_back(rest, first_subid(arcs))
}

/// Writes one sub-identifier at the end of `rest`, last octet first;
/// returns what remains in front of it.
#[inline(always)]
fn put_subid_back(mut rest: &mut [u8], v: u64) -> Option<&mut [u8]> {
    let (last, front) = rest.split_last_mut()?;
    if v < 0x80 {
        *last = v as u8;
        return Some(front);
    }
    *last = (v & 0x7f) as u8;
    rest = front;
    let mut v = v >> 7;
    while v != 0 {
        let (last, front) = rest.split_last_mut()?;
        *last = 0x80 | (v & 0x7f) as u8;
        rest = front;
        v >>= 7;
    }
    Some(rest)
}

impl PartialOrd for Oid {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Oid {
    fn cmp(&self, other: &Self) -> Ordering {
        self.arcs.cmp(&other.arcs)
    }
}

impl fmt::Display for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_dotted(f, self.arcs.iter().copied())
    }
}

impl fmt::Debug for Oid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Oid({self})")
    }
}

fn write_dotted(f: &mut fmt::Formatter<'_>, arcs: impl Iterator<Item = u32>) -> fmt::Result {
    for (i, a) in arcs.enumerate() {
        if i > 0 {
            f.write_str(".")?;
        }
        write!(f, "{a}")?;
    }
    Ok(())
}

impl FromStr for Oid {
    type Err = OidError;

    /// Parses `1.3.6.1` or `.1.3.6.1`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.strip_prefix('.').unwrap_or(s);
        if s.is_empty() {
            return Err(OidError::Empty);
        }
        let mut arcs = Vec::with_capacity(16);
        for part in s.split('.') {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(OidError::BadArc(part.to_owned()));
            }
            let arc: u32 = part
                .parse()
                .map_err(|_| OidError::BadArc(part.to_owned()))?;
            arcs.push(arc);
            if arcs.len() > MAX_OID_LEN {
                return Err(OidError::TooLong);
            }
        }
        Oid::from_arcs(arcs)
    }
}

impl TryFrom<&str> for Oid {
    type Error = OidError;
    fn try_from(s: &str) -> Result<Self, OidError> {
        s.parse()
    }
}

impl TryFrom<&[u32]> for Oid {
    type Error = OidError;
    fn try_from(arcs: &[u32]) -> Result<Self, OidError> {
        Oid::from_slice(arcs)
    }
}

impl<const N: usize> TryFrom<[u32; N]> for Oid {
    type Error = OidError;
    fn try_from(arcs: [u32; N]) -> Result<Self, OidError> {
        Oid::from_slice(&arcs)
    }
}

const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// The high (continuation) bits of eight octets starting at `at`; octets past
/// the end count as zero.
#[inline(always)]
fn high_bits8(ber: &[u8], at: usize) -> u64 {
    let word = match ber.get(at..at + 8) {
        Some(w) => {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            u64::from_le_bytes(a)
        }
        None => ber
            .get(at..)
            .unwrap_or(&[])
            .iter()
            .rev()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b)),
    };
    word & HIGH_BITS
}

/// Whether some octet in the window starts a run of four continuation octets,
/// i.e. a sub-identifier of five or more octets that needs the exact check.
#[inline(always)]
const fn has_long_run(h: u64) -> bool {
    h & (h >> 8) & (h >> 16) & (h >> 24) != 0
}

/// A quick accept for the common case, a few words at a time: not empty,
/// terminated, at most 127 octets (so at most 127 sub-identifiers, 128 arcs)
/// and no sub-identifier longer than four octets (28 bits, always in range).
/// Anything else is left to the exact octet-by-octet check.
#[inline]
pub(crate) fn plainly_valid(ber: &[u8]) -> bool {
    let len = ber.len();
    match ber.last() {
        Some(&last) if last & 0x80 == 0 && len <= 127 => {}
        _ => return false,
    }
    if len <= 8 {
        return !has_long_run(high_bits8(ber, 0));
    }
    // Eight-octet windows whose starts are at most five apart, so that every
    // run of four octets lies wholly inside one of them.
    let mut at = 0;
    while at + 8 < len {
        if has_long_run(high_bits8(ber, at)) {
            return false;
        }
        at += 5;
    }
    !has_long_run(high_bits8(ber, len - 8))
}

/// An OID still in its BER encoding, borrowed from a datagram.
///
/// Constructed only through [`OidRef::from_ber`], which validates it, so
/// iterating its arcs cannot fail.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct OidRef<'a> {
    ber: &'a [u8],
}

impl<'a> OidRef<'a> {
    /// Validates BER content octets of an OBJECT IDENTIFIER.
    ///
    /// `offset` is used for the error position only.
    #[inline]
    pub fn from_ber(ber: &'a [u8], offset: usize) -> Result<Self, DecodeError> {
        if plainly_valid(ber) {
            Ok(Self { ber })
        } else {
            Self::from_ber_exact(ber, offset)
        }
    }

    /// The exact check, byte by byte, with the precise error.
    #[cold]
    #[inline(never)]
    pub(crate) fn from_ber_exact(ber: &'a [u8], offset: usize) -> Result<Self, DecodeError> {
        let Some(&last) = ber.last() else {
            return Err(DecodeError::new(DecodeErrorKind::EmptyOid, offset));
        };
        if last & 0x80 != 0 {
            return Err(DecodeError::new(DecodeErrorKind::OidUnterminated, offset));
        }
        let mut subids = 0usize;
        let mut run = 0usize;
        let mut value = 0u64;
        for &b in ber {
            run += 1;
            // A 32-bit sub-identifier needs at most five octets (35 bits).
            if run > 5 {
                return Err(DecodeError::new(DecodeErrorKind::OidSubidTooLarge, offset));
            }
            value = (value << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                // The first encoded sub-identifier is 40 * X + Y (X.690 §8.19.4).
                let limit = if subids == 0 {
                    u64::from(u32::MAX) + 80
                } else {
                    u64::from(u32::MAX)
                };
                if value > limit {
                    return Err(DecodeError::new(DecodeErrorKind::OidSubidTooLarge, offset));
                }
                subids += 1;
                run = 0;
                value = 0;
            }
        }
        if subids + 1 > MAX_OID_LEN {
            return Err(DecodeError::new(DecodeErrorKind::OidTooLong, offset));
        }
        Ok(Self { ber })
    }

    /// Wraps content octets that `from_ber` has already accepted.
    #[inline]
    pub(crate) const fn from_validated(ber: &'a [u8]) -> Self {
        Self { ber }
    }

    /// The BER content octets.
    pub fn as_ber(&self) -> &'a [u8] {
        self.ber
    }

    /// The sub-identifiers, decoded on the fly.
    #[inline]
    pub fn arcs(&self) -> OidArcs<'a> {
        OidArcs {
            ber: self.ber,
            second: 0,
            state: ArcState::First,
        }
    }

    /// An owned copy.
    pub fn to_oid(&self) -> Oid {
        let mut arcs = Vec::with_capacity(self.ber.len() + 1);
        arcs.extend(self.arcs());
        Oid::owned(arcs)
    }

    /// Compares with an owned OID without allocating.
    pub fn cmp_oid(&self, other: &Oid) -> Ordering {
        self.arcs().cmp(other.arcs().iter().copied())
    }

    /// Whether `prefix` is this OID or an ancestor, without allocating.
    pub fn starts_with(&self, prefix: &Oid) -> bool {
        let mut mine = self.arcs();
        prefix.arcs().iter().all(|&p| mine.next() == Some(p))
    }
}

impl PartialEq<Oid> for OidRef<'_> {
    fn eq(&self, other: &Oid) -> bool {
        self.cmp_oid(other) == Ordering::Equal
    }
}

impl fmt::Display for OidRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write_dotted(f, self.arcs())
    }
}

impl fmt::Debug for OidRef<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OidRef({self})")
    }
}

/// Iterator over the arcs of an [`OidRef`].
#[derive(Debug, Clone)]
pub struct OidArcs<'a> {
    /// Undecoded sub-identifiers.
    ber: &'a [u8],
    /// The second arc, once the first sub-identifier has been split.
    second: u32,
    state: ArcState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ArcState {
    /// Nothing read yet: the first sub-identifier holds two arcs.
    First,
    /// The first arc was returned; `second` is next.
    Second,
    /// Plain sub-identifiers from here on.
    Rest,
}

/// Splits the first sub-identifier into the first two arcs (X.690 §8.19.4).
#[inline]
fn split_first_subid(v: u64) -> (u32, u32) {
    match v {
        0..=39 => (0, v as u32),
        40..=79 => (1, (v - 40) as u32),
        _ => (2, (v - 80) as u32),
    }
}

impl OidArcs<'_> {
    /// Decodes one sub-identifier (validated input: at most five octets).
    #[inline]
    fn next_subid(&mut self) -> Option<u64> {
        let mut v = 0u64;
        while let Some((&b, rest)) = self.ber.split_first() {
            self.ber = rest;
            v = (v << 7) | u64::from(b & 0x7f);
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    #[inline]
    fn next_head(&mut self) -> Option<u32> {
        if self.state == ArcState::Second {
            self.state = ArcState::Rest;
            return Some(self.second);
        }
        let (first, second) = split_first_subid(self.next_subid()?);
        self.second = second;
        self.state = ArcState::Second;
        Some(first)
    }
}

impl Iterator for OidArcs<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.state != ArcState::Rest {
            return self.next_head();
        }
        match *self.ber {
            [b @ 0..=0x7f, ref rest @ ..] => {
                self.ber = rest;
                Some(u32::from(b))
            }
            _ => self.next_subid().map(|v| v as u32),
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        let head = match self.state {
            ArcState::First => usize::from(!self.ber.is_empty()),
            ArcState::Second => 1,
            ArcState::Rest => 0,
        };
        (
            head + self.ber.len().div_ceil(5),
            Some(head + self.ber.len()),
        )
    }

    #[inline(always)]
    fn fold<B, F>(mut self, init: B, mut f: F) -> B
    where
        F: FnMut(B, u32) -> B,
    {
        let mut acc = init;
        let mut ber = self.ber;
        match self.state {
            ArcState::First => {
                // Usually the first eight octets are eight single-octet
                // sub-identifiers: nine arcs from one word.
                if let Some((chunk, rest)) = ber.split_first_chunk::<8>() {
                    if u64::from_le_bytes(*chunk) & HIGH_BITS == 0 {
                        let (a, b) = split_first_subid(u64::from(chunk[0]));
                        acc = f(acc, a);
                        acc = f(acc, b);
                        for &b in &chunk[1..] {
                            acc = f(acc, u32::from(b));
                        }
                        ber = rest;
                        self.state = ArcState::Rest;
                    }
                }
                if self.state == ArcState::First {
                    let Some(first) = self.next_subid() else {
                        return acc;
                    };
                    ber = self.ber;
                    let (a, b) = split_first_subid(first);
                    acc = f(acc, a);
                    acc = f(acc, b);
                }
            }
            ArcState::Second => acc = f(acc, self.second),
            ArcState::Rest => {}
        }
        loop {
            // Eight single-octet sub-identifiers at once when possible.
            while let Some((chunk, rest)) = ber.split_first_chunk::<8>() {
                if u64::from_le_bytes(*chunk) & HIGH_BITS != 0 {
                    break;
                }
                for &b in chunk {
                    acc = f(acc, u32::from(b));
                }
                ber = rest;
            }
            // Then one sub-identifier, however long.
            let Some((&b, rest)) = ber.split_first() else {
                return acc;
            };
            ber = rest;
            if b < 0x80 {
                acc = f(acc, u32::from(b));
                continue;
            }
            // Validated input: at most five octets and 32 bits, so a u32
            // loses nothing; on other input the value wraps, nothing panics.
            let mut v = u32::from(b & 0x7f);
            while let Some((&c, rest)) = ber.split_first() {
                ber = rest;
                v = (v << 7) | u32::from(c & 0x7f);
                if c < 0x80 {
                    break;
                }
            }
            acc = f(acc, v);
        }
    }
}

impl std::iter::FusedIterator for OidArcs<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn enc(o: &Oid) -> Vec<u8> {
        let mut v = Vec::new();
        o.write_ber_content(&mut v);
        assert_eq!(v.len(), o.ber_content_len());
        v
    }

    #[test]
    fn parse_display_order() {
        let a: Oid = ".1.3.6.1.2.1".parse().unwrap();
        let b: Oid = "1.3.6.1.2.1.1".parse().unwrap();
        assert!(a < b);
        assert!(b.starts_with(&a));
        assert_eq!(b.parent().unwrap(), a);
        assert_eq!(a.child(1).unwrap(), b);
        assert!("1..3".parse::<Oid>().is_err());
        assert!("1.3.x".parse::<Oid>().is_err());
        assert!("".parse::<Oid>().is_err());
        assert!("1.3.4294967296".parse::<Oid>().is_err());
        assert!("3.1".parse::<Oid>().is_err());
        assert!("1.40".parse::<Oid>().is_err());
        assert!("2.999".parse::<Oid>().is_ok());
    }

    #[test]
    fn ber_round_trip() {
        for s in [
            "1.3.6.1.4.1.2021.4294967295",
            "2.999.3",
            "0.0",
            "1.3",
            "1.3.6.1.2.1.1.1.0",
        ] {
            let o: Oid = s.parse().unwrap();
            let ber = enc(&o);
            let r = OidRef::from_ber(&ber, 0).unwrap();
            assert_eq!(r.to_oid(), o, "{s}");
            assert_eq!(r.to_string(), s);
            assert!(r == o);
        }
    }

    /// A single arc goes out as Net-SNMP sends it (`.1` as `06 01 01`,
    /// captured from snmpget 5.9), and what it sends decodes, as `.0.1`.
    #[test]
    fn single_arcs_encode_as_net_snmp_sends_them() {
        for (arc, byte) in [(0u32, 0u8), (1, 1), (2, 2)] {
            let o = Oid::from_arcs(vec![arc]).unwrap();
            assert_eq!(enc(&o), [byte], "{o}");
            assert_eq!(o.ber_content_len(), 1);
            let wire = [byte];
            let r = OidRef::from_ber(&wire, 0).unwrap();
            assert_eq!(r.to_string(), format!("0.{arc}"));
        }
    }

    /// Random content octets, biased towards OID-like shapes: short
    /// sub-identifiers, runs of continuation octets, lengths around 8 and 16.
    fn random_ber(seed: &mut u64) -> Vec<u8> {
        let mut next = || {
            *seed ^= *seed << 13;
            *seed ^= *seed >> 7;
            *seed ^= *seed << 17;
            *seed
        };
        let len = (next() % 40) as usize;
        (0..len)
            .map(|_| match next() % 8 {
                0 => 0x80,
                1 | 2 => 0x80 | (next() as u8),
                3 => 0xff,
                _ => (next() as u8) & 0x7f,
            })
            .collect()
    }

    #[test]
    fn quick_check_agrees_with_exact_check() {
        let mut seed = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..200_000 {
            let ber = random_ber(&mut seed);
            let exact = OidRef::from_ber_exact(&ber, 7);
            if plainly_valid(&ber) {
                assert!(exact.is_ok(), "{ber:02x?}");
            }
            assert_eq!(OidRef::from_ber(&ber, 7), exact, "{ber:02x?}");
            if let Ok(oid) = exact {
                // Internal iteration (fold) and external (next) agree.
                let by_next: Vec<u32> = {
                    let mut it = oid.arcs();
                    std::iter::from_fn(|| it.next()).collect()
                };
                let by_fold = oid.arcs().fold(Vec::new(), |mut v, a| {
                    v.push(a);
                    v
                });
                assert_eq!(by_next, by_fold, "{ber:02x?}");
                let (lo, hi) = oid.arcs().size_hint();
                assert!(lo <= by_next.len() && by_next.len() <= hi.unwrap_or(usize::MAX));
                // Partly consumed iterators fold the rest correctly.
                for skip in 0..3 {
                    let mut it = oid.arcs();
                    for _ in 0..skip {
                        it.next();
                    }
                    let rest = it.fold(Vec::new(), |mut v, a| {
                        v.push(a);
                        v
                    });
                    assert_eq!(rest, by_next.get(skip..).unwrap_or(&[]), "{ber:02x?}");
                }
                // Owned round trip through the encoder.
                let owned = oid.to_oid();
                if owned.len() >= 2 {
                    let mut enc = Vec::new();
                    owned.write_ber_content(&mut enc);
                    assert_eq!(OidRef::from_ber(&enc, 0).map(|r| r.to_oid()), Ok(owned));
                }
            }
        }
    }

    #[test]
    fn ber_rejects() {
        assert_eq!(
            OidRef::from_ber(&[], 0).unwrap_err().kind,
            DecodeErrorKind::EmptyOid
        );
        assert_eq!(
            OidRef::from_ber(&[0x2b, 0x86], 0).unwrap_err().kind,
            DecodeErrorKind::OidUnterminated
        );
        // 2^32 as a sub-identifier: 0x90 0x80 0x80 0x80 0x00
        assert_eq!(
            OidRef::from_ber(&[0x2b, 0x90, 0x80, 0x80, 0x80, 0x00], 0)
                .unwrap_err()
                .kind,
            DecodeErrorKind::OidSubidTooLarge
        );
        assert!(OidRef::from_ber(&[0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f], 0).is_ok());
        let long = vec![0x01u8; 128];
        assert_eq!(
            OidRef::from_ber(&long, 0).unwrap_err().kind,
            DecodeErrorKind::OidTooLong
        );
        assert!(OidRef::from_ber(&long[..127], 0).is_ok());
    }
}
