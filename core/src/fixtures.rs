//! Test data shared by the runtime crates' tests (only with the
//! `test-fixtures` feature): a small MIB with a system group, a big
//! subtree and a sparse table, and the same MIB as a [`MemoryMib`].

use std::collections::BTreeMap;

use crate::agent::{Column, MaxAccess, MemoryMib, ObjectType, Syntax, TableId};
use crate::oid::Oid;
use crate::pdu::VarBind;
use crate::value::Value;

/// What a test agent serves: instance name → value.
pub type TestMib = BTreeMap<Oid, Value>;

/// Parses an OID written in a test.
///
/// # Panics
///
/// If `s` is not a valid OID.
pub fn oid(s: &str) -> Oid {
    s.parse().expect("test OID")
}

/// An object (outside [`test_mib`]) whose value is the address the request
/// came from, as text; [`memory_mib`] serves it.
pub const PEER: &str = "1.3.6.1.4.1.9998.1.0";

/// A MIB with a system group, a big subtree and a sparse table.
///
/// * `1.3.6.1.2.1.1.{1..=7}.0` — system group
/// * `1.3.6.1.4.1.9999.1.{1..=300}` — Integer(n)
/// * `1.3.6.1.4.1.9999.2.1.{1,2,3}.{1..=20}` — table, column 3 only on even rows
/// * `1.3.6.1.4.1.9999.3.0` — a trailing scalar after the table
pub fn test_mib() -> TestMib {
    let mut mib = TestMib::new();
    let system = [
        Value::from("oxsnmp test agent"),
        Value::ObjectIdentifier(oid("1.3.6.1.4.1.9999")),
        Value::TimeTicks(4242),
        Value::from("ops@example.invalid"),
        Value::from("router-1"),
        Value::from("lab"),
        Value::Integer(72),
    ];
    for (n, value) in (1..).zip(system) {
        mib.insert(oid(&format!("1.3.6.1.2.1.1.{n}.0")), value);
    }
    for n in 1..=300 {
        mib.insert(oid(&format!("1.3.6.1.4.1.9999.1.{n}")), Value::Integer(n));
    }
    for row in 1..=20u32 {
        let cell = |column: u32| oid(&format!("1.3.6.1.4.1.9999.2.1.{column}.{row}"));
        mib.insert(cell(1), Value::Integer(row as i32));
        mib.insert(cell(2), Value::from(format!("if{row}").as_str()));
        if row % 2 == 0 {
            mib.insert(cell(3), Value::Counter32(row * 100));
        }
    }
    mib.insert(oid("1.3.6.1.4.1.9999.3.0"), Value::Integer(-1));
    mib
}

/// The entries of `mib` under `root`, in order.
pub fn subtree(mib: &TestMib, root: &Oid) -> Vec<VarBind> {
    mib.range(root.clone()..)
        .take_while(|(k, _)| k.starts_with(root))
        .map(|(k, v)| VarBind::new(k.clone(), v.clone()))
        .collect()
}

/// `mib` as a [`MemoryMib`] of read-write objects: a name ending in `.0` is
/// a scalar, any other a cell of a one-column table (the name without its
/// last arc is the column), plus the [`PEER`] object.
///
/// # Panics
///
/// If `mib` holds a name or value a [`MemoryMib`] cannot take.
pub fn memory_mib(mib: &TestMib) -> MemoryMib {
    let mut memory = MemoryMib::new();
    let mut columns: BTreeMap<Oid, TableId> = BTreeMap::new();
    for (name, value) in mib {
        let (&last, object) = name.arcs().split_last().expect("test OID");
        let object = Oid::from_slice(object).expect("test OID");
        let syntax = Syntax::of_value(value).expect("test value");
        if last == 0 {
            let t = ObjectType::new(object, syntax).access(MaxAccess::ReadWrite);
            memory.add_object(t, value.clone()).expect("scalar");
            continue;
        }
        let table = *columns.entry(object.clone()).or_insert_with(|| {
            let (&sub_id, entry) = object.arcs().split_last().expect("test OID");
            let column = Column::new(sub_id, syntax).access(MaxAccess::ReadWrite);
            let entry = Oid::from_slice(entry).expect("test OID");
            memory.add_table(entry, [column]).expect("column")
        });
        memory
            .insert_row(table, &[last], [value.clone()])
            .expect("cell");
    }
    memory
        .add_dynamic(oid("1.3.6.1.4.1.9998.1"), |ctx| {
            Value::from(ctx.peer.to_string().as_str())
        })
        .expect("peer object");
    memory
}
