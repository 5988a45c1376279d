//! The hostile-input suite at the agent: every class of
//! `oxsnmp_tests::hostile` (truncation at every offset of v1, v2c and v3
//! requests, overflowing lengths, deep nesting, long OIDs and huge
//! sub-identifiers, long integers, wrong tags and versions, zero,
//! duplicated and thousands of varbinds, oversized GETBULK, and SNMPv3
//! with mangled security parameters), first through the core `Agent`, then
//! as datagrams over loopback to each runtime's `AgentServer`. Each case
//! must give its counter (snmpInASNParseErrs, snmpInBadVersions,
//! usmStatsWrongDigests, ...) or its Report or Response, and a valid
//! request right after it must be served.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use oxsnmp_core::agent::{Agent, AgentStats};
use oxsnmp_core::usm::{UserKeys, UsmUser};
use oxsnmp_core::v3::SecurityLevel;
use oxsnmp_core::{ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, Version};
use oxsnmp_tests::agent_fixture::{self, Runtime, Served, SYS_DESCR};
use oxsnmp_tests::hostile::{
    check, community_cases, community_request, config, engine_id, open_v3, scoped_get, sys_descr,
    users, v3_cases, v3_request, Case,
};

/// A valid request the agent must answer after a case: SNMPv2c for the
/// community classes, SNMPv3 authPriv (user `shaaes`) for the v3 ones.
struct Valid {
    users: Vec<UsmUser>,
    keys: UserKeys,
    next: i32,
}

impl Valid {
    fn new(users: &[UsmUser]) -> Self {
        Valid {
            users: users.to_vec(),
            keys: users[1].keys_for(engine_id().as_bytes()),
            next: 0x7000_0000,
        }
    }

    /// A request and its request-id.
    fn request(&mut self, v3: bool, time: u32) -> (Vec<u8>, i32) {
        self.next += 1;
        let id = self.next;
        if !v3 {
            return (community_request(Version::V2c, id, &[sys_descr()]), id);
        }
        let scoped = scoped_get(engine_id().as_bytes(), b"", id, &[sys_descr()]);
        let spec = v3_request(
            &self.users[1],
            &self.keys,
            SecurityLevel::AuthPriv,
            time,
            id,
            &scoped,
        );
        (spec.build(Some(&self.keys)), id)
    }

    /// Whether `answer` serves the valid request `id`: sysDescr.0 with the
    /// fixture's value.
    fn serves(&self, answer: &[u8], id: i32) -> bool {
        let pdu = match MessageRef::decode(answer) {
            Ok(m) => match m.pdu() {
                Some(p) => p.to_owned(),
                None => return false,
            },
            Err(_) => match open_v3(answer, &self.users) {
                Ok((SecurityLevel::AuthPriv, p)) => p,
                _ => return false,
            },
        };
        pdu.pdu_type == PduType::Response
            && pdu.request_id == id
            && pdu.status() == ErrorStatus::NoError
            && pdu.varbinds.len() == 1
            && pdu.varbinds[0].value == Value::from(SYS_DESCR)
    }
}

fn all_cases(users: &[UsmUser], time: u32) -> Vec<(Case, bool)> {
    let mut cases: Vec<(Case, bool)> = community_cases().into_iter().map(|c| (c, false)).collect();
    cases.extend(v3_cases(users, time).into_iter().map(|c| (c, true)));
    cases
}

#[test]
fn core_agent_every_case() {
    let users = users();
    let now = Instant::now();
    let mut agent = Agent::new(config(&users), agent_fixture::mib(), now);
    let peer: SocketAddr = "192.0.2.7:40000".parse().unwrap();
    let mut valid = Valid::new(&users);
    let cases = all_cases(&users, agent.engine_time(now));
    assert!(cases.len() > 500, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (case, v3) in &cases {
        let before = agent.stats();
        agent.handle_datagram(now, peer, &case.bytes);
        let answer = agent.poll_transmit();
        assert!(
            agent.poll_transmit().is_none(),
            "{}: two answers",
            case.name
        );
        if let Some(a) = &answer {
            assert_eq!(a.destination, peer);
        }
        let after = agent.stats();
        if let Err(e) = check(
            case,
            answer.as_ref().map(|a| &a.payload[..]),
            &before,
            &after,
            &users,
        ) {
            failures.push(e);
        }
        assert_eq!(after.in_pkts, before.in_pkts + 1);
        // Continued service.
        let (request, id) = valid.request(*v3, agent.engine_time(now));
        agent.handle_datagram(now, peer, &request);
        let tx = agent.poll_transmit().expect("a valid request is answered");
        assert!(
            valid.serves(&tx.payload, id),
            "not served after {}",
            case.name
        );
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// 65,535 varbinds do not fit a UDP datagram; the core takes them from a
/// buffer of any size: tooBig with no varbinds, then service goes on.
#[test]
fn core_agent_sixty_five_thousand_varbinds() {
    let users = users();
    let now = Instant::now();
    let mut agent = Agent::new(config(&users), agent_fixture::mib(), now);
    let peer: SocketAddr = "192.0.2.7:40000".parse().unwrap();
    for oid in [
        sys_descr(),
        "1.3.6.1.4.1.99999.42.0".parse::<Oid>().unwrap(),
    ] {
        let request = community_request(Version::V2c, 65535, &vec![oid; 65_535]);
        assert!(request.len() > 65_507);
        let before = agent.stats();
        agent.handle_datagram(now, peer, &request);
        let tx = agent.poll_transmit().expect("answered");
        let m = MessageRef::decode(&tx.payload).unwrap();
        let p = m.pdu().unwrap();
        assert_eq!(p.status(), ErrorStatus::TooBig);
        assert_eq!(p.request_id, 65535);
        assert!(p.varbinds.is_empty());
        assert!(tx.payload.len() <= agent.config().max_message_size);
        assert_eq!(agent.stats().out_too_bigs, before.out_too_bigs + 1);
    }
    // A GetNext of 65,535 varbinds walking off the end, and a SET.
    let next = Message::new(
        Version::V2c,
        "public",
        Pdu::request(
            PduType::GetNextRequest,
            9,
            &vec![Oid::from_static(&[2, 9]); 65_535],
        ),
    )
    .to_bytes();
    agent.handle_datagram(now, peer, &next);
    let tx = agent.poll_transmit().expect("answered");
    let p = MessageRef::decode(&tx.payload)
        .unwrap()
        .pdu()
        .unwrap()
        .to_owned();
    assert_eq!(p.error_status, ErrorStatus::TooBig.as_i32());
    let mut valid = Valid::new(&users);
    let (request, id) = valid.request(false, 0);
    agent.handle_datagram(now, peer, &request);
    assert!(valid.serves(&agent.poll_transmit().unwrap().payload, id));
}

/// Sends `bytes` then a valid request; returns what came back before the
/// valid request's answer (the case's answer, if any). The agent serves a
/// socket's datagrams in order, so the valid answer comes after the case's.
fn exchange(
    socket: &UdpSocket,
    agent: SocketAddr,
    bytes: &[u8],
    valid: &mut Valid,
    v3: bool,
    time: u32,
    case: &str,
) -> Option<Vec<u8>> {
    socket.send_to(bytes, agent).expect("send case");
    let (request, id) = valid.request(v3, time);
    socket.send_to(&request, agent).expect("send valid request");
    let mut buf = vec![0u8; 65_536];
    let mut answers = Vec::new();
    loop {
        let (n, from) = match socket.recv_from(&mut buf) {
            Ok(got) => got,
            Err(e) => panic!("{case}: no answer to the valid request after it ({e})"),
        };
        assert_eq!(from, agent);
        let got = buf[..n].to_vec();
        if valid.serves(&got, id) {
            break;
        }
        answers.push(got);
    }
    assert!(answers.len() <= 1, "{case}: {} answers", answers.len());
    answers.pop()
}

fn through_runtime(runtime: Runtime) {
    let users = users();
    let served = Served::start(
        runtime,
        &["udp:127.0.0.1:0"],
        config(&users),
        agent_fixture::mib(),
    )
    .expect("agent starts");
    let agent = served.addrs()[0];
    let socket = UdpSocket::bind("127.0.0.1:0").expect("bind");
    socket
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let time = || served.with_agent(|a| a.engine_time(Instant::now()));
    let mut valid = Valid::new(&users);
    let cases = all_cases(&users, time());
    let stats = || -> AgentStats { served.with_agent(|a| a.stats()) };
    let mut failures = Vec::new();
    for (case, v3) in &cases {
        let before = stats();
        let answer = exchange(
            &socket,
            agent,
            &case.bytes,
            &mut valid,
            *v3,
            time(),
            &case.name,
        );
        let after = stats();
        if let Err(e) = check(case, answer.as_deref(), &before, &after, &users) {
            failures.push(format!("{runtime:?}: {e}"));
        }
    }
    // Every datagram was counted: each case and each valid request.
    let s = stats();
    assert!(s.in_pkts >= 2 * cases.len() as u64, "{s:?}");
    served.stop();
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn blocking_agent_server_every_case() {
    through_runtime(Runtime::Blocking);
}

#[test]
fn tokio_agent_server_every_case() {
    through_runtime(Runtime::Tokio);
}

#[test]
fn smol_agent_server_every_case() {
    through_runtime(Runtime::Smol);
}
