//! The per-flow dissector handle: create, feed, gap, finish, iterate events and transactions,
//! free.
//!
//! A handle is a pointer to a heap [`SwDissector`]. Live handles are kept in a registry (the
//! pointer values of the live ones), so a freed, forged or NULL handle is refused with
//! [`SW_ERR_BAD_HANDLE`] without being dereferenced; a magic number inside is checked as a
//! second line. A handle that was inside a caught panic is "poisoned": every later call but
//! free says [`SW_ERR_PANIC`].

use std::collections::BTreeSet;
use std::ffi::CString;
use std::sync::Mutex;

use sockswire::dissect::{
    Direction, DissectOptions, Dissector, Event, EventKind, OwnedEvent, Phase, Transactions,
};

use crate::guard::{guard, slice};
use crate::transaction::{SwTransaction, TxStore};
use crate::types::{
    SW_ANOMALY_NONE, SW_ERR_BAD_DIRECTION, SW_ERR_BAD_HANDLE, SW_ERR_NULL, SW_ERR_PANIC, SW_NONE,
    SW_OK, SwEvent, SwMessage, anomaly_code, dir_code, dir_from,
};

const MAGIC: u64 = 0x736f_636b_7377_6972; // "sockswir"

/// An opaque per-flow dissector. Create with [`sockswire_dissector_new`], free with
/// [`sockswire_dissector_free`].
#[derive(Debug)]
pub struct SwDissector {
    magic: u64,
    poisoned: bool,
    d: Dissector,
    tx: Transactions,
    events: Vec<Stored>,
    next_event: usize,
    txs: Vec<TxStore>,
    next_tx: usize,
    finished: [bool; 2],
    flushed: bool,
}

/// One event and the text that goes with it.
#[derive(Debug)]
struct Stored {
    ev: OwnedEvent,
    text: CString,
    detail: CString,
    completes: bool,
}

/// The pointer values of the live handles.
static LIVE: Mutex<BTreeSet<usize>> = Mutex::new(BTreeSet::new());

fn live() -> std::sync::MutexGuard<'static, BTreeSet<usize>> {
    // Nothing panics while holding the lock; should it ever, the set is still whole.
    LIVE.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
thread_local! {
    /// Tests: make the next handle call panic inside the guard.
    pub(crate) static PANIC_NEXT: core::cell::Cell<bool> = const { core::cell::Cell::new(false) };
}

/// Runs `f` on a live, unpoisoned handle.
fn with(h: *mut SwDissector, f: impl FnOnce(&mut SwDissector) -> i32) -> i32 {
    if h.is_null() || !live().contains(&(h as usize)) {
        return SW_ERR_BAD_HANDLE;
    }
    // SAFETY: the registry holds only pointers from `Box::into_raw` not yet freed; the
    // header's rules forbid using one handle from two threads at once.
    let s = unsafe { &mut *h };
    if s.magic != MAGIC {
        return SW_ERR_BAD_HANDLE;
    }
    if s.poisoned {
        return SW_ERR_PANIC;
    }
    s.poisoned = true;
    let status = guard(|| {
        #[cfg(test)]
        if PANIC_NEXT.with(|p| p.replace(false)) {
            panic!("test: a panic inside a handle call");
        }
        f(s)
    });
    if status != SW_ERR_PANIC {
        s.poisoned = false;
    }
    status
}

fn out<T>(p: *mut T, v: T) {
    if !p.is_null() {
        // SAFETY: a non-NULL out-pointer must be writable (the header's rule).
        unsafe { p.write(v) };
    }
}

/// Keeps one event, its text, and the transaction it completes.
fn push(tx: &mut Transactions, events: &mut Vec<Stored>, txs: &mut Vec<TxStore>, e: &Event<'_>) {
    let detail = match e.kind {
        EventKind::Anomaly(a) => a.to_string(),
        _ => String::new(),
    };
    let completed = tx.update(e);
    events.push(Stored {
        ev: e.into_owned(),
        text: CString::new(e.kind.to_string()).unwrap_or_default(),
        detail: CString::new(detail).unwrap_or_default(),
        completes: completed.is_some(),
    });
    txs.extend(completed.map(TxStore::new));
}

impl SwDissector {
    /// Runs the dissector's events of one call through [`push`].
    fn collect(&mut self, dir: Direction, data: Option<&[u8]>) {
        self.begin();
        let SwDissector {
            d, tx, events, txs, ..
        } = self;
        let mut evs = match data {
            Some(data) => d.feed(dir, data),
            None => d.finish(dir),
        };
        while let Some(e) = evs.next() {
            push(tx, events, txs, &e);
        }
    }

    fn begin(&mut self) {
        self.events.clear();
        self.next_event = 0;
        self.txs.clear();
        self.next_tx = 0;
    }

    fn after_finish(&mut self, dir: Direction) {
        match dir {
            Direction::ClientToServer => self.finished[0] = true,
            Direction::ServerToClient => self.finished[1] = true,
        }
        if self.finished == [true, true] && !self.flushed {
            self.flushed = true;
            self.txs.extend(self.tx.finish().map(TxStore::new));
        }
    }
}

/// [`sockswire_dissector_new`] option: put RFC 1929 passwords in events and transactions.
pub const SW_OPT_REVEAL_PASSWORDS: u32 = 1;
/// [`sockswire_dissector_new`] option: the capture joined the connection late (no SYN seen):
/// each direction resynchronises on the next message it recognises and reports what it
/// skipped ([`SW_ANOMALY_SKIPPED`](crate::SW_ANOMALY_SKIPPED)).
pub const SW_OPT_MID_STREAM: u32 = 2;

/// A new dissector for one flow (both directions of one connection), with `options` a set of
/// `SW_OPT_*` bits (0: passwords hidden, the capture saw the connection open; unknown bits
/// are ignored). Returns NULL only if the allocation failed or panicked. Free it with
/// [`sockswire_dissector_free`].
#[unsafe(no_mangle)]
pub extern "C" fn sockswire_dissector_new(options: u32) -> *mut SwDissector {
    let made = std::panic::catch_unwind(|| {
        let mut o = DissectOptions::default();
        o.reveal_passwords = options & SW_OPT_REVEAL_PASSWORDS != 0;
        o.mid_stream = options & SW_OPT_MID_STREAM != 0;
        let options = o;
        let b = Box::new(SwDissector {
            magic: MAGIC,
            poisoned: false,
            d: Dissector::with_storage([0; 2048], [0; 2048], options),
            tx: Transactions::new(),
            events: Vec::new(),
            next_event: 0,
            txs: Vec::new(),
            next_tx: 0,
            finished: [false; 2],
            flushed: false,
        });
        Box::into_raw(b)
    });
    match made {
        Ok(p) => {
            live().insert(p as usize);
            p
        }
        Err(_) => core::ptr::null_mut(),
    }
}

/// Frees a dissector and everything it handed out. NULL, or a handle already freed, returns
/// [`SW_ERR_BAD_HANDLE`] and touches nothing.
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_free(h: *mut SwDissector) -> i32 {
    if h.is_null() || !live().remove(&(h as usize)) {
        return SW_ERR_BAD_HANDLE;
    }
    guard(|| {
        // SAFETY: it was live, so it came from `Box::into_raw`, and it is now out of the
        // registry: no other call can reach it.
        let mut b = unsafe { Box::from_raw(h) };
        b.magic = 0;
        drop(b);
        SW_OK
    })
}

/// Decodes the next `len` bytes captured in direction `dir` (`SW_DIR_C2S` or `SW_DIR_S2C`).
/// The bytes are read during the call only. Sets `*n_events` (if not NULL) to the number of
/// events now ready for [`sockswire_dissector_next_event`]; events and transactions of the
/// previous call are gone.
///
/// # Safety
/// `bytes` must point to `len` readable bytes (or be NULL with `len` 0). `h` as for
/// [`sockswire_dissector_gap`].
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_feed(
    h: *mut SwDissector,
    dir: u8,
    bytes: *const u8,
    len: usize,
    n_events: *mut usize,
) -> i32 {
    with(h, |s| {
        let Some(dir) = dir_from(dir) else {
            return SW_ERR_BAD_DIRECTION;
        };
        // SAFETY: the caller's promise.
        let data = match unsafe { slice(bytes, len) } {
            Ok(d) => d,
            Err(e) => return e,
        };
        s.collect(dir, Some(data));
        out(n_events, s.events.len());
        SW_OK
    })
}

/// Reports that `len` bytes are missing from the capture in direction `dir`. Sets
/// `*n_events` like [`sockswire_dissector_feed`] (0 or 1: a gap inside the handshake).
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_gap(
    h: *mut SwDissector,
    dir: u8,
    len: u64,
    n_events: *mut usize,
) -> i32 {
    with(h, |s| {
        let Some(dir) = dir_from(dir) else {
            return SW_ERR_BAD_DIRECTION;
        };
        s.begin();
        if let Some(e) = s.d.gap(dir, len) {
            push(&mut s.tx, &mut s.events, &mut s.txs, &e);
        }
        out(n_events, s.events.len());
        SW_OK
    })
}

/// Ends direction `dir` (FIN, RST or end of capture): a message left incomplete is reported
/// as truncated, then an end event. Once both directions are finished, a transaction still
/// open is handed out too (`complete` 0). Sets `*n_events` like [`sockswire_dissector_feed`].
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_finish(
    h: *mut SwDissector,
    dir: u8,
    n_events: *mut usize,
) -> i32 {
    with(h, |s| {
        let Some(dir) = dir_from(dir) else {
            return SW_ERR_BAD_DIRECTION;
        };
        s.collect(dir, None);
        s.after_finish(dir);
        out(n_events, s.events.len());
        SW_OK
    })
}

/// The next event of the last feed, gap or finish: [`SW_OK`] and `*event` filled, or
/// [`SW_NONE`] when all were handed out.
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_next_event(
    h: *mut SwDissector,
    event: *mut SwEvent,
) -> i32 {
    if event.is_null() {
        return SW_ERR_NULL;
    }
    with(h, |s| {
        let Some(st) = s.events.get(s.next_event) else {
            return SW_NONE;
        };
        s.next_event += 1;
        let e = st.ev.event();
        let (anomaly, value) = match e.kind {
            EventKind::Anomaly(a) => anomaly_code(&a),
            EventKind::End { payload } => (SW_ANOMALY_NONE, payload),
            _ => (SW_ANOMALY_NONE, 0),
        };
        out(
            event,
            SwEvent {
                dir: dir_code(e.dir),
                offset: e.offset,
                message: SwMessage::from_kind(&e.kind),
                anomaly,
                value,
                text: st.text.as_ptr(),
                detail: st.detail.as_ptr(),
                completes_transaction: st.completes.into(),
            },
        );
        SW_OK
    })
}

/// The next transaction completed by the last feed, gap or finish (in the order of the
/// events whose `completes_transaction` is 1, then the one flushed by the second finish):
/// [`SW_OK`] and `*tx` filled, or [`SW_NONE`].
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_next_transaction(
    h: *mut SwDissector,
    tx: *mut SwTransaction,
) -> i32 {
    if tx.is_null() {
        return SW_ERR_NULL;
    }
    with(h, |s| {
        let Some(t) = s.txs.get(s.next_tx) else {
            return SW_NONE;
        };
        s.next_tx += 1;
        out(tx, t.to_c());
        SW_OK
    })
}

/// Handshake messages are still expected: a [`sockswire_dissector_phase`] value.
pub const SW_PHASE_HANDSHAKE: u8 = 0;
/// The handshake is over: the rest is tunnelled payload.
pub const SW_PHASE_TUNNEL: u8 = 1;
/// The proxy refused or failed the request (or the authentication): both directions, the
/// client's too, even after it sent bytes past its request.
pub const SW_PHASE_REFUSED: u8 = 2;
/// Not decoded any more: not SOCKS, malformed, too long, or a gap in the handshake.
pub const SW_PHASE_NOT_DECODED: u8 = 3;

/// Where direction `dir` stands (an `SW_PHASE_*` value in `*phase`).
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_phase(
    h: *mut SwDissector,
    dir: u8,
    phase: *mut u8,
) -> i32 {
    if phase.is_null() {
        return SW_ERR_NULL;
    }
    with(h, |s| {
        let Some(dir) = dir_from(dir) else {
            return SW_ERR_BAD_DIRECTION;
        };
        let p = match s.d.phase(dir) {
            Phase::Handshake => SW_PHASE_HANDSHAKE,
            Phase::Tunnel => SW_PHASE_TUNNEL,
            Phase::Refused => SW_PHASE_REFUSED,
            _ => SW_PHASE_NOT_DECODED,
        };
        out(phase, p);
        SW_OK
    })
}

/// Where, inside the segment last fed in `dir`, tunnelled payload starts: [`SW_OK`] and
/// `*index`, or [`SW_NONE`] when it does not start inside that segment.
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_payload_index(
    h: *mut SwDissector,
    dir: u8,
    index: *mut usize,
) -> i32 {
    if index.is_null() {
        return SW_ERR_NULL;
    }
    with(h, |s| {
        let Some(dir) = dir_from(dir) else {
            return SW_ERR_BAD_DIRECTION;
        };
        match s.d.payload_index(dir) {
            Some(i) => {
                out(index, i);
                SW_OK
            }
            None => SW_NONE,
        }
    })
}

/// The SOCKS version once known (4 or 5), else 0, in `*version`.
///
/// # Safety
/// `h` may be any value (one that is not a live handle is refused unread), but a live
/// handle must not be in use by another thread; non-NULL out-pointers must be writable.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn sockswire_dissector_version(h: *mut SwDissector, version: *mut u8) -> i32 {
    if version.is_null() {
        return SW_ERR_NULL;
    }
    with(h, |s| {
        out(version, s.d.version().unwrap_or(0));
        SW_OK
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::types::SW_DIR_C2S;

    #[test]
    fn a_panic_inside_a_call_is_an_error_code_and_poisons_the_handle() {
        let h = sockswire_dissector_new(0);
        let mut n = 7;
        PANIC_NEXT.with(|p| p.set(true));
        // SAFETY: single-threaded use of a live handle.
        unsafe {
            assert_eq!(
                sockswire_dissector_feed(h, SW_DIR_C2S, b"\x05".as_ptr(), 1, &mut n),
                SW_ERR_PANIC
            );
            assert_eq!(n, 7, "nothing written");
            // Its state may be half-updated: every later call but free is refused.
            assert_eq!(
                sockswire_dissector_feed(h, SW_DIR_C2S, b"\x05".as_ptr(), 1, &mut n),
                SW_ERR_PANIC
            );
            let mut v = 0;
            assert_eq!(sockswire_dissector_version(h, &mut v), SW_ERR_PANIC);
            assert_eq!(sockswire_dissector_free(h), SW_OK);
            assert_eq!(sockswire_dissector_free(h), SW_ERR_BAD_HANDLE);
        }
    }

    #[test]
    fn guard_turns_a_panic_into_sw_err_panic() {
        assert_eq!(guard(|| panic!("inside")), SW_ERR_PANIC);
        assert_eq!(guard(|| SW_OK), SW_OK);
    }
}
