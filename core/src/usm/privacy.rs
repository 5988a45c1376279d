//! Privacy protocols: CBC-DES (RFC 3414 §8), 3DES-EDE in "outside" CBC mode
//! (draft-reeder-snmpv3-usm-3desede-00), CFB-AES-128 (RFC 3826) and
//! CFB-AES-192/256 (draft-blumenthal-aes-usm-04) with either key extension.

use std::fmt;
use std::str::FromStr;

use aes::cipher::{BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, InnerIvInit, KeyInit};
use aes::{Aes128Enc, Aes192Enc, Aes256Enc};
use des::{Des, TdesEde3};
use thiserror::Error;

use super::auth::AuthProtocol;
use super::key::{self, Extension, KeyBytes, KeyError, MasterKey};
use crate::Oid;

/// Privacy protocols.
///
/// AES-192 and AES-256 come in two flavours that differ only in how a
/// localized key shorter than the cipher key is lengthened; the user picks
/// one, as peers cannot tell them apart on the wire:
///
/// * [`Aes192`](Self::Aes192), [`Aes256`](Self::Aes256): the Blumenthal
///   draft's extension (Net-SNMP's "AES-192"/"AES-256", most vendors).
/// * [`Aes192Reeder`](Self::Aes192Reeder), [`Aes256Reeder`](Self::Aes256Reeder):
///   the 3DES draft's (Reeder) extension, Cisco's "AES-256 with 3DES key
///   extension", Net-SNMP's "AES-192C"/"AES-256C".
///
/// With SHA-256 or longer hashes nothing needs extending and the two agree.
///
/// ```
/// use oxsnmp_core::usm::PrivProtocol;
/// let proto: PrivProtocol = "aes-256c".parse().unwrap();
/// assert_eq!(proto, PrivProtocol::Aes256Reeder);
/// assert_eq!(proto.to_string(), "AES-256C");
/// assert_eq!(proto.key_len(), 32);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PrivProtocol {
    /// usmDESPrivProtocol, CBC-DES (RFC 3414 §8).
    Des,
    /// usm3DESEDEPrivProtocol, 3DES-EDE in outside CBC mode (Reeder draft).
    TripleDes,
    /// usmAesCfb128Protocol, CFB-AES-128 (RFC 3826).
    Aes128,
    /// CFB-AES-192 with the Blumenthal key extension.
    Aes192,
    /// CFB-AES-256 with the Blumenthal key extension.
    Aes256,
    /// CFB-AES-192 with the Reeder key extension (Cisco).
    Aes192Reeder,
    /// CFB-AES-256 with the Reeder key extension (Cisco).
    Aes256Reeder,
}

const OID_DES: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 2, 2]);
const OID_3DES: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 2, 3]);
const OID_AES128: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 2, 4]);
// ESO-CONSORTIUM-MIB usmAESCfb192/256PrivProtocol, Net-SNMP's usmAES192/256PrivProtocol.
const OID_AES192: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 14832, 1, 3]);
const OID_AES256: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 14832, 1, 4]);
// CISCO-SNMP-USM-OIDS-MIB cusmAESCfb192/256PrivProtocol, Net-SNMP's
// usmAES192/256CiscoPrivProtocol. (PySNMP names these two OIDs for its
// Blumenthal classes and uses .101/.102 for Reeder; we follow Cisco's MIB
// and Net-SNMP, and accept PySNMP's .101/.102 as Reeder in `from_oid`.)
const OID_AES192_REEDER: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 1]);
const OID_AES256_REEDER: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 2]);
const OID_AES192_REEDER_PYSNMP: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 101]);
const OID_AES256_REEDER_PYSNMP: Oid = Oid::from_static(&[1, 3, 6, 1, 4, 1, 9, 12, 6, 1, 102]);

impl PrivProtocol {
    /// Every protocol.
    pub const ALL: [PrivProtocol; 7] = [
        PrivProtocol::Des,
        PrivProtocol::TripleDes,
        PrivProtocol::Aes128,
        PrivProtocol::Aes192,
        PrivProtocol::Aes256,
        PrivProtocol::Aes192Reeder,
        PrivProtocol::Aes256Reeder,
    ];

    /// The protocol's OBJECT IDENTIFIER (`usmUserPrivProtocol` values). The
    /// AES-192/256 ones are vendor OIDs: ESO consortium 1.3.6.1.4.1.14832.1.3
    /// and .4 for Blumenthal, Cisco 1.3.6.1.4.1.9.12.6.1.1 and .2 for Reeder
    /// (as Net-SNMP has them).
    pub fn oid(self) -> Oid {
        match self {
            PrivProtocol::Des => OID_DES,
            PrivProtocol::TripleDes => OID_3DES,
            PrivProtocol::Aes128 => OID_AES128,
            PrivProtocol::Aes192 => OID_AES192,
            PrivProtocol::Aes256 => OID_AES256,
            PrivProtocol::Aes192Reeder => OID_AES192_REEDER,
            PrivProtocol::Aes256Reeder => OID_AES256_REEDER,
        }
    }

    /// The protocol an OBJECT IDENTIFIER names. Besides [`oid`](Self::oid)'s
    /// values, PySNMP's 1.3.6.1.4.1.9.12.6.1.101 and .102 are read as the
    /// Reeder variants.
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        if *oid == OID_AES192_REEDER_PYSNMP {
            return Some(PrivProtocol::Aes192Reeder);
        }
        if *oid == OID_AES256_REEDER_PYSNMP {
            return Some(PrivProtocol::Aes256Reeder);
        }
        Self::ALL.into_iter().find(|p| p.oid() == *oid)
    }

    /// Octets of localized key the protocol uses: DES 16 (8 of key, 8 of
    /// pre-IV), 3DES 32 (24 of key, 8 of pre-IV), AES 16, 24 or 32.
    pub fn key_len(self) -> usize {
        match self {
            PrivProtocol::Des | PrivProtocol::Aes128 => 16,
            PrivProtocol::Aes192 | PrivProtocol::Aes192Reeder => 24,
            PrivProtocol::TripleDes | PrivProtocol::Aes256 | PrivProtocol::Aes256Reeder => 32,
        }
    }

    /// Net-SNMP's spelling: "DES", "3DES", "AES", "AES-192", "AES-256",
    /// "AES-192C", "AES-256C".
    pub fn name(self) -> &'static str {
        match self {
            PrivProtocol::Des => "DES",
            PrivProtocol::TripleDes => "3DES",
            PrivProtocol::Aes128 => "AES",
            PrivProtocol::Aes192 => "AES-192",
            PrivProtocol::Aes256 => "AES-256",
            PrivProtocol::Aes192Reeder => "AES-192C",
            PrivProtocol::Aes256Reeder => "AES-256C",
        }
    }

    /// How a too-short localized key is lengthened, if this protocol may
    /// need it.
    fn extension(self) -> Option<Extension> {
        match self {
            PrivProtocol::Des | PrivProtocol::Aes128 => None,
            PrivProtocol::Aes192 | PrivProtocol::Aes256 => Some(Extension::Blumenthal),
            PrivProtocol::TripleDes | PrivProtocol::Aes192Reeder | PrivProtocol::Aes256Reeder => {
                Some(Extension::Reeder)
            }
        }
    }

    /// The privacy key of a user at one authoritative engine.
    ///
    /// `master` is made from the privacy password with `auth`'s hash:
    /// privacy keys use the authentication protocol's hash (RFC 3414 §2.6,
    /// RFC 3826 §1.2). The localized key is extended when the hash is
    /// shorter than [`key_len`](Self::key_len): Blumenthal's way for
    /// `Aes192`/`Aes256`, Reeder's for `TripleDes` and the `Reeder` AES
    /// variants. DES and AES-128 never need it.
    ///
    /// ```
    /// use oxsnmp_core::usm::{AuthProtocol, PrivProtocol};
    /// let auth = AuthProtocol::Sha1;
    /// let ku = auth.password_to_key(b"privacy-password").unwrap();
    /// let key = PrivProtocol::Aes256.localize(auth, &ku, &[0x80, 0, 0x1f, 0x88, 4]);
    /// let mut ciphertext = Vec::new();
    /// let params = key.encrypt(b"scoped PDU", 1, 200, 42, &mut ciphertext);
    /// let mut plaintext = Vec::new();
    /// key.decrypt(&ciphertext, &params, 1, 200, &mut plaintext).unwrap();
    /// assert_eq!(plaintext, b"scoped PDU");
    /// ```
    pub fn localize(self, auth: AuthProtocol, master: &MasterKey, engine_id: &[u8]) -> PrivKey {
        let kul = key::localize(auth, master.as_bytes(), engine_id);
        let key = match self.extension() {
            Some(extension) => {
                key::extend(auth, kul.as_bytes(), engine_id, self.key_len(), extension)
            }
            None => KeyBytes::new(kul.as_bytes()),
        };
        PrivKey::with_key(self, key.as_slice())
    }

    /// A privacy key from already localized (and, where needed, extended)
    /// octets, as Net-SNMP's `-3K` takes them. Only the first
    /// [`key_len`](Self::key_len) octets are used; fewer is an error.
    pub fn from_localized(self, key: &[u8]) -> Result<PrivKey, KeyError> {
        if key.len() < self.key_len() {
            return Err(KeyError::KeyTooShort {
                protocol: self.name(),
                expected: self.key_len(),
                actual: key.len(),
            });
        }
        Ok(PrivKey::with_key(self, key))
    }
}

impl fmt::Display for PrivProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no privacy protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown privacy protocol {0:?} (expected DES, 3DES, AES, AES-192, AES-256, AES-192C or AES-256C)")]
pub struct UnknownPrivProtocol(pub String);

impl FromStr for PrivProtocol {
    type Err = UnknownPrivProtocol;

    /// Net-SNMP's `-x` spellings, case-insensitive: DES, 3DES, AES (AES128,
    /// AES-128), AES-192 (AES192), AES-256 (AES256), AES-192C (AES192C,
    /// AES-192-C, AES192-C), AES-256C (AES256C, AES-256-C, AES256-C).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let protocol = match s.to_ascii_uppercase().as_str() {
            "DES" => PrivProtocol::Des,
            "3DES" => PrivProtocol::TripleDes,
            "AES" | "AES128" | "AES-128" => PrivProtocol::Aes128,
            "AES192" | "AES-192" => PrivProtocol::Aes192,
            "AES256" | "AES-256" => PrivProtocol::Aes256,
            "AES192C" | "AES-192C" | "AES-192-C" | "AES192-C" => PrivProtocol::Aes192Reeder,
            "AES256C" | "AES-256C" | "AES-256-C" | "AES256-C" => PrivProtocol::Aes256Reeder,
            _ => return Err(UnknownPrivProtocol(s.to_owned())),
        };
        Ok(protocol)
    }
}

/// Why a ciphertext cannot be decrypted (RFC 3414 §8.3.2, RFC 3826 §3.3.2:
/// a decryptionError).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum DecryptError {
    /// msgPrivacyParameters that are not 8 octets.
    #[error("msgPrivacyParameters has {len} octets, not 8")]
    BadPrivParameters {
        /// Octets received.
        len: usize,
    },
    /// A DES or 3DES ciphertext that is not a whole number of 8-octet blocks.
    #[error("encryptedPDU of {len} octets is not a whole number of 8-octet blocks")]
    NotWholeBlocks {
        /// Octets received.
        len: usize,
    },
    /// An empty encryptedPDU, which cannot hold a ScopedPDU.
    #[error("empty encryptedPDU")]
    Empty,
}

/// The key schedule, done once per key.
#[derive(Clone)]
enum Cipher {
    Des(Des),
    TripleDes(TdesEde3),
    Aes128(Aes128Enc),
    Aes192(Aes192Enc),
    Aes256(Aes256Enc),
}

/// A localized privacy key ready to encrypt and decrypt: the cipher's key
/// schedule is done once, and each message clones it. `Debug` never shows
/// the key.
#[derive(Clone)]
pub struct PrivKey {
    protocol: PrivProtocol,
    cipher: Cipher,
    /// DES/3DES pre-IV (RFC 3414 §8.1.1.1); unused for AES.
    pre_iv: [u8; 8],
    key: KeyBytes,
}

/// The first `N` octets of `key`, zero-filled if it is shorter (callers
/// check lengths first).
fn prefix<const N: usize>(key: &[u8]) -> [u8; N] {
    let mut out = [0; N];
    for (dst, src) in out.iter_mut().zip(key) {
        *dst = *src;
    }
    out
}

impl PrivKey {
    /// Builds the cipher from `key`, which holds at least `key_len` octets.
    fn with_key(protocol: PrivProtocol, key: &[u8]) -> Self {
        let key = &key[..protocol.key_len().min(key.len())];
        let mut pre_iv = [0; 8];
        let cipher = match protocol {
            PrivProtocol::Des => {
                pre_iv = prefix(key.get(8..).unwrap_or_default());
                Cipher::Des(Des::new(&prefix::<8>(key).into()))
            }
            PrivProtocol::TripleDes => {
                pre_iv = prefix(key.get(24..).unwrap_or_default());
                Cipher::TripleDes(TdesEde3::new(&prefix::<24>(key).into()))
            }
            PrivProtocol::Aes128 => Cipher::Aes128(Aes128Enc::new(&prefix::<16>(key).into())),
            PrivProtocol::Aes192 | PrivProtocol::Aes192Reeder => {
                Cipher::Aes192(Aes192Enc::new(&prefix::<24>(key).into()))
            }
            PrivProtocol::Aes256 | PrivProtocol::Aes256Reeder => {
                Cipher::Aes256(Aes256Enc::new(&prefix::<32>(key).into()))
            }
        };
        Self {
            protocol,
            cipher,
            pre_iv,
            key: KeyBytes::new(key),
        }
    }

    /// The protocol this key encrypts with.
    pub fn protocol(&self) -> PrivProtocol {
        self.protocol
    }

    /// The localized key octets in use ([`PrivProtocol::key_len`] of them),
    /// e.g. to store them for Net-SNMP's `-3K`.
    pub fn as_bytes(&self) -> &[u8] {
        self.key.as_slice()
    }

    /// Encrypts a serialized ScopedPDU, appending the ciphertext to `out`,
    /// and returns the msgPrivacyParameters (8 octets).
    ///
    /// `salt` is a counter the caller increments per message (no randomness
    /// inside). `engine_boots` and `engine_time` are the authoritative
    /// engine's, as sent in the message. (For DES and 3DES the boots only
    /// seed the salt, which travels in the message: RFC 3414 §8.1.1.1 names
    /// the sending engine's boots, Net-SNMP uses its own, and no receiver
    /// checks.)
    ///
    /// * DES, 3DES (RFC 3414 §8.1.1.1, Reeder draft §5.1.1.1.2): the salt
    ///   octets, which are also the privacy parameters, are `engine_boots`
    ///   (4 octets, big-endian) then the low 32 bits of `salt`; the IV is
    ///   the pre-IV XOR those octets. The plaintext is zero-padded to a
    ///   multiple of 8 octets (§8.1.1.2: the pad value is irrelevant).
    /// * AES (RFC 3826 §3.1.2.1): the privacy parameters are `salt`
    ///   (8 octets, big-endian); the IV is boots (4) || time (4) || salt (8).
    ///   CFB-128 needs no padding.
    pub fn encrypt(
        &self,
        plaintext: &[u8],
        engine_boots: u32,
        engine_time: u32,
        salt: u64,
        out: &mut Vec<u8>,
    ) -> [u8; 8] {
        let start = out.len();
        out.extend_from_slice(plaintext);
        match &self.cipher {
            Cipher::Des(c) => des_encrypt(c, &self.pre_iv, engine_boots, salt, out, start),
            Cipher::TripleDes(c) => des_encrypt(c, &self.pre_iv, engine_boots, salt, out, start),
            Cipher::Aes128(c) => aes_encrypt(c, engine_boots, engine_time, salt, &mut out[start..]),
            Cipher::Aes192(c) => aes_encrypt(c, engine_boots, engine_time, salt, &mut out[start..]),
            Cipher::Aes256(c) => aes_encrypt(c, engine_boots, engine_time, salt, &mut out[start..]),
        }
    }

    /// Decrypts an encryptedPDU, appending the plaintext to `out`;
    /// `priv_params` is the message's msgPrivacyParameters and
    /// `engine_boots`/`engine_time` its msgAuthoritativeEngineBoots/Time.
    ///
    /// DES and 3DES output keeps the sender's padding: the ScopedPDU decoder
    /// ignores octets after the ScopedPDU (RFC 3414 §8.3.2, §8.1.1.3).
    /// Errors, never panics, on privacy parameters that are not 8 octets,
    /// an empty ciphertext, or a DES/3DES ciphertext that is not whole
    /// 8-octet blocks; `out` is then left as it was. A wrong key is not
    /// detected here: it yields garbage that the ScopedPDU decoder refuses.
    pub fn decrypt(
        &self,
        ciphertext: &[u8],
        priv_params: &[u8],
        engine_boots: u32,
        engine_time: u32,
        out: &mut Vec<u8>,
    ) -> Result<(), DecryptError> {
        let params: [u8; 8] =
            priv_params
                .try_into()
                .map_err(|_| DecryptError::BadPrivParameters {
                    len: priv_params.len(),
                })?;
        if ciphertext.is_empty() {
            return Err(DecryptError::Empty);
        }
        let is_des = matches!(self.cipher, Cipher::Des(_) | Cipher::TripleDes(_));
        if is_des && !ciphertext.len().is_multiple_of(8) {
            return Err(DecryptError::NotWholeBlocks {
                len: ciphertext.len(),
            });
        }
        let start = out.len();
        out.extend_from_slice(ciphertext);
        let buf = &mut out[start..];
        let iv = xor8(&self.pre_iv, &params);
        match &self.cipher {
            Cipher::Des(c) => cbc_decrypt(c, &iv, buf),
            Cipher::TripleDes(c) => cbc_decrypt(c, &iv, buf),
            Cipher::Aes128(c) => aes_decrypt(c, engine_boots, engine_time, &params, buf),
            Cipher::Aes192(c) => aes_decrypt(c, engine_boots, engine_time, &params, buf),
            Cipher::Aes256(c) => aes_decrypt(c, engine_boots, engine_time, &params, buf),
        }
        Ok(())
    }
}

impl fmt::Debug for PrivKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PrivKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

fn xor8(a: &[u8; 8], b: &[u8; 8]) -> [u8; 8] {
    std::array::from_fn(|i| a[i] ^ b[i])
}

/// RFC 3414 §8.1.1.1: the salt is engineBoots || a 32-bit local integer.
fn des_params(engine_boots: u32, salt: u64) -> [u8; 8] {
    let mut params = [0; 8];
    params[..4].copy_from_slice(&engine_boots.to_be_bytes());
    params[4..].copy_from_slice(&(salt as u32).to_be_bytes());
    params
}

/// Zero-pads `out[start..]` to whole 8-octet blocks, encrypts it in CBC
/// mode and returns the privacy parameters.
fn des_encrypt<C>(
    cipher: &C,
    pre_iv: &[u8; 8],
    engine_boots: u32,
    salt: u64,
    out: &mut Vec<u8>,
    start: usize,
) -> [u8; 8]
where
    C: BlockCipherEncrypt<BlockSize = aes::cipher::consts::U8> + Clone,
{
    let params = des_params(engine_boots, salt);
    let len = out.len() - start;
    out.resize(start + len.div_ceil(8) * 8, 0);
    let iv = xor8(pre_iv, &params);
    let (blocks, _) = aes::cipher::inout::InOutBuf::from(&mut out[start..]).into_chunks();
    cbc::Encryptor::<C>::inner_iv_init(cipher.clone(), &iv.into()).encrypt_blocks_inout(blocks);
    params
}

/// CBC-decrypts `buf` (whole blocks, checked by the caller) in place.
fn cbc_decrypt<C>(cipher: &C, iv: &[u8; 8], buf: &mut [u8])
where
    C: aes::cipher::BlockCipherDecrypt<BlockSize = aes::cipher::consts::U8> + Clone,
{
    let (blocks, _) = aes::cipher::inout::InOutBuf::from(buf).into_chunks();
    cbc::Decryptor::<C>::inner_iv_init(cipher.clone(), &(*iv).into()).decrypt_blocks_inout(blocks);
}

/// RFC 3826 §3.1.2.1: IV = boots || time || salt.
fn aes_iv(engine_boots: u32, engine_time: u32, salt: &[u8; 8]) -> [u8; 16] {
    let mut iv = [0; 16];
    iv[..4].copy_from_slice(&engine_boots.to_be_bytes());
    iv[4..8].copy_from_slice(&engine_time.to_be_bytes());
    iv[8..].copy_from_slice(salt);
    iv
}

fn aes_encrypt<C>(
    cipher: &C,
    engine_boots: u32,
    engine_time: u32,
    salt: u64,
    buf: &mut [u8],
) -> [u8; 8]
where
    C: BlockCipherEncrypt<BlockSize = aes::cipher::consts::U16> + Clone,
{
    let params = salt.to_be_bytes();
    let iv = aes_iv(engine_boots, engine_time, &params);
    cfb_mode::Encryptor::<C>::inner_iv_init(cipher.clone(), &iv.into()).encrypt(buf);
    params
}

fn aes_decrypt<C>(cipher: &C, engine_boots: u32, engine_time: u32, salt: &[u8; 8], buf: &mut [u8])
where
    C: BlockCipherEncrypt<BlockSize = aes::cipher::consts::U16> + Clone,
{
    let iv = aes_iv(engine_boots, engine_time, salt);
    cfb_mode::Decryptor::<C>::inner_iv_init(cipher.clone(), &iv.into()).decrypt(buf);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_oids_and_parsing_agree() {
        for p in PrivProtocol::ALL {
            assert_eq!(PrivProtocol::from_oid(&p.oid()), Some(p));
            assert_eq!(p.name().parse::<PrivProtocol>().unwrap(), p);
            assert_eq!(
                p.to_string()
                    .to_lowercase()
                    .parse::<PrivProtocol>()
                    .unwrap(),
                p
            );
        }
        for (s, p) in [
            ("aes128", PrivProtocol::Aes128),
            ("AES-128", PrivProtocol::Aes128),
            ("Aes192", PrivProtocol::Aes192),
            ("aes256", PrivProtocol::Aes256),
            ("AES192C", PrivProtocol::Aes192Reeder),
            ("aes256c", PrivProtocol::Aes256Reeder),
            ("AES-192-C", PrivProtocol::Aes192Reeder),
            ("aes256-c", PrivProtocol::Aes256Reeder),
            ("3des", PrivProtocol::TripleDes),
        ] {
            assert_eq!(s.parse::<PrivProtocol>().unwrap(), p, "{s}");
        }
        for bad in ["", "AES-512", "DES3", "none"] {
            assert!(bad.parse::<PrivProtocol>().is_err(), "{bad}");
        }
        assert_eq!(
            PrivProtocol::Aes192.oid().to_string(),
            "1.3.6.1.4.1.14832.1.3"
        );
        assert_eq!(
            PrivProtocol::Aes256Reeder.oid().to_string(),
            "1.3.6.1.4.1.9.12.6.1.2"
        );
        assert_eq!(
            PrivProtocol::from_oid(&"1.3.6.1.4.1.9.12.6.1.101".parse().unwrap()),
            Some(PrivProtocol::Aes192Reeder)
        );
        assert_eq!(
            PrivProtocol::from_oid(&"1.3.6.1.4.1.9.12.6.1.102".parse().unwrap()),
            Some(PrivProtocol::Aes256Reeder)
        );
        assert_eq!(
            PrivProtocol::from_oid(&"1.3.6.1.6.3.10.1.2.1".parse().unwrap()),
            None
        );
    }

    #[test]
    fn des_salt_is_boots_then_low_32_bits() {
        assert_eq!(
            des_params(0x0102_0304, 0xaaaa_bbbb_cccc_dddd),
            [1, 2, 3, 4, 0xcc, 0xcc, 0xdd, 0xdd]
        );
        assert_eq!(
            aes_iv(0x0102_0304, 0x0506_0708, &[9, 10, 11, 12, 13, 14, 15, 16]),
            std::array::from_fn::<u8, 16, _>(|i| i as u8 + 1)
        );
    }

    #[test]
    fn from_localized_needs_enough_octets() {
        for p in PrivProtocol::ALL {
            let short = vec![1; p.key_len() - 1];
            assert_eq!(
                p.from_localized(&short).unwrap_err(),
                KeyError::KeyTooShort {
                    protocol: p.name(),
                    expected: p.key_len(),
                    actual: p.key_len() - 1
                }
            );
            let long: Vec<u8> = (0..64).collect();
            let key = p.from_localized(&long).unwrap();
            assert_eq!(key.as_bytes(), &long[..p.key_len()]);
            assert_eq!(key.protocol(), p);
            assert_eq!(
                format!("{key:?}"),
                format!("PrivKey {{ protocol: {p:?}, .. }}")
            );
        }
    }
}
