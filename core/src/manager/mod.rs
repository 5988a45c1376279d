//! The manager (command generator) state machine: request correlation,
//! retransmission and timeouts for v1 and v2c, without I/O.
//!
//! # Driving it
//!
//! Feed inputs — [`Manager::send_request`], [`Manager::handle_datagram`],
//! [`Manager::handle_timeout`] — then drain every output until empty:
//! [`Manager::poll_transmit`] (datagrams to send), [`Manager::poll_event`]
//! (completed requests), and finally [`Manager::poll_timeout`] (when to call
//! `handle_timeout` next). Time is always passed in.
//!
//! ```
//! use std::time::{Duration, Instant};
//! use oxsnmp_core::manager::{Manager, ManagerConfig, Request, Target, Event};
//! use oxsnmp_core::{Message, MessageRef, Pdu, PduType, Version, Value, VarBind};
//!
//! let mut mgr = Manager::new(ManagerConfig::with_seed(42));
//! let agent = "127.0.0.1:161".parse().unwrap();
//! let now = Instant::now();
//! let handle = mgr
//!     .send_request(now, &Target::new(agent, Version::V2c, "public"),
//!                   Request::Get(vec!["1.3.6.1.2.1.1.5.0".parse().unwrap()]))
//!     .unwrap();
//! let tx = mgr.poll_transmit().unwrap();
//! assert_eq!(tx.destination, agent);
//!
//! // Play the agent: answer with the same request-id.
//! let req = MessageRef::decode(&tx.payload).unwrap();
//! let mut pdu = req.pdu().unwrap().to_owned();
//! pdu.pdu_type = PduType::Response;
//! pdu.varbinds[0].value = Value::from("router-1");
//! let answer = Message::new(Version::V2c, "public", pdu).to_bytes();
//! mgr.handle_datagram(now + Duration::from_millis(3), agent, &answer);
//!
//! let Some(Event::Completed { handle: h, result }) = mgr.poll_event() else { panic!() };
//! assert_eq!(h, handle);
//! assert_eq!(result.unwrap().varbinds[0].value, Value::from("router-1"));
//! ```

mod error;
mod ids;
mod request;
mod rng;
mod stats;
mod v3;

use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

pub use error::ClientError;
pub use request::{
    Request, RequestError, Response, RetryPolicy, SendError, SnmpError, Target, V3Security,
};
pub use stats::ManagerStats;
pub use v3::EngineTime;

use crate::ber::DecodeErrorKind;
use crate::message::{Message, MessageRef, Version};
use crate::notify::Trap;
use crate::pdu::{Pdu, PduType, VarBind};
use ids::{IdMap, IdSet};
use rng::SplitMix64;
use v3::{PendingV3, Phase, V3State};

/// The largest SNMP message over UDP/IPv4 (65535 - 8 - 20), what Net-SNMP's tools advertise.
pub const MAX_UDP_MESSAGE: usize = 65507;

/// How many finished request-ids are remembered to tell late answers from strangers.
const RECENT_IDS: usize = 4096;

/// Manager settings.
#[derive(Debug, Clone)]
pub struct ManagerConfig {
    /// Seed for request-ids; drivers pass fresh entropy, simulations a constant.
    pub seed: u64,
    /// Largest request the manager will send. SNMPv3 requests advertise
    /// it as msgMaxSize, raised to 484 if it is smaller (the least RFC 3412
    /// allows).
    pub max_message_size: usize,
    /// This manager's own SNMPv3 engine ID, the authoritative engine of
    /// the SNMPv3 traps it sends (see [`Manager::set_local_engine`]).
    /// [`with_seed`](Self::with_seed) generates one from the seed.
    pub local_engine_id: crate::v3::EngineId,
    /// snmpEngineBoots of that engine.
    pub local_engine_boots: u32,
}

impl ManagerConfig {
    /// Defaults with the given request-id seed, and an engine ID generated
    /// from it.
    pub fn with_seed(seed: u64) -> Self {
        let octets = seed
            .rotate_left(41)
            .wrapping_mul(0x9e37_79b9_7f4a_7c15)
            .to_be_bytes();
        Self {
            seed,
            max_message_size: MAX_UDP_MESSAGE,
            local_engine_id: crate::v3::EngineId::generated(crate::v3::DEFAULT_ENTERPRISE, octets),
            local_engine_boots: 1,
        }
    }
}

/// Identifies one request across its retries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestHandle(pub u64);

/// A datagram to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transmit {
    /// Where to send it.
    pub destination: SocketAddr,
    /// The encoded message.
    pub payload: Vec<u8>,
}

/// Something that happened to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Event {
    /// A request finished, with its response or its failure. Reported exactly once.
    Completed {
        /// The request.
        handle: RequestHandle,
        /// The response, or why there is none.
        result: Result<Response, RequestError>,
    },
}

#[derive(Debug)]
struct Pending {
    handle: RequestHandle,
    destination: SocketAddr,
    version: Version,
    payload: Vec<u8>,
    retries_left: u32,
    timeout: Duration,
    deadline: Instant,
    /// SNMPv3 requests: what is needed to re-encode each transmission.
    v3: Option<Box<PendingV3>>,
}

/// The manager state machine. See the [module documentation](self) for the drive loop.
#[derive(Debug)]
pub struct Manager {
    config: ManagerConfig,
    rng: SplitMix64,
    next_handle: u64,
    pending: IdMap<i32, Pending>,
    handles: IdMap<RequestHandle, i32>,
    timers: BinaryHeap<Reverse<(Instant, i32)>>,
    recent: VecDeque<i32>,
    recent_set: IdSet<i32>,
    transmits: VecDeque<Transmit>,
    events: VecDeque<Event>,
    stats: ManagerStats,
    encode_buf: Vec<u8>,
    v3: V3State,
    /// This manager's own engine, for the SNMPv3 traps it sends.
    own: v3::OwnEngine,
}

/// Compares addresses by IP and port, treating IPv4-mapped IPv6 as IPv4 and
/// ignoring flow info and scope id (the kernel fills those in on receive).
fn same_peer(a: SocketAddr, b: SocketAddr) -> bool {
    let canon = |s: SocketAddr| (s.ip().to_canonical(), s.port());
    canon(a) == canon(b)
}

impl Manager {
    /// A manager with no requests outstanding.
    pub fn new(config: ManagerConfig) -> Self {
        let salt_seed = config.seed.rotate_left(17) ^ 0x5bd1_e995_a5a5_5a5a;
        let own = v3::OwnEngine {
            id: config.local_engine_id.clone(),
            boots: config.local_engine_boots,
            start: None,
        };
        Self {
            rng: SplitMix64::new(config.seed),
            config,
            next_handle: 1,
            pending: IdMap::default(),
            handles: IdMap::default(),
            timers: BinaryHeap::new(),
            recent: VecDeque::with_capacity(RECENT_IDS),
            recent_set: IdSet::with_capacity_and_hasher(RECENT_IDS, Default::default()),
            transmits: VecDeque::new(),
            events: VecDeque::new(),
            stats: ManagerStats::default(),
            encode_buf: Vec::new(),
            v3: V3State::new(salt_seed),
            own,
        }
    }

    /// The counters.
    pub fn stats(&self) -> ManagerStats {
        self.stats
    }

    /// Number of requests waiting for a response.
    pub fn outstanding(&self) -> usize {
        self.pending.len()
    }

    fn fresh_request_id(&mut self) -> i32 {
        loop {
            let id = self.rng.next_request_id();
            if !self.pending.contains_key(&id) && !self.recent_set.contains(&id) {
                return id;
            }
        }
    }

    /// Starts a request; its first datagram is ready in [`poll_transmit`](Self::poll_transmit).
    ///
    /// An SNMPv3 request to an agent whose engine is not known yet first
    /// sends a discovery probe (RFC 3414 §4); the request itself follows
    /// the probe's Report, and a notInTimeWindow Report resynchronizes the
    /// clock and sends it once more. Neither uses up a retry.
    pub fn send_request(
        &mut self,
        now: Instant,
        target: &Target,
        request: Request,
    ) -> Result<RequestHandle, SendError> {
        let security = match (target.version, &target.v3) {
            (Version::V1 | Version::V2c, _) => None,
            (Version::V3, Some(s)) => Some(s.clone()),
            (v, _) => return Err(SendError::UnsupportedVersion(v)),
        };
        if let Some(s) = &security {
            if s.level > s.user.max_level() {
                return Err(SendError::UnsupportedSecurityLevel);
            }
        }
        let request_id = self.fresh_request_id();
        let pdu = build_pdu(target.version, request_id, request)?;
        let (payload, v3) = match security {
            None => {
                let msg = Message::new(target.version, &target.community, pdu);
                let size = msg.encoded_len();
                if size > self.config.max_message_size {
                    return Err(SendError::TooLarge {
                        size,
                        max: self.config.max_message_size,
                    });
                }
                self.encode_buf.clear();
                msg.encode(&mut self.encode_buf);
                (self.encode_buf.clone(), None)
            }
            Some(security) => {
                // A conservative bound on the v3 overhead: headers, the
                // longest engine ID, user name and MAC, a block of padding.
                let size =
                    pdu.encoded_len() + 64 + 2 * 34 + 50 + 8 + 16 + security.context_name.len();
                if size > self.config.max_message_size {
                    return Err(SendError::TooLarge {
                        size,
                        max: self.config.max_message_size,
                    });
                }
                let phase = match self.v3.engine_for(target.addr, &security) {
                    Some(id) => Phase::Ready(id.into()),
                    None => Phase::Discovery,
                };
                let v3 = PendingV3 {
                    security,
                    pdu,
                    phase,
                    msg_ids: Vec::new(),
                    resynced: false,
                    resynced_at: 0,
                    rediscovered: false,
                };
                (Vec::new(), Some(Box::new(v3)))
            }
        };

        let handle = RequestHandle(self.next_handle);
        self.next_handle += 1;
        let deadline = now + target.retry.timeout;
        self.handles.insert(handle, request_id);
        self.pending.insert(
            request_id,
            Pending {
                handle,
                destination: target.addr,
                version: target.version,
                payload,
                retries_left: target.retry.retries,
                timeout: target.retry.timeout,
                deadline,
                v3,
            },
        );
        let payload = match self.pending.get(&request_id).and_then(|p| p.v3.as_ref()) {
            Some(_) => match self.encode_v3(now, request_id) {
                Some(p) => p,
                None => {
                    if let Some(p) = self.pending.remove(&request_id) {
                        self.handles.remove(&p.handle);
                        if let Some(v3) = &p.v3 {
                            self.forget_v3(v3);
                        }
                    }
                    return Err(SendError::UnsupportedSecurityLevel);
                }
            },
            None => self
                .pending
                .get(&request_id)
                .map(|p| p.payload.clone())
                .unwrap_or_default(),
        };
        self.transmits.push_back(Transmit {
            destination: target.addr,
            payload,
        });
        self.stats.requests += 1;
        self.stats.datagrams_out += 1;
        self.timers.push(Reverse((deadline, request_id)));
        Ok(handle)
    }

    /// Queues a trap for `target` (fire-and-forget: no state is kept, no
    /// event follows); its datagram is ready in
    /// [`poll_transmit`](Self::poll_transmit). The form that `target`'s
    /// version cannot carry is translated (see [`Trap::to_pdu`]). For a
    /// confirmed notification send [`Request::inform`] with
    /// [`send_request`](Self::send_request) instead.
    ///
    /// An SNMPv3 trap is sent by this manager's engine as the authoritative
    /// one (RFC 3412 §7.1 step 9a): the target's
    /// [`V3Security::engine_id`] if set, else the engine of
    /// [`set_local_engine`](Self::set_local_engine); the receiver knows
    /// the user for that engine ID (Net-SNMP's `createUser -e ENGINEID`),
    /// or for any engine. Its boots and time are
    /// [`V3Security::engine_clock`] if set, else the local engine's. The
    /// contextEngineID is [`V3Security::context_engine_id`] if set, else
    /// this manager's own engine ID (RFC 3413 §3.3; snmptrap sends its
    /// local engine ID there even with `-e`).
    pub fn send_trap(
        &mut self,
        now: Instant,
        target: &Target,
        trap: impl Into<Trap>,
    ) -> Result<(), SendError> {
        let request_id = self.fresh_request_id();
        let max = self.config.max_message_size;
        let trap = trap.into();
        let payload = match (target.version, &target.v3) {
            (Version::V3, Some(security)) => {
                self.encode_v3_trap(now, security, request_id, &trap)?
            }
            _ => crate::notify::encode_trap(target, request_id, &trap, max)?,
        };
        self.transmits.push_back(Transmit {
            destination: target.addr,
            payload,
        });
        self.stats.datagrams_out += 1;
        Ok(())
    }

    /// Abandons a request; it completes with [`RequestError::Cancelled`].
    /// Returns false if it had already completed.
    pub fn cancel(&mut self, handle: RequestHandle) -> bool {
        let Some(id) = self.handles.get(&handle).copied() else {
            return false;
        };
        self.finish(id, Err(RequestError::Cancelled));
        true
    }

    fn remember(&mut self, id: i32) {
        if self.recent.len() == RECENT_IDS {
            if let Some(old) = self.recent.pop_front() {
                self.recent_set.remove(&old);
            }
        }
        self.recent.push_back(id);
        self.recent_set.insert(id);
    }

    fn finish(&mut self, id: i32, result: Result<Response, RequestError>) {
        if let Some(p) = self.pending.remove(&id) {
            self.handles.remove(&p.handle);
            if let Some(v3) = &p.v3 {
                self.forget_v3(v3);
            }
            self.remember(id);
            self.events.push_back(Event::Completed {
                handle: p.handle,
                result,
            });
        }
    }

    /// Feeds a datagram received from `from`.
    pub fn handle_datagram(&mut self, now: Instant, from: SocketAddr, bytes: &[u8]) {
        self.stats.datagrams_in += 1;
        let msg = match MessageRef::decode(bytes) {
            Ok(m) => m,
            Err(e) if e.kind == DecodeErrorKind::UnsupportedVersion(3) => {
                return self.handle_v3(now, from, bytes);
            }
            Err(_) => {
                self.stats.parse_errors += 1;
                return;
            }
        };
        let Some(pdu) = msg.pdu() else {
            self.stats.unexpected_pdus += 1;
            return;
        };
        if pdu.pdu_type != PduType::Response {
            self.stats.unexpected_pdus += 1;
            return;
        }
        let Some(p) = self.pending.get(&pdu.request_id) else {
            if self.recent_set.contains(&pdu.request_id) {
                self.stats.late_responses += 1;
            } else {
                self.stats.unknown_request_ids += 1;
            }
            return;
        };
        if !same_peer(p.destination, from) {
            self.stats.wrong_source += 1;
            return;
        }
        if p.version != msg.version {
            self.stats.bad_versions += 1;
            return;
        }
        self.stats.responses += 1;
        let response = Response {
            error_status: pdu.status(),
            error_index: u32::try_from(pdu.error_index).unwrap_or(0),
            varbinds: pdu.varbinds.to_vec(),
            wire_len: bytes.len(),
        };
        self.finish(pdu.request_id, Ok(response));
    }

    /// Handles every deadline at or before `now`: retransmits or times out.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(Reverse((deadline, id))) = self.timers.peek().copied() {
            if deadline > now {
                break;
            }
            self.timers.pop();
            let Some(p) = self.pending.get_mut(&id) else {
                continue; // finished already; lazily dropped timer
            };
            if p.deadline != deadline {
                continue;
            }
            if p.retries_left == 0 {
                let dest = p.destination;
                self.stats.timeouts += 1;
                self.finish(id, Err(RequestError::Timeout(dest)));
                continue;
            }
            p.retries_left -= 1;
            p.deadline = now + p.timeout;
            let next = p.deadline;
            let destination = p.destination;
            // SNMPv3: a fresh msgID, time and salt for each retransmission
            // (RFC 3412 §6.2).
            let payload = if p.v3.is_some() {
                self.encode_v3(now, id).unwrap_or_default()
            } else {
                p.payload.clone()
            };
            self.transmits.push_back(Transmit {
                destination,
                payload,
            });
            self.stats.retransmits += 1;
            self.stats.datagrams_out += 1;
            self.timers.push(Reverse((next, id)));
        }
    }

    /// The next datagram to send.
    pub fn poll_transmit(&mut self) -> Option<Transmit> {
        self.transmits.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next, if ever.
    pub fn poll_timeout(&mut self) -> Option<Instant> {
        // Drop stale timers so the answer is the real next deadline.
        while let Some(Reverse((deadline, id))) = self.timers.peek().copied() {
            match self.pending.get(&id) {
                Some(p) if p.deadline == deadline => return Some(deadline),
                _ => {
                    self.timers.pop();
                }
            }
        }
        None
    }
}

fn build_pdu(version: Version, request_id: i32, request: Request) -> Result<Pdu, SendError> {
    let (pdu_type, error_status, error_index, varbinds) = match request {
        Request::Get(oids) => (PduType::GetRequest, 0, 0, nulls(oids)),
        Request::GetNext(oids) => (PduType::GetNextRequest, 0, 0, nulls(oids)),
        Request::GetBulk {
            non_repeaters,
            max_repetitions,
            oids,
        } => {
            if version == Version::V1 {
                return Err(SendError::BulkNotInV1);
            }
            (
                PduType::GetBulkRequest,
                clamp_i32(non_repeaters),
                clamp_i32(max_repetitions),
                nulls(oids),
            )
        }
        Request::Set(vbs) => (PduType::SetRequest, 0, 0, vbs),
        Request::Inform(_) if version == Version::V1 => return Err(SendError::InformNotInV1),
        Request::Inform(vbs) => (PduType::InformRequest, 0, 0, vbs),
    };
    Ok(Pdu {
        pdu_type,
        request_id,
        error_status,
        error_index,
        varbinds,
    })
}

fn clamp_i32(v: u32) -> i32 {
    i32::try_from(v).unwrap_or(i32::MAX)
}

fn nulls(oids: Vec<crate::Oid>) -> Vec<VarBind> {
    oids.into_iter().map(VarBind::null).collect()
}
