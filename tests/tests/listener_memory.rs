//! A flood of the largest traps a datagram carries into each runtime's
//! `TrapListener`, with a consumer that reads nothing: the memory the
//! listener holds stays under its byte budget
//! (`ReceiverConfig::max_queued_bytes`), the rest is dropped and counted,
//! and reading frees it again. Counted by an allocator, not timed; the one
//! test in this binary is alone with the counting allocator.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use oxsnmp_core::notify::{Notification, ReceiverConfig};
use oxsnmp_core::{Message, Oid, Pdu, PduType, Value, Version};
use oxsnmp_tests::alloc_meter::{self, LiveBytes};
use oxsnmp_tests::notify_runtimes::{listener, TestListener, RUNTIMES};

#[global_allocator]
static GLOBAL: LiveBytes = LiveBytes;

const BUDGET: usize = 4 << 20;
/// Each trap decodes to about 650 kB: 40 of them are six times the budget.
const FLOOD: usize = 40;
/// Sockets, threads and runtimes allocate a little as they go.
const SLACK: usize = 1 << 20;
/// Generous: the machine may be busy.
const WAIT: Duration = Duration::from_secs(30);

fn trap(varbinds: usize) -> Vec<u8> {
    let mut n = Notification::new(1, "1.3.6.1.4.1.8072.2.3.0.1".parse().unwrap());
    let short: Oid = "1.3".parse().unwrap();
    for _ in 0..varbinds {
        n = n.varbind(short.clone(), Value::Null);
    }
    let pdu = Pdu {
        pdu_type: PduType::SnmpV2Trap,
        request_id: 1,
        error_status: 0,
        error_index: 0,
        varbinds: n.to_varbinds(),
    };
    Message::new(Version::V2c, "public", pdu).to_bytes()
}

/// Sends `bytes` until the listener has handled one more datagram than
/// `seen` (a datagram the kernel dropped is sent again).
fn deliver(l: &dyn TestListener, socket: &UdpSocket, to: SocketAddr, bytes: &[u8], seen: u64) {
    let deadline = Instant::now() + WAIT;
    while Instant::now() < deadline {
        socket.send_to(bytes, to).expect("send");
        let resend = Instant::now() + Duration::from_secs(2);
        while Instant::now() < resend {
            if l.stats().datagrams_in > seen {
                return;
            }
            std::thread::sleep(Duration::from_millis(2));
        }
    }
    panic!(
        "{}: the listener never took datagram {}",
        l.runtime(),
        seen + 1
    );
}

#[test]
fn a_flood_of_maximal_traps_stays_within_the_byte_budget() {
    let big = trap(9000);
    assert!(big.len() > 60_000 && big.len() <= 65_507, "{}", big.len());
    let small = trap(1);
    let socket = UdpSocket::bind("127.0.0.1:0").expect("sender socket");
    for runtime in RUNTIMES {
        let mut config = ReceiverConfig::new();
        config.max_queued_bytes = BUDGET;
        let mut l = listener(runtime, &["udp:127.0.0.1:0"], config);
        let to = l.local_addrs()[0];
        // Warm up: buffers allocated, one notification read.
        deliver(l.as_ref(), &socket, to, &small, 0);
        assert!(l.next(WAIT).is_some(), "{runtime}: the first trap");
        let base = alloc_meter::live();
        alloc_meter::reset_peak();
        for i in 0..FLOOD {
            deliver(l.as_ref(), &socket, to, &big, 1 + i as u64);
        }
        let held = alloc_meter::live().saturating_sub(base);
        let peak = alloc_meter::peak().saturating_sub(base);
        let s = l.stats();
        println!(
            "{runtime}: {FLOOD} traps of {} octets, {} queued, {} dropped: {held} bytes held, peak {peak}",
            big.len(),
            s.traps - 1,
            s.event_queue_drops
        );
        assert!(
            held < BUDGET + SLACK,
            "{runtime}: {held} bytes held with a {BUDGET}-byte budget"
        );
        assert!(s.event_queue_drops > 0, "{runtime}: the flood fit: {s:?}");
        assert!(s.traps > 1, "{runtime}: nothing queued: {s:?}");
        assert!(s.accounted(), "{runtime}: {s:?}");
        // Reading gives every queued trap, whole, and their memory back.
        let mut read = 0;
        while let Some(e) = l.next(Duration::from_millis(200)) {
            assert_eq!(e.varbinds().len(), 9000);
            read += 1;
        }
        assert_eq!(read + 1, s.traps, "{runtime}");
        let after = alloc_meter::live().saturating_sub(base);
        assert!(
            after < SLACK,
            "{runtime}: {after} bytes still held after reading"
        );
        drop(l);
    }
}
