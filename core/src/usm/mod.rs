//! The User-based Security Model's cryptography (RFC 3414), as pure
//! functions over caller-owned buffers: no I/O, no clock, no randomness.
//!
//! * Keys ([`MasterKey`], [`LocalizedKey`]): a password becomes a master key Ku
//!   ([`AuthProtocol::password_to_key`], RFC 3414 §A.2), which is localized
//!   to one authoritative engine ([`AuthProtocol::localize`], §2.6).
//! * Authentication ([`AuthProtocol`], [`AuthKey`]): HMAC-MD5-96 and
//!   HMAC-SHA-96 (RFC 3414 §6, §7) and HMAC-SHA-2 (RFC 7860), signing a
//!   whole message in place and verifying it without copying it.
//! * Privacy ([`PrivProtocol`], [`PrivKey`]): CBC-DES (RFC 3414 §8),
//!   3DES-EDE (Reeder draft), CFB-AES-128 (RFC 3826) and CFB-AES-192/256
//!   (Blumenthal draft) with the Blumenthal or Reeder key extension.
//!
//! Key derivation is slow on purpose (a megabyte of hashing); do it once per
//! user and engine. [`AuthKey`] and [`PrivKey`] hold the keyed HMAC state
//! and the cipher's key schedule, so a message pays only for its own octets.
//!
//! ```
//! use oxsnmp_core::usm::{AuthKey, AuthProtocol, PrivProtocol};
//!
//! let engine_id = [0x80, 0x00, 0x1f, 0x88, 0x80, 0x01, 0x02, 0x03, 0x04];
//! let auth = AuthProtocol::Sha256;
//! let auth_key = AuthKey::new(auth, &auth.localize(&auth.password_to_key(b"auth-password")?, &engine_id));
//! let priv_key = PrivProtocol::Aes128.localize(auth, &auth.password_to_key(b"priv-password")?, &engine_id);
//!
//! // Encrypt a ScopedPDU; the caller builds the message around it.
//! let mut encrypted = Vec::new();
//! let priv_params = priv_key.encrypt(b"\x30\x03\x04\x01\x00", 3, 1000, 1, &mut encrypted);
//! assert_eq!(priv_params, 1u64.to_be_bytes());
//!
//! // Sign the serialized message: the MAC goes where the caller left room.
//! let mut message = vec![0x30; 64];
//! let mac_offset = 20;
//! assert!(auth_key.sign_in_place(&mut message, mac_offset));
//! assert!(auth_key.verify(&message, mac_offset));
//! # Ok::<(), oxsnmp_core::usm::KeyError>(())
//! ```

mod auth;
pub(crate) mod authoritative;
mod create_user;
mod key;
mod privacy;
mod user;
mod wire;

pub use auth::{AuthKey, AuthProtocol, UnknownAuthProtocol};
pub use create_user::{parse_create_user, CreateUser};
pub use key::{KeyError, LocalizedKey, MasterKey, MIN_PASSWORD_LEN};
pub use privacy::{DecryptError, PrivKey, PrivProtocol, UnknownPrivProtocol};
pub use user::{Secret, UserError, UserKeys, UsmUser};
pub use wire::{authenticate, ciphertext_len, decrypt, Outgoing, OutgoingError};
