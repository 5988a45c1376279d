//! The subset of ASN.1 BER that SNMP uses (RFC 3417 §8): definite lengths,
//! single-octet tags, primitive integers, strings and OIDs.

mod error;
pub(crate) mod reader;
pub mod tag;
pub mod writer;

pub use error::{DecodeError, DecodeErrorKind};
pub use reader::{decode_i32, decode_i64, decode_unsigned, Reader, Tlv};
