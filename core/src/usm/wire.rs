//! Building and checking whole SNMPv3 messages with USM security
//! (RFC 3414 §3.1 and the authentication and privacy steps of §3.2).

use crate::ber::{tag, writer};
use crate::v3::{
    message_len, write_message, SecurityLevel, UsmParamsRef, V3Header, SECURITY_MODEL_USM,
};

use super::{PrivProtocol, UserKeys};

/// Everything but the ScopedPDU that an outgoing USM message needs.
#[derive(Debug, Clone, Copy)]
pub struct Outgoing<'a> {
    /// msgID.
    pub msg_id: i32,
    /// msgMaxSize: the largest message this engine accepts.
    pub max_size: i32,
    /// The security level (sets authFlag and privFlag).
    pub level: SecurityLevel,
    /// reportableFlag: true for Confirmed Class PDUs only.
    pub reportable: bool,
    /// msgAuthoritativeEngineID.
    pub engine_id: &'a [u8],
    /// msgAuthoritativeEngineBoots.
    pub boots: u32,
    /// msgAuthoritativeEngineTime.
    pub time: u32,
    /// msgUserName.
    pub user_name: &'a [u8],
    /// The user's keys for `engine_id`; needed above noAuthNoPriv.
    pub keys: Option<&'a UserKeys>,
    /// The privacy salt counter for this message (the caller increments it).
    pub salt: u64,
}

/// Why an outgoing message cannot be built (RFC 3414 §3.1 steps 2 and 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum OutgoingError {
    /// The level needs a key the user does not have.
    #[error("Unsupported security level")]
    UnsupportedSecurityLevel,
}

const ZEROS: [u8; 64] = [0; 64];

impl Outgoing<'_> {
    fn header(&self) -> V3Header {
        V3Header {
            msg_id: self.msg_id,
            max_size: self.max_size,
            flags: crate::v3::MsgFlags::new(self.level, self.reportable),
            security_model: SECURITY_MODEL_USM,
        }
    }

    fn mac_len(&self) -> usize {
        match (
            self.level.is_authenticated(),
            self.keys.and_then(|k| k.auth.as_ref()),
        ) {
            (true, Some(a)) => a.mac_len(),
            _ => 0,
        }
    }

    fn privacy(&self) -> Option<PrivProtocol> {
        if self.level.is_encrypted() {
            self.keys
                .and_then(|k| k.privacy.as_ref())
                .map(|p| p.protocol())
        } else {
            None
        }
    }

    fn params<'b>(&'b self, priv_params: &'b [u8]) -> UsmParamsRef<'b> {
        UsmParamsRef {
            engine_id: self.engine_id,
            boots: self.boots,
            time: self.time,
            user_name: self.user_name,
            auth_params: ZEROS.get(..self.mac_len()).unwrap_or(&[]),
            priv_params,
            auth_offset: 0,
        }
    }

    /// Exact size of the message carrying a ScopedPDU of `scoped_len`
    /// octets.
    pub fn message_len(&self, scoped_len: usize) -> usize {
        let (data_len, priv_len) = match self.privacy() {
            Some(p) => (writer::tlv_len(ciphertext_len(p, scoped_len)), 8),
            None => (scoped_len, 0),
        };
        message_len(&self.header(), &self.params(&ZEROS[..priv_len]), data_len)
    }

    fn check(&self) -> Result<(), OutgoingError> {
        let keys = self.keys;
        let auth_ok = !self.level.is_authenticated() || keys.is_some_and(|k| k.auth.is_some());
        let priv_ok = !self.level.is_encrypted() || keys.is_some_and(|k| k.privacy.is_some());
        if auth_ok && priv_ok {
            Ok(())
        } else {
            Err(OutgoingError::UnsupportedSecurityLevel)
        }
    }

    /// Appends the whole message carrying the encoded ScopedPDU `scoped`:
    /// encrypted when the level says so (into `scratch`, reused), then
    /// signed in place.
    pub fn write(
        &self,
        out: &mut Vec<u8>,
        scoped: &[u8],
        scratch: &mut Vec<u8>,
    ) -> Result<(), OutgoingError> {
        self.check()?;
        let start = out.len();
        let keys = self.keys;
        let privacy = if self.level.is_encrypted() {
            keys.and_then(|k| k.privacy.as_ref())
        } else {
            None
        };
        let auth_offset = match privacy {
            Some(p) => {
                scratch.clear();
                let params = p.encrypt(scoped, self.boots, self.time, self.salt, scratch);
                let usm = self.params(&params);
                let data_len = writer::tlv_len(scratch.len());
                out.reserve(message_len(&self.header(), &usm, data_len));
                let at = write_message(out, &self.header(), &usm, data_len);
                writer::write_bytes(out, tag::OCTET_STRING, scratch);
                at
            }
            None => {
                let usm = self.params(&[]);
                out.reserve(message_len(&self.header(), &usm, scoped.len()));
                let at = write_message(out, &self.header(), &usm, scoped.len());
                out.extend_from_slice(scoped);
                at
            }
        };
        if self.level.is_authenticated() {
            if let Some(a) = keys.and_then(|k| k.auth.as_ref()) {
                let message = out.get_mut(start..).unwrap_or(&mut []);
                a.sign_in_place(message, auth_offset - start);
            }
        }
        Ok(())
    }
}

/// Size of the ciphertext for a plaintext of `len` octets: DES and 3DES
/// pad to whole 8-octet blocks (RFC 3414 §8.1.1.2); AES in CFB mode does
/// not pad (RFC 3826 §3.1.3).
pub fn ciphertext_len(protocol: PrivProtocol, len: usize) -> usize {
    match protocol {
        PrivProtocol::Des | PrivProtocol::TripleDes => len.div_ceil(8) * 8,
        _ => len,
    }
}

/// RFC 3414 §3.2 step 6: whether the message's digest is the one `keys`
/// compute. False when the user has no authentication key or the
/// msgAuthenticationParameters are not exactly the protocol's MAC length
/// (an empty or short digest never passes).
pub fn authenticate(datagram: &[u8], params: &UsmParamsRef<'_>, keys: &UserKeys) -> bool {
    let ok = match &keys.auth {
        Some(a) => {
            params.auth_params.len() == a.mac_len()
                && (a.verify(datagram, params.auth_offset) || fuzzing_mac(params.auth_params))
        }
        None => false,
    };
    #[cfg(fuzzing)]
    crate::fuzzing::record_authentication(datagram, ok);
    ok
}

/// The test-only crypto configuration of `--cfg fuzzing` (see
/// `crate::fuzzing`); always false otherwise.
#[cfg(fuzzing)]
fn fuzzing_mac(mac: &[u8]) -> bool {
    crate::fuzzing::is_magic_mac(mac)
}

#[cfg(not(fuzzing))]
fn fuzzing_mac(_: &[u8]) -> bool {
    false
}

/// RFC 3414 §3.2 step 8a: decrypts the encryptedPDU into `out` (cleared
/// first). False when the user has no privacy key or decryption fails.
pub fn decrypt(
    encrypted: &[u8],
    params: &UsmParamsRef<'_>,
    keys: &UserKeys,
    out: &mut Vec<u8>,
) -> bool {
    out.clear();
    #[cfg(fuzzing)]
    crate::fuzzing::record_decryption(encrypted);
    match &keys.privacy {
        #[cfg(fuzzing)]
        Some(p) if params.priv_params == crate::fuzzing::MAGIC_PRIV_PARAMS => {
            crate::fuzzing::null_decrypt(p.protocol(), encrypted, out)
        }
        Some(p) => p
            .decrypt(
                encrypted,
                params.priv_params,
                params.boots,
                params.time,
                out,
            )
            .is_ok(),
        None => false,
    }
}
