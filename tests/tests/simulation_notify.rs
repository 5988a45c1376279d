//! Informs across the seeded lossy network of `sim`: a `Manager` sending
//! InformRequests to a `NotificationReceiver` over links that lose,
//! duplicate, delay and reorder datagrams, on a virtual clock. Every inform
//! is retried until acknowledged, completes exactly once at the sender, and
//! is delivered at most once (exactly once when acknowledged) at the
//! receiver.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::time::Duration;

use oxsnmp_core::manager::{
    Event, Manager, ManagerConfig, Request, RequestError, RequestHandle, RetryPolicy, Target,
};
use oxsnmp_core::notify::{oids, Notification, NotificationReceiver, ReceiverConfig};
use oxsnmp_core::{Oid, Value, Version};
use oxsnmp_tests::sim::{Faults, Network};

struct Outcome {
    completions: HashMap<RequestHandle, Vec<Result<(), RequestError>>>,
    delivered: HashMap<u32, u32>,
    handles: Vec<(RequestHandle, u32)>,
    manager: Manager,
    receiver: NotificationReceiver,
}

fn inform(i: u32) -> Notification {
    let tag: Oid = "1.3.6.1.4.1.99999.1.0".parse().expect("literal");
    Notification::new(i, oids::LINK_UP).varbind(tag, Value::Gauge32(i))
}

/// Sends `count` informs (spread over the first second) and runs the
/// network until nothing is in flight and no timer is set.
fn run(seed: u64, faults: Faults, count: u32, retry: RetryPolicy) -> Outcome {
    let sender: SocketAddr = "192.0.2.1:40000".parse().unwrap();
    let receiver_addr: SocketAddr = "192.0.2.9:162".parse().unwrap();
    let mut net = Network::new(seed, faults);
    let mut manager = Manager::new(ManagerConfig::with_seed(seed));
    let mut receiver = NotificationReceiver::new(ReceiverConfig::new().community("public"));
    let mut target = Target::new(receiver_addr, Version::V2c, "public");
    target.retry = retry;
    let mut out = Outcome {
        completions: HashMap::new(),
        delivered: HashMap::new(),
        handles: Vec::new(),
        manager: Manager::new(ManagerConfig::with_seed(0)),
        receiver: NotificationReceiver::new(ReceiverConfig::new()),
    };
    let mut next_send = 0u32;
    let mut steps = 0u64;
    loop {
        steps += 1;
        assert!(steps < 10_000_000, "simulation does not settle");
        // Drain the manager after every input (the drain rule).
        while let Some(tx) = manager.poll_transmit() {
            net.send(sender, tx.destination, tx.payload);
        }
        while let Some(Event::Completed { handle, result }) = manager.poll_event() {
            out.completions
                .entry(handle)
                .or_default()
                .push(result.map(drop));
        }
        let send_at = (next_send < count)
            .then(|| Duration::from_millis(u64::from(next_send) * 1000 / u64::from(count)));
        let timer = manager.poll_timeout().map(|t| net.since_start(t));
        let due = net.next_due();
        let Some(at) = [send_at, timer, due].into_iter().flatten().min() else {
            break;
        };
        net.advance(at);
        if send_at == Some(at) {
            let h = manager
                .send_request(net.now(), &target, Request::inform(&inform(next_send)))
                .expect("inform sent");
            out.handles.push((h, next_send));
            next_send += 1;
        } else if due == Some(at) {
            let Some((_, dg)) = net.pop() else { break };
            if dg.to == receiver_addr {
                receiver.handle_datagram(net.now(), dg.from, &dg.payload);
                while let Some(tx) = receiver.poll_transmit() {
                    net.send(receiver_addr, tx.destination, tx.payload);
                }
                while let Some(e) = receiver.poll_event() {
                    let Some(Value::Gauge32(i)) = e.varbinds().first().map(|vb| vb.value.clone())
                    else {
                        panic!("unexpected notification {e:?}");
                    };
                    assert_eq!(e.notification, inform(i));
                    *out.delivered.entry(i).or_default() += 1;
                }
            } else {
                manager.handle_datagram(net.now(), dg.from, &dg.payload);
            }
        } else {
            manager.handle_timeout(net.now());
        }
    }
    out.manager = manager;
    out.receiver = receiver;
    out
}

#[test]
fn informs_over_a_lossy_network_are_retried_acknowledged_and_completed_once() {
    let retry = RetryPolicy {
        timeout: Duration::from_millis(200),
        retries: 12,
    };
    let (mut acked, mut timed_out, mut retransmits, mut duplicates) = (0, 0, 0, 0);
    for seed in 1..=20u64 {
        // 25% loss each way, 10% duplication, 1..80 ms delays (reordering).
        let out = run(seed, Faults::lossy(0.25, 0.10, 1, 80), 100, retry);
        assert_eq!(out.handles.len(), 100);
        for (h, i) in &out.handles {
            let done = out.completions.get(h).map_or(&[][..], |v| v.as_slice());
            assert_eq!(
                done.len(),
                1,
                "seed {seed}: inform {i} completed {} times",
                done.len()
            );
            let delivered = out.delivered.get(i).copied().unwrap_or(0);
            assert!(
                delivered <= 1,
                "seed {seed}: inform {i} delivered {delivered} times"
            );
            match &done[0] {
                Ok(()) => {
                    acked += 1;
                    assert_eq!(delivered, 1, "seed {seed}: acknowledged but not delivered");
                }
                Err(RequestError::Timeout(_)) => timed_out += 1,
                Err(e) => panic!("seed {seed}: {e}"),
            }
        }
        assert_eq!(out.manager.outstanding(), 0);
        let s = out.receiver.stats();
        assert!(s.accounted(), "{s:?}");
        retransmits += out.manager.stats().retransmits;
        duplicates += s.duplicate_informs;
    }
    // With 13 attempts of 0.75 * 0.75 success each, a timeout is ~ 1e-5 per inform.
    assert_eq!(timed_out, 0, "{acked} acknowledged");
    assert_eq!(acked, 2000);
    eprintln!("{acked} informs acknowledged, {retransmits} retransmissions, {duplicates} duplicates answered");
    assert!(retransmits > 500, "losses were retried: {retransmits}");
    assert!(
        duplicates > 100,
        "lost acknowledgements were answered again: {duplicates}"
    );
}

#[test]
fn informs_into_a_black_hole_time_out_once() {
    let retry = RetryPolicy {
        timeout: Duration::from_millis(100),
        retries: 3,
    };
    let out = run(7, Faults::lossy(1.0, 0.0, 1, 1), 10, retry);
    for (h, _) in &out.handles {
        let done = &out.completions[h];
        assert_eq!(done.len(), 1);
        assert!(matches!(done[0], Err(RequestError::Timeout(_))));
    }
    assert!(out.delivered.is_empty());
    assert_eq!(out.manager.stats().retransmits, 30);
}
