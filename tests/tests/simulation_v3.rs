//! SNMPv3 over the seeded, lossy, duplicating, reordering network with a
//! virtual clock: the manager core against three agent cores (USM users at
//! every level), thousands of requests. Every request completes exactly
//! once, with the right agent's answer or a timeout, while agents restart
//! (snmpEngineBoots grows), one agent's clock drifts, and old requests are
//! replayed outside the time window.

use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib, SystemInfo};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, RequestHandle, Target, V3Security,
};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, SecurityLevel};
use oxsnmp_core::{Oid, Value};
use oxsnmp_tests::sim::{Datagram, Faults, Network};

const SYS_NAME: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 5, 0]);
const MANAGER: &str = "192.0.2.1:50000";

fn users() -> Vec<(UsmUser, SecurityLevel)> {
    fn pw(s: &str) -> Secret<'_> {
        Secret::Password(s.as_bytes())
    }
    vec![
        (UsmUser::new("plain").unwrap(), SecurityLevel::NoAuthNoPriv),
        (
            UsmUser::new("md5des")
                .unwrap()
                .with_auth(AuthProtocol::Md5, pw("auth-pass-1"))
                .unwrap()
                .with_privacy(PrivProtocol::Des, pw("priv-pass-1"))
                .unwrap(),
            SecurityLevel::AuthPriv,
        ),
        (
            UsmUser::new("sha256")
                .unwrap()
                .with_auth(AuthProtocol::Sha256, pw("auth-pass-2"))
                .unwrap(),
            SecurityLevel::AuthNoPriv,
        ),
        (
            UsmUser::new("sha512aes")
                .unwrap()
                .with_auth(AuthProtocol::Sha512, pw("auth-pass-3"))
                .unwrap()
                .with_privacy(PrivProtocol::Aes256, pw("priv-pass-3"))
                .unwrap(),
            SecurityLevel::AuthPriv,
        ),
    ]
}

struct SimAgent {
    addr: SocketAddr,
    name: String,
    engine_id: EngineId,
    boots: u32,
    agent: Agent<MemoryMib>,
}

fn config(name: &str, engine_id: &EngineId, boots: u32) -> AgentConfig {
    let mut c = AgentConfig::new()
        .system(SystemInfo::new("sim").name(name))
        .engine_id(engine_id.clone())
        .engine_boots(boots);
    for (u, _) in users() {
        c = c.user(u, Access::ReadOnly);
    }
    c
}

impl SimAgent {
    fn new(i: u8, started: Instant) -> Self {
        let name = format!("agent-{i}");
        let engine_id = EngineId::from_text(99999, &name);
        let agent = Agent::new(config(&name, &engine_id, 1), MemoryMib::new(), started);
        Self {
            addr: format!("192.0.2.{}:161", 10 + i).parse().unwrap(),
            name,
            engine_id,
            boots: 1,
            agent,
        }
    }

    fn restart(&mut self, now: Instant) {
        self.boots += 1;
        self.agent = Agent::new(
            config(&self.name, &self.engine_id, self.boots),
            MemoryMib::new(),
            now,
        );
    }
}

struct Run {
    net: Network,
    manager: Manager,
    agents: Vec<SimAgent>,
    targets: Vec<Target>,
    expected: HashMap<RequestHandle, String>,
    done: BTreeMap<RequestHandle, Result<String, RequestError>>,
    sent_requests: Vec<Datagram>,
}

impl Run {
    fn new(seed: u64, faults: Faults) -> Self {
        let net = Network::new(seed, faults);
        let start = net.now();
        let agents: Vec<SimAgent> = (0..3).map(|i| SimAgent::new(i, start)).collect();
        let mut targets = Vec::new();
        for a in &agents {
            for (u, level) in users() {
                let mut t = Target::v3(a.addr, V3Security::new(u, level));
                t.retry.timeout = Duration::from_millis(400);
                t.retry.retries = 4;
                targets.push(t);
            }
        }
        Self {
            net,
            manager: Manager::new(ManagerConfig::with_seed(seed)),
            agents,
            targets,
            expected: HashMap::new(),
            done: BTreeMap::new(),
            sent_requests: Vec::new(),
        }
    }

    fn drain_manager(&mut self) {
        let me: SocketAddr = MANAGER.parse().unwrap();
        while let Some(tx) = self.manager.poll_transmit() {
            self.sent_requests.push(Datagram {
                from: me,
                to: tx.destination,
                payload: tx.payload.clone(),
            });
            self.net.send(me, tx.destination, tx.payload);
        }
        while let Some(Event::Completed { handle, result }) = self.manager.poll_event() {
            let value = result.map(|r| match &r.varbinds[0].value {
                Value::OctetString(s) => String::from_utf8_lossy(s).into_owned(),
                v => format!("{v:?}"),
            });
            assert!(
                self.done.insert(handle, value).is_none(),
                "{handle:?} completed twice"
            );
        }
    }

    fn send(&mut self, target: usize) {
        let t = self.targets[target].clone();
        let h = self
            .manager
            .send_request(self.net.now(), &t, Request::get(&[SYS_NAME]))
            .unwrap();
        let agent = self.agents.iter().find(|a| a.addr == t.addr).unwrap();
        self.expected.insert(h, agent.name.clone());
        self.drain_manager();
    }

    /// Runs the network until `until` (virtual), delivering and timing out.
    fn run_until(&mut self, until: Duration) {
        let me: SocketAddr = MANAGER.parse().unwrap();
        loop {
            let timer = self.manager.poll_timeout().map(|t| self.net.since_start(t));
            let due = self.net.next_due();
            let next = match (timer, due) {
                (Some(t), Some(d)) => t.min(d),
                (t, d) => match t.or(d) {
                    Some(x) => x,
                    None => break,
                },
            };
            if next > until {
                break;
            }
            if due == Some(next) {
                let dg = self.net.deliver_next().unwrap();
                let now = self.net.now();
                if dg.to == me {
                    self.manager.handle_datagram(now, dg.from, &dg.payload);
                } else if let Some(a) = self.agents.iter_mut().find(|a| a.addr == dg.to) {
                    a.agent.handle_datagram(now, dg.from, &dg.payload);
                    while let Some(tx) = a.agent.poll_transmit() {
                        self.net.send(a.addr, tx.destination, tx.payload);
                    }
                }
            } else {
                self.net.advance_to(next);
                self.manager.handle_timeout(self.net.now());
            }
            self.drain_manager();
        }
        self.net.advance_to(until);
    }
}

fn soak(seed: u64) {
    let mut run = Run::new(seed, Faults::lossy(0.1, 0.05, 1, 40));
    let mut requests = 0;
    for round in 0..30u64 {
        for _ in 0..40 {
            let n = run.net.rng().below(run.targets.len() as u64) as usize;
            run.send(n);
            requests += 1;
        }
        if round == 10 {
            // agent-0 restarts: boots 2, time 0.
            let now = run.net.now();
            run.agents[0].restart(now);
        }
        if round == 20 {
            // agent-1 restarts "long ago": its clock is 20 minutes ahead
            // of what the manager believes, with the same boots.
            let now = run.net.now();
            let a = &mut run.agents[1];
            a.agent = Agent::new(
                config(&a.name, &a.engine_id, a.boots),
                MemoryMib::new(),
                now - Duration::from_secs(1200),
            );
        }
        if round == 25 {
            // Replays of requests sent in the first rounds, long outside
            // the time window.
            let old: Vec<Datagram> = run.sent_requests.iter().take(20).cloned().collect();
            for dg in old {
                let at = run.net.elapsed();
                run.net.inject(at, dg);
            }
        }
        let t = run.net.elapsed() + Duration::from_secs(10);
        run.run_until(t);
    }
    let t = run.net.elapsed() + Duration::from_secs(60);
    run.run_until(t);

    assert_eq!(run.done.len(), requests, "every request completed");
    assert_eq!(run.manager.outstanding(), 0);
    let mut answered = 0;
    let mut timed_out = 0;
    for (h, result) in &run.done {
        match result {
            Ok(name) => {
                assert_eq!(name, &run.expected[h], "{h:?} got another agent's answer");
                answered += 1;
            }
            Err(RequestError::Timeout(_)) => timed_out += 1,
            Err(e) => panic!(
                "{h:?} ({}): {e}; manager {:?}",
                run.expected[h],
                run.manager.stats()
            ),
        }
    }
    assert_eq!(answered + timed_out, requests);
    // With 4 retries at 10 % loss each way, timeouts are rare; most
    // requests are answered.
    assert!(answered * 10 > requests * 9, "{answered} of {requests}");
    let m = run.manager.stats();
    assert!(
        m.resynchronizations >= 2,
        "restart and drift resynchronized: {m:?}"
    );
    let replays: u64 = run
        .agents
        .iter()
        .map(|a| a.agent.stats().usm_not_in_time_windows)
        .sum();
    assert!(
        replays >= 1,
        "old requests were rejected as outside the window"
    );
    assert_eq!(run.net.in_flight(), 0);
}

#[test]
fn v3_soak_seed_1() {
    soak(1);
}

#[test]
fn v3_soak_seed_2() {
    soak(0xfeed_beef);
}
