//! Byte checks eight bytes at a time (safe Rust, no `unsafe`): "every byte is 0x01-0x7F" for
//! hostnames and "no NUL" for SOCKS4 fields. Names are short (a dozen bytes is typical), where
//! the standard library's `contains` and `all` go one byte at a time.
//!
//! A word `x` of eight bytes, each `b`:
//! * `x | (x - 0x0101..01)` has every high bit clear exactly when every byte is 0x01-0x7F. A
//!   byte with its high bit set shows in `x`; the lowest zero byte borrows nothing from below
//!   (every byte below it is non-zero) and becomes 0xFF; with no zero byte nothing borrows, and
//!   `b - 1` of a byte 0x01-0x7F keeps its high bit clear.
//! * `(x - 0x0101..01) & !x & 0x8080..80` is non-zero exactly when some byte is zero: the lowest
//!   zero byte becomes 0xFF with `!x`'s bit set; bytes below it neither borrow nor qualify
//!   (a byte's high bit survives `& !x` only if `b` had it clear and `b - 1 - borrow` set it,
//!   which takes `b` = 0, or `b` = 1 with a borrow, which only a zero byte below makes).
//!
//! Slices under eight bytes go byte by byte; longer ones by words (see `fold_words`).

const ONES: u64 = u64::from_le_bytes([0x01; 8]);
const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);

/// `f` of every word of `bytes`, ORed, or `None` under eight bytes. Up to 16 bytes (most
/// names) that is two words, the first and the last, without a loop; longer slices add their
/// whole words after the first. Words overlap where the length is not a multiple of eight.
#[inline(always)]
fn fold_words(bytes: &[u8], f: impl Fn(u64) -> u64) -> Option<u64> {
    let (first, last) = (bytes.first_chunk::<8>()?, bytes.last_chunk::<8>()?);
    let mut acc = f(u64::from_le_bytes(*first)) | f(u64::from_le_bytes(*last));
    if bytes.len() > 16 {
        for word in bytes.get(8..).unwrap_or_default().chunks_exact(8) {
            acc |= word
                .first_chunk::<8>()
                .map_or(HIGHS, |w| f(u64::from_le_bytes(*w)));
        }
    }
    Some(acc)
}

/// Whether every byte is 0x01-0x7F: ASCII without NUL.
#[inline]
pub(crate) fn all_ascii_non_nul(bytes: &[u8]) -> bool {
    match fold_words(bytes, |x| x | x.wrapping_sub(ONES)) {
        Some(acc) => acc & HIGHS == 0,
        None => bytes.iter().all(|&b| b.wrapping_sub(1) < 0x7F),
    }
}

/// Whether any byte is NUL.
#[inline]
pub(crate) fn has_nul(bytes: &[u8]) -> bool {
    match fold_words(bytes, |x| x.wrapping_sub(ONES) & !x) {
        Some(acc) => acc & HIGHS != 0,
        None => bytes.contains(&0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::vec;

    fn plain(bytes: &[u8]) -> bool {
        bytes.iter().all(|&b| (1..=0x7F).contains(&b))
    }

    /// Every byte value at every position of every length up to 40, over a background of
    /// each kind of byte (valid, NUL, high, 0x01, 0x80, 0xFF), against the byte-wise answer.
    #[test]
    fn word_scans_agree_with_the_bytewise_checks() {
        let mut checked = 0u32;
        for len in 0..=40usize {
            for fill in [b'a', 0, 0x80, 0x01, 0x7F, 0xFF] {
                let base = vec![fill; len];
                assert_eq!(all_ascii_non_nul(&base), plain(&base), "{base:?}");
                assert_eq!(has_nul(&base), base.contains(&0), "{base:?}");
                for at in 0..len {
                    for b in 0..=255u8 {
                        let mut v = base.clone();
                        v[at] = b;
                        assert_eq!(all_ascii_non_nul(&v), plain(&v), "{v:?}");
                        assert_eq!(has_nul(&v), v.contains(&0), "{v:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 6 * 256 * (0..=40).sum::<u32>());
    }

    /// Two odd bytes at once, where a borrow from one could hide or fake the other.
    #[test]
    fn word_scans_agree_on_pairs_of_bytes() {
        let odd = [0u8, 1, 2, 0x7F, 0x80, 0x81, 0xFE, 0xFF];
        for len in [8usize, 9, 15, 16, 17, 24] {
            for i in 0..len {
                for j in 0..len {
                    for &a in &odd {
                        for &b in &odd {
                            let mut v = vec![b'x'; len];
                            v[i] = a;
                            v[j] = b;
                            assert_eq!(all_ascii_non_nul(&v), plain(&v), "{v:?}");
                            assert_eq!(has_nul(&v), v.contains(&0), "{v:?}");
                        }
                    }
                }
            }
        }
    }
}
