//! The SNMPv3 engine's own objects, served once the agent has an engine
//! ID: the snmpEngine group (SNMP-FRAMEWORK-MIB, RFC 3411), snmpMPDStats
//! (SNMP-MPD-MIB, RFC 3412), snmpUnavailableContexts and
//! snmpUnknownContexts (SNMP-TARGET-MIB, RFC 3413) and usmStats
//! (SNMP-USER-BASED-SM-MIB, RFC 3414).

use std::borrow::Cow;
use std::time::Instant;

use crate::value::Value;

use super::mib::{Context, Found, Lookup};
use super::stats::AgentStats;

/// The subtrees these objects live in, in order.
pub(crate) const V3_SUBTREES: [&[u32]; 5] = [
    &[1, 3, 6, 1, 6, 3, 10, 2, 1],
    &[1, 3, 6, 1, 6, 3, 11, 2, 1],
    &[1, 3, 6, 1, 6, 3, 12, 1, 4],
    &[1, 3, 6, 1, 6, 3, 12, 1, 5],
    &[1, 3, 6, 1, 6, 3, 15, 1, 1],
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Object {
    EngineId,
    EngineBoots,
    EngineTime,
    MaxMessageSize,
    /// A counter, read from [`AgentStats::v3_counter`] by name.
    Counter,
}

const OBJECTS: [(&[u32], Object); 15] = [
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 0], Object::EngineId),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 2, 0], Object::EngineBoots),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 3, 0], Object::EngineTime),
    (&[1, 3, 6, 1, 6, 3, 10, 2, 1, 4, 0], Object::MaxMessageSize),
    (&[1, 3, 6, 1, 6, 3, 11, 2, 1, 1, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 11, 2, 1, 2, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 11, 2, 1, 3, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 12, 1, 4, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 12, 1, 5, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 1, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 2, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 3, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 4, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 5, 0], Object::Counter),
    (&[1, 3, 6, 1, 6, 3, 15, 1, 1, 6, 0], Object::Counter),
];

/// The engine's identity and clock as its objects show them.
#[derive(Debug, Clone)]
pub(crate) struct EngineObjects {
    engine_id: Value,
    boots: Value,
    max_message_size: Value,
    start: Instant,
}

impl EngineObjects {
    pub(crate) fn new(
        engine_id: &[u8],
        boots: u32,
        max_message_size: usize,
        start: Instant,
    ) -> Self {
        Self {
            engine_id: Value::OctetString(engine_id.to_vec()),
            boots: Value::Integer(i32::try_from(boots).unwrap_or(i32::MAX)),
            max_message_size: Value::Integer(crate::v3::advertised_max_size(max_message_size)),
            start,
        }
    }

    pub(crate) fn subtree_of(oid: &[u32]) -> Option<&'static [u32]> {
        V3_SUBTREES.iter().copied().find(|s| oid.starts_with(s))
    }

    fn value<'a>(
        &'a self,
        stats: &AgentStats,
        ctx: &Context,
        name: &[u32],
        o: Object,
    ) -> Option<Cow<'a, Value>> {
        Some(match o {
            Object::EngineId => Cow::Borrowed(&self.engine_id),
            Object::EngineBoots => Cow::Borrowed(&self.boots),
            Object::EngineTime => {
                let secs = ctx.now.saturating_duration_since(self.start).as_secs();
                Cow::Owned(Value::Integer(i32::try_from(secs).unwrap_or(i32::MAX)))
            }
            Object::MaxMessageSize => Cow::Borrowed(&self.max_message_size),
            // Counter32 wraps at 2^32 (RFC 2578 §7.1.6): truncation intended.
            Object::Counter => Cow::Owned(Value::Counter32(stats.v3_counter(name)? as u32)),
        })
    }

    pub(crate) fn get<'a>(&'a self, stats: &AgentStats, ctx: &Context, oid: &[u32]) -> Lookup<'a> {
        if let Some((name, o)) = OBJECTS.iter().find(|(name, _)| *name == oid) {
            if let Some(v) = self.value(stats, ctx, name, *o) {
                return Lookup::Value(v);
            }
        }
        let known_object = OBJECTS.iter().any(|(name, _)| {
            name.split_last()
                .is_some_and(|(_, obj)| oid.starts_with(obj))
        });
        if known_object {
            Lookup::NoSuchInstance
        } else {
            Lookup::NoSuchObject
        }
    }

    pub(crate) fn next<'a>(
        &'a self,
        stats: &AgentStats,
        ctx: &Context,
        after: &[u32],
    ) -> Option<Found<'a>> {
        let i = OBJECTS.partition_point(|(name, _)| *name <= after);
        let (name, o) = OBJECTS.get(i)?;
        let value = self.value(stats, ctx, name, *o)?;
        Some(Found {
            oid: Cow::Borrowed(name),
            value,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn objects_in_order_with_live_values() {
        for w in OBJECTS.windows(2) {
            assert!(w[0].0 < w[1].0);
        }
        let start = Instant::now();
        let e = EngineObjects::new(&[0x80, 0, 0, 0, 1], 7, 65507, start);
        let stats = AgentStats {
            usm_wrong_digests: 3,
            ..AgentStats::default()
        };
        let ctx = Context::new(start + Duration::from_secs(42));
        let mut cursor = vec![1, 3, 6, 1, 6];
        let mut values = Vec::new();
        while let Some(f) = e.next(&stats, &ctx, &cursor) {
            assert_eq!(e.get(&stats, &ctx, &f.oid), Lookup::Value(f.value.clone()));
            cursor = f.oid.to_vec();
            values.push(f.value.into_owned());
        }
        assert_eq!(values.len(), 15);
        assert_eq!(values[1], Value::Integer(7));
        assert_eq!(values[2], Value::Integer(42));
        assert_eq!(values[13], Value::Counter32(3));
        assert_eq!(
            e.get(&stats, &ctx, &[1, 3, 6, 1, 6, 3, 10, 2, 1, 1, 1]),
            Lookup::NoSuchInstance
        );
        assert_eq!(
            e.get(&stats, &ctx, &[1, 3, 6, 1, 6, 3, 10, 2, 1, 9, 0]),
            Lookup::NoSuchObject
        );
        assert_eq!(
            EngineObjects::subtree_of(&[1, 3, 6, 1, 6, 3, 12, 1, 1, 0]),
            None
        );
    }
}
