//! A cheap hash for the manager's maps keyed by its own identifiers
//! (request-ids, msgIDs, handles). Those keys are chosen by the manager,
//! never by the network (a datagram only looks one up), so the flooding
//! resistance of SipHash buys nothing here, and one multiplication spreads
//! them well enough.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// Folds the key's integer with a multiplication by the golden ratio.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }

    fn write_i32(&mut self, i: i32) {
        self.write_u64(u64::from(i as u32));
    }

    fn write_u64(&mut self, i: u64) {
        self.0 = (self.0 ^ i).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

pub(crate) type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
pub(crate) type IdSet<K> = HashSet<K, BuildHasherDefault<IdHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_and_spread() {
        let mut m: IdMap<i32, i32> = IdMap::default();
        for i in -1000..1000 {
            m.insert(i, i * 2);
        }
        assert_eq!(m.get(&-7), Some(&-14));
        assert_eq!(m.len(), 2000);
        let h = |v: i32| {
            let mut x = IdHasher::default();
            x.write_i32(v);
            x.finish()
        };
        // Consecutive keys land far apart, in the high bits too.
        assert_ne!(h(1) >> 57, h(2) >> 57);
    }
}
