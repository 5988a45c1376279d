//! Scale: a GETBULK walk of a 1,000,000-object table from oxsnmp's agent
//! streams its results — the process's memory stays flat from the first
//! responses to the last, so neither the walk nor the agent buffers the
//! table.
//!
//! The agent is oxsnmp-blocking's `AgentServer` serving a [`BigTable`]
//! (cells computed from their names: the table itself costs no memory), the
//! manager oxsnmp-blocking's `Client::bulk_walk` (adaptive max-repetitions,
//! here capped by the agent's 100 varbinds per response). A counting global
//! allocator measures every byte in use in the process, agent threads
//! included, so this file holds exactly one test. No timing is asserted.

use std::time::Instant;

use oxsnmp_blocking::agent::{Access, AgentConfig, AgentServer, SystemInfo};
use oxsnmp_blocking::{Client, ClientOptions};
use oxsnmp_tests::alloc_meter::{self, LiveBytes};
use oxsnmp_tests::big_table::BigTable;

#[global_allocator]
static GLOBAL: LiveBytes = LiveBytes;

/// 250,000 rows × 4 columns.
const ROWS: u32 = 250_000;
const COLUMNS: u32 = 4;

/// Varbinds walked before the baseline is taken: by then every buffer
/// (sockets' receive buffers, the agent's encoder, the walk's page) has
/// reached its working size.
const WARM_UP: u64 = 20_000;

/// How much the process's memory in use may grow between the warm-up and
/// the end of the walk. Buffering the table would take well over 100 MB
/// (1,000,000 owned varbinds of ~100 octets each); one response's page is
/// about 10 KB.
const MAX_GROWTH: usize = 256 * 1024;

#[test]
fn a_million_object_bulk_walk_streams_in_flat_memory() {
    let table = BigTable::new(ROWS, COLUMNS);
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .system(SystemInfo::new("scale walk"));
    let server = AgentServer::bind(&["udp:127.0.0.1:0"], config, table).expect("agent");
    let agent = server.local_addrs()[0].to_string();
    let client = Client::connect(&agent, ClientOptions::default()).expect("client");

    let started = Instant::now();
    let mut walk = client.bulk_walk(BigTable::root());
    let mut count = 0u64;
    let mut expected = table.next_cell(BigTable::root().arcs());
    let mut baseline = None;
    for vb in walk.by_ref() {
        let vb = vb.expect("the walk goes through");
        // Every varbind is the next cell, with that cell's value: nothing
        // skipped, repeated or out of order.
        let (column, row) = expected.expect("no varbind after the last cell");
        assert_eq!(
            table.cell(&vb.oid),
            Some((column, row)),
            "varbind {count}: {}",
            vb.oid
        );
        assert_eq!(vb.value, BigTable::value(column, row), "{}", vb.oid);
        count += 1;
        expected = table.next_cell(vb.oid.arcs());
        if count == WARM_UP {
            baseline = Some(alloc_meter::live());
            alloc_meter::reset_peak();
        }
    }
    let peak = alloc_meter::peak();
    let end = alloc_meter::live();
    assert_eq!(count, table.len(), "every cell walked exactly once");
    assert_eq!(expected, None, "the walk reached the last cell");
    assert_eq!(walk.state().yielded(), table.len());

    let baseline = baseline.expect("the walk passed the warm-up");
    let growth = peak.saturating_sub(baseline);
    println!(
        "walked {count} varbinds in {:.1} s; bytes in use after {WARM_UP}: {baseline}, \
         peak after: {peak} (+{growth}), at the end: {end}",
        started.elapsed().as_secs_f64()
    );
    assert!(
        growth <= MAX_GROWTH,
        "memory in use grew by {growth} bytes while the walk streamed (limit {MAX_GROWTH})"
    );
    let served = server.with_agent(|a| a.stats().in_pkts);
    assert!(
        served >= count / 100,
        "the agent caps answers at 100 varbinds: at least {} requests, saw {served}",
        count / 100
    );
}
