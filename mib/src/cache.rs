//! The on-disk cache of compiled sets: our [`Model`] and the load warnings
//! in a small binary format, keyed by the exact list of files (path, size,
//! modification time) and the module selection. A file that does not
//! decode cleanly, or whose key differs, is ignored (and rewritten).

use std::path::Path;

use crate::load::Warning;
use crate::model::{
    Access, BaseType, IndexData, Model, ModuleData, NodeData, NodeKind, ObjectData, Status,
    SyntaxData,
};

// Version 2: descriptions and status of OBJECT-TYPEs and other
// definitions, the SMI type names.
// Version 3: node names and modules chosen by Net-SNMP's link order.
const MAGIC: &[u8; 8] = b"OXMIB\x00\x00\x03";

pub(crate) fn read(path: &Path, key: &str) -> Option<(Model, Vec<Warning>)> {
    let bytes = std::fs::read(path).ok()?;
    let mut r = Reader {
        bytes: &bytes,
        at: 0,
    };
    if r.take(MAGIC.len())? != MAGIC || r.string()? != key {
        return None;
    }
    let model = r.model()?;
    let n = r.len()?;
    let mut warnings = Vec::with_capacity(n.min(4096));
    for _ in 0..n {
        let file = r.opt_string()?;
        let line = match r.u64()? {
            0 => None,
            l => Some(usize::try_from(l).ok()?),
        };
        warnings.push(Warning {
            file,
            line,
            message: r.string()?,
        });
    }
    (r.at == bytes.len() && model.is_consistent()).then_some((model, warnings))
}

pub(crate) fn write(
    path: &Path,
    key: &str,
    model: &Model,
    warnings: &[Warning],
) -> std::io::Result<()> {
    let mut w = Vec::with_capacity(1 << 20);
    w.extend_from_slice(MAGIC);
    put_str(&mut w, key);
    put_model(&mut w, model);
    put_u64(&mut w, warnings.len() as u64);
    for warning in warnings {
        put_opt_str(&mut w, warning.file.as_deref());
        put_u64(&mut w, warning.line.map_or(0, |l| l as u64));
        put_str(&mut w, &warning.message);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, &w)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

fn put_u64(w: &mut Vec<u8>, mut v: u64) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            w.push(byte);
            return;
        }
        w.push(byte | 0x80);
    }
}

fn put_i64(w: &mut Vec<u8>, v: i64) {
    put_u64(w, ((v << 1) ^ (v >> 63)) as u64);
}

fn put_str(w: &mut Vec<u8>, s: &str) {
    put_u64(w, s.len() as u64);
    w.extend_from_slice(s.as_bytes());
}

fn put_opt_str(w: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => {
            w.push(1);
            put_str(w, s);
        }
        None => w.push(0),
    }
}

fn put_model(w: &mut Vec<u8>, m: &Model) {
    put_u64(w, m.modules.len() as u64);
    for module in &m.modules {
        put_str(w, &module.name);
        put_str(w, &module.origin);
        w.push(u8::from(module.from_file) | (u8::from(module.linked) << 1));
        put_u64(w, module.defs.len() as u64);
        for (name, n) in &module.defs {
            put_str(w, name);
            put_u64(w, u64::from(*n));
        }
    }
    put_u64(w, m.nodes.len() as u64);
    for n in &m.nodes {
        put_u64(w, u64::from(n.arc));
        put_u64(w, u64::from(n.parent.wrapping_add(1)));
        put_str(w, &n.name);
        put_u64(w, u64::from(n.module.wrapping_add(1)));
        w.push(n.kind as u8);
        put_u64(w, u64::from(n.object.wrapping_add(1)));
        put_u64(w, n.children.len() as u64);
        for &c in &n.children {
            put_u64(w, u64::from(c));
        }
        put_str(w, &n.description);
        w.push(n.status.map_or(0, |s| s as u8 + 1));
    }
    put_u64(w, m.objects.len() as u64);
    for o in &m.objects {
        let s = &o.syntax;
        w.push(s.base.map_or(0, |b| b as u8 + 1));
        put_str(w, &s.type_name);
        put_str(w, &s.smi_name);
        put_str(w, &s.hint);
        put_u64(w, s.enums.len() as u64);
        for (v, l) in &s.enums {
            put_i64(w, *v);
            put_str(w, l);
        }
        put_u64(w, s.bits.len() as u64);
        for (v, l) in &s.bits {
            put_u64(w, u64::from(*v));
            put_str(w, l);
        }
        put_u64(w, s.sizes.len() as u64);
        for (a, b) in &s.sizes {
            put_u64(w, *a);
            put_u64(w, *b);
        }
        put_u64(w, s.ranges.len() as u64);
        for (a, b) in &s.ranges {
            put_i64(w, *a);
            put_i64(w, *b);
        }
        w.push(o.access as u8);
        put_str(w, &o.units);
        put_u64(w, o.index.len() as u64);
        for ix in &o.index {
            put_u64(w, u64::from(ix.node.wrapping_add(1)));
            put_str(w, &ix.name);
            w.push(u8::from(ix.implied));
        }
        put_u64(w, u64::from(o.augments.wrapping_add(1)));
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let end = self.at.checked_add(n)?;
        let s = self.bytes.get(self.at..end)?;
        self.at = end;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u64(&mut self) -> Option<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(v);
            }
        }
        None
    }

    fn i64(&mut self) -> Option<i64> {
        let v = self.u64()?;
        Some(((v >> 1) as i64) ^ -((v & 1) as i64))
    }

    fn u32(&mut self) -> Option<u32> {
        u32::try_from(self.u64()?).ok()
    }

    /// A link stored as value + 1 (0 = none).
    fn link(&mut self) -> Option<u32> {
        Some(self.u32()?.wrapping_sub(1))
    }

    /// A count, bounded by the bytes left (each item takes at least one).
    fn len(&mut self) -> Option<usize> {
        let n = usize::try_from(self.u64()?).ok()?;
        (n <= self.bytes.len() - self.at).then_some(n)
    }

    fn string(&mut self) -> Option<String> {
        let n = self.len()?;
        String::from_utf8(self.take(n)?.to_vec()).ok()
    }

    fn opt_string(&mut self) -> Option<Option<String>> {
        match self.byte()? {
            0 => Some(None),
            1 => Some(Some(self.string()?)),
            _ => None,
        }
    }

    fn model(&mut self) -> Option<Model> {
        let mut modules = Vec::new();
        for _ in 0..self.len()? {
            let name = self.string()?;
            let origin = self.string()?;
            let flags = self.byte()?;
            let from_file = flags & 1 != 0;
            let linked = flags & 2 != 0;
            let mut defs = Vec::new();
            for _ in 0..self.len()? {
                defs.push((self.string()?, self.u32()?));
            }
            modules.push(ModuleData {
                name,
                origin,
                from_file,
                linked,
                defs,
            });
        }
        let mut nodes = Vec::new();
        for _ in 0..self.len()? {
            let arc = self.u32()?;
            let parent = self.link()?;
            let name = self.string()?;
            let module = self.link()?;
            let kind = *KINDS.get(usize::from(self.byte()?))?;
            let object = self.link()?;
            let mut children = Vec::new();
            for _ in 0..self.len()? {
                children.push(self.u32()?);
            }
            let description = self.string()?;
            let status = match self.byte()? {
                0 => None,
                s => Some(*STATUSES.get(usize::from(s) - 1)?),
            };
            nodes.push(NodeData {
                arc,
                parent,
                name,
                module,
                kind,
                object,
                children,
                description,
                status,
            });
        }
        let mut objects = Vec::new();
        for _ in 0..self.len()? {
            let base = match self.byte()? {
                0 => None,
                b => Some(*BASES.get(usize::from(b) - 1)?),
            };
            let type_name = self.string()?;
            let smi_name = self.string()?;
            let hint = self.string()?;
            let mut enums = Vec::new();
            for _ in 0..self.len()? {
                enums.push((self.i64()?, self.string()?));
            }
            let mut bits = Vec::new();
            for _ in 0..self.len()? {
                bits.push((self.u32()?, self.string()?));
            }
            let mut sizes = Vec::new();
            for _ in 0..self.len()? {
                sizes.push((self.u64()?, self.u64()?));
            }
            let mut ranges = Vec::new();
            for _ in 0..self.len()? {
                ranges.push((self.i64()?, self.i64()?));
            }
            let access = *ACCESSES.get(usize::from(self.byte()?))?;
            let units = self.string()?;
            let mut index = Vec::new();
            for _ in 0..self.len()? {
                let node = self.link()?;
                let name = self.string()?;
                let implied = self.byte()? != 0;
                index.push(IndexData {
                    node,
                    name,
                    implied,
                });
            }
            let augments = self.link()?;
            objects.push(ObjectData {
                syntax: SyntaxData {
                    base,
                    type_name,
                    smi_name,
                    hint,
                    enums,
                    bits,
                    sizes,
                    ranges,
                },
                access,
                units,
                index,
                augments,
            });
        }
        Some(Model {
            modules,
            nodes,
            objects,
        })
    }
}

// Discriminant order of the enums (the `as u8` casts above).
const KINDS: [NodeKind; 9] = [
    NodeKind::Node,
    NodeKind::Scalar,
    NodeKind::Table,
    NodeKind::Row,
    NodeKind::Column,
    NodeKind::Notification,
    NodeKind::Group,
    NodeKind::Compliance,
    NodeKind::Capability,
];
const STATUSES: [Status; 5] = [
    Status::Current,
    Status::Deprecated,
    Status::Obsolete,
    Status::Mandatory,
    Status::Optional,
];
const BASES: [BaseType; 13] = [
    BaseType::Integer,
    BaseType::Unsigned32,
    BaseType::Gauge32,
    BaseType::Counter32,
    BaseType::Counter64,
    BaseType::TimeTicks,
    BaseType::IpAddress,
    BaseType::OctetString,
    BaseType::ObjectIdentifier,
    BaseType::Bits,
    BaseType::Opaque,
    BaseType::Sequence,
    BaseType::Unknown,
];
const ACCESSES: [Access; 6] = [
    Access::NotAccessible,
    Access::AccessibleForNotify,
    Access::ReadOnly,
    Access::ReadWrite,
    Access::ReadCreate,
    Access::WriteOnly,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn discriminants_match_tables() {
        for (i, k) in KINDS.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
        for (i, k) in STATUSES.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
        for (i, k) in BASES.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
        for (i, k) in ACCESSES.iter().enumerate() {
            assert_eq!(*k as usize, i);
        }
    }
}
