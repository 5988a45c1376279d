//! The objects the agent itself maintains (RFC 3418): the `system` group
//! with its sysORTable, and the `snmp` group counters plus
//! snmpEnableAuthenTraps.

use std::borrow::Cow;

use crate::oid::Oid;
use crate::value::{Value, ValueRef};

use super::builtin_v3::EngineObjects;
use super::config::SystemInfo;
use super::mib::{CommitFailed, Context, Found, Lookup, SetError};
use super::stats::AgentStats;
use super::syntax::Syntax;

/// SNMPv2-MIB::system.
pub(crate) const SYSTEM: &[u32] = &[1, 3, 6, 1, 2, 1, 1];
/// SNMPv2-MIB::snmp.
pub(crate) const SNMP: &[u32] = &[1, 3, 6, 1, 2, 1, 11];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Scalar {
    Descr,
    ObjectId,
    UpTime,
    Contact,
    Name,
    Location,
    Services,
    OrLastChange,
    /// `snmp.n`: a counter, or snmpEnableAuthenTraps for 30.
    Snmp(u32),
}

const SYSTEM_SCALARS: [(&[u32], Scalar); 8] = [
    (&[1, 3, 6, 1, 2, 1, 1, 1, 0], Scalar::Descr),
    (&[1, 3, 6, 1, 2, 1, 1, 2, 0], Scalar::ObjectId),
    (&[1, 3, 6, 1, 2, 1, 1, 3, 0], Scalar::UpTime),
    (&[1, 3, 6, 1, 2, 1, 1, 4, 0], Scalar::Contact),
    (&[1, 3, 6, 1, 2, 1, 1, 5, 0], Scalar::Name),
    (&[1, 3, 6, 1, 2, 1, 1, 6, 0], Scalar::Location),
    (&[1, 3, 6, 1, 2, 1, 1, 7, 0], Scalar::Services),
    (&[1, 3, 6, 1, 2, 1, 1, 8, 0], Scalar::OrLastChange),
];

macro_rules! snmp_scalars {
    ($($n:literal),*) => {
        [$((&[1u32, 3, 6, 1, 2, 1, 11, $n, 0] as &[u32], Scalar::Snmp($n))),*]
    };
}

/// snmp.1–6, 8–22, 24–32 (7 and 23 are unused, RFC 3418 §2).
const SNMP_SCALARS: [(&[u32], Scalar); 30] = snmp_scalars!(
    1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 24, 25, 26, 27, 28,
    29, 30, 31, 32
);

/// sysOREntry columns: sysORID (2), sysORDescr (3), sysORUpTime (4);
/// sysORIndex (1) is not-accessible.
const OR_COLUMNS: [u32; 3] = [2, 3, 4];
const OR_ENTRY: [u32; 9] = [1, 3, 6, 1, 2, 1, 1, 9, 1];

#[derive(Debug, Clone)]
pub(crate) struct OrEntry {
    index: u32,
    id: Value,
    descr: Value,
    up_time: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct SystemState {
    descr: Value,
    object_id: Value,
    contact: Value,
    name: Value,
    location: Value,
    services: Value,
    writable: bool,
    or_entries: Vec<OrEntry>,
    or_last_change: u32,
}

/// The state behind the built-in objects, owned by the agent.
#[derive(Debug, Clone)]
pub(crate) struct Builtin {
    system: Option<SystemState>,
    /// Whether the `snmp` group is served (else it is the user MIB's).
    snmp_group: bool,
    enable_authen_traps: Value,
    /// The SNMPv3 engine's objects, once the agent has an engine ID.
    engine: Option<EngineObjects>,
}

/// Which built-in object a SET addresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    Contact,
    Name,
    Location,
    EnableAuthenTraps,
}

/// Undo record for a built-in assignment.
#[derive(Debug)]
pub(crate) struct BuiltinUndo {
    target: Target,
    previous: Value,
}

impl Builtin {
    pub(crate) fn new(
        system: Option<&SystemInfo>,
        snmp_group: bool,
        enable_authen_traps: bool,
    ) -> Self {
        let system = system.map(|s| SystemState {
            descr: Value::from(s.descr.as_str()),
            object_id: Value::ObjectIdentifier(s.object_id.clone()),
            contact: Value::from(s.contact.as_str()),
            name: Value::from(s.name.as_str()),
            location: Value::from(s.location.as_str()),
            services: Value::Integer(s.services),
            writable: s.writable,
            or_entries: s
                .or_entries
                .iter()
                .zip(1u32..)
                .map(|((id, descr), index)| OrEntry {
                    index,
                    id: Value::ObjectIdentifier(id.clone()),
                    descr: Value::from(descr.as_str()),
                    up_time: 0,
                })
                .collect(),
            or_last_change: 0,
        });
        Self {
            system,
            snmp_group,
            enable_authen_traps: Value::Integer(if enable_authen_traps { 1 } else { 2 }),
            engine: None,
        }
    }

    /// Serves the SNMPv3 engine's objects.
    pub(crate) fn set_engine(&mut self, engine: EngineObjects) {
        self.engine = Some(engine);
    }

    /// The built-in subtree `oid` falls in, if any.
    pub(crate) fn subtree_of(&self, oid: &[u32]) -> Option<&'static [u32]> {
        if self.snmp_group && oid.starts_with(SNMP) {
            Some(SNMP)
        } else if self.system.is_some() && oid.starts_with(SYSTEM) {
            Some(SYSTEM)
        } else if self.engine.is_some() {
            EngineObjects::subtree_of(oid)
        } else {
            None
        }
    }

    pub(crate) fn enable_authen_traps(&self) -> bool {
        self.enable_authen_traps == Value::Integer(1)
    }

    /// Adds a sysORTable row; returns its sysORIndex (`None` without a
    /// system group or once 2^31−1 indexes are used).
    pub(crate) fn add_or_entry(&mut self, id: Oid, descr: &str, now_ticks: u32) -> Option<u32> {
        let sys = self.system.as_mut()?;
        let index = sys
            .or_entries
            .last()
            .map_or(Some(1), |e| e.index.checked_add(1))?;
        if index > i32::MAX as u32 {
            return None;
        }
        sys.or_entries.push(OrEntry {
            index,
            id: Value::ObjectIdentifier(id),
            descr: Value::from(descr),
            up_time: now_ticks,
        });
        sys.or_last_change = now_ticks;
        Some(index)
    }

    /// Removes a sysORTable row.
    pub(crate) fn remove_or_entry(&mut self, index: u32, now_ticks: u32) -> bool {
        let Some(sys) = self.system.as_mut() else {
            return false;
        };
        let before = sys.or_entries.len();
        sys.or_entries.retain(|e| e.index != index);
        let removed = sys.or_entries.len() != before;
        if removed {
            sys.or_last_change = now_ticks;
        }
        removed
    }

    fn scalar_value<'a>(
        &'a self,
        sys: Option<&'a SystemState>,
        stats: &AgentStats,
        ctx: &Context,
        s: Scalar,
    ) -> Option<Cow<'a, Value>> {
        let borrowed = |f: fn(&SystemState) -> &Value| sys.map(|sys| Cow::Borrowed(f(sys)));
        match s {
            Scalar::Descr => borrowed(|s| &s.descr),
            Scalar::ObjectId => borrowed(|s| &s.object_id),
            Scalar::UpTime => Some(Cow::Owned(Value::TimeTicks(ctx.sys_up_time))),
            Scalar::Contact => borrowed(|s| &s.contact),
            Scalar::Name => borrowed(|s| &s.name),
            Scalar::Location => borrowed(|s| &s.location),
            Scalar::Services => borrowed(|s| &s.services),
            Scalar::OrLastChange => sys.map(|s| Cow::Owned(Value::TimeTicks(s.or_last_change))),
            Scalar::Snmp(30) => Some(Cow::Borrowed(&self.enable_authen_traps)),
            // Counter32 wraps at 2^32 (RFC 2578 §7.1.6): truncation intended.
            Scalar::Snmp(n) => stats
                .counter(n)
                .map(|c| Cow::Owned(Value::Counter32(c as u32))),
        }
    }

    fn scalars(&self) -> impl Iterator<Item = &'static (&'static [u32], Scalar)> {
        let sys: &'static [(&'static [u32], Scalar)] = if self.system.is_some() {
            &SYSTEM_SCALARS
        } else {
            &[]
        };
        let snmp: &'static [(&'static [u32], Scalar)] =
            if self.snmp_group { &SNMP_SCALARS } else { &[] };
        sys.iter().chain(snmp.iter())
    }

    /// Exact lookup of a name inside a built-in subtree.
    pub(crate) fn get<'a>(&'a self, stats: &AgentStats, ctx: &Context, oid: &[u32]) -> Lookup<'a> {
        if let Some(engine) = &self.engine {
            if EngineObjects::subtree_of(oid).is_some() {
                return engine.get(stats, ctx, oid);
            }
        }
        let sys = self.system.as_ref();
        if let Some((_, s)) = self.scalars().find(|(name, _)| *name == oid) {
            if let Some(v) = self.scalar_value(sys, stats, ctx, *s) {
                return Lookup::Value(v);
            }
        }
        if let Some(sys) = sys {
            if let [a, b, c, d, e, f, g, h, i, col, index] = *oid {
                if [a, b, c, d, e, f, g, h, i] == OR_ENTRY && OR_COLUMNS.contains(&col) {
                    return match sys.or_entries.iter().find(|e| e.index == index) {
                        Some(e) => Lookup::Value(or_value(e, col)),
                        None => Lookup::NoSuchInstance,
                    };
                }
            }
        }
        // RFC 3416 §4.2.1 (2)/(3): a known object type with another instance
        // is noSuchInstance; anything else noSuchObject.
        let known_object = self
            .scalars()
            .any(|(name, _)| oid.starts_with(object_of(name)))
            || (sys.is_some()
                && oid.starts_with(&OR_ENTRY)
                && oid
                    .get(OR_ENTRY.len())
                    .is_some_and(|c| OR_COLUMNS.contains(c)));
        if known_object {
            Lookup::NoSuchInstance
        } else {
            Lookup::NoSuchObject
        }
    }

    /// The first built-in instance strictly after `after`.
    pub(crate) fn next<'a>(
        &'a self,
        stats: &AgentStats,
        ctx: &Context,
        after: &[u32],
    ) -> Option<Found<'a>> {
        let sys = self.system.as_ref();
        if let Some(sys) = sys {
            let i = SYSTEM_SCALARS.partition_point(|(name, _)| *name <= after);
            if let Some((name, s)) = SYSTEM_SCALARS.get(i) {
                let value = self.scalar_value(Some(sys), stats, ctx, *s)?;
                return Some(Found {
                    oid: Cow::Borrowed(name),
                    value,
                });
            }
            for col in OR_COLUMNS {
                for e in &sys.or_entries {
                    let name = [1, 3, 6, 1, 2, 1, 1, 9, 1, col, e.index];
                    if name.as_slice() > after {
                        return Some(Found {
                            oid: Cow::Owned(name.to_vec()),
                            value: or_value(e, col),
                        });
                    }
                }
            }
        }
        let i = SNMP_SCALARS.partition_point(|(name, _)| *name <= after);
        if let Some((name, s)) = SNMP_SCALARS.get(i).filter(|_| self.snmp_group) {
            let value = self.scalar_value(sys, stats, ctx, *s)?;
            return Some(Found {
                oid: Cow::Borrowed(name),
                value,
            });
        }
        self.engine.as_ref()?.next(stats, ctx, after)
    }

    /// Which writable object a SET names, or the RFC 3416 §4.2.5 error.
    fn target(&self, oid: &[u32]) -> Result<Target, SetError> {
        let sys_writable = self.system.as_ref().is_some_and(|s| s.writable);
        let candidates = [
            (&SYSTEM_SCALARS[3].0, Target::Contact, sys_writable),
            (&SYSTEM_SCALARS[4].0, Target::Name, sys_writable),
            (&SYSTEM_SCALARS[5].0, Target::Location, sys_writable),
            (&SNMP_SCALARS[27].0, Target::EnableAuthenTraps, true),
        ];
        let served = |target: Target| target != Target::EnableAuthenTraps || self.snmp_group;
        for (name, target, writable) in candidates.into_iter().filter(|c| served(c.1)) {
            if !oid.starts_with(object_of(name)) {
                continue;
            }
            return if !writable {
                Err(SetError::NotWritable) // §4.2.5 (2)
            } else if oid == *name {
                Ok(target)
            } else {
                Err(SetError::NoCreation) // §4.2.5 (7): a scalar has only instance .0
            };
        }
        Err(SetError::NotWritable)
    }

    fn slot_mut(&mut self, target: Target) -> Option<&mut Value> {
        match target {
            Target::EnableAuthenTraps => Some(&mut self.enable_authen_traps),
            Target::Contact => self.system.as_mut().map(|s| &mut s.contact),
            Target::Name => self.system.as_mut().map(|s| &mut s.name),
            Target::Location => self.system.as_mut().map(|s| &mut s.location),
        }
    }

    pub(crate) fn test_set(&self, oid: &[u32], value: &ValueRef<'_>) -> Result<(), SetError> {
        match self.target(oid)? {
            // DisplayString (SIZE (0..255)), RFC 3418 §2.
            Target::Contact | Target::Name | Target::Location => {
                Syntax::display_string().check(value)
            }
            // INTEGER { enabled(1), disabled(2) }.
            Target::EnableAuthenTraps => Syntax::enumeration(&[1, 2]).check(value),
        }
    }

    pub(crate) fn commit_set(
        &mut self,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<BuiltinUndo, CommitFailed> {
        let target = self.target(oid).map_err(|_| CommitFailed)?;
        let slot = self.slot_mut(target).ok_or(CommitFailed)?;
        let previous = std::mem::replace(slot, value.to_value());
        Ok(BuiltinUndo { target, previous })
    }

    pub(crate) fn undo_set(&mut self, undo: BuiltinUndo) -> bool {
        match self.slot_mut(undo.target) {
            Some(slot) => {
                *slot = undo.previous;
                true
            }
            None => false,
        }
    }
}

/// The object type of a scalar instance name (the name without its `.0`).
fn object_of(instance: &'static [u32]) -> &'static [u32] {
    instance.split_last().map_or(instance, |(_, object)| object)
}

fn or_value(e: &OrEntry, col: u32) -> Cow<'_, Value> {
    match col {
        2 => Cow::Borrowed(&e.id),
        3 => Cow::Borrowed(&e.descr),
        _ => Cow::Owned(Value::TimeTicks(e.up_time)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn builtin() -> Builtin {
        let info = SystemInfo::new("test box")
            .or_entry("1.3.6.1.6.3.1".parse().unwrap(), "SNMPv2-MIB")
            .writable(true);
        Builtin::new(Some(&info), true, false)
    }

    #[test]
    fn walk_order_is_strictly_increasing_and_complete() {
        let b = builtin();
        let stats = AgentStats::default();
        let ctx = Context::new(Instant::now()).with_sys_up_time(77);
        let mut cursor = vec![1, 3];
        let mut names = Vec::new();
        while let Some(f) = b.next(&stats, &ctx, &cursor) {
            assert!(f.oid.as_ref() > cursor.as_slice());
            cursor = f.oid.to_vec();
            names.push(cursor.clone());
            // Every name found by next is found by get, with the same value.
            assert_eq!(b.get(&stats, &ctx, &cursor), Lookup::Value(f.value.clone()));
        }
        // 8 system scalars, 3 sysOR columns x 1 row, 30 snmp scalars.
        assert_eq!(names.len(), 8 + 3 + 30);
        assert_eq!(names[2], [1, 3, 6, 1, 2, 1, 1, 3, 0]);
        assert_eq!(names[8], [1, 3, 6, 1, 2, 1, 1, 9, 1, 2, 1]);
        assert_eq!(names.last().unwrap(), &[1, 3, 6, 1, 2, 1, 11, 32, 0]);
        assert_eq!(
            b.get(&stats, &ctx, &[1, 3, 6, 1, 2, 1, 1, 3, 0]),
            Lookup::Value(Cow::Owned(Value::TimeTicks(77)))
        );
    }

    #[test]
    fn missing_objects_and_instances() {
        let b = builtin();
        let stats = AgentStats::default();
        let ctx = Context::new(Instant::now());
        let get = |oid: &[u32]| b.get(&stats, &ctx, oid);
        assert_eq!(get(&[1, 3, 6, 1, 2, 1, 1, 1, 1]), Lookup::NoSuchInstance);
        assert_eq!(get(&[1, 3, 6, 1, 2, 1, 1, 1]), Lookup::NoSuchInstance);
        assert_eq!(get(&[1, 3, 6, 1, 2, 1, 1, 99, 0]), Lookup::NoSuchObject);
        assert_eq!(get(&[1, 3, 6, 1, 2, 1, 11, 7, 0]), Lookup::NoSuchObject);
        assert_eq!(
            get(&[1, 3, 6, 1, 2, 1, 1, 9, 1, 2, 9]),
            Lookup::NoSuchInstance
        );
        assert_eq!(
            get(&[1, 3, 6, 1, 2, 1, 1, 9, 1, 1, 1]),
            Lookup::NoSuchObject
        );
        let none = Builtin::new(None, true, false);
        assert_eq!(none.subtree_of(&[1, 3, 6, 1, 2, 1, 1, 1, 0]), None);
        assert_eq!(none.subtree_of(&[1, 3, 6, 1, 2, 1, 11, 1, 0]), Some(SNMP));
        assert!(none
            .next(&stats, &ctx, &[1, 3])
            .unwrap()
            .oid
            .starts_with(SNMP));
    }

    #[test]
    fn without_the_snmp_group() {
        let b = Builtin::new(None, false, true);
        let stats = AgentStats::default();
        let ctx = Context::new(Instant::now());
        assert_eq!(b.subtree_of(&[1, 3, 6, 1, 2, 1, 11, 1, 0]), None);
        assert_eq!(b.next(&stats, &ctx, &[1, 3]).map(|f| f.oid.to_vec()), None);
        // The initial value still decides authenticationFailure traps.
        assert!(b.enable_authen_traps());
        assert_eq!(
            b.test_set(&[1, 3, 6, 1, 2, 1, 11, 30, 0], &ValueRef::Integer(2)),
            Err(SetError::NotWritable)
        );
        // With a system group, a walk ends after it.
        let sys = Builtin::new(Some(&SystemInfo::new("x")), false, false);
        let mut cursor = vec![1, 3];
        let mut last = Vec::new();
        while let Some(f) = sys.next(&stats, &ctx, &cursor) {
            cursor = f.oid.to_vec();
            last.clone_from(&cursor);
        }
        assert!(last.starts_with(SYSTEM), "{last:?}");
    }

    #[test]
    fn writes() {
        let mut b = builtin();
        let name = [1, 3, 6, 1, 2, 1, 1, 5, 0];
        assert_eq!(b.test_set(&name, &ValueRef::OctetString(b"new")), Ok(()));
        assert_eq!(
            b.test_set(&name, &ValueRef::Integer(1)),
            Err(SetError::WrongType)
        );
        assert_eq!(
            b.test_set(&name, &ValueRef::OctetString(&[b'a'; 256])),
            Err(SetError::WrongLength)
        );
        assert_eq!(
            b.test_set(&[1, 3, 6, 1, 2, 1, 1, 5, 1], &ValueRef::OctetString(b"x")),
            Err(SetError::NoCreation)
        );
        assert_eq!(
            b.test_set(&[1, 3, 6, 1, 2, 1, 1, 1, 0], &ValueRef::OctetString(b"x")),
            Err(SetError::NotWritable)
        );
        let traps = [1, 3, 6, 1, 2, 1, 11, 30, 0];
        assert_eq!(
            b.test_set(&traps, &ValueRef::Integer(3)),
            Err(SetError::WrongValue)
        );
        let u = b.commit_set(&traps, &ValueRef::Integer(1)).unwrap();
        assert!(b.enable_authen_traps());
        assert!(b.undo_set(u));
        assert!(!b.enable_authen_traps());

        let ro = Builtin::new(Some(&SystemInfo::new("x")), true, false);
        assert_eq!(
            ro.test_set(&name, &ValueRef::OctetString(b"n")),
            Err(SetError::NotWritable)
        );
    }

    #[test]
    fn or_table_changes() {
        let mut b = builtin();
        let stats = AgentStats::default();
        let ctx = Context::new(Instant::now());
        assert_eq!(
            b.add_or_entry("1.3.6.1.2.1.2".parse().unwrap(), "IF-MIB", 500),
            Some(2)
        );
        assert_eq!(
            b.get(&stats, &ctx, &[1, 3, 6, 1, 2, 1, 1, 8, 0]),
            Lookup::Value(Cow::Owned(Value::TimeTicks(500)))
        );
        assert_eq!(
            b.get(&stats, &ctx, &[1, 3, 6, 1, 2, 1, 1, 9, 1, 4, 2]),
            Lookup::Value(Cow::Owned(Value::TimeTicks(500)))
        );
        assert!(b.remove_or_entry(1, 900));
        assert!(!b.remove_or_entry(1, 950));
        assert_eq!(
            b.get(&stats, &ctx, &[1, 3, 6, 1, 2, 1, 1, 9, 1, 3, 1]),
            Lookup::NoSuchInstance
        );
        assert_eq!(
            b.get(&stats, &ctx, &[1, 3, 6, 1, 2, 1, 1, 8, 0]),
            Lookup::Value(Cow::Owned(Value::TimeTicks(900)))
        );
    }
}
