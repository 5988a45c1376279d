//! A global allocator that keeps count of the bytes in use, for tests and
//! benchmarks that measure memory: install it in a binary of its own (a test
//! file with one test, or an example), since every thread's allocations
//! count.
//!
//! ```ignore
//! use oxsnmp_tests::alloc_meter::{self, LiveBytes};
//! #[global_allocator]
//! static GLOBAL: LiveBytes = LiveBytes;
//!
//! let before = alloc_meter::live();
//! alloc_meter::reset_peak();
//! // ... work ...
//! let grew = alloc_meter::peak().saturating_sub(before);
//! ```

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

/// The counting allocator: the system allocator plus three counters (bytes
/// in use, their peak since [`reset_peak`], allocation calls).
#[derive(Debug, Clone, Copy, Default)]
pub struct LiveBytes;

fn grew(bytes: usize) {
    let now = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(now, Ordering::Relaxed);
    ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
}

fn shrank(bytes: usize) {
    LIVE.fetch_sub(bytes, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are plain atomics and never affect the pointers returned.
unsafe impl GlobalAlloc for LiveBytes {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = unsafe { System.alloc_zeroed(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            shrank(layout.size());
            grew(new_size);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }
}

/// Bytes allocated and not yet freed, all threads (as requested by the
/// program: the allocator's own overhead is not included).
pub fn live() -> usize {
    LIVE.load(Ordering::Relaxed)
}

/// The highest [`live`] value since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak from the current [`live`] value.
pub fn reset_peak() {
    PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
}

/// Allocation calls so far (`alloc`, `alloc_zeroed`, `realloc`).
pub fn allocations() -> usize {
    ALLOCATIONS.load(Ordering::Relaxed)
}
