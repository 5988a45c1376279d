//! The MIB view one request sees: the agent's built-in groups laid over the
//! user's [`Mib`], merged into one lexicographic order.

use crate::oid::MAX_OID_LEN;
use crate::vacm::{self, Resume};

use super::builtin::Builtin;
use super::encode::valid_oid;
use super::mib::{Context, Found, GenErr, Lookup, Mib};
use super::stats::AgentStats;

/// Built-in subtrees (`system`, `snmp`, the SNMPv3 engine's objects) take
/// precedence: user objects inside them are never seen, so a walk cannot
/// return a name twice. `access` is the request's VACM view (RFC 3415):
/// names outside it do not exist for the request.
pub(crate) struct View<'a, M> {
    pub(crate) user: &'a M,
    pub(crate) builtin: &'a Builtin,
    pub(crate) stats: &'a AgentStats,
    pub(crate) access: &'a vacm::View,
}

impl<'a, M: Mib> View<'a, M> {
    /// RFC 3416 §4.2.1: a name not accessible by this request (not in its
    /// view, RFC 3413 §3.2) is noSuchObject.
    pub(crate) fn get(&self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'a>, GenErr> {
        if !self.access.contains(oid) {
            Ok(Lookup::NoSuchObject)
        } else if self.builtin.subtree_of(oid).is_some() {
            Ok(self.builtin.get(self.stats, ctx, oid))
        } else {
            self.user.get(ctx, oid)
        }
    }

    /// The first instance after `after` in the merged order that is in the
    /// request's view.
    pub(crate) fn next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'a>>, GenErr> {
        let found = self.merged_next(ctx, after)?;
        match found {
            Some(f) if !self.access.contains(&f.oid) => self.next_in_view(ctx, f),
            other => Ok(other),
        }
    }

    /// Continues past names outside the view, skipping whole excluded or
    /// uncovered regions where [`vacm::View`] says that is safe.
    #[cold]
    fn next_in_view(
        &self,
        ctx: &Context,
        mut found: Found<'a>,
    ) -> Result<Option<Found<'a>>, GenErr> {
        let mut cursor: Vec<u32> = Vec::new();
        loop {
            match self.access.resume_after(&found.oid) {
                Resume::End => return Ok(None),
                Resume::After(c) => cursor = c,
                Resume::Scan => {
                    cursor.clear();
                    cursor.extend_from_slice(&found.oid);
                }
            }
            found = match self.merged_next(ctx, &cursor)? {
                None => return Ok(None),
                Some(f) if self.access.contains(&f.oid) => return Ok(Some(f)),
                Some(f) => f,
            };
        }
    }

    fn merged_next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'a>>, GenErr> {
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
