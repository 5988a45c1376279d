//! The [`Mib`] trait: how the agent reaches managed objects, and the small
//! types its methods take and return.

use std::borrow::Cow;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::time::Instant;

use crate::message::Version;
use crate::pdu::{ErrorStatus, PduType};
use crate::value::{Value, ValueRef};

/// What a [`Mib`] knows about the request it is serving.
///
/// Passed to every MIB call so that dynamic objects can depend on the time
/// (never read a clock inside the core: `now` is the driver's), the peer or
/// the SNMP version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Context {
    /// The time the datagram was handed to the agent.
    pub now: Instant,
    /// sysUpTime at `now`, in hundredths of a second (wraps at 2^32).
    pub sys_up_time: u32,
    /// Where the request came from.
    pub peer: SocketAddr,
    /// The message version of the request.
    pub version: Version,
    /// The request's PDU type.
    pub pdu_type: PduType,
    /// The request-id.
    pub request_id: i32,
    /// The SNMPv3 contextName (empty for the default context and for v1
    /// and v2c), so one MIB can serve several contexts.
    pub(crate) context: ContextName,
}

/// A contextName kept inline (at most 32 octets, RFC 3411's
/// SnmpAdminString), so a [`Context`] stays `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ContextName {
    len: u8,
    octets: [u8; 32],
}

impl ContextName {
    pub(crate) const EMPTY: Self = Self {
        len: 0,
        octets: [0; 32],
    };

    /// `None` for names longer than 32 octets.
    pub(crate) fn new(name: &[u8]) -> Option<Self> {
        let mut octets = [0; 32];
        octets.get_mut(..name.len())?.copy_from_slice(name);
        Some(Self {
            len: name.len() as u8,
            octets,
        })
    }

    fn as_bytes(&self) -> &[u8] {
        self.octets.get(..usize::from(self.len)).unwrap_or(&[])
    }
}

impl Context {
    /// A context for calling a [`Mib`] directly (in tests, or from
    /// application code): an SNMPv2c GetRequest from `0.0.0.0:0`.
    pub fn new(now: Instant) -> Self {
        Self {
            now,
            sys_up_time: 0,
            peer: SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)),
            version: Version::V2c,
            pdu_type: PduType::GetRequest,
            request_id: 0,
            context: ContextName::EMPTY,
        }
    }

    /// The SNMPv3 contextName of the request (empty for the default
    /// context and for SNMPv1 and SNMPv2c).
    pub fn context_name(&self) -> &[u8] {
        self.context.as_bytes()
    }

    /// The same context for another contextName (at most 32 octets; longer
    /// names are cut).
    pub fn with_context_name(mut self, name: &[u8]) -> Self {
        let cut = name.get(..32).unwrap_or(name);
        self.context = ContextName::new(cut).unwrap_or(ContextName::EMPTY);
        self
    }

    /// The same context for another message version.
    pub fn with_version(mut self, version: Version) -> Self {
        self.version = version;
        self
    }

    /// The same context for another PDU type.
    pub fn with_pdu_type(mut self, pdu_type: PduType) -> Self {
        self.pdu_type = pdu_type;
        self
    }

    /// The same context with another sysUpTime.
    pub fn with_sys_up_time(mut self, ticks: u32) -> Self {
        self.sys_up_time = ticks;
        self
    }
}

/// The result of an exact lookup ([`Mib::get`]).
///
/// RFC 3416 §4.2.1: a name under no known object type is `NoSuchObject`; a
/// name under a known object type whose instance does not exist is
/// `NoSuchInstance`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<'a> {
    /// The instance exists; this is its value. Borrow stored values, own
    /// computed ones.
    Value(Cow<'a, Value>),
    /// No object type is a prefix of the name.
    NoSuchObject,
    /// The object type exists, this instance does not.
    NoSuchInstance,
}

/// An instance found by [`Mib::next`]: its name and value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found<'a> {
    /// The instance's name as sub-identifiers (2 to 128 of them).
    pub oid: Cow<'a, [u32]>,
    /// Its value (never an exception and, in a response, never NULL).
    pub value: Cow<'a, Value>,
}

impl<'a> Found<'a> {
    /// A found instance borrowed from the MIB's storage (no allocation).
    pub fn borrowed(oid: &'a [u32], value: &'a Value) -> Self {
        Self {
            oid: Cow::Borrowed(oid),
            value: Cow::Borrowed(value),
        }
    }

    /// A found instance computed at request time.
    pub fn owned(oid: Vec<u32>, value: Value) -> Self {
        Self {
            oid: Cow::Owned(oid),
            value: Cow::Owned(value),
        }
    }
}

/// Why a varbind of a SetRequest fails its test (the first phase of
/// RFC 3416 §4.2.5, steps (1) to (12)).
///
/// The agent turns it into the Response-PDU's error-status, translated for
/// SNMPv1 requests as RFC 3584 §4.4 prescribes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum SetError {
    /// (1) The name is not in the MIB view of the request.
    #[error("noAccess")]
    NoAccess,
    /// (2)/(9) No object with this prefix can be written, or the instance
    /// exists but can never be modified.
    #[error("notWritable")]
    NotWritable,
    /// (3) The value's ASN.1 type is not the object's.
    #[error("wrongType")]
    WrongType,
    /// (4) The value's length is outside the object's SIZE.
    #[error("wrongLength")]
    WrongLength,
    /// (5) The value's encoding does not match its tag.
    #[error("wrongEncoding")]
    WrongEncoding,
    /// (6) The value can never be held by the object (range, enumeration).
    #[error("wrongValue")]
    WrongValue,
    /// (7) The instance does not exist and can never be created.
    #[error("noCreation")]
    NoCreation,
    /// (8) The instance does not exist and cannot be created now.
    #[error("inconsistentName")]
    InconsistentName,
    /// (10) The value could be held but not now (e.g. a TestAndIncr mismatch).
    #[error("inconsistentValue")]
    InconsistentValue,
    /// (11) A resource needed for the assignment is unavailable.
    #[error("resourceUnavailable")]
    ResourceUnavailable,
    /// (12) Any other failure.
    #[error("genErr")]
    GenErr,
}

impl SetError {
    /// The SNMPv2 error-status for this failure.
    pub fn status(self) -> ErrorStatus {
        match self {
            SetError::NoAccess => ErrorStatus::NoAccess,
            SetError::NotWritable => ErrorStatus::NotWritable,
            SetError::WrongType => ErrorStatus::WrongType,
            SetError::WrongLength => ErrorStatus::WrongLength,
            SetError::WrongEncoding => ErrorStatus::WrongEncoding,
            SetError::WrongValue => ErrorStatus::WrongValue,
            SetError::NoCreation => ErrorStatus::NoCreation,
            SetError::InconsistentName => ErrorStatus::InconsistentName,
            SetError::InconsistentValue => ErrorStatus::InconsistentValue,
            SetError::ResourceUnavailable => ErrorStatus::ResourceUnavailable,
            SetError::GenErr => ErrorStatus::GenErr,
        }
    }
}

/// A read failed for a reason other than the object or instance not
/// existing; the agent answers genErr (RFC 3416 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, thiserror::Error)]
#[error("genErr")]
pub struct GenErr;

/// An assignment failed after every test passed; the agent undoes the
/// assignments already made and answers commitFailed (RFC 3416 §4.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, thiserror::Error)]
#[error("commitFailed")]
pub struct CommitFailed;

/// An assignment could not be undone; the agent answers undoFailed
/// (RFC 3416 §4.2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, thiserror::Error)]
#[error("undoFailed")]
pub struct UndoFailed;

/// Managed objects as the agent sees them.
///
/// OIDs are passed as sub-identifier slices (`&[u32]`): the agent decodes a
/// request's names onto the stack and looks them up without allocating, and
/// a `BTreeMap<Box<[u32]>, _>` (or any sorted structure) answers
/// [`next`](Mib::next) in O(log n) with a range query. An [`Oid`](crate::Oid)
/// gives its slice with [`arcs`](crate::Oid::arcs).
///
/// Reads take `&self`; writes follow the two phases of RFC 3416 §4.2.5:
/// the agent calls [`test_set`](Mib::test_set) for every varbind first, and
/// only if all pass, [`commit_set`](Mib::commit_set) for each in order. If
/// a commit fails, the agent hands every [`Undo`](Mib::Undo) returned so far
/// back to [`undo_set`](Mib::undo_set), newest first, so a multi-varbind SET
/// is all-or-nothing. [`finish_set`](Mib::finish_set) runs once after a
/// fully successful commit.
///
/// Counter64 filtering for SNMPv1, exception mapping, size limits and the
/// `system`/`snmp` groups are the agent's business, not the MIB's.
///
/// A read-only MIB implements [`get`](Mib::get) and [`next`](Mib::next) and
/// keeps the default write methods, which refuse with notWritable:
///
/// ```
/// use std::borrow::Cow;
/// use oxsnmp_core::agent::{Context, Found, GenErr, Lookup, Mib};
/// use oxsnmp_core::Value;
///
/// /// One read-only object, 1.3.6.1.4.1.99999.1.0 = 42.
/// struct Answer(Value);
/// const NAME: &[u32] = &[1, 3, 6, 1, 4, 1, 99999, 1, 0];
///
/// impl Mib for Answer {
///     type Undo = ();
///     fn get(&self, _: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
///         Ok(if oid == NAME {
///             Lookup::Value(Cow::Borrowed(&self.0))
///         } else if oid.starts_with(&NAME[..8]) {
///             Lookup::NoSuchInstance
///         } else {
///             Lookup::NoSuchObject
///         })
///     }
///     fn next(&self, _: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
///         Ok((after < NAME).then(|| Found::borrowed(NAME, &self.0)))
///     }
/// }
///
/// let mib = Answer(Value::Integer(42));
/// let ctx = Context::new(std::time::Instant::now());
/// assert_eq!(mib.next(&ctx, &[1, 3]).unwrap().unwrap().oid, NAME);
/// assert_eq!(mib.get(&ctx, &[1, 3, 6, 1, 4, 1, 99999, 1, 1]).unwrap(), Lookup::NoSuchInstance);
/// ```
pub trait Mib {
    /// What [`commit_set`](Mib::commit_set) returns so that
    /// [`undo_set`](Mib::undo_set) can restore the previous state.
    type Undo;

    /// The value of exactly `oid`, or why there is none.
    fn get(&self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr>;

    /// The first instance whose name is strictly after `after` in
    /// lexicographic order, or `None` at the end of the MIB.
    ///
    /// The returned name must be greater than `after`; the agent answers
    /// genErr if it is not, rather than loop.
    fn next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr>;

    /// Phase one of a SET: whether `value` could be assigned to `oid`, with
    /// the error of RFC 3416 §4.2.5 (1)–(12) if not. Must not change state.
    fn test_set(&self, ctx: &Context, oid: &[u32], value: &ValueRef<'_>) -> Result<(), SetError> {
        let _ = (ctx, oid, value);
        Err(SetError::NotWritable)
    }

    /// Phase two of a SET: assigns `value` to `oid` (creating it if needed),
    /// returning what is needed to undo the assignment.
    fn commit_set(
        &mut self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<Self::Undo, CommitFailed> {
        let _ = (ctx, oid, value);
        Err(CommitFailed)
    }

    /// Reverts one successful [`commit_set`](Mib::commit_set).
    fn undo_set(&mut self, ctx: &Context, undo: Self::Undo) -> Result<(), UndoFailed> {
        let _ = (ctx, undo);
        Err(UndoFailed)
    }

    /// Called once after every varbind of a SET was committed.
    fn finish_set(&mut self, ctx: &Context) {
        let _ = ctx;
    }
}
