//! Recorded devices served by the agent: a `Manager` walking an `Agent`
//! over a `RecordedMib` (datagrams passed by hand, virtual clock) gets back
//! exactly the recorded records, in order, with their types; and the flat
//! store's memory next to a `MemoryMib` holding the same instances.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use oxsnmp_core::agent::recording::{parse_snmprec, parse_snmpwalk, RecordedMib, RecordingFormat};
use oxsnmp_core::agent::{Access, Agent, AgentConfig, Column, MemoryMib, Mib, Syntax};
use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, Response, RetryPolicy, Target,
};
use oxsnmp_core::walk::{Repetitions, Walk, WalkOptions};
use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};

// A counting allocator (this test binary only): live bytes of the current
// thread, to measure the stores.

struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn note(delta: isize) {
    let _ = LIVE.try_with(|l| l.set(l.get() + delta));
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches a const-initialised thread-local, which never
// allocates.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        note(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

/// A small device: every snmprec type an agent can return, records out of
/// order in the file, a subtree between `system` and `snmp`, one past the
/// `snmp` group and Counter64s for the v1 rule.
const RECORDING: &str = "\
# A recorded router (snmpsim format)
1.3.6.1.2.1.1.1.0|4|Linux router 5.10.0 #1 SMP x86_64
1.3.6.1.2.1.1.2.0|6|1.3.6.1.4.1.8072.3.2.10
1.3.6.1.2.1.1.3.0|67|8640042
1.3.6.1.2.1.1.4.0|4|
1.3.6.1.2.1.1.5.0|4|router | core
1.3.6.1.2.1.1.7.0|2|72
1.3.6.1.2.1.2.1.0|2|2
1.3.6.1.2.1.2.2.1.2.1|4|lo
1.3.6.1.2.1.2.2.1.2.2|4|eth0
1.3.6.1.2.1.2.2.1.1.2|2|2
1.3.6.1.2.1.2.2.1.1.1|2|1
1.3.6.1.2.1.2.2.1.5.1|66|10000000
1.3.6.1.2.1.2.2.1.5.2|66|1000000000
1.3.6.1.2.1.2.2.1.6.1|4x|
1.3.6.1.2.1.2.2.1.6.2|4x|001a2b3c4d5e
1.3.6.1.2.1.2.2.1.10.1|65|4294967295
1.3.6.1.2.1.2.2.1.10.2|65|123
1.3.6.1.2.1.4.20.1.1.192.0.2.1|64|192.0.2.1
1.3.6.1.2.1.4.20.1.1.198.51.100.7|64x|c6336407
1.3.6.1.2.1.31.1.1.1.6.1|70|18446744073709551615
1.3.6.1.2.1.31.1.1.1.6.2|70|5000000000
1.3.6.1.4.1.8072.1.1.0|68x|9f780441c80000
1.3.6.1.4.1.8072.1.2.0|68|raw
";

fn agent_addr() -> SocketAddr {
    "192.0.2.161:161".parse().unwrap()
}

fn manager_addr() -> SocketAddr {
    "192.0.2.10:50000".parse().unwrap()
}

struct Sim<M: Mib> {
    agent: Agent<M>,
    manager: Manager,
    now: Instant,
}

impl<M: Mib> Sim<M> {
    fn new(mib: M) -> Self {
        // No system group of our own: the recorded one is served.
        Self::with_config(
            mib,
            AgentConfig::new()
                .community("public", Access::ReadOnly)
                .system(None),
        )
    }

    fn with_config(mib: M, config: AgentConfig) -> Self {
        let now = Instant::now();
        Self {
            agent: Agent::new(config, mib, now),
            manager: Manager::new(ManagerConfig::with_seed(11)),
            now,
        }
    }

    fn request(&mut self, version: Version, request: Request) -> Result<Response, RequestError> {
        let mut target = Target::new(agent_addr(), version, "public");
        target.retry = RetryPolicy {
            timeout: Duration::from_secs(1),
            retries: 1,
        };
        let handle = self
            .manager
            .send_request(self.now, &target, request)
            .unwrap();
        loop {
            while let Some(tx) = self.manager.poll_transmit() {
                self.agent
                    .handle_datagram(self.now, manager_addr(), &tx.payload);
                while let Some(reply) = self.agent.poll_transmit() {
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

    fn walk(&mut self, root: &str, version: Version, options: WalkOptions) -> Vec<VarBind> {
        let mut walk = Walk::new(root.parse().unwrap(), version, options);
        let mut out = Vec::new();
        while let Some(req) = walk.next_request() {
            let resp = self.request(version, req).expect("answered");
            out.extend(walk.handle_response(resp).expect("walk ok"));
        }
        out
    }
}

/// The recording's records sorted by OID, as varbinds.
fn expected(text: &str) -> Vec<VarBind> {
    let mut records = parse_snmprec(text).unwrap();
    records.sort_by(|a, b| a.oid.cmp(&b.oid));
    records
        .into_iter()
        .map(|r| VarBind::new(r.oid, r.value))
        .collect()
}

/// The walk without the agent's own `snmp` group (1.3.6.1.2.1.11), which
/// every agent serves from its counters; checks it is there.
fn without_snmp_group(walk: Vec<VarBind>) -> Vec<VarBind> {
    let snmp: Oid = "1.3.6.1.2.1.11".parse().unwrap();
    let (own, recorded): (Vec<VarBind>, Vec<VarBind>) =
        walk.into_iter().partition(|vb| vb.oid.starts_with(&snmp));
    assert_eq!(own.len(), 30, "snmpInPkts.0 to snmpProxyDrops.0");
    recorded
}

#[test]
fn walks_return_exactly_the_recorded_records() {
    let mib = RecordedMib::parse(RecordingFormat::Snmprec, RECORDING).unwrap();
    let want = expected(RECORDING);
    assert_eq!(mib.len(), want.len());
    let mut sim = Sim::new(mib);
    for options in [
        WalkOptions::getnext(),
        WalkOptions::bulk(Repetitions::Fixed(1)),
        WalkOptions::bulk(Repetitions::Fixed(7)),
        WalkOptions::bulk(Repetitions::default()),
    ] {
        let got = sim.walk("1.3.6", Version::V2c, options);
        assert_eq!(without_snmp_group(got), want, "{options:?}");
    }
    // Types survive the trip: the Counter64 maximum, empty and binary strings.
    let got = sim.walk("1.3.6.1.2.1.31", Version::V2c, WalkOptions::getnext());
    assert_eq!(got[0].value, Value::Counter64(u64::MAX));
    let got = sim.walk("1.3.6.1.2.1.2.2.1.6", Version::V2c, WalkOptions::getnext());
    assert_eq!(got[0].value, Value::OctetString(vec![]));
    assert_eq!(
        got[1].value,
        Value::OctetString(vec![0, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e])
    );

    // SNMPv1 sees everything but the Counter64s (RFC 3584 §4.2.2.1).
    let v1 = without_snmp_group(sim.walk("1.3.6", Version::V1, WalkOptions::getnext()));
    let without_c64: Vec<VarBind> = want
        .iter()
        .filter(|vb| !matches!(vb.value, Value::Counter64(_)))
        .cloned()
        .collect();
    assert_eq!(v1, without_c64);
}

/// With `snmp_group(false)` a replay is the recording and nothing else:
/// its own snmp group as recorded, none added to a recording without one.
#[test]
fn without_the_agents_snmp_group_the_recording_is_all_there_is() {
    let config = || {
        AgentConfig::new()
            .community("public", Access::ReadOnly)
            .system(None)
            .snmp_group(false)
    };
    let with_snmp = format!(
        "{RECORDING}1.3.6.1.2.1.11.1.0|65|4242\n1.3.6.1.2.1.11.30.0|2|1\n1.3.6.1.2.1.11.99.0|4|odd\n"
    );
    let mib = RecordedMib::parse(RecordingFormat::Snmprec, &with_snmp).unwrap();
    let want = expected(&with_snmp);
    let mut sim = Sim::with_config(mib, config());
    for options in [
        WalkOptions::getnext(),
        WalkOptions::bulk(Repetitions::Fixed(7)),
    ] {
        let got = sim.walk("1.3.6", Version::V2c, options);
        assert_eq!(got, want, "{options:?}");
    }
    // The recorded counter, after requests that would have moved the agent's.
    let r = sim
        .request(
            Version::V2c,
            Request::Get(vec!["1.3.6.1.2.1.11.1.0".parse().unwrap()]),
        )
        .unwrap();
    assert_eq!(r.varbinds[0].value, Value::Counter32(4242));
    // snmpEnableAuthenTraps is the recording's too: not writable.
    let r = sim
        .request(
            Version::V2c,
            Request::Get(vec!["1.3.6.1.2.1.11.2.0".parse().unwrap()]),
        )
        .unwrap();
    assert_eq!(r.varbinds[0].value, Value::NoSuchObject);

    // A recording without an snmp group gets none.
    let mib = RecordedMib::parse(RecordingFormat::Snmprec, RECORDING).unwrap();
    let mut sim = Sim::with_config(mib, config());
    let got = sim.walk("1.3.6", Version::V2c, WalkOptions::getnext());
    assert_eq!(got, expected(RECORDING));
    let r = sim
        .request(
            Version::V2c,
            Request::Get(vec!["1.3.6.1.2.1.11.1.0".parse().unwrap()]),
        )
        .unwrap();
    assert_eq!(r.varbinds[0].value, Value::NoSuchObject);
}

#[test]
fn get_answers_records_and_exceptions_and_refuses_set() {
    let mib = RecordedMib::parse(RecordingFormat::Snmprec, RECORDING).unwrap();
    let mut sim = Sim::new(mib);
    let oids: Vec<Oid> = [
        "1.3.6.1.2.1.1.5.0",
        "1.3.6.1.2.1.1.3.0",
        "1.3.6.1.2.1.2.2.1.2.3",
        "1.3.6.1.2.1.1.9.0",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let r = sim.request(Version::V2c, Request::Get(oids)).unwrap();
    let values: Vec<Value> = r.varbinds.into_iter().map(|vb| vb.value).collect();
    assert_eq!(
        values,
        [
            Value::from("router | core"),
            // The recorded sysUpTime, not the agent's.
            Value::TimeTicks(8_640_042),
            Value::NoSuchInstance,
            Value::NoSuchObject,
        ]
    );
    let set = Request::Set(vec![VarBind::new(
        "1.3.6.1.2.1.1.5.0".parse().unwrap(),
        Value::from("x"),
    )]);
    let r = sim.request(Version::V2c, set).unwrap();
    // The read-only community is refused before the MIB is asked.
    assert_eq!((r.error_status, r.error_index), (ErrorStatus::NoAccess, 1));
}

#[test]
fn snmpwalk_output_replays_like_the_snmprec_it_came_from() {
    // What `snmpwalk -On` prints for the recording above (v2c), trailer included.
    let walk_text = "\
.1.3.6.1.2.1.1.1.0 = STRING: \"Linux router 5.10.0 #1 SMP x86_64\"
.1.3.6.1.2.1.1.2.0 = OID: .1.3.6.1.4.1.8072.3.2.10
.1.3.6.1.2.1.1.3.0 = Timeticks: (8640042) 1 day, 0:00:00.42
.1.3.6.1.2.1.1.4.0 = \"\"
.1.3.6.1.2.1.1.5.0 = STRING: \"router | core\"
.1.3.6.1.2.1.1.7.0 = INTEGER: 72
.1.3.6.1.2.1.2.1.0 = INTEGER: 2
.1.3.6.1.2.1.2.2.1.1.1 = INTEGER: 1
.1.3.6.1.2.1.2.2.1.1.2 = INTEGER: 2
.1.3.6.1.2.1.2.2.1.2.1 = STRING: \"lo\"
.1.3.6.1.2.1.2.2.1.2.2 = STRING: \"eth0\"
.1.3.6.1.2.1.2.2.1.5.1 = Gauge32: 10000000
.1.3.6.1.2.1.2.2.1.5.2 = Gauge32: 1000000000
.1.3.6.1.2.1.2.2.1.6.1 = \"\"
.1.3.6.1.2.1.2.2.1.6.2 = Hex-STRING: 00 1A 2B 3C 4D 5E 
.1.3.6.1.2.1.2.2.1.10.1 = Counter32: 4294967295
.1.3.6.1.2.1.2.2.1.10.2 = Counter32: 123
.1.3.6.1.2.1.4.20.1.1.192.0.2.1 = IpAddress: 192.0.2.1
.1.3.6.1.2.1.4.20.1.1.198.51.100.7 = IpAddress: 198.51.100.7
.1.3.6.1.2.1.31.1.1.1.6.1 = Counter64: 18446744073709551615
.1.3.6.1.2.1.31.1.1.1.6.2 = Counter64: 5000000000
.1.3.6.1.4.1.8072.1.1.0 = Opaque: Float: 25.000000
.1.3.6.1.4.1.8072.1.2.0 = OPAQUE: 72 61 77 
.1.3.6.1.4.1.8072.1.2.0 = No more variables left in this MIB View (It is past the end of the MIB tree)
";
    let from_walk = RecordedMib::parse(RecordingFormat::Snmpwalk, walk_text).unwrap();
    let from_rec = RecordedMib::parse(RecordingFormat::Snmprec, RECORDING).unwrap();
    assert_eq!(from_walk.len(), from_rec.len());
    for ((a_oid, a), (b_oid, b)) in from_walk.iter().zip(from_rec.iter()) {
        assert_eq!(a_oid, b_oid);
        assert_eq!(a, b, "{a_oid:?}");
    }
    assert_eq!(parse_snmpwalk(walk_text).unwrap().len(), 23);
}

/// The flat store against a `MemoryMib` holding the same 1,000,000
/// instances (a 200,000-row, 5-column table), heap measured by the
/// counting allocator; and lookups through the agent stay fast.
#[test]
fn recorded_mib_is_compact_and_fast() {
    const ROWS: u32 = 200_000;
    let cell = |col: u32, row: u32| -> Vec<u32> { vec![1, 3, 6, 1, 4, 1, 99999, 10, 1, col, row] };
    let value = |col: u32, row: u32| match col {
        1 => Value::Integer(row as i32),
        2 => Value::from("if"),
        3 => Value::Counter32(row),
        4 => Value::Gauge32(1000),
        _ => Value::Integer(1),
    };

    let heap0 = live_bytes();
    let mut records = Vec::with_capacity(ROWS as usize * 5);
    for col in 1..=5 {
        for row in 1..=ROWS {
            records.push(oxsnmp_core::agent::recording::Record {
                line: 0,
                oid: Oid::from_arcs(cell(col, row)).unwrap(),
                value: value(col, row),
            });
        }
    }
    let t0 = Instant::now();
    let recorded = RecordedMib::from_records(records).unwrap();
    let recorded_build = t0.elapsed();
    let recorded_heap = live_bytes() - heap0;

    let heap1 = live_bytes();
    let t0 = Instant::now();
    let mut memory = MemoryMib::new();
    let t = memory
        .add_table(
            "1.3.6.1.4.1.99999.10.1".parse().unwrap(),
            [
                Column::new(1, Syntax::integer()),
                Column::new(2, Syntax::octet_string()),
                Column::new(3, Syntax::counter32()),
                Column::new(4, Syntax::gauge32()),
                Column::new(5, Syntax::integer()),
            ],
        )
        .unwrap();
    for row in 1..=ROWS {
        memory
            .insert_row(t, &[row], (1..=5).map(|col| value(col, row)))
            .unwrap();
    }
    let memory_build = t0.elapsed();
    let memory_heap = live_bytes() - heap1;
    assert_eq!((recorded.len(), memory.len()), (1_000_000, 1_000_000));

    let ctx = oxsnmp_core::agent::Context::new(Instant::now());
    let probes: Vec<Vec<u32>> = (0..100_000u32)
        .map(|k| cell(1 + k % 5, 1 + (k * 7919) % ROWS))
        .collect();
    let time = |mib: &dyn Fn(&[u32]) -> bool| {
        let t = Instant::now();
        let hits = probes.iter().filter(|p| mib(p)).count();
        assert_eq!(hits, probes.len());
        t.elapsed() / probes.len() as u32
    };
    let recorded_next = time(&|p| recorded.next(&ctx, p).unwrap().is_some());
    let memory_next = time(&|p| memory.next(&ctx, p).unwrap().is_some());
    eprintln!(
        "1,000,000 instances: RecordedMib {:.1} MB ({} B each), built in {recorded_build:?}, \
         GETNEXT {recorded_next:?}; MemoryMib {:.1} MB ({} B each), built in {memory_build:?}, \
         GETNEXT {memory_next:?} (debug build unless --release)",
        recorded_heap as f64 / 1e6,
        recorded_heap / 1_000_000,
        memory_heap as f64 / 1e6,
        memory_heap / 1_000_000,
    );
    assert!(
        recorded_heap * 3 < memory_heap * 2,
        "{recorded_heap} vs {memory_heap}"
    );

    // Through the agent: a GETNEXT round trip stays logarithmic.
    let mut sim = Sim::new(recorded);
    let t = Instant::now();
    for k in 0..2_000u32 {
        let row = 1 + (k * 7919) % (ROWS - 1);
        let oid = Oid::from_arcs(cell(3, row)).unwrap();
        let r = sim
            .request(Version::V2c, Request::GetNext(vec![oid]))
            .unwrap();
        assert_eq!(r.varbinds[0].value, Value::Counter32(row + 1));
    }
    let per = t.elapsed() / 2_000;
    assert!(per < Duration::from_millis(5), "{per:?} per request");
}
