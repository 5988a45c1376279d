//! Codec benchmark: one realistic SNMPv2c GetResponse (840 bytes, 25 varbinds
//! of mixed types) decoded and encoded by oxsnmp-core, decoded by
//! snmp-parser, snmp2, rasn-snmp and async-snmp, and encoded by rasn-snmp and
//! async-snmp for comparison.
//! Results and their reading: BENCHMARKS.md, section "Codec".
//!
//! Every decoder does the same work. "decode" (full): parse the message, then
//! visit every varbind, read every OID arc and every value. "decode-light":
//! the same, but OIDs are only looked at as encoded octets. The results are
//! folded into a checksum passed through `black_box`, so nothing can be
//! skipped.
//!
//! Run with `cargo bench -p oxsnmp-core --bench codec`. Before criterion
//! starts, the binary checks that every crate decodes the message to the same
//! checksum, prints allocation counts per message (a counting global
//! allocator wraps the system one) and the Counter64 >= 2^63 round-trip
//! results.
//!
//! Counter64 >= 2^63 (what the round-trip check below finds with snmp-parser
//! 0.11, snmp2 0.4.14 and rasn-snmp 0.26):
//! * oxsnmp-core: round-trips (encodes 9 content octets with a leading 0x00).
//! * snmp-parser: decodes the 9-octet form correctly (it has no encoder).
//! * rasn-snmp: decodes the 9-octet form and encodes it correctly.
//! * async-snmp (0.18): decodes the 9-octet form and encodes it correctly.
//! * snmp2: gets it wrong. Its decoder refuses integers longer than 8 octets
//!   (`AsnIntOverflow`), and its `Varbinds` iterator turns that error into the
//!   end of the list, so every varbind after the counter silently vanishes
//!   (21 of our 25 are seen). Its encoder (`push_counter64`) writes the value
//!   as a signed i64, i.e. as a negative number; reading that back gives the
//!   right bits only because the same bug is applied twice. Because of this,
//!   snmp2 is benchmarked on a copy of the message whose big counter is
//!   2^63 - 1 (one octet shorter), otherwise it would stop early and do less
//!   work than the others.

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::net::Ipv4Addr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use oxsnmp_core::{
    AnyPdu, Message, MessageRef, Oid, Pdu, PduType, Value, ValueRef, VarBind, Version,
};

// ---------------------------------------------------------------------------
// Counting allocator: a relaxed atomic add per allocation on top of `System`.

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards every call unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.alloc(layout)
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::Relaxed);
        System.realloc(ptr, layout, new_size)
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn allocations<R>(f: impl FnOnce() -> R) -> (usize, R) {
    let before = ALLOCS.load(Ordering::Relaxed);
    let r = f();
    (ALLOCS.load(Ordering::Relaxed) - before, r)
}

// ---------------------------------------------------------------------------
// The message.

const BIG_COUNTER: u64 = 18_446_744_073_709_550_000; // >= 2^63: 9 content octets

fn oid(s: &str) -> Oid {
    s.parse().expect("static OID")
}

fn if_col(col: u32, index: u32) -> Oid {
    Oid::from_slice(&[1, 3, 6, 1, 2, 1, 2, 2, 1, col, index]).expect("OID")
}

fn ifx_col(col: u32, index: u32) -> Oid {
    Oid::from_slice(&[1, 3, 6, 1, 2, 1, 31, 1, 1, 1, col, index]).expect("OID")
}

/// The GetResponse every crate decodes: system group, one ifEntry, one
/// ifXEntry and one ipAddrEntry, as a monitoring poll would fetch them.
fn sample_message(big_counter: u64) -> Message {
    let ix = 10_103; // a realistic ifIndex (two-octet sub-identifier)
    let varbinds = vec![
        VarBind::new(
            oid("1.3.6.1.2.1.1.1.0"),
            Value::from(
                "Linux core-rtr-01.dc1.example.net 5.15.0-91-generic #101-Ubuntu SMP Tue Nov 14 13:30:08 UTC 2023 x86_64 GNU/Linux",
            ),
        ),
        VarBind::new(
            oid("1.3.6.1.2.1.1.2.0"),
            Value::ObjectIdentifier(oid("1.3.6.1.4.1.8072.3.2.10")),
        ),
        VarBind::new(oid("1.3.6.1.2.1.1.3.0"), Value::TimeTicks(2_987_654_321)),
        VarBind::new(oid("1.3.6.1.2.1.1.4.0"), Value::from("NOC on call <noc@example.net>, +49 69 0000")),
        VarBind::new(oid("1.3.6.1.2.1.1.5.0"), Value::from("core-rtr-01.dc1.example.net")),
        VarBind::new(oid("1.3.6.1.2.1.1.6.0"), Value::from("DC1, hall B, row 4, rack 12, U 38-39, Frankfurt am Main")),
        VarBind::new(oid("1.3.6.1.2.1.1.7.0"), Value::Integer(72)),
        VarBind::new(if_col(1, ix), Value::Integer(ix as i32)),
        VarBind::new(if_col(2, ix), Value::from("TenGigabitEthernet0/1/3")),
        VarBind::new(if_col(3, ix), Value::Integer(6)),
        VarBind::new(if_col(4, ix), Value::Integer(9216)),
        VarBind::new(if_col(5, ix), Value::Gauge32(4_294_967_295)),
        VarBind::new(
            if_col(6, ix),
            Value::OctetString(vec![0x00, 0x1b, 0x54, 0xc2, 0x7f, 0x03]),
        ),
        VarBind::new(if_col(7, ix), Value::Integer(1)),
        VarBind::new(if_col(8, ix), Value::Integer(1)),
        VarBind::new(if_col(9, ix), Value::TimeTicks(123_456)),
        VarBind::new(if_col(10, ix), Value::Counter32(3_123_456_789)),
        VarBind::new(if_col(14, ix), Value::Counter32(17)),
        VarBind::new(if_col(16, ix), Value::Counter32(2_147_483_648)),
        VarBind::new(if_col(22, ix), Value::ObjectIdentifier(oid("0.0"))),
        VarBind::new(ifx_col(1, ix), Value::from("Te0/1/3")),
        VarBind::new(ifx_col(6, ix), Value::Counter64(big_counter)),
        VarBind::new(ifx_col(10, ix), Value::Counter64(123_456_789_012_345)),
        VarBind::new(
            ifx_col(18, ix),
            Value::from("uplink to core-rtr-02 via DWDM ring A, circuit DC1-DC2-0042"),
        ),
        VarBind::new(
            oid("1.3.6.1.2.1.4.20.1.1.192.0.2.17"),
            Value::IpAddress(Ipv4Addr::new(192, 0, 2, 17)),
        ),
    ];
    Message::new(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::Response,
            request_id: 1_723_456_789,
            error_status: 0,
            error_index: 0,
            varbinds,
        },
    )
}

// ---------------------------------------------------------------------------
// Decodes. Each returns (varbind count, checksum over OIDs and values).
//
// With `ARCS = true` ("full"), every OID arc is decoded and summed. With
// `ARCS = false` ("light"), OIDs are only looked at as encoded bytes, as a
// program that matches OIDs by their encoding would (rasn-snmp has decoded
// them to arcs during parsing anyway, so it does the same work both ways).

#[inline]
fn mix(acc: u64, v: u64) -> u64 {
    acc.rotate_left(5) ^ v
}

/// Arcs of one OID are summed, then mixed into the checksum once per OID:
/// a per-arc hash would cost as much as the decoding being measured.
#[inline]
fn add_arc<A: Into<u64>>(acc: u64, arc: A) -> u64 {
    acc.wrapping_add(arc.into())
}

#[inline]
fn mix_bytes(acc: u64, b: &[u8]) -> u64 {
    mix(
        acc,
        b.len() as u64 ^ u64::from(b.first().copied().unwrap_or(0)) << 32,
    )
}

fn ours<const ARCS: bool>(bytes: &[u8]) -> (usize, u64) {
    let msg = MessageRef::decode(bytes).expect("decode");
    let pdu = msg.pdu().expect("not a trap");
    let mut acc = mix(mix_bytes(0, msg.community), pdu.request_id as u64);
    let mut n = 0;
    for vb in pdu.varbinds.iter() {
        n += 1;
        let oid = |o: oxsnmp_core::OidRef<'_>| {
            if ARCS {
                o.arcs().fold(0, add_arc)
            } else {
                mix_bytes(0, o.as_ber())
            }
        };
        acc = mix(acc, oid(vb.oid));
        acc = mix(
            acc,
            match vb.value {
                ValueRef::Integer(v) => v as u64,
                ValueRef::OctetString(s) | ValueRef::Opaque(s) => mix_bytes(0, s),
                ValueRef::ObjectIdentifier(o) => oid(o),
                ValueRef::IpAddress(a) => u64::from(u32::from_be_bytes(a)),
                ValueRef::Counter32(v) | ValueRef::Gauge32(v) | ValueRef::TimeTicks(v) => {
                    u64::from(v)
                }
                ValueRef::Counter64(v) => v,
                _ => 0,
            },
        );
    }
    (n, acc)
}

fn with_snmp_parser<const ARCS: bool>(bytes: &[u8]) -> (usize, u64) {
    use snmp_parser::{ObjectSyntax, SnmpPdu, VarBindValue};
    let (_, msg) = snmp_parser::parse_snmp_v2c(bytes).expect("snmp-parser");
    let SnmpPdu::Generic(pdu) = &msg.pdu else {
        panic!("not a generic PDU")
    };
    let mut acc = mix(
        mix_bytes(0, msg.community.as_bytes()),
        pdu.req_id as i32 as u64,
    );
    let mut n = 0;
    for vb in pdu.vars_iter() {
        n += 1;
        let oid = |o: &snmp_parser::asn1_rs::Oid<'_>| {
            if ARCS {
                o.iter().expect("arcs fit u64").fold(0, add_arc)
            } else {
                mix_bytes(0, o.as_bytes())
            }
        };
        acc = mix(acc, oid(&vb.oid));
        acc = mix(
            acc,
            match &vb.val {
                VarBindValue::Value(v) => match v {
                    ObjectSyntax::Number(v) => *v as u64,
                    ObjectSyntax::String(s) | ObjectSyntax::Opaque(s) => mix_bytes(0, s),
                    ObjectSyntax::Object(o) => oid(o),
                    ObjectSyntax::IpAddress(snmp_parser::NetworkAddress::IPv4(a)) => {
                        u64::from(u32::from(*a))
                    }
                    ObjectSyntax::Counter32(v)
                    | ObjectSyntax::Gauge32(v)
                    | ObjectSyntax::TimeTicks(v)
                    | ObjectSyntax::UInteger32(v) => u64::from(*v),
                    ObjectSyntax::Counter64(v) => *v,
                    _ => 0,
                },
                _ => 0,
            },
        );
    }
    (n, acc)
}

fn with_snmp2<const ARCS: bool>(bytes: &[u8]) -> (usize, u64) {
    use snmp2::Value as V;
    let pdu = snmp2::Pdu::from_bytes(bytes).expect("snmp2");
    let mut acc = mix(mix_bytes(0, pdu.community), pdu.req_id as u64);
    let mut n = 0;
    for (name, value) in pdu.varbinds.clone() {
        n += 1;
        let oid = |o: &snmp2::Oid<'_>| {
            if ARCS {
                o.iter().expect("arcs fit u64").fold(0, add_arc)
            } else {
                mix_bytes(0, o.as_bytes())
            }
        };
        acc = mix(acc, oid(&name));
        acc = mix(
            acc,
            match value {
                V::Integer(v) => v as u64,
                V::OctetString(s) | V::Opaque(s) => mix_bytes(0, s),
                V::ObjectIdentifier(o) => oid(&o),
                V::IpAddress(a) => u64::from(u32::from_be_bytes(a)),
                V::Counter32(v) | V::Unsigned32(v) | V::Timeticks(v) => u64::from(v),
                V::Counter64(v) => v,
                _ => 0,
            },
        );
    }
    (n, acc)
}

type RasnMessage = rasn_snmp::v2c::Message<rasn_snmp::v2::Pdus>;

fn with_rasn<const ARCS: bool>(bytes: &[u8]) -> (usize, u64) {
    use rasn_smi::v2::{ApplicationSyntax as A, SimpleSyntax as S};
    use rasn_snmp::v2::{ObjectSyntax as O, Pdus, VarBindValue};
    let msg: RasnMessage = rasn::ber::decode(bytes).expect("rasn");
    let Pdus::Response(rasn_snmp::v2::Response(pdu)) = &msg.data else {
        panic!("not a response")
    };
    let mut acc = mix(mix_bytes(0, &msg.community), pdu.request_id as u64);
    let mut n = 0;
    for vb in &pdu.variable_bindings {
        n += 1;
        let oid = |o: &rasn::types::ObjectIdentifier| {
            if ARCS {
                o.iter().copied().fold(0, add_arc)
            } else {
                o.len() as u64
            }
        };
        acc = mix(acc, oid(&vb.name));
        acc = mix(
            acc,
            match &vb.value {
                VarBindValue::Value(O::Simple(S::Integer(v))) => {
                    i64::try_from(v).expect("small integer") as u64
                }
                VarBindValue::Value(O::Simple(S::String(s))) => mix_bytes(0, s),
                VarBindValue::Value(O::Simple(S::ObjectId(o))) => oid(o),
                VarBindValue::Value(O::ApplicationWide(a)) => match a {
                    A::Address(ip) => u64::from(u32::from_be_bytes(*ip.0)),
                    A::Counter(c) => u64::from(c.0),
                    A::Ticks(t) => u64::from(t.0),
                    A::Unsigned(g) => u64::from(g.0),
                    A::BigCounter(c) => c.0,
                    A::Arbitrary(_) => 0,
                },
                _ => 0,
            },
        );
    }
    (n, acc)
}

/// async-snmp decodes from `Bytes` (its transport hands it the datagram so);
/// a clone of a static `Bytes` costs no allocation and no copy. OIDs are
/// decoded to arcs while parsing, as in rasn-snmp, so "light" does the same
/// work as "full".
fn with_async_snmp<const ARCS: bool>(bytes: &bytes::Bytes) -> (usize, u64) {
    use async_snmp::message::CommunityMessage;
    use async_snmp::{DecodeConfig, Value as V};
    let msg = CommunityMessage::decode(bytes.clone(), DecodeConfig::default())
        .expect("async-snmp")
        .value;
    let pdu = msg.pdu().standard().expect("not a trap");
    let mut acc = mix(
        mix_bytes(0, msg.community().as_bytes()),
        pdu.request_id() as u64,
    );
    let mut n = 0;
    for vb in pdu.varbinds() {
        n += 1;
        let oid = |o: &async_snmp::Oid| {
            if ARCS {
                o.arcs().iter().copied().fold(0, add_arc)
            } else {
                o.len() as u64
            }
        };
        acc = mix(acc, oid(&vb.oid));
        acc = mix(
            acc,
            match &vb.value {
                V::Integer(v) => *v as u64,
                V::OctetString(s) | V::Opaque(s) => mix_bytes(0, s),
                V::ObjectIdentifier(o) => oid(o),
                V::IpAddress(a) => u64::from(u32::from_be_bytes(*a)),
                V::Counter32(v) | V::Gauge32(v) | V::TimeTicks(v) | V::UInteger32(v) => {
                    u64::from(*v)
                }
                V::Counter64(v) => *v,
                _ => 0,
            },
        );
    }
    (n, acc)
}

// ---------------------------------------------------------------------------
// Counter64 >= 2^63 round trips through each crate's own encoder and decoder.

fn counter64_round_trips() {
    let v = BIG_COUNTER;
    // oxsnmp-core
    let bytes = sample_message(v).to_bytes();
    let ok = MessageRef::decode(&bytes).ok().and_then(|m| {
        m.pdu()?.varbinds.iter().find_map(|vb| match vb.value {
            ValueRef::Counter64(c) => Some(c),
            _ => None,
        })
    }) == Some(v);
    println!("Counter64 {v} round trip: oxsnmp-core {}", verdict(ok));

    // snmp-parser has no encoder: decode our 9-octet encoding.
    let got = snmp_parser::parse_snmp_v2c(&bytes).ok().and_then(|(_, m)| {
        m.vars_iter().find_map(|vb| match vb.val {
            snmp_parser::VarBindValue::Value(snmp_parser::ObjectSyntax::Counter64(c)) => Some(c),
            _ => None,
        })
    });
    println!(
        "  snmp-parser decodes the 9-octet form: {}",
        verdict(got == Some(v))
    );

    // snmp2: decode our encoding, then its own encode/decode.
    let got = snmp2::Pdu::from_bytes(&bytes).ok().map(|p| {
        let n = p.varbinds.clone().count();
        let c = p.varbinds.clone().find_map(|(_, val)| match val {
            snmp2::Value::Counter64(c) => Some(c),
            _ => None,
        });
        (n, c)
    });
    println!(
        "  snmp2 decodes the 9-octet form: {} (varbinds seen {:?} of 25, first Counter64 {:?})",
        verdict(matches!(got, Some((25, Some(c))) if c == v)),
        got.map(|g| g.0),
        got.and_then(|g| g.1),
    );
    // Its encoder (`Buf::push_counter64`) is crate-private; it writes `n as i64`,
    // i.e. 8 octets of a negative INTEGER. Show what its reader makes of both forms.
    let mut nine = vec![0x46, 0x09, 0x00];
    nine.extend_from_slice(&v.to_be_bytes());
    let mut eight = vec![0x46, 0x08];
    eight.extend_from_slice(&v.to_be_bytes());
    println!(
        "  snmp2 reader: 9-octet (correct BER) form -> {:?}; 8-octet (negative) form -> {:?}",
        snmp2::AsnReader::from_bytes(&nine).next(),
        snmp2::AsnReader::from_bytes(&eight).next(),
    );

    // rasn: decode our encoding, and round trip through its own encoder.
    let got = rasn::ber::decode::<RasnMessage>(&bytes).map_err(|e| e.to_string());
    let got = got.map(|m| match m.data {
        rasn_snmp::v2::Pdus::Response(r) => {
            r.0.variable_bindings.iter().find_map(|vb| match &vb.value {
                rasn_snmp::v2::VarBindValue::Value(
                    rasn_snmp::v2::ObjectSyntax::ApplicationWide(
                        rasn_smi::v2::ApplicationSyntax::BigCounter(c),
                    ),
                ) => Some(c.0),
                _ => None,
            })
        }
        _ => None,
    });
    println!(
        "  rasn-snmp decodes the 9-octet form: {} ({got:?})",
        verdict(got == Ok(Some(v)))
    );
    let c = rasn_smi::v2::Counter64(v);
    let own = rasn::ber::encode(&c).map_err(|e| e.to_string());
    let back = own.as_ref().ok().map(|b| {
        rasn::ber::decode::<rasn_smi::v2::Counter64>(b)
            .map(|c| c.0)
            .map_err(|e| e.to_string())
    });
    println!("  rasn-snmp own encoding {own:02x?} decodes back to {back:?}");

    // async-snmp: decode our encoding, then re-encode its own message.
    let decode = |b: bytes::Bytes| {
        async_snmp::message::CommunityMessage::decode(b, async_snmp::DecodeConfig::default())
            .ok()
            .map(|m| m.value)
    };
    let find = |m: &async_snmp::message::CommunityMessage| {
        m.pdu()
            .standard()?
            .varbinds()
            .iter()
            .find_map(|vb| match vb.value {
                async_snmp::Value::Counter64(c) => Some(c),
                _ => None,
            })
    };
    let got = decode(bytes::Bytes::copy_from_slice(&bytes));
    let again = got.as_ref().and_then(|m| m.encode().ok()).and_then(decode);
    println!(
        "  async-snmp decodes the 9-octet form: {}; its own encoding decodes back: {}",
        verdict(got.as_ref().and_then(find) == Some(v)),
        verdict(again.as_ref().and_then(find) == Some(v)),
    );
}

fn verdict(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "WRONG"
    }
}

// ---------------------------------------------------------------------------

fn checks(
    bytes: &[u8],
    snmp2_bytes: &[u8],
    msg: &Message,
    rasn_msg: &RasnMessage,
    shared: &bytes::Bytes,
    async_msg: &async_snmp::message::CommunityMessage,
) {
    println!("sample GetResponse: {} bytes, 25 varbinds", bytes.len());
    counter64_round_trips();

    let reference = ours::<true>(bytes);
    assert_eq!(reference.0, 25);
    assert_eq!(
        with_snmp_parser::<true>(bytes),
        reference,
        "snmp-parser disagrees"
    );
    assert_eq!(with_rasn::<true>(bytes), reference, "rasn disagrees");
    assert_eq!(
        with_async_snmp::<true>(shared),
        reference,
        "async-snmp disagrees"
    );
    assert_eq!(
        async_msg.encode().expect("async-snmp encode").as_ref(),
        bytes,
        "async-snmp re-encodes the same octets"
    );
    assert_eq!(with_snmp2::<true>(snmp2_bytes).0, 25, "snmp2 stopped early");
    assert_eq!(
        with_snmp2::<true>(snmp2_bytes),
        ours::<true>(snmp2_bytes),
        "snmp2 disagrees on the 2^63-1 copy"
    );
    let light = ours::<false>(bytes);
    assert_eq!(
        with_snmp_parser::<false>(bytes),
        light,
        "snmp-parser disagrees"
    );
    assert_eq!(
        with_snmp2::<false>(snmp2_bytes),
        ours::<false>(snmp2_bytes),
        "snmp2 disagrees"
    );
    assert_eq!(with_rasn::<false>(bytes).0, 25);

    // Our encoder reproduces the bytes and its owned decode is equal.
    let mut out = Vec::new();
    msg.encode(&mut out);
    assert_eq!(out, bytes);
    assert_eq!(MessageRef::decode(bytes).expect("decode").to_owned(), *msg);
    assert!(matches!(msg.pdu, AnyPdu::Pdu(_)));

    // Allocations per message (warm: one call first).
    let _ = ours::<true>(bytes);
    let (a_dec, _) = allocations(|| black_box(ours::<true>(black_box(bytes))));
    let mut reused = Vec::new();
    msg.encode(&mut reused);
    let (a_enc, _) = allocations(|| {
        reused.clear();
        black_box(msg).encode(&mut reused);
    });
    let mut exact = Vec::with_capacity(msg.encoded_len());
    let (a_exact, _) = allocations(|| black_box(msg).encode(&mut exact));
    assert_eq!(exact, bytes);
    let (a_sp, _) = allocations(|| black_box(with_snmp_parser::<true>(black_box(bytes))));
    let (a_s2, _) = allocations(|| black_box(with_snmp2::<true>(black_box(snmp2_bytes))));
    let (a_ra, _) = allocations(|| black_box(with_rasn::<true>(black_box(bytes))));
    let (a_ra_enc, _) = allocations(|| black_box(rasn::ber::encode(black_box(&rasn_msg))));
    let (a_as, _) = allocations(|| black_box(with_async_snmp::<true>(black_box(shared))));
    let (a_as_enc, _) = allocations(|| black_box(black_box(async_msg).encode()));
    println!(
        "allocations per message: oxsnmp decode {a_dec}, oxsnmp encode (reused Vec) {a_enc}, \
         oxsnmp encode (Vec of exactly encoded_len) {a_exact}, snmp-parser {a_sp}, snmp2 {a_s2}, \
         rasn-snmp decode {a_ra}, rasn-snmp encode {a_ra_enc}, async-snmp decode {a_as}, \
         async-snmp encode {a_as_enc}"
    );
    assert_eq!(a_dec, 0, "oxsnmp decode allocated");
    assert_eq!(a_enc, 0, "oxsnmp encode allocated");
    assert_eq!(a_exact, 0, "oxsnmp encode into an exact buffer allocated");
}

fn bench_codec(c: &mut Criterion) {
    let msg = sample_message(BIG_COUNTER);
    let bytes = msg.to_bytes();
    let snmp2_bytes = sample_message((1 << 63) - 1).to_bytes();
    let rasn_msg: RasnMessage = rasn::ber::decode(&bytes).expect("rasn");
    let shared = bytes::Bytes::from_static(Vec::leak(bytes.clone()));
    let async_msg = async_snmp::message::CommunityMessage::decode(
        shared.clone(),
        async_snmp::DecodeConfig::default(),
    )
    .expect("async-snmp")
    .value;
    checks(&bytes, &snmp2_bytes, &msg, &rasn_msg, &shared, &async_msg);

    let mut g = c.benchmark_group("codec");
    g.throughput(Throughput::Elements(1));
    g.bench_function("oxsnmp/decode", |b| {
        b.iter(|| ours::<true>(black_box(&bytes)))
    });
    g.bench_function("snmp-parser/decode", |b| {
        b.iter(|| with_snmp_parser::<true>(black_box(&bytes)))
    });
    g.bench_function("snmp2/decode", |b| {
        b.iter(|| with_snmp2::<true>(black_box(&snmp2_bytes)))
    });
    g.bench_function("rasn-snmp/decode", |b| {
        b.iter(|| with_rasn::<true>(black_box(&bytes)))
    });
    g.bench_function("async-snmp/decode", |b| {
        b.iter(|| with_async_snmp::<true>(black_box(&shared)))
    });

    g.bench_function("oxsnmp/decode-light", |b| {
        b.iter(|| ours::<false>(black_box(&bytes)))
    });
    g.bench_function("snmp-parser/decode-light", |b| {
        b.iter(|| with_snmp_parser::<false>(black_box(&bytes)))
    });
    g.bench_function("snmp2/decode-light", |b| {
        b.iter(|| with_snmp2::<false>(black_box(&snmp2_bytes)))
    });
    g.bench_function("rasn-snmp/decode-light", |b| {
        b.iter(|| with_rasn::<false>(black_box(&bytes)))
    });
    g.bench_function("async-snmp/decode-light", |b| {
        b.iter(|| with_async_snmp::<false>(black_box(&shared)))
    });

    // A buffer reused across messages, as a driver keeps one: it grows on
    // the first message and is then written in place.
    let mut out = Vec::new();
    g.bench_function("oxsnmp/encode", |b| {
        b.iter(|| {
            out.clear();
            black_box(&msg).encode(&mut out);
            black_box(out.len())
        })
    });
    // A buffer reserved with exactly `encoded_len()` octets.
    let mut exact = Vec::with_capacity(msg.encoded_len());
    g.bench_function("oxsnmp/encode-exact-capacity", |b| {
        b.iter(|| {
            exact.clear();
            black_box(&msg).encode(&mut exact);
            black_box(exact.len())
        })
    });
    g.bench_function("rasn-snmp/encode", |b| {
        b.iter(|| rasn::ber::encode(black_box(&rasn_msg)).expect("rasn encode"))
    });
    g.bench_function("async-snmp/encode", |b| {
        b.iter(|| black_box(&async_msg).encode().expect("async-snmp encode"))
    });
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(200)
        .warm_up_time(Duration::from_secs(2))
        .measurement_time(Duration::from_secs(5))
        .configure_from_args()
}

criterion_group! {
    name = benches;
    config = config();
    targets = bench_codec
}
criterion_main!(benches);
