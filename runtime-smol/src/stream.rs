//! Walks as streams: one request at a time, each response's items yielded
//! before the next request is sent.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_lite::Stream;
use oxsnmp_core::manager::{ClientError, Request, Response};
use oxsnmp_core::walk::{Row, TableWalk, Walk, WalkError};
use oxsnmp_core::VarBind;

use crate::Client;

/// A core walk machine: what to ask next, and what a response yields.
pub(crate) trait Step: Send + 'static {
    type Item: Send + 'static;
    fn next_request(&mut self) -> Option<Request>;
    fn handle_response(&mut self, response: Response) -> Result<Vec<Self::Item>, WalkError>;
}

impl Step for Walk {
    type Item = VarBind;
    fn next_request(&mut self) -> Option<Request> {
        Walk::next_request(self)
    }
    fn handle_response(&mut self, response: Response) -> Result<Vec<VarBind>, WalkError> {
        Walk::handle_response(self, response)
    }
}

impl Step for TableWalk {
    type Item = Row;
    fn next_request(&mut self) -> Option<Request> {
        TableWalk::next_request(self)
    }
    fn handle_response(&mut self, response: Response) -> Result<Vec<Row>, WalkError> {
        TableWalk::handle_response(self, response)
    }
}

struct State<S: Step> {
    client: Client,
    machine: S,
    ready: VecDeque<S::Item>,
    done: bool,
}

type Inner<T> = Pin<Box<dyn Stream<Item = Result<T, ClientError>> + Send>>;

fn drive<S: Step>(client: Client, machine: S) -> Inner<S::Item> {
    let state = State {
        client,
        machine,
        ready: VecDeque::new(),
        done: false,
    };
    Box::pin(futures_lite::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.ready.pop_front() {
                return Some((Ok(item), st));
            }
            if st.done {
                return None;
            }
            let request = st.machine.next_request()?;
            let step = match st.client.request(request).await {
                Ok(response) => st
                    .machine
                    .handle_response(response)
                    .map_err(ClientError::from),
                Err(e) => Err(e),
            };
            match step {
                Ok(items) => st.ready.extend(items),
                Err(e) => {
                    st.done = true;
                    return Some((Err(e), st));
                }
            }
        }
    }))
}

/// The varbinds of a walk, fetched one response at a time.
///
/// Made by [`Client::walk`], [`Client::bulk_walk`] and [`Client::walk_with`].
/// It is `Unpin`, so `StreamExt::next` (from `futures-lite`) works on it directly. After an error
/// the stream ends.
pub struct WalkStream {
    inner: Inner<VarBind>,
}

impl WalkStream {
    pub(crate) fn new(client: Client, walk: Walk) -> Self {
        Self {
            inner: drive(client, walk),
        }
    }
}

impl fmt::Debug for WalkStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WalkStream").finish_non_exhaustive()
    }
}

impl Stream for WalkStream {
    type Item = Result<VarBind, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}

/// The rows of a table walk, fetched one response at a time.
///
/// Made by [`Client::bulk_walk_rows`]. After an error the stream ends.
pub struct RowStream {
    inner: Inner<Row>,
}

impl RowStream {
    pub(crate) fn new(client: Client, walk: TableWalk) -> Self {
        Self {
            inner: drive(client, walk),
        }
    }
}

impl fmt::Debug for RowStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RowStream").finish_non_exhaustive()
    }
}

impl Stream for RowStream {
    type Item = Result<Row, ClientError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.inner.as_mut().poll_next(cx)
    }
}
