//! Hooks for fuzzing (`fuzz/`), compiled only under `--cfg fuzzing` (which
//! cargo-fuzz sets; no feature or public API turns them on otherwise):
//!
//! * the exact, octet-by-octet validators, to be compared with the quick
//!   paths that decoding uses;
//! * a test-only crypto configuration, as rustls' fuzzing provider has, so
//!   that fuzz inputs get past the security checks into the code behind
//!   them: [`usm::authenticate`](crate::usm::authenticate) also accepts a
//!   msgAuthenticationParameters of the right length made of
//!   [`MAGIC_MAC_OCTET`] only, and [`usm::decrypt`](crate::usm::decrypt)
//!   treats the encryptedPDU as the plaintext when msgPrivacyParameters are
//!   [`MAGIC_PRIV_PARAMS`] (still refusing what the real cipher refuses:
//!   an empty ciphertext, or a DES/3DES one that is not whole blocks). Real
//!   digests and ciphertexts keep working;
//! * a per-thread log of those two calls ([`crypto_log`]), so targets can
//!   assert that nothing is decrypted unless the datagram it came in
//!   authenticated first (RFC 3414 §3.2 steps 6 and 8).

use std::cell::Cell;

use crate::ber::DecodeError;
use crate::oid::OidRef;
use crate::pdu::VarBindList;
use crate::usm::{ciphertext_len, PrivProtocol};

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

/// The octet that, repeated to the user's MAC length, passes
/// authentication under fuzzing.
pub const MAGIC_MAC_OCTET: u8 = 0xf5;

/// msgPrivacyParameters that make decryption a copy under fuzzing.
pub const MAGIC_PRIV_PARAMS: [u8; 8] = *b"FUZZPRIV";

/// Whether `mac` is the fuzzing magic MAC (non-empty, all
/// [`MAGIC_MAC_OCTET`]); the caller checks the length.
pub(crate) fn is_magic_mac(mac: &[u8]) -> bool {
    !mac.is_empty() && mac.iter().all(|&b| b == MAGIC_MAC_OCTET)
}

/// The fuzzing "cipher": the plaintext is the ciphertext, under the real
/// cipher's own length rules (so `None` where the real one would fail).
pub(crate) fn null_decrypt(protocol: PrivProtocol, ciphertext: &[u8], out: &mut Vec<u8>) -> bool {
    if ciphertext.is_empty() || ciphertext_len(protocol, ciphertext.len()) != ciphertext.len() {
        return false;
    }
    out.extend_from_slice(ciphertext);
    true
}

/// What the crypto hooks saw on this thread since the last
/// [`reset_crypto_log`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct CryptoLog {
    /// Calls of `usm::authenticate`.
    pub authentications: u64,
    /// Those that returned true.
    pub authenticated: u64,
    /// Calls of `usm::decrypt`.
    pub decryptions: u64,
    /// Decryptions of octets outside every datagram whose digest verified
    /// since the reset: must stay zero.
    pub unauthenticated_decryptions: u64,
}

thread_local! {
    static LOG: Cell<CryptoLog> = const { Cell::new(CryptoLog {
        authentications: 0,
        authenticated: 0,
        decryptions: 0,
        unauthenticated_decryptions: 0,
    }) };
    /// The address range of the last datagram that authenticated.
    static AUTHENTIC: Cell<Option<(usize, usize)>> = const { Cell::new(None) };
}

fn range(bytes: &[u8]) -> (usize, usize) {
    let start = bytes.as_ptr() as usize;
    (start, start + bytes.len())
}

/// The log so far.
pub fn crypto_log() -> CryptoLog {
    LOG.with(Cell::get)
}

/// Clears the log and forgets which datagram authenticated: call it
/// before feeding each datagram.
pub fn reset_crypto_log() {
    LOG.with(|l| l.set(CryptoLog::default()));
    AUTHENTIC.with(|a| a.set(None));
}

pub(crate) fn record_authentication(datagram: &[u8], ok: bool) {
    LOG.with(|l| {
        let mut log = l.get();
        log.authentications += 1;
        log.authenticated += u64::from(ok);
        l.set(log);
    });
    if ok {
        AUTHENTIC.with(|a| a.set(Some(range(datagram))));
    }
}

pub(crate) fn record_decryption(ciphertext: &[u8]) {
    let (start, end) = range(ciphertext);
    let inside = AUTHENTIC
        .with(Cell::get)
        .is_some_and(|(s, e)| s <= start && end <= e);
    LOG.with(|l| {
        let mut log = l.get();
        log.decryptions += 1;
        log.unauthenticated_decryptions += u64::from(!inside);
        l.set(log);
    });
}
