//! Notifications end to end without sockets: the originator's messages
//! (Manager::send_trap, Request::Inform), the receiver's decisions and
//! counters, informs acknowledged and completed once, and hostile input.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use oxsnmp_core::ber::writer;
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, SendError, Target,
};
use oxsnmp_core::notify::{
    oids, Notification, NotificationError, NotificationEvent, NotificationKind,
    NotificationReceiver, ReceiverConfig, Trap,
};
use oxsnmp_core::{
    AnyPdu, Message, MessageRef, Oid, Pdu, PduType, TrapV1Pdu, Value, VarBind, Version,
};

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

const SENDER: &str = "192.0.2.7:50000";

fn sender() -> SocketAddr {
    SENDER.parse().unwrap()
}

fn sample() -> Notification {
    Notification::new(123_456, oid("1.3.6.1.4.1.8072.2.3.0.1"))
        .varbind(oid("1.3.6.1.2.1.1.5.0"), "router-1")
        .varbind(oid("1.3.6.1.2.1.2.2.1.10.3"), Value::Counter32(7))
        .varbind(oid("1.3.6.1.2.1.31.1.1.1.6.3"), Value::Counter64(u64::MAX))
        .varbind(
            oid("1.3.6.1.2.1.4.20.1.1.10.0.0.1"),
            Value::IpAddress([10, 0, 0, 1].into()),
        )
        .varbind(oid("1.3.6.1.4.1.1.1"), Value::OctetString(vec![0, 1, 0xff]))
}

fn v2_message(pdu_type: PduType, request_id: i32, community: &str, n: &Notification) -> Vec<u8> {
    let pdu = Pdu {
        pdu_type,
        request_id,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    };
    Message::new(Version::V2c, community, pdu).to_bytes()
}

fn v1_trap() -> TrapV1Pdu {
    TrapV1Pdu {
        enterprise: oid("1.3.6.1.4.1.8072.3.2.10"),
        agent_addr: Ipv4Addr::new(192, 0, 2, 99),
        generic_trap: 6,
        specific_trap: 17,
        time_stamp: 4242,
        varbinds: vec![VarBind::new(
            oid("1.3.6.1.2.1.1.5.0"),
            Value::from("v1 box"),
        )],
    }
}

fn v1_message(community: &str, t: TrapV1Pdu) -> Vec<u8> {
    Message {
        version: Version::V1,
        community: community.as_bytes().to_vec(),
        pdu: AnyPdu::TrapV1(t),
    }
    .to_bytes()
}

fn drain(r: &mut NotificationReceiver) -> Vec<NotificationEvent> {
    std::iter::from_fn(|| r.poll_event()).collect()
}

#[test]
fn v2c_trap_becomes_one_event_and_no_answer() {
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    let now = Instant::now();
    r.handle_datagram(
        now,
        sender(),
        &v2_message(PduType::SnmpV2Trap, 77, "public", &sample()),
    );
    let events = drain(&mut r);
    assert_eq!(events.len(), 1);
    let e = &events[0];
    assert_eq!(e.received_at, now);
    assert_eq!(e.source, sender());
    assert_eq!(e.version, Version::V2c);
    assert_eq!(e.community, b"public");
    assert_eq!(e.kind, NotificationKind::Trap);
    assert_eq!(e.request_id, 77);
    assert_eq!(
        e.notification,
        sample(),
        "varbinds with their types, in order"
    );
    assert_eq!(e.v1, None);
    assert!(r.poll_transmit().is_none(), "traps are not answered");
    let s = r.stats();
    assert_eq!((s.datagrams_in, s.traps, s.responses), (1, 1, 0));
    assert!(s.accounted());
}

#[test]
fn v1_trap_has_its_fields_and_the_rfc3584_v2_form() {
    for translate in [false, true] {
        let mut r = NotificationReceiver::new(ReceiverConfig::new().translate_v1(translate));
        r.handle_datagram(Instant::now(), sender(), &v1_message("traps", v1_trap()));
        let e = r.poll_event().unwrap();
        assert_eq!(
            (e.kind, e.version, e.request_id),
            (NotificationKind::TrapV1, Version::V1, 0)
        );
        let v1 = e.v1.clone().unwrap();
        assert_eq!(v1.enterprise, oid("1.3.6.1.4.1.8072.3.2.10"));
        assert_eq!(v1.agent_addr, Ipv4Addr::new(192, 0, 2, 99));
        assert_eq!(
            (v1.generic_trap, v1.specific_trap, v1.time_stamp),
            (6, 17, 4242)
        );
        assert_eq!(e.sys_up_time(), 4242);
        assert_eq!(e.trap_oid(), &oid("1.3.6.1.4.1.8072.3.2.10.0.17"));
        assert_eq!(e.varbinds()[0].value, Value::from("v1 box"));
        if translate {
            assert_eq!(e.varbinds().len(), 4);
            assert_eq!(
                e.varbinds()[1],
                VarBind::new(oids::SNMP_TRAP_ADDRESS_0, Value::IpAddress(v1.agent_addr))
            );
            assert_eq!(
                e.varbinds()[2],
                VarBind::new(oids::SNMP_TRAP_COMMUNITY_0, Value::from("traps"))
            );
            assert_eq!(
                e.varbinds()[3],
                VarBind::new(
                    oids::SNMP_TRAP_ENTERPRISE_0,
                    Value::ObjectIdentifier(v1.enterprise)
                )
            );
        } else {
            assert_eq!(e.varbinds().len(), 1);
        }
        assert_eq!(r.stats().v1_traps, 1);
    }
    // A generic trap: the standard trap OID; an undefined one is malformed.
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    let mut t = v1_trap();
    t.generic_trap = 2;
    r.handle_datagram(Instant::now(), sender(), &v1_message("x", t.clone()));
    assert_eq!(r.poll_event().unwrap().trap_oid(), &oids::LINK_DOWN);
    t.generic_trap = 9;
    r.handle_datagram(Instant::now(), sender(), &v1_message("x", t.clone()));
    t.generic_trap = 6;
    t.specific_trap = -3;
    r.handle_datagram(Instant::now(), sender(), &v1_message("x", t));
    assert!(r.poll_event().is_none());
    assert_eq!(r.stats().malformed_notifications, 2);
    assert!(r.stats().accounted());
}

#[test]
fn inform_is_acknowledged_with_the_same_request_id_and_varbinds() {
    let mut r = NotificationReceiver::new(ReceiverConfig::new().community("public"));
    let now = Instant::now();
    let inform = v2_message(PduType::InformRequest, -12345, "public", &sample());
    r.handle_datagram(now, sender(), &inform);
    let e = r.poll_event().unwrap();
    assert_eq!((e.kind, e.request_id), (NotificationKind::Inform, -12345));
    assert_eq!(e.notification, sample());
    let ack = r.poll_transmit().unwrap();
    assert_eq!(ack.destination, sender());
    let expected = Message::new(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::Response,
            request_id: -12345,
            error_status: 0,
            error_index: 0,
            varbinds: sample().to_varbinds(),
        },
    )
    .to_bytes();
    assert_eq!(ack.payload, expected, "RFC 3416 §4.2.7 (2)");
    assert!(r.poll_transmit().is_none());

    // The retransmission (our answer was lost) is answered, not delivered.
    r.handle_datagram(now + Duration::from_secs(1), sender(), &inform);
    assert!(r.poll_event().is_none());
    let mut buf = Vec::new();
    assert_eq!(r.poll_transmit_into(&mut buf), Some(sender()));
    assert_eq!(buf, expected);
    // Another inform reusing the request-id is a new one.
    let other = v2_message(
        PduType::InformRequest,
        -12345,
        "public",
        &Notification::new(1, oids::WARM_START),
    );
    r.handle_datagram(now + Duration::from_secs(2), sender(), &other);
    assert_eq!(r.poll_event().unwrap().trap_oid(), &oids::WARM_START);
    // The same bytes from another sender too.
    r.handle_datagram(now, "192.0.2.8:50000".parse().unwrap(), &inform);
    assert!(r.poll_event().is_some());
    // Long after the memory window the same bytes count as new.
    r.handle_datagram(now + Duration::from_secs(3600), sender(), &inform);
    assert!(r.poll_event().is_some());
    let s = r.stats();
    assert_eq!((s.informs, s.duplicate_informs, s.responses), (4, 1, 5));
    assert!(s.accounted());
}

#[test]
fn communities_filter_when_configured_and_any_is_accepted_otherwise() {
    let trap = |c: &str| v2_message(PduType::SnmpV2Trap, 1, c, &sample());
    let mut open = NotificationReceiver::new(ReceiverConfig::new());
    for c in ["public", "", "anything at all"] {
        open.handle_datagram(Instant::now(), sender(), &trap(c));
    }
    assert_eq!(drain(&mut open).len(), 3);

    let mut closed =
        NotificationReceiver::new(ReceiverConfig::new().community("a").community("bb"));
    for c in ["a", "bb", "b", "bbb", "A", "", "public"] {
        closed.handle_datagram(Instant::now(), sender(), &trap(c));
    }
    let got: Vec<Vec<u8>> = drain(&mut closed)
        .into_iter()
        .map(|e| e.community)
        .collect();
    assert_eq!(got, [b"a".to_vec(), b"bb".to_vec()]);
    // An inform with a bad community is not answered either.
    closed.handle_datagram(
        Instant::now(),
        sender(),
        &v2_message(PduType::InformRequest, 1, "x", &sample()),
    );
    assert!(closed.poll_transmit().is_none());
    let s = closed.stats();
    assert_eq!((s.bad_community_names, s.traps), (6, 2));
    assert!(s.accounted());
}

#[test]
fn versions_and_pdu_types_that_are_not_notifications_are_counted() {
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    let n = sample();
    for t in [
        PduType::GetRequest,
        PduType::GetNextRequest,
        PduType::Response,
        PduType::SetRequest,
        PduType::GetBulkRequest,
        PduType::Report,
    ] {
        r.handle_datagram(Instant::now(), sender(), &v2_message(t, 1, "public", &n));
    }
    let mut v3 = v2_message(PduType::SnmpV2Trap, 1, "public", &n);
    let at = v3.windows(3).position(|w| w == [2, 1, 1]).unwrap() + 2;
    v3[at] = 3; // msgVersion 3 (a community message in v3 clothing)
    r.handle_datagram(Instant::now(), sender(), &v3);
    let mut v2 = v3.clone();
    v2[at] = 2;
    r.handle_datagram(Instant::now(), sender(), &v2);
    let s = r.stats();
    assert_eq!(
        (s.unexpected_pdus, s.v3_unsupported, s.bad_versions),
        (6, 1, 1)
    );
    assert!(r.poll_event().is_none());

    let mut v2c_only = NotificationReceiver::new({
        let mut c = ReceiverConfig::new();
        c.v1 = false;
        c
    });
    v2c_only.handle_datagram(Instant::now(), sender(), &v1_message("public", v1_trap()));
    assert_eq!(v2c_only.stats().bad_versions, 1);
    assert!(v2c_only.poll_event().is_none());
    assert!(r.stats().accounted() && v2c_only.stats().accounted());
}

#[test]
fn notifications_without_sysuptime_and_trap_oid_first_are_malformed() {
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    let good = sample().to_varbinds();
    let mut swapped = good.clone();
    swapped.swap(0, 1);
    let mut wrong_type = good.clone();
    wrong_type[0].value = Value::Integer(5);
    let mut wrong_oid_type = good.clone();
    wrong_oid_type[1].value = Value::from("1.3.6");
    for (t, vbs) in [
        (PduType::SnmpV2Trap, vec![]),
        (PduType::SnmpV2Trap, good[..1].to_vec()),
        (PduType::SnmpV2Trap, swapped),
        (PduType::InformRequest, wrong_type),
        (PduType::InformRequest, wrong_oid_type),
    ] {
        let pdu = Pdu {
            pdu_type: t,
            request_id: 1,
            error_status: 0,
            error_index: 0,
            varbinds: vbs,
        };
        r.handle_datagram(
            Instant::now(),
            sender(),
            &Message::new(Version::V2c, "p", pdu).to_bytes(),
        );
    }
    assert!(r.poll_event().is_none());
    assert!(
        r.poll_transmit().is_none(),
        "a malformed inform is not acknowledged"
    );
    assert_eq!(r.stats().malformed_notifications, 5);
    assert!(r.stats().accounted());
}

#[test]
fn full_queues_drop_and_leave_informs_unanswered() {
    let config = {
        let mut c = ReceiverConfig::new();
        c.max_queued_events = 2;
        c
    };
    let mut r = NotificationReceiver::new(config);
    for id in 0..3 {
        r.handle_datagram(
            Instant::now(),
            sender(),
            &v2_message(PduType::InformRequest, id, "p", &sample()),
        );
    }
    assert_eq!(r.stats().event_queue_drops, 1);
    let acks: Vec<_> = std::iter::from_fn(|| r.poll_transmit()).collect();
    assert_eq!(
        acks.len(),
        2,
        "the dropped inform is not acknowledged, so it is retried"
    );
    assert_eq!(drain(&mut r).len(), 2);
    // Room again: the retry is delivered (it was never remembered).
    r.handle_datagram(
        Instant::now(),
        sender(),
        &v2_message(PduType::InformRequest, 2, "p", &sample()),
    );
    assert_eq!(drain(&mut r).len(), 1);

    let config = {
        let mut c = ReceiverConfig::new();
        c.max_queued_responses = 1;
        c
    };
    let mut r = NotificationReceiver::new(config);
    for id in 0..2 {
        r.handle_datagram(
            Instant::now(),
            sender(),
            &v2_message(PduType::InformRequest, id, "p", &sample()),
        );
    }
    assert_eq!(r.stats().response_queue_drops, 1);
    assert_eq!(
        drain(&mut r).len(),
        1,
        "not delivered when it cannot be answered"
    );
    assert!(r.stats().accounted());
}

/// The largest notification a UDP datagram carries: 9,000 varbinds of
/// `1.3 = NULL` (seven octets each) in about 63 kB.
fn maximal() -> Notification {
    let mut n = Notification::new(1, oid("1.3.6.1.4.1.8072.2.3.0.1"));
    for _ in 0..9000 {
        n = n.varbind(oid("1.3"), Value::Null);
    }
    n
}

#[test]
fn the_event_queue_is_bounded_in_bytes_and_informs_over_it_go_unanswered() {
    let budget = 4 << 20;
    let config = {
        let mut c = ReceiverConfig::new();
        c.max_queued_bytes = budget;
        c
    };
    let mut r = NotificationReceiver::new(config);
    let trap = v2_message(PduType::SnmpV2Trap, 1, "p", &maximal());
    assert!(
        trap.len() > 60_000 && trap.len() <= 65_507,
        "{}",
        trap.len()
    );
    // 200 of them would take far more than the budget once decoded.
    for _ in 0..200 {
        r.handle_datagram(Instant::now(), sender(), &trap);
        assert!(
            r.queued_bytes() <= budget,
            "{} > {budget}",
            r.queued_bytes()
        );
    }
    let kept = r.queued_events();
    assert!(kept > 0 && kept < 200, "{kept}");
    assert_eq!(r.stats().event_queue_drops, 200 - kept as u64);
    // An inform over the budget is dropped and not acknowledged, so its
    // sender retries.
    let small = v2_message(PduType::InformRequest, 7, "p", &sample());
    let mut informs = 0;
    while r.queued_bytes() + 2048 < budget {
        // Fill what is left with small notifications.
        r.handle_datagram(
            Instant::now(),
            sender(),
            &v2_message(PduType::SnmpV2Trap, 2, "p", &sample()),
        );
        informs += 1;
        assert!(informs < 100_000);
    }
    let before = r.stats().event_queue_drops;
    let mut filled = 0;
    while r.stats().event_queue_drops == before {
        r.handle_datagram(
            Instant::now(),
            sender(),
            &v2_message(PduType::SnmpV2Trap, 3, "p", &sample()),
        );
        filled += 1;
        assert!(filled < 1000);
    }
    r.handle_datagram(Instant::now(), sender(), &small);
    assert!(
        r.poll_transmit().is_none(),
        "an inform not queued is not acknowledged"
    );
    // Taking events frees their bytes: the retry is delivered and answered.
    let taken = drain(&mut r);
    assert!(taken.iter().all(|e| e.request_id != 7));
    assert_eq!(r.queued_bytes(), 0);
    let sizes: usize = taken
        .iter()
        .take(kept)
        .map(NotificationEvent::memory_size)
        .sum();
    assert!(sizes <= budget && sizes > budget / 2, "{sizes}");
    r.handle_datagram(Instant::now(), sender(), &small);
    assert!(r.poll_transmit().is_some());
    assert_eq!(drain(&mut r).len(), 1);
    assert!(r.stats().accounted());
}

#[test]
fn oversized_inform_gets_the_alternate_toobig_response() {
    let inform = v2_message(PduType::InformRequest, 9, "public", &sample());
    let config = {
        let mut c = ReceiverConfig::new();
        c.max_message_size = inform.len() - 1;
        c
    };
    let mut r = NotificationReceiver::new(config);
    r.handle_datagram(Instant::now(), sender(), &inform);
    assert!(
        r.poll_event().is_none(),
        "processing terminates (RFC 3416 §4.2.7)"
    );
    let ack = r.poll_transmit().unwrap();
    let m = MessageRef::decode(&ack.payload).unwrap();
    let p = m.pdu().unwrap();
    assert_eq!(
        (
            p.pdu_type,
            p.request_id,
            p.error_status,
            p.error_index,
            p.varbinds.len()
        ),
        (PduType::Response, 9, 1, 0, 0)
    );
    assert_eq!(r.stats().too_bigs, 1);

    let config = {
        let mut c = ReceiverConfig::new();
        c.max_message_size = 20;
        c
    };
    let mut r = NotificationReceiver::new(config);
    r.handle_datagram(Instant::now(), sender(), &inform);
    assert!(r.poll_transmit().is_none() && r.poll_event().is_none());
    assert_eq!(r.stats().silent_drops, 1);
    assert!(r.stats().accounted());
}

/// A small xorshift generator for the hostile-input rounds.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn floods_of_garbage_and_bad_communities_never_stop_valid_notifications() {
    let mut r = NotificationReceiver::new(ReceiverConfig::new().community("public"));
    let seeds = [
        v2_message(PduType::SnmpV2Trap, 5, "public", &sample()),
        v2_message(PduType::InformRequest, 6, "public", &sample()),
        v1_message("public", v1_trap()),
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    let mut valid_sent = 0u64;
    for round in 0..200_000u64 {
        let bytes = match round % 10 {
            // A valid notification every tenth datagram, with a fresh request-id.
            0 => {
                valid_sent += 1;
                match round % 3 {
                    0 => v2_message(PduType::SnmpV2Trap, round as i32, "public", &sample()),
                    1 => v2_message(PduType::InformRequest, round as i32, "public", &sample()),
                    _ => v1_message("public", v1_trap()),
                }
            }
            1 => v2_message(PduType::SnmpV2Trap, 1, "wrong", &sample()),
            2 => (0..rng.next() % 64).map(|_| rng.next() as u8).collect(),
            _ => {
                let mut b = seeds[(rng.next() % 3) as usize].clone();
                for _ in 0..1 + rng.next() % 4 {
                    let i = (rng.next() as usize) % b.len();
                    match rng.next() % 4 {
                        0 => b[i] = rng.next() as u8,
                        1 => b[i] ^= 0x80,
                        2 => b.truncate(i),
                        _ => b.insert(i, rng.next() as u8),
                    }
                    if b.is_empty() {
                        break;
                    }
                }
                b
            }
        };
        r.handle_datagram(Instant::now(), sender(), &bytes);
        while r.poll_transmit().is_some() {}
        while let Some(e) = r.poll_event() {
            // Whatever got through decoded fully and is well-formed.
            assert!(!e.trap_oid().is_empty());
        }
    }
    let s = r.stats();
    assert_eq!(s.datagrams_in, 200_000);
    assert!(s.accounted(), "{s:?}");
    assert!(
        s.delivered() >= valid_sent,
        "every valid notification delivered: {s:?}"
    );
    assert!(s.bad_community_names >= 20_000, "{s:?}");
    assert!(s.parse_errors > 50_000, "{s:?}");
}

// ---------------------------------------------------------------------------
// The originator

#[test]
fn send_trap_encodes_each_version() {
    let mut m = Manager::new(ManagerConfig::with_seed(3));
    let dest: SocketAddr = "192.0.2.9:162".parse().unwrap();
    let now = Instant::now();
    // SNMPv2c: SNMPv2-Trap with the two leading varbinds.
    m.send_trap(now, &Target::new(dest, Version::V2c, "c2"), sample())
        .unwrap();
    let tx = m.poll_transmit().unwrap();
    assert_eq!(tx.destination, dest);
    let msg = MessageRef::decode(&tx.payload).unwrap();
    assert_eq!((msg.version, msg.community), (Version::V2c, &b"c2"[..]));
    let pdu = msg.pdu().unwrap().to_owned();
    assert_eq!(pdu.pdu_type, PduType::SnmpV2Trap);
    assert_eq!(
        Notification::from_varbinds(&pdu.varbinds).unwrap(),
        sample()
    );
    // SNMPv1: the Trap-PDU as given.
    m.send_trap(now, &Target::new(dest, Version::V1, "c1"), v1_trap())
        .unwrap();
    let back = MessageRef::decode(&m.poll_transmit().unwrap().payload)
        .unwrap()
        .to_owned();
    assert_eq!(back.pdu, AnyPdu::TrapV1(v1_trap()));
    // SNMPv1 target, SNMPv2 form: translated; with a Counter64 it cannot be.
    let n = Notification::new(5, oid("1.3.6.1.4.1.9.0.3")).varbind(oid("1.3.6.1.2.1.1.5.0"), "x");
    m.send_trap(now, &Target::new(dest, Version::V1, "c1"), n)
        .unwrap();
    let AnyPdu::TrapV1(t) = MessageRef::decode(&m.poll_transmit().unwrap().payload)
        .unwrap()
        .to_owned()
        .pdu
    else {
        panic!("a Trap-PDU")
    };
    assert_eq!(
        (t.enterprise, t.generic_trap, t.specific_trap, t.time_stamp),
        (oid("1.3.6.1.4.1.9"), 6, 3, 5)
    );
    assert_eq!(
        m.send_trap(now, &Target::new(dest, Version::V1, "c1"), sample()),
        Err(SendError::Notification(NotificationError::Counter64InV1))
    );
    assert!(matches!(
        m.send_trap(now, &Target::new(dest, Version::V3, "c1"), sample()),
        Err(SendError::UnsupportedVersion(Version::V3))
    ));
    assert!(m.poll_transmit().is_none());
    assert_eq!(m.outstanding(), 0, "traps keep no state");
    assert!(m.poll_event().is_none(), "traps complete nothing");
    assert!(matches!(
        Trap::from(sample()).to_pdu(Version::V2c, 1),
        Ok(AnyPdu::Pdu(Pdu {
            pdu_type: PduType::SnmpV2Trap,
            ..
        }))
    ));
}

#[test]
fn inform_through_the_manager_completes_once_with_the_echo() {
    let dest: SocketAddr = "192.0.2.9:162".parse().unwrap();
    let me: SocketAddr = "192.0.2.1:40000".parse().unwrap();
    let mut m = Manager::new(ManagerConfig::with_seed(11));
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    let t0 = Instant::now();
    let target = Target::new(dest, Version::V2c, "public");
    assert_eq!(
        m.send_request(
            t0,
            &Target::new(dest, Version::V1, "public"),
            Request::inform(&sample())
        ),
        Err(SendError::InformNotInV1)
    );
    let h = m
        .send_request(t0, &target, Request::inform(&sample()))
        .unwrap();
    // The first copy is lost; the retry arrives.
    let first = m.poll_transmit().unwrap();
    let p = MessageRef::decode(&first.payload).unwrap();
    assert_eq!(p.pdu().unwrap().pdu_type, PduType::InformRequest);
    let retry_at = m.poll_timeout().unwrap();
    m.handle_timeout(retry_at);
    let retry = m.poll_transmit().unwrap();
    assert_eq!(
        retry.payload, first.payload,
        "a retransmission is the same message"
    );
    r.handle_datagram(retry_at, me, &retry.payload);
    // The acknowledgement is duplicated on the way back.
    let ack = r.poll_transmit().unwrap();
    m.handle_datagram(retry_at, dest, &ack.payload);
    m.handle_datagram(retry_at, dest, &ack.payload);
    let mut completions = Vec::new();
    while let Some(Event::Completed { handle, result }) = m.poll_event() {
        completions.push((handle, result));
    }
    assert_eq!(completions.len(), 1, "completed exactly once");
    let (handle, result) = completions.pop().unwrap();
    assert_eq!(handle, h);
    let response = result.unwrap();
    assert_eq!(
        Notification::from_varbinds(&response.varbinds).unwrap(),
        sample()
    );
    assert_eq!(m.stats().late_responses, 1);
    assert_eq!(r.stats().informs, 1);

    // Nobody answers: a timeout, once.
    let h = m
        .send_request(t0, &target, Request::inform(&sample()))
        .unwrap();
    let mut now = t0;
    while let Some(d) = m.poll_timeout() {
        now = d;
        m.handle_timeout(now);
        while m.poll_transmit().is_some() {}
    }
    let Some(Event::Completed { handle, result }) = m.poll_event() else {
        panic!()
    };
    assert_eq!((handle, result), (h, Err(RequestError::Timeout(dest))));
    assert!(m.poll_event().is_none());
    assert!(now > t0);
}

#[test]
fn hand_built_inform_with_error_fields_is_answered_with_zeros() {
    // An inform whose error-status/index are not zero (nothing says they
    // must be): the response still carries noError and 0 (RFC 3416 §4.2.7 (2)).
    let vbs = sample().to_varbinds();
    let mut vbl = Vec::new();
    for vb in &vbs {
        vb.encode(&mut vbl);
    }
    let mut pdu = Vec::new();
    writer::write_i64(&mut pdu, 0x02, 99);
    writer::write_i64(&mut pdu, 0x02, 5);
    writer::write_i64(&mut pdu, 0x02, 2);
    writer::write_bytes(&mut pdu, 0x30, &vbl);
    let mut content = Vec::new();
    writer::write_i64(&mut content, 0x02, 1);
    writer::write_bytes(&mut content, 0x04, b"public");
    writer::write_bytes(&mut content, 0xa6, &pdu);
    let mut msg = Vec::new();
    writer::write_bytes(&mut msg, 0x30, &content);
    let mut r = NotificationReceiver::new(ReceiverConfig::new());
    r.handle_datagram(Instant::now(), sender(), &msg);
    assert!(r.poll_event().is_some());
    let ack = r.poll_transmit().unwrap();
    let m = MessageRef::decode(&ack.payload).unwrap();
    let p = m.pdu().unwrap();
    assert_eq!((p.request_id, p.error_status, p.error_index), (99, 0, 0));
    assert_eq!(p.varbinds.to_vec(), vbs);
}

// ---------------------------------------------------------------------------
// The agent as originator

mod agent {
    use super::*;
    use oxsnmp_core::agent::{Access, Agent, AgentConfig, MemoryMib, SystemInfo};

    const SYS_OBJECT_ID: &str = "1.3.6.1.4.1.99999.42";

    fn receivers() -> (SocketAddr, SocketAddr) {
        (
            "192.0.2.10:162".parse().unwrap(),
            "192.0.2.11:162".parse().unwrap(),
        )
    }

    fn agent(authen_traps: bool) -> (Agent<MemoryMib>, Instant) {
        let (v2, v1) = receivers();
        let mut config = AgentConfig::new()
            .community("public", Access::ReadOnly)
            .community("private", Access::ReadWrite)
            .system(SystemInfo::new("box").object_id(oid(SYS_OBJECT_ID)))
            .notify(Target::new(v2, Version::V2c, "traps2"))
            .notify(Target::new(v1, Version::V1, "traps1"));
        config.enable_authen_traps = authen_traps;
        config.notifications.agent_addr = Ipv4Addr::new(192, 0, 2, 1);
        let start = Instant::now();
        (Agent::new(config, MemoryMib::new(), start), start)
    }

    fn received(agent: &mut Agent<MemoryMib>) -> Vec<(SocketAddr, NotificationEvent)> {
        let mut out = Vec::new();
        while let Some(tx) = agent.poll_transmit() {
            let mut r = NotificationReceiver::new(ReceiverConfig::new());
            r.handle_datagram(
                Instant::now(),
                "192.0.2.1:161".parse().unwrap(),
                &tx.payload,
            );
            let e = r.poll_event().expect("a notification");
            out.push((tx.destination, e));
        }
        out
    }

    fn get(community: &str) -> Vec<u8> {
        Message::new(
            Version::V2c,
            community,
            Pdu::request(PduType::GetRequest, 1, &[oid("1.3.6.1.2.1.1.5.0")]),
        )
        .to_bytes()
    }

    #[test]
    fn cold_start_goes_to_every_target_in_its_version() {
        let (mut agent, _) = agent(false);
        let got = received(&mut agent);
        let (v2, v1) = receivers();
        assert_eq!(got.len(), 2);
        let (to, e) = &got[0];
        assert_eq!(
            (*to, e.kind, e.community.as_slice()),
            (v2, NotificationKind::Trap, &b"traps2"[..])
        );
        assert_eq!(e.trap_oid(), &oids::COLD_START);
        assert_eq!(e.sys_up_time(), 0);
        assert_eq!(
            e.varbinds(),
            [VarBind::new(
                oids::SNMP_TRAP_ENTERPRISE_0,
                Value::ObjectIdentifier(oid(SYS_OBJECT_ID))
            )]
        );
        let (to, e) = &got[1];
        assert_eq!(
            (*to, e.kind, e.community.as_slice()),
            (v1, NotificationKind::TrapV1, &b"traps1"[..])
        );
        let f = e.v1.clone().unwrap();
        assert_eq!(
            (f.enterprise, f.agent_addr, f.generic_trap, f.specific_trap),
            (oid(SYS_OBJECT_ID), Ipv4Addr::new(192, 0, 2, 1), 0, 0)
        );
        assert_eq!(agent.stats().out_traps, 2);
        // Without targets, nothing.
        let mut quiet = Agent::new(AgentConfig::new(), MemoryMib::new(), Instant::now());
        assert!(quiet.poll_transmit().is_none());
    }

    #[test]
    fn authentication_failure_only_while_enabled() {
        let (mut agent, start) = agent(false);
        received(&mut agent);
        let from: SocketAddr = "192.0.2.50:4000".parse().unwrap();
        agent.handle_datagram(start, from, &get("wrong"));
        assert!(
            agent.poll_transmit().is_none(),
            "disabled: no trap, no answer"
        );

        // snmpEnableAuthenTraps.0 := enabled(1) by SET.
        let enable = Message::new(
            Version::V2c,
            "private",
            Pdu {
                pdu_type: PduType::SetRequest,
                request_id: 2,
                error_status: 0,
                error_index: 0,
                varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.11.30.0"), Value::Integer(1))],
            },
        );
        agent.handle_datagram(start, from, &enable.to_bytes());
        let answer = agent.poll_transmit().unwrap();
        assert_eq!(answer.destination, from);
        assert_eq!(
            MessageRef::decode(&answer.payload)
                .unwrap()
                .pdu()
                .unwrap()
                .error_status,
            0
        );

        let later = start + Duration::from_secs(3);
        agent.handle_datagram(later, from, &get("wrong"));
        let got = received(&mut agent);
        assert_eq!(got.len(), 2);
        for (_, e) in &got {
            assert_eq!(e.trap_oid(), &oids::AUTHENTICATION_FAILURE);
            assert_eq!(e.sys_up_time(), 300);
        }
        assert_eq!(got[1].1.v1.as_ref().unwrap().generic_trap, 4);
        // A good community answers and sends nothing else.
        agent.handle_datagram(later, from, &get("public"));
        assert_eq!(agent.poll_transmit().unwrap().destination, from);
        assert!(agent.poll_transmit().is_none());
        assert_eq!(agent.stats().in_bad_community_names, 2);
    }

    #[test]
    fn user_notifications_and_their_limits() {
        let (mut agent, start) = agent(true);
        received(&mut agent);
        let vbs = vec![
            VarBind::new(oid("1.3.6.1.4.1.99999.1.0"), Value::from("disk full")),
            VarBind::new(oid("1.3.6.1.4.1.99999.2.0"), Value::Gauge32(97)),
        ];
        let sent = agent.send_notification(
            start + Duration::from_millis(1230),
            oid("1.3.6.1.4.1.99999.0.7"),
            vbs.clone(),
        );
        assert_eq!(sent, 2);
        let got = received(&mut agent);
        assert_eq!(got[0].1.varbinds(), &vbs[..]);
        assert_eq!(got[0].1.sys_up_time(), 123);
        let f = got[1].1.v1.clone().unwrap();
        assert_eq!(
            (f.enterprise, f.generic_trap, f.specific_trap),
            (oid("1.3.6.1.4.1.99999"), 6, 7)
        );
        assert_eq!(got[1].1.varbinds(), &vbs[..]);
        // A Counter64 cannot go to the SNMPv1 target; the SNMPv2c one gets it.
        let c64 = vec![VarBind::new(
            oid("1.3.6.1.4.1.99999.3.0"),
            Value::Counter64(1 << 40),
        )];
        assert_eq!(
            agent.send_notification(start, oid("1.3.6.1.4.1.99999.0.8"), c64),
            1
        );
        assert_eq!(received(&mut agent).len(), 1);
        // The transmit queue bounds traps too.
        let (v2, _) = receivers();
        let mut config = AgentConfig::new().notify(Target::new(v2, Version::V2c, "t"));
        config.max_queued_responses = 3;
        let mut small = Agent::new(config, MemoryMib::new(), start);
        for _ in 0..5 {
            small.send_notification(start, oid("1.3.6.1.4.1.1.0.1"), vec![]);
        }
        assert_eq!(small.stats().queue_drops, 3);
        assert_eq!(received(&mut small).len(), 3);
    }
}
