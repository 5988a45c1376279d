//! A deterministic simulation of the manager core on an in-memory network.
//!
//! * [`Network`] carries datagrams between addresses on a virtual clock. It
//!   can drop, duplicate, delay and (through random delays) reorder them,
//!   all drawn from a seeded generator, so a run replays exactly.
//! * [`Responder`] is a scripted agent built on the core's message types: it
//!   answers Get, GetNext, GetBulk and Set from a `BTreeMap<Oid, Value>`, with
//!   SNMPv1 or SNMPv2c semantics, and can be told to misbehave (stay silent,
//!   answer late, answer from the wrong address or in the wrong version,
//!   refuse large GETBULKs, truncate responses, or tamper with them).
//! * [`Sim`] wires one [`Manager`] to the network and to any number of
//!   responders, drives it by the documented drain rule, and records a
//!   [`TraceEvent`] for everything the manager sent, received and completed.
//!
//! Time is virtual: every `Instant` is `base + Duration`, and nothing sleeps.
//! At equal times, datagram deliveries are processed before manager timers.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::fmt;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, RequestHandle, Response, SendError,
    Target,
};
use oxsnmp_core::walk::{Row, TableWalk, Walk, WalkError};
use oxsnmp_core::{ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version};

// ---------------------------------------------------------------------------
// Randomness

/// A small seeded generator (SplitMix64) for the simulation's own choices.
#[derive(Debug, Clone)]
pub struct SimRng(u64);

impl SimRng {
    /// A generator with this seed.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    /// Uniform in `lo..=hi`.
    pub fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi.saturating_sub(lo) + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        let unit = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        unit < p
    }

    /// A duration uniform in `lo..=hi`, at microsecond resolution.
    pub fn duration(&mut self, lo: Duration, hi: Duration) -> Duration {
        let (lo_us, hi_us) = (lo.as_micros() as u64, hi.as_micros() as u64);
        Duration::from_micros(self.between(lo_us, hi_us.max(lo_us)))
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    /// `n` random bytes.
    pub fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n).map(|_| self.next_u64() as u8).collect()
    }
}

// ---------------------------------------------------------------------------
// The network

/// What the network does to each datagram on a link.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Faults {
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Probability that a delivered datagram is delivered twice.
    pub duplicate: f64,
    /// Shortest one-way delay.
    pub min_delay: Duration,
    /// Longest one-way delay; a spread between the two reorders datagrams.
    pub max_delay: Duration,
}

impl Faults {
    /// A perfect link with a fixed 1 ms delay.
    pub const fn perfect() -> Self {
        Self {
            loss: 0.0,
            duplicate: 0.0,
            min_delay: Duration::from_millis(1),
            max_delay: Duration::from_millis(1),
        }
    }

    /// Loss, duplication and a delay spread that reorders.
    pub const fn lossy(loss: f64, duplicate: f64, min_ms: u64, max_ms: u64) -> Self {
        Self {
            loss,
            duplicate,
            min_delay: Duration::from_millis(min_ms),
            max_delay: Duration::from_millis(max_ms),
        }
    }
}

/// A datagram in flight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// Source address.
    pub from: SocketAddr,
    /// Destination address.
    pub to: SocketAddr,
    /// The bytes.
    pub payload: Vec<u8>,
}

/// What the network did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetStats {
    /// Datagrams handed to the network (injected ones included).
    pub sent: u64,
    /// Datagrams lost.
    pub dropped: u64,
    /// Extra copies made.
    pub duplicated: u64,
    /// Datagrams delivered to an address somebody listens on.
    pub delivered: u64,
    /// Datagrams delivered to an address nobody listens on.
    pub undeliverable: u64,
    /// Datagrams scheduled to arrive before one sent earlier on the same link.
    pub reordered: u64,
}

/// The in-memory network with its virtual clock.
#[derive(Debug)]
pub struct Network {
    rng: SimRng,
    base: Instant,
    now: Duration,
    seq: u64,
    queue: BinaryHeap<Reverse<(Duration, u64)>>,
    in_flight: HashMap<u64, Datagram>,
    default_faults: Faults,
    link_faults: HashMap<SocketAddr, Faults>,
    last_arrival: HashMap<(SocketAddr, SocketAddr), Duration>,
    stats: NetStats,
}

impl Network {
    /// A network whose links all have `faults` unless set per address.
    pub fn new(seed: u64, faults: Faults) -> Self {
        Self {
            rng: SimRng::new(seed ^ 0x6e65_7477_6f72_6b00),
            base: Instant::now(),
            now: Duration::ZERO,
            seq: 0,
            queue: BinaryHeap::new(),
            in_flight: HashMap::new(),
            default_faults: faults,
            link_faults: HashMap::new(),
            last_arrival: HashMap::new(),
            stats: NetStats::default(),
        }
    }

    /// Faults for every datagram to or from `addr` (agent ends of links).
    pub fn set_link_faults(&mut self, addr: SocketAddr, faults: Faults) {
        self.link_faults.insert(addr, faults);
    }

    fn faults(&self, from: SocketAddr, to: SocketAddr) -> Faults {
        self.link_faults
            .get(&to)
            .or_else(|| self.link_faults.get(&from))
            .copied()
            .unwrap_or(self.default_faults)
    }

    /// The virtual time elapsed since the start.
    pub fn elapsed(&self) -> Duration {
        self.now
    }

    /// The virtual `Instant` now.
    pub fn now(&self) -> Instant {
        self.base + self.now
    }

    /// The `Instant` for a virtual time.
    pub fn instant(&self, at: Duration) -> Instant {
        self.base + at
    }

    /// The virtual time of an `Instant` made by this network.
    pub fn since_start(&self, t: Instant) -> Duration {
        t.duration_since(self.base)
    }

    /// What the network did so far.
    pub fn stats(&self) -> NetStats {
        self.stats
    }

    /// The generator, for callers that want to draw from the same seed.
    pub fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    fn enqueue(&mut self, at: Duration, dg: Datagram) {
        self.seq += 1;
        self.queue.push(Reverse((at, self.seq)));
        self.in_flight.insert(self.seq, dg);
    }

    /// Sends through the link's faults, `extra` later than now.
    pub fn send_after(
        &mut self,
        extra: Duration,
        from: SocketAddr,
        to: SocketAddr,
        payload: Vec<u8>,
    ) {
        self.stats.sent += 1;
        let f = self.faults(from, to);
        if self.rng.chance(f.loss) {
            self.stats.dropped += 1;
            return;
        }
        let copies = if self.rng.chance(f.duplicate) { 2 } else { 1 };
        self.stats.duplicated += copies - 1;
        for _ in 0..copies {
            let delay = self.rng.duration(f.min_delay, f.max_delay);
            let at = self.now + extra + delay;
            let last = self.last_arrival.entry((from, to)).or_default();
            if at < *last {
                self.stats.reordered += 1;
            } else {
                *last = at;
            }
            let dg = Datagram {
                from,
                to,
                payload: payload.clone(),
            };
            self.enqueue(at, dg);
        }
    }

    /// Sends through the link's faults.
    pub fn send(&mut self, from: SocketAddr, to: SocketAddr, payload: Vec<u8>) {
        self.send_after(Duration::ZERO, from, to, payload);
    }

    /// Puts a datagram on the wire to arrive exactly at `at` (no faults).
    pub fn inject(&mut self, at: Duration, dg: Datagram) {
        self.stats.sent += 1;
        let at = at.max(self.now);
        self.enqueue(at, dg);
    }

    /// When the next datagram arrives.
    pub fn next_due(&self) -> Option<Duration> {
        self.queue.peek().map(|Reverse((at, _))| *at)
    }

    /// Takes the next datagram due and when it arrives (without moving the
    /// clock: see [`advance`](Self::advance)).
    pub fn pop(&mut self) -> Option<(Duration, Datagram)> {
        let Reverse((at, seq)) = self.queue.pop()?;
        let dg = self.in_flight.remove(&seq)?;
        Some((at, dg))
    }

    /// Moves the virtual clock forward to `to` (never back).
    pub fn advance(&mut self, to: Duration) {
        debug_assert!(to >= self.now, "virtual time went backwards");
        self.now = self.now.max(to);
    }

    /// Advances the clock to the next arrival and hands that datagram
    /// over (for harnesses that run their own endpoints).
    pub fn deliver_next(&mut self) -> Option<Datagram> {
        let (at, dg) = self.pop()?;
        self.advance(at);
        self.stats.delivered += 1;
        Some(dg)
    }

    /// Advances the clock to `to` (never backwards).
    pub fn advance_to(&mut self, to: Duration) {
        self.advance(to);
    }

    /// Datagrams still in flight.
    pub fn in_flight(&self) -> usize {
        self.in_flight.len()
    }
}

// ---------------------------------------------------------------------------
// The scripted responder

/// How a responder delivers its answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// Answer from its own address, right away.
    Normal,
    /// Never answer.
    Silent,
    /// Answer from another address (a multi-homed agent, or a spoofer).
    FromAddress(SocketAddr),
    /// Answer after this extra delay.
    Late(Duration),
}

/// A hook that may rewrite a response before it is sent: `(request, response)`.
pub type Tamper = Box<dyn FnMut(&Pdu, &mut Pdu)>;

/// A simple agent over a `BTreeMap<Oid, Value>`.
///
/// With SNMPv1 requests it answers the SNMPv1 way (`noSuchName` for missing
/// objects and past the end of the MIB, Counter64 skipped); with SNMPv2c it
/// uses exceptions. OIDs under the echo prefix, if set, are virtual objects
/// whose value is their own dotted name, and Sets on them are accepted and
/// echoed without being stored, so tests can give every request a unique
/// and checkable content.
pub struct Responder {
    /// Where it listens.
    pub addr: SocketAddr,
    /// The community it answers to.
    pub community: Vec<u8>,
    /// Its objects.
    pub mib: BTreeMap<Oid, Value>,
    /// How it answers.
    pub answer: Answer,
    /// Answer in this version instead of the request's.
    pub reply_version: Option<Version>,
    /// GETBULKs asking for more repetitions than this get this error-status.
    pub bulk_limit: Option<(u32, ErrorStatus)>,
    /// Responses keep at most this many varbinds (an agent's size limit).
    pub max_varbinds: Option<usize>,
    /// The echo subtree (see the type documentation).
    pub echo_prefix: Option<Oid>,
    /// Rewrites responses, for misbehaving-agent tests.
    pub tamper: Option<Tamper>,
    /// Every request PDU received, in order.
    pub requests: Vec<Pdu>,
    /// Every response PDU sent, in order.
    pub responses: Vec<Pdu>,
    /// Datagrams it could not decode or would not answer.
    pub ignored: u64,
}

impl fmt::Debug for Responder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Responder")
            .field("addr", &self.addr)
            .field("objects", &self.mib.len())
            .field("answer", &self.answer)
            .field("requests", &self.requests.len())
            .finish_non_exhaustive()
    }
}

impl Responder {
    /// A well-behaved agent for community `public`.
    pub fn new(addr: SocketAddr, mib: BTreeMap<Oid, Value>) -> Self {
        Self {
            addr,
            community: b"public".to_vec(),
            mib,
            answer: Answer::Normal,
            reply_version: None,
            bulk_limit: None,
            max_varbinds: None,
            echo_prefix: None,
            tamper: None,
            requests: Vec::new(),
            responses: Vec::new(),
            ignored: 0,
        }
    }

    fn echo_value(&self, oid: &Oid) -> Option<Value> {
        let prefix = self.echo_prefix.as_ref()?;
        (oid.starts_with(prefix) && oid.len() > prefix.len())
            .then(|| Value::OctetString(oid.to_string().into_bytes()))
    }

    /// The next object after `oid` this version can show.
    fn next_after(&self, oid: &Oid, version: Version) -> Option<(&Oid, &Value)> {
        use std::ops::Bound::{Excluded, Unbounded};
        self.mib
            .range((Excluded(oid), Unbounded))
            .find(|(_, v)| !(version == Version::V1 && matches!(v, Value::Counter64(_))))
    }

    fn get(&self, oid: &Oid, version: Version) -> Option<Value> {
        if let Some(v) = self.echo_value(oid) {
            return Some(v);
        }
        match self.mib.get(oid) {
            Some(Value::Counter64(_)) if version == Version::V1 => None,
            Some(v) => Some(v.clone()),
            None => None,
        }
    }

    fn missing(&self, oid: &Oid) -> Value {
        let has_object = oid.parent().is_some_and(|p| {
            self.mib
                .keys()
                .any(|k| k.starts_with(&p) && k.len() == oid.len())
        });
        if has_object {
            Value::NoSuchInstance
        } else {
            Value::NoSuchObject
        }
    }

    /// The response to a request, as this agent would give it (before tampering
    /// and delivery), or `None` if it would not answer at all.
    pub fn respond(&self, request: &Message) -> Option<Message> {
        let oxsnmp_core::AnyPdu::Pdu(req) = &request.pdu else {
            return None;
        };
        if request.community != self.community {
            return None;
        }
        let v1 = request.version == Version::V1;
        let mut resp = Pdu {
            pdu_type: PduType::Response,
            request_id: req.request_id,
            error_status: 0,
            error_index: 0,
            varbinds: Vec::new(),
        };
        let v1_error = |resp: &mut Pdu, status: ErrorStatus, index: usize| {
            resp.error_status = status.as_i32();
            resp.error_index = index as i32 + 1;
            resp.varbinds = req.varbinds.clone();
        };
        match req.pdu_type {
            PduType::GetRequest => {
                for (i, vb) in req.varbinds.iter().enumerate() {
                    match self.get(&vb.oid, request.version) {
                        Some(v) => resp.varbinds.push(VarBind::new(vb.oid.clone(), v)),
                        None if v1 => {
                            v1_error(&mut resp, ErrorStatus::NoSuchName, i);
                            break;
                        }
                        None => resp
                            .varbinds
                            .push(VarBind::new(vb.oid.clone(), self.missing(&vb.oid))),
                    }
                }
            }
            PduType::GetNextRequest => {
                for (i, vb) in req.varbinds.iter().enumerate() {
                    match self.next_after(&vb.oid, request.version) {
                        Some((o, v)) => resp.varbinds.push(VarBind::new(o.clone(), v.clone())),
                        None if v1 => {
                            v1_error(&mut resp, ErrorStatus::NoSuchName, i);
                            break;
                        }
                        None => resp
                            .varbinds
                            .push(VarBind::new(vb.oid.clone(), Value::EndOfMibView)),
                    }
                }
            }
            PduType::GetBulkRequest => {
                let max_reps = u32::try_from(req.error_index).unwrap_or(0);
                if let Some((limit, status)) = self.bulk_limit {
                    if max_reps > limit {
                        resp.error_status = status.as_i32();
                        resp.varbinds = req.varbinds.clone();
                        return Some(self.wrap(request, resp));
                    }
                }
                // RFC 3416 §4.2.3.
                let n = usize::try_from(req.error_status)
                    .unwrap_or(0)
                    .min(req.varbinds.len());
                let next = |oid: &Oid| match self.next_after(oid, request.version) {
                    Some((o, v)) => VarBind::new(o.clone(), v.clone()),
                    None => VarBind::new(oid.clone(), Value::EndOfMibView),
                };
                for vb in &req.varbinds[..n] {
                    resp.varbinds.push(next(&vb.oid));
                }
                let mut cursors: Vec<Oid> =
                    req.varbinds[n..].iter().map(|vb| vb.oid.clone()).collect();
                for _ in 0..max_reps {
                    if cursors.is_empty() {
                        break;
                    }
                    let mut all_ended = true;
                    for c in cursors.iter_mut() {
                        let vb = next(c);
                        if vb.value != Value::EndOfMibView {
                            all_ended = false;
                        }
                        *c = vb.oid.clone();
                        resp.varbinds.push(vb);
                    }
                    if all_ended {
                        break;
                    }
                }
            }
            PduType::SetRequest => {
                for (i, vb) in req.varbinds.iter().enumerate() {
                    let known =
                        self.echo_value(&vb.oid).is_some() || self.mib.contains_key(&vb.oid);
                    if !known {
                        let status = if v1 {
                            ErrorStatus::NoSuchName
                        } else {
                            ErrorStatus::NoCreation
                        };
                        v1_error(&mut resp, status, i);
                        break;
                    }
                }
                if resp.error_status == 0 {
                    resp.varbinds = req.varbinds.clone();
                }
            }
            _ => return None,
        }
        if let Some(max) = self.max_varbinds {
            resp.varbinds.truncate(max);
        }
        Some(self.wrap(request, resp))
    }

    fn wrap(&self, request: &Message, pdu: Pdu) -> Message {
        Message::new(
            self.reply_version.unwrap_or(request.version),
            &request.community,
            pdu,
        )
    }

    /// Handles one datagram; returns the reply and where it comes from and when.
    fn handle(&mut self, bytes: &[u8]) -> Option<(SocketAddr, Duration, Vec<u8>)> {
        let Ok(view) = MessageRef::decode(bytes) else {
            self.ignored += 1;
            return None;
        };
        let request = view.to_owned();
        let req_pdu = match &request.pdu {
            oxsnmp_core::AnyPdu::Pdu(p) => p.clone(),
            oxsnmp_core::AnyPdu::TrapV1(_) => {
                self.ignored += 1;
                return None;
            }
        };
        // Apply SETs to the store (echo objects are not stored).
        let Some(mut response) = self.respond(&request) else {
            self.ignored += 1;
            return None;
        };
        self.requests.push(req_pdu.clone());
        if req_pdu.pdu_type == PduType::SetRequest {
            if let oxsnmp_core::AnyPdu::Pdu(p) = &response.pdu {
                if p.error_status == 0 {
                    for vb in &req_pdu.varbinds {
                        if let Some(slot) = self.mib.get_mut(&vb.oid) {
                            *slot = vb.value.clone();
                        }
                    }
                }
            }
        }
        if let (Some(t), oxsnmp_core::AnyPdu::Pdu(p)) = (self.tamper.as_mut(), &mut response.pdu) {
            t(&req_pdu, p);
        }
        if let oxsnmp_core::AnyPdu::Pdu(p) = &response.pdu {
            self.responses.push(p.clone());
        }
        let bytes = response.to_bytes();
        match self.answer {
            Answer::Normal => Some((self.addr, Duration::ZERO, bytes)),
            Answer::Silent => None,
            Answer::FromAddress(a) => Some((a, Duration::ZERO, bytes)),
            Answer::Late(d) => Some((self.addr, d, bytes)),
        }
    }
}

// ---------------------------------------------------------------------------
// The harness

/// Something the manager did or was given, in processing order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceEvent {
    /// The manager sent a datagram.
    Sent {
        /// When.
        at: Duration,
        /// To whom.
        to: SocketAddr,
        /// The bytes.
        payload: Vec<u8>,
    },
    /// A datagram was delivered to the manager.
    Received {
        /// When.
        at: Duration,
        /// From whom.
        from: SocketAddr,
        /// The bytes.
        payload: Vec<u8>,
    },
    /// A request completed.
    Completed {
        /// When.
        at: Duration,
        /// Which request.
        handle: RequestHandle,
        /// How.
        result: Result<Response, RequestError>,
    },
}

/// What was asked, when, and of whom.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendRecord {
    /// When `send_request` was called.
    pub at: Duration,
    /// The target, retry policy included.
    pub target: Target,
    /// The request.
    pub request: Request,
    /// The request-id the manager chose.
    pub request_id: i32,
}

/// A completion as the harness saw it.
pub type Completion = (Duration, Result<Response, RequestError>);

/// Why a simulated walk stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SimWalkError {
    /// The walk itself failed.
    Walk(WalkError),
    /// A request of the walk failed.
    Request(RequestError),
    /// A request of the walk could not be sent.
    Send(SendError),
}

/// The manager wired to the network and the responders.
#[derive(Debug)]
pub struct Sim {
    /// The network.
    pub net: Network,
    /// The manager under test.
    pub manager: Manager,
    /// The manager's address.
    pub manager_addr: SocketAddr,
    agents: BTreeMap<SocketAddr, Responder>,
    /// Everything the manager did, in order.
    pub trace: Vec<TraceEvent>,
    records: HashMap<RequestHandle, SendRecord>,
    completions: HashMap<RequestHandle, Vec<Completion>>,
}

/// Steps after which a run is declared stuck.
const MAX_STEPS: u64 = 50_000_000;

impl Sim {
    /// A simulation with this seed (for the network and the manager's request-ids).
    pub fn new(seed: u64, faults: Faults) -> Self {
        Self {
            net: Network::new(seed, faults),
            manager: Manager::new(ManagerConfig::with_seed(seed)),
            manager_addr: "192.0.2.1:40000".parse().expect("literal address"),
            agents: BTreeMap::new(),
            trace: Vec::new(),
            records: HashMap::new(),
            completions: HashMap::new(),
        }
    }

    /// Adds a responder at its address.
    pub fn add_agent(&mut self, r: Responder) {
        self.agents.insert(r.addr, r);
    }

    /// The responder at `addr`.
    pub fn agent(&self, addr: SocketAddr) -> &Responder {
        &self.agents[&addr]
    }

    /// The responder at `addr`, mutably.
    pub fn agent_mut(&mut self, addr: SocketAddr) -> &mut Responder {
        self.agents
            .get_mut(&addr)
            .expect("no agent at that address")
    }

    /// Virtual time since the start.
    pub fn elapsed(&self) -> Duration {
        self.net.elapsed()
    }

    /// Sends a request now; its first datagram goes onto the network.
    pub fn send(&mut self, target: &Target, request: Request) -> Result<RequestHandle, SendError> {
        let at = self.elapsed();
        let handle = self
            .manager
            .send_request(self.net.now(), target, request.clone())?;
        let first = self.trace.len();
        self.drain();
        let request_id = self.trace[first..]
            .iter()
            .find_map(|e| match e {
                TraceEvent::Sent { payload, .. } => MessageRef::decode(payload)
                    .ok()?
                    .pdu()
                    .map(|p| p.request_id),
                _ => None,
            })
            .expect("send_request queued a datagram");
        self.records.insert(
            handle,
            SendRecord {
                at,
                target: target.clone(),
                request,
                request_id,
            },
        );
        Ok(handle)
    }

    /// Delivers `payload` to the manager from `from`, `delay` from now, bypassing faults.
    pub fn inject_to_manager(&mut self, delay: Duration, from: SocketAddr, payload: Vec<u8>) {
        let dg = Datagram {
            from,
            to: self.manager_addr,
            payload,
        };
        self.net.inject(self.elapsed() + delay, dg);
    }

    /// Drains the manager's outputs after an input (the drain rule).
    fn drain(&mut self) {
        let at = self.elapsed();
        while let Some(tx) = self.manager.poll_transmit() {
            self.trace.push(TraceEvent::Sent {
                at,
                to: tx.destination,
                payload: tx.payload.clone(),
            });
            self.net.send(self.manager_addr, tx.destination, tx.payload);
        }
        while let Some(ev) = self.manager.poll_event() {
            match ev {
                Event::Completed { handle, result } => {
                    self.trace.push(TraceEvent::Completed {
                        at,
                        handle,
                        result: result.clone(),
                    });
                    self.completions
                        .entry(handle)
                        .or_default()
                        .push((at, result));
                }
                other => panic!("unexpected manager event {other:?}"),
            }
        }
    }

    fn next_timer(&mut self) -> Option<Duration> {
        let t = self.manager.poll_timeout()?;
        Some(self.net.since_start(t))
    }

    /// When the next thing happens, if anything will.
    pub fn next_event_time(&mut self) -> Option<Duration> {
        match (self.net.next_due(), self.next_timer()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }

    /// Processes the next delivery or timer; false when nothing is left.
    pub fn step(&mut self) -> bool {
        let net = self.net.next_due();
        let timer = self.next_timer();
        let deliver = match (net, timer) {
            (None, None) => return false,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (Some(n), Some(t)) => n <= t,
        };
        if deliver {
            let Some((at, dg)) = self.net.pop() else {
                return false;
            };
            self.net.advance(at);
            self.deliver(dg);
        } else if let Some(t) = timer {
            self.net.advance(t);
            self.manager.handle_timeout(self.net.now());
            self.drain();
        }
        true
    }

    fn deliver(&mut self, dg: Datagram) {
        if dg.to == self.manager_addr {
            self.net.stats.delivered += 1;
            self.trace.push(TraceEvent::Received {
                at: self.elapsed(),
                from: dg.from,
                payload: dg.payload.clone(),
            });
            self.manager
                .handle_datagram(self.net.now(), dg.from, &dg.payload);
            self.drain();
        } else if let Some(agent) = self.agents.get_mut(&dg.to) {
            self.net.stats.delivered += 1;
            if let Some((from, extra, reply)) = agent.handle(&dg.payload) {
                self.net.send_after(extra, from, dg.from, reply);
            }
        } else {
            self.net.stats.undeliverable += 1;
        }
    }

    /// Runs until nothing is in flight and no timer is set.
    pub fn run_until_idle(&mut self) {
        let mut steps = 0u64;
        while self.step() {
            steps += 1;
            assert!(steps < MAX_STEPS, "simulation does not settle");
        }
    }

    /// Processes everything due at or before `t`, then sets the clock to `t`.
    pub fn run_until(&mut self, t: Duration) {
        while self.next_event_time().is_some_and(|n| n <= t) {
            self.step();
        }
        self.net.advance(t.max(self.elapsed()));
    }

    /// Runs until `handle` completes; returns its (first) completion.
    pub fn wait(&mut self, handle: RequestHandle) -> Completion {
        while !self.completions.contains_key(&handle) {
            assert!(self.step(), "request {handle:?} never completes");
        }
        self.completions[&handle][0].clone()
    }

    /// Every completion reported for `handle` (exactly one when all is well).
    pub fn completions(&self, handle: RequestHandle) -> &[Completion] {
        self.completions.get(&handle).map_or(&[], |v| v.as_slice())
    }

    /// What was sent for `handle`.
    pub fn record(&self, handle: RequestHandle) -> &SendRecord {
        &self.records[&handle]
    }

    /// Every request sent so far, by handle.
    pub fn records(&self) -> &HashMap<RequestHandle, SendRecord> {
        &self.records
    }

    /// Sends one request and waits for it.
    pub fn request(&mut self, target: &Target, request: Request) -> Result<Response, SimWalkError> {
        let h = self.send(target, request).map_err(SimWalkError::Send)?;
        self.wait(h).1.map_err(SimWalkError::Request)
    }

    /// Drives a walk to its end through the manager.
    pub fn walk(&mut self, target: &Target, mut walk: Walk) -> Result<Vec<VarBind>, SimWalkError> {
        let mut out = Vec::new();
        while let Some(req) = walk.next_request() {
            let resp = self.request(target, req)?;
            out.extend(walk.handle_response(resp).map_err(SimWalkError::Walk)?);
        }
        Ok(out)
    }

    /// Drives a table walk to its end through the manager.
    pub fn table_walk(
        &mut self,
        target: &Target,
        mut walk: TableWalk,
    ) -> Result<Vec<Row>, SimWalkError> {
        let mut out = Vec::new();
        let mut guard = 0;
        while let Some(req) = walk.next_request() {
            guard += 1;
            assert!(guard < 100_000, "table walk does not end");
            let resp = self.request(target, req)?;
            out.extend(walk.handle_response(resp).map_err(SimWalkError::Walk)?);
        }
        Ok(out)
    }
}

/// A MIB from `(dotted OID, value)` pairs.
pub fn mib<'a>(entries: impl IntoIterator<Item = (&'a str, Value)>) -> BTreeMap<Oid, Value> {
    entries
        .into_iter()
        .map(|(o, v)| (o.parse().expect("valid OID literal"), v))
        .collect()
}
