//! The proxy (responder) side: 0.47's state machine, with messages framed by
//! [`crate::frame`] and decoded and encoded by sockswire's wire layer.

use sockswire::nom::Parser as _;
use sockswire::{
    AuthStatus, Limits, Method, Socks5MethodChoice, UserPassReply, parse_socks5_greeting,
    parse_socks5_request, parse_userpass_request, socks4_request,
};
use tor_bytes::Error as BytesError;
use tor_error::internal;

use crate::Error;
use crate::frame::{Frame, ImplNextStep, Step, encode_vec, own_addr, own_hostname, parsed};
use crate::framework::{HandshakeImpl, HasHandshakeOutput, HasHandshakeState};
use crate::msg::{SocksAddr, SocksAuth, SocksCmd, SocksRequest, SocksVersion};

/// The limits 0.47 effectively has: none but its buffer (the legacy `handshake()` has none at
/// all) for the user-id, 255 bytes for a SOCKS4a hostname (checked by the framing first).
const UNBOUNDED: Limits = Limits {
    socks4_userid: usize::MAX,
    socks4_hostname: 255,
    socks4_message: usize::MAX,
    gssapi_token: u16::MAX as usize,
};

/// The Proxy (responder) side of an ongoing SOCKS handshake.
///
/// Create you have one of these with [`SocksProxyHandshake::new()`], and then use
/// [`Handshake::step`](crate::Handshake::step) to drive it.
///
/// Eventually you will hopefully obtain a [`SocksRequest`], on which you should call
/// [`.reply()`](SocksRequest::reply), and send the resulting data to the peer.
#[derive(Clone, Debug)]
pub struct SocksProxyHandshake {
    /// Current state of the handshake. Each completed message advances the state.
    state: State,
    /// SOCKS5 authentication that has been received (but not yet put in a SocksRequest).
    socks5_auth: Option<SocksAuth>,
    /// Completed SOCKS handshake.
    handshake: Option<SocksRequest>,
}

/// Possible state for a Socks connection.
#[derive(Clone, Debug, Copy, PartialEq, Eq)]
enum State {
    /// Starting state: no messages have been handled yet.
    Initial,
    /// SOCKS5: username/password chosen, waiting for it.
    Socks5Username,
    /// SOCKS5: authentication done, waiting for the request.
    Socks5Wait,
    /// Ending (successful) state: the client has sent all its messages.
    Done,
    /// Ending (failed) state (legacy API only).
    Failed,
}

impl HasHandshakeState for SocksProxyHandshake {
    fn set_failed(&mut self) {
        self.state = State::Failed;
    }
}

impl HasHandshakeOutput<SocksRequest> for SocksProxyHandshake {
    fn take_output(&mut self) -> Option<SocksRequest> {
        self.handshake.take()
    }
}

impl crate::Handshake for SocksProxyHandshake {
    type Output = SocksRequest;
}

impl HandshakeImpl for SocksProxyHandshake {
    fn handshake_impl(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        match (self.state, f.peek()?) {
            (State::Initial, 4) => self.s4(f),
            (State::Initial, 5) => self.s5_initial(f),
            (State::Initial, v) => Err(Error::BadProtocol(v).into()),
            (State::Socks5Username, 1) => self.s5_uname(f),
            (State::Socks5Wait, 5) => self.s5(f),
            (State::Done, _) => Err(Error::AlreadyFinished(internal!(
                "called handshake() after handshaking was done"
            ))
            .into()),
            (State::Failed, _) => Err(Error::AlreadyFinished(internal!(
                "called handshake() after handshaking failed"
            ))
            .into()),
            (_, _) => Err(Error::Syntax.into()),
        }
    }
}

impl SocksProxyHandshake {
    /// Construct a new SocksProxyHandshake in its initial state
    pub fn new() -> Self {
        SocksProxyHandshake {
            state: State::Initial,
            socks5_auth: None,
            handshake: None,
        }
    }

    /// A SOCKS4 or SOCKS4a request.
    fn s4(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        f.u8()?;
        f.u8()?;
        f.u16()?;
        let ip = f.take(4)?;
        f.until_nul()?;
        let ip = u32::from_be_bytes([ip[0], ip[1], ip[2], ip[3]]);
        if ip != 0 && (ip >> 8) == 0 {
            let host = f.until_nul()?;
            if std::str::from_utf8(host).is_err() {
                return Err(Error::Syntax.into());
            }
            if host.len() > 255 {
                return Err(BytesError::InvalidMessage("hostname too long".into()).into());
            }
        }
        let req = parsed(socks4_request(UNBOUNDED).parse(f.framed()))?;
        let auth = if req.userid.is_empty() {
            SocksAuth::NoAuth
        } else {
            SocksAuth::Socks4(req.userid.to_vec())
        };
        let addr = match req.hostname {
            Some(name) => SocksAddr::Hostname(own_hostname(name)?),
            None => SocksAddr::Ip(req.ip.into()),
        };
        let request =
            SocksRequest::new(SocksVersion::V4, req.command.0.into(), addr, req.port, auth)?;
        self.state = State::Done;
        self.handshake = Some(request);
        Ok(ImplNextStep::Finished)
    }

    /// The SOCKS5 greeting: username/password wins over no authentication.
    fn s5_initial(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        f.u8()?;
        let n = f.u8()?;
        f.take(usize::from(n))?;
        let greeting = parsed(parse_socks5_greeting(f.framed()))?;
        let (next, method) = if greeting.offers(Method::USERNAME_PASSWORD) {
            (State::Socks5Username, Method::USERNAME_PASSWORD)
        } else if greeting.offers(Method::NO_AUTH) {
            self.socks5_auth = Some(SocksAuth::NoAuth);
            (State::Socks5Wait, Method::NO_AUTH)
        } else {
            return Err(Error::NotImplemented("authentication methods".into()).into());
        };
        self.state = next;
        Ok(ImplNextStep::Reply(
            Socks5MethodChoice { method }.to_bytes().to_vec(),
        ))
    }

    /// The RFC 1929 request, always accepted: the credentials are for stream isolation.
    fn s5_uname(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        f.u8()?;
        let ulen = f.u8()?;
        f.take(usize::from(ulen))?;
        let plen = f.u8()?;
        f.take(usize::from(plen))?;
        let up = parsed(parse_userpass_request(f.framed()))?;
        self.socks5_auth = Some(SocksAuth::Username(
            up.username.to_vec(),
            up.password.to_vec(),
        ));
        self.state = State::Socks5Wait;
        let reply = UserPassReply {
            status: AuthStatus::SUCCESS,
        };
        Ok(ImplNextStep::Reply(encode_vec(&reply)?))
    }

    /// The SOCKS5 request.
    fn s5(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        f.u8()?;
        f.u8()?;
        f.u8()?;
        f.socks5_addr()?;
        f.u16()?;
        let req = parsed(parse_socks5_request(f.framed()))?;
        let addr = own_addr(req.addr)?;
        // Taken before the checks, as 0.47 does.
        let auth = self
            .socks5_auth
            .take()
            .ok_or_else(|| internal!("called s5 without negotiating auth"))?;
        let cmd: SocksCmd = req.command.0.into();
        let request = SocksRequest::new(SocksVersion::V5, cmd, addr, req.port, auth)?;
        self.state = State::Done;
        self.handshake = Some(request);
        Ok(ImplNextStep::Finished)
    }

    /// Return true if this handshake is finished.
    pub fn finished(&self) -> bool {
        self.state == State::Done
    }

    /// Consume this handshake's state; if it finished successfully, return a SocksRequest.
    pub fn into_request(self) -> Option<SocksRequest> {
        self.handshake
    }
}

impl Default for SocksProxyHandshake {
    fn default() -> Self {
        Self::new()
    }
}
