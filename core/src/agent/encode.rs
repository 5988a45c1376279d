//! Response encoding straight into reused buffers, with exact sizes known
//! before writing so size limits are checked without encoding twice.

use crate::ber::{tag, writer, Reader};
use crate::message::Version;
use crate::oid::{OidRef, MAX_OID_LEN};
use crate::value::Value;

/// Whether `arcs` can be BER-encoded as an OID that decodes back to itself:
/// 2 to 128 arcs, first 0..=2, second below 40 under 0 and 1.
pub(crate) fn valid_oid(arcs: &[u32]) -> bool {
    match arcs {
        [first, second, ..] if arcs.len() <= MAX_OID_LEN => match *first {
            0 | 1 => *second < 40,
            2 => *second <= u32::MAX - 80,
            _ => false,
        },
        _ => false,
    }
}

/// Decodes a validated OID onto a stack buffer.
#[inline]
pub(crate) fn arcs_of<'b>(oid: OidRef<'_>, buf: &'b mut [u32; MAX_OID_LEN]) -> &'b [u32] {
    let mut n = 0;
    for (slot, arc) in buf.iter_mut().zip(oid.arcs()) {
        *slot = arc;
        n += 1;
    }
    buf.get(..n).unwrap_or(&[])
}

#[inline]
fn first_subid(arcs: &[u32]) -> u64 {
    let a = u64::from(arcs.first().copied().unwrap_or(0));
    let b = u64::from(arcs.get(1).copied().unwrap_or(0));
    a * 40 + b
}

#[inline]
fn subid_len(v: u64) -> usize {
    // 7 bits per octet; zero takes one octet.
    let bits = 64 - (v | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

#[inline]
fn write_subid(out: &mut Vec<u8>, v: u64) {
    if v < 0x80 {
        out.push(v as u8);
        return;
    }
    for i in (0..subid_len(v)).rev() {
        let b = ((v >> (7 * i)) & 0x7f) as u8;
        out.push(if i == 0 { b } else { b | 0x80 });
    }
}

/// Content length of the BER encoding of `arcs` (at least two arcs).
#[inline]
pub(crate) fn oid_content_len(arcs: &[u32]) -> usize {
    let rest: usize = arcs.iter().skip(2).map(|&a| subid_len(u64::from(a))).sum();
    subid_len(first_subid(arcs)) + rest
}

#[inline]
fn write_oid_content(out: &mut Vec<u8>, arcs: &[u32]) {
    write_subid(out, first_subid(arcs));
    for &a in arcs.iter().skip(2) {
        write_subid(out, u64::from(a));
    }
}

/// Size of one encoded varbind.
#[cfg(test)]
pub(crate) fn varbind_len(arcs: &[u32], value: &Value) -> usize {
    writer::tlv_len(writer::tlv_len(oid_content_len(arcs)) + value.encoded_len())
}

/// Appends one varbind SEQUENCE.
#[inline]
pub(crate) fn write_varbind(out: &mut Vec<u8>, arcs: &[u32], value: &Value) {
    let oid_len = oid_content_len(arcs);
    writer::write_header(
        out,
        tag::SEQUENCE,
        writer::tlv_len(oid_len) + value.encoded_len(),
    );
    writer::write_header(out, tag::OBJECT_IDENTIFIER, oid_len);
    write_oid_content(out, arcs);
    value.encode(out);
}

#[inline]
fn int_tlv_len(v: i64) -> usize {
    2 + writer::i64_content_len(v)
}

/// The fixed parts of a response message, everything but the varbinds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ResponseHeader<'a> {
    pub version: Version,
    pub community: &'a [u8],
    pub request_id: i32,
}

impl ResponseHeader<'_> {
    fn pdu_content_len(&self, status: i32, index: i32, vbl_len: usize) -> usize {
        int_tlv_len(i64::from(self.request_id))
            + int_tlv_len(i64::from(status))
            + int_tlv_len(i64::from(index))
            + writer::tlv_len(vbl_len)
    }

    fn message_content_len(&self, pdu_len: usize) -> usize {
        int_tlv_len(i64::from(self.version.as_i32()))
            + writer::tlv_len(self.community.len())
            + writer::tlv_len(pdu_len)
    }

    /// Size of the whole message carrying a varbind list of `vbl_len` octets.
    pub(crate) fn message_len(&self, status: i32, index: i32, vbl_len: usize) -> usize {
        let pdu = self.pdu_content_len(status, index, vbl_len);
        writer::tlv_len(self.message_content_len(pdu))
    }

    /// Appends a Response-PDU message whose varbind list content is `vbl`.
    pub(crate) fn write(&self, out: &mut Vec<u8>, status: i32, index: i32, vbl: &[u8]) {
        let pdu = self.pdu_content_len(status, index, vbl.len());
        let total = writer::tlv_len(self.message_content_len(pdu));
        out.reserve(total);
        writer::write_header(out, tag::SEQUENCE, self.message_content_len(pdu));
        writer::write_i64(out, tag::INTEGER, i64::from(self.version.as_i32()));
        writer::write_bytes(out, tag::OCTET_STRING, self.community);
        writer::write_header(out, crate::pdu::PduType::Response.tag(), pdu);
        writer::write_i64(out, tag::INTEGER, i64::from(self.request_id));
        writer::write_i64(out, tag::INTEGER, i64::from(status));
        writer::write_i64(out, tag::INTEGER, i64::from(index));
        writer::write_header(out, tag::SEQUENCE, vbl.len());
        out.extend_from_slice(vbl);
    }
}

/// The content octets of the request's varbind list, exactly as received,
/// for responses that must echo it (RFC 3416 §4.2.1, §4.2.5; RFC 3584
/// §4.2.2.3). `None` only if the datagram is not a well-formed message,
/// which the caller has already ruled out.
pub(crate) fn raw_varbind_list(datagram: &[u8]) -> Option<&[u8]> {
    let mut outer = Reader::new(datagram);
    let mut msg = outer.read_sequence().ok()?;
    msg.read_tlv().ok()?; // version
    msg.read_tlv().ok()?; // community
    let pdu = msg.read_tlv().ok()?;
    let mut body = Reader::new(pdu.content);
    for _ in 0..3 {
        body.read_tlv().ok()?; // request-id, error-status, error-index
    }
    Some(body.read_expected(tag::SEQUENCE).ok()?.content)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::{Pdu, PduType, VarBind};
    use crate::{Message, MessageRef, Oid};

    #[test]
    fn oid_encoding_matches_oid_type() {
        for s in [
            "1.3.6.1.2.1.1.1.0",
            "2.999.3",
            "0.39",
            "1.3.6.1.4.1.4294967295.128.16383.16384",
        ] {
            let oid: Oid = s.parse().unwrap();
            let mut ours = Vec::new();
            write_oid_content(&mut ours, oid.arcs());
            let mut theirs = Vec::new();
            oid.write_ber_content(&mut theirs);
            assert_eq!(ours, theirs, "{s}");
            assert_eq!(oid_content_len(oid.arcs()), theirs.len());
            let back = OidRef::from_ber(&ours, 0).unwrap();
            let mut buf = [0u32; MAX_OID_LEN];
            assert_eq!(arcs_of(back, &mut buf), oid.arcs());
        }
    }

    #[test]
    fn validity() {
        assert!(valid_oid(&[1, 3]));
        assert!(valid_oid(&[2, 1000]));
        assert!(!valid_oid(&[1]));
        assert!(!valid_oid(&[3, 1]));
        assert!(!valid_oid(&[1, 40]));
        assert!(!valid_oid(&[1; 129]));
        assert!(valid_oid(&[1; 128]));
    }

    #[test]
    fn response_matches_message_encoder() {
        let oid: Oid = "1.3.6.1.2.1.1.5.0".parse().unwrap();
        let value = Value::from("router-1");
        let mut vbl = Vec::new();
        write_varbind(&mut vbl, oid.arcs(), &value);
        assert_eq!(vbl.len(), varbind_len(oid.arcs(), &value));
        let h = ResponseHeader {
            version: Version::V2c,
            community: b"public",
            request_id: 300,
        };
        let mut out = Vec::new();
        h.write(&mut out, 0, 0, &vbl);
        assert_eq!(out.len(), h.message_len(0, 0, vbl.len()));
        let expected = Message::new(
            Version::V2c,
            "public",
            Pdu {
                pdu_type: PduType::Response,
                request_id: 300,
                error_status: 0,
                error_index: 0,
                varbinds: vec![VarBind::new(oid, value)],
            },
        )
        .to_bytes();
        assert_eq!(out, expected);
        assert_eq!(raw_varbind_list(&out), Some(&vbl[..]));
        assert!(MessageRef::decode(&out).is_ok());
        assert_eq!(raw_varbind_list(&[0x30, 0x00]), None);
    }
}
