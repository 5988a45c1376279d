//! The agent's counters: the `snmp` group of RFC 3418 (current and
//! obsolete objects alike, as Net-SNMP serves both) plus a few that have no
//! MIB object.

/// Counters kept by the agent. Every field with a `snmp…` name is served
/// as `SNMPv2-MIB::snmp…` (`1.3.6.1.2.1.11.n`, Counter32 wrapping at 2^32).
///
/// Every datagram counts in `in_pkts`; each one that is not answered is
/// counted in exactly one of `in_bad_versions`, `in_asn_parse_errs`,
/// `in_bad_community_names`, `silent_drops`, `unanswerable_pdus`,
/// `queue_drops`, `unknown_security_models`, `invalid_msgs`, or (SNMPv3) a
/// usmStats or context counter whose Report was not sent because the
/// message was not reportable. The SNMPv3 counters are served under
/// `SNMP-MPD-MIB`, `SNMP-TARGET-MIB` and `SNMP-USER-BASED-SM-MIB` when the
/// agent has an engine ID.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AgentStats {
    /// snmpInPkts (snmp.1): datagrams handed to the agent.
    pub in_pkts: u64,
    /// snmpOutPkts (snmp.2): responses and traps queued for sending.
    pub out_pkts: u64,
    /// snmpInBadVersions (snmp.3): messages of a version not served; dropped.
    pub in_bad_versions: u64,
    /// snmpInBadCommunityNames (snmp.4): unknown community; dropped.
    pub in_bad_community_names: u64,
    /// snmpInBadCommunityUses (snmp.5): operations the community may not
    /// perform (a SET with a read-only community).
    pub in_bad_community_uses: u64,
    /// snmpInASNParseErrs (snmp.6): undecodable messages; dropped.
    pub in_asn_parse_errs: u64,
    /// snmpInTooBigs (snmp.8): received PDUs with error-status tooBig.
    pub in_too_bigs: u64,
    /// snmpInNoSuchNames (snmp.9): received PDUs with noSuchName.
    pub in_no_such_names: u64,
    /// snmpInBadValues (snmp.10): received PDUs with badValue.
    pub in_bad_values: u64,
    /// snmpInReadOnlys (snmp.11): received PDUs with readOnly.
    pub in_read_onlys: u64,
    /// snmpInGenErrs (snmp.12): received PDUs with genErr.
    pub in_gen_errs: u64,
    /// snmpInTotalReqVars (snmp.13): objects retrieved by Get, GetNext and GetBulk.
    pub in_total_req_vars: u64,
    /// snmpInTotalSetVars (snmp.14): objects altered by Set.
    pub in_total_set_vars: u64,
    /// snmpInGetRequests (snmp.15).
    pub in_get_requests: u64,
    /// snmpInGetNexts (snmp.16).
    pub in_get_nexts: u64,
    /// snmpInSetRequests (snmp.17).
    pub in_set_requests: u64,
    /// snmpInGetResponses (snmp.18): Response-PDUs received (and dropped).
    pub in_get_responses: u64,
    /// snmpInTraps (snmp.19): Trap-PDUs received (and dropped).
    pub in_traps: u64,
    /// snmpOutTooBigs (snmp.20).
    pub out_too_bigs: u64,
    /// snmpOutNoSuchNames (snmp.21).
    pub out_no_such_names: u64,
    /// snmpOutBadValues (snmp.22).
    pub out_bad_values: u64,
    /// snmpOutGenErrs (snmp.24).
    pub out_gen_errs: u64,
    /// snmpOutGetRequests (snmp.25): always zero, an agent sends no requests.
    pub out_get_requests: u64,
    /// snmpOutGetNexts (snmp.26): always zero.
    pub out_get_nexts: u64,
    /// snmpOutSetRequests (snmp.27): always zero.
    pub out_set_requests: u64,
    /// snmpOutGetResponses (snmp.28): Response-PDUs generated.
    pub out_get_responses: u64,
    /// snmpOutTraps (snmp.29): traps queued for sending.
    pub out_traps: u64,
    /// snmpSilentDrops (snmp.31): requests whose alternate tooBig response
    /// did not fit either (RFC 3416 §4.2.1), and SNMPv3 Reports larger than
    /// the agent's maximum or the request's msgMaxSize.
    pub silent_drops: u64,
    /// snmpProxyDrops (snmp.32): always zero, the agent is no proxy.
    pub proxy_drops: u64,
    /// GetBulkRequest-PDUs processed (no MIB object).
    pub in_get_bulks: u64,
    /// PDUs a command responder does not answer (Response, traps, Inform,
    /// Report); dropped after counting them in their snmpIn… counter.
    pub unanswerable_pdus: u64,
    /// Responses dropped because [`poll_transmit`](super::Agent::poll_transmit)
    /// was not called and the queue was full.
    pub queue_drops: u64,
    /// snmpUnknownSecurityModels (RFC 3412): SNMPv3 messages of a security
    /// model other than USM; dropped.
    pub unknown_security_models: u64,
    /// snmpInvalidMsgs (RFC 3412): SNMPv3 messages with privFlag but not
    /// authFlag; dropped.
    pub invalid_msgs: u64,
    /// snmpUnknownPDUHandlers (RFC 3412): SNMPv3 requests for another
    /// contextEngineID; reported.
    pub unknown_pdu_handlers: u64,
    /// snmpUnavailableContexts (RFC 3413): always zero, every known context
    /// is available.
    pub unavailable_contexts: u64,
    /// snmpUnknownContexts (RFC 3413): SNMPv3 requests for an unknown
    /// contextName; reported.
    pub unknown_contexts: u64,
    /// usmStatsUnsupportedSecLevels (RFC 3414).
    pub usm_unsupported_sec_levels: u64,
    /// usmStatsNotInTimeWindows (RFC 3414).
    pub usm_not_in_time_windows: u64,
    /// usmStatsUnknownUserNames (RFC 3414).
    pub usm_unknown_user_names: u64,
    /// usmStatsUnknownEngineIDs (RFC 3414).
    pub usm_unknown_engine_ids: u64,
    /// usmStatsWrongDigests (RFC 3414).
    pub usm_wrong_digests: u64,
    /// usmStatsDecryptionErrors (RFC 3414).
    pub usm_decryption_errors: u64,
    /// Report-PDUs sent (no MIB object).
    pub out_reports: u64,
}

impl AgentStats {
    /// The value of `snmp.sub` (RFC 3418), if `sub` names a counter.
    pub(crate) fn counter(&self, sub: u32) -> Option<u64> {
        Some(match sub {
            1 => self.in_pkts,
            2 => self.out_pkts,
            3 => self.in_bad_versions,
            4 => self.in_bad_community_names,
            5 => self.in_bad_community_uses,
            6 => self.in_asn_parse_errs,
            8 => self.in_too_bigs,
            9 => self.in_no_such_names,
            10 => self.in_bad_values,
            11 => self.in_read_onlys,
            12 => self.in_gen_errs,
            13 => self.in_total_req_vars,
            14 => self.in_total_set_vars,
            15 => self.in_get_requests,
            16 => self.in_get_nexts,
            17 => self.in_set_requests,
            18 => self.in_get_responses,
            19 => self.in_traps,
            20 => self.out_too_bigs,
            21 => self.out_no_such_names,
            22 => self.out_bad_values,
            24 => self.out_gen_errs,
            25 => self.out_get_requests,
            26 => self.out_get_nexts,
            27 => self.out_set_requests,
            28 => self.out_get_responses,
            29 => self.out_traps,
            31 => self.silent_drops,
            32 => self.proxy_drops,
            _ => return None,
        })
    }

    /// The counter an SNMPv3 Report carries, by kind.
    pub(crate) fn report_counter(&mut self, kind: &crate::v3::ReportKind) -> Option<&mut u64> {
        use crate::v3::ReportKind as K;
        Some(match kind {
            K::UnsupportedSecLevel => &mut self.usm_unsupported_sec_levels,
            K::NotInTimeWindow => &mut self.usm_not_in_time_windows,
            K::UnknownUserName => &mut self.usm_unknown_user_names,
            K::UnknownEngineId => &mut self.usm_unknown_engine_ids,
            K::WrongDigest => &mut self.usm_wrong_digests,
            K::DecryptionError => &mut self.usm_decryption_errors,
            K::UnknownSecurityModel => &mut self.unknown_security_models,
            K::InvalidMsg => &mut self.invalid_msgs,
            K::UnknownPduHandler => &mut self.unknown_pdu_handlers,
            K::UnavailableContext => &mut self.unavailable_contexts,
            K::UnknownContext => &mut self.unknown_contexts,
            _ => return None,
        })
    }

    /// The value of an SNMPv3 counter by its instance name.
    pub(crate) fn v3_counter(&self, oid: &[u32]) -> Option<u64> {
        use crate::v3::ReportKind as K;
        Some(match K::from_oid(oid) {
            K::UnsupportedSecLevel => self.usm_unsupported_sec_levels,
            K::NotInTimeWindow => self.usm_not_in_time_windows,
            K::UnknownUserName => self.usm_unknown_user_names,
            K::UnknownEngineId => self.usm_unknown_engine_ids,
            K::WrongDigest => self.usm_wrong_digests,
            K::DecryptionError => self.usm_decryption_errors,
            K::UnknownSecurityModel => self.unknown_security_models,
            K::InvalidMsg => self.invalid_msgs,
            K::UnknownPduHandler => self.unknown_pdu_handlers,
            K::UnavailableContext => self.unavailable_contexts,
            K::UnknownContext => self.unknown_contexts,
            _ => return None,
        })
    }
}
