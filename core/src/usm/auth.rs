//! Authentication protocols: HMAC-MD5-96 and HMAC-SHA-96 (RFC 3414 §6, §7)
//! and HMAC-SHA-2 (RFC 7860), and the keyed state that signs and verifies.

use std::fmt;
use std::str::FromStr;

use hmac::{Hmac, KeyInit, Mac};
use md5::Md5;
use sha1::Sha1;
use sha2::{Sha224, Sha256, Sha384, Sha512};
use thiserror::Error;

use super::key::{self, KeyError, LocalizedKey, MasterKey};
use crate::Oid;

/// Authentication protocols (RFC 3414 §6/§7, RFC 7860).
///
/// ```
/// use oxsnmp_core::usm::AuthProtocol;
/// let proto: AuthProtocol = "sha-256".parse().unwrap();
/// assert_eq!(proto, AuthProtocol::Sha256);
/// assert_eq!(proto.to_string(), "SHA-256");
/// assert_eq!(proto.oid().to_string(), "1.3.6.1.6.3.10.1.1.5");
/// assert_eq!((proto.key_len(), proto.mac_len()), (32, 24));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AuthProtocol {
    /// usmHMACMD5AuthProtocol, HMAC-MD5-96 (RFC 3414 §6).
    Md5,
    /// usmHMACSHAAuthProtocol, HMAC-SHA-96 (RFC 3414 §7).
    Sha1,
    /// usmHMAC128SHA224AuthProtocol (RFC 7860).
    Sha224,
    /// usmHMAC192SHA256AuthProtocol (RFC 7860).
    Sha256,
    /// usmHMAC256SHA384AuthProtocol (RFC 7860).
    Sha384,
    /// usmHMAC384SHA512AuthProtocol (RFC 7860).
    Sha512,
}

const OID_MD5: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 2]);
const OID_SHA1: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 3]);
const OID_SHA224: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 4]);
const OID_SHA256: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 5]);
const OID_SHA384: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 6]);
const OID_SHA512: Oid = Oid::from_static(&[1, 3, 6, 1, 6, 3, 10, 1, 1, 7]);

/// The longest truncated MAC (HMAC-SHA-512's 48 octets).
const MAX_MAC_LEN: usize = 48;

impl AuthProtocol {
    /// Every protocol, weakest hash first.
    pub const ALL: [AuthProtocol; 6] = [
        AuthProtocol::Md5,
        AuthProtocol::Sha1,
        AuthProtocol::Sha224,
        AuthProtocol::Sha256,
        AuthProtocol::Sha384,
        AuthProtocol::Sha512,
    ];

    /// The protocol's OBJECT IDENTIFIER (`usmUserAuthProtocol` values).
    pub fn oid(self) -> Oid {
        match self {
            AuthProtocol::Md5 => OID_MD5,
            AuthProtocol::Sha1 => OID_SHA1,
            AuthProtocol::Sha224 => OID_SHA224,
            AuthProtocol::Sha256 => OID_SHA256,
            AuthProtocol::Sha384 => OID_SHA384,
            AuthProtocol::Sha512 => OID_SHA512,
        }
    }

    /// The protocol an OBJECT IDENTIFIER names, if it is one of these.
    pub fn from_oid(oid: &Oid) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.oid() == *oid)
    }

    /// Octets of the hash output, which is also the length of master and
    /// localized keys: 16, 20, 28, 32, 48, 64.
    pub fn key_len(self) -> usize {
        match self {
            AuthProtocol::Md5 => 16,
            AuthProtocol::Sha1 => 20,
            AuthProtocol::Sha224 => 28,
            AuthProtocol::Sha256 => 32,
            AuthProtocol::Sha384 => 48,
            AuthProtocol::Sha512 => 64,
        }
    }

    /// Octets of the truncated MAC carried in msgAuthenticationParameters:
    /// 12, 12, 16, 24, 32, 48.
    pub fn mac_len(self) -> usize {
        match self {
            AuthProtocol::Md5 | AuthProtocol::Sha1 => 12,
            AuthProtocol::Sha224 => 16,
            AuthProtocol::Sha256 => 24,
            AuthProtocol::Sha384 => 32,
            AuthProtocol::Sha512 => 48,
        }
    }

    /// Net-SNMP's spelling: "MD5", "SHA", "SHA-224", "SHA-256", "SHA-384", "SHA-512".
    pub fn name(self) -> &'static str {
        match self {
            AuthProtocol::Md5 => "MD5",
            AuthProtocol::Sha1 => "SHA",
            AuthProtocol::Sha224 => "SHA-224",
            AuthProtocol::Sha256 => "SHA-256",
            AuthProtocol::Sha384 => "SHA-384",
            AuthProtocol::Sha512 => "SHA-512",
        }
    }

    /// The master key Ku of a password: the protocol's hash over one megabyte
    /// of the password repeated (RFC 3414 §A.2; RFC 7860 §9.3 for SHA-2).
    /// It takes a few milliseconds: derive once per user, not per message.
    ///
    /// Passwords shorter than 8 octets are refused, as Net-SNMP does.
    pub fn password_to_key(self, password: &[u8]) -> Result<MasterKey, KeyError> {
        key::password_to_key(self, password)
    }

    /// The key localized to one authoritative engine: H(Ku || engineID || Ku)
    /// (RFC 3414 §2.6). `master` should come from this protocol; it is
    /// hashed with this protocol's hash whatever made it.
    ///
    /// ```
    /// use oxsnmp_core::usm::AuthProtocol;
    /// let ku = AuthProtocol::Sha1.password_to_key(b"maplesyrup").unwrap();
    /// let kul = AuthProtocol::Sha1.localize(&ku, &[0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    /// assert_eq!(kul.as_bytes()[..4], [0x66, 0x95, 0xfe, 0xbc]); // RFC 3414 §A.3.2
    /// ```
    pub fn localize(self, master: &MasterKey, engine_id: &[u8]) -> LocalizedKey {
        key::localize(self, master.as_bytes(), engine_id)
    }
}

impl fmt::Display for AuthProtocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A string that names no authentication protocol.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("unknown authentication protocol {0:?} (expected MD5, SHA, SHA-224, SHA-256, SHA-384 or SHA-512)")]
pub struct UnknownAuthProtocol(pub String);

impl FromStr for AuthProtocol {
    type Err = UnknownAuthProtocol;

    /// Net-SNMP's `-a` spellings, case-insensitive: MD5, SHA (SHA1, SHA-1),
    /// SHA-224 (SHA224), SHA-256, SHA-384, SHA-512.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let protocol = match s.to_ascii_uppercase().as_str() {
            "MD5" => AuthProtocol::Md5,
            "SHA" | "SHA1" | "SHA-1" => AuthProtocol::Sha1,
            "SHA224" | "SHA-224" => AuthProtocol::Sha224,
            "SHA256" | "SHA-256" => AuthProtocol::Sha256,
            "SHA384" | "SHA-384" => AuthProtocol::Sha384,
            "SHA512" | "SHA-512" => AuthProtocol::Sha512,
            _ => return Err(UnknownAuthProtocol(s.to_owned())),
        };
        Ok(protocol)
    }
}

/// The HMAC state after the key schedule (inner and outer pads hashed).
#[derive(Clone)]
enum Keyed {
    Md5(Hmac<Md5>),
    Sha1(Hmac<Sha1>),
    Sha224(Hmac<Sha224>),
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

/// A localized authentication key ready to sign and verify.
///
/// It holds the HMAC state already keyed (RFC 3414 §6.3.1 step 2: the key's
/// inner and outer pads hashed), so a message costs a clone of that state
/// and the hashing of the message itself. `Debug` never shows the key.
///
/// ```
/// use oxsnmp_core::usm::{AuthKey, AuthProtocol};
/// let ku = AuthProtocol::Sha256.password_to_key(b"maplesyrup").unwrap();
/// let key = AuthKey::new(AuthProtocol::Sha256, &AuthProtocol::Sha256.localize(&ku, b"engine"));
/// let mut message = vec![0x30; 80];
/// message[20..44].fill(0); // the msgAuthenticationParameters placeholder
/// assert!(key.sign_in_place(&mut message, 20));
/// assert!(key.verify(&message, 20));
/// message[70] ^= 1;
/// assert!(!key.verify(&message, 20));
/// ```
#[derive(Clone)]
pub struct AuthKey {
    protocol: AuthProtocol,
    keyed: Keyed,
}

/// HMAC keyed with `key`, zero-extended to the hash's block (§6.3.1 step 2a).
/// Keys here are at most 64 octets, never longer than a block (64 or 128).
fn keyed<D>(key: &[u8]) -> Hmac<D>
where
    D: hmac::EagerHash,
    Hmac<D>: KeyInit,
{
    let mut block = hmac::digest::Key::<Hmac<D>>::default();
    for (dst, src) in block.iter_mut().zip(key) {
        *dst = *src;
    }
    <Hmac<D> as KeyInit>::new(&block)
}

impl AuthKey {
    /// Keys the HMAC once. `key` should be localized with `protocol`.
    pub fn new(protocol: AuthProtocol, key: &LocalizedKey) -> Self {
        let key = key.as_bytes();
        let keyed = match protocol {
            AuthProtocol::Md5 => Keyed::Md5(keyed(key)),
            AuthProtocol::Sha1 => Keyed::Sha1(keyed(key)),
            AuthProtocol::Sha224 => Keyed::Sha224(keyed(key)),
            AuthProtocol::Sha256 => Keyed::Sha256(keyed(key)),
            AuthProtocol::Sha384 => Keyed::Sha384(keyed(key)),
            AuthProtocol::Sha512 => Keyed::Sha512(keyed(key)),
        };
        Self { protocol, keyed }
    }

    /// The protocol this key signs with.
    pub fn protocol(&self) -> AuthProtocol {
        self.protocol
    }

    /// Octets of the MAC: [`AuthProtocol::mac_len`].
    pub fn mac_len(&self) -> usize {
        self.protocol.mac_len()
    }

    /// Writes the truncated HMAC of `message` into
    /// `message[offset..offset + mac_len]` (RFC 3414 §6.3.1, §7.3.1; RFC 7860
    /// §4.2.1). The MAC is computed with that range taken as zeros, whatever
    /// it holds, so the caller need not clear it first. Returns false, and
    /// writes nothing, if the range is out of bounds.
    pub fn sign_in_place(&self, message: &mut [u8], offset: usize) -> bool {
        let mac_len = self.mac_len();
        let Some((before, after)) = split_around(message, offset, mac_len) else {
            return false;
        };
        let full = self.with_zeroed_range(before, mac_len, after, AnyMac::finalize);
        // `split_around` checked offset + mac_len <= message.len().
        message[offset..offset + mac_len].copy_from_slice(&full[..mac_len]);
        true
    }

    /// Whether `message[offset..offset + mac_len]` holds the MAC of
    /// `message` with that range taken as zeros (RFC 3414 §6.3.2, §7.3.2).
    ///
    /// The message is not copied: the HMAC is fed the octets before the
    /// MAC, `mac_len` zeros from a constant, and the octets after, and
    /// nothing is allocated. The comparison takes constant time. An
    /// out-of-bounds range gives false.
    pub fn verify(&self, message: &[u8], offset: usize) -> bool {
        let mac_len = self.mac_len();
        let Some((before, after)) = split_around(message, offset, mac_len) else {
            return false;
        };
        let received = &message[offset..offset + mac_len];
        self.with_zeroed_range(before, mac_len, after, |mac| mac.verify_left(received))
    }

    /// Runs `finish` on a fresh copy of the keyed state fed
    /// `before || zeros(mac_len) || after`.
    fn with_zeroed_range<R>(
        &self,
        before: &[u8],
        mac_len: usize,
        after: &[u8],
        finish: impl FnOnce(AnyMac) -> R,
    ) -> R {
        const ZEROS: [u8; MAX_MAC_LEN] = [0; MAX_MAC_LEN];
        let zeros = &ZEROS[..mac_len.min(MAX_MAC_LEN)];
        macro_rules! run {
            ($state:expr, $variant:ident) => {{
                let mut mac = $state.clone();
                mac.update(before);
                mac.update(zeros);
                mac.update(after);
                finish(AnyMac::$variant(mac))
            }};
        }
        match &self.keyed {
            Keyed::Md5(s) => run!(s, Md5),
            Keyed::Sha1(s) => run!(s, Sha1),
            Keyed::Sha224(s) => run!(s, Sha224),
            Keyed::Sha256(s) => run!(s, Sha256),
            Keyed::Sha384(s) => run!(s, Sha384),
            Keyed::Sha512(s) => run!(s, Sha512),
        }
    }
}

/// One message's HMAC after the message was fed.
enum AnyMac {
    Md5(Hmac<Md5>),
    Sha1(Hmac<Sha1>),
    Sha224(Hmac<Sha224>),
    Sha256(Hmac<Sha256>),
    Sha384(Hmac<Sha384>),
    Sha512(Hmac<Sha512>),
}

impl AnyMac {
    /// The untruncated HMAC, zero-extended to 64 octets, on the stack.
    fn finalize(self) -> [u8; 64] {
        fn copy(src: &[u8]) -> [u8; 64] {
            let mut out = [0; 64];
            for (dst, s) in out.iter_mut().zip(src) {
                *dst = *s;
            }
            out
        }
        match self {
            AnyMac::Md5(m) => copy(&m.finalize().into_bytes()),
            AnyMac::Sha1(m) => copy(&m.finalize().into_bytes()),
            AnyMac::Sha224(m) => copy(&m.finalize().into_bytes()),
            AnyMac::Sha256(m) => copy(&m.finalize().into_bytes()),
            AnyMac::Sha384(m) => copy(&m.finalize().into_bytes()),
            AnyMac::Sha512(m) => copy(&m.finalize().into_bytes()),
        }
    }

    /// Constant-time comparison of `tag` with the leftmost octets of the HMAC.
    fn verify_left(self, tag: &[u8]) -> bool {
        match self {
            AnyMac::Md5(m) => m.verify_truncated_left(tag).is_ok(),
            AnyMac::Sha1(m) => m.verify_truncated_left(tag).is_ok(),
            AnyMac::Sha224(m) => m.verify_truncated_left(tag).is_ok(),
            AnyMac::Sha256(m) => m.verify_truncated_left(tag).is_ok(),
            AnyMac::Sha384(m) => m.verify_truncated_left(tag).is_ok(),
            AnyMac::Sha512(m) => m.verify_truncated_left(tag).is_ok(),
        }
    }
}

/// `message[..offset]` and `message[offset + len..]`, if that range fits.
fn split_around(message: &[u8], offset: usize, len: usize) -> Option<(&[u8], &[u8])> {
    let end = offset.checked_add(len)?;
    let before = message.get(..offset)?;
    let after = message.get(end..)?;
    Some((before, after))
}

impl fmt::Debug for AuthKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthKey")
            .field("protocol", &self.protocol)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_oids_and_parsing_agree() {
        for p in AuthProtocol::ALL {
            assert_eq!(AuthProtocol::from_oid(&p.oid()), Some(p));
            assert_eq!(p.name().parse::<AuthProtocol>().unwrap(), p);
            assert_eq!(
                p.to_string()
                    .to_lowercase()
                    .parse::<AuthProtocol>()
                    .unwrap(),
                p
            );
            assert!(p.mac_len() < p.key_len());
        }
        assert_eq!("sha1".parse::<AuthProtocol>().unwrap(), AuthProtocol::Sha1);
        assert_eq!("Sha-1".parse::<AuthProtocol>().unwrap(), AuthProtocol::Sha1);
        assert_eq!(
            "SHA512".parse::<AuthProtocol>().unwrap(),
            AuthProtocol::Sha512
        );
        assert!("SHA-3".parse::<AuthProtocol>().is_err());
        assert!("".parse::<AuthProtocol>().is_err());
        assert_eq!(
            AuthProtocol::from_oid(&"1.3.6.1.6.3.10.1.1.1".parse().unwrap()),
            None,
            "usmNoAuthProtocol is not an authentication protocol"
        );
        assert_eq!(AuthProtocol::Md5.oid().to_string(), "1.3.6.1.6.3.10.1.1.2");
    }

    fn unhex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    /// RFC 2202 test case 2 ("Jefe"): the keyed state is plain HMAC, since
    /// zero-extending a key to the block size does not change HMAC.
    #[test]
    fn keyed_state_is_rfc2202_hmac() {
        let data = b"what do ya want for nothing?";
        let mut md5 = keyed::<Md5>(b"Jefe");
        md5.update(data);
        assert_eq!(
            md5.finalize().into_bytes()[..],
            unhex("750c783e6ab0b503eaa86e310a5db738")
        );
        let mut sha1 = keyed::<Sha1>(b"Jefe");
        sha1.update(data);
        assert_eq!(
            sha1.finalize().into_bytes()[..],
            unhex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79")
        );
    }

    /// The MAC written is the leftmost mac_len octets of the HMAC over the
    /// message with zeros in the MAC's place, whatever the place held.
    #[test]
    fn sign_covers_zeros_in_the_mac_place() {
        for proto in AuthProtocol::ALL {
            let k: Vec<u8> = (0..proto.key_len() as u8).collect();
            let key = AuthKey::new(proto, &LocalizedKey::from_bytes(proto, &k).unwrap());
            let n = proto.mac_len();
            let mut zeroed = vec![0x5a; 10 + n + 7];
            zeroed[10..10 + n].fill(0);
            let mut dirty = zeroed.clone();
            dirty[10..10 + n].fill(0xee);
            // HMAC over the contiguous message, zeros in place, no split.
            let full = key.with_zeroed_range(&zeroed, 0, &[], AnyMac::finalize);
            assert!(key.sign_in_place(&mut zeroed, 10));
            assert!(key.sign_in_place(&mut dirty, 10));
            assert_eq!(zeroed, dirty, "{proto}");
            assert_eq!(zeroed[10..10 + n], full[..n], "{proto}");
        }
    }

    #[test]
    fn out_of_range_is_refused() {
        let key = AuthKey::new(
            AuthProtocol::Md5,
            &LocalizedKey::from_bytes(AuthProtocol::Md5, &[1; 16]).unwrap(),
        );
        let mut message = [0u8; 20];
        assert!(!key.sign_in_place(&mut message, 9));
        assert_eq!(message, [0; 20], "nothing written");
        assert!(key.sign_in_place(&mut message, 8));
        assert!(key.verify(&message, 8));
        assert!(!key.verify(&message, 9));
        assert!(!key.verify(&message, usize::MAX));
        assert!(!key.verify(&[], 0));
    }
}
