use super::error::{DecodeError, DecodeErrorKind};
use super::tag;

/// A bounded, zero-copy cursor over BER data.
///
/// Every read is bounded by the slice the reader was created over, so a
/// length field can never make it look past the datagram. Offsets in errors
/// are relative to the start of the original datagram (`base`).
#[derive(Debug, Clone, Copy)]
pub struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
    base: usize,
}

/// One decoded tag-length-value element.
#[derive(Debug, Clone, Copy)]
pub struct Tlv<'a> {
    /// The single identifier octet.
    pub tag: u8,
    /// The content octets.
    pub content: &'a [u8],
    /// Offset of the identifier octet in the datagram.
    pub offset: usize,
    /// Offset of the first content octet in the datagram.
    pub content_offset: usize,
}

impl<'a> Reader<'a> {
    /// A reader over the whole of `buf`.
    pub const fn new(buf: &'a [u8]) -> Self {
        Self {
            buf,
            pos: 0,
            base: 0,
        }
    }

    /// A reader over `buf`, which starts at `base` in the datagram.
    pub const fn with_base(buf: &'a [u8], base: usize) -> Self {
        Self { buf, pos: 0, base }
    }

    /// Whether all input has been consumed.
    pub const fn is_empty(&self) -> bool {
        self.pos >= self.buf.len()
    }

    /// Offset of the next byte in the datagram.
    pub const fn offset(&self) -> usize {
        self.base + self.pos
    }

    /// The unread remainder.
    pub fn remaining(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or(&[])
    }

    fn err(&self, kind: DecodeErrorKind) -> DecodeError {
        DecodeError::new(kind, self.offset())
    }

    /// Reads the next element, whatever its tag.
    #[inline]
    pub fn read_tlv(&mut self) -> Result<Tlv<'a>, DecodeError> {
        // Fast path: a low tag number with a short or one- or two-octet long
        // form length that fits. Anything else, errors included, goes
        // through `read_tlv_slow`.
        let rest = self.remaining();
        if let Some((tag, content, after)) = split_plain(rest) {
            if tag & 0x1f != 0x1f {
                let used = rest.len() - after.len();
                let offset = self.offset();
                self.pos += used;
                return Ok(Tlv {
                    tag,
                    content,
                    offset,
                    content_offset: offset + (used - content.len()),
                });
            }
        }
        self.read_tlv_slow()
    }

    #[cold]
    #[inline(never)]
    fn read_tlv_slow(&mut self) -> Result<Tlv<'a>, DecodeError> {
        let offset = self.offset();
        let rest = self.remaining();
        let (&tag, after_tag) = rest
            .split_first()
            .ok_or_else(|| self.err(DecodeErrorKind::Truncated))?;
        if tag & 0x1f == 0x1f {
            return Err(DecodeError::new(DecodeErrorKind::HighTagNumber, offset));
        }
        let (&first, after_len0) = after_tag
            .split_first()
            .ok_or_else(|| DecodeError::new(DecodeErrorKind::Truncated, offset + 1))?;
        let (length, header) = if first < 0x80 {
            (first as usize, 2)
        } else if first == 0x80 {
            return Err(DecodeError::new(
                DecodeErrorKind::IndefiniteLength,
                offset + 1,
            ));
        } else {
            // Long form: accepted even when not minimal, as real agents send it.
            let n = (first & 0x7f) as usize;
            if n > 4 {
                return Err(DecodeError::new(
                    DecodeErrorKind::LengthTooLong(n as u8),
                    offset + 1,
                ));
            }
            let octets = after_len0
                .get(..n)
                .ok_or_else(|| DecodeError::new(DecodeErrorKind::Truncated, offset + 2))?;
            let length = octets
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | b as usize);
            (length, 2 + n)
        };
        let available = rest.len() - header;
        let content = header
            .checked_add(length)
            .and_then(|end| rest.get(header..end))
            .ok_or(DecodeError::new(
                DecodeErrorKind::LengthPastEnd { length, available },
                offset + 1,
            ))?;
        self.pos += header + length;
        Ok(Tlv {
            tag,
            content,
            offset,
            content_offset: offset + header,
        })
    }

    /// Reads the next element and checks its tag.
    #[inline]
    pub fn read_expected(&mut self, expected: u8) -> Result<Tlv<'a>, DecodeError> {
        let tlv = self.read_tlv()?;
        if tlv.tag != expected {
            return Err(DecodeError::new(
                DecodeErrorKind::UnexpectedTag {
                    expected,
                    found: tlv.tag,
                },
                tlv.offset,
            ));
        }
        Ok(tlv)
    }

    /// Reads a constructed SEQUENCE and returns a reader over its content.
    #[inline]
    pub fn read_sequence(&mut self) -> Result<Reader<'a>, DecodeError> {
        let tlv = self.read_expected(tag::SEQUENCE)?;
        Ok(Reader::with_base(tlv.content, tlv.content_offset))
    }

    /// Reads an INTEGER that must fit in an `i32`.
    #[inline]
    pub fn read_i32(&mut self) -> Result<i32, DecodeError> {
        let tlv = self.read_expected(tag::INTEGER)?;
        decode_i32(tlv.content).map_err(|k| DecodeError::new(k, tlv.offset))
    }

    /// Reads an INTEGER that must fit in an `i64`.
    pub fn read_i64(&mut self) -> Result<i64, DecodeError> {
        let tlv = self.read_expected(tag::INTEGER)?;
        decode_i64(tlv.content).map_err(|k| DecodeError::new(k, tlv.offset))
    }

    /// Reads an OCTET STRING.
    #[inline]
    pub fn read_octet_string(&mut self) -> Result<&'a [u8], DecodeError> {
        Ok(self.read_expected(tag::OCTET_STRING)?.content)
    }

    /// Fails unless all input was consumed.
    pub fn finish(&self) -> Result<(), DecodeError> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self.err(DecodeErrorKind::TrailingData(self.buf.len() - self.pos)))
        }
    }
}

/// Splits the first TLV off `buf` when it is in the plain form that the
/// quick validation paths handle: a definite length in short form or in one
/// or two long-form octets, within bounds. Returns the tag, the content and
/// what follows; `None` means "not plain", not "invalid" — the caller falls
/// back to the exact [`Reader`] path, which accepts everything this accepts
/// provided the caller only accepts tags it knows (the tag is not checked for
/// the high-tag-number form here).
#[inline(always)]
pub(crate) fn split_plain(buf: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (len, header) = match *buf {
        [_, l @ 0..=0x7f, ..] => (usize::from(l), 2),
        [_, 0x81, l, ..] => (usize::from(l), 3),
        [_, 0x82, hi, lo, ..] => (usize::from(u16::from_be_bytes([hi, lo])), 4),
        _ => return None,
    };
    let (&tag, _) = buf.split_first()?;
    let body = buf.get(header..)?;
    if len > body.len() {
        return None;
    }
    let (content, rest) = body.split_at(len);
    Some((tag, content, rest))
}

/// Splits the first TLV off data that has already been validated by the
/// [`Reader`] path or by [`split_plain`]. Bounds are still checked (a failure
/// returns `None` rather than panicking), but nothing else is.
#[inline(always)]
pub(crate) fn split_validated(buf: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (len, header) = match *buf {
        [_, l @ 0..=0x7f, ..] => (usize::from(l), 2),
        [_, 0x81, l, ..] => (usize::from(l), 3),
        [_, first, ..] => {
            let n = usize::from(first & 0x7f);
            let octets = buf.get(2..2 + n)?;
            (
                octets
                    .iter()
                    .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
                2 + n,
            )
        }
        _ => return None,
    };
    let (&tag, _) = buf.split_first()?;
    let body = buf.get(header..)?;
    if len > body.len() {
        return None;
    }
    let (content, rest) = body.split_at(len);
    Some((tag, content, rest))
}

/// The value of validated INTEGER content that fits an `i32` (sign padding
/// included: the low 32 bits of the sign-extended fold are the value).
#[inline(always)]
pub(crate) fn fold_i32(c: &[u8]) -> i32 {
    let init: i32 = match c.first() {
        Some(b) if b & 0x80 != 0 => -1,
        _ => 0,
    };
    c.iter().fold(init, |acc, &b| (acc << 8) | i32::from(b))
}

/// The value of validated unsigned content (leading zero octets shift out).
#[inline(always)]
pub(crate) fn fold_u64(c: &[u8]) -> u64 {
    c.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
}

/// Strips redundant leading sign octets (liberal: some agents pad integers).
#[inline]
fn strip_sign_padding(mut content: &[u8]) -> &[u8] {
    while let [a, b, ..] = content {
        let redundant = (*a == 0x00 && b & 0x80 == 0) || (*a == 0xff && b & 0x80 != 0);
        if !redundant {
            break;
        }
        content = &content[1..];
    }
    content
}

/// Decodes a two's-complement INTEGER into an `i64`.
#[inline]
pub fn decode_i64(content: &[u8]) -> Result<i64, DecodeErrorKind> {
    let Some(&first) = content.first() else {
        return Err(DecodeErrorKind::EmptyInteger);
    };
    let content = strip_sign_padding(content);
    if content.len() > 8 {
        return Err(DecodeErrorKind::IntegerTooLong);
    }
    let init: i64 = if first & 0x80 != 0 { -1 } else { 0 };
    Ok(content
        .iter()
        .fold(init, |acc, &b| (acc << 8) | i64::from(b)))
}

/// Decodes an INTEGER that must fit in an `i32`.
#[inline]
pub fn decode_i32(content: &[u8]) -> Result<i32, DecodeErrorKind> {
    // Fast path: minimal encodings of up to four octets.
    if !content.is_empty() && content.len() <= 4 {
        let init: i32 = if content[0] & 0x80 != 0 { -1 } else { 0 };
        return Ok(content
            .iter()
            .fold(init, |acc, &b| (acc << 8) | i32::from(b)));
    }
    let v = decode_i64(content)?;
    i32::try_from(v).map_err(|_| DecodeErrorKind::IntegerTooLong)
}

/// Decodes an unsigned application integer of at most `max_octets` value octets.
///
/// Liberal in what it accepts: a value whose top bit is set but has no
/// leading zero octet (a common agent bug) is read as unsigned, as
/// Net-SNMP does.
#[inline]
pub fn decode_unsigned(content: &[u8], max_octets: usize) -> Result<u64, DecodeErrorKind> {
    if content.is_empty() {
        return Err(DecodeErrorKind::EmptyInteger);
    }
    let mut c = content;
    while let [0, _, ..] = c {
        c = &c[1..];
    }
    if c.len() > max_octets {
        return Err(DecodeErrorKind::IntegerTooLong);
    }
    Ok(c.iter().fold(0u64, |acc, &b| (acc << 8) | u64::from(b)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_liberal_and_strict() {
        assert_eq!(decode_i32(&[0x05]), Ok(5));
        assert_eq!(decode_i32(&[0xff]), Ok(-1));
        assert_eq!(decode_i32(&[0x00, 0x00, 0x00, 0x00, 0x05]), Ok(5));
        assert_eq!(
            decode_i32(&[0x00, 0x80, 0x00, 0x00, 0x00]),
            Err(DecodeErrorKind::IntegerTooLong)
        );
        assert_eq!(decode_i32(&[]), Err(DecodeErrorKind::EmptyInteger));
        assert_eq!(
            decode_unsigned(&[0x00, 0xff, 0xff, 0xff, 0xff], 4),
            Ok(0xffff_ffff)
        );
        assert_eq!(
            decode_unsigned(&[0xff, 0xff, 0xff, 0xff], 4),
            Ok(0xffff_ffff)
        );
        assert_eq!(
            decode_unsigned(&[1, 0, 0, 0, 0], 4),
            Err(DecodeErrorKind::IntegerTooLong)
        );
        assert_eq!(decode_i64(&[0x80, 0, 0, 0, 0, 0, 0, 0]), Ok(i64::MIN));
        assert_eq!(
            decode_i64(&[1, 0, 0, 0, 0, 0, 0, 0, 0]),
            Err(DecodeErrorKind::IntegerTooLong)
        );
    }

    #[test]
    fn lengths() {
        let mut r = Reader::new(&[0x04, 0x81, 0x02, b'a', b'b']);
        assert_eq!(r.read_octet_string().unwrap(), b"ab");
        let mut r = Reader::new(&[0x04, 0x80, 0x00, 0x00]);
        assert_eq!(
            r.read_tlv().unwrap_err().kind,
            DecodeErrorKind::IndefiniteLength
        );
        let mut r = Reader::new(&[0x04, 0x05, b'a']);
        assert!(matches!(
            r.read_tlv().unwrap_err().kind,
            DecodeErrorKind::LengthPastEnd {
                length: 5,
                available: 1
            }
        ));
        let mut r = Reader::new(&[0x04, 0x85, 1, 1, 1, 1, 1]);
        assert_eq!(
            r.read_tlv().unwrap_err().kind,
            DecodeErrorKind::LengthTooLong(5)
        );
        let mut r = Reader::new(&[0x04]);
        assert_eq!(
            r.read_tlv().unwrap_err(),
            DecodeError::new(DecodeErrorKind::Truncated, 1)
        );
        let mut r = Reader::new(&[0x1f, 0x01, 0x00]);
        assert_eq!(
            r.read_tlv().unwrap_err().kind,
            DecodeErrorKind::HighTagNumber
        );
    }
}
