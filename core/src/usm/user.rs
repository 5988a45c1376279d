//! USM users (RFC 3414 §2.1): a name, the protocols and the secrets, and
//! the per-engine keys derived from them.

use std::fmt;

use super::{AuthKey, AuthProtocol, KeyError, LocalizedKey, MasterKey, PrivKey, PrivProtocol};
use crate::v3::{SecurityLevel, MAX_USER_NAME_LEN};

/// How a secret is given: a password, a master key Ku (Net-SNMP's `-3m`,
/// `-3x`), or a key already localized to one engine (`-3k`, `-3K`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Secret<'a> {
    /// A password (RFC 3414 §A.2 turns it into Ku; 8 octets or more).
    Password(&'a [u8]),
    /// A master key Ku of the auth protocol's hash length.
    MasterKey(&'a [u8]),
    /// A key localized to the engine the user talks to.
    LocalizedKey(&'a [u8]),
}

impl fmt::Debug for Secret<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Secret::Password(_) => "Password(..)",
            Secret::MasterKey(_) => "MasterKey(..)",
            Secret::LocalizedKey(_) => "LocalizedKey(..)",
        })
    }
}

/// Why a user cannot be configured.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum UserError {
    /// A key or password problem.
    #[error("{0}")]
    Key(#[from] KeyError),
    /// Privacy was configured without authentication (RFC 3414 §3.1 step 2).
    #[error("a privacy protocol needs an authentication protocol")]
    PrivacyWithoutAuth,
    /// A user name longer than 32 octets (RFC 3414 §2.4).
    #[error("user name longer than 32 octets")]
    NameTooLong,
}

#[derive(Clone)]
enum AuthSecret {
    Master(MasterKey),
    Localized(LocalizedKey),
}

#[derive(Clone)]
enum PrivSecret {
    Master(MasterKey),
    Localized(Box<PrivKey>),
}

/// The protocols and key octets of a user, for comparisons.
type SecretOctets<'a> = (
    Option<(AuthProtocol, &'a [u8])>,
    Option<(PrivProtocol, &'a [u8])>,
);

/// A USM user: its name, authentication and privacy protocols and secrets.
///
/// Passwords are turned into master keys once, when the user is built (a
/// megabyte of hashing each); [`UsmUser::keys_for`] then localizes them to
/// an engine cheaply. `Debug` never shows a secret.
///
/// ```
/// use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
/// use oxsnmp_core::v3::SecurityLevel;
/// let user = UsmUser::new("ops")?
///     .with_auth(AuthProtocol::Sha256, Secret::Password(b"auth-secret"))?
///     .with_privacy(PrivProtocol::Aes128, Secret::Password(b"priv-secret"))?;
/// assert_eq!(user.max_level(), SecurityLevel::AuthPriv);
/// let keys = user.keys_for(&[0x80, 0, 0x1f, 0x88, 0x80, 1, 2, 3]);
/// assert!(keys.auth.is_some() && keys.privacy.is_some());
/// # Ok::<(), oxsnmp_core::usm::UserError>(())
/// ```
#[derive(Clone)]
pub struct UsmUser {
    name: Vec<u8>,
    auth: Option<(AuthProtocol, AuthSecret)>,
    privacy: Option<(PrivProtocol, PrivSecret)>,
}

impl UsmUser {
    /// A user without authentication or privacy (noAuthNoPriv only).
    pub fn new(name: impl AsRef<[u8]>) -> Result<Self, UserError> {
        let name = name.as_ref();
        if name.len() > MAX_USER_NAME_LEN {
            return Err(UserError::NameTooLong);
        }
        Ok(Self {
            name: name.to_vec(),
            auth: None,
            privacy: None,
        })
    }

    /// Adds authentication with `protocol` and `secret`.
    pub fn with_auth(
        mut self,
        protocol: AuthProtocol,
        secret: Secret<'_>,
    ) -> Result<Self, UserError> {
        let secret = match secret {
            Secret::Password(p) => AuthSecret::Master(protocol.password_to_key(p)?),
            Secret::MasterKey(k) => AuthSecret::Master(MasterKey::from_bytes(protocol, k)?),
            Secret::LocalizedKey(k) => {
                AuthSecret::Localized(LocalizedKey::from_bytes(protocol, k)?)
            }
        };
        self.auth = Some((protocol, secret));
        Ok(self)
    }

    /// Adds privacy with `protocol` and `secret` (after [`with_auth`](Self::with_auth):
    /// privacy keys are made with the authentication protocol's hash).
    pub fn with_privacy(
        mut self,
        protocol: PrivProtocol,
        secret: Secret<'_>,
    ) -> Result<Self, UserError> {
        let (auth, _) = self.auth.as_ref().ok_or(UserError::PrivacyWithoutAuth)?;
        let secret = match secret {
            Secret::Password(p) => PrivSecret::Master(auth.password_to_key(p)?),
            Secret::MasterKey(k) => PrivSecret::Master(MasterKey::from_bytes(*auth, k)?),
            Secret::LocalizedKey(k) => PrivSecret::Localized(Box::new(protocol.from_localized(k)?)),
        };
        self.privacy = Some((protocol, secret));
        Ok(self)
    }

    /// The user name (msgUserName and securityName).
    pub fn name(&self) -> &[u8] {
        &self.name
    }

    /// The authentication protocol, if any.
    pub fn auth_protocol(&self) -> Option<AuthProtocol> {
        self.auth.as_ref().map(|(p, _)| *p)
    }

    /// The privacy protocol, if any.
    pub fn privacy_protocol(&self) -> Option<PrivProtocol> {
        self.privacy.as_ref().map(|(p, _)| *p)
    }

    /// The highest security level the user's secrets allow.
    pub fn max_level(&self) -> SecurityLevel {
        match (&self.auth, &self.privacy) {
            (Some(_), Some(_)) => SecurityLevel::AuthPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            _ => SecurityLevel::NoAuthNoPriv,
        }
    }

    /// The user's keys localized to `engine_id` (RFC 3414 §2.6). Keys given
    /// already localized are used as they are, whatever the engine.
    pub fn keys_for(&self, engine_id: &[u8]) -> UserKeys {
        let auth = self.auth.as_ref().map(|(p, s)| match s {
            AuthSecret::Master(ku) => AuthKey::new(*p, &p.localize(ku, engine_id)),
            AuthSecret::Localized(kul) => AuthKey::new(*p, kul),
        });
        let privacy = match (&self.auth, &self.privacy) {
            (Some((a, _)), Some((p, PrivSecret::Master(ku)))) => {
                Some(p.localize(*a, ku, engine_id))
            }
            (_, Some((_, PrivSecret::Localized(k)))) => Some(PrivKey::clone(k)),
            _ => None,
        };
        UserKeys { auth, privacy }
    }

    fn secret_octets(&self) -> SecretOctets<'_> {
        let auth = self.auth.as_ref().map(|(p, s)| {
            (
                *p,
                match s {
                    AuthSecret::Master(k) => k.as_bytes(),
                    AuthSecret::Localized(k) => k.as_bytes(),
                },
            )
        });
        let privacy = self.privacy.as_ref().map(|(p, s)| {
            (
                *p,
                match s {
                    PrivSecret::Master(k) => k.as_bytes(),
                    PrivSecret::Localized(k) => k.as_bytes(),
                },
            )
        });
        (auth, privacy)
    }
}

impl PartialEq for UsmUser {
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name && self.secret_octets() == other.secret_octets()
    }
}

impl Eq for UsmUser {}

impl fmt::Debug for UsmUser {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UsmUser")
            .field("name", &String::from_utf8_lossy(&self.name))
            .field("auth", &self.auth_protocol())
            .field("privacy", &self.privacy_protocol())
            .finish()
    }
}

/// A user's keys for one engine, ready to sign, verify, encrypt and decrypt.
#[derive(Clone, Default)]
pub struct UserKeys {
    /// The authentication key, if the user authenticates.
    pub auth: Option<AuthKey>,
    /// The privacy key, if the user encrypts.
    pub privacy: Option<PrivKey>,
}

impl UserKeys {
    /// The highest security level these keys allow.
    pub fn max_level(&self) -> SecurityLevel {
        match (&self.auth, &self.privacy) {
            (Some(_), Some(_)) => SecurityLevel::AuthPriv,
            (Some(_), None) => SecurityLevel::AuthNoPriv,
            _ => SecurityLevel::NoAuthNoPriv,
        }
    }
}

impl fmt::Debug for UserKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UserKeys")
            .field("auth", &self.auth.as_ref().map(AuthKey::protocol))
            .field("privacy", &self.privacy.as_ref().map(PrivKey::protocol))
            .finish()
    }
}
