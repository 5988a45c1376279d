//! A GETBULK walker on `oxsnmp-core` alone, driven inline on one thread:
//! the floor the walk benchmark (`bench_walk`) compares the CLI against,
//! showing what the driver thread of `oxsnmp-blocking` and Net-SNMP-style
//! rendering cost.
//!
//! ```text
//! core_walk HOST:PORT COMMUNITY MAXREP|adaptive ROOT
//! ```
//!
//! Output: one line per varbind, `.OID = value` with the value in its
//! `Debug` form, through a buffered, locked stdout (the same work as
//! `snmp2_walk`).

use std::io::{self, BufWriter, Write};
use std::net::{SocketAddr, UdpSocket};
use std::process::ExitCode;
use std::time::Instant;

use oxsnmp_core::manager::{Event, Manager, ManagerConfig, Request, Response, Target};
use oxsnmp_core::walk::{Repetitions, Walk, WalkOptions};
use oxsnmp_core::{Oid, Version};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [agent, community, reps, root] = args.as_slice() else {
        eprintln!("usage: core_walk HOST:PORT COMMUNITY MAXREP|adaptive ROOT");
        return ExitCode::from(1);
    };
    let repetitions = match reps.as_str() {
        "adaptive" => Repetitions::default(),
        n => match n.parse() {
            Ok(n) => Repetitions::Fixed(n),
            Err(_) => {
                eprintln!("core_walk: MAXREP must be a number or `adaptive`");
                return ExitCode::from(1);
            }
        },
    };
    let parsed = (
        agent.parse::<SocketAddr>(),
        root.trim_start_matches('.').parse::<Oid>(),
    );
    let (Ok(agent), Ok(root)) = parsed else {
        eprintln!("core_walk: bad address or OID");
        return ExitCode::from(1);
    };
    match walk(agent, community, repetitions, root) {
        Ok(_) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("core_walk: {e}");
            ExitCode::from(1)
        }
    }
}

fn walk(agent: SocketAddr, community: &str, reps: Repetitions, root: Oid) -> io::Result<u64> {
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let mut manager = Manager::new(ManagerConfig::with_seed(7));
    let target = Target::new(agent, Version::V2c, community);
    let mut walk = Walk::new(root, Version::V2c, WalkOptions::bulk(reps));
    let mut out = BufWriter::with_capacity(64 * 1024, io::stdout().lock());
    let mut buf = vec![0u8; 65535];
    let mut count = 0u64;
    while let Some(request) = walk.next_request() {
        let response = exchange(&mut manager, &socket, &target, request, &mut buf)?;
        let varbinds = walk
            .handle_response(response)
            .map_err(|e| io::Error::other(e.to_string()))?;
        for vb in &varbinds {
            for arc in vb.oid.arcs() {
                write!(out, ".{arc}")?;
            }
            writeln!(out, " = {:?}", vb.value)?;
        }
        count += varbinds.len() as u64;
    }
    out.flush()?;
    Ok(count)
}

/// One request through the manager: send, then receive until it completes.
fn exchange(
    manager: &mut Manager,
    socket: &UdpSocket,
    target: &Target,
    request: Request,
    buf: &mut [u8],
) -> io::Result<Response> {
    manager
        .send_request(Instant::now(), target, request)
        .map_err(|e| io::Error::other(e.to_string()))?;
    let mut read_timeout = None;
    loop {
        while let Some(t) = manager.poll_transmit() {
            socket.send_to(&t.payload, t.destination)?;
        }
        if let Some(Event::Completed { result, .. }) = manager.poll_event() {
            return result.map_err(|e| io::Error::other(e.to_string()));
        }
        let wait = manager
            .poll_timeout()
            .map(|d| d.saturating_duration_since(Instant::now()));
        if wait.is_some_and(|w| w.is_zero()) {
            manager.handle_timeout(Instant::now());
            continue;
        }
        // Set once per request; the manager retransmits on the next turn.
        if read_timeout.is_none() {
            socket.set_read_timeout(wait)?;
            read_timeout = wait;
        }
        match socket.recv_from(buf) {
            Ok((n, from)) => {
                manager.handle_datagram(Instant::now(), from, buf.get(..n).unwrap_or_default())
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                manager.handle_timeout(Instant::now());
            }
            Err(e) => return Err(e),
        }
    }
}
