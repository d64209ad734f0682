//! Resynchronisation: finding the next handshake message in bytes whose start was not seen
//! (a capture that joined the connection late, or lost bytes inside the handshake).
//!
//! [`find_message`] is the public recogniser; the dissector uses it, through [`resume`], in a
//! direction that lost its place ([`DissectOptions::mid_stream`](crate::dissect::DissectOptions),
//! or a [`Dissector::gap`](crate::dissect::Dissector::gap) inside the handshake).

use crate::Storage;
use crate::dissect::Direction;
use crate::dissect::decode::{Conv, Expect};
use crate::dissect::probe::{Confidence, Detection, ProbeResult, probe};
use crate::dissect::side::Side;
use crate::wire::{Addr, Method, parse_socks5_reply, parse_socks5_request};

/// A handshake message that decoding can resume at.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Landmark {
    /// A SOCKS5 method-selection greeting.
    Socks5Greeting,
    /// A SOCKS4 or SOCKS4a request.
    Socks4Request,
    /// An RFC 1929 username/password request.
    UserPassRequest,
    /// A SOCKS5 request.
    Socks5Request,
    /// A SOCKS5 method choice.
    MethodChoice,
    /// An RFC 1929 status.
    UserPassReply,
    /// A SOCKS5 reply.
    Socks5Reply,
    /// A SOCKS4 reply.
    Socks4Reply,
}

/// A message [`find_message`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Found {
    /// Where it starts in the bytes given: the bytes before it are skipped.
    pub index: usize,
    /// What it is.
    pub landmark: Landmark,
    /// Its length.
    pub len: usize,
}

/// What [`find_message`] says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FindResult {
    /// A whole message.
    Found(Found),
    /// The bytes from `index` on are a proper prefix of a message that would be recognised:
    /// call again with more bytes, starting there.
    NeedMore {
        /// Where the candidate starts.
        index: usize,
    },
    /// No message starts anywhere in the bytes.
    NotFound,
}

/// The longest candidate [`find_message`] waits for (a SOCKS4a request with a 255-byte user-id
/// and hostname; every SOCKS5 message is shorter).
pub const MAX_CANDIDATE: usize = 8 + 256 + 256;

/// The bytes a direction skips while looking for a message before it gives up (the handshake
/// is near the start of a connection; past this, what is left is taken for tunnelled data).
pub const RESYNC_LIMIT: u64 = 64 * 1024;

/// Finds the first handshake message of direction `dir` in `bytes`, whose start may be
/// anywhere: the first bytes captured of a connection joined late, or those after a gap.
///
/// Anywhere in `bytes` it recognises the shapes that other traffic does not produce by chance:
/// a whole SOCKS5 request (known command, `RSV` 0, address type 1, 3 or 4, a printable
/// non-empty name) or reply (known code including Tor's, `RSV` 0, address type 0, 1, 3 or 4),
/// and a SOCKS4 or SOCKS4a request as [`probe`] takes one (known command, printable
/// NUL-terminated strings) with a port that is not 0. At index 0 only, where a segment
/// starts and messages usually do, it also takes the short shapes: a SOCKS5 greeting, a method
/// choice, an RFC 1929 request or status, a SOCKS4 reply. It reads only `bytes`, never panics
/// and never allocates; the time is linear in `bytes.len()` times the longest candidate.
///
/// ```
/// use sockswire::dissect::{Direction, FindResult, Found, Landmark, find_message};
///
/// // The tail of a lost greeting, then a CONNECT to example.com:443.
/// let bytes = b"\x00\x02\x05\x01\x00\x03\x0bexample.com\x01\xbb";
/// assert_eq!(
///     find_message(Direction::ClientToServer, bytes),
///     FindResult::Found(Found { index: 2, landmark: Landmark::Socks5Request, len: 18 })
/// );
/// // Tunnelled bytes: nothing to resume at.
/// assert_eq!(find_message(Direction::ServerToClient, b"HTTP/1.1 200 OK\r\n"), FindResult::NotFound);
/// ```
#[must_use]
pub fn find_message(dir: Direction, bytes: &[u8]) -> FindResult {
    find(dir, bytes, |_| true)
}

/// [`find_message`], taking only the landmarks `fits` accepts (what the conversation already
/// knows rules some out).
fn find(dir: Direction, bytes: &[u8], fits: impl Fn(Landmark) -> bool) -> FindResult {
    for index in 0..bytes.len() {
        let rest = bytes.get(index..).unwrap_or_default();
        let at_start = index == 0;
        let shape = match dir {
            Direction::ClientToServer => client(rest, at_start),
            Direction::ServerToClient => server(rest, at_start),
        };
        match shape {
            Shape::Yes(landmark, len) if fits(landmark) => {
                return FindResult::Found(Found {
                    index,
                    landmark,
                    len,
                });
            }
            // A candidate runs to the end of the bytes: what follows it cannot be judged yet.
            Shape::Need => return FindResult::NeedMore { index },
            Shape::Yes(..) | Shape::No => {}
        }
    }
    FindResult::NotFound
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    Yes(Landmark, usize),
    Need,
    No,
}

/// Printable in a name or string: no control byte (UTF-8 passes).
fn printable(b: u8) -> bool {
    b >= 0x20 && b != 0x7F
}

/// Either shape, the whole one first.
fn either(a: Shape, b: Shape) -> Shape {
    match (a, b) {
        (Shape::Yes(..), _) => a,
        (_, Shape::Yes(..)) => b,
        (Shape::Need, _) | (_, Shape::Need) => Shape::Need,
        _ => Shape::No,
    }
}

/// What [`probe`] says of `b` taken as a first message in direction `dir`.
fn probed(b: &[u8], dir: Direction, min: Confidence, landmark: Landmark) -> Shape {
    match probe(b, &[]) {
        ProbeResult::Socks(Detection {
            dir: d,
            confidence,
            len,
            ..
        }) if d == dir && confidence >= min => Shape::Yes(landmark, len),
        ProbeResult::NeedMore(_) if b.len() < MAX_CANDIDATE => Shape::Need,
        _ => Shape::No,
    }
}

fn client(b: &[u8], at_start: bool) -> Shape {
    match b.first() {
        Some(5) if at_start => either(
            request(b),
            probed(
                b,
                Direction::ClientToServer,
                Confidence::Medium,
                Landmark::Socks5Greeting,
            ),
        ),
        Some(5) => request(b),
        Some(4) => match probed(
            b,
            Direction::ClientToServer,
            Confidence::Medium,
            Landmark::Socks4Request,
        ) {
            Shape::Yes(_, _) if b.get(2..4) == Some(&[0, 0]) => Shape::No,
            s => s,
        },
        Some(1) if at_start => userpass_request(b),
        _ => Shape::No,
    }
}

fn server(b: &[u8], at_start: bool) -> Shape {
    match b.first() {
        Some(5) if at_start => either(
            reply(b),
            probed(
                b,
                Direction::ServerToClient,
                Confidence::Low,
                Landmark::MethodChoice,
            ),
        ),
        Some(5) => reply(b),
        Some(0 | 4) if at_start => probed(
            b,
            Direction::ServerToClient,
            Confidence::Low,
            Landmark::Socks4Reply,
        ),
        // An RFC 1929 status, alone or followed by the proxy's reply.
        Some(1) if at_start => match (b.get(1), b.get(2)) {
            (None, _) => Shape::Need,
            (Some(_), None | Some(5)) => Shape::Yes(Landmark::UserPassReply, 2),
            _ => Shape::No,
        },
        _ => Shape::No,
    }
}

fn name_ok(addr: &Addr<'_>) -> bool {
    match addr {
        Addr::Domain(d) => !d.is_empty() && d.iter().all(|&c| printable(c)),
        _ => true,
    }
}

/// C Tor's `ATYP` 0 failure reply carries four zero bytes and port 0; other bytes there
/// are no reply.
fn zero_if_unspecified(addr: &Addr<'_>, port: u16) -> bool {
    match addr {
        Addr::Unspecified(a) => a.iter().all(|&b| b == 0) && port == 0,
        _ => true,
    }
}

fn request(b: &[u8]) -> Shape {
    match parse_socks5_request(b) {
        Ok((rest, r))
            if r.command.is_known()
                && r.reserved == 0
                && !matches!(r.addr, Addr::Unspecified(_))
                && name_ok(&r.addr) =>
        {
            Shape::Yes(Landmark::Socks5Request, b.len() - rest.len())
        }
        Err(nom::Err::Incomplete(_)) if prefix_ok(b, false) => Shape::Need,
        _ => Shape::No,
    }
}

fn reply(b: &[u8]) -> Shape {
    match parse_socks5_reply(b) {
        Ok((rest, r))
            if r.reply.is_known()
                && r.reserved == 0
                && name_ok(&r.addr)
                && zero_if_unspecified(&r.addr, r.port) =>
        {
            Shape::Yes(Landmark::Socks5Reply, b.len() - rest.len())
        }
        Err(nom::Err::Incomplete(_)) if prefix_ok(b, true) => Shape::Need,
        _ => Shape::No,
    }
}

/// Whether a proper prefix of a request (or reply) is still plausible: the fixed fields
/// present so far fit, and a name's bytes so far are printable.
fn prefix_ok(b: &[u8], reply: bool) -> bool {
    let code = b.get(1).is_none_or(|&c| {
        if reply {
            crate::wire::ReplyCode(c).is_known()
        } else {
            crate::wire::Command(c).is_known()
        }
    });
    let rsv = b.get(2).is_none_or(|&r| r == 0);
    let atyp = b
        .get(3)
        .is_none_or(|&a| matches!(a, 1 | 3 | 4) || (reply && a == 0));
    let name = match (b.get(3), b.get(4)) {
        (Some(3), Some(&n)) => n > 0 && b.iter().skip(5).all(|&c| printable(c)),
        _ => true,
    };
    code && rsv && atyp && name
}

fn userpass_request(b: &[u8]) -> Shape {
    let Some(&ulen) = b.get(1) else {
        return Shape::Need;
    };
    let ulen = usize::from(ulen);
    if ulen == 0 {
        return Shape::No;
    }
    let user = b.get(2..(2 + ulen).min(b.len())).unwrap_or_default();
    if !user.iter().all(|&c| printable(c)) {
        return Shape::No;
    }
    match b.get(2 + ulen) {
        None => Shape::Need,
        Some(&plen) => {
            let len = 3 + ulen + usize::from(plen);
            if b.len() < len {
                Shape::Need
            } else {
                Shape::Yes(Landmark::UserPassRequest, len)
            }
        }
    }
}

/// Whether finding `landmark` fits what the conversation already knows.
fn fits(landmark: Landmark, conv: &Conv) -> bool {
    let v5 = conv.version != Some(4);
    let before_choice = conv.chosen.is_none();
    let userpass = conv.chosen.is_none_or(|m| m == Method::USERNAME_PASSWORD) && !conv.replied;
    match landmark {
        Landmark::Socks5Greeting | Landmark::MethodChoice => v5 && before_choice,
        Landmark::UserPassRequest | Landmark::UserPassReply => v5 && userpass,
        Landmark::Socks5Request | Landmark::Socks5Reply => v5,
        Landmark::Socks4Request | Landmark::Socks4Reply => conv.version != Some(5),
    }
}

/// What the direction expects at a landmark, and what the conversation learns from finding it.
fn expect_at(landmark: Landmark, conv: &mut Conv) -> Expect {
    match landmark {
        Landmark::Socks5Greeting | Landmark::Socks4Request => Expect::ClientFirst,
        Landmark::UserPassRequest => {
            conv.version.get_or_insert(5);
            conv.chosen.get_or_insert(Method::USERNAME_PASSWORD);
            Expect::ClientAfterGreeting
        }
        Landmark::Socks5Request => {
            conv.version.get_or_insert(5);
            Expect::ClientAfterGreeting
        }
        Landmark::MethodChoice | Landmark::Socks5Reply => {
            conv.version.get_or_insert(5);
            if landmark == Landmark::MethodChoice {
                Expect::ServerFirst
            } else {
                Expect::ServerReply
            }
        }
        Landmark::UserPassReply => {
            conv.version.get_or_insert(5);
            Expect::ServerAuthReply
        }
        Landmark::Socks4Reply => {
            conv.version.get_or_insert(4);
            Expect::ServerFirst
        }
    }
}

/// What one resynchronising step did.
pub(crate) enum Resumed {
    /// Decode on: the direction expects a message again (nothing was skipped).
    Decode,
    /// Report that `skipped` bytes starting at `offset` were skipped; decoding goes on after.
    Skipped { offset: u64, skipped: u64 },
    /// Wait for more bytes.
    Wait,
}

/// One step of a direction that lost its place: looks for the next message in what is
/// buffered and in `seg`; returns how many bytes of `seg` it took, and what happened.
pub(crate) fn resume<S: Storage>(
    side: &mut Side<S>,
    conv: &mut Conv,
    dir: Direction,
    seg: &[u8],
    finishing: bool,
) -> (usize, Resumed) {
    let mut taken = 0;
    if side.len > 0 && !seg.is_empty() {
        taken = side.append(seg);
    }
    let buffered = side.len > 0;
    let data = if buffered { side.buffered() } else { seg };
    let (skip, landmark) = match find(dir, data, |l| fits(l, conv)) {
        FindResult::Found(f) => (f.index, Some(f.landmark)),
        FindResult::NeedMore { index } => (index, None),
        FindResult::NotFound => (data.len(), None),
    };
    side.resync_skipped += skip as u64;
    side.offset += skip as u64;
    if buffered {
        side.buf.as_mut().copy_within(skip..side.len, 0);
        side.len -= skip;
    } else {
        taken += skip;
    }
    if let Some(landmark) = landmark {
        side.expect = expect_at(landmark, conv);
        return (taken, report(side).unwrap_or(Resumed::Decode));
    }
    // A candidate's prefix is left: keep it, unless it cannot grow here.
    if !buffered {
        let tail = seg.get(taken..).unwrap_or_default();
        if !tail.is_empty() && !side.keep(tail) {
            side.resync_skipped += tail.len() as u64;
            side.offset += tail.len() as u64;
        }
        taken = seg.len();
    } else if side.len == side.capacity() {
        side.resync_skipped += side.len as u64;
        side.offset += side.len as u64;
        side.len = 0;
    }
    if buffered && taken < seg.len() {
        // The buffer made room: look again with the rest of the segment.
        return (taken, Resumed::Decode);
    }
    if finishing || side.resync_skipped > RESYNC_LIMIT {
        side.resync_skipped += side.len as u64;
        side.offset += side.len as u64;
        side.len = 0;
        side.expect = Expect::Stopped;
        return (taken, report(side).unwrap_or(Resumed::Decode));
    }
    (taken, Resumed::Wait)
}

/// The report of what was skipped, if anything, and the count reset.
fn report<S>(side: &mut Side<S>) -> Option<Resumed> {
    let skipped = core::mem::take(&mut side.resync_skipped);
    (skipped > 0).then(|| Resumed::Skipped {
        offset: side.offset - skipped,
        skipped,
    })
}
