//! The Response-PDU that acknowledges an inform (RFC 3416 §4.2.7), written
//! around the inform's varbind list as received, without decoding it again.

use crate::ber::{tag, writer};
use crate::message::Version;
use crate::pdu::PduType;

/// The fields of the acknowledgement, everything but the varbinds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ack<'a> {
    pub version: Version,
    pub community: &'a [u8],
    pub request_id: i32,
    /// noError(0), or tooBig(1) for the alternate response.
    pub error_status: i32,
}

fn int_tlv_len(v: i64) -> usize {
    2 + writer::i64_content_len(v)
}

impl Ack<'_> {
    fn pdu_content_len(&self, vbl_len: usize) -> usize {
        int_tlv_len(i64::from(self.request_id))
            + int_tlv_len(i64::from(self.error_status))
            + int_tlv_len(0)
            + writer::tlv_len(vbl_len)
    }

    fn message_content_len(&self, vbl_len: usize) -> usize {
        int_tlv_len(i64::from(self.version.as_i32()))
            + writer::tlv_len(self.community.len())
            + writer::tlv_len(self.pdu_content_len(vbl_len))
    }

    /// Size of the Response-PDU TLV alone (an SNMPv3 ScopedPDU's content).
    pub(crate) fn pdu_len(&self, vbl_len: usize) -> usize {
        writer::tlv_len(self.pdu_content_len(vbl_len))
    }

    /// Appends the Response-PDU TLV alone.
    pub(crate) fn write_pdu(&self, out: &mut Vec<u8>, vbl: &[u8]) {
        writer::write_header(
            out,
            PduType::Response.tag(),
            self.pdu_content_len(vbl.len()),
        );
        writer::write_i64(out, tag::INTEGER, i64::from(self.request_id));
        writer::write_i64(out, tag::INTEGER, i64::from(self.error_status));
        writer::write_i64(out, tag::INTEGER, 0);
        writer::write_header(out, tag::SEQUENCE, vbl.len());
        out.extend_from_slice(vbl);
    }

    /// Size of the message around a varbind list of `vbl_len` content octets.
    pub(crate) fn message_len(&self, vbl_len: usize) -> usize {
        writer::tlv_len(self.message_content_len(vbl_len))
    }

    /// Appends the message; `vbl` is the content of the varbind list.
    pub(crate) fn write(&self, out: &mut Vec<u8>, vbl: &[u8]) {
        out.reserve(self.message_len(vbl.len()));
        writer::write_header(out, tag::SEQUENCE, self.message_content_len(vbl.len()));
        writer::write_i64(out, tag::INTEGER, i64::from(self.version.as_i32()));
        writer::write_bytes(out, tag::OCTET_STRING, self.community);
        writer::write_header(
            out,
            PduType::Response.tag(),
            self.pdu_content_len(vbl.len()),
        );
        writer::write_i64(out, tag::INTEGER, i64::from(self.request_id));
        writer::write_i64(out, tag::INTEGER, i64::from(self.error_status));
        writer::write_i64(out, tag::INTEGER, 0);
        writer::write_header(out, tag::SEQUENCE, vbl.len());
        out.extend_from_slice(vbl);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::{Pdu, VarBind};
    use crate::{Message, MessageRef, Value};

    #[test]
    fn same_bytes_as_the_message_encoder() {
        let vbs = vec![
            VarBind::new("1.3.6.1.2.1.1.3.0".parse().unwrap(), Value::TimeTicks(7)),
            VarBind::new(
                "1.3.6.1.2.1.1.5.0".parse().unwrap(),
                Value::from("x".repeat(300).as_str()),
            ),
        ];
        for (version, id, status) in [
            (Version::V2c, 1, 0),
            (Version::V2c, -70000, 1),
            (Version::V1, i32::MAX, 0),
        ] {
            let pdu = Pdu {
                pdu_type: PduType::Response,
                request_id: id,
                error_status: status,
                error_index: 0,
                varbinds: vbs.clone(),
            };
            let expected = Message::new(version, "public", pdu).to_bytes();
            let vbl = MessageRef::decode(&expected)
                .unwrap()
                .pdu()
                .unwrap()
                .varbinds
                .raw();
            let ack = Ack {
                version,
                community: b"public",
                request_id: id,
                error_status: status,
            };
            let mut out = vec![0xee];
            ack.write(&mut out, vbl);
            assert_eq!(&out[1..], &expected[..]);
            assert_eq!(ack.message_len(vbl.len()), expected.len());
        }
    }
}
