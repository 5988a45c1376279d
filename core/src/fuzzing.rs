//! Hooks for differential fuzzing (`fuzz/`), compiled only under
//! `--cfg fuzzing` (which cargo-fuzz sets): the exact, octet-by-octet
//! validators, to be compared with the quick paths that decoding uses.

use crate::ber::DecodeError;
use crate::oid::OidRef;
use crate::pdu::VarBindList;

/// [`VarBindList::decode`] through the exact path only.
pub fn decode_varbinds_exact(content: &[u8], base: usize) -> Result<VarBindList<'_>, DecodeError> {
    VarBindList::decode_exact(content, base)
}

/// [`OidRef::from_ber`] through the exact path only.
pub fn oid_from_ber_exact(ber: &[u8], offset: usize) -> Result<OidRef<'_>, DecodeError> {
    OidRef::from_ber_exact(ber, offset)
}

/// [`MessageRef::decode`](crate::MessageRef::decode) through the exact path only.
pub fn decode_message_exact(buf: &[u8]) -> Result<crate::MessageRef<'_>, DecodeError> {
    crate::MessageRef::decode_exact(buf)
}
