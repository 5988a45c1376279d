//! MIBs for oxsnmp: load modules from Net-SNMP's search path, turn names
//! into OIDs and back (table indexes decoded), describe objects, and render
//! values the way Net-SNMP's tools do.
//!
//! The MIB compiler underneath is the [`mib-rs`](https://crates.io/crates/mib-rs)
//! crate, pinned and never exposed: everything here is oxsnmp's own types,
//! so the compiler can be replaced without touching users. What this crate
//! adds on top of it:
//!
//! * lenient loading: one broken module costs only itself, and problems are
//!   [`Warning`]s with file and line; faults Net-SNMP reads and the
//!   compiler refuses (clauses out of order, a missing `STATUS`) are
//!   repaired before compiling;
//! * Net-SNMP's choice of module and label for an OID several modules
//!   define (the module it links first);
//! * guards against hostile files (NUL bytes, over-deep OID chains, huge
//!   files) before the compiler sees them;
//! * a cache of compiled sets, so a command line starts fast;
//! * Net-SNMP-compatible output: OID styles (`-OS`, `-Os`, `-Of`, `-On`,
//!   `-Ob`), index decoding (`vacmGroupName.3."user"`), and values by the
//!   object's syntax (enums, DISPLAY-HINTs, BITS, UNITS).
//!
//! ```
//! let mibs = oxsnmp_mib::Mibs::builtin();
//! let oid = mibs.parse_oid("SNMPv2-MIB::sysDescr.0").unwrap();
//! assert_eq!(oid.to_string(), "1.3.6.1.2.1.1.1.0");
//! let style = oxsnmp_mib::OidStyle::default();
//! assert_eq!(mibs.format_oid(&oid, style), "SNMPv2-MIB::sysDescr.0");
//! let object = mibs.object("sysDescr").unwrap();
//! assert_eq!(object.syntax().unwrap().type_name(), "DisplayString");
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod cache;
mod convert;
mod describe;
mod load;
mod model;
mod oid_text;
mod prescan;
mod repair;
pub mod search;
mod value;
mod walk_read;

use oxsnmp_core::Oid;

pub use describe::{IndexPart, Object, Syntax};
#[cfg(fuzzing)]
#[doc(hidden)]
pub use load::load_bytes_for_fuzzing;
pub use load::{load_files, LoadError, MibLoader, Warning, BUILTIN_MODULES};
pub use model::{Access, BaseType, NodeKind, Status};
pub use oid_text::{OidFormat, OidStyle, ParseError, ParseOptions};
pub use prescan::{MAX_DEFINITIONS, MAX_FILE_BYTES, MAX_OID_ARCS};
pub use search::ModuleSelection;
pub use value::{ValueOptions, ValueText};

use model::{Model, Names};

/// A loaded set of MIB modules: the OID tree with names, syntax and
/// descriptions. Cheap to query from many threads (`Sync`).
#[derive(Debug)]
pub struct Mibs {
    model: Model,
    names: Names,
    warnings: Vec<Warning>,
}

impl Mibs {
    pub(crate) fn new(model: Model, warnings: Vec<Warning>) -> Self {
        let names = model.names();
        Mibs {
            model,
            names,
            warnings,
        }
    }

    /// Only the built-in modules: the SMI base and [`BUILTIN_MODULES`]
    /// (SNMPv2-MIB and the SNMPv3 framework MIBs). A [`MibLoader`] loads
    /// them when they are selected (they are on Net-SNMP's default list)
    /// and no file on the search path defines them.
    pub fn builtin() -> Self {
        let names: Vec<&str> = BUILTIN_MODULES.iter().map(|(n, _)| *n).collect();
        MibLoader::new()
            .modules(&names.join(":"))
            .load()
            .unwrap_or_else(|_| Mibs::new(Model::empty(), Vec::new()))
    }

    /// Problems met while loading (modules not found, files skipped,
    /// definitions the compiler could not resolve).
    pub fn warnings(&self) -> &[Warning] {
        &self.warnings
    }

    /// Names of the loaded modules, in load order.
    pub fn module_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.model.modules.iter().map(|m| m.name.as_str())
    }

    /// How many modules were read from files on the search path (the
    /// built-in ones do not count).
    pub fn modules_from_files(&self) -> usize {
        self.model.modules.iter().filter(|m| m.from_file).count()
    }

    /// The number of named nodes in the tree.
    pub fn node_count(&self) -> usize {
        self.model.nodes.len().saturating_sub(1)
    }

    /// The object (or other named node) called `name`: `sysDescr` or
    /// `SNMPv2-MIB::sysDescr`.
    pub fn object(&self, name: &str) -> Option<Object<'_>> {
        let node = match name.split_once("::") {
            Some((module, label)) => self.qualified(module, label)?,
            None => *self.names.by_name.get(name)?.first()?,
        };
        Some(Object::new(self, node))
    }

    /// Names of the modules read from files (not built in).
    pub fn file_module_names(&self) -> impl Iterator<Item = &str> + '_ {
        self.model
            .modules
            .iter()
            .filter(|m| m.from_file)
            .map(|m| m.name.as_str())
    }

    /// The names a module defines with their objects, in OID order. The
    /// name is the module's own even where another module's name for the
    /// same OID is the one printed.
    pub fn module_definitions(&self, module: &str) -> Vec<(&str, Object<'_>)> {
        let Some(&m) = self.names.module_by_name.get(module) else {
            return Vec::new();
        };
        let mut defs: Vec<(Vec<u32>, &str, u32)> = self.model.modules[m as usize]
            .defs
            .iter()
            .map(|(name, n)| (self.model.oid_of(*n), name.as_str(), *n))
            .collect();
        defs.sort();
        defs.into_iter()
            .map(|(_, name, n)| (name, Object::new(self, n)))
            .collect()
    }

    /// The deepest named node on `oid`'s path and the arcs after it (the
    /// instance part), or `None` when not even the first arc is known.
    pub fn lookup<'o>(&self, oid: &'o Oid) -> Option<(Object<'_>, &'o [u32])> {
        let arcs = oid.arcs();
        let (node, used) = self.model.longest_prefix(arcs);
        (node != 0).then(|| (Object::new(self, node), &arcs[used..]))
    }

    pub(crate) fn qualified(&self, module: &str, label: &str) -> Option<u32> {
        let &m = self.names.module_by_name.get(module)?;
        self.names.qualified.get(&(m, label.to_owned())).copied()
    }
}
