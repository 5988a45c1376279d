//! Notifications over real loopback sockets, through each runtime: every
//! runtime's sender to every runtime's listener, floods of bad input, and
//! the agent servers' own notifications.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use oxsnmp_core::agent::AgentConfig;
use oxsnmp_core::manager::{ClientError, Target};
use oxsnmp_core::notify::{
    oids, Notification, NotificationKind, ReceiverConfig, ReceiverStats, Trap,
};
use oxsnmp_core::{Message, Oid, Pdu, PduType, TrapV1Pdu, Value, VarBind, Version};
use oxsnmp_tests::notify_runtimes::{agent, listener, sender, TestListener, RUNTIMES};
use oxsnmp_tests::runtimes::Options;

const WAIT: Duration = Duration::from_secs(10);

fn oid(s: &str) -> Oid {
    s.parse().expect("valid OID in test")
}

fn sample(tag: &str) -> Notification {
    Notification::new(4242, oid("1.3.6.1.4.1.99999.0.3"))
        .varbind(oid("1.3.6.1.2.1.1.5.0"), tag)
        .varbind(
            oid("1.3.6.1.2.1.2.2.1.10.2"),
            Value::Counter32(4_000_000_000),
        )
        .varbind(
            oid("1.3.6.1.2.1.31.1.1.1.6.2"),
            Value::Counter64(u64::MAX - 1),
        )
        .varbind(oid("1.3.6.1.2.1.2.2.1.7.2"), Value::Integer(-2))
        .varbind(
            oid("1.3.6.1.4.1.99999.9"),
            Value::IpAddress(Ipv4Addr::new(10, 9, 8, 7)),
        )
        .varbind(
            oid("1.3.6.1.4.1.99999.10"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999.77")),
        )
        .varbind(
            oid("1.3.6.1.4.1.99999.11"),
            Value::OctetString(vec![0, 0xff, 0x80]),
        )
        .varbind(oid("1.3.6.1.4.1.99999.12"), Value::Gauge32(5))
        .varbind(oid("1.3.6.1.4.1.99999.13"), Value::TimeTicks(100))
}

fn v1_trap(specific: i32) -> TrapV1Pdu {
    TrapV1Pdu {
        enterprise: oid("1.3.6.1.4.1.99999.5"),
        agent_addr: Ipv4Addr::new(127, 0, 0, 9),
        generic_trap: 6,
        specific_trap: specific,
        time_stamp: 777,
        varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("v1"))],
    }
}

fn options(version: Version, community: &str) -> Options {
    Options {
        version,
        community: community.into(),
        timeout: Duration::from_millis(500),
        retries: 3,
        ..Options::default()
    }
}

fn target_of(l: &dyn TestListener) -> String {
    let addr = l.local_addrs()[0];
    format!("udp:{}:{}", addr.ip(), addr.port())
}

#[test]
fn every_runtime_sends_to_every_runtime() {
    for receiving in RUNTIMES {
        let mut l = listener(
            receiving,
            &["udp:127.0.0.1:0"],
            ReceiverConfig::new().community("public"),
        );
        let target = target_of(l.as_ref());
        for sending in RUNTIMES {
            let what = format!("{sending} -> {receiving}");
            let v2 = sender(sending, &target, &options(Version::V2c, "public"));
            let v1 = sender(sending, &target, &options(Version::V1, "public"));

            v2.trap(Trap::V2(sample(&what))).expect("trap sent");
            let e = l.next(WAIT).unwrap_or_else(|| panic!("{what}: no trap"));
            assert_eq!(
                (e.kind, e.version),
                (NotificationKind::Trap, Version::V2c),
                "{what}"
            );
            assert_eq!(
                e.notification,
                sample(&what),
                "{what}: every varbind with its type"
            );
            assert_eq!(e.community, b"public");
            assert!(e.source.ip().is_loopback());

            v2.inform(&sample(&what)).expect("inform acknowledged");
            let e = l.next(WAIT).unwrap_or_else(|| panic!("{what}: no inform"));
            assert_eq!(e.kind, NotificationKind::Inform, "{what}");
            assert_eq!(e.notification, sample(&what));

            v1.trap(Trap::V1(v1_trap(3))).expect("v1 trap sent");
            let e = l.next(WAIT).unwrap_or_else(|| panic!("{what}: no v1 trap"));
            assert_eq!(
                (e.kind, e.version),
                (NotificationKind::TrapV1, Version::V1),
                "{what}"
            );
            let f = e.v1.clone().expect("v1 fields");
            assert_eq!(
                (
                    f.enterprise,
                    f.agent_addr,
                    f.generic_trap,
                    f.specific_trap,
                    f.time_stamp
                ),
                (
                    oid("1.3.6.1.4.1.99999.5"),
                    Ipv4Addr::new(127, 0, 0, 9),
                    6,
                    3,
                    777
                )
            );
            assert_eq!(e.trap_oid(), &oid("1.3.6.1.4.1.99999.5.0.3"));

            // An SNMPv2 form to an SNMPv1 client is translated (RFC 3584 §3.2).
            let no_c64 = Notification::new(9, oid("1.3.6.1.4.1.99999.0.4"))
                .varbind(oid("1.3.6.1.2.1.1.5.0"), "x");
            v1.trap(Trap::V2(no_c64)).expect("translated trap sent");
            let e = l
                .next(WAIT)
                .unwrap_or_else(|| panic!("{what}: no translated trap"));
            assert_eq!(e.kind, NotificationKind::TrapV1);
            assert_eq!(e.trap_oid(), &oid("1.3.6.1.4.1.99999.0.4"));
            // ...unless it holds a Counter64.
            assert!(matches!(
                v1.trap(Trap::V2(sample(&what))),
                Err(ClientError::Send(_))
            ));
            assert!(matches!(
                v1.inform(&sample(&what)),
                Err(ClientError::Send(_))
            ));
        }
        let s = l.stats();
        assert_eq!(
            (s.traps, s.informs, s.v1_traps),
            (3, 3, 6),
            "{receiving}: {s:?}"
        );
        assert!(s.accounted());
    }
}

#[test]
fn an_inform_nobody_answers_times_out() {
    let silent = UdpSocket::bind("127.0.0.1:0").unwrap();
    let target = format!("udp:{}", silent.local_addr().unwrap());
    for runtime in RUNTIMES {
        let mut o = options(Version::V2c, "public");
        o.timeout = Duration::from_millis(100);
        o.retries = 1;
        let s = sender(runtime, &target, &o);
        assert!(
            matches!(s.inform(&sample("x")), Err(ClientError::Timeout(_))),
            "{runtime}"
        );
    }
}

/// Sends `datagrams` from one socket in paced chunks, waiting until the
/// listener has counted each chunk, so the kernel never drops for lack of
/// buffer space (that would make "all valid ones delivered" meaningless).
/// Collects the answers on the way; returns the counters and the answers.
fn paced(
    l: &dyn TestListener,
    socket: &UdpSocket,
    to: SocketAddr,
    datagrams: &[Vec<u8>],
) -> (ReceiverStats, Vec<(SocketAddr, Vec<u8>)>) {
    let start = l.stats().datagrams_in;
    let mut sent = 0u64;
    let mut answers = Vec::new();
    let mut buf = [0u8; 4096];
    let mut drain = |answers: &mut Vec<(SocketAddr, Vec<u8>)>| {
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            answers.push((from, buf[..n].to_vec()));
        }
    };
    socket
        .set_read_timeout(Some(Duration::from_millis(1)))
        .unwrap();
    for chunk in datagrams.chunks(100) {
        for d in chunk {
            socket.send_to(d, to).expect("send");
        }
        sent += chunk.len() as u64;
        let deadline = Instant::now() + WAIT;
        while l.stats().datagrams_in < start + sent {
            assert!(
                Instant::now() < deadline,
                "{}: listener stalled at {:?}",
                l.runtime(),
                l.stats()
            );
            drain(&mut answers);
        }
        drain(&mut answers);
    }
    socket
        .set_read_timeout(Some(Duration::from_millis(300)))
        .unwrap();
    drain(&mut answers);
    (l.stats(), answers)
}

fn trap_bytes(community: &str, pdu_type: PduType, id: i32, n: &Notification) -> Vec<u8> {
    let pdu = Pdu {
        pdu_type,
        request_id: id,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    };
    Message::new(Version::V2c, community, pdu).to_bytes()
}

#[test]
fn floods_of_bad_input_are_counted_and_valid_ones_still_delivered() {
    for runtime in RUNTIMES {
        let mut l = listener(
            runtime,
            &["udp:127.0.0.1:0"],
            ReceiverConfig::new().community("public"),
        );
        let to = l.local_addrs()[0];
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let good = trap_bytes("public", PduType::SnmpV2Trap, 1, &sample("good"));
        let mut datagrams = Vec::new();
        let mut expected = ReceiverStats::default();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for i in 0..3000u32 {
            match i % 6 {
                // Truncated valid messages: undecodable.
                0 => {
                    let cut = 1 + (next() as usize) % (good.len() - 1);
                    datagrams.push(good[..cut].to_vec());
                    expected.parse_errors += 1;
                }
                // Random bytes that do not start a SEQUENCE.
                1 => {
                    let mut b: Vec<u8> = (0..1 + next() % 200).map(|_| next() as u8).collect();
                    b[0] = 0x04;
                    datagrams.push(b);
                    expected.parse_errors += 1;
                }
                // Bad communities, traps and informs.
                2 => {
                    datagrams.push(trap_bytes(
                        "private",
                        PduType::InformRequest,
                        i as i32,
                        &sample("bad"),
                    ));
                    expected.bad_community_names += 1;
                }
                // Not notifications.
                3 => {
                    datagrams.push(trap_bytes(
                        "public",
                        PduType::GetRequest,
                        i as i32,
                        &sample("get"),
                    ));
                    expected.unexpected_pdus += 1;
                }
                // Missing sysUpTime.0 / snmpTrapOID.0.
                4 => {
                    let pdu = Pdu::request(PduType::SnmpV2Trap, 1, &[oid("1.3.6.1.2.1.1.5.0")]);
                    datagrams.push(Message::new(Version::V2c, "public", pdu).to_bytes());
                    expected.malformed_notifications += 1;
                }
                // Every sixth: a valid trap or inform.
                _ => {
                    let n = sample(&format!("valid {i}"));
                    if i % 12 == 5 {
                        datagrams.push(trap_bytes("public", PduType::SnmpV2Trap, i as i32, &n));
                        expected.traps += 1;
                    } else {
                        datagrams.push(trap_bytes("public", PduType::InformRequest, i as i32, &n));
                        expected.informs += 1;
                    }
                }
            }
        }
        let (s, answers) = paced(l.as_ref(), &socket, to, &datagrams);
        assert_eq!(s.datagrams_in, 3000, "{runtime}");
        assert_eq!(
            (
                s.parse_errors,
                s.bad_community_names,
                s.unexpected_pdus,
                s.malformed_notifications
            ),
            (
                expected.parse_errors,
                expected.bad_community_names,
                expected.unexpected_pdus,
                expected.malformed_notifications
            ),
            "{runtime}: {s:?}"
        );
        assert_eq!(
            (s.traps, s.informs),
            (expected.traps, expected.informs),
            "{runtime}"
        );
        assert!(s.accounted(), "{runtime}: {s:?}");
        // Every valid one delivered, in order, with its content.
        for i in (0..3000u32).filter(|i| i % 6 == 5) {
            let e = l
                .next(WAIT)
                .unwrap_or_else(|| panic!("{runtime}: valid notification {i} missing"));
            assert_eq!(e.notification, sample(&format!("valid {i}")), "{runtime}");
            assert_eq!(e.request_id, i as i32);
        }
        assert!(
            l.next(Duration::from_millis(50)).is_none(),
            "{runtime}: nothing else delivered"
        );
        // Exactly the valid informs were acknowledged, from the listening socket.
        for (from, bytes) in &answers {
            assert_eq!(*from, to);
            let m = oxsnmp_core::MessageRef::decode(bytes).expect("a well-formed acknowledgement");
            assert_eq!(m.pdu().unwrap().pdu_type, PduType::Response);
        }
        assert_eq!(answers.len() as u64, expected.informs, "{runtime}");
    }
}

#[test]
fn agent_servers_send_cold_start_and_their_own_notifications() {
    let mut l = listener("blocking", &["udp:127.0.0.1:0"], ReceiverConfig::new());
    let to = l.local_addrs()[0];
    for runtime in RUNTIMES {
        let config = AgentConfig::new()
            .notify(Target::new(to, Version::V2c, "v2-traps"))
            .notify(Target::new(to, Version::V1, "v1-traps"));
        let a = agent(runtime, config);
        let mut got: Vec<_> = (0..2)
            .map(|_| {
                l.next(WAIT)
                    .unwrap_or_else(|| panic!("{runtime}: coldStart"))
            })
            .collect();
        got.sort_by_key(|e| e.community.clone());
        assert_eq!(
            (got[0].kind, got[0].trap_oid()),
            (NotificationKind::TrapV1, &oids::COLD_START)
        );
        assert_eq!(got[0].v1.as_ref().unwrap().generic_trap, 0);
        assert_eq!(
            (got[1].kind, got[1].trap_oid()),
            (NotificationKind::Trap, &oids::COLD_START)
        );

        let vbs = vec![VarBind::new(
            oid("1.3.6.1.4.1.99999.1.0"),
            Value::from(runtime),
        )];
        assert_eq!(
            a.send_notification(oid("1.3.6.1.4.1.99999.0.9"), vbs.clone()),
            2,
            "{runtime}"
        );
        let mut got: Vec<_> = (0..2)
            .map(|_| {
                l.next(WAIT)
                    .unwrap_or_else(|| panic!("{runtime}: notification"))
            })
            .collect();
        got.sort_by_key(|e| e.community.clone());
        for e in &got {
            assert_eq!(e.varbinds(), &vbs[..], "{runtime}");
        }
        assert_eq!(got[0].v1.as_ref().unwrap().specific_trap, 9);
        assert_eq!(got[1].trap_oid(), &oid("1.3.6.1.4.1.99999.0.9"));
    }
}

/// SNMPv3 datagrams from a core manager: traps from `engine` (the
/// manager's own), or informs to `receiver_engine` (known, clock set), for
/// `user` at authPriv.
mod v3_msgs {
    use super::*;
    use oxsnmp_core::manager::{Manager, ManagerConfig, Request, V3Security};
    use oxsnmp_core::usm::UsmUser;
    use oxsnmp_core::v3::{EngineId, SecurityLevel};

    pub fn trap(engine: &EngineId, user: &UsmUser, n: &Notification, to: SocketAddr) -> Vec<u8> {
        let now = Instant::now();
        let mut m = Manager::new(ManagerConfig::with_seed(11));
        m.set_local_engine(engine.clone(), 3, now);
        let t = Target::v3(to, V3Security::new(user.clone(), SecurityLevel::AuthPriv));
        m.send_trap(now, &t, n.clone()).unwrap();
        m.poll_transmit().unwrap().payload
    }

    pub fn inform(
        receiver_engine: &EngineId,
        user: &UsmUser,
        n: &Notification,
        to: SocketAddr,
    ) -> Vec<u8> {
        let now = Instant::now();
        let mut m = Manager::new(ManagerConfig::with_seed(12));
        m.set_engine_time(receiver_engine.as_bytes(), 1, 0, now);
        let security = V3Security::new(user.clone(), SecurityLevel::AuthPriv)
            .engine_id(receiver_engine.clone());
        m.send_request(now, &Target::v3(to, security), Request::inform(n))
            .unwrap();
        m.poll_transmit().unwrap().payload
    }
}

#[test]
fn floods_of_bad_snmpv3_notifications_are_counted_and_valid_ones_still_delivered() {
    use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
    use oxsnmp_core::v3::{EngineId, MsgFlags, ScopedPdu, SecurityLevel, UsmParams, V3Message};

    let sender_engine = EngineId::from_text(99999, "flood-sender");
    let own = EngineId::from_text(99999, "flood-listener");
    let mk = |name: &str, pass: &[u8]| {
        UsmUser::new(name)
            .unwrap()
            .with_auth(AuthProtocol::Sha1, Secret::Password(pass))
            .unwrap()
            .with_privacy(PrivProtocol::Aes128, Secret::Password(b"flood-priv-pw"))
            .unwrap()
    };
    let tied = mk("tied", b"flood-auth-pw");
    let any = mk("any", b"flood-auth-pw2");
    for runtime in RUNTIMES {
        let config = ReceiverConfig::new()
            .engine_id(own.clone())
            .user(Some(sender_engine.clone()), tied.clone())
            .user(None, any.clone());
        let mut l = listener(runtime, &["udp:127.0.0.1:0"], config);
        let to = l.local_addrs()[0];
        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        let mut datagrams = Vec::new();
        let mut expected = ReceiverStats::default();
        let mut valid = Vec::new();
        let mut reports = 0u64;
        let good = v3_msgs::trap(&sender_engine, &tied, &sample("template"), to);
        for i in 0..600u32 {
            let n = sample(&format!("v3 {i}"));
            match i % 8 {
                // Truncated SNMPv3 messages.
                0 => {
                    datagrams.push(good[..1 + (i as usize * 7) % (good.len() - 1)].to_vec());
                    expected.parse_errors += 1;
                }
                // An unknown user.
                1 => {
                    datagrams.push(v3_msgs::trap(
                        &sender_engine,
                        &mk("nobody", b"flood-auth-pw"),
                        &n,
                        to,
                    ));
                    expected.usm_unknown_user_names += 1;
                }
                // A user tied to another engine than the sender's.
                2 => {
                    let other = EngineId::from_text(99999, "someone-else");
                    datagrams.push(v3_msgs::trap(&other, &tied, &n, to));
                    expected.usm_unknown_user_names += 1;
                }
                // Informs with a bad digest (wrong password): reported.
                3 => {
                    datagrams.push(v3_msgs::inform(
                        &own,
                        &mk("any", b"not-the-password"),
                        &n,
                        to,
                    ));
                    expected.usm_wrong_digests += 1;
                    reports += 1;
                }
                // A tampered digest: flip one octet of a valid trap's body.
                4 => {
                    let mut t = v3_msgs::trap(&sender_engine, &tied, &n, to);
                    let last = t.len() - 1;
                    t[last] ^= 0x5a;
                    datagrams.push(t);
                    expected.usm_wrong_digests += 1;
                }
                // Informs for an unknown engine ID: reported (discovery).
                5 => {
                    let foreign = EngineId::from_text(99999, "not-this-listener");
                    datagrams.push(v3_msgs::inform(&foreign, &any, &n, to));
                    expected.usm_unknown_engine_ids += 1;
                    reports += 1;
                }
                // An engine ID of illegal length on an unauthenticated trap.
                6 => {
                    let m = V3Message {
                        msg_id: i as i32,
                        max_size: 65507,
                        flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, false),
                        usm: UsmParams {
                            engine_id: vec![1, 2, 3],
                            user_name: b"any".to_vec(),
                            ..UsmParams::default()
                        },
                        scoped: ScopedPdu::new(
                            vec![],
                            vec![],
                            Pdu {
                                pdu_type: PduType::SnmpV2Trap,
                                request_id: 1,
                                error_status: 0,
                                error_index: 0,
                                varbinds: n.to_varbinds(),
                            },
                        ),
                    };
                    datagrams.push(m.to_bytes());
                    expected.usm_unknown_engine_ids += 1;
                }
                // Valid: a trap from the tied user's engine, or an inform.
                _ => {
                    if i % 16 == 7 {
                        datagrams.push(v3_msgs::trap(&sender_engine, &tied, &n, to));
                        expected.traps += 1;
                    } else {
                        datagrams.push(v3_msgs::inform(&own, &any, &n, to));
                        expected.informs += 1;
                    }
                    valid.push(n);
                }
            }
        }
        let (s, answers) = paced(l.as_ref(), &socket, to, &datagrams);
        assert_eq!(s.datagrams_in, 600, "{runtime}");
        assert_eq!(
            (
                s.parse_errors,
                s.usm_unknown_user_names,
                s.usm_wrong_digests,
                s.usm_unknown_engine_ids,
                s.usm_decryption_errors,
            ),
            (
                expected.parse_errors,
                expected.usm_unknown_user_names,
                expected.usm_wrong_digests,
                expected.usm_unknown_engine_ids,
                0,
            ),
            "{runtime}: {s:?}"
        );
        assert_eq!(
            (s.traps, s.informs),
            (expected.traps, expected.informs),
            "{runtime}"
        );
        assert!(s.accounted(), "{runtime}: {s:?}");
        for n in &valid {
            let e = l
                .next(WAIT)
                .unwrap_or_else(|| panic!("{runtime}: a valid notification is missing"));
            assert_eq!(&e.notification, n, "{runtime}");
            assert_eq!(e.version, Version::V3);
        }
        assert!(
            l.next(Duration::from_millis(50)).is_none(),
            "{runtime}: nothing else delivered"
        );
        // Acknowledgements of the valid informs, Reports for the bad digests
        // and the unknown engines: all SNMPv3, all from the listening socket.
        for (from, bytes) in &answers {
            assert_eq!(*from, to);
            assert!(
                oxsnmp_core::v3::V3MessageRef::decode(bytes).is_ok(),
                "{runtime}"
            );
        }
        assert_eq!(
            answers.len() as u64,
            expected.informs + reports,
            "{runtime}"
        );
    }
}
