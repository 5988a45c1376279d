//! Response encoding straight into reused buffers, with exact sizes known
//! before writing so size limits are checked without encoding twice.

use crate::ber::{tag, writer};
use crate::message::Version;
use crate::oid::{OidRef, MAX_OID_LEN};
use crate::usm::Outgoing;
use crate::v3::{scoped_pdu_len, write_scoped_pdu_header};
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

/// The first sub-identifier (X.690 §8.19.4); a single arc `N` is sent as
/// `N`, as Net-SNMP does (see `crate::oid`'s `first_subid`).
#[inline]
fn first_subid(arcs: &[u32]) -> u64 {
    match *arcs {
        [a, b, ..] => u64::from(a) * 40 + u64::from(b),
        [a] => u64::from(a),
        [] => 0,
    }
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
    /// The largest message this response may be (RFC 3416 §4.2).
    pub limit: usize,
    /// SNMPv3: the security and scope of the response.
    pub v3: Option<V3Frame<'a>>,
}

/// How an SNMPv3 response is wrapped: its USM parameters and keys
/// (RFC 3414 §3.1 with the request's cached security data) and its scope.
#[derive(Debug, Clone, Copy)]
pub(crate) struct V3Frame<'a> {
    pub security: Outgoing<'a>,
    pub context_engine_id: &'a [u8],
    pub context_name: &'a [u8],
}

/// Buffers an SNMPv3 response is assembled in.
#[derive(Debug, Default)]
pub(crate) struct V3Buffers {
    /// The plaintext ScopedPDU.
    pub scoped: Vec<u8>,
    /// The ciphertext.
    pub cipher: Vec<u8>,
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
        match &self.v3 {
            None => writer::tlv_len(self.message_content_len(pdu)),
            Some(f) => {
                let scoped = scoped_pdu_len(
                    f.context_engine_id.len(),
                    f.context_name.len(),
                    writer::tlv_len(pdu),
                );
                f.security.message_len(scoped)
            }
        }
    }

    fn write_pdu(&self, out: &mut Vec<u8>, pdu_len: usize, status: i32, index: i32, vbl: &[u8]) {
        writer::write_header(out, crate::pdu::PduType::Response.tag(), pdu_len);
        writer::write_i64(out, tag::INTEGER, i64::from(self.request_id));
        writer::write_i64(out, tag::INTEGER, i64::from(status));
        writer::write_i64(out, tag::INTEGER, i64::from(index));
        writer::write_header(out, tag::SEQUENCE, vbl.len());
        out.extend_from_slice(vbl);
    }

    /// Appends a Response-PDU message whose varbind list content is `vbl`.
    pub(crate) fn write(
        &self,
        out: &mut Vec<u8>,
        bufs: &mut V3Buffers,
        status: i32,
        index: i32,
        vbl: &[u8],
    ) {
        let pdu = self.pdu_content_len(status, index, vbl.len());
        match &self.v3 {
            None => {
                let total = writer::tlv_len(self.message_content_len(pdu));
                out.reserve(total);
                writer::write_header(out, tag::SEQUENCE, self.message_content_len(pdu));
                writer::write_i64(out, tag::INTEGER, i64::from(self.version.as_i32()));
                writer::write_bytes(out, tag::OCTET_STRING, self.community);
                self.write_pdu(out, pdu, status, index, vbl);
            }
            Some(f) => {
                bufs.scoped.clear();
                write_scoped_pdu_header(
                    &mut bufs.scoped,
                    f.context_engine_id,
                    f.context_name,
                    writer::tlv_len(pdu),
                );
                self.write_pdu(&mut bufs.scoped, pdu, status, index, vbl);
                // The keys were checked when the request was accepted.
                let _ = f.security.write(out, &bufs.scoped, &mut bufs.cipher);
            }
        }
    }
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
    fn single_arcs_as_net_snmp_sends_them() {
        for (arc, byte) in [(0u32, 0u8), (1, 1), (2, 2)] {
            let mut ours = Vec::new();
            write_oid_content(&mut ours, &[arc]);
            assert_eq!(ours, [byte]);
            assert_eq!(oid_content_len(&[arc]), 1);
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
            limit: 65507,
            v3: None,
        };
        let mut out = Vec::new();
        h.write(&mut out, &mut V3Buffers::default(), 0, 0, &vbl);
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
        let back = MessageRef::decode(&out).unwrap();
        assert_eq!(back.pdu().unwrap().varbinds.raw(), &vbl[..]);
    }
}
