//! msgFlags (RFC 3412 §6.4) and the security level it encodes.

use std::fmt;
use std::str::FromStr;

/// The level of security of a message (RFC 3411 §3.4.3), ordered
/// noAuthNoPriv < authNoPriv < authPriv.
///
/// ```
/// use oxsnmp_core::v3::SecurityLevel;
/// let level: SecurityLevel = "authPriv".parse().unwrap();
/// assert!(level > SecurityLevel::AuthNoPriv);
/// assert_eq!(level.to_string(), "authPriv");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum SecurityLevel {
    /// Neither authenticated nor encrypted.
    #[default]
    NoAuthNoPriv,
    /// Authenticated, not encrypted.
    AuthNoPriv,
    /// Authenticated and encrypted.
    AuthPriv,
}

impl SecurityLevel {
    /// The value of the SnmpSecurityLevel textual convention (1, 2, 3).
    pub const fn as_i32(self) -> i32 {
        match self {
            SecurityLevel::NoAuthNoPriv => 1,
            SecurityLevel::AuthNoPriv => 2,
            SecurityLevel::AuthPriv => 3,
        }
    }

    /// Whether messages at this level are authenticated.
    pub const fn is_authenticated(self) -> bool {
        !matches!(self, SecurityLevel::NoAuthNoPriv)
    }

    /// Whether messages at this level are encrypted.
    pub const fn is_encrypted(self) -> bool {
        matches!(self, SecurityLevel::AuthPriv)
    }

    /// Net-SNMP's spelling, as `-l` takes it.
    pub const fn name(self) -> &'static str {
        match self {
            SecurityLevel::NoAuthNoPriv => "noAuthNoPriv",
            SecurityLevel::AuthNoPriv => "authNoPriv",
            SecurityLevel::AuthPriv => "authPriv",
        }
    }
}

impl fmt::Display for SecurityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A security level name that is not one of Net-SNMP's spellings.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Invalid security level specified after -l flag: {0}")]
pub struct ParseSecurityLevelError(pub String);

impl FromStr for SecurityLevel {
    type Err = ParseSecurityLevelError;

    /// Accepts Net-SNMP's `-l` values: `noAuthNoPriv`/`1`/`nanp`,
    /// `authNoPriv`/`2`/`anp`, `authPriv`/`3`/`ap` (case-insensitive).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "noauthnopriv" | "1" | "nanp" => Ok(SecurityLevel::NoAuthNoPriv),
            "authnopriv" | "2" | "anp" => Ok(SecurityLevel::AuthNoPriv),
            "authpriv" | "3" | "ap" => Ok(SecurityLevel::AuthPriv),
            _ => Err(ParseSecurityLevelError(s.to_owned())),
        }
    }
}

/// The msgFlags octet: authFlag, privFlag and reportableFlag.
///
/// ```
/// use oxsnmp_core::v3::{MsgFlags, SecurityLevel};
/// let f = MsgFlags::new(SecurityLevel::AuthPriv, true);
/// assert_eq!(f.bits(), 0x07);
/// assert_eq!(f.level(), Some(SecurityLevel::AuthPriv));
/// assert_eq!(MsgFlags::from_bits(0x02).level(), None); // privFlag without authFlag
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MsgFlags(u8);

impl MsgFlags {
    const AUTH: u8 = 0x01;
    const PRIV: u8 = 0x02;
    const REPORTABLE: u8 = 0x04;

    /// Flags for a message at `level`; `reportable` for Confirmed Class
    /// PDUs (requests and informs), never for responses, reports and traps
    /// (RFC 3412 §7.1 step 7d).
    pub const fn new(level: SecurityLevel, reportable: bool) -> Self {
        let l = match level {
            SecurityLevel::NoAuthNoPriv => 0,
            SecurityLevel::AuthNoPriv => Self::AUTH,
            SecurityLevel::AuthPriv => Self::AUTH | Self::PRIV,
        };
        Self(if reportable { l | Self::REPORTABLE } else { l })
    }

    /// The flags of a received octet, reserved bits included (they are
    /// ignored, RFC 3412 §7.2 step 5e).
    pub const fn from_bits(bits: u8) -> Self {
        Self(bits)
    }

    /// The octet.
    pub const fn bits(self) -> u8 {
        self.0
    }

    /// authFlag.
    pub const fn auth(self) -> bool {
        self.0 & Self::AUTH != 0
    }

    /// privFlag.
    pub const fn privacy(self) -> bool {
        self.0 & Self::PRIV != 0
    }

    /// reportableFlag.
    pub const fn reportable(self) -> bool {
        self.0 & Self::REPORTABLE != 0
    }

    /// The security level, or `None` for the invalid privFlag-without-
    /// authFlag combination (snmpInvalidMsgs, RFC 3412 §7.2 step 5d).
    pub const fn level(self) -> Option<SecurityLevel> {
        match (self.auth(), self.privacy()) {
            (false, false) => Some(SecurityLevel::NoAuthNoPriv),
            (true, false) => Some(SecurityLevel::AuthNoPriv),
            (true, true) => Some(SecurityLevel::AuthPriv),
            (false, true) => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_round_trip_and_reserved_bits() {
        for level in [
            SecurityLevel::NoAuthNoPriv,
            SecurityLevel::AuthNoPriv,
            SecurityLevel::AuthPriv,
        ] {
            for reportable in [false, true] {
                let f = MsgFlags::new(level, reportable);
                assert_eq!(f.level(), Some(level));
                assert_eq!(f.reportable(), reportable);
                let noisy = MsgFlags::from_bits(f.bits() | 0xf8);
                assert_eq!(noisy.level(), Some(level));
                assert_eq!(noisy.reportable(), reportable);
            }
        }
        assert_eq!(MsgFlags::from_bits(0x06).level(), None);
    }

    #[test]
    fn level_names() {
        for (s, l) in [
            ("noAuthNoPriv", SecurityLevel::NoAuthNoPriv),
            ("AUTHNOPRIV", SecurityLevel::AuthNoPriv),
            ("ap", SecurityLevel::AuthPriv),
            ("3", SecurityLevel::AuthPriv),
        ] {
            assert_eq!(s.parse::<SecurityLevel>().unwrap(), l);
        }
        assert!("authpriv2".parse::<SecurityLevel>().is_err());
        assert_eq!(SecurityLevel::AuthNoPriv.to_string(), "authNoPriv");
    }
}
