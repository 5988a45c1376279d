//! Scale: memory per request in flight stays under 1 KiB (the budget of a
//! poller with thousands of requests outstanding), for the core `Manager`
//! and for the tokio and smol `Client`s whole, with 1,000 GETs outstanding
//! to silent targets (see `oxsnmp_tests::in_flight_memory`). Counted by an
//! allocator, so the figures do not depend on timing; the one test in this
//! binary is alone with the counting allocator.

use oxsnmp_tests::alloc_meter::LiveBytes;
use oxsnmp_tests::in_flight_memory::{self, PerRequest};

#[global_allocator]
static GLOBAL: LiveBytes = LiveBytes;

const IN_FLIGHT: usize = 1_000;
const BUDGET: usize = 1024;

#[test]
fn each_request_in_flight_costs_less_than_a_kibibyte() {
    let manager = in_flight_memory::manager(IN_FLIGHT);
    let tokio = in_flight_memory::tokio_client(IN_FLIGHT);
    let smol = in_flight_memory::smol_client(IN_FLIGHT);
    println!("bytes per request in flight: manager {manager:?}, tokio {tokio:?}, smol {smol:?}");
    let within = |p: &PerRequest, both: bool| p.warm < BUDGET && (!both || p.cold < BUDGET);
    // The core alone holds every request's state, fresh or not.
    assert!(within(&manager, true), "core Manager: {manager:?}");
    // The clients add a runtime's tables, which grow once: the budget holds
    // for a poller that has been running.
    assert!(within(&tokio, false), "tokio Client: {tokio:?}");
    assert!(within(&smol, false), "smol Client: {smol:?}");
    // And every request costs something: the meter sees them.
    assert!(manager.cold > 0 && tokio.cold > 0 && smol.cold > 0);
}
