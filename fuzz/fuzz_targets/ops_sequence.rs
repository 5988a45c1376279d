//! Manager and agent cores together over a network the fuzzer controls.
//! One `Manager` talks to two `Agent`s (different engine IDs, IPv4 and
//! IPv6) in SNMPv1, SNMPv2c and SNMPv3 at every security level; the input
//! is a sequence of operations and network events: send a request (Get,
//! GetNext, GetBulk or Set, each asking for something only that request
//! asks for), deliver any datagram in flight (so they arrive in any
//! order), drop one, duplicate one, hold one back, let time pass a little
//! or jump far ahead (so retries, timeouts and the SNMPv3 time window come
//! into play), cancel a request.
//!
//! Invariants: no panic; after every step each completion is for a
//! request that was sent and comes only once, and
//! `outstanding() + completed == sent`; every answer an agent sends goes
//! to the manager; a successful response carries exactly the values that
//! request asked for from the agent it was sent to (no cross-talk between
//! requests or agents); in the end every request has completed, and
//! sent = answered + timed out + failed (Report) + cancelled, with the
//! manager's counters agreeing (requests, responses, timeouts, datagrams
//! in and out) and each agent having counted every datagram delivered to
//! it.
#![no_main]

use std::collections::HashSet;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::agent::{Agent, MemoryMib, SystemInfo};
use oxsnmp_core::fixtures::oid;
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, RequestHandle, RetryPolicy, Target,
    V3Security,
};
use oxsnmp_core::v3::{EngineId, ScopedPduData, ScopedPduRef, V3MessageRef};
use oxsnmp_core::{ErrorStatus, MessageRef, Oid, Value, VarBind, Version};
use oxsnmp_fuzz::v3::{self as fx, users};
use oxsnmp_fuzz::Script;

const MAX_REQUESTS: usize = 64;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Get,
    GetNext,
    GetBulk,
    Set,
}

struct Sent {
    handle: RequestHandle,
    agent: usize,
    /// Which request this is (1, 2, ...).
    n: usize,
    /// The scalar it asks about.
    k: u32,
    request_id: i32,
    kind: Kind,
}

struct InFlight {
    from: SocketAddr,
    to: SocketAddr,
    payload: Vec<u8>,
}

struct Run {
    mgr: Manager,
    me: SocketAddr,
    agents: Vec<(SocketAddr, Agent<MemoryMib>)>,
    now: Instant,
    net: Vec<InFlight>,
    sent: Vec<Sent>,
    completed: HashSet<RequestHandle>,
    answered: u64,
    timed_out: u64,
    failed: u64,
    cancelled: u64,
    to_manager: u64,
    manager_out: u64,
    to_agent: [u64; 2],
}

fn sys_name() -> Oid {
    oid("1.3.6.1.2.1.1.5.0")
}

fn agent_name(a: usize) -> String {
    format!("agent-{a}")
}

fn new_agent(a: usize, max: usize, now: Instant) -> Agent<MemoryMib> {
    let mut config =
        fx::agent_config(max, fx::BOOTS).system(SystemInfo::new("ops agent").name(agent_name(a)));
    if a == 1 {
        config.engine_id = Some(fx::other_engine_id());
    }
    Agent::new(config, fx::mib(), now)
}

fuzz_target!(|data: &[u8]| {
    let mut s = Script(data);
    let now = Instant::now();
    // Seed, and the maximum message sizes: the largest UDP payload, or the
    // least an SNMP engine may have (every answer here fits in 484).
    let seed = s.byte();
    let mut manager_config = ManagerConfig::with_seed(u64::from(seed & 0x3f));
    if seed & 0x40 != 0 {
        manager_config.max_message_size = 484;
    }
    let agent_max = if seed & 0x80 != 0 { 484 } else { 65507 };
    let mut run = Run {
        mgr: Manager::new(manager_config),
        me: fx::peers()[0],
        agents: vec![
            (fx::agent_addr(), new_agent(0, agent_max, now)),
            (
                SocketAddr::from(([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x10], 161)),
                new_agent(1, agent_max, now),
            ),
        ],
        now,
        net: Vec::new(),
        sent: Vec::new(),
        completed: HashSet::new(),
        answered: 0,
        timed_out: 0,
        failed: 0,
        cancelled: 0,
        to_manager: 0,
        manager_out: 0,
        to_agent: [0; 2],
    };
    while let Some(op) = s.next() {
        match op % 10 {
            0 | 1 => run.send(&mut s),
            2 | 3 => {
                if let Some(i) = run.pick(&mut s) {
                    let d = run.net.remove(i);
                    run.deliver(d);
                }
            }
            4 => {
                if let Some(i) = run.pick(&mut s) {
                    run.net.remove(i);
                }
            }
            5 => {
                if let Some(i) = run.pick(&mut s) {
                    let d = &run.net[i];
                    let copy = InFlight {
                        from: d.from,
                        to: d.to,
                        payload: d.payload.clone(),
                    };
                    run.net.push(copy);
                }
            }
            6 => {
                // Held back: goes to the end of the line.
                if let Some(i) = run.pick(&mut s) {
                    let d = run.net.remove(i);
                    run.net.push(d);
                }
            }
            7 => {
                let step = Duration::from_millis(u64::from(s.byte()) * 20);
                run.advance(step);
            }
            8 => {
                let step = Duration::from_secs(u64::from(s.byte()) * 10);
                run.advance(step);
            }
            _ => {
                if !run.sent.is_empty() {
                    let which = usize::from(s.byte()) % run.sent.len();
                    let handle = run.sent[which].handle;
                    let was_open = !run.completed.contains(&handle);
                    assert_eq!(run.mgr.cancel(handle), was_open);
                    run.drain();
                }
            }
        }
    }

    // A perfect network from here on: everything completes.
    for _ in 0..400 {
        while !run.net.is_empty() {
            let d = run.net.remove(0);
            run.deliver(d);
        }
        if run.mgr.outstanding() == 0 {
            break;
        }
        let deadline = run
            .mgr
            .poll_timeout()
            .expect("outstanding requests have a timer");
        let step = deadline.saturating_duration_since(run.now);
        run.advance(step);
    }
    assert_eq!(run.mgr.outstanding(), 0);
    assert_eq!(run.mgr.poll_timeout(), None);
    let sent = run.sent.len() as u64;
    assert_eq!(run.completed.len() as u64, sent);
    assert_eq!(
        run.answered + run.timed_out + run.failed + run.cancelled,
        sent
    );
    let stats = run.mgr.stats();
    assert_eq!(stats.requests, sent);
    assert_eq!(stats.responses, run.answered);
    assert_eq!(stats.timeouts, run.timed_out);
    assert_eq!(stats.datagrams_in, run.to_manager);
    assert_eq!(stats.datagrams_out, run.manager_out);
    for (a, (_, agent)) in run.agents.iter().enumerate() {
        assert_eq!(agent.stats().in_pkts, run.to_agent[a]);
    }
});

impl Run {
    fn pick(&self, s: &mut Script<'_>) -> Option<usize> {
        if self.net.is_empty() {
            return None;
        }
        Some(usize::from(s.byte()) % self.net.len())
    }

    fn send(&mut self, s: &mut Script<'_>) {
        if self.sent.len() >= MAX_REQUESTS {
            return;
        }
        let n = self.sent.len() + 1;
        let mut user = None;
        let agent = usize::from(s.byte() % 2);
        let addr = self.agents[agent].0;
        let b = s.byte();
        let mut target = match b % 8 {
            0 => Target::new(addr, Version::V1, "private"),
            1 | 2 => Target::new(addr, Version::V2c, "private"),
            _ => {
                // A user with an authentication key may not use
                // noAuthNoPriv (the VACM entry wants authNoPriv): only
                // user 0 ("plain") sends at that level.
                let index = match b % 8 {
                    3 => 0,
                    _ => usize::from(s.byte()) % users().len(),
                };
                user = Some(index);
                let u = &users()[index];
                let level = u.user.max_level();
                let mut security = V3Security::new(u.user.clone(), level);
                if s.byte() % 4 == 0 {
                    let id = if agent == 0 {
                        fx::engine_id()
                    } else {
                        fx::other_engine_id()
                    };
                    security = security.engine_id(EngineId::new(id.into_bytes()).expect("valid"));
                }
                Target::v3(addr, security)
            }
        };
        target.retry = RetryPolicy {
            timeout: Duration::from_millis(100 + 100 * u64::from(s.byte() % 10)),
            retries: u32::from(s.byte() % 4),
        };
        let mut kind = *s.pick(&[Kind::Get, Kind::GetNext, Kind::GetBulk, Kind::Set]);
        if kind == Kind::GetBulk && target.version == Version::V1 {
            kind = Kind::Get;
        }
        let k = (self.sent.len() as u32 % (fx::SCALARS - 4)) + 1;
        let echo_object = fx::echo().parent().expect("arcs");
        let request = match kind {
            Kind::Get => Request::get(&[fx::echo(), fx::scalar(k), sys_name()]),
            Kind::GetNext => {
                Request::get_next(&[echo_object, fx::scalar(k).parent().expect("arcs")])
            }
            Kind::GetBulk => Request::get_bulk(
                2,
                2,
                &[
                    echo_object,
                    oid("1.3.6.1.2.1.1.5"),
                    fx::scalar(k).parent().expect("arcs"),
                ],
            ),
            Kind::Set => Request::set(&[VarBind::new(fx::label(), set_value(n, agent))]),
        };
        let handle = self
            .mgr
            .send_request(self.now, &target, request)
            .expect("send");
        // The only datagram out now is this request's first.
        let tx = self
            .mgr
            .poll_transmit()
            .expect("a request goes out at once");
        let request_id = request_id_of(&tx.payload, user);
        self.manager_out += 1;
        self.net.push(InFlight {
            from: self.me,
            to: tx.destination,
            payload: tx.payload,
        });
        self.sent.push(Sent {
            handle,
            agent,
            n,
            k,
            request_id,
            kind,
        });
        self.drain();
    }

    fn advance(&mut self, step: Duration) {
        self.now += step;
        self.mgr.handle_timeout(self.now);
        self.drain();
    }

    fn deliver(&mut self, d: InFlight) {
        if d.to == self.me {
            self.to_manager += 1;
            self.mgr.handle_datagram(self.now, d.from, &d.payload);
            self.drain();
            return;
        }
        let a = self
            .agents
            .iter()
            .position(|(addr, _)| *addr == d.to)
            .expect("datagrams go to an agent or the manager");
        self.to_agent[a] += 1;
        let (addr, agent) = &mut self.agents[a];
        let addr = *addr;
        agent.handle_datagram(self.now, d.from, &d.payload);
        let mut answers = 0;
        while let Some(tx) = agent.poll_transmit() {
            answers += 1;
            assert_eq!(tx.destination, d.from, "an agent answers the asker");
            self.net.push(InFlight {
                from: addr,
                to: tx.destination,
                payload: tx.payload,
            });
        }
        assert!(answers <= 1);
    }

    fn drain(&mut self) {
        while let Some(tx) = self.mgr.poll_transmit() {
            self.manager_out += 1;
            assert!(self.agents.iter().any(|(a, _)| *a == tx.destination));
            self.net.push(InFlight {
                from: self.me,
                to: tx.destination,
                payload: tx.payload,
            });
        }
        while let Some(event) = self.mgr.poll_event() {
            let Event::Completed { handle, result } = event else {
                continue;
            };
            let sent = self
                .sent
                .iter()
                .find(|s| s.handle == handle)
                .expect("completion of a request never sent");
            assert!(self.completed.insert(handle), "request completed twice");
            match result {
                Ok(response) => {
                    self.answered += 1;
                    assert_eq!(response.error_status, ErrorStatus::NoError, "{response:?}");
                    assert_eq!(response.varbinds, expected(sent), "cross-talk");
                }
                Err(RequestError::Timeout(addr)) => {
                    assert_eq!(addr, self.agents[sent.agent].0);
                    self.timed_out += 1;
                }
                Err(RequestError::Report(_)) => self.failed += 1,
                Err(RequestError::Cancelled) => self.cancelled += 1,
                Err(e) => panic!("unexpected {e:?}"),
            }
        }
        assert_eq!(
            self.mgr.outstanding() + self.completed.len(),
            self.sent.len()
        );
    }
}

fn set_value(n: usize, agent: usize) -> Value {
    Value::from(format!("request {n} to agent {agent}").as_str())
}

/// The request-id inside a request the manager sent (decrypted with the
/// real key of `user` for SNMPv3 authPriv).
fn request_id_of(payload: &[u8], user: Option<usize>) -> i32 {
    if let Ok(m) = MessageRef::decode(payload) {
        return m.pdu().expect("a request PDU").request_id;
    }
    let msg = V3MessageRef::decode(payload).expect("our v3 request decodes");
    match msg.data {
        ScopedPduData::Plaintext(s) => s.pdu.request_id,
        ScopedPduData::Encrypted(c) => {
            let usm = msg.usm().expect("USM parameters");
            let u = &users()[user.expect("a v3 request has a user")];
            let keys = u.user.keys_for(usm.engine_id);
            let p = keys.privacy.as_ref().expect("privacy key");
            let mut plain = Vec::new();
            p.decrypt(c, usm.priv_params, usm.boots, usm.time, &mut plain)
                .expect("our ciphertext decrypts");
            ScopedPduRef::decode(&plain, 0, true)
                .expect("decodes")
                .pdu
                .request_id
        }
    }
}

/// What request `s` must get back: values only it asked for (its own
/// request-id, echoed by the agent), from the agent it asked.
fn expected(s: &Sent) -> Vec<VarBind> {
    let int = |n: u32| VarBind::new(fx::scalar(n), Value::Integer(n as i32));
    let name = VarBind::new(sys_name(), Value::from(agent_name(s.agent).as_str()));
    let echo = VarBind::new(fx::echo(), Value::Integer(s.request_id));
    match s.kind {
        Kind::Get => vec![echo, int(s.k), name],
        Kind::GetNext => vec![echo, int(s.k)],
        Kind::GetBulk => vec![echo, name, int(s.k), int(s.k + 1)],
        Kind::Set => vec![VarBind::new(fx::label(), set_value(s.n, s.agent))],
    }
}
