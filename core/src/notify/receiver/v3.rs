//! SNMPv3 notifications at the receiver (RFC 3413 §3.4 over RFC 3412 and
//! RFC 3414). The authoritative engine differs by PDU class:
//!
//! * an **inform** (Confirmed Class) is addressed to the receiver's own
//!   engine: the receiver checks it as an agent checks a request (time
//!   window, users localized to its engine) and answers discovery probes
//!   and failures with Reports;
//! * a **trap** (Unconfirmed Class) carries the sender's engine: its user
//!   is looked up for that engine (`createUser -e`) or, for a user
//!   configured without an engine, localized to it on first sight; the
//!   receiver keeps a notion of each sender's clock and drops traps older
//!   than the window (RFC 3414 §3.2 step 7b). Nothing is ever answered.
//!
//! Authentication always comes before decryption, and nothing of an
//! unauthenticated message is believed beyond what the level allows.

use std::collections::{HashMap, VecDeque};
use std::hash::Hash;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::message::Version;
use crate::notify::event::V3Source;
use crate::notify::response::Ack;
use crate::pdu::PduType;
use crate::usm::authoritative::{reportable, Checked, LocalEngine, BOOTS_LATCHED, TIME_WINDOW};
use crate::usm::{authenticate, decrypt, Outgoing, UserKeys, UsmUser};
use crate::v3::{
    scoped_pdu_len, write_scoped_pdu_header, EngineId, ReportKind, ScopedPduData, ScopedPduRef,
    SecurityLevel, UsmParamsRef, V3MessageRef, SECURITY_MODEL_USM,
};

use super::{Dropped, NotificationReceiver, Origin, Queued, ReceiverConfig, Verdict};

/// An SNMPv3 user a receiver knows (Net-SNMP's `createUser [-e ENGINEID]
/// NAME ...` in snmptrapd.conf) and the least security level it accepts
/// for that user (snmptrapd's `authUser log NAME LEVEL`).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ReceiverUser {
    /// The sending engine the user is tied to; `None` for any engine.
    pub engine_id: Option<EngineId>,
    /// The user.
    pub user: UsmUser,
    /// Notifications under this user's name below this level are dropped
    /// (counted in `below_min_level`), never delivered and never
    /// acknowledged. User names travel in clear: without this rule anyone
    /// could send a noAuthNoPriv trap in the name of an authenticated user
    /// (RFC 3414 §3.2 step 5 refuses only levels above what a user
    /// supports; the minimum is access control's, RFC 3415 §3.2).
    pub min_level: SecurityLevel,
}

impl ReceiverUser {
    /// `user` for `engine_id` (or any engine) at its
    /// [`default_min_level`](Self::default_min_level).
    pub fn new(engine_id: Option<EngineId>, user: UsmUser) -> Self {
        let min_level = Self::default_min_level(&user);
        Self {
            engine_id,
            user,
            min_level,
        }
    }

    /// authNoPriv for a user with an authentication key, noAuthNoPriv for
    /// one without: what snmptrapd's `authUser` defaults to and what the
    /// agent's VACM entries for its users require.
    ///
    /// ```
    /// use oxsnmp_core::notify::ReceiverUser;
    /// use oxsnmp_core::usm::{AuthProtocol, Secret, UsmUser};
    /// use oxsnmp_core::v3::SecurityLevel;
    /// let plain = UsmUser::new("guest").unwrap();
    /// assert_eq!(ReceiverUser::default_min_level(&plain), SecurityLevel::NoAuthNoPriv);
    /// let authed = plain.with_auth(AuthProtocol::Sha1, Secret::Password(b"auth secret")).unwrap();
    /// assert_eq!(ReceiverUser::default_min_level(&authed), SecurityLevel::AuthNoPriv);
    /// ```
    pub fn default_min_level(user: &UsmUser) -> SecurityLevel {
        if user.auth_protocol().is_some() {
            SecurityLevel::AuthNoPriv
        } else {
            SecurityLevel::NoAuthNoPriv
        }
    }
}

/// A map that forgets its oldest entry beyond a capacity.
#[derive(Debug)]
struct Bounded<K, V> {
    map: HashMap<K, V>,
    order: VecDeque<K>,
    capacity: usize,
}

impl<K: Hash + Eq + Clone, V> Bounded<K, V> {
    fn new(capacity: usize) -> Self {
        Self {
            map: HashMap::new(),
            order: VecDeque::new(),
            capacity: capacity.max(1),
        }
    }

    fn get(&self, k: &K) -> Option<&V> {
        self.map.get(k)
    }

    fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        self.map.get_mut(k)
    }

    fn insert(&mut self, k: K, v: V) {
        if self.map.insert(k.clone(), v).is_none() {
            self.order.push_back(k);
            while self.order.len() > self.capacity {
                if let Some(old) = self.order.pop_front() {
                    self.map.remove(&old);
                }
            }
        }
    }
}

/// What the receiver believes about a sender's clock (RFC 3414 §2.3).
#[derive(Debug, Clone, Copy)]
struct Clock {
    boots: u32,
    time: u32,
    latest: u32,
    at: Instant,
}

/// (engine ID, user name).
type EngineUser = (Vec<u8>, Vec<u8>);

/// The receiver's SNMPv3 state.
#[derive(Debug)]
pub(super) struct V3Receiver {
    /// The receiver's own engine (informs).
    local: LocalEngine,
    /// Users tied to a sending engine: (engine, name) -> keys and the
    /// least level accepted.
    exact: HashMap<EngineUser, (Arc<UserKeys>, SecurityLevel)>,
    /// Users for any engine, by name, with the least level accepted.
    wildcard: HashMap<Vec<u8>, (UsmUser, SecurityLevel)>,
    /// Wildcard users' keys per sending engine, with their least level.
    localized: Bounded<EngineUser, (Arc<UserKeys>, SecurityLevel)>,
    /// The least level of each user the receiver's own engine knows
    /// (informs): the user tied to that engine, else the any-engine one.
    local_min: HashMap<Vec<u8>, SecurityLevel>,
    /// Each sending engine's clock.
    clocks: Bounded<Vec<u8>, Clock>,
}

impl V3Receiver {
    /// The state for `config`, started at `now`; `None` without users.
    pub(super) fn new(config: &ReceiverConfig, now: Instant) -> Option<Self> {
        if config.users.is_empty() {
            return None;
        }
        let id = config
            .engine_id
            .clone()
            .unwrap_or_else(|| EngineId::generated(crate::v3::DEFAULT_ENTERPRISE, [0; 8]));
        let mut local = LocalEngine::new(&id, config.engine_boots, config.salt_seed, now);
        let mut exact = HashMap::new();
        let mut wildcard = HashMap::new();
        let mut local_min = HashMap::new();
        for u in &config.users {
            match &u.engine_id {
                Some(e) => {
                    let keys = Arc::new(u.user.keys_for(e.as_bytes()));
                    let slot = (e.as_bytes().to_vec(), u.user.name().to_vec());
                    exact.insert(slot, (keys, u.min_level));
                    if e == &id {
                        local.add_user(&u.user);
                        local_min.insert(u.user.name().to_vec(), u.min_level);
                    }
                }
                None => {
                    local.add_user(&u.user);
                    wildcard.insert(u.user.name().to_vec(), (u.user.clone(), u.min_level));
                    // A user tied to the receiver's engine wins.
                    local_min
                        .entry(u.user.name().to_vec())
                        .or_insert(u.min_level);
                }
            }
        }
        Some(Self {
            local,
            exact,
            wildcard,
            localized: Bounded::new(config.max_remote_engines),
            local_min,
            clocks: Bounded::new(config.max_remote_engines),
        })
    }

    /// The keys of `user` for the sending `engine`, localized once, and
    /// the least level accepted from it: the user tied to that engine if
    /// there is one, else the any-engine user of that name.
    fn remote_keys(
        &mut self,
        engine: &[u8],
        user: &[u8],
    ) -> Option<(Arc<UserKeys>, SecurityLevel)> {
        let slot = (engine.to_vec(), user.to_vec());
        if let Some((k, level)) = self.exact.get(&slot) {
            return Some((Arc::clone(k), *level));
        }
        if let Some((k, level)) = self.localized.get(&slot) {
            return Some((Arc::clone(k), *level));
        }
        let (u, level) = self.wildcard.get(user)?;
        let (keys, level) = (Arc::new(u.keys_for(engine)), *level);
        self.localized.insert(slot, (Arc::clone(&keys), level));
        Some((keys, level))
    }

    /// The least level accepted from `user` at the receiver's own engine.
    fn local_min_level(&self, user: &[u8]) -> SecurityLevel {
        // Unreachable for a user USM accepted; the strictest otherwise.
        self.local_min
            .get(user)
            .copied()
            .unwrap_or(SecurityLevel::AuthPriv)
    }

    /// RFC 3414 §3.2 step 7b for a trap from `engine`: adopts newer clock
    /// values, and says whether the message is within the window.
    fn timely(&mut self, now: Instant, engine: &[u8], boots: u32, time: u32) -> bool {
        let key = engine.to_vec();
        match self.clocks.get_mut(&key) {
            None => {
                self.clocks.insert(
                    key,
                    Clock {
                        boots,
                        time,
                        latest: time,
                        at: now,
                    },
                );
                boots != BOOTS_LATCHED
            }
            Some(c) => {
                if boots > c.boots || (boots == c.boots && time > c.latest) {
                    *c = Clock {
                        boots,
                        time,
                        latest: time,
                        at: now,
                    };
                }
                let elapsed = now.saturating_duration_since(c.at).as_secs();
                let local = u64::from(c.time).saturating_add(elapsed);
                let too_old = u64::from(time).saturating_add(u64::from(TIME_WINDOW)) < local;
                !(c.boots == BOOTS_LATCHED || boots < c.boots || (boots == c.boots && too_old))
            }
        }
    }
}

/// How an SNMPv3 notification came, for the event and the acknowledgement.
#[derive(Debug, Clone)]
pub(super) struct V3Origin<'a> {
    user_name: &'a [u8],
    level: SecurityLevel,
    engine_id: &'a [u8],
    context_engine_id: &'a [u8],
    context_name: &'a [u8],
    msg_id: i32,
    pub(super) sender_max_size: usize,
    /// The user's keys for the receiver's engine (informs).
    keys: Arc<UserKeys>,
}

impl V3Origin<'_> {
    pub(super) fn source(&self) -> V3Source {
        V3Source {
            user_name: self.user_name.to_vec(),
            level: self.level,
            engine_id: self.engine_id.to_vec(),
            context_engine_id: self.context_engine_id.to_vec(),
            context_name: self.context_name.to_vec(),
        }
    }

    /// An upper bound of the acknowledgement's size: the receiver's
    /// boots and time take at most five octets each, so they are measured
    /// at their largest.
    pub(super) fn ack_len(&self, ack: &Ack<'_>, vbl_len: usize) -> usize {
        let scoped = scoped_pdu_len(
            self.context_engine_id.len(),
            self.context_name.len(),
            ack.pdu_len(vbl_len),
        );
        Outgoing {
            msg_id: self.msg_id,
            max_size: i32::MAX,
            level: self.level,
            reportable: false,
            engine_id: self.engine_id,
            boots: BOOTS_LATCHED,
            time: BOOTS_LATCHED,
            user_name: self.user_name,
            keys: Some(&self.keys),
            salt: 0,
        }
        .message_len(scoped)
    }
}

impl NotificationReceiver {
    /// An SNMPv3 datagram.
    pub(super) fn handle_v3(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) -> Verdict {
        if self.usm.is_none() {
            self.usm = V3Receiver::new(&self.config, now);
        }
        if self.usm.is_none() {
            return Err(Dropped::V3Unsupported);
        }
        // RFC 3412 §7.2 steps 2-5.
        let msg = V3MessageRef::decode(bytes).map_err(|_| Dropped::ParseError)?;
        if msg.security_model != SECURITY_MODEL_USM {
            return Err(Dropped::UnknownSecurityModel);
        }
        let level = msg.flags.level().ok_or(Dropped::InvalidMsg)?;
        let params = msg.usm().map_err(|_| Dropped::ParseError)?;
        let own = self
            .usm
            .as_ref()
            .is_some_and(|u| params.engine_id == u.local.engine_id());
        if own {
            self.v3_authoritative(now, from, bytes, &msg, &params, level)
        } else if msg.flags.reportable() {
            // An inform (or a discovery probe) for another engine: tell
            // the sender ours (RFC 3414 §3.2 step 3b, §4).
            let (may_report, request_id) = reportable(&msg);
            let reported = may_report
                && self.v3_report(
                    now,
                    from,
                    &msg,
                    &params,
                    request_id,
                    ReportKind::UnknownEngineId,
                    SecurityLevel::NoAuthNoPriv,
                    None,
                );
            if reported && params.engine_id.is_empty() && level == SecurityLevel::NoAuthNoPriv {
                // An inform sender's discovery probe (RFC 3414 §4): answered,
                // counted in usmStatsUnknownEngineIDs as §3.2 step 3b says,
                // and not a drop.
                self.stats.usm_unknown_engine_ids += 1;
                self.stats.discovery_probes += 1;
                return Ok(());
            }
            Err(Dropped::UnknownEngineId)
        } else {
            self.v3_trap(now, from, bytes, &msg, &params, level)
        }
    }

    /// A message for the receiver's own engine: an inform.
    fn v3_authoritative(
        &mut self,
        now: Instant,
        from: SocketAddr,
        bytes: &[u8],
        msg: &V3MessageRef<'_>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
    ) -> Verdict {
        let (may_report, request_id) = reportable(msg);
        let mut plain = Vec::new();
        let Some(usm) = self.usm.as_ref() else {
            return Err(Dropped::V3Unsupported);
        };
        let engine_id: Arc<[u8]> = Arc::clone(&usm.local.id);
        match usm.local.check(now, bytes, msg, params, level, &mut plain) {
            Checked::Malformed => Err(Dropped::ParseError),
            Checked::Refused { kind, level, keys } => {
                let drop = dropped_for(&kind);
                if may_report {
                    self.v3_report(
                        now,
                        from,
                        msg,
                        params,
                        request_id,
                        kind,
                        level,
                        keys.as_deref(),
                    );
                }
                Err(drop)
            }
            Checked::Accepted { keys, scoped } => {
                if level < usm.local_min_level(params.user_name) {
                    return Err(Dropped::BelowMinLevel);
                }
                // Only the default context exists at a receiver.
                if !scoped.context_name.is_empty() {
                    if confirmed_pdu(&scoped) {
                        self.v3_report(
                            now,
                            from,
                            msg,
                            params,
                            scoped.pdu.request_id,
                            ReportKind::UnknownContext,
                            level,
                            Some(&keys),
                        );
                    }
                    return Err(Dropped::UnknownContext);
                }
                let origin = Origin {
                    now,
                    from,
                    version: Version::V3,
                    community: b"",
                    v3: Some(V3Origin {
                        user_name: params.user_name,
                        level,
                        engine_id: &engine_id,
                        context_engine_id: scoped.context_engine_id,
                        context_name: scoped.context_name,
                        msg_id: msg.msg_id,
                        sender_max_size: usize::try_from(msg.max_size).unwrap_or(usize::MAX),
                        keys,
                    }),
                };
                self.handle_pdu(&origin, &scoped.pdu, bytes)
            }
        }
    }

    /// A message carrying the sender's engine: a trap (never answered).
    fn v3_trap(
        &mut self,
        now: Instant,
        from: SocketAddr,
        bytes: &[u8],
        msg: &V3MessageRef<'_>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
    ) -> Verdict {
        let Some(usm) = self.usm.as_mut() else {
            return Err(Dropped::V3Unsupported);
        };
        if !(5..=32).contains(&params.engine_id.len()) {
            return Err(Dropped::UnknownEngineId);
        }
        let (keys, min_level) = usm
            .remote_keys(params.engine_id, params.user_name)
            .ok_or(Dropped::UnknownUserName)?;
        if level > keys.max_level() {
            return Err(Dropped::UnsupportedSecLevel);
        }
        if level < min_level {
            return Err(Dropped::BelowMinLevel);
        }
        let mut plain = Vec::new();
        if level.is_authenticated() {
            if !authenticate(bytes, params, &keys) {
                return Err(Dropped::WrongDigest);
            }
            if !usm.timely(now, params.engine_id, params.boots, params.time) {
                return Err(Dropped::NotInTimeWindow);
            }
        }
        let scoped = match (level.is_encrypted(), msg.data) {
            (true, ScopedPduData::Encrypted(c)) => {
                if !decrypt(c, params, &keys, &mut plain) {
                    return Err(Dropped::DecryptionError);
                }
                ScopedPduRef::decode(&plain, 0, true).map_err(|_| Dropped::DecryptionError)?
            }
            (false, ScopedPduData::Plaintext(s)) => s,
            _ => return Err(Dropped::ParseError),
        };
        if scoped.pdu.pdu_type != PduType::SnmpV2Trap {
            return Err(Dropped::UnexpectedPdu);
        }
        let origin = Origin {
            now,
            from,
            version: Version::V3,
            community: b"",
            v3: Some(V3Origin {
                user_name: params.user_name,
                level,
                engine_id: params.engine_id,
                context_engine_id: scoped.context_engine_id,
                context_name: scoped.context_name,
                msg_id: msg.msg_id,
                sender_max_size: usize::try_from(msg.max_size).unwrap_or(usize::MAX),
                keys,
            }),
        };
        self.handle_pdu(&origin, &scoped.pdu, bytes)
    }

    /// Queues a Report answering an SNMPv3 message (RFC 3412 §7.1 step 3);
    /// false if there was no room or it could not be written.
    #[allow(clippy::too_many_arguments)]
    fn v3_report(
        &mut self,
        now: Instant,
        to: SocketAddr,
        msg: &V3MessageRef<'_>,
        params: &UsmParamsRef<'_>,
        request_id: i32,
        kind: ReportKind,
        level: SecurityLevel,
        keys: Option<&UserKeys>,
    ) -> bool {
        if self.room_for_response().is_err() {
            return false;
        }
        let counter = report_counter(&self.stats, &kind) + 1;
        let max = self.config.max_message_size;
        let Some(usm) = self.usm.as_mut() else {
            return false;
        };
        let start = self.out.len();
        let (mut scratch, mut cipher) = (Vec::new(), Vec::new());
        if usm.local.write_report(
            now,
            &mut self.out,
            &mut scratch,
            &mut cipher,
            msg.msg_id,
            params.user_name,
            request_id,
            &kind,
            counter,
            level,
            keys,
            max,
        ) {
            self.queue.push_back(Queued {
                destination: to,
                start,
                end: self.out.len(),
            });
            self.stats.reports += 1;
            return true;
        }
        false
    }

    /// Writes an SNMPv3 acknowledgement (Response-PDU) secured like the
    /// inform, from the receiver's engine. False if it cannot be secured.
    pub(super) fn write_v3_ack(
        &mut self,
        now: Instant,
        o: &V3Origin<'_>,
        ack: &Ack<'_>,
        vbl: &[u8],
    ) -> bool {
        let Some(usm) = self.usm.as_mut() else {
            return false;
        };
        let salt = usm.local.next_salt();
        let mut scoped = Vec::new();
        write_scoped_pdu_header(
            &mut scoped,
            o.context_engine_id,
            o.context_name,
            ack.pdu_len(vbl.len()),
        );
        ack.write_pdu(&mut scoped, vbl);
        let out = Outgoing {
            msg_id: o.msg_id,
            max_size: crate::v3::advertised_max_size(self.config.max_message_size),
            level: o.level,
            reportable: false,
            engine_id: &usm.local.id,
            boots: usm.local.boots,
            time: usm.local.time(now),
            user_name: o.user_name,
            keys: Some(&o.keys),
            salt,
        };
        let mut cipher = Vec::new();
        out.write(&mut self.out, &scoped, &mut cipher).is_ok()
    }
}

fn confirmed_pdu(scoped: &ScopedPduRef<'_>) -> bool {
    crate::usm::authoritative::confirmed(scoped.pdu.pdu_type)
}

/// The drop counter of a USM failure.
fn dropped_for(kind: &ReportKind) -> Dropped {
    match kind {
        ReportKind::UnsupportedSecLevel => Dropped::UnsupportedSecLevel,
        ReportKind::NotInTimeWindow => Dropped::NotInTimeWindow,
        ReportKind::UnknownUserName => Dropped::UnknownUserName,
        ReportKind::UnknownEngineId => Dropped::UnknownEngineId,
        ReportKind::WrongDigest => Dropped::WrongDigest,
        ReportKind::DecryptionError => Dropped::DecryptionError,
        ReportKind::UnknownContext => Dropped::UnknownContext,
        _ => Dropped::ParseError,
    }
}

/// The current value of the counter a Report carries.
fn report_counter(s: &super::ReceiverStats, kind: &ReportKind) -> u64 {
    match kind {
        ReportKind::UnsupportedSecLevel => s.usm_unsupported_sec_levels,
        ReportKind::NotInTimeWindow => s.usm_not_in_time_windows,
        ReportKind::UnknownUserName => s.usm_unknown_user_names,
        ReportKind::UnknownEngineId => s.usm_unknown_engine_ids,
        ReportKind::WrongDigest => s.usm_wrong_digests,
        ReportKind::DecryptionError => s.usm_decryption_errors,
        ReportKind::UnknownContext => s.unknown_contexts,
        _ => 0,
    }
}
