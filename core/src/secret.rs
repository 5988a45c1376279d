//! Comparing secrets without leaking where they differ.

/// Whether `a` and `b` are equal, in time that depends only on their
/// lengths, not on where they differ: for community strings, which are
/// passwords (digests are compared by the HMAC crate's own constant-time
/// verification).
///
/// ```
/// use oxsnmp_core::secret::constant_time_eq;
/// assert!(constant_time_eq(b"public", b"public"));
/// assert!(!constant_time_eq(b"public", b"publix"));
/// assert!(!constant_time_eq(b"public", b"pub"));
/// ```
#[inline(never)]
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let diff = a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y));
    std::hint::black_box(diff) == 0
}
