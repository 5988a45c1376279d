//! The agent (command responder) state machine for SNMPv1 and SNMPv2c,
//! without I/O.
//!
//! An [`Agent`] answers Get, GetNext, GetBulk and Set requests from a
//! [`Mib`] — your own implementation, or the ready-made [`MemoryMib`] — and
//! serves the `system` and `snmp` groups of RFC 3418 itself.
//!
//! # Driving it
//!
//! Feed every received datagram to [`Agent::handle_datagram`] with the
//! driver's `now`, then drain [`Agent::poll_transmit`] (or the allocation-free
//! [`Agent::poll_transmit_into`]) until it returns `None`, sending each
//! datagram to its destination. That is the whole drain rule: after every
//! input, drain transmits until empty. The agent has no timers, so there is
//! no `poll_timeout`. Each request produces at most one response; a driver
//! that does not drain loses responses once
//! [`AgentConfig::max_queued_responses`] are waiting (counted in
//! [`AgentStats::queue_drops`]).
//!
//! ```
//! use std::time::{Duration, Instant};
//! use oxsnmp_core::agent::{Access, Agent, AgentConfig, Column, MemoryMib, Syntax};
//! use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Value, Version};
//!
//! // A MIB with a scalar, a table and a dynamic object, in a few lines.
//! let base: Oid = "1.3.6.1.4.1.99999".parse().unwrap();
//! let mut mib = MemoryMib::new();
//! mib.add_scalar(base.child(1).unwrap(), "hello").unwrap();
//! let t = mib
//!     .add_table(base.extended(&[2, 1]).unwrap(),
//!                [Column::new(2, Syntax::display_string()), Column::new(3, Syntax::gauge32())])
//!     .unwrap();
//! mib.insert_row(t, &[7], [Value::from("eth0"), Value::Gauge32(1000)]).unwrap();
//! mib.add_dynamic(base.child(3).unwrap(), |ctx| Value::Gauge32(ctx.sys_up_time)).unwrap();
//!
//! let start = Instant::now();
//! let config = AgentConfig::new().community("public", Access::ReadOnly);
//! let mut agent = Agent::new(config, mib, start);
//!
//! // A manager asks for the scalar and sysUpTime.0 two seconds later.
//! let oids = ["1.3.6.1.4.1.99999.1.0".parse().unwrap(), "1.3.6.1.2.1.1.3.0".parse().unwrap()];
//! let request = Message::new(Version::V2c, "public", Pdu::request(PduType::GetRequest, 7, &oids));
//! let manager = "192.0.2.1:40000".parse().unwrap();
//! agent.handle_datagram(start + Duration::from_secs(2), manager, &request.to_bytes());
//!
//! // Drain: one response, to the manager.
//! let tx = agent.poll_transmit().unwrap();
//! assert!(agent.poll_transmit().is_none());
//! assert_eq!(tx.destination, manager);
//! let response = MessageRef::decode(&tx.payload).unwrap().to_owned();
//! let oxsnmp_core::AnyPdu::Pdu(pdu) = response.pdu else { panic!() };
//! assert_eq!(pdu.request_id, 7);
//! assert_eq!(pdu.varbinds[0].value, Value::from("hello"));
//! assert_eq!(pdu.varbinds[1].value, Value::TimeTicks(200));
//! ```
//!
//! # Decisions
//!
//! * **Versions.** v1 and v2c; v3 (and any other version) counts as
//!   snmpInBadVersions and is dropped (RFC 3412 §7.2 step 2; RFC 1157 §4.1
//!   (2)), as does a version disabled in [`AgentConfig`].
//! * **Bad input is counted and dropped, never answered:** undecodable
//!   messages, a GetBulk inside a v1 message and a v1 request carrying a
//!   Counter64 value (RFC 3584 §4.2.2.1) count as snmpInASNParseErrs; an
//!   unknown community as snmpInBadCommunityNames (RFC 1157 §4.1 (3),
//!   RFC 3584 §5.2.1). Response, Trap, Inform and Report PDUs are counted
//!   (snmpInGetResponses, snmpInTraps, ...) and not answered. The message is
//!   decoded in full before the community is checked, so a malformed message
//!   with a bad community counts as a parse error.
//! * **Read-only community or user SET:** noAccess naming the first varbind
//!   outside the write view in v2c and v3, as snmpd answers: a read-only
//!   principal's write view is configured but holds nothing (Net-SNMP's
//!   `none` view), so RFC 3415 §3.2 step 5b gives notInView and RFC 3413
//!   §3.2 / RFC 3416 §4.2.5 (1) noAccess with that varbind's index. SNMPv1
//!   gets noSuchName with the same index (RFC 3584 §4.4). For communities
//!   snmpInBadCommunityUses is incremented. It is answered, not dropped:
//!   the community is known, only the operation is not allowed. A principal
//!   with no access entry at all still gets authorizationError with
//!   error-index 0 (noAccessEntry, RFC 3413 §3.2).
//! * **Sizes.** v1/v2c requests carry no maximum message size, so
//!   [`AgentConfig::max_message_size`] (default 65507, the largest UDP/IPv4
//!   payload) is the limit (RFC 3584 §5.2.1). Get, GetNext and Set responses
//!   over it become tooBig: empty varbinds in v2c (RFC 3416 §4.2.1), the
//!   request's varbinds in v1 (RFC 1157 §4.1.2 (3), "identical form") when
//!   they fit. If even that does not fit, the request is dropped and counted
//!   in snmpSilentDrops.
//! * **GetBulk** is capped at [`AgentConfig::max_bulk_varbinds`] varbinds
//!   (default 100) and cut to the size limit; see
//!   [`AgentConfig::max_bulk_varbinds`].
//! * **SNMPv1 access** goes through the same (SNMPv2) MIB access and is
//!   translated as RFC 3584 §4.2.2 says: exceptions and Counter64 become
//!   noSuchName (GetNext skips Counter64 instances), SNMPv2 error codes are
//!   mapped by the §4.4 table (readOnly is never sent).

mod builtin;
mod builtin_v3;
mod coexist;
mod config;
mod encode;
mod memory;
mod mib;
mod notify;
mod process;
pub mod recording;
mod stats;
mod store;
mod syntax;
mod v3;
mod view;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

pub use config::{
    Access, AgentConfig, Community, SystemInfo, UserAccess, DEFAULT_MAX_BULK_VARBINDS,
    DEFAULT_MAX_MESSAGE_SIZE, DEFAULT_MAX_QUEUED_RESPONSE_BYTES,
};
pub use memory::{
    Column, DynamicFn, MemoryMib, MemoryUndo, ObjectType, RegisterError, TableId, Validator,
};
pub use mib::{CommitFailed, Context, Found, GenErr, Lookup, Mib, SetError, UndoFailed};
pub use notify::NotificationConfig;
pub use stats::AgentStats;
pub use store::{
    EngineRecord, EngineState, EngineStateLock, EngineStore, FileEngineStore, MemoryEngineStore,
};
pub use syntax::{Kind, MaxAccess, Syntax};

/// A datagram to send: the same type the manager produces.
pub use crate::manager::Transmit;

use crate::ber::DecodeErrorKind;
use crate::message::{MessageRef, Version};
use crate::oid::Oid;
use crate::pdu::{AnyPduRef, ErrorStatus, PduType};

use crate::v3::SecurityLevel;
use crate::vacm::{SecurityModel, Vacm, ViewType};
use builtin::{Builtin, BuiltinUndo};
use builtin_v3::EngineObjects;
use coexist::v1_status;
use encode::{ResponseHeader, V3Buffers};
use process::{v1_has_counter64, Outcome};
use v3::UsmEngine;

/// Buffers reused across requests so the hot path does not allocate.
#[derive(Debug, Default)]
struct Scratch {
    /// Content of the response's varbind list.
    vbl: Vec<u8>,
    /// GetBulk: each repeater's last name, in 128-arc slots.
    cursors: Vec<u32>,
    cursor_lens: Vec<u8>,
    done: Vec<bool>,
    /// SNMPv3: the response's ScopedPDU and ciphertext.
    v3: V3Buffers,
    /// SNMPv3: the request's decrypted ScopedPDU.
    plain: Vec<u8>,
}

enum UndoEntry<U> {
    Builtin(BuiltinUndo),
    User(U),
}

#[derive(Debug, Clone, Copy)]
struct Queued {
    destination: SocketAddr,
    start: usize,
    end: usize,
}

/// The agent state machine. See the [module documentation](self) for the
/// drive loop and the protocol decisions.
pub struct Agent<M: Mib> {
    config: AgentConfig,
    mib: M,
    start: Instant,
    builtin: Builtin,
    stats: AgentStats,
    /// Encoded responses waiting in `queue`, back to back.
    out: Vec<u8>,
    queue: VecDeque<Queued>,
    scratch: Scratch,
    undo_log: Vec<UndoEntry<M::Undo>>,
    /// The access control every request goes through (shared with the
    /// request being processed, hence the `Arc`).
    vacm: Arc<Vacm>,
    /// The SNMPv3 engine, when the configuration has an engine ID.
    usm: Option<UsmEngine>,
    notifier: notify::Notifier,
}

impl<M: Mib> std::fmt::Debug for Agent<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Agent")
            .field("config", &self.config)
            .field("stats", &self.stats)
            .field("queued", &self.queue.len())
            .finish_non_exhaustive()
    }
}

impl<M: Mib> Agent<M> {
    /// An agent serving `mib`, started at `now` (sysUpTime counts from here).
    /// With notification targets configured, their coldStart traps are
    /// waiting in [`poll_transmit`](Self::poll_transmit): drain it now.
    pub fn new(config: AgentConfig, mib: M, now: Instant) -> Self {
        let mut builtin = Builtin::new(
            config.system.as_ref(),
            config.snmp_group,
            config.enable_authen_traps,
        );
        let usm = config.engine_id.as_ref().map(|id| {
            if config.engine_objects {
                builtin.set_engine(EngineObjects::new(
                    id.as_bytes(),
                    config.engine_boots,
                    config.max_message_size,
                    now,
                ));
            }
            let mut engine = UsmEngine::new(id, config.engine_boots, config.salt_seed, now);
            for u in &config.users {
                engine.add_user(&u.user);
            }
            engine
        });
        let vacm = Arc::new(config.effective_vacm());
        let mut agent = Self {
            config,
            mib,
            start: now,
            builtin,
            stats: AgentStats::default(),
            out: Vec::new(),
            queue: VecDeque::new(),
            scratch: Scratch::default(),
            undo_log: Vec::new(),
            vacm,
            usm,
            notifier: notify::Notifier::default(),
        };
        agent.send_cold_start(now);
        agent
    }

    /// Adds (or replaces) a USM user while the agent runs, with access to
    /// the whole tree (or `subtree`) as [`AgentConfig::user`] gives it.
    /// Returns false when the agent has no SNMPv3 engine. With a custom
    /// [`AgentConfig::vacm`], add the user's access there yourself
    /// ([`Agent::set_vacm`]).
    pub fn add_user(
        &mut self,
        user: crate::usm::UsmUser,
        access: Access,
        subtree: Option<Oid>,
    ) -> bool {
        let Some(engine) = self.usm.as_mut() else {
            return false;
        };
        engine.add_user(&user);
        let entry = config::UserAccess {
            user,
            access,
            subtree,
        };
        let level = entry.min_level();
        self.config
            .users
            .retain(|u| u.user.name() != entry.user.name());
        if self.config.vacm.is_none() {
            let vacm = Vacm::clone(&self.vacm).user(
                entry.user.name(),
                level,
                access,
                entry.subtree.clone(),
            );
            self.vacm = Arc::new(vacm);
        }
        self.config.users.push(entry);
        true
    }

    /// Replaces the VACM configuration while the agent runs.
    pub fn set_vacm(&mut self, mut vacm: Vacm) {
        for c in &self.config.contexts {
            vacm.add_context(c);
        }
        self.config.vacm = Some(vacm.clone());
        self.vacm = Arc::new(vacm);
    }

    /// The VACM configuration in force.
    pub fn vacm(&self) -> &Vacm {
        &self.vacm
    }

    /// The SNMPv3 snmpEngineID, if the agent serves SNMPv3.
    pub fn engine_id(&self) -> Option<&[u8]> {
        self.usm.as_ref().map(|e| e.engine_id())
    }

    /// snmpEngineBoots of this run, if the agent serves SNMPv3.
    pub fn engine_boots(&self) -> Option<u32> {
        self.usm.as_ref().map(|e| e.boots)
    }

    /// snmpEngineTime at `now`: seconds since the agent started.
    pub fn engine_time(&self, now: Instant) -> u32 {
        self.usm.as_ref().map_or(0, |e| e.time(now))
    }

    /// The settings.
    pub fn config(&self) -> &AgentConfig {
        &self.config
    }

    /// The counters.
    pub fn stats(&self) -> AgentStats {
        self.stats
    }

    /// The MIB.
    pub fn mib(&self) -> &M {
        &self.mib
    }

    /// The MIB, to update values between requests.
    pub fn mib_mut(&mut self) -> &mut M {
        &mut self.mib
    }

    /// sysUpTime at `now`: hundredths of a second since the agent was
    /// created, modulo 2^32 (TimeTicks, RFC 2578 §7.1.8).
    pub fn sys_up_time(&self, now: Instant) -> u32 {
        let ticks = now.saturating_duration_since(self.start).as_millis() / 10;
        ticks as u32 // wraps, as TimeTicks do
    }

    /// Current value of snmpEnableAuthenTraps (settable by SET).
    pub fn enable_authen_traps(&self) -> bool {
        self.builtin.enable_authen_traps()
    }

    /// Adds a sysORTable row (sysORUpTime and sysORLastChange become
    /// sysUpTime at `now`); returns its sysORIndex, or `None` when the agent
    /// serves no `system` group.
    pub fn add_sys_or_entry(&mut self, now: Instant, id: Oid, descr: &str) -> Option<u32> {
        let ticks = self.sys_up_time(now);
        self.builtin.add_or_entry(id, descr, ticks)
    }

    /// Removes a sysORTable row; returns whether it existed.
    pub fn remove_sys_or_entry(&mut self, now: Instant, index: u32) -> bool {
        let ticks = self.sys_up_time(now);
        self.builtin.remove_or_entry(index, ticks)
    }

    /// Feeds one datagram received from `from` at `now`. Then drain
    /// [`poll_transmit`](Self::poll_transmit).
    pub fn handle_datagram(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        self.stats.in_pkts += 1;
        let msg = match MessageRef::decode(bytes) {
            Ok(m) => m,
            Err(e) => {
                if e.kind == DecodeErrorKind::UnsupportedVersion(3) && self.usm.is_some() {
                    self.handle_v3(now, from, bytes);
                } else if matches!(e.kind, DecodeErrorKind::UnsupportedVersion(_)) {
                    self.stats.in_bad_versions += 1;
                } else {
                    self.stats.in_asn_parse_errs += 1;
                }
                return;
            }
        };
        let served = match msg.version {
            Version::V1 => self.config.v1,
            Version::V2c => self.config.v2c,
            _ => false,
        };
        if !served {
            self.stats.in_bad_versions += 1;
            return;
        }
        if self.config.access_of(msg.community).is_none() {
            self.stats.in_bad_community_names += 1;
            self.send_authentication_failure(now);
            return;
        }
        let pdu = match msg.any_pdu {
            AnyPduRef::Pdu(p) => p,
            AnyPduRef::TrapV1(_) => {
                self.stats.in_traps += 1;
                self.stats.unanswerable_pdus += 1;
                return;
            }
        };
        if !self.accept_request(&pdu, msg.version == Version::V1) {
            return;
        }
        let ctx = Context {
            now,
            sys_up_time: self.sys_up_time(now),
            peer: from,
            version: msg.version,
            pdu_type: pdu.pdu_type,
            request_id: pdu.request_id,
            context: mib::ContextName::EMPTY,
        };
        let header = ResponseHeader {
            version: msg.version,
            community: msg.community,
            request_id: pdu.request_id,
            limit: self.config.max_message_size,
            v3: None,
        };
        // RFC 3584 §5.2: the community is the securityName of the v1 or
        // v2c security model, at noAuthNoPriv, in the default context.
        let model = if msg.version == Version::V1 {
            SecurityModel::V1
        } else {
            SecurityModel::V2c
        };
        let vacm = Arc::clone(&self.vacm);
        let grant = vacm.grant(model, msg.community, SecurityLevel::NoAuthNoPriv, b"");
        let outcome = self.dispatch(&ctx, &pdu, &header, grant.ok(), true);
        self.respond(from, &header, outcome, pdu.varbinds.raw());
    }

    /// Counts a request PDU; false (after counting) for PDUs a command
    /// responder does not answer, for ill-formed v1 requests and when the
    /// transmit queue is full.
    fn accept_request(&mut self, pdu: &crate::pdu::PduRef<'_>, v1: bool) -> bool {
        if !matches!(
            pdu.pdu_type,
            PduType::GetRequest
                | PduType::GetNextRequest
                | PduType::GetBulkRequest
                | PduType::SetRequest
        ) {
            self.count_unanswerable(pdu.pdu_type, pdu.status());
            return false;
        }
        if v1 && v1_has_counter64(pdu) {
            self.stats.in_asn_parse_errs += 1;
            return false;
        }
        if self.queue_full() {
            self.stats.queue_drops += 1;
            return false;
        }
        match pdu.pdu_type {
            PduType::GetRequest => self.stats.in_get_requests += 1,
            PduType::GetNextRequest => self.stats.in_get_nexts += 1,
            PduType::GetBulkRequest => self.stats.in_get_bulks += 1,
            _ => self.stats.in_set_requests += 1,
        }
        true
    }

    /// Processes an accepted request with the views VACM granted.
    ///
    /// An error of isAccessAllowed other than notInView (RFC 3415 §3.2:
    /// noGroupName, noAccessEntry, noSuchView, ...) makes the whole request
    /// fail with authorizationError and error-index 0 (RFC 3413 §3.2 step
    /// 5). For SNMPv1 it becomes noSuchName (RFC 3584 §4.4) naming the
    /// first varbind, per RFC 1157 §4.1.5 (1), and for communities it is
    /// counted in snmpInBadCommunityUses (RFC 3418).
    fn dispatch(
        &mut self,
        ctx: &Context,
        pdu: &crate::pdu::PduRef<'_>,
        header: &ResponseHeader<'_>,
        grant: Option<crate::vacm::Grant<'_>>,
        community: bool,
    ) -> Outcome {
        let view_type = if pdu.pdu_type == PduType::SetRequest {
            ViewType::Write
        } else {
            ViewType::Read
        };
        let view = match grant.map(|g| g.view(view_type)) {
            Some(Ok(v)) => v,
            _ => {
                if community {
                    self.stats.in_bad_community_uses += 1;
                }
                let index = i32::from(ctx.version == Version::V1 && !pdu.varbinds.is_empty());
                return Outcome::Error {
                    status: ErrorStatus::AuthorizationError,
                    index,
                };
            }
        };
        match pdu.pdu_type {
            PduType::GetRequest => self.process_get(ctx, pdu, header, view),
            PduType::GetNextRequest => self.process_get_next(ctx, pdu, header, view),
            PduType::GetBulkRequest => self.process_get_bulk(ctx, pdu, header, view),
            _ => {
                let outcome = self.process_set(ctx, pdu, header, view);
                // A name outside the write view is "an SNMP operation that
                // was not allowed for the SNMP community" (RFC 3418,
                // snmpInBadCommunityUses).
                if community
                    && matches!(
                        outcome,
                        Outcome::Error {
                            status: ErrorStatus::NoAccess,
                            ..
                        }
                    )
                {
                    self.stats.in_bad_community_uses += 1;
                }
                outcome
            }
        }
    }

    fn count_unanswerable(&mut self, pdu_type: PduType, status: ErrorStatus) {
        self.stats.unanswerable_pdus += 1;
        match pdu_type {
            PduType::Response => {
                self.stats.in_get_responses += 1;
                match status {
                    ErrorStatus::TooBig => self.stats.in_too_bigs += 1,
                    ErrorStatus::NoSuchName => self.stats.in_no_such_names += 1,
                    ErrorStatus::BadValue => self.stats.in_bad_values += 1,
                    ErrorStatus::ReadOnly => self.stats.in_read_onlys += 1,
                    ErrorStatus::GenErr => self.stats.in_gen_errs += 1,
                    _ => {}
                }
            }
            PduType::SnmpV2Trap | PduType::TrapV1 => self.stats.in_traps += 1,
            _ => {}
        }
    }

    /// Encodes the response for `outcome` into the transmit queue, falling
    /// back to the alternate tooBig response and then to a silent drop
    /// (RFC 3416 §4.2.1).
    fn respond(
        &mut self,
        to: SocketAddr,
        h: &ResponseHeader<'_>,
        outcome: Outcome,
        request_vbl: &[u8],
    ) {
        let v1 = h.version == Version::V1;
        let limit = h.limit;
        let echo = || request_vbl;
        let (mut status, mut index, mut vbl): (ErrorStatus, i32, &[u8]) = match outcome {
            Outcome::Built { retrieved } => {
                self.stats.in_total_req_vars += retrieved;
                (ErrorStatus::NoError, 0, &self.scratch.vbl)
            }
            Outcome::Echo => (ErrorStatus::NoError, 0, echo()),
            Outcome::Error { status, index } => {
                let status = if v1 { v1_status(status) } else { status };
                (status, index, echo())
            }
            Outcome::TooBig => (ErrorStatus::TooBig, 0, if v1 { echo() } else { &[] }),
        };
        if h.message_len(status.as_i32(), index, vbl.len()) > limit {
            status = ErrorStatus::TooBig;
            index = 0;
            vbl = if v1 { echo() } else { &[] };
            if h.message_len(status.as_i32(), 0, vbl.len()) > limit {
                vbl = &[];
            }
            if h.message_len(status.as_i32(), 0, 0) > limit {
                self.stats.silent_drops += 1;
                return;
            }
        }
        match status {
            ErrorStatus::TooBig => self.stats.out_too_bigs += 1,
            ErrorStatus::NoSuchName => self.stats.out_no_such_names += 1,
            ErrorStatus::BadValue => self.stats.out_bad_values += 1,
            ErrorStatus::GenErr => self.stats.out_gen_errs += 1,
            _ => {}
        }
        self.stats.out_get_responses += 1;
        self.stats.out_pkts += 1;
        let start = self.out.len();
        h.write(
            &mut self.out,
            &mut self.scratch.v3,
            status.as_i32(),
            index,
            vbl,
        );
        self.queue.push_back(Queued {
            destination: to,
            start,
            end: self.out.len(),
        });
    }

    /// Whether the transmit queue is at its count or byte limit.
    fn queue_full(&self) -> bool {
        self.queue.len() >= self.config.max_queued_responses
            || self.out.len() >= self.config.max_queued_response_bytes
    }

    fn pop_queued(&mut self) -> Option<Queued> {
        let q = self.queue.pop_front();
        if q.is_none() {
            self.out.clear();
        }
        q
    }

    /// The next datagram to send, in a freshly allocated buffer.
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

    /// The next datagram to send, copied into `buf` (cleared first; its
    /// capacity is reused, so a steady-state driver allocates nothing).
    /// Returns the destination, or `None` when nothing is queued.
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Message, Pdu};

    fn request(id: i32) -> Vec<u8> {
        let oid = crate::Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 3, 0]);
        Message::new(
            Version::V2c,
            "c",
            Pdu::request(PduType::GetRequest, id, &[oid]),
        )
        .to_bytes()
    }

    #[test]
    fn drain_order_queue_cap_and_buffer_reuse() {
        let now = Instant::now();
        let mut config = AgentConfig::new().community("c", Access::ReadOnly);
        config.max_queued_responses = 2;
        let mut agent = Agent::new(config, MemoryMib::new(), now);
        let a: SocketAddr = "192.0.2.1:1".parse().unwrap();
        let b: SocketAddr = "192.0.2.2:2".parse().unwrap();
        agent.handle_datagram(now, a, &request(1));
        agent.handle_datagram(now, b, &request(2));
        agent.handle_datagram(now, a, &request(3)); // queue full: dropped
        assert_eq!(agent.stats().queue_drops, 1);
        let first = agent.poll_transmit().unwrap();
        assert_eq!(first.destination, a);
        let ids = |p: &[u8]| MessageRef::decode(p).unwrap().pdu().unwrap().request_id;
        assert_eq!(ids(&first.payload), 1);
        let mut buf = vec![0xee; 3];
        assert_eq!(agent.poll_transmit_into(&mut buf), Some(b));
        assert_eq!(ids(&buf), 2, "buffer cleared before the copy");
        assert_eq!(agent.poll_transmit_into(&mut buf), None);
        assert!(agent.poll_transmit().is_none());
        assert!(agent.out.is_empty(), "arena released once drained");
        // Every datagram is counted once in in_pkts, answered or not.
        let s = agent.stats();
        assert_eq!((s.in_pkts, s.out_pkts, s.in_get_requests), (3, 2, 2));
    }
}
