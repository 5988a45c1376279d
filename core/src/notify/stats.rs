//! The receiver's counters.

/// Counters kept by a [`NotificationReceiver`](super::NotificationReceiver).
///
/// Every datagram counts in `datagrams_in` and then in exactly one of: the
/// delivered counters (`v1_traps`, `traps`, `informs`), `duplicate_informs`,
/// `discovery_probes`, or one of the drop counters (`parse_errors`,
/// `bad_versions`, `v3_unsupported`, `bad_community_names`,
/// `unexpected_pdus`, `malformed_notifications`, `too_bigs`,
/// `silent_drops`, `event_queue_drops`, `response_queue_drops`, and the
/// SNMPv3 ones: `unknown_security_models`, `invalid_msgs`, the `usm_*`
/// counters less the discovery probes, `unknown_contexts`,
/// `below_min_level`). [`ReceiverStats::accounted`] checks that sum. A
/// message answered with a Report (an inform's discovery, time
/// synchronization or a USM failure) is counted in its `usm_*` counter and
/// in `reports`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceiverStats {
    /// Datagrams handed to the receiver.
    pub datagrams_in: u64,
    /// Undecodable datagrams (snmpInASNParseErrs), a v2 PDU in an SNMPv1
    /// message or a Trap-PDU in an SNMPv2c one included.
    pub parse_errors: u64,
    /// Messages of an unknown version, or of a version turned off in the
    /// configuration (snmpInBadVersions).
    pub bad_versions: u64,
    /// SNMPv3 messages while the receiver has no SNMPv3 users (no engine).
    pub v3_unsupported: u64,
    /// snmpUnknownSecurityModels: SNMPv3 messages of another security model.
    pub unknown_security_models: u64,
    /// snmpInvalidMsgs: privFlag without authFlag.
    pub invalid_msgs: u64,
    /// usmStatsUnsupportedSecLevels.
    pub usm_unsupported_sec_levels: u64,
    /// usmStatsNotInTimeWindows: informs outside the receiver's window,
    /// traps older than what their engine already sent (RFC 3414 §3.2 7b).
    pub usm_not_in_time_windows: u64,
    /// usmStatsUnknownUserNames: no user of that name (for that engine).
    pub usm_unknown_user_names: u64,
    /// usmStatsUnknownEngineIDs: informs (and discovery probes) for another
    /// engine, and traps from an engine ID that is not 5 to 32 octets.
    pub usm_unknown_engine_ids: u64,
    /// usmStatsWrongDigests.
    pub usm_wrong_digests: u64,
    /// usmStatsDecryptionErrors.
    pub usm_decryption_errors: u64,
    /// snmpUnknownContexts: informs for a context the receiver does not
    /// know (only the default context is).
    pub unknown_contexts: u64,
    /// Report-PDUs sent (counted with the failure that caused them).
    pub reports: u64,
    /// Messages whose community is not accepted (snmpInBadCommunityNames).
    pub bad_community_names: u64,
    /// PDUs that are not notifications (Get, Set, Response, ...).
    pub unexpected_pdus: u64,
    /// SNMPv2-Trap or Inform PDUs whose first two varbinds are not
    /// sysUpTime.0 and snmpTrapOID.0, and SNMPv1 traps whose generic or
    /// specific trap names no notification.
    pub malformed_notifications: u64,
    /// SNMPv1 traps delivered.
    pub v1_traps: u64,
    /// SNMPv2 traps delivered.
    pub traps: u64,
    /// Informs delivered and answered.
    pub informs: u64,
    /// Retransmitted informs answered again but not delivered twice.
    pub duplicate_informs: u64,
    /// Responses queued for sending (snmpOutGetResponses), tooBig ones included.
    pub responses: u64,
    /// Informs whose response would exceed the size limit: answered with
    /// tooBig and not delivered (RFC 3416 §4.2.7; snmpOutTooBigs).
    pub too_bigs: u64,
    /// Informs whose tooBig response did not fit either (snmpSilentDrops).
    pub silent_drops: u64,
    /// Notifications dropped because the event queue was full (the
    /// application did not keep up); an inform dropped so is not answered,
    /// so its sender retries.
    pub event_queue_drops: u64,
    /// Informs dropped because the response queue was full.
    pub response_queue_drops: u64,
    /// SNMPv3 notifications below the minimum security level of the user
    /// they name ([`ReceiverUser::min_level`](super::ReceiverUser::min_level)):
    /// dropped, never delivered, never acknowledged.
    pub below_min_level: u64,
    /// SNMPv3 discovery probes (an inform sender asking the receiver's
    /// engine ID, RFC 3414 §4) answered with a Report. Also counted in
    /// `usm_unknown_engine_ids`, as RFC 3414 §3.2 step 3b has it, but not
    /// a drop.
    pub discovery_probes: u64,
}

impl ReceiverStats {
    /// Notifications delivered, of every kind.
    pub fn delivered(&self) -> u64 {
        self.v1_traps + self.traps + self.informs
    }

    /// Datagrams dropped, for any reason.
    pub fn dropped(&self) -> u64 {
        self.parse_errors
            + self.bad_versions
            + self.v3_unsupported
            + self.bad_community_names
            + self.unexpected_pdus
            + self.malformed_notifications
            + self.too_bigs
            + self.silent_drops
            + self.event_queue_drops
            + self.response_queue_drops
            + self.unknown_security_models
            + self.invalid_msgs
            + self.usm_unsupported_sec_levels
            + self.usm_not_in_time_windows
            + self.usm_unknown_user_names
            + self
                .usm_unknown_engine_ids
                .saturating_sub(self.discovery_probes)
            + self.usm_wrong_digests
            + self.usm_decryption_errors
            + self.unknown_contexts
            + self.below_min_level
    }

    /// Whether every datagram is counted exactly once: delivered,
    /// a duplicate inform, or dropped.
    pub fn accounted(&self) -> bool {
        self.datagrams_in
            == self.delivered() + self.duplicate_informs + self.discovery_probes + self.dropped()
    }
}
