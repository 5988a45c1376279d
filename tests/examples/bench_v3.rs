//! SNMPv3 overhead: sequential GET round trips over loopback, SNMPv2c next
//! to SNMPv3 authPriv (SHA-1 + AES-128 and SHA-512 + AES-256), in one run.
//!
//! ```text
//! cargo run --release -p oxsnmp-tests --example bench_v3 -- [--requests 10000] [--runs 9]
//! ```
//!
//! One process: oxsnmp-blocking's `AgentServer` (its own thread) and a
//! `Session` client on the main thread. For each mode, each run sends
//! `--requests` GETs of sysName.0 one after the other and measures the
//! wall time and the process's CPU time (user + system, from
//! /proc/self/stat: client and agent together) per request. Prints the
//! median of the runs per mode and the ratio to SNMPv2c. Key localization
//! happens once per user when the agent and client start, never per message.

use std::time::Instant;

use oxsnmp_blocking::agent::{Access, AgentConfig, MemoryMib, SystemInfo};
use oxsnmp_blocking::{AgentServer, ClientOptions, Session};
use oxsnmp_core::manager::{Request, V3Security};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, SecurityLevel};
use oxsnmp_core::Oid;

const SYS_NAME: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 5, 0]);

/// CPU time of every thread of this process, in seconds, with nanosecond
/// resolution: the sum of /proc/self/task/*/schedstat's first field.
fn cpu_seconds() -> f64 {
    let mut ns: u64 = 0;
    if let Ok(tasks) = std::fs::read_dir("/proc/self/task") {
        for t in tasks.flatten() {
            let stat = std::fs::read_to_string(t.path().join("schedstat")).unwrap_or_default();
            ns += stat
                .split_whitespace()
                .next()
                .and_then(|v| v.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    ns as f64 / 1e9
}

fn user(name: &str, auth: AuthProtocol, privacy: PrivProtocol) -> UsmUser {
    UsmUser::new(name)
        .unwrap()
        .with_auth(auth, Secret::Password(b"bench-auth-pass"))
        .unwrap()
        .with_privacy(privacy, Secret::Password(b"bench-priv-pass"))
        .unwrap()
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
    let requests = arg("--requests", 10_000);
    let runs = arg("--runs", 9);

    let sha1 = user("sha1aes", AuthProtocol::Sha1, PrivProtocol::Aes128);
    let sha512 = user("sha512aes256", AuthProtocol::Sha512, PrivProtocol::Aes256);
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .system(SystemInfo::new("bench").name("bench-agent"))
        .engine_id(EngineId::from_text(99999, "bench"))
        .engine_boots(1)
        .user(sha1.clone(), Access::ReadOnly)
        .user(sha512.clone(), Access::ReadOnly);
    let server = AgentServer::bind(&["udp:127.0.0.1:0"], config, MemoryMib::new()).unwrap();
    let target = format!("udp:{}", server.local_addrs()[0]);

    let modes: Vec<(&str, ClientOptions)> = vec![
        ("SNMPv2c", ClientOptions::default()),
        (
            "SNMPv3 authPriv SHA-1 + AES-128",
            ClientOptions::v3(V3Security::new(sha1, SecurityLevel::AuthPriv)),
        ),
        (
            "SNMPv3 authPriv SHA-512 + AES-256",
            ClientOptions::v3(V3Security::new(sha512, SecurityLevel::AuthPriv)),
        ),
    ];
    println!(
        "{requests} sequential GETs per run, {runs} runs interleaved across modes, medians; CPU is client + agent"
    );
    println!(
        "{:<36} {:>12} {:>12} {:>10}",
        "mode", "wall µs/req", "CPU µs/req", "CPU ratio"
    );
    let mut sessions: Vec<(&str, Session)> = modes
        .into_iter()
        .map(|(name, options)| {
            let mut session = Session::connect(&target, options).unwrap();
            // Warm up: discovery, time synchronization, buffers.
            for _ in 0..200 {
                session.request(Request::get(&[SYS_NAME])).unwrap();
            }
            (name, session)
        })
        .collect();
    let mut walls = vec![Vec::new(); sessions.len()];
    let mut cpus = vec![Vec::new(); sessions.len()];
    // Each run measures every mode in turn, so a burst of load elsewhere
    // on the machine hits the modes alike.
    for _ in 0..runs {
        for (i, (_, session)) in sessions.iter_mut().enumerate() {
            let cpu0 = cpu_seconds();
            let t0 = Instant::now();
            for _ in 0..requests {
                let r = session.request(Request::get(&[SYS_NAME])).unwrap();
                assert_eq!(r.varbinds.len(), 1);
            }
            walls[i].push(t0.elapsed().as_secs_f64() * 1e6 / requests as f64);
            cpus[i].push((cpu_seconds() - cpu0) * 1e6 / requests as f64);
        }
    }
    let base = median(cpus[0].clone());
    for (i, (name, _)) in sessions.iter().enumerate() {
        let (wall, cpu) = (median(walls[i].clone()), median(cpus[i].clone()));
        println!("{name:<36} {wall:>12.1} {cpu:>12.1} {:>9.2}x", cpu / base);
    }
    server.stop();
}
