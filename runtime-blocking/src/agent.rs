//! [`AgentServer`]: the core [`Agent`] served on UDP sockets by threads.
//!
//! One [`Agent`] (and its MIB) per server, behind a mutex shared by one
//! thread per listening socket (the standard library cannot wait on several
//! sockets at once). Each thread loops: receive every datagram already
//! queued on its socket (up to [`BATCH`], one `recvmmsg` on Linux, see
//! [`crate::batch`]), lock the agent once, for each datagram
//! [`Agent::handle_datagram`] with [`Instant::now`] and drain
//! [`Agent::poll_transmit_into`] into the outgoing batch, unlock, and send
//! the responses (one `sendmmsg`) from the socket the requests came in on
//! (RFC 1157 §4.1: the reply leaves from the address the request was sent
//! to). Under load most of an answer's cost is the kernel's per-call work,
//! which batching shares among many requests; when idle, a batch is one
//! datagram. The buffers are reused, so serving allocates nothing once they
//! have grown. Each socket asks for a [`RECV_SOCKET_BUFFER`] receive buffer
//! so that bursts queue instead of being dropped.
//!
//! Stopping sets a flag and sends each socket an empty datagram from
//! itself, so its thread wakes at once; a read timeout is the fallback
//! should that datagram not arrive. Every protocol decision (what to answer,
//! what to count and drop) is the core agent's.
//!
//! The core's agent types are re-exported here, so one `use` brings what a
//! server needs.

pub use oxsnmp_core::agent::*;

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxsnmp_core::transport::{is_transient_recv_error, AddressError, TransportAddr};
use oxsnmp_core::{Oid, VarBind};

use crate::batch::{self, RecvBatch, SendBatch, MAX_DATAGRAM};
use crate::resolve::{self, interface_index};

/// Most datagrams a socket thread receives and answers per turn.
pub const BATCH: usize = 32;

/// Receive buffer asked of the kernel for each socket (Linux caps it at
/// `net.core.rmem_max`).
pub const RECV_SOCKET_BUFFER: usize = oxsnmp_core::transport::SERVER_RECV_BUFFER;

/// How often an idle socket thread looks at the stop flag when the wake-up
/// datagram did not reach it.
const STOP_POLL: Duration = Duration::from_millis(250);

/// An SNMP agent serving a [`Mib`] on one or more UDP sockets.
///
/// ```no_run
/// use oxsnmp_blocking::agent::AgentServer;
/// use oxsnmp_blocking::oxsnmp_core::agent::{Access, AgentConfig, MemoryMib, SystemInfo};
///
/// # fn main() -> std::io::Result<()> {
/// let config = AgentConfig::new()
///     .community("public", Access::ReadOnly)
///     .system(SystemInfo::new("my device"));
/// let server = AgentServer::bind(&["udp:127.0.0.1:1161", "udp6:[::1]:1161"], config, MemoryMib::new())?;
/// println!("serving on {:?}", server.local_addrs());
/// // ... later: how many requests came in?
/// let requests = server.with_agent(|agent| agent.stats().in_pkts);
/// # let _ = requests;
/// server.stop();
/// # Ok(())
/// # }
/// ```
///
/// Dropping the server (or calling [`stop`](Self::stop)) stops serving,
/// closes the sockets and joins the threads.
pub struct AgentServer<M: Mib + Send + 'static> {
    agent: Arc<Mutex<Agent<M>>>,
    sockets: Vec<Arc<UdpSocket>>,
    local_addrs: Vec<SocketAddr>,
    stop: Arc<AtomicBool>,
    threads: Vec<JoinHandle<()>>,
}

impl<M: Mib + Send + 'static> std::fmt::Debug for AgentServer<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentServer")
            .field("local_addrs", &self.local_addrs)
            .finish_non_exhaustive()
    }
}

impl<M: Mib + Send + 'static> AgentServer<M> {
    /// Binds every listening address and starts serving `mib` in the
    /// background at once.
    ///
    /// Addresses use snmpd's syntax, port 161 by default, and an entry may
    /// hold several separated by commas: `udp:127.0.0.1:1161`,
    /// `udp6:[::1]:1161`, `127.0.0.1:1161`, `localhost:1161`, or a bare port
    /// (`1161`, `udp:1161`: every IPv4 interface; `udp6:1161`: every IPv6
    /// one). Port 0 picks a free port; see [`local_addrs`](Self::local_addrs).
    /// A host name is resolved and its first address of the requested family
    /// (IPv4 preferred without a prefix) is bound.
    ///
    /// On most systems the IPv6 wildcard `[::]` also receives IPv4 traffic,
    /// so `udp:PORT` and `udp6:PORT` together fail with "address in use":
    /// listen on `udp6:[::]:PORT` alone to serve both families on one port.
    ///
    /// Fails if an address does not parse or resolve (kind
    /// [`io::ErrorKind::InvalidInput`], wrapping an [`AddressError`]), if
    /// `listen` names no address, or if a socket cannot be bound; nothing
    /// keeps running then.
    pub fn bind(listen: &[&str], config: AgentConfig, mib: M) -> io::Result<Self>
    where
        M::Undo: Send,
    {
        let mut sockets = Vec::new();
        let mut local_addrs = Vec::new();
        for spec in TransportAddr::listen_list(listen) {
            let addr = listen_addr(spec)?;
            let socket = UdpSocket::bind(addr)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
            socket.set_read_timeout(Some(STOP_POLL))?;
            // Best effort: the default buffer only drops more under bursts.
            let _ = batch::set_recv_buffer(&socket, RECV_SOCKET_BUFFER);
            local_addrs.push(socket.local_addr()?);
            sockets.push(Arc::new(socket));
        }
        if sockets.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no listening address given",
            ));
        }
        let agent = Arc::new(Mutex::new(Agent::new(
            config.prepare(resolve::fresh_seed())?,
            mib,
            Instant::now(),
        )));
        let mut server = Self {
            agent,
            sockets,
            local_addrs,
            stop: Arc::new(AtomicBool::new(false)),
            threads: Vec::new(),
        };
        for (socket, local) in server.sockets.iter().zip(&server.local_addrs) {
            let worker = Worker {
                agent: Arc::clone(&server.agent),
                socket: Arc::clone(socket),
                stop: Arc::clone(&server.stop),
            };
            // On failure `server` is dropped, which stops the threads
            // already running.
            let thread = std::thread::Builder::new()
                .name(format!("oxsnmp-agent-{local}"))
                .spawn(move || worker.run())?;
            server.threads.push(thread);
        }
        tracing::debug!(addrs = ?server.local_addrs, "agent listening");
        // The coldStart traps of the configured notification targets.
        server.flush_notifications();
        Ok(server)
    }

    /// Sends the notification `trap_oid` with `varbinds` to every target in
    /// [`AgentConfig::notifications`] now, as
    /// [`Agent::send_notification`] builds them; returns how many traps
    /// were sent. Each leaves from a listening socket of the target's
    /// address family (a target of a family the server does not listen on
    /// is skipped with a warning).
    ///
    /// ```no_run
    /// use oxsnmp_blocking::agent::{AgentConfig, AgentServer, MemoryMib};
    /// use oxsnmp_blocking::oxsnmp_core::manager::Target;
    /// use oxsnmp_blocking::{Value, VarBind, Version};
    ///
    /// # fn main() -> std::io::Result<()> {
    /// let receiver = Target::new("127.0.0.1:1162".parse().unwrap(), Version::V2c, "public");
    /// let config = AgentConfig::new().notify(receiver); // coldStart goes out on bind
    /// let server = AgentServer::bind(&["udp:127.0.0.1:1161"], config, MemoryMib::new())?;
    /// let disk_full = "1.3.6.1.4.1.99999.0.1".parse().unwrap();
    /// let what = VarBind::new("1.3.6.1.4.1.99999.1.0".parse().unwrap(), Value::from("/var"));
    /// server.send_notification(disk_full, vec![what]);
    /// # Ok(())
    /// # }
    /// ```
    pub fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize {
        lock(&self.agent).send_notification(Instant::now(), trap_oid, varbinds);
        self.flush_notifications()
    }

    /// Sends what the agent has queued outside a request (its notifications).
    fn flush_notifications(&self) -> usize {
        let queued: Vec<Transmit> = {
            let mut agent = lock(&self.agent);
            std::iter::from_fn(|| agent.poll_transmit()).collect()
        };
        let mut sent = 0;
        for t in queued {
            let family = t.destination.is_ipv6();
            let socket = self
                .sockets
                .iter()
                .zip(&self.local_addrs)
                .find(|(_, local)| local.is_ipv6() == family);
            match socket {
                Some((socket, _)) => {
                    if socket.send_to(&t.payload, t.destination).is_ok() {
                        sent += 1;
                    }
                }
                None => tracing::warn!(
                    to = %t.destination,
                    "no listening socket of this address family: notification not sent"
                ),
            }
        }
        sent
    }

    /// The addresses the sockets are bound to (a port 0 resolved), in the
    /// order they were given.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.local_addrs.clone()
    }

    /// Runs `f` on the agent, between requests: read its
    /// [`stats`](Agent::stats), change values with
    /// [`mib_mut`](Agent::mib_mut). Requests wait while `f` runs, so keep
    /// it short.
    pub fn with_agent<R>(&self, f: impl FnOnce(&mut Agent<M>) -> R) -> R {
        f(&mut lock(&self.agent))
    }

    /// Stops serving: wakes and joins every socket thread, then closes the
    /// sockets.
    pub fn stop(self) {
        // Drop does the work.
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        for socket in &self.sockets {
            wake(socket);
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

impl<M: Mib + Send + 'static> Drop for AgentServer<M> {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// Locks the agent, even if a thread panicked while holding it (the agent
/// is left consistent between requests, and MIB code runs under the lock).
fn lock<M: Mib>(agent: &Mutex<Agent<M>>) -> MutexGuard<'_, Agent<M>> {
    agent.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Sends an empty datagram from `socket` to itself, to wake its thread.
fn wake(socket: &UdpSocket) {
    if let Ok(local) = socket.local_addr() {
        let ip = match local.ip() {
            IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let _ = socket.send_to(&[], SocketAddr::new(ip, local.port()));
    }
}

/// Turns one listening address in snmpd's syntax into a socket address.
pub(crate) fn listen_addr(spec: &str) -> io::Result<SocketAddr> {
    let invalid = |e: AddressError| io::Error::new(io::ErrorKind::InvalidInput, e);
    let parsed = TransportAddr::parse_listen(spec, interface_index).map_err(invalid)?;
    resolve::lookup(parsed).map_err(invalid)
}

/// One socket's thread.
struct Worker<M: Mib> {
    agent: Arc<Mutex<Agent<M>>>,
    socket: Arc<UdpSocket>,
    stop: Arc<AtomicBool>,
}

impl<M: Mib> Worker<M> {
    fn run(self) {
        let mut rx = RecvBatch::new(BATCH, MAX_DATAGRAM);
        let mut out = SendBatch::new();
        let mut tx = Vec::new();
        while !self.stop.load(Ordering::SeqCst) {
            match batch::recv_batch(&self.socket, &mut rx) {
                Ok(_) => {}
                Err(e) if is_transient_recv_error(e.kind()) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "agent socket failed; it stops serving");
                    return;
                }
            }
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            // Handle and drain under one lock, so each response leaves from
            // the socket its request came in on.
            {
                let mut agent = lock(&self.agent);
                let now = Instant::now();
                for (bytes, from) in rx.iter() {
                    agent.handle_datagram(now, from, bytes);
                    // The core answers a request at most once; drain anyway.
                    while let Some(to) = agent.poll_transmit_into(&mut tx) {
                        out.push(&tx, to);
                    }
                }
            }
            tracing::debug!(requests = rx.len(), responses = out.len(), "agent batch");
            if !out.is_empty() {
                // A lost response is the manager's to retry.
                let _ = batch::send_batch(&self.socket, &mut out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listen_syntax() {
        let a = |s: &str| listen_addr(s).unwrap();
        assert_eq!(a("udp:127.0.0.1:1161"), "127.0.0.1:1161".parse().unwrap());
        assert_eq!(a("127.0.0.1"), "127.0.0.1:161".parse().unwrap());
        assert_eq!(a("udp6:[::1]:1161"), "[::1]:1161".parse().unwrap());
        assert_eq!(a("1161"), "0.0.0.0:1161".parse().unwrap());
        assert_eq!(a("udp:1161"), "0.0.0.0:1161".parse().unwrap());
        assert_eq!(a("udp6:1161"), "[::]:1161".parse().unwrap());
        assert!(a("localhost:1161").ip().is_loopback());
        assert!(listen_addr("tcp:127.0.0.1:1").is_err());
        assert_eq!(
            listen_addr("127.0.0.1:99999").unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
    }
}
