//! The agent (command responder) end to end, without sockets: raw messages
//! in and out, and a simulation driving a `Manager` against the `Agent` by
//! passing transmits between them with a virtual clock.

use std::alloc::{GlobalAlloc, Layout, System};
use std::borrow::Cow;
use std::cell::Cell;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::{
    Access, Agent, AgentConfig, Column, CommitFailed, Context, Found, GenErr, Lookup, MaxAccess,
    MemoryMib, Mib, ObjectType, SetError, Syntax, SystemInfo, UndoFailed,
};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, Response, RetryPolicy, Target,
};
use oxsnmp_core::walk::{Repetitions, Walk, WalkOptions};
use oxsnmp_core::{
    AnyPdu, ErrorStatus, Message, MessageRef, Oid, Pdu, PduType, Value, ValueRef, VarBind, Version,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// A counting allocator (this test binary only): allocations and live bytes
// of the current thread, to check the hot path allocates nothing and to
// measure the MIB's memory.

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize, count: bool) {
    let _ = LIVE.try_with(|l| l.set(l.get() + delta));
    if count {
        let _ = ALLOCS.try_with(|a| a.set(a.get() + 1));
    }
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches const-initialised thread-locals, which never
// allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize, true);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize, true);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize, true);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize), false);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations() -> usize {
    ALLOCS.with(Cell::get)
}

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

// ---------------------------------------------------------------------------
// Fixtures.

const BASE: &str = "1.3.6.1.4.1.99999";

fn oid(s: &str) -> Oid {
    s.parse().unwrap()
}

fn under(suffix: &str) -> Oid {
    oid(&format!("{BASE}.{suffix}"))
}

fn agent_addr() -> SocketAddr {
    "192.0.2.161:161".parse().unwrap()
}

fn manager_addr() -> SocketAddr {
    "192.0.2.10:50000".parse().unwrap()
}

/// The MIB most tests use:
/// * BASE.1.0 "hello" (read-only)
/// * BASE.2.0 Integer 5, read-write (0..10), 7 is inconsistentValue
/// * BASE.3.0 OctetString "abc", read-write SIZE (1..8)
/// * BASE.4.0 Counter64 (read-only)
/// * table BASE.5.1: .2 name (ro), .3 Counter64 (ro), .4 Integer (read-create); rows 1..=3
/// * BASE.6.0 dynamic TimeTicks = sysUpTime
/// * 1.3.6.1.2.1.2.1.0 Integer 3 (between `system` and `snmp`)
/// * 1.3.6.1.2.1.1.1.0 "shadowed" (hidden by the agent's own system group)
fn test_mib() -> MemoryMib {
    let mut mib = MemoryMib::new();
    mib.add_scalar(under("1"), "hello").unwrap();
    mib.add_object(
        ObjectType::new(under("2"), Syntax::integer_range(0, 10))
            .access(MaxAccess::ReadWrite)
            .validate(|_, v| match v {
                ValueRef::Integer(7) => Err(SetError::InconsistentValue),
                _ => Ok(()),
            }),
        5,
    )
    .unwrap();
    mib.add_object(
        ObjectType::new(under("3"), Syntax::octet_string_size(1, 8)).access(MaxAccess::ReadWrite),
        "abc",
    )
    .unwrap();
    mib.add_scalar(under("4"), Value::Counter64(1 << 40))
        .unwrap();
    let t = mib
        .add_table(
            under("5.1"),
            [
                Column::new(2, Syntax::display_string()),
                Column::new(3, Syntax::counter64()),
                Column::new(4, Syntax::integer()).access(MaxAccess::ReadCreate),
            ],
        )
        .unwrap();
    for i in 1..=3u32 {
        mib.insert_row(
            t,
            &[i],
            [
                Value::from(format!("row{i}").as_str()),
                Value::Counter64(u64::from(i) << 33),
                Value::Integer(i as i32 * 10),
            ],
        )
        .unwrap();
    }
    mib.add_dynamic(under("6"), |ctx| Value::TimeTicks(ctx.sys_up_time))
        .unwrap();
    mib.add_scalar(oid("1.3.6.1.2.1.2.1"), 3).unwrap();
    mib.add_scalar(oid("1.3.6.1.2.1.1.1"), "shadowed").unwrap();
    mib
}

fn config() -> AgentConfig {
    AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(
            SystemInfo::new("oxsnmp test agent")
                .object_id(oid("1.3.6.1.4.1.99999.100"))
                .location("lab")
                .or_entry(oid("1.3.6.1.6.3.1"), "The MIB module for SNMP entities"),
        )
}

fn new_agent(config: AgentConfig, start: Instant) -> Agent<MemoryMib> {
    Agent::new(config, test_mib(), start)
}

/// Sends one raw datagram and returns what the agent answered, if anything
/// (asserting it answered at most once, to the sender).
fn raw(agent: &mut Agent<impl Mib>, now: Instant, bytes: &[u8]) -> Option<Vec<u8>> {
    agent.handle_datagram(now, manager_addr(), bytes);
    let tx = agent.poll_transmit()?;
    assert_eq!(tx.destination, manager_addr());
    assert!(agent.poll_transmit().is_none(), "one request, one response");
    Some(tx.payload)
}

/// Sends a message and decodes the Response-PDU.
fn exchange(agent: &mut Agent<impl Mib>, now: Instant, msg: &Message) -> Option<Pdu> {
    let bytes = raw(agent, now, &msg.to_bytes())?;
    let back = MessageRef::decode(&bytes).expect("agent sent a valid message");
    assert_eq!(back.version, msg.version);
    assert_eq!(back.community, msg.community.as_slice());
    let AnyPdu::Pdu(pdu) = back.to_owned().pdu else {
        panic!("not a Response-PDU")
    };
    assert_eq!(pdu.pdu_type, PduType::Response);
    Some(pdu)
}

fn msg(version: Version, community: &str, pdu_type: PduType, varbinds: Vec<VarBind>) -> Message {
    Message::new(
        version,
        community,
        Pdu {
            pdu_type,
            request_id: 4242,
            error_status: 0,
            error_index: 0,
            varbinds,
        },
    )
}

fn nulls(oids: &[&str]) -> Vec<VarBind> {
    oids.iter().map(|s| VarBind::null(oid(s))).collect()
}

fn get(version: Version, oids: &[&str]) -> Message {
    msg(version, "public", PduType::GetRequest, nulls(oids))
}

fn get_next(version: Version, oids: &[&str]) -> Message {
    msg(version, "public", PduType::GetNextRequest, nulls(oids))
}

fn bulk(non_repeaters: i32, max_repetitions: i32, oids: &[&str]) -> Message {
    let mut m = msg(Version::V2c, "public", PduType::GetBulkRequest, nulls(oids));
    let AnyPdu::Pdu(p) = &mut m.pdu else {
        unreachable!()
    };
    p.error_status = non_repeaters;
    p.error_index = max_repetitions;
    m
}

fn set(version: Version, community: &str, varbinds: Vec<(&str, Value)>) -> Message {
    let vbs = varbinds
        .into_iter()
        .map(|(o, v)| VarBind::new(oid(o), v))
        .collect();
    msg(version, community, PduType::SetRequest, vbs)
}

fn values(pdu: &Pdu) -> Vec<Value> {
    pdu.varbinds.iter().map(|vb| vb.value.clone()).collect()
}

fn sys(n: u32) -> String {
    format!("1.3.6.1.2.1.1.{n}.0")
}

fn snmp(n: u32) -> String {
    format!("1.3.6.1.2.1.11.{n}.0")
}

// ---------------------------------------------------------------------------
// The simulation: a Manager and an Agent exchanging transmits, virtual time.

struct Sim {
    agent: Agent<MemoryMib>,
    manager: Manager,
    now: Instant,
    start: Instant,
}

impl Sim {
    fn new(config: AgentConfig) -> Self {
        let start = Instant::now();
        Self {
            agent: new_agent(config, start),
            manager: Manager::new(ManagerConfig::with_seed(7)),
            now: start,
            start,
        }
    }

    fn target(&self, version: Version, community: &str) -> Target {
        let mut t = Target::new(agent_addr(), version, community);
        t.retry = RetryPolicy {
            timeout: Duration::from_secs(1),
            retries: 2,
        };
        t
    }

    fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    /// Runs one request to completion, moving datagrams both ways and the
    /// virtual clock to each retransmission deadline.
    fn request(&mut self, target: &Target, request: Request) -> Result<Response, RequestError> {
        let handle = self
            .manager
            .send_request(self.now, target, request)
            .unwrap();
        loop {
            while let Some(tx) = self.manager.poll_transmit() {
                assert_eq!(tx.destination, agent_addr());
                self.agent
                    .handle_datagram(self.now, manager_addr(), &tx.payload);
                while let Some(reply) = self.agent.poll_transmit() {
                    assert_eq!(reply.destination, manager_addr());
                    self.manager
                        .handle_datagram(self.now, agent_addr(), &reply.payload);
                }
            }
            if let Some(Event::Completed { handle: h, result }) = self.manager.poll_event() {
                assert_eq!(h, handle);
                return result;
            }
            let deadline = self.manager.poll_timeout().expect("a request is pending");
            self.now = self.now.max(deadline);
            self.manager.handle_timeout(self.now);
        }
    }

    fn v2c(&mut self, request: Request) -> Response {
        let t = self.target(Version::V2c, "private");
        self.request(&t, request).expect("answered")
    }

    fn get_values(&mut self, oids: &[&str]) -> Vec<Value> {
        let r = self.v2c(Request::Get(oids.iter().map(|s| oid(s)).collect()));
        assert_eq!(r.error_status, ErrorStatus::NoError);
        r.varbinds.into_iter().map(|vb| vb.value).collect()
    }

    fn walk(&mut self, root: &str, version: Version, options: WalkOptions) -> Vec<VarBind> {
        let mut walk = Walk::new(oid(root), version, options);
        let target = self.target(version, "public");
        let mut out = Vec::new();
        while let Some(req) = walk.next_request() {
            let resp = self.request(&target, req).expect("answered");
            out.extend(walk.handle_response(resp).expect("walk ok"));
        }
        out
    }
}

// ---------------------------------------------------------------------------
// Get, GetNext, walks.

#[test]
fn get_values_and_v2c_exceptions() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let pdu = exchange(
        &mut agent,
        start,
        &get(
            Version::V2c,
            &[
                &format!("{BASE}.1.0"),
                &format!("{BASE}.5.1.2.2"),
                &format!("{BASE}.4.0"),
                &format!("{BASE}.1.1"),     // known object, no such instance
                &format!("{BASE}.5.1.9.1"), // unknown column
                &format!("{BASE}.5.1.2.9"), // no such row
                &sys(1),                    // served by the agent, not the MIB
            ],
        ),
    )
    .unwrap();
    assert_eq!(pdu.request_id, 4242);
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    assert_eq!(pdu.error_index, 0);
    assert_eq!(
        values(&pdu),
        [
            Value::from("hello"),
            Value::from("row2"),
            Value::Counter64(1 << 40),
            Value::NoSuchInstance,
            Value::NoSuchObject,
            Value::NoSuchInstance,
            Value::from("oxsnmp test agent"),
        ]
    );
    assert_eq!(pdu.varbinds[1].oid, under("5.1.2.2"));
    let s = agent.stats();
    assert_eq!(
        (s.in_get_requests, s.out_get_responses, s.in_total_req_vars),
        (1, 1, 4)
    );
}

#[test]
fn get_next_v2c_and_end_of_mib_view() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let pdu = exchange(
        &mut agent,
        start,
        &get_next(
            Version::V2c,
            &[
                &format!("{BASE}.1.0"),
                &format!("{BASE}.5.1.2"),
                &format!("{BASE}.6.0"),
                "1.3.6.1.2.1.1.9.1.4.1",
            ],
        ),
    )
    .unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    let names: Vec<String> = pdu.varbinds.iter().map(|vb| vb.oid.to_string()).collect();
    assert_eq!(
        names,
        [
            format!("{BASE}.2.0"),
            format!("{BASE}.5.1.2.1"),
            format!("{BASE}.6.0"), // the request's name: nothing follows
            "1.3.6.1.2.1.2.1.0".to_string(), // user object between system and snmp
        ]
    );
    assert_eq!(pdu.varbinds[2].value, Value::EndOfMibView);
    assert_eq!(pdu.varbinds[0].value, Value::Integer(5));
}

#[test]
fn walks_merge_builtin_groups_and_user_mib_in_order() {
    let mut sim = Sim::new(config());
    let by_next = sim.walk("1.3", Version::V2c, WalkOptions::getnext());
    let by_bulk = sim.walk(
        "1.3",
        Version::V2c,
        WalkOptions::bulk(Repetitions::Fixed(7)),
    );
    // The same objects; only the snmp counters moved between the walks.
    let counters = oid("1.3.6.1.2.1.11");
    let stable = |v: &[VarBind]| -> Vec<(Oid, Option<Value>)> {
        v.iter()
            .map(|vb| {
                (
                    vb.oid.clone(),
                    (!vb.oid.starts_with(&counters)).then(|| vb.value.clone()),
                )
            })
            .collect()
    };
    assert_eq!(stable(&by_next), stable(&by_bulk));
    let names: Vec<String> = by_next.iter().map(|vb| vb.oid.to_string()).collect();
    // Strictly increasing, no duplicates (Walk checks this too).
    assert!(by_next.windows(2).all(|w| w[0].oid < w[1].oid));
    // system (8 scalars, 3 sysOR cells), the user's 1.3.6.1.2.1.2.1.0, 30 snmp
    // scalars, then 1 + 1 + 1 + 1 + 9 + 1 objects under BASE.
    assert_eq!(names.len(), 8 + 3 + 1 + 30 + 14);
    assert_eq!(names[0], sys(1));
    assert_eq!(
        by_next[0].value,
        Value::from("oxsnmp test agent"),
        "built-in wins"
    );
    assert_eq!(names[11], "1.3.6.1.2.1.2.1.0");
    assert_eq!(names[12], snmp(1));
    assert_eq!(names[41], snmp(32));
    assert_eq!(names[42], format!("{BASE}.1.0"));
    assert_eq!(names.last().unwrap(), &format!("{BASE}.6.0"));
    assert!(!names.iter().any(|n| n == "1.3.6.1.2.1.1.1.0.0"));
}

#[test]
fn sys_up_time_and_dynamic_objects_follow_virtual_time() {
    let mut sim = Sim::new(config());
    let up = sys(3);
    let dynamic = format!("{BASE}.6.0");
    assert_eq!(
        sim.get_values(&[&up, &dynamic]),
        [Value::TimeTicks(0), Value::TimeTicks(0)]
    );
    sim.advance(Duration::from_millis(12_345));
    assert_eq!(
        sim.get_values(&[&up, &dynamic]),
        [Value::TimeTicks(1234), Value::TimeTicks(1234)]
    );
    sim.advance(Duration::from_secs(86_400));
    assert_eq!(sim.get_values(&[&up]), [Value::TimeTicks(8_641_234)]);
    // TimeTicks wrap at 2^32 hundredths (about 497 days).
    let start = sim.start;
    assert_eq!(
        sim.agent
            .sys_up_time(start + Duration::from_millis(10 * (1u64 << 32) + 50)),
        5
    );
    if let Some(earlier) = start.checked_sub(Duration::from_secs(1)) {
        assert_eq!(
            sim.agent.sys_up_time(earlier),
            0,
            "before the start is zero, not a panic"
        );
    }
}

#[test]
fn system_group_values_and_sys_or_table() {
    let mut sim = Sim::new(config());
    let v = sim.get_values(&[
        &sys(2),
        &sys(5),
        &sys(6),
        &sys(7),
        &sys(8),
        "1.3.6.1.2.1.1.9.1.2.1",
        "1.3.6.1.2.1.1.9.1.3.1",
    ]);
    assert_eq!(
        v,
        [
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999.100")),
            Value::from(""),
            Value::from("lab"),
            Value::Integer(72),
            Value::TimeTicks(0),
            Value::ObjectIdentifier(oid("1.3.6.1.6.3.1")),
            Value::from("The MIB module for SNMP entities"),
        ]
    );
    sim.advance(Duration::from_secs(5));
    let now = sim.now;
    let index = sim
        .agent
        .add_sys_or_entry(now, oid("1.3.6.1.2.1.31"), "IF-MIB")
        .unwrap();
    assert_eq!(index, 2);
    let row = format!("1.3.6.1.2.1.1.9.1.4.{index}");
    assert_eq!(
        sim.get_values(&[&sys(8), &row]),
        [Value::TimeTicks(500), Value::TimeTicks(500)]
    );
    sim.advance(Duration::from_secs(1));
    let now = sim.now;
    assert!(sim.agent.remove_sys_or_entry(now, 1));
    let r = sim.v2c(Request::Get(vec![
        oid(&sys(8)),
        oid("1.3.6.1.2.1.1.9.1.2.1"),
    ]));
    assert_eq!(
        values_of(&r),
        [Value::TimeTicks(600), Value::NoSuchInstance]
    );
}

fn values_of(r: &Response) -> Vec<Value> {
    r.varbinds.iter().map(|vb| vb.value.clone()).collect()
}

#[test]
fn no_system_group_leaves_it_to_the_mib() {
    let start = Instant::now();
    let mut agent = new_agent(config().system(None), start);
    let pdu = exchange(&mut agent, start, &get(Version::V2c, &[&sys(1), &sys(3)])).unwrap();
    assert_eq!(values(&pdu), [Value::from("shadowed"), Value::NoSuchObject]);
    assert_eq!(
        agent.add_sys_or_entry(start, oid("1.3.6.1.2.1.31"), "IF-MIB"),
        None
    );
}

// ---------------------------------------------------------------------------
// SNMPv1 semantics (RFC 3584 §4.2.2).

#[test]
fn v1_get_errors_echo_the_request() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let request = get(
        Version::V1,
        &[
            &format!("{BASE}.1.0"),
            &format!("{BASE}.1.1"),
            &format!("{BASE}.9.0"),
        ],
    );
    let pdu = exchange(&mut agent, start, &request).unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoSuchName);
    assert_eq!(pdu.error_index, 2, "the first failing varbind");
    let AnyPdu::Pdu(req) = &request.pdu else {
        unreachable!()
    };
    assert_eq!(
        pdu.varbinds, req.varbinds,
        "varbinds exactly as in the request"
    );

    // Counter64 is excluded from v1 views: noSuchName on GET.
    let pdu = exchange(
        &mut agent,
        start,
        &get(
            Version::V1,
            &[&format!("{BASE}.1.0"), &format!("{BASE}.4.0")],
        ),
    )
    .unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index),
        (ErrorStatus::NoSuchName, 2)
    );
    assert_eq!(pdu.varbinds[1].value, Value::Null);

    // Success looks as in v2c.
    let pdu = exchange(
        &mut agent,
        start,
        &get(Version::V1, &[&format!("{BASE}.1.0")]),
    )
    .unwrap();
    assert_eq!(
        (pdu.status(), values(&pdu)),
        (ErrorStatus::NoError, vec![Value::from("hello")])
    );
    assert_eq!(agent.stats().out_no_such_names, 2);
}

#[test]
fn v1_get_next_skips_counter64_and_ends_with_no_such_name() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    // BASE.3.0 -> (BASE.4.0 is Counter64) -> BASE.5.1.2.1
    // BASE.5.1.2.3 -> (column .3 is all Counter64) -> BASE.5.1.4.1
    let pdu = exchange(
        &mut agent,
        start,
        &get_next(
            Version::V1,
            &[&format!("{BASE}.3.0"), &format!("{BASE}.5.1.2.3")],
        ),
    )
    .unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    let names: Vec<Oid> = pdu.varbinds.iter().map(|vb| vb.oid.clone()).collect();
    assert_eq!(names, [under("5.1.2.1"), under("5.1.4.1")]);
    assert_eq!(pdu.varbinds[1].value, Value::Integer(10));

    let pdu = exchange(
        &mut agent,
        start,
        &get_next(
            Version::V1,
            &[&format!("{BASE}.1.0"), &format!("{BASE}.6.0")],
        ),
    )
    .unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index),
        (ErrorStatus::NoSuchName, 2)
    );
    assert_eq!(pdu.varbinds[1].oid, under("6.0"));

    // A whole v1 walk never sees a Counter64.
    let mut sim = Sim::new(config());
    let walked = sim.walk(BASE, Version::V1, WalkOptions::getnext());
    assert_eq!(
        walked.len(),
        14 - 4,
        "BASE.4.0 and three table cells skipped"
    );
    assert!(walked
        .iter()
        .all(|vb| !matches!(vb.value, Value::Counter64(_))));
}

#[test]
fn v1_request_carrying_counter64_is_dropped_as_ill_formed() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let m = set(
        Version::V1,
        "private",
        vec![(&format!("{BASE}.2.0"), Value::Counter64(1))],
    );
    assert_eq!(raw(&mut agent, start, &m.to_bytes()), None);
    assert_eq!(agent.stats().in_asn_parse_errs, 1);
    assert_eq!(
        agent.mib().value(under("2.0").arcs()),
        Some(&Value::Integer(5))
    );
}

#[test]
fn v1_set_errors_are_mapped() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let cases = [
        (
            format!("{BASE}.2.0"),
            Value::from("x"),
            ErrorStatus::BadValue,
        ), // wrongType
        (
            format!("{BASE}.3.0"),
            Value::from("123456789"),
            ErrorStatus::BadValue,
        ), // wrongLength
        (
            format!("{BASE}.2.0"),
            Value::Integer(11),
            ErrorStatus::BadValue,
        ), // wrongValue
        (
            format!("{BASE}.2.0"),
            Value::Integer(7),
            ErrorStatus::BadValue,
        ), // inconsistentValue
        (
            format!("{BASE}.1.0"),
            Value::from("x"),
            ErrorStatus::NoSuchName,
        ), // notWritable
        (
            format!("{BASE}.2.1"),
            Value::Integer(1),
            ErrorStatus::NoSuchName,
        ), // noCreation
        (
            format!("{BASE}.77.0"),
            Value::Integer(1),
            ErrorStatus::NoSuchName,
        ), // unknown
    ];
    for (name, value, expected) in cases {
        let m = set(
            Version::V1,
            "private",
            vec![
                (&format!("{BASE}.3.0"), Value::from("ok")),
                (&name, value.clone()),
            ],
        );
        let pdu = exchange(&mut agent, start, &m).unwrap();
        assert_eq!(
            (pdu.status(), pdu.error_index),
            (expected, 2),
            "{name} = {value:?}"
        );
        assert_eq!(pdu.varbinds[1].value, value, "echoed");
    }
    assert_eq!(
        agent.mib().value(under("3.0").arcs()),
        Some(&Value::from("abc")),
        "nothing changed"
    );
    let s = agent.stats();
    assert_eq!(
        (s.out_bad_values, s.out_no_such_names, s.in_read_onlys),
        (4, 3, 0)
    );
}

// ---------------------------------------------------------------------------
// Set.

#[test]
fn v2c_set_errors_follow_rfc3416() {
    let mut sim = Sim::new(config());
    let cases = [
        (
            format!("{BASE}.2.0"),
            Value::from("x"),
            ErrorStatus::WrongType,
        ),
        (format!("{BASE}.2.0"), Value::Null, ErrorStatus::WrongType),
        (
            format!("{BASE}.3.0"),
            Value::from(""),
            ErrorStatus::WrongLength,
        ),
        (
            format!("{BASE}.2.0"),
            Value::Integer(-1),
            ErrorStatus::WrongValue,
        ),
        (
            format!("{BASE}.2.0"),
            Value::Integer(7),
            ErrorStatus::InconsistentValue,
        ),
        (
            format!("{BASE}.1.0"),
            Value::from("x"),
            ErrorStatus::NotWritable,
        ),
        (
            format!("{BASE}.77.0"),
            Value::Integer(1),
            ErrorStatus::NotWritable,
        ),
        (
            format!("{BASE}.2.5"),
            Value::Integer(1),
            ErrorStatus::NoCreation,
        ),
        (
            format!("{BASE}.5.1.2.9"),
            Value::from("new"),
            ErrorStatus::NotWritable,
        ),
        (sys(1), Value::from("x"), ErrorStatus::NotWritable),
        (sys(6), Value::from("x"), ErrorStatus::NotWritable), // not configured writable
        (snmp(1), Value::Counter32(0), ErrorStatus::NotWritable),
        (snmp(30), Value::Integer(3), ErrorStatus::WrongValue),
    ];
    for (name, value, expected) in cases {
        let r = sim.v2c(Request::Set(vec![VarBind::new(oid(&name), value.clone())]));
        assert_eq!(
            (r.error_status, r.error_index),
            (expected, 1),
            "{name} = {value:?}"
        );
        assert_eq!(r.varbinds, vec![VarBind::new(oid(&name), value)]);
    }
    assert_eq!(sim.agent.stats().in_total_set_vars, 0);
}

#[test]
fn set_commits_creates_rows_and_is_visible() {
    let mut sim = Sim::new(config());
    let r = sim.v2c(Request::Set(vec![
        VarBind::new(under("2.0"), Value::Integer(9)),
        VarBind::new(under("3.0"), Value::from("new")),
        VarBind::new(under("5.1.4.42"), Value::Integer(420)), // read-create: new row
        VarBind::new(oid(&snmp(30)), Value::Integer(1)),
    ]));
    assert_eq!((r.error_status, r.error_index), (ErrorStatus::NoError, 0));
    assert_eq!(
        r.varbinds[2].value,
        Value::Integer(420),
        "a successful SET echoes"
    );
    let v = sim.get_values(&[
        &format!("{BASE}.2.0"),
        &format!("{BASE}.3.0"),
        &format!("{BASE}.5.1.4.42"),
        &snmp(30),
    ]);
    assert_eq!(
        v,
        [
            Value::Integer(9),
            Value::from("new"),
            Value::Integer(420),
            Value::Integer(1)
        ]
    );
    assert!(sim.agent.enable_authen_traps());
    let s = sim.agent.stats();
    assert_eq!((s.in_set_requests, s.in_total_set_vars), (1, 4));
}

#[test]
fn multi_varbind_set_with_one_bad_varbind_changes_nothing() {
    let mut sim = Sim::new(config().system(SystemInfo::new("d").location("lab").writable(true)));
    let before = sim.walk("1.3", Version::V2c, WalkOptions::getnext());
    let r = sim.v2c(Request::Set(vec![
        VarBind::new(under("2.0"), Value::Integer(1)),
        VarBind::new(oid(&sys(6)), Value::from("elsewhere")),
        VarBind::new(under("5.1.4.50"), Value::Integer(5)),
        VarBind::new(under("3.0"), Value::from("far too long")), // wrongLength
        VarBind::new(oid(&snmp(30)), Value::Integer(1)),
    ]));
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::WrongLength, 4)
    );
    let mut after = sim.walk("1.3", Version::V2c, WalkOptions::getnext());
    // The snmp counters moved with the requests; everything else is the same.
    let strip = |v: &mut Vec<VarBind>| v.retain(|vb| !vb.oid.starts_with(&oid("1.3.6.1.2.1.11")));
    let mut before = before;
    strip(&mut before);
    strip(&mut after);
    assert_eq!(before, after);
    assert_eq!(sim.get_values(&[&sys(6)]), [Value::from("lab")]);
}

/// A subtree whose commits can be made to fail, and whose undo can too.
struct Flaky {
    value: i32,
    fail_commit_of: Option<u32>,
    fail_undo: bool,
    finished: u32,
}

const FLAKY: &[u32] = &[1, 3, 6, 1, 4, 1, 99999, 8];

impl Mib for Flaky {
    type Undo = i32;
    fn get(&self, _: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
        match oid.strip_prefix(FLAKY) {
            Some([1, 0]) => Ok(Lookup::Value(Cow::Owned(Value::Integer(self.value)))),
            Some([2, 0]) => Err(GenErr),
            _ => Ok(Lookup::NoSuchObject),
        }
    }
    fn next(&self, _: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
        let mut name = FLAKY.to_vec();
        name.extend([1, 0]);
        Ok((name.as_slice() > after).then(|| Found::owned(name, Value::Integer(self.value))))
    }
    fn test_set(&self, _: &Context, _: &[u32], v: &ValueRef<'_>) -> Result<(), SetError> {
        match v {
            ValueRef::Integer(_) => Ok(()),
            _ => Err(SetError::WrongType),
        }
    }
    fn commit_set(
        &mut self,
        _: &Context,
        oid: &[u32],
        v: &ValueRef<'_>,
    ) -> Result<i32, CommitFailed> {
        let ValueRef::Integer(i) = v else {
            return Err(CommitFailed);
        };
        if oid.last().copied() == self.fail_commit_of {
            return Err(CommitFailed);
        }
        Ok(std::mem::replace(&mut self.value, *i))
    }
    fn undo_set(&mut self, _: &Context, undo: i32) -> Result<(), UndoFailed> {
        if self.fail_undo {
            return Err(UndoFailed);
        }
        self.value = undo;
        Ok(())
    }
    fn finish_set(&mut self, _: &Context) {
        self.finished += 1;
    }
}

fn flaky_agent(fail_commit_of: Option<u32>, fail_undo: bool, start: Instant) -> Agent<MemoryMib> {
    let mut mib = test_mib();
    mib.add_subtree(
        Oid::from_slice(FLAKY).unwrap(),
        Flaky {
            value: 1,
            fail_commit_of,
            fail_undo,
            finished: 0,
        },
    )
    .unwrap();
    Agent::new(config(), mib, start)
}

#[test]
fn commit_failure_undoes_earlier_assignments() {
    let start = Instant::now();
    // The Flaky instance BASE.8.1.<n>: commit fails for n == 9.
    let mut agent = flaky_agent(Some(9), false, start);
    let m = set(
        Version::V2c,
        "private",
        vec![
            (&format!("{BASE}.2.0"), Value::Integer(3)),
            (&format!("{BASE}.8.1.0"), Value::Integer(50)),
            (&format!("{BASE}.5.1.4.60"), Value::Integer(6)),
            (&format!("{BASE}.8.1.9"), Value::Integer(51)),
        ],
    );
    let pdu = exchange(&mut agent, start, &m).unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index),
        (ErrorStatus::CommitFailed, 4)
    );
    let pdu = exchange(
        &mut agent,
        start,
        &get(
            Version::V2c,
            &[
                &format!("{BASE}.2.0"),
                &format!("{BASE}.8.1.0"),
                &format!("{BASE}.5.1.4.60"),
            ],
        ),
    )
    .unwrap();
    assert_eq!(
        values(&pdu),
        [Value::Integer(5), Value::Integer(1), Value::NoSuchInstance]
    );

    // v1: commitFailed maps to genErr.
    let mut m1 = m.clone();
    m1.version = Version::V1;
    let pdu = exchange(&mut agent, start, &m1).unwrap();
    assert_eq!((pdu.status(), pdu.error_index), (ErrorStatus::GenErr, 4));

    // A SET that commits completely goes through.
    let pdu = exchange(
        &mut agent,
        start,
        &set(
            Version::V2c,
            "private",
            vec![(&format!("{BASE}.8.1.0"), Value::Integer(8))],
        ),
    )
    .unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    let pdu = exchange(
        &mut agent,
        start,
        &get(Version::V2c, &[&format!("{BASE}.8.1.0")]),
    )
    .unwrap();
    assert_eq!(values(&pdu), [Value::Integer(8)]);
}

#[test]
fn undo_failure_is_undo_failed_with_index_zero() {
    let start = Instant::now();
    let mut agent = flaky_agent(Some(9), true, start);
    let m = set(
        Version::V2c,
        "private",
        vec![
            (&format!("{BASE}.8.1.0"), Value::Integer(50)),
            (&format!("{BASE}.8.1.9"), Value::Integer(51)),
        ],
    );
    let pdu = exchange(&mut agent, start, &m).unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index),
        (ErrorStatus::UndoFailed, 0)
    );
}

#[test]
fn mib_generr_on_read_echoes_request_with_index() {
    let start = Instant::now();
    let mut agent = flaky_agent(None, false, start);
    let request = get(
        Version::V2c,
        &[&format!("{BASE}.1.0"), &format!("{BASE}.8.2.0")],
    );
    let pdu = exchange(&mut agent, start, &request).unwrap();
    assert_eq!((pdu.status(), pdu.error_index), (ErrorStatus::GenErr, 2));
    assert_eq!(
        pdu.varbinds[0].value,
        Value::Null,
        "request varbinds echoed"
    );
    assert_eq!(agent.stats().out_gen_errs, 1);
}

#[test]
fn read_only_community_set_is_refused_and_counted() {
    let mut sim = Sim::new(config());
    let name = format!("{BASE}.2.0");
    let t = sim.target(Version::V2c, "public");
    let r = sim
        .request(
            &t,
            Request::Set(vec![VarBind::new(oid(&name), Value::Integer(1))]),
        )
        .unwrap();
    // As snmpd: the read-only write view holds nothing, so the varbind is
    // notInView (RFC 3415 §3.2) and the answer noAccess naming it.
    assert_eq!((r.error_status, r.error_index), (ErrorStatus::NoAccess, 1));
    let t = sim.target(Version::V1, "public");
    let r = sim
        .request(
            &t,
            Request::Set(vec![VarBind::new(oid(&name), Value::Integer(1))]),
        )
        .unwrap();
    assert_eq!(
        (r.error_status, r.error_index),
        (ErrorStatus::NoSuchName, 1)
    );
    assert_eq!(sim.agent.stats().in_bad_community_uses, 2);
    assert_eq!(
        sim.get_values(&[&name, &snmp(5)]),
        [Value::Integer(5), Value::Counter32(2)]
    );
}

#[test]
fn writable_system_group_when_configured() {
    let mut sim = Sim::new(config().system(SystemInfo::new("d").location("lab").writable(true)));
    let r = sim.v2c(Request::Set(vec![VarBind::new(
        oid(&sys(6)),
        Value::from("rack 9"),
    )]));
    assert_eq!(r.error_status, ErrorStatus::NoError);
    assert_eq!(sim.get_values(&[&sys(6)]), [Value::from("rack 9")]);
    let r = sim.v2c(Request::Set(vec![VarBind::new(
        oid(&sys(5)),
        Value::OctetString(vec![b'x'; 256]),
    )]));
    assert_eq!(r.error_status, ErrorStatus::WrongLength);
    let r = sim.v2c(Request::Set(vec![VarBind::new(
        oid("1.3.6.1.2.1.1.5.1"),
        Value::from("x"),
    )]));
    assert_eq!(r.error_status, ErrorStatus::NoCreation);
}

// ---------------------------------------------------------------------------
// Communities, versions, unanswerable PDUs.

#[test]
fn wrong_community_is_dropped_and_counted() {
    let mut sim = Sim::new(config());
    let t = sim.target(Version::V2c, "secret");
    let r = sim.request(&t, Request::Get(vec![oid(&sys(1))]));
    assert_eq!(r, Err(RequestError::Timeout(agent_addr())));
    // 1 try + 2 retries, all dropped.
    assert_eq!(sim.agent.stats().in_bad_community_names, 3);
    assert_eq!(sim.agent.stats().out_pkts, 0);
    assert_eq!(
        sim.get_values(&[&snmp(4), &snmp(1)]),
        [Value::Counter32(3), Value::Counter32(4)]
    );
}

#[test]
fn disabled_and_unknown_versions_count_as_bad_versions() {
    let start = Instant::now();
    let mut agent = new_agent(config().versions(false, true), start);
    assert_eq!(
        raw(&mut agent, start, &get(Version::V1, &[&sys(1)]).to_bytes()),
        None
    );
    let mut v3 = get(Version::V2c, &[&sys(1)]).to_bytes();
    v3[4] = 3; // msgVersion 3
    assert_eq!(raw(&mut agent, start, &v3), None);
    assert_eq!(agent.stats().in_bad_versions, 2);
    assert!(raw(&mut agent, start, &get(Version::V2c, &[&sys(1)]).to_bytes()).is_some());
}

#[test]
fn responses_traps_and_informs_are_not_answered() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let mut response = get(Version::V2c, &[&sys(1)]);
    let AnyPdu::Pdu(p) = &mut response.pdu else {
        unreachable!()
    };
    p.pdu_type = PduType::Response;
    p.error_status = ErrorStatus::TooBig.as_i32();
    for (t, status) in [
        (PduType::Response, 1),
        (PduType::SnmpV2Trap, 0),
        (PduType::InformRequest, 0),
        (PduType::Report, 0),
    ] {
        let mut m = response.clone();
        let AnyPdu::Pdu(p) = &mut m.pdu else {
            unreachable!()
        };
        p.pdu_type = t;
        p.error_status = status;
        assert_eq!(raw(&mut agent, start, &m.to_bytes()), None, "{t:?}");
    }
    let s = agent.stats();
    assert_eq!(
        (
            s.in_get_responses,
            s.in_too_bigs,
            s.in_traps,
            s.unanswerable_pdus
        ),
        (1, 1, 1, 4)
    );
}

// ---------------------------------------------------------------------------
// Sizes: tooBig, GetBulk bounds.

#[test]
fn too_big_get_is_empty_in_v2c_and_echoed_in_v1() {
    let start = Instant::now();
    let mut mib = test_mib();
    mib.add_scalar(under("9"), Value::OctetString(vec![b'z'; 600]))
        .unwrap();
    let mut agent = Agent::new(config().max_message_size(484), mib, start);
    let big = format!("{BASE}.9.0");
    let pdu = exchange(&mut agent, start, &get(Version::V2c, &[&big])).unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index, pdu.varbinds.len()),
        (ErrorStatus::TooBig, 0, 0)
    );
    let pdu = exchange(&mut agent, start, &get(Version::V1, &[&big])).unwrap();
    assert_eq!((pdu.status(), pdu.error_index), (ErrorStatus::TooBig, 0));
    assert_eq!(pdu.varbinds, vec![VarBind::null(oid(&big))]);
    // GetNext onto it, too.
    let pdu = exchange(
        &mut agent,
        start,
        &get_next(Version::V2c, &[&format!("{BASE}.8")]),
    )
    .unwrap();
    assert_eq!(pdu.status(), ErrorStatus::TooBig);
    assert_eq!(agent.stats().out_too_bigs, 3);

    // A SET whose echo cannot fit: tooBig before anything is tested.
    let long = set(
        Version::V2c,
        "private",
        vec![(&format!("{BASE}.3.0"), Value::OctetString(vec![b'a'; 480]))],
    );
    let pdu = exchange(&mut agent, start, &long).unwrap();
    assert_eq!((pdu.status(), pdu.varbinds.len()), (ErrorStatus::TooBig, 0));
}

#[test]
fn silent_drop_when_even_too_big_does_not_fit() {
    let start = Instant::now();
    let mut agent = new_agent(config().max_message_size(20), start);
    assert_eq!(
        raw(&mut agent, start, &get(Version::V2c, &[&sys(1)]).to_bytes()),
        None
    );
    assert_eq!(agent.stats().silent_drops, 1);
    assert_eq!(agent.stats().out_pkts, 0);
}

#[test]
fn get_bulk_is_bounded_by_size_and_varbind_cap() {
    let mut sim = Sim::new(config().max_message_size(600));
    let full = sim.walk("1.3", Version::V2c, WalkOptions::getnext());
    let r = sim.v2c(Request::GetBulk {
        non_repeaters: 0,
        max_repetitions: u32::MAX,
        oids: vec![oid("1.3")],
    });
    assert_eq!(r.error_status, ErrorStatus::NoError);
    assert!(r.wire_len <= 600, "{} octets", r.wire_len);
    assert!(r.varbinds.len() > 5);
    let names = |v: &[VarBind]| v.iter().map(|vb| vb.oid.clone()).collect::<Vec<_>>();
    assert_eq!(
        names(&r.varbinds),
        names(&full[..r.varbinds.len()]),
        "the first successors, in order"
    );
    // Dropping trailing varbinds was needed: one more would not fit.
    assert!(r.varbinds.len() < full.len());

    // The varbind cap: 5 repeaters x huge M -> at most one... at least one
    // full repetition, at most max_bulk_varbinds.
    let mut sim = Sim::new(config().max_bulk_varbinds(12));
    let roots: Vec<Oid> = [
        "1.3",
        "1.3.6.1.2.1.11",
        BASE,
        "1.3.6.1.2.1.1.9",
        "1.3.6.1.2.1.1",
    ]
    .iter()
    .map(|s| oid(s))
    .collect();
    let r = sim.v2c(Request::GetBulk {
        non_repeaters: 1,
        max_repetitions: 1_000_000,
        oids: roots.clone(),
    });
    // N = 1, R = 4: (12 - 1) / 4 = 2 repetitions -> 1 + 8 varbinds.
    assert_eq!(r.varbinds.len(), 9);
    assert_eq!(r.varbinds[0].oid, oid(&sys(1)));
    assert_eq!(r.varbinds[1].oid, oid(&snmp(1)), "repeater 1, repetition 1");
    assert_eq!(r.varbinds[5].oid, oid(&snmp(2)), "repeater 1, repetition 2");
    assert_eq!(r.varbinds[6].oid, under("2.0"), "repeater 2, repetition 2");
    // More repeaters than the cap: still one full repetition.
    let many: Vec<Oid> = (0..40).map(|_| oid("1.3")).collect();
    let r = sim.v2c(Request::GetBulk {
        non_repeaters: 0,
        max_repetitions: 50,
        oids: many,
    });
    assert_eq!(r.varbinds.len(), 40);
}

#[test]
fn get_bulk_rules_for_end_of_mib_view_and_odd_fields() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    // Near the end: BASE.5.1.4.3 -> BASE.6.0 -> end. Repetitions stop after
    // the first all-endOfMibView one; its name is the last successor.
    let pdu = exchange(
        &mut agent,
        start,
        &bulk(0, 10, &[&format!("{BASE}.5.1.4.3")]),
    )
    .unwrap();
    let got: Vec<(Oid, Value)> = pdu
        .varbinds
        .iter()
        .map(|vb| (vb.oid.clone(), vb.value.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (under("6.0"), Value::TimeTicks(0)),
            (under("6.0"), Value::EndOfMibView),
        ]
    );
    // Two repeaters, one ends first: it keeps reporting endOfMibView under
    // its last name while the other continues.
    let pdu = exchange(
        &mut agent,
        start,
        &bulk(0, 3, &[&format!("{BASE}.6.0"), &format!("{BASE}.5.1.4.1")]),
    )
    .unwrap();
    let got: Vec<(Oid, Value)> = pdu
        .varbinds
        .iter()
        .map(|vb| (vb.oid.clone(), vb.value.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (under("6.0"), Value::EndOfMibView),
            (under("5.1.4.2"), Value::Integer(20)),
            (under("6.0"), Value::EndOfMibView),
            (under("5.1.4.3"), Value::Integer(30)),
            (under("6.0"), Value::EndOfMibView),
            (under("6.0"), Value::TimeTicks(0)),
        ]
    );
    // Negative fields count as zero; non-repeaters beyond the list are N = len.
    let pdu = exchange(&mut agent, start, &bulk(-5, -1, &[&format!("{BASE}.1.0")])).unwrap();
    assert_eq!(
        (pdu.status(), pdu.varbinds.len()),
        (ErrorStatus::NoError, 0)
    );
    let pdu = exchange(
        &mut agent,
        start,
        &bulk(7, 9, &[&format!("{BASE}.1.0"), &format!("{BASE}.2.0")]),
    )
    .unwrap();
    assert_eq!(
        pdu.varbinds
            .iter()
            .map(|vb| vb.oid.clone())
            .collect::<Vec<_>>(),
        [under("2.0"), under("3.0")]
    );
    assert_eq!(agent.stats().in_get_bulks, 4);
}

#[test]
fn get_bulk_too_big_only_when_nothing_useful_fits() {
    let start = Instant::now();
    let mut mib = test_mib();
    mib.add_scalar(under("0"), Value::OctetString(vec![b'z'; 600]))
        .unwrap();
    let mut agent = Agent::new(config().max_message_size(484), mib, start);
    // The non-repeater's successor (BASE.0.0) cannot fit: tooBig.
    let pdu = exchange(&mut agent, start, &bulk(1, 5, &[BASE, "1.3"])).unwrap();
    assert_eq!((pdu.status(), pdu.varbinds.len()), (ErrorStatus::TooBig, 0));
    // Nothing but the first repetition's first varbind: tooBig as well.
    let pdu = exchange(&mut agent, start, &bulk(0, 5, &[BASE])).unwrap();
    assert_eq!(pdu.status(), ErrorStatus::TooBig);
    // Whereas a response cut after some varbinds is noError.
    let pdu = exchange(&mut agent, start, &bulk(0, 5, &["1.3.6.1.2.1.11.31", BASE])).unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    assert_eq!(pdu.varbinds.len(), 1);
    assert_eq!(pdu.varbinds[0].oid, oid(&snmp(31)));
    // Only the varbind sent counts as retrieved (snmpInTotalReqVars).
    assert_eq!(agent.stats().in_total_req_vars, 1);
}

// ---------------------------------------------------------------------------
// Hostile input.

#[test]
fn burst_of_malformed_datagrams_then_a_valid_request_is_answered() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let valid = get(Version::V2c, &[&sys(1)]).to_bytes();
    let mut junk: Vec<Vec<u8>> = vec![
        vec![],
        vec![0x30],
        vec![0x30, 0x80, 0x00, 0x00],
        vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
        vec![0xff; 100],
        vec![0x30, 0x03, 0x02, 0x01, 0x01],
    ];
    for cut in 0..valid.len() {
        junk.push(valid[..cut].to_vec());
    }
    let mut trailing = valid.clone();
    trailing.push(0);
    junk.push(trailing);
    let mut bad_pdu = valid.clone();
    let pdu_at = 2 + 3 + 2 + 6; // SEQ hdr, version, community "public"
    assert_eq!(bad_pdu[pdu_at], 0xa0);
    bad_pdu[pdu_at] = 0xa9; // no such PDU type
    junk.push(bad_pdu);
    let v1_bulk = {
        let mut b = bulk(0, 5, &[&sys(1)]);
        b.version = Version::V1;
        b.to_bytes()
    };
    junk.push(v1_bulk);
    let n = junk.len() as u64;
    for j in &junk {
        assert_eq!(raw(&mut agent, start, j), None);
    }
    assert_eq!(agent.stats().in_asn_parse_errs, n);
    assert_eq!(agent.stats().in_pkts, n);
    let pdu = exchange(&mut agent, start, &get(Version::V2c, &[&sys(1), &snmp(6)])).unwrap();
    assert_eq!(
        values(&pdu),
        [Value::from("oxsnmp test agent"), Value::Counter32(n as u32)]
    );
}

#[test]
fn thousands_of_varbinds() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let names: Vec<String> = (0..2000)
        .map(|i| {
            if i % 2 == 0 {
                sys(1)
            } else {
                format!("{BASE}.5.1.2.{}", i + 100)
            }
        })
        .collect();
    let refs: Vec<&str> = names.iter().map(String::as_str).collect();
    let pdu = exchange(&mut agent, start, &get(Version::V2c, &refs)).unwrap();
    assert_eq!(pdu.varbinds.len(), 2000);
    assert_eq!(pdu.varbinds[1].value, Value::NoSuchInstance);

    // Under a 1472-octet limit the same request is tooBig.
    let mut small = new_agent(config().max_message_size(1472), start);
    let pdu = exchange(&mut small, start, &get(Version::V2c, &refs)).unwrap();
    assert_eq!(pdu.status(), ErrorStatus::TooBig);

    // A GetBulk with 5000 repeaters and a huge M: one repetition, cut to size.
    let many: Vec<&str> = (0..5000).map(|_| "1.3").collect();
    let bytes = raw(&mut agent, start, &bulk(0, i32::MAX, &many).to_bytes()).unwrap();
    assert!(bytes.len() <= 65507);
    let back = MessageRef::decode(&bytes).unwrap();
    let pdu = back.pdu().unwrap();
    assert_eq!(pdu.status(), ErrorStatus::NoError);
    assert!(pdu.varbinds.len() <= 5000 && pdu.varbinds.len() > 100);

    // A SET of 2000 varbinds where the last is bad: nothing is applied.
    let mut vbs: Vec<(&str, Value)> = Vec::new();
    let row_names: Vec<String> = (0..2000)
        .map(|i| format!("{BASE}.5.1.4.{}", 1000 + i))
        .collect();
    for n in &row_names {
        vbs.push((n.as_str(), Value::Integer(1)));
    }
    let bad = format!("{BASE}.2.0");
    vbs.push((bad.as_str(), Value::Integer(99)));
    let pdu = exchange(&mut agent, start, &set(Version::V2c, "private", vbs)).unwrap();
    assert_eq!(
        (pdu.status(), pdu.error_index),
        (ErrorStatus::WrongValue, 2001)
    );
    assert_eq!(agent.mib().len(), test_mib().len());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Arbitrary bytes never panic the agent; whatever it sends back is a
    /// well-formed response, and it keeps serving.
    #[test]
    fn random_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
        let start = Instant::now();
        let mut agent = new_agent(config(), start);
        agent.handle_datagram(start, manager_addr(), &bytes);
        while let Some(tx) = agent.poll_transmit() {
            prop_assert!(MessageRef::decode(&tx.payload).is_ok());
        }
        prop_assert!(raw(&mut agent, start, &get(Version::V2c, &[&sys(1)]).to_bytes()).is_some());
    }

    /// Valid requests with one byte changed: never a panic, every response
    /// decodes and fits the limit.
    #[test]
    fn mutated_requests_never_panic(
        which in 0usize..6,
        pos in any::<prop::sample::Index>(),
        byte in any::<u8>(),
        max in 100usize..2000,
    ) {
        let start = Instant::now();
        let mut agent = new_agent(config().max_message_size(max), start);
        let requests = [
            get(Version::V2c, &[&sys(1), &format!("{BASE}.5.1.2.1")]),
            get_next(Version::V1, &[&format!("{BASE}.3.0"), "1.3"]),
            bulk(1, 20, &["1.3", &format!("{BASE}.5")]),
            set(Version::V2c, "private", vec![(&format!("{BASE}.2.0"), Value::Integer(3)), (&format!("{BASE}.5.1.4.9"), Value::Integer(1))]),
            set(Version::V1, "private", vec![(&format!("{BASE}.3.0"), Value::from("xy"))]),
            get(Version::V1, &[&format!("{BASE}.4.0")]),
        ];
        let mut bytes = requests[which].to_bytes();
        let i = pos.index(bytes.len());
        bytes[i] = byte;
        agent.handle_datagram(start, manager_addr(), &bytes);
        while let Some(tx) = agent.poll_transmit() {
            prop_assert!(tx.payload.len() <= max);
            prop_assert!(MessageRef::decode(&tx.payload).is_ok());
        }
        let s = agent.stats();
        prop_assert_eq!(s.in_pkts, 1);
        prop_assert!(raw(&mut agent, start, &get(Version::V2c, &[&sys(3)]).to_bytes()).is_some());
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// GetBulk never exceeds the size limit or the varbind cap (beyond one
    /// full repetition), and every repeater's names increase.
    #[test]
    fn get_bulk_bounds_hold(
        non_repeaters in 0i32..3,
        max_repetitions in 0i32..400,
        max_size in 484usize..4000,
        cap in 1usize..150,
        roots in prop::collection::vec(prop::sample::select(vec![
            "1.3", "1.3.6.1.2.1.1", "1.3.6.1.2.1.1.9.1", "1.3.6.1.2.1.11.30", "1.3.6.1.4.1.99999.5.1.3", "1.3.6.1.4.1.99999.6.0", "2.5",
        ]), 0..6),
    ) {
        let start = Instant::now();
        let mut agent = new_agent(config().max_message_size(max_size).max_bulk_varbinds(cap), start);
        let bytes = raw(&mut agent, start, &bulk(non_repeaters, max_repetitions, &roots).to_bytes()).unwrap();
        prop_assert!(bytes.len() <= max_size);
        let m = MessageRef::decode(&bytes).unwrap();
        let pdu = m.pdu().unwrap().to_owned();
        let n = (non_repeaters as usize).min(roots.len());
        let r = roots.len() - n;
        if pdu.status() == ErrorStatus::TooBig {
            prop_assert!(pdu.varbinds.is_empty());
            return Ok(());
        }
        prop_assert_eq!(pdu.status(), ErrorStatus::NoError);
        prop_assert!(pdu.varbinds.len() <= cap.max(n + r));
        prop_assert!(pdu.varbinds.len() <= n + r * max_repetitions as usize);
        prop_assert!(pdu.varbinds.len() >= n);
        for j in 0..r {
            let column: Vec<&VarBind> = pdu.varbinds.iter().skip(n + j).step_by(r).collect();
            for w in column.windows(2) {
                prop_assert!(
                    w[0].oid < w[1].oid || (w[1].value == Value::EndOfMibView && w[0].oid == w[1].oid),
                    "repeater {} not increasing: {} then {}", j, w[0].oid, w[1].oid
                );
            }
        }
    }
}

#[test]
fn agent_is_send() {
    fn assert_send<T: Send>() {}
    assert_send::<Agent<MemoryMib>>();
    assert_send::<MemoryMib>();
}

// ---------------------------------------------------------------------------
// Performance properties.

#[test]
fn hot_path_allocates_nothing_in_steady_state() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let requests: Vec<Vec<u8>> = [
        get(
            Version::V2c,
            &[&sys(1), &sys(3), &format!("{BASE}.5.1.2.2")],
        ),
        get_next(
            Version::V2c,
            &[&format!("{BASE}.5.1.2.1"), "1.3.6.1.2.1.11.4"],
        ),
        bulk(1, 10, &[&sys(1), &format!("{BASE}.5.1")]),
        get(Version::V1, &[&format!("{BASE}.1.0")]),
        get(Version::V2c, &[&format!("{BASE}.9.9")]),
    ]
    .iter()
    .map(Message::to_bytes)
    .collect();
    let mut buf = Vec::with_capacity(2048);
    // Warm up: scratch buffers reach their working size.
    for r in &requests {
        agent.handle_datagram(start, manager_addr(), r);
        assert!(agent.poll_transmit_into(&mut buf).is_some());
    }
    let before = allocations();
    for _ in 0..100 {
        for r in &requests {
            agent.handle_datagram(start, manager_addr(), r);
            assert_eq!(agent.poll_transmit_into(&mut buf), Some(manager_addr()));
            assert!(agent.poll_transmit_into(&mut buf).is_none());
        }
    }
    assert_eq!(allocations() - before, 0, "allocations on the request path");
}

/// Builds a MemoryMib of 1,000,000 objects (a 200,000-row, 5-column table),
/// reports time and heap, and checks lookups stay exact and fast.
#[test]
fn million_object_mib() {
    const ROWS: u32 = 200_000;
    let heap0 = live_bytes();
    let t0 = Instant::now();
    let mut mib = MemoryMib::new();
    let t = mib
        .add_table(
            under("10.1"),
            [
                Column::new(1, Syntax::integer()),
                Column::new(2, Syntax::display_string()),
                Column::new(3, Syntax::counter32()),
                Column::new(4, Syntax::gauge32()),
                Column::new(5, Syntax::integer()).access(MaxAccess::ReadWrite),
            ],
        )
        .unwrap();
    for i in 1..=ROWS {
        mib.insert_row(
            t,
            &[i],
            [
                Value::Integer(i as i32),
                Value::from("if"),
                Value::Counter32(i),
                Value::Gauge32(1000),
                Value::Integer(1),
            ],
        )
        .unwrap();
    }
    let build = t0.elapsed();
    let heap = live_bytes() - heap0;
    assert_eq!(mib.len(), 1_000_000);

    let start = Instant::now();
    let mut agent = Agent::new(config(), mib, start);
    let t1 = Instant::now();
    let n = 20_000u32;
    for k in 0..n {
        let row = 1 + (k * 7919) % ROWS;
        let pdu = exchange(
            &mut agent,
            start,
            &get_next(Version::V2c, &[&format!("{BASE}.10.1.3.{row}")]),
        )
        .unwrap();
        let expect = if row == ROWS {
            under("10.1.4.1")
        } else {
            under(&format!("10.1.3.{}", row + 1))
        };
        assert_eq!(pdu.varbinds[0].oid, expect);
    }
    let per = t1.elapsed() / n;
    eprintln!(
        "1,000,000 objects: build {build:?}, heap {:.1} MB ({} B/object), GETNEXT round trip {per:?} (debug build unless --release)",
        heap as f64 / 1e6,
        heap / 1_000_000
    );
    // Generous bound that still catches an O(n) lookup (a linear scan of a
    // million entries takes milliseconds even in release).
    assert!(per < Duration::from_millis(5), "{per:?} per request");
    assert!(heap < 400_000_000, "{heap} bytes");
}

/// Rough requests per second of the core alone (run with
/// `cargo test --release -p oxsnmp-core --test agent -- --ignored --nocapture`).
#[test]
#[ignore]
fn throughput() {
    let start = Instant::now();
    let mut agent = new_agent(config(), start);
    let cases = [
        ("get sysDescr", get(Version::V2c, &[&sys(1)]).to_bytes()),
        (
            "get 10 table cells",
            get(
                Version::V2c,
                &(1..=10)
                    .map(|i| format!("{BASE}.5.1.2.{}", 1 + i % 3))
                    .collect::<Vec<_>>()
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>(),
            )
            .to_bytes(),
        ),
        (
            "getnext",
            get_next(Version::V2c, &[&format!("{BASE}.5.1.2.1")]).to_bytes(),
        ),
        ("getbulk 0/20 from 1.3", bulk(0, 20, &["1.3"]).to_bytes()),
    ];
    let mut buf = Vec::with_capacity(65536);
    for (name, req) in &cases {
        let n = 500_000;
        let t = Instant::now();
        for _ in 0..n {
            agent.handle_datagram(start, manager_addr(), req);
            while agent.poll_transmit_into(&mut buf).is_some() {}
        }
        let el = t.elapsed();
        eprintln!(
            "{name}: {:.0} requests/s ({:?} each)",
            n as f64 / el.as_secs_f64(),
            el / n
        );
    }
}
