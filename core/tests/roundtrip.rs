//! Encode → decode round trips for every value type and every PDU type, in
//! the message versions that allow them. `encoded_len` must equal the bytes
//! written, and re-encoding the decoded message must give the same bytes.

mod common;

use std::net::Ipv4Addr;

use common::*;
use oxsnmp_core::ber::Reader;
use oxsnmp_core::{
    AnyPdu, AnyPduRef, Message, MessageRef, Oid, OidError, Pdu, PduType, TrapV1Pdu, Value,
    ValueRef, VarBind, Version, MAX_OID_LEN,
};
use proptest::prelude::*;

/// Encodes `value` alone, checks the length, decodes it back.
fn value_round_trip(value: &Value) -> Result<(), TestCaseError> {
    let mut out = vec![0xee]; // encode appends: a prefix must survive
    value.encode(&mut out);
    prop_assert_eq!(out[0], 0xee);
    let bytes = &out[1..];
    prop_assert_eq!(
        bytes.len(),
        value.encoded_len(),
        "encoded_len of {:?}",
        value
    );
    prop_assert_eq!(bytes[0], value.tag());
    let mut r = Reader::new(bytes);
    let tlv = r
        .read_tlv()
        .map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(r.is_empty());
    let back = ValueRef::from_tlv(tlv).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(back.is_exception(), value.is_exception());
    prop_assert_eq!(&back.to_value(), value);
    prop_assert_eq!(&Value::from(back), value);
    Ok(())
}

/// The full message round trip, checked through both the view and the owned copy.
fn message_round_trip(msg: &Message) -> Result<(), TestCaseError> {
    let bytes = msg.to_bytes();
    prop_assert_eq!(bytes.len(), msg.encoded_len());
    let mut appended = vec![1, 2, 3];
    msg.encode(&mut appended);
    prop_assert_eq!(&appended[..3], &[1, 2, 3]);
    prop_assert_eq!(&appended[3..], &bytes[..]);

    let view = MessageRef::decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(view.version, msg.version);
    prop_assert_eq!(view.community, &msg.community[..]);
    match (&view.any_pdu, &msg.pdu) {
        (AnyPduRef::Pdu(v), AnyPdu::Pdu(p)) => {
            prop_assert_eq!(v.pdu_type, p.pdu_type);
            prop_assert_eq!(v.request_id, p.request_id);
            prop_assert_eq!(v.error_status, p.error_status);
            prop_assert_eq!(v.error_index, p.error_index);
            prop_assert_eq!(v.varbinds.len(), p.varbinds.len());
            prop_assert_eq!(v.varbinds.is_empty(), p.varbinds.is_empty());
            prop_assert!(view.pdu().is_some());
            for (got, want) in v.varbinds.iter().zip(&p.varbinds) {
                prop_assert!(got.oid == want.oid, "{} != {}", got.oid, want.oid);
                prop_assert!(got.oid.arcs().eq(want.oid.arcs().iter().copied()));
                prop_assert_eq!(got.value.to_value(), want.value.clone());
            }
            prop_assert_eq!(v.varbinds.iter().count(), p.varbinds.len());
        }
        (AnyPduRef::TrapV1(v), AnyPdu::TrapV1(t)) => {
            prop_assert!(view.pdu().is_none());
            prop_assert!(v.enterprise == t.enterprise);
            prop_assert_eq!(Ipv4Addr::from(v.agent_addr), t.agent_addr);
            prop_assert_eq!(v.generic_trap, t.generic_trap);
            prop_assert_eq!(v.specific_trap, t.specific_trap);
            prop_assert_eq!(v.time_stamp, t.time_stamp);
            prop_assert_eq!(v.varbinds.to_vec(), t.varbinds.clone());
        }
        _ => prop_assert!(false, "PDU kind changed in the round trip"),
    }
    let owned = view.to_owned();
    prop_assert_eq!(&owned, msg);
    prop_assert_eq!(owned.to_bytes(), bytes);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn every_value_type_round_trips(value in value_v2()) {
        value_round_trip(&value)?;
    }

    #[test]
    fn oids_round_trip(oid in oid()) {
        let mut content = Vec::new();
        oid.write_ber_content(&mut content);
        prop_assert_eq!(content.len(), oid.ber_content_len());
        let r = oxsnmp_core::OidRef::from_ber(&content, 0).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert_eq!(r.to_oid(), oid.clone());
        prop_assert_eq!(r.to_string(), oid.to_string());
        prop_assert_eq!(oid.to_string().parse::<Oid>().unwrap(), oid.clone());
        prop_assert_eq!(r.cmp_oid(&oid), std::cmp::Ordering::Equal);
        prop_assert!(r.starts_with(&oid));
    }

    #[test]
    fn oid_order_matches_ref_order(a in oid(), b in oid()) {
        let mut content = Vec::new();
        a.write_ber_content(&mut content);
        let r = oxsnmp_core::OidRef::from_ber(&content, 0).unwrap();
        prop_assert_eq!(r.cmp_oid(&b), a.cmp(&b));
        prop_assert_eq!(r.starts_with(&b), a.starts_with(&b));
    }

    #[test]
    fn v1_messages_round_trip(msg in message_v1()) {
        message_round_trip(&msg)?;
    }

    #[test]
    fn v2c_messages_round_trip(msg in message_v2c()) {
        message_round_trip(&msg)?;
    }

    #[test]
    fn trap_v1_pdu_length(trap in trap_v1()) {
        let mut out = Vec::new();
        trap.encode(&mut out);
        prop_assert_eq!(out.len(), trap.encoded_len());
        prop_assert_eq!(out[0], PduType::TrapV1.tag());
        let any = AnyPdu::TrapV1(trap.clone());
        prop_assert_eq!(any.encoded_len(), out.len());
    }

    #[test]
    fn pdu_length(pdu in pdu(Version::V2c)) {
        let mut out = Vec::new();
        pdu.encode(&mut out);
        prop_assert_eq!(out.len(), pdu.encoded_len());
        prop_assert_eq!(out[0], pdu.pdu_type.tag());
        for vb in &pdu.varbinds {
            let mut one = Vec::new();
            vb.encode(&mut one);
            prop_assert_eq!(one.len(), vb.encoded_len());
        }
    }
}

const ALL_PDU_TYPES: [PduType; 9] = [
    PduType::GetRequest,
    PduType::GetNextRequest,
    PduType::Response,
    PduType::SetRequest,
    PduType::TrapV1,
    PduType::GetBulkRequest,
    PduType::InformRequest,
    PduType::SnmpV2Trap,
    PduType::Report,
];

fn sample_varbinds() -> Vec<VarBind> {
    vec![
        VarBind::new("1.3.6.1.2.1.1.1.0".parse().unwrap(), Value::from("agent")),
        VarBind::new("1.3.6.1.2.1.1.3.0".parse().unwrap(), Value::TimeTicks(42)),
        VarBind::null("1.3.6.1.2.1.2.2.1.10.1".parse().unwrap()),
    ]
}

fn sample_message(version: Version, t: PduType) -> Message {
    let pdu = if t == PduType::TrapV1 {
        AnyPdu::TrapV1(TrapV1Pdu {
            enterprise: "1.3.6.1.4.1.8072.3.2.10".parse().unwrap(),
            agent_addr: Ipv4Addr::new(192, 0, 2, 1),
            generic_trap: 6,
            specific_trap: 1,
            time_stamp: 100,
            varbinds: sample_varbinds(),
        })
    } else {
        AnyPdu::Pdu(Pdu {
            pdu_type: t,
            request_id: 77,
            error_status: if t == PduType::GetBulkRequest { 1 } else { 0 },
            error_index: if t == PduType::GetBulkRequest { 10 } else { 0 },
            varbinds: sample_varbinds(),
        })
    };
    Message {
        version,
        community: b"public".to_vec(),
        pdu,
    }
}

#[test]
fn every_pdu_type_in_every_version() {
    for version in [Version::V1, Version::V2c] {
        for t in ALL_PDU_TYPES {
            let msg = sample_message(version, t);
            let bytes = msg.to_bytes();
            assert_eq!(bytes.len(), msg.encoded_len());
            assert_eq!(PduType::from_tag(t.tag()), Some(t));
            let decoded = MessageRef::decode(&bytes);
            if version.allows(t) {
                let decoded = decoded.unwrap_or_else(|e| panic!("{version:?} {t:?}: {e}"));
                assert_eq!(decoded.any_pdu.pdu_type(), t);
                assert_eq!(decoded.to_owned(), msg, "{version:?} {t:?}");
            } else {
                let err = decoded.expect_err("version does not allow this PDU");
                assert_eq!(err.kind, oxsnmp_core::ber::DecodeErrorKind::PduNotAllowed);
                // The PDU starts after 30 len 02 01 vv 04 06 "public".
                assert_eq!(err.offset, 2 + 3 + 8, "{version:?} {t:?}");
            }
        }
    }
    // The allow-table itself, spelled out (RFC 1157 §4 and RFC 3416 §3).
    let v1: Vec<_> = ALL_PDU_TYPES
        .iter()
        .filter(|t| Version::V1.allows(**t))
        .collect();
    assert_eq!(
        v1,
        [
            &PduType::GetRequest,
            &PduType::GetNextRequest,
            &PduType::Response,
            &PduType::SetRequest,
            &PduType::TrapV1
        ]
    );
    let v2: Vec<_> = ALL_PDU_TYPES
        .iter()
        .filter(|t| Version::V2c.allows(**t))
        .collect();
    assert_eq!(v2.len(), 8);
    assert!(!Version::V2c.allows(PduType::TrapV1));
}

#[test]
fn octet_string_length_boundaries() {
    for n in [
        0usize, 1, 127, 128, 129, 255, 256, 257, 65_535, 65_536, 70_000,
    ] {
        let data: Vec<u8> = (0..n).map(|i| (i * 7) as u8).collect();
        for v in [
            Value::OctetString(data.clone()),
            Value::Opaque(data.clone()),
        ] {
            value_round_trip(&v).unwrap();
            let mut out = Vec::new();
            v.encode(&mut out);
            // Minimal definite length: short form below 128, then 1, 2, 3 octets.
            let header = match n {
                0..=127 => 2,
                128..=255 => 3,
                256..=65_535 => 4,
                _ => 5,
            };
            assert_eq!(out.len(), header + n, "length {n}");
        }
        let community = data[..n.min(300)].to_vec();
        let msg = Message::new(
            Version::V2c,
            &community,
            Pdu {
                pdu_type: PduType::Response,
                request_id: n as i32,
                error_status: 0,
                error_index: 0,
                varbinds: vec![VarBind::new(
                    "1.3.6.1.4.1.1.1".parse().unwrap(),
                    Value::OctetString(data),
                )],
            },
        );
        message_round_trip(&msg).unwrap();
    }
}

#[test]
fn oid_extremes() {
    // 128 arcs, every one after the prefix at u32::MAX.
    let mut arcs = vec![1, 3];
    arcs.extend(std::iter::repeat_n(u32::MAX, MAX_OID_LEN - 2));
    let max = Oid::from_arcs(arcs.clone()).unwrap();
    assert_eq!(max.len(), 128);
    value_round_trip(&Value::ObjectIdentifier(max.clone())).unwrap();
    // Five octets per u32::MAX arc: 8f ff ff ff 7f.
    assert_eq!(max.ber_content_len(), 1 + 126 * 5);
    let mut content = Vec::new();
    max.write_ber_content(&mut content);
    assert_eq!(&content[1..6], &[0x8f, 0xff, 0xff, 0xff, 0x7f]);

    arcs.push(1);
    assert_eq!(Oid::from_arcs(arcs), Err(OidError::TooLong));

    // The largest second arc under 2 that `Oid` accepts, and the smallest OIDs.
    for s in ["2.4294967215", "0.0", "2.0", "1.39", "2.40.1", "1.3.0"] {
        let o: Oid = s.parse().unwrap();
        value_round_trip(&Value::ObjectIdentifier(o.clone())).unwrap();
        let msg = Message::new(Version::V1, "c", Pdu::request(PduType::GetRequest, 1, &[o]));
        message_round_trip(&msg).unwrap();
    }
}

#[test]
fn integer_and_counter_extremes() {
    let values = [
        Value::Integer(0),
        Value::Integer(-1),
        Value::Integer(127),
        Value::Integer(128),
        Value::Integer(-128),
        Value::Integer(-129),
        Value::Integer(i32::MIN),
        Value::Integer(i32::MAX),
        Value::Counter32(0),
        Value::Counter32(0x7f),
        Value::Counter32(0x80),
        Value::Counter32(u32::MAX),
        Value::Gauge32(u32::MAX),
        Value::TimeTicks(u32::MAX),
        Value::Counter64(0),
        Value::Counter64((1 << 63) - 1),
        Value::Counter64(1 << 63),
        Value::Counter64(u64::MAX),
        Value::IpAddress(Ipv4Addr::new(255, 255, 255, 255)),
        Value::IpAddress(Ipv4Addr::UNSPECIFIED),
    ];
    for v in &values {
        value_round_trip(v).unwrap();
    }
    // Counter64 >= 2^63 is written as nine content octets with a leading zero.
    let mut out = Vec::new();
    Value::Counter64(1 << 63).encode(&mut out);
    assert_eq!(out, [0x46, 9, 0, 0x80, 0, 0, 0, 0, 0, 0, 0]);
    out.clear();
    Value::Counter32(u32::MAX).encode(&mut out);
    assert_eq!(out, [0x41, 5, 0, 0xff, 0xff, 0xff, 0xff]);

    let msg = Message::new(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::Response,
            request_id: i32::MIN,
            error_status: i32::MAX,
            error_index: -1,
            varbinds: values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    VarBind::new(Oid::from_arcs(vec![1, 3, 6, i as u32]).unwrap(), v.clone())
                })
                .collect(),
        },
    );
    message_round_trip(&msg).unwrap();
}

#[test]
fn large_messages_use_long_lengths() {
    let msg = mixed_response(3000);
    let bytes = msg.to_bytes();
    assert!(
        bytes.len() > 0xffff,
        "want a 3-octet outer length, got {}",
        bytes.len()
    );
    assert_eq!(bytes[1], 0x83);
    message_round_trip(&msg).unwrap();
    message_round_trip(&mixed_response(25)).unwrap();
    message_round_trip(&mixed_response(0)).unwrap();
}
