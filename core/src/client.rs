//! What the runtime crates' `Client`s share and that does no I/O: their
//! [`ClientOptions`], how options become a [`Target`] and walk settings, and
//! [`Paged`], the loop of a walk iterator or stream (what to send next,
//! what to yield) that each runtime only has to feed with responses, and
//! [`Waiting`], a driver's table of callers waiting for answers.
//!
//! ```
//! use oxsnmp_core::client::{ClientOptions, Next, Paged};
//! use oxsnmp_core::manager::{Request, Response};
//! use oxsnmp_core::{ErrorStatus, Value, VarBind};
//!
//! let options = ClientOptions::default();
//! let walk = options.walk("1.3.6.1.2.1.1".parse().unwrap(), options.walk_options(false));
//! let mut paged = Paged::new(walk);
//! let Next::Send(Request::GetNext(_)) = paged.next() else { panic!() };
//! paged.handle(Ok(Response {
//!     error_status: ErrorStatus::NoError, error_index: 0, wire_len: 0,
//!     varbinds: vec![VarBind::new("1.3.6.1.2.1.1.1.0".parse().unwrap(), Value::Integer(1))],
//! }));
//! let Next::Yield(Ok(vb)) = paged.next() else { panic!() };
//! assert_eq!(vb.oid.to_string(), "1.3.6.1.2.1.1.1.0");
//! ```

use std::collections::{HashMap, VecDeque};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::manager::{
    ClientError, Event, Manager, Request, RequestHandle, Response, RetryPolicy, Target, V3Security,
};
use crate::message::Version;
use crate::oid::Oid;
use crate::pdu::VarBind;
use crate::walk::{Repetitions, Row, TableWalk, Walk, WalkError, WalkOptions};

/// Settings for a runtime crate's `Client`; the defaults are Net-SNMP's.
///
/// Each runtime crate re-exports this type (`oxsnmp_tokio::ClientOptions`,
/// `oxsnmp_smol::ClientOptions`, `oxsnmp_blocking::ClientOptions`).
///
/// ```
/// use std::time::Duration;
/// use oxsnmp_core::client::ClientOptions;
/// use oxsnmp_core::Version;
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
    /// max-repetitions policy of a client's `bulk_walk` (default adaptive);
    /// `bulk_walk_rows` starts from its initial value and halves it when the
    /// agent answers tooBig.
    pub repetitions: Repetitions,
    /// Whether walks fail on an OID that does not increase (default true;
    /// Net-SNMP's `-Cc` turns it off).
    pub check_increasing: bool,
    /// Local address to bind for targets of its family (default: any
    /// address, ephemeral port). Targets of the other family use a
    /// wildcard socket.
    pub local_addr: Option<SocketAddr>,
    /// SNMPv3 security, used when [`version`](Self::version) is
    /// [`Version::V3`] (see [`ClientOptions::v3`]).
    pub v3: Option<Arc<V3Security>>,
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
            v3: None,
        }
    }
}

impl ClientOptions {
    /// Options for SNMPv3 with `security`, Net-SNMP's defaults otherwise.
    ///
    /// ```
    /// use oxsnmp_core::client::ClientOptions;
    /// use oxsnmp_core::manager::V3Security;
    /// use oxsnmp_core::usm::{AuthProtocol, Secret, UsmUser};
    /// use oxsnmp_core::v3::SecurityLevel;
    /// use oxsnmp_core::Version;
    /// let user = UsmUser::new("monitor")?.with_auth(AuthProtocol::Sha1, Secret::Password(b"auth-secret"))?;
    /// let options = ClientOptions::v3(V3Security::new(user, SecurityLevel::AuthNoPriv));
    /// assert_eq!(options.version, Version::V3);
    /// # Ok::<(), oxsnmp_core::usm::UserError>(())
    /// ```
    pub fn v3(security: V3Security) -> Self {
        Self {
            version: Version::V3,
            v3: Some(Arc::new(security)),
            ..Self::default()
        }
    }

    /// The manager [`Target`] for the agent at `addr` with these options.
    ///
    /// ```
    /// use oxsnmp_core::client::ClientOptions;
    /// let target = ClientOptions::default().target("127.0.0.1:161".parse().unwrap());
    /// assert_eq!(target.community, b"public");
    /// assert_eq!(target.retry.retries, 5);
    /// ```
    pub fn target(&self, addr: SocketAddr) -> Target {
        Target {
            addr,
            version: self.version,
            community: self.community.as_bytes().to_vec(),
            retry: RetryPolicy {
                timeout: self.timeout,
                retries: self.retries,
            },
            v3: self.v3.clone(),
        }
    }

    /// The local address to bind for talking to `target`:
    /// [`local_addr`](Self::local_addr) if it is of `target`'s family, else
    /// the wildcard address of that family with an ephemeral port.
    ///
    /// ```
    /// use oxsnmp_core::client::ClientOptions;
    /// let options = ClientOptions::default();
    /// assert_eq!(options.bind_addr("[::1]:161".parse().unwrap()).to_string(), "[::]:0");
    /// assert_eq!(options.bind_addr("127.0.0.1:161".parse().unwrap()).to_string(), "0.0.0.0:0");
    /// ```
    pub fn bind_addr(&self, target: SocketAddr) -> SocketAddr {
        match self.local_addr {
            Some(local) if local.is_ipv6() == target.is_ipv6() => local,
            _ if target.is_ipv6() => SocketAddr::from((Ipv6Addr::UNSPECIFIED, 0)),
            _ => SocketAddr::from((Ipv4Addr::UNSPECIFIED, 0)),
        }
    }

    /// The [`WalkOptions`] of a client's `walk` (`bulk` false: GETNEXT) or
    /// `bulk_walk` (`bulk` true: GETBULK with
    /// [`repetitions`](Self::repetitions)), honouring
    /// [`check_increasing`](Self::check_increasing).
    pub fn walk_options(&self, bulk: bool) -> WalkOptions {
        let base = if bulk {
            WalkOptions::bulk(self.repetitions)
        } else {
            WalkOptions::getnext()
        };
        WalkOptions {
            check_increasing: self.check_increasing,
            ..base
        }
    }

    /// A [`Walk`] of the subtree under `root` for this client's
    /// [`version`](Self::version).
    pub fn walk(&self, root: Oid, options: WalkOptions) -> Walk {
        Walk::new(root, self.version, options)
    }

    /// A [`TableWalk`] of these columns starting at the initial
    /// [`repetitions`](Self::repetitions).
    pub fn table_walk(&self, columns: &[Oid]) -> TableWalk {
        TableWalk::new(
            columns.to_vec(),
            self.repetitions.initial(),
            self.check_increasing,
        )
    }
}

/// A walk state machine that [`Paged`] can drive: [`Walk`] and
/// [`TableWalk`].
pub trait WalkMachine {
    /// What a response yields: varbinds or rows.
    type Item;
    /// The next request to send, or `None` when the walk is finished.
    fn next_request(&mut self) -> Option<Request>;
    /// Feeds the response to the last request; returns the items it yields.
    fn handle_response(&mut self, response: Response) -> Result<Vec<Self::Item>, WalkError>;
}

impl WalkMachine for Walk {
    type Item = VarBind;
    fn next_request(&mut self) -> Option<Request> {
        Walk::next_request(self)
    }
    fn handle_response(&mut self, response: Response) -> Result<Vec<VarBind>, WalkError> {
        Walk::handle_response(self, response)
    }
}

impl WalkMachine for TableWalk {
    type Item = Row;
    fn next_request(&mut self) -> Option<Request> {
        TableWalk::next_request(self)
    }
    fn handle_response(&mut self, response: Response) -> Result<Vec<Row>, WalkError> {
        TableWalk::handle_response(self, response)
    }
}

/// What a [`Paged`] walk wants next.
#[derive(Debug)]
pub enum Next<T> {
    /// Hand this item (or the error that ends the walk) to the caller.
    Yield(Result<T, ClientError>),
    /// Send this request and feed its outcome to [`Paged::handle`].
    Send(Request),
    /// The walk is over.
    Done,
}

/// A walk one response at a time, as a client's walk iterator or stream
/// presents it: the items of each response are yielded before the next
/// request is sent, and after an error the walk ends.
///
/// The driving loop: call [`next`](Self::next); on [`Next::Send`] send the
/// request and pass its result to [`handle`](Self::handle), then call
/// `next` again; stop at [`Next::Done`].
#[derive(Debug)]
pub struct Paged<S: WalkMachine> {
    machine: S,
    ready: VecDeque<S::Item>,
    error: Option<ClientError>,
    done: bool,
}

impl<S: WalkMachine> Paged<S> {
    /// Starts driving `machine`.
    pub fn new(machine: S) -> Self {
        Self {
            machine,
            ready: VecDeque::new(),
            error: None,
            done: false,
        }
    }

    /// The walk state machine (current max-repetitions, items so far).
    pub fn machine(&self) -> &S {
        &self.machine
    }

    /// The next thing to do: yield a buffered item, send a request, or stop.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Next<S::Item> {
        if let Some(item) = self.ready.pop_front() {
            return Next::Yield(Ok(item));
        }
        if let Some(error) = self.error.take() {
            return Next::Yield(Err(error));
        }
        if self.done {
            return Next::Done;
        }
        match self.machine.next_request() {
            Some(request) => Next::Send(request),
            None => {
                self.done = true;
                Next::Done
            }
        }
    }

    /// Feeds the outcome of the request from the last [`Next::Send`]. An
    /// error is yielded by the next call to [`next`](Self::next), after
    /// which the walk is done.
    pub fn handle(&mut self, result: Result<Response, ClientError>) {
        let step = result.and_then(|r| Ok(self.machine.handle_response(r)?));
        match step {
            Ok(items) => self.ready.extend(items),
            Err(e) => {
                self.done = true;
                self.error = Some(e);
            }
        }
    }
}

/// The callers of a driver waiting for their requests, each with the reply
/// slot `R` (a channel sender) its answer goes to: the bookkeeping between
/// [`Manager::send_request`], the [`Event::Completed`] events and closing.
///
/// ```
/// use std::time::Instant;
/// use oxsnmp_core::client::{ClientOptions, Waiting};
/// use oxsnmp_core::manager::{Manager, ManagerConfig, Request};
///
/// let mut manager = Manager::new(ManagerConfig::with_seed(7));
/// let mut waiting: Waiting<&str> = Waiting::default();
/// let target = ClientOptions::default().target("127.0.0.1:161".parse().unwrap());
/// let request = Request::get(&["1.3.6.1.2.1.1.1.0".parse().unwrap()]);
/// assert!(waiting.send(&mut manager, Instant::now(), &target, request, "caller").is_ok());
/// assert!(manager.poll_transmit().is_some());
/// assert_eq!(waiting.cancel_all(&mut manager), ["caller"]);
/// ```
#[derive(Debug)]
pub struct Waiting<R> {
    replies: HashMap<RequestHandle, R>,
}

impl<R> Default for Waiting<R> {
    fn default() -> Self {
        Self {
            replies: HashMap::new(),
        }
    }
}

impl<R> Waiting<R> {
    /// Starts `request` on `manager` and keeps `reply` until it finishes;
    /// if it cannot be sent, gives `reply` back with the error.
    pub fn send(
        &mut self,
        manager: &mut Manager,
        now: Instant,
        target: &Target,
        request: Request,
        reply: R,
    ) -> Result<(), (R, ClientError)> {
        match manager.send_request(now, target, request) {
            Ok(handle) => {
                self.replies.insert(handle, reply);
                Ok(())
            }
            Err(e) => Err((reply, e.into())),
        }
    }

    /// Drains `manager`'s events and hands each finished request's result
    /// to `deliver` with its caller's reply slot.
    pub fn complete(
        &mut self,
        manager: &mut Manager,
        mut deliver: impl FnMut(R, Result<Response, ClientError>),
    ) {
        while let Some(event) = manager.poll_event() {
            // `Event` is non-exhaustive: more kinds may come.
            #[allow(irrefutable_let_patterns)]
            if let Event::Completed { handle, result } = event {
                if let Some(reply) = self.replies.remove(&handle) {
                    deliver(reply, result.map_err(ClientError::from));
                }
            }
        }
    }

    /// Cancels every request still waiting, drains `manager`'s events, and
    /// returns the reply slots of the callers left without an answer.
    pub fn cancel_all(&mut self, manager: &mut Manager) -> Vec<R> {
        for handle in self.replies.keys() {
            manager.cancel(*handle);
        }
        while manager.poll_event().is_some() {}
        self.replies.drain().map(|(_, reply)| reply).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdu::ErrorStatus;
    use crate::value::Value;
    use crate::walk::Repetitions;

    fn answer(oid: &str) -> Response {
        Response {
            error_status: ErrorStatus::NoError,
            error_index: 0,
            wire_len: 0,
            varbinds: vec![VarBind::new(oid.parse().unwrap(), Value::Integer(1))],
        }
    }

    #[test]
    fn walk_options_follow_the_client_options() {
        let options = ClientOptions {
            check_increasing: false,
            repetitions: Repetitions::Fixed(9),
            ..ClientOptions::default()
        };
        assert!(!options.walk_options(false).check_increasing);
        assert_eq!(options.walk_options(false).bulk, None);
        assert_eq!(options.walk_options(true).bulk, Some(Repetitions::Fixed(9)));
        let local: SocketAddr = "127.0.0.1:5000".parse().unwrap();
        let options = ClientOptions {
            local_addr: Some(local),
            ..options
        };
        assert_eq!(options.bind_addr("10.0.0.1:161".parse().unwrap()), local);
        assert_eq!(
            options.bind_addr("[::1]:161".parse().unwrap()),
            "[::]:0".parse().unwrap()
        );
    }

    #[test]
    fn paged_yields_each_response_then_ends() {
        let options = ClientOptions::default();
        let walk = options.walk(
            "1.3.6.1.2.1.1".parse().unwrap(),
            options.walk_options(false),
        );
        let mut paged = Paged::new(walk);
        assert!(matches!(paged.next(), Next::Send(Request::GetNext(_))));
        paged.handle(Ok(answer("1.3.6.1.2.1.1.1.0")));
        assert!(matches!(paged.next(), Next::Yield(Ok(_))));
        assert!(matches!(paged.next(), Next::Send(_)));
        paged.handle(Ok(answer("1.3.6.1.2.1.2.1.0")));
        assert!(matches!(paged.next(), Next::Done));
        assert!(matches!(paged.next(), Next::Done));
        assert_eq!(paged.machine().yielded(), 1);
    }

    #[test]
    fn paged_ends_after_an_error() {
        let options = ClientOptions::default();
        let mut paged = Paged::new(options.table_walk(&["1.3.6.1.2.1.2.2.1.2".parse().unwrap()]));
        assert!(matches!(paged.next(), Next::Send(Request::GetBulk { .. })));
        paged.handle(Err(ClientError::Closed));
        assert!(matches!(
            paged.next(),
            Next::Yield(Err(ClientError::Closed))
        ));
        assert!(matches!(paged.next(), Next::Done));
    }

    #[test]
    fn request_constructors_copy_their_arguments() {
        let oids: Vec<Oid> = vec!["1.3.6.1".parse().unwrap()];
        assert_eq!(Request::get(&oids), Request::Get(oids.clone()));
        assert_eq!(Request::get_next(&oids), Request::GetNext(oids.clone()));
        assert_eq!(
            Request::get_bulk(1, 2, &oids),
            Request::GetBulk {
                non_repeaters: 1,
                max_repetitions: 2,
                oids
            }
        );
        let mut failed = answer("1.3.6.1.2.1.1.1.0");
        failed.error_status = ErrorStatus::NoSuchName;
        failed.error_index = 1;
        assert!(matches!(failed.into_varbinds(), Err(ClientError::Snmp(_))));
    }
}
