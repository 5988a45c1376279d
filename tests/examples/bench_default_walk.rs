//! The default walk, oxsnmp against Net-SNMP, on an agent that is not the
//! bottleneck: `oxsnmp bulkwalk` (adaptive max-repetitions) next to
//! `snmpbulkwalk` (its fixed 10), both with their defaults, walking the
//! interface tables of a Net-SNMP `snmpd` that serves many interfaces.
//!
//! ```text
//! cargo build --release -p oxsnmp-cli
//! sudo cargo run --release -p oxsnmp-tests --example bench_default_walk -- [--pairs 1000] [--rounds 7]
//! ```
//!
//! Needs root and `ip` (iproute2): it makes a network namespace of its own
//! (`oxsnmp-walk-<pid>`), adds `--pairs` veth pairs inside it (2 interfaces
//! each, so 2,000 by default; nothing leaves the namespace), starts snmpd
//! there on its loopback, and runs every walker there with `ip netns exec`.
//! snmpd answers the IF-MIB tables from a cached container, cheaply per
//! varbind — unlike the `table`/`add_row` data of `bench_walk`, where its
//! row scan dominates — so the round trips show. Each round runs both
//! walkers on each table, in an order rotated per round; `/usr/bin/time`
//! gives each child's wall time and CPU. Before timing, each walker runs
//! once with its output kept: the OIDs must be the same. The namespace and
//! snmpd are removed at the end.
//!
//! This is a benchmark, not a test.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

const TABLES: [(&str, &str); 2] = [
    ("ifTable", ".1.3.6.1.2.1.2.2"),
    ("ifXTable", ".1.3.6.1.2.1.31.1.1"),
];

struct Namespace {
    name: String,
    snmpd: Option<Child>,
    dir: PathBuf,
}

impl Drop for Namespace {
    fn drop(&mut self) {
        if let Some(mut c) = self.snmpd.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        let _ = Command::new("ip")
            .args(["netns", "del", &self.name])
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn run(program: &str, args: &[&str]) -> std::process::Output {
    Command::new(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("{program}: {e}"))
}

/// Wall seconds and CPU seconds (user + system) of one run, output discarded.
fn timed(ns: &str, program: &str, args: &[&str]) -> (f64, f64) {
    let mut all = vec![
        "-f",
        "%e %U %S",
        "-o",
        "/dev/stderr",
        "ip",
        "netns",
        "exec",
        ns,
        program,
    ];
    all.extend_from_slice(args);
    let out = Command::new("/usr/bin/time")
        .args(&all)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .output()
        .expect("/usr/bin/time runs");
    let text = String::from_utf8_lossy(&out.stderr);
    let last = text.lines().last().unwrap_or("");
    let f: Vec<f64> = last
        .split_whitespace()
        .filter_map(|x| x.parse().ok())
        .collect();
    assert_eq!(f.len(), 3, "{program}: {text}");
    (f[0], f[1] + f[2])
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    };
    let pairs = arg("--pairs", 1000);
    let rounds = arg("--rounds", 7);
    let oxsnmp = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/release/oxsnmp");
    assert!(
        oxsnmp.exists(),
        "build it first: cargo build --release -p oxsnmp-cli"
    );
    let oxsnmp = oxsnmp.to_string_lossy().into_owned();

    let name = format!("oxsnmp-walk-{}", std::process::id());
    let dir = std::env::temp_dir().join(&name);
    std::fs::create_dir_all(&dir).unwrap();
    let mut ns = Namespace {
        name: name.clone(),
        snmpd: None,
        dir: dir.clone(),
    };
    assert!(
        run("ip", &["netns", "add", &name]).status.success(),
        "ip netns add (root?)"
    );
    assert!(run("ip", &["-n", &name, "link", "set", "lo", "up"])
        .status
        .success());
    let batch = dir.join("veth.batch");
    let lines: String = (0..pairs)
        .map(|i| format!("link add v{i}a type veth peer name v{i}b\n"))
        .collect();
    std::fs::write(&batch, lines).unwrap();
    let b = batch.to_string_lossy();
    assert!(
        run("ip", &["-n", &name, "-batch", &b]).status.success(),
        "veth pairs"
    );
    let conf = dir.join("snmpd.conf");
    std::fs::write(&conf, "rocommunity public 127.0.0.1\n").unwrap();
    let port = 16161;
    let agent = format!("udp:127.0.0.1:{port}");
    let snmpd = Command::new("ip")
        .args(["netns", "exec", &name, "snmpd", "-f", "-Lf"])
        .arg(dir.join("snmpd.log"))
        .arg("-C")
        .arg("-c")
        .arg(&conf)
        .arg("-p")
        .arg(dir.join("snmpd.pid"))
        .arg(format!("--persistentDir={}", dir.display()))
        .arg(&agent)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("snmpd starts");
    ns.snmpd = Some(snmpd);
    // Wait until it answers.
    for _ in 0..100 {
        let o = run(
            "ip",
            &[
                "netns",
                "exec",
                &name,
                "snmpget",
                "-v2c",
                "-c",
                "public",
                "-t",
                "1",
                "-r",
                "0",
                &agent,
                ".1.3.6.1.2.1.2.1.0",
            ],
        );
        if o.status.success() {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "snmpd 5.9 in namespace {name} with {} interfaces; {rounds} rounds",
        2 * pairs + 1
    );
    println!(
        "{:<10} {:>9} {:>10} {:>10} {:>14} {:>12} {:>14} {:>12} {:>9}",
        "table",
        "varbinds",
        "ns requests",
        "ox requests",
        "snmpbulkwalk s",
        "oxsnmp s",
        "snmpbulkwalk cpu",
        "oxsnmp cpu",
        "speed-up"
    );
    for (label, root) in TABLES {
        let walkers: [(&str, Vec<&str>); 2] = [
            (
                "snmpbulkwalk",
                vec!["-v2c", "-c", "public", "-On", &agent, root],
            ),
            (
                oxsnmp.as_str(),
                vec!["bulkwalk", "-v2c", "-c", "public", "-On", &agent, root],
            ),
        ];
        // Same OIDs from both.
        let oids: Vec<Vec<String>> = walkers
            .iter()
            .map(|(p, a)| {
                let mut all = vec!["netns", "exec", &name, p];
                all.extend(a.iter().copied());
                let out = run("ip", &all);
                String::from_utf8_lossy(&out.stdout)
                    .lines()
                    .filter_map(|l| l.split(" = ").next().map(str::to_owned))
                    .collect()
            })
            .collect();
        assert_eq!(oids[0], oids[1], "{label}: the walkers disagree");
        // Requests per walk, from snmpd's snmpInPkts around one more walk of each.
        let in_pkts = || -> u64 {
            let out = run(
                "ip",
                &[
                    "netns",
                    "exec",
                    &name,
                    "snmpget",
                    "-v2c",
                    "-c",
                    "public",
                    "-Oqv",
                    &agent,
                    ".1.3.6.1.2.1.11.1.0",
                ],
            );
            String::from_utf8_lossy(&out.stdout)
                .trim()
                .parse()
                .unwrap_or(0)
        };
        let requests: Vec<u64> = walkers
            .iter()
            .map(|(p, a)| {
                let before = in_pkts();
                let mut all = vec!["netns", "exec", &name, p];
                all.extend(a.iter().copied());
                run("ip", &all);
                // The second snmpget's own packet is not part of the walk.
                in_pkts().saturating_sub(before + 1)
            })
            .collect();
        let mut wall = [Vec::new(), Vec::new()];
        let mut cpu = [Vec::new(), Vec::new()];
        for r in 0..rounds {
            for k in 0..2 {
                let i = (k + r) % 2;
                let (p, a) = &walkers[i];
                let (w, c) = timed(&name, p, a);
                wall[i].push(w);
                cpu[i].push(c);
            }
        }
        let (w0, w1) = (median(wall[0].clone()), median(wall[1].clone()));
        let (c0, c1) = (median(cpu[0].clone()), median(cpu[1].clone()));
        println!(
            "{label:<10} {:>9} {:>10} {:>10} {w0:>14.3} {w1:>12.3} {c0:>14.3} {c1:>12.3} {:>8.2}x",
            oids[0].len(),
            requests[0],
            requests[1],
            w0 / w1
        );
    }
}
