//! Scale: a deterministic soak in simulation (see `oxsnmp_tests::soak`).
//! The manager core keeps 1,000 requests in flight to 256 agent cores over
//! a network that loses 5% of the datagrams (10% to the slow agents),
//! duplicates some and reorders by random delays, on a virtual clock; every
//! answer is checked against its request and every counter must add up
//! exactly (sent = answered + timed out, datagrams out = requests +
//! retransmissions, datagrams in = answers + late + strangers, and the
//! network's and the agents' counts agree).
//!
//! The normal run does 200,000 requests (seconds in a debug build); the
//! millions run in release:
//!
//! ```text
//! cargo test --release -p oxsnmp-tests --test scale_soak -- --ignored
//! cargo run --release -p oxsnmp-tests --example bench_scale -- soak   # timed, 5,000,000
//! ```
//!
//! No timing is asserted.

use oxsnmp_tests::soak::{run, SoakConfig, SoakReport};

fn exercised_every_path(r: &SoakReport) {
    let m = r.manager;
    for (name, n) in [
        ("answers", r.answered),
        ("timeouts", r.timed_out),
        ("retransmissions", m.retransmits),
        ("late answers", m.late_responses),
        (
            "strangers (answers to requests finished long ago)",
            m.unknown_request_ids,
        ),
        ("losses", r.net.dropped),
        ("duplicates", r.net.duplicated),
        ("reorderings", r.net.reordered),
    ] {
        assert!(n > 0, "the soak saw no {name}: {r:?}");
    }
}

#[test]
fn soak_200_000_requests_over_a_lossy_reordering_network() {
    let report = run(&SoakConfig::default());
    println!("{report:#?}");
    assert_eq!(report.requests, 200_000);
    exercised_every_path(&report);
}

#[test]
fn the_same_seed_replays_the_same_soak() {
    let config = SoakConfig {
        seed: 42,
        requests: 20_000,
        in_flight: 200,
        ..SoakConfig::default()
    };
    let a = run(&config);
    assert_eq!(a, run(&config), "same seed, same run");
    let b = run(&SoakConfig { seed: 43, ..config });
    assert_ne!(a.digest, b.digest, "another seed, another run");
    assert_eq!(b.answered + b.timed_out, 20_000);
}

#[test]
#[ignore = "millions of requests: run in release with --ignored"]
fn soak_three_million_requests() {
    let report = run(&SoakConfig {
        seed: 7,
        requests: 3_000_000,
        ..SoakConfig::default()
    });
    println!("{report:#?}");
    assert_eq!(report.requests, 3_000_000);
    exercised_every_path(&report);
}
