//! Net-SNMP's `createUser` syntax (snmpd.conf(5), snmptrapd.conf(5)), so
//! users are written the same way for oxsnmp as for Net-SNMP.

use crate::v3::EngineId;

use super::{AuthProtocol, PrivProtocol, Secret, UsmUser};

/// A parsed `createUser` line: the user and the engine ID it is tied to
/// (`-e`), if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateUser {
    /// `-e ENGINEID`: the engine the user's keys are localized to (for a
    /// trap receiver, the sending engine).
    pub engine_id: Option<EngineId>,
    /// The user.
    pub user: UsmUser,
}

/// Splits on whitespace, keeping double-quoted words (with spaces) whole.
fn words(line: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        let mut word = String::new();
        if c == '"' {
            chars.next();
            loop {
                match chars.next() {
                    Some('"') => break,
                    Some(ch) => word.push(ch),
                    None => return Err("unterminated quote".to_owned()),
                }
            }
        } else {
            while let Some(&ch) = chars.peek() {
                if ch.is_whitespace() {
                    break;
                }
                word.push(ch);
                chars.next();
            }
        }
        out.push(word);
    }
    Ok(out)
}

fn hex(s: &str) -> Result<Vec<u8>, String> {
    crate::v3::parse_hex(s).ok_or_else(|| format!("not a hexadecimal key: {s:?}"))
}

/// Parses `[-e ENGINEID] [-m|-l] NAME [AUTHPROTO AUTHPASS [PRIVPROTO [PRIVPASS]]]`.
///
/// AUTHPROTO is one of `MD5 SHA SHA-224 SHA-256 SHA-384 SHA-512`; PRIVPROTO
/// one of `DES 3DES AES AES-192 AES-256 AES-192C AES-256C` (the `C` forms
/// use the Reeder key extension). Without PRIVPASS the authentication
/// passphrase is used, as Net-SNMP does. With `-m` the secrets are master
/// keys and with `-l` localized keys, in hexadecimal, instead of
/// passphrases. Double quotes keep a passphrase with spaces whole.
///
/// ```
/// use oxsnmp_core::usm::{parse_create_user, AuthProtocol, PrivProtocol};
/// let c = parse_create_user("-e 0x8000000001020304 ops SHA-256 \"auth secret\" AES-256 privsecret")?;
/// assert_eq!(c.engine_id.unwrap().to_string(), "8000000001020304");
/// assert_eq!(c.user.name(), b"ops");
/// assert_eq!(c.user.auth_protocol(), Some(AuthProtocol::Sha256));
/// assert_eq!(c.user.privacy_protocol(), Some(PrivProtocol::Aes256));
/// # Ok::<(), String>(())
/// ```
pub fn parse_create_user(line: &str) -> Result<CreateUser, String> {
    let words = words(line)?;
    let mut rest = words.as_slice();
    let mut engine_id = None;
    #[derive(Clone, Copy)]
    enum Kind {
        Password,
        Master,
        Localized,
    }
    let mut kind = Kind::Password;
    loop {
        match rest {
            [flag, value, tail @ ..] if flag == "-e" => {
                engine_id = Some(EngineId::from_hex(value).map_err(|e| e.to_string())?);
                rest = tail;
            }
            [flag, tail @ ..] if flag == "-m" => {
                kind = Kind::Master;
                rest = tail;
            }
            [flag, tail @ ..] if flag == "-l" => {
                kind = Kind::Localized;
                rest = tail;
            }
            _ => break,
        }
    }
    let [name, rest @ ..] = rest else {
        return Err("createUser needs a user name".to_owned());
    };
    let mut user = UsmUser::new(name).map_err(|e| e.to_string())?;
    let secret = |s: &str| -> Result<Vec<u8>, String> {
        match kind {
            Kind::Password => Ok(s.as_bytes().to_vec()),
            Kind::Master | Kind::Localized => hex(s),
        }
    };
    fn as_secret(kind: Kind, octets: &[u8]) -> Secret<'_> {
        match kind {
            Kind::Password => Secret::Password(octets),
            Kind::Master => Secret::MasterKey(octets),
            Kind::Localized => Secret::LocalizedKey(octets),
        }
    }
    let key_kind = |octets| as_secret(kind, octets);
    match rest {
        [] => {}
        [auth, auth_pass, privacy @ ..] => {
            let auth: AuthProtocol = auth.parse().map_err(|e| format!("{e}"))?;
            let auth_secret = secret(auth_pass)?;
            user = user
                .with_auth(auth, key_kind(&auth_secret))
                .map_err(|e| e.to_string())?;
            match privacy {
                [] => {}
                [proto, pass @ ..] if pass.len() <= 1 => {
                    let proto: PrivProtocol = proto.parse().map_err(|e| format!("{e}"))?;
                    let priv_secret = match pass.first() {
                        Some(p) => secret(p)?,
                        None => auth_secret.clone(),
                    };
                    user = user
                        .with_privacy(proto, key_kind(&priv_secret))
                        .map_err(|e| e.to_string())?;
                }
                _ => return Err("too many words after the privacy passphrase".to_owned()),
            }
        }
        [_] => return Err("an authentication protocol needs a passphrase".to_owned()),
    }
    Ok(CreateUser { engine_id, user })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::v3::SecurityLevel;

    #[test]
    fn forms() {
        let c = parse_create_user("plain").unwrap();
        assert_eq!(c.user.max_level(), SecurityLevel::NoAuthNoPriv);
        let c = parse_create_user("u MD5 authpass1 DES").unwrap();
        assert_eq!(c.user.max_level(), SecurityLevel::AuthPriv);
        // The priv secret defaults to the auth passphrase.
        let same = parse_create_user("u MD5 authpass1 DES authpass1").unwrap();
        assert_eq!(c.user, same.user);
        let other = parse_create_user("u MD5 authpass1 DES privpass1").unwrap();
        assert_ne!(c.user, other.user);
        let master = "0x".to_owned() + &"ab".repeat(20);
        let c = parse_create_user(&format!("-m k SHA {master} AES-256C {master}")).unwrap();
        assert_eq!(c.user.privacy_protocol(), Some(PrivProtocol::Aes256Reeder));
        for bad in [
            "",
            "u MD5",
            "u MD5 short",
            "u XYZ authpass1",
            "u MD5 authpass1 ROT13",
            "u MD5 authpass1 DES p1 extra",
            "-e 12 u",
            "\"u",
            &"n".repeat(33),
        ] {
            assert!(parse_create_user(bad).is_err(), "{bad:?}");
        }
        assert_eq!(
            parse_create_user("\"two words\"").unwrap().user.name(),
            b"two words"
        );
    }
}
