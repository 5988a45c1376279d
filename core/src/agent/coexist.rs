//! SNMPv1 coexistence (RFC 3584 §4): SNMPv2 error-status values translated
//! for responses to SNMPv1 requests.

use crate::pdu::ErrorStatus;

/// Translates an error-status produced by SNMPv2 access to MIB data into
/// the SNMPv1 error-status of an SNMPv1 response (RFC 3584 §4.4).
///
/// readOnly is never produced: "SNMPv1 access to MIB data will actually
/// never generate a readOnly error (a noSuchName error would always occur)"
/// (RFC 3584 §4.1), so it maps to noSuchName like notWritable.
pub(crate) fn v1_status(status: ErrorStatus) -> ErrorStatus {
    match status {
        ErrorStatus::NoError
        | ErrorStatus::TooBig
        | ErrorStatus::NoSuchName
        | ErrorStatus::BadValue
        | ErrorStatus::GenErr => status,
        ErrorStatus::WrongValue
        | ErrorStatus::WrongEncoding
        | ErrorStatus::WrongType
        | ErrorStatus::WrongLength
        | ErrorStatus::InconsistentValue => ErrorStatus::BadValue,
        ErrorStatus::ReadOnly
        | ErrorStatus::NoAccess
        | ErrorStatus::NotWritable
        | ErrorStatus::NoCreation
        | ErrorStatus::InconsistentName
        | ErrorStatus::AuthorizationError => ErrorStatus::NoSuchName,
        _ => ErrorStatus::GenErr, // resourceUnavailable, commitFailed, undoFailed, unknown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3584_table() {
        use ErrorStatus::*;
        let table = [
            (NoError, NoError),
            (TooBig, TooBig),
            (GenErr, GenErr),
            (WrongValue, BadValue),
            (WrongEncoding, BadValue),
            (WrongType, BadValue),
            (WrongLength, BadValue),
            (InconsistentValue, BadValue),
            (NoAccess, NoSuchName),
            (NotWritable, NoSuchName),
            (NoCreation, NoSuchName),
            (InconsistentName, NoSuchName),
            (ResourceUnavailable, GenErr),
            (CommitFailed, GenErr),
            (UndoFailed, GenErr),
            (AuthorizationError, NoSuchName),
            (ReadOnly, NoSuchName),
            (Other(99), GenErr),
        ];
        for (v2, v1) in table {
            assert_eq!(v1_status(v2), v1, "{v2}");
        }
    }
}
