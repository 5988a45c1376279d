//! One synchronous face over the three runtimes' notification parts — the
//! `TrapListener`, a `Client` sending traps and informs, and an
//! `AgentServer` sending its own notifications — so each scenario is
//! written once and run through tokio, smol and blocking.

use std::net::SocketAddr;
use std::time::Duration;

use oxsnmp_core::agent::{AgentConfig, MemoryMib};
use oxsnmp_core::manager::ClientError;
use oxsnmp_core::notify::{Notification, NotificationEvent, ReceiverConfig, ReceiverStats, Trap};
use oxsnmp_core::{Oid, VarBind};

use crate::runtimes::Options;

/// The runtimes, by name.
pub const RUNTIMES: [&str; 3] = ["blocking", "tokio", "smol"];

/// A runtime's `TrapListener`, run to completion.
pub trait TestListener {
    /// The runtime's name, for messages.
    fn runtime(&self) -> &'static str;
    /// The bound addresses.
    fn local_addrs(&self) -> Vec<SocketAddr>;
    /// The next notification, or `None` after `timeout`.
    fn next(&mut self, timeout: Duration) -> Option<NotificationEvent>;
    /// The receiver's counters.
    fn stats(&self) -> ReceiverStats;
}

/// A runtime's `Client` as a notification originator.
pub trait TestSender {
    /// The runtime's name, for messages.
    fn runtime(&self) -> &'static str;
    /// `Client::trap`.
    fn trap(&self, trap: Trap) -> Result<(), ClientError>;
    /// `Client::inform`.
    fn inform(&self, notification: &Notification) -> Result<(), ClientError>;
}

/// A runtime's `AgentServer` (its coldStart already sent on bind).
pub trait TestAgent {
    /// The runtime's name, for messages.
    fn runtime(&self) -> &'static str;
    /// `AgentServer::send_notification`.
    fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize;
}

/// Binds a listener of the named runtime.
pub fn listener(runtime: &str, listen: &[&str], config: ReceiverConfig) -> Box<dyn TestListener> {
    match runtime {
        "blocking" => Box::new(blocking::listen(listen, config)),
        "tokio" => Box::new(tokio_rt::listen(listen, config)),
        _ => Box::new(smol_rt::listen(listen, config)),
    }
}

/// A sender of the named runtime, for the receiver at `target`.
pub fn sender(runtime: &str, target: &str, options: &Options) -> Box<dyn TestSender> {
    let o = oxsnmp_core::client::ClientOptions {
        version: options.version,
        community: options.community.clone(),
        timeout: options.timeout,
        retries: options.retries,
        v3: options.v3.clone(),
        ..Default::default()
    };
    match runtime {
        "blocking" => Box::new(blocking::sender(target, o)),
        "tokio" => Box::new(tokio_rt::sender(target, o)),
        _ => Box::new(smol_rt::sender(target, o)),
    }
}

/// An agent server of the named runtime on a free loopback port.
pub fn agent(runtime: &str, config: AgentConfig) -> Box<dyn TestAgent> {
    let listen = ["udp:127.0.0.1:0"];
    match runtime {
        "blocking" => Box::new(blocking::agent(&listen, config)),
        "tokio" => Box::new(tokio_rt::agent(&listen, config)),
        _ => Box::new(smol_rt::agent(&listen, config)),
    }
}

mod blocking {
    use super::*;
    use oxsnmp_blocking::{AgentServer, Client, ClientOptions, TrapListener};

    pub struct L(TrapListener);
    pub struct S(Client);
    pub struct A(AgentServer<MemoryMib>);

    pub fn listen(listen: &[&str], config: ReceiverConfig) -> L {
        L(TrapListener::bind(listen, config).expect("blocking listener binds"))
    }

    pub fn sender(target: &str, options: ClientOptions) -> S {
        S(Client::connect(target, options).expect("blocking client connects"))
    }

    pub fn agent(listen: &[&str], config: AgentConfig) -> A {
        A(AgentServer::bind(listen, config, MemoryMib::new()).expect("blocking agent binds"))
    }

    impl TestListener for L {
        fn runtime(&self) -> &'static str {
            "blocking"
        }
        fn local_addrs(&self) -> Vec<SocketAddr> {
            self.0.local_addrs()
        }
        fn next(&mut self, timeout: Duration) -> Option<NotificationEvent> {
            self.0.recv_timeout(timeout)
        }
        fn stats(&self) -> ReceiverStats {
            self.0.stats()
        }
    }

    impl TestSender for S {
        fn runtime(&self) -> &'static str {
            "blocking"
        }
        fn trap(&self, trap: Trap) -> Result<(), ClientError> {
            self.0.trap(trap)
        }
        fn inform(&self, n: &Notification) -> Result<(), ClientError> {
            self.0.inform(n)
        }
    }

    impl TestAgent for A {
        fn runtime(&self) -> &'static str {
            "blocking"
        }
        fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize {
            self.0.send_notification(trap_oid, varbinds)
        }
    }
}

mod tokio_rt {
    use super::*;
    use oxsnmp_tokio::{AgentServer, Client, ClientOptions, TrapListener};

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("tokio runtime")
    }

    pub struct L(TrapListener, tokio::runtime::Runtime);
    pub struct S(Client, tokio::runtime::Runtime);
    pub struct A(AgentServer<MemoryMib>, tokio::runtime::Runtime);

    pub fn listen(listen: &[&str], config: ReceiverConfig) -> L {
        let rt = runtime();
        let l = rt
            .block_on(TrapListener::bind(listen, config))
            .expect("tokio listener binds");
        L(l, rt)
    }

    pub fn sender(target: &str, options: ClientOptions) -> S {
        let rt = runtime();
        let c = rt
            .block_on(Client::connect(target, options))
            .expect("tokio client connects");
        S(c, rt)
    }

    pub fn agent(listen: &[&str], config: AgentConfig) -> A {
        let rt = runtime();
        let a = rt
            .block_on(AgentServer::bind(listen, config, MemoryMib::new()))
            .expect("tokio agent binds");
        A(a, rt)
    }

    impl TestListener for L {
        fn runtime(&self) -> &'static str {
            "tokio"
        }
        fn local_addrs(&self) -> Vec<SocketAddr> {
            self.0.local_addrs()
        }
        fn next(&mut self, timeout: Duration) -> Option<NotificationEvent> {
            let L(listener, rt) = self;
            rt.block_on(async { tokio::time::timeout(timeout, listener.recv()).await })
                .ok()
                .flatten()
        }
        fn stats(&self) -> ReceiverStats {
            self.0.stats()
        }
    }

    impl TestSender for S {
        fn runtime(&self) -> &'static str {
            "tokio"
        }
        fn trap(&self, trap: Trap) -> Result<(), ClientError> {
            self.1.block_on(self.0.trap(trap))
        }
        fn inform(&self, n: &Notification) -> Result<(), ClientError> {
            self.1.block_on(self.0.inform(n))
        }
    }

    impl TestAgent for A {
        fn runtime(&self) -> &'static str {
            "tokio"
        }
        fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize {
            self.1
                .block_on(self.0.send_notification(trap_oid, varbinds))
        }
    }
}

mod smol_rt {
    use super::*;
    use futures_lite::FutureExt;
    use oxsnmp_smol::{AgentServer, Client, ClientOptions, TrapListener};

    pub struct L(TrapListener);
    pub struct S(Client);
    pub struct A(AgentServer<MemoryMib>);

    pub fn listen(listen: &[&str], config: ReceiverConfig) -> L {
        L(async_io::block_on(TrapListener::bind(listen, config)).expect("smol listener binds"))
    }

    pub fn sender(target: &str, options: ClientOptions) -> S {
        S(async_io::block_on(Client::connect(target, options)).expect("smol client connects"))
    }

    pub fn agent(listen: &[&str], config: AgentConfig) -> A {
        A(
            async_io::block_on(AgentServer::bind(listen, config, MemoryMib::new()))
                .expect("smol agent binds"),
        )
    }

    impl TestListener for L {
        fn runtime(&self) -> &'static str {
            "smol"
        }
        fn local_addrs(&self) -> Vec<SocketAddr> {
            self.0.local_addrs()
        }
        fn next(&mut self, timeout: Duration) -> Option<NotificationEvent> {
            let listener = &mut self.0;
            async_io::block_on(listener.recv().or(async {
                async_io::Timer::after(timeout).await;
                None
            }))
        }
        fn stats(&self) -> ReceiverStats {
            self.0.stats()
        }
    }

    impl TestSender for S {
        fn runtime(&self) -> &'static str {
            "smol"
        }
        fn trap(&self, trap: Trap) -> Result<(), ClientError> {
            async_io::block_on(self.0.trap(trap))
        }
        fn inform(&self, n: &Notification) -> Result<(), ClientError> {
            async_io::block_on(self.0.inform(n))
        }
    }

    impl TestAgent for A {
        fn runtime(&self) -> &'static str {
            "smol"
        }
        fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize {
            async_io::block_on(self.0.send_notification(trap_oid, varbinds))
        }
    }
}
