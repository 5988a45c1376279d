//! The agent the client tests talk to: the core `Agent` over a `MemoryMib`,
//! served by this crate's own `AgentServer` on 127.0.0.1 or ::1 only, on a
//! runtime of its own (so a test's runtime holds only the client's tasks).
//! A silent agent is the same server with no community: it counts every
//! request and answers none.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::net::{SocketAddr, UdpSocket};

use oxsnmp_tokio::agent::{
    Access, AgentConfig, AgentServer, Column, MaxAccess, MemoryMib, ObjectType, Syntax, TableId,
};
use oxsnmp_tokio::{Oid, Value, VarBind};

/// What the agent serves: instance name → value.
pub type Mib = BTreeMap<Oid, Value>;

/// Parses an OID written in a test.
pub fn oid(s: &str) -> Oid {
    s.parse().expect("test OID")
}

/// An object (outside [`test_mib`]) whose value is the address the request
/// came from, as text.
pub const PEER: &str = "1.3.6.1.4.1.9998.1.0";

/// A MIB with a system group, a big subtree and a sparse table.
///
/// * `1.3.6.1.2.1.1.{1..=7}.0` — system group
/// * `1.3.6.1.4.1.9999.1.{1..=300}` — Integer(n)
/// * `1.3.6.1.4.1.9999.2.1.{1,2,3}.{1..=20}` — table, column 3 only on even rows
/// * `1.3.6.1.4.1.9999.3.0` — a trailing scalar after the table
pub fn test_mib() -> Mib {
    let mut mib = Mib::new();
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
pub fn subtree(mib: &Mib, root: &Oid) -> Vec<VarBind> {
    mib.range(root.clone()..)
        .take_while(|(k, _)| k.starts_with(root))
        .map(|(k, v)| VarBind::new(k.clone(), v.clone()))
        .collect()
}

/// `mib` as a `MemoryMib` of read-write objects: a name ending in `.0` is a
/// scalar, any other a cell of a one-column table (the name without its
/// last arc is the column), plus the [`PEER`] object.
pub fn memory_mib(mib: &Mib) -> MemoryMib {
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

/// A running test agent; stops when dropped.
pub struct Responder {
    server: Option<AgentServer<MemoryMib>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Responder {
    /// An agent on `bind` (e.g. `127.0.0.1:0`) serving `mib` to the
    /// read-write community `public`.
    pub fn start(bind: &str, mib: Mib) -> Responder {
        let config = AgentConfig::new()
            .community("public", Access::ReadWrite)
            .system(None);
        Self::spawn(bind, config, memory_mib(&mib))
    }

    /// An agent on `bind` that receives requests and never answers.
    pub fn silent(bind: &str) -> Responder {
        Self::spawn(bind, AgentConfig::new(), MemoryMib::new())
    }

    fn spawn(bind: &str, config: AgentConfig, mib: MemoryMib) -> Responder {
        let bind = bind.to_owned();
        // A thread of its own: a test may already be inside a runtime.
        let (runtime, server) = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(1)
                .enable_all()
                .build()
                .expect("agent runtime");
            let server = runtime.block_on(AgentServer::bind(&[&bind], config, mib));
            (runtime, server.expect("test agent"))
        })
        .join()
        .expect("agent start");
        Responder {
            server: Some(server),
            runtime: Some(runtime),
        }
    }

    fn server(&self) -> &AgentServer<MemoryMib> {
        self.server.as_ref().expect("running")
    }

    /// Where the agent listens.
    pub fn addr(&self) -> SocketAddr {
        self.server().local_addrs()[0]
    }

    /// How many datagrams arrived so far.
    pub fn requests(&self) -> usize {
        self.server().with_agent(|a| a.stats().in_pkts) as usize
    }
}

impl Drop for Responder {
    fn drop(&mut self) {
        self.server.take();
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// A loopback port on which nothing listens (bound, then released).
pub fn free_port(ip: &str) -> SocketAddr {
    let s = UdpSocket::bind(format!("{ip}:0")).expect("bind probe socket");
    s.local_addr().expect("probe address")
}
