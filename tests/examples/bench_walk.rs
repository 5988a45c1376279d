//! Whole-process walk benchmark: the manager's CPU per varbind on a large
//! GETBULK walk against Net-SNMP's `snmpd`, side by side in one run with
//! every peer: Net-SNMP's `snmpbulkwalk`, PySNMP 7.1's `bulk_walk_cmd`
//! (`tests/pysnmp/bulkwalk.py`, in the `.venv` at the repository root or
//! `OXSNMP_PYTHON`), and small walkers on the Rust crates `snmp2`,
//! `async-snmp` and `csnmp` (`snmp2_walk`, `async_snmp_walk`, `csnmp_walk`:
//! examples of this crate).
//!
//! ```text
//! cargo build --release -p oxsnmp-cli
//! cargo build --release -p oxsnmp-tests --examples
//! cargo run --release -p oxsnmp-tests --example bench_walk -- [--rows N] [--runs N] [--no-big]
//!     [--no-v3] [--no-agent-server]
//!     [--peers all|netsnmp] [--csv FILE]
//! ```
//!
//! After each configuration's table of walkers comes a table of ratios:
//! each peer's CPU per varbind (and wall time) divided by oxsnmp's at the
//! same max-repetitions, so a ratio above 1 means oxsnmp is ahead. `--csv
//! FILE` appends those ratios (`row,peer,ratio` lines) for the chart
//! (`bench/ratios.csv`, drawn by `bench/chart.py`).
//!
//! snmpd is started on a free loopback port with `oxTable` filled with N rows
//! (6 columns each, so 6·N varbinds under `.1.3.6.1.4.1.99999`). Each walker
//! runs as a child process with stdout to `/dev/null`; bash's `time` keyword
//! (getrusage of the child, millisecond resolution) gives its wall time and
//! user+sys CPU, all of its threads included. Every round runs every walker
//! once, in an order rotated per round so that noise from other work on the
//! machine hits all alike; the table shows medians. Before timing, each
//! walker runs once with its output captured to count the varbinds (all must
//! agree) and, through snmpd's `snmpInPkts` read before and after, the
//! round trips it needed.
//!
//! Placement matters on a small VM: a wake-up across CPUs costs the waker
//! tens of µs (IPI, VM exit), more than everything else a walker does per
//! round trip at small max-repetitions. So by default (`--pin same`) the
//! agent and every walker are pinned to CPU 0 with `taskset`: each round trip
//! is two context switches on one CPU. `--pin split` puts the walkers on
//! CPU 1 (every round trip then pays two cross-CPU wake-ups), `--pin none`
//! leaves placement to the scheduler (results then depend on what else runs).
//!
//! `--serve` only starts snmpd with the table (`--uncapped`: and no cap on
//! GETBULK responses) and keeps it running until Enter is pressed, for
//! profiling a walker by hand.
//!
//! Two SNMPv3 configurations (`--no-v3` skips them) walk the same snmpd as
//! a user at authPriv, SHA-1 + AES-128 and SHA-512 + AES-256, with
//! `snmpbulkwalk` and `oxsnmp bulkwalk` given the same Net-SNMP options
//! (the other peers are not set up for SNMPv3 here): every answer is
//! authenticated and decrypted, so this is the manager's v3 cost per varbind
//! next to Net-SNMP's, and next to its own v2c figures above.
//!
//! A second snmpd (`--no-big` skips it) allows unlimited GETBULK responses
//! (`maxGetbulkResponses -1`) to see how far the adaptive max-repetitions
//! goes when the agent does not cap it at 100 varbinds.
//!
//! Two more configurations (`--no-agent-server` skips them) walk the same
//! table served by oxsnmp's own `AgentServer` (in this process; its CPU is
//! this process's, which otherwise only waits), with its default GETBULK
//! cap of 100 varbinds and with none: an agent that is not the bottleneck,
//! so that round trips, not the agent, decide the wall time.
//!
//! This is a benchmark, not a test: it asserts only that the walkers agree.

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use oxsnmp_blocking::agent::{Column, MemoryMib, Syntax};
use oxsnmp_blocking::{AgentServer, Client, ClientOptions, Oid, Value};
use oxsnmp_tests::bench_env::{loadavg, machine};
use oxsnmp_tests::peers::{require, table_row, Snmpd, SnmpdConfig, NO_MIBS};

/// The walk target: the whole `oxTest` subtree holding `oxTable`.
const ROOT: &str = ".1.3.6.1.4.1.99999";

/// What snmpbulkwalk (and `oxsnmp bulkwalk`) print for endOfMibView.
const END_OF_MIB_VIEW: &str =
    "No more variables left in this MIB View (It is past the end of the MIB tree)";

/// SNMPv2-MIB::snmpInPkts.0, messages received by the agent.
const SNMP_IN_PKTS: &str = "1.3.6.1.2.1.11.1.0";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    NetSnmp,
    Oxsnmp,
    Snmp2,
    AsyncSnmp,
    Csnmp,
    PySnmp,
}

impl Kind {
    /// The peers, in the order of the ratio tables' columns.
    const PEERS: [Kind; 5] = [
        Kind::NetSnmp,
        Kind::PySnmp,
        Kind::Snmp2,
        Kind::AsyncSnmp,
        Kind::Csnmp,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::NetSnmp => "snmpbulkwalk",
            Kind::Oxsnmp => "oxsnmp",
            Kind::Snmp2 => "snmp2",
            Kind::AsyncSnmp => "async-snmp",
            Kind::Csnmp => "csnmp",
            Kind::PySnmp => "PySNMP",
        }
    }
}

#[derive(Debug, Clone)]
struct Walker {
    label: String,
    kind: Kind,
    /// Fixed max-repetitions, `None` for oxsnmp's adaptive default.
    reps: Option<u32>,
    program: PathBuf,
    args: Vec<String>,
}

#[derive(Debug)]
struct Measured {
    walker: Walker,
    varbinds: u64,
    round_trips: Option<u64>,
    /// Seconds, one per round.
    wall: Vec<f64>,
    cpu: Vec<f64>,
    /// snmpd's CPU seconds during each timed run, when readable.
    agent_cpu: Vec<f64>,
}

/// CPU placement (`taskset`): on this kind of VM a wake-up across CPUs
/// costs the waker tens of µs (an IPI and a VM exit), which at small
/// max-repetitions outweighs everything else a walker does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pin {
    /// Agent and walker on CPU 0: each round trip is two context switches
    /// on one CPU (the default; steadiest).
    Same,
    /// Agent on CPU 0, walker on CPU 1: every round trip pays two
    /// cross-CPU wake-ups.
    Split,
    /// Wherever the scheduler puts them.
    None,
}

impl Pin {
    /// The CPUs of the agent and of the walkers.
    fn cpus(self) -> Option<(&'static str, &'static str)> {
        match self {
            Pin::Same => Some(("0", "0")),
            Pin::Split => Some(("0", "1")),
            Pin::None => None,
        }
    }
}

/// Pins every thread of `pid` to `cpu`.
fn pin_process(pid: u32, cpu: &str) {
    let ok = Command::new("taskset")
        .args(["-a", "-cp", cpu, &pid.to_string()])
        .stdout(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    assert!(ok, "taskset -a -cp {cpu} {pid} failed");
}

struct Options {
    rows: u32,
    runs: usize,
    big: bool,
    /// The SNMPv3 authPriv configurations.
    v3: bool,
    /// Only start snmpd, print its address and keep it running (for profiling).
    serve: bool,
    /// With `serve`: no cap on GETBULK responses (`maxGetbulkResponses -1`).
    uncapped: bool,
    /// Also walk oxsnmp's own `AgentServer` serving the same table (an
    /// agent that is not the bottleneck).
    agent_server: bool,
    /// Where the agent and the walkers run.
    pin: Pin,
    /// Another `oxsnmp` binary (say, built from an older commit) to measure
    /// in the same rounds, labelled `baseline`.
    baseline: Option<PathBuf>,
    /// Every peer (the default), or Net-SNMP's alone.
    all_peers: bool,
    /// Where to append the ratios for the chart.
    csv: Option<PathBuf>,
}

fn parse_options() -> Options {
    let mut o = Options {
        rows: 10_000,
        runs: 7,
        big: true,
        v3: true,
        serve: false,
        uncapped: false,
        agent_server: true,
        pin: Pin::Same,
        baseline: None,
        all_peers: true,
        csv: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut number = |name: &str| -> u64 {
            args.next()
                .and_then(|v| v.parse().ok())
                .unwrap_or_else(|| panic!("{name} needs a number"))
        };
        match arg.as_str() {
            "--rows" => o.rows = u32::try_from(number("--rows")).expect("--rows fits u32"),
            "--runs" => o.runs = usize::try_from(number("--runs")).expect("--runs fits usize"),
            "--no-big" => o.big = false,
            "--no-v3" => o.v3 = false,
            "--serve" => o.serve = true,
            "--uncapped" => o.uncapped = true,
            "--no-agent-server" => o.agent_server = false,
            "--pin" => {
                o.pin = match args.next().as_deref() {
                    Some("same") => Pin::Same,
                    Some("split") => Pin::Split,
                    Some("none") => Pin::None,
                    _ => panic!("--pin takes same, split or none"),
                }
            }
            "--peers" => {
                o.all_peers = match args.next().as_deref() {
                    Some("all") => true,
                    Some("netsnmp") => false,
                    _ => panic!("--peers takes all or netsnmp"),
                }
            }
            "--csv" => o.csv = Some(PathBuf::from(args.next().expect("--csv needs a file"))),
            "--baseline" => {
                o.baseline = Some(PathBuf::from(
                    args.next()
                        .expect("--baseline needs the path of an oxsnmp binary"),
                ))
            }
            other => panic!(
                "unknown argument {other} (use --rows N, --runs N, --no-big, --no-v3, --no-agent-server, \
                 --pin same|split|none, --serve [--uncapped], --baseline PATH, \
                 --peers all|netsnmp, --csv FILE)"
            ),
        }
    }
    assert!(
        o.rows > 0 && o.runs > 0,
        "--rows and --runs must be positive"
    );
    o
}

fn main() {
    let options = parse_options();
    if !require("snmpd", "bench_walk") || !require("snmpbulkwalk", "bench_walk") {
        return;
    }
    if options.serve {
        let mut extra = table(options.rows);
        if options.uncapped {
            extra.push("maxGetbulkResponses -1".into());
        }
        let snmpd = Snmpd::start(SnmpdConfig {
            table_rows: 0,
            extra,
            ..SnmpdConfig::default()
        })
        .expect("snmpd starts");
        println!(
            "snmpd listening on {} (community public); Enter stops it",
            snmpd.addr
        );
        let _ = io::stdin().read_line(&mut String::new());
        return;
    }
    if which_bash().is_none() {
        eprintln!("bench_walk needs bash (its `time` keyword measures the children)");
        return;
    }
    let release = std::env::current_exe()
        .expect("own path")
        .parent()
        .and_then(Path::parent)
        .expect("target/release/examples/bench_walk")
        .to_path_buf();
    let oxsnmp = release.join("oxsnmp");
    let examples = release.join("examples");
    let peers = Peers {
        snmp2: examples.join("snmp2_walk"),
        async_snmp: examples.join("async_snmp_walk"),
        csnmp: examples.join("csnmp_walk"),
        python: if options.all_peers {
            oxsnmp_tests::pysnmp::python()
        } else {
            None
        },
        all: options.all_peers,
    };
    for (bin, build) in [
        (&oxsnmp, "cargo build --release -p oxsnmp-cli"),
        (
            &peers.snmp2,
            "cargo build --release -p oxsnmp-tests --examples",
        ),
        (
            &peers.async_snmp,
            "cargo build --release -p oxsnmp-tests --examples",
        ),
        (
            &peers.csnmp,
            "cargo build --release -p oxsnmp-tests --examples",
        ),
    ] {
        assert!(
            bin.is_file(),
            "{} is missing: run `{build}` first",
            bin.display()
        );
    }
    if options.all_peers && peers.python.is_none() {
        eprintln!(
            "PySNMP left out: no Python with pysnmp (python3 -m venv .venv && \
             .venv/bin/pip install 'pysnmp==7.1.*' cryptography, or OXSNMP_PYTHON)"
        );
    }

    println!("# Walk benchmark (manager CPU per varbind)\n");
    println!("machine: {}", machine());
    println!("walk: {ROOT}, {} rows x 6 columns", options.rows);
    println!("runs per walker: {} (interleaved rounds)", options.runs);
    match options.pin.cpus() {
        Some((agent, walker)) => {
            println!("placement: agent on CPU {agent}, walkers on CPU {walker} (taskset)\n")
        }
        None => println!("placement: left to the scheduler\n"),
    }

    let mut oxsnmps = vec![(String::new(), oxsnmp.clone())];
    if let Some(baseline) = &options.baseline {
        assert!(baseline.is_file(), "{} is not a file", baseline.display());
        println!("baseline: {}", baseline.display());
        oxsnmps.push(("baseline ".to_owned(), baseline.clone()));
    }
    let fixed = [10, 50, 100];
    let capped = SnmpdConfig {
        table_rows: 0,
        extra: table(options.rows),
        ..SnmpdConfig::default()
    };
    bench_config(
        "snmpd defaults (maxGetbulkResponses 100)",
        "snmpd",
        Agent::Snmpd(capped),
        &walkers(&oxsnmps, &peers, &fixed),
        &options,
    );
    if options.big {
        let mut extra = table(options.rows);
        extra.push("maxGetbulkResponses -1".into());
        let unlimited = SnmpdConfig {
            table_rows: 0,
            extra,
            ..SnmpdConfig::default()
        };
        bench_config(
            "snmpd with maxGetbulkResponses -1 (no cap)",
            "snmpd, no cap",
            Agent::Snmpd(unlimited),
            &walkers(&oxsnmps, &peers, &[10, 100, 1000]),
            &options,
        );
    }
    if options.v3 {
        for (label, key, snmpd_user, options_v3) in V3_MODES {
            let mut extra = table(options.rows);
            extra.push(format!("createUser {V3_USER} {snmpd_user}"));
            extra.push(format!("rouser {V3_USER} authPriv"));
            let config = SnmpdConfig {
                table_rows: 0,
                extra,
                ..SnmpdConfig::default()
            };
            let v3: Vec<Walker> = walkers(&oxsnmps, &peers, &fixed)
                .into_iter()
                .filter_map(|w| as_v3(w, options_v3))
                .collect();
            bench_config(
                &format!("snmpd defaults, SNMPv3 authPriv {label}"),
                key,
                Agent::Snmpd(config),
                &v3,
                &options,
            );
        }
    }
    if options.agent_server {
        bench_config(
            "oxsnmp AgentServer, same table (GETBULK cap 100 varbinds, its default)",
            "AgentServer",
            Agent::Oxsnmp {
                max_bulk_varbinds: 100,
            },
            &walkers(&oxsnmps, &peers, &fixed),
            &options,
        );
        bench_config(
            "oxsnmp AgentServer, same table, no GETBULK cap (only the 65,507-byte message)",
            "AgentServer, no cap",
            Agent::Oxsnmp {
                max_bulk_varbinds: usize::MAX,
            },
            &walkers(&oxsnmps, &peers, &[10, 100, 1000]),
            &options,
        );
    }
}

/// The SNMPv3 user of the v3 configurations.
const V3_USER: &str = "benchuser";

/// The v3 configurations: title, key, snmpd's `createUser` arguments after
/// the name, and the walkers' security options (Net-SNMP's, which oxsnmp
/// takes too).
const V3_MODES: [(&str, &str, &str, &str); 2] = [
    (
        "SHA-1 + AES-128",
        "snmpd, v3 SHA-1 + AES-128",
        "SHA benchauth1 AES benchpriv1",
        "-v3 -u benchuser -l authPriv -a SHA -A benchauth1 -x AES -X benchpriv1",
    ),
    (
        "SHA-512 + AES-256",
        "snmpd, v3 SHA-512 + AES-256",
        "SHA512 benchauth1 AES256 benchpriv1",
        "-v3 -u benchuser -l authPriv -a SHA-512 -A benchauth1 -x AES-256 -X benchpriv1",
    ),
];

/// `w` walking as the v3 user instead of with the community, if it is one
/// of the walkers that take Net-SNMP's options (`snmpbulkwalk`, `oxsnmp`).
fn as_v3(mut w: Walker, security: &str) -> Option<Walker> {
    if !matches!(w.kind, Kind::NetSnmp | Kind::Oxsnmp) {
        return None;
    }
    let at = w.args.iter().position(|a| a == "-v2c")?;
    w.args
        .splice(at..at + 3, security.split_whitespace().map(String::from));
    Some(w)
}

/// The rows of `oxTable`: the test suite's table, except that row 1's
/// `oxCount` is not 2^64-1 there, because snmp2 0.4 cannot decode a
/// Counter64 at or above 2^63 (see `core/benches/codec.rs`) and would stop
/// its walk at that cell.
fn table(rows: u32) -> Vec<String> {
    (1..=rows)
        .map(|i| {
            if i == 1 {
                "add_row oxTable 1 1 \"row 1\" 1000003 1 10.0.0.1 100".to_owned()
            } else {
                table_row(i)
            }
        })
        .collect()
}

fn which_bash() -> Option<PathBuf> {
    oxsnmp_tests::peers::which("bash")
}

/// The peers' walker programs.
struct Peers {
    snmp2: PathBuf,
    async_snmp: PathBuf,
    csnmp: PathBuf,
    /// A Python with PySNMP, if there is one (and every peer is asked for).
    python: Option<PathBuf>,
    /// Every peer, or Net-SNMP's alone.
    all: bool,
}

/// The walkers of one configuration: each tool at each fixed repetition,
/// and oxsnmp's adaptive default.
fn walkers(oxsnmps: &[(String, PathBuf)], peers: &Peers, fixed: &[u32]) -> Vec<Walker> {
    let mut list = Vec::new();
    let netsnmp = oxsnmp_tests::peers::which("snmpbulkwalk").expect("snmpbulkwalk on PATH");
    for &r in fixed {
        let mut args = vec!["-v2c".into(), "-c".into(), "public".into(), "-On".into()];
        // -Cr10 is snmpbulkwalk's default; say it anyway so the row reads plainly.
        args.push(format!("-Cr{r}"));
        list.push(Walker {
            label: format!(
                "snmpbulkwalk -Cr{r}{}",
                if r == 10 { " (default)" } else { "" }
            ),
            kind: Kind::NetSnmp,
            reps: Some(r),
            program: netsnmp.clone(),
            args,
        });
    }
    for (prefix, oxsnmp) in oxsnmps {
        let base: Vec<String> = ["bulkwalk", "-v2c", "-c", "public", "-On"]
            .map(String::from)
            .to_vec();
        list.push(Walker {
            label: format!("{prefix}oxsnmp bulkwalk (default, adaptive)"),
            kind: Kind::Oxsnmp,
            reps: None,
            program: oxsnmp.clone(),
            args: base.clone(),
        });
        for &r in fixed {
            let mut args = base.clone();
            args.push(format!("-Cr{r}"));
            list.push(Walker {
                label: format!("{prefix}oxsnmp bulkwalk -Cr{r}"),
                kind: Kind::Oxsnmp,
                reps: Some(r),
                program: oxsnmp.clone(),
                args,
            });
        }
    }
    if !peers.all {
        return list;
    }
    let mut rust = vec![
        (Kind::Snmp2, "snmp2_walk", &peers.snmp2),
        (Kind::AsyncSnmp, "async_snmp_walk", &peers.async_snmp),
        (Kind::Csnmp, "csnmp_walk", &peers.csnmp),
    ];
    for (kind, name, program) in rust.drain(..) {
        // csnmp 0.6 receives into 9,000 octets: a larger answer fails its
        // walk (`Asn1Decoding(Incomplete)`); 100 varbinds of this table fit.
        let fits = |r: u32| kind != Kind::Csnmp || r <= 100;
        for &r in fixed.iter().filter(|r| fits(**r)) {
            list.push(Walker {
                label: format!("{name} {r}"),
                kind,
                reps: Some(r),
                program: program.clone(),
                args: vec![],
            });
        }
    }
    if let Some(python) = &peers.python {
        let script = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("pysnmp")
            .join("bulkwalk.py");
        // PySNMP spends some 300 µs per varbind: one walk of the table takes
        // 20 s, so it runs at the largest max-repetitions only.
        if let Some(&r) = fixed.iter().max() {
            list.push(Walker {
                label: format!("PySNMP bulk_walk_cmd {r}"),
                kind: Kind::PySnmp,
                reps: Some(r),
                program: python.clone(),
                args: vec![script.display().to_string()],
            });
        }
    }
    list
}

/// The full argument list of a walker against `agent`.
fn command_args(w: &Walker, agent: &str) -> Vec<String> {
    let mut args = w.args.clone();
    match w.kind {
        Kind::NetSnmp | Kind::Oxsnmp => {
            args.push(agent.to_owned());
            args.push(ROOT.to_owned());
        }
        Kind::Snmp2 | Kind::AsyncSnmp | Kind::Csnmp | Kind::PySnmp => {
            args.push(agent.to_owned());
            args.push("public".into());
            args.push(w.reps.unwrap_or(10).to_string());
            args.push(ROOT.to_owned());
        }
    }
    args
}

/// The agent a configuration walks.
enum Agent {
    /// Net-SNMP's snmpd with this configuration.
    Snmpd(SnmpdConfig),
    /// oxsnmp-blocking's `AgentServer`, in this process, serving the same
    /// table with this GETBULK varbind cap.
    Oxsnmp { max_bulk_varbinds: usize },
}

/// A running agent, stopped on drop.
enum Running {
    Snmpd(Snmpd),
    Oxsnmp(AgentServer<MemoryMib>),
}

fn bench_config(title: &str, key: &str, agent: Agent, walkers: &[Walker], options: &Options) {
    let start = Instant::now();
    let (running, addr, agent_pid, name) = match agent {
        Agent::Snmpd(config) => {
            let snmpd = Snmpd::start(config).expect("snmpd starts");
            let addr = snmpd.addr;
            let pid = std::fs::read_to_string(snmpd.dir.path().join("snmpd.pid"))
                .ok()
                .and_then(|s| s.trim().parse::<u32>().ok());
            (Running::Snmpd(snmpd), addr, pid, "snmpd")
        }
        Agent::Oxsnmp { max_bulk_varbinds } => {
            let config = oxsnmp_tests::agent_fixture::config().max_bulk_varbinds(max_bulk_varbinds);
            let server = AgentServer::bind(&["udp:127.0.0.1:0"], config, table_mib(options.rows))
                .expect("AgentServer starts");
            let addr = server.local_addrs()[0];
            // Its threads are ours; the harness itself only waits meanwhile.
            (
                Running::Oxsnmp(server),
                addr,
                Some(std::process::id()),
                "AgentServer",
            )
        }
    };
    let started = start.elapsed();
    if let (Some((agent_cpu, _)), Some(pid)) = (options.pin.cpus(), agent_pid) {
        pin_process(pid, agent_cpu);
    }
    let agent = addr.to_string();
    let client = Client::connect(
        &agent,
        ClientOptions {
            community: "public".into(),
            ..ClientOptions::default()
        },
    )
    .expect("client");
    let in_pkts: Oid = SNMP_IN_PKTS.parse().expect("OID");
    let counter = || -> Option<u64> {
        match client
            .get(std::slice::from_ref(&in_pkts))
            .ok()?
            .first()?
            .value
        {
            Value::Counter32(n) => Some(u64::from(n)),
            _ => None,
        }
    };

    println!("## {title}\n");
    println!(
        "{name} started in {:.2} s; load before: {}",
        started.as_secs_f64(),
        loadavg()
    );

    // Warm-up and checks: each walker once with its output captured.
    let mut measured: Vec<Measured> = Vec::new();
    for w in walkers {
        let before = counter();
        let out = Command::new(&w.program)
            .args(command_args(w, &agent))
            .envs(NO_MIBS)
            .stdin(Stdio::null())
            .output()
            .unwrap_or_else(|e| panic!("{}: {e}", w.label));
        let after = counter();
        assert!(
            out.status.success(),
            "{} failed ({}): {}",
            w.label,
            out.status,
            String::from_utf8_lossy(&out.stderr)
        );
        // An agent with nothing after the table ends the walk with
        // endOfMibView, which the Net-SNMP-style tools print: not a varbind.
        let varbinds = String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter(|l| !l.ends_with(END_OF_MIB_VIEW))
            .count() as u64;
        // `after` counts its own GET; the walk's packets are the rest.
        let round_trips = match (before, after) {
            (Some(b), Some(a)) if a > b => Some(a - b - 1),
            _ => None,
        };
        measured.push(Measured {
            walker: w.clone(),
            varbinds,
            round_trips,
            wall: Vec::new(),
            cpu: Vec::new(),
            agent_cpu: Vec::new(),
        });
    }
    let expected = u64::from(options.rows) * 6;
    for m in &measured {
        assert_eq!(
            m.varbinds, expected,
            "{} returned {} varbinds, expected {expected}",
            m.walker.label, m.varbinds
        );
    }

    let n = measured.len();
    for round in 0..options.runs {
        for i in 0..n {
            let m = &mut measured[(i + round) % n];
            let agent_before = agent_pid.and_then(cpu_seconds);
            let (wall, cpu) = timed(&m.walker, &agent, options.pin)
                .unwrap_or_else(|e| panic!("{}: {e}", m.walker.label));
            let agent_after = agent_pid.and_then(cpu_seconds);
            m.wall.push(wall);
            m.cpu.push(cpu);
            if let (Some(b), Some(a)) = (agent_before, agent_after) {
                m.agent_cpu.push(a - b);
            }
        }
    }
    println!("load after: {}\n", loadavg());
    print_table(&measured, expected, name);
    print_ratios(&measured, key, options.csv.as_deref());
    println!();
    match running {
        Running::Snmpd(snmpd) => drop(snmpd),
        Running::Oxsnmp(server) => server.stop(),
    }
}

/// Runs a walker once with stdout to /dev/null; (wall, user+sys) seconds.
fn timed(w: &Walker, agent: &str, pin: Pin) -> io::Result<(f64, f64)> {
    let mut command = match pin.cpus() {
        Some((_, cpu)) => {
            let mut c = Command::new("taskset");
            c.args(["-c", cpu, "bash"]);
            c
        }
        None => Command::new("bash"),
    };
    let out = command
        .arg("-c")
        .arg(r#"TIMEFORMAT="%3R %3U %3S"; time "$@" >/dev/null 2>/dev/null"#)
        .arg("bash")
        .arg(&w.program)
        .args(command_args(w, agent))
        .envs(NO_MIBS)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()?;
    if !out.status.success() {
        return Err(io::Error::other(format!("exited with {}", out.status)));
    }
    let text = String::from_utf8_lossy(&out.stderr);
    let fields: Vec<f64> = text
        .lines()
        .last()
        .unwrap_or_default()
        .split_whitespace()
        .filter_map(|f| f.parse().ok())
        .collect();
    match fields.as_slice() {
        [real, user, sys] => Ok((*real, user + sys)),
        _ => Err(io::Error::other(format!("unexpected time output: {text}"))),
    }
}

/// CPU seconds a process has used, all its threads, from
/// `/proc/PID/task/TID/schedstat` (nanoseconds on the CPU).
fn cpu_seconds(pid: u32) -> Option<f64> {
    let mut ns = 0u64;
    for task in std::fs::read_dir(format!("/proc/{pid}/task")).ok()? {
        let text = std::fs::read_to_string(task.ok()?.path().join("schedstat")).ok()?;
        ns += text.split_whitespace().next()?.parse::<u64>().ok()?;
    }
    Some(ns as f64 / 1e9)
}

/// `oxTable` for the `AgentServer`: the same rows as [`table`] gives snmpd.
fn table_mib(rows: u32) -> MemoryMib {
    let mut mib = MemoryMib::new();
    let entry: Oid = oxsnmp_tests::agent_fixture::OX_ENTRY
        .parse()
        .expect("oxEntry");
    let table = mib
        .add_table(
            entry,
            [
                Column::new(1, Syntax::integer()),
                Column::new(2, Syntax::octet_string()),
                Column::new(3, Syntax::counter64()),
                Column::new(4, Syntax::gauge32()),
                Column::new(5, Syntax::ip_address()),
                Column::new(6, Syntax::time_ticks()),
            ],
        )
        .expect("oxTable");
    // Something after the walked subtree, as snmpd has (its own MIBs): a
    // walk then ends by leaving the subtree rather than at endOfMibView,
    // which csnmp 0.6 cannot take (its walk fails with `PrecedingValue`).
    mib.add_scalar(
        "1.3.6.1.4.1.100000.1".parse().expect("OID"),
        Value::Integer(1),
    )
    .expect("scalar after the table");
    for i in 1..=rows {
        let mut values = oxsnmp_tests::agent_fixture::row(i);
        if i == 1 {
            // As in `table`: snmp2 cannot decode a Counter64 >= 2^63.
            values[2] = Value::Counter64(1_000_003);
        }
        mib.insert_row(table, &[i], values).expect("oxTable row");
    }
    mib
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    match v.len() {
        0 => f64::NAN,
        n if n % 2 == 1 => v[n / 2],
        n => (v[n / 2 - 1] + v[n / 2]) / 2.0,
    }
}

fn print_table(measured: &[Measured], varbinds: u64, agent: &str) {
    let per_vb = |m: &Measured| median(&m.cpu) * 1e6 / varbinds as f64;
    let peer = |kind: Kind, reps: Option<u32>| {
        measured
            .iter()
            .find(|m| m.walker.kind == kind && m.walker.reps == reps)
    };
    let default_wall = peer(Kind::NetSnmp, Some(10)).map(|m| median(&m.wall));
    println!(
        "| walker | round trips | wall ms (min–max) | user+sys ms (min–max) | CPU µs/varbind | \
         CPU vs oxsnmp same reps | wall vs snmpbulkwalk default | {agent} CPU ms |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    let ms = |values: &[f64]| {
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = values.iter().copied().fold(0.0, f64::max);
        format!(
            "{:.0} ({:.0}–{:.0})",
            median(values) * 1e3,
            lo * 1e3,
            hi * 1e3
        )
    };
    for m in measured {
        let cpu = per_vb(m);
        let vs_oxsnmp = match (m.walker.kind, m.walker.reps) {
            (Kind::Oxsnmp, _) | (_, None) => "—".to_owned(),
            (_, reps) => peer(Kind::Oxsnmp, reps)
                .map_or("—".to_owned(), |o| format!("{:.2}×", cpu / per_vb(o))),
        };
        println!(
            "| {} | {} | {} | {} | {:.2} | {} | {} | {} |",
            m.walker.label,
            m.round_trips.map_or("?".to_owned(), |r| r.to_string()),
            ms(&m.wall),
            ms(&m.cpu),
            cpu,
            vs_oxsnmp,
            default_wall.map_or("—".to_owned(), |d| format!("{:.2}×", median(&m.wall) / d)),
            if m.agent_cpu.is_empty() {
                "?".to_owned()
            } else {
                format!("{:.0}", median(&m.agent_cpu) * 1e3)
            },
        );
    }
}

/// The ratios of one configuration: each peer's median CPU (and wall time)
/// over oxsnmp's at the same max-repetitions; above 1, oxsnmp is ahead.
/// Printed as two tables, and appended to `csv` as
/// `section,row,peer,ratio` lines when given.
fn print_ratios(measured: &[Measured], key: &str, csv: Option<&Path>) {
    let find = |kind: Kind, reps: u32| {
        measured
            .iter()
            .find(|m| m.walker.kind == kind && m.walker.reps == Some(reps))
    };
    let mut reps: Vec<u32> = measured.iter().filter_map(|m| m.walker.reps).collect();
    reps.sort_unstable();
    reps.dedup();
    let peers: Vec<Kind> = Kind::PEERS
        .into_iter()
        .filter(|k| measured.iter().any(|m| m.walker.kind == *k))
        .collect();
    let mut lines = Vec::new();
    for (what, values) in [
        (
            "CPU",
            &(|m: &Measured| median(&m.cpu)) as &dyn Fn(&Measured) -> f64,
        ),
        ("wall", &|m: &Measured| median(&m.wall)),
    ] {
        println!(
            "\n{what} of each peer ÷ oxsnmp's, same max-repetitions ({key}):\n\n| max-repetitions | {} |",
            peers.iter().map(|k| k.name()).collect::<Vec<_>>().join(" | ")
        );
        println!("| ---: |{}", " ---: |".repeat(peers.len()));
        for &r in &reps {
            let Some(ours) = find(Kind::Oxsnmp, r) else {
                continue;
            };
            let cells: Vec<String> = peers
                .iter()
                .map(|k| match find(*k, r) {
                    Some(p) => {
                        let ratio = values(p) / values(ours);
                        lines.push(format!(
                            "walk {} · {key} · reps {r},{},{ratio:.3}",
                            if what == "CPU" {
                                "CPU per varbind"
                            } else {
                                "wall time"
                            },
                            k.name()
                        ));
                        format!("{ratio:.2}×")
                    }
                    None => "—".to_owned(),
                })
                .collect();
            println!("| {r} | {} |", cells.join(" | "));
        }
    }
    if let Some(path) = csv {
        use std::io::Write;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .expect("--csv file");
        for line in lines {
            writeln!(file, "{line}").expect("--csv write");
        }
    }
}
