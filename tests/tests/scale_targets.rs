//! Scale: one client polls 10,000 agents with 1,000 requests in flight on
//! its one socket, and every request is answered by the agent it was sent
//! to, none lost, none crossed.
//!
//! The 10,000 targets are 10,000 oxsnmp-tokio `AgentServer`s, each a core
//! agent of its own on its own loopback port, each with a different sysName
//! and a different value under the test enterprise. The clients are
//! oxsnmp-tokio's and oxsnmp-smol's `Client`: one connection, a clone per
//! target (`with_target`, same socket and driver), and up to 1,000 requests
//! outstanding at once.
//!
//! Answers are lost on the way, and that is part of what is tested: the
//! first burst of 1,000 answers does not fit the client socket's default
//! receive buffer (`net.core.rmem_default`, about 200 KiB, some 200 small
//! datagrams: neither tokio's nor async-io's socket can ask for more without
//! `unsafe` or the `socket2` crate), so the kernel drops what the driver has
//! not read yet. The manager retransmits those a timeout later, all at once,
//! and part of that wave is dropped again, less each time. In release builds
//! about 3% of the requests need a retransmission; in debug builds, whose
//! driver reads more slowly, more, and a request may need several. Hence 10
//! retries: that a request needed one is fine, that one fails or comes back
//! with another target's answer is not.
//!
//! 10,000 sockets of the agents are ours alone only in a test binary of its
//! own, hence this file. Throughput and memory per request in flight are
//! measured by `cargo run --release -p oxsnmp-tests --example bench_scale --
//! targets` (see BENCHMARKS.md), not asserted here.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::stream::{self, StreamExt};
use oxsnmp_core::client::ClientOptions;
use oxsnmp_core::manager::ClientError;
use oxsnmp_core::{Oid, Value, VarBind};
use oxsnmp_tokio::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};

const TARGETS: usize = 10_000;
const IN_FLIGHT: usize = 1_000;

/// sysName.0
const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
/// A scalar of the test enterprise: each agent's number.
const NUMBER: &str = "1.3.6.1.4.1.99999.7";

fn oid(s: &str) -> Oid {
    s.parse().expect("OID literal")
}

fn name_of(target: usize) -> String {
    format!("target-{target}")
}

fn number_of(target: usize) -> i32 {
    // Not the index itself, so that a zero or a neighbour's never passes.
    i32::try_from(target).expect("fits") * 7 + 3
}

/// Starts one agent per target on `127.0.0.1:0`; their addresses, in target
/// order.
async fn start_agents() -> Vec<AgentServer<MemoryMib>> {
    let mut agents = Vec::with_capacity(TARGETS);
    for t in 0..TARGETS {
        let mut mib = MemoryMib::new();
        mib.add_scalar(oid(NUMBER), Value::Integer(number_of(t)))
            .expect("scalar");
        let config = AgentConfig::new()
            .community("public", Access::ReadOnly)
            .system(SystemInfo::new("scale target").name(name_of(t)));
        let agent = AgentServer::bind(&["udp:127.0.0.1:0"], config, mib)
            .await
            .expect("agent binds");
        agents.push(agent);
    }
    agents
}

/// The check every answer must pass: sysName and the number of *this*
/// target.
fn check(target: usize, answer: Result<Vec<VarBind>, ClientError>) {
    let varbinds = answer.unwrap_or_else(|e| panic!("target {target}: {e}"));
    let expected = [
        VarBind::new(oid(SYS_NAME), Value::from(name_of(target).as_str())),
        VarBind::new(
            oid(&format!("{NUMBER}.0")),
            Value::Integer(number_of(target)),
        ),
    ];
    assert_eq!(varbinds, expected, "target {target} got another's answer");
}

/// Counts requests outstanding and remembers the most at once.
#[derive(Default)]
struct Gauge {
    now: AtomicUsize,
    most: AtomicUsize,
}

impl Gauge {
    fn enter(&self) {
        let n = self.now.fetch_add(1, Ordering::SeqCst) + 1;
        self.most.fetch_max(n, Ordering::SeqCst);
    }
    fn leave(&self) {
        self.now.fetch_sub(1, Ordering::SeqCst);
    }
}

fn options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(1),
        retries: 10,
        ..ClientOptions::default()
    }
}

/// The order targets are polled in: every target once per round, in a
/// different order each round (a stride through all of them).
fn order(rounds: usize) -> impl Iterator<Item = usize> {
    (0..rounds).flat_map(|round| {
        let stride = [1, 3_001, 7_919][round % 3];
        (0..TARGETS).map(move |i| (i * stride + round) % TARGETS)
    })
}

/// Polls every target `rounds` times through oxsnmp-tokio's client;
/// returns the most requests that were in flight at once.
async fn poll_with_tokio(addrs: &[SocketAddr], rounds: usize) -> usize {
    let first = oxsnmp_tokio::Client::connect(&addrs[0].to_string(), options())
        .await
        .expect("client");
    let clients: Vec<_> = addrs.iter().map(|a| first.with_target(*a)).collect();
    let gauge = Arc::new(Gauge::default());
    let oids = [oid(SYS_NAME), oid(&format!("{NUMBER}.0"))];
    let answered = stream::iter(order(rounds))
        .map(|t| {
            let (client, gauge, oids) = (&clients[t], Arc::clone(&gauge), &oids);
            async move {
                gauge.enter();
                let answer = client.get(oids).await;
                gauge.leave();
                check(t, answer);
            }
        })
        .buffer_unordered(IN_FLIGHT)
        .count()
        .await;
    assert_eq!(answered, rounds * TARGETS);
    gauge.most.load(Ordering::SeqCst)
}

/// The same through oxsnmp-smol's client, on its own thread and executor.
fn poll_with_smol(addrs: &[SocketAddr], rounds: usize) -> usize {
    futures_lite::future::block_on(async {
        let first = oxsnmp_smol::Client::connect(&addrs[0].to_string(), options())
            .await
            .expect("client");
        let clients: Vec<_> = addrs.iter().map(|a| first.with_target(*a)).collect();
        let gauge = Arc::new(Gauge::default());
        let oids = [oid(SYS_NAME), oid(&format!("{NUMBER}.0"))];
        let answered = stream::iter(order(rounds))
            .map(|t| {
                let (client, gauge, oids) = (&clients[t], Arc::clone(&gauge), &oids);
                async move {
                    gauge.enter();
                    let answer = client.get(oids).await;
                    gauge.leave();
                    check(t, answer);
                }
            })
            .buffer_unordered(IN_FLIGHT)
            .count()
            .await;
        assert_eq!(answered, rounds * TARGETS);
        gauge.most.load(Ordering::SeqCst)
    })
}

#[test]
fn ten_thousand_targets_a_thousand_in_flight_on_one_socket() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let agents = runtime.block_on(start_agents());
    let addrs: Vec<SocketAddr> = agents.iter().map(|a| a.local_addrs()[0]).collect();
    let mut ports: Vec<u16> = addrs.iter().map(SocketAddr::port).collect();
    ports.sort_unstable();
    ports.dedup();
    assert_eq!(ports.len(), TARGETS, "each target on a port of its own");
    let setup = started.elapsed();

    let tokio_rounds = 3;
    let most = runtime.block_on(poll_with_tokio(&addrs, tokio_rounds));
    assert_eq!(
        most, IN_FLIGHT,
        "tokio: the client had 1,000 requests in flight"
    );
    let tokio_done = started.elapsed();

    let smol_rounds = 1;
    let most = poll_with_smol(&addrs, smol_rounds);
    assert_eq!(
        most, IN_FLIGHT,
        "smol: the client had 1,000 requests in flight"
    );

    // Every agent saw its own share: no request went to the wrong port.
    let requests = (tokio_rounds + smol_rounds) as u64;
    let mut retransmitted = 0;
    for (t, agent) in agents.iter().enumerate() {
        let stats = agent.with_agent(|a| a.stats());
        assert!(
            stats.in_pkts >= requests && stats.out_pkts == stats.in_pkts,
            "target {t}: {} requests in, {} answers out, {requests} sent",
            stats.in_pkts,
            stats.out_pkts
        );
        retransmitted += stats.in_pkts - requests;
    }
    println!(
        "{TARGETS} agents started in {:.1} s; tokio: {} requests in {:.1} s; smol: {} in {:.1} s; \
         {retransmitted} retransmissions reached the agents",
        setup.as_secs_f64(),
        tokio_rounds * TARGETS,
        (tokio_done - setup).as_secs_f64(),
        smol_rounds * TARGETS,
        (started.elapsed() - tokio_done).as_secs_f64(),
    );
    runtime.block_on(async {
        for agent in agents {
            agent.stop().await;
        }
    });
}
