//! The floor: the same decisions written the shortest way in safe Rust. Borrowed, no
//! allocation, no error detail (`None` stands for both "need more" and "invalid"), no exact
//! `Needed` counts, no limits beyond the wire's own, no policy knobs: a lower bound for what
//! a parser or handshake over the same bytes can cost, not something to ship.

#![allow(dead_code)]

use std::hint::black_box;

use crate::drive::{Decision, ipv4_bits, ipv6_bits};

/// An address as the floor sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addr<'a> {
    V4([u8; 4]),
    Domain(&'a [u8]),
    V6([u8; 16]),
    /// C Tor's `ATYP` 0 in replies.
    Zero([u8; 4]),
}

impl Addr<'_> {
    /// (hostname length, IP bits) as in [`Decision`].
    #[inline]
    pub fn summary(&self) -> (usize, u128) {
        match *self {
            Addr::V4(o) | Addr::Zero(o) => (0, ipv4_bits(o)),
            Addr::Domain(name) => (name.len(), 0),
            Addr::V6(o) => (0, ipv6_bits(o)),
        }
    }
}

/// `ATYP ADDR PORT` after `ATYP`: the address, port and bytes taken after `ATYP`.
#[inline]
fn addr_port(atyp: u8, rest: &[u8], allow_zero: bool) -> Option<(Addr<'_>, u16, usize)> {
    match atyp {
        1 => {
            let (a, rest) = rest.split_first_chunk::<4>()?;
            let (p, _) = rest.split_first_chunk::<2>()?;
            Some((Addr::V4(*a), u16::from_be_bytes(*p), 6))
        }
        3 => {
            let (&len, rest) = rest.split_first()?;
            let len = usize::from(len);
            let (name, rest) = rest.split_at_checked(len)?;
            let (p, _) = rest.split_first_chunk::<2>()?;
            Some((Addr::Domain(name), u16::from_be_bytes(*p), 1 + len + 2))
        }
        4 => {
            let (a, rest) = rest.split_first_chunk::<16>()?;
            let (p, _) = rest.split_first_chunk::<2>()?;
            Some((Addr::V6(*a), u16::from_be_bytes(*p), 18))
        }
        0 if allow_zero => {
            let (a, rest) = rest.split_first_chunk::<4>()?;
            let (p, _) = rest.split_first_chunk::<2>()?;
            Some((Addr::Zero(*a), u16::from_be_bytes(*p), 6))
        }
        _ => None,
    }
}

/// A SOCKS5 request or reply: `05 CODE RSV ATYP ADDR PORT`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Frame<'a> {
    pub code: u8,
    pub rsv: u8,
    pub addr: Addr<'a>,
    pub port: u16,
}

#[inline]
fn frame(b: &[u8], allow_zero: bool) -> Option<(Frame<'_>, usize)> {
    let (&[ver, code, rsv, atyp], rest) = b.split_first_chunk::<4>()?;
    if ver != 5 {
        return None;
    }
    let (addr, port, n) = addr_port(atyp, rest, allow_zero)?;
    Some((
        Frame {
            code,
            rsv,
            addr,
            port,
        },
        4 + n,
    ))
}

/// A SOCKS5 request and its length.
#[inline]
pub fn socks5_request(b: &[u8]) -> Option<(Frame<'_>, usize)> {
    frame(b, false)
}

/// A SOCKS5 reply and its length.
#[inline]
pub fn socks5_reply(b: &[u8]) -> Option<(Frame<'_>, usize)> {
    frame(b, true)
}

/// A SOCKS5 greeting's methods and its length.
#[inline]
pub fn socks5_greeting(b: &[u8]) -> Option<(&[u8], usize)> {
    let (&[ver, n], rest) = b.split_first_chunk::<2>()?;
    if ver != 5 {
        return None;
    }
    let methods = rest.get(..usize::from(n))?;
    Some((methods, 2 + methods.len()))
}

/// An RFC 1929 request's username, password and length.
#[inline]
pub fn userpass_request(b: &[u8]) -> Option<(&[u8], &[u8], usize)> {
    let (&[ver, ulen], rest) = b.split_first_chunk::<2>()?;
    if ver != 1 {
        return None;
    }
    let (user, rest) = rest.split_at_checked(usize::from(ulen))?;
    let (&plen, rest) = rest.split_first()?;
    let pass = rest.get(..usize::from(plen))?;
    Some((user, pass, 3 + user.len() + pass.len()))
}

/// A SOCKS4/4a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Socks4<'a> {
    pub cmd: u8,
    pub port: u16,
    pub ip: [u8; 4],
    pub userid: &'a [u8],
    pub host: Option<&'a [u8]>,
}

#[inline]
fn is_socks4a([a, b, c, d]: [u8; 4]) -> bool {
    a == 0 && b == 0 && c == 0 && d != 0
}

/// A SOCKS4/4a request and its length.
#[inline]
pub fn socks4_request(b: &[u8]) -> Option<(Socks4<'_>, usize)> {
    let (&[ver, cmd, p0, p1, a, b2, c, d], rest) = b.split_first_chunk::<8>()?;
    if ver != 4 {
        return None;
    }
    let ip = [a, b2, c, d];
    let u = rest.iter().position(|&x| x == 0)?;
    let (userid, rest) = rest.split_at(u);
    let mut len = 8 + u + 1;
    let host = if is_socks4a(ip) {
        let rest = &rest[1..];
        let h = rest.iter().position(|&x| x == 0)?;
        len += h + 1;
        Some(&rest[..h])
    } else {
        None
    };
    Some((
        Socks4 {
            cmd,
            port: u16::from_be_bytes([p0, p1]),
            ip,
            userid,
            host,
        },
        len,
    ))
}

/// A UDP header: (`RSV`, `FRAG`, address, port) and its length; the payload follows.
#[inline]
pub fn socks5_udp_header(b: &[u8]) -> Option<(u16, u8, Addr<'_>, u16, usize)> {
    let (&[r0, r1, frag, atyp], rest) = b.split_first_chunk::<4>()?;
    let (addr, port, n) = addr_port(atyp, rest, false)?;
    Some((u16::from_be_bytes([r0, r1]), frag, addr, port, 4 + n))
}

/// Writes a SOCKS5 request or reply frame; `None` if `out` is too small.
#[inline]
pub fn encode_frame(out: &mut [u8], code: u8, addr: &Addr<'_>, port: u16) -> Option<usize> {
    let (head, rest) = out.split_first_chunk_mut::<4>()?;
    let n = match *addr {
        Addr::V4(o) | Addr::Zero(o) => {
            let atyp = if matches!(addr, Addr::V4(_)) { 1 } else { 0 };
            *head = [5, code, 0, atyp];
            let (a, _) = rest.split_first_chunk_mut::<4>()?;
            *a = o;
            4
        }
        Addr::Domain(name) => {
            *head = [5, code, 0, 3];
            let dst = rest.get_mut(..1 + name.len())?;
            dst[0] = name.len() as u8;
            dst[1..].copy_from_slice(name);
            1 + name.len()
        }
        Addr::V6(o) => {
            *head = [5, code, 0, 4];
            let (a, _) = rest.split_first_chunk_mut::<16>()?;
            *a = o;
            16
        }
    };
    let (p, _) = rest.get_mut(n..)?.split_first_chunk_mut::<2>()?;
    *p = port.to_be_bytes();
    Some(4 + n + 2)
}

/// Writes a greeting.
#[inline]
pub fn encode_greeting(out: &mut [u8], methods: &[u8]) -> Option<usize> {
    let dst = out.get_mut(..2 + methods.len())?;
    dst[0] = 5;
    dst[1] = methods.len() as u8;
    dst[2..].copy_from_slice(methods);
    Some(dst.len())
}

/// Writes an RFC 1929 request.
#[inline]
pub fn encode_userpass(out: &mut [u8], user: &[u8], pass: &[u8]) -> Option<usize> {
    let len = 3 + user.len() + pass.len();
    let dst = out.get_mut(..len)?;
    dst[0] = 1;
    dst[1] = user.len() as u8;
    dst[2..2 + user.len()].copy_from_slice(user);
    dst[2 + user.len()] = pass.len() as u8;
    dst[3 + user.len()..].copy_from_slice(pass);
    Some(len)
}

/// Writes a SOCKS4/4a request. Always inlined: with the SOCKS4a client as a second caller
/// LLVM would stop inlining it into the encoder's own case (97 -> 118 instructions).
#[inline(always)]
pub fn encode_socks4(out: &mut [u8], r: &Socks4<'_>) -> Option<usize> {
    let host_len = r.host.map_or(0, |h| h.len() + 1);
    let len = 8 + r.userid.len() + 1 + host_len;
    let dst = out.get_mut(..len)?;
    let [p0, p1] = r.port.to_be_bytes();
    let [a, b, c, d] = r.ip;
    dst[..8].copy_from_slice(&[4, r.cmd, p0, p1, a, b, c, d]);
    let u = 8 + r.userid.len();
    dst[8..u].copy_from_slice(r.userid);
    dst[u] = 0;
    if let Some(h) = r.host {
        dst[u + 1..u + 1 + h.len()].copy_from_slice(h);
        dst[len - 1] = 0;
    }
    Some(len)
}

/// Writes a UDP header.
#[inline]
pub fn encode_udp_header(out: &mut [u8], frag: u8, addr: &Addr<'_>, port: u16) -> Option<usize> {
    // A frame with its first three bytes (`05 CODE RSV`) replaced by `RSV RSV FRAG`.
    let n = encode_frame(out, 0, addr, port)?;
    let (head, _) = out.split_first_chunk_mut::<3>()?;
    *head = [0, 0, frag];
    Some(n)
}

/// Received bytes of a floor handshake: everything at the first read (eager), or exactly up
/// to the end of the next part (precise), copied from `input` into `buf` as a socket read
/// would.
pub struct Feed<'b, 'i, const PRECISE: bool> {
    buf: &'b mut [u8],
    filled: usize,
    input: &'i [u8],
}

impl<'b, 'i, const PRECISE: bool> Feed<'b, 'i, PRECISE> {
    #[inline]
    pub fn new(buf: &'b mut [u8], input: &'i [u8]) -> Self {
        Feed {
            buf,
            filled: 0,
            input,
        }
    }

    /// Makes sure `buf[..end]` is received.
    #[inline]
    pub fn upto(&mut self, end: usize) -> Option<()> {
        if end <= self.filled {
            return Some(());
        }
        let n = if PRECISE {
            end - self.filled
        } else {
            self.input.len().min(self.buf.len() - self.filled)
        };
        let (src, rest) = self.input.split_at_checked(n)?;
        self.buf
            .get_mut(self.filled..self.filled + n)?
            .copy_from_slice(src);
        self.input = rest;
        self.filled += n;
        (end <= self.filled).then_some(())
    }

    /// The byte at `i` (received).
    #[inline]
    pub fn byte(&self, i: usize) -> u8 {
        self.buf[i]
    }

    /// Received bytes from `start`.
    #[inline]
    pub fn from(&self, start: usize) -> &[u8] {
        &self.buf[start..self.filled]
    }

    /// Receives up to a NUL at or after `start` and returns its index: one byte at a time
    /// when precise, as a NUL-terminated field allows nothing better.
    #[inline]
    pub fn until_nul(&mut self, start: usize) -> Option<usize> {
        if PRECISE {
            let mut i = start;
            loop {
                self.upto(i + 1)?;
                if self.buf[i] == 0 {
                    return Some(i);
                }
                i += 1;
            }
        } else {
            self.upto(start + 1)?;
            self.from(start)
                .iter()
                .position(|&b| b == 0)
                .map(|i| start + i)
        }
    }
}

/// The commands tor-socksproto and sockswire's `Arti` profile serve.
#[inline]
fn served(cmd: u8) -> bool {
    matches!(cmd, 1 | 0xF0 | 0xF1)
}

/// A hostname Tor accepts: UTF-8 without NUL (at most 255 bytes, which every wire length is).
/// Names are ASCII in practice: one pass checks "1 to 0x7F" for every byte, eight bytes at a
/// time as sockswire does since 3 December (so the floor stays below it), and only other
/// names pay for the full UTF-8 check.
#[inline]
pub fn hostname_ok(name: &[u8]) -> bool {
    plain_ascii(name) || (!name.contains(&0) && std::str::from_utf8(name).is_ok())
}

/// Every byte 0x01-0x7F: `x | (x - 0x01..01)` has no high bit set in any word (the first and
/// last eight bytes, and the whole words between), byte by byte under eight bytes.
#[inline]
fn plain_ascii(name: &[u8]) -> bool {
    const ONES: u64 = u64::from_le_bytes([1; 8]);
    const HIGHS: u64 = u64::from_le_bytes([0x80; 8]);
    let bad = |w: &[u8; 8]| {
        let x = u64::from_le_bytes(*w);
        x | x.wrapping_sub(ONES)
    };
    let (Some(first), Some(last)) = (name.first_chunk::<8>(), name.last_chunk::<8>()) else {
        return name.iter().all(|&b| b.wrapping_sub(1) < 0x7F);
    };
    let mut acc = bad(first) | bad(last);
    if name.len() > 16 {
        for w in name[8..].chunks_exact(8) {
            acc |= w.first_chunk::<8>().map_or(HIGHS, bad);
        }
    }
    acc & HIGHS == 0
}

/// Bytes a SOCKS5 request or reply needs in all, given its first five bytes.
#[inline]
fn frame_len(atyp: u8, fifth: u8, allow_zero: bool) -> Option<usize> {
    match atyp {
        1 => Some(10),
        0 if allow_zero => Some(10),
        3 => Some(7 + usize::from(fifth)),
        4 => Some(22),
        _ => None,
    }
}

/// The proxy side: SOCKS4/4a, or SOCKS5 with no-auth or username/password (preferred, as in
/// Tor), then the request. `n` in the decision is the bytes sent.
#[inline]
pub fn proxy<const PRECISE: bool>(buf: &mut [u8], input: &[u8]) -> Option<Decision> {
    let mut f = Feed::<PRECISE>::new(buf, input);
    f.upto(1)?;
    match f.byte(0) {
        4 => proxy_socks4(&mut f),
        5 => proxy_socks5(&mut f),
        _ => None,
    }
}

#[inline]
fn proxy_socks4<const PRECISE: bool>(f: &mut Feed<'_, '_, PRECISE>) -> Option<Decision> {
    f.upto(8)?;
    let ip = [f.byte(4), f.byte(5), f.byte(6), f.byte(7)];
    let end_user = f.until_nul(8)?;
    let end = if is_socks4a(ip) {
        f.until_nul(end_user + 1)?
    } else {
        end_user
    };
    let (req, _) = socks4_request(f.from(0).get(..end + 1)?)?;
    if !served(req.cmd) || (req.cmd == 1 && req.port == 0) {
        return None;
    }
    let (host, ip) = match req.host {
        Some(name) if hostname_ok(name) => (name.len(), 0),
        Some(_) => return None,
        None => (0, ipv4_bits(req.ip)),
    };
    Some(Decision {
        code: req.cmd,
        port: req.port,
        host,
        ip,
        user: req.userid.len(),
        pass: 0,
        n: 0,
    })
}

#[inline]
fn proxy_socks5<const PRECISE: bool>(f: &mut Feed<'_, '_, PRECISE>) -> Option<Decision> {
    f.upto(2)?;
    let mut pos = 2 + usize::from(f.byte(1));
    f.upto(pos)?;
    let (methods, _) = socks5_greeting(f.from(0))?;
    let method = if methods.contains(&2) {
        2
    } else if methods.contains(&0) {
        0
    } else {
        return None;
    };
    let mut sent = black_box([5, method]).len();
    let (mut user, mut pass) = (0, 0);
    if method == 2 {
        f.upto(pos + 2)?;
        let ulen = usize::from(f.byte(pos + 1));
        f.upto(pos + 3 + ulen)?;
        let plen = usize::from(f.byte(pos + 2 + ulen));
        f.upto(pos + 3 + ulen + plen)?;
        let (u, p, n) = userpass_request(f.from(pos))?;
        (user, pass) = (u.len(), p.len());
        pos += n;
        sent += black_box([1, 0]).len();
    }
    f.upto(pos + 5)?;
    let len = frame_len(f.byte(pos + 3), f.byte(pos + 4), false)?;
    f.upto(pos + len)?;
    let (req, _) = socks5_request(f.from(pos))?;
    if !served(req.code) || (req.code == 1 && req.port == 0) {
        return None;
    }
    if let Addr::Domain(name) = req.addr
        && !hostname_ok(name)
    {
        return None;
    }
    let (host, ip) = req.addr.summary();
    Some(Decision {
        code: req.code,
        port: req.port,
        host,
        ip,
        user,
        pass,
        n: sent,
    })
}

/// The client side, SOCKS5 without authentication: send the greeting, read the method
/// choice, send the request for `host:port`, read the reply. `n` in the decision is the
/// bytes sent.
#[inline]
pub fn client<const PRECISE: bool>(
    buf: &mut [u8],
    input: &[u8],
    host: &str,
    port: u16,
) -> Option<Decision> {
    let mut sent = black_box([5, 1, 0]).len();
    let mut f = Feed::<PRECISE>::new(buf, input);
    f.upto(2)?;
    if f.byte(0) != 5 || f.byte(1) != 0 {
        return None;
    }
    let mut out = [0; 262];
    let n = encode_frame(&mut out, 1, &Addr::Domain(host.as_bytes()), port)?;
    sent += black_box(&out[..n]).len();
    f.upto(2 + 5)?;
    let len = frame_len(f.byte(2 + 3), f.byte(2 + 4), true)?;
    f.upto(2 + len)?;
    let (reply, _) = socks5_reply(f.from(2))?;
    if let Addr::Domain(name) = reply.addr
        && !hostname_ok(name)
    {
        return None;
    }
    let (host, ip) = reply.addr.summary();
    Some(Decision {
        code: reply.code,
        port: reply.port,
        host,
        ip,
        n: sent,
        ..Decision::default()
    })
}

/// The client side over SOCKS4a, no user-id: send the request for `host:port`, read the
/// 8-byte reply, map its code as tor-socksproto does (5A succeeded, 5C/5D not allowed,
/// anything else general failure). `n` in the decision is the bytes sent.
#[inline]
pub fn client_socks4<const PRECISE: bool>(
    buf: &mut [u8],
    input: &[u8],
    host: &str,
    port: u16,
) -> Option<Decision> {
    let mut out = [0; 300];
    let req = Socks4 {
        cmd: 1,
        port,
        ip: [0, 0, 0, 1],
        userid: b"",
        host: Some(host.as_bytes()),
    };
    let n = encode_socks4(&mut out, &req)?;
    let sent = black_box(&out[..n]).len();
    let mut f = Feed::<PRECISE>::new(buf, input);
    f.upto(8)?;
    if f.byte(0) != 0 {
        return None;
    }
    let code = match f.byte(1) {
        0x5A => 0,
        0x5C | 0x5D => 2,
        _ => 1,
    };
    Some(Decision {
        code,
        port: u16::from_be_bytes([f.byte(2), f.byte(3)]),
        ip: ipv4_bits([f.byte(4), f.byte(5), f.byte(6), f.byte(7)]),
        n: sent,
        ..Decision::default()
    })
}
