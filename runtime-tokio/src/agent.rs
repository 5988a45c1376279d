//! [`AgentServer`]: the core [`Agent`] served on UDP sockets by Tokio tasks.
//!
//! One [`Agent`] (and its MIB) per server, behind a mutex shared by one task
//! per listening socket. Each task loops: receive a datagram into its
//! buffer, lock the agent, [`Agent::handle_datagram`] with Tokio's clock,
//! drain [`Agent::poll_transmit_into`] into its transmit buffer, unlock, and
//! send the response from the socket the request came in on (RFC 1157 §4.1:
//! the reply leaves from the address the request was sent to). The lock is
//! never held across an `.await`. Both buffers are reused, so serving
//! allocates nothing once they have grown. Every protocol decision (what to
//! answer, what to count and drop) is the core agent's.
//!
//! The core's agent types are re-exported here, so one `use` brings what a
//! server needs.

pub use oxsnmp_core::agent::*;

use std::io;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use oxsnmp_core::transport::{is_transient_recv_error, AddressError, TransportAddr};
use oxsnmp_core::{Oid, VarBind};
use tokio::net::UdpSocket;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::resolve::{self, interface_index};
use crate::server_socket;

/// Size of each receive buffer: the largest UDP payload.
const RECV_BUFFER: usize = 65535;

/// An SNMP agent serving a [`Mib`] on one or more UDP sockets, one Tokio
/// task per socket.
///
/// ```no_run
/// use oxsnmp_tokio::agent::{Access, AgentConfig, AgentServer, MemoryMib, SystemInfo};
///
/// # async fn run() -> std::io::Result<()> {
/// let config = AgentConfig::new()
///     .community("public", Access::ReadOnly)
///     .system(SystemInfo::new("my device"));
/// let server =
///     AgentServer::bind(&["udp:127.0.0.1:1161", "udp6:[::1]:1161"], config, MemoryMib::new())
///         .await?;
/// println!("serving on {:?}", server.local_addrs());
/// // ... later: how many requests came in?
/// let requests = server.with_agent(|agent| agent.stats().in_pkts);
/// # let _ = requests;
/// server.stop().await;
/// # Ok(())
/// # }
/// ```
///
/// [`stop`](Self::stop) ends the tasks and waits for them, closing the
/// sockets; dropping the server aborts the tasks without waiting. The
/// tasks also end when their runtime shuts down.
pub struct AgentServer<M: Mib + Send + 'static> {
    agent: Arc<Mutex<Agent<M>>>,
    sockets: Vec<Arc<UdpSocket>>,
    local_addrs: Vec<SocketAddr>,
    stop: Option<watch::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl<M: Mib + Send + 'static> std::fmt::Debug for AgentServer<M> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AgentServer")
            .field("local_addrs", &self.local_addrs)
            .finish_non_exhaustive()
    }
}

impl<M: Mib + Send + 'static> AgentServer<M> {
    /// Binds every listening address and starts serving `mib` at once, on
    /// tasks of the current Tokio runtime.
    ///
    /// Addresses use snmpd's syntax, port 161 by default, and an entry may
    /// hold several separated by commas: `udp:127.0.0.1:1161`,
    /// `udp6:[::1]:1161`, `127.0.0.1:1161`, `localhost:1161`, or a bare port
    /// (`1161`, `udp:1161`: every IPv4 interface; `udp6:1161`: every IPv6
    /// one). Port 0 picks a free port; see [`local_addrs`](Self::local_addrs).
    /// A host name is resolved with [`tokio::net::lookup_host`] and its first
    /// address of the requested family (IPv4 preferred without a prefix) is
    /// bound.
    ///
    /// On most systems the IPv6 wildcard `[::]` also receives IPv4 traffic,
    /// so `udp:PORT` and `udp6:PORT` together fail with "address in use":
    /// listen on `udp6:[::]:PORT` alone to serve both families on one port.
    ///
    /// Fails outside a Tokio runtime, if an address does not parse or
    /// resolve (kind [`io::ErrorKind::InvalidInput`], wrapping an
    /// [`AddressError`]), if `listen` names no address, or if a socket
    /// cannot be bound; nothing keeps running then.
    pub async fn bind(listen: &[&str], config: AgentConfig, mib: M) -> io::Result<Self>
    where
        M::Undo: Send,
    {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let mut sockets = Vec::new();
        let mut local_addrs = Vec::new();
        for spec in TransportAddr::listen_list(listen) {
            let addr = listen_addr(spec).await?;
            let socket = server_socket::bind(addr)
                .and_then(UdpSocket::from_std)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
            local_addrs.push(socket.local_addr()?);
            sockets.push(Arc::new(socket));
        }
        if sockets.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no listening address given",
            ));
        }
        let agent = Agent::new(
            config.prepare(resolve::fresh_seed())?,
            mib,
            Instant::now().into_std(),
        );
        let agent = Arc::new(Mutex::new(agent));
        let (stop, stopped) = watch::channel(());
        let tasks = sockets
            .iter()
            .map(|socket| {
                let socket = Arc::clone(socket);
                runtime.spawn(serve(Arc::clone(&agent), socket, stopped.clone()))
            })
            .collect();
        tracing::debug!(addrs = ?local_addrs, "agent listening");
        let server = Self {
            agent,
            sockets,
            local_addrs,
            stop: Some(stop),
            tasks,
        };
        // The coldStart traps of the configured notification targets.
        server.flush_notifications().await;
        Ok(server)
    }

    /// Sends the notification `trap_oid` with `varbinds` to every target in
    /// [`AgentConfig::notifications`] now, as
    /// [`Agent::send_notification`] builds them; returns how many traps
    /// were sent. Each leaves from a listening socket of the target's
    /// address family (a target of a family the server does not listen on
    /// is skipped with a warning).
    pub async fn send_notification(&self, trap_oid: Oid, varbinds: Vec<VarBind>) -> usize {
        lock(&self.agent).send_notification(Instant::now().into_std(), trap_oid, varbinds);
        self.flush_notifications().await
    }

    /// Sends what the agent has queued outside a request (its notifications).
    async fn flush_notifications(&self) -> usize {
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
                    if socket.send_to(&t.payload, t.destination).await.is_ok() {
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
    /// [`mib_mut`](Agent::mib_mut). Requests wait while `f` runs (it holds a
    /// blocking mutex), so keep it short.
    pub fn with_agent<R>(&self, f: impl FnOnce(&mut Agent<M>) -> R) -> R {
        f(&mut lock(&self.agent))
    }

    /// Stops serving: ends every socket task and waits until they have
    /// ended and closed their sockets.
    pub async fn stop(mut self) {
        self.stop.take();
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl<M: Mib + Send + 'static> Drop for AgentServer<M> {
    fn drop(&mut self) {
        self.stop.take();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// Locks the agent, even if a task panicked while holding it (the agent is
/// left consistent between requests, and MIB code runs under the lock).
fn lock<M: Mib>(agent: &Mutex<Agent<M>>) -> MutexGuard<'_, Agent<M>> {
    agent.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Turns one listening address in snmpd's syntax into a socket address.
pub(crate) async fn listen_addr(spec: &str) -> io::Result<SocketAddr> {
    let invalid = |e: AddressError| io::Error::new(io::ErrorKind::InvalidInput, e);
    let parsed = TransportAddr::parse_listen(spec, interface_index).map_err(invalid)?;
    resolve::lookup(parsed).await.map_err(invalid)
}

/// One socket's task: serves until the server stops.
async fn serve<M: Mib>(
    agent: Arc<Mutex<Agent<M>>>,
    socket: Arc<UdpSocket>,
    mut stopped: watch::Receiver<()>,
) {
    let mut rx = vec![0u8; RECV_BUFFER];
    let mut tx = Vec::new();
    // Responses beyond the first for one datagram: the core answers a
    // request at most once, so this stays empty.
    let mut extra = Vec::new();
    loop {
        let received = tokio::select! {
            r = socket.recv_from(&mut rx) => r,
            // The sender is dropped when the server stops.
            _ = stopped.changed() => return,
        };
        let (n, from) = match received {
            Ok(got) => got,
            Err(e) if is_transient_recv_error(e.kind()) => continue,
            Err(e) => {
                tracing::warn!(error = %e, "agent socket failed; it stops serving");
                return;
            }
        };
        let bytes = rx.get(..n).unwrap_or(&[]);
        // Handle and drain under one lock, so each response leaves from the
        // socket its request came in on.
        let to = {
            let mut agent = lock(&agent);
            agent.handle_datagram(Instant::now().into_std(), from, bytes);
            let to = agent.poll_transmit_into(&mut tx);
            while let Some(t) = agent.poll_transmit() {
                extra.push(t);
            }
            to
        };
        tracing::debug!(peer = %from, bytes = n, answered = to.is_some(), "agent request");
        if let Some(to) = to {
            // A lost response is the manager's to retry.
            let _ = socket.send_to(&tx, to).await;
        }
        for t in extra.drain(..) {
            let _ = socket.send_to(&t.payload, t.destination).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn listen_syntax() {
        let a = |s: &'static str| async move { listen_addr(s).await.unwrap() };
        assert_eq!(
            a("udp:127.0.0.1:1161").await,
            "127.0.0.1:1161".parse().unwrap()
        );
        assert_eq!(a("127.0.0.1").await, "127.0.0.1:161".parse().unwrap());
        assert_eq!(a("udp6:[::1]:1161").await, "[::1]:1161".parse().unwrap());
        assert_eq!(a("1161").await, "0.0.0.0:1161".parse().unwrap());
        assert_eq!(a("udp:1161").await, "0.0.0.0:1161".parse().unwrap());
        assert_eq!(a("udp6:1161").await, "[::]:1161".parse().unwrap());
        assert!(a("localhost:1161").await.ip().is_loopback());
        assert!(listen_addr("tcp:127.0.0.1:1").await.is_err());
        assert_eq!(
            listen_addr("127.0.0.1:99999").await.unwrap_err().kind(),
            io::ErrorKind::InvalidInput
        );
    }
}
