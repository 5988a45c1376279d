//! The agent the client tests talk to: the core `Agent` over a `MemoryMib`,
//! served by this crate's own `AgentServer` on 127.0.0.1 or ::1 only. A
//! silent agent is the same server with no community: it counts every
//! request and answers none.
#![allow(dead_code, unused_imports)]

use std::net::{SocketAddr, UdpSocket};

use oxsnmp_blocking::agent::{Access, AgentConfig, AgentServer, MemoryMib};

pub use oxsnmp_core::fixtures::{memory_mib, oid, subtree, test_mib, TestMib, PEER};

/// A running test agent; stops when dropped.
pub struct Responder(AgentServer<MemoryMib>);

impl Responder {
    /// An agent on `bind` (e.g. `127.0.0.1:0`) serving `mib` to the
    /// read-write community `public`.
    pub fn start(bind: &str, mib: TestMib) -> Responder {
        let config = AgentConfig::new()
            .community("public", Access::ReadWrite)
            .system(None);
        Responder(AgentServer::bind(&[bind], config, memory_mib(&mib)).expect("test agent"))
    }

    /// An agent on `bind` that receives requests and never answers.
    pub fn silent(bind: &str) -> Responder {
        let server = AgentServer::bind(&[bind], AgentConfig::new(), MemoryMib::new());
        Responder(server.expect("silent test agent"))
    }

    /// Where the agent listens.
    pub fn addr(&self) -> SocketAddr {
        self.0.local_addrs()[0]
    }

    /// How many datagrams arrived so far.
    pub fn requests(&self) -> usize {
        self.0.with_agent(|a| a.stats().in_pkts) as usize
    }
}

/// A loopback port on which nothing listens (bound, then released).
pub fn free_port(ip: &str) -> SocketAddr {
    let s = UdpSocket::bind(format!("{ip}:0")).expect("bind probe socket");
    s.local_addr().expect("probe address")
}
