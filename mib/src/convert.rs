//! From the compiler's resolved set (mib-rs) to our [`Model`]. This file
//! and `load.rs` are the only places that name mib-rs types.

use std::collections::HashMap;

use mib_rs::mib::RangeBound;
use mib_rs::raw::NodeId;
use mib_rs::Kind;

use crate::model::{
    Access, BaseType, IndexData, Model, ModuleData, NodeData, NodeKind, ObjectData, Status,
    SyntaxData, NONE,
};

/// Where each module came from: module name -> (origin, read from a file).
pub(crate) type Origins = HashMap<String, (String, bool)>;

/// Names each module's file assigns OIDs to (from the guard scan): module
/// name -> candidate labels.
pub(crate) type Labels = HashMap<String, Vec<String>>;

pub(crate) fn model_from(mib: &mib_rs::Mib, origins: &Origins, labels: &Labels) -> Model {
    let mut model = Model::empty();
    let mut ids: HashMap<NodeId, u32> = HashMap::new();
    let mut module_ids: HashMap<String, u32> = HashMap::new();
    for module in mib.modules() {
        let name = module.name().to_owned();
        let (origin, from_file) = origins
            .get(&name)
            .cloned()
            .unwrap_or_else(|| ("built-in".to_owned(), false));
        module_ids.insert(name.clone(), model.modules.len() as u32);
        model.modules.push(ModuleData {
            name,
            origin,
            from_file,
            linked: true,
            defs: Vec::new(),
        });
    }

    // Depth-first from the root; children come in arc order.
    let root = mib.root_node();
    ids.insert(root.id(), 0);
    let mut stack: Vec<(mib_rs::Node<'_>, u32)> = vec![(root, 0)];
    while let Some((node, ours)) = stack.pop() {
        let mut children = Vec::new();
        for child in node.children() {
            let index = model.nodes.len() as u32;
            ids.insert(child.id(), index);
            model.nodes.push(node_data(child, ours, &module_ids));
            if let Some(object) = child.object() {
                model.nodes[index as usize].object = model.objects.len() as u32;
                model.objects.push(object_data(object));
            }
            children.push(index);
        }
        model.nodes[ours as usize].children = children.clone();
        // Reverse so the stack pops them in arc order (not needed for
        // correctness, keeps node numbering in tree order).
        let kids: Vec<_> = node.children().zip(children).collect();
        for (child, index) in kids.into_iter().rev() {
            stack.push((child, index));
        }
    }

    // Second pass: links that need every node numbered.
    for module in mib.modules() {
        if let Some(&m) = module_ids.get(module.name()) {
            let mut defs: Vec<(String, u32)> = Vec::new();
            for object in module.objects() {
                if let Some(&n) = object.node().and_then(|n| ids.get(&n.id())) {
                    defs.push((object.name().to_owned(), n));
                }
            }
            // A node's own name is the one the compiler chose among every
            // module defining its OID; this module's labels for it may
            // differ (RFC1158-MIB's ipRoutingTable is RFC1213-MIB's
            // ipRouteTable) or be several (two names for one OID), so they
            // come from the names the file assigns, in file order.
            let in_defs: std::collections::HashSet<u32> = defs.iter().map(|(_, d)| *d).collect();
            let mut own: Option<HashMap<NodeId, Vec<&str>>> = None;
            let mut seen: std::collections::HashSet<NodeId> = std::collections::HashSet::new();
            for node in module.nodes() {
                let Some(&n) = ids.get(&node.id()) else {
                    continue;
                };
                if !seen.insert(node.id()) || in_defs.contains(&n) {
                    continue;
                }
                let own = own.get_or_insert_with(|| {
                    let mut map: HashMap<NodeId, Vec<&str>> = HashMap::new();
                    for l in labels.get(module.name()).into_iter().flatten() {
                        if let Some(o) = module.node(l) {
                            let list = map.entry(o.id()).or_default();
                            if !list.contains(&l.as_str()) {
                                list.push(l.as_str());
                            }
                        }
                    }
                    map
                });
                match own.get(&node.id()) {
                    Some(list) if !list.is_empty() => {
                        defs.extend(list.iter().map(|l| ((*l).to_owned(), n)));
                    }
                    _ => defs.push((node.name().to_owned(), n)),
                }
            }
            model.modules[m as usize].defs = defs;
        }
    }
    for (id, &ours) in &ids {
        let node = mib.node_by_id(*id);
        let Some(object) = node.object() else {
            continue;
        };
        let object_ix = model.nodes[ours as usize].object as usize;
        let index: Vec<IndexData> = object
            .index()
            .map(|ix| IndexData {
                node: ix
                    .object()
                    .and_then(|o| o.node())
                    .and_then(|n| ids.get(&n.id()).copied())
                    .unwrap_or(NONE),
                name: ix.name().to_owned(),
                implied: ix.implied(),
            })
            .collect();
        let augments = object
            .augments()
            .and_then(|a| a.node())
            .and_then(|n| ids.get(&n.id()).copied())
            .unwrap_or(NONE);
        if let Some(o) = model.objects.get_mut(object_ix) {
            o.index = index;
            o.augments = augments;
        }
    }
    // A MODULE-IDENTITY's DESCRIPTION lives on the module, not the node.
    for module in mib.modules() {
        let Some(oid) = module.oid() else { continue };
        let arcs: &[u32] = oid;
        let (node, used) = model.longest_prefix(arcs);
        if used == arcs.len() && node != 0 {
            let data = &mut model.nodes[node as usize];
            if data.description.is_empty() && data.kind == NodeKind::Node {
                module.description().clone_into(&mut data.description);
            }
        }
    }
    model
}

/// Each node named after a module (`changed`: node, module) carries that
/// module's own definition, which the compiler may not have attached: Net-SNMP keeps the definition of the module it linked
/// first (its `tree_from_node` runs once per node), so with RFC1213-MIB
/// first `ifDescr` is RFC1213-MIB's `DisplayString` without a DISPLAY-HINT
/// (`STRING: "lo"`), not IF-MIB's (`STRING: lo`). Syntax, access, units,
/// description and status change; INDEX and AUGMENTS stay.
pub(crate) fn use_module_definitions(mib: &mib_rs::Mib, model: &mut Model, changed: &[(u32, u32)]) {
    for &(node, m) in changed {
        let (Some(module), Some(data)) = (
            model.modules.get(m as usize),
            model.nodes.get(node as usize),
        ) else {
            continue;
        };
        let Some(object) = mib
            .module(&module.name)
            .and_then(|md| md.object(&data.name))
        else {
            continue;
        };
        let fresh = object_data(object);
        let object_ix = data.object as usize;
        let description = object.description().to_owned();
        let object_status = status(object.status());
        if let Some(o) = model.objects.get_mut(object_ix) {
            o.syntax = fresh.syntax;
            o.access = fresh.access;
            o.units = fresh.units;
        }
        if let Some(n) = model.nodes.get_mut(node as usize) {
            n.description = description;
            n.status = Some(object_status);
        }
    }
}

fn node_data(node: mib_rs::Node<'_>, parent: u32, modules: &HashMap<String, u32>) -> NodeData {
    let kind = match node.kind() {
        Kind::Scalar => NodeKind::Scalar,
        Kind::Table => NodeKind::Table,
        Kind::Row => NodeKind::Row,
        Kind::Column => NodeKind::Column,
        Kind::Notification => NodeKind::Notification,
        Kind::Group => NodeKind::Group,
        Kind::Compliance => NodeKind::Compliance,
        Kind::Capability => NodeKind::Capability,
        _ => NodeKind::Node,
    };
    NodeData {
        arc: node.arc(),
        parent,
        name: node.name().to_owned(),
        module: node
            .module()
            .and_then(|m| modules.get(m.name()).copied())
            .unwrap_or(NONE),
        kind,
        object: NONE,
        children: Vec::new(),
        description: description(node).to_owned(),
        status: definition_status(node).map(status),
    }
}

/// DESCRIPTION of the definition at `node` (an OBJECT-TYPE's and the like
/// live on the definition, not on the plain node).
fn description(node: mib_rs::Node<'_>) -> &str {
    if let Some(o) = node.object() {
        o.description()
    } else if let Some(n) = node.notification() {
        n.description()
    } else if let Some(g) = node.group() {
        g.description()
    } else if let Some(c) = node.compliance() {
        c.description()
    } else if let Some(c) = node.capability() {
        c.description()
    } else {
        node.description()
    }
}

/// STATUS of the definition at `node`, as [`description`].
fn definition_status(node: mib_rs::Node<'_>) -> Option<mib_rs::Status> {
    if let Some(o) = node.object() {
        Some(o.status())
    } else if let Some(n) = node.notification() {
        Some(n.status())
    } else if let Some(g) = node.group() {
        Some(g.status())
    } else if let Some(c) = node.compliance() {
        Some(c.status())
    } else if let Some(c) = node.capability() {
        Some(c.status())
    } else {
        node.status()
    }
}

fn status(s: mib_rs::Status) -> Status {
    match s {
        mib_rs::Status::Deprecated => Status::Deprecated,
        mib_rs::Status::Obsolete => Status::Obsolete,
        mib_rs::Status::Mandatory => Status::Mandatory,
        mib_rs::Status::Optional => Status::Optional,
        _ => Status::Current,
    }
}

/// The SMI's own type names (RFC 2578 §2, RFC 1155 §6), which
/// `snmptranslate -Td` prints as an object's SYNTAX.
const SMI_TYPES: [&str; 15] = [
    "INTEGER",
    "Integer32",
    "Unsigned32",
    "Gauge32",
    "Counter32",
    "Counter64",
    "TimeTicks",
    "IpAddress",
    "OCTET STRING",
    "OBJECT IDENTIFIER",
    "BITS",
    "Opaque",
    "Counter",
    "Gauge",
    "NetworkAddress",
];

fn object_data(object: mib_rs::Object<'_>) -> ObjectData {
    let ty = object.ty();
    let base = ty.map(|t| match t.effective_base() {
        mib_rs::BaseType::Integer32 | mib_rs::BaseType::Integer64 => BaseType::Integer,
        mib_rs::BaseType::Unsigned32 | mib_rs::BaseType::Unsigned64 => BaseType::Unsigned32,
        mib_rs::BaseType::Counter32 => BaseType::Counter32,
        mib_rs::BaseType::Counter64 => BaseType::Counter64,
        mib_rs::BaseType::Gauge32 => BaseType::Gauge32,
        mib_rs::BaseType::TimeTicks => BaseType::TimeTicks,
        mib_rs::BaseType::IpAddress => BaseType::IpAddress,
        mib_rs::BaseType::OctetString => BaseType::OctetString,
        mib_rs::BaseType::ObjectIdentifier => BaseType::ObjectIdentifier,
        mib_rs::BaseType::Bits => BaseType::Bits,
        mib_rs::BaseType::Opaque => BaseType::Opaque,
        mib_rs::BaseType::Sequence => BaseType::Sequence,
        _ => BaseType::Unknown,
    });
    // The nearest named type: a TC (`DisplayString`) or a base type
    // (`Counter32`); anonymous refinements (`INTEGER (1..10)`) are skipped.
    let mut type_name = String::new();
    let mut t = ty;
    while let Some(current) = t {
        if !current.name().is_empty() {
            type_name = current.name().to_owned();
            break;
        }
        t = current.parent();
    }
    // The SMI type the chain ends in, by the name the MIB used.
    let mut smi_name = String::new();
    let mut t = ty;
    while let Some(current) = t {
        if SMI_TYPES.contains(&current.name()) {
            current.name().clone_into(&mut smi_name);
            break;
        }
        t = current.parent();
    }
    let syntax = SyntaxData {
        base,
        type_name,
        smi_name,
        hint: display_hint(object),
        enums: object
            .effective_enums()
            .iter()
            .map(|nv| (nv.value, nv.label.clone()))
            .collect(),
        bits: object
            .effective_bits()
            .iter()
            .filter_map(|nv| u32::try_from(nv.value).ok().map(|v| (v, nv.label.clone())))
            .collect(),
        sizes: object
            .effective_sizes()
            .iter()
            .map(|r| (bound_u64(&r.min, 0), bound_u64(&r.max, u64::MAX)))
            .collect(),
        ranges: object
            .effective_ranges()
            .iter()
            .map(|r| (bound_i64(&r.min, i64::MIN), bound_i64(&r.max, i64::MAX)))
            .collect(),
    };
    ObjectData {
        syntax,
        access: match object.access() {
            mib_rs::Access::AccessibleForNotify => Access::AccessibleForNotify,
            mib_rs::Access::ReadOnly => Access::ReadOnly,
            mib_rs::Access::ReadWrite => Access::ReadWrite,
            mib_rs::Access::ReadCreate => Access::ReadCreate,
            mib_rs::Access::WriteOnly => Access::WriteOnly,
            _ => Access::NotAccessible,
        },
        units: object.units().to_owned(),
        index: Vec::new(),
        augments: NONE,
    }
}

/// The DISPLAY-HINT Net-SNMP renders the object with: the first in its
/// chain of types, except that RFC1213-MIB's own `DisplayString` and
/// `PhysAddress` (plain `OCTET STRING`s, RFC 1213 §3.2) end the chain with
/// no hint. The compiler links those two to SNMPv2-TC's textual conventions
/// (with hints `255a` and `1x:`); Net-SNMP does not, and prints an
/// RFC1213-MIB `ifDescr` as `STRING: "lo"`.
fn display_hint(object: mib_rs::Object<'_>) -> String {
    let mut t = object.ty();
    let mut depth = 0;
    while let Some(current) = t {
        let rfc1213 = current.module().is_some_and(|m| m.name() == "RFC1213-MIB")
            && matches!(current.name(), "DisplayString" | "PhysAddress");
        if rfc1213 || !current.display_hint().is_empty() || depth > 64 {
            return current.display_hint().to_owned();
        }
        t = current.parent();
        depth += 1;
    }
    String::new()
}

fn bound_u64(b: &RangeBound, open: u64) -> u64 {
    match b {
        RangeBound::Signed(v) => u64::try_from(*v).unwrap_or(0),
        RangeBound::Unsigned(v) => *v,
        _ => open,
    }
}

fn bound_i64(b: &RangeBound, open: i64) -> i64 {
    match b {
        RangeBound::Signed(v) => *v,
        RangeBound::Unsigned(v) => i64::try_from(*v).unwrap_or(i64::MAX),
        _ => open,
    }
}
