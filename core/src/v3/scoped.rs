//! ScopedPDU (RFC 3412 §6.8): contextEngineID, contextName and the PDU.

use crate::ber::{tag, writer, DecodeError, DecodeErrorKind, Reader};
use crate::pdu::{decode_pdu, AnyPduRef, Pdu, PduRef};

/// A ScopedPDU borrowed from a datagram or a decrypted buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScopedPduRef<'a> {
    /// contextEngineID.
    pub context_engine_id: &'a [u8],
    /// contextName.
    pub context_name: &'a [u8],
    /// The PDU (SNMPv2 PDUs only: a v1 Trap-PDU is not allowed in v3).
    pub pdu: PduRef<'a>,
}

impl<'a> ScopedPduRef<'a> {
    /// Decodes a ScopedPDU SEQUENCE at the start of `buf` (found at `base`).
    ///
    /// With `padded`, octets after the SEQUENCE are ignored: a DES or 3DES
    /// decryption leaves the sender's padding there (RFC 3414 §8.3.2).
    pub fn decode(buf: &'a [u8], base: usize, padded: bool) -> Result<Self, DecodeError> {
        let mut outer = Reader::with_base(buf, base);
        let mut seq = outer.read_sequence()?;
        if !padded {
            outer.finish()?;
        }
        let context_engine_id = seq.read_octet_string()?;
        let context_name = seq.read_octet_string()?;
        let pdu_offset = seq.offset();
        let pdu = match decode_pdu(&mut seq)? {
            AnyPduRef::Pdu(p) => p,
            AnyPduRef::TrapV1(_) => {
                return Err(DecodeError::new(DecodeErrorKind::PduNotAllowed, pdu_offset))
            }
        };
        seq.finish()?;
        Ok(Self {
            context_engine_id,
            context_name,
            pdu,
        })
    }

    /// An owned copy.
    pub fn to_owned(&self) -> ScopedPdu {
        ScopedPdu {
            context_engine_id: self.context_engine_id.to_vec(),
            context_name: self.context_name.to_vec(),
            pdu: self.pdu.to_owned(),
        }
    }
}

/// An owned ScopedPDU.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedPdu {
    /// contextEngineID.
    pub context_engine_id: Vec<u8>,
    /// contextName.
    pub context_name: Vec<u8>,
    /// The PDU.
    pub pdu: Pdu,
}

impl ScopedPdu {
    /// A ScopedPDU for `pdu` in the given context.
    pub fn new(context_engine_id: Vec<u8>, context_name: Vec<u8>, pdu: Pdu) -> Self {
        Self {
            context_engine_id,
            context_name,
            pdu,
        }
    }

    /// Size of the encoded ScopedPDU.
    pub fn encoded_len(&self) -> usize {
        scoped_pdu_len(
            self.context_engine_id.len(),
            self.context_name.len(),
            self.pdu.encoded_len(),
        )
    }

    /// Appends the encoded ScopedPDU.
    pub fn encode(&self, out: &mut Vec<u8>) {
        write_scoped_pdu_header(
            out,
            &self.context_engine_id,
            &self.context_name,
            self.pdu.encoded_len(),
        );
        self.pdu.encode(out);
    }
}

fn content_len(engine_len: usize, name_len: usize, pdu_len: usize) -> usize {
    writer::tlv_len(engine_len) + writer::tlv_len(name_len) + pdu_len
}

/// Size of a ScopedPDU whose contextEngineID, contextName and whole PDU TLV
/// take these many octets.
pub fn scoped_pdu_len(engine_len: usize, name_len: usize, pdu_len: usize) -> usize {
    writer::tlv_len(content_len(engine_len, name_len, pdu_len))
}

/// Appends a ScopedPDU's SEQUENCE header and context fields; the caller
/// then appends the PDU TLV of `pdu_len` octets.
pub fn write_scoped_pdu_header(
    out: &mut Vec<u8>,
    context_engine_id: &[u8],
    context_name: &[u8],
    pdu_len: usize,
) {
    let content = content_len(context_engine_id.len(), context_name.len(), pdu_len);
    writer::write_header(out, tag::SEQUENCE, content);
    writer::write_bytes(out, tag::OCTET_STRING, context_engine_id);
    writer::write_bytes(out, tag::OCTET_STRING, context_name);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::{PduType, TrapV1Pdu};
    use crate::AnyPdu;

    #[test]
    fn round_trip_padding_and_v1_trap() {
        let pdu = Pdu::request(PduType::GetRequest, 9, &["1.3.6.1".parse().unwrap()]);
        let s = ScopedPdu::new(vec![0x80, 0, 0, 0, 6], b"ctx".to_vec(), pdu);
        let mut bytes = Vec::new();
        s.encode(&mut bytes);
        assert_eq!(bytes.len(), s.encoded_len());
        assert_eq!(
            ScopedPduRef::decode(&bytes, 0, false).unwrap().to_owned(),
            s
        );
        bytes.extend_from_slice(&[0, 0, 0]);
        assert!(ScopedPduRef::decode(&bytes, 0, false).is_err());
        assert_eq!(ScopedPduRef::decode(&bytes, 0, true).unwrap().to_owned(), s);

        let trap = AnyPdu::TrapV1(TrapV1Pdu {
            enterprise: "1.3.6.1.4.1".parse().unwrap(),
            agent_addr: [127, 0, 0, 1].into(),
            generic_trap: 0,
            specific_trap: 0,
            time_stamp: 0,
            varbinds: vec![],
        });
        let mut t = Vec::new();
        write_scoped_pdu_header(&mut t, b"", b"", trap.encoded_len());
        trap.encode(&mut t);
        assert_eq!(
            ScopedPduRef::decode(&t, 0, false).unwrap_err().kind,
            DecodeErrorKind::PduNotAllowed
        );
    }
}
