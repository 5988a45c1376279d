//! Net-SNMP's diagnostic texts, measured from the 5.9.3 tools, so that
//! scripts grepping `snmpget`'s stderr work with `oxsnmp` unchanged.

use oxsnmp_core::manager::Response;
use oxsnmp_core::{ErrorStatus, Oid};

use crate::render::OutputOptions;

/// `snmp_errstring()`: the `Reason:` text for an error-status.
pub fn error_reason(status: ErrorStatus) -> &'static str {
    match status {
        ErrorStatus::NoError => "(noError) No Error",
        ErrorStatus::TooBig => "(tooBig) Response message would have been too large.",
        ErrorStatus::NoSuchName => "(noSuchName) There is no such variable name in this MIB.",
        ErrorStatus::BadValue => "(badValue) The value given has the wrong type or length.",
        ErrorStatus::ReadOnly => {
            "(readOnly) The two parties used do not have access to use the specified SNMP PDU."
        }
        ErrorStatus::GenErr => "(genError) A general failure occured",
        ErrorStatus::NoAccess => "noAccess",
        ErrorStatus::WrongType => {
            "wrongType (The set datatype does not match the data type the agent expects)"
        }
        ErrorStatus::WrongLength => {
            "wrongLength (The set value has an illegal length from what the agent expects)"
        }
        ErrorStatus::WrongEncoding => "wrongEncoding",
        ErrorStatus::WrongValue => "wrongValue (The set value is illegal or unsupported in some way)",
        ErrorStatus::NoCreation => {
            "noCreation (That table does not support row creation or that object can not ever be created)"
        }
        ErrorStatus::InconsistentValue => {
            "inconsistentValue (The set value is illegal or unsupported in some way)"
        }
        ErrorStatus::ResourceUnavailable => {
            "resourceUnavailable (This is likely a out-of-memory failure within the agent)"
        }
        ErrorStatus::CommitFailed => "commitFailed",
        ErrorStatus::UndoFailed => "undoFailed",
        ErrorStatus::AuthorizationError => "authorizationError (access denied to that object)",
        ErrorStatus::NotWritable => "notWritable (That object does not support modification)",
        ErrorStatus::InconsistentName => {
            "inconsistentName (That object can not currently be created)"
        }
        _ => "Unknown Error",
    }
}

/// The report of a response with a non-zero error-status:
///
/// ```text
/// Error in packet.
/// Reason: notWritable (That object does not support modification)
/// Failed object: .1.3.6.1.2.1.1.1.0
///
/// ```
///
/// `snmpget` writes `Error in packet` without the period, every other tool
/// with it. The failed object is the response's varbind at error-index;
/// when the index is 0 the line is left out, and when it points past the
/// varbinds the line is `Failed object: ` alone (Net-SNMP's `fprint_objid`
/// adds the newline that makes the blank line after a real OID).
pub fn packet_error(response: &Response, period: bool, out: &OutputOptions) -> String {
    let mut text = format!(
        "Error in packet{}\nReason: {}\n",
        if period { "." } else { "" },
        error_reason(response.error_status)
    );
    if response.error_index != 0 {
        text.push_str("Failed object: ");
        let failed = (response.error_index as usize)
            .checked_sub(1)
            .and_then(|i| response.varbinds.get(i));
        if let Some(vb) = failed {
            text.push_str(&out.oid(&vb.oid));
            text.push('\n');
        }
        text.push('\n');
    }
    text
}

/// `Timeout: No Response from TARGET` with the target as the user typed
/// it; `snmpget` and `snmpgetnext` end the sentence with a period, the
/// other tools do not.
pub fn timeout(target: &str, period: bool) -> String {
    format!(
        "Timeout: No Response from {target}{}\n",
        if period { "." } else { "" }
    )
}

/// `snmpwalk`'s report of an agent that went backwards.
pub fn not_increasing(previous: &Oid, received: &Oid, out: &OutputOptions) -> String {
    format!(
        "Error: OID not increasing: {}\n >= {}\n\n",
        out.oid(previous),
        out.oid(received)
    )
}

/// Printed by `snmpwalk -Cp` / `snmpbulkwalk -Cp` at the end.
pub fn variables_found(count: u64) -> String {
    format!("Variables found: {count}\n")
}

#[cfg(test)]
mod tests {
    use super::*;
    use oxsnmp_core::{Value, VarBind};

    fn response(status: ErrorStatus, index: u32, oids: &[&str]) -> Response {
        Response {
            error_status: status,
            error_index: index,
            varbinds: oids
                .iter()
                .map(|o| VarBind::new(o.parse().unwrap(), Value::Null))
                .collect(),
            wire_len: 0,
        }
    }

    #[test]
    fn reasons() {
        assert_eq!(
            error_reason(ErrorStatus::NoSuchName),
            "(noSuchName) There is no such variable name in this MIB."
        );
        assert_eq!(error_reason(ErrorStatus::NoAccess), "noAccess");
        assert_eq!(
            error_reason(ErrorStatus::InconsistentName),
            "inconsistentName (That object can not currently be created)"
        );
        assert_eq!(error_reason(ErrorStatus::Other(19)), "Unknown Error");
        assert_eq!(error_reason(ErrorStatus::from_i32(99)), "Unknown Error");
    }

    #[test]
    fn packet_errors() {
        let out = OutputOptions::numeric();
        let r = response(ErrorStatus::NoSuchName, 1, &["1.3.6.1.2.1.1.99.0"]);
        assert_eq!(
            packet_error(&r, false, &out),
            "Error in packet\nReason: (noSuchName) There is no such variable name in this MIB.\n\
             Failed object: .1.3.6.1.2.1.1.99.0\n\n"
        );
        let r = response(
            ErrorStatus::NotWritable,
            2,
            &["1.3.6.1", "1.3.6.1.2.1.1.1.0"],
        );
        assert_eq!(
            packet_error(&r, true, &out),
            "Error in packet.\nReason: notWritable (That object does not support modification)\n\
             Failed object: .1.3.6.1.2.1.1.1.0\n\n"
        );
        let r = response(ErrorStatus::GenErr, 0, &["1.3.6.1"]);
        assert_eq!(
            packet_error(&r, false, &out),
            "Error in packet\nReason: (genError) A general failure occured\n"
        );
        let r = response(ErrorStatus::GenErr, 7, &["1.3.6.1"]);
        assert_eq!(
            packet_error(&r, true, &out),
            "Error in packet.\nReason: (genError) A general failure occured\nFailed object: \n"
        );
    }

    #[test]
    fn others() {
        assert_eq!(
            timeout("127.0.0.1:9", true),
            "Timeout: No Response from 127.0.0.1:9.\n"
        );
        assert_eq!(
            timeout("udp:127.0.0.1:9", false),
            "Timeout: No Response from udp:127.0.0.1:9\n"
        );
        let out = OutputOptions::numeric();
        assert_eq!(
            not_increasing(
                &"1.3.6.1.2".parse().unwrap(),
                &"1.3.6.1.1".parse().unwrap(),
                &out
            ),
            "Error: OID not increasing: .1.3.6.1.2\n >= .1.3.6.1.1\n\n"
        );
        assert_eq!(variables_found(3), "Variables found: 3\n");
    }
}
