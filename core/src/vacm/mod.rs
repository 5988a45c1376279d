//! The View-based Access Control Model (RFC 3415): which principal may
//! read, write or be notified of which objects, in which context.
//!
//! A request's securityModel and securityName map to a group
//! (vacmSecurityToGroupTable); the group, context, model and level select
//! one access entry (vacmAccessTable, with the preference rules of RFC 3415
//! §4); the entry names a read, write and notify [`View`]. SNMPv1 and
//! SNMPv2c communities take part as RFC 3584 §5.2 describes: a community
//! becomes a securityName for the v1 or v2c security model at noAuthNoPriv.
//!
//! The builder methods cover the usual cases:
//!
//! ```
//! use oxsnmp_core::vacm::{Vacm, SecurityModel, ViewType, VacmError};
//! use oxsnmp_core::v3::SecurityLevel;
//! use oxsnmp_core::agent::Access;
//!
//! let vacm = Vacm::new()
//!     .community("public", Access::ReadOnly, None)
//!     .user("ops", SecurityLevel::AuthPriv, Access::ReadWrite, Some("1.3.6.1.2.1.1".parse().unwrap()))
//!     .user("monitor", SecurityLevel::AuthNoPriv, Access::ReadOnly, None);
//! let sys_name = [1, 3, 6, 1, 2, 1, 1, 5, 0];
//! let if_descr = [1, 3, 6, 1, 2, 1, 2, 2, 1, 2, 1];
//! let ops = |level, view, oid: &[u32]| vacm.is_access_allowed(SecurityModel::Usm, b"ops", level, view, b"", oid);
//! assert_eq!(ops(SecurityLevel::AuthPriv, ViewType::Write, &sys_name), Ok(()));
//! assert_eq!(ops(SecurityLevel::AuthPriv, ViewType::Read, &if_descr), Err(VacmError::NotInView));
//! assert_eq!(ops(SecurityLevel::AuthNoPriv, ViewType::Read, &sys_name), Err(VacmError::NoAccessEntry));
//! let public = vacm.is_access_allowed(SecurityModel::V2c, b"public", SecurityLevel::NoAuthNoPriv, ViewType::Write, b"", &sys_name);
//! // Read-only: the write view exists but holds nothing (as Net-SNMP's rocommunity).
//! assert_eq!(public, Err(VacmError::NotInView));
//! ```

mod view;

use std::collections::HashMap;

pub(crate) use view::Resume;
pub use view::{View, ViewFamily};

use crate::agent::Access;
use crate::oid::Oid;
use crate::v3::SecurityLevel;

/// SnmpSecurityModel values (RFC 3411 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum SecurityModel {
    /// any(0): matches every model in an access entry.
    Any,
    /// SNMPv1 (1).
    V1,
    /// SNMPv2c (2).
    V2c,
    /// The User-based Security Model (3).
    Usm,
}

impl SecurityModel {
    /// The SnmpSecurityModel number.
    pub const fn as_i32(self) -> i32 {
        match self {
            SecurityModel::Any => 0,
            SecurityModel::V1 => 1,
            SecurityModel::V2c => 2,
            SecurityModel::Usm => 3,
        }
    }
}

/// Which view of an access entry a check uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewType {
    /// Get, GetNext, GetBulk.
    Read,
    /// Set.
    Write,
    /// Notifications.
    Notify,
}

/// How an access entry's context prefix is compared (vacmAccessContextMatch).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ContextMatch {
    /// exact(1): the contextName equals the prefix.
    Exact,
    /// prefix(2): the contextName starts with the prefix.
    Prefix,
}

/// The errorIndications of isAccessAllowed (RFC 3415 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum VacmError {
    /// The contextName is not in vacmContextTable.
    #[error("noSuchContext")]
    NoSuchContext,
    /// No group for the securityModel and securityName.
    #[error("noGroupName")]
    NoGroupName,
    /// No access entry for the group, context, model and level.
    #[error("noAccessEntry")]
    NoAccessEntry,
    /// The selected view is empty or not configured.
    #[error("noSuchView")]
    NoSuchView,
    /// The variable is not in the view.
    #[error("notInView")]
    NotInView,
}

/// One vacmAccessEntry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccessEntry {
    /// vacmGroupName.
    pub group: Vec<u8>,
    /// vacmAccessContextPrefix.
    pub context_prefix: Vec<u8>,
    /// vacmAccessContextMatch.
    pub context_match: ContextMatch,
    /// vacmAccessSecurityModel ([`SecurityModel::Any`] for any).
    pub model: SecurityModel,
    /// vacmAccessSecurityLevel: the least level the entry applies to.
    pub level: SecurityLevel,
    /// vacmAccessReadViewName (empty: no read access).
    pub read_view: Vec<u8>,
    /// vacmAccessWriteViewName (empty: no write access).
    pub write_view: Vec<u8>,
    /// vacmAccessNotifyViewName (empty: no notifications).
    pub notify_view: Vec<u8>,
}

impl AccessEntry {
    fn context_matches(&self, context: &[u8]) -> bool {
        match self.context_match {
            ContextMatch::Exact => self.context_prefix == context,
            ContextMatch::Prefix => context.starts_with(&self.context_prefix),
        }
    }

    fn view_name(&self, view: ViewType) -> &[u8] {
        match view {
            ViewType::Read => &self.read_view,
            ViewType::Write => &self.write_view,
            ViewType::Notify => &self.notify_view,
        }
    }
}

/// The views an access decision grants a request: resolved once per
/// request, then consulted per variable.
#[derive(Debug, Clone, Copy)]
pub struct Grant<'a> {
    /// The read view, if any.
    pub read: Option<&'a View>,
    /// The write view, if any.
    pub write: Option<&'a View>,
    /// The notify view, if any.
    pub notify: Option<&'a View>,
}

impl<'a> Grant<'a> {
    /// The view of `view_type`, or [`VacmError::NoSuchView`].
    pub fn view(&self, view_type: ViewType) -> Result<&'a View, VacmError> {
        match view_type {
            ViewType::Read => self.read,
            ViewType::Write => self.write,
            ViewType::Notify => self.notify,
        }
        .ok_or(VacmError::NoSuchView)
    }
}

/// The VACM configuration: contexts, groups, access entries and views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Vacm {
    contexts: Vec<Vec<u8>>,
    /// securityName -> (securityModel, groupName) pairs.
    groups: HashMap<Vec<u8>, Vec<(SecurityModel, Vec<u8>)>>,
    access: Vec<AccessEntry>,
    views: HashMap<Vec<u8>, View>,
}

impl Default for Vacm {
    fn default() -> Self {
        Self::new()
    }
}

/// View names the builder methods create.
const ALL_VIEW: &[u8] = b"_all_";
/// The write view of a read-only principal: configured, but holding no
/// name, as Net-SNMP's `rocommunity`/`rouser` do (their write view is
/// `none`). A SET is then refused per variable with notInView (RFC 3415
/// §3.2 step 5b), which RFC 3413 §3.2 turns into noAccess naming the
/// varbind, rather than noSuchView for the whole PDU (authorizationError
/// with error-index 0), which an empty write view name would give (step 4).
const NONE_VIEW: &[u8] = b"_none_";

impl Vacm {
    /// An empty configuration knowing only the default context `""`: no
    /// principal has any access until groups, access entries and views
    /// are added (or the builder methods are used).
    pub fn new() -> Self {
        Self {
            contexts: vec![Vec::new()],
            groups: HashMap::new(),
            access: Vec::new(),
            views: HashMap::new(),
        }
    }

    /// Adds a context name to vacmContextTable.
    pub fn add_context(&mut self, name: impl AsRef<[u8]>) {
        let name = name.as_ref().to_vec();
        if !self.contexts.contains(&name) {
            self.contexts.push(name);
        }
    }

    /// Whether a context name is known.
    pub fn has_context(&self, name: &[u8]) -> bool {
        self.contexts.iter().any(|c| c == name)
    }

    /// The known context names.
    pub fn contexts(&self) -> &[Vec<u8>] {
        &self.contexts
    }

    /// Maps a securityModel and securityName to a group
    /// (vacmSecurityToGroupTable).
    pub fn add_group(
        &mut self,
        model: SecurityModel,
        security_name: impl AsRef<[u8]>,
        group: impl AsRef<[u8]>,
    ) {
        let entries = self
            .groups
            .entry(security_name.as_ref().to_vec())
            .or_default();
        entries.retain(|(m, _)| *m != model);
        entries.push((model, group.as_ref().to_vec()));
    }

    /// Adds an access entry.
    pub fn add_access(&mut self, entry: AccessEntry) {
        self.access.push(entry);
    }

    /// Adds (or replaces) a named view.
    pub fn add_view(&mut self, name: impl AsRef<[u8]>, view: View) {
        self.views.insert(name.as_ref().to_vec(), view);
    }

    /// A view by name.
    pub fn view(&self, name: &[u8]) -> Option<&View> {
        self.views.get(name)
    }

    /// Gives a community (SNMPv1 and SNMPv2c, noAuthNoPriv, every context)
    /// read access, and write access with [`Access::ReadWrite`],
    /// to the whole tree or to `subtree` (RFC 3584 §5.2: the community is
    /// the securityName).
    pub fn community(
        self,
        community: impl AsRef<[u8]>,
        access: Access,
        subtree: Option<Oid>,
    ) -> Self {
        let name = community.as_ref();
        self.principal(
            &[SecurityModel::V1, SecurityModel::V2c],
            name,
            SecurityLevel::NoAuthNoPriv,
            access,
            subtree,
        )
    }

    /// Gives a USM user access at `level` or above, in every context, to the
    /// whole tree or to `subtree`: read, and write with [`Access::ReadWrite`].
    pub fn user(
        self,
        user: impl AsRef<[u8]>,
        level: SecurityLevel,
        access: Access,
        subtree: Option<Oid>,
    ) -> Self {
        self.principal(&[SecurityModel::Usm], user.as_ref(), level, access, subtree)
    }

    fn principal(
        mut self,
        models: &[SecurityModel],
        name: &[u8],
        level: SecurityLevel,
        access: Access,
        subtree: Option<Oid>,
    ) -> Self {
        let mut group = b"_grp_".to_vec();
        group.extend_from_slice(name);
        let view_name = match subtree {
            None => {
                self.views
                    .entry(ALL_VIEW.to_vec())
                    .or_insert_with(View::everything);
                ALL_VIEW.to_vec()
            }
            Some(root) => {
                let name = format!("_sub_{root}").into_bytes();
                self.views.insert(name.clone(), View::subtree(root));
                name
            }
        };
        let write_view = if access == Access::ReadWrite {
            view_name.clone()
        } else {
            self.views
                .entry(NONE_VIEW.to_vec())
                .or_insert_with(|| View::new(Vec::new()));
            NONE_VIEW.to_vec()
        };
        for &model in models {
            self.add_group(model, name, &group);
            self.access
                .retain(|e| !(e.group == group && e.model == model));
            // Prefix "" matches every context the agent knows.
            self.add_access(AccessEntry {
                group: group.clone(),
                context_prefix: Vec::new(),
                context_match: ContextMatch::Prefix,
                model,
                level,
                read_view: view_name.clone(),
                write_view: write_view.clone(),
                notify_view: view_name.clone(),
            });
        }
        self
    }

    /// Selects the access entry for a request (steps 1 to 3 of RFC 3415
    /// §3.2 with the preferences of the vacmAccessTable DESCRIPTION) and
    /// returns the views it grants.
    pub fn grant(
        &self,
        model: SecurityModel,
        security_name: &[u8],
        level: SecurityLevel,
        context: &[u8],
    ) -> Result<Grant<'_>, VacmError> {
        if !self.has_context(context) {
            return Err(VacmError::NoSuchContext);
        }
        let group = self
            .groups
            .get(security_name)
            .and_then(|g| g.iter().find(|(m, _)| *m == model))
            .map(|(_, g)| g)
            .ok_or(VacmError::NoGroupName)?;
        let candidates = self.access.iter().filter(|e| {
            &e.group == group
                && e.context_matches(context)
                && (e.model == model || e.model == SecurityModel::Any)
                && e.level <= level
        });
        // Preference: exact model, then exact context, then the longest
        // prefix, then the highest level.
        let entry = candidates
            .max_by_key(|e| {
                (
                    e.model == model,
                    e.context_prefix == context,
                    e.context_prefix.len(),
                    e.level,
                )
            })
            .ok_or(VacmError::NoAccessEntry)?;
        let view = |t: ViewType| {
            let name = entry.view_name(t);
            if name.is_empty() {
                None
            } else {
                self.views.get(name)
            }
        };
        Ok(Grant {
            read: view(ViewType::Read),
            write: view(ViewType::Write),
            notify: view(ViewType::Notify),
        })
    }

    /// isAccessAllowed (RFC 3415 §3.2) for one variable.
    pub fn is_access_allowed(
        &self,
        model: SecurityModel,
        security_name: &[u8],
        level: SecurityLevel,
        view_type: ViewType,
        context: &[u8],
        oid: &[u32],
    ) -> Result<(), VacmError> {
        let view = self
            .grant(model, security_name, level, context)?
            .view(view_type)?;
        if view.contains(oid) {
            Ok(())
        } else {
            Err(VacmError::NotInView)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(
        prefix: &str,
        m: ContextMatch,
        model: SecurityModel,
        level: SecurityLevel,
        view: &str,
    ) -> AccessEntry {
        AccessEntry {
            group: b"g".to_vec(),
            context_prefix: prefix.as_bytes().to_vec(),
            context_match: m,
            model,
            level,
            read_view: view.as_bytes().to_vec(),
            write_view: Vec::new(),
            notify_view: Vec::new(),
        }
    }

    fn config() -> Vacm {
        let mut v = Vacm::new();
        for c in ["", "vrf-1", "vrf-12"] {
            v.add_context(c);
        }
        v.add_group(SecurityModel::Usm, "u", "g");
        v.add_group(SecurityModel::V2c, "u", "g");
        for (i, name) in ["a", "b", "c", "d", "e"].iter().enumerate() {
            v.add_view(
                *name,
                View::subtree(Oid::from_arcs(vec![1, 3, i as u32]).unwrap()),
            );
        }
        use ContextMatch::*;
        use SecurityLevel::*;
        v.add_access(entry("", Exact, SecurityModel::Any, NoAuthNoPriv, "a"));
        v.add_access(entry("", Exact, SecurityModel::Usm, AuthNoPriv, "b"));
        v.add_access(entry("", Exact, SecurityModel::Usm, AuthPriv, "c"));
        v.add_access(entry("vrf", Prefix, SecurityModel::Usm, NoAuthNoPriv, "d"));
        v.add_access(entry(
            "vrf-1",
            Prefix,
            SecurityModel::Usm,
            NoAuthNoPriv,
            "e",
        ));
        v
    }

    fn read_view(
        v: &Vacm,
        model: SecurityModel,
        level: SecurityLevel,
        ctx: &str,
    ) -> Result<Vec<u32>, VacmError> {
        let g = v.grant(model, b"u", level, ctx.as_bytes())?;
        Ok(g.view(ViewType::Read)?.families()[0]
            .subtree
            .arcs()
            .to_vec())
    }

    #[test]
    fn selection_preferences() {
        let v = config();
        use SecurityLevel::*;
        // Highest level among the exact-model entries.
        assert_eq!(
            read_view(&v, SecurityModel::Usm, AuthPriv, ""),
            Ok(vec![1, 3, 2])
        );
        assert_eq!(
            read_view(&v, SecurityModel::Usm, AuthNoPriv, ""),
            Ok(vec![1, 3, 1])
        );
        // Only the "any" entry is low enough.
        assert_eq!(
            read_view(&v, SecurityModel::Usm, NoAuthNoPriv, ""),
            Ok(vec![1, 3, 0])
        );
        // A model-specific entry beats "any"; v2c has only "any".
        assert_eq!(
            read_view(&v, SecurityModel::V2c, AuthPriv, ""),
            Ok(vec![1, 3, 0])
        );
        // Longest matching prefix wins.
        assert_eq!(
            read_view(&v, SecurityModel::Usm, NoAuthNoPriv, "vrf-12"),
            Ok(vec![1, 3, 4])
        );
        assert_eq!(
            read_view(&v, SecurityModel::Usm, NoAuthNoPriv, "vrf-1"),
            Ok(vec![1, 3, 4])
        );
        // Unknown context, unknown group, no entry.
        assert_eq!(
            read_view(&v, SecurityModel::Usm, AuthPriv, "other").unwrap_err(),
            VacmError::NoSuchContext
        );
        assert_eq!(
            read_view(&v, SecurityModel::V1, AuthPriv, "").unwrap_err(),
            VacmError::NoGroupName
        );
        assert_eq!(
            read_view(&v, SecurityModel::V2c, NoAuthNoPriv, "vrf-1").unwrap_err(),
            VacmError::NoAccessEntry
        );
        // An entry without a write view.
        let g = v.grant(SecurityModel::Usm, b"u", AuthPriv, b"").unwrap();
        assert_eq!(g.view(ViewType::Write).unwrap_err(), VacmError::NoSuchView);
    }

    #[test]
    fn builder_replaces_and_scopes() {
        let v = Vacm::new()
            .community(
                "c",
                Access::ReadWrite,
                Some("1.3.6.1.2.1.1".parse().unwrap()),
            )
            .community("c", Access::ReadOnly, None);
        let g = v
            .grant(SecurityModel::V1, b"c", SecurityLevel::NoAuthNoPriv, b"")
            .unwrap();
        // The later call replaced the earlier: the write view holds nothing,
        // so a SET is notInView for every name (noAccess, as from snmpd).
        let write = g.view(ViewType::Write).unwrap();
        assert!(!write.contains(&[1, 3, 6, 1, 2, 1, 1, 5, 0]));
        assert!(!write.contains(&[1, 3, 6, 1, 4, 1, 1]));
        assert_eq!(
            v.is_access_allowed(
                SecurityModel::V2c,
                b"c",
                SecurityLevel::NoAuthNoPriv,
                ViewType::Write,
                b"",
                &[1, 3, 6, 1, 2, 1, 1, 5, 0]
            ),
            Err(VacmError::NotInView)
        );
        assert!(g
            .view(ViewType::Read)
            .unwrap()
            .contains(&[1, 3, 6, 1, 4, 1, 1]));
        assert_eq!(
            v.grant(SecurityModel::Usm, b"c", SecurityLevel::AuthPriv, b"")
                .unwrap_err(),
            VacmError::NoGroupName
        );
    }
}
