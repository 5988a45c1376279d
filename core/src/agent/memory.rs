//! [`MemoryMib`]: an in-memory MIB store for scalars, tables, dynamic
//! objects and delegated subtrees, with O(log n) lookups.

use std::any::Any;
use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::ops::Bound;

use crate::oid::{Oid, MAX_OID_LEN};
use crate::value::{Value, ValueRef};

use super::encode::valid_oid;
use super::mib::{CommitFailed, Context, Found, GenErr, Lookup, Mib, SetError, UndoFailed};
use super::syntax::{MaxAccess, Syntax};

/// A function computing an object's value at request time.
pub type DynamicFn = Box<dyn Fn(&Context) -> Value + Send>;

/// An extra check run on SET after the syntax check (RFC 3416 §4.2.5 step
/// (10) and beyond: inconsistentValue, resourceUnavailable, ...). Receives
/// the instance name and the new value.
pub type Validator = Box<dyn Fn(&[u32], &ValueRef<'_>) -> Result<(), SetError> + Send>;

/// A scalar object type: its OID (without the `.0`), syntax and access.
///
/// ```
/// use oxsnmp_core::agent::{MaxAccess, ObjectType, Syntax};
/// let t = ObjectType::new("1.3.6.1.4.1.99999.1".parse().unwrap(), Syntax::integer_range(0, 100))
///     .access(MaxAccess::ReadWrite);
/// assert_eq!(t.oid().to_string(), "1.3.6.1.4.1.99999.1");
/// ```
pub struct ObjectType {
    oid: Oid,
    syntax: Syntax,
    access: MaxAccess,
    validator: Option<Validator>,
}

impl ObjectType {
    /// A read-only object type.
    pub fn new(oid: Oid, syntax: Syntax) -> Self {
        Self {
            oid,
            syntax,
            access: MaxAccess::ReadOnly,
            validator: None,
        }
    }

    /// Sets MAX-ACCESS.
    pub fn access(mut self, access: MaxAccess) -> Self {
        self.access = access;
        self
    }

    /// Adds a check run on SET after the syntax check.
    pub fn validate(
        mut self,
        f: impl Fn(&[u32], &ValueRef<'_>) -> Result<(), SetError> + Send + 'static,
    ) -> Self {
        self.validator = Some(Box::new(f));
        self
    }

    /// The object type's OID.
    pub fn oid(&self) -> &Oid {
        &self.oid
    }
}

impl fmt::Debug for ObjectType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ObjectType")
            .field("oid", &self.oid)
            .field("syntax", &self.syntax)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

/// A table column: its sub-identifier under the entry, syntax and access.
pub struct Column {
    sub_id: u32,
    syntax: Syntax,
    access: MaxAccess,
    validator: Option<Validator>,
}

impl Column {
    /// A read-only column `entry.sub_id`.
    pub fn new(sub_id: u32, syntax: Syntax) -> Self {
        Self {
            sub_id,
            syntax,
            access: MaxAccess::ReadOnly,
            validator: None,
        }
    }

    /// Sets MAX-ACCESS (`ReadCreate` lets SET create new rows' cells).
    pub fn access(mut self, access: MaxAccess) -> Self {
        self.access = access;
        self
    }

    /// Adds a check run on SET after the syntax check.
    pub fn validate(
        mut self,
        f: impl Fn(&[u32], &ValueRef<'_>) -> Result<(), SetError> + Send + 'static,
    ) -> Self {
        self.validator = Some(Box::new(f));
        self
    }
}

impl fmt::Debug for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Column")
            .field("sub_id", &self.sub_id)
            .field("syntax", &self.syntax)
            .field("access", &self.access)
            .finish_non_exhaustive()
    }
}

/// Names a table registered with [`MemoryMib::add_table`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TableId(usize);

/// Why an object, value or subtree could not be registered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegisterError {
    /// The OID is, contains or lies inside an object type or subtree already
    /// registered (object types are leaves; subtrees are exclusive).
    #[error("{0} overlaps an object type or subtree already registered")]
    Overlap(Oid),
    /// No registered object type is a prefix of this instance.
    #[error("{0} is not an instance of a registered object type")]
    UnknownObject(Oid),
    /// Not an instance name of its object type: a scalar's is `.0`, a
    /// column's has a non-empty index, and either fits in 128 arcs.
    #[error("{0} is not a valid instance of its object type")]
    BadInstance(Oid),
    /// The value does not satisfy the object's syntax.
    #[error("value for {oid} rejected: {error}")]
    BadValue {
        /// The instance or object.
        oid: Oid,
        /// What the syntax check said.
        error: SetError,
    },
    /// The instance is computed by a function and cannot be assigned.
    #[error("{0} is a dynamic object")]
    Dynamic(Oid),
    /// More row values than the table has columns.
    #[error("{given} values for a table of {columns} columns")]
    TooManyValues {
        /// Values given.
        given: usize,
        /// Columns of the table.
        columns: usize,
    },
    /// The table has no column with this sub-identifier.
    #[error("no column {0} in this table")]
    UnknownColumn(u32),
    /// The [`TableId`] belongs to another `MemoryMib`.
    #[error("unknown table")]
    UnknownTable,
}

struct Def {
    /// `None` for dynamic objects, whose values are not checked.
    syntax: Option<Syntax>,
    access: MaxAccess,
    scalar: bool,
    validator: Option<Validator>,
}

enum Slot {
    Value(Value),
    Dynamic(DynamicFn),
}

impl fmt::Debug for Slot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Slot::Value(v) => v.fmt(f),
            Slot::Dynamic(_) => f.write_str("<dynamic>"),
        }
    }
}

#[derive(Debug)]
struct Instance {
    slot: Slot,
}

impl Instance {
    #[inline]
    fn value(&self, ctx: &Context) -> Cow<'_, Value> {
        match &self.slot {
            Slot::Value(v) => Cow::Borrowed(v),
            Slot::Dynamic(f) => Cow::Owned(f(ctx)),
        }
    }
}

struct TableDef {
    entry: Box<[u32]>,
    columns: Vec<(u32, u32)>,
}

/// A [`Mib`] with its undo record type-erased, so any MIB can be mounted as
/// a subtree of a [`MemoryMib`].
trait ErasedMib: Send {
    fn erased_get<'a>(&'a self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'a>, GenErr>;
    fn erased_next<'a>(&'a self, ctx: &Context, after: &[u32])
        -> Result<Option<Found<'a>>, GenErr>;
    fn erased_test_set(
        &self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<(), SetError>;
    fn erased_commit_set(
        &mut self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<Box<dyn Any + Send>, CommitFailed>;
    fn erased_undo_set(
        &mut self,
        ctx: &Context,
        undo: Box<dyn Any + Send>,
    ) -> Result<(), UndoFailed>;
    fn erased_finish_set(&mut self, ctx: &Context);
}

impl<M> ErasedMib for M
where
    M: Mib + Send,
    M::Undo: Send + 'static,
{
    fn erased_get<'a>(&'a self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'a>, GenErr> {
        <M as Mib>::get(self, ctx, oid)
    }
    fn erased_next<'a>(
        &'a self,
        ctx: &Context,
        after: &[u32],
    ) -> Result<Option<Found<'a>>, GenErr> {
        <M as Mib>::next(self, ctx, after)
    }
    fn erased_test_set(
        &self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<(), SetError> {
        <M as Mib>::test_set(self, ctx, oid, value)
    }
    fn erased_commit_set(
        &mut self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<Box<dyn Any + Send>, CommitFailed> {
        <M as Mib>::commit_set(self, ctx, oid, value).map(|u| Box::new(u) as Box<dyn Any + Send>)
    }
    fn erased_undo_set(
        &mut self,
        ctx: &Context,
        undo: Box<dyn Any + Send>,
    ) -> Result<(), UndoFailed> {
        match undo.downcast::<M::Undo>() {
            Ok(u) => <M as Mib>::undo_set(self, ctx, *u),
            Err(_) => Err(UndoFailed),
        }
    }
    fn erased_finish_set(&mut self, ctx: &Context) {
        <M as Mib>::finish_set(self, ctx)
    }
}

/// How to revert one assignment to a [`MemoryMib`].
pub struct MemoryUndo(UndoKind);

enum UndoKind {
    Restore {
        key: Box<[u32]>,
        previous: Option<Slot>,
    },
    Subtree {
        prefix: Box<[u32]>,
        token: Box<dyn Any + Send>,
    },
}

impl fmt::Debug for MemoryUndo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            UndoKind::Restore { key, previous, .. } => f
                .debug_struct("Restore")
                .field("key", key)
                .field("previous", previous)
                .finish(),
            UndoKind::Subtree { prefix, .. } => f
                .debug_struct("Subtree")
                .field("prefix", prefix)
                .finish_non_exhaustive(),
        }
    }
}

/// An in-memory MIB: scalars, tables with typed columns, objects computed
/// at request time, and whole subtrees delegated to other [`Mib`]s.
///
/// Instances live in one `BTreeMap` keyed by their sub-identifiers, so GET
/// and GETNEXT are O(log n) whatever the size (a 1,000,000-object store is
/// measured in `core/tests/agent.rs`). Object types (scalars and columns)
/// are leaves and must not overlap each other or a delegated subtree;
/// registration checks this. SETs are checked against the object's
/// MAX-ACCESS, [`Syntax`] and optional validator in the order of RFC 3416
/// §4.2.5, and are undone exactly on failure.
///
/// ```
/// use oxsnmp_core::agent::{Column, MaxAccess, MemoryMib, Syntax};
/// use oxsnmp_core::{Oid, Value};
///
/// let mut mib = MemoryMib::new();
/// let base: Oid = "1.3.6.1.4.1.99999".parse().unwrap();
/// // A read-only scalar: base.1.0 = "hello".
/// mib.add_scalar(base.child(1).unwrap(), "hello").unwrap();
/// // A table base.2.1 with an index column, a name and a writable status.
/// let table = mib
///     .add_table(base.extended(&[2, 1]).unwrap(), [
///         Column::new(1, Syntax::integer_range(1, i32::MAX)),
///         Column::new(2, Syntax::display_string()),
///         Column::new(3, Syntax::enumeration(&[1, 2])).access(MaxAccess::ReadWrite),
///     ])
///     .unwrap();
/// mib.insert_row(table, &[1], [Value::Integer(1), Value::from("eth0"), Value::Integer(1)]).unwrap();
/// // A dynamic scalar computed at request time: base.3.0 = sysUpTime / 100.
/// mib.add_dynamic(base.child(3).unwrap(), |ctx| Value::Gauge32(ctx.sys_up_time / 100)).unwrap();
/// assert_eq!(mib.len(), 5);
/// assert_eq!(mib.value(&[1, 3, 6, 1, 4, 1, 99999, 2, 1, 2, 1]), Some(&Value::from("eth0")));
/// ```
#[derive(Default)]
pub struct MemoryMib {
    defs: Vec<Def>,
    def_index: BTreeMap<Box<[u32]>, u32>,
    instances: BTreeMap<Box<[u32]>, Instance>,
    subtrees: BTreeMap<Box<[u32]>, Box<dyn ErasedMib>>,
    tables: Vec<TableDef>,
    touched: Vec<Box<[u32]>>,
}

impl fmt::Debug for MemoryMib {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MemoryMib")
            .field("object_types", &self.defs.len())
            .field("instances", &self.instances.len())
            .field("subtrees", &self.subtrees.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// The entry with the greatest key ≤ `oid`.
fn greatest_le<'m, V>(map: &'m BTreeMap<Box<[u32]>, V>, oid: &[u32]) -> Option<(&'m [u32], &'m V)> {
    map.range::<[u32], _>((Bound::Unbounded, Bound::Included(oid)))
        .next_back()
        .map(|(k, v)| (&**k, v))
}

/// The entry whose key is a prefix of `oid` (or `oid` itself).
///
/// Keys never nest (registration refuses it), so only the greatest key
/// ≤ `oid` can be a prefix of it: any key between a prefix P of `oid` and
/// `oid` would have to extend P.
fn containing<'m, V>(map: &'m BTreeMap<Box<[u32]>, V>, oid: &[u32]) -> Option<(&'m [u32], &'m V)> {
    greatest_le(map, oid).filter(|(k, _)| oid.starts_with(k))
}

/// Whether some key is a prefix of `oid`, equal to it, or extends it.
fn overlaps<V>(map: &BTreeMap<Box<[u32]>, V>, oid: &[u32]) -> bool {
    containing(map, oid).is_some()
        || map
            .range::<[u32], _>((Bound::Included(oid), Bound::Unbounded))
            .next()
            .is_some_and(|(k, _)| k.starts_with(oid))
}

fn to_oid(arcs: &[u32]) -> Oid {
    Oid::from_slice(arcs).unwrap_or(Oid::from_static(&[0, 0]))
}

impl MemoryMib {
    /// An empty MIB.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of stored instances (objects in delegated subtrees not counted).
    pub fn len(&self) -> usize {
        self.instances.len()
    }

    /// Whether no instance is stored.
    pub fn is_empty(&self) -> bool {
        self.instances.is_empty()
    }

    fn check_free(&self, oid: &[u32]) -> Result<(), RegisterError> {
        // One arc is kept for the instance suffix.
        if !valid_oid(oid) || oid.len() >= MAX_OID_LEN {
            return Err(RegisterError::BadInstance(to_oid(oid)));
        }
        if overlaps(&self.def_index, oid) || overlaps(&self.subtrees, oid) {
            return Err(RegisterError::Overlap(to_oid(oid)));
        }
        Ok(())
    }

    fn push_def(&mut self, oid: &[u32], def: Def) -> u32 {
        let id = self.defs.len() as u32;
        self.defs.push(def);
        self.def_index.insert(oid.into(), id);
        id
    }

    /// Adds a read-only scalar `object.0` whose syntax is its value's type.
    pub fn add_scalar(
        &mut self,
        object: Oid,
        value: impl Into<Value>,
    ) -> Result<(), RegisterError> {
        let value = value.into();
        let syntax = Syntax::of_value(&value).ok_or_else(|| RegisterError::BadValue {
            oid: object.clone(),
            error: SetError::WrongType,
        })?;
        self.add_object(ObjectType::new(object, syntax), value)
    }

    /// Adds a scalar `object.0` with an explicit syntax and access.
    pub fn add_object(
        &mut self,
        object: ObjectType,
        value: impl Into<Value>,
    ) -> Result<(), RegisterError> {
        let value = value.into();
        object
            .syntax
            .check_value(&value)
            .map_err(|error| RegisterError::BadValue {
                oid: object.oid.clone(),
                error,
            })?;
        let oid = object.oid.arcs();
        self.check_free(oid)?;
        self.push_def(
            oid,
            Def {
                syntax: Some(object.syntax),
                access: object.access,
                scalar: true,
                validator: object.validator,
            },
        );
        let mut key = oid.to_vec();
        key.push(0);
        self.instances.insert(
            key.into_boxed_slice(),
            Instance {
                slot: Slot::Value(value),
            },
        );
        Ok(())
    }

    /// Adds a read-only scalar `object.0` whose value `f` computes each time
    /// it is read. `f` must return a value (not NULL or an exception); it
    /// runs inside the agent's request handling, so keep it quick.
    pub fn add_dynamic(
        &mut self,
        object: Oid,
        f: impl Fn(&Context) -> Value + Send + 'static,
    ) -> Result<(), RegisterError> {
        let oid = object.arcs();
        self.check_free(oid)?;
        self.push_def(
            oid,
            Def {
                syntax: None,
                access: MaxAccess::ReadOnly,
                scalar: true,
                validator: None,
            },
        );
        let mut key = oid.to_vec();
        key.push(0);
        self.instances.insert(
            key.into_boxed_slice(),
            Instance {
                slot: Slot::Dynamic(Box::new(f)),
            },
        );
        Ok(())
    }

    /// Registers a table by its entry OID (`...Table.1`) and columns. Rows
    /// are added with [`insert_row`](Self::insert_row) or, for read-create
    /// columns, by SET.
    pub fn add_table(
        &mut self,
        entry: Oid,
        columns: impl IntoIterator<Item = Column>,
    ) -> Result<TableId, RegisterError> {
        let columns: Vec<Column> = columns.into_iter().collect();
        let mut names = Vec::with_capacity(columns.len());
        for c in &columns {
            let name = entry
                .child(c.sub_id)
                .ok_or_else(|| RegisterError::BadInstance(entry.clone()))?;
            self.check_free(name.arcs())?;
            if names.contains(&name) {
                return Err(RegisterError::Overlap(name));
            }
            names.push(name);
        }
        let mut table = TableDef {
            entry: entry.arcs().into(),
            columns: Vec::with_capacity(columns.len()),
        };
        for (c, name) in columns.into_iter().zip(names) {
            let id = self.push_def(
                name.arcs(),
                Def {
                    syntax: Some(c.syntax),
                    access: c.access,
                    scalar: false,
                    validator: c.validator,
                },
            );
            table.columns.push((c.sub_id, id));
        }
        self.tables.push(table);
        Ok(TableId(self.tables.len() - 1))
    }

    fn table(&self, table: TableId) -> Result<&TableDef, RegisterError> {
        self.tables.get(table.0).ok_or(RegisterError::UnknownTable)
    }

    fn cell_name(entry: &[u32], column: u32, index: &[u32]) -> Result<Vec<u32>, RegisterError> {
        let mut name = Vec::with_capacity(entry.len() + 1 + index.len());
        name.extend_from_slice(entry);
        name.push(column);
        name.extend_from_slice(index);
        if index.is_empty() || name.len() > MAX_OID_LEN {
            return Err(RegisterError::BadInstance(to_oid(&name)));
        }
        Ok(name)
    }

    /// Sets a row's cells, in column order (fewer values than columns leave
    /// the last cells absent). All values are checked before any is stored.
    pub fn insert_row(
        &mut self,
        table: TableId,
        index: &[u32],
        values: impl IntoIterator<Item = Value>,
    ) -> Result<(), RegisterError> {
        let t = self.table(table)?;
        let values: Vec<Value> = values.into_iter().collect();
        if values.len() > t.columns.len() {
            return Err(RegisterError::TooManyValues {
                given: values.len(),
                columns: t.columns.len(),
            });
        }
        let mut cells = Vec::with_capacity(values.len());
        for (&(col, def), value) in t.columns.iter().zip(values) {
            let name = Self::cell_name(&t.entry, col, index)?;
            self.check_def_value(def, &name, &value)?;
            cells.push((name, value));
        }
        for (name, value) in cells {
            self.instances.insert(
                name.into_boxed_slice(),
                Instance {
                    slot: Slot::Value(value),
                },
            );
        }
        Ok(())
    }

    /// Sets one cell of a row (creating the row if it had no cells).
    pub fn set_cell(
        &mut self,
        table: TableId,
        index: &[u32],
        column: u32,
        value: impl Into<Value>,
    ) -> Result<(), RegisterError> {
        let t = self.table(table)?;
        let &(_, def) = t
            .columns
            .iter()
            .find(|(c, _)| *c == column)
            .ok_or(RegisterError::UnknownColumn(column))?;
        let name = Self::cell_name(&t.entry, column, index)?;
        let value = value.into();
        self.check_def_value(def, &name, &value)?;
        self.instances.insert(
            name.into_boxed_slice(),
            Instance {
                slot: Slot::Value(value),
            },
        );
        Ok(())
    }

    /// Removes every cell of a row; returns how many were removed.
    pub fn remove_row(&mut self, table: TableId, index: &[u32]) -> Result<usize, RegisterError> {
        let t = self.table(table)?;
        let mut names = Vec::with_capacity(t.columns.len());
        for &(col, _) in &t.columns {
            names.push(Self::cell_name(&t.entry, col, index)?);
        }
        Ok(names
            .iter()
            .filter(|n| self.instances.remove(n.as_slice()).is_some())
            .count())
    }

    fn check_def_value(&self, def: u32, name: &[u32], value: &Value) -> Result<(), RegisterError> {
        let d = self
            .defs
            .get(def as usize)
            .ok_or_else(|| RegisterError::UnknownObject(to_oid(name)))?;
        match &d.syntax {
            Some(s) => s
                .check_value(value)
                .map_err(|error| RegisterError::BadValue {
                    oid: to_oid(name),
                    error,
                }),
            None => Err(RegisterError::Dynamic(to_oid(name))),
        }
    }

    /// Assigns a value to any instance of a registered object type, from
    /// application code (no access check; the syntax is checked). Returns
    /// the previous value.
    pub fn set_value(
        &mut self,
        instance: &[u32],
        value: impl Into<Value>,
    ) -> Result<Option<Value>, RegisterError> {
        let (object, &def) = containing(&self.def_index, instance)
            .ok_or_else(|| RegisterError::UnknownObject(to_oid(instance)))?;
        let suffix = instance.get(object.len()..).unwrap_or(&[]);
        let scalar = self.defs.get(def as usize).is_some_and(|d| d.scalar);
        if (scalar && suffix != [0]) || suffix.is_empty() {
            return Err(RegisterError::BadInstance(to_oid(instance)));
        }
        let value = value.into();
        self.check_def_value(def, instance, &value)?;
        let previous = self.instances.insert(
            instance.into(),
            Instance {
                slot: Slot::Value(value),
            },
        );
        Ok(previous.and_then(|i| match i.slot {
            Slot::Value(v) => Some(v),
            Slot::Dynamic(_) => None,
        }))
    }

    /// The stored value of an instance (`None` if absent or dynamic).
    pub fn value(&self, instance: &[u32]) -> Option<&Value> {
        match &self.instances.get(instance)?.slot {
            Slot::Value(v) => Some(v),
            Slot::Dynamic(_) => None,
        }
    }

    /// Removes one instance; returns whether it existed.
    pub fn remove(&mut self, instance: &[u32]) -> bool {
        self.instances.remove(instance).is_some()
    }

    /// Delegates everything under `prefix` to another MIB, consulted at
    /// request time (live tables, proxies, computed subtrees). The subtree
    /// must not overlap registered object types or other subtrees, and its
    /// [`next`](Mib::next) must stay inside `prefix` (the store answers
    /// genErr otherwise).
    pub fn add_subtree<M>(&mut self, prefix: Oid, mib: M) -> Result<(), RegisterError>
    where
        M: Mib + Send + 'static,
        M::Undo: Send + 'static,
    {
        let p = prefix.arcs();
        if !valid_oid(p) {
            return Err(RegisterError::BadInstance(prefix));
        }
        if overlaps(&self.def_index, p) || overlaps(&self.subtrees, p) {
            return Err(RegisterError::Overlap(prefix));
        }
        self.subtrees.insert(p.into(), Box::new(mib));
        Ok(())
    }

    fn subtree_mut(&mut self, oid: &[u32]) -> Option<(&[u32], &mut Box<dyn ErasedMib>)> {
        self.subtrees
            .range_mut::<[u32], _>((Bound::Unbounded, Bound::Included(oid)))
            .next_back()
            .filter(|(k, _)| oid.starts_with(k))
            .map(|(k, v)| (&**k, v))
    }
}

/// Checks what a delegated subtree returned: inside its prefix and after
/// the requested name, so the store's order stays strict.
fn checked<'a>(prefix: &[u32], after: &[u32], f: Found<'a>) -> Result<Found<'a>, GenErr> {
    if f.oid.starts_with(prefix) && f.oid.as_ref() > after && valid_oid(&f.oid) {
        Ok(f)
    } else {
        Err(GenErr)
    }
}

impl Mib for MemoryMib {
    type Undo = MemoryUndo;

    fn get(&self, ctx: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
        if let Some(inst) = self.instances.get(oid) {
            return Ok(Lookup::Value(inst.value(ctx)));
        }
        if let Some((_, sub)) = containing(&self.subtrees, oid) {
            return sub.erased_get(ctx, oid);
        }
        // RFC 3416 §4.2.1 (2)/(3).
        Ok(if containing(&self.def_index, oid).is_some() {
            Lookup::NoSuchInstance
        } else {
            Lookup::NoSuchObject
        })
    }

    fn next(&self, ctx: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
        let stored = self
            .instances
            .range::<[u32], _>((Bound::Excluded(after), Bound::Unbounded))
            .next();
        if !self.subtrees.is_empty() {
            // A subtree is a contiguous interval of the order and holds no
            // stored instance, so anything it yields after `after` comes
            // before `stored` whenever its prefix does.
            if let Some((prefix, sub)) = containing(&self.subtrees, after) {
                if let Some(f) = sub.erased_next(ctx, after)? {
                    return checked(prefix, after, f).map(Some);
                }
            }
            for (prefix, sub) in self
                .subtrees
                .range::<[u32], _>((Bound::Excluded(after), Bound::Unbounded))
            {
                if stored.is_some_and(|(k, _)| **prefix > **k) {
                    break;
                }
                if let Some(f) = sub.erased_next(ctx, after)? {
                    return checked(prefix, after, f).map(Some);
                }
            }
        }
        Ok(stored.map(|(k, inst)| Found {
            oid: Cow::Borrowed(&**k),
            value: inst.value(ctx),
        }))
    }

    fn test_set(&self, ctx: &Context, oid: &[u32], value: &ValueRef<'_>) -> Result<(), SetError> {
        if let Some((_, sub)) = containing(&self.subtrees, oid) {
            return sub.erased_test_set(ctx, oid, value);
        }
        // §4.2.5 (2): no object with this prefix can ever be written.
        let Some((object, &id)) = containing(&self.def_index, oid) else {
            return Err(SetError::NotWritable);
        };
        let def = self.defs.get(id as usize).ok_or(SetError::GenErr)?;
        if !def.access.writable() {
            return Err(SetError::NotWritable);
        }
        // §4.2.5 (3), (4), (6): wrongType, wrongLength, wrongValue.
        if let Some(syntax) = &def.syntax {
            syntax.check(value)?;
        }
        match self.instances.get(oid) {
            // §4.2.5 (9): exists but can never be modified.
            Some(Instance {
                slot: Slot::Dynamic(_),
                ..
            }) => return Err(SetError::NotWritable),
            Some(_) => {}
            None => {
                // §4.2.5 (7): a scalar has only `.0`; rows are created only
                // through read-create columns.
                let index = oid.get(object.len()..).unwrap_or(&[]);
                let creatable = if def.scalar {
                    index == [0]
                } else {
                    def.access == MaxAccess::ReadCreate && !index.is_empty()
                };
                if !creatable {
                    return Err(SetError::NoCreation);
                }
            }
        }
        match &def.validator {
            Some(v) => v(oid, value),
            None => Ok(()),
        }
    }

    fn commit_set(
        &mut self,
        ctx: &Context,
        oid: &[u32],
        value: &ValueRef<'_>,
    ) -> Result<MemoryUndo, CommitFailed> {
        if let Some((prefix, sub)) = self.subtree_mut(oid) {
            let prefix: Box<[u32]> = prefix.into();
            let token = sub.erased_commit_set(ctx, oid, value)?;
            if !self.touched.contains(&prefix) {
                self.touched.push(prefix.clone());
            }
            return Ok(MemoryUndo(UndoKind::Subtree { prefix, token }));
        }
        if containing(&self.def_index, oid).is_none() {
            return Err(CommitFailed);
        }
        let slot = Slot::Value(value.to_value());
        let previous = match self.instances.get_mut(oid) {
            Some(inst) => Some(std::mem::replace(&mut inst.slot, slot)),
            None => {
                self.instances.insert(oid.into(), Instance { slot });
                None
            }
        };
        Ok(MemoryUndo(UndoKind::Restore {
            key: oid.into(),
            previous,
        }))
    }

    fn undo_set(&mut self, ctx: &Context, undo: MemoryUndo) -> Result<(), UndoFailed> {
        match undo.0 {
            UndoKind::Restore {
                key,
                previous: Some(slot),
            } => {
                self.instances.insert(key, Instance { slot });
                Ok(())
            }
            UndoKind::Restore {
                key,
                previous: None,
            } => {
                self.instances.remove(&key);
                Ok(())
            }
            UndoKind::Subtree { prefix, token } => {
                self.touched.retain(|p| *p != prefix);
                match self.subtrees.get_mut(&prefix) {
                    Some(sub) => sub.erased_undo_set(ctx, token),
                    None => Err(UndoFailed),
                }
            }
        }
    }

    fn finish_set(&mut self, ctx: &Context) {
        for prefix in std::mem::take(&mut self.touched) {
            if let Some(sub) = self.subtrees.get_mut(&prefix) {
                sub.erased_finish_set(ctx);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    fn oid(s: &str) -> Oid {
        s.parse().unwrap()
    }

    fn ctx() -> Context {
        Context::new(Instant::now())
    }

    fn walk(mib: &impl Mib) -> Vec<(Vec<u32>, Value)> {
        let ctx = ctx();
        let mut cursor = vec![0, 0];
        let mut out = Vec::new();
        while let Some(f) = mib.next(&ctx, &cursor).unwrap() {
            assert!(f.oid.as_ref() > cursor.as_slice(), "not increasing");
            cursor = f.oid.to_vec();
            out.push((cursor.clone(), f.value.into_owned()));
        }
        out
    }

    /// A computed subtree: `prefix.i = Integer(i)` for i in 1..=n.
    struct Counting {
        prefix: Vec<u32>,
        n: u32,
        last_set: Option<i32>,
    }

    impl Mib for Counting {
        type Undo = Option<i32>;
        fn get(&self, _: &Context, oid: &[u32]) -> Result<Lookup<'_>, GenErr> {
            Ok(match oid.strip_prefix(self.prefix.as_slice()) {
                Some([i]) if (1..=self.n).contains(i) => {
                    Lookup::Value(Cow::Owned(Value::Integer(*i as i32)))
                }
                _ => Lookup::NoSuchInstance,
            })
        }
        fn next(&self, _: &Context, after: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
            for i in 1..=self.n {
                let mut name = self.prefix.clone();
                name.push(i);
                if name.as_slice() > after {
                    return Ok(Some(Found::owned(name, Value::Integer(i as i32))));
                }
            }
            Ok(None)
        }
        fn test_set(&self, _: &Context, _: &[u32], v: &ValueRef<'_>) -> Result<(), SetError> {
            match v {
                ValueRef::Integer(_) => Ok(()),
                _ => Err(SetError::WrongType),
            }
        }
        fn commit_set(
            &mut self,
            _: &Context,
            _: &[u32],
            v: &ValueRef<'_>,
        ) -> Result<Option<i32>, CommitFailed> {
            let ValueRef::Integer(i) = v else {
                return Err(CommitFailed);
            };
            Ok(self.last_set.replace(*i))
        }
        fn undo_set(&mut self, _: &Context, undo: Option<i32>) -> Result<(), UndoFailed> {
            self.last_set = undo;
            Ok(())
        }
    }

    fn sample() -> (MemoryMib, TableId) {
        let mut mib = MemoryMib::new();
        mib.add_scalar(oid("1.3.6.1.4.1.9.1"), "one").unwrap();
        mib.add_object(
            ObjectType::new(oid("1.3.6.1.4.1.9.2"), Syntax::integer_range(0, 10))
                .access(MaxAccess::ReadWrite)
                .validate(|_, v| match v {
                    ValueRef::Integer(7) => Err(SetError::InconsistentValue),
                    _ => Ok(()),
                }),
            5,
        )
        .unwrap();
        let t = mib
            .add_table(
                oid("1.3.6.1.4.1.9.3.1"),
                [
                    Column::new(2, Syntax::display_string()),
                    Column::new(3, Syntax::integer()).access(MaxAccess::ReadCreate),
                    Column::new(4, Syntax::counter64()).access(MaxAccess::ReadWrite),
                ],
            )
            .unwrap();
        mib.insert_row(
            t,
            &[1],
            [Value::from("a"), Value::Integer(10), Value::Counter64(1)],
        )
        .unwrap();
        mib.insert_row(t, &[2], [Value::from("b"), Value::Integer(20)])
            .unwrap();
        mib.add_dynamic(oid("1.3.6.1.4.1.9.4"), |c| Value::TimeTicks(c.sys_up_time))
            .unwrap();
        mib.add_subtree(
            oid("1.3.6.1.4.1.9.5"),
            Counting {
                prefix: vec![1, 3, 6, 1, 4, 1, 9, 5],
                n: 3,
                last_set: None,
            },
        )
        .unwrap();
        (mib, t)
    }

    #[test]
    fn walk_merges_store_tables_dynamic_and_subtrees_in_order() {
        let (mib, _) = sample();
        let names: Vec<String> = walk(&mib)
            .iter()
            .map(|(n, _)| to_oid(n).to_string())
            .collect();
        assert_eq!(
            names,
            [
                "1.3.6.1.4.1.9.1.0",
                "1.3.6.1.4.1.9.2.0",
                "1.3.6.1.4.1.9.3.1.2.1",
                "1.3.6.1.4.1.9.3.1.2.2",
                "1.3.6.1.4.1.9.3.1.3.1",
                "1.3.6.1.4.1.9.3.1.3.2",
                "1.3.6.1.4.1.9.3.1.4.1",
                "1.3.6.1.4.1.9.4.0",
                "1.3.6.1.4.1.9.5.1",
                "1.3.6.1.4.1.9.5.2",
                "1.3.6.1.4.1.9.5.3",
            ]
        );
    }

    #[test]
    fn subtree_before_stored_objects_and_between() {
        let mut mib = MemoryMib::new();
        mib.add_scalar(oid("1.3.6.1.4.1.9.9"), 9).unwrap();
        mib.add_subtree(
            oid("1.3.6.1.4.1.9.2"),
            Counting {
                prefix: vec![1, 3, 6, 1, 4, 1, 9, 2],
                n: 0,
                last_set: None,
            },
        )
        .unwrap();
        mib.add_subtree(
            oid("1.3.6.1.4.1.9.3"),
            Counting {
                prefix: vec![1, 3, 6, 1, 4, 1, 9, 3],
                n: 1,
                last_set: None,
            },
        )
        .unwrap();
        let names: Vec<Vec<u32>> = walk(&mib).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            vec![
                vec![1, 3, 6, 1, 4, 1, 9, 3, 1],
                vec![1, 3, 6, 1, 4, 1, 9, 9, 0]
            ]
        );
    }

    #[test]
    fn get_distinguishes_object_and_instance() {
        let (mib, _) = sample();
        let c = ctx().with_sys_up_time(1234);
        let get = |s: &str| mib.get(&c, oid(s).arcs()).unwrap();
        assert_eq!(
            get("1.3.6.1.4.1.9.1.0"),
            Lookup::Value(Cow::Owned(Value::from("one")))
        );
        assert_eq!(get("1.3.6.1.4.1.9.1.1"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.4.1.9.1"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.4.1.9.3.1.2.9"), Lookup::NoSuchInstance);
        assert_eq!(get("1.3.6.1.4.1.9.3.1.9.1"), Lookup::NoSuchObject);
        assert_eq!(get("1.3.6.1.4.1.9"), Lookup::NoSuchObject);
        assert_eq!(
            get("1.3.6.1.4.1.9.4.0"),
            Lookup::Value(Cow::Owned(Value::TimeTicks(1234)))
        );
        assert_eq!(
            get("1.3.6.1.4.1.9.5.2"),
            Lookup::Value(Cow::Owned(Value::Integer(2)))
        );
        assert_eq!(get("1.3.6.1.4.1.9.5.9"), Lookup::NoSuchInstance);
    }

    #[test]
    fn set_checks_in_rfc_order() {
        let (mib, _) = sample();
        let c = ctx();
        let test = |s: &str, v: ValueRef<'_>| mib.test_set(&c, oid(s).arcs(), &v);
        // (2) read-only object, unknown object.
        assert_eq!(
            test("1.3.6.1.4.1.9.1.0", ValueRef::OctetString(b"x")),
            Err(SetError::NotWritable)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.99.0", ValueRef::Integer(1)),
            Err(SetError::NotWritable)
        );
        // (3) before (7): wrong type on a non-creatable instance.
        assert_eq!(
            test("1.3.6.1.4.1.9.2.1", ValueRef::OctetString(b"x")),
            Err(SetError::WrongType)
        );
        // (6) wrongValue, (7) noCreation, (10) validator.
        assert_eq!(
            test("1.3.6.1.4.1.9.2.0", ValueRef::Integer(11)),
            Err(SetError::WrongValue)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.2.1", ValueRef::Integer(1)),
            Err(SetError::NoCreation)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.2.0", ValueRef::Integer(7)),
            Err(SetError::InconsistentValue)
        );
        assert_eq!(test("1.3.6.1.4.1.9.2.0", ValueRef::Integer(3)), Ok(()));
        // Row creation: read-create yes, read-write no.
        assert_eq!(test("1.3.6.1.4.1.9.3.1.3.9", ValueRef::Integer(1)), Ok(()));
        assert_eq!(
            test("1.3.6.1.4.1.9.3.1.4.9", ValueRef::Counter64(1)),
            Err(SetError::NoCreation)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.3.1.3", ValueRef::Integer(1)),
            Err(SetError::NoCreation)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.3.1.2.1", ValueRef::OctetString(b"x")),
            Err(SetError::NotWritable)
        );
        // Dynamic objects are read-only; subtrees decide for themselves.
        assert_eq!(
            test("1.3.6.1.4.1.9.4.0", ValueRef::TimeTicks(1)),
            Err(SetError::NotWritable)
        );
        assert_eq!(
            test("1.3.6.1.4.1.9.5.1", ValueRef::Null),
            Err(SetError::WrongType)
        );
        assert_eq!(test("1.3.6.1.4.1.9.5.1", ValueRef::Integer(1)), Ok(()));
    }

    #[test]
    fn commit_and_undo_restore_exactly() {
        let (mut mib, _) = sample();
        let c = ctx();
        let before = walk(&mib);
        let u1 = mib
            .commit_set(&c, oid("1.3.6.1.4.1.9.2.0").arcs(), &ValueRef::Integer(3))
            .unwrap();
        let u2 = mib
            .commit_set(
                &c,
                oid("1.3.6.1.4.1.9.3.1.3.9").arcs(),
                &ValueRef::Integer(90),
            )
            .unwrap();
        let u3 = mib
            .commit_set(&c, oid("1.3.6.1.4.1.9.5.1").arcs(), &ValueRef::Integer(4))
            .unwrap();
        assert_eq!(
            mib.value(oid("1.3.6.1.4.1.9.2.0").arcs()),
            Some(&Value::Integer(3))
        );
        assert_eq!(
            mib.value(oid("1.3.6.1.4.1.9.3.1.3.9").arcs()),
            Some(&Value::Integer(90))
        );
        assert_eq!(walk(&mib).len(), before.len() + 1);
        for u in [u3, u2, u1] {
            mib.undo_set(&c, u).unwrap();
        }
        assert_eq!(walk(&mib), before);
        assert!(mib.touched.is_empty());
    }

    #[test]
    fn registration_rules() {
        let (mut mib, t) = sample();
        assert!(matches!(
            mib.add_scalar(oid("1.3.6.1.4.1.9.1"), 1),
            Err(RegisterError::Overlap(_))
        ));
        assert!(matches!(
            mib.add_scalar(oid("1.3.6.1.4.1.9.1.5"), 1),
            Err(RegisterError::Overlap(_))
        ));
        assert!(matches!(
            mib.add_scalar(oid("1.3.6.1.4.1.9"), 1),
            Err(RegisterError::Overlap(_))
        ));
        assert!(matches!(
            mib.add_scalar(oid("1.3.6.1.4.1.9.5.7"), 1),
            Err(RegisterError::Overlap(_))
        ));
        assert!(matches!(
            mib.add_subtree(oid("1.3.6.1.4.1.9.3"), MemoryMib::new()),
            Err(RegisterError::Overlap(_))
        ));
        assert!(matches!(
            mib.add_scalar(oid("1.3.6.1.4.1.9.6"), Value::Null),
            Err(RegisterError::BadValue { .. })
        ));
        assert!(matches!(
            mib.insert_row(t, &[3], [Value::Integer(1)]),
            Err(RegisterError::BadValue {
                error: SetError::WrongType,
                ..
            })
        ));
        assert!(matches!(
            mib.insert_row(t, &[3], vec![Value::from("x"); 4]),
            Err(RegisterError::TooManyValues {
                given: 4,
                columns: 3
            })
        ));
        assert!(matches!(
            mib.insert_row(t, &[], [Value::from("x")]),
            Err(RegisterError::BadInstance(_))
        ));
        assert!(matches!(
            mib.set_cell(t, &[1], 9, 1),
            Err(RegisterError::UnknownColumn(9))
        ));
        assert!(matches!(
            mib.set_value(oid("1.3.6.1.4.1.9.2.1").arcs(), 1),
            Err(RegisterError::BadInstance(_))
        ));
        assert!(matches!(
            mib.set_value(oid("1.3.6.1.4.1.9.4.0").arcs(), 1),
            Err(RegisterError::Dynamic(_))
        ));
        assert_eq!(
            mib.set_value(oid("1.3.6.1.4.1.9.2.0").arcs(), 9),
            Ok(Some(Value::Integer(5)))
        );
        assert_eq!(mib.remove_row(t, &[1]), Ok(3));
        assert_eq!(mib.remove_row(t, &[1]), Ok(0));
        assert!(matches!(
            mib.remove_row(TableId(7), &[1]),
            Err(RegisterError::UnknownTable)
        ));
    }

    /// A subtree that misbehaves: yields a name outside its prefix.
    struct Rogue;
    impl Mib for Rogue {
        type Undo = ();
        fn get(&self, _: &Context, _: &[u32]) -> Result<Lookup<'_>, GenErr> {
            Ok(Lookup::NoSuchObject)
        }
        fn next(&self, _: &Context, _: &[u32]) -> Result<Option<Found<'_>>, GenErr> {
            Ok(Some(Found::owned(vec![1, 3], Value::Integer(1))))
        }
    }

    #[test]
    fn rogue_subtree_is_a_generr_not_a_loop() {
        let mut mib = MemoryMib::new();
        mib.add_subtree(oid("1.3.6.1.4.1.7"), Rogue).unwrap();
        assert_eq!(mib.next(&ctx(), &[1, 3]), Err(GenErr));
    }
}
