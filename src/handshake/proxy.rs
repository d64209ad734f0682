//! The proxy (responder) side: [`SocksProxyHandshake`].

mod socks4;

use core::net::IpAddr;
use core::num::NonZeroUsize;
use core::ops::Range;

use arrayvec::ArrayVec;
use nom::Parser;

use crate::handshake::error::{MessageKind, Refusal};
use crate::handshake::framework::private::Driver;
use crate::handshake::framework::{Advance, need, short_of};
use crate::handshake::policy::ExtendedAuthRules;
use crate::handshake::{
    Error, ExtendedAuth, Handshake, ProxyPolicy, SocksAddr, SocksAuth, SocksHostname, SocksRequest,
    SocksVersion, parse_extended_auth,
};
use crate::wire::{
    Addr, Command, Method, MethodSet, ReplyCode, Socks4Reply, Socks4Status, Socks5MethodChoice,
    Socks5Reply, UserPassReply, WireError, socks5_greeting, socks5_greeting_len, socks5_request,
    socks5_request_len, userpass_request, userpass_request_len,
};

/// The page C Tor sends to an HTTP client that mistook a SOCKS port for an HTTP proxy
/// (`SOCKS_PROXY_IS_NOT_AN_HTTP_PROXY_MSG`), with the trailing NUL C sends too.
pub const HTTP_NOT_A_PROXY: &[u8] = b"HTTP/1.0 501 Tor is not an HTTP Proxy\r\n\
Content-Type: text/html; charset=iso-8859-1\r\n\r\n\
<html>\n\
<head>\n\
<title>This is a SOCKS Proxy, Not An HTTP Proxy</title>\n\
</head>\n\
<body>\n\
<h1>This is a SOCKs proxy, not an HTTP proxy.</h1>\n\
<p>\n\
It appears you have configured your web browser to use this Tor port as\n\
an HTTP proxy.\n\
</p><p>\n\
This is not correct: This port is configured as a SOCKS proxy, not\n\
an HTTP proxy. If you need an HTTP proxy tunnel, use the HTTPTunnelPort\n\
configuration option in place of, or in addition to, SOCKSPort.\n\
Please configure your client accordingly.\n\
</p>\n\
<p>\n\
See <a href=\"https://www.torproject.org/documentation.html\">\
https://www.torproject.org/documentation.html</a> for more \
information.\n\
</p>\n\
</body>\n\
</html>\n\0";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Initial,
    Socks5Auth,
    Socks5Wait,
    Done,
    Failed,
}

/// Where the finished request's borrowed parts lie in the buffer.
#[derive(Clone, Debug)]
enum AddrAt {
    Ip(IpAddr),
    Host(Range<usize>),
}

/// A position the driver keeps between steps; one at a time, so it shares a field.
#[derive(Clone, Copy, Debug)]
enum Mark {
    None,
    /// Start of the username/password message, kept while its fields are referenced.
    AuthMessage(usize),
    /// SOCKS4 in progress: message bytes already looked at without finding the NUL that
    /// ends the field being scanned, and the longest the message may grow before the field's
    /// or the message's limit is passed (past it, the parser runs and says which).
    V4Scan {
        seen: u32,
        last: u32,
    },
}

#[derive(Clone, Debug)]
enum AuthAt {
    None,
    Socks4(Range<usize>),
    Username(Range<usize>, Range<usize>),
}

/// The reply to send before closing after a failure.
#[derive(Clone, Debug)]
enum FailureReply {
    None,
    V5(ReplyCode),
    V4,
    Auth,
    Bytes(ArrayVec<u8, 10>),
    Http,
}

/// A proxy-side SOCKS4/4a/5 handshake: reads a client's messages, answers them, and yields
/// the [`SocksRequest`].
///
/// With [`SocksProxyHandshake::new`] it behaves as tor-socksproto 0.47 does (the `Arti`
/// [`crate::Profile`]); [`SocksProxyHandshake::with_policy`] takes other profiles and knobs.
/// SOCKS4 gets no reply from the handshake: answer the request with [`SocksRequest::reply`].
///
/// Size: 240 bytes, 112 of them its own copy of the [`ProxyPolicy`] (so a profile constant
/// needs no lifetime). No buffer lives inside it: that is the [`crate::Buffer`].
///
/// ```
/// use sockswire::{Buffer, Handshake, NextStep, SocksCmd, SocksProxyHandshake, SocksStatus};
///
/// let mut hs = SocksProxyHandshake::new();
/// let mut buf = Buffer::new();
/// let mut client = &b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb"[..];
/// let mut sent = Vec::new();
/// let request = loop {
///     match hs.step(&mut buf).unwrap() {
///         NextStep::Send(bytes) => sent.extend_from_slice(bytes),
///         NextStep::Recv(mut recv) => {
///             let n = recv.buf().len().min(client.len());
///             recv.buf()[..n].copy_from_slice(&client[..n]);
///             client = &client[n..];
///             recv.note_received(n).unwrap();
///         }
///         NextStep::Finished(done) => break done.into_output_forbid_pipelining().unwrap(),
///     }
/// };
/// assert_eq!(sent, [5, 0]);
/// assert_eq!(request.command(), SocksCmd::CONNECT);
/// assert_eq!(request.target().to_string(), "example.com:443");
/// assert_eq!(&request.reply(SocksStatus::SUCCEEDED, None).unwrap()[..], [5, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
/// ```
#[derive(Clone, Debug)]
pub struct SocksProxyHandshake<'p> {
    policy: ProxyPolicy<'p>,
    state: State,
    version: Option<SocksVersion>,
    /// The reply to send: every reply the proxy sends during the handshake is two bytes.
    pending: [u8; 2],
    failure: FailureReply,
    methods: MethodSet,
    auth: AuthAt,
    mark: Mark,
    cmd: Command,
    addr: AddrAt,
    port: u16,
    reserved: u8,
    socks4a: bool,
    /// The client's address, for the access policy.
    client: Option<IpAddr>,
}

/// tor-socksproto's old name, deprecated there too.
#[deprecated(
    since = "0.2.0",
    note = "use SocksProxyHandshake, as tor-socksproto says"
)]
pub type SocksHandshake<'p> = SocksProxyHandshake<'p>;

impl Default for SocksProxyHandshake<'static> {
    fn default() -> Self {
        Self::new()
    }
}

impl SocksProxyHandshake<'static> {
    /// A handshake with tor-socksproto's behaviour.
    #[must_use]
    pub const fn new() -> Self {
        SocksProxyHandshake::with_policy(ProxyPolicy::ARTI)
    }
}

fn range_in(base: &[u8], part: &[u8]) -> Range<usize> {
    let start = (part.as_ptr() as usize).wrapping_sub(base.as_ptr() as usize);
    start..start + part.len()
}

fn v5_failure(code: ReplyCode) -> FailureReply {
    FailureReply::V5(code)
}

fn v4_failure() -> FailureReply {
    FailureReply::V4
}

fn auth_failure() -> FailureReply {
    FailureReply::Auth
}

fn render(f: &FailureReply) -> FailureReply {
    match *f {
        FailureReply::V5(code) => render_v5(code),
        FailureReply::V4 => render_v4(),
        FailureReply::Auth => render_auth(),
        ref other => other.clone(),
    }
}

fn render_v5(code: ReplyCode) -> FailureReply {
    let reply = Socks5Reply::new(code, Addr::Ipv4(core::net::Ipv4Addr::UNSPECIFIED), 0);
    let mut out = ArrayVec::new();
    if let Ok(bytes) = reply.to_bytes() {
        out.extend(bytes);
    }
    FailureReply::Bytes(out)
}

fn render_v4() -> FailureReply {
    let reply = Socks4Reply::new(Socks4Status::REJECTED, 0, core::net::Ipv4Addr::UNSPECIFIED);
    FailureReply::Bytes(reply.to_bytes().into_iter().collect())
}

fn render_auth() -> FailureReply {
    FailureReply::Bytes(
        UserPassReply {
            status: crate::AuthStatus::FAILURE,
        }
        .to_bytes()
        .into_iter()
        .collect(),
    )
}

impl<'p> SocksProxyHandshake<'p> {
    /// A handshake with the given policy.
    #[must_use]
    pub const fn with_policy(policy: ProxyPolicy<'p>) -> Self {
        SocksProxyHandshake {
            policy,
            state: State::Initial,
            version: None,
            pending: [0; 2],
            failure: FailureReply::None,
            methods: MethodSet::empty(),
            auth: AuthAt::None,
            mark: Mark::None,
            cmd: Command::CONNECT,
            addr: AddrAt::Ip(IpAddr::V4(core::net::Ipv4Addr::UNSPECIFIED)),
            port: 0,
            reserved: 0,
            socks4a: false,
            client: None,
        }
    }

    /// Tells the handshake the client's address, for the rules of
    /// [`ProxyPolicy::access`] that name clients (without it, a client list refuses every
    /// request). Set it before the first step.
    pub fn set_client(&mut self, client: IpAddr) {
        self.client = Some(client);
    }

    /// The client's address, if [`SocksProxyHandshake::set_client`] gave it.
    #[must_use]
    pub const fn client(&self) -> Option<IpAddr> {
        self.client
    }

    /// The policy in force.
    #[must_use]
    pub const fn policy(&self) -> &ProxyPolicy<'p> {
        &self.policy
    }

    /// After a failed step: the bytes to send before closing, where the protocol has a reply
    /// for the failure. `None` when the handshake has not failed, or when nothing should be
    /// sent (the peer does not speak SOCKS, and the profile does not answer HTTP).
    ///
    /// Per profile, with what C Tor 0.4.8 sends for the same bytes (`05 01` stands for
    /// `05 01 00 01 00 00 00 00 00 00`, `5B` for `00 5B 00 00 00 00 00 00`, "-" for nothing,
    /// "ok" where the request is accepted). Rows marked * are where the default profile
    /// (`Arti`) differs from C; each row is pinned by `tests/failure_reply.rs`:
    ///
    /// | failure | `Arti` (default) | `CTor` | `Rfc1928` | C Tor |
    /// |---|---|---|---|---|
    /// | no acceptable method offered | `05 FF` | `05 FF` | `05 FF` | `05 FF` |
    /// | NMETHODS 0 * | `05 FF` | `05 FF` | `05 FF` | - |
    /// | malformed RFC 1929 message * | `01 01` | `01 01` | `01 01` | `05 01` |
    /// | credentials refused ([`crate::Credentials`]) | `01 01` | `01 01` | `01 01` | n/a |
    /// | prop351 `<torS0X>` username refused | ok | `01 01` | ok | `05 01` |
    /// | request `VER` 4 after a SOCKS5 greeting * | `05 01` | ok (read as SOCKS4) | `05 01` | ok |
    /// | unknown `ATYP` * | `05 08` | `05 01` | `05 08` | `05 01` |
    /// | unknown command * | `05 07` | `05 01` | `05 07` | `05 01` |
    /// | BIND, UDP ASSOCIATE | `05 07` | `05 07` | ok | `05 07` |
    /// | RESOLVE, RESOLVE_PTR | ok | ok | `05 07` | ok |
    /// | RESOLVE_PTR of a hostname | ok | `05 08` | `05 07` | `05 08` |
    /// | CONNECT to port 0; a hostname not UTF-8 | `05 01` | `05 01` | `05 01` | `05 01` |
    /// | hostname failing `string_is_valid_dest`; `RSV` not 0 | ok | `05 01` | ok | `05 01` |
    /// | raw IP with [`ProxyPolicy::reject_raw_ip`] (SafeSocks) | `05 02` | `05 02` | `05 02` | `05 02` |
    /// | SOCKS4: any refusal (command, 0.0.0.0 under `CTor`, port 0, bad 4a name, too long) | `5B` | `5B` | `5B` | `5B` |
    /// | first byte `G`, `H`, `P` or `C` (HTTP) * | - | [`HTTP_NOT_A_PROXY`] | - | the 501 page |
    /// | any other first byte | - | - | - | - |
    #[must_use]
    pub fn failure_reply(&self) -> Option<&[u8]> {
        match (&self.state, &self.failure) {
            (State::Failed, FailureReply::Bytes(b)) => Some(b),
            (State::Failed, FailureReply::Http) => Some(HTTP_NOT_A_PROXY),
            _ => None,
        }
    }

    /// The SOCKS version, once the first byte has been seen.
    #[must_use]
    pub const fn version(&self) -> Option<SocksVersion> {
        self.version
    }

    fn reply(&mut self, bytes: [u8; 2]) {
        self.pending = bytes;
    }

    fn greeting(&mut self, input: &[u8]) -> Result<Advance, Error> {
        self.version = Some(SocksVersion::V5);
        let (rest, greeting) = match socks5_greeting::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        self.methods = greeting.method_set();
        let no_auth_ok =
            !self.policy.credentials.required() && self.methods.contains(MethodSet::NO_AUTH);
        let userpass = self.methods.contains(MethodSet::USERNAME_PASSWORD);
        let method = if no_auth_ok && (self.policy.prefer_no_auth || !userpass) {
            Method::NO_AUTH
        } else if userpass {
            Method::USERNAME_PASSWORD
        } else {
            self.failure = FailureReply::Bytes(
                Socks5MethodChoice {
                    method: Method::NO_ACCEPTABLE,
                }
                .to_bytes()
                .into_iter()
                .collect(),
            );
            return Err(Error::NoAcceptableMethod);
        };
        self.reply(Socks5MethodChoice { method }.to_bytes());
        self.state = if method == Method::USERNAME_PASSWORD {
            State::Socks5Auth
        } else {
            State::Socks5Wait
        };
        Ok(Advance::Send {
            consumed: input.len() - rest.len(),
        })
    }

    fn userpass(&mut self, data: &[u8], input: &[u8]) -> Result<Advance, Error> {
        self.failure = auth_failure();
        let (rest, up) = match userpass_request::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        if !self.policy.credentials.accepts(up.username, up.password) {
            return Err(Error::BadCredentials);
        }
        let extended = parse_extended_auth(up.username, up.password);
        let refused = match (self.policy.extended_auth, extended) {
            (ExtendedAuthRules::Ignore, _) | (_, None) => false,
            (_, Some(Err(_))) => true,
            (ExtendedAuthRules::CTor, Some(Ok(ExtendedAuth::RpcObject { .. }))) => true,
            (_, Some(Ok(_))) => false,
        };
        if refused {
            return Err(Error::NotAllowed(Refusal::ExtendedAuth));
        }
        self.auth = AuthAt::Username(range_in(data, up.username), range_in(data, up.password));
        self.mark = Mark::AuthMessage(range_in(data, input).start);
        self.reply(
            UserPassReply {
                status: crate::AuthStatus::SUCCESS,
            }
            .to_bytes(),
        );
        self.state = State::Socks5Wait;
        Ok(Advance::Send {
            consumed: input.len() - rest.len(),
        })
    }

    fn request(&mut self, data: &[u8], input: &[u8]) -> Result<Advance, Error> {
        self.failure = v5_failure(ReplyCode::GENERAL_FAILURE);
        let (rest, req) = match socks5_request::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(nom::Err::Error(e @ WireError::UnknownAddrType { .. })) => {
                if self.policy.rfc_failure_codes {
                    self.failure = v5_failure(ReplyCode::ADDRTYPE_NOT_SUPPORTED);
                }
                return Err(Error::Decode(e));
            }
            Err(e) => return need(e),
        };
        self.policy.check_reserved(req.reserved)?;
        self.addr = match req.addr {
            Addr::Domain(name) => {
                self.check_hostname(name)?;
                AddrAt::Host(range_in(data, name))
            }
            Addr::Ipv4(ip) => AddrAt::Ip(IpAddr::V4(ip)),
            Addr::Ipv6(ip) => AddrAt::Ip(IpAddr::V6(ip)),
            // The request parser refuses ATYP 0; should that change, it stays refused here.
            Addr::Unspecified(_) => {
                return Err(Error::Decode(WireError::UnknownAddrType { got: 0 }));
            }
        };
        let cmd = req.command;
        if !self.policy.serves(cmd) {
            if self.policy.rfc_failure_codes || cmd.is_known() {
                self.failure = v5_failure(ReplyCode::COMMAND_NOT_SUPPORTED);
            }
            return Err(Error::CommandNotSupported(cmd));
        }
        // Parsing the name as an IP literal only where the answer matters.
        let name_not_ip = cmd == Command::RESOLVE_PTR
            && !self.policy.resolve_ptr_hostname
            && matches!(self.addr, AddrAt::Host(_))
            && !req.addr.is_ip_literal_domain();
        if let Err(e) = self.policy.check_resolve_ptr(cmd, name_not_ip) {
            self.failure = v5_failure(ReplyCode::ADDRTYPE_NOT_SUPPORTED);
            return Err(e);
        }
        self.policy.check_port(cmd, req.port)?;
        self.cmd = cmd;
        self.port = req.port;
        self.reserved = req.reserved;
        self.failure = v5_failure(ReplyCode::NOT_ALLOWED);
        self.policy
            .check_raw_ip(cmd == Command::CONNECT && req.addr.is_raw_ip())?;
        if self.policy.access.is_some() {
            // The output (with its hostname `&str`) only for a policy that reads it.
            self.policy.check_access(self.client, &self.output(data))?;
        }
        self.failure = v5_failure(ReplyCode::GENERAL_FAILURE);
        Ok(Advance::Finished {
            consumed: input.len() - rest.len(),
        })
    }

    /// The name's bytes checked once (one ASCII pass, UTF-8 only for other names), then the
    /// policy's checks on the checked name.
    #[inline]
    fn check_hostname(&self, name: &[u8]) -> Result<(), Error> {
        SocksHostname::check(name).map_err(Error::BadHostname)?;
        // The `&str` is built only for a policy that looks at it.
        if self.policy.validate_hostnames {
            self.policy
                .check_hostname(SocksHostname::from_checked(name))?;
        }
        Ok(())
    }

    /// Whether a username/password message may still come after no-auth was chosen.
    fn userpass_next(&self) -> bool {
        self.policy.userpass_after_no_auth && matches!(self.auth, AuthAt::None)
    }
}

impl Driver for SocksProxyHandshake<'_> {
    #[inline(always)]
    fn advance(&mut self, data: &[u8], input: &[u8], precise: bool) -> Result<Advance, Error> {
        // Where only one message can come next, its parser says exactly how much it needs,
        // even from nothing; elsewhere the first byte decides. State first, then the byte:
        // one jump on the state keeps every step's dispatch short.
        let first = input.first().copied();
        match self.state {
            State::Initial => match first {
                None => Ok(Advance::Need(NonZeroUsize::MIN)),
                Some(4) => self.socks4_step(data, input),
                // `VER` alone: the greeting's fixed head is two bytes, as its parser would say.
                Some(5) if input.len() == 1 => {
                    self.version = Some(SocksVersion::V5);
                    Ok(Advance::Need(NonZeroUsize::MIN))
                }
                // With precise reads a head that gives the whole length comes alone: the rest
                // is asked for without a call into the parser to fail (here and for the
                // request and credentials). Eager reads skip the check: there the whole
                // message is almost always in, and the parser runs once anyway.
                Some(5) => match short_of(precise, socks5_greeting_len(input), input) {
                    Some(deficit) => {
                        self.version = Some(SocksVersion::V5);
                        Ok(Advance::Need(deficit))
                    }
                    None => self.greeting(input),
                },
                Some(v) => {
                    if self.policy.http_reply && matches!(v, b'G' | b'H' | b'P' | b'C') {
                        self.failure = FailureReply::Http;
                    }
                    Err(Error::BadProtocol(v))
                }
            },
            State::Socks5Auth => match first {
                // Nothing of the next message yet: ask for its fixed head, as its parser
                // would from nothing, without running the parser to fail.
                None => {
                    self.failure = auth_failure();
                    Ok(Advance::Need(
                        NonZeroUsize::new(2).unwrap_or(NonZeroUsize::MIN),
                    ))
                }
                Some(1) => match short_of(precise, userpass_request_len(input), input) {
                    Some(deficit) => {
                        self.failure = auth_failure();
                        Ok(Advance::Need(deficit))
                    }
                    None => self.userpass(data, input),
                },
                Some(got) => {
                    self.failure = auth_failure();
                    Err(Error::UnexpectedMessage {
                        expected: MessageKind::UserPassRequest,
                        got,
                    })
                }
            },
            State::Socks5Wait => match first {
                None if self.userpass_next() || self.policy.version_switch => {
                    Ok(Advance::Need(NonZeroUsize::MIN))
                }
                // Five bytes: `VER CMD RSV ATYP` and the first address byte, which is never
                // past a request (the shortest, a zero-length name, is 7) and gives its whole
                // length.
                None => {
                    self.failure = v5_failure(ReplyCode::GENERAL_FAILURE);
                    Ok(Advance::Need(
                        NonZeroUsize::new(5).unwrap_or(NonZeroUsize::MIN),
                    ))
                }
                Some(1) if self.userpass_next() => self.userpass(data, input),
                Some(4) if self.policy.version_switch => self.socks4_step(data, input),
                Some(5) => match short_of(precise, socks5_request_len(input), input) {
                    Some(deficit) => {
                        self.failure = v5_failure(ReplyCode::GENERAL_FAILURE);
                        Ok(Advance::Need(deficit))
                    }
                    None => self.request(data, input),
                },
                Some(got) => {
                    self.failure = v5_failure(ReplyCode::GENERAL_FAILURE);
                    Err(Error::UnexpectedMessage {
                        expected: MessageKind::Socks5Request,
                        got,
                    })
                }
            },
            State::Done => Err(Error::AlreadyFinished),
            State::Failed => Err(Error::AlreadyFailed),
        }
    }

    fn pending(&self) -> &[u8] {
        &self.pending
    }

    fn keep_from(&self, parsed: usize) -> usize {
        match self.mark {
            Mark::AuthMessage(start) => start.min(parsed),
            _ => parsed,
        }
    }

    fn shift(&mut self, by: usize) {
        if by == 0 {
            return;
        }
        let down = |r: &Range<usize>| r.start.saturating_sub(by)..r.end.saturating_sub(by);
        if let AuthAt::Username(u, p) = &self.auth {
            self.auth = AuthAt::Username(down(u), down(p));
        }
        if let Mark::AuthMessage(start) = self.mark {
            self.mark = Mark::AuthMessage(start.saturating_sub(by));
        }
    }

    fn fail(&mut self, e: &Error) {
        if let (Error::MessageTooLong { .. }, FailureReply::None) = (e, &self.failure) {
            self.failure = match self.version {
                Some(SocksVersion::V4) => v4_failure(),
                _ => v5_failure(ReplyCode::GENERAL_FAILURE),
            };
        }
        self.failure = render(&self.failure);
        self.state = State::Failed;
    }

    fn finish(&mut self) {
        self.state = State::Done;
    }
}

impl Handshake for SocksProxyHandshake<'_> {
    type Output<'b> = SocksRequest<'b>;

    #[inline]
    fn output<'b>(&self, data: &'b [u8]) -> SocksRequest<'b> {
        let bytes = |r: &Range<usize>| data.get(r.clone()).unwrap_or_default();
        let addr = match &self.addr {
            AddrAt::Ip(ip) => SocksAddr::Ip(*ip),
            AddrAt::Host(r) => SocksAddr::Hostname(SocksHostname::from_checked(bytes(r))),
        };
        let auth = match &self.auth {
            AuthAt::None => SocksAuth::NoAuth,
            AuthAt::Socks4(r) => SocksAuth::Socks4(bytes(r)),
            AuthAt::Username(u, p) => SocksAuth::Username(bytes(u), bytes(p)),
        };
        SocksRequest {
            version: self.version.unwrap_or(SocksVersion::V5),
            cmd: self.cmd,
            addr,
            port: self.port,
            auth,
            methods: self.methods,
            reserved: self.reserved,
            socks4a: self.socks4a,
            extended_errors: self.policy.extended_errors,
        }
    }
}
