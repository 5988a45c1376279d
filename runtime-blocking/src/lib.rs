//! # oxsnmp-blocking
//!
//! An SNMP client and agent on plain [`std::net::UdpSocket`] and threads —
//! no async runtime. It drives the sans-IO state machines of [`oxsnmp_core`]: every
//! protocol rule (request-ids, retries, timeouts, walks) lives there; this
//! crate only moves datagrams and time.
//!
//! ```no_run
//! use oxsnmp_blocking::{Client, ClientOptions, Oid};
//!
//! # fn main() -> Result<(), oxsnmp_blocking::Error> {
//! let client = Client::connect("udp:127.0.0.1:161", ClientOptions::default())?;
//! let sys_descr: Oid = "1.3.6.1.2.1.1.1.0".parse().expect("valid OID");
//! for vb in client.get(&[sys_descr])? {
//!     println!("{} = {:?}", vb.oid, vb.value);
//! }
//! for vb in client.bulk_walk("1.3.6.1.2.1.1".parse().expect("valid OID")) {
//!     let vb = vb?;
//!     println!("{} = {:?}", vb.oid, vb.value);
//! }
//! # Ok(())
//! # }
//! ```
//!
//! ## How it works
//!
//! A [`Client`] is a cheap handle (clone it freely, share it between
//! threads). Requests go over a channel to a driver thread that owns the
//! core [`Manager`](oxsnmp_core::manager::Manager) and the socket; the
//! calling thread blocks until the answer (or the core's timeout) comes
//! back. [`Client::with_target`] reuses the same socket and driver for
//! another agent, so thousands of agents can be polled from one socket.
//!
//! Sockets are bound on first use per address family (`0.0.0.0:0`, `[::]:0`
//! or [`ClientOptions::local_addr`]); each family gets its own driver thread
//! because the standard library cannot wait on two sockets at once.
//! Dropping the last handle, or calling [`Client::close`], stops the drivers
//! and joins their threads.
//!
//! ## Serving a MIB
//!
//! [`AgentServer`] serves the core's [`Agent`](agent::Agent) (SNMPv1 and
//! v2c command responder) over any [`Mib`](agent::Mib), such as the
//! ready-made [`MemoryMib`](agent::MemoryMib), on one or more sockets:
//!
//! ```no_run
//! use oxsnmp_blocking::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};
//!
//! # fn main() -> std::io::Result<()> {
//! let config = AgentConfig::new()
//!     .community("public", Access::ReadOnly)
//!     .system(SystemInfo::new("my device").location("rack 4"));
//! let server = AgentServer::bind(&["udp:127.0.0.1:1161"], config, MemoryMib::new())?;
//! println!("listening on {:?}", server.local_addrs());
//! # Ok(())
//! # }
//! ```
// `unsafe` is allowed only in `batch` (recvmmsg/sendmmsg), nowhere else.
#![deny(unsafe_code)]
#![warn(missing_docs)]

pub mod agent;
pub mod batch;
mod driver;
pub mod listener;
mod resolve;
mod session;

use std::fmt;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};

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
pub use session::Session;

use driver::{Command, DriverHandle};
use oxsnmp_core::client::{Next, Paged, WalkMachine};
use oxsnmp_core::manager::Target;
use oxsnmp_core::walk::{TableWalk, Walk};

/// What all clones of one [`Client`] share: options and the drivers.
struct Shared {
    options: ClientOptions,
    seed: u64,
    closed: AtomicBool,
    /// The IPv4 and IPv6 drivers, started on first use.
    drivers: [Mutex<Option<Arc<DriverHandle>>>; 2],
}

impl Shared {
    fn slot(&self, family_v6: bool) -> &Mutex<Option<Arc<DriverHandle>>> {
        let [v4, v6] = &self.drivers;
        if family_v6 {
            v6
        } else {
            v4
        }
    }

    /// The driver for `target`'s family, started if needed.
    fn driver(&self, target: SocketAddr) -> Result<Arc<DriverHandle>, ClientError> {
        let mut slot = self
            .slot(target.is_ipv6())
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if self.closed.load(Ordering::SeqCst) {
            return Err(ClientError::Closed);
        }
        if let Some(driver) = slot.as_ref() {
            return Ok(Arc::clone(driver));
        }
        let bind = self.options.bind_addr(target);
        let seed = self.seed ^ u64::from(target.is_ipv6());
        let driver = Arc::new(DriverHandle::spawn(bind, seed)?);
        *slot = Some(Arc::clone(&driver));
        Ok(driver)
    }

    fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        for slot in &self.drivers {
            let driver = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            if let Some(driver) = driver {
                driver.shutdown();
            }
        }
    }
}

impl Drop for Shared {
    fn drop(&mut self) {
        self.close();
    }
}

/// A handle for sending requests to one agent.
///
/// Cloning is cheap; clones share the socket and the driver thread, and may
/// be used from any thread at once. See the [crate documentation](crate).
#[derive(Clone)]
pub struct Client {
    shared: Arc<Shared>,
    target: Arc<Target>,
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("target", &self.target.addr)
            .field("version", &self.shared.options.version)
            .finish_non_exhaustive()
    }
}

impl Client {
    /// Resolves `target` and starts a driver for it.
    ///
    /// `target` uses Net-SNMP's syntax, port 161 by default: `host`,
    /// `host:port`, `udp:host:port`, `udp6:[::1]:port`, `[fe80::1%eth0]:161`.
    /// Host names go through the system resolver; without a `udp:`/`udp6:`
    /// prefix an IPv4 address is preferred, as Net-SNMP does.
    pub fn connect(target: &str, options: ClientOptions) -> Result<Client, ClientError> {
        let addr = resolve::resolve(target)?;
        let shared = Arc::new(Shared {
            options,
            seed: resolve::fresh_seed(),
            closed: AtomicBool::new(false),
            drivers: Default::default(),
        });
        // Bind now so that socket errors show up here rather than later.
        shared.driver(addr)?;
        let target = Arc::new(shared_target(&shared.options, addr));
        Ok(Client { shared, target })
    }

    /// A handle for another agent on the same socket and driver.
    pub fn with_target(&self, target: SocketAddr) -> Client {
        Client {
            shared: Arc::clone(&self.shared),
            target: Arc::new(shared_target(&self.shared.options, target)),
        }
    }

    /// The agent's address.
    pub fn target(&self) -> SocketAddr {
        self.target.addr
    }

    /// The options the client was created with.
    pub fn options(&self) -> &ClientOptions {
        &self.shared.options
    }

    /// The local address of the socket used for this client's agent
    /// (binding it, if this is the first use of its address family).
    pub fn local_addr(&self) -> Result<SocketAddr, ClientError> {
        Ok(self.shared.driver(self.target.addr)?.local_addr()?)
    }

    /// Sends any request and returns the agent's response as it is: a
    /// non-zero error-status is not turned into an error.
    pub fn request(&self, request: Request) -> Result<Response, ClientError> {
        let driver = self.shared.driver(self.target.addr)?;
        let (reply, answer) = mpsc::sync_channel(1);
        driver.submit(Command::Request {
            target: Arc::clone(&self.target),
            request,
            reply,
        })?;
        drop(driver);
        answer.recv().unwrap_or(Err(ClientError::Closed))
    }

    /// GET: the values of these OIDs. A non-zero error-status becomes
    /// [`ClientError::Snmp`].
    pub fn get(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::get(oids))?.into_varbinds()
    }

    /// GETNEXT: the successors of these OIDs.
    pub fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::get_next(oids))?.into_varbinds()
    }

    /// GETBULK (v2c): `non_repeaters` OIDs answered once, the rest up to
    /// `max_repetitions` times.
    pub fn get_bulk(
        &self,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Vec<VarBind>, ClientError> {
        let request = Request::get_bulk(non_repeaters, max_repetitions, oids);
        self.request(request)?.into_varbinds()
    }

    /// SET: writes these bindings; returns the agent's echo.
    pub fn set(&self, varbinds: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
        self.request(Request::set(varbinds))?.into_varbinds()
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
    /// use oxsnmp_blocking::{Client, ClientOptions, Notification, Value};
    /// # fn main() -> Result<(), oxsnmp_blocking::ClientError> {
    /// let receiver = Client::connect("udp:192.0.2.10:162", ClientOptions::default())?;
    /// let link_down = Notification::new(4200, "1.3.6.1.6.3.1.1.5.3".parse().unwrap())
    ///     .varbind("1.3.6.1.2.1.2.2.1.1.2".parse().unwrap(), Value::Integer(2));
    /// receiver.trap(link_down.clone())?;
    /// receiver.inform(&link_down)?; // waits for the acknowledgement
    /// # Ok(())
    /// # }
    /// ```
    pub fn trap(&self, trap: impl Into<Trap>) -> Result<(), ClientError> {
        let driver = self.shared.driver(self.target.addr)?;
        let (reply, answer) = mpsc::sync_channel(1);
        driver.submit(Command::Trap {
            target: Arc::clone(&self.target),
            trap: trap.into(),
            reply,
        })?;
        drop(driver);
        answer.recv().unwrap_or(Err(ClientError::Closed))
    }

    /// Sends an InformRequest and waits for the receiver's acknowledgement,
    /// retrying by the client's timeout and retries; fails with
    /// [`ClientError::Timeout`] when none comes. SNMPv2c, or SNMPv3 with
    /// the client's SNMPv3 settings (the receiver is the authoritative
    /// engine, discovered first).
    pub fn inform(&self, notification: &Notification) -> Result<(), ClientError> {
        self.request(Request::inform(notification))?
            .into_varbinds()
            .map(drop)
    }

    /// Walks the subtree under `root` with GETNEXT.
    pub fn walk(&self, root: Oid) -> WalkIter {
        self.walk_with(root, self.shared.options.walk_options(false))
    }

    /// Walks the subtree under `root` with GETBULK and
    /// [`ClientOptions::repetitions`]; SNMPv1 falls back to GETNEXT.
    pub fn bulk_walk(&self, root: Oid) -> WalkIter {
        self.walk_with(root, self.shared.options.walk_options(true))
    }

    /// Walks the subtree under `root` with these options.
    pub fn walk_with(&self, root: Oid, options: WalkOptions) -> WalkIter {
        let walk = self.shared.options.walk(root, options);
        WalkIter(Paged::new(walk), self.clone())
    }

    /// Walks these table columns in lockstep with GETBULK and yields rows
    /// in index order (a row missing a cell has `None` there).
    pub fn bulk_walk_rows(&self, columns: &[Oid]) -> RowIter {
        let walk = self.shared.options.table_walk(columns);
        RowIter(Paged::new(walk), self.clone())
    }

    /// Stops the drivers of this client and all its clones; requests in
    /// flight end with [`ClientError::Closed`], later ones fail the same way.
    /// Returns once the driver threads have ended.
    pub fn close(&self) {
        self.shared.close();
    }
}

fn shared_target(options: &ClientOptions, addr: SocketAddr) -> Target {
    options.target(addr)
}

/// Runs a core [`Paged`] walk to its next item, sending its requests with
/// `client`.
fn next_item<S: WalkMachine>(
    paged: &mut Paged<S>,
    client: &Client,
) -> Option<Result<S::Item, ClientError>> {
    loop {
        match paged.next() {
            Next::Yield(item) => return Some(item),
            Next::Send(request) => paged.handle(client.request(request)),
            Next::Done => return None,
        }
    }
}

/// The varbinds of a walk, fetched one response at a time.
///
/// Made by [`Client::walk`], [`Client::bulk_walk`] and [`Client::walk_with`].
/// After an error the iterator ends.
#[derive(Debug)]
pub struct WalkIter(Paged<Walk>, Client);

impl WalkIter {
    /// The core walk state (current max-repetitions, varbinds so far).
    pub fn state(&self) -> &Walk {
        self.0.machine()
    }
}

impl Iterator for WalkIter {
    type Item = Result<VarBind, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        next_item(&mut self.0, &self.1)
    }
}

/// The rows of a table walk, fetched a response at a time.
///
/// Made by [`Client::bulk_walk_rows`]. After an error the iterator ends.
#[derive(Debug)]
pub struct RowIter(Paged<TableWalk>, Client);

impl Iterator for RowIter {
    type Item = Result<Row, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        next_item(&mut self.0, &self.1)
    }
}
