//! `sockswire proxy`'s operator features through the real binary: a users file of Argon2id
//! hashes, passwords from a file or the environment (never on the command line), and
//! `--config FILE`.
#![cfg(feature = "cli")]

use std::io::Write;
use std::net::SocketAddr;
use std::process::{Command, Stdio};

use argon2::password_hash::{PasswordHasher, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

#[path = "support/proxy_process.rs"]
mod proxy_process;
use proxy_process::{BIN, Proxy, echo_server, read_all, read_n};

/// A cheap Argon2id hash (8 KiB, one pass): the same format, quick in a debug build.
fn cheap_hash(password: &str) -> String {
    let salt = SaltString::encode_b64(b"sockswire-tests!").unwrap();
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(8, 1, 1, None).unwrap(),
    )
    .hash_password(password.as_bytes(), &salt)
    .unwrap()
    .to_string()
}

fn temp_file(name: &str, text: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("sockswire-auth-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

/// Username/password then CONNECT to `echo`: the auth reply, and the request reply if the
/// auth passed.
fn login(proxy: &Proxy, user: &str, pass: &str, echo: SocketAddr) -> (Vec<u8>, Vec<u8>) {
    let SocketAddr::V4(a) = echo else { panic!() };
    let mut s = proxy.connect();
    s.write_all(&[5, 1, 2]).unwrap();
    assert_eq!(read_n(&mut s, 2), [5, 2]);
    let mut m = vec![1, user.len() as u8];
    m.extend_from_slice(user.as_bytes());
    m.push(pass.len() as u8);
    m.extend_from_slice(pass.as_bytes());
    s.write_all(&m).unwrap();
    let auth = read_n(&mut s, 2);
    if auth != [1, 0] {
        return (auth, read_all(&mut s));
    }
    let mut r = vec![5, 1, 0, 1];
    r.extend_from_slice(&a.ip().octets());
    r.extend_from_slice(&a.port().to_be_bytes());
    s.write_all(&r).unwrap();
    (auth, read_n(&mut s, 10))
}

const OK: [u8; 10] = [5, 0, 0, 1, 0, 0, 0, 0, 0, 0];

#[test]
fn users_file_of_argon2id_hashes() {
    let echo = echo_server();
    let users = format!(
        "# two users\nalice:{}\nbob:{}\n",
        cheap_hash("s3cret"),
        cheap_hash("hunter2")
    );
    let path = temp_file("users", &users);
    let mut proxy = Proxy::start(&["--users", path.to_str().unwrap()]);
    assert_eq!(
        login(&proxy, "alice", "s3cret", echo),
        (vec![1, 0], OK.to_vec())
    );
    assert_eq!(
        login(&proxy, "bob", "hunter2", echo),
        (vec![1, 0], OK.to_vec())
    );
    assert_eq!(
        login(&proxy, "alice", "hunter2", echo),
        (vec![1, 1], vec![])
    );
    assert_eq!(
        login(&proxy, "mallory", "s3cret", echo),
        (vec![1, 1], vec![])
    );
    proxy.expect_log(&["credentials refused", "sent 01 01"]);
    // SOCKS4 cannot authenticate.
    let mut s = proxy.connect();
    s.write_all(&[4, 1, 0, 80, 127, 0, 0, 1, 0]).unwrap();
    assert_eq!(read_all(&mut s), [0, 0x5B, 0, 0, 0, 0, 0, 0]);
    // A bad file is a usage error that names the line.
    let bad = temp_file(
        "bad-users",
        "alice:$argon2i$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA\n",
    );
    let out = Command::new(BIN)
        .args(["proxy", "--users", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bad-users:1: argon2i hash; only argon2id")
    );
}

#[test]
fn hash_password_prints_an_argon2id_phc_string() {
    let mut child = Command::new(BIN)
        .args(["proxy", "--hash-password"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"s3cret\n").unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let line = String::from_utf8(out.stdout).unwrap();
    assert!(
        line.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"),
        "{line}"
    );
    // It works in a users file.
    let echo = echo_server();
    let path = temp_file("hashed", &format!("carol:{line}"));
    let proxy = Proxy::start(&["--users", path.to_str().unwrap()]);
    assert_eq!(
        login(&proxy, "carol", "s3cret", echo),
        (vec![1, 0], OK.to_vec())
    );
}

#[test]
fn password_from_file_or_environment_never_on_the_command_line() {
    let echo = echo_server();
    let file = temp_file("password", "from-a-file\n");
    let proxy = Proxy::start(&["--user", "alice", "--password-file", file.to_str().unwrap()]);
    assert_eq!(
        login(&proxy, "alice", "from-a-file", echo),
        (vec![1, 0], OK.to_vec())
    );
    assert_eq!(login(&proxy, "alice", "from-a-file\n", echo).0, [1, 1]);
    let cmdline = std::fs::read(format!("/proc/{}/cmdline", proxy.child.id())).unwrap();
    assert!(
        !cmdline.windows(11).any(|w| w == b"from-a-file"),
        "the password is not in ps"
    );

    let proxy = Proxy::try_start_env(
        "127.0.0.1:0",
        &["--user", "bob", "--password-env", "SOCKSWIRE_TEST_PW"],
        &[("SOCKSWIRE_TEST_PW", "from-the-env")],
    )
    .unwrap();
    assert_eq!(
        login(&proxy, "bob", "from-the-env", echo),
        (vec![1, 0], OK.to_vec())
    );

    // --password still works, with a warning.
    let out = Command::new(BIN)
        .args([
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--user",
            "eve",
            "--password",
            "visible",
        ])
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut warned = String::new();
    let mut child = out;
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    std::io::BufRead::read_line(&mut stderr, &mut warned).unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(
        warned.contains("warning: --password is visible"),
        "{warned}"
    );
    let out = Command::new(BIN)
        .args([
            "proxy",
            "--user",
            "x",
            "--password-env",
            "SOCKSWIRE_NO_SUCH_VARIABLE",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--password-env SOCKSWIRE_NO_SUCH_VARIABLE")
    );
}

#[test]
fn config_file() {
    let echo = echo_server();
    let users = temp_file("config-users", &format!("dave:{}\n", cheap_hash("pw")));
    let config = temp_file(
        "proxy.toml",
        &format!(
            "users = {:?}\nlog_json = true\nrules = [\"deny to .example.test\"]\nmax_per_client = 50\n",
            users.to_str().unwrap()
        ),
    );
    let mut proxy = Proxy::start(&["--config", config.to_str().unwrap()]);
    assert_eq!(login(&proxy, "dave", "pw", echo), (vec![1, 0], OK.to_vec()));
    proxy.expect_log(&[
        "\"event\":\"close\"",
        "\"user\":\"dave\"",
        "\"reply\":\"SUCCEEDED\"",
    ]);
    let bad = temp_file("bad.toml", "max_conns = \"lots\"\n");
    let out = Command::new(BIN)
        .args(["proxy", "--config", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("bad.toml"));
}

#[test]
fn run_as_drops_root_after_binding() {
    let uid = std::fs::read_to_string("/proc/self/status")
        .unwrap()
        .lines()
        .find_map(|l| {
            l.strip_prefix("Uid:")
                .map(|r| r.split_whitespace().next().unwrap().to_string())
        })
        .unwrap();
    if uid != "0" {
        assert!(
            std::env::var("CI").is_err(),
            "CI runs as root: --run-as needs it"
        );
        eprintln!("SKIPPED run_as_drops_root_after_binding: not root");
        return;
    }
    let echo = echo_server();
    let mut proxy = Proxy::start(&["--run-as", "65534:65534", "--users", {
        let path = temp_file("run-as-users", &format!("u:{}\n", cheap_hash("p")));
        Box::leak(path.to_str().unwrap().to_string().into_boxed_str())
    }]);
    let status = std::fs::read_to_string(format!("/proc/{}/status", proxy.child.id())).unwrap();
    let ids = |key: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .split_whitespace()
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("Uid:"), ["65534"; 4]);
    assert_eq!(ids("Gid:"), ["65534"; 4]);
    assert_eq!(ids("Groups:"), Vec::<&str>::new());
    // The users file was read before the drop; serving goes on.
    assert_eq!(login(&proxy, "u", "p", echo), (vec![1, 0], OK.to_vec()));
    let _ = proxy.expect_log(&["SUCCEEDED"]);
    let out = Command::new(BIN)
        .args([
            "proxy",
            "--listen",
            "127.0.0.1:0",
            "--run-as",
            "no-such-user-here",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("--run-as no-such-user-here: no such user")
    );
}
