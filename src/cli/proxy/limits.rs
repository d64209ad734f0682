//! Limits that keep the proxy serving whatever clients do: the cap on connections served at
//! once (`--max-conns`), the cap per client address (`--max-per-client`), a short wait for a
//! free slot (`--queue-timeout`), and a clean refusal past them.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio::time::{Instant, timeout};

/// How long a refused client gets to send its first byte and read the refusal.
const REFUSE_GRACE: Duration = Duration::from_secs(1);

/// Refusals in progress at most; past this, new clients over the caps are closed at once.
const MAX_REFUSING: usize = 1024;

/// The caps on concurrent connections.
pub(crate) struct Slots {
    free: Arc<Semaphore>,
    max: usize,
    /// Clients waiting for a slot (at most `max` of them).
    waiting: Arc<Semaphore>,
    refusing: Arc<Semaphore>,
    per_client: Mutex<HashMap<IpAddr, usize>>,
    max_per_client: usize,
    /// Whether "full" was logged since the count last fell below half the cap.
    warned: AtomicBool,
}

/// One connection's place; freed on drop.
pub(crate) struct Slot {
    _permit: OwnedSemaphorePermit,
}

/// One connection counted against its client address; freed on drop.
pub(crate) struct ClientSlot<'s> {
    slots: &'s Slots,
    ip: IpAddr,
}

impl Drop for ClientSlot<'_> {
    fn drop(&mut self) {
        let mut map = self
            .slots
            .per_client
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = map.get_mut(&self.ip) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.ip);
            }
        }
    }
}

/// Why a client was turned away.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Full {
    /// `--max-conns` connections open, and none closed within `--queue-timeout`.
    Proxy,
    /// `--max-per-client` connections open from this address.
    Client,
}

impl Slots {
    pub(crate) fn new(max: usize, max_per_client: usize) -> Slots {
        let max = max.min(Semaphore::MAX_PERMITS);
        Slots {
            free: Arc::new(Semaphore::new(max)),
            max,
            waiting: Arc::new(Semaphore::new(max)),
            refusing: Arc::new(Semaphore::new(MAX_REFUSING)),
            per_client: Mutex::new(HashMap::new()),
            max_per_client,
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

    /// Counts a connection from `ip`, unless that address is at its cap.
    pub(crate) fn client(&self, ip: IpAddr) -> Option<ClientSlot<'_>> {
        let mut map = self
            .per_client
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let n = map.entry(ip).or_insert(0);
        if *n >= self.max_per_client {
            return None;
        }
        *n += 1;
        Some(ClientSlot { slots: self, ip })
    }

    /// A slot: at once, or within `wait` if another connection closes by then. Says once
    /// (unless `quiet`) that the proxy is full.
    pub(crate) async fn acquire(&self, wait: Duration, quiet: bool) -> Result<Slot, Full> {
        if self.open() < self.max / 2 {
            self.warned.store(false, Ordering::Relaxed);
        }
        if let Ok(permit) = Arc::clone(&self.free).try_acquire_owned() {
            return Ok(Slot { _permit: permit });
        }
        if !quiet && !self.warned.swap(true, Ordering::Relaxed) {
            log!(
                "sockswire proxy: {} connections open (--max-conns): new clients wait up to \
                 {wait:?}, then are refused",
                self.max
            );
        }
        let Ok(_waiting) = Arc::clone(&self.waiting).try_acquire_owned() else {
            return Err(Full::Proxy);
        };
        match timeout(wait, Arc::clone(&self.free).acquire_owned()).await {
            Ok(Ok(permit)) => Ok(Slot { _permit: permit }),
            _ => Err(Full::Proxy),
        }
    }

    /// Turns a client away cleanly: reads its first byte (within [`REFUSE_GRACE`]), answers
    /// SOCKS4 with `00 5B` and SOCKS5 with `05 FF` (no acceptable method: the one refusal a
    /// greeting has), then closes after a drain, so the refusal is not lost to a reset.
    /// At most [`MAX_REFUSING`] at a time; past that the connection is just closed.
    pub(crate) async fn refuse(&self, mut stream: TcpStream) -> &'static str {
        let Ok(_refusing) = Arc::clone(&self.refusing).try_acquire_owned() else {
            return "closed";
        };
        let deadline = Instant::now() + REFUSE_GRACE;
        let mut first = [0; 1];
        let reply: &[u8] = match tokio::time::timeout_at(deadline, stream.read(&mut first)).await {
            Ok(Ok(1)) if first == [4] => &[0, 0x5B, 0, 0, 0, 0, 0, 0],
            Ok(Ok(1)) if first == [5] => &[5, 0xFF],
            _ => return "closed",
        };
        let shown = if reply.len() == 2 {
            "sent 05 ff"
        } else {
            "sent 00 5b"
        };
        let _ = tokio::time::timeout_at(deadline, stream.write_all(reply)).await;
        let _ = stream.shutdown().await;
        let mut sink = [0; 512];
        while let Ok(Ok(n)) = tokio::time::timeout_at(deadline, stream.read(&mut sink)).await {
            if n == 0 {
                break;
            }
        }
        shown
    }
}
