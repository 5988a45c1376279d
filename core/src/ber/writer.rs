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
    let mut n = 1;
    let mut v = v;
    while n < 8 && !(v >= -128 && v <= 127) {
        v >>= 8;
        n += 1;
    }
    n
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
        assert_eq!(out, [0x46, 9, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
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
