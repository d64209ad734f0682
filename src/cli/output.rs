//! Rendering events: readable lines, JSON objects with Wireshark's field names, Zeek's socks.log.

use std::fmt::Write as _;
use std::net::IpAddr;

use sockswire::dissect::{Anomaly, Event, EventKind};
use sockswire::{Addr, HostPort};

/// A JSON object written field by field.
pub struct Json(String);

impl Json {
    pub fn new() -> Self {
        Json(String::from("{"))
    }

    fn key(&mut self, key: &str) -> &mut String {
        if self.0.len() > 1 {
            self.0.push(',');
        }
        string(&mut self.0, key);
        self.0.push(':');
        &mut self.0
    }

    pub fn str(&mut self, key: &str, value: &str) -> &mut Self {
        let out = self.key(key);
        string(out, value);
        self
    }

    /// Bytes as text when they are UTF-8, else as hex.
    pub fn bytes(&mut self, key: &str, value: &[u8]) -> &mut Self {
        match std::str::from_utf8(value) {
            Ok(s) => self.str(key, s),
            Err(_) => {
                let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
                self.str(&format!("{key}_hex"), &hex)
            }
        }
    }

    pub fn num(&mut self, key: &str, value: impl std::fmt::Display) -> &mut Self {
        let out = self.key(key);
        let _ = write!(out, "{value}");
        self
    }

    pub fn nums(&mut self, key: &str, values: impl Iterator<Item = u8>) -> &mut Self {
        let out = self.key(key);
        out.push('[');
        for (i, v) in values.enumerate() {
            if i > 0 {
                out.push(',');
            }
            let _ = write!(out, "{v}");
        }
        out.push(']');
        self
    }

    pub fn finish(&mut self) -> &str {
        self.0.push('}');
        &self.0
    }
}

fn string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Adds an address with Wireshark's field names: `dst` (IPv4), `dstV6`, `remote_name`.
fn address(j: &mut Json, addr: &Addr<'_>) {
    match addr {
        Addr::Ipv4(ip) => j.str("dst", &ip.to_string()),
        Addr::Ipv6(ip) => j.str("dstV6", &ip.to_string()),
        Addr::Domain(name) => j.bytes("remote_name", name),
        Addr::Unspecified(raw) => j.str("dst", &std::net::Ipv4Addr::from(*raw).to_string()),
    };
}

/// A short name for the event kind.
pub fn kind_name(kind: &EventKind<'_>) -> &'static str {
    match kind {
        EventKind::Socks4Request(_) => "socks4_request",
        EventKind::Socks4Reply(_) => "socks4_reply",
        EventKind::Greeting(_) => "greeting",
        EventKind::MethodChoice(_) => "method_choice",
        EventKind::UserPassRequest { .. } => "auth_request",
        EventKind::UserPassReply(_) => "auth_reply",
        EventKind::Gssapi(_) => "gssapi",
        EventKind::Socks5Request(_) => "socks5_request",
        EventKind::Socks5Reply(_) => "socks5_reply",
        EventKind::BindSecondReply(_) | EventKind::Socks4BindSecondReply(_) => "bind_second_reply",
        EventKind::PayloadStart => "payload_start",
        EventKind::Anomaly(_) => "anomaly",
        EventKind::End { .. } => "end",
        _ => "other",
    }
}

/// A name for an anomaly, for JSON.
pub fn anomaly_name(a: &Anomaly) -> &'static str {
    match a {
        Anomaly::DnsLeakRisk => "dns_leak_risk",
        Anomaly::OptimisticData => "optimistic_data",
        Anomaly::CleartextCredentials => "cleartext_credentials",
        Anomaly::NoAuthDespiteUserPass => "no_auth_despite_userpass",
        Anomaly::NonZeroReserved(_) => "nonzero_reserved",
        Anomaly::LongHostname(_) => "long_hostname",
        Anomaly::NonUtf8Hostname => "non_utf8_hostname",
        Anomaly::VersionSwitch => "version_switch",
        Anomaly::NotSocks(_) => "not_socks",
        Anomaly::Malformed(_) => "malformed",
        Anomaly::TooLong => "too_long",
        Anomaly::Gap(_) => "gap",
        Anomaly::Truncated => "truncated",
        Anomaly::DataAfterFailure => "data_after_failure",
        Anomaly::NonStandardAddressType(_) => "nonstandard_address_type",
        _ => "other",
    }
}

/// The event's fields, Wireshark's `socks.*` names without the prefix where one exists.
pub fn event_fields(j: &mut Json, e: &Event<'_>) {
    j.str("event", kind_name(&e.kind))
        .str("dir", e.dir.short())
        .num("offset", e.offset);
    match &e.kind {
        EventKind::Socks4Request(r) => {
            j.num("version", 4)
                .str("command", &r.command.to_string())
                .num("command_code", r.command.0)
                .num("dstport", r.port);
            j.str("dst", &r.ip.to_string());
            if let Some(h) = r.hostname {
                j.bytes("v4a_dns_name", h);
            }
            if !r.userid.is_empty() {
                j.bytes("username", r.userid);
            }
        }
        EventKind::Socks4Reply(r) | EventKind::Socks4BindSecondReply(r) => {
            j.num("version", r.version)
                .num("results", r.status.0)
                .str("results_name", &r.status.to_string());
            j.str("dst", &r.ip.to_string()).num("dstport", r.port);
        }
        EventKind::Greeting(g) => {
            j.num("version", 5)
                .num("auth_method_count", g.methods.len())
                .nums("auth_method", g.methods.iter().copied());
        }
        EventKind::MethodChoice(c) => {
            j.num("version", 5)
                .num("auth_accepted_method", c.method.0)
                .str("auth_accepted_method_name", &c.method.to_string());
        }
        EventKind::UserPassRequest {
            username,
            password,
            password_len,
        } => {
            j.num("subnegotiation_version", 1)
                .bytes("username", username);
            match password {
                Some(p) => j.bytes("password", p),
                None => j.num("password_len", password_len),
            };
        }
        EventKind::UserPassReply(r) => {
            j.num("auth_status", r.status.0);
        }
        EventKind::Gssapi(m) => {
            j.num("gssapi_command", m.message_type.0)
                .num("gssapi_length", m.token.len());
        }
        EventKind::Socks5Request(r) => {
            j.num("version", 5)
                .str("command", &r.command.to_string())
                .num("command_code", r.command.0);
            j.num("reserved", r.reserved)
                .num("address_type", r.addr.addr_type().0);
            // Wireshark: DST.ADDR in dst / dstV6 / remote_name, DST.PORT in port.
            address(j, &r.addr);
            j.num("port", r.port);
        }
        EventKind::Socks5Reply(r) | EventKind::BindSecondReply(r) => {
            j.num("version", 5)
                .num("results", r.reply.0)
                .str("results_name", &r.reply.to_string());
            j.num("reserved", r.reserved)
                .num("address_type", r.addr.addr_type().0);
            // Wireshark: BND.ADDR in dst / dstV6 / remote_name, BND.PORT in port.
            address(j, &r.addr);
            j.num("port", r.port);
        }
        EventKind::Anomaly(a) => {
            j.str("anomaly", anomaly_name(a))
                .str("detail", &a.to_string());
            if let Anomaly::NonStandardAddressType(t) = a {
                j.num("address_type", t);
            }
        }
        EventKind::End { payload } => {
            j.num("payload_bytes", payload);
        }
        _ => {}
    }
}

/// Zeek's `v4_status` and `v5_status` tables, plus Tor's onion-service codes.
pub fn status_text(version: u8, code: u8) -> String {
    let known = match (version, code) {
        (4, 0x5A) => "succeeded",
        (4, 0x5B) => "general SOCKS server failure",
        (4, 0x5C) => "request failed because client is not running identd",
        (4, 0x5D) => {
            "request failed because client's identd could not confirm the user ID string in the request"
        }
        (5, 0) => "succeeded",
        (5, 1) => "general SOCKS server failure",
        (5, 2) => "connection not allowed by ruleset",
        (5, 3) => "Network unreachable",
        (5, 4) => "Host unreachable",
        (5, 5) => "Connection refused",
        (5, 6) => "TTL expired",
        (5, 7) => "Command not supported",
        (5, 8) => "Address type not supported",
        (5, 0xF0) => "onion service descriptor not found",
        (5, 0xF1) => "onion service descriptor invalid",
        (5, 0xF2) => "onion service introduction failed",
        (5, 0xF3) => "onion service rendezvous failed",
        (5, 0xF4) => "onion service missing client authorization",
        (5, 0xF5) => "onion service wrong client authorization",
        (5, 0xF6) => "onion service address invalid",
        (5, 0xF7) => "onion service introduction timed out",
        _ => return format!("unknown-{code}"),
    };
    known.to_string()
}

/// One row of Zeek's socks.log, filled as events pass.
#[derive(Default)]
pub struct ZeekRow {
    pub version: Option<u8>,
    pub user: Option<String>,
    pub password: Option<String>,
    pub status: Option<String>,
    pub request: Option<(String, bool)>,
    pub request_p: Option<u16>,
    pub bound: Option<(String, bool)>,
    pub bound_p: Option<u16>,
}

fn host_of(addr: &Addr<'_>) -> (String, bool) {
    match addr {
        Addr::Domain(name) => (String::from_utf8_lossy(name).into_owned(), false),
        other => (
            other
                .ip()
                .map_or_else(|| "0.0.0.0".to_string(), |ip| ip.to_string()),
            true,
        ),
    }
}

impl ZeekRow {
    pub fn update(&mut self, e: &Event<'_>) {
        match &e.kind {
            EventKind::Socks4Request(r) => {
                self.version = Some(4);
                self.user =
                    (!r.userid.is_empty()).then(|| String::from_utf8_lossy(r.userid).into_owned());
                let t: HostPort<'_> = r.target();
                self.request = Some(host_of(&t.addr));
                self.request_p = Some(r.port);
            }
            EventKind::Socks4Reply(r) => {
                self.status = Some(status_text(4, r.status.0));
                self.bound = Some((r.ip.to_string(), true));
                self.bound_p = Some(r.port);
            }
            EventKind::Greeting(_) => self.version = Some(5),
            EventKind::UserPassRequest {
                username, password, ..
            } => {
                self.user = Some(String::from_utf8_lossy(username).into_owned());
                self.password = password.map(|p| String::from_utf8_lossy(p).into_owned());
            }
            EventKind::UserPassReply(r) if !r.status.is_success() => {
                self.status = Some(status_text(5, r.status.0));
            }
            EventKind::Socks5Request(r) => {
                self.version = Some(5);
                self.request = Some(host_of(&r.addr));
                self.request_p = Some(r.port);
            }
            EventKind::Socks5Reply(r) => {
                self.status = Some(status_text(5, r.reply.0));
                self.bound = Some(host_of(&r.addr));
                self.bound_p = Some(r.port);
            }
            _ => {}
        }
    }

    /// The TSV row: ts uid id.orig_h id.orig_p id.resp_h id.resp_p version user password status
    /// request.host request.name request_p bound.host bound.name bound_p.
    pub fn line(&self, ts: f64, uid: &str, client: (IpAddr, u16), server: (IpAddr, u16)) -> String {
        let opt = |v: &Option<String>| v.as_deref().map_or_else(|| "-".to_string(), zeek_escape);
        let split = |h: &Option<(String, bool)>| match h {
            Some((s, true)) => (s.clone(), "-".to_string()),
            Some((s, false)) => ("-".to_string(), zeek_escape(s)),
            None => ("-".to_string(), "-".to_string()),
        };
        let port = |p: Option<u16>| p.map_or_else(|| "-".to_string(), |p| p.to_string());
        let (rh, rn) = split(&self.request);
        let (bh, bn) = split(&self.bound);
        [
            format!("{ts:.6}"),
            uid.to_string(),
            client.0.to_string(),
            client.1.to_string(),
            server.0.to_string(),
            server.1.to_string(),
            self.version
                .map_or_else(|| "-".to_string(), |v| v.to_string()),
            opt(&self.user),
            opt(&self.password),
            opt(&self.status),
            rh,
            rn,
            port(self.request_p),
            bh,
            bn,
            port(self.bound_p),
        ]
        .join("\t")
    }
}

/// Zeek escapes tabs, newlines and non-printable bytes as \xNN.
fn zeek_escape(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_graphic() || b == b' ' {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "\\x{b:02x}");
        }
    }
    if out.is_empty() {
        "(empty)".to_string()
    } else {
        out
    }
}

pub const ZEEK_HEADER: &str = "#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tsocks
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tuser\tpassword\tstatus\trequest.host\trequest.name\trequest_p\tbound.host\tbound.name\tbound_p
#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\taddr\tstring\tport\taddr\tstring\tport";
