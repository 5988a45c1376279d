//! Object syntax and access for [`MemoryMib`](super::MemoryMib): the SMI
//! base type of an object plus its range or size constraint, checked on SET
//! in the order RFC 3416 §4.2.5 gives (wrongType, then wrongLength, then
//! wrongValue).

use crate::value::{Value, ValueRef};

use super::mib::SetError;

/// MAX-ACCESS of an object (RFC 2578 §7.3), as far as an agent cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum MaxAccess {
    /// read-only: GET and GETNEXT only.
    #[default]
    ReadOnly,
    /// read-write: existing instances may be SET.
    ReadWrite,
    /// read-create: instances may be SET and created by SET (table columns).
    ReadCreate,
}

impl MaxAccess {
    /// Whether SET may change an existing instance.
    pub fn writable(self) -> bool {
        matches!(self, MaxAccess::ReadWrite | MaxAccess::ReadCreate)
    }
}

/// The SMI base type of an object (RFC 2578 §7.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Kind {
    /// INTEGER / Integer32 (and enumerations).
    Integer,
    /// OCTET STRING (and DisplayString and other string conventions).
    OctetString,
    /// OBJECT IDENTIFIER.
    ObjectIdentifier,
    /// IpAddress.
    IpAddress,
    /// Counter32.
    Counter32,
    /// Gauge32 / Unsigned32.
    Gauge32,
    /// TimeTicks.
    TimeTicks,
    /// Opaque.
    Opaque,
    /// Counter64.
    Counter64,
}

impl Kind {
    /// The kind of an owned value; `None` for NULL and the exceptions.
    pub fn of(value: &Value) -> Option<Kind> {
        Some(match value {
            Value::Integer(_) => Kind::Integer,
            Value::OctetString(_) => Kind::OctetString,
            Value::ObjectIdentifier(_) => Kind::ObjectIdentifier,
            Value::IpAddress(_) => Kind::IpAddress,
            Value::Counter32(_) => Kind::Counter32,
            Value::Gauge32(_) => Kind::Gauge32,
            Value::TimeTicks(_) => Kind::TimeTicks,
            Value::Opaque(_) => Kind::Opaque,
            Value::Counter64(_) => Kind::Counter64,
            _ => return None,
        })
    }

    /// The kind of a borrowed value; `None` for NULL and the exceptions.
    pub fn of_ref(value: &ValueRef<'_>) -> Option<Kind> {
        Some(match value {
            ValueRef::Integer(_) => Kind::Integer,
            ValueRef::OctetString(_) => Kind::OctetString,
            ValueRef::ObjectIdentifier(_) => Kind::ObjectIdentifier,
            ValueRef::IpAddress(_) => Kind::IpAddress,
            ValueRef::Counter32(_) => Kind::Counter32,
            ValueRef::Gauge32(_) => Kind::Gauge32,
            ValueRef::TimeTicks(_) => Kind::TimeTicks,
            ValueRef::Opaque(_) => Kind::Opaque,
            ValueRef::Counter64(_) => Kind::Counter64,
            _ => return None,
        })
    }

    fn sized(self) -> bool {
        matches!(self, Kind::OctetString | Kind::Opaque)
    }
}

/// The syntax of an object: a [`Kind`] and an optional constraint, a list
/// of inclusive ranges on the value (integer kinds) or on the length in
/// octets (OCTET STRING, Opaque). An empty list means unconstrained.
///
/// ```
/// use oxsnmp_core::agent::{SetError, Syntax};
/// use oxsnmp_core::ValueRef;
/// let admin_status = Syntax::enumeration(&[1, 2, 3]);
/// assert_eq!(admin_status.check(&ValueRef::Integer(2)), Ok(()));
/// assert_eq!(admin_status.check(&ValueRef::Integer(4)), Err(SetError::WrongValue));
/// assert_eq!(admin_status.check(&ValueRef::OctetString(b"up")), Err(SetError::WrongType));
/// let name = Syntax::display_string();
/// assert_eq!(name.check(&ValueRef::OctetString(&[b'x'; 256])), Err(SetError::WrongLength));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Syntax {
    kind: Kind,
    ranges: Box<[(i128, i128)]>,
}

impl Syntax {
    /// An unconstrained syntax of this kind.
    pub fn new(kind: Kind) -> Self {
        Self {
            kind,
            ranges: Box::new([]),
        }
    }

    /// The same syntax with one more allowed range (value, or size for
    /// strings); several calls build `(a..b | c..d)` constraints.
    pub fn range(mut self, min: i64, max: i64) -> Self {
        let mut v = self.ranges.into_vec();
        v.push((i128::from(min), i128::from(max)));
        self.ranges = v.into_boxed_slice();
        self
    }

    /// INTEGER / Integer32.
    pub fn integer() -> Self {
        Self::new(Kind::Integer)
    }

    /// INTEGER (min..max).
    pub fn integer_range(min: i32, max: i32) -> Self {
        Self::integer().range(i64::from(min), i64::from(max))
    }

    /// An enumerated INTEGER { ... } with these values.
    pub fn enumeration(values: &[i32]) -> Self {
        values
            .iter()
            .fold(Self::integer(), |s, &v| s.range(i64::from(v), i64::from(v)))
    }

    /// OCTET STRING.
    pub fn octet_string() -> Self {
        Self::new(Kind::OctetString)
    }

    /// OCTET STRING (SIZE (min..max)).
    pub fn octet_string_size(min: u32, max: u32) -> Self {
        Self::octet_string().range(i64::from(min), i64::from(max))
    }

    /// DisplayString: OCTET STRING (SIZE (0..255)) (RFC 2579).
    pub fn display_string() -> Self {
        Self::octet_string_size(0, 255)
    }

    /// OBJECT IDENTIFIER.
    pub fn object_identifier() -> Self {
        Self::new(Kind::ObjectIdentifier)
    }

    /// IpAddress.
    pub fn ip_address() -> Self {
        Self::new(Kind::IpAddress)
    }

    /// Counter32.
    pub fn counter32() -> Self {
        Self::new(Kind::Counter32)
    }

    /// Gauge32 / Unsigned32.
    pub fn gauge32() -> Self {
        Self::new(Kind::Gauge32)
    }

    /// TimeTicks.
    pub fn time_ticks() -> Self {
        Self::new(Kind::TimeTicks)
    }

    /// Counter64.
    pub fn counter64() -> Self {
        Self::new(Kind::Counter64)
    }

    /// Opaque.
    pub fn opaque() -> Self {
        Self::new(Kind::Opaque)
    }

    /// The base type.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// The unconstrained syntax of a value's type (`None` for NULL and the
    /// exceptions).
    pub fn of_value(value: &Value) -> Option<Self> {
        Kind::of(value).map(Self::new)
    }

    /// Checks a value from a SetRequest: wrongType, wrongLength or
    /// wrongValue (RFC 3416 §4.2.5 steps (3), (4) and (6), in that order).
    pub fn check(&self, value: &ValueRef<'_>) -> Result<(), SetError> {
        if Kind::of_ref(value) != Some(self.kind) {
            return Err(SetError::WrongType);
        }
        self.check_measure(measure_ref(value))
    }

    /// The same check for an owned value (used when registering objects).
    pub fn check_value(&self, value: &Value) -> Result<(), SetError> {
        if Kind::of(value) != Some(self.kind) {
            return Err(SetError::WrongType);
        }
        self.check_measure(measure(value))
    }

    fn check_measure(&self, m: Option<i128>) -> Result<(), SetError> {
        let Some(m) = m else { return Ok(()) };
        if self.ranges.is_empty() || self.ranges.iter().any(|&(lo, hi)| lo <= m && m <= hi) {
            return Ok(());
        }
        Err(if self.kind.sized() {
            SetError::WrongLength
        } else {
            SetError::WrongValue
        })
    }
}

/// The number a constraint applies to: the value of integer kinds, the
/// length of strings; `None` where SMI has no constraint.
fn measure_ref(value: &ValueRef<'_>) -> Option<i128> {
    Some(match *value {
        ValueRef::Integer(v) => i128::from(v),
        ValueRef::OctetString(s) | ValueRef::Opaque(s) => s.len() as i128,
        ValueRef::Counter32(v) | ValueRef::Gauge32(v) | ValueRef::TimeTicks(v) => i128::from(v),
        ValueRef::Counter64(v) => i128::from(v),
        _ => return None,
    })
}

fn measure(value: &Value) -> Option<i128> {
    Some(match value {
        Value::Integer(v) => i128::from(*v),
        Value::OctetString(s) | Value::Opaque(s) => s.len() as i128,
        Value::Counter32(v) | Value::Gauge32(v) | Value::TimeTicks(v) => i128::from(*v),
        Value::Counter64(v) => i128::from(*v),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_follow_rfc_order() {
        let s = Syntax::octet_string_size(1, 4).range(8, 8);
        assert_eq!(s.check(&ValueRef::Integer(1)), Err(SetError::WrongType));
        assert_eq!(
            s.check(&ValueRef::OctetString(b"")),
            Err(SetError::WrongLength)
        );
        assert_eq!(s.check(&ValueRef::OctetString(b"abcd")), Ok(()));
        assert_eq!(
            s.check(&ValueRef::OctetString(b"abcde")),
            Err(SetError::WrongLength)
        );
        assert_eq!(s.check(&ValueRef::OctetString(b"abcdefgh")), Ok(()));
        assert_eq!(s.check(&ValueRef::Null), Err(SetError::WrongType));
        assert_eq!(s.check(&ValueRef::NoSuchObject), Err(SetError::WrongType));

        let i = Syntax::integer_range(-5, 5);
        assert_eq!(i.check(&ValueRef::Integer(-5)), Ok(()));
        assert_eq!(i.check(&ValueRef::Integer(6)), Err(SetError::WrongValue));
        assert_eq!(i.check(&ValueRef::Gauge32(1)), Err(SetError::WrongType));

        let g = Syntax::gauge32().range(0, 100);
        assert_eq!(g.check(&ValueRef::Gauge32(100)), Ok(()));
        assert_eq!(
            g.check(&ValueRef::Gauge32(u32::MAX)),
            Err(SetError::WrongValue)
        );
        assert_eq!(
            Syntax::counter64().check(&ValueRef::Counter64(u64::MAX)),
            Ok(())
        );
        assert_eq!(
            Syntax::ip_address().check(&ValueRef::IpAddress([1, 2, 3, 4])),
            Ok(())
        );
    }

    #[test]
    fn owned_values_and_kinds() {
        assert_eq!(
            Syntax::of_value(&Value::from("x")),
            Some(Syntax::octet_string())
        );
        assert_eq!(Syntax::of_value(&Value::Null), None);
        assert_eq!(
            Syntax::display_string().check_value(&Value::from("ok")),
            Ok(())
        );
        assert_eq!(
            Syntax::enumeration(&[1, 2]).check_value(&Value::Integer(3)),
            Err(SetError::WrongValue)
        );
        assert!(MaxAccess::ReadCreate.writable() && !MaxAccess::ReadOnly.writable());
    }
}
