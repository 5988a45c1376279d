//! UsmSecurityParameters (RFC 3414 §2.4), the content of msgSecurityParameters.

use crate::ber::{tag, writer, DecodeError, DecodeErrorKind, Reader};

/// The longest msgUserName (RFC 3414 §2.4: `OCTET STRING (SIZE(0..32))`).
pub const MAX_USER_NAME_LEN: usize = 32;

/// USM security parameters borrowed from a datagram (or pointing at the
/// caller's data when encoding).
///
/// ```
/// use oxsnmp_core::v3::{UsmParams, UsmParamsRef};
/// let p = UsmParams { engine_id: vec![0x80, 0, 0, 0, 1], boots: 3, time: 1234, user_name: b"alice".to_vec(), ..UsmParams::default() };
/// let mut out = Vec::new();
/// p.as_ref().write(&mut out);
/// // `out` is the whole msgSecurityParameters OCTET STRING; decode its content.
/// let back = UsmParamsRef::decode(&out[2..], 2).unwrap();
/// assert_eq!(back.user_name, b"alice");
/// assert_eq!((back.boots, back.time), (3, 1234));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UsmParamsRef<'a> {
    /// msgAuthoritativeEngineID.
    pub engine_id: &'a [u8],
    /// msgAuthoritativeEngineBoots (0..=2^31-1).
    pub boots: u32,
    /// msgAuthoritativeEngineTime (0..=2^31-1).
    pub time: u32,
    /// msgUserName (at most 32 octets).
    pub user_name: &'a [u8],
    /// msgAuthenticationParameters: the truncated HMAC, or empty.
    pub auth_params: &'a [u8],
    /// msgPrivacyParameters: the salt, or empty.
    pub priv_params: &'a [u8],
    /// Where `auth_params`' content starts in the datagram (decoded views
    /// only; 0 when encoding).
    pub auth_offset: usize,
}

fn uint31(r: &mut Reader<'_>) -> Result<u32, DecodeError> {
    let offset = r.offset();
    let v = r.read_i32()?;
    u32::try_from(v).map_err(|_| DecodeError::new(DecodeErrorKind::OutOfRange, offset))
}

impl<'a> UsmParamsRef<'a> {
    /// Decodes the content octets of msgSecurityParameters, found at
    /// `base` in the datagram (for error offsets and `auth_offset`).
    pub fn decode(content: &'a [u8], base: usize) -> Result<Self, DecodeError> {
        let mut outer = Reader::with_base(content, base);
        let mut seq = outer.read_sequence()?;
        outer.finish()?;
        let engine_id = seq.read_octet_string()?;
        let boots = uint31(&mut seq)?;
        let time = uint31(&mut seq)?;
        let user_offset = seq.offset();
        let user_name = seq.read_octet_string()?;
        if user_name.len() > MAX_USER_NAME_LEN {
            return Err(DecodeError::new(DecodeErrorKind::OutOfRange, user_offset));
        }
        let auth = seq.read_expected(tag::OCTET_STRING)?;
        let priv_params = seq.read_octet_string()?;
        seq.finish()?;
        Ok(Self {
            engine_id,
            boots,
            time,
            user_name,
            auth_params: auth.content,
            priv_params,
            auth_offset: auth.content_offset,
        })
    }

    fn sequence_content_len(&self) -> usize {
        writer::tlv_len(self.engine_id.len())
            + writer::tlv_len(writer::i64_content_len(i64::from(self.boots)))
            + writer::tlv_len(writer::i64_content_len(i64::from(self.time)))
            + writer::tlv_len(self.user_name.len())
            + writer::tlv_len(self.auth_params.len())
            + writer::tlv_len(self.priv_params.len())
    }

    /// Size of the whole msgSecurityParameters OCTET STRING.
    pub fn encoded_len(&self) -> usize {
        writer::tlv_len(writer::tlv_len(self.sequence_content_len()))
    }

    /// Appends the whole msgSecurityParameters OCTET STRING; returns where
    /// the content of msgAuthenticationParameters starts in `out`.
    pub fn write(&self, out: &mut Vec<u8>) -> usize {
        let content = self.sequence_content_len();
        writer::write_header(out, tag::OCTET_STRING, writer::tlv_len(content));
        writer::write_header(out, tag::SEQUENCE, content);
        writer::write_bytes(out, tag::OCTET_STRING, self.engine_id);
        writer::write_i64(out, tag::INTEGER, i64::from(self.boots));
        writer::write_i64(out, tag::INTEGER, i64::from(self.time));
        writer::write_bytes(out, tag::OCTET_STRING, self.user_name);
        writer::write_header(out, tag::OCTET_STRING, self.auth_params.len());
        let auth_offset = out.len();
        out.extend_from_slice(self.auth_params);
        writer::write_bytes(out, tag::OCTET_STRING, self.priv_params);
        auth_offset
    }

    /// An owned copy.
    pub fn to_owned(&self) -> UsmParams {
        UsmParams {
            engine_id: self.engine_id.to_vec(),
            boots: self.boots,
            time: self.time,
            user_name: self.user_name.to_vec(),
            auth_params: self.auth_params.to_vec(),
            priv_params: self.priv_params.to_vec(),
        }
    }
}

/// Owned USM security parameters.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct UsmParams {
    /// msgAuthoritativeEngineID.
    pub engine_id: Vec<u8>,
    /// msgAuthoritativeEngineBoots.
    pub boots: u32,
    /// msgAuthoritativeEngineTime.
    pub time: u32,
    /// msgUserName.
    pub user_name: Vec<u8>,
    /// msgAuthenticationParameters.
    pub auth_params: Vec<u8>,
    /// msgPrivacyParameters.
    pub priv_params: Vec<u8>,
}

impl UsmParams {
    /// A borrowed view, for encoding.
    pub fn as_ref(&self) -> UsmParamsRef<'_> {
        UsmParamsRef {
            engine_id: &self.engine_id,
            boots: self.boots,
            time: self.time,
            user_name: &self.user_name,
            auth_params: &self.auth_params,
            priv_params: &self.priv_params,
            auth_offset: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 3414 §A.4's example layout, with values of our own.
    #[test]
    fn known_bytes() {
        let p = UsmParams {
            engine_id: vec![0x80, 0, 0x1f, 0x88, 0x80],
            boots: 1,
            time: 300,
            user_name: b"u".to_vec(),
            auth_params: vec![0; 12],
            priv_params: vec![1, 2, 3, 4, 5, 6, 7, 8],
        };
        let mut out = Vec::new();
        let auth_at = p.as_ref().write(&mut out);
        let expected: Vec<u8> = [
            &[0x04, 0x2b, 0x30, 0x29][..],
            &[0x04, 0x05, 0x80, 0, 0x1f, 0x88, 0x80],
            &[0x02, 0x01, 0x01],
            &[0x02, 0x02, 0x01, 0x2c],
            &[0x04, 0x01, b'u'],
            &[0x04, 0x0c],
            &[0; 12],
            &[0x04, 0x08, 1, 2, 3, 4, 5, 6, 7, 8],
        ]
        .concat();
        assert_eq!(out, expected);
        assert_eq!(out.len(), p.as_ref().encoded_len());
        assert_eq!(&out[auth_at..auth_at + 12], &[0; 12]);
        let back = UsmParamsRef::decode(&out[2..], 2).unwrap();
        assert_eq!(back.auth_offset, auth_at);
        assert_eq!(back.to_owned(), p);
    }

    #[test]
    fn rejects_out_of_range_and_trailing() {
        let mut p = UsmParams {
            user_name: vec![b'x'; 33],
            ..UsmParams::default()
        };
        let mut out = Vec::new();
        p.as_ref().write(&mut out);
        assert_eq!(
            UsmParamsRef::decode(&out[2..], 2).unwrap_err().kind,
            DecodeErrorKind::OutOfRange
        );
        p.user_name.truncate(32);
        out.clear();
        p.as_ref().write(&mut out);
        let ok = UsmParamsRef::decode(&out[2..], 2).unwrap();
        assert_eq!(ok.user_name.len(), 32);
        let mut trailing = out[2..].to_vec();
        trailing.push(0);
        assert!(UsmParamsRef::decode(&trailing, 0).is_err());
        // A negative msgAuthoritativeEngineBoots.
        let neg = [
            0x30, 0x0e, 0x04, 0x00, 0x02, 0x01, 0xff, 0x02, 0x01, 0x00, 0x04, 0x00, 0x04, 0x00,
            0x04, 0x00,
        ];
        assert_eq!(
            UsmParamsRef::decode(&neg, 0).unwrap_err().kind,
            DecodeErrorKind::OutOfRange
        );
        for cut in 0..out.len() - 2 {
            assert!(UsmParamsRef::decode(&out[2..2 + cut], 2).is_err());
        }
    }
}
