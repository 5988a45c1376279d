//! [`Session`]: a client for one thread, with no driver thread.
//!
//! A [`Client`](crate::Client) hands every request to its driver thread and
//! waits for the answer on a channel: two thread switches and a wake-up
//! datagram per request, which is what lets clones share one socket from any
//! thread. A command-line tool or a script that asks one question at a time
//! pays for that on every round trip (on a two-core VM, about as much CPU as
//! the send and receive themselves). A `Session` runs the same core
//! [`Manager`] inline instead: `request` encodes, sends, and blocks in
//! `recv_from` on the caller's thread until the response or the timeout.

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use oxsnmp_core::manager::{ClientError, Event, Manager, ManagerConfig, Request, Response, Target};
use oxsnmp_core::notify::{Notification, Trap};

use crate::driver::{io_error, timed_out, timeout_close_enough, transient, RECV_BUFFER};
use crate::{resolve, ClientOptions};

/// A blocking client that does its I/O on the calling thread: one request
/// at a time, no threads, no channels: `request` encodes, sends and blocks in
/// `recv_from` on the caller's thread, so a tool asking one question at a
/// time saves the driver thread's two thread switches per round trip.
///
/// Same options, same answers and the same errors as a [`Client`](crate::Client),
/// which remains the choice when requests come from several threads at once.
///
/// ```no_run
/// use oxsnmp_blocking::{ClientOptions, Request, Session};
///
/// # fn main() -> Result<(), oxsnmp_blocking::ClientError> {
/// let mut session = Session::connect("127.0.0.1:161", ClientOptions::default())?;
/// let response = session.request(Request::Get(vec!["1.3.6.1.2.1.1.5.0".parse().unwrap()]))?;
/// println!("{:?}", response.varbinds);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct Session {
    manager: Manager,
    socket: UdpSocket,
    target: Target,
    options: ClientOptions,
    buf: Vec<u8>,
    /// The read timeout currently set on the socket.
    read_timeout: Option<Duration>,
}

impl Session {
    /// Resolves `target` (the syntax of [`Client::connect`](crate::Client::connect))
    /// and binds a socket for it.
    pub fn connect(target: &str, options: ClientOptions) -> Result<Session, ClientError> {
        let addr = resolve::resolve(target)?;
        let socket = UdpSocket::bind(options.bind_addr(addr))?;
        // Connected: the kernel skips the route lookup of every send and
        // drops datagrams from anyone but the agent before they wake us.
        socket.connect(addr)?;
        Ok(Session {
            manager: Manager::new(ManagerConfig::with_seed(resolve::fresh_seed())),
            socket,
            target: options.target(addr),
            options,
            buf: vec![0; RECV_BUFFER],
            read_timeout: None,
        })
    }

    /// The agent's address.
    pub fn target(&self) -> SocketAddr {
        self.target.addr
    }

    /// The options the session was created with.
    pub fn options(&self) -> &ClientOptions {
        &self.options
    }

    /// The local address of the session's socket.
    pub fn local_addr(&self) -> Result<SocketAddr, ClientError> {
        Ok(self.socket.local_addr()?)
    }

    /// Sends a trap, like [`Client::trap`](crate::Client::trap): returns
    /// once the datagram has left.
    pub fn trap(&mut self, trap: impl Into<Trap>) -> Result<(), ClientError> {
        self.manager.send_trap(Instant::now(), &self.target, trap)?;
        while let Some(t) = self.manager.poll_transmit() {
            self.socket.send(&t.payload)?;
        }
        Ok(())
    }

    /// Sends an InformRequest and waits for its acknowledgement, like
    /// [`Client::inform`](crate::Client::inform).
    pub fn inform(&mut self, notification: &Notification) -> Result<(), ClientError> {
        self.request(Request::inform(notification))?
            .into_varbinds()
            .map(drop)
    }

    /// Sends any request and returns the agent's response as it is, like
    /// [`Client::request`](crate::Client::request): a non-zero error-status
    /// is not turned into an error. Retransmits and times out by the
    /// options' timeout and retries.
    pub fn request(&mut self, request: Request) -> Result<Response, ClientError> {
        let handle = self
            .manager
            .send_request(Instant::now(), &self.target, request)?;
        loop {
            while let Some(t) = self.manager.poll_transmit() {
                // A failed send is left to the manager's retries and timeout.
                let _ = if t.destination == self.target.addr {
                    self.socket.send(&t.payload)
                } else {
                    self.socket.send_to(&t.payload, t.destination)
                };
            }
            while let Some(event) = self.manager.poll_event() {
                if let Event::Completed {
                    handle: done,
                    result,
                } = event
                {
                    if done == handle {
                        return result.map_err(ClientError::from);
                    }
                }
            }
            let now = Instant::now();
            let Some(deadline) = self.manager.poll_timeout() else {
                // Cannot happen while the request is pending; never wait forever.
                return Err(ClientError::Closed);
            };
            let wait = deadline.saturating_duration_since(now);
            if wait.is_zero() {
                self.manager.handle_timeout(now);
                continue;
            }
            if !timeout_close_enough(Some(wait), self.read_timeout, false) {
                if let Err(e) = self.socket.set_read_timeout(Some(wait)) {
                    self.manager.cancel(handle);
                    while self.manager.poll_event().is_some() {}
                    return Err(io_error(&e));
                }
                self.read_timeout = Some(wait);
            }
            match self.socket.recv_from(&mut self.buf) {
                Ok((n, from)) => {
                    if let Some(bytes) = self.buf.get(..n) {
                        self.manager.handle_datagram(Instant::now(), from, bytes);
                    }
                }
                Err(e) if timed_out(&e) => self.manager.handle_timeout(Instant::now()),
                Err(e) if transient(&e) => {}
                Err(e) => {
                    self.manager.cancel(handle);
                    while self.manager.poll_event().is_some() {}
                    return Err(io_error(&e));
                }
            }
        }
    }
}
