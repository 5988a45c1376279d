//! The driver task: it owns the [`Manager`] and the sockets.
//!
//! Each turn the driver
//!
//! 1. calls [`Manager::handle_timeout`] if the manager's deadline has passed,
//! 2. sends everything [`Manager::poll_transmit`] yields,
//! 3. completes the waiting callers from [`Manager::poll_event`],
//! 4. waits for whichever comes first — a command from a [`Client`](crate::Client)
//!    handle, a datagram on the IPv4 or the IPv6 socket, or the deadline from
//!    [`Manager::poll_timeout`] — and feeds exactly that input, with Tokio's
//!    clock as `now` (so paused test time works).
//!
//! The sockets are bound when the first target of their family shows up.
//! The task ends when every handle is gone or on [`Command::Close`].

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;

use oxsnmp_core::client::{ClientOptions, Waiting};
use oxsnmp_core::manager::{ClientError, Manager, Request, Response, Target};
use oxsnmp_core::notify::Trap;
use oxsnmp_core::transport::is_transient_recv_error;
use tokio::net::UdpSocket;
use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// Size of each receive buffer: the largest UDP payload.
const RECV_BUFFER: usize = 65535;

/// Where a finished request's result goes.
pub(crate) type Reply = oneshot::Sender<Result<Response, ClientError>>;

/// A message from a client handle to the driver task.
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
        reply: oneshot::Sender<Result<(), ClientError>>,
    },
    /// Stop: in-flight requests end with [`ClientError::Closed`].
    Close,
}

/// One input to the manager.
enum Input {
    Command(Option<Command>),
    Datagram(usize, io::Result<(usize, SocketAddr)>),
    Deadline,
}

/// Binds a socket on `addr` (see [`ClientOptions::bind_addr`]).
/// With many requests in flight their answers arrive in bursts, so the
/// socket asks for the agents' larger receive buffer too.
pub(crate) async fn bind(addr: SocketAddr) -> io::Result<UdpSocket> {
    UdpSocket::from_std(crate::server_socket::bind(addr)?)
}

/// Index of the socket slot for an address: 0 for IPv4, 1 for IPv6.
fn family(addr: SocketAddr) -> usize {
    usize::from(addr.is_ipv6())
}

/// The driver state, moved into its task.
pub(crate) struct Driver {
    manager: Manager,
    commands: mpsc::UnboundedReceiver<Command>,
    options: ClientOptions,
    /// IPv4 and IPv6 sockets with their receive buffers.
    sockets: [Option<(UdpSocket, Vec<u8>)>; 2],
    waiting: Waiting<Reply>,
}

impl Driver {
    /// A driver with `socket` already bound for the first target.
    pub(crate) fn new(
        manager: Manager,
        commands: mpsc::UnboundedReceiver<Command>,
        options: ClientOptions,
        socket: UdpSocket,
        first_target: SocketAddr,
    ) -> Self {
        let mut sockets = [None, None];
        if let Some(slot) = sockets.get_mut(family(first_target)) {
            *slot = Some((socket, vec![0; RECV_BUFFER]));
        }
        Self {
            manager,
            commands,
            options,
            sockets,
            waiting: Waiting::default(),
        }
    }

    /// The run loop; returns when stopped.
    pub(crate) async fn run(mut self) {
        let sleep = tokio::time::sleep_until(Instant::now());
        tokio::pin!(sleep);
        loop {
            let now = Instant::now().into_std();
            if self.manager.poll_timeout().is_some_and(|d| d <= now) {
                self.manager.handle_timeout(now);
            }
            while let Some(t) = self.manager.poll_transmit() {
                if let Some((socket, _)) = self
                    .sockets
                    .get(family(t.destination))
                    .and_then(Option::as_ref)
                {
                    // A failed send is left to the manager's retries and timeout.
                    let _ = socket.send_to(&t.payload, t.destination).await;
                }
            }
            self.complete();

            let deadline = self.manager.poll_timeout();
            if let Some(d) = deadline {
                sleep.as_mut().reset(Instant::from_std(d));
            }
            let [v4, v6] = &mut self.sockets;
            let input = tokio::select! {
                command = self.commands.recv() => Input::Command(command),
                r = recv(v4) => Input::Datagram(0, r),
                r = recv(v6) => Input::Datagram(1, r),
                () = &mut sleep, if deadline.is_some() => Input::Deadline,
            };
            match input {
                Input::Command(Some(Command::Request {
                    target,
                    request,
                    reply,
                })) => self.start(&target, request, reply).await,
                Input::Command(Some(Command::Trap {
                    target,
                    trap,
                    reply,
                })) => {
                    let sent = self.trap(&target, trap).await;
                    let _ = reply.send(sent);
                }
                Input::Command(Some(Command::Close)) | Input::Command(None) => {
                    self.stop(|| ClientError::Closed);
                    return;
                }
                Input::Datagram(slot, Ok((n, from))) => {
                    let bytes = self
                        .sockets
                        .get(slot)
                        .and_then(Option::as_ref)
                        .and_then(|(_, buf)| buf.get(..n));
                    match bytes {
                        // An empty datagram carries no SNMP message.
                        Some([]) | None => {}
                        Some(bytes) => {
                            self.manager
                                .handle_datagram(Instant::now().into_std(), from, bytes)
                        }
                    }
                }
                Input::Datagram(_, Err(e)) if is_transient_recv_error(e.kind()) => {}
                Input::Datagram(_, Err(e)) => {
                    self.stop(|| io_error(&e));
                    return;
                }
                Input::Deadline => self.manager.handle_timeout(Instant::now().into_std()),
            }
        }
    }

    /// Binds the socket for `target`'s family if it is not bound yet.
    async fn ensure_socket(&mut self, target: SocketAddr) -> io::Result<()> {
        let slot = family(target);
        if matches!(self.sockets.get(slot), Some(None)) {
            let socket = bind(self.options.bind_addr(target)).await?;
            if let Some(s) = self.sockets.get_mut(slot) {
                *s = Some((socket, vec![0; RECV_BUFFER]));
            }
        }
        Ok(())
    }

    /// Queues a trap and sends everything queued; the outcome is the last
    /// send's, the trap's.
    async fn trap(&mut self, target: &Target, trap: Trap) -> Result<(), ClientError> {
        self.ensure_socket(target.addr).await?;
        self.manager
            .send_trap(Instant::now().into_std(), target, trap)?;
        let mut last = Ok(());
        while let Some(t) = self.manager.poll_transmit() {
            if let Some((socket, _)) = self
                .sockets
                .get(family(t.destination))
                .and_then(Option::as_ref)
            {
                last = socket
                    .send_to(&t.payload, t.destination)
                    .await
                    .map(drop)
                    .map_err(ClientError::from);
            }
        }
        last
    }

    /// Starts a request, binding the socket of its family first if needed.
    async fn start(&mut self, target: &Target, request: Request, reply: Reply) {
        if let Err(e) = self.ensure_socket(target.addr).await {
            let _ = reply.send(Err(e.into()));
            return;
        }
        let now = Instant::now().into_std();
        let sent = self
            .waiting
            .send(&mut self.manager, now, target, request, reply);
        if let Err((reply, e)) = sent {
            let _ = reply.send(Err(e));
        }
    }

    /// Hands finished requests to their callers.
    fn complete(&mut self) {
        // The caller may have stopped waiting; that is fine.
        let deliver = |reply: Reply, result| {
            let _ = reply.send(result);
        };
        self.waiting.complete(&mut self.manager, deliver);
    }

    /// Ends every request still in flight or queued with `error()`.
    fn stop(&mut self, error: impl Fn() -> ClientError) {
        for reply in self.waiting.cancel_all(&mut self.manager) {
            let _ = reply.send(Err(error()));
        }
        self.commands.close();
        while let Ok(command) = self.commands.try_recv() {
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

/// Receives on a socket slot; never ready while the slot is empty.
async fn recv(slot: &mut Option<(UdpSocket, Vec<u8>)>) -> io::Result<(usize, SocketAddr)> {
    match slot {
        Some((socket, buf)) => socket.recv_from(buf).await,
        None => std::future::pending().await,
    }
}

/// A copy of a socket error for each caller it ends.
fn io_error(e: &io::Error) -> ClientError {
    ClientError::Io(io::Error::new(e.kind(), e.to_string()))
}
