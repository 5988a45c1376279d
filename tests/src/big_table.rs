//! A table of any size that costs no memory: every cell is computed from its
//! column and row, so an agent can serve a million objects (or a billion)
//! without storing them, and a test can check each varbind it receives
//! against [`BigTable::value`].
//!
//! The instances are `ENTRY.column.row` for columns `1..=columns` and rows
//! `1..=rows`, column by column as a walk returns them.
//!
//! ```
//! use oxsnmp_tests::big_table::BigTable;
//! let table = BigTable::new(250_000, 4);
//! assert_eq!(table.len(), 1_000_000);
//! let (column, row) = table.cell(&table.oid(3, 17)).unwrap();
//! assert_eq!((column, row), (3, 17));
//! ```

use std::borrow::Cow;

use oxsnmp_core::agent::{Context, Found, GenErr, Lookup, Mib};
use oxsnmp_core::{Oid, Value};

/// `1.3.6.1.4.1.99999.5`: the table (under the test enterprise, next to
/// `oxTable`).
pub const TABLE: [u32; 8] = [1, 3, 6, 1, 4, 1, 99999, 5];

/// `TABLE.1`: its entry; instances are `ENTRY.column.row`.
pub const ENTRY: [u32; 9] = [1, 3, 6, 1, 4, 1, 99999, 5, 1];

/// A read-only table of `rows` × `columns` computed cells (see the
/// [module documentation](self)).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BigTable {
    rows: u32,
    columns: u32,
}

impl BigTable {
    /// A table of `rows` rows and `columns` columns (each at least 1).
    pub const fn new(rows: u32, columns: u32) -> Self {
        assert!(rows > 0 && columns > 0, "an empty table is not a table");
        Self { rows, columns }
    }

    /// How many instances it holds.
    pub fn len(&self) -> u64 {
        u64::from(self.rows) * u64::from(self.columns)
    }

    /// Never true: see [`new`](Self::new).
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The table's OID, the root to walk.
    pub fn root() -> Oid {
        Oid::from_slice(&TABLE).expect("valid OID")
    }

    /// The name of a cell.
    pub fn oid(&self, column: u32, row: u32) -> Oid {
        let mut arcs = ENTRY.to_vec();
        arcs.extend([column, row]);
        Oid::from_arcs(arcs).expect("valid OID")
    }

    /// The cell an instance name designates, if it is one of this table's.
    pub fn cell(&self, oid: &Oid) -> Option<(u32, u32)> {
        self.cell_of(oid.arcs())
    }

    fn cell_of(&self, arcs: &[u32]) -> Option<(u32, u32)> {
        match arcs.strip_prefix(&ENTRY[..])? {
            &[column, row]
                if (1..=self.columns).contains(&column) && (1..=self.rows).contains(&row) =>
            {
                Some((column, row))
            }
            _ => None,
        }
    }

    /// The value of a cell: a different type per column, a different value
    /// per row, so that a varbind from the wrong cell never passes for
    /// another.
    pub fn value(column: u32, row: u32) -> Value {
        match column % 4 {
            1 => Value::Integer(i32::try_from(row).unwrap_or(i32::MAX)),
            2 => Value::OctetString(format!("row {row} col {column}").into_bytes()),
            3 => Value::Counter64(u64::from(row) * 1_000_003 + u64::from(column)),
            _ => Value::Gauge32(row.wrapping_mul(7).wrapping_add(column)),
        }
    }

    /// The first cell strictly after `after`, in OID order.
    pub fn next_cell(&self, after: &[u32]) -> Option<(u32, u32)> {
        let Some(rest) = after.strip_prefix(&ENTRY[..]) else {
            // Before the table: its first cell; after it: nothing.
            return (after < &ENTRY[..]).then_some((1, 1));
        };
        let (column, row) = match *rest {
            [] | [0, ..] => return Some((1, 1)),
            [column] => (column, 0),
            // `ENTRY.c.r` and anything under it are followed by row r + 1.
            [column, row, ..] => (column, row),
        };
        if column > self.columns {
            return None;
        }
        match row.checked_add(1) {
            Some(next) if next <= self.rows => Some((column, next)),
            _ if column < self.columns => Some((column + 1, 1)),
            _ => None,
        }
    }
}

impl Mib for BigTable {
    type Undo = ();

    fn get(&self, _: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
        if let Some((column, row)) = self.cell_of(oid) {
            return Ok(Lookup::Value(Cow::Owned(Self::value(column, row))));
        }
        let column = oid.strip_prefix(&ENTRY[..]).and_then(|rest| rest.first());
        Ok(match column {
            Some(c) if (1..=self.columns).contains(c) => Lookup::NoSuchInstance,
            _ => Lookup::NoSuchObject,
        })
    }

    fn next(&self, _: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
        Ok(self.next_cell(after).map(|(column, row)| {
            let mut arcs = Vec::with_capacity(ENTRY.len() + 2);
            arcs.extend_from_slice(&ENTRY);
            arcs.extend([column, row]);
            Found::owned(arcs, Self::value(column, row))
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arcs(column: u32, row: u32) -> Vec<u32> {
        let mut a = ENTRY.to_vec();
        a.extend([column, row]);
        a
    }

    #[test]
    fn next_visits_every_cell_in_order_then_stops() {
        let t = BigTable::new(3, 2);
        let mut at = TABLE.to_vec();
        let mut seen = Vec::new();
        while let Some((c, r)) = t.next_cell(&at) {
            seen.push((c, r));
            at = arcs(c, r);
        }
        assert_eq!(seen, [(1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)]);
    }

    #[test]
    fn next_from_odd_places() {
        let t = BigTable::new(3, 2);
        assert_eq!(t.next_cell(&[1, 3]), Some((1, 1)));
        assert_eq!(t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 6]), None);
        assert_eq!(
            t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 5, 1, 2]),
            Some((2, 1))
        );
        assert_eq!(
            t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 5, 1, 1, 2, 9]),
            Some((1, 3))
        );
        assert_eq!(
            t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 5, 1, 1, u32::MAX]),
            Some((2, 1))
        );
        assert_eq!(t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 5, 1, 3]), None);
        assert_eq!(t.next_cell(&[1, 3, 6, 1, 4, 1, 99999, 5, 2]), None);
    }

    #[test]
    fn get_tells_missing_instances_from_missing_objects() {
        let t = BigTable::new(3, 2);
        let ctx = Context::new(std::time::Instant::now());
        assert_eq!(
            t.get(&ctx, &arcs(2, 3)).unwrap(),
            Lookup::Value(Cow::Owned(BigTable::value(2, 3)))
        );
        assert_eq!(t.get(&ctx, &arcs(2, 4)).unwrap(), Lookup::NoSuchInstance);
        assert_eq!(t.get(&ctx, &arcs(3, 1)).unwrap(), Lookup::NoSuchObject);
        assert_ne!(BigTable::value(1, 5), BigTable::value(1, 6));
    }
}
