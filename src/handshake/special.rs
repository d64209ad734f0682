//! Tor's special names: hostnames Tor answers itself and never sends to a resolver.

use core::fmt;

use crate::wire::ReplyCode;

/// A hostname that Tor never resolves (RFC 7686 for `.onion`; Tor's own `.exit` and
/// `.noconnect` suffixes). A proxy without Tor behind it should answer these at once, not
/// leak them to the system resolver.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum SpecialName {
    /// A well-formed v3 onion address (56 base32 characters ending in `d`, the version),
    /// with or without subdomains.
    Onion,
    /// A name under `.onion` that is not a v3 onion address.
    BadOnion,
    /// `host.relay.exit`: pick the exit (off in Tor by default: `AllowDotExit 0`).
    Exit,
    /// `.noconnect`: a name Tor closes without connecting.
    NoConnect,
}

impl SpecialName {
    /// The reply a proxy with no onion-service client gives: Tor's extended codes (prop304)
    /// for onion names, F0 (`HS_DESC_NOT_FOUND`) for a well-formed one and F6
    /// (`HS_BAD_ADDRESS`) for a malformed one; GENERAL_FAILURE otherwise, as Tor answers a
    /// refused `.exit`. [`crate::SocksRequest::reply`] sends F0-F7 as GENERAL_FAILURE where
    /// the profile has no extended errors.
    #[must_use]
    pub const fn reply_code(self) -> ReplyCode {
        match self {
            SpecialName::Onion => ReplyCode::HS_DESC_NOT_FOUND,
            SpecialName::BadOnion => ReplyCode::HS_BAD_ADDRESS,
            SpecialName::Exit | SpecialName::NoConnect => ReplyCode::GENERAL_FAILURE,
        }
    }
}

impl fmt::Display for SpecialName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SpecialName::Onion => ".onion",
            SpecialName::BadOnion => "malformed .onion",
            SpecialName::Exit => ".exit",
            SpecialName::NoConnect => ".noconnect",
        })
    }
}

/// Whether `label` looks like a v3 onion address: 56 base32 characters, the last `d`.
fn is_v3_onion_label(label: &[u8]) -> bool {
    label.len() == 56
        && label
            .iter()
            .all(|b| matches!(b.to_ascii_lowercase(), b'a'..=b'z' | b'2'..=b'7'))
        && label.last().is_some_and(|b| b.eq_ignore_ascii_case(&b'd'))
}

/// The special name `name` is, if any (ASCII case and one trailing dot ignored).
///
/// ```
/// use sockswire::{SpecialName, tor_special_name};
/// let onion = "www.2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid.onion";
/// assert_eq!(tor_special_name(onion), Some(SpecialName::Onion));
/// assert_eq!(tor_special_name("facebook.onion."), Some(SpecialName::BadOnion));
/// assert_eq!(tor_special_name("example.com.relay1.exit"), Some(SpecialName::Exit));
/// assert_eq!(tor_special_name("onion.example.com"), None);
/// ```
#[must_use]
pub fn tor_special_name(name: &str) -> Option<SpecialName> {
    let name = name.strip_suffix('.').unwrap_or(name).as_bytes();
    let (head, last) = match name.iter().rposition(|&b| b == b'.') {
        Some(dot) => (name.get(..dot)?, name.get(dot + 1..)?),
        None => (&[][..], name),
    };
    if last.eq_ignore_ascii_case(b"onion") {
        let label = head.rsplit(|&b| b == b'.').next().unwrap_or_default();
        return Some(if is_v3_onion_label(label) {
            SpecialName::Onion
        } else {
            SpecialName::BadOnion
        });
    }
    if last.eq_ignore_ascii_case(b"exit") {
        return Some(SpecialName::Exit);
    }
    if last.eq_ignore_ascii_case(b"noconnect") {
        return Some(SpecialName::NoConnect);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const V3: &str = "2gzyxa5ihm7nsggfxnu52rck2vv4rvmdlkiu3zzui5du4xyclen53wid";

    #[test]
    fn special_names() {
        let mut buf = [0u8; 80];
        let upper = {
            let n = V3.len();
            buf[..n].copy_from_slice(V3.as_bytes());
            buf[..n].make_ascii_uppercase();
            buf[n..n + 6].copy_from_slice(b".ONION");
            core::str::from_utf8(&buf[..n + 6]).unwrap()
        };
        assert_eq!(tor_special_name(upper), Some(SpecialName::Onion));
        assert_eq!(tor_special_name("onion"), Some(SpecialName::BadOnion));
        assert_eq!(tor_special_name(".onion"), Some(SpecialName::BadOnion));
        assert_eq!(tor_special_name("x.onion"), Some(SpecialName::BadOnion));
        assert_eq!(
            tor_special_name("a.noconnect"),
            Some(SpecialName::NoConnect)
        );
        assert_eq!(tor_special_name("exit"), Some(SpecialName::Exit));
        for plain in [
            "example.com",
            "onion.com",
            "exit.example",
            "",
            ".",
            "localhost",
        ] {
            assert_eq!(tor_special_name(plain), None, "{plain}");
        }
        assert_eq!(
            SpecialName::Onion.reply_code(),
            ReplyCode::HS_DESC_NOT_FOUND
        );
        assert_eq!(
            SpecialName::BadOnion.reply_code(),
            ReplyCode::HS_BAD_ADDRESS
        );
        assert_eq!(SpecialName::Exit.reply_code(), ReplyCode::GENERAL_FAILURE);
    }
}
