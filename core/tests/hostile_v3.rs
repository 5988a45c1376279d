//! Hostile input for the SNMPv3 decoders (`V3MessageRef`, `UsmParamsRef`,
//! `ScopedPduRef`), the v3 counterpart of `hostile.rs`: every malformed
//! message gives a typed error of the expected kind at the offending
//! offset, never a panic, never a read past the datagram. What the agent
//! does with such messages (counters, Reports, continued service) is
//! tested in `tests/tests/hostile_agents.rs`.

use oxsnmp_core::ber::{writer, DecodeError, DecodeErrorKind as K};
use oxsnmp_core::v3::{
    MsgFlags, ScopedPdu, ScopedPduData, ScopedPduRef, SecurityLevel, UsmParams, UsmParamsRef,
    V3Message, V3MessageRef,
};
use oxsnmp_core::{MessageRef, Oid, Pdu, PduType};
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

/// The parts of a v3 message, each already encoded, to be corrupted one
/// at a time.
#[derive(Clone)]
struct Parts {
    version: Vec<u8>,
    msg_id: Vec<u8>,
    max_size: Vec<u8>,
    flags: Vec<u8>,
    model: Vec<u8>,
    /// The whole msgSecurityParameters TLV.
    params: Vec<u8>,
    /// The whole msgData TLV.
    data: Vec<u8>,
}

/// USM parameters content: engine ID, boots, time, user, MAC, salt.
fn usm(engine: &[u8], boots: &[u8], time: &[u8], user: &[u8], mac: &[u8], salt: &[u8]) -> Vec<u8> {
    tlv(
        0x30,
        &cat(&[
            &tlv(0x04, engine),
            boots,
            time,
            &tlv(0x04, user),
            &tlv(0x04, mac),
            &tlv(0x04, salt),
        ]),
    )
}

const ENGINE: &[u8] = &[0x80, 0x00, 0x1f, 0x88, 0x80, 0x01, 0x02, 0x03, 0x04];

fn scoped_get() -> Vec<u8> {
    let pdu = Pdu::request(
        PduType::GetRequest,
        7,
        &["1.3.6.1.2.1.1.5.0".parse::<Oid>().unwrap()],
    );
    let mut out = Vec::new();
    ScopedPdu::new(ENGINE.to_vec(), Vec::new(), pdu).encode(&mut out);
    out
}

impl Parts {
    fn valid() -> Self {
        Parts {
            version: int(3),
            msg_id: int(0x1234),
            max_size: int(65507),
            flags: tlv(0x04, &[0x05]),
            model: int(3),
            params: tlv(
                0x04,
                &usm(ENGINE, &int(3), &int(1000), b"alice", &[0xaa; 12], b""),
            ),
            data: scoped_get(),
        }
    }

    fn global(&self) -> Vec<u8> {
        tlv(
            0x30,
            &cat(&[&self.msg_id, &self.max_size, &self.flags, &self.model]),
        )
    }

    fn encode(&self) -> Vec<u8> {
        tlv(
            0x30,
            &cat(&[&self.version, &self.global(), &self.params, &self.data]),
        )
    }

    /// Offsets of each part in [`encode`](Self::encode)'s output, for
    /// messages under 128 octets of content parts (short lengths only).
    fn offset_of_params(&self) -> usize {
        let global = self.global();
        header_len(&self.encode()) + self.version.len() + global.len()
    }

    fn offset_of_data(&self) -> usize {
        self.offset_of_params() + self.params.len()
    }
}

fn header_len(tlv: &[u8]) -> usize {
    match tlv[1] {
        0x00..=0x7f => 2,
        l => 2 + usize::from(l & 0x7f),
    }
}

/// msgGlobalData starts after the outer header and the version.
fn global_at(p: &Parts) -> usize {
    header_len(&p.encode()) + p.version.len()
}

#[track_caller]
fn expect_err(bytes: &[u8], kind: K, offset: usize) {
    match V3MessageRef::decode(bytes) {
        Ok(m) => panic!("decoded hostile input as {m:?}"),
        Err(e) => assert_eq!(e, DecodeError { kind, offset }),
    }
}

#[track_caller]
fn expect_usm_err(bytes: &[u8], kind: K, offset: usize) {
    let m = V3MessageRef::decode(bytes).expect("the message itself decodes");
    assert_eq!(m.usm().unwrap_err(), DecodeError { kind, offset });
}

#[test]
fn the_valid_message_decodes() {
    let p = Parts::valid();
    let bytes = p.encode();
    let m = V3MessageRef::decode(&bytes).unwrap();
    assert_eq!(m.msg_id, 0x1234);
    assert_eq!(m.flags.level(), Some(SecurityLevel::AuthNoPriv));
    let u = m.usm().unwrap();
    assert_eq!(u.user_name, b"alice");
    assert_eq!(&bytes[u.auth_offset..u.auth_offset + 12], &[0xaa; 12]);
    assert_eq!(m.security_parameters_offset, p.offset_of_params() + 2);
    let ScopedPduData::Plaintext(s) = m.data else {
        panic!()
    };
    assert_eq!(s.pdu.request_id, 7);
    // Not a v1/v2c message: the community decoder says which version.
    assert_eq!(
        MessageRef::decode(&bytes).unwrap_err().kind,
        K::UnsupportedVersion(3)
    );
}

// ---------------------------------------------------------------------------
// Truncation

fn valid_samples() -> Vec<Vec<u8>> {
    let probe = V3Message {
        msg_id: 1,
        max_size: 65507,
        flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, true),
        usm: UsmParams::default(),
        scoped: ScopedPdu::new(vec![], vec![], Pdu::request(PduType::GetRequest, 9, &[])),
    }
    .to_bytes();
    let mut encrypted = Parts::valid();
    encrypted.flags = tlv(0x04, &[0x07]);
    encrypted.params = tlv(
        0x04,
        &usm(ENGINE, &int(3), &int(1000), b"alice", &[0xaa; 12], &[1; 8]),
    );
    encrypted.data = tlv(0x04, &[0x5c; 48]);
    // Large enough for long-form lengths everywhere.
    let mut big = Parts::valid();
    let oids: Vec<Oid> = (1..60)
        .map(|i| format!("1.3.6.1.2.1.2.2.1.{i}.1").parse().unwrap())
        .collect();
    let pdu = Pdu::request(PduType::GetBulkRequest, 77, &oids);
    let mut data = Vec::new();
    ScopedPdu::new(ENGINE.to_vec(), b"ctx".to_vec(), pdu).encode(&mut data);
    big.data = data;
    vec![
        probe,
        Parts::valid().encode(),
        encrypted.encode(),
        big.encode(),
    ]
}

#[test]
fn truncation_at_every_offset() {
    for full in valid_samples() {
        assert!(V3MessageRef::decode(&full).is_ok());
        let header = header_len(&full);
        let content = full.len() - header;
        for cut in 0..full.len() {
            let err = V3MessageRef::decode(&full[..cut]).expect_err("truncated v3 decoded");
            let want = match cut {
                0 | 1 => DecodeError {
                    kind: K::Truncated,
                    offset: cut,
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
            // The v1/v2c decoder refuses it the same way.
            assert_eq!(MessageRef::decode(&full[..cut]).unwrap_err(), want);
        }
    }
}

#[test]
fn inner_truncation_with_consistent_outer_length() {
    for full in valid_samples() {
        let header = header_len(&full);
        for cut in header..full.len() {
            let bytes = tlv(0x30, &full[header..cut]);
            let err = V3MessageRef::decode(&bytes).expect_err("inner truncation decoded");
            assert!(err.offset <= bytes.len(), "{err} beyond {}", bytes.len());
            assert!(
                matches!(err.kind, K::Truncated | K::LengthPastEnd { .. }),
                "cut {cut}: {err}"
            );
        }
    }
}

#[test]
fn truncated_security_parameters_inside_a_whole_message() {
    // The msgSecurityParameters OCTET STRING is whole, its content is not:
    // the message decodes, the USM parameters do not.
    let inner = usm(ENGINE, &int(3), &int(1000), b"alice", &[0xaa; 12], b"");
    for cut in 0..inner.len() {
        let mut p = Parts::valid();
        p.params = tlv(0x04, &inner[..cut]);
        let bytes = p.encode();
        let m = V3MessageRef::decode(&bytes).expect("outer message is whole");
        let err = m.usm().expect_err("truncated USM parameters decoded");
        assert!(
            matches!(err.kind, K::Truncated | K::LengthPastEnd { .. }),
            "cut {cut}: {err}"
        );
        assert!(err.offset >= p.offset_of_params() && err.offset <= bytes.len());
    }
}

// ---------------------------------------------------------------------------
// Lengths and nesting

#[test]
fn overflowing_length_fields() {
    let p = Parts::valid();
    // msgGlobalData claims 4 GiB.
    let mut m = p.clone();
    m.msg_id = vec![];
    let bytes = tlv(
        0x30,
        &cat(&[&p.version, &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff], &p.msg_id]),
    );
    expect_err(
        &bytes,
        K::LengthPastEnd {
            length: 0xffff_ffff,
            available: p.msg_id.len(),
        },
        global_at(&m) + 1,
    );
    // msgSecurityParameters claims more than there is.
    let mut bad = p.clone();
    bad.params = vec![0x04, 0x84, 0x7f, 0xff, 0xff, 0xff];
    let bytes = bad.encode();
    let at = bad.offset_of_params();
    expect_err(
        &bytes,
        K::LengthPastEnd {
            length: 0x7fff_ffff,
            available: bytes.len() - at - 6,
        },
        at + 1,
    );
    // A length of five octets.
    bad.params = vec![0x04, 0x85, 0, 0, 0, 0, 1, 0];
    expect_err(
        &bad.encode(),
        K::LengthTooLong(5),
        bad.offset_of_params() + 1,
    );
    // Inside the USM parameters: the engine ID claims 4 GiB.
    let mut bad = p.clone();
    let inner = cat(&[&[0x04, 0x84, 0xff, 0xff, 0xff, 0xff][..], &int(3)]);
    bad.params = tlv(0x04, &tlv(0x30, &inner));
    let bytes = bad.encode();
    let engine_at = bad.offset_of_params() + 4;
    expect_usm_err(
        &bytes,
        K::LengthPastEnd {
            length: 0xffff_ffff,
            available: 3,
        },
        engine_at + 1,
    );
    // The encryptedPDU claims more than there is.
    let mut bad = p.clone();
    bad.data = vec![0x04, 0x83, 0x01, 0x00, 0x00, 0x01, 0x02];
    let bytes = bad.encode();
    expect_err(
        &bytes,
        K::LengthPastEnd {
            length: 0x10000,
            available: 2,
        },
        bad.offset_of_data() + 1,
    );
    // Indefinite lengths anywhere.
    let mut bad = p.clone();
    bad.data = vec![0x30, 0x80, 0x00, 0x00];
    expect_err(&bad.encode(), K::IndefiniteLength, bad.offset_of_data() + 1);
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
fn deep_nesting() {
    // As msgData: a ScopedPDU whose contextEngineID is a SEQUENCE.
    let mut p = Parts::valid();
    p.data = nested(20_000, &[]);
    let bytes = p.encode();
    let at = header_len(&bytes) + p.version.len() + p.global().len() + p.params.len();
    expect_err(
        &bytes,
        K::UnexpectedTag {
            expected: 0x04,
            found: 0x30,
        },
        at + 5,
    );
    // As the security parameters' SEQUENCE: its first element must be the
    // engine ID.
    let mut p = Parts::valid();
    p.params = tlv(0x04, &nested(5_000, &[]));
    let bytes = p.encode();
    let at = p.offset_of_params() + header_len(&p.params);
    expect_usm_err(
        &bytes,
        K::UnexpectedTag {
            expected: 0x04,
            found: 0x30,
        },
        at + 5,
    );
    // As msgGlobalData.
    let bytes = tlv(0x30, &cat(&[&int(3), &nested(10_000, &[])]));
    expect_err(
        &bytes,
        K::UnexpectedTag {
            expected: 0x02,
            found: 0x30,
        },
        header_len(&bytes) + 3 + 5,
    );
}

// ---------------------------------------------------------------------------
// Integers and ranges

#[test]
fn integers_longer_than_their_type_and_out_of_range() {
    let nine = vec![0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
    let g = |p: &Parts| global_at(p) + 2;
    let mut p = Parts::valid();
    p.msg_id = nine.clone();
    expect_err(&p.encode(), K::IntegerTooLong, g(&p));
    let mut p = Parts::valid();
    p.msg_id = int(-1);
    expect_err(&p.encode(), K::OutOfRange, g(&p));
    let mut p = Parts::valid();
    p.msg_id = int(i64::from(i32::MAX) + 1);
    expect_err(&p.encode(), K::IntegerTooLong, g(&p));
    // msgMaxSize below 484, above 2^31 - 1.
    for (v, kind) in [
        (483, K::OutOfRange),
        (0, K::OutOfRange),
        (-65507, K::OutOfRange),
        (i64::from(i32::MAX) + 1, K::IntegerTooLong),
    ] {
        let mut p = Parts::valid();
        p.max_size = int(v);
        let at = g(&p) + p.msg_id.len();
        expect_err(&p.encode(), kind, at);
    }
    // msgSecurityModel 0 and negative.
    for v in [0, -3] {
        let mut p = Parts::valid();
        p.model = int(v);
        let at = g(&p) + p.msg_id.len() + p.max_size.len() + p.flags.len();
        expect_err(&p.encode(), K::OutOfRange, at);
    }
    // msgAuthoritativeEngineBoots and Time: 0..2^31-1.
    let base = |p: &Parts| p.offset_of_params() + 4 + 2 + ENGINE.len();
    for (boots, time, kind, which) in [
        (int(-1), int(0), K::OutOfRange, 0),
        (int(i64::from(u32::MAX)), int(0), K::IntegerTooLong, 0),
        (int(0), int(-5), K::OutOfRange, 1),
        (int(0), nine.clone(), K::IntegerTooLong, 1),
    ] {
        let mut p = Parts::valid();
        p.params = tlv(0x04, &usm(ENGINE, &boots, &time, b"u", &[], &[]));
        let at = base(&p) + if which == 1 { boots.len() } else { 0 };
        expect_usm_err(&p.encode(), kind, at);
    }
    // The largest values in range decode.
    let mut p = Parts::valid();
    let max = int(i64::from(i32::MAX));
    p.params = tlv(0x04, &usm(ENGINE, &max, &max, b"u", &[], &[]));
    let bytes = p.encode();
    let u = V3MessageRef::decode(&bytes).unwrap().usm().unwrap();
    assert_eq!((u.boots, u.time), (i32::MAX as u32, i32::MAX as u32));
}

#[test]
fn user_names_and_flags_out_of_range() {
    let mut p = Parts::valid();
    p.params = tlv(0x04, &usm(ENGINE, &int(1), &int(1), &[b'x'; 33], &[], &[]));
    // OCTET STRING and SEQUENCE headers, engine ID, boots, time.
    let at = p.offset_of_params() + 4 + 2 + ENGINE.len() + 3 + 3;
    expect_usm_err(&p.encode(), K::OutOfRange, at);
    // msgFlags of zero or two octets.
    for flags in [&[][..], &[0x04, 0x00]] {
        let mut p = Parts::valid();
        p.flags = tlv(0x04, flags);
        let at = global_at(&p) + 2 + p.msg_id.len() + p.max_size.len();
        expect_err(&p.encode(), K::OutOfRange, at);
    }
    // privFlag without authFlag decodes (the agent counts snmpInvalidMsgs).
    let mut p = Parts::valid();
    p.flags = tlv(0x04, &[0x06]);
    let bytes = p.encode();
    assert_eq!(V3MessageRef::decode(&bytes).unwrap().flags.level(), None);
}

// ---------------------------------------------------------------------------
// Wrong tags and versions

#[test]
fn wrong_tags() {
    let p = Parts::valid();
    // msgGlobalData as an OCTET STRING.
    let bytes = tlv(
        0x30,
        &cat(&[&p.version, &tlv(0x04, &p.global()[2..]), &p.params, &p.data]),
    );
    expect_err(
        &bytes,
        K::UnexpectedTag {
            expected: 0x30,
            found: 0x04,
        },
        global_at(&p),
    );
    // msgFlags as an INTEGER.
    let mut bad = p.clone();
    bad.flags = int(5);
    let at = global_at(&bad) + 2 + bad.msg_id.len() + bad.max_size.len();
    expect_err(
        &bad.encode(),
        K::UnexpectedTag {
            expected: 0x04,
            found: 0x02,
        },
        at,
    );
    // msgSecurityParameters as a SEQUENCE (not wrapped in an OCTET STRING).
    let mut bad = p.clone();
    bad.params = usm(ENGINE, &int(3), &int(1000), b"alice", &[], &[]);
    expect_err(
        &bad.encode(),
        K::UnexpectedTag {
            expected: 0x04,
            found: 0x30,
        },
        bad.offset_of_params(),
    );
    // msgData neither a SEQUENCE nor an OCTET STRING.
    let mut bad = p.clone();
    bad.data = int(5);
    expect_err(
        &bad.encode(),
        K::UnexpectedTag {
            expected: 0x30,
            found: 0x02,
        },
        bad.offset_of_data(),
    );
    // A v1 Trap-PDU in a ScopedPDU.
    let mut bad = p.clone();
    let trap = tlv(
        0xa4,
        &cat(&[
            &tlv(0x06, &[0x2b, 6]),
            &tlv(0x40, &[127, 0, 0, 1]),
            &int(0),
            &int(0),
            &tlv(0x43, &[1]),
            &tlv(0x30, &[]),
        ]),
    );
    bad.data = tlv(0x30, &cat(&[&tlv(0x04, ENGINE), &tlv(0x04, b""), &trap]));
    let at = bad.offset_of_data() + 2 + 2 + ENGINE.len() + 2;
    expect_err(&bad.encode(), K::PduNotAllowed, at);
    // An unknown PDU tag.
    let mut bad = p.clone();
    bad.data = tlv(
        0x30,
        &cat(&[&tlv(0x04, ENGINE), &tlv(0x04, b""), &tlv(0xaf, &[])]),
    );
    expect_err(&bad.encode(), K::UnknownPduTag(0xaf), at);
    // Trailing octets after the message and inside it.
    let mut trailing = p.encode();
    trailing.push(0);
    assert_eq!(
        V3MessageRef::decode(&trailing).unwrap_err().kind,
        K::TrailingData(1)
    );
    let mut bad = p.clone();
    bad.data.push(0);
    let bytes = tlv(
        0x30,
        &cat(&[&bad.version, &bad.global(), &bad.params, &bad.data]),
    );
    assert_eq!(
        V3MessageRef::decode(&bytes).unwrap_err().kind,
        K::TrailingData(1)
    );
}

#[test]
fn wrong_versions() {
    for v in [0i64, 1, 2, 4, -1, 255, i64::from(i32::MAX)] {
        let mut p = Parts::valid();
        p.version = int(v);
        expect_err(&p.encode(), K::UnsupportedVersion(v), 2);
    }
    let mut p = Parts::valid();
    p.version = vec![0x02, 0x09, 0x01, 0, 0, 0, 0, 0, 0, 0, 0];
    expect_err(&p.encode(), K::IntegerTooLong, 2);
}

// ---------------------------------------------------------------------------
// OIDs inside a ScopedPDU

#[test]
fn oids_inside_a_scoped_pdu() {
    let vb = |oid: &[u8]| tlv(0x30, &cat(&[oid, &[0x05, 0x00]]));
    let pdu = |vbs: &[u8]| tlv(0xa0, &cat(&[&int(1), &int(0), &int(0), &tlv(0x30, vbs)]));
    let scoped = |vbs: &[u8]| {
        tlv(
            0x30,
            &cat(&[&tlv(0x04, ENGINE), &tlv(0x04, b""), &pdu(vbs)]),
        )
    };
    let mut c = vec![0x2b];
    c.extend(std::iter::repeat_n(0x05, 128));
    let long = tlv(0x06, &c);
    let mut p = Parts::valid();
    p.data = scoped(&vb(&long));
    let bytes = p.encode();
    let at = bytes.len() - long.len() - 2;
    expect_err(&bytes, K::OidTooLong, at);
    let big = tlv(0x06, &[0x2b, 0x90, 0x80, 0x80, 0x80, 0x00]);
    let mut p = Parts::valid();
    p.data = scoped(&vb(&big));
    let bytes = p.encode();
    let at = bytes.len() - big.len() - 2;
    expect_err(&bytes, K::OidSubidTooLarge, at);
    // And after decryption, with padding allowed.
    let mut plain = scoped(&vb(&big));
    plain.extend([0; 5]);
    assert_eq!(
        ScopedPduRef::decode(&plain, 0, true).unwrap_err().kind,
        K::OidSubidTooLarge
    );
}

// ---------------------------------------------------------------------------
// Arbitrary bytes

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        if let Ok(m) = V3MessageRef::decode(&bytes) {
            let _ = m.usm();
        }
        let _ = UsmParamsRef::decode(&bytes, 0);
        let _ = ScopedPduRef::decode(&bytes, 0, true);
    }

    #[test]
    fn mutated_messages_never_panic(
        which in 0usize..4,
        flips in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8),
    ) {
        let mut bytes = valid_samples().swap_remove(which);
        for (at, x) in flips {
            let n = bytes.len();
            bytes[at % n] ^= x;
        }
        if let Ok(m) = V3MessageRef::decode(&bytes) {
            if let Ok(u) = m.usm() {
                // Views point into the datagram.
                prop_assert_eq!(&bytes[u.auth_offset..u.auth_offset + u.auth_params.len()], u.auth_params);
            }
        }
    }
}
