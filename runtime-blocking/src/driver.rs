//! The driver thread: it owns one [`Manager`] and one socket.
//!
//! The standard library cannot wait on two sockets at once, so a client runs
//! one driver per address family it talks to (started on first use). Each
//! turn the driver
//!
//! 1. takes every queued command (new requests, close) and starts it in the
//!    manager,
//! 2. calls [`Manager::handle_timeout`] if the manager's deadline has passed,
//! 3. sends everything [`Manager::poll_transmit`] yields,
//! 4. completes the waiting callers from [`Manager::poll_event`],
//! 5. blocks in `recv_from` with the socket's read timeout set to the time
//!    left until [`Manager::poll_timeout`] (no timeout when there is none),
//!    and feeds the datagram it gets.
//!
//! A caller that queues a command wakes a driver blocked in `recv_from` by
//! sending an empty datagram to the driver's own socket; an atomic flag makes
//! sure one wake-up is in flight at a time, so a busy driver is not flooded.
//! Empty datagrams carry no SNMP and are never fed to the manager. An idle
//! client therefore sleeps in the kernel and costs no CPU. (If the wake-up
//! datagram cannot reach the socket — a firewall on loopback — the driver
//! notices when it starts and falls back to waking every few milliseconds.)

use std::collections::HashMap;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender, TryRecvError};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use oxsnmp_core::manager::{
    ClientError, Event, Manager, ManagerConfig, Request, RequestHandle, Response, Target,
};
use oxsnmp_core::notify::Trap;

/// Size of the receive buffer: the largest UDP payload.
pub(crate) const RECV_BUFFER: usize = 65535;

/// How long the start-up check waits for its own wake-up datagram.
const WAKE_PROBE: Duration = Duration::from_millis(500);

/// The longest wait when wake-up datagrams do not arrive.
const FALLBACK_POLL: Duration = Duration::from_millis(5);

/// Where a finished request's result goes.
pub(crate) type Reply = SyncSender<Result<Response, ClientError>>;

/// A message from a client handle to the driver thread.
pub(crate) enum Command {
    /// Start a request and send its outcome to `reply`.
    Request {
        target: Arc<Target>,
        request: Request,
        reply: Reply,
    },
    /// Send a trap (fire-and-forget); `reply` learns whether it went out.
    Trap {
        target: Arc<Target>,
        trap: Trap,
        reply: SyncSender<Result<(), ClientError>>,
    },
    /// Stop: in-flight requests end with [`ClientError::Closed`].
    Close,
}

/// The client side of a running driver thread.
#[derive(Debug)]
pub(crate) struct DriverHandle {
    commands: Sender<Command>,
    socket: Arc<UdpSocket>,
    wake_addr: SocketAddr,
    wake_pending: Arc<AtomicBool>,
    thread: Mutex<Option<JoinHandle<()>>>,
}

impl DriverHandle {
    /// Binds a socket to `bind` and starts a driver thread on it.
    pub(crate) fn spawn(bind: SocketAddr, seed: u64) -> io::Result<Self> {
        let socket = UdpSocket::bind(bind)?;
        // Answers to many requests in flight arrive in bursts.
        let _ = crate::batch::set_recv_buffer(&socket, crate::agent::RECV_SOCKET_BUFFER);
        let local = socket.local_addr()?;
        let wake_addr = SocketAddr::new(reachable_self(local.ip()), local.port());
        let poll_cap = if wake_path_works(&socket, wake_addr) {
            None
        } else {
            Some(FALLBACK_POLL)
        };
        socket.set_read_timeout(None)?;
        let socket = Arc::new(socket);
        let wake_pending = Arc::new(AtomicBool::new(false));
        let (commands, inbox) = mpsc::channel();
        let driver = Driver {
            manager: Manager::new(ManagerConfig::with_seed(seed)),
            socket: Arc::clone(&socket),
            inbox,
            wake_pending: Arc::clone(&wake_pending),
            waiting: HashMap::new(),
            buf: vec![0; RECV_BUFFER],
            read_timeout: None,
            timed_out: false,
            poll_cap,
        };
        let thread = std::thread::Builder::new()
            .name(format!("oxsnmp-driver-{local}"))
            .spawn(move || driver.run())?;
        Ok(Self {
            commands,
            socket,
            wake_addr,
            wake_pending,
            thread: Mutex::new(Some(thread)),
        })
    }

    /// The socket's local address.
    pub(crate) fn local_addr(&self) -> io::Result<SocketAddr> {
        self.socket.local_addr()
    }

    /// Queues a command and wakes the driver if no wake-up is in flight.
    pub(crate) fn submit(&self, command: Command) -> Result<(), ClientError> {
        self.commands
            .send(command)
            .map_err(|_| ClientError::Closed)?;
        // SeqCst read-modify-write on both sides: whoever swaps second sees
        // the other's write, so either the driver sees our command when it
        // clears the flag, or we see `false` and send a wake-up.
        if !self.wake_pending.swap(true, Ordering::SeqCst) {
            // A lost wake-up is harmless: the only reason the kernel drops a
            // datagram to a live socket is a full buffer, which wakes it anyway.
            let _ = self.socket.send_to(&[], self.wake_addr);
        }
        Ok(())
    }

    /// Stops the driver and waits for its thread to end.
    pub(crate) fn shutdown(&self) {
        let _ = self.submit(Command::Close);
        let thread = self
            .thread
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(thread) = thread {
            let _ = thread.join();
        }
    }
}

/// The address at which a socket bound to `ip` can reach itself.
fn reachable_self(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    }
}

/// Checks once, at start-up, that an empty datagram sent to `wake_addr`
/// comes back to `socket`.
fn wake_path_works(socket: &UdpSocket, wake_addr: SocketAddr) -> bool {
    if socket.send_to(&[], wake_addr).is_err() {
        return false;
    }
    let give_up = Instant::now() + WAKE_PROBE;
    let mut scratch = [0u8; 1];
    loop {
        let left = give_up.saturating_duration_since(Instant::now());
        if left.is_zero() || socket.set_read_timeout(Some(left)).is_err() {
            return false;
        }
        match socket.recv_from(&mut scratch) {
            Ok((0, _)) => return true,
            Ok(_) => continue,
            Err(e) if transient(&e) => continue,
            Err(_) => return false,
        }
    }
}

/// Receive errors that say nothing about the socket itself (an ICMP error
/// reported by some systems for an earlier send, a signal).
pub(crate) fn transient(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::Interrupted
            | io::ErrorKind::ConnectionReset
            | io::ErrorKind::ConnectionRefused
            | io::ErrorKind::WouldBlock
            | io::ErrorKind::TimedOut
    )
}

/// Whether the read timeout already set on the socket (`set`) can serve for
/// the wait the driver wants (`wanted`), saving a `setsockopt` per turn.
///
/// Setting each request's deadline when it is sent and clearing it when its
/// response leaves the driver idle would cost a synchronous caller two
/// system calls per request. Instead the timeout set is kept
///
/// * when the driver is idle, until it has fired once (one spurious wake-up,
///   after which the socket waits without timeout, so an idle client still
///   sleeps in the kernel);
/// * when it would wake the driver at most 2 ms (or 1/16 of the wait) late,
///   below the granularity of socket timeouts anyway;
/// * when it would wake the driver early, by at most half the wait: the
///   driver then just computes the wait again.
pub(crate) fn timeout_close_enough(
    wanted: Option<Duration>,
    set: Option<Duration>,
    fired: bool,
) -> bool {
    match (wanted, set) {
        (None, None) => true,
        (None, Some(_)) => !fired,
        (Some(_), None) => false,
        (Some(w), Some(c)) => {
            let late = (w / 16).min(Duration::from_millis(2));
            c >= w / 2 && c <= w + late
        }
    }
}

/// A `recv_from` that ended because the read timeout elapsed.
pub(crate) fn timed_out(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

/// The thread side: the manager, the socket and the callers waiting.
struct Driver {
    manager: Manager,
    socket: Arc<UdpSocket>,
    inbox: Receiver<Command>,
    wake_pending: Arc<AtomicBool>,
    waiting: HashMap<RequestHandle, Reply>,
    buf: Vec<u8>,
    /// The read timeout currently set on the socket (saves a system call).
    read_timeout: Option<Duration>,
    /// Whether the last `recv_from` ended by the read timeout.
    timed_out: bool,
    /// Longest wait when wake-up datagrams do not work.
    poll_cap: Option<Duration>,
}

impl Driver {
    fn run(mut self) {
        loop {
            if !self.take_commands() {
                self.stop(|| ClientError::Closed);
                return;
            }
            let now = Instant::now();
            if self.manager.poll_timeout().is_some_and(|d| d <= now) {
                self.manager.handle_timeout(now);
            }
            while let Some(t) = self.manager.poll_transmit() {
                // A failed send is left to the manager's retries and timeout.
                let _ = self.socket.send_to(&t.payload, t.destination);
            }
            self.complete();

            let until_deadline = self
                .manager
                .poll_timeout()
                .map(|d| d.saturating_duration_since(Instant::now()));
            let wait = match (until_deadline, self.poll_cap) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if wait.is_some_and(|w| w.is_zero()) {
                continue;
            }
            if !timeout_close_enough(wait, self.read_timeout, self.timed_out) {
                if let Err(e) = self.socket.set_read_timeout(wait) {
                    self.stop(|| io_error(&e));
                    return;
                }
                self.read_timeout = wait;
            }
            self.timed_out = false;
            match self.socket.recv_from(&mut self.buf) {
                // An empty datagram is a wake-up: commands are taken above.
                Ok((0, _)) => {}
                Ok((n, from)) => {
                    if let Some(bytes) = self.buf.get(..n) {
                        self.manager.handle_datagram(Instant::now(), from, bytes);
                    }
                }
                Err(e) if timed_out(&e) => self.timed_out = true,
                Err(e) if transient(&e) => {}
                Err(e) => {
                    self.stop(|| io_error(&e));
                    return;
                }
            }
        }
    }

    /// Starts every queued request; false when the driver must stop.
    fn take_commands(&mut self) -> bool {
        self.wake_pending.swap(false, Ordering::SeqCst);
        loop {
            match self.inbox.try_recv() {
                Ok(Command::Request {
                    target,
                    request,
                    reply,
                }) => match self.manager.send_request(Instant::now(), &target, request) {
                    Ok(handle) => {
                        self.waiting.insert(handle, reply);
                    }
                    Err(e) => {
                        let _ = reply.send(Err(e.into()));
                    }
                },
                Ok(Command::Trap {
                    target,
                    trap,
                    reply,
                }) => {
                    let sent = match self.manager.send_trap(Instant::now(), &target, trap) {
                        Ok(()) => self.send_queued(),
                        Err(e) => Err(e.into()),
                    };
                    let _ = reply.send(sent);
                }
                Ok(Command::Close) | Err(TryRecvError::Disconnected) => return false,
                Err(TryRecvError::Empty) => return true,
            }
        }
    }

    /// Sends every queued datagram now; the outcome is the last one's (a
    /// trap just queued, whose sender wants to know it left).
    fn send_queued(&mut self) -> Result<(), ClientError> {
        let mut last = Ok(());
        while let Some(t) = self.manager.poll_transmit() {
            last = self
                .socket
                .send_to(&t.payload, t.destination)
                .map(drop)
                .map_err(ClientError::from);
        }
        last
    }

    /// Hands finished requests to their callers.
    fn complete(&mut self) {
        while let Some(event) = self.manager.poll_event() {
            if let Event::Completed { handle, result } = event {
                if let Some(reply) = self.waiting.remove(&handle) {
                    let _ = reply.send(result.map_err(ClientError::from));
                }
            }
        }
    }

    /// Ends every request still in flight or queued with `error()`.
    fn stop(&mut self, error: impl Fn() -> ClientError) {
        let handles: Vec<RequestHandle> = self.waiting.keys().copied().collect();
        for handle in handles {
            self.manager.cancel(handle);
        }
        while self.manager.poll_event().is_some() {}
        for (_, reply) in self.waiting.drain() {
            let _ = reply.send(Err(error()));
        }
        while let Ok(command) = self.inbox.try_recv() {
            match command {
                Command::Request { reply, .. } => {
                    let _ = reply.send(Err(ClientError::Closed));
                }
                Command::Trap { reply, .. } => {
                    let _ = reply.send(Err(ClientError::Closed));
                }
                Command::Close => {}
            }
        }
    }
}

/// A copy of a socket error for each caller it ends.
pub(crate) fn io_error(e: &io::Error) -> ClientError {
    ClientError::Io(io::Error::new(e.kind(), e.to_string()))
}
