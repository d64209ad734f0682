//! The client (initiator) side: 0.47's state machine, with replies framed by
//! [`crate::frame`] and every message decoded and encoded by sockswire's wire layer.

use std::net::{IpAddr, Ipv4Addr};

use sockswire::{
    Command, Socks4Request, Socks5Greeting, Socks5Request, UserPassRequest, parse_socks4_reply,
    parse_socks5_method_choice, parse_socks5_reply, parse_userpass_reply,
};
use tor_error::internal;

use crate::frame::{Frame, ImplNextStep, Step, encode_vec, own_addr, parsed, wire_addr};
use crate::framework::{HandshakeImpl, HasHandshakeOutput, HasHandshakeState};
use crate::msg::{SocksAddr, SocksAuth, SocksReply, SocksRequest, SocksStatus, SocksVersion};
use crate::{Error, Result};

/// RFC 1929 username/password.
const USERNAME_PASSWORD: u8 = 0x02;
/// No authentication.
const NO_AUTHENTICATION: u8 = 0x00;

/// The client (initiator) side of a SOCKS handshake.
///
/// Create you have one of these with [`SocksClientHandshake::new()`], and then use
/// [`Handshake::step`](crate::Handshake::step) to drive it.
#[derive(Clone, Debug)]
pub struct SocksClientHandshake {
    /// The request that we are currently trying to negotiate with the proxy.
    request: SocksRequest,
    /// Our current state in negotiating that request.
    state: State,
    /// If present, the return message that we received from the proxy.
    reply: Option<SocksReply>,
}

/// An internal state for a `SocksClientHandshake`.
#[derive(Clone, Debug)]
enum State {
    /// We have sent nothing yet.
    Initial,
    /// SOCKS4 request sent.
    Socks4Wait,
    /// SOCKS5 greeting sent.
    Socks5AuthWait,
    /// RFC 1929 request sent.
    Socks5UsernameWait,
    /// SOCKS5 request sent.
    Socks5Wait,
    /// Final reply received.
    Done,
    /// The handshake has failed (legacy API only).
    Failed,
}

impl HasHandshakeState for SocksClientHandshake {
    fn set_failed(&mut self) {
        self.state = State::Failed;
    }
}

impl HasHandshakeOutput<SocksReply> for SocksClientHandshake {
    fn take_output(&mut self) -> Option<SocksReply> {
        self.reply.take()
    }
}

impl crate::Handshake for SocksClientHandshake {
    type Output = SocksReply;
}

impl HandshakeImpl for SocksClientHandshake {
    fn handshake_impl(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        use State::*;
        match self.state {
            Initial => match self.request.version() {
                SocksVersion::V4 => self.send_v4(),
                SocksVersion::V5 => self.send_v5_initial(),
            },
            Socks4Wait => self.handle_v4(f),
            Socks5AuthWait => self.handle_v5_auth(f),
            Socks5UsernameWait => self.handle_v5_username_ack(f),
            Socks5Wait => self.handle_v5_final(f),
            Done => Err(Error::AlreadyFinished(internal!(
                "called handshake() after handshaking succeeded"
            ))
            .into()),
            Failed => Err(Error::AlreadyFinished(internal!(
                "called handshake() after handshaking failed"
            ))
            .into()),
        }
    }
}

impl SocksClientHandshake {
    /// Construct a new [`SocksClientHandshake`] that will attempt to negotiate with a peer
    /// using `request`.
    pub fn new(request: SocksRequest) -> Self {
        SocksClientHandshake {
            request,
            state: State::Initial,
            reply: None,
        }
    }

    /// Consume this handshake's state; if it finished successfully, return the
    /// [`SocksReply`] that we got from the proxy.
    pub fn into_reply(self) -> Option<SocksReply> {
        self.reply
    }

    /// The SOCKS4 request. As 0.47: any target other than an IPv4 address goes as a SOCKS4a
    /// hostname (an IPv6 address as its text), and `0.0.0.x` goes raw.
    fn send_v4(&mut self) -> Step<ImplNextStep> {
        let userid: &[u8] = match self.request.auth() {
            SocksAuth::NoAuth => &[],
            SocksAuth::Socks4(s) => s,
            SocksAuth::Username(_, _) => {
                return Err(internal!("tried to send socks5 auth over socks4.").into());
            }
        };
        let command = Command(self.request.command().into());
        let port = self.request.port();
        let msg = match self.request.addr() {
            SocksAddr::Ip(IpAddr::V4(ip)) if sockswire::is_socks4a_marker(*ip) => {
                // sockswire will not write a 4a marker without a hostname; 0.47 does.
                let mut msg = vec![4, command.0];
                msg.extend_from_slice(&port.to_be_bytes());
                msg.extend_from_slice(&ip.octets());
                msg.extend_from_slice(userid);
                msg.push(0);
                msg
            }
            SocksAddr::Ip(IpAddr::V4(ip)) => encode_vec(&Socks4Request {
                command,
                port,
                ip: *ip,
                userid,
                hostname: None,
            })?,
            other => {
                let name = other.to_string();
                encode_vec(&Socks4Request {
                    command,
                    port,
                    ip: Ipv4Addr::new(0, 0, 0, 1),
                    userid,
                    hostname: Some(name.as_bytes()),
                })?
            }
        };
        self.state = State::Socks4Wait;
        Ok(ImplNextStep::Reply(msg))
    }

    /// The SOCKS4 reply (`VN` must be 0).
    fn handle_v4(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        if f.u8()? != 0 {
            return Err(Error::Syntax.into());
        }
        f.u8()?;
        f.u16()?;
        f.take(4)?;
        let reply = parsed(parse_socks4_reply(f.framed()))?;
        self.state = State::Done;
        self.reply = Some(SocksReply::new(
            SocksStatus::from_socks4_status(reply.status.0),
            SocksAddr::Ip(reply.ip.into()),
            reply.port,
        ));
        Ok(ImplNextStep::Finished)
    }

    /// The SOCKS5 greeting: `[00]`, or `[02, 00]` with a username and password.
    fn send_v5_initial(&mut self) -> Step<ImplNextStep> {
        let methods: &[u8] = match self.request.auth() {
            SocksAuth::NoAuth => &[NO_AUTHENTICATION],
            SocksAuth::Socks4(_) => return Err(internal!("Mismatched authentication type").into()),
            SocksAuth::Username(_, _) => &[USERNAME_PASSWORD, NO_AUTHENTICATION],
        };
        let msg = encode_vec(&Socks5Greeting { methods })?;
        self.state = State::Socks5AuthWait;
        Ok(ImplNextStep::Reply(msg))
    }

    /// The method choice; answered with the credentials or the request.
    fn handle_v5_auth(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        if f.u8()? != 5 {
            return Err(Error::Syntax.into());
        }
        f.u8()?;
        let choice = parsed(parse_socks5_method_choice(f.framed()))?;
        let (msg, next_state) = match choice.method.0 {
            USERNAME_PASSWORD => (self.generate_v5_username_auth()?, State::Socks5UsernameWait),
            NO_AUTHENTICATION => (self.generate_v5_command()?, State::Socks5Wait),
            other => {
                return Err(
                    Error::NotImplemented(format!("authentication type {}", other).into()).into(),
                );
            }
        };
        self.state = next_state;
        Ok(ImplNextStep::Reply(msg))
    }

    /// The RFC 1929 request (only if we asked for it).
    fn generate_v5_username_auth(&self) -> Result<Vec<u8>> {
        if let SocksAuth::Username(username, password) = self.request.auth() {
            Ok(encode_vec(&UserPassRequest { username, password })?)
        } else {
            Err(Error::Syntax)
        }
    }

    /// The RFC 1929 status.
    fn handle_v5_username_ack(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        if f.u8()? != 1 {
            return Err(Error::Syntax.into());
        }
        if f.u8()? != 0 {
            return Err(Error::AuthRejected.into());
        }
        parsed(parse_userpass_reply(f.framed()))?;
        self.state = State::Socks5Wait;
        Ok(ImplNextStep::Reply(self.generate_v5_command()?))
    }

    /// The SOCKS5 request.
    fn generate_v5_command(&self) -> Result<Vec<u8>> {
        Ok(encode_vec(&Socks5Request {
            command: Command(self.request.command().into()),
            reserved: 0,
            addr: wire_addr(self.request.addr()),
            port: self.request.port(),
        })?)
    }

    /// The final SOCKS5 reply.
    fn handle_v5_final(&mut self, f: &mut Frame<'_>) -> Step<ImplNextStep> {
        if f.u8()? != 5 {
            return Err(Error::Syntax.into());
        }
        f.u8()?;
        f.u8()?;
        f.socks5_addr()?;
        f.u16()?;
        let reply = parsed(parse_socks5_reply(f.framed()))?;
        let addr = own_addr(reply.addr)?;
        self.state = State::Done;
        self.reply = Some(SocksReply::new(reply.reply.0.into(), addr, reply.port));
        Ok(ImplNextStep::Finished)
    }
}
