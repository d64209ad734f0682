//! Decodes the sample conversations shipped in `samples/streams/` (real SOCKS handshakes
//! recorded on loopback, see `samples/README.md`) and prints every field of every message,
//! with its byte offset in its direction.
//!
//! ```text
//! cargo run --example decode_samples [DIR]    # default: samples/streams
//! ```
//!
//! It walks each conversation with the wire parsers alone: the client's first byte says the
//! version, the server's method choice says whether credentials follow, and whatever follows
//! the handshake in each direction is reported as tunnelled payload. Passwords are redacted.

use std::fs;
use std::path::{Path, PathBuf};

use nom::IResult;
use sockswire::*;

/// One direction of a conversation, read message by message.
struct Dir<'a> {
    name: &'static str,
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Dir<'a> {
    fn rest(&self) -> &'a [u8] {
        &self.bytes[self.at..]
    }

    /// Parses the next message, printing `describe(view)` or why it could not.
    fn next<V>(
        &mut self,
        parse: impl Fn(&'a [u8]) -> IResult<&'a [u8], V, WireError>,
        describe: impl Fn(&V) -> String,
    ) -> Option<V> {
        match parse(self.rest()) {
            Ok((rest, view)) => {
                println!("  {} @{:<4} {}", self.name, self.at, describe(&view));
                self.at = self.bytes.len() - rest.len();
                Some(view)
            }
            Err(nom::Err::Incomplete(needed)) => {
                println!("  {} @{:<4} truncated: {needed:?} more", self.name, self.at);
                None
            }
            Err(e) => {
                println!("  {} @{:<4} malformed: {e}", self.name, self.at);
                None
            }
        }
    }
}

fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => format!("{s:?}"),
        Err(_) => format!("{bytes:02x?} (not UTF-8)"),
    }
}

fn target_notes(addr: &Addr<'_>) -> &'static str {
    if addr.is_raw_ip() {
        " [raw IP: the client resolved the name itself, a possible DNS leak]"
    } else if addr.is_ip_literal_domain() {
        " [IP literal sent as a name]"
    } else {
        ""
    }
}

fn socks5_reply_line(r: &Socks5Reply<'_>) -> String {
    format!(
        "SOCKS5 reply: {} ({:#04x}), bound {} (ATYP {}), RSV {:#04x}",
        r.reply,
        r.reply.0,
        r.bound(),
        r.addr.addr_type(),
        r.reserved
    )
}

fn decode(c2s: &[u8], s2c: &[u8]) {
    let mut c = Dir {
        name: "c2s",
        bytes: c2s,
        at: 0,
    };
    let mut s = Dir {
        name: "s2c",
        bytes: s2c,
        at: 0,
    };
    match c2s.first() {
        Some(4) => decode_v4(&mut c, &mut s),
        Some(5) => decode_v5(&mut c, &mut s),
        Some(&b) => println!(
            "  c2s @0    not SOCKS: first byte {b:#04x} {:?}; server sent {} bytes",
            char::from(b),
            s2c.len()
        ),
        None => println!("  no client bytes"),
    }
    for d in [&c, &s] {
        if d.at < d.bytes.len() && d.at > 0 {
            println!(
                "  {} @{:<4} tunnelled payload: {} bytes",
                d.name,
                d.at,
                d.bytes.len() - d.at
            );
        }
    }
}

fn decode_v4(c: &mut Dir<'_>, s: &mut Dir<'_>) {
    let req = c.next(parse_socks4_request, |r| {
        format!(
            "SOCKS4{} request: {} {} ({:#04x}), DSTIP {}, USERID {}{}",
            if r.is_socks4a() { "a" } else { "" },
            r.command,
            r.target(),
            r.command.0,
            r.ip,
            text(r.userid),
            if r.is_raw_ip() { " [raw IP]" } else { "" }
        )
    });
    if req.is_some() {
        s.next(parse_socks4_reply, |r| {
            format!(
                "SOCKS4 reply: VN {}, {} ({:#04x}), {}:{}",
                r.version, r.status, r.status.0, r.ip, r.port
            )
        });
    }
}

fn decode_v5(c: &mut Dir<'_>, s: &mut Dir<'_>) {
    let Some(_) = c.next(parse_socks5_greeting, |g| {
        let methods: Vec<String> = g.methods().map(|m| m.to_string()).collect();
        format!(
            "SOCKS5 greeting: {} methods [{}]",
            g.methods.len(),
            methods.join(", ")
        )
    }) else {
        return;
    };
    let Some(choice) = s.next(parse_socks5_method_choice, |m| {
        format!("SOCKS5 method choice: {}", m.method)
    }) else {
        return;
    };
    match choice.method {
        Method::USERNAME_PASSWORD => {
            c.next(parse_userpass_request, |r| {
                format!(
                    "RFC 1929 request: username {}, password <{} bytes>",
                    text(r.username),
                    r.password.len()
                )
            });
            let Some(reply) = s.next(parse_userpass_reply, |r| {
                format!("RFC 1929 reply: {} ({:#04x})", r.status, r.status.0)
            }) else {
                return;
            };
            if !reply.status.is_success() {
                return;
            }
        }
        Method::GSSAPI => {
            c.next(parse_gssapi_message, |m| {
                format!("GSS-API {}: {} token bytes", m.message_type, m.token.len())
            });
            return;
        }
        Method::NO_AUTH => {}
        _ => return,
    }
    let Some(req) = c.next(parse_socks5_request, |r| {
        format!(
            "SOCKS5 request: {} ({:#04x}) {} (ATYP {}), RSV {:#04x}{}",
            r.command,
            r.command.0,
            r.target(),
            r.addr.addr_type(),
            r.reserved,
            target_notes(&r.addr)
        )
    }) else {
        return;
    };
    let Some(reply) = s.next(parse_socks5_reply, socks5_reply_line) else {
        return;
    };
    if req.command == Command::BIND && reply.reply == ReplyCode::SUCCEEDED {
        s.next(parse_socks5_reply, |r| {
            format!("BIND second reply: {}", socks5_reply_line(r))
        });
    }
}

fn decode_datagram(bytes: &[u8]) {
    match parse_socks5_udp_datagram(bytes) {
        Ok(dg) => println!(
            "  udp  @0    SOCKS5 UDP datagram: RSV {:#06x}, FRAG {}, to {} (ATYP {}), {} payload bytes {}",
            dg.header.reserved,
            dg.header.fragment,
            dg.header.target(),
            dg.header.addr.addr_type(),
            dg.data.len(),
            text(dg.data)
        ),
        Err(e) => println!("  udp  @0    malformed datagram: {e}"),
    }
}

fn main() -> std::io::Result<()> {
    let dir = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("samples/streams"));
    let mut names: Vec<PathBuf> = fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.to_string_lossy().ends_with(".c2s.bin") || p.to_string_lossy().contains(".udp")
        })
        .collect();
    names.sort();
    for path in names {
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if name.contains(".udp") {
            println!("== {name}");
            decode_datagram(&fs::read(&path)?);
            continue;
        }
        let stem = name.trim_end_matches(".c2s.bin");
        let c2s = fs::read(&path)?;
        let s2c = fs::read(dir.join(format!("{stem}.s2c.bin"))).unwrap_or_default();
        println!("== {stem}");
        decode(&c2s, &s2c);
    }
    Ok(())
}
