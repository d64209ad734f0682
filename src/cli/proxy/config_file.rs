//! `--config FILE`: the proxy's flags as TOML. The file becomes flags placed before the
//! command line's, so flags given there add to its lists and override its single values.
//!
//! ```toml
//! listen = ["0.0.0.0:1080", "[::]:1080"]
//! profile = "rfc1928"
//! users = "/etc/sockswire/users"     # or: user = "alice" and password_file / password_env
//! allow_clients = ["192.168.0.0/16"]
//! rules = ["deny to 10.0.0.0/8", "allow to .example.com port 443"]
//! handshake_timeout = 10.0
//! idle_timeout = 600.0              # or no_idle_timeout = true
//! max_conns = 4096
//! max_per_client = 256
//! log_json = true
//! ```

use serde::Deserialize;

/// Every key of the file; unknown keys are an error (a typo should not pass silently).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    listen: Option<Vec<String>>,
    profile: Option<String>,
    user: Option<String>,
    password_file: Option<String>,
    password_env: Option<String>,
    users: Option<String>,
    handshake_timeout: Option<f64>,
    connect_timeout: Option<f64>,
    idle_timeout: Option<f64>,
    no_idle_timeout: Option<bool>,
    max_conns: Option<u64>,
    max_per_client: Option<u64>,
    queue_timeout: Option<f64>,
    bind_timeout: Option<f64>,
    backlog: Option<u64>,
    max_buffer: Option<u64>,
    allow_clients: Option<Vec<String>>,
    rules: Option<Vec<String>>,
    allow_anyone: Option<bool>,
    log_json: Option<bool>,
    quiet: Option<bool>,
    run_as: Option<String>,
}

fn flags_of(file: File) -> Vec<String> {
    let mut out = Vec::new();
    let mut value = |flag: &str, v: Option<String>| {
        if let Some(v) = v {
            out.push(flag.to_string());
            out.push(v);
        }
    };
    for l in file.listen.unwrap_or_default() {
        value("--listen", Some(l));
    }
    value("--profile", file.profile);
    value("--user", file.user);
    value("--password-file", file.password_file);
    value("--password-env", file.password_env);
    value("--users", file.users);
    value("--run-as", file.run_as);
    let num = |v: Option<f64>| v.map(|v| v.to_string());
    value("--handshake-timeout", num(file.handshake_timeout));
    value("--connect-timeout", num(file.connect_timeout));
    value("--idle-timeout", num(file.idle_timeout));
    value("--queue-timeout", num(file.queue_timeout));
    value("--bind-timeout", num(file.bind_timeout));
    let int = |v: Option<u64>| v.map(|v| v.to_string());
    value("--max-conns", int(file.max_conns));
    value("--max-per-client", int(file.max_per_client));
    value("--backlog", int(file.backlog));
    value("--max-buffer", int(file.max_buffer));
    for c in file.allow_clients.unwrap_or_default() {
        value("--allow-client", Some(c));
    }
    for r in file.rules.unwrap_or_default() {
        value("--rule", Some(r));
    }
    for (flag, on) in [
        ("--no-idle-timeout", file.no_idle_timeout),
        ("--allow-anyone", file.allow_anyone),
        ("--log-json", file.log_json),
        ("--quiet", file.quiet),
    ] {
        if on == Some(true) {
            out.push(flag.to_string());
        }
    }
    out
}

/// Parses a config file's text into flags.
fn flags_from_toml(text: &str, path: &str) -> Result<Vec<String>, String> {
    let file: File = toml::from_str(text).map_err(|e| format!("--config {path}: {e}"))?;
    Ok(flags_of(file))
}

/// The command line with `--config FILE`'s flags put first.
pub(crate) fn with_config_file(args: &[String]) -> Result<Vec<String>, String> {
    let Some(at) = args.iter().position(|a| a == "--config") else {
        return Ok(args.to_vec());
    };
    let path = args.get(at + 1).ok_or("--config needs a path")?;
    let text = std::fs::read_to_string(path).map_err(|e| format!("--config {path}: {e}"))?;
    let mut all = flags_from_toml(&text, path)?;
    all.extend_from_slice(args);
    Ok(all)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_to_flags() {
        let text = r#"
            listen = ["127.0.0.1:0", "[::1]:0"]
            profile = "ctor"
            rules = ["deny to .example.com"]
            allow_clients = ["10.0.0.0/8"]
            handshake_timeout = 2.5
            max_conns = 10
            log_json = true
            quiet = false
        "#;
        assert_eq!(
            flags_from_toml(text, "f").unwrap(),
            [
                "--listen",
                "127.0.0.1:0",
                "--listen",
                "[::1]:0",
                "--profile",
                "ctor",
                "--handshake-timeout",
                "2.5",
                "--max-conns",
                "10",
                "--allow-client",
                "10.0.0.0/8",
                "--rule",
                "deny to .example.com",
                "--log-json",
            ]
        );
        let e = flags_from_toml("lsiten = [\"x\"]", "f").unwrap_err();
        assert!(e.starts_with("--config f: ") && e.contains("lsiten"), "{e}");
        assert!(flags_from_toml("max_conns = \"many\"", "f").is_err());
    }
}
