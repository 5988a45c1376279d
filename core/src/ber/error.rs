use thiserror::Error;

/// What went wrong while decoding, and where.
///
/// `offset` is the byte position in the datagram at which the offending
/// element starts, so a log line points straight at the bad byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("{kind} at offset {offset}")]
pub struct DecodeError {
    /// The kind of failure.
    pub kind: DecodeErrorKind,
    /// Byte offset from the start of the decoded buffer.
    pub offset: usize,
}

impl DecodeError {
    pub(crate) const fn new(kind: DecodeErrorKind, offset: usize) -> Self {
        Self { kind, offset }
    }
}

/// The kinds of decoding failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The input ended in the middle of a tag or length.
    #[error("truncated TLV header")]
    Truncated,
    /// A length field points past the end of the enclosing element.
    #[error("length {length} runs past the end ({available} bytes left)")]
    LengthPastEnd {
        /// The declared length.
        length: usize,
        /// What the enclosing element still holds.
        available: usize,
    },
    /// The indefinite length form (0x80), which SNMP forbids (RFC 3417 §8).
    #[error("indefinite length is not allowed")]
    IndefiniteLength,
    /// A long-form length with more than four length octets.
    #[error("length field of {0} octets is too long")]
    LengthTooLong(u8),
    /// A multi-byte (high tag number) tag; SNMP uses none.
    #[error("high tag numbers are not used by SNMP")]
    HighTagNumber,
    /// A tag other than the one the grammar expects here.
    #[error("unexpected tag 0x{found:02x}, expected 0x{expected:02x}")]
    UnexpectedTag {
        /// The tag the grammar requires.
        expected: u8,
        /// The tag found.
        found: u8,
    },
    /// A tag that is not a known SNMP value type.
    #[error("unknown value tag 0x{0:02x}")]
    UnknownValueTag(u8),
    /// A tag that is not a known PDU type.
    #[error("unknown PDU tag 0x{0:02x}")]
    UnknownPduTag(u8),
    /// An INTEGER with no content octets.
    #[error("empty integer")]
    EmptyInteger,
    /// An integer whose value does not fit its type.
    #[error("integer too long for its type")]
    IntegerTooLong,
    /// An OBJECT IDENTIFIER with no content octets.
    #[error("empty object identifier")]
    EmptyOid,
    /// An OID sub-identifier greater than 2^32-1 (RFC 2578 §3.5).
    #[error("OID sub-identifier exceeds 32 bits")]
    OidSubidTooLarge,
    /// An OID sub-identifier whose last octet has the continuation bit set.
    #[error("OID sub-identifier is not terminated")]
    OidUnterminated,
    /// An OID with more than 128 sub-identifiers (RFC 2578 §3.5).
    #[error("OID has more than 128 sub-identifiers")]
    OidTooLong,
    /// A NULL (or exception) value with content octets.
    #[error("NULL with content")]
    NonEmptyNull,
    /// An IpAddress whose content is not four octets.
    #[error("IpAddress of {0} octets")]
    BadIpAddressLength(usize),
    /// Bytes left after the element that should have ended the buffer.
    #[error("{0} trailing bytes")]
    TrailingData(usize),
    /// A message version other than v1 (0), v2c (1) or v3 (3).
    #[error("unsupported message version {0}")]
    UnsupportedVersion(i64),
    /// A PDU type that is not valid in this message version.
    #[error("PDU type not allowed in this version")]
    PduNotAllowed,
    /// A field whose value is outside the range its syntax allows (an
    /// SNMPv3 msgMaxSize below 484, a negative msgID, a msgUserName longer
    /// than 32 octets, a msgFlags that is not one octet, ...).
    #[error("value out of range for its field")]
    OutOfRange,
}
