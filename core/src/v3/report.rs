//! Report-PDU reasons (RFC 3412 §7.1 step 3, RFC 3414 §3.2): the counter a
//! report carries tells the sender what went wrong.

use std::fmt;

use crate::oid::Oid;

/// Why an engine answered with a Report-PDU, from the counter in its first
/// varbind.
///
/// Display gives Net-SNMP's wording, so tools can print it as its command
/// line tools do.
///
/// ```
/// use oxsnmp_core::v3::ReportKind;
/// let oid = ReportKind::WrongDigest.oid();
/// assert_eq!(oid.to_string(), "1.3.6.1.6.3.15.1.1.5.0");
/// assert_eq!(ReportKind::from_oid(oid.arcs()), ReportKind::WrongDigest);
/// assert_eq!(ReportKind::WrongDigest.to_string(),
///            "Authentication failure (incorrect password, community or key)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ReportKind {
    /// usmStatsUnsupportedSecLevels.
    UnsupportedSecLevel,
    /// usmStatsNotInTimeWindows.
    NotInTimeWindow,
    /// usmStatsUnknownUserNames.
    UnknownUserName,
    /// usmStatsUnknownEngineIDs.
    UnknownEngineId,
    /// usmStatsWrongDigests.
    WrongDigest,
    /// usmStatsDecryptionErrors.
    DecryptionError,
    /// snmpUnknownSecurityModels.
    UnknownSecurityModel,
    /// snmpInvalidMsgs.
    InvalidMsg,
    /// snmpUnknownPDUHandlers.
    UnknownPduHandler,
    /// snmpUnavailableContexts.
    UnavailableContext,
    /// snmpUnknownContexts.
    UnknownContext,
    /// Any other counter.
    Other(Oid),
}

const USM_STATS: [u32; 9] = [1, 3, 6, 1, 6, 3, 15, 1, 1];
const MPD_STATS: [u32; 9] = [1, 3, 6, 1, 6, 3, 11, 2, 1];
const TARGET_OBJECTS: [u32; 8] = [1, 3, 6, 1, 6, 3, 12, 1];

macro_rules! counter {
    ($base:expr, $n:literal) => {{
        const A: [u32; 11] = [
            $base[0], $base[1], $base[2], $base[3], $base[4], $base[5], $base[6], $base[7],
            $base[8], $n, 0,
        ];
        Oid::from_static(&A)
    }};
}

impl ReportKind {
    /// The counter's instance OID (`...0`).
    pub fn oid(&self) -> Oid {
        match self {
            ReportKind::UnsupportedSecLevel => counter!(USM_STATS, 1),
            ReportKind::NotInTimeWindow => counter!(USM_STATS, 2),
            ReportKind::UnknownUserName => counter!(USM_STATS, 3),
            ReportKind::UnknownEngineId => counter!(USM_STATS, 4),
            ReportKind::WrongDigest => counter!(USM_STATS, 5),
            ReportKind::DecryptionError => counter!(USM_STATS, 6),
            ReportKind::UnknownSecurityModel => counter!(MPD_STATS, 1),
            ReportKind::InvalidMsg => counter!(MPD_STATS, 2),
            ReportKind::UnknownPduHandler => counter!(MPD_STATS, 3),
            ReportKind::UnavailableContext => Oid::from_static(&[1, 3, 6, 1, 6, 3, 12, 1, 4, 0]),
            ReportKind::UnknownContext => Oid::from_static(&[1, 3, 6, 1, 6, 3, 12, 1, 5, 0]),
            ReportKind::Other(oid) => oid.clone(),
        }
    }

    /// The kind for a report's first varbind name.
    pub fn from_oid(arcs: &[u32]) -> Self {
        let kind = match arcs {
            [head @ .., n, 0] if head == USM_STATS => match n {
                1 => Some(ReportKind::UnsupportedSecLevel),
                2 => Some(ReportKind::NotInTimeWindow),
                3 => Some(ReportKind::UnknownUserName),
                4 => Some(ReportKind::UnknownEngineId),
                5 => Some(ReportKind::WrongDigest),
                6 => Some(ReportKind::DecryptionError),
                _ => None,
            },
            [head @ .., n, 0] if head == MPD_STATS => match n {
                1 => Some(ReportKind::UnknownSecurityModel),
                2 => Some(ReportKind::InvalidMsg),
                3 => Some(ReportKind::UnknownPduHandler),
                _ => None,
            },
            [head @ .., n, 0] if head == TARGET_OBJECTS => match n {
                4 => Some(ReportKind::UnavailableContext),
                5 => Some(ReportKind::UnknownContext),
                _ => None,
            },
            _ => None,
        };
        kind.unwrap_or_else(|| {
            ReportKind::Other(Oid::from_slice(arcs).unwrap_or_else(|_| Oid::from_static(&[0, 0])))
        })
    }
}

impl fmt::Display for ReportKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ReportKind::UnsupportedSecLevel => "Unsupported security level",
            ReportKind::NotInTimeWindow => "Not in time window",
            ReportKind::UnknownUserName => "Unknown user name",
            ReportKind::UnknownEngineId => "Unknown engine ID",
            ReportKind::WrongDigest => {
                "Authentication failure (incorrect password, community or key)"
            }
            ReportKind::DecryptionError => "Decryption error",
            ReportKind::UnknownSecurityModel => "Unknown security model in message",
            ReportKind::InvalidMsg => "Invalid message (e.g. msgFlags)",
            ReportKind::UnknownPduHandler => "Unknown PDU handlers (unknown contextEngineID)",
            ReportKind::UnavailableContext => "Unavailable context",
            ReportKind::UnknownContext => "Bad context specified",
            ReportKind::Other(_) => "Unknown Report message",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips() {
        let kinds = [
            ReportKind::UnsupportedSecLevel,
            ReportKind::NotInTimeWindow,
            ReportKind::UnknownUserName,
            ReportKind::UnknownEngineId,
            ReportKind::WrongDigest,
            ReportKind::DecryptionError,
            ReportKind::UnknownSecurityModel,
            ReportKind::InvalidMsg,
            ReportKind::UnknownPduHandler,
            ReportKind::UnavailableContext,
            ReportKind::UnknownContext,
        ];
        for k in kinds {
            assert_eq!(ReportKind::from_oid(k.oid().arcs()), k);
        }
        let other = ReportKind::from_oid(&[1, 3, 6, 1, 6, 3, 15, 1, 1, 9, 0]);
        assert!(matches!(other, ReportKind::Other(_)));
        assert_eq!(other.to_string(), "Unknown Report message");
    }
}
