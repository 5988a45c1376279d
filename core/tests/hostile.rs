//! Hostile input for the v1/v2c decoder: every malformed datagram must give
//! a typed error of the expected kind at the offending offset, never a panic,
//! never a read past the datagram.

mod common;

use oxsnmp_core::ber::{writer, DecodeError, DecodeErrorKind as K};
use oxsnmp_core::{
    peek_version, AnyPduRef, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version,
};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// Hand-building messages

fn tlv(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    writer::write_bytes(&mut out, tag, content);
    out
}

fn cat(parts: &[&[u8]]) -> Vec<u8> {
    parts.concat()
}

fn int(v: i64) -> Vec<u8> {
    let mut out = Vec::new();
    writer::write_i64(&mut out, 0x02, v);
    out
}

fn oid_tlv(s: &str) -> Vec<u8> {
    let o: Oid = s.parse().unwrap();
    let mut c = Vec::new();
    o.write_ber_content(&mut c);
    tlv(0x06, &c)
}

fn vb(oid: &[u8], value: &[u8]) -> Vec<u8> {
    tlv(0x30, &cat(&[oid, value]))
}

fn null() -> Vec<u8> {
    vec![0x05, 0x00]
}

/// A v2c message "public" with a PDU of the given tag and varbind-list content.
fn v2c(pdu_tag: u8, rid: &[u8], vbl: &[u8]) -> Vec<u8> {
    message(&int(1), pdu_tag, rid, vbl)
}

fn message(version: &[u8], pdu_tag: u8, rid: &[u8], vbl: &[u8]) -> Vec<u8> {
    let pdu = tlv(pdu_tag, &cat(&[rid, &int(0), &int(0), &tlv(0x30, vbl)]));
    tlv(0x30, &cat(&[version, &tlv(0x04, b"public"), &pdu]))
}

/// A response carrying one varbind `sysUpTime.0 = value`.
fn with_value(value: &[u8]) -> Vec<u8> {
    v2c(0xa2, &int(0x11), &vb(&oid_tlv("1.3.6.1.2.1.1.3.0"), value))
}

/// Offset of the first occurrence of `needle` (which tests keep unique).
fn find(hay: &[u8], needle: &[u8]) -> usize {
    hay.windows(needle.len())
        .position(|w| w == needle)
        .unwrap_or_else(|| panic!("{needle:02x?} not in message"))
}

#[track_caller]
fn expect_err(bytes: &[u8], kind: K, offset: usize) {
    match MessageRef::decode(bytes) {
        Ok(m) => panic!("decoded hostile input {bytes:02x?} as {m:?}"),
        Err(e) => assert_eq!(
            e,
            DecodeError { kind, offset },
            "in {:02x?}",
            &bytes[..bytes.len().min(64)]
        ),
    }
}

/// Offsets within [`with_value`]: 30 LL | 02 01 01 | 04 06 public | a2 LL | rid ...
const VERSION_AT: usize = 2;
const COMMUNITY_AT: usize = 5;
const PDU_AT: usize = 13;
const RID_AT: usize = 15;
const VBL_AT: usize = 24;
const VB_AT: usize = 26;
const OID_AT: usize = 28;
/// sysUpTime.0 is 06 08 + 8 octets.
const VALUE_AT: usize = OID_AT + 10;

#[test]
fn the_layout_the_offsets_assume() {
    let m = with_value(&[0x43, 0x01, 0x07]);
    assert_eq!(m[VERSION_AT], 0x02);
    assert_eq!(m[COMMUNITY_AT], 0x04);
    assert_eq!(m[PDU_AT], 0xa2);
    assert_eq!(&m[RID_AT..RID_AT + 3], &[0x02, 0x01, 0x11]);
    assert_eq!(m[VBL_AT], 0x30);
    assert_eq!(m[VB_AT], 0x30);
    assert_eq!(m[OID_AT], 0x06);
    assert_eq!(&m[VALUE_AT..], &[0x43, 0x01, 0x07]);
    let d = MessageRef::decode(&m).unwrap();
    assert_eq!(
        d.pdu().unwrap().varbinds.iter().next().unwrap().value,
        oxsnmp_core::ValueRef::TimeTicks(7)
    );
}

// ---------------------------------------------------------------------------
// Truncation

fn valid_samples() -> Vec<Vec<u8>> {
    let trap = Message {
        version: Version::V1,
        community: b"public".to_vec(),
        pdu: oxsnmp_core::AnyPdu::TrapV1(oxsnmp_core::TrapV1Pdu {
            enterprise: "1.3.6.1.4.1.8072.3.2.10".parse().unwrap(),
            agent_addr: [10, 1, 2, 3].into(),
            generic_trap: 6,
            specific_trap: 2,
            time_stamp: 1234,
            varbinds: vec![VarBind::new(
                "1.3.6.1.2.1.1.5.0".parse().unwrap(),
                Value::from("host"),
            )],
        }),
    };
    let big = Message::new(
        Version::V2c,
        "public",
        Pdu {
            pdu_type: PduType::Response,
            request_id: 99,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(
                "1.3.6.1.2.1.1.1.0".parse().unwrap(),
                Value::OctetString(vec![b'x'; 300]),
            )],
        },
    );
    vec![
        Message::new(
            Version::V1,
            "public",
            Pdu::request(
                PduType::GetRequest,
                1,
                &["1.3.6.1.2.1.1.1.0".parse().unwrap()],
            ),
        )
        .to_bytes(),
        common::mixed_response(25).to_bytes(),
        trap.to_bytes(),
        big.to_bytes(),
        with_value(&[
            0x46, 0x09, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
        ]),
    ]
}

#[test]
fn truncation_at_every_offset() {
    for full in valid_samples() {
        assert!(MessageRef::decode(&full).is_ok());
        let header = match full[1] {
            0x00..=0x7f => 2,
            l => 2 + usize::from(l & 0x7f),
        };
        let content = full.len() - header;
        for cut in 0..full.len() {
            let err = MessageRef::decode(&full[..cut]).expect_err("truncated message decoded");
            let want = match cut {
                0 => DecodeError {
                    kind: K::Truncated,
                    offset: 0,
                },
                1 => DecodeError {
                    kind: K::Truncated,
                    offset: 1,
                },
                c if c < header => DecodeError {
                    kind: K::Truncated,
                    offset: 2,
                },
                c => DecodeError {
                    kind: K::LengthPastEnd {
                        length: content,
                        available: c - header,
                    },
                    offset: 1,
                },
            };
            assert_eq!(err, want, "cut at {cut} of {}", full.len());
            // peek_version stops at the same outer header.
            assert_eq!(peek_version(&full[..cut]), Err(want));
        }
    }
}

#[test]
fn inner_truncation_with_consistent_outer_length() {
    // Cut the content short but make the outer SEQUENCE agree with the cut:
    // some inner length must then run past its end.
    for full in valid_samples() {
        let header = match full[1] {
            0x00..=0x7f => 2,
            l => 2 + usize::from(l & 0x7f),
        };
        for cut in header..full.len() {
            let bytes = tlv(0x30, &full[header..cut]);
            let err = MessageRef::decode(&bytes).expect_err("inner truncation decoded");
            assert!(
                err.offset <= bytes.len(),
                "{err} beyond {} bytes",
                bytes.len()
            );
            assert!(
                matches!(err.kind, K::Truncated | K::LengthPastEnd { .. }),
                "cut {cut}: {err}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Lengths

#[test]
fn overflowing_length_fields() {
    let mut m = vec![0x30, 0x84, 0xff, 0xff, 0xff, 0xff];
    m.extend(&int(1));
    expect_err(
        &m,
        K::LengthPastEnd {
            length: 0xffff_ffff,
            available: 3,
        },
        1,
    );

    expect_err(
        &[0x30, 0x85, 0x01, 0, 0, 0, 0, 0x02, 0x01, 0x01],
        K::LengthTooLong(5),
        1,
    );
    expect_err(
        &[0x30, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff],
        K::LengthTooLong(8),
        1,
    );
    // 0xff would announce 127 length octets.
    expect_err(&[0x30, 0xff, 0, 0, 0, 0], K::LengthTooLong(127), 1);
    // Long form with too few octets present.
    expect_err(&[0x30, 0x84, 0x00, 0x00], K::Truncated, 2);

    // Inside: the community claims 4 GiB.
    let mut inner = vec![0x02, 0x01, 0x01, 0x04, 0x84, 0xff, 0xff, 0xff, 0xff, b'p'];
    inner.extend(tlv(0xa2, &[]));
    let m = tlv(0x30, &inner);
    expect_err(
        &m,
        K::LengthPastEnd {
            length: 0xffff_ffff,
            available: m.len() - COMMUNITY_AT - 6,
        },
        COMMUNITY_AT + 1,
    );

    // Inside a varbind value.
    let m = with_value(&[0x04, 0x84, 0x7f, 0xff, 0xff, 0xff]);
    expect_err(
        &m,
        K::LengthPastEnd {
            length: 0x7fff_ffff,
            available: 0,
        },
        VALUE_AT + 1,
    );
    let m = with_value(&[0x04, 0x85, 0x00, 0x00, 0x00, 0x00, 0x01, b'x']);
    expect_err(&m, K::LengthTooLong(5), VALUE_AT + 1);
}

#[test]
fn non_minimal_long_lengths_are_accepted() {
    // 30 84 00 00 00 LL: valid BER, sent by some agents.
    let m = with_value(&[0x43, 0x01, 0x07]);
    let mut long = vec![0x30, 0x84, 0, 0, 0, (m.len() - 2) as u8];
    long.extend(&m[2..]);
    let d = MessageRef::decode(&long).unwrap();
    assert_eq!(d.pdu().unwrap().request_id, 0x11);
    assert_eq!(d.to_owned(), MessageRef::decode(&m).unwrap().to_owned());
}

#[test]
fn indefinite_lengths() {
    let mut m = vec![0x30, 0x80];
    m.extend(&int(1));
    m.extend(tlv(0x04, b"public"));
    m.extend([0x00, 0x00]);
    expect_err(&m, K::IndefiniteLength, 1);

    // An indefinite PDU inside a definite message.
    let mut inner = int(1);
    inner.extend(tlv(0x04, b"public"));
    inner.extend([0xa2, 0x80]);
    inner.extend(int(1));
    inner.extend([0x00, 0x00]);
    expect_err(&tlv(0x30, &inner), K::IndefiniteLength, PDU_AT + 1);

    // An indefinite SEQUENCE where a value belongs.
    let m = with_value(&[0x30, 0x80, 0x00, 0x00]);
    expect_err(&m, K::IndefiniteLength, VALUE_AT + 1);
}

// ---------------------------------------------------------------------------
// Nesting

#[test]
fn deep_indefinite_nesting() {
    let m: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000)
        .flatten()
        .collect();
    expect_err(&m, K::IndefiniteLength, 1);
    assert_eq!(peek_version(&m).unwrap_err().kind, K::IndefiniteLength);
}

/// `depth` SEQUENCEs nested with three-octet lengths around `core`.
fn nested(depth: usize, core: &[u8]) -> Vec<u8> {
    let mut inner = core.to_vec();
    for _ in 0..depth {
        let len = inner.len();
        let mut outer = vec![0x30, 0x83, (len >> 16) as u8, (len >> 8) as u8, len as u8];
        outer.extend(inner);
        inner = outer;
    }
    inner
}

#[test]
fn deep_definite_nesting() {
    // 20,000 levels: the decoder reads the outer SEQUENCE, then wants the version.
    let m = nested(20_000, &int(1));
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x02,
            found: 0x30,
        },
        5,
    );

    // Nesting where a value belongs.
    let deep = nested(3_000, &[]);
    let m = with_value(&deep);
    expect_err(&m[..], K::UnknownValueTag(0x30), find(&m, &deep[..5]));

    // Nesting where a varbind belongs: its name must be an OID.
    let vbs = nested(3_000, &oid_tlv("1.3"));
    let m = v2c(0xa2, &int(7), &vbs);
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x06,
            found: 0x30,
        },
        find(&m, &vbs[..5]) + 5,
    );

    // Inside an Opaque, nesting is just octets.
    let deep = nested(2_000, &[]);
    let m = with_value(&tlv(0x44, &deep));
    let d = MessageRef::decode(&m).unwrap();
    let v = d.pdu().unwrap().varbinds.iter().next().unwrap().value;
    assert_eq!(v, oxsnmp_core::ValueRef::Opaque(&deep));
}

// ---------------------------------------------------------------------------
// OIDs

fn oid_of_subids(subids: usize) -> Vec<u8> {
    // 1.3 then (subids - 1) more single-octet sub-identifiers.
    let mut c = vec![0x2b];
    c.extend(std::iter::repeat_n(0x05, subids - 1));
    tlv(0x06, &c)
}

#[test]
fn oid_length_limits() {
    // 127 encoded sub-identifiers = 128 arcs: fine.
    let ok = v2c(0xa2, &int(7), &vb(&oid_of_subids(127), &null()));
    let d = MessageRef::decode(&ok).unwrap();
    assert_eq!(
        d.pdu()
            .unwrap()
            .varbinds
            .iter()
            .next()
            .unwrap()
            .oid
            .arcs()
            .count(),
        128
    );

    // 129 and far more arcs: OidTooLong at the OID's tag.
    for subids in [128, 129, 1000, 20_000] {
        let m = v2c(0xa2, &int(7), &vb(&oid_of_subids(subids), &null()));
        // Long lengths shift everything; locate the OID tag instead of assuming.
        let head = &oid_of_subids(subids)[..3];
        expect_err(&m, K::OidTooLong, find(&m, head));
        // As a value, too.
        let m = with_value(&oid_of_subids(subids));
        expect_err(&m, K::OidTooLong, find(&m, head));
    }

    // As a trap enterprise.
    let mut body = oid_of_subids(200);
    body.extend(tlv(0x40, &[127, 0, 0, 1]));
    body.extend(int(0));
    body.extend(int(0));
    body.extend(tlv(0x43, &[1]));
    body.extend(tlv(0x30, &[]));
    let m = tlv(
        0x30,
        &cat(&[&int(0), &tlv(0x04, b"public"), &tlv(0xa4, &body)]),
    );
    let at = find(&m, &[0x06, 0x81, 200, 0x2b]);
    expect_err(&m, K::OidTooLong, at);
}

#[test]
fn oid_sub_identifier_limits() {
    // 1.3.(2^32 - 1) is the largest arc; 2^32 and 2^35 - 1 are too large.
    let max = tlv(0x06, &[0x2b, 0x8f, 0xff, 0xff, 0xff, 0x7f]);
    let m = with_value(&max);
    let d = MessageRef::decode(&m).unwrap();
    let v = d.pdu().unwrap().varbinds.iter().next().unwrap().value;
    let oxsnmp_core::ValueRef::ObjectIdentifier(o) = v else {
        panic!("{v:?}")
    };
    assert_eq!(o.arcs().last(), Some(u32::MAX));

    for bad in [
        vec![0x2b, 0x90, 0x80, 0x80, 0x80, 0x00],       // 2^32
        vec![0x2b, 0xff, 0xff, 0xff, 0xff, 0x7f],       // 2^35 - 1
        vec![0x2b, 0x81, 0x80, 0x80, 0x80, 0x80, 0x00], // six octets
        vec![
            0x2b, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ], // 10 octets
    ] {
        expect_err(&with_value(&tlv(0x06, &bad)), K::OidSubidTooLarge, VALUE_AT);
        // In the varbind name.
        let m = v2c(0xa2, &int(7), &vb(&tlv(0x06, &bad), &null()));
        expect_err(&m, K::OidSubidTooLarge, OID_AT);
    }

    // The first sub-identifier carries 80 + Y under arc 2: 2.(2^32 - 1) is fine, one more is not.
    let first = |v: u64| {
        let mut c = Vec::new();
        for i in (0..5).rev() {
            let g = ((v >> (7 * i)) & 0x7f) as u8;
            c.push(if i == 0 { g } else { g | 0x80 });
        }
        tlv(0x06, &c)
    };
    let ok = with_value(&first(80 + u64::from(u32::MAX)));
    let d = MessageRef::decode(&ok).unwrap();
    let v = d.pdu().unwrap().varbinds.iter().next().unwrap().value;
    let oxsnmp_core::ValueRef::ObjectIdentifier(o) = v else {
        panic!("{v:?}")
    };
    assert_eq!(o.arcs().collect::<Vec<_>>(), [2, u32::MAX]);
    expect_err(
        &with_value(&first(81 + u64::from(u32::MAX))),
        K::OidSubidTooLarge,
        VALUE_AT,
    );

    // Empty and unterminated.
    expect_err(&with_value(&[0x06, 0x00]), K::EmptyOid, VALUE_AT);
    expect_err(
        &with_value(&[0x06, 0x02, 0x2b, 0x86]),
        K::OidUnterminated,
        VALUE_AT,
    );
    let m = v2c(0xa2, &int(7), &vb(&[0x06, 0x00], &null()));
    expect_err(&m, K::EmptyOid, OID_AT);
}

// ---------------------------------------------------------------------------
// Integers longer than their type

#[test]
fn integers_longer_than_their_type() {
    let nine = [0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
    expect_err(&v2c(0xa2, &nine, &[]), K::IntegerTooLong, RID_AT);
    // Five octets that do not fit an i32.
    expect_err(
        &v2c(0xa2, &[0x02, 0x05, 0x01, 0, 0, 0, 0], &[]),
        K::IntegerTooLong,
        RID_AT,
    );
    expect_err(
        &v2c(0xa2, &int(i64::from(i32::MAX) + 1), &[]),
        K::IntegerTooLong,
        RID_AT,
    );
    expect_err(
        &v2c(0xa2, &int(i64::from(i32::MIN) - 1), &[]),
        K::IntegerTooLong,
        RID_AT,
    );
    expect_err(&v2c(0xa2, &[0x02, 0x00], &[]), K::EmptyInteger, RID_AT);
    // Nine octets of redundant padding around a small value are read (liberal).
    let padded = v2c(0xa2, &[0x02, 0x09, 0, 0, 0, 0, 0, 0, 0, 0, 0x05], &[]);
    assert_eq!(
        MessageRef::decode(&padded)
            .unwrap()
            .pdu()
            .unwrap()
            .request_id,
        5
    );
    let padded = v2c(0xa2, &[0x02, 0x06, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe], &[]);
    assert_eq!(
        MessageRef::decode(&padded)
            .unwrap()
            .pdu()
            .unwrap()
            .request_id,
        -2
    );

    // error-status and error-index.
    let pdu = tlv(
        0xa2,
        &cat(&[
            &int(1),
            &[0x02, 0x05, 0x7f, 0, 0, 0, 0],
            &int(0),
            &tlv(0x30, &[]),
        ]),
    );
    let m = tlv(0x30, &cat(&[&int(1), &tlv(0x04, b"public"), &pdu]));
    expect_err(&m, K::IntegerTooLong, RID_AT + 3);

    // Version of nine octets.
    let m = message(&nine, 0xa2, &int(1), &[]);
    expect_err(&m, K::IntegerTooLong, VERSION_AT);

    // Counter32, Gauge32, TimeTicks: at most 32 bits of value.
    for tag in [0x41, 0x42, 0x43] {
        expect_err(
            &with_value(&[tag, 0x06, 0x01, 0, 0, 0, 0, 0]),
            K::IntegerTooLong,
            VALUE_AT,
        );
        expect_err(
            &with_value(&[tag, 0x05, 0x01, 0, 0, 0, 0]),
            K::IntegerTooLong,
            VALUE_AT,
        );
        expect_err(&with_value(&[tag, 0x00]), K::EmptyInteger, VALUE_AT);
        // Padded but fitting, and the agent bug of no sign octet: both u32::MAX.
        for ok in [
            &[tag, 0x06, 0, 0, 0xff, 0xff, 0xff, 0xff][..],
            &[tag, 0x04, 0xff, 0xff, 0xff, 0xff],
        ] {
            let d = MessageRef::decode(&with_value(ok)).unwrap().to_owned();
            let oxsnmp_core::AnyPdu::Pdu(p) = d.pdu else {
                panic!()
            };
            assert_eq!(p.varbinds[0].value.as_u64(), Some(u64::from(u32::MAX)));
        }
    }
    // Counter64: at most 64 bits.
    let mut ten = vec![0x46, 0x0a, 0x01];
    ten.extend([0; 9]);
    expect_err(&with_value(&ten), K::IntegerTooLong, VALUE_AT);
    let mut two_64 = vec![0x46, 0x09, 0x01];
    two_64.extend([0; 8]);
    expect_err(&with_value(&two_64), K::IntegerTooLong, VALUE_AT);
    let mut padded = vec![0x46, 0x0a, 0x00, 0x00];
    padded.extend([0xff; 8]);
    let m = with_value(&padded);
    let d = MessageRef::decode(&m).unwrap();
    assert_eq!(
        d.pdu().unwrap().varbinds.iter().next().unwrap().value,
        oxsnmp_core::ValueRef::Counter64(u64::MAX)
    );
    // Integer32 value of five significant octets.
    expect_err(
        &with_value(&[0x02, 0x05, 0x01, 0, 0, 0, 0]),
        K::IntegerTooLong,
        VALUE_AT,
    );
}

// ---------------------------------------------------------------------------
// Wrong tags

#[test]
fn wrong_tags() {
    let good = with_value(&[0x43, 0x01, 0x07]);

    let mut m = good.clone();
    m[0] = 0x31;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x30,
            found: 0x31,
        },
        0,
    );
    m[0] = 0x1f;
    expect_err(&m, K::HighTagNumber, 0);

    let mut m = good.clone();
    m[VERSION_AT] = 0x04;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x02,
            found: 0x04,
        },
        VERSION_AT,
    );

    let mut m = good.clone();
    m[COMMUNITY_AT] = 0x02;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x04,
            found: 0x02,
        },
        COMMUNITY_AT,
    );

    let mut m = good.clone();
    m[RID_AT] = 0x04;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x02,
            found: 0x04,
        },
        RID_AT,
    );

    let mut m = good.clone();
    m[VBL_AT] = 0x31;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x30,
            found: 0x31,
        },
        VBL_AT,
    );

    let mut m = good.clone();
    m[VB_AT] = 0x04;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x30,
            found: 0x04,
        },
        VB_AT,
    );

    let mut m = good.clone();
    m[OID_AT] = 0x04;
    expect_err(
        &m,
        K::UnexpectedTag {
            expected: 0x06,
            found: 0x04,
        },
        OID_AT,
    );

    for tag in [0x01, 0x03, 0x09, 0x0c, 0x45, 0x47, 0x83, 0xa0, 0x30, 0xc0] {
        let mut m = good.clone();
        m[VALUE_AT] = tag;
        expect_err(&m, K::UnknownValueTag(tag), VALUE_AT);
    }
    for tag in [0x1f, 0x5f, 0x9f, 0xbf] {
        let mut m = good.clone();
        m[VALUE_AT] = tag;
        expect_err(&m, K::HighTagNumber, VALUE_AT);
    }

    // Values with the wrong shape for their tag.
    expect_err(&with_value(&[0x05, 0x01, 0x00]), K::NonEmptyNull, VALUE_AT);
    for ex in [0x80, 0x81, 0x82] {
        expect_err(&with_value(&[ex, 0x01, 0x00]), K::NonEmptyNull, VALUE_AT);
    }
    for n in [0usize, 3, 5, 16] {
        expect_err(
            &with_value(&tlv(0x40, &vec![1; n])),
            K::BadIpAddressLength(n),
            VALUE_AT,
        );
    }
    // A varbind with a third element.
    let m = v2c(
        0xa2,
        &int(7),
        &tlv(0x30, &cat(&[&oid_tlv("1.3.6"), &null(), &null()])),
    );
    let third = VB_AT + 2 + 4 + 2;
    expect_err(&m, K::TrailingData(2), third);
    // A varbind with only its name.
    let m = v2c(0xa2, &int(7), &tlv(0x30, &oid_tlv("1.3.6")));
    expect_err(&m, K::Truncated, VB_AT + 2 + 4);
}

fn trap(enterprise: &[u8], addr: &[u8], ts: &[u8]) -> Vec<u8> {
    let body = cat(&[enterprise, addr, &int(6), &int(1), ts, &tlv(0x30, &[])]);
    tlv(
        0x30,
        &cat(&[&int(0), &tlv(0x04, b"public"), &tlv(0xa4, &body)]),
    )
}

#[test]
fn trap_v1_fields() {
    let ent = oid_tlv("1.3.6.1.4.1.8072");
    let ok = trap(&ent, &tlv(0x40, &[10, 0, 0, 1]), &tlv(0x43, &[5]));
    let d = MessageRef::decode(&ok).unwrap();
    let AnyPduRef::TrapV1(t) = d.any_pdu else {
        panic!()
    };
    assert_eq!(
        (t.agent_addr, t.generic_trap, t.specific_trap, t.time_stamp),
        ([10, 0, 0, 1], 6, 1, 5)
    );

    let ent_at = PDU_AT + 2;
    let addr_at = ent_at + ent.len();
    expect_err(
        &trap(&ent, &tlv(0x04, &[10, 0, 0, 1]), &tlv(0x43, &[5])),
        K::UnexpectedTag {
            expected: 0x40,
            found: 0x04,
        },
        addr_at,
    );
    expect_err(
        &trap(&ent, &tlv(0x40, &[10, 0, 0, 1, 9]), &tlv(0x43, &[5])),
        K::BadIpAddressLength(5),
        addr_at,
    );
    let ts_at = addr_at + 6 + 3 + 3;
    expect_err(
        &trap(&ent, &tlv(0x40, &[10, 0, 0, 1]), &int(5)),
        K::UnexpectedTag {
            expected: 0x43,
            found: 0x02,
        },
        ts_at,
    );
    expect_err(
        &trap(
            &ent,
            &tlv(0x40, &[10, 0, 0, 1]),
            &tlv(0x43, &[1, 0, 0, 0, 0]),
        ),
        K::IntegerTooLong,
        ts_at,
    );
    expect_err(
        &trap(&null(), &tlv(0x40, &[10, 0, 0, 1]), &tlv(0x43, &[5])),
        K::UnexpectedTag {
            expected: 0x06,
            found: 0x05,
        },
        ent_at,
    );
    // A trap in a v2c message.
    let mut v2 = ok.clone();
    v2[VERSION_AT + 2] = 1;
    expect_err(&v2, K::PduNotAllowed, PDU_AT);
}

// ---------------------------------------------------------------------------
// Versions and PDU types

#[test]
fn wrong_versions() {
    for v in [2i64, -1, 3, 4, 255, 1 << 40, i64::MAX, i64::MIN] {
        let m = message(&int(v), 0xa2, &int(1), &[]);
        expect_err(&m, K::UnsupportedVersion(v), VERSION_AT);
        assert_eq!(peek_version(&m), Ok(v));
    }
    // A version that does not fit 64 bits at all.
    let m = message(
        &[0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0],
        0xa2,
        &int(1),
        &[],
    );
    expect_err(&m, K::IntegerTooLong, VERSION_AT);
    assert_eq!(peek_version(&m).unwrap_err().kind, K::IntegerTooLong);
}

#[test]
fn unknown_and_misplaced_pdu_tags() {
    for tag in [0xa9u8, 0xaa, 0xae, 0xb0, 0x30, 0x80, 0x04, 0xe0] {
        let m = v2c(tag, &int(1), &[]);
        expect_err(&m, K::UnknownPduTag(tag), PDU_AT);
    }
    expect_err(&v2c(0xbf, &int(1), &[]), K::HighTagNumber, PDU_AT);
    for tag in [0xa5, 0xa6, 0xa7, 0xa8] {
        let m = message(&int(0), tag, &int(1), &[]);
        expect_err(&m, K::PduNotAllowed, PDU_AT);
    }
}

// ---------------------------------------------------------------------------
// Trailing and missing data

#[test]
fn trailing_garbage_everywhere() {
    let good = with_value(&[0x43, 0x01, 0x07]);
    // After the message.
    let mut m = good.clone();
    m.extend([0xde, 0xad, 0xbe]);
    expect_err(&m, K::TrailingData(3), good.len());
    let mut m = good.clone();
    m.extend(&good);
    expect_err(&m, K::TrailingData(good.len()), good.len());

    // After the PDU, inside the message SEQUENCE.
    let pdu = tlv(0xa2, &cat(&[&int(1), &int(0), &int(0), &tlv(0x30, &[])]));
    let m = tlv(
        0x30,
        &cat(&[&int(1), &tlv(0x04, b"public"), &pdu, &[0x05, 0x00]]),
    );
    expect_err(&m, K::TrailingData(2), PDU_AT + pdu.len());

    // After the varbind list, inside the PDU.
    let pdu = tlv(
        0xa2,
        &cat(&[&int(1), &int(0), &int(0), &tlv(0x30, &[]), &[0x00]]),
    );
    let m = tlv(0x30, &cat(&[&int(1), &tlv(0x04, b"public"), &pdu]));
    expect_err(&m, K::TrailingData(1), VBL_AT + 2);

    // Garbage between varbinds.
    let vbl = cat(&[&vb(&oid_tlv("1.3.6"), &null()), &[0xff, 0x00]]);
    let m = v2c(0xa2, &int(1), &vbl);
    expect_err(&m, K::HighTagNumber, VB_AT + 8);

    // Missing pieces.
    let m = tlv(0x30, &cat(&[&int(1), &tlv(0x04, b"public")]));
    expect_err(&m, K::Truncated, PDU_AT);
    let m = tlv(
        0x30,
        &cat(&[&int(1), &tlv(0x04, b"public"), &tlv(0xa2, &int(1))]),
    );
    expect_err(&m, K::Truncated, RID_AT + 3);
    expect_err(&tlv(0x30, &[]), K::Truncated, 2);
    expect_err(&[], K::Truncated, 0);
}

// ---------------------------------------------------------------------------
// Odd but valid varbind lists

#[test]
fn zero_varbinds() {
    let m = v2c(0xa2, &int(5), &[]);
    let d = MessageRef::decode(&m).unwrap();
    let p = d.pdu().unwrap();
    assert!(p.varbinds.is_empty());
    assert_eq!(p.varbinds.iter().count(), 0);
    assert_eq!(p.request_id, 5);
}

#[test]
fn duplicated_varbinds() {
    let one = vb(&oid_tlv("1.3.6.1.2.1.1.5.0"), &tlv(0x04, b"name"));
    let m = v2c(0xa2, &int(5), &cat(&[&one, &one, &one]));
    let d = MessageRef::decode(&m).unwrap();
    let vbs = d.pdu().unwrap().varbinds.to_vec();
    assert_eq!(vbs.len(), 3);
    assert!(vbs.iter().all(|v| v == &vbs[0]));
    assert_eq!(vbs[0].value, Value::from("name"));
}

#[test]
fn sixty_five_thousand_varbinds() {
    // 30 05 06 01 2b 05 00 per varbind: about 450 kB, past any UDP datagram.
    let one = vb(&[0x06, 0x01, 0x2b], &null());
    let vbl: Vec<u8> = std::iter::repeat_n(one.as_slice(), 65_535)
        .flatten()
        .copied()
        .collect();
    let last = vb(&oid_tlv("1.3.6.1.9"), &tlv(0x42, &[0x01]));
    let vbl = cat(&[&vbl, &last]);
    let m = v2c(0xa2, &int(5), &vbl);
    let d = MessageRef::decode(&m).unwrap();
    let p = d.pdu().unwrap();
    assert_eq!(p.varbinds.len(), 65_536);
    let mut n = 0;
    let mut last_seen = None;
    for v in p.varbinds.iter() {
        n += 1;
        last_seen = Some(v);
    }
    assert_eq!(n, 65_536);
    let last_seen = last_seen.unwrap();
    assert_eq!(last_seen.oid.to_string(), "1.3.6.1.9");
    assert_eq!(last_seen.value, oxsnmp_core::ValueRef::Gauge32(1));

    // One bad varbind at the very end fails the whole message, at its offset.
    let bad = vb(&oid_tlv("1.3.6.1.9"), &[0x42, 0x00]);
    let vbl2: Vec<u8> = std::iter::repeat_n(one.as_slice(), 65_535)
        .flatten()
        .copied()
        .chain(bad.iter().copied())
        .collect();
    let m = v2c(0xa2, &int(5), &vbl2);
    let err = MessageRef::decode(&m).unwrap_err();
    assert_eq!(err.kind, K::EmptyInteger);
    assert_eq!(err.offset, m.len() - 2);
}

// ---------------------------------------------------------------------------
// Random input

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        if let Err(e) = MessageRef::decode(&bytes) {
            prop_assert!(e.offset <= bytes.len());
        }
        let _ = peek_version(&bytes);
    }

    #[test]
    fn arbitrary_bytes_behind_a_valid_header(tail in proptest::collection::vec(any::<u8>(), 0..200)) {
        // Get past the outer SEQUENCE, version and community, then random bytes.
        let mut inner = int(1);
        inner.extend(tlv(0x04, b"public"));
        inner.extend(&tail);
        let m = tlv(0x30, &inner);
        match MessageRef::decode(&m) {
            Err(e) => prop_assert!(e.offset <= m.len()),
            Ok(d) => {
                let again = d.to_owned().to_bytes();
                prop_assert_eq!(MessageRef::decode(&again).unwrap().to_owned(), d.to_owned());
            }
        }
    }

    #[test]
    fn mutated_messages_never_panic(
        msg in common::message(),
        edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..6),
    ) {
        let mut bytes = msg.to_bytes();
        for (at, byte, op) in edits {
            let i = at.index(bytes.len() + 1);
            match op {
                0 if i < bytes.len() => bytes[i] = byte,
                1 => bytes.insert(i, byte),
                _ if i < bytes.len() => { bytes.remove(i); }
                _ => bytes.push(byte),
            }
        }
        match MessageRef::decode(&bytes) {
            Err(e) => prop_assert!(e.offset <= bytes.len(), "{} past {}", e, bytes.len()),
            Ok(d) => {
                // Whatever decodes is stable under re-encoding.
                let owned = d.to_owned();
                let again = owned.to_bytes();
                prop_assert_eq!(again.len(), owned.encoded_len());
                prop_assert_eq!(MessageRef::decode(&again).unwrap().to_owned(), owned);
                if let Some(p) = d.pdu() {
                    prop_assert_eq!(p.varbinds.iter().count(), p.varbinds.len());
                }
            }
        }
    }
}
