//! The tunnel: bytes both ways until both sides have closed, half-close passed on, an idle
//! timeout over both directions.

use std::future::{Future, poll_fn};
use std::io;
use std::pin::pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::Poll;
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::time::Instant;

use crate::proxy::config::Config;

/// The relay buffer's first size: it doubles, up to `--max-buffer`, each time a read fills
/// it, so idle tunnels stay small.
const FIRST_BUFFER: usize = 4096;

/// Last activity, in milliseconds since the relay started, shared by both directions.
struct Activity {
    start: Instant,
    last_ms: AtomicU64,
}

impl Activity {
    fn touch(&self) {
        let ms = u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX);
        self.last_ms.store(ms, Ordering::Relaxed);
    }

    fn last(&self) -> Instant {
        self.start + Duration::from_millis(self.last_ms.load(Ordering::Relaxed))
    }
}

/// How one direction of the relay ended.
pub(crate) enum End {
    /// The source closed its sending side; the half-close was passed on.
    Eof,
    /// Both directions idle past `--idle-timeout`.
    Idle,
    /// Reading from or writing to the named side failed (reset, broken pipe, a peer that
    /// stopped reading).
    Failed(&'static str, &'static str, io::Error),
}

impl End {
    fn text(&self) -> String {
        match self {
            End::Eof => "closed both ways".into(),
            End::Idle => "idle timeout".into(),
            End::Failed(who, op, e) => format!("{who} {op} failed: {e}"),
        }
    }
}

/// Copies `from` to `to` until `from` ends, then half-closes `to`.
async fn pump(
    (mut from, from_name): (impl AsyncRead + Unpin, &'static str),
    (mut to, to_name): (impl AsyncWrite + Unpin, &'static str),
    max: usize,
    activity: &Activity,
    bytes: &AtomicU64,
) -> End {
    let mut buf = vec![0; max.min(FIRST_BUFFER)];
    loop {
        let n = match from.read(&mut buf).await {
            Ok(0) => {
                let _ = to.shutdown().await;
                return End::Eof;
            }
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return End::Failed(from_name, "read", e),
        };
        activity.touch();
        if let Err(e) = to.write_all(buf.get(..n).unwrap_or_default()).await {
            return End::Failed(to_name, "write", e);
        }
        bytes.fetch_add(n as u64, Ordering::Relaxed);
        activity.touch();
        if n == buf.len() && n < max {
            buf.resize((2 * n).min(max), 0);
        }
    }
}

/// Ends when nothing has moved either way for `idle` (never without one).
async fn watchdog(activity: &Activity, idle: Option<Duration>) -> End {
    let Some(limit) = idle else {
        return std::future::pending().await;
    };
    loop {
        let due = activity.last() + limit;
        if Instant::now() >= due {
            return End::Idle;
        }
        tokio::time::sleep_until(due).await;
    }
}

/// Relays both ways until both directions end; an error or idle timeout in one direction
/// tears down both. Returns the bytes sent up (client to target), down, and how it ended.
pub(crate) async fn relay(
    mut client: TcpStream,
    mut target: TcpStream,
    config: &Config,
) -> (u64, u64, String) {
    let activity = Activity {
        start: Instant::now(),
        last_ms: AtomicU64::new(0),
    };
    let (up_bytes, down_bytes) = (AtomicU64::new(0), AtomicU64::new(0));
    let size = config.max_buffer;
    let (client_read, client_write) = client.split();
    let (target_read, target_write) = target.split();
    let mut up = pin!(pump(
        (client_read, "client"),
        (target_write, "target"),
        size,
        &activity,
        &up_bytes,
    ));
    let mut down = pin!(pump(
        (target_read, "target"),
        (client_write, "client"),
        size,
        &activity,
        &down_bytes,
    ));
    let mut idle = pin!(watchdog(&activity, config.idle_timeout));
    let (mut up_end, mut down_end) = (None, None);
    let end = poll_fn(|cx| {
        if up_end.is_none() {
            if let Poll::Ready(end) = up.as_mut().poll(cx) {
                up_end = Some(end);
            }
        }
        if down_end.is_none() {
            if let Poll::Ready(end) = down.as_mut().poll(cx) {
                down_end = Some(end);
            }
        }
        // A failure ends both directions; so does the idle timer.
        for end in [&mut up_end, &mut down_end] {
            if matches!(end, Some(End::Failed(..))) {
                return Poll::Ready(end.take().map(|e| e.text()).unwrap_or_default());
            }
        }
        if let (Some(_), Some(_)) = (&up_end, &down_end) {
            return Poll::Ready(End::Eof.text());
        }
        if let Poll::Ready(end) = idle.as_mut().poll(cx) {
            return Poll::Ready(end.text());
        }
        Poll::Pending
    })
    .await;
    (
        up_bytes.load(Ordering::Relaxed),
        down_bytes.load(Ordering::Relaxed),
        end,
    )
}
