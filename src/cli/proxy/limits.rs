//! The cap on connections served at once (`--max-conns`).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::Instant;

/// The cap on concurrent connections: a semaphore, and whether "full" was logged.
pub(crate) struct Slots {
    free: Arc<Semaphore>,
    max: usize,
    /// Whether "full" was logged since the count last fell below half the cap.
    warned: AtomicBool,
}

/// One connection's place; freed on drop.
pub(crate) struct Slot {
    _permit: OwnedSemaphorePermit,
}

impl Slots {
    pub(crate) fn new(max: usize) -> Slots {
        let max = max.min(Semaphore::MAX_PERMITS);
        Slots {
            free: Arc::new(Semaphore::new(max)),
            max,
            warned: AtomicBool::new(false),
        }
    }

    /// Connections open now.
    pub(crate) fn open(&self) -> usize {
        self.max - self.free.available_permits()
    }

    /// Waits until no connection is open or `grace` has passed; returns how many are left.
    pub(crate) async fn wait_idle(&self, grace: Duration) -> usize {
        let deadline = Instant::now() + grace;
        while self.open() > 0 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        self.open()
    }

    /// A slot, waiting for one at the cap (and saying so once, unless `quiet`).
    pub(crate) async fn acquire(&self, quiet: bool) -> Option<Slot> {
        if self.open() < self.max / 2 {
            self.warned.store(false, Ordering::Relaxed);
        }
        let permit = match Arc::clone(&self.free).try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if !quiet && !self.warned.swap(true, Ordering::Relaxed) {
                    log!(
                        "sockswire proxy: {} connections open (--max-conns): new clients wait",
                        self.max
                    );
                }
                Arc::clone(&self.free).acquire_owned().await.ok()?
            }
        };
        Some(Slot { _permit: permit })
    }
}
