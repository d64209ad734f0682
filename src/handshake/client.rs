//! The client (initiator) side: [`SocksClientHandshake`].

use core::net::{IpAddr, Ipv4Addr};
use core::num::NonZeroUsize;
use core::ops::Range;

use arrayvec::ArrayVec;
use nom::Parser;

use crate::handshake::error::Unrepresentable;
use crate::handshake::framework::private::Driver;
use crate::handshake::framework::{Advance, need, short_of};
use crate::handshake::{
    Error, Handshake, SocksAddr, SocksAuth, SocksHostname, SocksRequest, SocksStatus, SocksVersion,
};
use crate::wire::{
    Addr, Encode, Method, SOCKS4_REPLY_LEN, Socks4Request, Socks4Status, Socks5Greeting,
    Socks5Request, UserPassRequest, WireError, is_socks4a_marker, socks4_reply,
    socks5_method_choice, socks5_reply, socks5_reply_len, userpass_reply,
};

/// The most a client sends in one go: a SOCKS4 request with its user-id and hostname, or an
/// optimistic SOCKS5 greeting, username/password and request.
pub const CLIENT_SEND_MAX: usize = 1024;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Initial,
    V4Reply,
    Method,
    Auth,
    Reply,
    Done,
    Failed,
}

#[derive(Clone, Debug)]
enum BoundAt {
    Ip(IpAddr),
    Host(Range<usize>),
}

/// A proxy's answer to a client handshake, borrowing from the buffer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SocksReply<'a> {
    version: SocksVersion,
    status: SocksStatus,
    addr: SocksAddr<'a>,
    port: u16,
    socks4_status: Option<Socks4Status>,
}

impl<'a> SocksReply<'a> {
    /// A reply, for callers that build one by hand (tests, proxies of proxies).
    #[must_use]
    pub const fn new(
        version: SocksVersion,
        status: SocksStatus,
        addr: SocksAddr<'a>,
        port: u16,
    ) -> Self {
        SocksReply {
            version,
            status,
            addr,
            port,
            socks4_status: None,
        }
    }

    /// The status; SOCKS4 codes are mapped as tor-socksproto maps them (5A succeeded,
    /// 5C/5D not allowed, anything else general failure).
    #[must_use]
    pub const fn status(&self) -> SocksStatus {
        self.status
    }

    /// The bound address (for RESOLVE and RESOLVE_PTR, the answer). C Tor's `ATYP` 0 failure
    /// reply gives `0.0.0.0`.
    #[must_use]
    pub const fn addr(&self) -> &SocksAddr<'a> {
        &self.addr
    }

    /// The bound port.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The SOCKS version of the exchange.
    #[must_use]
    pub const fn version(&self) -> SocksVersion {
        self.version
    }

    /// The SOCKS4 reply code as sent, for SOCKS4.
    #[must_use]
    pub const fn socks4_status(&self) -> Option<Socks4Status> {
        self.socks4_status
    }
}

/// A client-side SOCKS4/4a/5 handshake for one [`SocksRequest`].
///
/// Size: 1,144 bytes, almost all of it the [`CLIENT_SEND_MAX`]-byte array its messages are
/// encoded into (a SOCKS4 request with a long user-id, or an optimistic flight, must be sent
/// whole); box it where stack space is short.
///
/// It never turns an address into text behind the caller's back: an IPv6 target, a `0.0.0.x`
/// address (which a SOCKS4a server would misread) or a username over SOCKS4 is an
/// [`Error::Unrepresentable`]. With [`SocksClientHandshake::optimistic`] it sends greeting,
/// credentials and request in one flight (one round trip instead of three).
///
/// ```
/// use sockswire::{Buffer, Handshake, NextStep, SocksAddr, SocksAuth, SocksClientHandshake};
/// use sockswire::{SocksCmd, SocksHostname, SocksRequest, SocksStatus, SocksVersion};
///
/// let host = SocksHostname::try_from("example.com").unwrap();
/// let req = SocksRequest::new(SocksVersion::V5, SocksCmd::CONNECT, SocksAddr::Hostname(host), 443, SocksAuth::NoAuth).unwrap();
/// let mut hs = SocksClientHandshake::new(req);
/// let mut buf = Buffer::new();
/// let mut server = &b"\x05\x00\x05\x00\x00\x01\x7f\x00\x00\x01\x01\xbb"[..];
/// let mut sent = Vec::new();
/// let (reply, leftover) = loop {
///     match hs.step(&mut buf).unwrap() {
///         NextStep::Send(bytes) => sent.extend_from_slice(bytes),
///         NextStep::Recv(mut recv) => {
///             let n = recv.buf().len().min(server.len());
///             recv.buf()[..n].copy_from_slice(&server[..n]);
///             server = &server[n..];
///             recv.note_received(n).unwrap();
///         }
///         // Not `into_output_forbid_pipelining`: a target that speaks first (SSH, SMTP) can
///         // put its banner in the same read as the reply. See `sockswire::io` for which
///         // `into_output*` to use, and for adapters that run this loop over a socket.
///         NextStep::Finished(done) => break done.into_output_and_slice(),
///     }
/// };
/// assert_eq!(sent, b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb");
/// assert_eq!(reply.status(), SocksStatus::SUCCEEDED);
/// assert_eq!(leftover, b""); // else: the first bytes from the target
/// ```
#[derive(Clone, Debug)]
pub struct SocksClientHandshake<'a> {
    request: SocksRequest<'a>,
    optimistic: bool,
    state: State,
    out: ArrayVec<u8, CLIENT_SEND_MAX>,
    status: SocksStatus,
    socks4_status: Option<Socks4Status>,
    bound: BoundAt,
    port: u16,
}

impl<'a> SocksClientHandshake<'a> {
    /// A handshake that will send `request`.
    #[must_use]
    pub fn new(request: SocksRequest<'a>) -> Self {
        SocksClientHandshake {
            request,
            optimistic: false,
            state: State::Initial,
            out: ArrayVec::new(),
            status: SocksStatus::GENERAL_FAILURE,
            socks4_status: None,
            bound: BoundAt::Ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            port: 0,
        }
    }

    /// Sends the SOCKS5 greeting, credentials and request at once, offering exactly one
    /// method so a compliant server cannot pick another and misread the pipelined bytes.
    #[must_use]
    pub fn optimistic(mut self, optimistic: bool) -> Self {
        self.optimistic = optimistic;
        self
    }

    /// The request being sent.
    #[must_use]
    pub const fn request(&self) -> &SocksRequest<'a> {
        &self.request
    }

    fn push(&mut self, msg: &impl Encode) -> Result<(), Error> {
        if self.out.len() + msg.encoded_len() > CLIENT_SEND_MAX {
            return Err(Error::MessageTooLong {
                limit: CLIENT_SEND_MAX,
            });
        }
        msg.encode_append(&mut self.out)
            .map_err(|e| Error::Unrepresentable(Unrepresentable::Encode(e)))?;
        Ok(())
    }

    fn push_request(&mut self) -> Result<(), Error> {
        let msg = Socks5Request {
            command: self.request.cmd,
            reserved: 0,
            addr: self.request.addr.to_wire(),
            port: self.request.port,
        };
        self.push(&msg)
    }

    fn push_auth(&mut self) -> Result<(), Error> {
        if let SocksAuth::Username(username, password) = self.request.auth {
            self.push(&UserPassRequest { username, password })?;
        }
        Ok(())
    }

    fn first_flight(&mut self) -> Result<Advance, Error> {
        let r = self.request;
        self.out.clear();
        match r.version {
            SocksVersion::V4 => {
                let (ip, hostname) = match r.addr {
                    SocksAddr::Ip(IpAddr::V4(ip)) if is_socks4a_marker(ip) => {
                        return Err(Unrepresentable::Socks4aMarker(ip).into());
                    }
                    SocksAddr::Ip(IpAddr::V4(ip)) => (ip, None),
                    SocksAddr::Ip(IpAddr::V6(ip)) => {
                        return Err(Unrepresentable::Ipv6OverSocks4(ip).into());
                    }
                    SocksAddr::Hostname(h) => (Ipv4Addr::new(0, 0, 0, 1), Some(h.as_bytes())),
                };
                let userid = match r.auth {
                    SocksAuth::NoAuth => &[][..],
                    SocksAuth::Socks4(id) => id,
                    SocksAuth::Username(..) => {
                        return Err(Unrepresentable::UsernameOverSocks4.into());
                    }
                };
                self.push(&Socks4Request {
                    command: r.cmd,
                    port: r.port,
                    ip,
                    userid,
                    hostname,
                })?;
                self.state = State::V4Reply;
            }
            SocksVersion::V5 => {
                let methods: &[u8] = match (r.auth, self.optimistic) {
                    (SocksAuth::NoAuth, _) => &[0],
                    (SocksAuth::Username(..), true) => &[2],
                    (SocksAuth::Username(..), false) => &[2, 0],
                    (SocksAuth::Socks4(_), _) => {
                        return Err(Unrepresentable::UseridOverSocks5.into());
                    }
                };
                self.push(&Socks5Greeting { methods })?;
                if self.optimistic {
                    self.push_auth()?;
                    self.push_request()?;
                }
                self.state = State::Method;
            }
        }
        Ok(Advance::Send { consumed: 0 })
    }

    fn method(&mut self, input: &[u8]) -> Result<Advance, Error> {
        let (rest, choice) = match socks5_method_choice::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        let consumed = input.len() - rest.len();
        let has_userpass = matches!(self.request.auth, SocksAuth::Username(..));
        self.out.clear();
        match choice.method {
            Method::USERNAME_PASSWORD if has_userpass => {
                self.state = State::Auth;
                if self.optimistic {
                    return Ok(Advance::Consumed { consumed });
                }
                self.push_auth()?;
            }
            Method::USERNAME_PASSWORD => {
                return Err(Error::MethodNotOffered(Method::USERNAME_PASSWORD));
            }
            Method::NO_AUTH if !(self.optimistic && has_userpass) => {
                self.state = State::Reply;
                if self.optimistic {
                    return Ok(Advance::Consumed { consumed });
                }
                self.push_request()?;
            }
            m => return Err(Error::UnsupportedMethod(m)),
        }
        Ok(Advance::Send { consumed })
    }

    fn auth(&mut self, input: &[u8]) -> Result<Advance, Error> {
        let (rest, reply) = match userpass_reply::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        if !reply.status.is_success() {
            return Err(Error::AuthRejected);
        }
        let consumed = input.len() - rest.len();
        self.state = State::Reply;
        if self.optimistic {
            return Ok(Advance::Consumed { consumed });
        }
        self.out.clear();
        self.push_request()?;
        Ok(Advance::Send { consumed })
    }

    fn reply_v4(&mut self, input: &[u8]) -> Result<Advance, Error> {
        let (rest, reply) = match socks4_reply::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        self.socks4_status = Some(reply.status);
        self.status = match reply.status {
            Socks4Status::GRANTED => SocksStatus::SUCCEEDED,
            Socks4Status::NO_IDENTD | Socks4Status::IDENTD_MISMATCH => SocksStatus::NOT_ALLOWED,
            _ => SocksStatus::GENERAL_FAILURE,
        };
        self.bound = BoundAt::Ip(IpAddr::V4(reply.ip));
        self.port = reply.port;
        Ok(Advance::Finished {
            consumed: input.len() - rest.len(),
        })
    }

    fn reply_v5(&mut self, data: &[u8], input: &[u8]) -> Result<Advance, Error> {
        let (rest, reply) = match socks5_reply::<WireError>().parse(input) {
            Ok(ok) => ok,
            Err(e) => return need(e),
        };
        self.status = reply.reply;
        self.port = reply.port;
        self.bound = match reply.addr {
            Addr::Ipv4(ip) => BoundAt::Ip(IpAddr::V4(ip)),
            Addr::Ipv6(ip) => BoundAt::Ip(IpAddr::V6(ip)),
            Addr::Unspecified(raw) => BoundAt::Ip(IpAddr::V4(raw.into())),
            Addr::Domain(name) => {
                SocksHostname::check(name).map_err(Error::BadHostname)?;
                let start = (name.as_ptr() as usize).wrapping_sub(data.as_ptr() as usize);
                BoundAt::Host(start..start + name.len())
            }
        };
        Ok(Advance::Finished {
            consumed: input.len() - rest.len(),
        })
    }
}

impl Driver for SocksClientHandshake<'_> {
    #[inline(always)]
    fn advance(&mut self, data: &[u8], input: &[u8], precise: bool) -> Result<Advance, Error> {
        if input.is_empty() {
            // Nothing of the next message yet: ask for its fixed head, as its parser would
            // from nothing, without running the parser to fail.
            let head = match self.state {
                State::V4Reply => SOCKS4_REPLY_LEN,
                State::Method | State::Auth => 2,
                // `VER REP RSV ATYP` and the first address byte: never past a reply (the
                // shortest, a zero-length name, is 7), and it gives the reply's whole length.
                State::Reply => 5,
                State::Initial | State::Done | State::Failed => 0,
            };
            if let Some(head) = NonZeroUsize::new(head) {
                return Ok(Advance::Need(head));
            }
        }
        match self.state {
            State::Initial => self.first_flight(),
            State::V4Reply => self.reply_v4(input),
            State::Method => self.method(input),
            State::Auth => self.auth(input),
            // With precise reads the reply's head comes alone and gives its length.
            State::Reply => match short_of(precise, socks5_reply_len(input), input) {
                Some(deficit) => Ok(Advance::Need(deficit)),
                None => self.reply_v5(data, input),
            },
            State::Done => Err(Error::AlreadyFinished),
            State::Failed => Err(Error::AlreadyFailed),
        }
    }

    fn pending(&self) -> &[u8] {
        &self.out
    }

    fn keep_from(&self, parsed: usize) -> usize {
        parsed
    }

    fn shift(&mut self, _by: usize) {}

    fn fail(&mut self, _e: &Error) {
        self.state = State::Failed;
    }

    fn finish(&mut self) {
        self.state = State::Done;
    }
}

impl Handshake for SocksClientHandshake<'_> {
    type Output<'b> = SocksReply<'b>;

    #[inline]
    fn output<'b>(&self, data: &'b [u8]) -> SocksReply<'b> {
        let addr = match &self.bound {
            BoundAt::Ip(ip) => SocksAddr::Ip(*ip),
            BoundAt::Host(r) => SocksAddr::Hostname(SocksHostname::from_checked(
                data.get(r.clone()).unwrap_or_default(),
            )),
        };
        SocksReply {
            version: self.request.version,
            status: self.status,
            addr,
            port: self.port,
            socks4_status: self.socks4_status,
        }
    }
}
