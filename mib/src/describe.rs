//! Objects as users see them, in the spirit of PySNMP's `ObjectIdentity`:
//! name, module, OID, kind, syntax, access, status, description, indexes.

use oxsnmp_core::Oid;

use crate::model::{Access, BaseType, NodeKind, ObjectData, Status, SyntaxData, NONE};
use crate::Mibs;

/// A named node of a [`Mibs`] set (an object, a notification, a plain OID
/// name...). Cheap to copy.
#[derive(Clone, Copy)]
pub struct Object<'a> {
    mibs: &'a Mibs,
    node: u32,
}

impl std::fmt::Debug for Object<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Object({}::{})", self.module(), self.name())
    }
}

impl PartialEq for Object<'_> {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self.mibs, other.mibs) && self.node == other.node
    }
}

impl<'a> Object<'a> {
    pub(crate) fn new(mibs: &'a Mibs, node: u32) -> Self {
        Object { mibs, node }
    }

    fn data(&self) -> &'a crate::model::NodeData {
        &self.mibs.model.nodes[self.node as usize]
    }

    pub(crate) fn object_data(&self) -> Option<&'a ObjectData> {
        self.mibs.model.object(self.node)
    }

    /// The name (`sysDescr`).
    pub fn name(&self) -> &'a str {
        &self.data().name
    }

    /// The module Net-SNMP would print before `::` (empty for the three
    /// roots). When several modules define the same OID, the one Net-SNMP
    /// links into its tree first (the load order of `-m`, imports first;
    /// with `-m ALL` the last directory's files first), as Net-SNMP does.
    pub fn module(&self) -> &'a str {
        self.mibs
            .model
            .modules
            .get(self.data().module as usize)
            .map_or("", |m| m.name.as_str())
    }

    /// The OID.
    pub fn oid(&self) -> Oid {
        Oid::from_arcs(self.mibs.model.oid_of(self.node)).unwrap_or_else(|_| Oid::from_static(&[0]))
    }

    /// What kind of definition this is.
    pub fn kind(&self) -> NodeKind {
        self.data().kind
    }

    /// The parent node, if it has a name.
    pub fn parent(&self) -> Option<Object<'a>> {
        let p = self.data().parent;
        (p != NONE && p != 0).then(|| Object::new(self.mibs, p))
    }

    /// The children, in arc order.
    pub fn children(&self) -> impl Iterator<Item = Object<'a>> + 'a {
        let mibs = self.mibs;
        self.data()
            .children
            .iter()
            .map(move |&c| Object::new(mibs, c))
    }

    /// The last arc of the OID.
    pub fn arc(&self) -> u32 {
        self.data().arc
    }

    /// `DESCRIPTION` (empty when there is none).
    pub fn description(&self) -> &'a str {
        &self.data().description
    }

    /// `STATUS`, when the definition has one.
    pub fn status(&self) -> Option<Status> {
        self.data().status
    }

    /// The syntax of an `OBJECT-TYPE` (none for other definitions).
    pub fn syntax(&self) -> Option<Syntax<'a>> {
        self.object_data().map(|o| Syntax { data: &o.syntax })
    }

    /// `MAX-ACCESS` of an `OBJECT-TYPE`.
    pub fn access(&self) -> Option<Access> {
        self.object_data().map(|o| o.access)
    }

    /// `UNITS` (empty when there is none).
    pub fn units(&self) -> &'a str {
        self.object_data().map_or("", |o| o.units.as_str())
    }

    /// The row that defines this column's (or row's) instance index: the
    /// row itself, or for a column its parent row; follows `AUGMENTS`.
    pub fn index_row(&self) -> Option<Object<'a>> {
        let mut node = self.node;
        for _ in 0..4 {
            let data = self.mibs.model.object(node)?;
            if !data.index.is_empty() {
                return Some(Object::new(self.mibs, node));
            }
            if data.augments != NONE {
                node = data.augments;
                continue;
            }
            if self.mibs.model.nodes[node as usize].kind == NodeKind::Column {
                node = self.mibs.model.nodes[node as usize].parent;
                continue;
            }
            return None;
        }
        None
    }

    /// The row this row `AUGMENTS`, if it does.
    pub fn augments(&self) -> Option<Object<'a>> {
        let row = self.object_data()?.augments;
        (row != NONE).then(|| Object::new(self.mibs, row))
    }

    /// The `INDEX` of this row (or of the row a column belongs to).
    pub fn indexes(&self) -> Vec<IndexPart<'a>> {
        let Some(row) = self.index_row() else {
            return Vec::new();
        };
        row.object_data()
            .map(|o| {
                o.index
                    .iter()
                    .map(|ix| IndexPart {
                        object: (ix.node != NONE).then(|| Object::new(self.mibs, ix.node)),
                        name: &ix.name,
                        implied: ix.implied,
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The columns of a table or row, in arc order.
    pub fn columns(&self) -> Vec<Object<'a>> {
        let row = match self.kind() {
            NodeKind::Table => match self.children().next() {
                Some(r) => r,
                None => return Vec::new(),
            },
            NodeKind::Row => *self,
            _ => return Vec::new(),
        };
        row.children()
            .filter(|c| c.kind() == NodeKind::Column)
            .collect()
    }
}

/// One component of a row's `INDEX`.
#[derive(Debug, Clone, Copy)]
pub struct IndexPart<'a> {
    /// The index object, when it resolved.
    pub object: Option<Object<'a>>,
    /// Its name as written in the `INDEX` clause.
    pub name: &'a str,
    /// Marked `IMPLIED` (no length prefix).
    pub implied: bool,
}

/// An object's syntax: base type, named type, enumerations, BITS,
/// DISPLAY-HINT and size/range constraints.
#[derive(Debug, Clone, Copy)]
pub struct Syntax<'a> {
    pub(crate) data: &'a SyntaxData,
}

impl<'a> Syntax<'a> {
    /// The ASN.1 base type.
    pub fn base(&self) -> BaseType {
        self.data.base.unwrap_or(BaseType::Unknown)
    }

    /// The named type (`DisplayString`, `Counter32`), empty when the
    /// syntax is a bare `INTEGER { ... }` or `OCTET STRING`.
    pub fn type_name(&self) -> &'a str {
        &self.data.type_name
    }

    /// The SMI type the syntax ends in, as the MIB names it (`Integer32`,
    /// `INTEGER`, `OCTET STRING`, `Counter`); empty when unknown.
    pub fn smi_type_name(&self) -> &'a str {
        &self.data.smi_name
    }

    /// The effective DISPLAY-HINT (empty when none).
    pub fn display_hint(&self) -> &'a str {
        &self.data.hint
    }

    /// Enumeration labels (INTEGER), as (value, label).
    pub fn enums(&self) -> &'a [(i64, String)] {
        &self.data.enums
    }

    /// BITS labels, as (bit, label).
    pub fn bits(&self) -> &'a [(u32, String)] {
        &self.data.bits
    }

    /// The label of an enumeration value.
    pub fn enum_label(&self, value: i64) -> Option<&'a str> {
        self.data
            .enums
            .iter()
            .find(|(v, _)| *v == value)
            .map(|(_, l)| l.as_str())
    }

    /// The value of an enumeration label.
    pub fn enum_value(&self, label: &str) -> Option<i64> {
        self.data
            .enums
            .iter()
            .find(|(_, l)| l == label)
            .map(|(v, _)| *v)
    }

    /// SIZE constraints (octet strings), as inclusive (min, max).
    pub fn sizes(&self) -> &'a [(u64, u64)] {
        &self.data.sizes
    }

    /// Value ranges (integers), as inclusive (min, max).
    pub fn ranges(&self) -> &'a [(i64, i64)] {
        &self.data.ranges
    }

    /// The one SIZE of a fixed-length string (`SIZE (6)`).
    pub fn fixed_size(&self) -> Option<usize> {
        match self.data.sizes.as_slice() {
            [(a, b)] if a == b => usize::try_from(*a).ok(),
            _ => None,
        }
    }
}
