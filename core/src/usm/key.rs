//! Keys: password to master key (RFC 3414 §A.2), localization (§2.6) and
//! the two key extensions for privacy protocols whose key is longer than the
//! authentication hash (Blumenthal and Reeder drafts).

use std::fmt;

use digest::Digest;
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use thiserror::Error;

use super::auth::AuthProtocol;

/// The shortest password accepted, as Net-SNMP (`USM_LENGTH_P_MIN`) and most
/// agents require.
pub const MIN_PASSWORD_LEN: usize = 8;

/// The longest key any protocol here uses: a SHA-512 digest.
const MAX_KEY_LEN: usize = 64;

/// RFC 3414 §A.2: the password is repeated to fill one megabyte of hash input.
const PASSWORD_STREAM_LEN: usize = 1_048_576;

/// Why a key cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum KeyError {
    /// A password shorter than [`MIN_PASSWORD_LEN`] octets (an empty one included).
    #[error("password has {len} octets; at least 8 are required")]
    PasswordTooShort {
        /// Octets in the password given.
        len: usize,
    },
    /// Key octets of the wrong length for the protocol.
    #[error("a {protocol} key has {expected} octets, not {actual}")]
    WrongKeyLength {
        /// The protocol's name.
        protocol: &'static str,
        /// The length the protocol uses.
        expected: usize,
        /// The length given.
        actual: usize,
    },
    /// A localized privacy key shorter than its protocol needs.
    #[error("a {protocol} key needs at least {expected} octets, not {actual}")]
    KeyTooShort {
        /// The protocol's name.
        protocol: &'static str,
        /// The octets the protocol needs.
        expected: usize,
        /// The length given.
        actual: usize,
    },
}

/// Up to 64 secret octets on the stack, overwritten when dropped.
#[derive(Clone)]
pub(crate) struct KeyBytes {
    bytes: [u8; MAX_KEY_LEN],
    len: usize,
}

impl KeyBytes {
    /// Copies at most 64 octets of `src`.
    pub(crate) fn new(src: &[u8]) -> Self {
        let mut bytes = [0; MAX_KEY_LEN];
        let len = src.len().min(MAX_KEY_LEN);
        bytes[..len].copy_from_slice(&src[..len]);
        Self { bytes, len }
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..self.len]
    }

    /// Appends what fits of `src`.
    fn extend(&mut self, src: &[u8]) {
        let n = src.len().min(MAX_KEY_LEN - self.len);
        self.bytes[self.len..self.len + n].copy_from_slice(&src[..n]);
        self.len += n;
    }

    fn truncate(&mut self, len: usize) {
        if len < self.len {
            self.bytes[len..self.len].fill(0);
            self.len = len;
        }
    }
}

impl Drop for KeyBytes {
    fn drop(&mut self) {
        // Best effort without `unsafe` volatile writes: `black_box` keeps the
        // compiler from proving the store dead.
        self.bytes.fill(0);
        std::hint::black_box(&mut self.bytes);
    }
}

/// A user's master key Ku: the digest of one megabyte of repeated password
/// (RFC 3414 §A.2), the same for every engine. Localize it with
/// [`AuthProtocol::localize`] or [`PrivProtocol::localize`](super::PrivProtocol::localize).
///
/// `Debug` never shows the key.
///
/// ```
/// use oxsnmp_core::usm::AuthProtocol;
/// let ku = AuthProtocol::Md5.password_to_key(b"maplesyrup").unwrap();
/// assert_eq!(ku.as_bytes()[..4], [0x9f, 0xaf, 0x32, 0x83]); // RFC 3414 §A.3.1
/// assert_eq!(format!("{ku:?}"), "MasterKey { protocol: Md5, .. }");
/// ```
#[derive(Clone)]
pub struct MasterKey {
    protocol: AuthProtocol,
    key: KeyBytes,
}

impl MasterKey {
    /// A master key given as octets (Net-SNMP's `-3m`); it must be exactly
    /// [`AuthProtocol::key_len`] long.
    pub fn from_bytes(protocol: AuthProtocol, bytes: &[u8]) -> Result<Self, KeyError> {
        check_len(protocol, bytes)?;
        Ok(Self {
            protocol,
            key: KeyBytes::new(bytes),
        })
    }

    /// The hash this key was made with.
    pub fn protocol(&self) -> AuthProtocol {
        self.protocol
    }

    /// The key octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.key.as_slice()
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MasterKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

/// A localized key Kul = H(Ku || engineID || Ku), shared by one user and one
/// authoritative engine (RFC 3414 §2.6). Make an [`AuthKey`](super::AuthKey)
/// of it to sign and verify.
///
/// `Debug` never shows the key.
#[derive(Clone)]
pub struct LocalizedKey {
    protocol: AuthProtocol,
    key: KeyBytes,
}

impl LocalizedKey {
    /// A localized key given as octets (Net-SNMP's `-3k`); it must be exactly
    /// [`AuthProtocol::key_len`] long.
    pub fn from_bytes(protocol: AuthProtocol, bytes: &[u8]) -> Result<Self, KeyError> {
        check_len(protocol, bytes)?;
        Ok(Self {
            protocol,
            key: KeyBytes::new(bytes),
        })
    }

    /// The hash this key was made with.
    pub fn protocol(&self) -> AuthProtocol {
        self.protocol
    }

    /// The key octets.
    pub fn as_bytes(&self) -> &[u8] {
        self.key.as_slice()
    }
}

impl fmt::Debug for LocalizedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LocalizedKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

fn check_len(protocol: AuthProtocol, bytes: &[u8]) -> Result<(), KeyError> {
    if bytes.len() == protocol.key_len() {
        Ok(())
    } else {
        Err(KeyError::WrongKeyLength {
            protocol: protocol.name(),
            expected: protocol.key_len(),
            actual: bytes.len(),
        })
    }
}

/// RFC 3414 §A.2 with the length check peers apply.
pub(crate) fn password_to_key(
    protocol: AuthProtocol,
    password: &[u8],
) -> Result<MasterKey, KeyError> {
    if password.len() < MIN_PASSWORD_LEN {
        return Err(KeyError::PasswordTooShort {
            len: password.len(),
        });
    }
    Ok(MasterKey {
        protocol,
        key: hash_password(protocol, password),
    })
}

/// The §A.2 digest of any non-empty input (the Reeder extension feeds it a
/// localized key); empty input gives the digest of nothing.
fn hash_password(protocol: AuthProtocol, password: &[u8]) -> KeyBytes {
    match protocol {
        AuthProtocol::Md5 => hash_password_with::<Md5>(password),
        AuthProtocol::Sha1 => hash_password_with::<Sha1>(password),
        AuthProtocol::Sha224 => hash_password_with::<Sha224>(password),
        AuthProtocol::Sha256 => hash_password_with::<Sha256>(password),
        AuthProtocol::Sha384 => hash_password_with::<Sha384>(password),
        AuthProtocol::Sha512 => hash_password_with::<Sha512>(password),
    }
}

/// Hashes the first megabyte of `password` repeated without end. The stream
/// is fed in chunks of a whole number of passwords (about 4 KiB), so every
/// chunk starts where the password starts.
fn hash_password_with<D: Digest>(password: &[u8]) -> KeyBytes {
    let mut hasher = D::new();
    if password.is_empty() {
        return KeyBytes::new(&hasher.finalize());
    }
    let repeats = 4096_usize.div_ceil(password.len());
    let chunk: Vec<u8> = password.repeat(repeats);
    let mut left = PASSWORD_STREAM_LEN;
    while left > 0 {
        let n = left.min(chunk.len());
        hasher.update(&chunk[..n]);
        left -= n;
    }
    let mut chunk = chunk;
    chunk.fill(0);
    std::hint::black_box(&mut chunk);
    KeyBytes::new(&hasher.finalize())
}

/// H(parts[0] || parts[1] || ...) with the protocol's hash.
fn digest_of(protocol: AuthProtocol, parts: &[&[u8]]) -> KeyBytes {
    fn with<D: Digest>(parts: &[&[u8]]) -> KeyBytes {
        let mut hasher = D::new();
        for part in parts {
            hasher.update(part);
        }
        KeyBytes::new(&hasher.finalize())
    }
    match protocol {
        AuthProtocol::Md5 => with::<Md5>(parts),
        AuthProtocol::Sha1 => with::<Sha1>(parts),
        AuthProtocol::Sha224 => with::<Sha224>(parts),
        AuthProtocol::Sha256 => with::<Sha256>(parts),
        AuthProtocol::Sha384 => with::<Sha384>(parts),
        AuthProtocol::Sha512 => with::<Sha512>(parts),
    }
}

/// RFC 3414 §2.6: Kul = H(Ku || engineID || Ku).
pub(crate) fn localize(protocol: AuthProtocol, ku: &[u8], engine_id: &[u8]) -> LocalizedKey {
    LocalizedKey {
        protocol,
        key: digest_of(protocol, &[ku, engine_id, ku]),
    }
}

/// How a localized key shorter than a cipher needs is lengthened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Extension {
    /// draft-blumenthal-aes-usm-04 §3.1.2.1: Kul = Kul || H(Kul), repeated on
    /// the growing key.
    Blumenthal,
    /// draft-reeder-snmpv3-usm-3desede-00 §2.1: the password-to-key algorithm
    /// chained on its own output, Kul = Kul || localize(P2K(Kul), engineID).
    Reeder,
}

/// `kul` lengthened to at least `needed` octets (then cut to exactly
/// `needed`), or cut to `needed` when it is already long enough.
///
/// Reeder's draft feeds the previous block (K1, then K2, ...) into the next
/// round; PySNMP and Net-SNMP feed the whole key so far. Both agree on the
/// first round, the only one ever needed here: no cipher needs more than 32
/// octets and no hash gives fewer than 16. We follow the peers.
pub(crate) fn extend(
    protocol: AuthProtocol,
    kul: &[u8],
    engine_id: &[u8],
    needed: usize,
    extension: Extension,
) -> KeyBytes {
    let mut key = KeyBytes::new(kul);
    while key.len < needed {
        let next = match extension {
            Extension::Blumenthal => digest_of(protocol, &[key.as_slice()]),
            Extension::Reeder => {
                let ku = hash_password(protocol, key.as_slice());
                digest_of(protocol, &[ku.as_slice(), engine_id, ku.as_slice()])
            }
        };
        key.extend(next.as_slice());
    }
    key.truncate(needed);
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    const ENGINE_ID: [u8; 12] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2];

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.split_whitespace().collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn rfc3414_a3_1_md5() {
        let ku = AuthProtocol::Md5.password_to_key(b"maplesyrup").unwrap();
        assert_eq!(
            ku.as_bytes(),
            hex("9f af 32 83 88 4e 92 83 4e bc 98 47 d8 ed d9 63")
        );
        let kul = AuthProtocol::Md5.localize(&ku, &ENGINE_ID);
        assert_eq!(
            kul.as_bytes(),
            hex("52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b")
        );
    }

    #[test]
    fn rfc3414_a3_2_sha() {
        let ku = AuthProtocol::Sha1.password_to_key(b"maplesyrup").unwrap();
        assert_eq!(
            ku.as_bytes(),
            hex("9f b5 cc 03 81 49 7b 37 93 52 89 39 ff 78 8d 5d 79 14 52 11")
        );
        let kul = AuthProtocol::Sha1.localize(&ku, &ENGINE_ID);
        assert_eq!(
            kul.as_bytes(),
            hex("66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f")
        );
    }

    /// The stream must wrap the password mid-chunk exactly as §A.2's
    /// 64-octet loop does, whatever the password length.
    #[test]
    fn chunked_stream_equals_the_rfc_loop() {
        for len in [8, 9, 63, 64, 65, 100, 4095, 4096, 4097, 5000] {
            let password: Vec<u8> = (0..len).map(|i| (i * 31 + 7) as u8).collect();
            let mut hasher = Md5::new();
            let mut index = 0;
            for _ in 0..PASSWORD_STREAM_LEN / 64 {
                let block: Vec<u8> = (0..64)
                    .map(|_| {
                        let b = password[index % len];
                        index += 1;
                        b
                    })
                    .collect();
                hasher.update(&block);
            }
            let expected = hasher.finalize();
            let ku = AuthProtocol::Md5.password_to_key(&password).unwrap();
            assert_eq!(ku.as_bytes(), &expected[..], "password length {len}");
        }
    }

    #[test]
    fn longer_than_a_megabyte_password_uses_its_first_megabyte() {
        let mut password = vec![b'a'; PASSWORD_STREAM_LEN];
        let short = AuthProtocol::Sha1.password_to_key(&password).unwrap();
        password.extend_from_slice(b"ignored");
        let long = AuthProtocol::Sha1.password_to_key(&password).unwrap();
        assert_eq!(short.as_bytes(), long.as_bytes());
    }

    #[test]
    fn short_passwords_are_refused() {
        for password in [&b""[..], b"a", b"1234567"] {
            assert_eq!(
                AuthProtocol::Sha256.password_to_key(password).unwrap_err(),
                KeyError::PasswordTooShort {
                    len: password.len()
                }
            );
        }
        assert!(AuthProtocol::Sha256.password_to_key(b"12345678").is_ok());
    }

    /// draft-blumenthal-aes-usm-04 Appendix A.1: "maplesyrup", SHA, extended to 256 bits.
    #[test]
    fn blumenthal_draft_a1() {
        let ku = AuthProtocol::Sha1.password_to_key(b"maplesyrup").unwrap();
        let kul = AuthProtocol::Sha1.localize(&ku, &ENGINE_ID);
        let key = extend(
            AuthProtocol::Sha1,
            kul.as_bytes(),
            &ENGINE_ID,
            32,
            Extension::Blumenthal,
        );
        assert_eq!(
            key.as_slice(),
            hex("6695febc 9288e362 82235fc7 151f1284 97b38f3f 505e07eb 9af25568 fa1f5dbe")
        );
    }

    /// draft-reeder-snmpv3-usm-3desede-00 Appendix B.1 (MD5, 32 octets) and
    /// B.2 (SHA, 40 octets: the draft shows two whole rounds).
    #[test]
    fn reeder_draft_b1_b2() {
        let ku = AuthProtocol::Md5.password_to_key(b"maplesyrup").unwrap();
        let kul = AuthProtocol::Md5.localize(&ku, &ENGINE_ID);
        let key = extend(
            AuthProtocol::Md5,
            kul.as_bytes(),
            &ENGINE_ID,
            32,
            Extension::Reeder,
        );
        assert_eq!(
            key.as_slice(),
            hex("52 6f 5e ed 9f cc e2 6f 89 64 c2 93 07 87 d8 2b
                 79 ef f4 4a 90 65 0e e0 a3 a4 0a bf ac 5a cc 12")
        );
        let ku = AuthProtocol::Sha1.password_to_key(b"maplesyrup").unwrap();
        let kul = AuthProtocol::Sha1.localize(&ku, &ENGINE_ID);
        let key = extend(
            AuthProtocol::Sha1,
            kul.as_bytes(),
            &ENGINE_ID,
            40,
            Extension::Reeder,
        );
        assert_eq!(
            key.as_slice(),
            hex("66 95 fe bc 92 88 e3 62 82 23 5f c7 15 1f 12 84 97 b3 8f 3f
                 9b 8b 6d 78 93 6b a6 e7 d1 9d fd 9c d2 d5 06 55 47 74 3f b5")
        );
    }

    #[test]
    fn no_extension_just_truncates() {
        let kul = [7u8; 64];
        for ext in [Extension::Blumenthal, Extension::Reeder] {
            let key = extend(AuthProtocol::Sha512, &kul, &ENGINE_ID, 32, ext);
            assert_eq!(key.as_slice(), &kul[..32]);
        }
    }

    #[test]
    fn from_bytes_checks_the_length() {
        assert!(MasterKey::from_bytes(AuthProtocol::Md5, &[1; 16]).is_ok());
        assert_eq!(
            LocalizedKey::from_bytes(AuthProtocol::Sha1, &[1; 16]).unwrap_err(),
            KeyError::WrongKeyLength {
                protocol: "SHA",
                expected: 20,
                actual: 16
            }
        );
        let key = LocalizedKey::from_bytes(AuthProtocol::Sha512, &[9; 64]).unwrap();
        assert_eq!(key.as_bytes(), &[9; 64]);
        assert_eq!(key.protocol(), AuthProtocol::Sha512);
    }

    #[test]
    fn debug_hides_the_key() {
        let key = LocalizedKey::from_bytes(AuthProtocol::Md5, &[0xab; 16]).unwrap();
        let shown = format!(
            "{key:?} {:?}",
            MasterKey::from_bytes(AuthProtocol::Md5, &[0xab; 16]).unwrap()
        );
        assert!(!shown.contains("ab") && !shown.contains("171"), "{shown}");
    }
}
