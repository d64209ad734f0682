//! Who may log in: `--user` with a password from a file or the environment (never needed on
//! the command line, where `ps` shows it), or a users file of Argon2id hashes (`--users`).

use std::collections::HashMap;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A users file, parsed: `name:$argon2id$v=19$m=...,t=...,p=...$salt$hash` per line, `#`
/// comments and blank lines ignored.
pub(crate) struct Users {
    hashes: HashMap<Vec<u8>, String>,
    /// Checked for unknown names too, so that a wrong name costs what a wrong password does.
    dummy: String,
}

impl Users {
    pub(crate) fn parse(text: &str, path: &str) -> Result<Users, String> {
        let mut hashes = HashMap::new();
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let at = format!("{path}:{}", i + 1);
            let (name, hash) = line
                .split_once(':')
                .ok_or_else(|| format!("{at}: expected NAME:ARGON2ID-HASH"))?;
            if name.is_empty() || name.len() > 255 {
                return Err(format!("{at}: a user name is 1 to 255 bytes"));
            }
            let parsed =
                PasswordHash::new(hash).map_err(|e| format!("{at}: not a PHC hash string: {e}"))?;
            if parsed.algorithm.as_str() != "argon2id" {
                return Err(format!(
                    "{at}: {} hash; only argon2id is accepted (make one with \
                     `sockswire proxy --hash-password`)",
                    parsed.algorithm
                ));
            }
            if hashes
                .insert(name.as_bytes().to_vec(), hash.to_string())
                .is_some()
            {
                return Err(format!("{at}: user {name:?} appears twice"));
            }
        }
        if hashes.is_empty() {
            return Err(format!("{path}: no users"));
        }
        let dummy = hashes.values().next().cloned().unwrap_or_default();
        Ok(Users { hashes, dummy })
    }

    /// Whether `password` is `user`'s.
    pub(crate) fn check(&self, user: &[u8], password: &[u8]) -> bool {
        let (hash, known) = match self.hashes.get(user) {
            Some(h) => (h, true),
            None => (&self.dummy, false),
        };
        let ok = PasswordHash::new(hash)
            .is_ok_and(|h| Argon2::default().verify_password(password, &h).is_ok());
        ok && known
    }
}

/// An Argon2id PHC string for `password`, with the crate's default (OWASP) parameters.
pub(crate) fn hash_password(password: &[u8]) -> Result<String, String> {
    let salt = random_salt()?;
    Argon2::default()
        .hash_password(password, &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// 16 random bytes from the kernel (/dev/urandom; no RNG crate needed for one salt).
fn random_salt() -> Result<SaltString, String> {
    use std::io::Read;
    let mut bytes = [0u8; 16];
    std::fs::File::open("/dev/urandom")
        .and_then(|mut f| f.read_exact(&mut bytes))
        .map_err(|e| format!("/dev/urandom: {e}"))?;
    SaltString::encode_b64(&bytes).map_err(|e| e.to_string())
}

/// The first line of a password file, without its line ending.
pub(crate) fn read_password_file(path: &str) -> Result<String, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--password-file {path}: {e}"))?;
    Ok(text.lines().next().unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use argon2::{Algorithm, Params, Version};

    /// A cheap hash (8 KiB, one pass) so the test is quick; the file format is the same.
    fn cheap(password: &[u8]) -> String {
        let params = Params::new(8, 1, 1, None).unwrap();
        let salt = random_salt().unwrap();
        Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
            .hash_password(password, &salt)
            .unwrap()
            .to_string()
    }

    #[test]
    fn users_file_checks_and_errors() {
        let text = format!(
            "# users\n\nalice:{}\nbob:{}\n",
            cheap(b"s3cret"),
            cheap(b"hunter2")
        );
        let users = Users::parse(&text, "users").unwrap();
        assert!(users.check(b"alice", b"s3cret"));
        assert!(users.check(b"bob", b"hunter2"));
        assert!(!users.check(b"alice", b"hunter2"));
        assert!(!users.check(b"carol", b"s3cret"));
        assert!(!users.check(b"", b""));
        let e = |t: &str| Users::parse(t, "f").err().unwrap();
        assert_eq!(e("alice"), "f:1: expected NAME:ARGON2ID-HASH");
        assert!(e("alice:plaintext").starts_with("f:1: not a PHC hash string"));
        let argon2i = text.replace("alice:$argon2id", "alice:$argon2i");
        assert!(e(&argon2i).contains("only argon2id"));
        let twice = format!("a:{}\na:{}\n", cheap(b"x"), cheap(b"y"));
        assert_eq!(e(&twice), "f:2: user \"a\" appears twice");
        assert_eq!(e("# nobody\n"), "f: no users");
    }

    #[test]
    fn hash_password_is_argon2id_and_verifies() {
        let h = hash_password(b"pw").unwrap();
        assert!(h.starts_with("$argon2id$v=19$"), "{h}");
        let users = Users::parse(&format!("u:{h}"), "f").unwrap();
        assert!(users.check(b"u", b"pw") && !users.check(b"u", b"pW"));
    }
}
