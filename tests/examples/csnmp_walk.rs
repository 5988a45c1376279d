//! A small GETBULK walker on the `csnmp` crate: a Rust peer of
//! `oxsnmp bulkwalk` in the walk benchmark (`bench_walk`).
//!
//! ```text
//! csnmp_walk HOST:PORT COMMUNITY MAXREP ROOT
//! ```
//!
//! Walks the subtree under ROOT (SNMPv2c) with `Snmp2cClient::walk_bulk` at
//! a fixed max-repetitions on a current-thread Tokio runtime and writes one
//! line per varbind to stdout, `.OID = value` with the value in `csnmp`'s
//! `Debug` form, through a buffered, locked stdout. csnmp's walk collects
//! the whole subtree into a `BTreeMap` before returning it: that is its
//! API, so the lines are written after the last answer.

use std::io::{self, BufWriter, Write};
use std::net::SocketAddr;
use std::process::ExitCode;
use std::time::Duration;

use csnmp::{ObjectIdentifier, Snmp2cClient};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [agent, community, maxrep, root] = args.as_slice() else {
        eprintln!("usage: csnmp_walk HOST:PORT COMMUNITY MAXREP ROOT");
        return ExitCode::from(1);
    };
    let Ok(agent) = agent.parse::<SocketAddr>() else {
        eprintln!("csnmp_walk: HOST:PORT must be an IP address and port, not {agent}");
        return ExitCode::from(1);
    };
    let Ok(maxrep) = maxrep.parse::<u32>() else {
        eprintln!("csnmp_walk: MAXREP must be a number, not {maxrep}");
        return ExitCode::from(1);
    };
    let root: ObjectIdentifier = match root.trim_start_matches('.').parse() {
        Ok(oid) => oid,
        Err(e) => {
            eprintln!("csnmp_walk: bad OID {root}: {e:?}");
            return ExitCode::from(1);
        }
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    match runtime.block_on(walk(agent, community, maxrep, root)) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("csnmp_walk: {e}");
            ExitCode::from(1)
        }
    }
}

/// Walks `root`; returns the number of varbinds written.
async fn walk(
    agent: SocketAddr,
    community: &str,
    maxrep: u32,
    root: ObjectIdentifier,
) -> io::Result<u64> {
    let client = Snmp2cClient::new(
        agent,
        community.as_bytes().to_vec(),
        Some("127.0.0.1:0".parse().expect("literal")),
        Some(Duration::from_secs(5)),
        1,
    )
    .await
    .map_err(|e| io::Error::other(format!("client: {e:?}")))?;
    let values = client
        .walk_bulk(root, maxrep)
        .await
        .map_err(|e| io::Error::other(format!("walk: {e:?}")))?;
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut count = 0u64;
    for (oid, value) in &values {
        for arc in oid.as_slice() {
            write!(out, ".{arc}")?;
        }
        writeln!(out, " = {value:?}")?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}
