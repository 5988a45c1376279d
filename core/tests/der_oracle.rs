//! der-parser as an independent oracle for the codec.
//!
//! Direction 1: every message our encoder writes is read by der-parser's BER
//! parser, element by element, and must say the same thing as the model
//! (version, community, PDU tag, request-id, error fields, each varbind's OID
//! arcs and value by tag and content). Integers must also pass der-parser's
//! DER checks, i.e. our encoder writes minimal integers.
//!
//! Direction 2: a small hand-written BER writer in this file produces
//! legitimate but non-canonical forms (long-form lengths where short would do,
//! lengths in more octets than needed, integers with redundant sign octets).
//! der-parser must read them as the model, and so must our decoder.

mod common;

use common::*;
use der_parser::ber::{
    ber_read_element_content_as, ber_read_element_header, parse_ber, BerObjectContent, Class,
    Length, Tag,
};
use der_parser::der::der_read_element_content_as;
use oxsnmp_core::{AnyPdu, Message, MessageRef, Oid, Pdu, PduType, Value, VarBind, Version};
use proptest::prelude::*;

type R<T> = Result<T, TestCaseError>;

fn fail(msg: String) -> TestCaseError {
    TestCaseError::fail(msg)
}

/// One element as der-parser sees it.
struct El<'a> {
    class: Class,
    constructed: bool,
    tag: u32,
    content: &'a [u8],
}

/// Reads one element with der-parser's BER header parser; returns it and the rest.
fn element(i: &[u8]) -> R<(El<'_>, &[u8])> {
    let (rest, hdr) =
        ber_read_element_header(i).map_err(|e| fail(format!("der-parser header: {e:?}")))?;
    let Length::Definite(len) = hdr.length() else {
        return Err(fail("indefinite length".into()));
    };
    if len > rest.len() {
        return Err(fail(format!("length {len} past end {}", rest.len())));
    }
    let (content, rest) = rest.split_at(len);
    Ok((
        El {
            class: hdr.class(),
            constructed: hdr.is_constructed(),
            tag: hdr.tag().0,
            content,
        },
        rest,
    ))
}

fn expect<'a>(
    i: &'a [u8],
    class: Class,
    constructed: bool,
    tag: u32,
    what: &str,
) -> R<(&'a [u8], &'a [u8])> {
    let (el, rest) = element(i)?;
    prop_assert_eq!(el.class, class, "class of {}", what);
    prop_assert_eq!(el.constructed, constructed, "constructed bit of {}", what);
    prop_assert_eq!(el.tag, tag, "tag of {}", what);
    Ok((el.content, rest))
}

/// How strictly integers are read: `Ber` for hand-built padded forms,
/// `Der` for our own encoder's output, which must be minimal.
#[derive(Clone, Copy, PartialEq)]
enum Rules {
    Ber,
    Der,
}

/// Interprets content octets as an INTEGER through der-parser.
fn int_content(content: &[u8], rules: Rules) -> R<BerObjectContent<'_>> {
    let len = Length::Definite(content.len());
    let parsed = match rules {
        Rules::Ber => ber_read_element_content_as(content, Tag::Integer, len, false, 2),
        Rules::Der => der_read_element_content_as(content, Tag::Integer, len, false, 2),
    };
    let (rest, obj) =
        parsed.map_err(|e| fail(format!("der-parser integer {content:02x?}: {e:?}")))?;
    prop_assert!(rest.is_empty());
    Ok(obj)
}

fn signed(content: &[u8], rules: Rules) -> R<i64> {
    int_content(content, rules)?
        .as_i64()
        .map_err(|e| fail(format!("as_i64 {content:02x?}: {e:?}")))
}

fn unsigned(content: &[u8], rules: Rules) -> R<u64> {
    int_content(content, rules)?
        .as_u64()
        .map_err(|e| fail(format!("as_u64 {content:02x?}: {e:?}")))
}

fn read_int<'a>(i: &'a [u8], rules: Rules, what: &str) -> R<(i64, &'a [u8])> {
    let (c, rest) = expect(i, Class::Universal, false, 2, what)?;
    Ok((signed(c, rules)?, rest))
}

/// The raw sub-identifiers of OID content octets, through der-parser.
///
/// The content is read as a RELATIVE-OID so that der-parser decodes every
/// sub-identifier (including the first, `40 * X + Y`) the plain X.690 way.
/// Its OBJECT IDENTIFIER iterator cannot be the oracle here: asn1-rs 0.7
/// splits the first sub-identifier from the first *octet* only, so `2.40`
/// comes out as `3.0`, `2.999` (a two-octet first sub-identifier) comes out
/// wrong, and `0.0` comes out as just `0`.
fn oid_arcs(content: &[u8]) -> R<Vec<u64>> {
    let len = Length::Definite(content.len());
    let (_, obj) = ber_read_element_content_as(content, Tag::RelativeOid, len, false, 2)
        .map_err(|e| fail(format!("der-parser OID: {e:?}")))?;
    let BerObjectContent::RelativeOID(oid) = obj else {
        return Err(fail("not an OID".into()));
    };
    let subids = oid.iter().ok_or_else(|| fail("arc over 64 bits".into()))?;
    Ok(subids.collect())
}

/// What [`oid_arcs`] should read for `o`: `40 * X + Y`, then the other arcs.
fn arcs(o: &Oid) -> Vec<u64> {
    let a = o.arcs();
    let mut subids = vec![u64::from(a[0]) * 40 + u64::from(a[1])];
    subids.extend(a[2..].iter().map(|&x| u64::from(x)));
    subids
}

fn check_value(el: &El<'_>, want: &Value, rules: Rules) -> R<()> {
    let shape = (el.class, el.constructed, el.tag);
    let app = |n| (Class::Application, false, n);
    match want {
        Value::Integer(v) => {
            prop_assert_eq!(shape, (Class::Universal, false, 2));
            prop_assert_eq!(signed(el.content, rules)?, i64::from(*v));
        }
        Value::OctetString(s) => {
            prop_assert_eq!(shape, (Class::Universal, false, 4));
            let len = Length::Definite(el.content.len());
            let (_, obj) = ber_read_element_content_as(el.content, Tag::OctetString, len, false, 2)
                .map_err(|e| fail(format!("{e:?}")))?;
            prop_assert_eq!(obj, BerObjectContent::OctetString(s));
        }
        Value::Null => {
            prop_assert_eq!(shape, (Class::Universal, false, 5));
            let (_, obj) = ber_read_element_content_as(
                el.content,
                Tag::Null,
                Length::Definite(el.content.len()),
                false,
                2,
            )
            .map_err(|e| fail(format!("{e:?}")))?;
            prop_assert_eq!(obj, BerObjectContent::Null);
        }
        Value::ObjectIdentifier(o) => {
            prop_assert_eq!(shape, (Class::Universal, false, 6));
            prop_assert_eq!(oid_arcs(el.content)?, arcs(o));
        }
        Value::IpAddress(a) => {
            prop_assert_eq!(shape, app(0));
            prop_assert_eq!(el.content, &a.octets()[..]);
        }
        Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => {
            let n = match want {
                Value::Counter32(_) => 1,
                Value::Gauge32(_) => 2,
                _ => 3,
            };
            prop_assert_eq!(shape, app(n));
            prop_assert_eq!(unsigned(el.content, rules)?, u64::from(*v));
        }
        Value::Opaque(s) => {
            prop_assert_eq!(shape, app(4));
            prop_assert_eq!(el.content, &s[..]);
        }
        Value::Counter64(v) => {
            prop_assert_eq!(shape, app(6));
            // Read as an unsigned number: 2^63 and above must not come out negative.
            prop_assert_eq!(unsigned(el.content, rules)?, *v);
        }
        Value::NoSuchObject | Value::NoSuchInstance | Value::EndOfMibView => {
            let n = match want {
                Value::NoSuchObject => 0,
                Value::NoSuchInstance => 1,
                _ => 2,
            };
            prop_assert_eq!(shape, (Class::ContextSpecific, false, n));
            prop_assert!(el.content.is_empty());
        }
        other => return Err(fail(format!("value type not covered: {other:?}"))),
    }
    Ok(())
}

fn check_varbinds(mut i: &[u8], want: &[VarBind], rules: Rules) -> R<()> {
    for (n, vb) in want.iter().enumerate() {
        let (content, rest) = expect(i, Class::Universal, true, 16, "varbind")?;
        i = rest;
        let (oid_el, after) = element(content)?;
        prop_assert_eq!(
            (oid_el.class, oid_el.constructed, oid_el.tag),
            (Class::Universal, false, 6),
            "varbind {} name",
            n
        );
        prop_assert_eq!(
            oid_arcs(oid_el.content)?,
            arcs(&vb.oid),
            "varbind {} name",
            n
        );
        let (value_el, after) = element(after)?;
        prop_assert!(after.is_empty(), "varbind {} has extra elements", n);
        check_value(&value_el, &vb.value, rules)?;
    }
    prop_assert!(i.is_empty(), "more varbinds than the model");
    Ok(())
}

/// Reads `bytes` with der-parser and compares every field with `model`.
fn oracle(bytes: &[u8], model: &Message, rules: Rules) -> R<()> {
    // The generic recursive parser accepts the whole thing and consumes it all.
    let (rest, _) = parse_ber(bytes).map_err(|e| fail(format!("parse_ber: {e:?}")))?;
    prop_assert!(rest.is_empty());

    let (msg, rest) = expect(bytes, Class::Universal, true, 16, "message")?;
    prop_assert!(rest.is_empty());
    let (version, msg) = read_int(msg, rules, "version")?;
    prop_assert_eq!(version, i64::from(model.version.as_i32()));
    let (community, msg) = expect(msg, Class::Universal, false, 4, "community")?;
    prop_assert_eq!(community, &model.community[..]);
    let (pdu_el, rest) = element(msg)?;
    prop_assert!(rest.is_empty());
    prop_assert_eq!(pdu_el.class, Class::ContextSpecific);
    prop_assert!(pdu_el.constructed);
    match &model.pdu {
        AnyPdu::Pdu(p) => {
            prop_assert_eq!(pdu_el.tag, u32::from(p.pdu_type.tag() & 0x1f));
            let (request_id, b) = read_int(pdu_el.content, rules, "request-id")?;
            prop_assert_eq!(request_id, i64::from(p.request_id));
            let (error_status, b) = read_int(b, rules, "error-status")?;
            prop_assert_eq!(error_status, i64::from(p.error_status));
            let (error_index, b) = read_int(b, rules, "error-index")?;
            prop_assert_eq!(error_index, i64::from(p.error_index));
            let (vbl, b) = expect(b, Class::Universal, true, 16, "varbind list")?;
            prop_assert!(b.is_empty());
            check_varbinds(vbl, &p.varbinds, rules)?;
        }
        AnyPdu::TrapV1(t) => {
            prop_assert_eq!(pdu_el.tag, 4);
            let (ent, b) = element(pdu_el.content)?;
            prop_assert_eq!(
                (ent.class, ent.constructed, ent.tag),
                (Class::Universal, false, 6)
            );
            prop_assert_eq!(oid_arcs(ent.content)?, arcs(&t.enterprise), "enterprise");
            let (addr, b) = expect(b, Class::Application, false, 0, "agent-addr")?;
            prop_assert_eq!(addr, &t.agent_addr.octets()[..]);
            let (generic, b) = read_int(b, rules, "generic-trap")?;
            prop_assert_eq!(generic, i64::from(t.generic_trap));
            let (specific, b) = read_int(b, rules, "specific-trap")?;
            prop_assert_eq!(specific, i64::from(t.specific_trap));
            let (ts, b) = expect(b, Class::Application, false, 3, "time-stamp")?;
            prop_assert_eq!(unsigned(ts, rules)?, u64::from(t.time_stamp));
            let (vbl, b) = expect(b, Class::Universal, true, 16, "varbind list")?;
            prop_assert!(b.is_empty());
            check_varbinds(vbl, &t.varbinds, rules)?;
        }
    }
    Ok(())
}

/// Checks our encoder's length octets are minimal (short form below 128,
/// else the fewest long-form octets), all the way down.
fn lengths_minimal(mut i: &[u8]) -> R<()> {
    while !i.is_empty() {
        let first = *i.get(1).ok_or_else(|| fail("truncated".into()))?;
        let (el, rest) = element(i)?;
        let len = el.content.len();
        if len < 0x80 {
            prop_assert_eq!(usize::from(first), len);
        } else {
            let n = usize::from(first & 0x7f);
            prop_assert_eq!(
                i.get(2).copied().map(|b| b != 0),
                Some(true),
                "leading zero length octet"
            );
            prop_assert!(n <= 4);
        }
        if el.constructed {
            lengths_minimal(el.content)?;
        }
        i = rest;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn der_parser_reads_what_we_write(msg in message()) {
        let bytes = msg.to_bytes();
        oracle(&bytes, &msg, Rules::Der)?;
        lengths_minimal(&bytes)?;
    }

    #[test]
    fn we_read_what_der_parser_reads(msg in message(), knobs in proptest::collection::vec(any::<u8>(), 1..64)) {
        let bytes = Liberal::new(knobs).message(&msg);
        // The hand-built bytes are valid BER with the model's values…
        oracle(&bytes, &msg, Rules::Ber)?;
        // …and our decoder agrees.
        let decoded = MessageRef::decode(&bytes).map_err(|e| fail(format!("our decoder: {e} in {bytes:02x?}")))?;
        prop_assert_eq!(decoded.to_owned(), msg);
    }
}

/// A deliberately naive BER writer with knobs for non-canonical forms that
/// BER allows: long-form lengths with extra octets and padded integers.
struct Liberal {
    knobs: Vec<u8>,
    at: usize,
}

impl Liberal {
    fn new(knobs: Vec<u8>) -> Self {
        Self { knobs, at: 0 }
    }

    fn knob(&mut self) -> u8 {
        let k = self.knobs[self.at % self.knobs.len()];
        self.at += 1;
        k
    }

    fn tlv(&mut self, tag: u8, content: &[u8]) -> Vec<u8> {
        let len = content.len();
        let be = (len as u64).to_be_bytes();
        let needed = be.iter().position(|&b| b != 0).map_or(0, |p| 8 - p);
        // 0..=3: short form if possible; 4..: long form with extra octets.
        let extra = usize::from(self.knob() % 8);
        let mut out = vec![tag];
        if len < 0x80 && extra < 4 {
            out.push(len as u8);
        } else {
            let n = (needed.max(1) + extra.saturating_sub(4)).min(4).max(needed);
            out.push(0x80 | n as u8);
            out.extend_from_slice(&be[8 - n..]);
        }
        out.extend_from_slice(content);
        out
    }

    fn int(&mut self, tag: u8, v: i64) -> Vec<u8> {
        let bytes = v.to_be_bytes();
        let mut start = 0;
        while start < 7 {
            let (a, b) = (bytes[start], bytes[start + 1]);
            if (a == 0 && b & 0x80 == 0) || (a == 0xff && b & 0x80 != 0) {
                start += 1;
            } else {
                break;
            }
        }
        // Pad with redundant sign octets, staying within eight octets so
        // der-parser's i64 reader can follow.
        let pad = usize::from(self.knob() % 4).min(start);
        self.tlv(tag, &bytes[start - pad..])
    }

    fn uint(&mut self, tag: u8, v: u64) -> Vec<u8> {
        let mut content = vec![0u8; 3];
        content.extend_from_slice(&v.to_be_bytes());
        let significant = content
            .iter()
            .position(|&b| b != 0)
            .unwrap_or(content.len() - 1);
        // A leading zero octet is required when the top bit is set (X.690 §8.3).
        let minimal_start = if content[significant] & 0x80 != 0 {
            significant - 1
        } else {
            significant
        };
        let pad = usize::from(self.knob() % 3).min(minimal_start);
        let c = content[minimal_start - pad..].to_vec();
        self.tlv(tag, &c)
    }

    fn oid(&mut self, o: &Oid) -> Vec<u8> {
        let arcs = o.arcs();
        let mut subids = vec![u64::from(arcs[0]) * 40 + u64::from(arcs[1])];
        subids.extend(arcs[2..].iter().map(|&a| u64::from(a)));
        let mut content = Vec::new();
        for s in subids {
            let mut groups = vec![(s & 0x7f) as u8];
            let mut rest = s >> 7;
            while rest > 0 {
                groups.push(0x80 | (rest & 0x7f) as u8);
                rest >>= 7;
            }
            content.extend(groups.iter().rev());
        }
        self.tlv(0x06, &content)
    }

    fn value(&mut self, v: &Value) -> Vec<u8> {
        match v {
            Value::Integer(i) => self.int(0x02, i64::from(*i)),
            Value::OctetString(s) => self.tlv(0x04, s),
            Value::Null => self.tlv(0x05, &[]),
            Value::ObjectIdentifier(o) => self.oid(o),
            Value::IpAddress(a) => self.tlv(0x40, &a.octets()),
            Value::Counter32(n) => self.uint(0x41, u64::from(*n)),
            Value::Gauge32(n) => self.uint(0x42, u64::from(*n)),
            Value::TimeTicks(n) => self.uint(0x43, u64::from(*n)),
            Value::Opaque(s) => self.tlv(0x44, s),
            Value::Counter64(n) => self.uint(0x46, *n),
            Value::NoSuchObject => self.tlv(0x80, &[]),
            Value::NoSuchInstance => self.tlv(0x81, &[]),
            Value::EndOfMibView => self.tlv(0x82, &[]),
            other => panic!("value type not covered: {other:?}"),
        }
    }

    fn varbinds(&mut self, vbs: &[VarBind]) -> Vec<u8> {
        let mut list = Vec::new();
        for vb in vbs {
            let mut c = self.oid(&vb.oid);
            c.extend(self.value(&vb.value));
            list.extend(self.tlv(0x30, &c));
        }
        self.tlv(0x30, &list)
    }

    fn message(&mut self, m: &Message) -> Vec<u8> {
        let mut c = self.int(0x02, i64::from(m.version.as_i32()));
        c.extend(self.tlv(0x04, &m.community));
        let pdu = match &m.pdu {
            AnyPdu::Pdu(p) => {
                let mut b = self.int(0x02, i64::from(p.request_id));
                b.extend(self.int(0x02, i64::from(p.error_status)));
                b.extend(self.int(0x02, i64::from(p.error_index)));
                b.extend(self.varbinds(&p.varbinds));
                self.tlv(p.pdu_type.tag(), &b)
            }
            AnyPdu::TrapV1(t) => {
                let mut b = self.oid(&t.enterprise);
                b.extend(self.tlv(0x40, &t.agent_addr.octets()));
                b.extend(self.int(0x02, i64::from(t.generic_trap)));
                b.extend(self.int(0x02, i64::from(t.specific_trap)));
                b.extend(self.uint(0x43, u64::from(t.time_stamp)));
                b.extend(self.varbinds(&t.varbinds));
                self.tlv(0xa4, &b)
            }
        };
        c.extend(pdu);
        self.tlv(0x30, &c)
    }
}

/// Hand-written byte strings: non-canonical but valid BER, checked against
/// both der-parser and our decoder.
#[test]
fn known_non_canonical_forms() {
    let oid: Oid = "1.3.6.1.2.1.1.3.0".parse().unwrap();
    let model = |request_id: i32, value: Value| Message {
        version: Version::V2c,
        community: b"public".to_vec(),
        pdu: AnyPdu::Pdu(Pdu {
            pdu_type: PduType::Response,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: vec![VarBind::new(oid.clone(), value)],
        }),
    };
    let oid_tlv = [0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x03, 0x00];
    let build = |rid: &[u8], value: &[u8], long: bool| {
        let mut vb = oid_tlv.to_vec();
        vb.extend_from_slice(value);
        let wrap = |tag: u8, c: Vec<u8>| {
            let mut out = vec![tag];
            if long {
                out.extend([0x82, (c.len() >> 8) as u8, c.len() as u8]);
            } else {
                out.push(c.len() as u8);
            }
            out.extend(c);
            out
        };
        let vbl = wrap(0x30, wrap(0x30, vb));
        let mut pdu = rid.to_vec();
        pdu.extend([0x02, 0x01, 0x00, 0x02, 0x01, 0x00]);
        pdu.extend(vbl);
        let mut msg = vec![0x02, 0x01, 0x01, 0x04, 0x06];
        msg.extend(b"public");
        msg.extend(wrap(0xa2, pdu));
        wrap(0x30, msg)
    };
    let cases: Vec<(Vec<u8>, Message)> = vec![
        // request-id 5 as 02 02 00 05, TimeTicks 5 as 43 03 00 00 05.
        (
            build(
                &[0x02, 0x02, 0x00, 0x05],
                &[0x43, 0x03, 0x00, 0x00, 0x05],
                false,
            ),
            model(5, Value::TimeTicks(5)),
        ),
        // The same with every length in the two-octet long form.
        (
            build(
                &[0x02, 0x02, 0x00, 0x05],
                &[0x43, 0x03, 0x00, 0x00, 0x05],
                true,
            ),
            model(5, Value::TimeTicks(5)),
        ),
        // request-id -1 as ff ff ff, Integer -128 as ff 80.
        (
            build(
                &[0x02, 0x03, 0xff, 0xff, 0xff],
                &[0x02, 0x02, 0xff, 0x80],
                false,
            ),
            model(-1, Value::Integer(-128)),
        ),
        // Counter64 2^64-1 with two leading zero octets.
        (
            build(
                &[0x02, 0x01, 0x07],
                &[
                    0x46, 0x0a, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                ],
                false,
            ),
            model(7, Value::Counter64(u64::MAX)),
        ),
        // Counter64 2^63 in its minimal nine octets.
        (
            build(
                &[0x02, 0x01, 0x07],
                &[0x46, 0x09, 0, 0x80, 0, 0, 0, 0, 0, 0, 0],
                true,
            ),
            model(7, Value::Counter64(1 << 63)),
        ),
        // Gauge32 of zero written as 42 04 00 00 00 00.
        (
            build(&[0x02, 0x01, 0x07], &[0x42, 0x04, 0, 0, 0, 0], false),
            model(7, Value::Gauge32(0)),
        ),
        // An OCTET STRING whose length uses 0x84 with leading zero octets.
        (
            build(
                &[0x02, 0x01, 0x07],
                &[0x04, 0x84, 0, 0, 0, 2, b'o', b'k'],
                false,
            ),
            model(7, Value::OctetString(b"ok".to_vec())),
        ),
    ];
    for (bytes, want) in cases {
        oracle(&bytes, &want, Rules::Ber)
            .unwrap_or_else(|e| panic!("der-parser on {bytes:02x?}: {e}"));
        let ours =
            MessageRef::decode(&bytes).unwrap_or_else(|e| panic!("ours on {bytes:02x?}: {e}"));
        assert_eq!(ours.to_owned(), want, "{bytes:02x?}");
        // Re-encoding gives the canonical form, which is shorter or equal.
        assert!(want.to_bytes().len() <= bytes.len());
    }
}

/// The 2^63 boundary read by der-parser from our own encoding.
#[test]
fn counter64_top_half_reads_unsigned() {
    for v in [(1u64 << 63) - 1, 1 << 63, (1 << 63) + 1, u64::MAX] {
        let mut out = Vec::new();
        Value::Counter64(v).encode(&mut out);
        let (el, rest) = element(&out).unwrap();
        assert!(rest.is_empty());
        assert_eq!(unsigned(el.content, Rules::Der).unwrap(), v);
        // Nine content octets (a leading zero) exactly from 2^63 up.
        assert_eq!(el.content.len(), if v >= 1 << 63 { 9 } else { 8 }, "{v}");
    }
}
