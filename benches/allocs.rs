//! Allocations per operation for every case of the catalogue (wire parsers and encoders,
//! handshakes, streams), sockswire next to tor-socksproto and the floor, counted by a global
//! allocator. Deterministic, so it can gate: `--check` fails if any sockswire case allocates.
//!
//! ```text
//! cargo bench --bench allocs                  # every case
//! cargo bench --bench allocs -- proxy_ --check
//! ```

#[path = "support/cases.rs"]
mod cases;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/fixtures.rs"]
mod fixtures;
#[path = "support/floor.rs"]
mod floor;

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use cases::{Case, Checker, Op, Visit};

struct Counting;

static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);

fn count(size: usize) {
    ALLOCS.fetch_add(1, Relaxed);
    BYTES.fetch_add(size as u64, Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        count(layout.size());
        // SAFETY: the caller's contract is passed on.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size);
        // SAFETY: the caller's contract is passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract is passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

fn counts() -> (u64, u64) {
    (ALLOCS.load(Relaxed), BYTES.load(Relaxed))
}

struct Counter {
    filter: Option<String>,
    checker: Checker,
    /// sockswire cases that allocated.
    offenders: Vec<String>,
}

impl Visit for Counter {
    fn case<O: Op>(&mut self, case: Case, make: impl FnOnce() -> O) {
        let name = case.name();
        if self
            .filter
            .as_ref()
            .is_some_and(|f| !name.contains(f.as_str()))
        {
            return;
        }
        let mut op = make();
        // The first run may initialise lazily; it also checks the decision.
        self.checker.check(&case, op.run());
        let iters = if case.units > 1 { 4 } else { 1000 };
        let (a0, b0) = counts();
        for _ in 0..iters {
            black_box(op.run());
        }
        let (a1, b1) = counts();
        let allocs = (a1 - a0) as f64 / iters as f64;
        let bytes = (b1 - b0) as f64 / iters as f64;
        let per_msg = allocs / case.units as f64;
        println!("{name:<58} {allocs:>10.2} {bytes:>12.1} {per_msg:>10.2}");
        if case.imp.starts_with(cases::OURS) && a1 != a0 {
            self.offenders.push(name);
        }
    }
}

fn main() {
    let mut check = false;
    let mut filter = None;
    for arg in std::env::args().skip(1) {
        match arg.as_str() {
            "--check" => check = true,
            a if a.starts_with("--") => {}
            a => filter = Some(a.to_owned()),
        }
    }
    println!(
        "{:<58} {:>10} {:>12} {:>10}",
        "case (group/scenario/impl)", "allocs/op", "bytes/op", "allocs/msg"
    );
    let mut counter = Counter {
        filter,
        checker: Checker::default(),
        offenders: Vec::new(),
    };
    cases::all_cases(&mut counter);
    if check && !counter.offenders.is_empty() {
        eprintln!("sockswire cases that allocate: {:?}", counter.offenders);
        std::process::exit(1);
    }
}
