//! Encoding helpers: each `*_len` function gives the exact encoded size so that
//! messages are written in one pass into a caller-supplied buffer.

/// Number of octets a definite length takes (short or minimal long form).
#[inline]
pub const fn length_len(len: usize) -> usize {
    if len < 0x80 {
        1
    } else if len <= 0xff {
        2
    } else if len <= 0xffff {
        3
    } else if len <= 0xff_ffff {
        4
    } else {
        5
    }
}

/// Total size of a TLV whose content is `content_len` octets.
#[inline]
pub const fn tlv_len(content_len: usize) -> usize {
    1 + length_len(content_len) + content_len
}

/// Writes an identifier octet and a minimal definite length.
#[inline]
pub fn write_header(out: &mut Vec<u8>, tag: u8, len: usize) {
    if len < 0x80 {
        out.extend_from_slice(&[tag, len as u8]);
    } else if len <= 0xff {
        out.extend_from_slice(&[tag, 0x81, len as u8]);
    } else if len <= 0xffff {
        out.extend_from_slice(&[tag, 0x82, (len >> 8) as u8, len as u8]);
    } else if len <= 0xff_ffff {
        out.extend_from_slice(&[tag, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8]);
    } else {
        out.extend_from_slice(&[
            tag,
            0x84,
            (len >> 24) as u8,
            (len >> 16) as u8,
            (len >> 8) as u8,
            len as u8,
        ]);
    }
}

/// Content length of a signed integer in minimal two's complement.
#[inline]
pub const fn i64_content_len(v: i64) -> usize {
    // Significant bits of the magnitude (ones' complement for negatives),
    // plus one sign bit, rounded up to octets.
    let m = (v ^ (v >> 63)) as u64;
    (72 - m.leading_zeros() as usize) / 8
}

/// Writes a signed integer TLV.
#[inline]
pub fn write_i64(out: &mut Vec<u8>, tag: u8, v: i64) {
    let n = i64_content_len(v);
    out.push(tag);
    out.push(n as u8);
    out.extend_from_slice(&v.to_be_bytes()[8 - n..]);
}

/// Content length of an unsigned integer (a leading zero octet when the top bit is set).
#[inline]
pub const fn u64_content_len(v: u64) -> usize {
    let bits = 64 - v.leading_zeros() as usize;
    // One extra bit for the sign: ceil((bits + 1) / 8), at least 1.
    bits / 8 + 1
}

/// Writes an unsigned integer TLV (Counter32, Gauge32, TimeTicks, Counter64).
#[inline]
pub fn write_u64(out: &mut Vec<u8>, tag: u8, v: u64) {
    let n = u64_content_len(v);
    out.push(tag);
    out.push(n as u8);
    if n == 9 {
        out.push(0);
        out.extend_from_slice(&v.to_be_bytes());
    } else {
        out.extend_from_slice(&v.to_be_bytes()[8 - n..]);
    }
}

/// Writes a primitive TLV with the given content.
#[inline]
pub fn write_bytes(out: &mut Vec<u8>, tag: u8, content: &[u8]) {
    write_header(out, tag, content.len());
    out.extend_from_slice(content);
}

/// Writes BER backwards, from the end of a slice towards its start.
///
/// Content is written before its header, so every length is known when its
/// header is written and nothing is measured twice: the message encoders
/// take the total size (cheap: each `Oid` keeps its encoded length), grow
/// the caller's buffer once and write in place. A write that does not fit is
/// dropped and flagged (a size computation bug, never bad input): it must
/// not panic in release builds.
pub(crate) struct BackWriter<'a> {
    /// The part not yet written; output grows leftwards from its end.
    rest: &'a mut [u8],
    /// Size of the whole buffer.
    size: usize,
    overflow: bool,
}

impl<'a> BackWriter<'a> {
    /// Octets written so far.
    #[inline(always)]
    pub(crate) fn written(&self) -> usize {
        self.size - self.rest.len()
    }

    /// Ends the writing; returns the number of octets written.
    #[inline(always)]
    pub(crate) fn finish(self) -> usize {
        debug_assert!(!self.overflow, "encoding exceeded its computed size");
        self.written()
    }

    #[inline(always)]
    pub(crate) fn byte(&mut self, b: u8) {
        match std::mem::take(&mut self.rest).split_last_mut() {
            Some((last, front)) => {
                *last = b;
                self.rest = front;
            }
            None => self.overflow = true,
        }
    }

    #[inline(always)]
    pub(crate) fn bytes(&mut self, b: &[u8]) {
        let rest = std::mem::take(&mut self.rest);
        let at = rest.len().checked_sub(b.len()).unwrap_or(usize::MAX);
        match rest.split_at_mut_checked(at) {
            Some((front, back)) => {
                back.copy_from_slice(b);
                self.rest = front;
            }
            None => self.overflow = true,
        }
    }

    /// Writes the last `n` octets of `word` (`n` at most 8). When there is
    /// room, all eight are stored at once: the extra ones land in the
    /// unwritten part, to be overwritten by what is written next.
    #[inline(always)]
    fn tail_of(&mut self, word: [u8; 8], n: usize) {
        let rest = std::mem::take(&mut self.rest);
        let len = rest.len();
        if let (Some(at), Some(keep)) = (len.checked_sub(8), len.checked_sub(n)) {
            if let Some(dst) = rest.get_mut(at..) {
                dst.copy_from_slice(&word);
            }
            if let Some((front, _)) = rest.split_at_mut_checked(keep) {
                self.rest = front;
                return;
            }
            self.overflow = true;
            return;
        }
        self.rest = rest;
        self.bytes(word.get(8 - n.min(8)..).unwrap_or(&[]));
    }

    /// Runs `f` on the unwritten part, taken out as a plain local value (hot
    /// loops then keep it in registers); `f` returns what remains unwritten,
    /// or `None` if it ran out of room.
    #[inline(always)]
    pub(crate) fn with_raw(&mut self, f: impl FnOnce(&'a mut [u8]) -> Option<&'a mut [u8]>) {
        match f(std::mem::take(&mut self.rest)) {
            Some(rest) => self.rest = rest,
            None => self.overflow = true,
        }
    }

    /// An identifier octet and a minimal definite length, written in front
    /// of `len` octets of content.
    #[inline(always)]
    pub(crate) fn header(&mut self, tag: u8, len: usize) {
        if len < 0x80 {
            self.bytes(&[tag, len as u8]);
        } else {
            self.long_length(len);
            self.byte(tag);
        }
    }

    #[inline(always)]
    fn long_length(&mut self, len: usize) {
        let n = length_len(len) - 1;
        self.tail_of((len as u64).to_be_bytes(), n);
        self.byte(0x80 | n as u8);
    }

    /// A signed integer TLV in minimal two's complement.
    #[inline(always)]
    pub(crate) fn int(&mut self, tag: u8, v: i64) {
        let n = i64_content_len(v);
        self.small_tlv(tag, n, v as u64);
    }

    /// An unsigned integer TLV (a leading zero octet when the top bit is set).
    #[inline(always)]
    pub(crate) fn uint(&mut self, tag: u8, v: u64) {
        let n = u64_content_len(v);
        if n <= 6 {
            self.small_tlv(tag, n, v);
        } else {
            self.tail_of(v.to_be_bytes(), n.min(8));
            if n > 8 {
                self.byte(0);
            }
            self.bytes(&[tag, n as u8]);
        }
    }

    /// A TLV of `n` content octets (at most 6), the low octets of `v`:
    /// identifier, length and content in one eight-octet word.
    #[inline(always)]
    fn small_tlv(&mut self, tag: u8, n: usize, v: u64) {
        if n > 6 {
            self.tail_of(v.to_be_bytes(), n.min(8));
            self.bytes(&[tag, n as u8]);
            return;
        }
        let bits = 8 * n as u32;
        let content = v & (1u64 << bits).wrapping_sub(1);
        let word = (u64::from(tag) << (bits + 8)) | ((n as u64) << bits) | content;
        self.tail_of(word.to_be_bytes(), n + 2);
    }
}

/// The size to write a message in: the cheap upper `bound` when `out` has
/// room for it, otherwise the `exact` size. A caller who reserved exactly
/// `encoded_len()` octets thus gets no allocation, and a buffer with too
/// little room for either grows once, to the bound, so that a reused buffer
/// takes the fast path from the second message on.
#[inline(always)]
pub(crate) fn backward_size(
    out: &mut Vec<u8>,
    bound: usize,
    exact: impl FnOnce() -> usize,
) -> usize {
    let spare = out.capacity() - out.len();
    if spare >= bound {
        return bound;
    }
    let exact = exact();
    if spare < exact {
        out.reserve(bound);
    }
    exact
}

/// Grows `out` by `size` zeroed octets and returns a writer over them,
/// to be finished with [`finish_backward`]. Callers keep the writer in a
/// local so that it lives in registers.
#[inline(always)]
pub(crate) fn begin_backward(out: &mut Vec<u8>, size: usize) -> (usize, BackWriter<'_>) {
    let start = out.len();
    out.resize(start + size, 0);
    let w = BackWriter {
        rest: out.get_mut(start..).unwrap_or(&mut []),
        size,
        overflow: false,
    };
    (start, w)
}

/// Moves the `written` octets at the end of the region begun at `start` to
/// its front and drops the rest.
#[inline(always)]
pub(crate) fn finish_backward(out: &mut Vec<u8>, start: usize, written: usize) {
    let end = out.len();
    if start + written < end {
        out.copy_within(end - written.., start);
    }
    out.truncate(start + written);
}

/// Appends to `out` what `write` writes backwards, given an upper `bound`
/// of its size (with the exact size, nothing moves after).
#[inline(always)]
pub(crate) fn append_backward(
    out: &mut Vec<u8>,
    bound: usize,
    write: impl FnOnce(&mut BackWriter<'_>),
) {
    let (start, mut w) = begin_backward(out, bound);
    write(&mut w);
    let n = w.finish();
    finish_backward(out, start, n);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn minimal_integers() {
        for (v, bytes) in [
            (0i64, &[0x02, 1, 0][..]),
            (127, &[0x02, 1, 0x7f]),
            (128, &[0x02, 2, 0, 0x80]),
            (-128, &[0x02, 1, 0x80]),
            (-129, &[0x02, 2, 0xff, 0x7f]),
            (i64::from(i32::MAX), &[0x02, 4, 0x7f, 0xff, 0xff, 0xff]),
        ] {
            let mut out = Vec::new();
            write_i64(&mut out, 0x02, v);
            assert_eq!(out, bytes, "{v}");
        }
        let mut out = Vec::new();
        write_u64(&mut out, 0x46, u64::MAX);
        assert_eq!(
            out,
            [0x46, 9, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]
        );
        out.clear();
        write_u64(&mut out, 0x41, 0);
        assert_eq!(out, [0x41, 1, 0]);
        out.clear();
        write_u64(&mut out, 0x41, 0x80);
        assert_eq!(out, [0x41, 2, 0, 0x80]);
    }

    #[test]
    fn long_lengths() {
        let mut out = Vec::new();
        write_header(&mut out, 0x30, 300);
        assert_eq!(out, [0x30, 0x82, 0x01, 0x2c]);
        assert_eq!(tlv_len(300), 304);
    }
}
