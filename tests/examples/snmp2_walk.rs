//! A small GETBULK walker on the `snmp2` crate: the Rust peer of
//! `oxsnmp bulkwalk` in the walk benchmark (`bench_walk`).
//!
//! ```text
//! snmp2_walk HOST:PORT COMMUNITY MAXREP ROOT
//! ```
//!
//! Walks the subtree under ROOT (SNMPv2c) with a fixed max-repetitions and
//! writes one line per varbind to stdout, `.OID = value` with the value in
//! `snmp2`'s `Debug` form: about the work of printing, done through a
//! buffered, locked stdout. Stops at the first varbind outside the subtree,
//! at an exception (endOfMibView, ...) or when the agent stops advancing.

use std::io::{self, BufWriter, Write};
use std::process::ExitCode;
use std::time::Duration;

use snmp2::{Oid, SyncSession, Value};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [agent, community, maxrep, root] = args.as_slice() else {
        eprintln!("usage: snmp2_walk HOST:PORT COMMUNITY MAXREP ROOT");
        return ExitCode::from(1);
    };
    let Ok(maxrep) = maxrep.parse::<u32>() else {
        eprintln!("snmp2_walk: MAXREP must be a number, not {maxrep}");
        return ExitCode::from(1);
    };
    let root: Oid<'static> = match root.trim_start_matches('.').parse() {
        Ok(oid) => oid,
        Err(e) => {
            eprintln!("snmp2_walk: bad OID {root}: {e:?}");
            return ExitCode::from(1);
        }
    };
    match walk(agent, community, maxrep, &root) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("snmp2_walk: {e}");
            ExitCode::from(1)
        }
    }
}

/// Walks `root`; returns the number of varbinds written.
fn walk(agent: &str, community: &str, maxrep: u32, root: &Oid<'static>) -> io::Result<u64> {
    // The session holds a 64 KiB receive buffer inline: keep it off the stack.
    let mut session = Box::new(SyncSession::new_v2c(
        agent,
        community.as_bytes(),
        Some(Duration::from_secs(5)),
        1,
    )?);
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut cursor = root.clone();
    let mut count = 0u64;
    loop {
        let pdu = session
            .getbulk(&[&cursor], 0, maxrep)
            .map_err(|e| io::Error::other(format!("getbulk: {e:?}")))?;
        if pdu.error_status != 0 {
            return Err(io::Error::other(format!(
                "error-status {} at index {}",
                pdu.error_status, pdu.error_index
            )));
        }
        let mut last = None;
        let mut done = false;
        for (oid, value) in pdu.varbinds {
            if matches!(
                value,
                Value::EndOfMibView | Value::NoSuchObject | Value::NoSuchInstance
            ) || !oid.starts_with(root)
            {
                done = true;
                break;
            }
            write_oid(&mut out, &oid)?;
            writeln!(out, " = {value:?}")?;
            count += 1;
            last = Some(oid);
        }
        match last {
            // An agent that answers with the OID it was asked for would loop forever.
            Some(oid) if !done && oid != cursor => cursor = oid.to_owned(),
            _ => break,
        }
    }
    out.flush()?;
    Ok(count)
}

/// Writes `.1.3.6...` without building a string first.
fn write_oid(out: &mut impl Write, oid: &Oid<'_>) -> io::Result<()> {
    match oid.iter() {
        Some(arcs) => {
            for arc in arcs {
                write!(out, ".{arc}")?;
            }
            Ok(())
        }
        None => write!(out, ".{oid}"),
    }
}
