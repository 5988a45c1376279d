//! # oxsnmp-smol
//!
//! An SNMP client and agent on `async-io` and `async-net`, so it works with smol,
//! async-std or any other executor. It drives the sans-IO state
//! machines of [`oxsnmp_core`]: every protocol rule (request-ids, retries,
//! timeouts, walks) lives there; this crate only moves datagrams and time.
//!
//! ```no_run
//! use futures_lite::StreamExt;
//! use oxsnmp_smol::{Client, ClientOptions, Oid};
//!
//! # async fn run() -> Result<(), oxsnmp_smol::Error> {
//! let client = Client::connect("udp:127.0.0.1:161", ClientOptions::default()).await?;
//! let sys_descr: Oid = "1.3.6.1.2.1.1.1.0".parse().expect("valid OID");
//! for vb in client.get(&[sys_descr]).await? {
//!     println!("{} = {:?}", vb.oid, vb.value);
//! }
//! let mut walk = client.bulk_walk("1.3.6.1.2.1.1".parse().expect("valid OID"));
//! while let Some(vb) = walk.next().await {
//!     let vb = vb?;
//!     println!("{} = {:?}", vb.oid, vb.value);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## How it works
//!
//! [`Client::connect`] starts one driver on a thread of its own (named
//! `oxsnmp-smol-driver`, running the driver future with
//! [`async_io::block_on`]); it owns the core [`Manager`] and the sockets, so
//! it needs no executor from the application. A [`Client`] is a cheap handle
//! (clone it freely, use it from any task, thread or executor) that sends
//! requests to the driver over a channel. [`Client::with_target`] reuses the same socket and
//! driver for another agent, so thousands of agents can be polled from one
//! socket. Sockets are bound per address family on first use (`0.0.0.0:0`,
//! `[::]:0` or [`ClientOptions::local_addr`]).
//!
//! The driver (and its thread) ends when the last handle (including walk
//! streams) is dropped or when [`Client::close`] is called; requests then
//! fail with [`ClientError::Closed`].
//!
//! Dropping a request's future stops the wait, not the request: the driver
//! finishes it (answer or timeout) and discards the result.
//!
//! ## Serving a MIB
//!
//! [`AgentServer`] serves the core's [`Agent`](agent::Agent) (SNMPv1 and
//! v2c command responder) over any [`Mib`](agent::Mib), such as the
//! ready-made [`MemoryMib`](agent::MemoryMib), on one or more sockets:
//!
//! ```no_run
//! use oxsnmp_smol::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};
//!
//! # async fn run() -> std::io::Result<()> {
//! let config = AgentConfig::new()
//!     .community("public", Access::ReadOnly)
//!     .system(SystemInfo::new("my device").location("rack 4"));
//! let server = AgentServer::bind(&["udp:127.0.0.1:1161"], config, MemoryMib::new()).await?;
//! println!("listening on {:?}", server.local_addrs());
//! # Ok(())
//! # }
//! ```
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod agent;
mod driver;
pub mod listener;
mod oneshot;
mod resolve;
mod server_socket;
mod stream;

use std::fmt;
use std::net::SocketAddr;
use std::sync::Arc;

pub use agent::AgentServer;
pub use listener::TrapListener;
pub use oxsnmp_core;
pub use oxsnmp_core::client::ClientOptions;
pub use oxsnmp_core::manager::{
    ClientError, ClientError as Error, Request, Response, RetryPolicy, SnmpError, V3Security,
};
pub use oxsnmp_core::notify::{
    Notification, NotificationEvent, NotificationKind, ReceiverConfig, ReceiverStats, Trap,
};
pub use oxsnmp_core::transport::AddressError;
pub use oxsnmp_core::usm::{AuthProtocol, PrivProtocol, Secret, UsmUser};
pub use oxsnmp_core::v3::{ReportKind, SecurityLevel};
pub use oxsnmp_core::walk::{Repetitions, Row, WalkOptions};
pub use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};
pub use stream::{RowStream, WalkStream};

use driver::{Command, Driver};
use oxsnmp_core::manager::{Manager, ManagerConfig, Target};

/// What all clones of one [`Client`] share.
struct Inner {
    commands: async_channel::Sender<Command>,
    options: ClientOptions,
}

/// A handle for sending requests to one agent.
///
/// Cloning is cheap; clones share the socket and the driver task, and may be
/// used from any task, thread or executor at once. See the [crate documentation](crate).
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
    target: Arc<Target>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("target", &self.target.addr)
            .field("version", &self.inner.options.version)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Resolves `target`, binds a socket and starts the driver thread.
    ///
    /// `target` uses Net-SNMP's syntax, port 161 by default: `host`,
    /// `host:port`, `udp:host:port`, `udp6:[::1]:port`, `[fe80::1%eth0]:161`.
    /// Host names are resolved with [`async_net::resolve`] (on a thread
    /// pool); without a `udp:`/`udp6:` prefix an IPv4 address is preferred,
    /// as Net-SNMP does.
    pub async fn connect(target: &str, options: ClientOptions) -> Result<Client, ClientError> {
        let addr = resolve::target(target).await?;
        let socket = driver::bind(options.bind_addr(addr))?;
        let (commands, inbox) = async_channel::unbounded();
        let manager = Manager::new(ManagerConfig::with_seed(resolve::fresh_seed()));
        let driver = Driver::new(manager, inbox, options.clone(), socket, addr);
        std::thread::Builder::new()
            .name("oxsnmp-smol-driver".to_owned())
            .spawn(move || async_io::block_on(driver.run()))?;
        let target = Arc::new(options.target(addr));
        Ok(Client {
            inner: Arc::new(Inner { commands, options }),
            target,
        })
    }

    /// A handle for another agent on the same socket and driver.
    pub fn with_target(&self, target: SocketAddr) -> Client {
        Client {
            inner: Arc::clone(&self.inner),
            target: Arc::new(self.inner.options.target(target)),
        }
    }

    /// The agent's address.
    pub fn target(&self) -> SocketAddr {
        self.target.addr
    }

    /// The options the client was created with.
    pub fn options(&self) -> &ClientOptions {
        &self.inner.options
    }

    /// Sends any request and returns the agent's response as it is: a
    /// non-zero error-status is not turned into an error.
    pub async fn request(&self, request: Request) -> Result<Response, ClientError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .commands
            .try_send(Command::Request {
                target: Arc::clone(&self.target),
                request,
                reply,
            })
            .map_err(|_| ClientError::Closed)?;
        answer.await.unwrap_or(Err(ClientError::Closed))
    }

    /// GET: the values of these OIDs. A non-zero error-status becomes
    /// [`ClientError::Snmp`].
    pub async fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::get(oids)).await?.into_varbinds()
    }

    /// GETNEXT: the successors of these OIDs.
    pub async fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::get_next(oids)).await?.into_varbinds()
    }

    /// GETBULK (v2c): `non_repeaters` OIDs answered once, the rest up to
    /// `max_repetitions` times.
    pub async fn get_bulk(
        &self,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Vec<VarBind>, ClientError> {
        let request = Request::get_bulk(non_repeaters, max_repetitions, oids);
        self.request(request).await?.into_varbinds()
    }

    /// SET: writes these bindings; returns the agent's echo.
    pub async fn set(&self, varbinds: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::set(varbinds)).await?.into_varbinds()
    }

    /// Sends a trap (unconfirmed: returns once the datagram has left).
    /// An SNMPv2 [`Notification`] becomes an SNMPv2-Trap, an SNMPv1
    /// [`TrapV1Pdu`](oxsnmp_core::TrapV1Pdu) a Trap-PDU, each translated
    /// by RFC 3584 when the client's version is the other one.
    ///
    /// The target is the notification receiver: name its port (`HOST:162`),
    /// as client targets default to 161.
    ///
    /// ```no_run
    /// use oxsnmp_smol::{Client, ClientOptions, Notification, Value};
    /// # async fn run() -> Result<(), oxsnmp_smol::ClientError> {
    /// let receiver = Client::connect("udp:192.0.2.10:162", ClientOptions::default()).await?;
    /// let link_down = Notification::new(4200, "1.3.6.1.6.3.1.1.5.3".parse().unwrap())
    ///     .varbind("1.3.6.1.2.1.2.2.1.1.2".parse().unwrap(), Value::Integer(2));
    /// receiver.trap(link_down.clone()).await?;
    /// receiver.inform(&link_down).await?; // waits for the acknowledgement
    /// # Ok(())
    /// # }
    /// ```
    pub async fn trap(&self, trap: impl Into<Trap>) -> Result<(), ClientError> {
        let (reply, answer) = oneshot::channel();
        self.inner
            .commands
            .try_send(Command::Trap {
                target: Arc::clone(&self.target),
                trap: trap.into(),
                reply,
            })
            .map_err(|_| ClientError::Closed)?;
        answer.await.unwrap_or(Err(ClientError::Closed))
    }

    /// Sends an InformRequest and waits for the receiver's acknowledgement,
    /// retrying by the client's timeout and retries; fails with
    /// [`ClientError::Timeout`] when none comes. SNMPv2c, or SNMPv3 with
    /// the client's SNMPv3 settings (the receiver is the authoritative
    /// engine, discovered first).
    pub async fn inform(&self, notification: &Notification) -> Result<(), ClientError> {
        self.request(Request::inform(notification))
            .await?
            .into_varbinds()
            .map(drop)
    }

    /// Walks the subtree under `root` with GETNEXT.
    pub fn walk(&self, root: Oid) -> WalkStream {
        self.walk_with(root, self.inner.options.walk_options(false))
    }

    /// Walks the subtree under `root` with GETBULK and
    /// [`ClientOptions::repetitions`]; SNMPv1 falls back to GETNEXT.
    pub fn bulk_walk(&self, root: Oid) -> WalkStream {
        self.walk_with(root, self.inner.options.walk_options(true))
    }

    /// Walks the subtree under `root` with these options.
    pub fn walk_with(&self, root: Oid, options: WalkOptions) -> WalkStream {
        WalkStream::new(self.clone(), self.inner.options.walk(root, options))
    }

    /// Walks these table columns in lockstep with GETBULK and yields rows
    /// in index order (a row missing a cell has `None` there).
    pub fn bulk_walk_rows(&self, columns: &[Oid]) -> RowStream {
        RowStream::new(self.clone(), self.inner.options.table_walk(columns))
    }

    /// Stops the driver of this client and all its clones: requests in
    /// flight end with [`ClientError::Closed`], later ones fail the same way.
    pub fn close(&self) {
        let _ = self.inner.commands.try_send(Command::Close);
    }
}
