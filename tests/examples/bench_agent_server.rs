//! The oxsnmp side of the agent benchmark (`bench_agent`): oxsnmp-blocking's
//! `AgentServer` serving the interop fixture's `system` group and an
//! `oxTable` of N rows × 6 columns (the rows `peers::Snmpd` gives snmpd).
//!
//! ```text
//! bench_agent_server [--rows 100000] [--max-seconds 3600]
//! bench_agent_server --memory N [--store memory|recorded]
//! ```
//!
//! Serving: binds a free port on 127.0.0.1, prints `ADDR 127.0.0.1:PORT`
//! and `RSS <kB>` once the table is loaded, and serves until stdin closes
//! (or `--max-seconds` pass).
//!
//! `--memory N` builds a store of N object instances (`oxTable` rows of six
//! columns, N/6 rows rounded up) as a `MemoryMib` or a `RecordedMib`, prints
//! the process's resident memory before, after building (`VmRSS`) and at its
//! peak (`VmHWM`), and exits.

use std::io::{BufRead, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use oxsnmp_blocking::agent::recording::{Record, RecordedMib};
use oxsnmp_blocking::agent::{Column, MemoryMib, Syntax};
use oxsnmp_blocking::AgentServer;
use oxsnmp_core::Oid;
use oxsnmp_tests::agent_fixture::{config, row, OX_ENTRY};

/// A `/proc/self/status` field in kB.
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|rest| rest.trim_start_matches(':').split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn table_mib(rows: u32) -> MemoryMib {
    let mut mib = MemoryMib::new();
    let entry: Oid = OX_ENTRY.parse().expect("oxEntry");
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
    for i in 1..=rows {
        mib.insert_row(table, &[i], row(i)).expect("oxTable row");
    }
    mib
}

fn recorded_mib(rows: u32) -> RecordedMib {
    let entry: Oid = OX_ENTRY.parse().expect("oxEntry");
    let mut records = Vec::with_capacity(rows as usize * 6);
    for i in 1..=rows {
        for (column, value) in (1..).zip(row(i)) {
            let oid = entry.extended(&[column, i]).expect("instance OID");
            records.push(Record {
                line: records.len() + 1,
                oid,
                value,
            });
        }
    }
    RecordedMib::from_records(records).expect("recorded store")
}

fn memory(objects: u64, store: &str) {
    let rows = u32::try_from(objects.div_ceil(6)).expect("rows fit u32");
    let before = status_kb("VmRSS");
    let start = Instant::now();
    let len = match store {
        "memory" => {
            let mib = table_mib(rows);
            let len = mib.len();
            report(store, len, before, start);
            len
        }
        "recorded" => {
            let mib = recorded_mib(rows);
            let len = mib.len();
            report(store, len, before, start);
            len
        }
        other => panic!("unknown --store {other} (memory or recorded)"),
    };
    assert_eq!(len as u64, u64::from(rows) * 6);
}

fn report(store: &str, len: usize, before: u64, start: Instant) {
    let after = status_kb("VmRSS");
    let peak = status_kb("VmHWM");
    let per = (after.saturating_sub(before) * 1024) as f64 / len as f64;
    println!(
        "store={store} objects={len} build_s={:.2} rss_before_kb={before} rss_kb={after} \
         peak_kb={peak} bytes_per_object={per:.0}",
        start.elapsed().as_secs_f64()
    );
}

fn main() {
    let mut rows = 100_000u32;
    let mut max_seconds = 3600u64;
    let mut objects = None;
    let mut store = "memory".to_owned();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
        match arg.as_str() {
            "--rows" => rows = value().parse().expect("--rows number"),
            "--max-seconds" => max_seconds = value().parse().expect("--max-seconds number"),
            "--memory" => objects = Some(value().parse::<u64>().expect("--memory number")),
            "--store" => store = value(),
            other => panic!("unknown argument {other}"),
        }
    }
    if let Some(objects) = objects {
        memory(objects, &store);
        return;
    }
    let server =
        AgentServer::bind(&["udp:127.0.0.1:0"], config(), table_mib(rows)).expect("bind the agent");
    let mut out = std::io::stdout().lock();
    writeln!(out, "ADDR {}", server.local_addrs()[0]).expect("stdout");
    writeln!(out, "RSS {}", status_kb("VmRSS")).expect("stdout");
    out.flush().expect("stdout");
    drop(out);
    // Serve until stdin closes, bounded by --max-seconds.
    let (done, wait) = mpsc::channel();
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        for line in stdin.lock().lines() {
            if line.is_err() {
                break;
            }
        }
        let _ = done.send(());
    });
    let _ = wait.recv_timeout(Duration::from_secs(max_seconds));
    server.stop();
}
