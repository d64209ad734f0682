//! Argument and output helpers shared by the subcommands.

use std::time::Duration;

/// A command-line duration: seconds, fractions allowed, more than 0.
pub(crate) fn seconds(flag: &str, v: Option<&String>) -> Result<Duration, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number of seconds"))?;
    v.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s > 0.0 && *s < 1e9)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| format!("{flag}: bad number of seconds {v:?}"))
}

/// A command-line count, more than 0.
pub(crate) fn count(flag: &str, v: Option<&String>) -> Result<usize, String> {
    let v = v.ok_or_else(|| format!("{flag} needs a number"))?;
    v.parse::<usize>()
        .ok()
        .filter(|n| *n > 0)
        .ok_or_else(|| format!("{flag}: bad number {v:?}"))
}

/// Hex bytes separated by spaces.
pub(crate) fn hex(bytes: &[u8]) -> String {
    let mut s = String::with_capacity(bytes.len() * 3);
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(&format!("{b:02x}"));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_spaces() {
        assert_eq!(hex(&[5, 0xff]), "05 ff");
        assert_eq!(hex(&[]), "");
    }

    #[test]
    fn seconds_and_count() {
        let s = |v: &str| seconds("--x", Some(&v.to_string()));
        assert_eq!(s("0.5"), Ok(Duration::from_millis(500)));
        assert!(s("0").is_err() && s("-1").is_err() && s("inf").is_err());
        assert!(seconds("--x", None).is_err());
        assert_eq!(count("--n", Some(&"3".to_string())), Ok(3));
        assert!(count("--n", Some(&"0".to_string())).is_err());
    }
}
