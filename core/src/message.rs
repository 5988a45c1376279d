//! Community-based messages: SNMPv1 (RFC 1157 §4) and SNMPv2c (RFC 1901 §3).

use crate::ber::reader::{fold_i32, split_plain};
use crate::ber::writer::BackWriter;
use crate::ber::{tag, writer, DecodeError, DecodeErrorKind, Reader};
use crate::pdu::{decode_pdu, AnyPdu, AnyPduRef, Pdu, PduRef, PduType, VarBindList};

/// SNMP message versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Version {
    /// SNMPv1, version field 0.
    V1,
    /// SNMPv2c, version field 1.
    V2c,
    /// SNMPv3, version field 3.
    V3,
}

impl Version {
    /// The msgVersion field value.
    pub const fn as_i32(self) -> i32 {
        match self {
            Version::V1 => 0,
            Version::V2c => 1,
            Version::V3 => 3,
        }
    }

    /// The version for a msgVersion field value.
    pub const fn from_i64(v: i64) -> Option<Self> {
        match v {
            0 => Some(Version::V1),
            1 => Some(Version::V2c),
            3 => Some(Version::V3),
            _ => None,
        }
    }

    /// Whether `pdu_type` may appear in a message of this version.
    pub fn allows(self, pdu_type: PduType) -> bool {
        match self {
            Version::V1 => matches!(
                pdu_type,
                PduType::GetRequest
                    | PduType::GetNextRequest
                    | PduType::Response
                    | PduType::SetRequest
                    | PduType::TrapV1
            ),
            _ => pdu_type != PduType::TrapV1,
        }
    }
}

/// A v1 or v2c message borrowed from a datagram; decoding allocates nothing.
///
/// ```
/// use oxsnmp_core::{Message, MessageRef, Pdu, PduType, Version, Oid};
/// let oid: Oid = "1.3.6.1.2.1.1.1.0".parse().unwrap();
/// let msg = Message::new(Version::V2c, "public", Pdu::request(PduType::GetRequest, 7, &[oid.clone()]));
/// let mut buf = Vec::new();
/// msg.encode(&mut buf);
/// let view = MessageRef::decode(&buf).unwrap();
/// assert_eq!(view.community, b"public");
/// let pdu = view.pdu().unwrap();
/// assert_eq!(pdu.request_id, 7);
/// assert!(pdu.varbinds.iter().next().unwrap().oid == oid);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MessageRef<'a> {
    /// v1 or v2c.
    pub version: Version,
    /// The community string.
    pub community: &'a [u8],
    /// The PDU.
    pub any_pdu: AnyPduRef<'a>,
}

/// An INTEGER of one to four content octets: its value and what follows.
#[inline(always)]
fn plain_i32(buf: &[u8]) -> Option<(i32, &[u8])> {
    let [tag::INTEGER, n @ 1..=4, ref rest @ ..] = *buf else {
        return None;
    };
    let (content, rest) = rest.split_at_checked(usize::from(n))?;
    Some((fold_i32(content), rest))
}

/// Reads just the msgVersion of a datagram, so callers can dispatch on it.
pub fn peek_version(buf: &[u8]) -> Result<i64, DecodeError> {
    let mut outer = Reader::new(buf);
    let mut msg = outer.read_sequence()?;
    msg.read_i64()
}

impl<'a> MessageRef<'a> {
    /// Decodes and validates a whole v1 or v2c message.
    #[inline]
    pub fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        match Self::decode_plain(buf) {
            Some(m) => Ok(m),
            None => Self::decode_exact(buf),
        }
    }

    /// The quick path for the usual shape: short or one/two-octet lengths,
    /// a one-octet version, no sign padding in the PDU integers, not a v1
    /// trap. `None` means "take the exact path", which accepts everything
    /// accepted here (with the same result) and reports precise errors.
    #[inline]
    fn decode_plain(buf: &'a [u8]) -> Option<Self> {
        let (t, content, rest) = split_plain(buf)?;
        if t != tag::SEQUENCE || !rest.is_empty() {
            return None;
        }
        let [tag::INTEGER, 1, v @ (0 | 1), ref rest @ ..] = *content else {
            return None;
        };
        let version = if v == 0 { Version::V1 } else { Version::V2c };
        let (t, community, rest) = split_plain(rest)?;
        let (pt, body, rest) = split_plain(rest)?;
        let pdu_type = PduType::from_tag(pt)?;
        if t != tag::OCTET_STRING
            || !rest.is_empty()
            || pdu_type == PduType::TrapV1
            || !version.allows(pdu_type)
        {
            return None;
        }
        let (request_id, body) = plain_i32(body)?;
        let (error_status, body) = plain_i32(body)?;
        let (error_index, body) = plain_i32(body)?;
        let (t, vbl, rest) = split_plain(body)?;
        if t != tag::SEQUENCE || !rest.is_empty() {
            return None;
        }
        // The list runs to the very end of the datagram.
        let varbinds = VarBindList::decode(vbl, buf.len() - vbl.len()).ok()?;
        Some(Self {
            version,
            community,
            any_pdu: AnyPduRef::Pdu(PduRef {
                pdu_type,
                request_id,
                error_status,
                error_index,
                varbinds,
            }),
        })
    }

    /// The exact, element-by-element decode with precise errors.
    #[cold]
    #[inline(never)]
    pub(crate) fn decode_exact(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut outer = Reader::new(buf);
        let mut msg = outer.read_sequence()?;
        outer.finish()?;
        let version_offset = msg.offset();
        let raw_version = msg.read_i64()?;
        let version = match Version::from_i64(raw_version) {
            Some(v @ (Version::V1 | Version::V2c)) => v,
            _ => {
                return Err(DecodeError::new(
                    DecodeErrorKind::UnsupportedVersion(raw_version),
                    version_offset,
                ))
            }
        };
        let community = msg.read_octet_string()?;
        let pdu_offset = msg.offset();
        let any_pdu = decode_pdu(&mut msg)?;
        if !version.allows(any_pdu.pdu_type()) {
            return Err(DecodeError::new(DecodeErrorKind::PduNotAllowed, pdu_offset));
        }
        msg.finish()?;
        Ok(Self {
            version,
            community,
            any_pdu,
        })
    }

    /// The PDU unless it is a v1 trap.
    pub fn pdu(&self) -> Option<&crate::pdu::PduRef<'a>> {
        match &self.any_pdu {
            AnyPduRef::Pdu(p) => Some(p),
            AnyPduRef::TrapV1(_) => None,
        }
    }

    /// An owned copy.
    pub fn to_owned(&self) -> Message {
        Message {
            version: self.version,
            community: self.community.to_vec(),
            pdu: self.any_pdu.to_owned(),
        }
    }
}

/// An owned v1 or v2c message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// v1 or v2c.
    pub version: Version,
    /// The community string.
    pub community: Vec<u8>,
    /// The PDU.
    pub pdu: AnyPdu,
}

impl Message {
    /// A message carrying `pdu`.
    pub fn new(version: Version, community: impl AsRef<[u8]>, pdu: Pdu) -> Self {
        Self {
            version,
            community: community.as_ref().to_vec(),
            pdu: AnyPdu::Pdu(pdu),
        }
    }

    fn content_len(&self, pdu_len: usize) -> usize {
        3 + writer::tlv_len(self.community.len()) + pdu_len
    }

    /// Size of the encoded message.
    pub fn encoded_len(&self) -> usize {
        writer::tlv_len(self.content_len(self.pdu.encoded_len()))
    }

    /// Appends the encoded message to `out` (which keeps its capacity across calls).
    ///
    /// The size is known up front without walking any OID (each [`Oid`]
    /// keeps its encoded length), `out` grows once, and the message is
    /// written backwards in place, content before headers, so no length is
    /// computed twice.
    ///
    /// [`Oid`]: crate::Oid
    pub fn encode(&self, out: &mut Vec<u8>) {
        let bound = 6 + 3 + 6 + self.community.len() + self.pdu.encoded_bound();
        let size = writer::backward_size(out, bound, || self.encoded_len());
        let (start, mut w) = writer::begin_backward(out, size);
        self.write_back(&mut w);
        let written = w.finish();
        writer::finish_backward(out, start, written);
    }

    #[inline(always)]
    fn write_back(&self, w: &mut BackWriter<'_>) {
        let end = w.written();
        self.pdu.write_back(w);
        w.bytes(&self.community);
        w.header(tag::OCTET_STRING, self.community.len());
        w.int(tag::INTEGER, i64::from(self.version.as_i32()));
        let len = w.written() - end;
        w.header(tag::SEQUENCE, len);
    }

    /// The encoded message in a new buffer of exactly its size.
    pub fn to_bytes(&self) -> Vec<u8> {
        let len = self.encoded_len();
        let mut out = Vec::with_capacity(len);
        writer::append_backward(&mut out, len, |w| self.write_back(w));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::{TrapV1Pdu, VarBind};
    use crate::{Oid, Value};

    #[test]
    fn known_bytes_v1_get() {
        // snmpget -v1 -c public localhost .1.3.6.1.2.1.1.1.0, request-id 1
        let bytes: &[u8] = &[
            0x30, 0x26, 0x02, 0x01, 0x00, 0x04, 0x06, b'p', b'u', b'b', b'l', b'i', b'c', 0xa0,
            0x19, 0x02, 0x01, 0x01, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x0e, 0x30, 0x0c,
            0x06, 0x08, 0x2b, 0x06, 0x01, 0x02, 0x01, 0x01, 0x01, 0x00, 0x05, 0x00,
        ];
        let m = MessageRef::decode(bytes).unwrap();
        assert_eq!(m.version, Version::V1);
        let oid: Oid = "1.3.6.1.2.1.1.1.0".parse().unwrap();
        let built = Message::new(
            Version::V1,
            "public",
            Pdu::request(PduType::GetRequest, 1, &[oid]),
        );
        assert_eq!(built.to_bytes(), bytes);
        assert_eq!(built.encoded_len(), bytes.len());
    }

    #[test]
    fn version_rules() {
        let pdu = Pdu::request(PduType::GetBulkRequest, 1, &["1.3".parse().unwrap()]);
        let bytes = Message::new(Version::V1, "x", pdu.clone()).to_bytes();
        assert_eq!(
            MessageRef::decode(&bytes).unwrap_err().kind,
            DecodeErrorKind::PduNotAllowed
        );
        assert!(MessageRef::decode(&Message::new(Version::V2c, "x", pdu).to_bytes()).is_ok());
        let mut v3 =
            Message::new(Version::V2c, "x", Pdu::request(PduType::GetRequest, 1, &[])).to_bytes();
        v3[4] = 3;
        assert_eq!(
            MessageRef::decode(&v3).unwrap_err().kind,
            DecodeErrorKind::UnsupportedVersion(3)
        );
    }

    #[test]
    fn trap_v1_round_trip() {
        let t = TrapV1Pdu {
            enterprise: "1.3.6.1.4.1.8072".parse().unwrap(),
            agent_addr: [127, 0, 0, 1].into(),
            generic_trap: 6,
            specific_trap: 17,
            time_stamp: 4242,
            varbinds: vec![VarBind::new(
                "1.3.6.1.2.1.1.5.0".parse().unwrap(),
                Value::from("x"),
            )],
        };
        let m = Message {
            version: Version::V1,
            community: b"public".to_vec(),
            pdu: AnyPdu::TrapV1(t.clone()),
        };
        let bytes = m.to_bytes();
        assert_eq!(bytes.len(), m.encoded_len());
        let back = MessageRef::decode(&bytes).unwrap().to_owned();
        assert_eq!(back, m);
    }

    #[test]
    fn quick_and_exact_decode_agree() {
        let vbs = vec![
            VarBind::new(
                "1.3.6.1.2.1.1.1.0".parse().unwrap(),
                Value::from("x".repeat(120).as_str()),
            ),
            VarBind::new(
                "1.3.6.1.2.1.2.2.1.10.10103".parse().unwrap(),
                Value::Counter32(7),
            ),
        ];
        let mut seeds = Vec::new();
        for version in [Version::V1, Version::V2c] {
            for (t, id) in [
                (PduType::Response, 0x7fff_ffff),
                (PduType::GetRequest, -1),
                (PduType::GetBulkRequest, 300),
            ] {
                let pdu = Pdu {
                    pdu_type: t,
                    request_id: id,
                    error_status: 1,
                    error_index: 2,
                    varbinds: vbs.clone(),
                };
                seeds.push(Message::new(version, "public", pdu).to_bytes());
            }
        }
        let mut seed = 0x853c_49e6_748f_ea9bu64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..60_000 {
            let mut bytes = seeds[round % seeds.len()].clone();
            for _ in 0..next() % 3 {
                let i = (next() as usize) % bytes.len();
                match next() % 3 {
                    0 => bytes[i] = next() as u8,
                    1 => bytes[i] = bytes[i].wrapping_add(1),
                    _ => bytes.truncate(i.max(1)),
                }
            }
            assert_eq!(
                MessageRef::decode(&bytes),
                MessageRef::decode_exact(&bytes),
                "round {round}: {bytes:02x?}"
            );
        }
    }

    #[test]
    fn trailing_and_truncated() {
        let oid: Oid = "1.3.6.1.2.1.1.1.0".parse().unwrap();
        let mut bytes = Message::new(
            Version::V2c,
            "public",
            Pdu::request(PduType::GetRequest, 1, &[oid]),
        )
        .to_bytes();
        for cut in 0..bytes.len() {
            assert!(MessageRef::decode(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        bytes.push(0);
        assert_eq!(
            MessageRef::decode(&bytes).unwrap_err().kind,
            DecodeErrorKind::TrailingData(1)
        );
    }
}
