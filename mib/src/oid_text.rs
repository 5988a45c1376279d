//! OIDs as text, both ways, with Net-SNMP's output styles and its way of
//! printing a table index (`vacmGroupName.3."user"`, `ifDescr.2`,
//! `ipAddressIfIndex.ipv4."10.0.0.1"`).

use std::fmt::Write as _;

use oxsnmp_core::Oid;

use crate::model::{BaseType, NodeKind, NONE};
use crate::Mibs;

/// How OIDs are printed: Net-SNMP's `-O` OID flags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OidStyle {
    /// The naming.
    pub format: OidFormat,
    /// Decode the instance part by the table's `INDEX` (off with `-Ob`).
    pub decode_index: bool,
    /// `-OE`: a backslash before the quotes around string indexes
    /// (`vacmGroupName.3.\"user\"`), for shells.
    pub escape_quotes: bool,
}

impl Default for OidStyle {
    /// `-OS`, Net-SNMP's default: `IF-MIB::ifDescr.1`.
    fn default() -> Self {
        OidStyle {
            format: OidFormat::Module,
            decode_index: true,
            escape_quotes: false,
        }
    }
}

/// The naming of an [`OidStyle`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OidFormat {
    /// `-OS`: `MODULE::name.index`.
    Module,
    /// `-Os`: `name.index`.
    Name,
    /// `-Of`: `.iso.org.dod...name.index`.
    Full,
    /// `-On`: `.1.3.6...`.
    Numeric,
    /// `-Ou`: the full path without the first of Net-SNMP's prefixes it
    /// starts with (`.iso.org.dod.internet.mgmt.mib-2.`,
    /// `.iso.org.dod.internet.experimental.`, `.iso.org.dod.internet.private.`,
    /// `.iso.org.dod.internet.snmpParties.`, `.iso.org.dod.internet.snmpSecrets.`):
    /// `interfaces.ifTable.ifEntry.ifDescr.1`.
    Ucd,
}

/// The prefixes `-Ou` removes (Net-SNMP's `mib_prefixes`).
pub(crate) const UCD_PREFIXES: [&str; 5] = [
    ".iso.org.dod.internet.mgmt.mib-2",
    ".iso.org.dod.internet.experimental",
    ".iso.org.dod.internet.private",
    ".iso.org.dod.internet.snmpParties",
    ".iso.org.dod.internet.snmpSecrets",
];

/// How names are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ParseOptions {}

/// Why a name cannot be turned into an OID; `Display` gives Net-SNMP's
/// wording after `NAME: `.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// A label that no loaded module defines.
    #[error("Unknown Object Identifier (Sub-id not found: {parent} -> {label})")]
    UnknownLabel {
        /// Where the search was (`(top)` or the label before).
        parent: String,
        /// The label.
        label: String,
    },
    /// `MODULE::` names a module that is not loaded.
    #[error("Unknown Object Identifier (Cannot find module ({0}))")]
    UnknownModule(String),
    /// `MODULE::name` where the module does not define the name.
    #[error("Unknown Object Identifier")]
    NotInModule,
    /// An index component that is neither a number nor a quoted string.
    #[error("Unknown Object Identifier (bad index component: {0})")]
    BadIndex(String),
    /// More arcs than SNMP allows, or an arc over 2^32-1.
    #[error("Unknown Object Identifier (too long or arc out of range)")]
    TooLong,
}

impl Mibs {
    /// `oid` in `style`.
    pub fn format_oid(&self, oid: &Oid, style: OidStyle) -> String {
        let mut out = String::with_capacity(48);
        self.push_oid(&mut out, oid.arcs(), style);
        out
    }

    /// Appends `arcs` in `style` to `out`.
    pub fn push_oid(&self, out: &mut String, arcs: &[u32], style: OidStyle) {
        if style.format == OidFormat::Ucd {
            let start = out.len();
            self.push_oid(
                out,
                arcs,
                OidStyle {
                    format: OidFormat::Full,
                    ..style
                },
            );
            let full = &out[start..];
            if let Some(p) = UCD_PREFIXES
                .iter()
                .find(|p| full.len() > p.len() && full.starts_with(*p))
            {
                out.drain(start..start + p.len() + 1);
            }
            return;
        }
        if style.format == OidFormat::Numeric {
            for a in arcs {
                let _ = write!(out, ".{a}");
            }
            return;
        }
        let m = &self.model;
        // The matched path, and the last node on it with INDEX/AUGMENTS.
        let mut node = 0u32;
        let mut used = 0usize;
        let mut index_row = NONE;
        let mut path_start = out.len();
        if style.format == OidFormat::Full {
            out.push('.');
            path_start = out.len();
        }
        let mut label_start = out.len();
        let mut shown = (0u32, 0usize, NONE);
        for &arc in arcs {
            let parent = node;
            let Some(child) = m.child(node, arc) else {
                break;
            };
            node = child;
            used += 1;
            if let Some(o) = m.object(node) {
                if !o.index.is_empty() {
                    index_row = node;
                } else if o.augments != NONE {
                    index_row = o.augments;
                }
            }
            // `MODULE::name` only from modules Net-SNMP reads too: the
            // deepest such node is printed, the arcs after it numerically
            // (RFC1158-MIB read only for npm's RFC-1212: `mib-2.4`).
            if m.printable(node) {
                shown = (node, used, index_row);
            }
            let name = &m.nodes[node as usize].name;
            if style.format == OidFormat::Full {
                if out.len() > path_start {
                    out.push('.');
                }
                let root = match (used, arc) {
                    (1, 0) => "ccitt",
                    (1, 1) => "iso",
                    (1, 2) => "joint-iso-ccitt",
                    _ => "",
                };
                // A path is parsed label by label, each the first child of
                // that name: a MIB may give two arcs under one parent the
                // same label (`org(6)` next to SNMPv2-SMI's org(3)), and
                // only the first of them may print as its label.
                let first_so_named = || {
                    m.nodes[parent as usize]
                        .children
                        .iter()
                        .copied()
                        .find(|&c| m.nodes[c as usize].name == *name)
                };
                if !name.is_empty() && first_so_named() == Some(child) {
                    out.push_str(name);
                } else if !name.is_empty() {
                    let _ = write!(out, "{arc}");
                } else if !root.is_empty() {
                    out.push_str(root);
                } else {
                    let _ = write!(out, "{arc}");
                }
            } else {
                label_start = out.len();
                let _ = label_start;
            }
        }
        if style.format != OidFormat::Full {
            (node, used, index_row) = shown;
            out.truncate(label_start);
            if used == 0 {
                // Not even a root matched: Net-SNMP prints the numbers.
                for a in arcs {
                    let _ = write!(out, ".{a}");
                }
                return;
            }
            let n = &m.nodes[node as usize];
            if style.format == OidFormat::Module {
                if let Some(module) = m.modules.get(n.module as usize) {
                    out.push_str(&module.name);
                    out.push_str("::");
                }
            }
            if n.name.is_empty() {
                let _ = write!(out, "{}", n.arc);
            } else {
                out.push_str(&n.name);
            }
        }
        let mut rest = &arcs[used..];
        if rest.is_empty() {
            return;
        }
        out.push('.');
        if style.decode_index && index_row != NONE {
            // An unknown arc below a node with children (a row's unknown
            // column) is printed before the index is decoded.
            if !m.nodes[node as usize].children.is_empty() {
                if let Some((first, after)) = rest.split_first() {
                    let _ = write!(out, "{first}.");
                    rest = after;
                }
            }
            rest = self.push_index(out, index_row, rest, style.escape_quotes);
        }
        // The rest, numerically (Net-SNMP's _oid_finish_printing).
        if !out.ends_with('.') {
            out.push('.');
        }
        for a in rest {
            let _ = write!(out, "{a}.");
        }
        if out.ends_with('.') {
            out.pop();
        }
    }

    /// Decodes index components of `row` from `arcs`, each followed by a
    /// `.`; returns the arcs left undecoded.
    fn push_index<'a>(
        &self,
        out: &mut String,
        row: u32,
        mut arcs: &'a [u32],
        escape: bool,
    ) -> &'a [u32] {
        let m = &self.model;
        let Some(row_data) = m.object(row) else {
            return arcs;
        };
        let mut previous_type: Option<&str> = None;
        let mut previous_value: Option<u32> = None;
        for ix in &row_data.index {
            if arcs.is_empty() {
                break;
            }
            let Some(obj) = (ix.node != NONE).then(|| m.object(ix.node)).flatten() else {
                return arcs;
            };
            let syntax = &obj.syntax;
            let consumed_first = arcs.first().copied();
            match syntax.base.unwrap_or(BaseType::Unknown) {
                BaseType::OctetString => {
                    let fixed = match syntax.sizes.as_slice() {
                        [(a, b)] if a == b => usize::try_from(*a).ok(),
                        _ => None,
                    };
                    if ix.implied {
                        push_quoted(out, arcs, '\'', escape);
                        arcs = &[];
                    } else if let Some(n) = fixed {
                        if n > arcs.len() {
                            return arcs;
                        }
                        push_quoted(out, &arcs[..n], '\'', escape);
                        arcs = &arcs[n..];
                    } else {
                        let n = arcs[0] as usize;
                        if n >= arcs.len() {
                            return arcs;
                        }
                        let body = &arcs[1..=n];
                        if n == 0 {
                            out.push_str(if escape { "\\\"\\\"" } else { "\"\"" });
                        } else if syntax.type_name == "InetAddress"
                            && previous_type == Some("InetAddressType")
                            && push_inet_address(out, previous_value, body)
                        {
                        } else {
                            push_quoted(out, body, '"', escape);
                        }
                        arcs = &arcs[n + 1..];
                    }
                }
                BaseType::Integer | BaseType::Unsigned32 | BaseType::Gauge32 => {
                    let v = arcs[0];
                    match syntax.enums.iter().find(|(e, _)| *e == i64::from(v as i32)) {
                        Some((_, label)) => out.push_str(label),
                        None => {
                            let _ = write!(out, "{v}");
                        }
                    }
                    arcs = &arcs[1..];
                }
                BaseType::TimeTicks => {
                    let _ = write!(out, "{}", arcs[0]);
                    arcs = &arcs[1..];
                }
                BaseType::ObjectIdentifier => {
                    let n = if ix.implied {
                        arcs.len()
                    } else {
                        arcs[0] as usize + 1
                    };
                    if n > arcs.len() {
                        return arcs;
                    }
                    for (i, a) in arcs[..n].iter().enumerate() {
                        if i > 0 {
                            out.push('.');
                        }
                        let _ = write!(out, "{a}");
                    }
                    arcs = &arcs[n..];
                }
                BaseType::IpAddress => {
                    if arcs.len() < 4 {
                        return arcs;
                    }
                    let _ = write!(out, "{}.{}.{}.{}", arcs[0], arcs[1], arcs[2], arcs[3]);
                    arcs = &arcs[4..];
                }
                _ => return arcs,
            }
            out.push('.');
            previous_type = Some(syntax.type_name.as_str());
            previous_value = consumed_first;
        }
        arcs
    }

    /// Parses `MODULE::name.index`, `name.index` (looked up anywhere, like
    /// Net-SNMP's `-IR`), `.iso.org.dod...`, or a numeric OID. Index parts
    /// may be numbers, `"string"` (length-prefixed) or `'string'` (not).
    pub fn parse_oid(&self, text: &str) -> Result<Oid, ParseError> {
        let mut arcs: Vec<u32> = Vec::with_capacity(16);
        let (start, rest) = if let Some((module, after)) = text.split_once("::") {
            let (label, rest) = split_label(after);
            if !self.names.module_by_name.contains_key(module) {
                return Err(ParseError::UnknownModule(module.to_owned()));
            }
            let node = self
                .qualified(module, label)
                .ok_or(ParseError::NotInModule)?;
            arcs.extend(self.model.oid_of(node));
            (node, rest)
        } else if let Some(path) = text.strip_prefix('.') {
            // A path from the root: numbers or labels of each level.
            let mut node = 0u32;
            let mut rest = path;
            loop {
                let (label, after) = split_label(rest);
                if label.is_empty() || label.starts_with(['"', '\'']) {
                    break;
                }
                let next = match label.parse::<u32>() {
                    Ok(arc) => {
                        arcs.push(arc);
                        self.model.child(node, arc)
                    }
                    Err(_) => {
                        let found = self.model.nodes[node as usize]
                            .children
                            .iter()
                            .copied()
                            .find(|&c| self.model.nodes[c as usize].name == label)
                            .or_else(|| {
                                // The roots print by these names even when
                                // no module names them (see `push_oid`).
                                let arc = match (node, label) {
                                    (0, "ccitt") => 0,
                                    (0, "iso") => 1,
                                    (0, "joint-iso-ccitt") => 2,
                                    _ => return None,
                                };
                                self.model.child(0, arc)
                            });
                        match found {
                            Some(c) => {
                                arcs.push(self.model.nodes[c as usize].arc);
                                Some(c)
                            }
                            None => {
                                return Err(ParseError::UnknownLabel {
                                    parent: parent_label(self, node),
                                    label: label.to_owned(),
                                })
                            }
                        }
                    }
                };
                rest = after;
                match next {
                    Some(n) => node = n,
                    None => {
                        // Below the known tree: the rest is the index.
                        return finish(arcs, rest, self, NONE);
                    }
                }
                if rest.is_empty() {
                    break;
                }
            }
            (node, rest)
        } else {
            let (label, rest) = split_label(text);
            if label.bytes().all(|b| b.is_ascii_digit()) && !label.is_empty() {
                return finish(arcs, text, self, NONE);
            }
            let node = match label {
                "iso" => self.model.child(0, 1),
                "ccitt" => self.model.child(0, 0),
                "joint-iso-ccitt" => self.model.child(0, 2),
                _ => None,
            }
            .or_else(|| {
                self.names
                    .by_name
                    .get(label)
                    .and_then(|v| v.first().copied())
            })
            .ok_or_else(|| ParseError::UnknownLabel {
                parent: "(top)".to_owned(),
                label: label.to_owned(),
            })?;
            arcs.extend(self.model.oid_of(node));
            (node, rest)
        };
        finish(arcs, rest, self, start)
    }
}

/// The label of `node` for error messages (`(top)` for the root).
fn parent_label(mibs: &Mibs, node: u32) -> String {
    match mibs.model.nodes.get(node as usize) {
        Some(n) if node != 0 => n.name.clone(),
        _ => "(top)".to_owned(),
    }
}

/// Appends the index part `rest` (`.3."user".5`) to `arcs`.
fn finish(mut arcs: Vec<u32>, rest: &str, _mibs: &Mibs, _node: u32) -> Result<Oid, ParseError> {
    let mut rest = rest.strip_prefix('.').unwrap_or(rest);
    while !rest.is_empty() {
        let (part, after) = split_label(rest);
        if let Some(q) = part.chars().next().filter(|c| *c == '"' || *c == '\'') {
            let body = &part[1..part.len().saturating_sub(1).max(1)];
            if part.len() < 2 || !part.ends_with(q) {
                return Err(ParseError::BadIndex(part.to_owned()));
            }
            if q == '"' {
                arcs.push(body.len() as u32);
            }
            arcs.extend(body.bytes().map(u32::from));
        } else {
            let arc = part
                .parse::<u32>()
                .map_err(|_| ParseError::BadIndex(part.to_owned()))?;
            arcs.push(arc);
        }
        rest = after;
    }
    if arcs.is_empty() {
        return Err(ParseError::TooLong);
    }
    Oid::from_arcs(arcs).map_err(|_| ParseError::TooLong)
}

/// Splits `a.b.c` into `a` and `b.c`; a quoted part runs to its closing quote.
pub(crate) fn split_label(s: &str) -> (&str, &str) {
    let s = s.strip_prefix('.').unwrap_or(s);
    let end = match s.chars().next() {
        Some(q @ ('"' | '\'')) => s[1..].find(q).map_or(s.len(), |i| i + 2),
        _ => s.find('.').unwrap_or(s.len()),
    };
    let (head, tail) = s.split_at(end);
    (head, tail.strip_prefix('.').unwrap_or(tail))
}

/// Net-SNMP's quoted index string: each arc as a character, `.` for arcs
/// over 254 or not printable; `escape` (`-OE`) puts a backslash before
/// each of the two quotes.
fn push_quoted(out: &mut String, arcs: &[u32], quote: char, escape: bool) {
    if arcs.is_empty() {
        return;
    }
    if escape {
        out.push('\\');
    }
    out.push(quote);
    for &a in arcs {
        let c = if a <= 254 && (0x20..0x7f).contains(&a) {
            char::from(a as u8)
        } else {
            '.'
        };
        out.push(c);
    }
    if escape {
        out.push('\\');
    }
    out.push(quote);
}

/// Net-SNMP's InetAddress index after an InetAddressType one: `"10.0.0.1"`,
/// `"fe:80:...:01"` (two hex digits per octet), `%zone` for the zoned
/// types. False when the type/length pair is not one of those (DNS names,
/// odd lengths), which are then printed as a plain quoted string.
fn push_inet_address(out: &mut String, kind: Option<u32>, body: &[u32]) -> bool {
    if body.iter().any(|&a| a > 255) {
        return false;
    }
    let zone = |b: &[u32]| b.iter().fold(0u64, |z, &x| (z << 8) | u64::from(x));
    let text = match (kind, body.len()) {
        (Some(1), 4) | (Some(3), 8) => {
            let mut t = format!("{}.{}.{}.{}", body[0], body[1], body[2], body[3]);
            if body.len() == 8 {
                let _ = write!(t, "%{}", zone(&body[4..8]));
            }
            t
        }
        (Some(2), 16) | (Some(4), 20) => {
            let mut t = String::new();
            for (i, b) in body[..16].iter().enumerate() {
                if i > 0 {
                    t.push(':');
                }
                let _ = write!(t, "{b:02x}");
            }
            if body.len() == 20 {
                let _ = write!(t, "%{}", zone(&body[16..20]));
            }
            t
        }
        _ => return false,
    };
    out.push('"');
    out.push_str(&text);
    out.push('"');
    true
}

impl NodeKind {
    /// True for table columns and scalars: nodes that have instances.
    pub fn has_instances(self) -> bool {
        matches!(self, NodeKind::Column | NodeKind::Scalar)
    }
}
