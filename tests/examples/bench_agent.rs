//! Whole-process agent benchmark: requests per second and CPU per request of
//! oxsnmp's agent (oxsnmp-blocking's `AgentServer`, the `bench_agent_server`
//! example) side by side with Net-SNMP's `snmpd`, in one run, under the same
//! load generator (the `snmp_load` example).
//!
//! ```text
//! cargo run --release -p oxsnmp-tests --example bench_agent -- \
//!     [--rows 100000] [--seconds 5] [--rounds 5] [--inflight 128] [--memory 1000000]
//! ```
//!
//! Both agents serve the same `oxTable` of N rows × 6 columns (snmpd
//! through `peers::Snmpd`'s `add_row` lines and our test MIB). Each agent
//! process is pinned to CPU 0 (`taskset`), the load generator to CPU 1. A
//! round runs every scenario (`get`: GET sysDescr.0; `bulk25`: GETBULK
//! max-repetitions 25 from a random row; the same from a random row among
//! the first 1,000, where snmpd's row lookup is short) against every agent, in an order
//! rotated per round so that noise from other work on the machine hits all
//! alike. For each run:
//!
//! * the agent's CPU time is the delta of utime+stime in /proc/PID/stat
//!   (all threads, clock ticks of 10 ms) over the load generator's run;
//! * the requests it answered are the delta of its own snmpOutPkts.0, read
//!   by a GET before and after (the two reads themselves subtracted);
//! * req/s is what the load generator saw answered in its D-second window.
//!
//! CPU µs per request is the agent's CPU divided by its answers; "req/s per
//! core" (1e6 / CPU µs per request) is what one fully busy core would serve,
//! which is the fair comparison when the machine is shared and an agent's
//! core is not all its own. The table shows medians over the rounds and
//! ratios to snmpd. `--memory N` also builds N-object stores (`MemoryMib`,
//! `RecordedMib`) in fresh processes and reports their resident memory.
//!
//! The two example binaries are built first with `cargo build --release`.
//! This is a benchmark, not a test: it asserts nothing about speed.

use std::io::{BufRead, BufReader};
use std::net::{SocketAddr, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::time::{Duration, Instant};

use oxsnmp_core::{Message, MessageRef, Oid, Pdu, PduType, Value, Version};
use oxsnmp_tests::peers::{require, Snmpd, SnmpdConfig};

/// SNMPv2-MIB::snmpOutPkts.0.
const SNMP_OUT_PKTS: &str = "1.3.6.1.2.1.11.2.0";

/// USER_HZ: the unit of /proc/PID/stat CPU times on Linux.
const TICKS_PER_SECOND: f64 = 100.0;

/// (label, load generator kind, rows the random start row is drawn from;
/// `None`: the whole table).
const SCENARIOS: [(&str, &str, Option<u32>); 3] = [
    ("get", "get", None),
    ("bulk25", "bulk25", None),
    ("bulk25, first 1,000 rows", "bulk25", Some(1000)),
];

/// The load generator counts a request lost after this long; generous,
/// since snmpd answers a GETBULK deep in a large table slowly.
const LOST_AFTER_S: &str = "10";

struct Options {
    rows: u32,
    seconds: f64,
    rounds: usize,
    inflight: usize,
    memory: u64,
}

fn parse_options() -> Options {
    let mut o = Options {
        rows: 100_000,
        seconds: 5.0,
        rounds: 5,
        inflight: 128,
        memory: 1_000_000,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => o.rows = value().parse().expect("--rows number"),
            "--seconds" => o.seconds = value().parse().expect("--seconds number"),
            "--rounds" => o.rounds = value().parse().expect("--rounds number"),
            "--inflight" => o.inflight = value().parse().expect("--inflight number"),
            "--memory" => o.memory = value().parse().expect("--memory number"),
            other => panic!(
                "unknown argument {other} (use --rows, --seconds, --rounds, --inflight, --memory)"
            ),
        }
    }
    assert!(o.rows > 26 && o.rounds > 0 && o.seconds > 0.0 && o.seconds <= 60.0);
    o
}

/// The directory holding this crate's example binaries.
fn examples_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("current exe");
    exe.parent().expect("examples dir").to_path_buf()
}

fn build_examples() {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--release", "-p", "oxsnmp-tests"])
        .args(["--example", "snmp_load", "--example", "bench_agent_server"])
        .status()
        .expect("run cargo build");
    assert!(status.success(), "building the benchmark examples failed");
}

/// utime + stime of a process (all its threads).
fn cpu_of(pid: u32) -> Duration {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| fields.get(i).and_then(|v| v.parse::<f64>().ok());
    // Fields 14 and 15 of proc(5); `after` starts at field 3.
    match (ticks(11), ticks(12)) {
        (Some(u), Some(s)) => Duration::from_secs_f64((u + s) / TICKS_PER_SECOND),
        _ => Duration::ZERO,
    }
}

/// VmRSS of a process in kB.
fn rss_kb(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Pins every thread of `pid` to `cpu`.
fn pin(pid: u32, cpu: u32) {
    let status = Command::new("taskset")
        .args(["-a", "-cp", &cpu.to_string(), &pid.to_string()])
        .stdout(Stdio::null())
        .status()
        .expect("run taskset");
    assert!(status.success(), "taskset failed for pid {pid}");
}

/// snmpOutPkts.0 of the agent at `addr`.
fn out_pkts(addr: SocketAddr) -> u64 {
    let sock = UdpSocket::bind("127.0.0.1:0").expect("probe socket");
    sock.set_read_timeout(Some(Duration::from_millis(500)))
        .expect("timeout");
    let oid: Oid = SNMP_OUT_PKTS.parse().expect("snmpOutPkts");
    let mut buf = [0u8; 2048];
    // Patient: an agent may still be working through a queue of requests
    // the load generator left behind.
    for id in 1..=30 {
        let req = Message::new(
            Version::V2c,
            "public",
            Pdu::request(PduType::GetRequest, id, std::slice::from_ref(&oid)),
        )
        .to_bytes();
        sock.send_to(&req, addr).expect("probe send");
        let deadline = Instant::now() + Duration::from_secs(1);
        while Instant::now() < deadline {
            let Ok((n, _)) = sock.recv_from(&mut buf) else {
                break;
            };
            let Ok(msg) = MessageRef::decode(&buf[..n]) else {
                continue;
            };
            let Some(pdu) = msg.pdu() else { continue };
            if pdu.request_id != id {
                continue;
            }
            if let Some(vb) = pdu.varbinds.iter().next() {
                if let Value::Counter32(c) = vb.to_owned().value {
                    return u64::from(c);
                }
            }
        }
    }
    panic!("no snmpOutPkts.0 from {addr}");
}

struct Agent {
    name: &'static str,
    pid: u32,
    addr: SocketAddr,
    rss_kb: u64,
    ready_s: f64,
}

/// Our agent: the example server, started pinned; closed with its stdin.
fn start_oxsnmp(rows: u32) -> (Child, ChildStdin, Agent) {
    let started = Instant::now();
    let mut child = Command::new("taskset")
        .args(["-c", "0"])
        .arg(examples_dir().join("bench_agent_server"))
        .args(["--rows", &rows.to_string(), "--max-seconds", "3600"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start bench_agent_server");
    let stdin = child.stdin.take().expect("stdin");
    let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
    let mut addr = None;
    for line in lines.by_ref() {
        let line = line.expect("server output");
        if let Some(a) = line.strip_prefix("ADDR ") {
            addr = Some(a.parse().expect("server address"));
        }
        if line.starts_with("RSS ") {
            break;
        }
    }
    let ready_s = started.elapsed().as_secs_f64();
    let pid = child.id();
    pin(pid, 0);
    let agent = Agent {
        name: "oxsnmp",
        pid,
        addr: addr.expect("server printed its address"),
        rss_kb: rss_kb(pid),
        ready_s,
    };
    (child, stdin, agent)
}

struct Run {
    rps: f64,
    cpu_us: f64,
    answered: u64,
    lost: u64,
    load_cpu_us: f64,
    busy: f64,
}

fn field<'a>(line: &'a str, key: &str) -> &'a str {
    line.split_whitespace()
        .find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('=')))
        .unwrap_or("0")
}

fn measure(agent: &Agent, scenario: (&str, &str, Option<u32>), o: &Options) -> Run {
    let (label, kind, span) = scenario;
    let span = span.unwrap_or(o.rows).to_string();
    let before_pkts = out_pkts(agent.addr);
    let before_cpu = cpu_of(agent.pid);
    let started = Instant::now();
    let out = Command::new("taskset")
        .args(["-c", "1"])
        .arg(examples_dir().join("snmp_load"))
        .args(["--target", &agent.addr.to_string(), "--kind", kind])
        .args(["--seconds", &o.seconds.to_string()])
        .args(["--inflight", &o.inflight.to_string()])
        .args(["--rows", &o.rows.to_string(), "--span", &span])
        .args(["--lost-after", LOST_AFTER_S])
        .output()
        .expect("run snmp_load");
    let wall = started.elapsed().as_secs_f64();
    let cpu = cpu_of(agent.pid).saturating_sub(before_cpu).as_secs_f64();
    // The second probe is answered after the count is read: one probe in.
    let answered = out_pkts(agent.addr)
        .saturating_sub(before_pkts)
        .saturating_sub(1);
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text.lines().last().unwrap_or("");
    assert!(out.status.success(), "snmp_load failed: {text}");
    let run = Run {
        rps: field(line, "rps").parse().unwrap_or(0.0),
        cpu_us: cpu * 1e6 / answered.max(1) as f64,
        answered,
        lost: field(line, "lost").parse().unwrap_or(0),
        load_cpu_us: field(line, "self_cpu_us").parse().unwrap_or(0.0),
        busy: cpu / wall,
    };
    eprintln!(
        "  {label:24} {:6}: {:>8.0} req/s  {:>6.2} µs CPU/req  busy {:>3.0}%  answered {}  lost {}  \
         (load generator {:.2} µs/req)",
        agent.name,
        run.rps,
        run.cpu_us,
        run.busy * 100.0,
        run.answered,
        run.lost,
        run.load_cpu_us
    );
    run
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n == 0 {
        0.0
    } else if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn memory_store(objects: u64, store: &str) -> String {
    let out = Command::new(examples_dir().join("bench_agent_server"))
        .args(["--memory", &objects.to_string(), "--store", store])
        .output()
        .expect("run bench_agent_server --memory");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn main() {
    let o = parse_options();
    if !require("snmpd", "bench_agent") || !require("taskset", "bench_agent") {
        return;
    }
    build_examples();
    let uptime = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    eprintln!("load average at start: {}", uptime.trim());

    let started = Instant::now();
    let snmpd = Snmpd::start(SnmpdConfig {
        table_rows: o.rows,
        ..SnmpdConfig::default()
    })
    .expect("start snmpd");
    let snmpd_ready = started.elapsed().as_secs_f64();
    let pid: u32 = std::fs::read_to_string(snmpd.dir.path().join("snmpd.pid"))
        .expect("snmpd pid file")
        .trim()
        .parse()
        .expect("snmpd pid");
    pin(pid, 0);
    let net = Agent {
        name: "snmpd",
        pid,
        addr: snmpd.addr,
        rss_kb: rss_kb(pid),
        ready_s: snmpd_ready,
    };
    let (mut child, stdin, ox) = start_oxsnmp(o.rows);
    let agents = [&net, &ox];
    for a in agents {
        eprintln!(
            "{}: pid {} at {}, ready in {:.2} s with {} rows, RSS {} kB",
            a.name, a.pid, a.addr, a.ready_s, o.rows, a.rss_kb
        );
    }

    // results[scenario][agent]
    let mut results: Vec<Vec<Vec<Run>>> = SCENARIOS
        .iter()
        .map(|_| agents.iter().map(|_| Vec::new()).collect())
        .collect();
    for round in 0..o.rounds {
        eprintln!("round {} of {}", round + 1, o.rounds);
        for (s, scenario) in SCENARIOS.iter().enumerate() {
            for i in 0..agents.len() {
                let a = (i + round) % agents.len();
                let run = measure(agents[a], *scenario, &o);
                results[s][a].push(run);
            }
        }
    }
    let rss: Vec<u64> = agents.iter().map(|a| rss_kb(a.pid)).collect();
    drop(stdin);
    let _ = child.wait();
    drop(snmpd);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();

    println!(
        "\n{} rounds × {} s per scenario and agent, {} requests in flight, {} rows; \
         load average at end: {}\n",
        o.rounds,
        o.seconds,
        o.inflight,
        o.rows,
        load.trim()
    );
    println!(
        "| scenario | agent | req/s (measured) | agent CPU µs/req | req/s per core (1e6/CPU) \
         | CPU vs snmpd | agent core busy | lost | load gen µs/req | RSS |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (s, (kind, _, _)) in SCENARIOS.iter().enumerate() {
        let cpu_of_agent =
            |a: usize| median(results[s][a].iter().map(|r| r.cpu_us).collect::<Vec<_>>());
        let base = cpu_of_agent(0);
        for (a, agent) in agents.iter().enumerate() {
            let runs = &results[s][a];
            let rps = median(runs.iter().map(|r| r.rps).collect());
            let cpu = cpu_of_agent(a);
            let busy = median(runs.iter().map(|r| r.busy).collect());
            let load_cpu = median(runs.iter().map(|r| r.load_cpu_us).collect());
            let lost: u64 = runs.iter().map(|r| r.lost).sum();
            println!(
                "| {kind} | {} | {rps:.0} | {cpu:.2} | {:.0} | {:.3}× | {:.0}% | {lost} | {load_cpu:.2} | {:.1} MiB |",
                agent.name,
                1e6 / cpu.max(1e-9),
                cpu / base.max(1e-9),
                busy * 100.0,
                rss[a] as f64 / 1024.0
            );
        }
    }
    if o.memory > 0 {
        println!("\nStores of {} objects (fresh process each):\n", o.memory);
        for store in ["memory", "recorded"] {
            println!("    {}", memory_store(o.memory, store));
        }
    }
}
