//! A deterministic soak: one core [`Manager`] keeps many requests in flight
//! to many core [`Agent`]s over the simulated [`Network`] (lossy,
//! duplicating, reordering; virtual clock) until millions have finished, and
//! then every counter must add up exactly.
//!
//! Unlike [`Sim`](crate::sim::Sim), the soak keeps no trace: it checks each
//! completion when it happens (the answer is this request's, from this
//! agent; a timeout comes exactly `(retries + 1) × timeout` after the send)
//! and remembers only what is in flight, so memory stays bounded however
//! long it runs. The agents are oxsnmp's own agent core serving a
//! [`BigTable`], each with a sysName of its own, so an answer that reached
//! the wrong request or came from the wrong agent cannot pass.
//!
//! ```
//! use oxsnmp_tests::soak::{run, SoakConfig};
//! let report = run(&SoakConfig { requests: 2_000, ..SoakConfig::default() });
//! assert_eq!(report.requests, 2_000);
//! assert_eq!(report.answered + report.timed_out, 2_000);
//! ```

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::time::Duration;

use oxsnmp_core::agent::{Access, Agent, AgentConfig, SystemInfo};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, ManagerStats, Request, RequestError, RequestHandle, Response,
    RetryPolicy, Target,
};
use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};

use crate::big_table::BigTable;
use crate::sim::{Faults, NetStats, Network, SimRng};

/// What to run.
#[derive(Debug, Clone, PartialEq)]
pub struct SoakConfig {
    /// Seed of everything random: the network, the manager's request-ids,
    /// the requests.
    pub seed: u64,
    /// Requests to complete in all.
    pub requests: u64,
    /// Requests outstanding at once (a finished one is replaced at once).
    pub in_flight: usize,
    /// Agents, each at an address of its own.
    pub agents: usize,
    /// Every `slow_every`-th agent sits behind [`slow`](Self::slow) links.
    pub slow_every: usize,
    /// The network to most agents.
    pub faults: Faults,
    /// The network to the slow agents: delays beyond the timeout, so their
    /// answers often arrive after a retransmission or after the request
    /// timed out.
    pub slow: Faults,
    /// Timeout and retries of every request.
    pub retry: RetryPolicy,
}

impl Default for SoakConfig {
    fn default() -> Self {
        Self {
            seed: 1,
            requests: 200_000,
            in_flight: 1_000,
            agents: 256,
            slow_every: 16,
            faults: Faults::lossy(0.05, 0.02, 1, 40),
            slow: Faults::lossy(0.10, 0.05, 20, 300),
            retry: RetryPolicy {
                timeout: Duration::from_millis(100),
                retries: 2,
            },
        }
    }
}

/// What happened, every count exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SoakReport {
    /// Requests sent (each completed exactly once).
    pub requests: u64,
    /// Completed with their answer.
    pub answered: u64,
    /// Completed with a timeout after every retry.
    pub timed_out: u64,
    /// The manager's counters at the end.
    pub manager: ManagerStats,
    /// Datagrams the agents received.
    pub agent_datagrams_in: u64,
    /// Datagrams the agents sent.
    pub agent_datagrams_out: u64,
    /// What the network did.
    pub net: NetStats,
    /// Virtual time the run took.
    pub virtual_time: Duration,
    /// A hash of every completion (handle, time, outcome), in order: equal
    /// for equal runs.
    pub digest: u64,
}

/// `1.3.6.1.2.1.1.4.0`, sysContact.0: a GETNEXT of it answers sysName.0.
const SYS_CONTACT: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 4, 0];
/// `1.3.6.1.2.1.1.5.0`, sysName.0.
const SYS_NAME: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 5, 0];

/// The table each agent serves: 1,000 rows of 4 columns.
const TABLE: BigTable = BigTable::new(1_000, 4);

/// A request in flight, in as little as the check needs.
#[derive(Debug, Clone, Copy)]
struct Outstanding {
    agent: u32,
    ask: Ask,
    sent_at: Duration,
}

/// What was asked; each names sysName.0 so the agent is checked too.
#[derive(Debug, Clone, Copy)]
enum Ask {
    /// GET sysName.0 and a cell.
    Get { column: u32, row: u32 },
    /// GETNEXT sysContact.0 and a cell: sysName.0 and the next cell.
    GetNext { column: u32, row: u32 },
    /// GETBULK non-repeaters 1 (sysContact.0) and `reps` repetitions from a cell.
    Bulk { column: u32, row: u32, reps: u32 },
}

fn oid(arcs: &[u32]) -> Oid {
    Oid::from_slice(arcs).expect("valid OID")
}

fn agent_addr(i: u32) -> SocketAddr {
    // TEST-NET-2 (RFC 5737): only ever an address in the simulation.
    let port = u16::try_from(10_000 + i).expect("fewer than 55,000 agents");
    SocketAddr::new(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)), port)
}

fn agent_index(addr: SocketAddr) -> Option<usize> {
    (addr.ip() == IpAddr::V4(Ipv4Addr::new(198, 51, 100, 1)))
        .then(|| usize::from(addr.port()).checked_sub(10_000))
        .flatten()
}

fn agent_name(i: u32) -> String {
    format!("soak-agent-{i}")
}

impl Ask {
    fn random(rng: &mut SimRng) -> Self {
        // Rows up to 990 and at most 5 repetitions: never past the table.
        let column = 1 + rng.below(4) as u32;
        let row = 1 + rng.below(990) as u32;
        match rng.below(3) {
            0 => Ask::Get { column, row },
            1 => Ask::GetNext { column, row },
            _ => Ask::Bulk {
                column,
                row,
                reps: 1 + rng.below(5) as u32,
            },
        }
    }

    fn request(self) -> Request {
        match self {
            Ask::Get { column, row } => Request::Get(vec![oid(&SYS_NAME), TABLE.oid(column, row)]),
            Ask::GetNext { column, row } => {
                Request::GetNext(vec![oid(&SYS_CONTACT), TABLE.oid(column, row)])
            }
            Ask::Bulk { column, row, reps } => Request::GetBulk {
                non_repeaters: 1,
                max_repetitions: reps,
                oids: vec![oid(&SYS_CONTACT), TABLE.oid(column, row)],
            },
        }
    }

    /// The varbinds agent `agent` must answer.
    fn expected(self, agent: u32) -> Vec<VarBind> {
        let name = VarBind::new(oid(&SYS_NAME), Value::from(agent_name(agent).as_str()));
        let cell = |c: u32, r: u32| VarBind::new(TABLE.oid(c, r), BigTable::value(c, r));
        match self {
            Ask::Get { column, row } => vec![name, cell(column, row)],
            Ask::GetNext { column, row } => vec![name, next_of(&TABLE.oid(column, row))],
            Ask::Bulk { column, row, reps } => {
                let mut out = vec![name];
                let mut at = TABLE.oid(column, row);
                for _ in 0..reps {
                    let vb = next_of(&at);
                    at = vb.oid.clone();
                    out.push(vb);
                }
                out
            }
        }
    }
}

/// The cell after `at`: requests stop short of the table's end (what an
/// agent serves past it is its own business), so there is one.
fn next_of(at: &Oid) -> VarBind {
    let (c, r) = TABLE
        .next_cell(at.arcs())
        .expect("requests stay inside the table");
    VarBind::new(TABLE.oid(c, r), BigTable::value(c, r))
}

/// Mixes `x` into `h` (SplitMix64's finalizer).
fn mix(h: u64, x: u64) -> u64 {
    let mut z = h ^ x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

struct Soak {
    config: SoakConfig,
    rng: SimRng,
    net: Network,
    manager: Manager,
    manager_addr: SocketAddr,
    agents: Vec<Agent<BigTable>>,
    targets: Vec<Target>,
    outstanding: HashMap<RequestHandle, Outstanding>,
    issued: u64,
    answered: u64,
    timed_out: u64,
    manager_out: u64,
    manager_in: u64,
    agent_in: u64,
    agent_out: u64,
    digest: u64,
}

impl Soak {
    fn new(config: SoakConfig) -> Self {
        let mut net = Network::new(config.seed, config.faults);
        let start = net.now();
        let agents = (0..config.agents)
            .map(|i| {
                let i = u32::try_from(i).expect("agent count fits u32");
                let config = AgentConfig::new()
                    .community("public", Access::ReadOnly)
                    .system(SystemInfo::new("soak").name(agent_name(i)));
                Agent::new(config, TABLE, start)
            })
            .collect();
        let targets = (0..config.agents)
            .map(|i| {
                let addr = agent_addr(i as u32);
                if config.slow_every > 0 && i % config.slow_every == config.slow_every - 1 {
                    net.set_link_faults(addr, config.slow);
                }
                Target {
                    retry: config.retry,
                    ..Target::new(addr, Version::V2c, "public")
                }
            })
            .collect();
        Self {
            rng: SimRng::new(config.seed ^ 0x736f_616b),
            manager: Manager::new(ManagerConfig::with_seed(config.seed)),
            manager_addr: "192.0.2.1:40000".parse().expect("literal address"),
            net,
            agents,
            targets,
            outstanding: HashMap::new(),
            issued: 0,
            answered: 0,
            timed_out: 0,
            manager_out: 0,
            manager_in: 0,
            agent_in: 0,
            agent_out: 0,
            digest: 0,
            config,
        }
    }

    /// Sends one more request, if any are left to send.
    fn issue(&mut self) {
        if self.issued == self.config.requests {
            return;
        }
        self.issued += 1;
        let agent = self.rng.below(self.agents.len() as u64) as u32;
        let ask = Ask::random(&mut self.rng);
        let handle = self
            .manager
            .send_request(self.net.now(), &self.targets[agent as usize], ask.request())
            .expect("a small request is sent");
        let sent_at = self.net.elapsed();
        let previous = self.outstanding.insert(
            handle,
            Outstanding {
                agent,
                ask,
                sent_at,
            },
        );
        assert!(previous.is_none(), "handle {handle:?} reused");
    }

    /// The drain rule: every datagram the manager queued goes onto the
    /// network, every completion is checked and replaced by a new request.
    fn drain(&mut self) {
        loop {
            while let Some(tx) = self.manager.poll_transmit() {
                self.manager_out += 1;
                self.net.send(self.manager_addr, tx.destination, tx.payload);
            }
            let Some(event) = self.manager.poll_event() else {
                return;
            };
            #[allow(irrefutable_let_patterns)]
            if let Event::Completed { handle, result } = event {
                self.complete(handle, result);
                self.issue();
            }
        }
    }

    fn complete(&mut self, handle: RequestHandle, result: Result<Response, RequestError>) {
        let o = self
            .outstanding
            .remove(&handle)
            .unwrap_or_else(|| panic!("{handle:?} completed twice or was never sent"));
        let now = self.net.elapsed();
        let retry = self.config.retry;
        let give_up = o.sent_at + retry.timeout * (retry.retries + 1);
        let outcome = match result {
            Ok(response) => {
                // At the very instant of the timeout an answer still wins:
                // deliveries come before timers at equal times.
                assert!(now <= give_up, "{handle:?} answered after it timed out");
                assert_eq!(response.error_status, ErrorStatus::NoError, "{handle:?}");
                assert_eq!(
                    response.varbinds,
                    o.ask.expected(o.agent),
                    "{handle:?} ({:?} to agent {}) got another answer",
                    o.ask,
                    o.agent
                );
                self.answered += 1;
                1
            }
            Err(RequestError::Timeout(addr)) => {
                assert_eq!(addr, agent_addr(o.agent), "{handle:?} timed out elsewhere");
                assert_eq!(now, give_up, "{handle:?} timed out at the wrong time");
                self.timed_out += 1;
                2
            }
            Err(other) => panic!("{handle:?} failed: {other}"),
        };
        self.digest = mix(
            mix(mix(self.digest, handle.0), now.as_micros() as u64),
            outcome,
        );
    }

    fn deliver(&mut self) -> bool {
        let Some(dg) = self.net.deliver_next() else {
            return false;
        };
        let now = self.net.now();
        if dg.to == self.manager_addr {
            self.manager_in += 1;
            self.manager.handle_datagram(now, dg.from, &dg.payload);
            self.drain();
        } else {
            let i = agent_index(dg.to).expect("only agents and the manager listen");
            let agent = &mut self.agents[i];
            self.agent_in += 1;
            agent.handle_datagram(now, dg.from, &dg.payload);
            while let Some(tx) = agent.poll_transmit() {
                self.agent_out += 1;
                self.net.send(dg.to, tx.destination, tx.payload);
            }
        }
        true
    }

    fn run(mut self) -> SoakReport {
        for _ in 0..self.config.in_flight {
            self.issue();
        }
        self.drain();
        loop {
            let timer = self.manager.poll_timeout().map(|t| self.net.since_start(t));
            match (self.net.next_due(), timer) {
                (None, None) => break,
                // At equal times, deliveries come before timers.
                (Some(due), Some(t)) if due <= t => {
                    self.deliver();
                }
                (Some(_), None) => {
                    self.deliver();
                }
                (_, Some(t)) => {
                    self.net.advance_to(t);
                    self.manager.handle_timeout(self.net.now());
                    self.drain();
                }
            }
        }
        assert!(self.outstanding.is_empty(), "requests never completed");
        assert_eq!(self.issued, self.config.requests);
        SoakReport {
            requests: self.issued,
            answered: self.answered,
            timed_out: self.timed_out,
            manager: self.manager.stats(),
            agent_datagrams_in: self.agent_in,
            agent_datagrams_out: self.agent_out,
            net: self.net.stats(),
            virtual_time: self.net.elapsed(),
            digest: self.digest,
        }
        .checked(self.manager_out, self.manager_in, &self.agents)
    }
}

impl SoakReport {
    /// Asserts that every count adds up; returns the report.
    fn checked(self, manager_out: u64, manager_in: u64, agents: &[Agent<BigTable>]) -> Self {
        let m = self.manager;
        assert_eq!(m.requests, self.requests);
        assert_eq!(
            self.answered + self.timed_out,
            self.requests,
            "sent = answered + timed out"
        );
        assert_eq!(m.responses, self.answered);
        assert_eq!(m.timeouts, self.timed_out);
        // Out: every first attempt and every retransmission, nothing else.
        assert_eq!(m.datagrams_out, manager_out);
        assert_eq!(m.datagrams_out, m.requests + m.retransmits);
        // In: every datagram delivered to the manager is an answer, a late
        // answer (to a request finished not long ago) or a stranger (to
        // one finished long ago); nothing else reaches it.
        assert_eq!(m.datagrams_in, manager_in);
        assert_eq!(
            m.datagrams_in,
            m.responses + m.late_responses + m.unknown_request_ids
        );
        for (name, n) in [
            ("parse errors", m.parse_errors),
            ("bad versions", m.bad_versions),
            ("unexpected PDUs", m.unexpected_pdus),
            ("wrong source", m.wrong_source),
        ] {
            assert_eq!(n, 0, "{name}");
        }
        // The agents answered every datagram they got, and counted it.
        let (ins, outs) = agents.iter().fold((0, 0), |(i, o), a| {
            (i + a.stats().in_pkts, o + a.stats().out_pkts)
        });
        assert_eq!(ins, self.agent_datagrams_in);
        assert_eq!(outs, self.agent_datagrams_out);
        assert_eq!(self.agent_datagrams_in, self.agent_datagrams_out);
        // The network lost, copied and delivered exactly what was sent.
        let n = self.net;
        assert_eq!(n.sent, manager_out + self.agent_datagrams_out);
        assert_eq!(n.sent - n.dropped + n.duplicated, n.delivered);
        assert_eq!(n.delivered, manager_in + self.agent_datagrams_in);
        assert_eq!(n.undeliverable, 0);
        self
    }
}

/// Runs a soak and checks its accounting (panicking on any mismatch or any
/// wrong answer); returns the counts.
pub fn run(config: &SoakConfig) -> SoakReport {
    assert!(config.agents > 0 && config.in_flight > 0);
    Soak::new(config.clone()).run()
}
