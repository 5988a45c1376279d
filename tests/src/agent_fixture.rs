//! The agent the interop tests serve to Net-SNMP's command-line tools: the
//! core `Agent` over a `MemoryMib`, started through any of the three
//! runtimes' `AgentServer`, and the model of what it serves.
//!
//! * the `system` group from [`AgentConfig`] (with one sysORTable row),
//! * `oxTable` of `tests/data/OXSNMP-TEST-MIB.txt`
//!   (`.1.3.6.1.4.1.99999.1.1.{1..6}.N`: INTEGER index, OCTET STRING name,
//!   Counter64, Gauge32, IpAddress, TimeTicks) with [`ROWS`] rows,
//! * [`LABEL`]: a read-write DisplayString SIZE (0..32),
//! * [`LEVEL`]: a read-write Integer32 (0..100).
//!
//! Communities: `public` read-only, `private` read-write.

use std::collections::BTreeMap;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use oxsnmp_core::agent::{
    Access, Agent, AgentConfig, Column, MaxAccess, MemoryMib, ObjectType, Syntax, SystemInfo,
};
use oxsnmp_core::{Oid, Value};

use crate::peers::{TempDir, NO_MIBS};

/// Rows of `oxTable`.
pub const ROWS: u32 = 50;

/// The `oxTable` entry (`oxEntry`).
pub const OX_ENTRY: &str = "1.3.6.1.4.1.99999.1.1";

/// A read-write DisplayString SIZE (0..32) scalar instance.
pub const LABEL: &str = "1.3.6.1.4.1.99999.2.0";

/// A read-write Integer32 (0..100) scalar instance.
pub const LEVEL: &str = "1.3.6.1.4.1.99999.3.0";

/// [`LABEL`]'s initial value.
pub const LABEL_INITIAL: &str = "initial label";

/// [`LEVEL`]'s initial value.
pub const LEVEL_INITIAL: i32 = 50;

/// sysUpTime.0, whose value changes with time.
pub const SYS_UP_TIME: &str = "1.3.6.1.2.1.1.3.0";

/// sysDescr.0 as served.
pub const SYS_DESCR: &str = "oxsnmp interop agent";

fn oid(s: &str) -> Oid {
    s.parse().expect("fixture OID")
}

/// The six values of `oxTable` row `i` (index 1..=[`ROWS`]).
pub fn row(i: u32) -> [Value; 6] {
    let count = if i == 1 {
        u64::MAX
    } else {
        u64::from(i) * 1_000_003
    };
    let [_, b, c, d] = i.to_be_bytes();
    [
        Value::Integer(i as i32),
        Value::from(format!("row {i}").as_str()),
        Value::Counter64(count),
        Value::Gauge32(i % 1000),
        Value::IpAddress(Ipv4Addr::new(10, b, c, d)),
        Value::TimeTicks(i * 100),
    ]
}

/// The agent's settings: communities and the `system` group.
pub fn config() -> AgentConfig {
    AgentConfig::new()
        .community("public", Access::ReadOnly)
        .community("private", Access::ReadWrite)
        .system(
            SystemInfo::new(SYS_DESCR)
                .object_id(oid("1.3.6.1.4.1.99999.100"))
                .contact("ops@example.invalid")
                .name("oxsnmp-agent")
                .location("interop lab")
                .services(72)
                .or_entry(oid("1.3.6.1.6.3.1"), "The MIB module for SNMP entities"),
        )
}

/// The served MIB (the `system` group comes from [`config`]).
pub fn mib() -> MemoryMib {
    let mut mib = MemoryMib::new();
    let table = mib
        .add_table(
            oid(OX_ENTRY),
            [
                Column::new(1, Syntax::integer()),
                Column::new(2, Syntax::octet_string()),
                Column::new(3, Syntax::counter64()),
                Column::new(4, Syntax::gauge32()),
                Column::new(5, Syntax::ip_address()),
                Column::new(6, Syntax::time_ticks()),
            ],
        )
        .expect("oxTable");
    for i in 1..=ROWS {
        mib.insert_row(table, &[i], row(i)).expect("oxTable row");
    }
    mib.add_object(
        ObjectType::new(oid("1.3.6.1.4.1.99999.2"), Syntax::octet_string_size(0, 32))
            .access(MaxAccess::ReadWrite),
        LABEL_INITIAL,
    )
    .expect("label");
    mib.add_object(
        ObjectType::new(oid("1.3.6.1.4.1.99999.3"), Syntax::integer_range(0, 100))
            .access(MaxAccess::ReadWrite),
        LEVEL_INITIAL,
    )
    .expect("level");
    mib
}

/// Everything served outside the `snmp` group (`1.3.6.1.2.1.11`, live
/// counters), in order, as it is right after start. sysUpTime.0 is listed
/// with a zero value: compare its presence and type, not its value.
pub fn expected() -> BTreeMap<Oid, Value> {
    let mut m = BTreeMap::new();
    let mut put = |o: &str, v: Value| m.insert(oid(o), v);
    put("1.3.6.1.2.1.1.1.0", Value::from(SYS_DESCR));
    put(
        "1.3.6.1.2.1.1.2.0",
        Value::ObjectIdentifier(oid("1.3.6.1.4.1.99999.100")),
    );
    put(SYS_UP_TIME, Value::TimeTicks(0));
    put("1.3.6.1.2.1.1.4.0", Value::from("ops@example.invalid"));
    put("1.3.6.1.2.1.1.5.0", Value::from("oxsnmp-agent"));
    put("1.3.6.1.2.1.1.6.0", Value::from("interop lab"));
    put("1.3.6.1.2.1.1.7.0", Value::Integer(72));
    put("1.3.6.1.2.1.1.8.0", Value::TimeTicks(0));
    put(
        "1.3.6.1.2.1.1.9.1.2.1",
        Value::ObjectIdentifier(oid("1.3.6.1.6.3.1")),
    );
    put(
        "1.3.6.1.2.1.1.9.1.3.1",
        Value::from("The MIB module for SNMP entities"),
    );
    put("1.3.6.1.2.1.1.9.1.4.1", Value::TimeTicks(0));
    for i in 1..=ROWS {
        for (column, value) in (1..).zip(row(i)) {
            put(&format!("{OX_ENTRY}.{column}.{i}"), value);
        }
    }
    put(LABEL, Value::from(LABEL_INITIAL));
    put(LEVEL, Value::Integer(LEVEL_INITIAL));
    m
}

/// The entries of `model` under `root`, in order.
pub fn subtree(model: &BTreeMap<Oid, Value>, root: &Oid) -> Vec<(Oid, Value)> {
    model
        .range(root.clone()..)
        .take_while(|(k, _)| k.starts_with(root))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The first entry of `model` after `after`, if any.
pub fn next(model: &BTreeMap<Oid, Value>, after: &Oid) -> Option<(Oid, Value)> {
    use std::ops::Bound;
    model
        .range((Bound::Excluded(after.clone()), Bound::Unbounded))
        .next()
        .map(|(k, v)| (k.clone(), v.clone()))
}

/// The runtimes whose `AgentServer` can serve the fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Runtime {
    /// `oxsnmp-blocking`.
    Blocking,
    /// `oxsnmp-tokio`.
    Tokio,
    /// `oxsnmp-smol`.
    Smol,
}

enum Server {
    Blocking(oxsnmp_blocking::AgentServer<MemoryMib>),
    // Field order: the server is dropped before its runtime.
    Tokio(
        oxsnmp_tokio::AgentServer<MemoryMib>,
        tokio::runtime::Runtime,
    ),
    Smol(oxsnmp_smol::AgentServer<MemoryMib>),
}

/// An `AgentServer` of one runtime serving a MIB; stops when dropped.
pub struct Served {
    runtime: Runtime,
    server: Server,
    addrs: Vec<SocketAddr>,
}

impl std::fmt::Debug for Served {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Served")
            .field("runtime", &self.runtime)
            .field("addrs", &self.addrs)
            .finish_non_exhaustive()
    }
}

impl Served {
    /// Serves [`mib`] with [`config`] through `runtime` on `listen`.
    pub fn fixture(runtime: Runtime, listen: &[&str]) -> io::Result<Self> {
        Self::start(runtime, listen, config(), mib())
    }

    /// Serves `mib` with `config` through `runtime`'s `AgentServer`.
    pub fn start(
        runtime: Runtime,
        listen: &[&str],
        config: AgentConfig,
        mib: MemoryMib,
    ) -> io::Result<Self> {
        let server = match runtime {
            Runtime::Blocking => {
                Server::Blocking(oxsnmp_blocking::AgentServer::bind(listen, config, mib)?)
            }
            Runtime::Tokio => {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(1)
                    .enable_all()
                    .build()?;
                let server = rt.block_on(oxsnmp_tokio::AgentServer::bind(listen, config, mib))?;
                Server::Tokio(server, rt)
            }
            Runtime::Smol => Server::Smol(async_io::block_on(oxsnmp_smol::AgentServer::bind(
                listen, config, mib,
            ))?),
        };
        let addrs = match &server {
            Server::Blocking(s) => s.local_addrs(),
            Server::Tokio(s, _) => s.local_addrs(),
            Server::Smol(s) => s.local_addrs(),
        };
        Ok(Self {
            runtime,
            server,
            addrs,
        })
    }

    /// The runtime serving.
    pub fn runtime(&self) -> Runtime {
        self.runtime
    }

    /// The bound addresses.
    pub fn addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// The first bound address as a Net-SNMP target (`udp:…` or `udp6:…`).
    pub fn target(&self) -> String {
        target(self.addrs[0])
    }

    /// Runs `f` on the agent between requests.
    pub fn with_agent<R>(&self, f: impl FnOnce(&mut Agent<MemoryMib>) -> R) -> R {
        match &self.server {
            Server::Blocking(s) => s.with_agent(f),
            Server::Tokio(s, _) => s.with_agent(f),
            Server::Smol(s) => s.with_agent(f),
        }
    }

    /// Stops serving through each runtime's own `stop`.
    pub fn stop(self) {
        match self.server {
            Server::Blocking(s) => s.stop(),
            Server::Tokio(s, rt) => rt.block_on(s.stop()),
            Server::Smol(s) => async_io::block_on(s.stop()),
        }
    }
}

/// A socket address as a Net-SNMP target.
pub fn target(addr: SocketAddr) -> String {
    match addr {
        SocketAddr::V4(a) => format!("udp:{a}"),
        SocketAddr::V6(a) => format!("udp6:{a}"),
    }
}

/// Where `OXSNMP-TEST-MIB.txt` lives.
pub fn mib_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data")
}

/// Runs a Net-SNMP command-line tool with no MIBs loaded (unless its
/// arguments load some with `-M`/`-m`) and no configuration file read.
pub fn tool(program: &str, args: &[&str]) -> io::Result<Output> {
    let home = TempDir::new("tool")?;
    Command::new(program)
        .args(args)
        .envs(NO_MIBS)
        .env("HOME", home.path())
        .env("SNMPCONFPATH", home.path())
        .stdin(Stdio::null())
        .output()
}
