//! The blocking AgentServer's steady state allocates nothing: the socket
//! thread reuses its receive and transmit buffers and the core agent
//! answers from borrowed data. A test binary of its own, so that no other
//! test allocates while it counts.

use std::alloc::{GlobalAlloc, Layout, System};
use std::net::UdpSocket;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use oxsnmp_blocking::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};
use oxsnmp_blocking::oxsnmp_core::{Message, MessageRef, Pdu, PduType};
use oxsnmp_blocking::{Oid, Value, Version};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counter is a plain atomic.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn serving_allocates_nothing_once_warm() {
    let mut mib = MemoryMib::new();
    let table: Oid = "1.3.6.1.4.1.99999.1".parse().unwrap();
    mib.add_scalar(table, "hello").unwrap();
    let config = AgentConfig::new()
        .community("public", Access::ReadOnly)
        .system(SystemInfo::new("alloc test"));
    let server = AgentServer::bind(&["127.0.0.1:0"], config, mib).unwrap();
    let addr = server.local_addrs()[0];
    let me = UdpSocket::bind("127.0.0.1:0").unwrap();
    me.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let oids: Vec<Oid> = [
        "1.3.6.1.2.1.1.1.0",
        "1.3.6.1.4.1.99999.1.0",
        "1.3.6.1.2.1.1.3.0",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let get = Message::new(
        Version::V2c,
        "public",
        Pdu::request(PduType::GetRequest, 1, &oids),
    )
    .to_bytes();
    let next = Message::new(
        Version::V2c,
        "public",
        Pdu::request(PduType::GetNextRequest, 2, &oids),
    )
    .to_bytes();
    let mut buf = [0u8; 1500];
    let mut exchange = |request: &[u8]| {
        me.send_to(request, addr).unwrap();
        me.recv_from(&mut buf).unwrap().0
    };
    // Warm up: buffers grow to their working size.
    for _ in 0..20 {
        exchange(&get);
        exchange(&next);
    }
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut sizes = [0usize; 200];
    for pair in sizes.chunks_mut(2) {
        pair[0] = exchange(&get);
        pair[1] = exchange(&next);
    }
    let during = ALLOCATIONS.load(Ordering::SeqCst) - before;
    assert_eq!(during, 0, "allocations while serving 200 requests");
    // The answers were real ones.
    let n = exchange(&get);
    let pdu = MessageRef::decode(&buf[..n])
        .unwrap()
        .pdu()
        .unwrap()
        .to_owned();
    assert_eq!(pdu.varbinds[1].value, Value::from("hello"));
    assert!(sizes.iter().all(|&s| s > 40));
    server.stop();
}
