//! Decoding borrows and encoding writes into the caller's buffer: neither
//! may touch the heap. A counting global allocator (this test binary only)
//! counts allocations made by the current thread while a closure runs.

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;

use oxsnmp_core::{AnyPduRef, Message, MessageRef, ValueRef};

struct Counting;

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

fn note() {
    // `try_with`: the allocator may run while thread-locals are being torn down.
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = COUNT.try_with(|c| c.set(c.get() + 1));
        }
    });
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// bookkeeping only touches const-initialised thread-locals, which never allocate.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` and returns its result with the number of allocations it made
/// on this thread (other test threads are not counted).
fn allocations<T>(f: impl FnOnce() -> T) -> (T, usize) {
    COUNT.with(|c| c.set(0));
    COUNTING.with(|on| on.set(true));
    let out = f();
    COUNTING.with(|on| on.set(false));
    (out, COUNT.with(|c| c.get()))
}

/// Touches every part of every varbind: each OID arc and each value.
fn full_read(buf: &[u8]) -> u64 {
    let msg = MessageRef::decode(buf).expect("valid message");
    let mut sum = msg.community.len() as u64;
    let AnyPduRef::Pdu(pdu) = msg.any_pdu else {
        panic!("not a response");
    };
    sum = sum.wrapping_add(pdu.request_id as u64);
    for vb in pdu.varbinds.iter() {
        for arc in vb.oid.arcs() {
            sum = sum.wrapping_mul(31).wrapping_add(u64::from(arc));
        }
        sum = sum.wrapping_add(match vb.value {
            ValueRef::Integer(v) => v as u64,
            ValueRef::OctetString(s) | ValueRef::Opaque(s) => s.iter().map(|&b| u64::from(b)).sum(),
            ValueRef::Null => 1,
            ValueRef::ObjectIdentifier(o) => o.arcs().map(u64::from).sum(),
            ValueRef::IpAddress(a) => u64::from(u32::from_be_bytes(a)),
            ValueRef::Counter32(v) | ValueRef::Gauge32(v) | ValueRef::TimeTicks(v) => u64::from(v),
            ValueRef::Counter64(v) => v,
            ValueRef::NoSuchObject => 2,
            ValueRef::NoSuchInstance => 3,
            ValueRef::EndOfMibView => 4,
            _ => 5,
        });
    }
    sum
}

#[test]
fn counter_sees_allocations() {
    // The harness itself must be able to fail: a Vec allocates once.
    let (_, n) = allocations(|| black_box(vec![1u8; 32]));
    assert_eq!(n, 1);
}

#[test]
fn decode_and_full_read_allocate_nothing() {
    let msg = common::mixed_response(25);
    let bytes = msg.to_bytes();
    let expected = full_read(&bytes); // warm-up, outside the count
    let (sum, n) = allocations(|| full_read(black_box(&bytes)));
    assert_eq!(sum, expected);
    assert_eq!(
        n, 0,
        "MessageRef::decode + full read of 25 varbinds allocated {n} times"
    );

    // The counting covers the view-to-owned path too, which must allocate.
    let (_, owned) = allocations(|| black_box(MessageRef::decode(&bytes).unwrap().to_owned()));
    assert!(owned > 25, "to_owned allocated only {owned} times");
}

#[test]
fn decode_of_every_pdu_in_a_trap_allocates_nothing() {
    let trap = Message {
        version: oxsnmp_core::Version::V1,
        community: b"public".to_vec(),
        pdu: oxsnmp_core::AnyPdu::TrapV1(oxsnmp_core::TrapV1Pdu {
            enterprise: "1.3.6.1.4.1.8072".parse().unwrap(),
            agent_addr: [192, 0, 2, 7].into(),
            generic_trap: 6,
            specific_trap: 3,
            time_stamp: 99,
            varbinds: common::mixed_response(9).pdu_varbinds(),
        }),
    };
    let bytes = trap.to_bytes();
    let (count, n) = allocations(|| {
        let m = MessageRef::decode(black_box(&bytes)).unwrap();
        let AnyPduRef::TrapV1(t) = m.any_pdu else {
            unreachable!()
        };
        t.enterprise.arcs().count()
            + t.varbinds
                .iter()
                .map(|vb| vb.oid.arcs().count())
                .sum::<usize>()
    });
    assert_eq!(n, 0);
    assert_eq!(count, 7 + 9 * 11);
}

#[test]
fn encode_into_reserved_buffer_allocates_nothing() {
    let msg = common::mixed_response(25);
    let mut buf = Vec::with_capacity(msg.encoded_len());
    let (_, n) = allocations(|| msg.encode(&mut buf));
    assert_eq!(n, 0, "encode allocated {n} times");
    assert_eq!(buf.len(), msg.encoded_len());
    assert_eq!(buf, msg.to_bytes());

    // A reused buffer keeps its capacity across messages.
    let (_, n) = allocations(|| {
        for _ in 0..10 {
            buf.clear();
            msg.encode(&mut buf);
        }
    });
    assert_eq!(n, 0);

    // And encoding into a buffer that is too small does allocate (the count works here).
    let mut small = Vec::with_capacity(8);
    let (_, n) = allocations(|| msg.encode(&mut small));
    assert!(n >= 1);
}

trait PduVarbinds {
    fn pdu_varbinds(self) -> Vec<oxsnmp_core::VarBind>;
}

impl PduVarbinds for Message {
    fn pdu_varbinds(self) -> Vec<oxsnmp_core::VarBind> {
        match self.pdu {
            oxsnmp_core::AnyPdu::Pdu(p) => p.varbinds,
            oxsnmp_core::AnyPdu::TrapV1(t) => t.varbinds,
        }
    }
}
