//! Net-SNMP's SNMPv3 options, shared by every manager subcommand:
//! `-u -l -a -A -x -X -e -E -n -3m -3x -3k -3K`, plus `--key-extension`.

use std::sync::Arc;

use clap::{Args, ValueEnum};
use oxsnmp_core::manager::V3Security;
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, SecurityLevel};

/// The SNMPv3 options.
#[derive(Debug, Clone, Default, Args)]
pub struct V3Args {
    /// SNMPv3 security name (user), e.g. -u ops.
    #[arg(short = 'u', value_name = "USER-NAME", help_heading = "SNMPv3")]
    pub user: Option<String>,

    /// Security level: noAuthNoPriv, authNoPriv or authPriv (default:
    /// noAuthNoPriv, as Net-SNMP's tools).
    #[arg(short = 'l', value_name = "LEVEL", value_parser = parse_level, help_heading = "SNMPv3")]
    pub level: Option<SecurityLevel>,

    /// Authentication protocol: MD5, SHA, SHA-224, SHA-256, SHA-384,
    /// SHA-512 (default MD5).
    #[arg(short = 'a', value_name = "PROTOCOL", value_parser = parse_auth, help_heading = "SNMPv3")]
    pub auth: Option<AuthProtocol>,

    /// Authentication passphrase (8 characters or more).
    #[arg(short = 'A', value_name = "PASSPHRASE", help_heading = "SNMPv3")]
    pub auth_pass: Option<String>,

    /// Privacy protocol: DES, 3DES, AES (AES-128), AES-192, AES-256
    /// (default DES). AES-192 and AES-256 extend short keys the Blumenthal
    /// way (Net-SNMP, most vendors); AES-192C and AES-256C, or
    /// --key-extension reeder, the Reeder way (Cisco's "3DES key extension").
    #[arg(short = 'x', value_name = "PROTOCOL", value_parser = parse_priv, help_heading = "SNMPv3")]
    pub privacy: Option<PrivProtocol>,

    /// Privacy passphrase (8 characters or more).
    #[arg(short = 'X', value_name = "PASSPHRASE", help_heading = "SNMPv3")]
    pub priv_pass: Option<String>,

    /// The agent's engine ID in hex (skips discovery), e.g. -e 0x80001f8880...
    #[arg(short = 'e', value_name = "ENGINE-ID", value_parser = parse_engine_id, help_heading = "SNMPv3")]
    pub engine_id: Option<EngineId>,

    /// Context engine ID in hex (default: the agent's engine ID;
    /// 0x8000000006 is RFC 5343's localEngineID).
    #[arg(short = 'E', value_name = "ENGINE-ID", value_parser = parse_engine_id, help_heading = "SNMPv3")]
    pub context_engine_id: Option<EngineId>,

    /// Engine boots and time, BOOTS,TIME: what a trap's sending engine
    /// claims (default: kept across runs per engine ID, see `oxsnmp help
    /// trap`). Other subcommands accept it and learn the agent's clock.
    #[arg(short = 'Z', value_name = "BOOTS,TIME", value_parser = parse_engine_clock, help_heading = "SNMPv3")]
    pub engine_clock: Option<(u32, u32)>,

    /// Context name (default: the default context "").
    #[arg(short = 'n', value_name = "CONTEXT", help_heading = "SNMPv3")]
    pub context: Option<String>,

    /// (-3m) Authentication master key Ku in hex, instead of -A.
    #[arg(long = "master-auth-key", value_name = "HEX", help_heading = "SNMPv3")]
    pub master_auth_key: Option<String>,

    /// (-3x) Privacy master key in hex, instead of -X.
    #[arg(long = "master-priv-key", value_name = "HEX", help_heading = "SNMPv3")]
    pub master_priv_key: Option<String>,

    /// (-3k) Authentication key localized to the agent, in hex.
    #[arg(
        long = "localized-auth-key",
        value_name = "HEX",
        help_heading = "SNMPv3"
    )]
    pub localized_auth_key: Option<String>,

    /// (-3K) Privacy key localized to the agent, in hex.
    #[arg(
        long = "localized-priv-key",
        value_name = "HEX",
        help_heading = "SNMPv3"
    )]
    pub localized_priv_key: Option<String>,

    /// How AES-192 and AES-256 keys are extended from shorter hashes.
    #[arg(
        long = "key-extension",
        value_name = "ALGORITHM",
        help_heading = "SNMPv3"
    )]
    pub key_extension: Option<KeyExtension>,
}

/// The AES-192/256 key extension algorithms found in the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KeyExtension {
    /// draft-blumenthal-aes-usm-04 (Net-SNMP's and most vendors').
    Blumenthal,
    /// draft-reeder-snmpv3-usm-3desede (Cisco's "3DES key extension").
    Reeder,
}

/// Rewrites Net-SNMP's `-3m KEY`-style options (a `-3` glued to a letter,
/// the key in the next argument) into their long forms, which clap can
/// parse. Everything else is left as it is.
pub fn rewrite_dash_three(
    args: impl IntoIterator<Item = std::ffi::OsString>,
) -> Vec<std::ffi::OsString> {
    args.into_iter()
        .map(|a| match a.to_str() {
            Some("-3m") => "--master-auth-key".into(),
            Some("-3x") => "--master-priv-key".into(),
            Some("-3k") => "--localized-auth-key".into(),
            Some("-3K") => "--localized-priv-key".into(),
            _ => a,
        })
        .collect()
}

fn parse_level(s: &str) -> Result<SecurityLevel, String> {
    s.parse()
        .map_err(|e: oxsnmp_core::v3::ParseSecurityLevelError| e.to_string())
}

fn parse_auth(s: &str) -> Result<AuthProtocol, String> {
    s.parse()
        .map_err(|_| format!("Invalid authentication protocol specified after -a flag: {s}"))
}

fn parse_priv(s: &str) -> Result<PrivProtocol, String> {
    s.parse()
        .map_err(|_| format!("Invalid privacy protocol specified after -x flag: {s}"))
}

/// `-Z BOOTS,TIME` (each 0..=2^31-1, RFC 3414 §2.2.1).
fn parse_engine_clock(s: &str) -> Result<(u32, u32), String> {
    let bad = || format!("Need engine boots value after -Z flag: {s}");
    let (boots, time) = s.split_once(',').ok_or_else(bad)?;
    let field = |v: &str| {
        v.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| *n <= 2_147_483_647)
            .ok_or_else(bad)
    };
    Ok((field(boots)?, field(time)?))
}

fn parse_engine_id(s: &str) -> Result<EngineId, String> {
    EngineId::from_hex(s).map_err(|_| format!("Bad engine ID value after -e flag: {s}"))
}

fn hex(s: &str, what: &str) -> Result<Vec<u8>, String> {
    EngineId::from_hex(s)
        .map(EngineId::into_bytes)
        .or_else(|_| {
            // Keys may be shorter or longer than an engine ID's 5..32 octets.
            let t = s.trim_start_matches("0x").trim_start_matches("0X");
            (t.len().is_multiple_of(2) && t.bytes().all(|b| b.is_ascii_hexdigit()))
                .then(|| {
                    t.as_bytes()
                        .chunks(2)
                        .filter_map(|p| std::str::from_utf8(p).ok())
                        .filter_map(|p| u8::from_str_radix(p, 16).ok())
                        .collect()
                })
                .ok_or(())
        })
        .map_err(|_| format!("Bad hex {what}: {s}"))
}

impl V3Args {
    /// These options with snmp.conf's SNMPv3 defaults (`defSecurityName`,
    /// `defSecurityLevel`, `defAuthType`, `defPrivType`, the passphrases
    /// and keys, `defContext`, `defSecurityEngineId`) for what they leave
    /// out: the command line wins, as in Net-SNMP. `defPassphrase` stands
    /// for both passphrases where neither their own directive nor an
    /// option gives one.
    pub fn with_defaults(&self, conf: &crate::netsnmp_conf::Config) -> Self {
        let mut v = self.clone();
        let fill = |slot: &mut Option<String>, value: &Option<String>| {
            if slot.is_none() {
                slot.clone_from(value);
            }
        };
        fill(&mut v.user, &conf.security_name);
        v.level = v.level.or(conf.security_level);
        v.auth = v.auth.or(conf.auth_type);
        v.privacy = v.privacy.or(conf.priv_type);
        // A key given on the command line beats a passphrase from a file.
        if v.master_auth_key.is_none() && v.localized_auth_key.is_none() {
            fill(&mut v.auth_pass, &conf.auth_passphrase);
            fill(&mut v.auth_pass, &conf.passphrase);
        }
        if v.master_priv_key.is_none() && v.localized_priv_key.is_none() {
            fill(&mut v.priv_pass, &conf.priv_passphrase);
            fill(&mut v.priv_pass, &conf.passphrase);
        }
        if v.auth_pass.is_none() {
            fill(&mut v.master_auth_key, &conf.auth_master_key);
            fill(&mut v.localized_auth_key, &conf.auth_localized_key);
        }
        if v.priv_pass.is_none() {
            fill(&mut v.master_priv_key, &conf.priv_master_key);
            fill(&mut v.localized_priv_key, &conf.priv_localized_key);
        }
        fill(&mut v.context, &conf.context);
        if v.engine_id.is_none() {
            v.engine_id.clone_from(&conf.security_engine_id);
        }
        v
    }

    /// The privacy protocol with the requested key extension applied.
    fn privacy_protocol(&self) -> PrivProtocol {
        let p = self.privacy.unwrap_or(PrivProtocol::Des);
        match (self.key_extension, p) {
            (Some(KeyExtension::Reeder), PrivProtocol::Aes192) => PrivProtocol::Aes192Reeder,
            (Some(KeyExtension::Reeder), PrivProtocol::Aes256) => PrivProtocol::Aes256Reeder,
            (Some(KeyExtension::Blumenthal), PrivProtocol::Aes192Reeder) => PrivProtocol::Aes192,
            (Some(KeyExtension::Blumenthal), PrivProtocol::Aes256Reeder) => PrivProtocol::Aes256,
            _ => p,
        }
    }

    /// The SNMPv3 security these options describe, with Net-SNMP's
    /// diagnostics for what is missing.
    pub fn security(&self) -> Result<Arc<V3Security>, String> {
        let name = self
            .user
            .as_deref()
            .ok_or("No securityName specified (use -u USER-NAME)")?;
        let level = self.level.unwrap_or_default();
        let mut user = UsmUser::new(name).map_err(|e| e.to_string())?;
        if level.is_authenticated() {
            let auth = self.auth.unwrap_or(AuthProtocol::Md5);
            let (bytes, kind) = match (
                &self.auth_pass,
                &self.master_auth_key,
                &self.localized_auth_key,
            ) {
                (_, Some(k), _) => (hex(k, "authentication master key")?, 1),
                (_, _, Some(k)) => (hex(k, "localized authentication key")?, 2),
                (Some(p), _, _) => (p.as_bytes().to_vec(), 0),
                _ => {
                    return Err(
                        "No authentication passphrase specified (use -A PASSPHRASE)".to_owned()
                    )
                }
            };
            user = user.with_auth(auth, secret(kind, &bytes)).map_err(|e| {
                format!(
                    "Error generating a key (Ku) from the supplied authentication pass phrase: {e}"
                )
            })?;
        }
        if level.is_encrypted() {
            let privacy = self.privacy_protocol();
            let (bytes, kind) = match (
                &self.priv_pass,
                &self.master_priv_key,
                &self.localized_priv_key,
            ) {
                (_, Some(k), _) => (hex(k, "privacy master key")?, 1),
                (_, _, Some(k)) => (hex(k, "localized privacy key")?, 2),
                (Some(p), _, _) => (p.as_bytes().to_vec(), 0),
                _ => return Err("No privacy passphrase specified (use -X PASSPHRASE)".to_owned()),
            };
            user = user
                .with_privacy(privacy, secret(kind, &bytes))
                .map_err(|e| {
                    format!(
                        "Error generating a key (Ku) from the supplied privacy pass phrase: {e}"
                    )
                })?;
        }
        let mut security = V3Security::new(user, level);
        if let Some(c) = &self.context {
            security = security.context_name(c);
        }
        if let Some(e) = &self.context_engine_id {
            security = security.context_engine_id(e.as_bytes());
        }
        if let Some(e) = &self.engine_id {
            security = security.engine_id(e.clone());
        }
        if let Some((boots, time)) = self.engine_clock {
            security = security.engine_clock(boots, time);
        }
        Ok(Arc::new(security))
    }
}

fn secret(kind: u8, bytes: &[u8]) -> Secret<'_> {
    match kind {
        1 => Secret::MasterKey(bytes),
        2 => Secret::LocalizedKey(bytes),
        _ => Secret::Password(bytes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn security_from_options() {
        let args = V3Args {
            user: Some("ops".into()),
            level: Some(SecurityLevel::AuthPriv),
            auth: Some(AuthProtocol::Sha256),
            auth_pass: Some("authpass1".into()),
            privacy: Some(PrivProtocol::Aes256),
            priv_pass: Some("privpass1".into()),
            key_extension: Some(KeyExtension::Reeder),
            context: Some("vrf".into()),
            ..V3Args::default()
        };
        let s = args.security().unwrap();
        assert_eq!(s.user.privacy_protocol(), Some(PrivProtocol::Aes256Reeder));
        assert_eq!(s.context_name, b"vrf");
        let no_user = V3Args::default();
        assert!(no_user.security().unwrap_err().contains("securityName"));
        let no_pass = V3Args {
            user: Some("u".into()),
            level: Some(SecurityLevel::AuthNoPriv),
            ..V3Args::default()
        };
        assert!(no_pass.security().unwrap_err().contains("passphrase"));
        let master = V3Args {
            user: Some("u".into()),
            level: Some(SecurityLevel::AuthNoPriv),
            auth: Some(AuthProtocol::Sha1),
            master_auth_key: Some(format!("0x{}", "11".repeat(20))),
            ..V3Args::default()
        };
        assert!(master.security().is_ok());
        let rewritten =
            rewrite_dash_three(["x", "-3m", "0x00", "-v3"].map(std::ffi::OsString::from));
        assert_eq!(rewritten[1], "--master-auth-key");
        assert_eq!(rewritten[3], "-v3");
    }
}
