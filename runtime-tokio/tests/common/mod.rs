//! The agent the client tests talk to: the core `Agent` over a `MemoryMib`,
//! served by this crate's own `AgentServer` on 127.0.0.1 or ::1 only, on a
//! runtime of its own (so a test's runtime holds only the client's tasks).
//! A silent agent is the same server with no community: it counts every
//! request and answers none.
#![allow(dead_code, unused_imports)]

use std::net::{SocketAddr, UdpSocket};

use oxsnmp_tokio::agent::{Access, AgentConfig, AgentServer, MemoryMib};

pub use oxsnmp_core::fixtures::{memory_mib, oid, subtree, test_mib, TestMib, PEER};

/// A running test agent; stops when dropped.
pub struct Responder {
    server: Option<AgentServer<MemoryMib>>,
    runtime: Option<tokio::runtime::Runtime>,
}

impl Responder {
    /// An agent on `bind` (e.g. `127.0.0.1:0`) serving `mib` to the
    /// read-write community `public`.
    pub fn start(bind: &str, mib: TestMib) -> Responder {
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
