//! The compiled MIB set in oxsnmp's own representation: a flat OID tree of
//! nodes, the objects' syntax and the modules they came from. Everything
//! the public API answers comes from here, never from the compiler, so the
//! set can be cached on disk and loaded without compiling anything.

use std::collections::HashMap;

/// Marks "no node / no module / no object" in the `u32` links below.
pub(crate) const NONE: u32 = u32::MAX;

/// The kind of definition a node comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum NodeKind {
    /// A plain `OBJECT IDENTIFIER` assignment, `MODULE-IDENTITY` or
    /// `OBJECT-IDENTITY`: a name for a subtree.
    Node,
    /// A scalar `OBJECT-TYPE` (one instance, `.0`).
    Scalar,
    /// A table (`SEQUENCE OF`).
    Table,
    /// A table's conceptual row (the `INDEX` or `AUGMENTS` clause).
    Row,
    /// A column of a table.
    Column,
    /// A `NOTIFICATION-TYPE` or `TRAP-TYPE`.
    Notification,
    /// An `OBJECT-GROUP` or `NOTIFICATION-GROUP`.
    Group,
    /// A `MODULE-COMPLIANCE`.
    Compliance,
    /// An `AGENT-CAPABILITIES`.
    Capability,
}

/// The ASN.1 type at the bottom of an object's syntax.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum BaseType {
    /// `INTEGER` / `Integer32` (enumerations too).
    Integer,
    /// `Unsigned32`.
    Unsigned32,
    /// `Gauge32`.
    Gauge32,
    /// `Counter32`.
    Counter32,
    /// `Counter64`.
    Counter64,
    /// `TimeTicks`.
    TimeTicks,
    /// `IpAddress`.
    IpAddress,
    /// `OCTET STRING`.
    OctetString,
    /// `OBJECT IDENTIFIER`.
    ObjectIdentifier,
    /// `BITS`.
    Bits,
    /// `Opaque`.
    Opaque,
    /// A row's `SEQUENCE`.
    Sequence,
    /// Not known (unresolved type).
    Unknown,
}

/// `MAX-ACCESS` / `ACCESS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Access {
    /// `not-accessible`.
    NotAccessible,
    /// `accessible-for-notify`.
    AccessibleForNotify,
    /// `read-only`.
    ReadOnly,
    /// `read-write`.
    ReadWrite,
    /// `read-create`.
    ReadCreate,
    /// `write-only` (SMIv1).
    WriteOnly,
}

impl Access {
    /// The keyword as written in a MIB.
    pub fn as_str(self) -> &'static str {
        match self {
            Access::NotAccessible => "not-accessible",
            Access::AccessibleForNotify => "accessible-for-notify",
            Access::ReadOnly => "read-only",
            Access::ReadWrite => "read-write",
            Access::ReadCreate => "read-create",
            Access::WriteOnly => "write-only",
        }
    }
}

/// `STATUS`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Status {
    /// `current`.
    Current,
    /// `deprecated`.
    Deprecated,
    /// `obsolete`.
    Obsolete,
    /// `mandatory` (SMIv1).
    Mandatory,
    /// `optional` (SMIv1).
    Optional,
}

impl Status {
    /// The keyword as written in a MIB.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Current => "current",
            Status::Deprecated => "deprecated",
            Status::Obsolete => "obsolete",
            Status::Mandatory => "mandatory",
            Status::Optional => "optional",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ModuleData {
    pub name: String,
    /// Where it was read from (a path, or `built-in`).
    pub origin: String,
    /// Loaded from a file found on the search path (not built in).
    pub from_file: bool,
    /// Read by Net-SNMP under the same selection (see
    /// `load::netsnmp_link_order`): the compiler also reads modules that
    /// an import of macros only names (npm's RFC-1212 reads RFC1158-MIB),
    /// which Net-SNMP never reads; their names are not printed.
    pub linked: bool,
    /// The names this module defines and their nodes (a node's own name
    /// may come from another module defining the same OID).
    pub defs: Vec<(String, u32)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct NodeData {
    pub arc: u32,
    pub parent: u32,
    pub name: String,
    pub module: u32,
    pub kind: NodeKind,
    pub object: u32,
    /// Children sorted by arc.
    pub children: Vec<u32>,
    pub description: String,
    pub status: Option<Status>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct SyntaxData {
    pub base: Option<BaseType>,
    /// The named type (`DisplayString`, `InetAddress`), empty for a bare ASN.1 type.
    pub type_name: String,
    /// The SMI type at the bottom of the chain of types, as named in the
    /// MIB (`Integer32`, `INTEGER`, `OCTET STRING`), empty when unknown.
    pub smi_name: String,
    pub hint: String,
    pub enums: Vec<(i64, String)>,
    pub bits: Vec<(u32, String)>,
    /// SIZE ranges (octet strings).
    pub sizes: Vec<(u64, u64)>,
    /// Value ranges (integers).
    pub ranges: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct IndexData {
    /// The index object's node, or NONE when it did not resolve.
    pub node: u32,
    pub name: String,
    pub implied: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ObjectData {
    pub syntax: SyntaxData,
    pub access: Access,
    pub units: String,
    pub index: Vec<IndexData>,
    /// The row this row AUGMENTS (node), or NONE.
    pub augments: u32,
}

/// The whole compiled set. Node 0 is the unnamed root.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Model {
    pub modules: Vec<ModuleData>,
    pub nodes: Vec<NodeData>,
    pub objects: Vec<ObjectData>,
}

/// Lookup tables built from a [`Model`] after loading (never cached: cheap).
#[derive(Debug, Default)]
pub(crate) struct Names {
    /// Node name -> nodes with that name (the preferred one first).
    pub by_name: HashMap<String, Vec<u32>>,
    pub module_by_name: HashMap<String, u32>,
    /// (module, name) -> node, for `MODULE::name`.
    pub qualified: HashMap<(u32, String), u32>,
}

impl Model {
    /// A model with only the root node.
    pub fn empty() -> Self {
        Model {
            modules: Vec::new(),
            nodes: vec![NodeData {
                arc: 0,
                parent: NONE,
                name: String::new(),
                module: NONE,
                kind: NodeKind::Node,
                object: NONE,
                children: Vec::new(),
                description: String::new(),
                status: None,
            }],
            objects: Vec::new(),
        }
    }

    /// The child of `node` with `arc`.
    pub fn child(&self, node: u32, arc: u32) -> Option<u32> {
        let children = &self.nodes.get(node as usize)?.children;
        children
            .binary_search_by_key(&arc, |&c| self.nodes[c as usize].arc)
            .ok()
            .map(|i| children[i])
    }

    /// The deepest node on `arcs`' path and how many arcs it consumed.
    pub fn longest_prefix(&self, arcs: &[u32]) -> (u32, usize) {
        let mut node = 0u32;
        let mut used = 0;
        for &arc in arcs {
            match self.child(node, arc) {
                Some(c) => {
                    node = c;
                    used += 1;
                }
                None => break,
            }
        }
        (node, used)
    }

    /// The arcs from the root to `node`.
    pub fn oid_of(&self, mut node: u32) -> Vec<u32> {
        let mut arcs = Vec::new();
        while node != 0 && node != NONE {
            let n = &self.nodes[node as usize];
            arcs.push(n.arc);
            node = n.parent;
        }
        arcs.reverse();
        arcs
    }

    /// Every link points inside the set (checked on cache reads, so lookups
    /// may index freely afterwards).
    pub fn is_consistent(&self) -> bool {
        let nodes = self.nodes.len() as u32;
        let node_ok = |n: u32| n < nodes;
        let opt_node_ok = |n: u32| n == NONE || n < nodes;
        let Some(root) = self.nodes.first() else {
            return false;
        };
        if root.parent != NONE {
            return false;
        }
        self.nodes.iter().enumerate().skip(1).all(|(i, n)| {
            node_ok(n.parent)
                && (n.parent as usize) < i
                && (n.module == NONE || (n.module as usize) < self.modules.len())
                && (n.object == NONE || (n.object as usize) < self.objects.len())
        }) && self.nodes.iter().enumerate().all(|(i, n)| {
            // Children sorted by arc and pointing back at their parent.
            n.children
                .iter()
                .all(|&c| node_ok(c) && self.nodes[c as usize].parent == i as u32)
                && n.children
                    .windows(2)
                    .all(|w| self.nodes[w[0] as usize].arc < self.nodes[w[1] as usize].arc)
        }) && self
            .objects
            .iter()
            .all(|o| opt_node_ok(o.augments) && o.index.iter().all(|ix| opt_node_ok(ix.node)))
            && self
                .modules
                .iter()
                .all(|m| m.defs.iter().all(|(_, n)| node_ok(*n)))
    }

    /// Gives every node the name and module Net-SNMP prints for it, from
    /// the order in which Net-SNMP links the modules into its tree
    /// (`order`: module indexes, first linked first; nodes that no module
    /// in `order` defines keep the compiler's choice).
    ///
    /// Net-SNMP's rule, found with `snmptranslate` (5.9) by loading the
    /// same modules in different orders (`-m RFC1213-MIB:IF-MIB` against
    /// `-m IF-MIB:RFC1213-MIB`, `-m RFC1158-MIB:RFC1213-MIB` against the
    /// reverse, `-m ALL` over several directory orders): the module linked
    /// *first* at an OID names it, with its own label, whether the later
    /// ones use the same label (`ifDescr` in RFC1213-MIB and IF-MIB) or
    /// another (`ipRoutingTable` in RFC1158-MIB, `ipRouteTable` in
    /// RFC1213-MIB). A module is linked when its parse ends, after the
    /// modules its IMPORTS made Net-SNMP read (see `netsnmp_link_order` in
    /// `load.rs`).
    ///
    /// Within one module the label defined *last* wins (a module giving one
    /// OID two names, as KAMAILIO-MIB does). Definitions that Net-SNMP
    /// cannot link when their module is read (`orphan(module, label)`: their
    /// chain starts at a name the module neither defines nor imports) are
    /// linked after every module, as its `adopt_orphans` does.
    ///
    /// Returns the nodes named, with their module (whose definition the
    /// node should carry, see `convert::use_module_definitions`).
    pub fn apply_link_order(
        &mut self,
        order: &[u32],
        orphan: impl Fn(u32, &str) -> bool,
    ) -> Vec<(u32, u32)> {
        // node -> (module, index in its defs) of the definition naming it.
        let mut chosen: HashMap<u32, (u32, usize)> = HashMap::new();
        for orphans in [false, true] {
            for &m in order {
                let Some(module) = self.modules.get(m as usize) else {
                    continue;
                };
                for (d, (label, node)) in module.defs.iter().enumerate() {
                    if orphan(m, label) != orphans {
                        continue;
                    }
                    match chosen.get(node) {
                        Some(&(pm, _)) if pm != m => {}
                        _ => {
                            chosen.insert(*node, (m, d));
                        }
                    }
                }
            }
        }
        let mut changed = Vec::new();
        for (node, (m, d)) in chosen {
            let Some((label, _)) = self.modules.get(m as usize).and_then(|x| x.defs.get(d)) else {
                continue;
            };
            let label = label.clone();
            if let Some(n) = self.nodes.get_mut(node as usize) {
                changed.push((node, m));
                n.name = label;
                n.module = m;
            }
        }
        changed.sort_unstable();
        changed
    }

    /// Whether Net-SNMP would print `node`'s name under the same selection:
    /// it has one, from a module Net-SNMP read (or a built-in one).
    pub fn printable(&self, node: u32) -> bool {
        let Some(n) = self.nodes.get(node as usize) else {
            return false;
        };
        !n.name.is_empty()
            && self
                .modules
                .get(n.module as usize)
                .is_none_or(|m| m.linked || !m.from_file)
    }

    pub fn object(&self, node: u32) -> Option<&ObjectData> {
        let n = self.nodes.get(node as usize)?;
        self.objects.get(n.object as usize)
    }

    pub fn names(&self) -> Names {
        let mut names = Names::default();
        for (i, n) in self.nodes.iter().enumerate().skip(1) {
            if !n.name.is_empty() {
                names
                    .by_name
                    .entry(n.name.clone())
                    .or_default()
                    .push(i as u32);
            }
        }
        // Names other modules give the same OIDs (aliases) come after.
        for m in &self.modules {
            for (name, node) in &m.defs {
                let list = names.by_name.entry(name.clone()).or_default();
                if !list.contains(node) {
                    list.push(*node);
                }
            }
        }
        // Deterministic preference among nodes sharing a name: objects
        // before plain nodes, then the shorter OID, then the smaller one.
        for list in names.by_name.values_mut() {
            if list.len() > 1 {
                list.sort_by_key(|&n| {
                    let node = &self.nodes[n as usize];
                    (node.object == NONE, self.oid_of(n))
                });
            }
        }
        for (i, m) in self.modules.iter().enumerate() {
            names.module_by_name.insert(m.name.clone(), i as u32);
            for (name, n) in &m.defs {
                names.qualified.insert((i as u32, name.clone()), *n);
            }
        }
        names
    }
}
