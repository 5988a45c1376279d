//! The notification receiver under hostile input: a script of datagrams (a
//! length byte, then that many bytes) from one of two peers, under one of
//! eight configurations (communities filtered or not, v1 translation on or
//! off, a tiny or a normal maximum message size). Invariants: no panic;
//! every datagram is counted exactly once (`ReceiverStats::accounted`);
//! every acknowledgement goes to the peer that sent the datagram, decodes
//! as a Response-PDU of the inform's version with its request-id, and is
//! never larger than the maximum; an acknowledgement carries the inform's
//! varbinds unless it is the tooBig alternate; every event comes from that
//! peer and that message; delivered counts match the events taken.
//! With mode bit 8, SNMPv3 users too — `ops` with an authentication key
//! (minimum authNoPriv), `guest` without, `strict` with a raised minimum
//! of authPriv — and a byte budget of 64 kB: no event is ever delivered
//! below its user's minimum level, the queue never holds more than the
//! budget, and `handle_datagram` returns a drop reason exactly when a drop
//! counter moved.
#![no_main]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use oxsnmp_core::notify::{NotificationKind, NotificationReceiver, ReceiverConfig};
use oxsnmp_core::usm::{AuthProtocol, Secret, UsmUser};
use oxsnmp_core::v3::SecurityLevel;
use oxsnmp_core::{MessageRef, PduType};

/// The least level each fuzzed user is configured to accept.
fn min_level_of(user: &[u8]) -> SecurityLevel {
    match user {
        b"guest" => SecurityLevel::NoAuthNoPriv,
        b"strict" => SecurityLevel::AuthPriv,
        _ => SecurityLevel::AuthNoPriv,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, mut rest)) = data.split_first() else {
        return;
    };
    let mut config = ReceiverConfig::new().translate_v1(mode & 2 != 0);
    if mode & 1 != 0 {
        config = config.community("public").community("traps");
    }
    let max = if mode & 4 == 0 { 65507 } else { 60 };
    config.max_message_size = max;
    config.max_queued_events = 8;
    let v3 = mode & 8 != 0;
    if v3 {
        let keyed = |name: &str| {
            UsmUser::new(name)
                .and_then(|u| u.with_auth(AuthProtocol::Sha1, Secret::Password(b"auth-pass-1")))
                .unwrap_or_else(|_| unreachable!())
        };
        let guest = UsmUser::new("guest").unwrap_or_else(|_| unreachable!());
        config = config
            .user(None, keyed("ops"))
            .user(None, guest)
            .user_with_min_level(None, keyed("strict"), SecurityLevel::AuthPriv)
            .with_entropy(1);
        config.max_queued_bytes = 64 << 10;
    }
    let budget = config.max_queued_bytes;
    let mut receiver = NotificationReceiver::new(config);
    let start = Instant::now();
    let peers: [SocketAddr; 2] = [
        "127.0.0.1:40001".parse().unwrap_or_else(|_| unreachable!()),
        "[::1]:40002".parse().unwrap_or_else(|_| unreachable!()),
    ];
    let mut step = 0u64;
    let mut events = 0u64;
    while let Some((&len, tail)) = rest.split_first() {
        let n = usize::from(len).min(tail.len());
        let (datagram, after) = tail.split_at(n);
        rest = after;
        step += 1;
        let from = peers[(step % 2) as usize];
        let now = start + Duration::from_secs(step * 7);
        let dropped_before = receiver.stats().dropped();
        let reason = receiver.handle_datagram(now, from, datagram);
        assert_eq!(
            reason.is_some(),
            receiver.stats().dropped() > dropped_before,
            "a drop reason exactly when a drop is counted: {reason:?}"
        );
        assert!(receiver.queued_bytes() <= budget);
        let request = MessageRef::decode(datagram).ok();
        if request.is_none() {
            // SNMPv3 (or garbage): answered with Reports at most, and any
            // event must respect its user's minimum level.
            while receiver.poll_transmit().is_some() {}
            while let Some(e) = receiver.poll_event() {
                events += 1;
                let source = e.v3.as_ref().expect("only SNMPv3 beyond v1/v2c");
                assert!(v3);
                assert!(
                    source.level >= min_level_of(&source.user_name),
                    "{:?} delivered at {}",
                    source.user_name,
                    source.level
                );
            }
            let stats = receiver.stats();
            assert!(stats.accounted(), "{stats:?}");
            assert_eq!(stats.delivered(), events);
            continue;
        }
        while let Some(tx) = receiver.poll_transmit() {
            assert_eq!(tx.destination, from, "acknowledgement goes to the sender");
            assert!(tx.payload.len() <= max, "{} > {max}", tx.payload.len());
            let ack = MessageRef::decode(&tx.payload).expect("acknowledgement decodes");
            let req = request
                .as_ref()
                .expect("only a decodable inform is answered");
            let inform = req.pdu().expect("an inform, not a v1 trap");
            assert_eq!(inform.pdu_type, PduType::InformRequest);
            let pdu = ack.pdu().expect("a Response");
            assert_eq!(pdu.pdu_type, PduType::Response);
            assert_eq!((ack.version, ack.community), (req.version, req.community));
            assert_eq!(pdu.request_id, inform.request_id);
            assert_eq!(pdu.error_index, 0);
            match pdu.error_status {
                0 => assert_eq!(pdu.varbinds, inform.varbinds, "varbinds echoed"),
                1 => assert!(pdu.varbinds.is_empty(), "tooBig alternate is empty"),
                other => panic!("error-status {other}"),
            }
        }
        while let Some(e) = receiver.poll_event() {
            events += 1;
            assert_eq!(e.source, from);
            assert_eq!(e.received_at, now);
            let req = request
                .as_ref()
                .expect("only a decodable message is delivered");
            assert_eq!(e.version, req.version);
            assert_eq!(e.community, req.community);
            assert_eq!(e.kind == NotificationKind::TrapV1, req.pdu().is_none());
            assert_eq!(e.v1.is_some(), e.kind == NotificationKind::TrapV1);
        }
        let stats = receiver.stats();
        assert_eq!(stats.datagrams_in, step);
        assert!(stats.accounted(), "{stats:?}");
        assert_eq!(stats.delivered(), events);
    }
});
