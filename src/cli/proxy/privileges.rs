//! `--run-as USER`: drop root's privileges once the listening sockets are bound (ports under
//! 1024 need root; serving clients does not).
//!
//! std has no call for this, so it is the one place the binary calls libc, through three
//! `unsafe` calls with plain integer arguments: `setgroups(0, NULL)` (drop supplementary
//! groups), `setgid`, then `setuid` (in that order: after `setuid` the process could no
//! longer change its group). The user is looked up in `/etc/passwd` (a name, or `UID:GID`).
//! Each call's result is checked, and so is the outcome: regaining root must fail.
#![allow(unsafe_code)]

/// A user's ids.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Ids {
    pub(crate) uid: u32,
    pub(crate) gid: u32,
}

/// `NAME` from an `/etc/passwd` text, or `UID:GID`.
pub(crate) fn lookup(spec: &str, passwd: &str) -> Result<Ids, String> {
    if let Some((u, g)) = spec.split_once(':') {
        if let (Ok(uid), Ok(gid)) = (u.parse(), g.parse()) {
            return Ok(Ids { uid, gid });
        }
    }
    for line in passwd.lines() {
        let mut f = line.split(':');
        if f.next() == Some(spec) {
            let (_, uid, gid) = (f.next(), f.next(), f.next());
            if let (Some(Ok(uid)), Some(Ok(gid))) = (uid.map(str::parse), gid.map(str::parse)) {
                return Ok(Ids { uid, gid });
            }
        }
    }
    Err(format!(
        "--run-as {spec}: no such user in /etc/passwd (or give UID:GID)"
    ))
}

/// Drops to `ids`; an error names the call that failed.
pub(crate) fn drop_to(ids: Ids) -> Result<(), String> {
    let os = |call: &str| format!("--run-as: {call}: {}", std::io::Error::last_os_error());
    // SAFETY: setgroups with a zero count reads no memory; setgid and setuid take integers.
    unsafe {
        if libc::setgroups(0, std::ptr::null()) != 0 {
            return Err(os("setgroups"));
        }
        if libc::setgid(ids.gid) != 0 {
            return Err(os("setgid"));
        }
        if libc::setuid(ids.uid) != 0 {
            return Err(os("setuid"));
        }
    }
    // SAFETY: as above; this call must fail once root is gone.
    if ids.uid != 0 && unsafe { libc::setuid(0) } == 0 {
        return Err("--run-as: root could be regained after setuid".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookup_names_and_numbers() {
        let passwd =
            "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534:nobody:/:/usr/sbin/nologin\n";
        assert_eq!(
            lookup("nobody", passwd),
            Ok(Ids {
                uid: 65534,
                gid: 65534
            })
        );
        assert_eq!(
            lookup("1000:100", passwd),
            Ok(Ids {
                uid: 1000,
                gid: 100
            })
        );
        assert!(lookup("mallory", passwd).is_err());
        assert!(lookup("nob", passwd).is_err());
    }
}
