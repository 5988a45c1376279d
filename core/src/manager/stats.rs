/// Counters kept by the manager. Every datagram that is not delivered to a
/// request is counted in exactly one of the drop counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ManagerStats {
    /// Requests handed to the manager.
    pub requests: u64,
    /// Datagrams sent, retransmissions included.
    pub datagrams_out: u64,
    /// Retransmissions.
    pub retransmits: u64,
    /// Datagrams received.
    pub datagrams_in: u64,
    /// Responses delivered to a request.
    pub responses: u64,
    /// Requests that ran out of retries.
    pub timeouts: u64,
    /// Undecodable datagrams (snmpInASNParseErrs).
    pub parse_errors: u64,
    /// Datagrams of a version other than the request's (snmpInBadVersions).
    pub bad_versions: u64,
    /// PDUs other than Response (or Report) arriving at the manager.
    pub unexpected_pdus: u64,
    /// Responses whose request-id matches no request, recent or outstanding.
    pub unknown_request_ids: u64,
    /// Responses for a request that already completed or timed out: duplicates and late answers.
    pub late_responses: u64,
    /// Responses whose request-id matched but came from another address.
    pub wrong_source: u64,
    /// SNMPv3 engine-ID discovery probes sent (RFC 3414 §4).
    pub discovery_probes: u64,
    /// SNMPv3 Report-PDUs received for a request.
    pub reports: u64,
    /// SNMPv3 messages whose digest did not verify (or was not the
    /// request's user's); dropped.
    pub wrong_digests: u64,
    /// Authenticated SNMPv3 messages outside the time window (RFC 3414
    /// §3.2 step 7b: too old, possibly replayed); dropped.
    pub not_in_time_window: u64,
    /// SNMPv3 messages that did not decrypt; dropped.
    pub decryption_errors: u64,
    /// SNMPv3 responses whose security level, user or engine is not the
    /// request's (RFC 3412 §7.2 step 12b); dropped.
    pub wrong_security: u64,
    /// Clock resynchronizations after an authenticated notInTimeWindow
    /// report.
    pub resynchronizations: u64,
    /// SNMPv3 reports answering a message sent before what the manager
    /// already learnt (duplicates, answers to retransmitted probes); dropped.
    pub stale_reports: u64,
    /// unknownEngineID reports for a request sent to an engine ID the
    /// caller gave ([`V3Security::engine_id`](crate::manager::V3Security::engine_id)):
    /// ignored, the request is retransmitted and times out, as with
    /// Net-SNMP's tools.
    pub ignored_reports: u64,
}
