//! The SNMPv3 message (RFC 3412 §6): msgGlobalData, msgSecurityParameters
//! and msgData, decoded into a borrowed view or written into a buffer.

use crate::ber::{tag, writer, DecodeError, DecodeErrorKind, Reader};

use super::flags::MsgFlags;
use super::scoped::{ScopedPdu, ScopedPduRef};
use super::usm_params::{UsmParams, UsmParamsRef};
use super::MIN_MAX_SIZE;

/// msgSecurityModel of the User-based Security Model (RFC 3411 §5).
pub const SECURITY_MODEL_USM: i32 = 3;

/// msgData: a plaintext ScopedPDU or the encryptedPDU octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScopedPduData<'a> {
    /// A ScopedPDU in the clear.
    Plaintext(ScopedPduRef<'a>),
    /// The content of the encryptedPDU OCTET STRING.
    Encrypted(&'a [u8]),
}

/// An SNMPv3 message borrowed from a datagram.
///
/// Decoding checks the syntax of RFC 3412 §6 (ranges included) but no
/// security: the security parameters stay raw until the security model
/// (USM, [`V3MessageRef::usm`]) reads them, and authentication and
/// decryption are [`crate::usm`]'s business.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V3MessageRef<'a> {
    /// msgID (0..=2^31-1).
    pub msg_id: i32,
    /// msgMaxSize (484..=2^31-1): the largest message the sender accepts.
    pub max_size: i32,
    /// msgFlags.
    pub flags: MsgFlags,
    /// msgSecurityModel (1..=2^31-1; 3 is USM).
    pub security_model: i32,
    /// The content of msgSecurityParameters.
    pub security_parameters: &'a [u8],
    /// Where `security_parameters` starts in the datagram.
    pub security_parameters_offset: usize,
    /// msgData.
    pub data: ScopedPduData<'a>,
}

fn int_in(r: &mut Reader<'_>, min: i32) -> Result<i32, DecodeError> {
    let offset = r.offset();
    let v = r.read_i32()?;
    if v < min {
        return Err(DecodeError::new(DecodeErrorKind::OutOfRange, offset));
    }
    Ok(v)
}

impl<'a> V3MessageRef<'a> {
    /// Decodes a whole SNMPv3 message.
    pub fn decode(buf: &'a [u8]) -> Result<Self, DecodeError> {
        let mut outer = Reader::new(buf);
        let mut msg = outer.read_sequence()?;
        outer.finish()?;
        let version_offset = msg.offset();
        let version = msg.read_i64()?;
        if version != 3 {
            return Err(DecodeError::new(
                DecodeErrorKind::UnsupportedVersion(version),
                version_offset,
            ));
        }
        let mut global = msg.read_sequence()?;
        let msg_id = int_in(&mut global, 0)?;
        let max_size = int_in(&mut global, MIN_MAX_SIZE)?;
        let flags_tlv = global.read_expected(tag::OCTET_STRING)?;
        let [flags] = *flags_tlv.content else {
            return Err(DecodeError::new(
                DecodeErrorKind::OutOfRange,
                flags_tlv.offset,
            ));
        };
        let security_model = int_in(&mut global, 1)?;
        global.finish()?;
        let params = msg.read_expected(tag::OCTET_STRING)?;
        let data_tlv = msg.read_tlv()?;
        let data = match data_tlv.tag {
            tag::SEQUENCE => ScopedPduData::Plaintext(ScopedPduRef::decode(
                buf_of(buf, &data_tlv),
                data_tlv.offset,
                false,
            )?),
            tag::OCTET_STRING => ScopedPduData::Encrypted(data_tlv.content),
            found => {
                return Err(DecodeError::new(
                    DecodeErrorKind::UnexpectedTag {
                        expected: tag::SEQUENCE,
                        found,
                    },
                    data_tlv.offset,
                ))
            }
        };
        msg.finish()?;
        Ok(Self {
            msg_id,
            max_size,
            flags: MsgFlags::from_bits(flags),
            security_model,
            security_parameters: params.content,
            security_parameters_offset: params.content_offset,
            data,
        })
    }

    /// Decodes the security parameters as USM's (check
    /// [`security_model`](Self::security_model) first).
    pub fn usm(&self) -> Result<UsmParamsRef<'a>, DecodeError> {
        UsmParamsRef::decode(self.security_parameters, self.security_parameters_offset)
    }
}

/// The whole TLV (header included) that `tlv` was read from.
fn buf_of<'a>(buf: &'a [u8], tlv: &crate::ber::Tlv<'a>) -> &'a [u8] {
    let end = tlv.content_offset + tlv.content.len();
    buf.get(tlv.offset..end).unwrap_or(&[])
}

/// msgGlobalData plus msgSecurityModel: the fields an encoder needs besides
/// the security parameters and the data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct V3Header {
    /// msgID.
    pub msg_id: i32,
    /// msgMaxSize.
    pub max_size: i32,
    /// msgFlags.
    pub flags: MsgFlags,
    /// msgSecurityModel.
    pub security_model: i32,
}

impl V3Header {
    fn global_content_len(&self) -> usize {
        writer::tlv_len(writer::i64_content_len(i64::from(self.msg_id)))
            + writer::tlv_len(writer::i64_content_len(i64::from(self.max_size)))
            + 3
            + writer::tlv_len(writer::i64_content_len(i64::from(self.security_model)))
    }
}

/// Size of a whole message whose msgData TLV (the plaintext ScopedPDU, or
/// the encryptedPDU OCTET STRING with its header) takes `data_tlv_len`
/// octets.
pub fn message_len(header: &V3Header, usm: &UsmParamsRef<'_>, data_tlv_len: usize) -> usize {
    writer::tlv_len(content_len(header, usm, data_tlv_len))
}

fn content_len(header: &V3Header, usm: &UsmParamsRef<'_>, data_tlv_len: usize) -> usize {
    3 + writer::tlv_len(header.global_content_len()) + usm.encoded_len() + data_tlv_len
}

/// Appends a whole message up to and including msgSecurityParameters; the
/// caller appends msgData (`data_tlv_len` octets: a ScopedPDU, or an OCTET
/// STRING of ciphertext). Returns where msgAuthenticationParameters' content
/// starts in `out`, for signing in place once the message is complete.
pub fn write_message(
    out: &mut Vec<u8>,
    header: &V3Header,
    usm: &UsmParamsRef<'_>,
    data_tlv_len: usize,
) -> usize {
    writer::write_header(out, tag::SEQUENCE, content_len(header, usm, data_tlv_len));
    writer::write_i64(out, tag::INTEGER, 3);
    writer::write_header(out, tag::SEQUENCE, header.global_content_len());
    writer::write_i64(out, tag::INTEGER, i64::from(header.msg_id));
    writer::write_i64(out, tag::INTEGER, i64::from(header.max_size));
    writer::write_bytes(out, tag::OCTET_STRING, &[header.flags.bits()]);
    writer::write_i64(out, tag::INTEGER, i64::from(header.security_model));
    usm.write(out)
}

/// An owned plaintext SNMPv3 message with USM parameters, for tests, tools
/// and anything that is not authenticated (discovery probes, reports at
/// noAuthNoPriv). Authenticated and encrypted messages are built by
/// [`crate::usm`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct V3Message {
    /// msgID.
    pub msg_id: i32,
    /// msgMaxSize.
    pub max_size: i32,
    /// msgFlags.
    pub flags: MsgFlags,
    /// The USM security parameters.
    pub usm: UsmParams,
    /// The plaintext ScopedPDU.
    pub scoped: ScopedPdu,
}

impl V3Message {
    /// The encoded message.
    pub fn to_bytes(&self) -> Vec<u8> {
        let header = V3Header {
            msg_id: self.msg_id,
            max_size: self.max_size,
            flags: self.flags,
            security_model: SECURITY_MODEL_USM,
        };
        let usm = self.usm.as_ref();
        let data_len = self.scoped.encoded_len();
        let mut out = Vec::with_capacity(message_len(&header, &usm, data_len));
        write_message(&mut out, &header, &usm, data_len);
        self.scoped.encode(&mut out);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::{Pdu, PduType};
    use crate::v3::SecurityLevel;

    /// A discovery probe captured from Net-SNMP 5.9's snmpget, byte for byte.
    #[test]
    fn decodes_net_snmp_probe() {
        let bytes: &[u8] = &[
            0x30, 0x3e, 0x02, 0x01, 0x03, 0x30, 0x11, 0x02, 0x04, 0x71, 0xd4, 0x53, 0x98, 0x02,
            0x03, 0x00, 0xff, 0xe3, 0x04, 0x01, 0x04, 0x02, 0x01, 0x03, 0x04, 0x10, 0x30, 0x0e,
            0x04, 0x00, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00, 0x04, 0x00,
            0x30, 0x14, 0x04, 0x00, 0x04, 0x00, 0xa0, 0x0e, 0x02, 0x04, 0x47, 0x27, 0x31, 0x80,
            0x02, 0x01, 0x00, 0x02, 0x01, 0x00, 0x30, 0x00,
        ];
        let m = V3MessageRef::decode(bytes).unwrap();
        assert_eq!(m.msg_id, 0x71d4_5398);
        assert_eq!(m.max_size, 65507);
        assert_eq!(m.flags.level(), Some(SecurityLevel::NoAuthNoPriv));
        assert!(m.flags.reportable());
        assert_eq!(m.security_model, SECURITY_MODEL_USM);
        let usm = m.usm().unwrap();
        assert!(usm.engine_id.is_empty() && usm.user_name.is_empty());
        let ScopedPduData::Plaintext(s) = m.data else {
            panic!("plaintext expected")
        };
        assert_eq!(s.pdu.pdu_type, PduType::GetRequest);
        assert_eq!(s.pdu.request_id, 0x4727_3180);
        assert!(s.pdu.varbinds.is_empty());

        let rebuilt = V3Message {
            msg_id: 0x71d4_5398,
            max_size: 65507,
            flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, true),
            usm: UsmParams::default(),
            scoped: ScopedPdu::new(
                vec![],
                vec![],
                Pdu::request(PduType::GetRequest, 0x4727_3180, &[]),
            ),
        };
        assert_eq!(rebuilt.to_bytes(), bytes);
    }

    #[test]
    fn ranges_and_shapes() {
        let base = V3Message {
            msg_id: 1,
            max_size: 484,
            flags: MsgFlags::new(SecurityLevel::NoAuthNoPriv, true),
            usm: UsmParams::default(),
            scoped: ScopedPdu::new(vec![], vec![], Pdu::request(PduType::GetRequest, 1, &[])),
        };
        assert!(V3MessageRef::decode(&base.to_bytes()).is_ok());
        for (msg_id, max_size) in [(-1, 484), (1, 483), (1, -5)] {
            let m = V3Message {
                msg_id,
                max_size,
                ..base.clone()
            };
            assert_eq!(
                V3MessageRef::decode(&m.to_bytes()).unwrap_err().kind,
                DecodeErrorKind::OutOfRange,
                "{msg_id} {max_size}"
            );
        }
        let bytes = base.to_bytes();
        for cut in 0..bytes.len() {
            assert!(V3MessageRef::decode(&bytes[..cut]).is_err());
        }
        let mut trailing = bytes.clone();
        trailing.push(0);
        assert!(V3MessageRef::decode(&trailing).is_err());
        let mut v2 = bytes;
        v2[4] = 1;
        assert_eq!(
            V3MessageRef::decode(&v2).unwrap_err().kind,
            DecodeErrorKind::UnsupportedVersion(1)
        );
    }
}
