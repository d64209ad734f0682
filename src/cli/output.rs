//! Rendering events: readable lines, JSON objects with Wireshark's field names, Zeek's socks.log.

use std::fmt::Write as _;
use std::net::IpAddr;

use sockswire::Addr;
use sockswire::dissect::{Anomaly, Event, EventKind, OwnedHost, OwnedHostPort, Transaction};

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

/// Writes `s` as a JSON string literal.
pub fn string(out: &mut String, s: &str) {
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
        Anomaly::Skipped(_) => "skipped",
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

/// Zeek's `request`/`bound` split: an address in `.host`, a name in `.name`.
fn zeek_host(hp: &OwnedHostPort) -> (String, String) {
    match &hp.host {
        OwnedHost::Name(name) => ("-".to_string(), zeek_escape(&String::from_utf8_lossy(name))),
        OwnedHost::Ip(ip) => (ip.to_string(), "-".to_string()),
        OwnedHost::Unspecified([a, b, c, d]) => (format!("{a}.{b}.{c}.{d}"), "-".to_string()),
    }
}

/// Where and when a transaction happened: its connection and the packet of its first SOCKS
/// message.
pub struct Record<'a> {
    pub ts: f64,
    pub uid: &'a str,
    pub community_id: &'a str,
    pub pcap_file: &'a str,
    pub frame: u64,
    pub client: (IpAddr, u16),
    pub server: (IpAddr, u16),
}

/// One socks.log row: ts uid id.orig_h id.orig_p id.resp_h id.resp_p version user password
/// status request.host request.name request_p bound.host bound.name bound_p, then
/// community_id pcap_file frame. A SOCKS4a request is logged as Zeek does: its `0.0.0.x`
/// address in `request.host`, the hostname in `request.name`.
pub fn zeek_row(t: &Transaction, r: &Record<'_>) -> String {
    let Record {
        ts,
        uid,
        client,
        server,
        ..
    } = *r;
    let text = |v: &Option<Vec<u8>>| {
        v.as_deref().map_or_else(
            || "-".to_string(),
            |b| zeek_escape(&String::from_utf8_lossy(b)),
        )
    };
    let (mut rh, rn) = t
        .target
        .as_ref()
        .map_or_else(|| ("-".into(), "-".into()), zeek_host);
    if let Some(ip) = t.socks4a_ip {
        rh = ip.to_string();
    }
    let (bh, bn) = t
        .replies
        .first()
        .map_or_else(|| ("-".into(), "-".into()), |r| zeek_host(&r.bound));
    let port = |p: Option<u16>| p.map_or_else(|| "-".to_string(), |p| p.to_string());
    let status = t.status().map_or_else(
        || "-".to_string(),
        |s| status_text(t.version.unwrap_or(5), s),
    );
    [
        format!("{ts:.6}"),
        uid.to_string(),
        client.0.to_string(),
        client.1.to_string(),
        server.0.to_string(),
        server.1.to_string(),
        t.version.map_or_else(|| "-".to_string(), |v| v.to_string()),
        text(&t.user),
        text(&t.password),
        status,
        rh,
        rn,
        port(t.target.as_ref().map(|h| h.port)),
        bh,
        bn,
        port(t.replies.first().map(|r| r.bound.port)),
        r.community_id.to_string(),
        zeek_escape(r.pcap_file),
        r.frame.to_string(),
    ]
    .join("\t")
}

/// One transaction as a JSON object (`"event":"transaction"`).
pub fn transaction_json(t: &Transaction, r: &Record<'_>) -> String {
    let mut j = Json::new();
    j.num("ts", format!("{:.6}", r.ts)).str("uid", r.uid);
    j.str("community_id", r.community_id)
        .str("pcap_file", r.pcap_file)
        .num("frame", r.frame);
    j.str("client", &r.client.0.to_string())
        .num("client_port", r.client.1);
    j.str("server", &r.server.0.to_string())
        .num("server_port", r.server.1);
    j.str("event", "transaction");
    if let Some(v) = t.version {
        j.num("version", v);
    }
    if let Some(m) = t.method {
        j.str("method", &m.to_string());
    }
    if let Some(a) = t.auth {
        j.str("auth", &format!("{a:?}"));
    }
    if let Some(u) = &t.user {
        j.bytes("user", u);
    }
    if let Some(p) = &t.password {
        j.bytes("password", p);
    }
    if let Some(c) = t.command {
        j.str("command", &c.to_string());
    }
    if let Some(target) = &t.target {
        j.str("target", &target.to_string());
    }
    if let Some(o) = t.request_offset {
        j.num("request_offset", o);
    }
    let replies: Vec<String> = t
        .replies
        .iter()
        .map(|r| {
            let mut o = Json::new();
            o.num("status", r.status)
                .str("bound", &r.bound.to_string())
                .num("offset", r.offset);
            o.finish().to_string()
        })
        .collect();
    j.num("replies", format!("[{}]", replies.join(",")));
    let anomalies: Vec<String> = t
        .anomalies
        .iter()
        .map(|(_, _, a)| format!("\"{}\"", anomaly_name(a)))
        .collect();
    j.num("anomalies", format!("[{}]", anomalies.join(",")));
    j.num("complete", t.complete);
    j.finish().to_string()
}

/// A time as Zeek's `#open` and `#close` write it, in UTC: `2026-12-02-03-35-00`.
pub fn zeek_time(ts: f64) -> String {
    let secs = ts.max(0.0) as i64;
    let (days, rem) = (secs.div_euclid(86_400), secs.rem_euclid(86_400));
    let (year, month, day) = civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}-{:02}-{:02}-{:02}",
        rem / 3600,
        rem / 60 % 60,
        rem % 60
    )
}

/// The proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard
/// Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// A connection's uid, Zeek's shape (`C` and 17 base-62 characters), derived from its two
/// endpoints and its first packet's time only: the same across runs and machines.
pub fn zeek_uid(key: ((IpAddr, u16), (IpAddr, u16)), ts: f64) -> String {
    let mut bytes = Vec::new();
    for (ip, port) in [key.0, key.1] {
        match ip {
            IpAddr::V4(v4) => bytes.extend_from_slice(&v4.octets()),
            IpAddr::V6(v6) => bytes.extend_from_slice(&v6.octets()),
        }
        bytes.extend_from_slice(&port.to_be_bytes());
    }
    bytes.extend_from_slice(&((ts * 1e6).round() as i64).to_be_bytes());
    // FNV-1a, twice with different offset bases, for 96 bits.
    let fnv = |basis: u64| {
        bytes.iter().fold(basis, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0000_0100_0000_01b3)
        })
    };
    let mut n =
        (u128::from(fnv(0xcbf2_9ce4_8422_2325)) << 32) ^ u128::from(fnv(0x8422_2325_cbf2_9ce4));
    n &= (1u128 << 96) - 1;
    const DIGITS: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut uid = String::from("C");
    for _ in 0..17 {
        uid.push(char::from(DIGITS[(n % 62) as usize]));
        n /= 62;
    }
    uid
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

/// Zeek's header for socks.log, opened at `ts`.
pub fn zeek_header(ts: f64) -> String {
    format!(
        "#separator \\x09
#set_separator\t,
#empty_field\t(empty)
#unset_field\t-
#path\tsocks
#open\t{}
#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tversion\tuser\tpassword\tstatus\trequest.host\trequest.name\trequest_p\tbound.host\tbound.name\tbound_p\tcommunity_id\tpcap_file\tframe
#types\ttime\tstring\taddr\tport\taddr\tport\tcount\tstring\tstring\tstring\taddr\tstring\tport\taddr\tstring\tport\tstring\tstring\tcount",
        zeek_time(ts)
    )
}
