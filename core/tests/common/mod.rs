//! Proptest strategies and helpers shared by the codec integration tests.
#![allow(dead_code)]

use std::net::Ipv4Addr;

use oxsnmp_core::{AnyPdu, Message, Oid, Pdu, PduType, TrapV1Pdu, Value, VarBind, Version};
use proptest::collection::vec;
use proptest::prelude::*;

/// One sub-identifier: mostly small, sometimes anywhere up to `u32::MAX`,
/// sometimes right at the edges of the 7-bit groups.
pub fn arc() -> impl Strategy<Value = u32> {
    prop_oneof![
        4 => 0u32..200,
        2 => any::<u32>(),
        1 => Just(u32::MAX),
        1 => prop::sample::select(vec![127u32, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456]),
    ]
}

/// The first two arcs, within what X.690 can encode and `Oid` accepts.
pub fn oid_prefix() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        (0u32..2, 0u32..40),
        (Just(2u32), 0u32..=(u32::MAX - 80)),
        Just((1u32, 3u32)),
    ]
}

/// A valid OID of 2..=128 arcs (a single arc cannot survive BER: `1` encodes as `1.0`).
pub fn oid() -> impl Strategy<Value = Oid> {
    prop_oneof![
        8 => (oid_prefix(), vec(arc(), 0..=20)),
        1 => (oid_prefix(), vec(arc(), 126..=126)),
    ]
    .prop_map(|((a, b), rest)| {
        let mut arcs = vec![a, b];
        arcs.extend(rest);
        Oid::from_arcs(arcs).expect("strategy builds valid OIDs")
    })
}

/// Octet strings: empty, short, and past the 127 and 255 length-form boundaries.
pub fn octets() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        1 => Just(Vec::new()),
        4 => vec(any::<u8>(), 0..40),
        1 => vec(any::<u8>(), 120..140),
        1 => vec(any::<u8>(), 250..300),
    ]
}

/// A Counter64, with values >= 2^63 well represented.
pub fn counter64() -> impl Strategy<Value = u64> {
    prop_oneof![
        any::<u64>(),
        (1u64 << 63)..=u64::MAX,
        Just(u64::MAX),
        Just(1u64 << 63),
        0u64..300,
    ]
}

/// Any value a v2c varbind can carry, exceptions included.
pub fn value_v2() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        octets().prop_map(Value::OctetString),
        Just(Value::Null),
        oid().prop_map(Value::ObjectIdentifier),
        any::<[u8; 4]>().prop_map(|a| Value::IpAddress(Ipv4Addr::from(a))),
        any::<u32>().prop_map(Value::Counter32),
        any::<u32>().prop_map(Value::Gauge32),
        any::<u32>().prop_map(Value::TimeTicks),
        octets().prop_map(Value::Opaque),
        counter64().prop_map(Value::Counter64),
        Just(Value::NoSuchObject),
        Just(Value::NoSuchInstance),
        Just(Value::EndOfMibView),
    ]
}

/// The SMIv1 value types (no Counter64, no exceptions).
pub fn value_v1() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i32>().prop_map(Value::Integer),
        octets().prop_map(Value::OctetString),
        Just(Value::Null),
        oid().prop_map(Value::ObjectIdentifier),
        any::<[u8; 4]>().prop_map(|a| Value::IpAddress(Ipv4Addr::from(a))),
        any::<u32>().prop_map(Value::Counter32),
        any::<u32>().prop_map(Value::Gauge32),
        any::<u32>().prop_map(Value::TimeTicks),
        octets().prop_map(Value::Opaque),
    ]
}

pub fn varbinds(version: Version) -> BoxedStrategy<Vec<VarBind>> {
    let value = match version {
        Version::V1 => value_v1().boxed(),
        _ => value_v2().boxed(),
    };
    vec((oid(), value).prop_map(|(o, v)| VarBind::new(o, v)), 0..12).boxed()
}

/// PDU types other than the v1 trap allowed in `version`.
pub fn pdu_type(version: Version) -> BoxedStrategy<PduType> {
    let v1 = vec![
        PduType::GetRequest,
        PduType::GetNextRequest,
        PduType::Response,
        PduType::SetRequest,
    ];
    match version {
        Version::V1 => prop::sample::select(v1).boxed(),
        _ => {
            let mut all = v1;
            all.extend([
                PduType::GetBulkRequest,
                PduType::InformRequest,
                PduType::SnmpV2Trap,
                PduType::Report,
            ]);
            prop::sample::select(all).boxed()
        }
    }
}

pub fn int_field() -> impl Strategy<Value = i32> {
    prop_oneof![any::<i32>(), -2i32..20, Just(i32::MIN), Just(i32::MAX)]
}

pub fn pdu(version: Version) -> impl Strategy<Value = Pdu> {
    (
        pdu_type(version),
        int_field(),
        int_field(),
        int_field(),
        varbinds(version),
    )
        .prop_map(
            |(pdu_type, request_id, error_status, error_index, varbinds)| Pdu {
                pdu_type,
                request_id,
                error_status,
                error_index,
                varbinds,
            },
        )
}

pub fn trap_v1() -> impl Strategy<Value = TrapV1Pdu> {
    (
        oid(),
        any::<[u8; 4]>(),
        int_field(),
        int_field(),
        any::<u32>(),
        varbinds(Version::V1),
    )
        .prop_map(
            |(enterprise, addr, generic_trap, specific_trap, time_stamp, varbinds)| TrapV1Pdu {
                enterprise,
                agent_addr: Ipv4Addr::from(addr),
                generic_trap,
                specific_trap,
                time_stamp,
                varbinds,
            },
        )
}

pub fn message_v1() -> impl Strategy<Value = Message> {
    let pdu = prop_oneof![
        3 => pdu(Version::V1).prop_map(AnyPdu::Pdu),
        1 => trap_v1().prop_map(AnyPdu::TrapV1),
    ];
    (octets(), pdu).prop_map(|(community, pdu)| Message {
        version: Version::V1,
        community,
        pdu,
    })
}

pub fn message_v2c() -> impl Strategy<Value = Message> {
    (octets(), pdu(Version::V2c)).prop_map(|(community, pdu)| Message {
        version: Version::V2c,
        community,
        pdu: AnyPdu::Pdu(pdu),
    })
}

/// Any v1 or v2c message.
pub fn message() -> impl Strategy<Value = Message> {
    prop_oneof![message_v1(), message_v2c()]
}

/// A realistic GetResponse of `n` varbinds cycling through every value type.
pub fn mixed_response(n: usize) -> Message {
    let base: Oid = "1.3.6.1.2.1.2.2.1".parse().unwrap();
    let varbinds = (0..n)
        .map(|i| {
            let oid = base.extended(&[(i % 22) as u32 + 1, i as u32 + 1]).unwrap();
            let value = match i % 13 {
                0 => Value::Integer(-(i as i32) * 1000),
                1 => {
                    Value::OctetString(format!("GigabitEthernet0/{i} uplink to core").into_bytes())
                }
                2 => Value::Null,
                3 => Value::ObjectIdentifier("1.3.6.1.4.1.9.1.1208".parse().unwrap()),
                4 => Value::IpAddress(Ipv4Addr::new(10, 0, i as u8, 1)),
                5 => Value::Counter32(u32::MAX - i as u32),
                6 => Value::Gauge32(1_000_000_000),
                7 => Value::TimeTicks(123_456_789),
                8 => Value::Opaque(vec![0x9f, 0x78, 0x04, 0x3f, 0x80, 0x00, 0x00]),
                9 => Value::Counter64(u64::MAX - i as u64),
                10 => Value::NoSuchObject,
                11 => Value::NoSuchInstance,
                _ => Value::EndOfMibView,
            };
            VarBind::new(oid, value)
        })
        .collect();
    Message::new(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::Response,
            request_id: 0x1234_5678,
            error_status: 0,
            error_index: 0,
            varbinds,
        },
    )
}
