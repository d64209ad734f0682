//! Generators of SOCKS peer inputs for the differential tests: fields, whole messages,
//! proxy-side inputs (valid, structured, border, mutated) and client-side request specs with
//! server streams.

#![allow(dead_code)]

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use sockswire as sw;
use tor_socksproto as tor;

use super::generator::Rng;
use super::owned::*;

pub const CONNECT: u8 = 0x01;
pub const BIND: u8 = 0x02;
pub const UDP_ASSOCIATE: u8 = 0x03;
pub const RESOLVE: u8 = 0xF0;
pub const RESOLVE_PTR: u8 = 0xF1;
pub const TOR_COMMANDS: [u8; 3] = [CONNECT, RESOLVE, RESOLVE_PTR];

pub fn pick<T: Copy>(rng: &mut Rng, items: &[T]) -> T {
    items[rng.below(items.len())]
}

pub fn chance(rng: &mut Rng, percent: usize) -> bool {
    rng.below(100) < percent
}

pub fn gen_command(rng: &mut Rng) -> u8 {
    match rng.below(20) {
        0..=7 => CONNECT,
        8..=10 => RESOLVE,
        11..=13 => RESOLVE_PTR,
        14 => BIND,
        15 => UDP_ASSOCIATE,
        _ => rng.byte(),
    }
}

pub fn gen_port(rng: &mut Rng) -> u16 {
    match rng.below(12) {
        0 => 0,
        1 => 1,
        2 => u16::MAX,
        _ => rng.next_u64() as u16,
    }
}

/// A port tor's `SocksRequest::new` accepts for `cmd`.
pub fn valid_port(rng: &mut Rng, cmd: u8) -> u16 {
    let p = gen_port(rng);
    if p == 0 && cmd == CONNECT { 443 } else { p }
}

/// A SOCKS4 `DSTIP` that is not a SOCKS4a marker (0.0.0.0 included).
pub fn gen_v4_ip(rng: &mut Rng) -> [u8; 4] {
    match rng.below(12) {
        0 => [0, 0, 0, 0],
        1 => [0, 0, 1, 0],
        2 => [127, 0, 0, 1],
        _ => loop {
            let ip = (rng.next_u64() as u32).to_be_bytes();
            if !(ip[..3] == [0, 0, 0] && ip[3] != 0) {
                break ip;
            }
        },
    }
}

/// A SOCKS4a marker address 0.0.0.x, x ≠ 0.
pub fn gen_v4a_marker(rng: &mut Rng) -> [u8; 4] {
    [0, 0, 0, 1 + rng.below(255) as u8]
}

/// A length: often 0, small, or the maximum; otherwise anything up to `max`.
pub fn gen_len(rng: &mut Rng, max: usize) -> usize {
    match rng.below(10) {
        0 => 0,
        1 => max,
        2..=5 => rng.below(max.min(16) + 1),
        _ => rng.below(max + 1),
    }
}

pub const HOST_CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789.-_";
pub const UTF8_CHARS: [&str; 6] = ["a", "é", "€", "😀", ".", "Z"];

/// Text of exactly `len` bytes, of some flavour: hostname-like ASCII, multibyte UTF-8,
/// arbitrary non-NUL bytes, or (if `nul_ok`) arbitrary bytes.
pub fn gen_text(rng: &mut Rng, len: usize, nul_ok: bool) -> Vec<u8> {
    match rng.below(8) {
        0..=3 => (0..len).map(|_| pick(rng, HOST_CHARS)).collect(),
        4 | 5 => {
            let mut s = String::new();
            while s.len() < len {
                let c = pick(rng, &UTF8_CHARS);
                if s.len() + c.len() <= len {
                    s.push_str(c);
                } else {
                    s.push('a');
                }
            }
            s.into_bytes()
        }
        6 => (0..len).map(|_| rng.byte().max(1)).collect(),
        _ if nul_ok => rng.bytes(len),
        _ => (0..len).map(|_| rng.byte().max(1)).collect(),
    }
}

/// A SOCKS4 user-id length: mostly short, sometimes at the 1024-byte message limit.
pub fn gen_userid_len(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=34 => 0,
        35..=74 => 1 + rng.below(16),
        75..=97 => rng.below(300),
        _ => 1000 + rng.below(30),
    }
}

/// A SOCKS4a hostname length: mostly valid, sometimes around or far past 255.
pub fn gen_v4a_host_len(rng: &mut Rng) -> usize {
    match rng.below(100) {
        0..=84 => gen_len(rng, 255),
        85..=97 => 250 + rng.below(20),
        _ => 900 + rng.below(200),
    }
}

/// Hostname text both crates accept: UTF-8 without NUL.
pub fn gen_hostname(rng: &mut Rng, len: usize) -> Vec<u8> {
    loop {
        let t = gen_text(rng, len, false);
        if std::str::from_utf8(&t).is_ok() {
            return t;
        }
    }
}

pub fn gen_trailing(rng: &mut Rng) -> Vec<u8> {
    match rng.below(20) {
        0..=13 => Vec::new(),
        14..=18 => {
            let n = 1 + rng.below(20);
            rng.bytes(n)
        }
        _ => {
            let n = 900 + rng.below(300);
            rng.bytes(n)
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Message builders.

pub fn socks4(cmd: u8, port: u16, ip: [u8; 4], userid: &[u8], host: Option<&[u8]>) -> Vec<u8> {
    let mut m = vec![4, cmd];
    m.extend(port.to_be_bytes());
    m.extend(ip);
    m.extend(userid);
    m.push(0);
    if let Some(h) = host {
        m.extend(h);
        m.push(0);
    }
    m
}

pub fn greeting(methods: &[u8]) -> Vec<u8> {
    let mut m = vec![5, methods.len() as u8];
    m.extend(methods);
    m
}

pub fn userpass(ver: u8, user: &[u8], pass: &[u8]) -> Vec<u8> {
    let mut m = vec![ver, user.len() as u8];
    m.extend(user);
    m.push(pass.len() as u8);
    m.extend(pass);
    m
}

/// `ATYP ADDR` of an address.
pub fn v5_addr(a: &OwnedAddr) -> Vec<u8> {
    match a {
        OwnedAddr::Ip(IpAddr::V4(ip)) => [&[1][..], &ip.octets()].concat(),
        OwnedAddr::Ip(IpAddr::V6(ip)) => [&[4][..], &ip.octets()].concat(),
        OwnedAddr::Host(h) => [&[3, h.len() as u8][..], h].concat(),
    }
}

/// `VER CMD|REP RSV ATYP ADDR PORT` (request and reply share the layout).
pub fn socks5_msg(ver: u8, code: u8, rsv: u8, addr: &[u8], port: u16) -> Vec<u8> {
    let mut m = vec![ver, code, rsv];
    m.extend(addr);
    m.extend(port.to_be_bytes());
    m
}

/// A valid address, over SOCKS5: IPv4, IPv6 or a hostname.
pub fn gen_valid_addr(rng: &mut Rng) -> OwnedAddr {
    match rng.below(3) {
        0 => OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::from(rng.next_u64() as u32))),
        1 => OwnedAddr::Ip(IpAddr::V6(Ipv6Addr::from(
            u128::from(rng.next_u64()) << 64 | u128::from(rng.next_u64()),
        ))),
        _ => {
            let len = gen_len(rng, 255);
            OwnedAddr::Host(gen_hostname(rng, len))
        }
    }
}

/// `ATYP ADDR` with random field values: any ATYP, hostnames with any bytes.
pub fn gen_any_v5_addr(rng: &mut Rng) -> Vec<u8> {
    match rng.below(20) {
        0..=5 => [&[1][..], &rng.bytes(4)].concat(),
        6..=8 => [&[4][..], &rng.bytes(16)].concat(),
        9..=16 => {
            let len = gen_len(rng, 255);
            let name = gen_text(rng, len, true);
            [&[3, len as u8][..], &name].concat()
        }
        17 => [&[0][..], &rng.bytes(4)].concat(),
        _ => {
            let atyp = rng.byte();
            let n = rng.below(20);
            [&[atyp][..], &rng.bytes(n)].concat()
        }
    }
}

pub fn gen_methods(rng: &mut Rng) -> Vec<u8> {
    let n = match rng.below(20) {
        0 => 0,
        1 => 255,
        _ => 1 + rng.below(5),
    };
    (0..n)
        .map(|_| match rng.below(8) {
            0..=2 => 0,
            3..=4 => 2,
            5 => 1,
            6 => 0xFF,
            _ => rng.byte(),
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Proxy inputs.

/// A complete, valid client side of a handshake of a random kind, pipelined, maybe with
/// trailing data.
pub fn valid_proxy_input(rng: &mut Rng) -> Vec<u8> {
    let cmd = pick(rng, &TOR_COMMANDS);
    let port = valid_port(rng, cmd);
    let mut m = match rng.below(4) {
        0 => {
            let id_len = gen_userid_len(rng).min(900);
            let id = gen_text(rng, id_len, false);
            socks4(cmd, port, gen_v4_ip(rng), &id, None)
        }
        1 => {
            let id_len = gen_userid_len(rng).min(500);
            let id = gen_text(rng, id_len, false);
            let host_len = gen_len(rng, 255);
            let host = gen_hostname(rng, host_len);
            socks4(cmd, port, gen_v4a_marker(rng), &id, Some(&host))
        }
        2 => {
            let mut methods = vec![0];
            if chance(rng, 30) {
                methods.extend([0x01, 0x80, 0xFE, 0xFF, 0x00]);
                let n = 1 + rng.below(methods.len());
                methods.truncate(n);
                methods.rotate_left(rng.below(n));
            }
            let addr = gen_valid_addr(rng);
            [
                greeting(&methods),
                socks5_msg(5, cmd, 0, &v5_addr(&addr), port),
            ]
            .concat()
        }
        _ => {
            let methods: &[u8] = pick(rng, &[&[2][..], &[0, 2], &[2, 0], &[1, 2, 0x80]]);
            let user_len = gen_len(rng, 255);
            let user = gen_text(rng, user_len, true);
            let pass_len = gen_len(rng, 255);
            let pass = gen_text(rng, pass_len, true);
            let addr = gen_valid_addr(rng);
            [
                greeting(methods),
                userpass(1, &user, &pass),
                socks5_msg(5, cmd, 0, &v5_addr(&addr), port),
            ]
            .concat()
        }
    };
    m.extend(gen_trailing(rng));
    m
}

/// Random field values in well-framed messages: every command, ATYP, method list, length,
/// and now and then a message of the wrong kind.
pub fn structured_proxy_input(rng: &mut Rng) -> Vec<u8> {
    let mut m = match rng.below(20) {
        0..=7 => {
            let cmd = gen_command(rng);
            let port = gen_port(rng);
            let id_len = gen_userid_len(rng);
            let id = gen_text(rng, id_len, false);
            if chance(rng, 50) {
                let host_len = gen_v4a_host_len(rng);
                let host = gen_text(rng, host_len, false);
                socks4(cmd, port, gen_v4a_marker(rng), &id, Some(&host))
            } else {
                socks4(cmd, port, gen_v4_ip(rng), &id, None)
            }
        }
        8..=18 => {
            let methods = gen_methods(rng);
            let mut m = greeting(&methods);
            let offers_userpass = methods.contains(&2);
            if offers_userpass != chance(rng, 10) {
                let ver = if chance(rng, 90) { 1 } else { rng.byte() };
                let user_len = gen_len(rng, 255);
                let user = gen_text(rng, user_len, true);
                let pass_len = gen_len(rng, 255);
                let pass = gen_text(rng, pass_len, true);
                m.extend(userpass(ver, &user, &pass));
            }
            let ver = match rng.below(20) {
                0 => 4,
                1 => rng.byte(),
                _ => 5,
            };
            let rsv = if chance(rng, 80) { 0 } else { rng.byte() };
            let addr = gen_any_v5_addr(rng);
            m.extend(socks5_msg(ver, gen_command(rng), rsv, &addr, gen_port(rng)));
            m
        }
        _ => {
            let first = match rng.below(4) {
                0 => b'G',
                1 => 0,
                _ => rng.byte(),
            };
            let n = rng.below(30);
            [&[first][..], &rng.bytes(n)].concat()
        }
    };
    m.extend(gen_trailing(rng));
    m
}

/// Inputs at the size limits: SOCKS4 user-ids and SOCKS4a hostnames around their limits
/// (with and without the NUL), and a maximal pipelined SOCKS5 exchange (257 + 513 + 262
/// bytes, more than the 1024-byte buffer holds at once).
pub fn border_proxy_input(rng: &mut Rng) -> Vec<u8> {
    let cmd = pick(rng, &TOR_COMMANDS);
    let port = valid_port(rng, cmd);
    let mut m = match rng.below(3) {
        0 => {
            let id_len = 1005 + rng.below(20);
            let id = gen_text(rng, id_len, false);
            let mut m = socks4(cmd, port, gen_v4_ip(rng), &id, None);
            if chance(rng, 30) {
                m.pop();
            }
            m
        }
        1 => {
            let id_len = pick(rng, &[0, 1, 500, 700, 760, 765, 770, 1000]);
            let id = gen_text(rng, id_len, false);
            let host_len = pick(rng, &[254, 255, 256, 257, 300, 1000]);
            let host = gen_text(rng, host_len, false);
            let mut m = socks4(cmd, port, gen_v4a_marker(rng), &id, Some(&host));
            if chance(rng, 30) {
                m.pop();
            }
            m
        }
        _ => {
            let mut methods: Vec<u8> = (0..255).map(|_| rng.byte()).collect();
            let at = rng.below(255);
            methods[at] = 2;
            let user = gen_text(rng, 255, true);
            let pass = gen_text(rng, 255, true);
            let host = gen_hostname(rng, 255);
            [
                greeting(&methods),
                userpass(1, &user, &pass),
                socks5_msg(5, cmd, 0, &v5_addr(&OwnedAddr::Host(host)), port),
            ]
            .concat()
        }
    };
    if chance(rng, 30) {
        let n = 1 + rng.below(400);
        m.extend(rng.bytes(n));
    }
    m
}

/// A valid input after a few random edits.
pub fn mutated_proxy_input(rng: &mut Rng) -> Vec<u8> {
    let mut m = valid_proxy_input(rng);
    for _ in 0..1 + rng.below(4) {
        rng.mutate(&mut m);
    }
    m
}

/// A request valid for tor's `SocksRequest::new`.
#[derive(Clone, Debug)]
pub struct Spec {
    pub version: u8,
    pub cmd: u8,
    pub addr: OwnedAddr,
    pub port: u16,
    pub auth: OwnedAuth,
}

impl Spec {
    pub fn ours(&self) -> Result<sw::SocksRequest<'_>, sw::Error> {
        sw::SocksRequest::new(
            sw_version(self.version),
            sw::SocksCmd::from(self.cmd),
            sw_addr(&self.addr),
            self.port,
            sw_auth(&self.auth),
        )
    }

    pub fn tors(&self) -> Result<tor::SocksRequest, tor::Error> {
        tor::SocksRequest::new(
            tor_version(self.version),
            tor::SocksCmd::from(self.cmd),
            tor_addr(&self.addr),
            self.port,
            tor_auth(&self.auth),
        )
    }

    /// A one-line description, with long fields abbreviated.
    pub fn describe(&self) -> String {
        let bytes = |b: &[u8]| {
            if b.len() > 24 {
                format!("{}.. ({} bytes)", hex(&b[..24]), b.len())
            } else {
                format!("{} ({} bytes)", hex(b), b.len())
            }
        };
        let addr = match &self.addr {
            OwnedAddr::Ip(ip) => ip.to_string(),
            OwnedAddr::Host(h) => format!("hostname {}", bytes(h)),
        };
        let auth = match &self.auth {
            OwnedAuth::None => "no auth".to_string(),
            OwnedAuth::Socks4(id) => format!("user-id {}", bytes(id)),
            OwnedAuth::UserPass(u, p) => format!("username {} password {}", bytes(u), bytes(p)),
        };
        format!(
            "SOCKS{} cmd {:#04x} {addr} port {} {auth}",
            self.version, self.cmd, self.port
        )
    }

    /// Where the final SOCKS5 reply starts in a server stream: after the method choice and,
    /// if username/password was chosen, its status.
    pub fn v5_reply_offset(&self, server: &[u8]) -> usize {
        if server.get(1) == Some(&2) { 4 } else { 2 }
    }

    /// SOCKS4 cannot carry it without turning it into text or misframing it.
    pub fn unrepresentable_over_socks4(&self) -> bool {
        self.version == 4
            && match self.addr {
                OwnedAddr::Ip(IpAddr::V6(_)) => true,
                OwnedAddr::Ip(IpAddr::V4(ip)) => {
                    let [a, b, c, d] = ip.octets();
                    [a, b, c] == [0, 0, 0] && d != 0
                }
                OwnedAddr::Host(_) => false,
            }
    }
}

pub fn gen_spec(rng: &mut Rng) -> Spec {
    let version = if chance(rng, 50) { 4 } else { 5 };
    let cmd = pick(rng, &TOR_COMMANDS);
    let port = valid_port(rng, cmd);
    let addr = match rng.below(20) {
        0 => OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::from(gen_v4a_marker(rng)))),
        1 => OwnedAddr::Ip(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
        _ => gen_valid_addr(rng),
    };
    let auth = match (version, rng.below(2)) {
        (_, 0) => OwnedAuth::None,
        (4, _) => {
            let len = match rng.below(50) {
                0 => 900 + rng.below(200),
                _ => gen_len(rng, 64),
            };
            OwnedAuth::Socks4(gen_text(rng, len, false))
        }
        _ => {
            let user_len = gen_len(rng, 255);
            let pass_len = gen_len(rng, 255);
            OwnedAuth::UserPass(gen_text(rng, user_len, true), gen_text(rng, pass_len, true))
        }
    };
    Spec {
        version,
        cmd,
        addr,
        port,
        auth,
    }
}

/// A proxy's side of the handshake for `spec`: mostly what a proxy would send, with random
/// codes, versions and addresses now and then, maybe with trailing data.
pub fn gen_server(rng: &mut Rng, spec: &Spec) -> Vec<u8> {
    let mut s = Vec::new();
    if spec.version == 4 {
        let vn = match rng.below(20) {
            0 | 1 => 4,
            2 => rng.byte(),
            _ => 0,
        };
        let cd = match rng.below(10) {
            0..=4 => 0x5A,
            5 | 6 => 0x5B,
            7 => 0x5C,
            8 => 0x5D,
            _ => rng.byte(),
        };
        s.extend([vn, cd]);
        s.extend(rng.bytes(6));
    } else {
        let userpass = matches!(spec.auth, OwnedAuth::UserPass(..));
        let ver = if chance(rng, 95) { 5 } else { rng.byte() };
        let method = match rng.below(20) {
            0 => 0xFF,
            1 => rng.byte(),
            2 => 2,
            3 | 4 => 0,
            _ if userpass => 2,
            _ => 0,
        };
        s.extend([ver, method]);
        if method == 2 {
            let ver = if chance(rng, 95) { 1 } else { rng.byte() };
            let status = if chance(rng, 85) { 0 } else { rng.byte() };
            s.extend([ver, status]);
        }
        let ver = if chance(rng, 95) { 5 } else { rng.byte() };
        let rep = match rng.below(10) {
            0..=5 => 0,
            6 => 0xF0 + rng.below(8) as u8,
            _ => rng.byte(),
        };
        let rsv = if chance(rng, 85) { 0 } else { rng.byte() };
        let addr = if chance(rng, 70) {
            v5_addr(&gen_valid_addr(rng))
        } else {
            gen_any_v5_addr(rng)
        };
        s.extend(socks5_msg(ver, rep, rsv, &addr, rng.next_u64() as u16));
    }
    if chance(rng, 30) {
        let n = 1 + rng.below(12);
        s.extend(rng.bytes(n));
    }
    s
}
