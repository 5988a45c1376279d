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
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod agent;
mod driver;
mod resolve;

use std::collections::VecDeque;
use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex, PoisonError};
use std::time::Duration;

pub use agent::AgentServer;
pub use oxsnmp_core;
pub use oxsnmp_core::manager::{
    ClientError, ClientError as Error, Request, Response, RetryPolicy, SnmpError,
};
pub use oxsnmp_core::transport::AddressError;
pub use oxsnmp_core::walk::{Repetitions, Row, WalkOptions};
pub use oxsnmp_core::{ErrorStatus, Oid, Value, VarBind, Version};

use driver::{Command, DriverHandle};
use oxsnmp_core::manager::Target;

/// Settings for a [`Client`]; the defaults are Net-SNMP's.
///
/// ```
/// use std::time::Duration;
/// use oxsnmp_blocking::{ClientOptions, Version};
/// let options = ClientOptions {
///     community: "private".into(),
///     timeout: Duration::from_millis(500),
///     ..ClientOptions::default()
/// };
/// assert_eq!(options.version, Version::V2c);
/// assert_eq!(options.retries, 5);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientOptions {
    /// SNMP version: [`Version::V1`] or [`Version::V2c`] (the default).
    pub version: Version,
    /// Community string (default `public`).
    pub community: String,
    /// Time to wait for each attempt (default 1 s).
    pub timeout: Duration,
    /// Retransmissions after the first attempt (default 5).
    pub retries: u32,
    /// max-repetitions policy of [`Client::bulk_walk`] (default adaptive);
    /// [`Client::bulk_walk_rows`] starts from its initial value and halves
    /// it when the agent answers tooBig.
    pub repetitions: Repetitions,
    /// Whether walks fail on an OID that does not increase (default true;
    /// Net-SNMP's `-Cc` turns it off).
    pub check_increasing: bool,
    /// Local address to bind for targets of its family (default: any
    /// address, ephemeral port). Targets of the other family use a
    /// wildcard socket.
    pub local_addr: Option<SocketAddr>,
}

impl Default for ClientOptions {
    fn default() -> Self {
        let retry = RetryPolicy::default();
        Self {
            version: Version::V2c,
            community: "public".to_owned(),
            timeout: retry.timeout,
            retries: retry.retries,
            repetitions: Repetitions::default(),
            check_increasing: true,
            local_addr: None,
        }
    }
}

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
        let bind = match self.options.local_addr {
            Some(local) if local.is_ipv6() == target.is_ipv6() => local,
            _ if target.is_ipv6() => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
            _ => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        };
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
        Ok(self.request(Request::Get(oids.to_vec()))?.into_result()?)
    }

    /// GETNEXT: the successors of these OIDs.
    pub fn get_next(&self, oids: &[Oid]) -> Result<Vec<VarBind>, ClientError> {
        Ok(self
            .request(Request::GetNext(oids.to_vec()))?
            .into_result()?)
    }

    /// GETBULK (v2c): `non_repeaters` OIDs answered once, the rest up to
    /// `max_repetitions` times.
    pub fn get_bulk(
        &self,
        non_repeaters: u32,
        max_repetitions: u32,
        oids: &[Oid],
    ) -> Result<Vec<VarBind>, ClientError> {
        let request = Request::GetBulk {
            non_repeaters,
            max_repetitions,
            oids: oids.to_vec(),
        };
        Ok(self.request(request)?.into_result()?)
    }

    /// SET: writes these bindings; returns the agent's echo.
    pub fn set(&self, varbinds: &[VarBind]) -> Result<Vec<VarBind>, ClientError> {
        Ok(self
            .request(Request::Set(varbinds.to_vec()))?
            .into_result()?)
    }

    /// Walks the subtree under `root` with GETNEXT.
    pub fn walk(&self, root: Oid) -> WalkIter {
        let options = WalkOptions {
            check_increasing: self.shared.options.check_increasing,
            ..WalkOptions::getnext()
        };
        self.walk_with(root, options)
    }

    /// Walks the subtree under `root` with GETBULK and
    /// [`ClientOptions::repetitions`]; SNMPv1 falls back to GETNEXT.
    pub fn bulk_walk(&self, root: Oid) -> WalkIter {
        let options = WalkOptions {
            check_increasing: self.shared.options.check_increasing,
            ..WalkOptions::bulk(self.shared.options.repetitions)
        };
        self.walk_with(root, options)
    }

    /// Walks the subtree under `root` with these options.
    pub fn walk_with(&self, root: Oid, options: WalkOptions) -> WalkIter {
        WalkIter {
            client: self.clone(),
            walk: oxsnmp_core::walk::Walk::new(root, self.shared.options.version, options),
            ready: VecDeque::new(),
            done: false,
        }
    }

    /// Walks these table columns in lockstep with GETBULK and yields rows
    /// in index order (a row missing a cell has `None` there).
    pub fn bulk_walk_rows(&self, columns: &[Oid]) -> RowIter {
        RowIter {
            client: self.clone(),
            walk: oxsnmp_core::walk::TableWalk::new(
                columns.to_vec(),
                self.shared.options.repetitions.initial(),
                self.shared.options.check_increasing,
            ),
            ready: VecDeque::new(),
            done: false,
        }
    }

    /// Stops the drivers of this client and all its clones; requests in
    /// flight end with [`ClientError::Closed`], later ones fail the same way.
    /// Returns once the driver threads have ended.
    pub fn close(&self) {
        self.shared.close();
    }
}

fn shared_target(options: &ClientOptions, addr: SocketAddr) -> Target {
    Target {
        addr,
        version: options.version,
        community: options.community.as_bytes().to_vec(),
        retry: RetryPolicy {
            timeout: options.timeout,
            retries: options.retries,
        },
    }
}

/// The varbinds of a walk, fetched one response at a time.
///
/// Made by [`Client::walk`], [`Client::bulk_walk`] and [`Client::walk_with`].
/// After an error the iterator ends.
#[derive(Debug)]
pub struct WalkIter {
    client: Client,
    walk: oxsnmp_core::walk::Walk,
    ready: VecDeque<VarBind>,
    done: bool,
}

impl WalkIter {
    /// The core walk state (current max-repetitions, varbinds so far).
    pub fn state(&self) -> &oxsnmp_core::walk::Walk {
        &self.walk
    }
}

impl Iterator for WalkIter {
    type Item = Result<VarBind, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(vb) = self.ready.pop_front() {
                return Some(Ok(vb));
            }
            if self.done {
                return None;
            }
            let Some(request) = self.walk.next_request() else {
                self.done = true;
                return None;
            };
            let step = self
                .client
                .request(request)
                .and_then(|response| Ok(self.walk.handle_response(response)?));
            match step {
                Ok(varbinds) => self.ready.extend(varbinds),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}

/// The rows of a table walk, fetched a response at a time.
///
/// Made by [`Client::bulk_walk_rows`]. After an error the iterator ends.
#[derive(Debug)]
pub struct RowIter {
    client: Client,
    walk: oxsnmp_core::walk::TableWalk,
    ready: VecDeque<Row>,
    done: bool,
}

impl Iterator for RowIter {
    type Item = Result<Row, ClientError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(row) = self.ready.pop_front() {
                return Some(Ok(row));
            }
            if self.done {
                return None;
            }
            let Some(request) = self.walk.next_request() else {
                self.done = true;
                return None;
            };
            let step = self
                .client
                .request(request)
                .and_then(|response| Ok(self.walk.handle_response(response)?));
            match step {
                Ok(rows) => self.ready.extend(rows),
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            }
        }
    }
}
