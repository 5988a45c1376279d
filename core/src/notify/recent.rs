//! The informs answered lately, so that a retransmission (our answer was
//! lost, the originator retried) is answered again but delivered once.

use std::collections::hash_map::DefaultHasher;
use std::collections::{HashSet, VecDeque};
use std::hash::{Hash, Hasher};
use std::net::{IpAddr, SocketAddr};
use std::time::{Duration, Instant};

/// What identifies one inform: its sender, request-id, and a digest of the
/// whole message (so a different inform that reuses a request-id, e.g.
/// from a restarted sender, is not mistaken for a retransmission).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct InformKey {
    ip: IpAddr,
    port: u16,
    request_id: i32,
    digest: u64,
}

impl InformKey {
    pub(crate) fn new(from: SocketAddr, request_id: i32, message: &[u8]) -> Self {
        // Not a security boundary: a forger who can spoof the sender can
        // also send a fresh inform. The fixed-key hasher keeps runs replayable.
        let mut h = DefaultHasher::new();
        message.hash(&mut h);
        Self {
            ip: from.ip().to_canonical(),
            port: from.port(),
            request_id,
            digest: h.finish(),
        }
    }
}

/// A bounded, time-limited set of [`InformKey`]s, oldest evicted first.
#[derive(Debug)]
pub(crate) struct RecentInforms {
    keys: HashSet<InformKey>,
    order: VecDeque<(Instant, InformKey)>,
    capacity: usize,
    window: Duration,
}

impl RecentInforms {
    pub(crate) fn new(capacity: usize, window: Duration) -> Self {
        Self {
            keys: HashSet::new(),
            order: VecDeque::new(),
            capacity,
            window,
        }
    }

    fn expire(&mut self, now: Instant) {
        while let Some((at, key)) = self.order.front().copied() {
            let too_old = now.saturating_duration_since(at) > self.window;
            if !too_old && self.order.len() <= self.capacity {
                break;
            }
            self.order.pop_front();
            self.keys.remove(&key);
        }
    }

    /// Whether `key` was remembered within the window.
    pub(crate) fn contains(&mut self, now: Instant, key: &InformKey) -> bool {
        self.expire(now);
        self.keys.contains(key)
    }

    /// Remembers `key` (no-op with a capacity of zero).
    pub(crate) fn insert(&mut self, now: Instant, key: InformKey) {
        if self.capacity == 0 {
            return;
        }
        if self.keys.insert(key) {
            self.order.push_back((now, key));
        }
        self.expire(now);
    }

    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.keys.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounded_by_count_and_time() {
        let t0 = Instant::now();
        let a: SocketAddr = "192.0.2.1:5000".parse().unwrap();
        let mapped: SocketAddr = "[::ffff:192.0.2.1]:5000".parse().unwrap();
        let mut r = RecentInforms::new(2, Duration::from_secs(10));
        let k1 = InformKey::new(a, 1, b"one");
        r.insert(t0, k1);
        assert!(
            r.contains(t0, &InformKey::new(mapped, 1, b"one")),
            "IPv4-mapped is the same sender"
        );
        assert!(!r.contains(t0, &InformKey::new(a, 1, b"other message")));
        assert!(!r.contains(t0, &InformKey::new(a, 2, b"one")));
        r.insert(t0, InformKey::new(a, 2, b"two"));
        r.insert(t0, InformKey::new(a, 3, b"three"));
        assert_eq!(r.len(), 2);
        assert!(!r.contains(t0, &k1), "oldest evicted at capacity");
        assert!(r.contains(
            t0 + Duration::from_secs(10),
            &InformKey::new(a, 3, b"three")
        ));
        assert!(!r.contains(
            t0 + Duration::from_secs(11),
            &InformKey::new(a, 3, b"three")
        ));
        assert_eq!(r.len(), 0);
        let mut off = RecentInforms::new(0, Duration::from_secs(10));
        off.insert(t0, k1);
        assert!(!off.contains(t0, &k1));
    }
}
