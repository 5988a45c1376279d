//! [`TrapListener`]: the core [`NotificationReceiver`] on UDP sockets, one
//! Tokio task per socket, with notifications handed out as a [`Stream`].
//!
//! Each socket task waits until its socket is readable, then takes every
//! datagram already queued (up to [`BATCH`], with non-blocking receives),
//! feeding each to [`NotificationReceiver::handle_datagram`] under the
//! receiver's lock (taken once per batch) and collecting the inform acknowledgements; it then
//! wakes the stream if notifications are waiting and sends the
//! acknowledgements from the socket the informs came in on. The lock is
//! never held across an `.await`. The receiver's own event queue is the
//! only one: when the application falls behind by
//! [`ReceiverConfig::max_queued_events`] notifications or
//! [`ReceiverConfig::max_queued_bytes`] bytes (16 MiB by default),
//! notifications are dropped and counted, and informs go unanswered so
//! their senders retry.

pub use oxsnmp_core::notify::{
    Notification, NotificationEvent, NotificationKind, ReceiverConfig, ReceiverStats, Trap,
    V1TrapFields,
};

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

use futures_core::Stream;
use oxsnmp_core::notify::NotificationReceiver;
use oxsnmp_core::transport::{is_transient_recv_error, AddressError, TransportAddr, TRAP_PORT};
use tokio::net::UdpSocket;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio::time::Instant;

use crate::resolve::{self, interface_index};
use crate::server_socket;

/// Most datagrams a socket task takes per wake-up.
pub const BATCH: usize = 64;

/// Size of each receive buffer: the largest UDP payload.
const RECV_BUFFER: usize = 65535;

struct State {
    /// Its event queue is the only one, bounded in count and bytes.
    receiver: NotificationReceiver,
    waker: Option<Waker>,
    running: usize,
}

type Shared = Arc<Mutex<State>>;

fn lock(shared: &Mutex<State>) -> MutexGuard<'_, State> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A trap and inform receiver (snmptrapd's role) on one or more UDP
/// sockets, as a [`Stream`] of notifications.
///
/// ```no_run
/// use futures_util::StreamExt;
/// use oxsnmp_tokio::{ReceiverConfig, TrapListener};
///
/// # async fn run() -> std::io::Result<()> {
/// let mut listener =
///     TrapListener::bind(&["udp:127.0.0.1:1162", "udp6:[::1]:1162"], ReceiverConfig::new()).await?;
/// while let Some(event) = listener.next().await {
///     println!("{} from {}: {}", event.kind.label(), event.source, event.trap_oid());
///     for vb in event.varbinds() {
///         println!("  {} = {:?}", vb.oid, vb.value);
///     }
/// }
/// # Ok(())
/// # }
/// ```
///
/// The stream ends after [`close`](Self::close) (or when every socket
/// failed), once the notifications received before have been taken.
/// Dropping the listener aborts its tasks.
pub struct TrapListener {
    shared: Shared,
    local_addrs: Vec<SocketAddr>,
    stop: Option<watch::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl std::fmt::Debug for TrapListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrapListener")
            .field("local_addrs", &self.local_addrs)
            .finish_non_exhaustive()
    }
}

impl TrapListener {
    /// Binds every listening address and starts receiving at once, on
    /// tasks of the current Tokio runtime.
    ///
    /// Addresses use snmptrapd's (and snmpd's) syntax, port 162 by default:
    /// `udp:127.0.0.1:1162`, `udp6:[::1]:1162`, `127.0.0.1`, `localhost:1162`,
    /// or a bare port (`1162`, `udp:1162`: every IPv4 interface;
    /// `udp6:1162`: every IPv6 one); an entry may hold several separated by
    /// commas. Port 0 picks a free port (see [`local_addrs`](Self::local_addrs)).
    ///
    /// Fails outside a Tokio runtime, if an address does not parse or
    /// resolve (kind [`io::ErrorKind::InvalidInput`]), if `listen` names
    /// none, or if a socket cannot be bound.
    pub async fn bind(listen: &[&str], config: ReceiverConfig) -> io::Result<Self> {
        let runtime = tokio::runtime::Handle::try_current().map_err(io::Error::other)?;
        let mut sockets = Vec::new();
        let mut local_addrs = Vec::new();
        for spec in TransportAddr::listen_list(listen) {
            let addr = listen_addr(spec).await?;
            let socket = server_socket::bind(addr)
                .and_then(UdpSocket::from_std)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
            local_addrs.push(socket.local_addr()?);
            sockets.push(socket);
        }
        if sockets.is_empty() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "no listening address given",
            ));
        }
        let shared = Arc::new(Mutex::new(State {
            receiver: NotificationReceiver::new(config.with_entropy(resolve::fresh_seed())),
            waker: None,
            running: sockets.len(),
        }));
        let (stop, stopped) = watch::channel(());
        let tasks = sockets
            .into_iter()
            .map(|socket| runtime.spawn(serve(Arc::clone(&shared), socket, stopped.clone())))
            .collect();
        tracing::debug!(addrs = ?local_addrs, "trap listener listening");
        Ok(Self {
            shared,
            local_addrs,
            stop: Some(stop),
            tasks,
        })
    }

    /// The addresses the sockets are bound to (a port 0 resolved), in the
    /// order they were given.
    pub fn local_addrs(&self) -> Vec<SocketAddr> {
        self.local_addrs.clone()
    }

    /// The receiver's counters: what was delivered, what was dropped and why.
    pub fn stats(&self) -> ReceiverStats {
        lock(&self.shared).receiver.stats()
    }

    /// The next notification; `None` once the listener is closed and
    /// drained. (The same as `StreamExt::next`.)
    pub async fn recv(&mut self) -> Option<NotificationEvent> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Stops receiving: the socket tasks end and close their sockets; the
    /// stream yields what was received before, then ends.
    pub fn close(&mut self) {
        self.stop.take();
    }

    /// Closes and waits until the socket tasks have ended.
    pub async fn stop(mut self) {
        self.close();
        for task in std::mem::take(&mut self.tasks) {
            let _ = task.await;
        }
    }
}

impl Stream for TrapListener {
    type Item = NotificationEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<NotificationEvent>> {
        let mut state = lock(&self.shared);
        if let Some(event) = state.receiver.poll_event() {
            return Poll::Ready(Some(event));
        }
        if state.running == 0 || self.stop.is_none() {
            return Poll::Ready(None);
        }
        if !state
            .waker
            .as_ref()
            .is_some_and(|w| w.will_wake(cx.waker()))
        {
            state.waker = Some(cx.waker().clone());
        }
        Poll::Pending
    }
}

impl Drop for TrapListener {
    fn drop(&mut self) {
        self.stop.take();
        for task in &self.tasks {
            task.abort();
        }
    }
}

/// A listening address in snmptrapd's syntax, port 162 when none is given.
async fn listen_addr(spec: &str) -> io::Result<SocketAddr> {
    let invalid = |e: AddressError| io::Error::new(io::ErrorKind::InvalidInput, e);
    let parsed =
        TransportAddr::parse_listen_with_port(spec, TRAP_PORT, interface_index).map_err(invalid)?;
    resolve::lookup(parsed).await.map_err(invalid)
}

/// One socket's task: receives until the listener closes.
async fn serve(shared: Shared, socket: UdpSocket, mut stopped: watch::Receiver<()>) {
    let mut rx = vec![0u8; RECV_BUFFER];
    let mut acks: Vec<(SocketAddr, Vec<u8>)> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    loop {
        let readable = tokio::select! {
            r = socket.readable() => r,
            // The sender is dropped when the listener closes.
            _ = stopped.changed() => break,
        };
        if let Err(e) = readable {
            tracing::warn!(error = %e, "trap listener socket failed; it stops receiving");
            break;
        }
        let mut failed = None;
        let wake = {
            // One lock for the whole batch: the receives in it never block.
            let mut state = lock(&shared);
            for _ in 0..BATCH {
                let (n, from) = match socket.try_recv_from(&mut rx) {
                    Ok(got) => got,
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                    Err(e) if is_transient_recv_error(e.kind()) => continue,
                    Err(e) => {
                        failed = Some(e);
                        break;
                    }
                };
                let Some(bytes) = rx.get(..n).filter(|b| !b.is_empty()) else {
                    continue;
                };
                let now = Instant::now().into_std();
                if let Some(reason) = state.receiver.handle_datagram(now, from, bytes) {
                    tracing::debug!(%from, %reason, "notification dropped");
                }
                loop {
                    let mut buf = spare.pop().unwrap_or_default();
                    match state.receiver.poll_transmit_into(&mut buf) {
                        Some(to) => acks.push((to, buf)),
                        None => {
                            spare.push(buf);
                            break;
                        }
                    }
                }
            }
            if state.receiver.queued_events() > 0 {
                state.waker.take()
            } else {
                None
            }
        };
        if let Some(waker) = wake {
            waker.wake();
        }
        for (to, payload) in acks.drain(..) {
            // A lost acknowledgement is the sender's to retry.
            let _ = socket.send_to(&payload, to).await;
            spare.push(payload);
        }
        if let Some(e) = failed {
            tracing::warn!(error = %e, "trap listener socket failed; it stops receiving");
            break;
        }
    }
    let waker = {
        let mut state = lock(&shared);
        state.running = state.running.saturating_sub(1);
        state.waker.take()
    };
    if let Some(waker) = waker {
        waker.wake();
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn listener_is_unpin_and_send() {
        // `StreamExt::next` needs `Unpin`; moving it into a task needs `Send`.
        fn check<T: Unpin + Send>() {}
        check::<super::TrapListener>();
    }
}
