//! What the log says about one connection: a line when its request is known ("open") and
//! one when it ends ("close"), each with an RFC 3339 UTC timestamp; as text, or as JSON
//! lines with `--log-json`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::output::{civil_from_days, string};

/// One connection's log record.
#[derive(Default)]
pub(crate) struct Record {
    /// `socks5 CONNECT host:port user="..."`, for the text line.
    pub(crate) request: String,
    pub(crate) version: Option<String>,
    pub(crate) user: Option<String>,
    pub(crate) command: Option<String>,
    pub(crate) target: Option<String>,
    /// The reply sent, as shown (`SUCCEEDED`, `5B REJECTED (NOT_ALLOWED)`, ...).
    pub(crate) reply: Option<String>,
    pub(crate) outcome: String,
    pub(crate) up: u64,
    pub(crate) down: u64,
}

/// `2026-12-02T14:05:09.123Z`: UTC, milliseconds (RFC 3339).
pub(crate) fn rfc3339(t: SystemTime) -> String {
    let since = t.duration_since(UNIX_EPOCH).unwrap_or(Duration::ZERO);
    let secs = since.as_secs();
    let (days, rem) = (secs / 86_400, secs % 86_400);
    let (year, month, day) = civil_from_days(i64::try_from(days).unwrap_or(0));
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60,
        since.subsec_millis()
    )
}

fn json_field(out: &mut String, key: &str, value: Option<&str>) {
    let _ = write!(out, ",\"{key}\":");
    match value {
        Some(v) => string(out, v),
        None => out.push_str("null"),
    }
}

impl Record {
    /// The line for the start of a connection whose request is known.
    pub(crate) fn open_line(&self, id: u64, peer: SocketAddr, json: bool) -> String {
        let ts = rfc3339(SystemTime::now());
        if !json {
            return format!("{ts} #{id} {peer} {} open", self.request);
        }
        let mut out = String::with_capacity(200);
        out.push_str("{\"ts\":");
        string(&mut out, &ts);
        let _ = write!(out, ",\"event\":\"open\",\"id\":{id}");
        json_field(&mut out, "client", Some(&peer.to_string()));
        self.json_request(&mut out);
        out.push('}');
        out
    }

    /// The line for the end of a connection.
    pub(crate) fn close_line(
        &self,
        id: u64,
        peer: SocketAddr,
        took: Duration,
        json: bool,
    ) -> String {
        let ts = rfc3339(SystemTime::now());
        if !json {
            let request = if self.request.is_empty() {
                String::new()
            } else {
                format!("{} ", self.request)
            };
            return format!(
                "{ts} #{id} {peer} {request}-> {} up={} down={} {:.3}s",
                self.outcome,
                self.up,
                self.down,
                took.as_secs_f64()
            );
        }
        let mut out = String::with_capacity(300);
        out.push_str("{\"ts\":");
        string(&mut out, &ts);
        let _ = write!(out, ",\"event\":\"close\",\"id\":{id}");
        json_field(&mut out, "client", Some(&peer.to_string()));
        self.json_request(&mut out);
        json_field(&mut out, "reply", self.reply.as_deref());
        let _ = write!(
            out,
            ",\"up\":{},\"down\":{},\"duration\":{:.3}",
            self.up,
            self.down,
            took.as_secs_f64()
        );
        json_field(&mut out, "outcome", Some(&self.outcome));
        out.push('}');
        out
    }

    fn json_request(&self, out: &mut String) {
        json_field(out, "version", self.version.as_deref());
        json_field(out, "user", self.user.as_deref());
        json_field(out, "command", self.command.as_deref());
        json_field(out, "target", self.target.as_deref());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_dates() {
        let at = |s| rfc3339(UNIX_EPOCH + Duration::from_millis(s));
        assert_eq!(at(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(at(951_782_400_000), "2000-02-29T00:00:00.000Z");
        assert_eq!(at(1_796_220_309_123), "2026-12-02T14:05:09.123Z");
        assert_eq!(at(4_107_542_399_999), "2100-02-28T23:59:59.999Z");
    }

    #[test]
    fn json_lines_escape_and_null() {
        let rec = Record {
            request: "socks5 CONNECT a:1".into(),
            user: Some("al\"ice\n".into()),
            command: Some("CONNECT".into()),
            outcome: "SUCCEEDED".into(),
            up: 3,
            ..Record::default()
        };
        let peer: SocketAddr = "127.0.0.1:5".parse().unwrap();
        let line = rec.close_line(7, peer, Duration::from_millis(1500), true);
        assert!(line.starts_with("{\"ts\":\""), "{line}");
        assert!(
            line.ends_with(
                ",\"event\":\"close\",\"id\":7,\"client\":\"127.0.0.1:5\",\"version\":null,\
                 \"user\":\"al\\\"ice\\n\",\"command\":\"CONNECT\",\"target\":null,\
                 \"reply\":null,\"up\":3,\"down\":0,\"duration\":1.500,\"outcome\":\"SUCCEEDED\"}"
            ),
            "{line}"
        );
        let text = rec.open_line(7, peer, false);
        assert!(
            text.ends_with("Z #7 127.0.0.1:5 socks5 CONNECT a:1 open"),
            "{text}"
        );
    }
}
