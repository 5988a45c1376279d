/// A small seeded generator (SplitMix64) for request-ids.
///
/// Request-ids need to be hard to guess off-path and never repeat while a
/// request is outstanding; they do not need cryptographic strength. The
/// seed comes from the driver, so simulations replay exactly.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A positive, non-zero 31-bit request-id.
    pub(crate) fn next_request_id(&mut self) -> i32 {
        loop {
            let v = (self.next_u64() >> 33) as i32;
            if v != 0 {
                return v;
            }
        }
    }
}
