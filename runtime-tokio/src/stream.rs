//! Walks as streams: one request at a time, each response's items yielded
//! before the next request is sent.

use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use oxsnmp_core::client::{Next, Paged, WalkMachine};
use oxsnmp_core::manager::ClientError;
use oxsnmp_core::walk::{Row, TableWalk, Walk};
use oxsnmp_core::VarBind;

use crate::Client;

type Inner<T> = Pin<Box<dyn Stream<Item = Result<T, ClientError>> + Send>>;

/// A stream over the core's [`Paged`] loop: each request it asks for is
/// sent with `client`, the answer fed back.
fn drive<S>(client: Client, machine: S) -> Inner<S::Item>
where
    S: WalkMachine + Send + 'static,
    S::Item: Send + 'static,
{
    let state = (client, Paged::new(machine));
    Box::pin(futures_util::stream::unfold(
        state,
        |(client, mut paged)| async move {
            loop {
                match paged.next() {
                    Next::Yield(item) => return Some((item, (client, paged))),
                    Next::Send(request) => paged.handle(client.request(request).await),
                    Next::Done => return None,
                }
            }
        },
    ))
}

/// The varbinds of a walk, fetched one response at a time.
///
/// Made by [`Client::walk`], [`Client::bulk_walk`] and [`Client::walk_with`].
/// It is `Unpin`, so `StreamExt::next` works on it directly. After an error
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
