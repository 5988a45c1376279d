//! The driver: a future that owns the [`Manager`] and the sockets, run on a
//! thread of its own by [`async_io::block_on`] so that it needs no executor
//! from the application (the sockets and the timer use `async-io`'s
//! reactor, which works under smol, async-std or any other executor).
//!
//! Each turn the driver
//!
//! 1. calls [`Manager::handle_timeout`] if the manager's deadline has passed,
//! 2. sends everything [`Manager::poll_transmit`] yields,
//! 3. completes the waiting callers from [`Manager::poll_event`],
//! 4. waits for whichever comes first — a command from a [`Client`](crate::Client)
//!    handle, a datagram on the IPv4 or the IPv6 socket (raced fairly), or
//!    the deadline from [`Manager::poll_timeout`] — and feeds exactly that
//!    input with [`Instant::now`].
//!
//! The sockets are bound when the first target of their family shows up.
//! The driver ends when every handle is gone or on [`Command::Close`].

use std::future::pending;
use std::io;
use std::net::{SocketAddr, UdpSocket};
use std::sync::Arc;
use std::time::Instant;

use async_channel::Receiver;
use async_io::{Async, Timer};
use futures_lite::FutureExt;
use oxsnmp_core::client::{ClientOptions, Waiting};
use oxsnmp_core::manager::{ClientError, Manager, Request, Response, Target};
use oxsnmp_core::notify::Trap;
use oxsnmp_core::transport::is_transient_recv_error;

use crate::oneshot;

/// Size of each receive buffer: the largest UDP payload.
const RECV_BUFFER: usize = 65535;

/// Where a finished request's result goes.
pub(crate) type Reply = oneshot::Sender<Result<Response, ClientError>>;

/// A message from a client handle to the driver.
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

type Socket = Async<UdpSocket>;

/// Binds a socket on `addr` (see [`ClientOptions::bind_addr`]).
/// With many requests in flight their answers arrive in bursts, so the
/// socket asks for the agents' larger receive buffer too.
pub(crate) fn bind(addr: SocketAddr) -> io::Result<Socket> {
    Async::new(crate::server_socket::bind(addr)?)
}

/// Index of the socket slot for an address: 0 for IPv4, 1 for IPv6.
fn family(addr: SocketAddr) -> usize {
    usize::from(addr.is_ipv6())
}

/// The driver state.
pub(crate) struct Driver {
    manager: Manager,
    commands: Receiver<Command>,
    options: ClientOptions,
    /// IPv4 and IPv6 sockets with their receive buffers.
    sockets: [Option<(Socket, Vec<u8>)>; 2],
    waiting: Waiting<Reply>,
}

impl Driver {
    /// A driver with `socket` already bound for the first target.
    pub(crate) fn new(
        manager: Manager,
        commands: Receiver<Command>,
        options: ClientOptions,
        socket: Socket,
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
        let mut timer = Timer::never();
        loop {
            let now = Instant::now();
            if self.manager.poll_timeout().is_some_and(|d| d <= now) {
                self.manager.handle_timeout(now);
            }
            while let Some(t) = self.manager.poll_transmit() {
                let socket = self.sockets.get(family(t.destination));
                if let Some((socket, _)) = socket.and_then(Option::as_ref) {
                    // A failed send is left to the manager's retries and timeout.
                    let _ = socket.send_to(&t.payload, t.destination).await;
                }
            }
            self.complete();

            let deadline = self.manager.poll_timeout();
            if let Some(d) = deadline {
                timer.set_at(d);
            }
            let input = {
                let [v4, v6] = &mut self.sockets;
                let commands = &self.commands;
                let timer = &mut timer;
                let command = async { Input::Command(commands.recv().await.ok()) };
                let datagram4 = async { Input::Datagram(0, recv(v4).await) };
                let datagram6 = async { Input::Datagram(1, recv(v6).await) };
                let expiry = async {
                    match deadline {
                        Some(_) => {
                            timer.await;
                            Input::Deadline
                        }
                        None => pending().await,
                    }
                };
                command.race(datagram4).race(datagram6).or(expiry).await
            };
            match input {
                Input::Command(Some(Command::Request {
                    target,
                    request,
                    reply,
                })) => self.start(&target, request, reply),
                Input::Command(Some(Command::Trap {
                    target,
                    trap,
                    reply,
                })) => {
                    let sent = self.trap(&target, trap).await;
                    reply.send(sent);
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
                        Some(bytes) => self.manager.handle_datagram(Instant::now(), from, bytes),
                    }
                }
                Input::Datagram(_, Err(e)) if is_transient_recv_error(e.kind()) => {}
                Input::Datagram(_, Err(e)) => {
                    self.stop(|| io_error(&e));
                    return;
                }
                Input::Deadline => self.manager.handle_timeout(Instant::now()),
            }
        }
    }

    /// Binds the socket for `target`'s family if it is not bound yet.
    fn ensure_socket(&mut self, target: SocketAddr) -> io::Result<()> {
        let slot = family(target);
        if matches!(self.sockets.get(slot), Some(None)) {
            let socket = bind(self.options.bind_addr(target))?;
            if let Some(s) = self.sockets.get_mut(slot) {
                *s = Some((socket, vec![0; RECV_BUFFER]));
            }
        }
        Ok(())
    }

    /// Queues a trap and sends everything queued; the outcome is the last
    /// send's, the trap's.
    async fn trap(&mut self, target: &Target, trap: Trap) -> Result<(), ClientError> {
        self.ensure_socket(target.addr)?;
        self.manager.send_trap(Instant::now(), target, trap)?;
        let mut last = Ok(());
        while let Some(t) = self.manager.poll_transmit() {
            let socket = self.sockets.get(family(t.destination));
            if let Some((socket, _)) = socket.and_then(Option::as_ref) {
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
    fn start(&mut self, target: &Target, request: Request, reply: Reply) {
        if let Err(e) = self.ensure_socket(target.addr) {
            reply.send(Err(e.into()));
            return;
        }
        let now = Instant::now();
        let sent = self
            .waiting
            .send(&mut self.manager, now, target, request, reply);
        if let Err((reply, e)) = sent {
            reply.send(Err(e));
        }
    }

    /// Hands finished requests to their callers.
    fn complete(&mut self) {
        // The caller may have stopped waiting; that is fine.
        let deliver = |reply: Reply, result| {
            reply.send(result);
        };
        self.waiting.complete(&mut self.manager, deliver);
    }

    /// Ends every request still in flight or queued with `error()`.
    fn stop(&mut self, error: impl Fn() -> ClientError) {
        for reply in self.waiting.cancel_all(&mut self.manager) {
            reply.send(Err(error()));
        }
        self.commands.close();
        while let Ok(command) = self.commands.try_recv() {
            match command {
                Command::Request { reply, .. } => {
                    reply.send(Err(ClientError::Closed));
                }
                Command::Trap { reply, .. } => {
                    reply.send(Err(ClientError::Closed));
                }
                Command::Close => {}
            }
        }
    }
}

/// Receives on a socket slot; never ready while the slot is empty.
async fn recv(slot: &mut Option<(Socket, Vec<u8>)>) -> io::Result<(usize, SocketAddr)> {
    match slot {
        Some((socket, buf)) => socket.recv_from(buf).await,
        None => pending().await,
    }
}

/// A copy of a socket error for each caller it ends.
fn io_error(e: &io::Error) -> ClientError {
    ClientError::Io(io::Error::new(e.kind(), e.to_string()))
}
