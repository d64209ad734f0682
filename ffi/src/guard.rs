//! The boundary's defences: every entry point runs inside [`guard`] (a panic becomes
//! [`SW_ERR_PANIC`]), and every pointer and length from C passes [`bytes`] or [`text_out`].

use core::ffi::c_char;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::types::{
    SW_ERR_BUFFER_TOO_SMALL, SW_ERR_NULL, SW_ERR_PANIC, SW_ERR_TOO_LONG, SW_MAX_INPUT, SW_OK,
};

/// Runs `f`, turning a panic into [`SW_ERR_PANIC`]. The panic message is not printed: the
/// default hook would write to the host program's stderr, which is not ours.
pub(crate) fn guard(f: impl FnOnce() -> i32) -> i32 {
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(SW_ERR_PANIC)
}

/// The `len` bytes at `ptr`, or why not: NULL with a non-zero length, or a length past
/// [`SW_MAX_INPUT`]. A NULL pointer with length 0 is the empty slice.
///
/// # Safety
/// A non-NULL `ptr` must point to `len` readable bytes that stay unchanged while the slice
/// is used.
pub(crate) unsafe fn slice<'a>(ptr: *const u8, len: usize) -> Result<&'a [u8], i32> {
    if len > SW_MAX_INPUT {
        return Err(SW_ERR_TOO_LONG);
    }
    if ptr.is_null() {
        return if len == 0 { Ok(&[]) } else { Err(SW_ERR_NULL) };
    }
    // SAFETY: non-NULL, the length is bounded, and the caller promises it is readable.
    Ok(unsafe { core::slice::from_raw_parts(ptr, len) })
}

/// [`slice`] as an option.
///
/// # Safety
/// As [`slice`].
pub(crate) unsafe fn bytes<'a>(ptr: *const u8, len: usize) -> Option<&'a [u8]> {
    // SAFETY: the caller's promise.
    unsafe { slice(ptr, len) }.ok()
}

/// Writes `text` and a NUL into `buf` (`cap` bytes); returns [`SW_OK`] and sets `*written` to
/// the text's length, or [`SW_ERR_BUFFER_TOO_SMALL`] (an empty string written when `cap` > 0).
///
/// # Safety
/// A non-NULL `buf` must be writable for `cap` bytes; a non-NULL `written` writable.
pub(crate) unsafe fn text_out(
    text: &str,
    buf: *mut c_char,
    cap: usize,
    written: *mut usize,
) -> i32 {
    if buf.is_null() {
        return SW_ERR_NULL;
    }
    if cap > SW_MAX_INPUT {
        return SW_ERR_TOO_LONG;
    }
    let n = text.len();
    if n >= cap {
        if cap > 0 {
            // SAFETY: `cap` > 0 bytes are writable.
            unsafe { *buf = 0 };
        }
        return SW_ERR_BUFFER_TOO_SMALL;
    }
    // SAFETY: `n + 1 <= cap` bytes are writable; the text does not overlap a buffer we
    // were handed (it is ours).
    unsafe {
        core::ptr::copy_nonoverlapping(text.as_ptr(), buf.cast::<u8>(), n);
        *buf.add(n) = 0;
        if !written.is_null() {
            *written = n;
        }
    }
    SW_OK
}

/// Makes `buf` an empty string, so that it is one whatever the call then says.
///
/// # Safety
/// A non-NULL `buf` must be writable for `cap` bytes.
pub(crate) unsafe fn clear(buf: *mut c_char, cap: usize) {
    if !buf.is_null() && cap > 0 && cap <= SW_MAX_INPUT {
        // SAFETY: at least one byte is writable.
        unsafe { *buf = 0 };
    }
}
