//! The notification receiver state machine (RFC 3413 §3.4 with the
//! SNMPv1/v2c message processing of RFC 3584 §5.2.1), without I/O.

use std::collections::VecDeque;
use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use crate::manager::{Transmit, MAX_UDP_MESSAGE};
use crate::message::{peek_version, MessageRef, Version};
use crate::notify::event::{NotificationEvent, NotificationKind, V1TrapFields};
use crate::notify::notification::{v1_trap_oid, Notification};
use crate::notify::oids::{
    SNMP_TRAP_ADDRESS_0, SNMP_TRAP_COMMUNITY_0, SNMP_TRAP_ENTERPRISE_0, SNMP_TRAP_OID_0,
    SYS_UP_TIME_0,
};
use crate::notify::recent::{InformKey, RecentInforms};
use crate::notify::response::Ack;
use crate::notify::stats::ReceiverStats;
use crate::pdu::{AnyPduRef, PduRef, PduType, TrapV1PduRef, VarBind};
use crate::secret::constant_time_eq;
use crate::usm::UsmUser;
use crate::v3::{EngineId, SecurityLevel};
use crate::value::{Value, ValueRef};

/// Receiver settings.
///
/// ```
/// use oxsnmp_core::notify::ReceiverConfig;
/// let config = ReceiverConfig::new().community("public").community("traps");
/// assert!(config.v1 && config.v2c && !config.translate_v1);
/// assert_eq!(config.communities.len(), 2);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceiverConfig {
    /// Accepted communities. **Empty (the default) accepts any community**,
    /// as `snmptrapd` does with `disableAuthorization yes`: a receiver
    /// usually hears from devices configured by others. With at least one
    /// entry, other communities are dropped and counted in
    /// [`ReceiverStats::bad_community_names`].
    pub communities: Vec<Vec<u8>>,
    /// Accept SNMPv1 messages (else snmpInBadVersions).
    pub v1: bool,
    /// Accept SNMPv2c messages (else snmpInBadVersions).
    pub v2c: bool,
    /// RFC 3584 §3.1 (4): append snmpTrapAddress.0 (agent-addr),
    /// snmpTrapCommunity.0 and snmpTrapEnterprise.0 to the SNMPv2 form of
    /// every SNMPv1 trap (unless already there), so a handler that reads
    /// only [`NotificationEvent::notification`] loses nothing of a v1 trap.
    /// Off by default: the SNMPv2 form then holds the trap's own varbinds
    /// and the v1 fields are in [`NotificationEvent::v1`].
    pub translate_v1: bool,
    /// The largest inform acknowledgement; larger ones become tooBig
    /// (RFC 3416 §4.2.7). Default 65507, the largest UDP/IPv4 payload.
    pub max_message_size: usize,
    /// Notifications kept for [`NotificationReceiver::poll_event`] before
    /// new ones are dropped (and informs left unanswered, so their senders
    /// retry). Default 65536.
    pub max_queued_events: usize,
    /// The memory the notifications waiting in
    /// [`NotificationReceiver::poll_event`] may take, in bytes, as
    /// [`NotificationEvent::memory_size`] counts them. A notification that
    /// would go over it is dropped like one over
    /// [`max_queued_events`](Self::max_queued_events) (an inform left
    /// unanswered), so a sender flooding a receiver whose application
    /// does not keep up costs at most this much. Default
    /// [`DEFAULT_MAX_QUEUED_BYTES`] (16 MiB).
    pub max_queued_bytes: usize,
    /// Acknowledgements kept for [`NotificationReceiver::poll_transmit`].
    /// Default 1024.
    pub max_queued_responses: usize,
    /// The bytes those acknowledgements (and Reports) may take, encoded.
    /// Default [`DEFAULT_MAX_QUEUED_RESPONSE_BYTES`] (1 MiB); a driver that
    /// drains after every datagram never comes near it.
    pub max_queued_response_bytes: usize,
    /// How many answered informs are remembered to recognise
    /// retransmissions (answered again, not delivered twice). Default
    /// 4096; 0 delivers every copy.
    pub remembered_informs: usize,
    /// How long an answered inform is remembered. Default 60 s, well past
    /// the retries of common senders (Net-SNMP: 5 retries of 1 s).
    pub inform_memory: Duration,
    /// SNMPv3 users. One with an engine ID accepts traps from that engine
    /// (Net-SNMP's `createUser -e ENGINEID`); one without accepts
    /// authenticated traps from any engine, its keys localized on first
    /// sight of each engine (at most [`max_remote_engines`](Self::max_remote_engines)
    /// kept). Informs use the receiver's own engine
    /// ([`engine_id`](Self::engine_id)), for which every user without an
    /// engine ID (or with this one) is known. Empty (the default): SNMPv3
    /// messages are counted in [`ReceiverStats::v3_unsupported`] and dropped.
    pub users: Vec<ReceiverUser>,
    /// The receiver's own snmpEngineID, the authoritative engine of the
    /// informs it receives. `None`: with users configured, one is generated
    /// from [`with_entropy`](Self::with_entropy)'s seed (the runtime
    /// crates' listeners do that).
    pub engine_id: Option<EngineId>,
    /// snmpEngineBoots of the receiver's engine.
    pub engine_boots: u32,
    /// Remote engines whose clock and localized keys are remembered.
    /// Default 10,000; the oldest is forgotten first.
    pub max_remote_engines: usize,
    /// Where the privacy salt of encrypted acknowledgements starts.
    pub salt_seed: u64,
}

impl ReceiverConfig {
    /// The defaults: any community, v1 and v2c, no v1 translation extras.
    pub fn new() -> Self {
        Self {
            communities: Vec::new(),
            v1: true,
            v2c: true,
            translate_v1: false,
            max_message_size: MAX_UDP_MESSAGE,
            max_queued_events: 65536,
            max_queued_bytes: DEFAULT_MAX_QUEUED_BYTES,
            max_queued_responses: 1024,
            max_queued_response_bytes: DEFAULT_MAX_QUEUED_RESPONSE_BYTES,
            remembered_informs: 4096,
            inform_memory: Duration::from_secs(60),
            users: Vec::new(),
            engine_id: None,
            engine_boots: 1,
            max_remote_engines: 10_000,
            salt_seed: 0,
        }
    }

    /// Adds an SNMPv3 user, tied to the sending engine `engine_id` or
    /// (with `None`) accepted from any engine, at its default minimum
    /// level ([`ReceiverUser::default_min_level`]: authNoPriv for a user
    /// with an authentication key).
    pub fn user(mut self, engine_id: Option<EngineId>, user: UsmUser) -> Self {
        self.users.push(ReceiverUser::new(engine_id, user));
        self
    }

    /// Adds an SNMPv3 user as [`user`](Self::user) does, accepting nothing
    /// below `min_level` (snmptrapd's `authUser log NAME LEVEL`).
    ///
    /// ```
    /// use oxsnmp_core::notify::ReceiverConfig;
    /// use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
    /// use oxsnmp_core::v3::SecurityLevel;
    /// let user = UsmUser::new("ops")
    ///     .unwrap()
    ///     .with_auth(AuthProtocol::Sha256, Secret::Password(b"auth secret"))
    ///     .unwrap()
    ///     .with_privacy(PrivProtocol::Aes128, Secret::Password(b"priv secret"))
    ///     .unwrap();
    /// let config = ReceiverConfig::new().user_with_min_level(None, user, SecurityLevel::AuthPriv);
    /// assert_eq!(config.users[0].min_level, SecurityLevel::AuthPriv);
    /// ```
    pub fn user_with_min_level(
        mut self,
        engine_id: Option<EngineId>,
        user: UsmUser,
        min_level: SecurityLevel,
    ) -> Self {
        self.users.push(ReceiverUser {
            min_level,
            ..ReceiverUser::new(engine_id, user)
        });
        self
    }

    /// Sets the receiver's own engine ID (for informs).
    pub fn engine_id(mut self, id: EngineId) -> Self {
        self.engine_id = Some(id);
        self
    }

    /// Fills in what needs randomness and was not configured: the salt's
    /// start and, with users but no engine ID, a generated engine ID.
    pub fn with_entropy(mut self, seed: u64) -> Self {
        if self.salt_seed == 0 {
            self.salt_seed = seed;
        }
        if self.engine_id.is_none() && !self.users.is_empty() {
            let octets = seed
                .rotate_left(23)
                .wrapping_mul(0x9e37_79b9_7f4a_7c15)
                .to_be_bytes();
            self.engine_id = Some(EngineId::generated(crate::v3::DEFAULT_ENTERPRISE, octets));
        }
        self
    }

    /// Accepts this community (and, once one is set, only the listed ones).
    pub fn community(mut self, community: impl AsRef<[u8]>) -> Self {
        self.communities.push(community.as_ref().to_vec());
        self
    }

    /// Sets [`translate_v1`](Self::translate_v1).
    pub fn translate_v1(mut self, on: bool) -> Self {
        self.translate_v1 = on;
        self
    }
}

/// The default of [`ReceiverConfig::max_queued_bytes`]: 16 MiB.
pub const DEFAULT_MAX_QUEUED_BYTES: usize = 16 << 20;

/// The default of [`ReceiverConfig::max_queued_response_bytes`]: 1 MiB.
pub const DEFAULT_MAX_QUEUED_RESPONSE_BYTES: usize = 1 << 20;

impl Default for ReceiverConfig {
    fn default() -> Self {
        Self::new()
    }
}

#[derive(Debug, Clone, Copy)]
struct Queued {
    destination: SocketAddr,
    start: usize,
    end: usize,
}

/// The notification receiver: decodes SNMPv1 traps, SNMPv2c traps and
/// informs, answers informs, and delivers each notification once as a
/// [`NotificationEvent`].
///
/// # Driving it
///
/// Feed every datagram to [`handle_datagram`](Self::handle_datagram), then
/// drain [`poll_transmit`](Self::poll_transmit) (acknowledgements of
/// informs, to send from the socket the inform came in on) and
/// [`poll_event`](Self::poll_event) until both are empty. There are no
/// timers. Nothing from the network panics: every datagram that is not
/// delivered is counted in one of the [`ReceiverStats`] drop counters.
///
/// ```
/// use std::time::Instant;
/// use oxsnmp_core::notify::{oids, Notification, NotificationKind, NotificationReceiver, ReceiverConfig};
/// use oxsnmp_core::{Message, MessageRef, Pdu, PduType, Version};
///
/// let mut receiver = NotificationReceiver::new(ReceiverConfig::new().community("public"));
/// let inform = Pdu {
///     pdu_type: PduType::InformRequest,
///     request_id: 42,
///     error_status: 0,
///     error_index: 0,
///     varbinds: Notification::new(100, oids::COLD_START).to_varbinds(),
/// };
/// let sender = "192.0.2.7:50000".parse().unwrap();
/// let bytes = Message::new(Version::V2c, "public", inform).to_bytes();
/// receiver.handle_datagram(Instant::now(), sender, &bytes);
///
/// let event = receiver.poll_event().unwrap();
/// assert_eq!((event.kind, event.source), (NotificationKind::Inform, sender));
/// assert_eq!(event.trap_oid(), &oids::COLD_START);
/// // The acknowledgement: same request-id and varbinds (RFC 3416 §4.2.7).
/// let ack = receiver.poll_transmit().unwrap();
/// assert_eq!(ack.destination, sender);
/// let answer = MessageRef::decode(&ack.payload).unwrap();
/// let pdu = answer.pdu().unwrap();
/// assert_eq!((pdu.pdu_type, pdu.request_id, pdu.varbinds.len()), (PduType::Response, 42, 2));
/// ```
#[derive(Debug)]
pub struct NotificationReceiver {
    config: ReceiverConfig,
    stats: ReceiverStats,
    /// Waiting notifications, each with its [`NotificationEvent::memory_size`].
    events: VecDeque<(NotificationEvent, usize)>,
    /// What `events` takes, as [`NotificationEvent::memory_size`] counts.
    queued_bytes: usize,
    /// Encoded acknowledgements waiting in `queue`, back to back.
    out: Vec<u8>,
    queue: VecDeque<Queued>,
    recent: RecentInforms,
    /// SNMPv3: the receiver's engine, its users and the senders' engines,
    /// set up when the first datagram arrives (its time is the engine's
    /// start).
    usm: Option<v3::V3Receiver>,
}

mod v3;

pub use v3::ReceiverUser;

/// Why a datagram was not delivered, as
/// [`NotificationReceiver::handle_datagram`] returns it: each reason is
/// one drop counter of [`ReceiverStats`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DropReason {
    /// Undecodable (`parse_errors`).
    ParseError,
    /// Unknown or disabled version (`bad_versions`).
    BadVersion,
    /// SNMPv3 without users configured (`v3_unsupported`).
    V3Unsupported,
    /// Community not accepted (`bad_community_names`).
    BadCommunity,
    /// Not a notification PDU (`unexpected_pdus`).
    UnexpectedPdu,
    /// A notification without sysUpTime.0 and snmpTrapOID.0 first, or an
    /// SNMPv1 trap naming none (`malformed_notifications`).
    Malformed,
    /// An inform answered with tooBig (`too_bigs`).
    TooBig,
    /// An inform whose tooBig answer did not fit either (`silent_drops`).
    SilentDrop,
    /// The application did not keep up: the event queue is at its count
    /// or byte limit (`event_queue_drops`).
    EventQueueFull,
    /// The acknowledgement queue is full (`response_queue_drops`).
    ResponseQueueFull,
    /// SNMPv3 with another security model (`unknown_security_models`).
    UnknownSecurityModel,
    /// SNMPv3 privFlag without authFlag (`invalid_msgs`).
    InvalidMsg,
    /// A level above what the user supports (`usm_unsupported_sec_levels`).
    UnsupportedSecLevel,
    /// Outside the time window (`usm_not_in_time_windows`).
    NotInTimeWindow,
    /// No such user (`usm_unknown_user_names`).
    UnknownUserName,
    /// An engine the receiver does not serve (`usm_unknown_engine_ids`).
    UnknownEngineId,
    /// A wrong digest (`usm_wrong_digests`).
    WrongDigest,
    /// Undecryptable (`usm_decryption_errors`).
    DecryptionError,
    /// An inform for a context other than `""` (`unknown_contexts`).
    UnknownContext,
    /// Below the user's minimum security level (`below_min_level`): a
    /// noAuthNoPriv notification naming a user with keys, for example.
    BelowMinLevel,
}

impl std::fmt::Display for DropReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            DropReason::ParseError => "undecodable message",
            DropReason::BadVersion => "unknown or disabled SNMP version",
            DropReason::V3Unsupported => "SNMPv3 message but no SNMPv3 users configured",
            DropReason::BadCommunity => "community not accepted",
            DropReason::UnexpectedPdu => "not a notification PDU",
            DropReason::Malformed => "malformed notification",
            DropReason::TooBig => "inform answered with tooBig",
            DropReason::SilentDrop => "inform too big to answer",
            DropReason::EventQueueFull => "notification queue full (the application lags)",
            DropReason::ResponseQueueFull => "acknowledgement queue full",
            DropReason::UnknownSecurityModel => "unknown security model",
            DropReason::InvalidMsg => "invalid message flags",
            DropReason::UnsupportedSecLevel => "security level not supported by the user",
            DropReason::NotInTimeWindow => "not in time window",
            DropReason::UnknownUserName => "unknown user name",
            DropReason::UnknownEngineId => "unknown engine ID",
            DropReason::WrongDigest => "wrong digest",
            DropReason::DecryptionError => "decryption error",
            DropReason::UnknownContext => "unknown context",
            DropReason::BelowMinLevel => "below the user's minimum security level",
        })
    }
}

use DropReason as Dropped;

impl Dropped {
    fn count(self, s: &mut ReceiverStats) {
        let counter = match self {
            Dropped::ParseError => &mut s.parse_errors,
            Dropped::BadVersion => &mut s.bad_versions,
            Dropped::V3Unsupported => &mut s.v3_unsupported,
            Dropped::BadCommunity => &mut s.bad_community_names,
            Dropped::UnexpectedPdu => &mut s.unexpected_pdus,
            Dropped::Malformed => &mut s.malformed_notifications,
            Dropped::TooBig => &mut s.too_bigs,
            Dropped::SilentDrop => &mut s.silent_drops,
            Dropped::EventQueueFull => &mut s.event_queue_drops,
            Dropped::ResponseQueueFull => &mut s.response_queue_drops,
            Dropped::UnknownSecurityModel => &mut s.unknown_security_models,
            Dropped::InvalidMsg => &mut s.invalid_msgs,
            Dropped::UnsupportedSecLevel => &mut s.usm_unsupported_sec_levels,
            Dropped::NotInTimeWindow => &mut s.usm_not_in_time_windows,
            Dropped::UnknownUserName => &mut s.usm_unknown_user_names,
            Dropped::UnknownEngineId => &mut s.usm_unknown_engine_ids,
            Dropped::WrongDigest => &mut s.usm_wrong_digests,
            Dropped::DecryptionError => &mut s.usm_decryption_errors,
            Dropped::UnknownContext => &mut s.unknown_contexts,
            Dropped::BelowMinLevel => &mut s.below_min_level,
        };
        *counter += 1;
    }
}

/// What the handling of one datagram decided.
type Verdict = Result<(), Dropped>;

impl NotificationReceiver {
    /// A receiver with these settings.
    pub fn new(config: ReceiverConfig) -> Self {
        let recent = RecentInforms::new(config.remembered_informs, config.inform_memory);
        Self {
            config,
            stats: ReceiverStats::default(),
            events: VecDeque::new(),
            queued_bytes: 0,
            out: Vec::new(),
            queue: VecDeque::new(),
            recent,
            usm: None,
        }
    }

    /// The settings.
    pub fn config(&self) -> &ReceiverConfig {
        &self.config
    }

    /// The counters.
    pub fn stats(&self) -> ReceiverStats {
        self.stats
    }

    /// Notifications waiting in [`poll_event`](Self::poll_event).
    pub fn queued_events(&self) -> usize {
        self.events.len()
    }

    /// The memory those notifications take, in bytes (at most
    /// [`ReceiverConfig::max_queued_bytes`]).
    pub fn queued_bytes(&self) -> usize {
        self.queued_bytes
    }

    /// Feeds one datagram received from `from` at `now`; then drain
    /// [`poll_transmit`](Self::poll_transmit) and [`poll_event`](Self::poll_event).
    ///
    /// Returns why the datagram was dropped, if it was (the same reason is
    /// counted in [`stats`](Self::stats)), for a driver to log; `None` for
    /// a notification delivered, a retransmitted inform answered again, or
    /// an SNMPv3 discovery probe answered.
    pub fn handle_datagram(
        &mut self,
        now: Instant,
        from: SocketAddr,
        bytes: &[u8],
    ) -> Option<DropReason> {
        self.stats.datagrams_in += 1;
        // The one place where message versions part ways (RFC 3412 §7.2
        // step 2 / RFC 3584 §5.2.1): each version's processing decides
        // what to deliver and counts what it drops.
        let verdict = match peek_version(bytes) {
            Ok(0) if self.config.v1 => self.handle_community(now, from, bytes),
            Ok(1) if self.config.v2c => self.handle_community(now, from, bytes),
            // SNMPv3: USM, with the receiver authoritative for informs and
            // the sender for traps (receiver/v3.rs).
            Ok(3) => self.handle_v3(now, from, bytes),
            Ok(_) => Err(Dropped::BadVersion),
            Err(_) => Err(Dropped::ParseError),
        };
        let dropped = verdict.err();
        if let Some(reason) = dropped {
            reason.count(&mut self.stats);
        }
        dropped
    }

    /// SNMPv1 and SNMPv2c: RFC 3584 §5.2.1, community-based security.
    fn handle_community(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) -> Verdict {
        let msg = MessageRef::decode(bytes).map_err(|_| Dropped::ParseError)?;
        if !self.community_accepted(msg.community) {
            return Err(Dropped::BadCommunity);
        }
        let origin = Origin {
            now,
            from,
            version: msg.version,
            community: msg.community,
            v3: None,
        };
        match msg.any_pdu {
            AnyPduRef::TrapV1(trap) => self.handle_v1_trap(&origin, &trap),
            AnyPduRef::Pdu(pdu) => self.handle_pdu(&origin, &pdu, bytes),
        }
    }

    fn community_accepted(&self, community: &[u8]) -> bool {
        let list = &self.config.communities;
        // Every entry is compared, so the time taken does not tell which
        // prefix matched.
        list.is_empty()
            || list
                .iter()
                .fold(false, |ok, c| constant_time_eq(c, community) | ok)
    }

    fn room_for_event(&self) -> Verdict {
        if self.events.len() >= self.config.max_queued_events
            || self.queued_bytes >= self.config.max_queued_bytes
        {
            return Err(Dropped::EventQueueFull);
        }
        Ok(())
    }

    fn room_for_response(&self) -> Verdict {
        if self.queue.len() >= self.config.max_queued_responses
            || self.out.len() >= self.config.max_queued_response_bytes
        {
            return Err(Dropped::ResponseQueueFull);
        }
        Ok(())
    }

    fn handle_v1_trap(&mut self, origin: &Origin<'_>, trap: &TrapV1PduRef<'_>) -> Verdict {
        self.room_for_event()?;
        let enterprise = trap.enterprise.to_oid();
        let trap_oid = v1_trap_oid(&enterprise, trap.generic_trap, trap.specific_trap)
            .map_err(|_| Dropped::Malformed)?;
        let agent_addr = Ipv4Addr::from(trap.agent_addr);
        let mut varbinds = trap.varbinds.to_vec();
        if self.config.translate_v1 {
            // RFC 3584 §3.1 (4), each only if not already present.
            let extras = [
                (SNMP_TRAP_ADDRESS_0, Value::IpAddress(agent_addr)),
                (
                    SNMP_TRAP_COMMUNITY_0,
                    Value::OctetString(origin.community.to_vec()),
                ),
                (
                    SNMP_TRAP_ENTERPRISE_0,
                    Value::ObjectIdentifier(enterprise.clone()),
                ),
            ];
            for (oid, value) in extras {
                if !varbinds.iter().any(|vb| vb.oid == oid) {
                    varbinds.push(VarBind::new(oid, value));
                }
            }
        }
        let v1 = V1TrapFields {
            enterprise,
            agent_addr,
            generic_trap: trap.generic_trap,
            specific_trap: trap.specific_trap,
            time_stamp: trap.time_stamp,
        };
        let notification = Notification {
            sys_up_time: trap.time_stamp,
            trap_oid,
            varbinds,
        };
        self.deliver(origin, NotificationKind::TrapV1, 0, notification, Some(v1))?;
        self.stats.v1_traps += 1;
        Ok(())
    }

    fn handle_pdu(&mut self, origin: &Origin<'_>, pdu: &PduRef<'_>, bytes: &[u8]) -> Verdict {
        match pdu.pdu_type {
            PduType::SnmpV2Trap => {
                self.room_for_event()?;
                let notification = v2_form(pdu)?;
                let kind = NotificationKind::Trap;
                self.deliver(origin, kind, pdu.request_id, notification, None)?;
                self.stats.traps += 1;
                Ok(())
            }
            PduType::InformRequest => self.handle_inform(origin, pdu, bytes),
            _ => Err(Dropped::UnexpectedPdu),
        }
    }

    /// RFC 3416 §4.2.7: deliver, then acknowledge with a Response carrying
    /// the same request-id and varbinds.
    fn handle_inform(&mut self, origin: &Origin<'_>, pdu: &PduRef<'_>, bytes: &[u8]) -> Verdict {
        // SNMPv3 retransmissions differ in every octet (msgID, salt): the
        // varbinds identify them.
        let identity = if origin.v3.is_some() {
            pdu.varbinds.raw()
        } else {
            bytes
        };
        let key = InformKey::new(origin.from, pdu.request_id, identity);
        self.room_for_response()?;
        let vbl = pdu.varbinds.raw();
        let ack = Ack {
            version: origin.version,
            community: origin.community,
            request_id: pdu.request_id,
            error_status: 0,
        };
        if self.recent.contains(origin.now, &key) {
            // Our answer was lost and the sender retried: answer again,
            // but the application has it already.
            self.acknowledge(origin, &ack, vbl);
            self.stats.duplicate_informs += 1;
            return Ok(());
        }
        self.room_for_event()?;
        let limit = self.ack_limit(origin);
        if self.ack_len(origin, &ack, vbl.len()) > limit {
            let too_big = Ack {
                error_status: 1,
                ..ack
            };
            if self.ack_len(origin, &too_big, 0) > limit {
                return Err(Dropped::SilentDrop);
            }
            self.acknowledge(origin, &too_big, &[]);
            return Err(Dropped::TooBig);
        }
        let notification = v2_form(pdu)?;
        let kind = NotificationKind::Inform;
        // Delivered before it is acknowledged: an inform the queue has no
        // room for goes unanswered, so its sender retries.
        self.deliver(origin, kind, pdu.request_id, notification, None)?;
        self.acknowledge(origin, &ack, vbl);
        self.recent.insert(origin.now, key);
        self.stats.informs += 1;
        Ok(())
    }

    /// The largest acknowledgement: ours, and for SNMPv3 the sender's
    /// msgMaxSize too.
    fn ack_limit(&self, origin: &Origin<'_>) -> usize {
        let own = self.config.max_message_size;
        origin
            .v3
            .as_ref()
            .map_or(own, |v| own.min(v.sender_max_size))
    }

    fn ack_len(&self, origin: &Origin<'_>, ack: &Ack<'_>, vbl_len: usize) -> usize {
        match &origin.v3 {
            None => ack.message_len(vbl_len),
            Some(v) => v.ack_len(ack, vbl_len),
        }
    }

    fn acknowledge(&mut self, origin: &Origin<'_>, ack: &Ack<'_>, vbl: &[u8]) {
        let start = self.out.len();
        match &origin.v3 {
            None => ack.write(&mut self.out, vbl),
            Some(v) => {
                if !self.write_v3_ack(origin.now, v, ack, vbl) {
                    self.out.truncate(start);
                    return;
                }
            }
        }
        self.queue.push_back(Queued {
            destination: origin.from,
            start,
            end: self.out.len(),
        });
        self.stats.responses += 1;
    }

    fn deliver(
        &mut self,
        origin: &Origin<'_>,
        kind: NotificationKind,
        request_id: i32,
        notification: Notification,
        v1: Option<V1TrapFields>,
    ) -> Verdict {
        let event = NotificationEvent {
            received_at: origin.now,
            source: origin.from,
            version: origin.version,
            community: origin.community.to_vec(),
            kind,
            request_id,
            notification,
            v1,
            v3: origin.v3.as_ref().map(v3::V3Origin::source),
        };
        let size = event.memory_size();
        if self.events.len() >= self.config.max_queued_events
            || self.queued_bytes.saturating_add(size) > self.config.max_queued_bytes
        {
            return Err(Dropped::EventQueueFull);
        }
        self.queued_bytes += size;
        self.events.push_back((event, size));
        Ok(())
    }

    /// The next notification received.
    pub fn poll_event(&mut self) -> Option<NotificationEvent> {
        let (event, size) = self.events.pop_front()?;
        self.queued_bytes = self.queued_bytes.saturating_sub(size);
        if self.events.is_empty() && self.events.capacity() > 1024 {
            // After a flood, give back the slots too.
            self.events = VecDeque::new();
        }
        Some(event)
    }

    fn pop_queued(&mut self) -> Option<Queued> {
        let q = self.queue.pop_front();
        if q.is_none() {
            self.out.clear();
        }
        q
    }

    /// The next acknowledgement to send, in a freshly allocated buffer.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        let q = self.pop_queued()?;
        let payload = self.out.get(q.start..q.end).unwrap_or(&[]).to_vec();
        if self.queue.is_empty() {
            self.out.clear();
        }
        Some(Transmit {
            destination: q.destination,
            payload,
        })
    }

    /// The next acknowledgement, copied into `buf` (cleared first, its
    /// capacity reused); returns its destination.
    pub fn poll_transmit_into(&mut self, buf: &mut Vec<u8>) -> Option<SocketAddr> {
        let q = self.pop_queued()?;
        buf.clear();
        buf.extend_from_slice(self.out.get(q.start..q.end).unwrap_or(&[]));
        if self.queue.is_empty() {
            self.out.clear();
        }
        Some(q.destination)
    }
}

/// Where a message came from and under which version and community (or
/// SNMPv3 security).
struct Origin<'a> {
    now: Instant,
    from: SocketAddr,
    version: Version,
    community: &'a [u8],
    v3: Option<v3::V3Origin<'a>>,
}

/// The SNMPv2 form of an SNMPv2-Trap or Inform PDU: its first two varbinds
/// must be sysUpTime.0 and snmpTrapOID.0 (RFC 3416 §4.2.6, §4.2.7).
fn v2_form(pdu: &PduRef<'_>) -> Result<Notification, Dropped> {
    let malformed = Dropped::Malformed;
    let mut it = pdu.varbinds.iter();
    let sys_up_time = match it.next() {
        Some(vb) if vb.oid == SYS_UP_TIME_0 => match vb.value {
            ValueRef::TimeTicks(t) => t,
            _ => return Err(malformed),
        },
        _ => return Err(malformed),
    };
    let trap_oid = match it.next() {
        Some(vb) if vb.oid == SNMP_TRAP_OID_0 => match vb.value {
            ValueRef::ObjectIdentifier(o) => o.to_oid(),
            _ => return Err(malformed),
        },
        _ => return Err(malformed),
    };
    let mut varbinds = Vec::with_capacity(it.len());
    varbinds.extend(it.map(|vb| vb.to_owned()));
    Ok(Notification {
        sys_up_time,
        trap_oid,
        varbinds,
    })
}
