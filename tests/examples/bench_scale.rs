//! Scale measurements (the timed side of `tests/tests/scale_*.rs`):
//!
//! ```text
//! cargo run --release -p oxsnmp-tests --example bench_scale -- memory  [--in-flight 1000]
//! cargo run --release -p oxsnmp-tests --example bench_scale -- targets [--targets 10000] [--in-flight 1000] [--rounds 5] [--runs 5]
//! cargo run --release -p oxsnmp-tests --example bench_scale -- walk    [--rows 250000] [--runs 5]
//! cargo run --release -p oxsnmp-tests --example bench_scale -- soak    [--requests 5000000]
//! ```
//!
//! * `memory`: bytes in use per request in flight (a counting global
//!   allocator, `oxsnmp_tests::alloc_meter`): the core `Manager` alone, and
//!   oxsnmp-tokio's and oxsnmp-smol's `Client` whole (driver, channels and
//!   the caller's future), each with K requests outstanding to K silent
//!   targets (bound sockets that never read). "cold": a fresh manager or
//!   client, so its tables grow for the K requests; "warm": after a first
//!   wave of K answered requests, as in a poller that has been running.
//! * `targets`: one client polls 10,000 oxsnmp-tokio `AgentServer`s (one
//!   core agent and port each), K requests in flight, every target once per
//!   round; the agents run on one Tokio worker pinned to CPU 0, the client
//!   on the main thread pinned to CPU 1 (tokio: a current-thread runtime, so
//!   its driver task runs there too; smol: its driver thread pinned to CPU 1
//!   as well). Requests per second (wall), CPU µs per request of the client
//!   and of the agents (`/proc/self/task/TID/schedstat`), and how many
//!   requests needed a retransmission (agents' snmpInPkts − requests).
//! * `walk`: a GETBULK walk of a 1,000,000-object table from oxsnmp-blocking's
//!   `AgentServer`, by a `Session` (the CLI's client) and a `Client` on the
//!   main thread; everything pinned to CPU 0. The table is a `BigTable`
//!   (computed cells) or a `MemoryMib` holding the same million values;
//!   manager and agent CPU per varbind, and the growth of bytes in use
//!   while the walk streams.
//! * `soak`: `oxsnmp_tests::soak` with millions of requests: real time,
//!   requests per second of the simulation.
//!
//! This is a benchmark, not a test; it asserts only that answers are right.

use std::net::SocketAddr;
use std::process::Command;
use std::time::{Duration, Instant};

use futures_util::stream::StreamExt;
use oxsnmp_blocking::agent::{Column, MemoryMib, Syntax};
use oxsnmp_core::agent::{Access, AgentConfig, Mib, SystemInfo};
use oxsnmp_core::client::ClientOptions;
use oxsnmp_core::{Oid, Value, VarBind};
use oxsnmp_tests::alloc_meter::{self, LiveBytes};
use oxsnmp_tests::bench_env::{loadavg, machine};
use oxsnmp_tests::big_table::{BigTable, ENTRY};
use oxsnmp_tests::in_flight_memory;
use oxsnmp_tests::soak::{self, SoakConfig};

#[global_allocator]
static GLOBAL: LiveBytes = LiveBytes;

const SYS_NAME: &str = "1.3.6.1.2.1.1.5.0";
const NUMBER: &str = "1.3.6.1.4.1.99999.7";

fn oid(s: &str) -> Oid {
    s.parse().expect("OID literal")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let what = args.first().map(String::as_str).unwrap_or("");
    let number = |name: &str, default: u64| -> u64 {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map(|v| {
                v.parse()
                    .unwrap_or_else(|_| panic!("{name} needs a number"))
            })
            .unwrap_or(default)
    };
    println!("machine: {}; load: {}", machine(), loadavg());
    match what {
        "memory" => memory(number("--in-flight", 1_000) as usize),
        "targets" => targets(
            number("--targets", 10_000) as usize,
            number("--in-flight", 1_000) as usize,
            number("--rounds", 5) as usize,
            number("--runs", 5) as usize,
        ),
        "walk" => walk(
            number("--rows", 250_000) as u32,
            number("--runs", 5) as usize,
        ),
        "soak" => soak(number("--requests", 5_000_000)),
        _ => eprintln!("usage: bench_scale memory|targets|walk|soak [options] (see the source)"),
    }
    println!("load after: {}", loadavg());
}

// ---------------------------------------------------------------------------
// Memory per request in flight

fn memory(k: usize) {
    println!("\n## Bytes in use per request in flight ({k} outstanding, GET of 2 OIDs)\n");
    println!("| what | cold: bytes per request | warm: bytes per request |");
    println!("| --- | ---: | ---: |");
    let p = in_flight_memory::manager(k);
    println!("| core `Manager` alone | {} | {} |", p.cold, p.warm);
    let p = in_flight_memory::tokio_client(k);
    println!(
        "| oxsnmp-tokio `Client` (driver, channels, caller's future) | {} | {} |",
        p.cold, p.warm
    );
    let p = in_flight_memory::smol_client(k);
    println!(
        "| oxsnmp-smol `Client` (driver, channels, caller's future) | {} | {} |",
        p.cold, p.warm
    );
}

// ---------------------------------------------------------------------------
// Polling 10,000 targets

fn number_of(t: usize) -> i32 {
    i32::try_from(t).expect("fits") * 7 + 3
}

/// Pins the calling thread to `cpu` (`taskset` on its thread ID).
fn pin_this_thread(cpu: &str) {
    let tid = own_tid();
    let ok = Command::new("taskset")
        .args(["-cp", cpu, &tid.to_string()])
        .stdout(std::process::Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "taskset -cp {cpu} {tid} failed");
}

fn own_tid() -> u32 {
    std::fs::read_link("/proc/thread-self")
        .ok()
        .and_then(|p| p.file_name()?.to_str()?.parse().ok())
        .expect("/proc/thread-self")
}

/// CPU seconds of one thread of this process.
fn thread_cpu(tid: u32) -> f64 {
    std::fs::read_to_string(format!("/proc/self/task/{tid}/schedstat"))
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
        .map_or(0.0, |ns| ns as f64 / 1e9)
}

/// The thread IDs of this process whose name starts with `prefix`.
fn threads_named(prefix: &str) -> Vec<u32> {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .flatten()
                .filter(|t| {
                    std::fs::read_to_string(t.path().join("comm"))
                        .is_ok_and(|c| c.starts_with(prefix))
                })
                .filter_map(|t| t.file_name().to_str()?.parse().ok())
                .collect()
        })
        .unwrap_or_default()
}

struct PollRun {
    wall: f64,
    client_cpu: f64,
    agent_cpu: f64,
    retransmitted: u64,
}

fn targets(n: usize, k: usize, rounds: usize, runs: usize) {
    println!(
        "\n## Polling {n} targets, {k} requests in flight, {rounds} rounds per run, {runs} runs\n"
    );
    // The agents: one Tokio worker, pinned to CPU 0.
    let agents_rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name("bench-agents")
        .on_thread_start(|| pin_this_thread("0"))
        .enable_all()
        .build()
        .expect("runtime");
    let started = Instant::now();
    let agents = agents_rt.block_on(async {
        let mut agents = Vec::with_capacity(n);
        for t in 0..n {
            let mut mib = MemoryMib::new();
            mib.add_scalar(oid(NUMBER), Value::Integer(number_of(t)))
                .expect("scalar");
            let config = AgentConfig::new()
                .community("public", Access::ReadOnly)
                .system(SystemInfo::new("scale target").name(format!("target-{t}")));
            agents.push(
                oxsnmp_tokio::AgentServer::bind(&["udp:127.0.0.1:0"], config, mib)
                    .await
                    .expect("agent"),
            );
        }
        agents
    });
    println!(
        "{n} agents started in {:.2} s; bytes in use: {} MB",
        started.elapsed().as_secs_f64(),
        alloc_meter::live() / 1_000_000
    );
    let addrs: Vec<SocketAddr> = agents.iter().map(|a| a.local_addrs()[0]).collect();
    let agent_threads = threads_named("bench-agents");
    let agent_cpu = || agent_threads.iter().map(|t| thread_cpu(*t)).sum::<f64>();
    let in_pkts = || -> u64 {
        agents
            .iter()
            .map(|a| a.with_agent(|a| a.stats().in_pkts))
            .sum()
    };
    pin_this_thread("1");
    let main_tid = own_tid();
    let requests = (n * rounds) as u64;

    let mut results: Vec<(&str, Vec<PollRun>)> = vec![("tokio", Vec::new()), ("smol", Vec::new())];
    for run in 0..runs {
        for i in 0..results.len() {
            let which = (i + run) % results.len();
            let name = results[which].0;
            let (cpu0, agent0, pkts0) = (thread_cpu(main_tid), agent_cpu(), in_pkts());
            let t0 = Instant::now();
            let driver_cpu = match name {
                "tokio" => {
                    poll_tokio(&addrs, k, rounds);
                    0.0
                }
                _ => poll_smol(&addrs, k, rounds),
            };
            let wall = t0.elapsed().as_secs_f64();
            results[which].1.push(PollRun {
                wall,
                client_cpu: thread_cpu(main_tid) - cpu0 + driver_cpu,
                agent_cpu: agent_cpu() - agent0,
                retransmitted: in_pkts() - pkts0 - requests,
            });
        }
    }
    println!("load: {}\n", loadavg());
    println!(
        "| client | requests per run | req/s (wall) | client CPU µs/req | agents' CPU µs/req | \
         client req/s per core | retransmitted requests |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (name, runs) in &results {
        let med = |f: &dyn Fn(&PollRun) -> f64| median(runs.iter().map(f).collect());
        let client_us = med(&|r| r.client_cpu * 1e6 / requests as f64);
        println!(
            "| oxsnmp-{name} `Client` | {requests} | {:.0} | {client_us:.2} | {:.2} | {:.0} | {:.0} ({}) |",
            med(&|r| requests as f64 / r.wall),
            med(&|r| r.agent_cpu * 1e6 / requests as f64),
            1e6 / client_us,
            med(&|r| r.retransmitted as f64),
            runs.iter()
                .map(|r| r.retransmitted.to_string())
                .collect::<Vec<_>>()
                .join(", "),
        );
    }
    agents_rt.block_on(async {
        for a in agents {
            a.stop().await;
        }
    });
}

fn check(t: usize, answer: Result<Vec<VarBind>, oxsnmp_core::manager::ClientError>) {
    let varbinds = answer.unwrap_or_else(|e| panic!("target {t}: {e}"));
    assert_eq!(
        varbinds.get(1).map(|vb| &vb.value),
        Some(&Value::Integer(number_of(t))),
        "target {t}"
    );
}

fn poll_options() -> ClientOptions {
    ClientOptions {
        timeout: Duration::from_secs(1),
        retries: 10,
        ..ClientOptions::default()
    }
}

fn order(n: usize, rounds: usize) -> impl Iterator<Item = usize> {
    (0..rounds).flat_map(move |round| (0..n).map(move |i| (i * 3_001 + round) % n))
}

fn poll_tokio(addrs: &[SocketAddr], k: usize, rounds: usize) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let first = oxsnmp_tokio::Client::connect(&addrs[0].to_string(), poll_options())
            .await
            .expect("client");
        let clients: Vec<_> = addrs.iter().map(|a| first.with_target(*a)).collect();
        let oids = [oid(SYS_NAME), oid(&format!("{NUMBER}.0"))];
        futures_util::stream::iter(order(addrs.len(), rounds))
            .map(|t| {
                let (client, oids) = (&clients[t], &oids);
                async move { check(t, client.get(oids).await) }
            })
            .buffer_unordered(k)
            .count()
            .await;
    });
}

/// Returns the CPU seconds of the smol client's driver thread.
fn poll_smol(addrs: &[SocketAddr], k: usize, rounds: usize) -> f64 {
    futures_lite::future::block_on(async {
        let first = oxsnmp_smol::Client::connect(&addrs[0].to_string(), poll_options())
            .await
            .expect("client");
        // The new thread names itself once it runs: wait for that.
        let deadline = Instant::now() + Duration::from_secs(10);
        let driver = loop {
            if let Some(&tid) = threads_named("oxsnmp-smol-dri").iter().max() {
                break tid;
            }
            assert!(Instant::now() < deadline, "no smol driver thread");
            std::thread::sleep(Duration::from_millis(1));
        };
        let cpu0 = thread_cpu(driver);
        let clients: Vec<_> = addrs.iter().map(|a| first.with_target(*a)).collect();
        let oids = [oid(SYS_NAME), oid(&format!("{NUMBER}.0"))];
        futures_util::stream::iter(order(addrs.len(), rounds))
            .map(|t| {
                let (client, oids) = (&clients[t], &oids);
                async move { check(t, client.get(oids).await) }
            })
            .buffer_unordered(k)
            .count()
            .await;
        thread_cpu(driver) - cpu0
    })
}

// ---------------------------------------------------------------------------
// The 1,000,000-object walk

/// The same cells as [`BigTable`], stored in a `MemoryMib`.
fn memory_table(rows: u32) -> MemoryMib {
    let mut mib = MemoryMib::new();
    let entry = Oid::from_slice(&ENTRY).expect("entry");
    let syntax = |c: u32| match c % 4 {
        1 => Syntax::integer(),
        2 => Syntax::octet_string(),
        3 => Syntax::counter64(),
        _ => Syntax::gauge32(),
    };
    let table = mib
        .add_table(entry, (1..=4).map(|c| Column::new(c, syntax(c))))
        .expect("table");
    for r in 1..=rows {
        let values: Vec<Value> = (1..=4).map(|c| BigTable::value(c, r)).collect();
        mib.insert_row(table, &[r], values).expect("row");
    }
    mib
}

struct WalkRun {
    wall: f64,
    manager_cpu: f64,
    agent_cpu: f64,
    growth: usize,
    round_trips: u64,
}

fn walk(rows: u32, runs: usize) {
    let table = BigTable::new(rows, 4);
    println!(
        "\n## Bulk walk of a {}-object table from oxsnmp's AgentServer, {runs} runs\n",
        table.len()
    );
    pin_this_thread("0");
    let config = || {
        AgentConfig::new()
            .community("public", Access::ReadOnly)
            .system(SystemInfo::new("scale walk"))
    };
    let t0 = Instant::now();
    let stored = memory_table(rows);
    println!(
        "MemoryMib built in {:.1} s; bytes in use: {} MB",
        t0.elapsed().as_secs_f64(),
        alloc_meter::live() / 1_000_000
    );
    let computed =
        oxsnmp_blocking::AgentServer::bind(&["udp:127.0.0.1:0"], config(), table).expect("agent");
    let memory =
        oxsnmp_blocking::AgentServer::bind(&["udp:127.0.0.1:0"], config(), stored).expect("agent");
    let agents = [
        (
            "BigTable (computed)",
            computed.local_addrs()[0],
            &computed as &dyn Stats,
        ),
        (
            "MemoryMib (stored)",
            memory.local_addrs()[0],
            &memory as &dyn Stats,
        ),
    ];
    let walkers = ["Session", "Client"];
    let mut results: Vec<((usize, usize), Vec<WalkRun>)> = Vec::new();
    for a in 0..agents.len() {
        for w in 0..walkers.len() {
            results.push(((a, w), Vec::new()));
        }
    }
    let main = own_tid();
    // Every combination once, every varbind checked; the timed runs only count.
    for ((a, w), _) in &results {
        let addr = agents[*a].1;
        match walkers[*w] {
            "Session" => drop(walk_session(addr, &table, true)),
            _ => drop(walk_client(addr, &table, true)),
        }
    }
    for run in 0..runs {
        for i in 0..results.len() {
            let which = (i + run) % results.len();
            let (a, w) = results[which].0;
            let (_, addr, agent) = agents[a];
            let agent_threads = threads_named("oxsnmp-agent");
            let agent_cpu = || agent_threads.iter().map(|t| thread_cpu(*t)).sum::<f64>();
            let own = || {
                thread_cpu(main)
                    + threads_named("oxsnmp-driver")
                        .iter()
                        .map(|t| thread_cpu(*t))
                        .sum::<f64>()
            };
            let (m0, a0, p0) = (own(), agent_cpu(), agent.in_pkts());
            let t0 = Instant::now();
            // The walker is dropped only after its threads' CPU is read.
            let (growth, walker) = match walkers[w] {
                "Session" => walk_session(addr, &table, false),
                _ => walk_client(addr, &table, false),
            };
            let wall = t0.elapsed().as_secs_f64();
            results[which].1.push(WalkRun {
                wall,
                manager_cpu: own() - m0,
                agent_cpu: agent_cpu() - a0,
                growth,
                round_trips: agent.in_pkts() - p0,
            });
            drop(walker);
        }
    }
    let n = table.len() as f64;
    println!("load: {}\n", loadavg());
    println!(
        "| agent's table | walker | round trips | wall s | manager CPU µs/varbind | agent CPU µs/varbind | \
         bytes in use grew by (max of runs) |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: |");
    for ((a, w), runs) in &results {
        let med = |f: &dyn Fn(&WalkRun) -> f64| median(runs.iter().map(f).collect());
        println!(
            "| {} | `{}` | {} | {:.2} | {:.3} | {:.3} | {} |",
            agents[*a].0,
            walkers[*w],
            runs[0].round_trips,
            med(&|r| r.wall),
            med(&|r| r.manager_cpu * 1e6 / n),
            med(&|r| r.agent_cpu * 1e6 / n),
            runs.iter().map(|r| r.growth).max().unwrap_or(0),
        );
    }
}

/// What the walk benchmark reads from either agent.
trait Stats {
    fn in_pkts(&self) -> u64;
}

impl<M: Mib + Send + 'static> Stats for oxsnmp_blocking::AgentServer<M> {
    fn in_pkts(&self) -> u64 {
        self.with_agent(|a| a.stats().in_pkts)
    }
}

/// Checks a varbind against the table; keeps the walk honest.
fn check_cell(table: &BigTable, expected: &mut Option<(u32, u32)>, vb: &VarBind) {
    let (c, r) = expected.expect("no varbind after the last cell");
    assert_eq!(table.cell(&vb.oid), Some((c, r)));
    assert_eq!(vb.value, BigTable::value(c, r));
    *expected = table.next_cell(vb.oid.arcs());
}

/// Walks with a `Session` driving the core `Walk` inline; returns how much
/// the bytes in use grew after the first 20,000 varbinds, and the session.
fn walk_session(
    addr: SocketAddr,
    table: &BigTable,
    verify: bool,
) -> (usize, Box<dyn std::any::Any>) {
    let options = ClientOptions::default();
    let mut session =
        oxsnmp_blocking::Session::connect(&addr.to_string(), options.clone()).expect("session");
    let mut walk = options.walk(BigTable::root(), options.walk_options(true));
    let mut expected = table.next_cell(BigTable::root().arcs());
    let mut count = 0u64;
    let mut baseline = None;
    while let Some(request) = walk.next_request() {
        let response = session.request(request).expect("answer");
        for vb in walk.handle_response(response).expect("walk") {
            if verify {
                check_cell(table, &mut expected, &vb);
            }
            count += 1;
        }
        if baseline.is_none() && count >= 20_000 {
            baseline = Some(alloc_meter::live());
            alloc_meter::reset_peak();
        }
    }
    assert_eq!(count, table.len());
    let growth = alloc_meter::peak().saturating_sub(baseline.expect("past the warm-up"));
    (growth, Box::new(session))
}

/// The same with a `Client` (its driver thread does the I/O).
fn walk_client(
    addr: SocketAddr,
    table: &BigTable,
    verify: bool,
) -> (usize, Box<dyn std::any::Any>) {
    let client = oxsnmp_blocking::Client::connect(&addr.to_string(), ClientOptions::default())
        .expect("client");
    let mut expected = table.next_cell(BigTable::root().arcs());
    let mut count = 0u64;
    let mut baseline = None;
    for vb in client.bulk_walk(BigTable::root()) {
        let vb = vb.expect("walk");
        if verify {
            check_cell(table, &mut expected, &vb);
        }
        count += 1;
        if count == 20_000 {
            baseline = Some(alloc_meter::live());
            alloc_meter::reset_peak();
        }
    }
    assert_eq!(count, table.len());
    let growth = alloc_meter::peak().saturating_sub(baseline.expect("past the warm-up"));
    (growth, Box::new(client))
}

// ---------------------------------------------------------------------------
// The soak

fn soak(requests: u64) {
    println!("\n## Simulated soak, {requests} requests\n");
    let config = SoakConfig {
        requests,
        ..SoakConfig::default()
    };
    let t0 = Instant::now();
    let cpu0 = process_cpu();
    let report = soak::run(&config);
    let wall = t0.elapsed().as_secs_f64();
    let cpu = process_cpu() - cpu0;
    println!("{report:#?}\n");
    println!(
        "{requests} requests ({} answered, {} timed out, {} retransmissions) over {:.0} s of \
         virtual time in {wall:.2} s real ({cpu:.2} s CPU): {:.0} requests per second, {:.2} µs \
         each",
        report.answered,
        report.timed_out,
        report.manager.retransmits,
        report.virtual_time.as_secs_f64(),
        requests as f64 / wall,
        cpu * 1e6 / requests as f64
    );
}

fn process_cpu() -> f64 {
    std::fs::read_dir("/proc/self/task")
        .map(|tasks| {
            tasks
                .flatten()
                .filter_map(|t| t.file_name().to_str()?.parse().ok())
                .map(thread_cpu)
                .sum()
        })
        .unwrap_or(0.0)
}

// ---------------------------------------------------------------------------

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}
