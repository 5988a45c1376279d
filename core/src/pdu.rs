//! PDUs (RFC 3416 §3, RFC 1157 §4.1): owned [`Pdu`]/[`TrapV1Pdu`] and borrowed views.

use std::fmt;
use std::net::Ipv4Addr;

use crate::ber::reader::{split_plain, split_validated};
use crate::ber::writer::BackWriter;
use crate::ber::{tag, writer, DecodeError, DecodeErrorKind, Reader};
use crate::oid::{plainly_valid as oid_plainly_valid, Oid, OidRef};
use crate::value::{Value, ValueRef};

/// The PDU types, by their context-specific tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PduType {
    /// GetRequest-PDU.
    GetRequest,
    /// GetNextRequest-PDU.
    GetNextRequest,
    /// Response-PDU (GetResponse in v1).
    Response,
    /// SetRequest-PDU.
    SetRequest,
    /// Trap-PDU (SNMPv1 only).
    TrapV1,
    /// GetBulkRequest-PDU (v2c and v3).
    GetBulkRequest,
    /// InformRequest-PDU (v2c and v3).
    InformRequest,
    /// SNMPv2-Trap-PDU (v2c and v3).
    SnmpV2Trap,
    /// Report-PDU (v3).
    Report,
}

impl PduType {
    /// The BER identifier octet.
    pub const fn tag(self) -> u8 {
        match self {
            PduType::GetRequest => 0xa0,
            PduType::GetNextRequest => 0xa1,
            PduType::Response => 0xa2,
            PduType::SetRequest => 0xa3,
            PduType::TrapV1 => 0xa4,
            PduType::GetBulkRequest => 0xa5,
            PduType::InformRequest => 0xa6,
            PduType::SnmpV2Trap => 0xa7,
            PduType::Report => 0xa8,
        }
    }

    /// The PDU type for an identifier octet.
    pub const fn from_tag(t: u8) -> Option<Self> {
        Some(match t {
            0xa0 => PduType::GetRequest,
            0xa1 => PduType::GetNextRequest,
            0xa2 => PduType::Response,
            0xa3 => PduType::SetRequest,
            0xa4 => PduType::TrapV1,
            0xa5 => PduType::GetBulkRequest,
            0xa6 => PduType::InformRequest,
            0xa7 => PduType::SnmpV2Trap,
            0xa8 => PduType::Report,
            _ => return None,
        })
    }
}

/// The error-status of a response (RFC 3416 §3, RFC 1157 §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorStatus {
    /// noError(0)
    NoError,
    /// tooBig(1)
    TooBig,
    /// noSuchName(2), SNMPv1
    NoSuchName,
    /// badValue(3), SNMPv1
    BadValue,
    /// readOnly(4), SNMPv1
    ReadOnly,
    /// genErr(5)
    GenErr,
    /// noAccess(6)
    NoAccess,
    /// wrongType(7)
    WrongType,
    /// wrongLength(8)
    WrongLength,
    /// wrongEncoding(9)
    WrongEncoding,
    /// wrongValue(10)
    WrongValue,
    /// noCreation(11)
    NoCreation,
    /// inconsistentValue(12)
    InconsistentValue,
    /// resourceUnavailable(13)
    ResourceUnavailable,
    /// commitFailed(14)
    CommitFailed,
    /// undoFailed(15)
    UndoFailed,
    /// authorizationError(16)
    AuthorizationError,
    /// notWritable(17)
    NotWritable,
    /// inconsistentName(18)
    InconsistentName,
    /// A value outside the standard range.
    Other(i32),
}

const ERROR_NAMES: [(ErrorStatus, &str); 19] = [
    (ErrorStatus::NoError, "noError"),
    (ErrorStatus::TooBig, "tooBig"),
    (ErrorStatus::NoSuchName, "noSuchName"),
    (ErrorStatus::BadValue, "badValue"),
    (ErrorStatus::ReadOnly, "readOnly"),
    (ErrorStatus::GenErr, "genErr"),
    (ErrorStatus::NoAccess, "noAccess"),
    (ErrorStatus::WrongType, "wrongType"),
    (ErrorStatus::WrongLength, "wrongLength"),
    (ErrorStatus::WrongEncoding, "wrongEncoding"),
    (ErrorStatus::WrongValue, "wrongValue"),
    (ErrorStatus::NoCreation, "noCreation"),
    (ErrorStatus::InconsistentValue, "inconsistentValue"),
    (ErrorStatus::ResourceUnavailable, "resourceUnavailable"),
    (ErrorStatus::CommitFailed, "commitFailed"),
    (ErrorStatus::UndoFailed, "undoFailed"),
    (ErrorStatus::AuthorizationError, "authorizationError"),
    (ErrorStatus::NotWritable, "notWritable"),
    (ErrorStatus::InconsistentName, "inconsistentName"),
];

impl ErrorStatus {
    /// The status for a wire value.
    pub fn from_i32(v: i32) -> Self {
        usize::try_from(v)
            .ok()
            .and_then(|i| ERROR_NAMES.get(i))
            .map_or(ErrorStatus::Other(v), |(s, _)| *s)
    }

    /// The wire value.
    pub fn as_i32(self) -> i32 {
        match self {
            ErrorStatus::Other(v) => v,
            known => ERROR_NAMES
                .iter()
                .position(|(s, _)| *s == known)
                .map_or(-1, |i| i as i32),
        }
    }

    /// The RFC name, e.g. `noSuchName`.
    pub fn name(self) -> &'static str {
        ERROR_NAMES
            .iter()
            .find(|(s, _)| *s == self)
            .map_or("unknown", |(_, n)| n)
    }
}

impl fmt::Display for ErrorStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorStatus::Other(v) => write!(f, "unknown error-status {v}"),
            s => f.write_str(s.name()),
        }
    }
}

/// An owned variable binding.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct VarBind {
    /// The object instance.
    pub oid: Oid,
    /// Its value (NULL in Get requests).
    pub value: Value,
}

impl VarBind {
    /// Bytes this varbind holds on the heap (not counting itself), for
    /// memory budgets.
    pub(crate) fn heap_bytes(&self) -> usize {
        self.oid.heap_bytes() + self.value.heap_bytes()
    }

    /// A varbind with a value.
    pub fn new(oid: Oid, value: Value) -> Self {
        Self { oid, value }
    }

    /// A varbind with NULL, as Get, GetNext and GetBulk requests carry.
    pub fn null(oid: Oid) -> Self {
        Self {
            oid,
            value: Value::Null,
        }
    }

    fn content_len(&self) -> usize {
        writer::tlv_len(self.oid.ber_content_len()) + self.value.encoded_len()
    }

    /// Size of the encoded varbind SEQUENCE.
    #[inline]
    pub fn encoded_len(&self) -> usize {
        writer::tlv_len(self.content_len())
    }

    /// Appends the encoded varbind SEQUENCE.
    pub fn encode(&self, out: &mut Vec<u8>) {
        writer::append_backward(out, self.encoded_len(), |w| self.write_back(w));
    }

    /// Writes the varbind backwards.
    #[inline(always)]
    fn write_back(&self, w: &mut BackWriter<'_>) {
        let end = w.written();
        self.value.write_back(w);
        let oid_end = w.written();
        self.oid.write_ber_back(w);
        let oid_len = w.written() - oid_end;
        let len = w.written() - end + 2;
        if len < 0x80 {
            // Both headers in short form: one four-octet write.
            w.bytes(&[
                tag::SEQUENCE,
                len as u8,
                tag::OBJECT_IDENTIFIER,
                oid_len as u8,
            ]);
        } else {
            w.header(tag::OBJECT_IDENTIFIER, oid_len);
            let len = w.written() - end;
            w.header(tag::SEQUENCE, len);
        }
    }
}

/// Size of the content of a varbind list.
#[inline]
fn varbinds_len(varbinds: &[VarBind]) -> usize {
    varbinds.iter().map(VarBind::encoded_len).sum()
}

/// At least the size of a whole varbind list, header included.
#[inline]
pub(crate) fn varbinds_bound(varbinds: &[VarBind]) -> usize {
    6 + varbinds
        .iter()
        .map(|vb| 12 + vb.oid.ber_content_len() + vb.value.encoded_bound())
        .sum::<usize>()
}

/// Writes a whole varbind list backwards.
#[inline(always)]
fn write_varbinds_back(w: &mut BackWriter<'_>, varbinds: &[VarBind]) {
    let end = w.written();
    for vb in varbinds.iter().rev() {
        vb.write_back(w);
    }
    let len = w.written() - end;
    w.header(tag::SEQUENCE, len);
}

/// A variable binding borrowed from a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VarBindRef<'a> {
    /// The object instance.
    pub oid: OidRef<'a>,
    /// Its value.
    pub value: ValueRef<'a>,
}

impl VarBindRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> VarBind {
        VarBind {
            oid: self.oid.to_oid(),
            value: self.value.to_value(),
        }
    }
}

/// A validated, still-encoded varbind list. Iterating decodes on the fly.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct VarBindList<'a> {
    content: &'a [u8],
    base: usize,
    len: usize,
}

impl fmt::Debug for VarBindList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

#[inline]
fn read_varbind<'a>(r: &mut Reader<'a>) -> Result<VarBindRef<'a>, DecodeError> {
    let mut vb = r.read_sequence()?;
    let oid_tlv = vb.read_expected(tag::OBJECT_IDENTIFIER)?;
    let oid = OidRef::from_ber(oid_tlv.content, oid_tlv.offset)?;
    let value = ValueRef::from_tlv(vb.read_tlv()?)?;
    vb.finish()?;
    Ok(VarBindRef { oid, value })
}

/// The quick validation of a varbind list: counts the varbinds if every one
/// is in plain form (see [`split_plain`], [`ValueRef::plainly_valid`] and
/// [`OidRef::from_ber`]). `None` sends the list to the exact path, which
/// accepts everything accepted here and reports the precise error otherwise.
#[inline]
fn plain_count(mut rest: &[u8]) -> Option<usize> {
    let mut n = 0;
    while !rest.is_empty() {
        rest = plain_varbind(rest)?;
        n += 1;
    }
    Some(n)
}

/// Checks one varbind in plain form and returns what follows it.
#[inline(always)]
fn plain_varbind(buf: &[u8]) -> Option<&[u8]> {
    // The usual shape first: SEQUENCE and OID with short-form lengths.
    let (vt, value, vb_len, after) = match *buf {
        [tag::SEQUENCE, l @ 0..=0x7f, tag::OBJECT_IDENTIFIER, ol @ 0..=0x7f, ref tail @ ..] => {
            let (ol, l) = (usize::from(ol), usize::from(l));
            let oid = tail.get(..ol)?;
            if !oid_plainly_valid(oid) {
                return None;
            }
            let (vt, value, end) = split_plain(tail.get(ol..)?)?;
            // The varbind ends exactly where its value does.
            let used = buf.len() - end.len();
            (vt, value, used, buf.get(l + 2..)?)
        }
        _ => return plain_varbind_general(buf),
    };
    if vb_len != buf.len() - after.len() || !ValueRef::plainly_valid(vt, value) {
        return None;
    }
    Some(after)
}

/// [`plain_varbind`] for long-form lengths.
#[inline(never)]
fn plain_varbind_general(buf: &[u8]) -> Option<&[u8]> {
    let (t, vb, after) = split_plain(buf)?;
    let (ot, oid, vb) = split_plain(vb)?;
    let (vt, value, end) = split_plain(vb)?;
    let ok = t == tag::SEQUENCE
        && ot == tag::OBJECT_IDENTIFIER
        && end.is_empty()
        && oid_plainly_valid(oid)
        && ValueRef::plainly_valid(vt, value);
    ok.then_some(after)
}

impl<'a> VarBindList<'a> {
    /// Validates the content octets of a VarBindList SEQUENCE.
    #[inline]
    pub fn decode(content: &'a [u8], base: usize) -> Result<Self, DecodeError> {
        match plain_count(content) {
            Some(len) => Ok(Self { content, base, len }),
            None => Self::decode_exact(content, base),
        }
    }

    /// The exact validation, with the precise error and its offset.
    #[cold]
    #[inline(never)]
    pub(crate) fn decode_exact(content: &'a [u8], base: usize) -> Result<Self, DecodeError> {
        let mut r = Reader::with_base(content, base);
        let mut len = 0;
        while !r.is_empty() {
            read_varbind(&mut r)?;
            len += 1;
        }
        Ok(Self { content, base, len })
    }

    /// Number of varbinds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// The content octets of the list, exactly as received (what a
    /// response that echoes the request's varbinds sends back).
    pub fn raw(&self) -> &'a [u8] {
        self.content
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The varbinds in order.
    #[inline]
    pub fn iter(&self) -> VarBindIter<'a> {
        VarBindIter {
            rest: self.content,
            left: self.len,
        }
    }

    /// Owned copies of all varbinds.
    pub fn to_vec(&self) -> Vec<VarBind> {
        let mut v = Vec::with_capacity(self.len);
        v.extend(self.iter().map(|vb| vb.to_owned()));
        v
    }
}

impl<'a> IntoIterator for VarBindList<'a> {
    type Item = VarBindRef<'a>;
    type IntoIter = VarBindIter<'a>;
    fn into_iter(self) -> VarBindIter<'a> {
        self.iter()
    }
}

/// Iterator over a [`VarBindList`].
#[derive(Debug, Clone)]
pub struct VarBindIter<'a> {
    /// The varbinds not yet returned, validated by [`VarBindList::decode`].
    rest: &'a [u8],
    /// How many of them there are.
    left: usize,
}

impl<'a> VarBindIter<'a> {
    /// Splits the next varbind into its OID content, value tag and value
    /// content. The usual shape, every length in short form, is inline; the
    /// rest goes to [`split_general`](Self::split_general).
    #[inline(always)]
    fn split_next(&mut self) -> Option<(&'a [u8], u8, &'a [u8])> {
        let buf = self.rest;
        if let [_, l @ 0..=0x7f, _, ol @ 0..=0x7f, ref tail @ ..] = *buf {
            let (oid, tail) = tail.split_at_checked(usize::from(ol))?;
            if let [vt, vl @ 0..=0x7f, ref tail @ ..] = *tail {
                let value = tail.get(..usize::from(vl))?;
                self.rest = buf.get(usize::from(l) + 2..)?;
                self.left = self.left.saturating_sub(1);
                return Some((oid, vt, value));
            }
        }
        self.split_general()
    }

    /// [`split_next`](Self::split_next) for long-form lengths.
    #[inline(never)]
    fn split_general(&mut self) -> Option<(&'a [u8], u8, &'a [u8])> {
        let (_, vb, rest) = split_validated(self.rest)?;
        self.rest = rest;
        self.left = self.left.saturating_sub(1);
        let (_, oid, vb) = split_validated(vb)?;
        let (tag, content, _) = split_validated(vb)?;
        Some((oid, tag, content))
    }
}

impl<'a> Iterator for VarBindIter<'a> {
    type Item = VarBindRef<'a>;

    #[inline(always)]
    fn next(&mut self) -> Option<VarBindRef<'a>> {
        // The list was validated when decoded, so the structure, the OIDs and
        // the values are known to be good: only walk them again.
        let (oid, tag, value) = self.split_next()?;
        Some(VarBindRef {
            oid: OidRef::from_validated(oid),
            value: ValueRef::from_validated(tag, value)?,
        })
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
    }
}

impl ExactSizeIterator for VarBindIter<'_> {}

impl std::iter::FusedIterator for VarBindIter<'_> {}

/// An owned PDU of any type except the SNMPv1 Trap-PDU.
///
/// For GetBulkRequest, `error_status` holds non-repeaters and `error_index`
/// holds max-repetitions, as on the wire (RFC 3416 §3).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pdu {
    /// The PDU type.
    pub pdu_type: PduType,
    /// request-id.
    pub request_id: i32,
    /// error-status (non-repeaters for GetBulk).
    pub error_status: i32,
    /// error-index (max-repetitions for GetBulk).
    pub error_index: i32,
    /// The variable bindings.
    pub varbinds: Vec<VarBind>,
}

impl Pdu {
    /// A request with NULL values for the given OIDs.
    pub fn request(pdu_type: PduType, request_id: i32, oids: &[Oid]) -> Self {
        Self {
            pdu_type,
            request_id,
            error_status: 0,
            error_index: 0,
            varbinds: oids.iter().cloned().map(VarBind::null).collect(),
        }
    }

    /// The typed error-status.
    pub fn status(&self) -> ErrorStatus {
        ErrorStatus::from_i32(self.error_status)
    }

    fn content_len(&self, vbl_content: usize) -> usize {
        2 + writer::i64_content_len(i64::from(self.request_id))
            + 2
            + writer::i64_content_len(i64::from(self.error_status))
            + 2
            + writer::i64_content_len(i64::from(self.error_index))
            + writer::tlv_len(vbl_content)
    }

    /// Size of the encoded PDU.
    pub fn encoded_len(&self) -> usize {
        writer::tlv_len(self.content_len(varbinds_len(&self.varbinds)))
    }

    /// Appends the encoded PDU.
    pub fn encode(&self, out: &mut Vec<u8>) {
        writer::append_backward(out, self.encoded_len(), |w| self.write_back(w));
    }

    /// Writes the PDU backwards.
    #[inline(always)]
    fn write_back(&self, w: &mut BackWriter<'_>) {
        let end = w.written();
        write_varbinds_back(w, &self.varbinds);
        w.int(tag::INTEGER, i64::from(self.error_index));
        w.int(tag::INTEGER, i64::from(self.error_status));
        w.int(tag::INTEGER, i64::from(self.request_id));
        let len = w.written() - end;
        w.header(self.pdu_type.tag(), len);
    }
}

/// An owned SNMPv1 Trap-PDU (RFC 1157 §4.1.6).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrapV1Pdu {
    /// sysObjectID of the sender, or the enterprise of the trap.
    pub enterprise: Oid,
    /// The sender's address.
    pub agent_addr: Ipv4Addr,
    /// generic-trap (0 coldStart .. 6 enterpriseSpecific).
    pub generic_trap: i32,
    /// specific-trap.
    pub specific_trap: i32,
    /// sysUpTime at the time of the trap.
    pub time_stamp: u32,
    /// The variable bindings.
    pub varbinds: Vec<VarBind>,
}

impl TrapV1Pdu {
    fn content_len(&self, vbl: usize) -> usize {
        writer::tlv_len(self.enterprise.ber_content_len())
            + 6
            + 2
            + writer::i64_content_len(i64::from(self.generic_trap))
            + 2
            + writer::i64_content_len(i64::from(self.specific_trap))
            + 2
            + writer::u64_content_len(u64::from(self.time_stamp))
            + writer::tlv_len(vbl)
    }

    /// Size of the encoded PDU.
    pub fn encoded_len(&self) -> usize {
        writer::tlv_len(self.content_len(varbinds_len(&self.varbinds)))
    }

    /// Appends the encoded PDU.
    pub fn encode(&self, out: &mut Vec<u8>) {
        writer::append_backward(out, self.encoded_len(), |w| self.write_back(w));
    }

    /// Writes the PDU backwards.
    #[inline(always)]
    fn write_back(&self, w: &mut BackWriter<'_>) {
        let end = w.written();
        write_varbinds_back(w, &self.varbinds);
        w.uint(tag::TIMETICKS, u64::from(self.time_stamp));
        w.int(tag::INTEGER, i64::from(self.specific_trap));
        w.int(tag::INTEGER, i64::from(self.generic_trap));
        let [a, b, c, d] = self.agent_addr.octets();
        w.bytes(&[tag::IP_ADDRESS, 4, a, b, c, d]);
        let oid_end = w.written();
        self.enterprise.write_ber_back(w);
        let oid_len = w.written() - oid_end;
        w.header(tag::OBJECT_IDENTIFIER, oid_len);
        let len = w.written() - end;
        w.header(PduType::TrapV1.tag(), len);
    }
}

/// A borrowed PDU of any type except the SNMPv1 Trap-PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PduRef<'a> {
    /// The PDU type.
    pub pdu_type: PduType,
    /// request-id.
    pub request_id: i32,
    /// error-status (non-repeaters for GetBulk).
    pub error_status: i32,
    /// error-index (max-repetitions for GetBulk).
    pub error_index: i32,
    /// The variable bindings.
    pub varbinds: VarBindList<'a>,
}

impl PduRef<'_> {
    /// The typed error-status.
    pub fn status(&self) -> ErrorStatus {
        ErrorStatus::from_i32(self.error_status)
    }

    /// An owned copy.
    pub fn to_owned(&self) -> Pdu {
        Pdu {
            pdu_type: self.pdu_type,
            request_id: self.request_id,
            error_status: self.error_status,
            error_index: self.error_index,
            varbinds: self.varbinds.to_vec(),
        }
    }
}

/// A borrowed SNMPv1 Trap-PDU.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrapV1PduRef<'a> {
    /// enterprise.
    pub enterprise: OidRef<'a>,
    /// agent-addr.
    pub agent_addr: [u8; 4],
    /// generic-trap.
    pub generic_trap: i32,
    /// specific-trap.
    pub specific_trap: i32,
    /// time-stamp.
    pub time_stamp: u32,
    /// The variable bindings.
    pub varbinds: VarBindList<'a>,
}

impl TrapV1PduRef<'_> {
    /// An owned copy.
    pub fn to_owned(&self) -> TrapV1Pdu {
        TrapV1Pdu {
            enterprise: self.enterprise.to_oid(),
            agent_addr: Ipv4Addr::from(self.agent_addr),
            generic_trap: self.generic_trap,
            specific_trap: self.specific_trap,
            time_stamp: self.time_stamp,
            varbinds: self.varbinds.to_vec(),
        }
    }
}

/// Any PDU, borrowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnyPduRef<'a> {
    /// Every PDU type but the v1 trap.
    Pdu(PduRef<'a>),
    /// The SNMPv1 Trap-PDU.
    TrapV1(TrapV1PduRef<'a>),
}

/// Any PDU, owned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnyPdu {
    /// Every PDU type but the v1 trap.
    Pdu(Pdu),
    /// The SNMPv1 Trap-PDU.
    TrapV1(TrapV1Pdu),
}

impl AnyPdu {
    /// Size of the encoded PDU.
    pub fn encoded_len(&self) -> usize {
        match self {
            AnyPdu::Pdu(p) => p.encoded_len(),
            AnyPdu::TrapV1(t) => t.encoded_len(),
        }
    }

    /// Appends the encoded PDU.
    pub fn encode(&self, out: &mut Vec<u8>) {
        match self {
            AnyPdu::Pdu(p) => p.encode(out),
            AnyPdu::TrapV1(t) => t.encode(out),
        }
    }

    /// At least [`encoded_len`](Self::encoded_len), cheaply.
    #[inline]
    pub(crate) fn encoded_bound(&self) -> usize {
        match self {
            AnyPdu::Pdu(p) => 6 + 3 * 6 + varbinds_bound(&p.varbinds),
            AnyPdu::TrapV1(t) => {
                6 + 6 + t.enterprise.ber_content_len() + 6 + 2 * 6 + 7 + varbinds_bound(&t.varbinds)
            }
        }
    }

    /// Writes the PDU backwards.
    #[inline(always)]
    pub(crate) fn write_back(&self, w: &mut BackWriter<'_>) {
        match self {
            AnyPdu::Pdu(p) => p.write_back(w),
            AnyPdu::TrapV1(t) => t.write_back(w),
        }
    }
}

impl AnyPduRef<'_> {
    /// The PDU type.
    pub fn pdu_type(&self) -> PduType {
        match self {
            AnyPduRef::Pdu(p) => p.pdu_type,
            AnyPduRef::TrapV1(_) => PduType::TrapV1,
        }
    }

    /// An owned copy.
    pub fn to_owned(&self) -> AnyPdu {
        match self {
            AnyPduRef::Pdu(p) => AnyPdu::Pdu(p.to_owned()),
            AnyPduRef::TrapV1(t) => AnyPdu::TrapV1(t.to_owned()),
        }
    }
}

/// Decodes one PDU TLV (tag already known to be a PDU tag).
pub(crate) fn decode_pdu<'a>(r: &mut Reader<'a>) -> Result<AnyPduRef<'a>, DecodeError> {
    let tlv = r.read_tlv()?;
    let pdu_type = PduType::from_tag(tlv.tag)
        .ok_or_else(|| DecodeError::new(DecodeErrorKind::UnknownPduTag(tlv.tag), tlv.offset))?;
    let mut body = Reader::with_base(tlv.content, tlv.content_offset);
    let pdu = if pdu_type == PduType::TrapV1 {
        let ent = body.read_expected(tag::OBJECT_IDENTIFIER)?;
        let enterprise = OidRef::from_ber(ent.content, ent.offset)?;
        let addr = body.read_expected(tag::IP_ADDRESS)?;
        let agent_addr: [u8; 4] = addr.content.try_into().map_err(|_| {
            DecodeError::new(
                DecodeErrorKind::BadIpAddressLength(addr.content.len()),
                addr.offset,
            )
        })?;
        let generic_trap = body.read_i32()?;
        let specific_trap = body.read_i32()?;
        let ts = body.read_expected(tag::TIMETICKS)?;
        let time_stamp = crate::ber::decode_unsigned(ts.content, 4)
            .map_err(|k| DecodeError::new(k, ts.offset))? as u32;
        let vbl = body.read_expected(tag::SEQUENCE)?;
        let varbinds = VarBindList::decode(vbl.content, vbl.content_offset)?;
        AnyPduRef::TrapV1(TrapV1PduRef {
            enterprise,
            agent_addr,
            generic_trap,
            specific_trap,
            time_stamp,
            varbinds,
        })
    } else {
        let request_id = body.read_i32()?;
        let error_status = body.read_i32()?;
        let error_index = body.read_i32()?;
        let vbl = body.read_expected(tag::SEQUENCE)?;
        let varbinds = VarBindList::decode(vbl.content, vbl.content_offset)?;
        AnyPduRef::Pdu(PduRef {
            pdu_type,
            request_id,
            error_status,
            error_index,
            varbinds,
        })
    };
    body.finish()?;
    Ok(pdu)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::{Message, Version};

    fn sample_list() -> Vec<u8> {
        let vbs = vec![
            VarBind::new(
                "1.3.6.1.2.1.1.1.0".parse().unwrap(),
                Value::from("x".repeat(130).as_str()),
            ),
            VarBind::new(
                "1.3.6.1.2.1.1.3.0".parse().unwrap(),
                Value::TimeTicks(u32::MAX),
            ),
            VarBind::new(
                "1.3.6.1.2.1.2.2.1.10.10103".parse().unwrap(),
                Value::Counter32(0x8000_0000),
            ),
            VarBind::new(
                "1.3.6.1.2.1.31.1.1.1.6.3".parse().unwrap(),
                Value::Counter64(u64::MAX),
            ),
            VarBind::new(
                "1.3.6.1.4.1.2021.4294967295".parse().unwrap(),
                Value::Integer(-70000),
            ),
            VarBind::new(
                "1.3.6.1.2.1.1.2.0".parse().unwrap(),
                Value::ObjectIdentifier("1.3.6.1.4.1.8072.3.2.10".parse().unwrap()),
            ),
            VarBind::new(
                "1.3.6.1.2.1.4.20.1.1.10.0.0.1".parse().unwrap(),
                Value::IpAddress([10, 0, 0, 1].into()),
            ),
            VarBind::new(
                "1.3.6.1.2.1.1.9.1.2.1".parse().unwrap(),
                Value::NoSuchInstance,
            ),
            VarBind::null("1.3".parse().unwrap()),
        ];
        let pdu = Pdu {
            pdu_type: PduType::Response,
            request_id: 1,
            error_status: 0,
            error_index: 0,
            varbinds: vbs,
        };
        let msg = Message::new(Version::V2c, "public", pdu);
        let bytes = msg.to_bytes();
        // The varbind list content: skip to the SEQUENCE after the three integers.
        let m = crate::MessageRef::decode(&bytes).unwrap();
        let list = m.pdu().unwrap().varbinds;
        list.content.to_vec()
    }

    #[test]
    fn quick_and_exact_validation_agree() {
        let base = sample_list();
        let mut seed = 0x2545_f491_4f6c_dd1du64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        for round in 0..100_000 {
            let mut bytes = base.clone();
            for _ in 0..1 + next() % 3 {
                let i = (next() as usize) % bytes.len();
                match next() % 4 {
                    0 => bytes[i] = next() as u8,
                    1 => bytes[i] ^= 0x80,
                    2 => bytes[i] = bytes[i].wrapping_add(1),
                    _ => {
                        bytes.truncate(i);
                    }
                }
                if bytes.is_empty() {
                    break;
                }
            }
            let exact = VarBindList::decode_exact(&bytes, 100);
            let quick = VarBindList::decode(&bytes, 100);
            if plain_count(&bytes).is_some() {
                assert!(exact.is_ok(), "round {round}: {bytes:02x?}");
            }
            assert_eq!(quick, exact, "round {round}: {bytes:02x?}");
            if let Ok(list) = quick {
                // Iteration yields exactly what the exact reader yields.
                let mut r = Reader::with_base(&bytes, 100);
                let mut n = 0;
                for vb in list.iter() {
                    assert_eq!(vb, read_varbind(&mut r).unwrap());
                    n += 1;
                }
                assert_eq!(n, list.len());
                assert!(r.is_empty());
            }
        }
    }
}
