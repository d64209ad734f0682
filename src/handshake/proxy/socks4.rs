//! The SOCKS4 and SOCKS4a request of [`SocksProxyHandshake`]: framing with a linear scan of
//! the NUL-terminated fields in precise mode, and the policy checks.

use super::*;
use crate::wire::socks4_request;

impl SocksProxyHandshake<'_> {
    /// A step of a SOCKS4 request: one byte more of a field being scanned is a few compares,
    /// inline; anything else is [`Self::socks4`].
    #[inline(always)]
    pub(super) fn socks4_step(&mut self, data: &[u8], input: &[u8]) -> Result<Advance, Error> {
        if self.v4_still_scanning(input) {
            return Ok(Advance::Need(NonZeroUsize::MIN));
        }
        self.socks4(data, input)
    }

    fn socks4(&mut self, data: &[u8], input: &[u8]) -> Result<Advance, Error> {
        self.version = Some(SocksVersion::V4);
        self.failure = v4_failure();
        let (rest, req) = match socks4_request::<WireError>(self.policy.limits).parse(input) {
            Ok(ok) => ok,
            Err(e) => {
                if e == nom::Err::Incomplete(nom::Needed::Size(NonZeroUsize::MIN)) {
                    self.note_v4_scan(input);
                }
                return need(e);
            }
        };
        self.addr = match req.hostname {
            Some(name) => {
                self.check_hostname(name)?;
                AddrAt::Host(range_in(data, name))
            }
            None => AddrAt::Ip(IpAddr::V4(req.ip)),
        };
        self.socks4a = req.hostname.is_some();
        self.policy.check_socks4_ip(req.ip)?;
        let cmd = req.command;
        if !self.policy.serves_socks4(cmd) {
            return Err(Error::CommandNotSupported(cmd));
        }
        self.policy.check_port(cmd, req.port)?;
        self.policy.check_raw_ip(!self.socks4a)?;
        if self.policy.credentials.required() {
            return Err(Error::BadCredentials);
        }
        self.cmd = cmd;
        self.port = req.port;
        self.auth = if req.userid.is_empty() {
            AuthAt::None
        } else {
            AuthAt::Socks4(range_in(data, req.userid))
        };
        if self.policy.access.is_some() {
            // The output (with its hostname `&str`) only for a policy that reads it.
            self.policy.check_access(self.client, &self.output(data))?;
        }
        Ok(Advance::Finished {
            consumed: input.len() - rest.len(),
        })
    }

    /// Whether the SOCKS4 request is still one byte short, decided from the bytes received
    /// since the last parse: a NUL-terminated field is scanned once, not re-parsed from the
    /// start at every byte (which made precise reads quadratic). Without a NUL among them,
    /// the parser's answer is still `Needed(1)` unless a limit is passed, and then it runs.
    ///
    /// The driver asks this before calling [`Self::socks4`], inline: with precise reads it is
    /// the whole of every step but the last through a NUL-terminated field, so it is kept to
    /// a few compares (version and failure reply were set by the step that began the scan).
    #[inline(always)]
    fn v4_still_scanning(&mut self, input: &[u8]) -> bool {
        let Mark::V4Scan { seen, last } = self.mark else {
            return false;
        };
        let len = input.len();
        // Nothing new, or a limit passed: the parser decides.
        if len <= seen as usize || len > last as usize {
            return false;
        }
        // Precise reads bring one byte a step: no call to `memchr` for it.
        let nul = match input.get(seen as usize..).unwrap_or_default() {
            [b] => *b == 0,
            fresh => fresh.contains(&0),
        };
        if nul {
            return false;
        }
        // `len <= last`, a `u32`.
        self.mark = Mark::V4Scan {
            seen: len as u32,
            last,
        };
        true
    }

    /// After the parser asked for one more byte of a SOCKS4 request: where the scan stands.
    fn note_v4_scan(&mut self, input: &[u8]) {
        // A username/password message still referenced (C Tor's version switch) keeps its
        // mark; the request is then parsed in full at every step, as before.
        if input.len() < 8 || matches!(self.mark, Mark::AuthMessage(_)) {
            return;
        }
        let (field, field_limit) = match input.get(8..).and_then(|r| r.iter().position(|&b| b == 0))
        {
            Some(nul) => (8 + nul + 1, self.policy.limits.socks4_hostname),
            None => (8, self.policy.limits.socks4_userid),
        };
        // The longest request that passes no limit: the field's, and the message's (which
        // the parser enforces as `len < socks4_message` while a byte is still missing).
        let last = field
            .saturating_add(field_limit)
            .min(self.policy.limits.socks4_message.saturating_sub(1));
        self.mark = match (u32::try_from(input.len()), u32::try_from(last)) {
            (Ok(seen), Ok(last)) => Mark::V4Scan { seen, last },
            (Ok(seen), Err(_)) => Mark::V4Scan {
                seen,
                last: u32::MAX,
            },
            _ => Mark::None,
        };
    }
}
