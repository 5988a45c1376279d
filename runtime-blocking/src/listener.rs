//! [`TrapListener`]: the core [`NotificationReceiver`] on UDP sockets, one
//! thread per socket, with notifications handed out as an [`Iterator`].
//!
//! Each socket thread receives every datagram already queued on its socket
//! (up to [`BATCH`], one `recvmmsg` on Linux, see [`crate::batch`]), locks
//! the receiver once, feeds each datagram to
//! [`NotificationReceiver::handle_datagram`] and drains the inform
//! acknowledgements into a send batch, moves the notifications to the
//! consumers' queue, unlocks, wakes a waiting consumer, and sends the
//! acknowledgements (one `sendmmsg`) from the socket the informs came in on.
//! The receiver's own event queue is the only one: when the application
//! falls behind by [`ReceiverConfig::max_queued_events`] notifications or
//! [`ReceiverConfig::max_queued_bytes`] bytes (16 MiB by default),
//! notifications are dropped and counted, and informs go unanswered so
//! their senders retry.
//!
//! Stopping works as for the [`AgentServer`](crate::AgentServer): a flag,
//! and an empty datagram from each socket to itself to wake its thread.

pub use oxsnmp_core::notify::{
    Notification, NotificationEvent, NotificationKind, ReceiverConfig, ReceiverStats, Trap,
    V1TrapFields,
};

use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxsnmp_core::notify::NotificationReceiver;
use oxsnmp_core::transport::{is_transient_recv_error, AddressError, TransportAddr, TRAP_PORT};

use crate::agent::RECV_SOCKET_BUFFER;
use crate::batch::{self, RecvBatch, SendBatch, MAX_DATAGRAM};
use crate::resolve::{self, interface_index};

/// Most datagrams a socket thread receives per turn.
pub const BATCH: usize = 64;

/// How often an idle socket thread looks at the stop flag when the wake-up
/// datagram did not reach it.
const STOP_POLL: Duration = Duration::from_millis(250);

/// What the socket threads and the consumers share.
struct State {
    /// Its event queue is the only one, bounded in count and bytes.
    receiver: NotificationReceiver,
    /// Consumers blocked in [`TrapListener::recv`].
    waiting: usize,
    /// Socket threads still running.
    running: usize,
}

struct Shared {
    state: Mutex<State>,
    wakeup: Condvar,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A trap and inform receiver (snmptrapd's role) on one or more UDP
/// sockets.
///
/// ```no_run
/// use oxsnmp_blocking::{ReceiverConfig, TrapListener};
///
/// # fn main() -> std::io::Result<()> {
/// let listener = TrapListener::bind(&["udp:127.0.0.1:1162"], ReceiverConfig::new().community("public"))?;
/// for event in &listener {
///     println!("{} from {}: {}", event.kind.label(), event.source, event.trap_oid());
///     for vb in event.varbinds() {
///         println!("  {} = {:?}", vb.oid, vb.value);
///     }
/// }
/// # Ok(())
/// # }
/// ```
///
/// The iterator ends once the listener is stopped (from another thread
/// with [`stop`](Self::stop)) and every notification received before has
/// been taken. Dropping the listener stops it and joins its threads.
pub struct TrapListener {
    shared: Arc<Shared>,
    sockets: Vec<Arc<UdpSocket>>,
    local_addrs: Vec<SocketAddr>,
    stop: Arc<AtomicBool>,
    threads: Mutex<Vec<JoinHandle<()>>>,
}

impl std::fmt::Debug for TrapListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrapListener")
            .field("local_addrs", &self.local_addrs)
            .finish_non_exhaustive()
    }
}

impl TrapListener {
    /// Binds every listening address and starts receiving at once.
    ///
    /// Addresses use snmptrapd's (and snmpd's) syntax, port 162 by default:
    /// `udp:127.0.0.1:1162`, `udp6:[::1]:1162`, `127.0.0.1`, `localhost:1162`,
    /// or a bare port (`1162`, `udp:1162`: every IPv4 interface;
    /// `udp6:1162`: every IPv6 one); an entry may hold several separated by
    /// commas. Port 0 picks a free port (see [`local_addrs`](Self::local_addrs)).
    ///
    /// Fails if an address does not parse or resolve (kind
    /// [`io::ErrorKind::InvalidInput`]), if `listen` names none, or if a
    /// socket cannot be bound; nothing keeps running then.
    pub fn bind(listen: &[&str], config: ReceiverConfig) -> io::Result<Self> {
        let mut sockets = Vec::new();
        let mut local_addrs = Vec::new();
        for spec in TransportAddr::listen_list(listen) {
            let addr = listen_addr_162(spec)?;
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
        let shared = Arc::new(Shared {
            state: Mutex::new(State {
                receiver: NotificationReceiver::new(config.with_entropy(resolve::fresh_seed())),
                waiting: 0,
                running: sockets.len(),
            }),
            wakeup: Condvar::new(),
        });
        let listener = Self {
            shared,
            sockets,
            local_addrs,
            stop: Arc::new(AtomicBool::new(false)),
            threads: Mutex::new(Vec::new()),
        };
        for (socket, local) in listener.sockets.iter().zip(&listener.local_addrs) {
            let worker = Worker {
                shared: Arc::clone(&listener.shared),
                socket: Arc::clone(socket),
                stop: Arc::clone(&listener.stop),
            };
            // On failure `listener` is dropped, which stops the threads
            // already running.
            let thread = std::thread::Builder::new()
                .name(format!("oxsnmp-traps-{local}"))
                .spawn(move || worker.run())?;
            listener.threads().push(thread);
        }
        tracing::debug!(addrs = ?listener.local_addrs, "trap listener listening");
        Ok(listener)
    }

    fn threads(&self) -> MutexGuard<'_, Vec<JoinHandle<()>>> {
        self.threads.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The addresses the sockets are bound to (a port 0 resolved), in the
    /// order they were given.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.local_addrs.clone()
    }

    /// The receiver's counters: what was delivered, what was dropped and why.
    pub fn stats(&self) -> ReceiverStats {
        self.shared.lock().receiver.stats()
    }

    /// The next notification, waiting as long as it takes; `None` once the
    /// listener is stopped and everything received before was taken.
    pub fn recv(&self) -> Option<NotificationEvent> {
        self.wait(None)
    }

    /// The next notification, waiting at most `timeout`; `None` if none came
    /// (or the listener is stopped and drained).
    pub fn recv_timeout(&self, timeout: Duration) -> Option<NotificationEvent> {
        self.wait(Some(Instant::now() + timeout))
    }

    /// The next notification if one is waiting.
    pub fn try_recv(&self) -> Option<NotificationEvent> {
        let mut state = self.shared.lock();
        take(&mut state)
    }

    fn wait(&self, deadline: Option<Instant>) -> Option<NotificationEvent> {
        let mut state = self.shared.lock();
        loop {
            if let Some(event) = take(&mut state) {
                return Some(event);
            }
            if state.running == 0 || self.stop.load(Ordering::SeqCst) {
                return None;
            }
            state.waiting += 1;
            state = match deadline {
                None => self
                    .shared
                    .wakeup
                    .wait(state)
                    .unwrap_or_else(PoisonError::into_inner),
                Some(d) => {
                    let left = d.saturating_duration_since(Instant::now());
                    if left.is_zero() {
                        state.waiting -= 1;
                        return None;
                    }
                    self.shared
                        .wakeup
                        .wait_timeout(state, left)
                        .unwrap_or_else(PoisonError::into_inner)
                        .0
                }
            };
            state.waiting -= 1;
        }
    }

    /// An iterator over notifications, as [`recv`](Self::recv) gives them.
    pub fn iter(&self) -> Iter<'_> {
        Iter(self)
    }

    /// Stops receiving: the socket threads end and close their sockets;
    /// notifications already received can still be taken. Returns once the
    /// threads have ended. (Also done on drop.)
    pub fn stop(&self) {
        self.stop.store(true, Ordering::SeqCst);
        for socket in &self.sockets {
            wake(socket);
        }
        let threads = std::mem::take(&mut *self.threads());
        for thread in threads {
            let _ = thread.join();
        }
        let _guard = self.shared.lock();
        self.shared.wakeup.notify_all();
    }
}

impl Drop for TrapListener {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Takes the next notification from the receiver's queue.
fn take(state: &mut State) -> Option<NotificationEvent> {
    state.receiver.poll_event()
}

/// Notifications from a [`TrapListener`], by [`TrapListener::iter`] or
/// `for event in &listener`.
#[derive(Debug)]
pub struct Iter<'a>(&'a TrapListener);

impl Iterator for Iter<'_> {
    type Item = NotificationEvent;

    fn next(&mut self) -> Option<NotificationEvent> {
        self.0.recv()
    }
}

impl<'a> IntoIterator for &'a TrapListener {
    type Item = NotificationEvent;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// A listening address in snmptrapd's syntax, port 162 when none is given.
pub(crate) fn listen_addr_162(spec: &str) -> io::Result<SocketAddr> {
    let invalid = |e: AddressError| io::Error::new(io::ErrorKind::InvalidInput, e);
    let parsed =
        TransportAddr::parse_listen_with_port(spec, TRAP_PORT, interface_index).map_err(invalid)?;
    resolve::lookup(parsed).map_err(invalid)
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

/// One socket's thread.
struct Worker {
    shared: Arc<Shared>,
    socket: Arc<UdpSocket>,
    stop: Arc<AtomicBool>,
}

impl Worker {
    fn run(self) {
        let mut rx = RecvBatch::new(BATCH, MAX_DATAGRAM);
        let mut out = SendBatch::new();
        let mut tx = Vec::new();
        while !self.stop.load(Ordering::SeqCst) {
            match batch::recv_batch(&self.socket, &mut rx) {
                Ok(_) => {}
                Err(e) if is_transient_recv_error(e.kind()) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "trap listener socket failed; it stops receiving");
                    break;
                }
            }
            if self.stop.load(Ordering::SeqCst) {
                break;
            }
            let wake_consumer = {
                let mut state = self.shared.lock();
                let now = Instant::now();
                for (bytes, from) in rx.iter() {
                    // An empty datagram is a wake-up (or nothing at all).
                    if bytes.is_empty() {
                        continue;
                    }
                    if let Some(reason) = state.receiver.handle_datagram(now, from, bytes) {
                        tracing::debug!(%from, %reason, "notification dropped");
                    }
                    while let Some(to) = state.receiver.poll_transmit_into(&mut tx) {
                        out.push(&tx, to);
                    }
                }
                state.waiting > 0 && state.receiver.queued_events() > 0
            };
            if wake_consumer {
                self.shared.wakeup.notify_one();
            }
            if !out.is_empty() {
                // A lost acknowledgement is the sender's to retry.
                let _ = batch::send_batch(&self.socket, &mut out);
            }
        }
        let mut state = self.shared.lock();
        state.running = state.running.saturating_sub(1);
        drop(state);
        self.shared.wakeup.notify_all();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn listener_is_shared_across_threads() {
        // One thread may iterate while another calls `stop` or `stats`.
        fn check<T: Send + Sync>() {}
        check::<super::TrapListener>();
    }
}
