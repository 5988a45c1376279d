//! A channel for one value, from the driver to the task awaiting a request's
//! outcome: one small allocation per request. (`async_channel::bounded(1)`,
//! used before, held about 800 bytes per request in flight in its queue
//! and event listeners, which put a smol `Client` over the 1 KiB budget.)

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

struct Slot<T> {
    value: Option<T>,
    waker: Option<Waker>,
    /// The sender is gone: no value will come after what `value` holds.
    closed: bool,
}

type Shared<T> = Arc<Mutex<Slot<T>>>;

fn lock<T>(shared: &Shared<T>) -> MutexGuard<'_, Slot<T>> {
    // Nothing panics while holding the lock; a poisoned slot is still whole.
    shared.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A new channel: the sender for the driver, the receiver for the caller.
pub(crate) fn channel<T>() -> (Sender<T>, Receiver<T>) {
    let shared = Arc::new(Mutex::new(Slot {
        value: None,
        waker: None,
        closed: false,
    }));
    (Sender(Arc::clone(&shared)), Receiver(shared))
}

/// Sends the one value (or, dropped unused, tells the receiver none comes).
pub(crate) struct Sender<T>(Shared<T>);

impl<T> Sender<T> {
    /// Hands `value` to the receiver; dropped if the receiver is gone.
    pub(crate) fn send(self, value: T) {
        lock(&self.0).value = Some(value);
        // Drop wakes the receiver.
    }
}

impl<T> Drop for Sender<T> {
    fn drop(&mut self) {
        let waker = {
            let mut slot = lock(&self.0);
            slot.closed = true;
            slot.waker.take()
        };
        if let Some(waker) = waker {
            waker.wake();
        }
    }
}

/// Resolves to the value, or to `None` when the sender was dropped without
/// sending one.
pub(crate) struct Receiver<T>(Shared<T>);

impl<T> Future for Receiver<T> {
    type Output = Option<T>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<T>> {
        let mut slot = lock(&self.0);
        if let Some(value) = slot.value.take() {
            return Poll::Ready(Some(value));
        }
        if slot.closed {
            return Poll::Ready(None);
        }
        match &mut slot.waker {
            Some(waker) if waker.will_wake(cx.waker()) => {}
            other => *other = Some(cx.waker().clone()),
        }
        Poll::Pending
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sent_value_arrives() {
        let (tx, rx) = channel();
        let waiter = std::thread::spawn(move || futures_lite::future::block_on(rx));
        tx.send(7);
        assert_eq!(waiter.join().ok(), Some(Some(7)));
    }

    #[test]
    fn a_dropped_sender_ends_the_wait_with_none() {
        let (tx, rx) = channel::<u8>();
        let waiter = std::thread::spawn(move || futures_lite::future::block_on(rx));
        drop(tx);
        assert_eq!(waiter.join().ok(), Some(None));
    }

    #[test]
    fn sending_to_a_dropped_receiver_is_harmless() {
        let (tx, rx) = channel();
        drop(rx);
        tx.send(String::from("nobody listens"));
    }
}
