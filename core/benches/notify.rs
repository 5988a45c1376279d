//! Notification receiver benchmark: one SNMPv2c linkDown trap (157 octets,
//! sysUpTime.0, snmpTrapOID.0 and four varbinds), and the same as an inform,
//! through `NotificationReceiver::handle_datagram` and `poll_event` (and,
//! for the inform, `poll_transmit_into` for its acknowledgement). The
//! whole-process figures (through the runtimes' listeners, and against
//! snmptrapd) come from `tests/examples/bench_notify.rs`; both are in
//! BENCHMARKS.md, section "Notifications".
//!
//! Run with `cargo bench -p oxsnmp-core --bench notify`.

use std::hint::black_box;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxsnmp_core::manager::{Manager, ManagerConfig, Target, V3Security};
use oxsnmp_core::notify::{oids, Notification, NotificationReceiver, ReceiverConfig};
use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
use oxsnmp_core::v3::{EngineId, SecurityLevel};
use oxsnmp_core::{Message, Pdu, PduType, Value, Version};

/// The linkDown every benchmark sends: sysUpTime.0, snmpTrapOID.0 and
/// four varbinds.
fn link_down() -> Notification {
    let oid = |s: &str| s.parse().expect("literal OID");
    Notification::new(123_456, oids::LINK_DOWN)
        .varbind(oid("1.3.6.1.2.1.2.2.1.1.7"), Value::Integer(7))
        .varbind(oid("1.3.6.1.2.1.2.2.1.7.7"), Value::Integer(1))
        .varbind(oid("1.3.6.1.2.1.2.2.1.8.7"), Value::Integer(2))
        .varbind(oid("1.3.6.1.2.1.2.2.1.2.7"), "GigabitEthernet0/7")
}

fn message(pdu_type: PduType, request_id: i32) -> Vec<u8> {
    let n = link_down();
    let pdu = Pdu {
        pdu_type,
        request_id,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    };
    Message::new(Version::V2c, "public", pdu).to_bytes()
}

fn receiver(c: &mut Criterion) {
    let from: SocketAddr = "127.0.0.1:40000".parse().expect("literal");
    let now = Instant::now();
    let mut group = c.benchmark_group("receiver");
    group.throughput(Throughput::Elements(1));

    let trap = message(PduType::SnmpV2Trap, 1_234_567);
    let mut r = NotificationReceiver::new(ReceiverConfig::new().community("public"));
    group.bench_function("v2c trap", |b| {
        b.iter(|| {
            r.handle_datagram(now, from, black_box(&trap));
            black_box(r.poll_event())
        })
    });

    // Informs with a fresh request-id each (no duplicate suppression), and
    // their acknowledgements.
    let informs: Vec<Vec<u8>> = (0..4096)
        .map(|i| message(PduType::InformRequest, i))
        .collect();
    let mut config = ReceiverConfig::new().community("public");
    config.remembered_informs = 4096;
    let mut r = NotificationReceiver::new(config);
    let mut ack = Vec::new();
    let (mut i, mut round) = (0usize, 0u64);
    group.bench_function("v2c inform + ack", |b| {
        b.iter(|| {
            i = (i + 1) % informs.len();
            if i == 0 {
                round += 1;
            }
            // Each round past the memory window, so its informs are new.
            let at = now + Duration::from_secs(120 * round);
            r.handle_datagram(at, from, black_box(&informs[i]));
            black_box(r.poll_transmit_into(&mut ack));
            black_box(r.poll_event())
        })
    });

    // SNMPv3 authPriv traps from a known engine (the user tied to it, keys
    // localized once): authentication, timeliness, decryption, delivery.
    for (name, auth, privacy) in [
        (
            "v3 authPriv trap SHA-1 + AES-128",
            AuthProtocol::Sha1,
            PrivProtocol::Aes128,
        ),
        (
            "v3 authPriv trap SHA-512 + AES-256",
            AuthProtocol::Sha512,
            PrivProtocol::Aes256,
        ),
    ] {
        let user = UsmUser::new("bench")
            .and_then(|u| u.with_auth(auth, Secret::Password(b"bench-auth-pass")))
            .and_then(|u| u.with_privacy(privacy, Secret::Password(b"bench-priv-pass")))
            .expect("valid user");
        let engine = EngineId::from_text(99999, "bench-sender");
        let mut m = Manager::new(ManagerConfig::with_seed(1));
        m.set_local_engine(engine.clone(), 1, now);
        let target = Target::v3(from, V3Security::new(user.clone(), SecurityLevel::AuthPriv));
        m.send_trap(now, &target, link_down()).expect("trap");
        let v3_trap = m.poll_transmit().expect("trap datagram").payload;
        let mut r = NotificationReceiver::new(ReceiverConfig::new().user(Some(engine), user));
        group.bench_function(name, |b| {
            b.iter(|| {
                r.handle_datagram(now, from, black_box(&v3_trap));
                black_box(r.poll_event().expect("delivered"))
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = receiver
}
criterion_main!(benches);
