//! Comparable owned forms of sockswire's and tor-socksproto's handshake outputs, and the
//! conversions between them (the differential tests compare these).

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sockswire as sw;
use tor_socksproto as tor;

use std::fmt::Write as _;
use std::sync::LazyLock;

/// Statuses every finished request is answered with: SUCCEEDED, GENERAL_FAILURE, HS_BAD_ADDRESS.
pub const STATUSES: [u8; 3] = [0x00, 0x01, 0xF6];

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnedAddr {
    Ip(IpAddr),
    Host(Vec<u8>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OwnedAuth {
    None,
    Socks4(Vec<u8>),
    UserPass(Vec<u8>, Vec<u8>),
}

/// A request's fields, and its reply bytes for every status in [`STATUSES`] and address in
/// [`reply_addrs`] (`None` where encoding failed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedReq {
    pub version: u8,
    pub command: u8,
    pub addr: OwnedAddr,
    pub port: u16,
    pub auth: OwnedAuth,
    pub replies: Vec<Option<Vec<u8>>>,
}

/// A client's view of the proxy's final reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnedReply {
    pub status: u8,
    pub addr: OwnedAddr,
    pub port: u16,
}

/// Outputs the comparison can name a differing field of.
pub trait Output: PartialEq {
    /// The first differing field, with both values.
    fn diff(&self, theirs: &Self) -> Option<(String, String)>;
}

impl Output for OwnedReq {
    fn diff(&self, theirs: &Self) -> Option<(String, String)> {
        let fields = [
            (
                "version",
                format!("{}", self.version),
                format!("{}", theirs.version),
            ),
            (
                "command",
                format!("{:#04x}", self.command),
                format!("{:#04x}", theirs.command),
            ),
            (
                "addr",
                format!("{:?}", self.addr),
                format!("{:?}", theirs.addr),
            ),
            ("port", format!("{}", self.port), format!("{}", theirs.port)),
            (
                "auth",
                format!("{:?}", self.auth),
                format!("{:?}", theirs.auth),
            ),
        ];
        for (name, ours, tors) in fields {
            if ours != tors {
                return Some((name.to_string(), format!("ours {ours}, tor {tors}")));
            }
        }
        let addrs = reply_addrs();
        let cases = STATUSES
            .iter()
            .flat_map(|s| addrs.iter().map(move |a| (*s, a)));
        for ((i, (status, addr)), (ours, tors)) in cases
            .enumerate()
            .zip(self.replies.iter().zip(&theirs.replies))
        {
            if ours != tors {
                return Some((
                    format!("reply #{i}"),
                    format!(
                        "reply({status:#04x}, {addr:?}): ours {}, tor {}",
                        hex_opt(ours),
                        hex_opt(tors)
                    ),
                ));
            }
        }
        None
    }
}

impl Output for OwnedReply {
    fn diff(&self, theirs: &Self) -> Option<(String, String)> {
        (self != theirs).then(|| {
            (
                "reply".to_string(),
                format!("ours {self:?}, tor {theirs:?}"),
            )
        })
    }
}

pub fn hex(b: &[u8]) -> String {
    b.iter().fold(String::new(), |mut s, x| {
        let _ = write!(s, "{x:02x}");
        s
    })
}

pub fn hex_opt(b: &Option<Vec<u8>>) -> String {
    b.as_deref().map_or_else(|| "encode error".to_string(), hex)
}

pub fn reply_addrs() -> &'static [Option<OwnedAddr>] {
    static ADDRS: LazyLock<Vec<Option<OwnedAddr>>> = LazyLock::new(|| {
        vec![
            None,
            Some(OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::new(198, 51, 100, 7)))),
            Some(OwnedAddr::Ip(IpAddr::V6(Ipv6Addr::new(
                0x2001, 0xdb8, 0, 0, 0, 0, 0, 1,
            )))),
            Some(OwnedAddr::Host(b"example.com".to_vec())),
            Some(OwnedAddr::Host(Vec::new())),
            Some(OwnedAddr::Host(vec![b'x'; 255])),
        ]
    });
    &ADDRS
}

pub fn sw_version_byte(v: sw::SocksVersion) -> u8 {
    match v {
        sw::SocksVersion::V4 => 4,
        sw::SocksVersion::V5 => 5,
        _ => 0,
    }
}

pub fn tor_version_byte(v: tor::SocksVersion) -> u8 {
    match v {
        tor::SocksVersion::V4 => 4,
        tor::SocksVersion::V5 => 5,
        _ => 0,
    }
}

pub fn sw_version(v: u8) -> sw::SocksVersion {
    if v == 4 {
        sw::SocksVersion::V4
    } else {
        sw::SocksVersion::V5
    }
}

pub fn tor_version(v: u8) -> tor::SocksVersion {
    if v == 4 {
        tor::SocksVersion::V4
    } else {
        tor::SocksVersion::V5
    }
}

pub fn own_sw_addr(a: &sw::SocksAddr<'_>) -> OwnedAddr {
    match a {
        sw::SocksAddr::Ip(ip) => OwnedAddr::Ip(*ip),
        sw::SocksAddr::Hostname(h) => OwnedAddr::Host(h.as_str().as_bytes().to_vec()),
    }
}

pub fn own_tor_addr(a: &tor::SocksAddr) -> OwnedAddr {
    match a {
        tor::SocksAddr::Ip(ip) => OwnedAddr::Ip(*ip),
        tor::SocksAddr::Hostname(h) => OwnedAddr::Host(h.as_ref().as_bytes().to_vec()),
    }
}

/// Ours, for an address both crates can represent.
pub fn sw_addr(a: &OwnedAddr) -> sw::SocksAddr<'_> {
    match a {
        OwnedAddr::Ip(ip) => sw::SocksAddr::Ip(*ip),
        OwnedAddr::Host(h) => sw::SocksAddr::Hostname(
            sw::SocksHostname::from_bytes(h).expect("a representable hostname"),
        ),
    }
}

/// Tor's, for an address both crates can represent.
pub fn tor_addr(a: &OwnedAddr) -> tor::SocksAddr {
    match a {
        OwnedAddr::Ip(ip) => tor::SocksAddr::Ip(*ip),
        OwnedAddr::Host(h) => tor::SocksAddr::Hostname(
            String::from_utf8(h.clone())
                .expect("UTF-8")
                .try_into()
                .expect("a representable hostname"),
        ),
    }
}

pub fn sw_auth(a: &OwnedAuth) -> sw::SocksAuth<'_> {
    match a {
        OwnedAuth::None => sw::SocksAuth::NoAuth,
        OwnedAuth::Socks4(id) => sw::SocksAuth::Socks4(id),
        OwnedAuth::UserPass(u, p) => sw::SocksAuth::Username(u, p),
    }
}

pub fn tor_auth(a: &OwnedAuth) -> tor::SocksAuth {
    match a {
        OwnedAuth::None => tor::SocksAuth::NoAuth,
        OwnedAuth::Socks4(id) => tor::SocksAuth::Socks4(id.clone()),
        OwnedAuth::UserPass(u, p) => tor::SocksAuth::Username(u.clone(), p.clone()),
    }
}

pub fn own_sw_req(r: &sw::SocksRequest<'_>) -> OwnedReq {
    let mut replies = Vec::new();
    for status in STATUSES {
        for addr in reply_addrs() {
            let addr = addr.as_ref().map(sw_addr);
            replies.push(
                r.reply(sw::SocksStatus::from(status), addr.as_ref())
                    .ok()
                    .map(|b| b.to_vec()),
            );
        }
    }
    OwnedReq {
        version: sw_version_byte(r.version()),
        command: r.command().0,
        addr: own_sw_addr(r.addr()),
        port: r.port(),
        auth: match *r.auth() {
            sw::SocksAuth::NoAuth => OwnedAuth::None,
            sw::SocksAuth::Socks4(id) => OwnedAuth::Socks4(id.to_vec()),
            sw::SocksAuth::Username(u, p) => OwnedAuth::UserPass(u.to_vec(), p.to_vec()),
            other => panic!("unexpected auth {other:?}"),
        },
        replies,
    }
}

pub fn own_tor_req(r: &tor::SocksRequest) -> OwnedReq {
    let mut replies = Vec::new();
    for status in STATUSES {
        for addr in reply_addrs() {
            let addr = addr.as_ref().map(tor_addr);
            replies.push(r.reply(tor::SocksStatus::from(status), addr.as_ref()).ok());
        }
    }
    OwnedReq {
        version: tor_version_byte(r.version()),
        command: r.command().into(),
        addr: own_tor_addr(r.addr()),
        port: r.port(),
        auth: match r.auth() {
            tor::SocksAuth::NoAuth => OwnedAuth::None,
            tor::SocksAuth::Socks4(id) => OwnedAuth::Socks4(id.clone()),
            tor::SocksAuth::Username(u, p) => OwnedAuth::UserPass(u.clone(), p.clone()),
            other => panic!("unexpected auth {other:?}"),
        },
        replies,
    }
}

pub fn own_sw_reply(r: &sw::SocksReply<'_>) -> OwnedReply {
    OwnedReply {
        status: r.status().0,
        addr: own_sw_addr(r.addr()),
        port: r.port(),
    }
}

pub fn own_tor_reply(r: &tor::SocksReply) -> OwnedReply {
    OwnedReply {
        status: r.status().into(),
        addr: own_tor_addr(r.addr()),
        port: r.port(),
    }
}
