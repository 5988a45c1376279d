//! [`TrapListener`]: the core [`NotificationReceiver`] on UDP sockets with
//! `async-io`, on a thread of its own, with notifications handed out as a
//! [`Stream`].
//!
//! Like the [`AgentServer`](crate::AgentServer), the listener runs on one
//! thread (named `oxsnmp-smol-traps`) with [`async_io::block_on`], so it
//! needs no executor from the application. One loop per socket waits until
//! the socket is readable, takes every datagram already queued (up to
//! [`BATCH`]), feeds each to [`NotificationReceiver::handle_datagram`]
//! under the receiver's lock (taken once per batch), wakes the stream if notifications are
//! waiting, and sends the inform acknowledgements from the socket the
//! informs came in on. The receiver's own event queue is the only one: when
//! the application falls behind by [`ReceiverConfig::max_queued_events`]
//! notifications or [`ReceiverConfig::max_queued_bytes`] bytes (16 MiB by
//! default), notifications are dropped and counted, and informs go
//! unanswered so their senders retry.

pub use oxsnmp_core::notify::{
    Notification, NotificationEvent, NotificationKind, ReceiverConfig, ReceiverStats, Trap,
    V1TrapFields,
};

use std::future::{pending, Future};
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};
use std::thread::JoinHandle;
use std::time::Instant;

use async_channel::{Receiver, Sender};
use async_io::Async;
use futures_lite::{FutureExt, Stream, StreamExt};
use oxsnmp_core::notify::NotificationReceiver;
use oxsnmp_core::transport::{is_transient_recv_error, AddressError, TransportAddr, TRAP_PORT};

use crate::resolve::{self, interface_index};
use crate::server_socket;

/// Most datagrams a socket loop takes per wake-up.
pub const BATCH: usize = 64;

/// Size of each receive buffer: the largest UDP payload.
const RECV_BUFFER: usize = 65535;

struct State {
    /// Its event queue is the only one, bounded in count and bytes.
    receiver: NotificationReceiver,
    waker: Option<Waker>,
    running: bool,
}

type Shared = Arc<Mutex<State>>;

fn lock(shared: &Mutex<State>) -> MutexGuard<'_, State> {
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A trap and inform receiver (snmptrapd's role) on one or more UDP
/// sockets, as a [`Stream`] of notifications.
///
/// ```no_run
/// use futures_lite::StreamExt;
/// use oxsnmp_smol::{ReceiverConfig, TrapListener};
///
/// # async fn run() -> std::io::Result<()> {
/// let mut listener = TrapListener::bind(&["udp:127.0.0.1:1162"], ReceiverConfig::new()).await?;
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
/// The stream ends after [`close`](Self::close), once the notifications
/// received before have been taken. Dropping the listener ends its thread
/// and joins it (a short block).
pub struct TrapListener {
    shared: Shared,
    local_addrs: Vec<SocketAddr>,
    /// Dropped to stop the thread.
    stop: Option<Sender<()>>,
    /// Closed when the thread is done (boxed: a `Receiver` is not `Unpin`,
    /// and the listener must be, for `StreamExt::next`).
    done: Box<Receiver<()>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for TrapListener {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrapListener")
            .field("local_addrs", &self.local_addrs)
            .finish_non_exhaustive()
    }
}

impl TrapListener {
    /// Binds every listening address and starts receiving at once, on a
    /// thread of its own.
    ///
    /// Addresses use snmptrapd's (and snmpd's) syntax, port 162 by default:
    /// `udp:127.0.0.1:1162`, `udp6:[::1]:1162`, `127.0.0.1`, `localhost:1162`,
    /// or a bare port (`1162`, `udp:1162`: every IPv4 interface;
    /// `udp6:1162`: every IPv6 one); an entry may hold several separated by
    /// commas. Port 0 picks a free port (see [`local_addrs`](Self::local_addrs)).
    ///
    /// Fails if an address does not parse or resolve (kind
    /// [`io::ErrorKind::InvalidInput`]), if `listen` names none, or if a
    /// socket cannot be bound.
    pub async fn bind(listen: &[&str], config: ReceiverConfig) -> io::Result<Self> {
        let mut sockets = Vec::new();
        let mut local_addrs = Vec::new();
        for spec in TransportAddr::listen_list(listen) {
            let addr = listen_addr(spec).await?;
            let socket = server_socket::bind(addr)
                .and_then(Async::new)
                .map_err(|e| io::Error::new(e.kind(), format!("cannot listen on {addr}: {e}")))?;
            local_addrs.push(socket.get_ref().local_addr()?);
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
            running: true,
        }));
        let (stop, stopped) = async_channel::bounded::<()>(1);
        let (finished, done) = async_channel::bounded::<()>(1);
        let serving = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("oxsnmp-smol-traps".to_owned())
            .spawn(move || {
                // Dropped when the thread ends, which closes `done`.
                let _finished = finished;
                async_io::block_on(serve_all(Arc::clone(&serving), sockets, stopped));
                let waker = {
                    let mut state = lock(&serving);
                    state.running = false;
                    state.waker.take()
                };
                if let Some(waker) = waker {
                    waker.wake();
                }
            })?;
        tracing::debug!(addrs = ?local_addrs, "trap listener listening");
        Ok(Self {
            shared,
            local_addrs,
            stop: Some(stop),
            done: Box::new(done),
            thread: Some(thread),
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
        self.next().await
    }

    /// Stops receiving: the thread ends and closes the sockets; the stream
    /// yields what was received before, then ends.
    pub fn close(&mut self) {
        self.stop.take();
    }

    /// Closes and waits until the thread has ended, without blocking the
    /// executor.
    pub async fn stop(mut self) {
        self.close();
        // Closed (an error) once the thread has finished.
        let _ = self.done.recv().await;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Stream for TrapListener {
    type Item = NotificationEvent;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<NotificationEvent>> {
        self.get_mut().poll_take(cx)
    }
}

impl TrapListener {
    fn poll_take(&self, cx: &mut Context<'_>) -> Poll<Option<NotificationEvent>> {
        let mut state = lock(&self.shared);
        if let Some(event) = state.receiver.poll_event() {
            return Poll::Ready(Some(event));
        }
        if !state.running || self.stop.is_none() {
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
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
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

/// Receives on every socket until `stopped` closes.
async fn serve_all(shared: Shared, sockets: Vec<Async<UdpSocket>>, stopped: Receiver<()>) {
    let mut all: Pin<Box<dyn Future<Output = ()>>> = Box::pin(async move {
        let _ = stopped.recv().await;
    });
    for socket in sockets {
        all = Box::pin(all.or(serve(Arc::clone(&shared), socket)));
    }
    all.await;
}

/// One socket's loop; it never returns (a socket that fails stops
/// receiving and waits for the others).
async fn serve(shared: Shared, socket: Async<UdpSocket>) {
    let mut rx = vec![0u8; RECV_BUFFER];
    let mut acks: Vec<(SocketAddr, Vec<u8>)> = Vec::new();
    let mut spare: Vec<Vec<u8>> = Vec::new();
    loop {
        if let Err(e) = socket.readable().await {
            tracing::warn!(error = %e, "trap listener socket failed; it stops receiving");
            return pending().await;
        }
        let (failed, waker) = take_batch(&shared, &socket, &mut rx, &mut acks, &mut spare);
        if let Some(waker) = waker {
            waker.wake();
        }
        for (to, payload) in acks.drain(..) {
            // A lost acknowledgement is the sender's to retry.
            let _ = socket.send_to(&payload, to).await;
            spare.push(payload);
        }
        if let Some(e) = failed {
            tracing::warn!(error = %e, "trap listener socket failed; it stops receiving");
            return pending().await;
        }
    }
}

/// Takes what is queued on the socket (up to [`BATCH`] datagrams) under one
/// lock of the receiver, collecting the acknowledgements; returns a receive
/// error that ends the socket's loop and the waker to wake.
fn take_batch(
    shared: &Mutex<State>,
    socket: &Async<UdpSocket>,
    rx: &mut [u8],
    acks: &mut Vec<(SocketAddr, Vec<u8>)>,
    spare: &mut Vec<Vec<u8>>,
) -> (Option<io::Error>, Option<Waker>) {
    let mut failed = None;
    let mut state = lock(shared);
    for _ in 0..BATCH {
        // The socket is non-blocking: this takes what is queued.
        let (n, from) = match socket.get_ref().recv_from(rx) {
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
        if let Some(reason) = state.receiver.handle_datagram(Instant::now(), from, bytes) {
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
    let waker = if state.receiver.queued_events() > 0 {
        state.waker.take()
    } else {
        None
    };
    (failed, waker)
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
