//! Fuzz body for the hostname check.

use crate::{HostnameProblem, SocksHostname};

/// Fuzz body for [`SocksHostname::check`]: on any bytes, the same answer as the rule written
/// out (UTF-8 first, then at most 255 bytes, then no NUL), and as
/// [`SocksHostname::from_bytes`], whose name keeps every byte. The fast ASCII path must
/// accept nothing the full check refuses, and refuse nothing it accepts.
pub fn socks_hostname_check(data: &[u8]) -> Option<usize> {
    let rule = match core::str::from_utf8(data) {
        Err(_) => Err(HostnameProblem::NotUtf8),
        Ok(s) if s.len() > 255 => Err(HostnameProblem::TooLong),
        Ok(s) if s.contains('\0') => Err(HostnameProblem::ContainsNul),
        Ok(_) => Ok(()),
    };
    let checked = SocksHostname::check(data);
    assert_eq!(checked, rule, "check differs from the rule");
    let built = SocksHostname::from_bytes(data);
    assert_eq!(built.map(|_| ()), rule, "from_bytes differs from the rule");
    if let Ok(name) = built {
        assert_eq!(name.as_str().as_bytes(), data, "the name is the bytes");
    }
    checked.ok().map(|()| data.len())
}
