//! Deterministic simulation of the manager core (layer 2 of the test plan):
//! request correlation, retries and timeouts under loss, duplication and
//! reordering; walks and table walks against scripted agents; and hostile
//! datagrams arriving at the manager. Everything runs on virtual time.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::SocketAddr;
use std::time::Duration;

use oxsnmp_core::manager::{
    ManagerStats, Request, RequestError, RequestHandle, Response, RetryPolicy, SendError, Target,
};
use oxsnmp_core::walk::{Repetitions, Row, TableWalk, Walk, WalkError, WalkOptions};
use oxsnmp_core::{
    AnyPdu, ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, TrapV1Pdu, Value, VarBind, Version,
};
use oxsnmp_tests::sim::{mib, Answer, Faults, Responder, Sim, SimRng, SimWalkError, TraceEvent};

// ---------------------------------------------------------------------------
// Fixtures

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

const ECHO: &str = "1.3.6.1.4.1.99999.9";
const IF_COLUMNS: [&str; 4] = [
    "1.3.6.1.2.1.2.2.1.1",
    "1.3.6.1.2.1.2.2.1.2",
    "1.3.6.1.2.1.2.2.1.5",
    "1.3.6.1.2.1.2.2.1.10",
];

/// Which ifTable cells exist: a sparse table with holes in every column.
fn if_cell(column: usize, index: u32) -> Option<Value> {
    let present = match column {
        0 => true,
        1 => index != 11,
        2 => index % 4 != 3,
        _ => index != 1 && index != 20 && !index.is_multiple_of(5),
    };
    present.then(|| match column {
        0 => Value::Integer(index as i32),
        1 => Value::OctetString(format!("eth{index}").into_bytes()),
        2 => Value::Gauge32(index * 1_000_000),
        _ => Value::Counter32(index * 7),
    })
}

/// A MIB with the system group, a sparse ifTable, a Counter64 column, a
/// large enterprise subtree and one object at the very end.
fn standard_mib() -> BTreeMap<Oid, Value> {
    let mut m = mib([
        ("1.3.6.1.2.1.1.1.0", Value::from("oxsnmp simulated agent")),
        (
            "1.3.6.1.2.1.1.2.0",
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999")),
        ),
        ("1.3.6.1.2.1.1.3.0", Value::TimeTicks(123_456)),
        ("1.3.6.1.2.1.1.4.0", Value::from("ops@example.net")),
        ("1.3.6.1.2.1.1.5.0", Value::from("sim-1")),
        ("1.3.6.1.2.1.1.6.0", Value::from("rack 4")),
        ("1.3.6.1.2.1.1.7.0", Value::Integer(72)),
        ("1.3.6.1.2.1.2.1.0", Value::Integer(20)),
        ("1.3.6.1.6.3.1.1.6.1.0", Value::Integer(1)),
    ]);
    for (c, col) in IF_COLUMNS.iter().enumerate() {
        for i in 1..=20 {
            if let Some(v) = if_cell(c, i) {
                m.insert(oid(col).child(i).unwrap(), v);
            }
        }
    }
    for i in 1..=8 {
        m.insert(
            oid("1.3.6.1.2.1.31.1.1.1.6").child(i).unwrap(),
            Value::Counter64(u64::MAX - u64::from(i)),
        );
    }
    for i in 1..=300 {
        m.insert(
            oid("1.3.6.1.4.1.99999.2").child(i).unwrap(),
            Value::Integer(i as i32),
        );
    }
    m
}

fn agent(a: &str) -> Responder {
    let mut r = Responder::new(addr(a), standard_mib());
    r.echo_prefix = Some(oid(ECHO));
    r
}

fn target(a: &str, version: Version, timeout_ms: u64, retries: u32) -> Target {
    let mut t = Target::new(addr(a), version, "public");
    t.retry = RetryPolicy {
        timeout: Duration::from_millis(timeout_ms),
        retries,
    };
    t
}

/// The objects a walk of `root` should return, in order.
fn subtree(m: &BTreeMap<Oid, Value>, root: &str, version: Version) -> Vec<VarBind> {
    let root = oid(root);
    m.range(root.clone()..)
        .take_while(|(o, _)| o.starts_with(&root))
        .filter(|(_, v)| !(version == Version::V1 && matches!(v, Value::Counter64(_))))
        .map(|(o, v)| VarBind::new(o.clone(), v.clone()))
        .collect()
}

fn same_peer(a: SocketAddr, b: SocketAddr) -> bool {
    (a.ip().to_canonical(), a.port()) == (b.ip().to_canonical(), b.port())
}

/// The drop counters and totals, for comparing with a model.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
struct Counts {
    requests: u64,
    datagrams_out: u64,
    retransmits: u64,
    datagrams_in: u64,
    responses: u64,
    timeouts: u64,
    parse_errors: u64,
    bad_versions: u64,
    unexpected_pdus: u64,
    unknown_request_ids: u64,
    late_responses: u64,
    wrong_source: u64,
}

impl From<ManagerStats> for Counts {
    fn from(s: ManagerStats) -> Self {
        Self {
            requests: s.requests,
            datagrams_out: s.datagrams_out,
            retransmits: s.retransmits,
            datagrams_in: s.datagrams_in,
            responses: s.responses,
            timeouts: s.timeouts,
            parse_errors: s.parse_errors,
            bad_versions: s.bad_versions,
            unexpected_pdus: s.unexpected_pdus,
            unknown_request_ids: s.unknown_request_ids,
            late_responses: s.late_responses,
            wrong_source: s.wrong_source,
        }
    }
}

fn counts(sim: &Sim) -> Counts {
    sim.manager.stats().into()
}

// ---------------------------------------------------------------------------
// The model: replays the trace and says what the manager must have done

struct Attempt {
    last: Duration,
    count: u32,
    payload: Vec<u8>,
}

/// Replays everything the manager sent, received and completed, and checks
/// it against the rules: one completion per request; a response completes
/// its request at once when it comes from the target in the target's
/// version; retransmissions go out exactly one timeout apart with the same
/// bytes; a request times out exactly `(retries + 1) * timeout` after it was
/// sent, having been sent `retries + 1` times. Returns the counters the
/// manager should show.
fn replay(sim: &Sim) -> Counts {
    let by_id: HashMap<i32, RequestHandle> = sim
        .records()
        .iter()
        .map(|(h, r)| (r.request_id, *h))
        .collect();
    assert_eq!(
        by_id.len(),
        sim.records().len(),
        "request-ids are unique in a run"
    );
    let mut m = Counts {
        requests: sim.records().len() as u64,
        ..Counts::default()
    };
    let mut pending: HashMap<i32, Attempt> = HashMap::new();
    let mut finished: HashSet<i32> = HashSet::new();
    let mut answered: Option<(RequestHandle, Duration, Vec<u8>)> = None;

    for ev in &sim.trace {
        if !matches!(ev, TraceEvent::Completed { .. }) {
            assert!(
                answered.is_none(),
                "a valid response did not complete its request at once"
            );
        }
        match ev {
            TraceEvent::Sent { at, to, payload } => {
                m.datagrams_out += 1;
                let id = MessageRef::decode(payload)
                    .unwrap()
                    .pdu()
                    .unwrap()
                    .request_id;
                let rec = sim.record(by_id[&id]);
                assert_eq!(*to, rec.target.addr);
                if let Some(a) = pending.get_mut(&id) {
                    m.retransmits += 1;
                    assert_eq!(payload, &a.payload, "a retransmission is the same datagram");
                    assert_eq!(
                        *at,
                        a.last + rec.target.retry.timeout,
                        "retransmitted one timeout later"
                    );
                    a.count += 1;
                    a.last = *at;
                    assert!(a.count <= rec.target.retry.retries + 1, "too many attempts");
                } else {
                    assert!(!finished.contains(&id), "sent again after completing");
                    assert_eq!(*at, rec.at);
                    pending.insert(
                        id,
                        Attempt {
                            last: *at,
                            count: 1,
                            payload: payload.clone(),
                        },
                    );
                }
            }
            TraceEvent::Received { at, from, payload } => {
                m.datagrams_in += 1;
                let Ok(msg) = MessageRef::decode(payload) else {
                    m.parse_errors += 1;
                    continue;
                };
                let Some(pdu) = msg.pdu().filter(|p| p.pdu_type == PduType::Response) else {
                    m.unexpected_pdus += 1;
                    continue;
                };
                let id = pdu.request_id;
                if pending.contains_key(&id) {
                    let rec = sim.record(by_id[&id]);
                    if !same_peer(*from, rec.target.addr) {
                        m.wrong_source += 1;
                    } else if msg.version != rec.target.version {
                        m.bad_versions += 1;
                    } else {
                        answered = Some((by_id[&id], *at, payload.clone()));
                    }
                } else if finished.contains(&id) {
                    m.late_responses += 1;
                } else {
                    m.unknown_request_ids += 1;
                }
            }
            TraceEvent::Completed { at, handle, result } => {
                let rec = sim.record(*handle);
                let a = pending
                    .remove(&rec.request_id)
                    .expect("only a pending request completes");
                finished.insert(rec.request_id);
                match answered.take() {
                    Some((h, received_at, payload)) => {
                        assert_eq!(h, *handle, "completed with another request's response");
                        assert_eq!(*at, received_at);
                        let resp = result
                            .as_ref()
                            .expect("answered request completes with its response");
                        let msg = MessageRef::decode(&payload).unwrap();
                        let pdu = msg.pdu().unwrap();
                        assert_eq!(resp.error_status, pdu.status());
                        assert_eq!(resp.varbinds, pdu.varbinds.to_vec());
                        assert_eq!(resp.wire_len, payload.len());
                        m.responses += 1;
                    }
                    None => {
                        let policy = rec.target.retry;
                        assert_eq!(
                            result,
                            &Err(RequestError::Timeout(rec.target.addr)),
                            "{handle:?}"
                        );
                        assert_eq!(
                            *at,
                            rec.at + policy.timeout * (policy.retries + 1),
                            "timeout time"
                        );
                        assert_eq!(a.count, policy.retries + 1, "every retry was used");
                        m.timeouts += 1;
                    }
                }
            }
        }
    }
    assert!(answered.is_none());
    assert!(
        pending.is_empty(),
        "{} requests never completed",
        pending.len()
    );
    m
}

/// Checks a response's content against what was asked: no request may be
/// completed with the answer to another.
fn check_content(sim: &Sim, handle: RequestHandle, resp: &Response) {
    let rec = sim.record(handle);
    let agent = sim.agent(rec.target.addr);
    let v1 = rec.target.version == Version::V1;
    match &rec.request {
        Request::Get(oids) => {
            if resp.error_status == ErrorStatus::NoSuchName {
                assert!(v1);
                let bad = &oids[resp.error_index as usize - 1];
                assert!(
                    !agent.mib.contains_key(bad) || matches!(agent.mib[bad], Value::Counter64(_))
                );
                return;
            }
            assert_eq!(resp.error_status, ErrorStatus::NoError);
            let got: Vec<&Oid> = resp.varbinds.iter().map(|vb| &vb.oid).collect();
            assert_eq!(
                got,
                oids.iter().collect::<Vec<_>>(),
                "Get answered for other OIDs"
            );
            for vb in &resp.varbinds {
                if vb.oid.starts_with(&oid(ECHO)) {
                    assert_eq!(
                        vb.value,
                        Value::OctetString(vb.oid.to_string().into_bytes())
                    );
                } else if let Some(v) = agent.mib.get(&vb.oid) {
                    assert_eq!(&vb.value, v);
                } else {
                    assert!(vb.value.is_exception());
                }
            }
        }
        Request::GetNext(oids) => {
            if resp.error_status == ErrorStatus::NoSuchName {
                assert!(v1);
                let last = &oids[resp.error_index as usize - 1];
                assert!(subtree(&agent.mib, "1", Version::V1)
                    .iter()
                    .all(|vb| &vb.oid <= last));
                return;
            }
            assert_eq!(resp.varbinds.len(), oids.len());
            for (asked, vb) in oids.iter().zip(&resp.varbinds) {
                use std::ops::Bound::{Excluded, Unbounded};
                let want = agent
                    .mib
                    .range((Excluded(asked), Unbounded))
                    .find(|(_, v)| !(v1 && matches!(v, Value::Counter64(_))));
                match want {
                    Some((o, v)) => assert_eq!((&vb.oid, &vb.value), (o, v)),
                    None => assert_eq!(vb, &VarBind::new(asked.clone(), Value::EndOfMibView)),
                }
            }
        }
        Request::GetBulk { .. } => {
            let msg = Message::new(rec.target.version, &rec.target.community, pdu_of(rec));
            let Some(want) = agent.respond(&msg) else {
                panic!("agent would not answer {msg:?}")
            };
            let AnyPdu::Pdu(want) = want.pdu else {
                unreachable!()
            };
            assert_eq!(
                resp.varbinds, want.varbinds,
                "GetBulk answered for another request"
            );
        }
        Request::Set(vbs) => {
            assert_eq!(resp.error_status, ErrorStatus::NoError);
            assert_eq!(
                &resp.varbinds, vbs,
                "Set answered with another request's values"
            );
        }
        other => panic!("request kind not covered: {other:?}"),
    }
}

/// The PDU a record's request went out as.
fn pdu_of(rec: &oxsnmp_tests::sim::SendRecord) -> Pdu {
    let (pdu_type, es, ei, vbs) = match &rec.request {
        Request::Get(o) => (
            PduType::GetRequest,
            0,
            0,
            o.iter().cloned().map(VarBind::null).collect(),
        ),
        Request::GetNext(o) => (
            PduType::GetNextRequest,
            0,
            0,
            o.iter().cloned().map(VarBind::null).collect(),
        ),
        Request::GetBulk {
            non_repeaters,
            max_repetitions,
            oids,
        } => (
            PduType::GetBulkRequest,
            *non_repeaters as i32,
            *max_repetitions as i32,
            oids.iter().cloned().map(VarBind::null).collect(),
        ),
        Request::Set(v) => (PduType::SetRequest, 0, 0, v.clone()),
        other => panic!("request kind not covered: {other:?}"),
    };
    Pdu {
        pdu_type,
        request_id: rec.request_id,
        error_status: es,
        error_index: ei,
        varbinds: vbs,
    }
}

// ---------------------------------------------------------------------------
// Thousands of requests under loss, duplication and reordering

const GOOD: &str = "10.0.0.1:161";
const LOSSY: &str = "10.0.0.2:161";
const V1_AGENT: &str = "10.0.0.3:161";
const SILENT: &str = "10.0.0.4:161";
const MULTIHOMED: &str = "10.0.0.5:161";
const MULTIHOMED_OTHER: &str = "10.0.0.55:161";
const LATE: &str = "10.0.0.6:161";
const WRONG_VERSION: &str = "10.0.0.7:161";

fn random_oid(rng: &mut SimRng, m: &BTreeMap<Oid, Value>) -> Oid {
    match rng.below(4) {
        // An existing object.
        0 | 1 => m
            .keys()
            .nth(rng.below(m.len() as u64) as usize)
            .unwrap()
            .clone(),
        // A missing instance or a prefix.
        2 => oid(rng.pick::<&str>(&[
            "1.3.6.1.2.1.1.9.0",
            "1.3.6.1.2.1.2.2.1.5.3",
            "1.3.6.1.2.1.99.1",
            "1.3.6.1.2.1.2",
        ])),
        // Somewhere, possibly past the end of the MIB.
        _ => oid(rng.pick::<&str>(&[
            "1.3.6.1.6.3.1.1.6.1.0",
            "1.3.6.1.9",
            "2.5",
            "1.3",
            "1.3.6.1.4.1.99999.2.300",
        ])),
    }
}

fn random_request(
    rng: &mut SimRng,
    serial: usize,
    version: Version,
    m: &BTreeMap<Oid, Value>,
) -> Request {
    let echo = oid(ECHO)
        .extended(&[serial as u32, rng.below(1000) as u32])
        .unwrap();
    let kinds = if version == Version::V1 { 3 } else { 4 };
    match rng.below(kinds) {
        0 => {
            let mut oids = vec![echo];
            for _ in 0..rng.below(3) {
                oids.push(random_oid(rng, m));
            }
            Request::Get(oids)
        }
        1 => Request::GetNext((0..=rng.below(2)).map(|_| random_oid(rng, m)).collect()),
        2 => Request::Set(vec![VarBind::new(
            echo,
            Value::OctetString(format!("set #{serial}").into_bytes()),
        )]),
        _ => Request::GetBulk {
            non_repeaters: rng.below(2) as u32,
            max_repetitions: rng.between(1, 12) as u32,
            oids: (0..=rng.below(2)).map(|_| random_oid(rng, m)).collect(),
        },
    }
}

/// A datagram nobody asked for.
fn noise(rng: &mut SimRng, sim: &Sim) -> (SocketAddr, Vec<u8>) {
    let from = addr(rng.pick::<&str>(&[GOOD, LOSSY, V1_AGENT, LATE, "203.0.113.9:161"]));
    let response = |id: i32| {
        Message::new(
            Version::V2c,
            "public",
            Pdu {
                pdu_type: PduType::Response,
                request_id: id,
                error_status: 0,
                error_index: 0,
                varbinds: vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("spoof"))],
            },
        )
        .to_bytes()
    };
    let payload = match rng.below(6) {
        0 => {
            let n = rng.below(40) as usize;
            rng.bytes(n)
        }
        1 => {
            let full = response(rng.next_u64() as i32);
            let cut = rng.below(full.len() as u64) as usize;
            full[..cut].to_vec()
        }
        2 => response(rng.next_u64() as i32 & 0x7fff_ffff),
        3 => Message::new(
            Version::V2c,
            "public",
            Pdu::request(PduType::GetRequest, 5, &[oid("1.3.6")]),
        )
        .to_bytes(),
        4 => {
            // Replay something the manager received before.
            let seen: Vec<&Vec<u8>> = sim
                .trace
                .iter()
                .filter_map(|e| match e {
                    TraceEvent::Received { payload, .. } => Some(payload),
                    _ => None,
                })
                .collect();
            if seen.is_empty() {
                vec![0x30, 0x00]
            } else {
                (*rng.pick(&seen)).clone()
            }
        }
        _ => Message {
            version: Version::V1,
            community: b"public".to_vec(),
            pdu: AnyPdu::TrapV1(TrapV1Pdu {
                enterprise: oid("1.3.6.1.4.1.99999"),
                agent_addr: [10, 0, 0, 1].into(),
                generic_trap: 6,
                specific_trap: 1,
                time_stamp: 5,
                varbinds: vec![],
            }),
        }
        .to_bytes(),
    };
    (from, payload)
}

fn busy_network(seed: u64, requests: usize) {
    let mut sim = Sim::new(seed, Faults::lossy(0.10, 0.05, 1, 40));
    sim.net
        .set_link_faults(addr(LOSSY), Faults::lossy(0.35, 0.15, 1, 150));
    for a in [
        GOOD,
        LOSSY,
        V1_AGENT,
        SILENT,
        MULTIHOMED,
        LATE,
        WRONG_VERSION,
    ] {
        sim.add_agent(agent(a));
    }
    sim.agent_mut(addr(SILENT)).answer = Answer::Silent;
    sim.agent_mut(addr(MULTIHOMED)).answer = Answer::FromAddress(addr(MULTIHOMED_OTHER));
    sim.agent_mut(addr(LATE)).answer = Answer::Late(Duration::from_millis(150));
    sim.agent_mut(addr(WRONG_VERSION)).reply_version = Some(Version::V1);
    let m = standard_mib();

    let mut rng = SimRng::new(seed);
    let mut handles = Vec::new();
    let mut clock = Duration::ZERO;
    let weighted = [
        GOOD,
        GOOD,
        GOOD,
        LOSSY,
        LOSSY,
        V1_AGENT,
        V1_AGENT,
        SILENT,
        MULTIHOMED,
        LATE,
        LATE,
        WRONG_VERSION,
    ];
    for serial in 0..requests {
        clock += rng.duration(Duration::ZERO, Duration::from_millis(6));
        sim.run_until(clock);
        if rng.chance(0.15) {
            let (from, payload) = noise(&mut rng, &sim);
            let delay = rng.duration(Duration::ZERO, Duration::from_millis(20));
            sim.inject_to_manager(delay, from, payload);
        }
        let to = *rng.pick(&weighted);
        let version = if to == V1_AGENT {
            Version::V1
        } else {
            Version::V2c
        };
        let timeout = *rng.pick(&[50u64, 100, 200, 400]);
        let t = target(to, version, timeout, rng.below(4) as u32);
        let req = random_request(&mut rng, serial, version, &m);
        handles.push(sim.send(&t, req).expect("request fits"));
    }
    // GETBULK cannot go out in SNMPv1.
    let bulk = Request::GetBulk {
        non_repeaters: 0,
        max_repetitions: 5,
        oids: vec![oid("1.3")],
    };
    assert_eq!(
        sim.send(&target(V1_AGENT, Version::V1, 100, 1), bulk),
        Err(SendError::BulkNotInV1)
    );
    sim.run_until_idle();

    // Every request completed exactly once.
    for h in &handles {
        assert_eq!(
            sim.completions(*h).len(),
            1,
            "{h:?} completed {} times",
            sim.completions(*h).len()
        );
    }
    assert_eq!(sim.manager.outstanding(), 0);

    // The trace obeys the rules and the counters match what the network did.
    let model = replay(&sim);
    let stats = counts(&sim);
    assert_eq!(stats, model);
    assert_eq!(stats.requests, requests as u64);
    assert_eq!(
        stats.requests,
        stats.responses + stats.timeouts,
        "sent = answered + timed out"
    );

    // Content: every answer belongs to its own request.
    let mut by_agent: HashMap<SocketAddr, (u32, u32)> = HashMap::new();
    for h in &handles {
        let (_, result) = &sim.completions(*h)[0];
        let to = sim.record(*h).target.addr;
        let e = by_agent.entry(to).or_default();
        match result {
            Ok(resp) => {
                e.0 += 1;
                check_content(&sim, *h, resp);
            }
            Err(_) => e.1 += 1,
        }
    }
    for never in [SILENT, MULTIHOMED, WRONG_VERSION] {
        assert_eq!(by_agent[&addr(never)].0, 0, "{never} cannot answer validly");
    }
    for some in [GOOD, LOSSY, V1_AGENT, LATE] {
        assert!(by_agent[&addr(some)].0 > 0, "{some} answered nothing");
    }

    // The run exercised every path it claims to test.
    let net = sim.net.stats();
    assert!(
        net.dropped > 0 && net.duplicated > 0 && net.reordered > 0,
        "{net:?}"
    );
    for (name, n) in [
        ("timeouts", stats.timeouts),
        ("retransmits", stats.retransmits),
        ("late", stats.late_responses),
        ("unknown ids", stats.unknown_request_ids),
        ("wrong source", stats.wrong_source),
        ("parse errors", stats.parse_errors),
        ("unexpected PDUs", stats.unexpected_pdus),
        ("bad versions", stats.bad_versions),
        ("responses", stats.responses),
    ] {
        assert!(n > 0, "no {name} in seed {seed}: {stats:?}");
    }
}

#[test]
fn thousands_of_requests_seed_1() {
    busy_network(1, 3000);
}

#[test]
fn thousands_of_requests_seed_2() {
    busy_network(0x5eed_0002, 3000);
}

#[test]
fn thousands_of_requests_seed_3() {
    busy_network(0xdead_beef, 3000);
}

#[test]
fn same_seed_same_run() {
    let run = |seed| {
        let mut sim = Sim::new(seed, Faults::lossy(0.2, 0.1, 1, 50));
        sim.add_agent(agent(GOOD));
        let mut rng = SimRng::new(seed);
        let m = standard_mib();
        for serial in 0..200 {
            let req = random_request(&mut rng, serial, Version::V2c, &m);
            sim.send(&target(GOOD, Version::V2c, 60, 2), req).unwrap();
            let now = sim.elapsed();
            sim.run_until(now + Duration::from_millis(3));
        }
        sim.run_until_idle();
        (sim.trace.clone(), counts(&sim))
    };
    let (a, sa) = run(77);
    let (b, sb) = run(77);
    assert_eq!(sa, sb);
    assert!(a == b, "the same seed must replay the same trace");
    let (c, _) = run(78);
    assert!(a != c, "another seed gives another run");
}

// ---------------------------------------------------------------------------
// Retries and timeouts, one at a time

#[test]
fn timeout_after_every_retry_at_the_exact_virtual_time() {
    for (timeout, retries) in [(100u64, 0u32), (250, 3), (1000, 5), (7, 10)] {
        let mut sim = Sim::new(9, Faults::perfect());
        let mut a = agent(SILENT);
        a.answer = Answer::Silent;
        sim.add_agent(a);
        sim.run_until(Duration::from_millis(12));
        let h = sim
            .send(
                &target(SILENT, Version::V2c, timeout, retries),
                Request::Get(vec![oid("1.3.6.1.2.1.1.5.0")]),
            )
            .unwrap();
        let (at, result) = sim.wait(h);
        assert_eq!(result, Err(RequestError::Timeout(addr(SILENT))));
        assert_eq!(
            at,
            Duration::from_millis(12 + timeout * u64::from(retries + 1))
        );
        let sent: Vec<Duration> = sim
            .trace
            .iter()
            .filter_map(|e| match e {
                TraceEvent::Sent { at, .. } => Some(*at),
                _ => None,
            })
            .collect();
        let want: Vec<Duration> = (0..=retries)
            .map(|k| Duration::from_millis(12 + timeout * u64::from(k)))
            .collect();
        assert_eq!(sent, want);
        let s = counts(&sim);
        assert_eq!(
            (s.retransmits, s.timeouts, s.datagrams_out),
            (u64::from(retries), 1, u64::from(retries) + 1)
        );
        assert_eq!(sim.agent(addr(SILENT)).requests.len(), retries as usize + 1);
        sim.run_until_idle();
        assert_eq!(sim.completions(h).len(), 1);
    }
}

#[test]
fn answer_to_a_retry_completes_and_the_rest_are_late() {
    // Every attempt is answered 150 ms late; the timeout is 100 ms, so the
    // answer to attempt 1 arrives while attempt 2 is outstanding.
    let mut sim = Sim::new(3, Faults::perfect());
    let mut a = agent(LATE);
    a.answer = Answer::Late(Duration::from_millis(150));
    sim.add_agent(a);
    let h = sim
        .send(
            &target(LATE, Version::V2c, 100, 3),
            Request::Get(vec![oid("1.3.6.1.2.1.1.5.0")]),
        )
        .unwrap();
    let (at, result) = sim.wait(h);
    // 1 ms there, 150 ms thinking, 1 ms back.
    assert_eq!(at, Duration::from_millis(152));
    assert_eq!(
        result.unwrap().varbinds,
        vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("sim-1"))]
    );
    sim.run_until_idle();
    let s = counts(&sim);
    assert_eq!(s.retransmits, 1, "retransmitted at 100 ms only");
    assert_eq!(
        s.late_responses, 1,
        "the answer to the retry arrives after completion"
    );
    assert_eq!(s.responses, 1);
    assert_eq!(sim.completions(h).len(), 1);
    assert_eq!(replay(&sim), s);
}

#[test]
fn duplicated_response_is_counted_late() {
    let mut sim = Sim::new(4, Faults::lossy(0.0, 1.0, 2, 2));
    sim.add_agent(agent(GOOD));
    let h = sim
        .send(
            &target(GOOD, Version::V2c, 500, 1),
            Request::Get(vec![oid("1.3.6.1.2.1.1.1.0")]),
        )
        .unwrap();
    sim.run_until_idle();
    // Request duplicated → agent answers twice → each answer duplicated: 4 answers.
    assert_eq!(sim.agent(addr(GOOD)).requests.len(), 2);
    let s = counts(&sim);
    assert_eq!((s.responses, s.late_responses, s.datagrams_in), (1, 3, 4));
    assert_eq!(sim.completions(h).len(), 1);
    assert_eq!(sim.completions(h)[0].0, Duration::from_millis(4));
}

// ---------------------------------------------------------------------------
// Bad input at the manager

/// One outstanding Get to a responder that answers after `delay`.
fn one_outstanding(delay_ms: u64) -> (Sim, RequestHandle, Vec<u8>) {
    let mut sim = Sim::new(11, Faults::perfect());
    let mut a = agent(GOOD);
    a.answer = Answer::Late(Duration::from_millis(delay_ms));
    sim.add_agent(a);
    let h = sim
        .send(
            &target(GOOD, Version::V2c, 1000, 0),
            Request::Get(vec![oid("1.3.6.1.2.1.1.5.0")]),
        )
        .unwrap();
    // What the agent will say, to make hostile variants of it.
    let rec = sim.record(h).clone();
    let request = Message::new(Version::V2c, "public", pdu_of(&rec));
    let answer = sim.agent(addr(GOOD)).respond(&request).unwrap().to_bytes();
    (sim, h, answer)
}

#[track_caller]
fn assert_completes_normally(sim: &mut Sim, h: RequestHandle, delay_ms: u64) {
    let (at, result) = sim.wait(h);
    assert_eq!(at, Duration::from_millis(delay_ms + 2));
    let resp = result.expect("the real answer still completes the request");
    assert_eq!(
        resp.varbinds,
        vec![VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("sim-1"))]
    );
    sim.run_until_idle();
    assert_eq!(sim.completions(h).len(), 1);
    assert_eq!(replay(sim), counts(sim));
}

#[test]
fn garbage_datagrams_are_parse_errors() {
    let (mut sim, h, _) = one_outstanding(50);
    let junk: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x30],
        vec![0x30, 0x00],
        vec![0xff; 100],
        b"GET / HTTP/1.1\r\n\r\n".to_vec(),
        vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        vec![0x30, 0x80, 0x00, 0x00],
    ];
    for (i, j) in junk.iter().enumerate() {
        sim.inject_to_manager(Duration::from_millis(i as u64 + 1), addr(GOOD), j.clone());
    }
    sim.run_until(Duration::from_millis(20));
    assert_eq!(counts(&sim).parse_errors, junk.len() as u64);
    assert_eq!(sim.manager.outstanding(), 1);
    assert_completes_normally(&mut sim, h, 50);
    let s = counts(&sim);
    assert_eq!(
        (s.parse_errors, s.responses, s.datagrams_in),
        (junk.len() as u64, 1, junk.len() as u64 + 1)
    );
}

#[test]
fn truncated_copies_of_the_real_answer_are_parse_errors() {
    let (mut sim, h, answer) = one_outstanding(50);
    for cut in 0..answer.len() {
        sim.inject_to_manager(Duration::from_millis(5), addr(GOOD), answer[..cut].to_vec());
    }
    // And one with a byte of garbage appended.
    let mut long = answer.clone();
    long.push(0);
    sim.inject_to_manager(Duration::from_millis(5), addr(GOOD), long);
    sim.run_until(Duration::from_millis(10));
    assert_eq!(counts(&sim).parse_errors, answer.len() as u64 + 1);
    assert_eq!(sim.completions(h).len(), 0);
    assert_completes_normally(&mut sim, h, 50);
}

#[test]
fn answer_from_the_wrong_address_is_dropped() {
    let (mut sim, h, answer) = one_outstanding(50);
    for wrong in [
        "10.0.0.9:161",
        "10.0.0.1:162",
        "[2001:db8::1]:161",
        "10.0.0.1:1161",
    ] {
        sim.inject_to_manager(Duration::from_millis(5), addr(wrong), answer.clone());
    }
    sim.run_until(Duration::from_millis(10));
    assert_eq!(counts(&sim).wrong_source, 4);
    assert_eq!(sim.completions(h).len(), 0);
    assert_completes_normally(&mut sim, h, 50);
    assert_eq!(counts(&sim).wrong_source, 4);
}

#[test]
fn ipv4_mapped_source_is_the_same_peer() {
    let (mut sim, h, answer) = one_outstanding(50);
    sim.inject_to_manager(
        Duration::from_millis(5),
        addr("[::ffff:10.0.0.1]:161"),
        answer,
    );
    let (at, result) = sim.wait(h);
    assert_eq!(at, Duration::from_millis(5));
    assert!(result.is_ok());
    sim.run_until_idle();
    // The agent's own answer then arrives late.
    let s = counts(&sim);
    assert_eq!((s.responses, s.late_responses, s.wrong_source), (1, 1, 0));
}

#[test]
fn unknown_request_ids_are_dropped() {
    let (mut sim, h, answer) = one_outstanding(50);
    let real = MessageRef::decode(&answer).unwrap().to_owned();
    let AnyPdu::Pdu(pdu) = &real.pdu else {
        unreachable!()
    };
    for id in [pdu.request_id.wrapping_add(1), 0, -1, i32::MAX, i32::MIN] {
        let mut p = pdu.clone();
        p.request_id = id;
        sim.inject_to_manager(
            Duration::from_millis(5),
            addr(GOOD),
            Message::new(Version::V2c, "public", p).to_bytes(),
        );
    }
    sim.run_until(Duration::from_millis(10));
    assert_eq!(counts(&sim).unknown_request_ids, 5);
    assert_completes_normally(&mut sim, h, 50);
}

#[test]
fn non_response_pdus_are_unexpected() {
    let (mut sim, h, answer) = one_outstanding(50);
    let real = MessageRef::decode(&answer).unwrap().to_owned();
    let AnyPdu::Pdu(pdu) = &real.pdu else {
        unreachable!()
    };
    // Same request-id, same source: only the PDU type is wrong.
    let kinds = [
        PduType::GetRequest,
        PduType::GetNextRequest,
        PduType::SetRequest,
        PduType::GetBulkRequest,
        PduType::InformRequest,
        PduType::SnmpV2Trap,
        PduType::Report,
    ];
    for t in kinds {
        let mut p = pdu.clone();
        p.pdu_type = t;
        sim.inject_to_manager(
            Duration::from_millis(5),
            addr(GOOD),
            Message::new(Version::V2c, "public", p).to_bytes(),
        );
    }
    let trap = Message {
        version: Version::V1,
        community: b"public".to_vec(),
        pdu: AnyPdu::TrapV1(TrapV1Pdu {
            enterprise: oid("1.3.6.1.4.1.99999"),
            agent_addr: [10, 0, 0, 1].into(),
            generic_trap: 0,
            specific_trap: 0,
            time_stamp: 0,
            varbinds: vec![],
        }),
    };
    sim.inject_to_manager(Duration::from_millis(6), addr(GOOD), trap.to_bytes());
    sim.run_until(Duration::from_millis(10));
    assert_eq!(counts(&sim).unexpected_pdus, kinds.len() as u64 + 1);
    assert_completes_normally(&mut sim, h, 50);
}

#[test]
fn answer_in_the_wrong_version_is_dropped() {
    let (mut sim, h, answer) = one_outstanding(50);
    let mut v1 = MessageRef::decode(&answer).unwrap().to_owned();
    v1.version = Version::V1;
    sim.inject_to_manager(Duration::from_millis(5), addr(GOOD), v1.to_bytes());
    sim.run_until(Duration::from_millis(10));
    assert_eq!(counts(&sim).bad_versions, 1);
    assert_completes_normally(&mut sim, h, 50);
}

#[test]
fn answer_after_the_timeout_is_late() {
    let (mut sim, h, _) = one_outstanding(1500);
    let (at, result) = sim.wait(h);
    assert_eq!(at, Duration::from_millis(1000));
    assert_eq!(result, Err(RequestError::Timeout(addr(GOOD))));
    sim.run_until_idle();
    let s = counts(&sim);
    assert_eq!((s.timeouts, s.late_responses, s.responses), (1, 1, 0));
}

#[test]
fn wrong_community_is_not_answered() {
    let mut sim = Sim::new(5, Faults::perfect());
    sim.add_agent(agent(GOOD));
    let mut t = target(GOOD, Version::V2c, 100, 1);
    t.community = b"private".to_vec();
    let h = sim
        .send(&t, Request::Get(vec![oid("1.3.6.1.2.1.1.5.0")]))
        .unwrap();
    let (at, result) = sim.wait(h);
    assert_eq!(result, Err(RequestError::Timeout(addr(GOOD))));
    assert_eq!(at, Duration::from_millis(200));
    assert_eq!(sim.agent(addr(GOOD)).ignored, 2);
}

// ---------------------------------------------------------------------------
// Walks

fn walk_with(
    sim: &mut Sim,
    to: &str,
    version: Version,
    root: &str,
    opts: WalkOptions,
) -> Result<Vec<VarBind>, SimWalkError> {
    let w = Walk::new(oid(root), version, opts);
    sim.walk(&target(to, version, 100, 2), w)
}

fn simple_sim() -> Sim {
    let mut sim = Sim::new(21, Faults::perfect());
    sim.add_agent(agent(GOOD));
    sim
}

#[test]
fn getnext_walk_returns_the_subtree() {
    for version in [Version::V1, Version::V2c] {
        let mut sim = simple_sim();
        let got = walk_with(
            &mut sim,
            GOOD,
            version,
            "1.3.6.1.2.1.1",
            WalkOptions::getnext(),
        )
        .unwrap();
        assert_eq!(got, subtree(&standard_mib(), "1.3.6.1.2.1.1", version));
        assert_eq!(got.len(), 7);
        // One GETNEXT per object plus the one that leaves the subtree.
        let reqs = &sim.agent(addr(GOOD)).requests;
        assert_eq!(reqs.len(), 8);
        assert!(reqs.iter().all(|p| p.pdu_type == PduType::GetNextRequest));
    }
}

#[test]
fn v1_walk_ends_on_no_such_name() {
    let mut sim = simple_sim();
    let got = walk_with(
        &mut sim,
        GOOD,
        Version::V1,
        "1.3.6.1.6",
        WalkOptions::getnext(),
    )
    .unwrap();
    assert_eq!(got, subtree(&standard_mib(), "1.3.6.1.6", Version::V1));
    assert_eq!(got.len(), 1);
    let last = sim.agent(addr(GOOD)).responses.last().unwrap().clone();
    assert_eq!(last.error_status, ErrorStatus::NoSuchName.as_i32());
    // v1 skips Counter64 columns altogether.
    let got = walk_with(
        &mut sim,
        GOOD,
        Version::V1,
        "1.3.6.1.2.1.31",
        WalkOptions::getnext(),
    )
    .unwrap();
    assert!(got.is_empty());
}

#[test]
fn v2c_walk_ends_on_end_of_mib_view() {
    for opts in [
        WalkOptions::getnext(),
        WalkOptions::bulk(Repetitions::Fixed(10)),
    ] {
        let mut sim = simple_sim();
        let got = walk_with(&mut sim, GOOD, Version::V2c, "1.3.6.1.6", opts).unwrap();
        assert_eq!(got, subtree(&standard_mib(), "1.3.6.1.6", Version::V2c));
        let last = sim.agent(addr(GOOD)).responses.last().unwrap().clone();
        assert_eq!(last.varbinds.last().unwrap().value, Value::EndOfMibView);
    }
}

#[test]
fn bulk_walk_fixed_repetitions() {
    let mut sim = simple_sim();
    let got = walk_with(
        &mut sim,
        GOOD,
        Version::V2c,
        "1.3.6.1.4.1.99999.2",
        WalkOptions::bulk(Repetitions::Fixed(7)),
    )
    .unwrap();
    let want = subtree(&standard_mib(), "1.3.6.1.4.1.99999.2", Version::V2c);
    assert_eq!(want.len(), 300);
    assert_eq!(got, want);
    let reqs = &sim.agent(addr(GOOD)).requests;
    assert!(reqs.iter().all(|p| p.pdu_type == PduType::GetBulkRequest
        && p.error_index == 7
        && p.error_status == 0));
    // 300 objects, 7 at a time: 43 requests reach the end of the subtree.
    assert_eq!(reqs.len(), 43);
    // Counter64 >= 2^63 survives a bulk walk.
    let got = walk_with(
        &mut sim,
        GOOD,
        Version::V2c,
        "1.3.6.1.2.1.31",
        WalkOptions::bulk(Repetitions::Fixed(3)),
    )
    .unwrap();
    assert_eq!(got.len(), 8);
    assert!(got
        .iter()
        .all(|vb| matches!(vb.value, Value::Counter64(v) if v > 1 << 63)));
}

#[test]
fn adaptive_bulk_walk_backs_off_on_too_big_and_gen_err() {
    for status in [ErrorStatus::TooBig, ErrorStatus::GenErr] {
        for faults in [Faults::perfect(), Faults::lossy(0.2, 0.1, 1, 30)] {
            let mut sim = Sim::new(31, faults);
            let mut a = agent(GOOD);
            a.bulk_limit = Some((10, status));
            sim.add_agent(a);
            let opts = WalkOptions::bulk(Repetitions::Adaptive {
                initial: 64,
                max: 256,
            });
            let w = Walk::new(oid("1.3.6.1.4.1.99999.2"), Version::V2c, opts);
            let got = sim.walk(&target(GOOD, Version::V2c, 100, 10), w).unwrap();
            assert_eq!(
                got,
                subtree(&standard_mib(), "1.3.6.1.4.1.99999.2", Version::V2c),
                "{status:?}"
            );
            let agent = sim.agent(addr(GOOD));
            let refused = agent
                .responses
                .iter()
                .filter(|p| p.error_status == status.as_i32())
                .count();
            assert!(
                refused >= 3,
                "64 → 32 → 16 → 8 needs three refusals, saw {refused}"
            );
            // Once refused, the walk stays under the size that was accepted
            // instead of growing back into the refusal every other request.
            if faults == Faults::perfect() {
                assert_eq!(refused, 3, "no refusal after settling");
            }
            // Whatever was answered with data was at or under the agent's limit.
            for (req, resp) in agent.requests.iter().zip(&agent.responses) {
                if resp.error_status == 0 {
                    assert!(req.error_index <= 10);
                }
            }
            // After the first back-off it never asks for the whole 64 again.
            let asks: Vec<i32> = agent.requests.iter().map(|p| p.error_index).collect();
            assert_eq!(asks[0], 64);
            assert!(asks[1..].iter().all(|&r| r < 64), "{asks:?}");
        }
    }
}

#[test]
fn bulk_walk_at_one_repetition_with_too_big_is_an_error() {
    let mut sim = Sim::new(32, Faults::perfect());
    let mut a = agent(GOOD);
    a.bulk_limit = Some((0, ErrorStatus::TooBig));
    sim.add_agent(a);
    let err = walk_with(
        &mut sim,
        GOOD,
        Version::V2c,
        "1.3.6.1.2.1.1",
        WalkOptions::bulk(Repetitions::Adaptive { initial: 4, max: 8 }),
    )
    .unwrap_err();
    let SimWalkError::Walk(WalkError::Snmp(e)) = err else {
        panic!("{err:?}")
    };
    assert_eq!(e.status, ErrorStatus::TooBig);
    // 4 → 2 → 1 → error: three requests.
    assert_eq!(sim.agent(addr(GOOD)).requests.len(), 3);
}

/// An agent that, once, answers a GETNEXT/GETBULK for `after` with `instead`.
fn glitch(after: &str, instead: &str) -> oxsnmp_tests::sim::Tamper {
    let (after, instead) = (oid(after), oid(instead));
    let mut done = false;
    Box::new(move |req: &Pdu, resp: &mut Pdu| {
        if !done && req.varbinds.first().is_some_and(|vb| vb.oid == after) {
            done = true;
            if let Some(vb) = resp.varbinds.first_mut() {
                vb.oid = instead.clone();
            }
        }
    })
}

#[test]
fn non_increasing_oid_is_an_error_unless_unchecked() {
    for opts in [
        WalkOptions::getnext(),
        WalkOptions::bulk(Repetitions::Fixed(1)),
    ] {
        // Asked for the successor of sysContact.0, the agent says sysDescr.0.
        let mut sim = simple_sim();
        sim.agent_mut(addr(GOOD)).tamper = Some(glitch("1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.1.0"));
        let err = walk_with(&mut sim, GOOD, Version::V2c, "1.3.6.1.2.1.1", opts).unwrap_err();
        assert_eq!(
            err,
            SimWalkError::Walk(WalkError::NotIncreasing {
                previous: oid("1.3.6.1.2.1.1.4.0"),
                received: oid("1.3.6.1.2.1.1.1.0"),
            })
        );
        // The same OID again is not increasing either.
        let mut sim = simple_sim();
        sim.agent_mut(addr(GOOD)).tamper = Some(glitch("1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.4.0"));
        let err = walk_with(&mut sim, GOOD, Version::V2c, "1.3.6.1.2.1.1", opts).unwrap_err();
        assert!(matches!(
            err,
            SimWalkError::Walk(WalkError::NotIncreasing { .. })
        ));

        // Unchecked, the walk goes on from where the agent sent it and still ends.
        let mut sim = simple_sim();
        sim.agent_mut(addr(GOOD)).tamper = Some(glitch("1.3.6.1.2.1.1.4.0", "1.3.6.1.2.1.1.1.0"));
        let unchecked = WalkOptions {
            check_increasing: false,
            ..opts
        };
        let got = walk_with(&mut sim, GOOD, Version::V2c, "1.3.6.1.2.1.1", unchecked).unwrap();
        let names: Vec<String> = got.iter().map(|vb| vb.oid.to_string()).collect();
        let s = |i: u32| format!("1.3.6.1.2.1.1.{i}.0");
        let want: Vec<String> = [1, 2, 3, 4, 1, 2, 3, 4, 5, 6, 7].map(s).to_vec();
        assert_eq!(names, want);
    }
}

#[test]
fn walking_an_instance_gets_the_root() {
    for version in [Version::V1, Version::V2c] {
        let mut opts_list = vec![WalkOptions::getnext()];
        if version == Version::V2c {
            opts_list.push(WalkOptions::bulk(Repetitions::Fixed(5)));
        }
        for opts in opts_list {
            let mut sim = simple_sim();
            let got = walk_with(&mut sim, GOOD, version, "1.3.6.1.2.1.1.1.0", opts).unwrap();
            assert_eq!(
                got,
                vec![VarBind::new(
                    oid("1.3.6.1.2.1.1.1.0"),
                    Value::from("oxsnmp simulated agent")
                )]
            );
            let reqs = &sim.agent(addr(GOOD)).requests;
            assert_eq!(reqs.len(), 2);
            assert_eq!(reqs[1].pdu_type, PduType::GetRequest);
            assert_eq!(reqs[1].varbinds[0].oid, oid("1.3.6.1.2.1.1.1.0"));

            // A root that does not exist: nothing, in both versions.
            let mut sim = simple_sim();
            let got = walk_with(&mut sim, GOOD, version, "1.3.6.1.2.1.1.99.0", opts).unwrap();
            assert!(got.is_empty());
            assert_eq!(sim.agent(addr(GOOD)).requests.len(), 2);

            // Without get_root_if_empty, one request only.
            let mut sim = simple_sim();
            let no_root = WalkOptions {
                get_root_if_empty: false,
                ..opts
            };
            let got = walk_with(&mut sim, GOOD, version, "1.3.6.1.2.1.1.1.0", no_root).unwrap();
            assert!(got.is_empty());
            assert_eq!(sim.agent(addr(GOOD)).requests.len(), 1);
        }
    }
}

#[test]
fn walks_survive_a_bad_network() {
    for seed in 0..5 {
        let mut sim = Sim::new(seed, Faults::lossy(0.3, 0.2, 1, 80));
        sim.add_agent(agent(GOOD));
        let t = target(GOOD, Version::V2c, 100, 20);
        for opts in [
            WalkOptions::getnext(),
            WalkOptions::bulk(Repetitions::Fixed(9)),
            WalkOptions::bulk(Repetitions::default()),
        ] {
            let w = Walk::new(oid("1.3.6.1.2.1.2"), Version::V2c, opts);
            let got = sim.walk(&t, w).unwrap();
            assert_eq!(
                got,
                subtree(&standard_mib(), "1.3.6.1.2.1.2", Version::V2c),
                "seed {seed}"
            );
        }
        sim.run_until_idle();
        assert_eq!(replay(&sim), counts(&sim));
    }
}

#[test]
fn walk_reports_a_timeout() {
    let mut sim = Sim::new(2, Faults::perfect());
    let mut a = agent(SILENT);
    a.answer = Answer::Silent;
    sim.add_agent(a);
    let err = walk_with(
        &mut sim,
        SILENT,
        Version::V2c,
        "1.3.6.1.2.1.1",
        WalkOptions::getnext(),
    )
    .unwrap_err();
    assert_eq!(
        err,
        SimWalkError::Request(RequestError::Timeout(addr(SILENT)))
    );
}

// ---------------------------------------------------------------------------
// Table walks

fn expected_rows(columns: &[usize]) -> Vec<Row> {
    (1..=20)
        .filter_map(|i| {
            let values: Vec<Option<Value>> = columns.iter().map(|&c| if_cell(c, i)).collect();
            values.iter().any(Option::is_some).then(|| Row {
                index: vec![i],
                values,
            })
        })
        .collect()
}

fn table_walk(sim: &mut Sim, columns: &[usize], reps: u32) -> Vec<Row> {
    let cols = columns.iter().map(|&c| oid(IF_COLUMNS[c])).collect();
    sim.table_walk(
        &target(GOOD, Version::V2c, 100, 8),
        TableWalk::new(cols, reps, true),
    )
    .unwrap()
}

#[test]
fn table_walk_over_a_sparse_table() {
    for columns in [vec![1, 2, 3], vec![3, 2], vec![0, 1, 2, 3], vec![3]] {
        for reps in [1, 2, 3, 7, 50] {
            let mut sim = simple_sim();
            let rows = table_walk(&mut sim, &columns, reps);
            assert_eq!(
                rows,
                expected_rows(&columns),
                "columns {columns:?}, {reps} repetitions"
            );
        }
    }
    // Holes are real: some row lacks a cell in each sparse column.
    let rows = expected_rows(&[1, 2, 3]);
    for c in 0..3 {
        assert!(
            rows.iter().any(|r| r.values[c].is_none()),
            "column {c} has no hole"
        );
    }
}

#[test]
fn table_walk_with_multi_arc_indices_and_an_empty_column() {
    // ipNetToMedia-like: index = ifIndex.a.b.c.d.
    let mut m = BTreeMap::new();
    let idx = [
        [1u32, 10, 0, 0, 1],
        [1, 10, 0, 0, 2],
        [1, 192, 168, 1, 1],
        [2, 10, 0, 0, 1],
        [12, 1, 2, 3, 4],
    ];
    for (k, i) in idx.iter().enumerate() {
        m.insert(
            oid("1.3.6.1.2.1.4.22.1.2").extended(i).unwrap(),
            Value::OctetString(vec![k as u8; 6]),
        );
        if k != 2 {
            m.insert(
                oid("1.3.6.1.2.1.4.22.1.4").extended(i).unwrap(),
                Value::Integer(3),
            );
        }
    }
    m.insert(oid("1.3.6.1.2.1.5.1.0"), Value::Counter32(1));
    let mut sim = Sim::new(8, Faults::lossy(0.2, 0.2, 1, 30));
    sim.add_agent(Responder::new(addr(GOOD), m));
    for reps in [1, 2, 4, 10] {
        let cols = vec![
            oid("1.3.6.1.2.1.4.22.1.2"),
            oid("1.3.6.1.2.1.4.22.1.3"),
            oid("1.3.6.1.2.1.4.22.1.4"),
        ];
        let rows = sim
            .table_walk(
                &target(GOOD, Version::V2c, 100, 15),
                TableWalk::new(cols, reps, true),
            )
            .unwrap();
        let want: Vec<Row> = idx
            .iter()
            .enumerate()
            .map(|(k, i)| Row {
                index: i.to_vec(),
                values: vec![
                    Some(Value::OctetString(vec![k as u8; 6])),
                    None,
                    (k != 2).then_some(Value::Integer(3)),
                ],
            })
            .collect();
        assert_eq!(rows, want, "{reps} repetitions");
    }
}

#[test]
fn table_walk_backs_off_on_too_big() {
    let mut sim = simple_sim();
    sim.agent_mut(addr(GOOD)).bulk_limit = Some((3, ErrorStatus::TooBig));
    let rows = table_walk(&mut sim, &[1, 2, 3], 16);
    assert_eq!(rows, expected_rows(&[1, 2, 3]));
    let asks: Vec<i32> = sim
        .agent(addr(GOOD))
        .requests
        .iter()
        .map(|p| p.error_index)
        .collect();
    assert_eq!(&asks[..3], &[16, 8, 4]);
    assert!(asks[3..].iter().all(|&r| r == 2), "{asks:?}");
}

#[test]
fn table_walk_when_the_agent_truncates_responses() {
    // RFC 3416 §4.2.3 lets an agent return fewer varbinds than asked when the
    // response would be too large, even fewer than one per column.
    for max in [1, 2, 4, 5] {
        let mut sim = simple_sim();
        sim.agent_mut(addr(GOOD)).max_varbinds = Some(max);
        let rows = table_walk(&mut sim, &[1, 2, 3], 5);
        assert_eq!(
            rows,
            expected_rows(&[1, 2, 3]),
            "at most {max} varbinds per response"
        );
    }
    // An agent that returns no varbinds at all ends the walk rather than
    // being asked the same question forever.
    let mut sim = simple_sim();
    sim.agent_mut(addr(GOOD)).max_varbinds = Some(0);
    assert!(table_walk(&mut sim, &[1, 2, 3], 5).is_empty());
    assert_eq!(sim.agent(addr(GOOD)).requests.len(), 1);
}
#[test]
fn bulk_walk_when_the_agent_truncates_responses() {
    for max in [1, 3] {
        let mut sim = simple_sim();
        sim.agent_mut(addr(GOOD)).max_varbinds = Some(max);
        let got = walk_with(
            &mut sim,
            GOOD,
            Version::V2c,
            "1.3.6.1.2.1.2",
            WalkOptions::bulk(Repetitions::default()),
        )
        .unwrap();
        assert_eq!(got, subtree(&standard_mib(), "1.3.6.1.2.1.2", Version::V2c));
    }
}

#[test]
fn cancelled_request_completes_once_and_its_answer_is_late() {
    let (mut sim, h, _) = one_outstanding(50);
    sim.run_until(Duration::from_millis(10));
    assert!(sim.manager.cancel(h));
    // Cancelling is an input: its completion is drained here, directly.
    assert!(
        !sim.manager.cancel(h),
        "a finished request cannot be cancelled again"
    );
    let ev = sim.manager.poll_event();
    let Some(oxsnmp_core::manager::Event::Completed { handle, result }) = ev else {
        panic!("no completion for the cancelled request: {ev:?}")
    };
    assert_eq!((handle, result), (h, Err(RequestError::Cancelled)));
    assert_eq!(sim.manager.poll_event(), None);
    assert_eq!(
        sim.manager.poll_timeout(),
        None,
        "no timer left for a cancelled request"
    );
    sim.run_until_idle();
    let s = counts(&sim);
    assert_eq!(
        (s.responses, s.late_responses, s.timeouts, s.retransmits),
        (0, 1, 0, 0)
    );
}
