//! A small GETBULK walker on the `async-snmp` crate: a Rust peer of
//! `oxsnmp bulkwalk` in the walk benchmark (`bench_walk`).
//!
//! ```text
//! async_snmp_walk HOST:PORT COMMUNITY MAXREP ROOT
//! ```
//!
//! Walks the subtree under ROOT (SNMPv2c) with `Client::bulk_walk` at a
//! fixed max-repetitions on a current-thread Tokio runtime and writes one
//! line per varbind to stdout, `.OID = value` with the value in
//! `async-snmp`'s `Debug` form, through a buffered, locked stdout (the same
//! work as `snmp2_walk`).

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;

use async_snmp::{Auth, Client, Oid};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [agent, community, maxrep, root] = args.as_slice() else {
        eprintln!("usage: async_snmp_walk HOST:PORT COMMUNITY MAXREP ROOT");
        return ExitCode::from(1);
    };
    let Ok(maxrep) = maxrep.parse::<u32>() else {
        eprintln!("async_snmp_walk: MAXREP must be a number, not {maxrep}");
        return ExitCode::from(1);
    };
    let root: Oid = match root.trim_start_matches('.').parse() {
        Ok(oid) => oid,
        Err(e) => {
            eprintln!("async_snmp_walk: bad OID {root}: {e}");
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
            eprintln!("async_snmp_walk: {e}");
            ExitCode::from(1)
        }
    }
}

/// Walks `root`; returns the number of varbinds written.
async fn walk(agent: &str, community: &str, maxrep: u32, root: Oid) -> io::Result<u64> {
    let client = Client::builder(agent, Auth::v2c(community))
        .request_timeout(Duration::from_secs(5))
        .connect()
        .await
        .map_err(|e| io::Error::other(format!("connect: {e}")))?;
    let mut walk = client
        .bulk_walk(root, maxrep)
        .map_err(|e| io::Error::other(format!("walk: {e}")))?;
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut count = 0u64;
    while let Some(vb) = walk.next().await {
        let vb = vb.map_err(|e| io::Error::other(format!("walk: {e}")))?;
        for arc in vb.oid.arcs() {
            write!(out, ".{arc}")?;
        }
        writeln!(out, " = {:?}", vb.value)?;
        count += 1;
    }
    out.flush()?;
    Ok(count)
}
