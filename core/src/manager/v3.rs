//! SNMPv3 in the manager, the non-authoritative side of USM: engine ID
//! discovery (RFC 3414 §4), time synchronization (§2.3, §3.2 step 7b),
//! per-engine key localization, Report handling, and the security checks
//! on responses.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::pdu::{Pdu, PduType};
use crate::usm::{self, Outgoing, UserKeys, UsmUser};
use crate::v3::{
    ReportKind, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel, UsmParamsRef, V3MessageRef,
    SECURITY_MODEL_USM,
};

use super::request::{RequestError, Response, V3Security};
use super::{same_peer, Manager, Transmit};

/// The time window of RFC 3414 §2.2.3.
const TIME_WINDOW: u32 = 150;
/// snmpEngineBoots' latch value (RFC 3414 §2.2.2).
const BOOTS_LATCHED: u32 = 2_147_483_647;
/// Localized keys kept before the cache is emptied (bounded memory).
const MAX_CACHED_KEYS: usize = 100_000;

/// What this manager believes about one authoritative engine's clock
/// (RFC 3414 §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EngineTime {
    /// snmpEngineBoots.
    pub boots: u32,
    /// snmpEngineTime when it was learnt.
    pub time: u32,
    /// latestReceivedEngineTime.
    pub latest_received: u32,
    /// When it was learnt, on the caller's clock.
    pub synced_at: Instant,
}

impl EngineTime {
    /// The engine's snmpEngineTime at `now`, estimated.
    pub fn time_at(&self, now: Instant) -> u32 {
        let elapsed = now.saturating_duration_since(self.synced_at).as_secs();
        let t = u64::from(self.time).saturating_add(elapsed);
        u32::try_from(t).unwrap_or(BOOTS_LATCHED).min(BOOTS_LATCHED)
    }
}

/// Where a v3 request stands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Phase {
    /// Waiting for the Report of a discovery probe (RFC 3414 §4).
    Discovery,
    /// Talking to this authoritative engine.
    Ready(Arc<[u8]>),
}

/// The v3 part of an outstanding request.
#[derive(Debug)]
pub(super) struct PendingV3 {
    pub(super) security: Arc<V3Security>,
    /// The PDU, re-encoded with a fresh msgID, time and salt for every
    /// transmission (RFC 3412 §6.2).
    pub(super) pdu: Pdu,
    pub(super) phase: Phase,
    /// Every msgID sent for this request; a response to any of them counts.
    pub(super) msg_ids: Vec<i32>,
    /// The one automatic retry after a notInTimeWindow report is used.
    pub(super) resynced: bool,
    /// How many msgIDs had been sent when the clock was resynchronized:
    /// reports to those are stale (duplicates, answers to retransmissions).
    pub(super) resynced_at: usize,
    /// The one retry after an unknownEngineID report for a changed engine.
    pub(super) rediscovered: bool,
}

/// Localized keys per (engine ID, user name), one entry per distinct user
/// of that name.
type KeyCache = HashMap<(Vec<u8>, Vec<u8>), Vec<(UsmUser, Arc<UserKeys>)>>;

/// The manager's SNMPv3 state.
#[derive(Debug, Default)]
pub(super) struct V3State {
    /// Engine ID learnt per agent address.
    pub(super) engine_of: HashMap<SocketAddr, Vec<u8>>,
    /// Clock notion per engine ID.
    pub(super) times: HashMap<Vec<u8>, EngineTime>,
    /// Localized keys per (engine ID, user name), per distinct user.
    keys: KeyCache,
    key_count: usize,
    /// The last security settings, engine and keys used.
    last_keys: Option<(Arc<V3Security>, Vec<u8>, Arc<UserKeys>)>,
    /// msgID -> request-id of the request that sent it.
    pub(super) msg_ids: super::ids::IdMap<i32, i32>,
    salt: u64,
    /// Reused encoding buffers.
    scoped: Vec<u8>,
    cipher: Vec<u8>,
    plain: Vec<u8>,
}

fn canon(addr: SocketAddr) -> SocketAddr {
    SocketAddr::new(addr.ip().to_canonical(), addr.port())
}

impl V3State {
    pub(super) fn new(salt_seed: u64) -> Self {
        Self {
            salt: salt_seed,
            ..Self::default()
        }
    }

    /// The keys of `security`'s user for `engine_id`: the last ones used
    /// when `security` is the same shared value (the usual case: one
    /// client's requests), else from the cache, localized on first use.
    fn keys_for(&mut self, security: &Arc<V3Security>, engine_id: &[u8]) -> Arc<UserKeys> {
        if let Some((s, e, k)) = &self.last_keys {
            if Arc::ptr_eq(s, security) && e == engine_id {
                return Arc::clone(k);
            }
        }
        let k = self.keys(&security.user, engine_id);
        self.last_keys = Some((Arc::clone(security), engine_id.to_vec(), Arc::clone(&k)));
        k
    }

    /// The user's keys for `engine_id`, localized once and cached.
    fn keys(&mut self, user: &UsmUser, engine_id: &[u8]) -> Arc<UserKeys> {
        let slot = (engine_id.to_vec(), user.name().to_vec());
        if let Some(list) = self.keys.get(&slot) {
            if let Some((_, k)) = list.iter().find(|(u, _)| u == user) {
                return Arc::clone(k);
            }
        }
        if self.key_count >= MAX_CACHED_KEYS {
            self.keys.clear();
            self.key_count = 0;
        }
        let k = Arc::new(user.keys_for(engine_id));
        self.keys
            .entry(slot)
            .or_default()
            .push((user.clone(), Arc::clone(&k)));
        self.key_count += 1;
        k
    }

    pub(super) fn engine_for(&self, addr: SocketAddr, security: &V3Security) -> Option<Vec<u8>> {
        match &security.engine_id {
            Some(id) => Some(id.as_bytes().to_vec()),
            None => self.engine_of.get(&canon(addr)).cloned(),
        }
    }
}

/// What a decoded, checked v3 datagram turned out to be.
enum Incoming {
    Response(Response, i32),
    Report(ReportKind, Learnt),
}

/// Engine facts a report's security parameters carry.
struct Learnt {
    engine_id: Vec<u8>,
    boots: u32,
    time: u32,
    authenticated: bool,
}

impl Manager {
    /// Encodes the next transmission of a v3 request: a discovery probe or
    /// the request itself, with a fresh msgID.
    pub(super) fn encode_v3(&mut self, now: Instant, request_id: i32) -> Option<Vec<u8>> {
        let msg_id = self.fresh_msg_id();
        let p = self.pending.get_mut(&request_id)?;
        let v3 = p.v3.as_mut()?;
        v3.msg_ids.push(msg_id);
        self.v3.msg_ids.insert(msg_id, request_id);
        let max_size = crate::v3::advertised_max_size(self.config.max_message_size);
        let st = &mut self.v3;
        st.scoped.clear();
        let mut out = Vec::new();
        match &v3.phase {
            Phase::Discovery => {
                // RFC 3414 §4: noAuthNoPriv, empty user and engine ID, no
                // varbinds; the request-id is this request's.
                let probe = ScopedPdu::new(
                    Vec::new(),
                    Vec::new(),
                    Pdu::request(PduType::GetRequest, request_id, &[]),
                );
                probe.encode(&mut st.scoped);
                let o = Outgoing {
                    msg_id,
                    max_size,
                    level: SecurityLevel::NoAuthNoPriv,
                    reportable: true,
                    engine_id: &[],
                    boots: 0,
                    time: 0,
                    user_name: &[],
                    keys: None,
                    salt: 0,
                };
                o.write(&mut out, &st.scoped, &mut st.cipher).ok()?;
                self.stats.discovery_probes += 1;
            }
            Phase::Ready(engine_id) => {
                let security = Arc::clone(&v3.security);
                let engine_id = engine_id.clone();
                // RFC 3414 §3.1 step 6: an authenticated message carries
                // the engine's clock from the LCD; an unauthenticated
                // Request carries zeros (6c). Net-SNMP's tools send the
                // discovered clock at noAuthNoPriv too; we follow the RFC
                // (agents ignore both values for noAuthNoPriv, §3.2 7).
                let (boots, time) = match st.times.get(&*engine_id) {
                    Some(t) if security.level.is_authenticated() => (t.boots, t.time_at(now)),
                    _ => (0, 0),
                };
                let keys = if security.level.is_authenticated() {
                    Some(st.keys_for(&security, &engine_id))
                } else {
                    None
                };
                let context_engine_id = security.context_engine_id.as_deref().unwrap_or(&engine_id);
                crate::v3::write_scoped_pdu_header(
                    &mut st.scoped,
                    context_engine_id,
                    &security.context_name,
                    v3.pdu.encoded_len(),
                );
                v3.pdu.encode(&mut st.scoped);
                st.salt = st.salt.wrapping_add(1);
                let o = Outgoing {
                    msg_id,
                    max_size,
                    level: security.level,
                    reportable: true,
                    engine_id: &engine_id,
                    boots,
                    time,
                    user_name: security.user.name(),
                    keys: keys.as_deref(),
                    salt: st.salt,
                };
                o.write(&mut out, &st.scoped, &mut st.cipher).ok()?;
            }
        }
        Some(out)
    }

    fn fresh_msg_id(&mut self) -> i32 {
        loop {
            let id = self.rng.next_request_id();
            if !self.v3.msg_ids.contains_key(&id) {
                return id;
            }
        }
    }

    /// Sends the request again at once with a fresh message (after
    /// discovery or a resynchronization), without using a retry.
    fn resend_v3(&mut self, now: Instant, request_id: i32) {
        let Some(payload) = self.encode_v3(now, request_id) else {
            return;
        };
        let Some(p) = self.pending.get_mut(&request_id) else {
            return;
        };
        p.deadline = now + p.timeout;
        let deadline = p.deadline;
        self.transmits.push_back(Transmit {
            destination: p.destination,
            payload,
        });
        self.stats.datagrams_out += 1;
        self.timers.push(std::cmp::Reverse((deadline, request_id)));
    }

    /// Drops every msgID of a finished v3 request.
    pub(super) fn forget_v3(&mut self, v3: &PendingV3) {
        for id in &v3.msg_ids {
            self.v3.msg_ids.remove(id);
        }
    }

    /// An SNMPv3 datagram for the manager.
    pub(super) fn handle_v3(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        let Ok(msg) = V3MessageRef::decode(bytes) else {
            self.stats.parse_errors += 1;
            return;
        };
        let Some(&request_id) = self.v3.msg_ids.get(&msg.msg_id) else {
            self.stats.unknown_request_ids += 1;
            return;
        };
        let Some(p) = self.pending.get(&request_id) else {
            self.stats.late_responses += 1;
            return;
        };
        if !same_peer(p.destination, from) {
            self.stats.wrong_source += 1;
            return;
        }
        let Some(v3) = p.v3.as_ref() else {
            self.stats.bad_versions += 1;
            return;
        };
        let security = Arc::clone(&v3.security);
        let phase = v3.phase.clone();
        match self.check_v3(now, &msg, bytes, &security, &phase, request_id) {
            Err(()) => {}
            Ok(Incoming::Response(response, pdu_request_id)) => {
                if pdu_request_id != request_id {
                    self.stats.unknown_request_ids += 1;
                    return;
                }
                self.stats.responses += 1;
                self.finish(request_id, Ok(response));
            }
            Ok(Incoming::Report(kind, learnt)) => {
                self.stats.reports += 1;
                self.handle_report(
                    now, from, request_id, msg.msg_id, &security, &phase, kind, learnt,
                );
            }
        }
    }

    /// RFC 3414 §3.2 on the non-authoritative side, then RFC 3412 §7.2
    /// steps 10-12: a Report or a Response whose security matches the
    /// request. `Err` means dropped (and counted).
    fn check_v3(
        &mut self,
        now: Instant,
        msg: &V3MessageRef<'_>,
        bytes: &[u8],
        security: &Arc<V3Security>,
        phase: &Phase,
        request_id: i32,
    ) -> Result<Incoming, ()> {
        let bad = |m: &mut Self| {
            m.stats.parse_errors += 1;
            Err(())
        };
        if msg.security_model != SECURITY_MODEL_USM {
            return bad(self);
        }
        let Some(level) = msg.flags.level() else {
            return bad(self);
        };
        let Ok(params) = msg.usm() else {
            return bad(self);
        };
        let mut plain = std::mem::take(&mut self.v3.plain);
        let result = self.secure_scoped(now, msg, bytes, &params, level, security, &mut plain);
        let out = match result {
            Err(()) => Err(()),
            Ok(range) => {
                let decoded = match (range, msg.data) {
                    (Some(()), _) => ScopedPduRef::decode(&plain, 0, true).ok(),
                    (None, ScopedPduData::Plaintext(s)) => Some(s),
                    (None, ScopedPduData::Encrypted(_)) => None,
                };
                match decoded {
                    None => {
                        // Garbage after decryption means a wrong key.
                        if range.is_some() {
                            self.stats.decryption_errors += 1;
                        } else {
                            self.stats.parse_errors += 1;
                        }
                        Err(())
                    }
                    Some(scoped) => self.classify(
                        &scoped,
                        &params,
                        level,
                        security,
                        phase,
                        request_id,
                        bytes.len(),
                    ),
                }
            }
        };
        self.v3.plain = plain;
        out
    }

    /// Authentication, timeliness and decryption. `Ok(Some(()))` means the
    /// ScopedPDU is in `plain`; `Ok(None)` that it is the plaintext one.
    #[allow(clippy::too_many_arguments)]
    fn secure_scoped(
        &mut self,
        now: Instant,
        msg: &V3MessageRef<'_>,
        bytes: &[u8],
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
        security: &Arc<V3Security>,
        plain: &mut Vec<u8>,
    ) -> Result<Option<()>, ()> {
        if !level.is_authenticated() {
            return match msg.data {
                ScopedPduData::Plaintext(_) => Ok(None),
                ScopedPduData::Encrypted(_) => {
                    self.stats.parse_errors += 1;
                    Err(())
                }
            };
        }
        // Only the request's own user can have signed it.
        if params.user_name != security.user.name() || level > security.user.max_level() {
            self.stats.wrong_digests += 1;
            return Err(());
        }
        let keys = self.v3.keys_for(security, params.engine_id);
        if !usm::authenticate(bytes, params, &keys) {
            self.stats.wrong_digests += 1;
            return Err(());
        }
        // Step 7b (the entry is looked up by slice: no allocation for an
        // engine already known).
        if !self.v3.times.contains_key(params.engine_id) {
            self.v3.times.insert(
                params.engine_id.to_vec(),
                EngineTime {
                    boots: 0,
                    time: 0,
                    latest_received: 0,
                    synced_at: now,
                },
            );
        }
        let Some(entry) = self.v3.times.get_mut(params.engine_id) else {
            return Err(());
        };
        if params.boots > entry.boots
            || (params.boots == entry.boots && params.time > entry.latest_received)
        {
            *entry = EngineTime {
                boots: params.boots,
                time: params.time,
                latest_received: params.time,
                synced_at: now,
            };
        }
        let local_time = entry.time_at(now);
        let outside = entry.boots == BOOTS_LATCHED
            || params.boots < entry.boots
            || (params.boots == entry.boots
                && params.time.saturating_add(TIME_WINDOW) < local_time);
        if outside {
            self.stats.not_in_time_window += 1;
            return Err(());
        }
        if !level.is_encrypted() {
            return match msg.data {
                ScopedPduData::Plaintext(_) => Ok(None),
                ScopedPduData::Encrypted(_) => {
                    self.stats.parse_errors += 1;
                    Err(())
                }
            };
        }
        match msg.data {
            ScopedPduData::Encrypted(c) if usm::decrypt(c, params, &keys, plain) => Ok(Some(())),
            _ => {
                self.stats.decryption_errors += 1;
                Err(())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn classify(
        &mut self,
        scoped: &ScopedPduRef<'_>,
        params: &UsmParamsRef<'_>,
        level: SecurityLevel,
        security: &V3Security,
        phase: &Phase,
        _request_id: i32,
        wire_len: usize,
    ) -> Result<Incoming, ()> {
        let pdu = scoped.pdu;
        match pdu.pdu_type {
            PduType::Report => {
                let kind = pdu.varbinds.iter().next().map_or(
                    ReportKind::Other(crate::Oid::from_static(&[0, 0])),
                    |vb| {
                        let mut arcs = [0u32; crate::MAX_OID_LEN];
                        let mut n = 0;
                        for (slot, a) in arcs.iter_mut().zip(vb.oid.arcs()) {
                            *slot = a;
                            n += 1;
                        }
                        ReportKind::from_oid(arcs.get(..n).unwrap_or(&[]))
                    },
                );
                Ok(Incoming::Report(
                    kind,
                    Learnt {
                        engine_id: params.engine_id.to_vec(),
                        boots: params.boots,
                        time: params.time,
                        authenticated: level.is_authenticated(),
                    },
                ))
            }
            PduType::Response => {
                // RFC 3412 §7.2 step 12b: the response's security must be
                // the request's.
                let engine_ok = match phase {
                    Phase::Ready(id) => params.engine_id == &**id,
                    Phase::Discovery => false,
                };
                if level != security.level || params.user_name != security.user.name() || !engine_ok
                {
                    self.stats.wrong_security += 1;
                    return Err(());
                }
                Ok(Incoming::Response(
                    Response {
                        error_status: pdu.status(),
                        error_index: u32::try_from(pdu.error_index).unwrap_or(0),
                        varbinds: pdu.varbinds.to_vec(),
                        wire_len,
                    },
                    pdu.request_id,
                ))
            }
            _ => {
                self.stats.unexpected_pdus += 1;
                Err(())
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn handle_report(
        &mut self,
        now: Instant,
        from: SocketAddr,
        request_id: i32,
        msg_id: i32,
        security: &V3Security,
        phase: &Phase,
        kind: ReportKind,
        learnt: Learnt,
    ) {
        match kind {
            // A report that the engine we now use is unknown, carrying that
            // very engine ID, answers an earlier probe (a duplicate or a
            // retransmission): nothing new.
            ReportKind::UnknownEngineId if matches!(phase, Phase::Ready(id) if **id == *learnt.engine_id) =>
            {
                self.stats.stale_reports += 1;
            }
            ReportKind::NotInTimeWindow
                if learnt.authenticated && self.sent_before_resync(request_id, msg_id) =>
            {
                self.stats.stale_reports += 1;
            }
            // An engine ID the user gave (`-e`) that the agent does not
            // know: Net-SNMP's tools neither re-discover nor stop, they
            // ignore the report and retransmit until the request times
            // out ("Timeout: No Response from ..."). So do we.
            ReportKind::UnknownEngineId
                if matches!(phase, Phase::Ready(_)) && security.engine_id.is_some() =>
            {
                self.stats.ignored_reports += 1;
            }
            ReportKind::UnknownEngineId => {
                let valid = (5..=32).contains(&learnt.engine_id.len());
                let changed = match phase {
                    Phase::Discovery => true,
                    Phase::Ready(id) => **id != *learnt.engine_id,
                };
                let retry_allowed = match phase {
                    Phase::Discovery => true,
                    Phase::Ready(_) => self
                        .pending
                        .get(&request_id)
                        .and_then(|p| p.v3.as_ref())
                        .is_some_and(|v| !v.rediscovered),
                };
                if !(valid && changed && retry_allowed) {
                    return self.finish(request_id, Err(RequestError::Report(kind)));
                }
                self.v3
                    .engine_of
                    .insert(canon(from), learnt.engine_id.clone());
                // §2.3: a new engine starts unsynchronized unless the
                // report told its clock (Net-SNMP's and ours do).
                self.v3
                    .times
                    .entry(learnt.engine_id.clone())
                    .and_modify(|t| {
                        if learnt.boots > t.boots {
                            t.boots = learnt.boots;
                            t.time = learnt.time;
                            t.latest_received = learnt.time;
                            t.synced_at = now;
                        }
                    })
                    .or_insert(EngineTime {
                        boots: learnt.boots,
                        time: learnt.time,
                        latest_received: learnt.time,
                        synced_at: now,
                    });
                if let Some(v3) = self
                    .pending
                    .get_mut(&request_id)
                    .and_then(|p| p.v3.as_mut())
                {
                    if matches!(phase, Phase::Ready(_)) {
                        v3.rediscovered = true;
                    }
                    v3.phase = Phase::Ready(Arc::from(learnt.engine_id));
                }
                self.resend_v3(now, request_id);
            }
            ReportKind::NotInTimeWindow if learnt.authenticated => {
                // The report is authentic (checked in `secure_scoped`):
                // adopt its clock even if boots went down (an engine
                // reinstalled), and retry once (RFC 3414 §4).
                let first = self
                    .pending
                    .get(&request_id)
                    .and_then(|p| p.v3.as_ref())
                    .is_some_and(|v| !v.resynced);
                if !first {
                    return self.finish(request_id, Err(RequestError::Report(kind)));
                }
                self.v3.times.insert(
                    learnt.engine_id,
                    EngineTime {
                        boots: learnt.boots,
                        time: learnt.time,
                        latest_received: learnt.time,
                        synced_at: now,
                    },
                );
                if let Some(v3) = self
                    .pending
                    .get_mut(&request_id)
                    .and_then(|p| p.v3.as_mut())
                {
                    v3.resynced = true;
                    v3.resynced_at = v3.msg_ids.len();
                }
                self.stats.resynchronizations += 1;
                self.resend_v3(now, request_id);
            }
            kind => self.finish(request_id, Err(RequestError::Report(kind))),
        }
    }

    /// Whether `msg_id` was sent for this request before its clock was
    /// resynchronized.
    fn sent_before_resync(&self, request_id: i32, msg_id: i32) -> bool {
        self.pending
            .get(&request_id)
            .and_then(|p| p.v3.as_ref())
            .is_some_and(|v| {
                v.resynced
                    && v.msg_ids
                        .iter()
                        .position(|&m| m == msg_id)
                        .is_some_and(|i| i < v.resynced_at)
            })
    }

    /// The engine ID learnt for an agent address, if any.
    pub fn engine_id_of(&self, addr: SocketAddr) -> Option<&[u8]> {
        self.v3.engine_of.get(&canon(addr)).map(Vec::as_slice)
    }

    /// What the manager believes about an engine's clock.
    pub fn engine_time(&self, engine_id: &[u8]) -> Option<EngineTime> {
        self.v3.times.get(engine_id).copied()
    }

    /// Forgets what was learnt about the engine at `addr` (its ID and
    /// clock), so the next request discovers it again.
    pub fn forget_engine(&mut self, addr: SocketAddr) {
        if let Some(id) = self.v3.engine_of.remove(&canon(addr)) {
            self.v3.times.remove(&id);
        }
    }

    /// Stores an engine's clock, as if learnt now (for tests and tools
    /// that keep engine state between runs).
    pub fn set_engine_time(&mut self, engine_id: &[u8], boots: u32, time: u32, now: Instant) {
        self.v3.times.insert(
            engine_id.to_vec(),
            EngineTime {
                boots,
                time,
                latest_received: time,
                synced_at: now,
            },
        );
    }
}

/// This manager's own engine, the authoritative one for the SNMPv3 traps
/// it sends.
#[derive(Debug, Clone)]
pub(super) struct OwnEngine {
    pub(super) id: crate::v3::EngineId,
    pub(super) boots: u32,
    /// When its snmpEngineTime was 0: set by `set_local_engine`, else at
    /// the first trap.
    pub(super) start: Option<Instant>,
}

impl Manager {
    /// Sets this manager's own SNMPv3 engine (ID and snmpEngineBoots; its
    /// snmpEngineTime counts from `now`), the authoritative engine of the
    /// SNMPv3 traps it sends unless a target names another
    /// ([`V3Security::engine_id`]). By default it is
    /// [`ManagerConfig::local_engine_id`](super::ManagerConfig::local_engine_id); keep a stable ID (e.g. from an
    /// [`EngineStore`](crate::agent::EngineStore)) when receivers know
    /// users per engine ID.
    pub fn set_local_engine(&mut self, id: crate::v3::EngineId, boots: u32, now: Instant) {
        self.own = OwnEngine {
            id,
            boots,
            start: Some(now),
        };
    }

    /// This manager's own engine ID.
    pub fn local_engine_id(&self) -> &crate::v3::EngineId {
        &self.own.id
    }

    pub(super) fn encode_v3_trap(
        &mut self,
        now: Instant,
        security: &Arc<V3Security>,
        request_id: i32,
        trap: &crate::notify::Trap,
    ) -> Result<Vec<u8>, super::SendError> {
        let start = *self.own.start.get_or_insert(now);
        let secs = now.saturating_duration_since(start).as_secs();
        let secs = u32::try_from(secs).unwrap_or(BOOTS_LATCHED);
        let (boots, time) = match security.engine_clock {
            Some((boots, time)) => (boots, time.saturating_add(secs)),
            None => (self.own.boots, secs),
        };
        let time = time.min(BOOTS_LATCHED);
        let engine_id = security
            .engine_id
            .as_ref()
            .unwrap_or(&self.own.id)
            .as_bytes()
            .to_vec();
        if security.level > security.user.max_level() {
            return Err(super::SendError::UnsupportedSecurityLevel);
        }
        let keys = if security.level.is_authenticated() {
            Some(self.v3.keys_for(security, &engine_id))
        } else {
            None
        };
        let msg_id = self.fresh_msg_id();
        self.v3.salt = self.v3.salt.wrapping_add(1);
        let own_id = self.own.id.as_bytes().to_vec();
        let engine = crate::notify::TrapEngine {
            engine_id: &engine_id,
            context_engine_id: &own_id,
            boots,
            time,
            keys: keys.as_deref(),
            msg_id,
            salt: self.v3.salt,
        };
        crate::notify::encode_v3_trap(
            security,
            &engine,
            request_id,
            trap,
            self.config.max_message_size,
        )
    }
}
