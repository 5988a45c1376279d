//! Varbind values: the borrowed [`ValueRef`] read from a datagram and the owned [`Value`].

use std::net::Ipv4Addr;

use crate::ber::reader::{fold_i32, fold_u64};
use crate::ber::writer::BackWriter;
use crate::ber::{decode_i32, decode_unsigned, tag, writer, DecodeError, DecodeErrorKind, Tlv};
use crate::oid::{Oid, OidRef};

/// A varbind value borrowed from a datagram (RFC 3416 §3, `ObjectSyntax` plus exceptions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ValueRef<'a> {
    /// INTEGER / Integer32.
    Integer(i32),
    /// OCTET STRING.
    OctetString(&'a [u8]),
    /// NULL, as sent in requests.
    Null,
    /// OBJECT IDENTIFIER.
    ObjectIdentifier(OidRef<'a>),
    /// IpAddress.
    IpAddress([u8; 4]),
    /// Counter32.
    Counter32(u32),
    /// Gauge32 / Unsigned32.
    Gauge32(u32),
    /// TimeTicks, in hundredths of a second.
    TimeTicks(u32),
    /// Opaque (raw BER of the wrapped value).
    Opaque(&'a [u8]),
    /// Counter64.
    Counter64(u64),
    /// The noSuchObject exception.
    NoSuchObject,
    /// The noSuchInstance exception.
    NoSuchInstance,
    /// The endOfMibView exception.
    EndOfMibView,
}

/// An owned varbind value.
///
/// ```
/// use oxsnmp_core::Value;
/// let v = Value::from("router-1");
/// assert_eq!(v, Value::OctetString(b"router-1".to_vec()));
/// assert!(Value::EndOfMibView.is_exception());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Value {
    /// INTEGER / Integer32.
    Integer(i32),
    /// OCTET STRING.
    OctetString(Vec<u8>),
    /// NULL, as sent in requests.
    Null,
    /// OBJECT IDENTIFIER.
    ObjectIdentifier(Oid),
    /// IpAddress.
    IpAddress(Ipv4Addr),
    /// Counter32.
    Counter32(u32),
    /// Gauge32 / Unsigned32.
    Gauge32(u32),
    /// TimeTicks, in hundredths of a second.
    TimeTicks(u32),
    /// Opaque (raw BER of the wrapped value).
    Opaque(Vec<u8>),
    /// Counter64.
    Counter64(u64),
    /// The noSuchObject exception.
    NoSuchObject,
    /// The noSuchInstance exception.
    NoSuchInstance,
    /// The endOfMibView exception.
    EndOfMibView,
}

impl<'a> ValueRef<'a> {
    /// Decodes a value from its TLV.
    #[inline]
    pub fn from_tlv(tlv: Tlv<'a>) -> Result<Self, DecodeError> {
        let at = |kind| DecodeError::new(kind, tlv.offset);
        let c = tlv.content;
        Ok(match tlv.tag {
            tag::INTEGER => ValueRef::Integer(decode_i32(c).map_err(at)?),
            tag::OCTET_STRING => ValueRef::OctetString(c),
            tag::NULL => {
                null_content(c).map_err(at)?;
                ValueRef::Null
            }
            tag::OBJECT_IDENTIFIER => ValueRef::ObjectIdentifier(OidRef::from_ber(c, tlv.offset)?),
            tag::IP_ADDRESS => ValueRef::IpAddress(
                c.try_into()
                    .map_err(|_| at(DecodeErrorKind::BadIpAddressLength(c.len())))?,
            ),
            tag::COUNTER32 => ValueRef::Counter32(decode_unsigned(c, 4).map_err(at)? as u32),
            tag::GAUGE32 => ValueRef::Gauge32(decode_unsigned(c, 4).map_err(at)? as u32),
            tag::TIMETICKS => ValueRef::TimeTicks(decode_unsigned(c, 4).map_err(at)? as u32),
            tag::OPAQUE => ValueRef::Opaque(c),
            tag::COUNTER64 => ValueRef::Counter64(decode_unsigned(c, 8).map_err(at)?),
            tag::NO_SUCH_OBJECT => {
                null_content(c).map_err(at)?;
                ValueRef::NoSuchObject
            }
            tag::NO_SUCH_INSTANCE => {
                null_content(c).map_err(at)?;
                ValueRef::NoSuchInstance
            }
            tag::END_OF_MIB_VIEW => {
                null_content(c).map_err(at)?;
                ValueRef::EndOfMibView
            }
            other => return Err(at(DecodeErrorKind::UnknownValueTag(other))),
        })
    }

    /// A quick accept for the common encodings: `true` only if
    /// [`from_tlv`](Self::from_tlv) would accept the value; `false` means
    /// "ask `from_tlv`", not "invalid". Table-driven, so that the mix of
    /// value types in a response costs no unpredictable branches.
    #[inline(always)]
    pub(crate) fn plainly_valid(tag: u8, c: &[u8]) -> bool {
        let rule = PLAIN_RULES[usize::from(tag)];
        let (max, min) = ((rule & 0xffff) as usize, ((rule >> 16) & 0xff) as usize);
        let n = c.len();
        let padded = rule & PLAIN_UNSIGNED != 0 && n == max + 1 && c.first() == Some(&0);
        ((min <= n && n <= max) || padded)
            && (tag != tag::OBJECT_IDENTIFIER || crate::oid::plainly_valid(c))
    }

    /// Rebuilds a value that [`from_tlv`](Self::from_tlv) has already
    /// accepted, skipping the checks that cannot fail again. `None` only if
    /// the input was not in fact validated.
    #[inline(always)]
    pub(crate) fn from_validated(tag: u8, c: &'a [u8]) -> Option<Self> {
        Some(match tag {
            tag::INTEGER => ValueRef::Integer(fold_i32(c)),
            tag::OCTET_STRING => ValueRef::OctetString(c),
            tag::NULL => ValueRef::Null,
            tag::OBJECT_IDENTIFIER => ValueRef::ObjectIdentifier(OidRef::from_validated(c)),
            tag::IP_ADDRESS => ValueRef::IpAddress(c.try_into().ok()?),
            tag::COUNTER32 => ValueRef::Counter32(fold_u64(c) as u32),
            tag::GAUGE32 => ValueRef::Gauge32(fold_u64(c) as u32),
            tag::TIMETICKS => ValueRef::TimeTicks(fold_u64(c) as u32),
            tag::OPAQUE => ValueRef::Opaque(c),
            tag::COUNTER64 => ValueRef::Counter64(fold_u64(c)),
            tag::NO_SUCH_OBJECT => ValueRef::NoSuchObject,
            tag::NO_SUCH_INSTANCE => ValueRef::NoSuchInstance,
            tag::END_OF_MIB_VIEW => ValueRef::EndOfMibView,
            _ => return None,
        })
    }

    /// An owned copy.
    pub fn to_value(&self) -> Value {
        match *self {
            ValueRef::Integer(v) => Value::Integer(v),
            ValueRef::OctetString(s) => Value::OctetString(s.to_vec()),
            ValueRef::Null => Value::Null,
            ValueRef::ObjectIdentifier(o) => Value::ObjectIdentifier(o.to_oid()),
            ValueRef::IpAddress(a) => Value::IpAddress(Ipv4Addr::from(a)),
            ValueRef::Counter32(v) => Value::Counter32(v),
            ValueRef::Gauge32(v) => Value::Gauge32(v),
            ValueRef::TimeTicks(v) => Value::TimeTicks(v),
            ValueRef::Opaque(s) => Value::Opaque(s.to_vec()),
            ValueRef::Counter64(v) => Value::Counter64(v),
            ValueRef::NoSuchObject => Value::NoSuchObject,
            ValueRef::NoSuchInstance => Value::NoSuchInstance,
            ValueRef::EndOfMibView => Value::EndOfMibView,
        }
    }

    /// Whether this is noSuchObject, noSuchInstance or endOfMibView.
    pub fn is_exception(&self) -> bool {
        matches!(
            self,
            ValueRef::NoSuchObject | ValueRef::NoSuchInstance | ValueRef::EndOfMibView
        )
    }
}

/// Unsigned types also accept one more octet when it is a leading zero.
const PLAIN_UNSIGNED: u32 = 1 << 24;

/// Content lengths accepted by [`ValueRef::plainly_valid`] per tag: bits
/// 0..16 the maximum, 16..24 the minimum, bit 24 [`PLAIN_UNSIGNED`]. Unknown
/// tags get minimum 1 and maximum 0, so they never pass.
static PLAIN_RULES: [u32; 256] = {
    const fn rule(min: u32, max: u32) -> u32 {
        (min << 16) | max
    }
    let mut t = [rule(1, 0); 256];
    t[tag::INTEGER as usize] = rule(1, 4);
    t[tag::OCTET_STRING as usize] = rule(0, 0xffff);
    t[tag::OPAQUE as usize] = rule(0, 0xffff);
    t[tag::NULL as usize] = rule(0, 0);
    t[tag::NO_SUCH_OBJECT as usize] = rule(0, 0);
    t[tag::NO_SUCH_INSTANCE as usize] = rule(0, 0);
    t[tag::END_OF_MIB_VIEW as usize] = rule(0, 0);
    t[tag::OBJECT_IDENTIFIER as usize] = rule(1, 127);
    t[tag::IP_ADDRESS as usize] = rule(4, 4);
    t[tag::COUNTER32 as usize] = rule(1, 4) | PLAIN_UNSIGNED;
    t[tag::GAUGE32 as usize] = rule(1, 4) | PLAIN_UNSIGNED;
    t[tag::TIMETICKS as usize] = rule(1, 4) | PLAIN_UNSIGNED;
    t[tag::COUNTER64 as usize] = rule(1, 8) | PLAIN_UNSIGNED;
    t
};

// Some agents send NULL as 05 81 00; any non-empty content is an error.
#[inline]
fn null_content(c: &[u8]) -> Result<(), DecodeErrorKind> {
    if c.is_empty() {
        Ok(())
    } else {
        Err(DecodeErrorKind::NonEmptyNull)
    }
}

impl Value {
    /// Bytes this value holds on the heap, for memory budgets.
    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Value::OctetString(b) | Value::Opaque(b) => b.capacity(),
            Value::ObjectIdentifier(o) => o.heap_bytes(),
            _ => 0,
        }
    }

    /// The BER identifier octet of this value.
    pub fn tag(&self) -> u8 {
        match self {
            Value::Integer(_) => tag::INTEGER,
            Value::OctetString(_) => tag::OCTET_STRING,
            Value::Null => tag::NULL,
            Value::ObjectIdentifier(_) => tag::OBJECT_IDENTIFIER,
            Value::IpAddress(_) => tag::IP_ADDRESS,
            Value::Counter32(_) => tag::COUNTER32,
            Value::Gauge32(_) => tag::GAUGE32,
            Value::TimeTicks(_) => tag::TIMETICKS,
            Value::Opaque(_) => tag::OPAQUE,
            Value::Counter64(_) => tag::COUNTER64,
            Value::NoSuchObject => tag::NO_SUCH_OBJECT,
            Value::NoSuchInstance => tag::NO_SUCH_INSTANCE,
            Value::EndOfMibView => tag::END_OF_MIB_VIEW,
        }
    }

    /// Whether this is noSuchObject, noSuchInstance or endOfMibView.
    pub fn is_exception(&self) -> bool {
        matches!(
            self,
            Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView
        )
    }

    /// Size of the whole encoded TLV.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        match self {
            Value::Integer(v) => 2 + writer::i64_content_len(i64::from(*v)),
            Value::OctetString(s) | Value::Opaque(s) => writer::tlv_len(s.len()),
            Value::Null | Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => 2,
            Value::ObjectIdentifier(o) => writer::tlv_len(o.ber_content_len()),
            Value::IpAddress(_) => 6,
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => {
                2 + writer::u64_content_len(u64::from(*v))
            }
            Value::Counter64(v) => 2 + writer::u64_content_len(*v),
        }
    }

    /// Appends the encoded TLV.
    #[inline]
    pub fn encode(&self, out: &mut Vec<u8>) {
        writer::append_backward(out, self.encoded_len(), |w| self.write_back(w));
    }

    /// At least [`encoded_len`](Self::encoded_len): exact for strings and
    /// OIDs, the largest size for the rest. Two predictable branches instead
    /// of a jump over every variant.
    #[inline(always)]
    pub(crate) fn encoded_bound(&self) -> usize {
        match self {
            Value::OctetString(s) | Value::Opaque(s) => 6 + s.len(),
            Value::ObjectIdentifier(o) => 6 + o.ber_content_len(),
            _ => 11,
        }
    }

    /// Writes the encoded TLV backwards.
    #[inline(always)]
    pub(crate) fn write_back(&self, w: &mut BackWriter<'_>) {
        match self {
            Value::Integer(v) => w.int(tag::INTEGER, i64::from(*v)),
            Value::OctetString(s) => {
                w.bytes(s);
                w.header(tag::OCTET_STRING, s.len());
            }
            Value::Opaque(s) => {
                w.bytes(s);
                w.header(tag::OPAQUE, s.len());
            }
            Value::Null => w.bytes(&[tag::NULL, 0]),
            Value::NoSuchObject => w.bytes(&[tag::NO_SUCH_OBJECT, 0]),
            Value::NoSuchInstance => w.bytes(&[tag::NO_SUCH_INSTANCE, 0]),
            Value::EndOfMibView => w.bytes(&[tag::END_OF_MIB_VIEW, 0]),
            Value::ObjectIdentifier(o) => {
                let end = w.written();
                o.write_ber_back(w);
                let len = w.written() - end;
                w.header(tag::OBJECT_IDENTIFIER, len);
            }
            Value::IpAddress(a) => {
                let [a, b, c, d] = a.octets();
                w.bytes(&[tag::IP_ADDRESS, 4, a, b, c, d]);
            }
            Value::Counter32(v) => w.uint(tag::COUNTER32, u64::from(*v)),
            Value::Gauge32(v) => w.uint(tag::GAUGE32, u64::from(*v)),
            Value::TimeTicks(v) => w.uint(tag::TIMETICKS, u64::from(*v)),
            Value::Counter64(v) => w.uint(tag::COUNTER64, *v),
        }
    }

    /// The string bytes, for OCTET STRING values.
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match self {
            Value::OctetString(s) => Some(s),
            _ => None,
        }
    }

    /// The string as UTF-8 text, for OCTET STRING values that are valid UTF-8.
    pub fn as_str(&self) -> Option<&str> {
        self.as_bytes().and_then(|b| std::str::from_utf8(b).ok())
    }

    /// The numeric value of any integer-like type.
    pub fn as_u64(&self) -> Option<u64> {
        match *self {
            Value::Integer(v) => u64::try_from(v).ok(),
            Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => Some(u64::from(v)),
            Value::Counter64(v) => Some(v),
            _ => None,
        }
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::OctetString(s.as_bytes().to_vec())
    }
}

impl From<i32> for Value {
    fn from(v: i32) -> Self {
        Value::Integer(v)
    }
}

impl From<Oid> for Value {
    fn from(o: Oid) -> Self {
        Value::ObjectIdentifier(o)
    }
}

impl From<Ipv4Addr> for Value {
    fn from(a: Ipv4Addr) -> Self {
        Value::IpAddress(a)
    }
}

impl From<ValueRef<'_>> for Value {
    fn from(v: ValueRef<'_>) -> Self {
        v.to_value()
    }
}
