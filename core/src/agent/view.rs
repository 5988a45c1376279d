//! The MIB view one request sees: the agent's built-in groups laid over the
//! user's [`Mib`], merged into one lexicographic order.

use crate::oid::MAX_OID_LEN;

use super::builtin::Builtin;
use super::encode::valid_oid;
use super::mib::{Context, Found, GenErr, Lookup, Mib};
use super::stats::AgentStats;

/// Built-in subtrees (`system`, `snmp`) take precedence: user objects
/// inside them are never seen, so a walk cannot return a name twice.
pub(crate) struct View<'a, M> {
    pub(crate) user: &'a M,
    pub(crate) builtin: &'a Builtin,
    pub(crate) stats: &'a AgentStats,
}

impl<'a, M: Mib> View<'a, M> {
    pub(crate) fn get(&self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'a>, GenErr> {
        if self.builtin.subtree_of(oid).is_some() {
            Ok(self.builtin.get(self.stats, ctx, oid))
        } else {
            self.user.get(ctx, oid)
        }
    }

    /// The first instance after `after` in the merged order.
    pub(crate) fn next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'a>>, GenErr> {
        let user = self.user_next(ctx, after)?;
        let builtin = self.builtin.next(self.stats, ctx, after);
        Ok(match (builtin, user) {
            (Some(b), Some(u)) => Some(if b.oid <= u.oid { b } else { u }),
            (b, u) => b.or(u),
        })
    }

    /// The user MIB's next instance outside the built-in subtrees, checked
    /// to be increasing and encodable so a faulty MIB cannot make the agent
    /// loop or emit garbage.
    fn user_next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'a>>, GenErr> {
        let mut past = [u32::MAX; MAX_OID_LEN];
        let mut cursor: &[u32] = after;
        loop {
            let Some(found) = self.user.next(ctx, cursor)? else {
                return Ok(None);
            };
            if found.oid.as_ref() <= cursor || !valid_oid(&found.oid) || found.value.is_exception()
            {
                return Err(GenErr);
            }
            let Some(prefix) = self.builtin.subtree_of(&found.oid) else {
                return Ok(Some(found));
            };
            // Skip the shadowed subtree: no name of at most 128 arcs lies
            // after prefix.4294967295.4294967295... inside it.
            past.fill(u32::MAX);
            for (slot, &arc) in past.iter_mut().zip(prefix) {
                *slot = arc;
            }
            cursor = &past;
        }
    }
}
