//! SNMPv3 against SNMPv2c inside the core: one GET round trip — the
//! manager encodes (and signs and encrypts), the agent checks, decrypts,
//! answers (encrypts, signs), the manager checks and decrypts the answer —
//! with no sockets, so the figures are the protocol's own CPU. The
//! whole-process comparison over loopback is `tests/examples/bench_v3.rs`;
//! both are in BENCHMARKS.md, section "SNMPv3".
//!
//! Run with `cargo bench -p oxsnmp-core --bench v3`.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion};
use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib, SystemInfo};
use oxsnmp_core::manager::{Event, Manager, ManagerConfig, Request, Target, V3Security};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, SecurityLevel};
use oxsnmp_core::{Oid, Version};

const SYS_NAME: Oid = Oid::from_static(&[1, 3, 6, 1, 2, 1, 1, 5, 0]);

fn user(name: &str, auth: AuthProtocol, privacy: PrivProtocol) -> UsmUser {
    UsmUser::new(name)
        .and_then(|u| u.with_auth(auth, Secret::Password(b"bench-auth-pass")))
        .and_then(|u| u.with_privacy(privacy, Secret::Password(b"bench-priv-pass")))
        .expect("valid user")
}

fn round_trips(c: &mut Criterion) {
    let sha1 = user("sha1", AuthProtocol::Sha1, PrivProtocol::Aes128);
    let sha512 = user("sha512", AuthProtocol::Sha512, PrivProtocol::Aes256);
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .system(SystemInfo::new("bench").name("bench-agent"))
        .engine_id(EngineId::from_text(99999, "bench"))
        .engine_boots(1)
        .user(sha1.clone(), Access::ReadOnly)
        .user(sha512.clone(), Access::ReadOnly);
    let now = Instant::now();
    let mut agent = Agent::new(config, MemoryMib::new(), now);
    let mut manager = Manager::new(ManagerConfig::with_seed(1));
    let a: SocketAddr = "127.0.0.1:161".parse().expect("literal");
    let m: SocketAddr = "127.0.0.1:50000".parse().expect("literal");
    let targets = [
        ("SNMPv2c", Target::new(a, Version::V2c, "public")),
        (
            "SNMPv3 authPriv SHA-1 + AES-128",
            Target::v3(a, V3Security::new(sha1, SecurityLevel::AuthPriv)),
        ),
        (
            "SNMPv3 authPriv SHA-512 + AES-256",
            Target::v3(a, V3Security::new(sha512, SecurityLevel::AuthPriv)),
        ),
    ];
    let mut group = c.benchmark_group("get round trip");
    for (name, target) in &targets {
        let mut once = || {
            manager
                .send_request(now, target, Request::get(&[SYS_NAME]))
                .expect("sent");
            loop {
                while let Some(tx) = manager.poll_transmit() {
                    agent.handle_datagram(now, m, &tx.payload);
                    while let Some(r) = agent.poll_transmit() {
                        manager.handle_datagram(now, a, &r.payload);
                    }
                }
                if let Some(Event::Completed { result, .. }) = manager.poll_event() {
                    return black_box(result.is_ok());
                }
            }
        };
        // Discovery and time synchronization happen once, before measuring.
        assert!(once());
        group.bench_function(*name, |b| b.iter(&mut once));
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = round_trips
}
criterion_main!(benches);
