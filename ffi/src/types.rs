//! The plain `#[repr(C)]` structs and constants of the C API, and their conversions from
//! sockswire's views.

use core::ffi::c_char;
use core::ptr;

use sockswire::dissect::{Anomaly, Direction, EventKind, OwnedHostPort};
use sockswire::{Addr, HostPort, WireError};

/// The call succeeded.
pub const SW_OK: i32 = 0;
/// A parser needs more bytes: `SwParseResult::needed` says how many (0: unknown).
pub const SW_INCOMPLETE: i32 = 1;
/// An iterator has nothing more to hand out.
pub const SW_NONE: i32 = 2;
/// A required pointer argument was NULL.
pub const SW_ERR_NULL: i32 = -1;
/// The handle is not a live dissector: NULL, freed, or never created by this library.
pub const SW_ERR_BAD_HANDLE: i32 = -2;
/// A length is larger than [`SW_MAX_INPUT`].
pub const SW_ERR_TOO_LONG: i32 = -3;
/// A direction other than [`SW_DIR_C2S`] or [`SW_DIR_S2C`].
pub const SW_ERR_BAD_DIRECTION: i32 = -4;
/// A parser rejected its input: `SwParseResult::error` says why.
pub const SW_ERR_MALFORMED: i32 = -5;
/// A panic inside the library was caught; the handle, if any, must be freed and not reused.
pub const SW_ERR_PANIC: i32 = -6;
/// An output buffer is too small for the text (nothing written but the terminating NUL).
pub const SW_ERR_BUFFER_TOO_SMALL: i32 = -7;
/// An argument value is not one the function knows (a code set, say).
pub const SW_ERR_BAD_ARGUMENT: i32 = -8;

/// The most bytes one call takes: anything larger is an error, not a read.
pub const SW_MAX_INPUT: usize = 1 << 30;

/// Client to proxy.
pub const SW_DIR_C2S: u8 = 0;
/// Proxy to client.
pub const SW_DIR_S2C: u8 = 1;

/// No address.
pub const SW_ADDR_NONE: u8 = 0;
/// IPv4: `ip[0..4]`.
pub const SW_ADDR_IPV4: u8 = 1;
/// A domain name: `name`, `name_len` (not NUL-terminated, not necessarily UTF-8).
pub const SW_ADDR_DOMAIN: u8 = 3;
/// IPv6: `ip[0..16]`.
pub const SW_ADDR_IPV6: u8 = 4;
/// `ATYP` 0, C Tor's failure reply: its four bytes in `ip[0..4]`.
pub const SW_ADDR_UNSPECIFIED: u8 = 5;

/// A host (IPv4, IPv6, name or C Tor's `ATYP` 0) and a port.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwHostPort {
    /// One of the `SW_ADDR_*` constants.
    pub kind: u8,
    /// The address bytes (IPv4 and `ATYP` 0 use the first four).
    pub ip: [u8; 16],
    /// The domain name, or NULL.
    pub name: *const u8,
    /// Its length.
    pub name_len: usize,
    /// The port.
    pub port: u16,
}

impl SwHostPort {
    /// No address.
    pub const NONE: SwHostPort = SwHostPort {
        kind: SW_ADDR_NONE,
        ip: [0; 16],
        name: ptr::null(),
        name_len: 0,
        port: 0,
    };

    pub(crate) fn from_view(hp: HostPort<'_>) -> SwHostPort {
        let mut out = SwHostPort {
            port: hp.port,
            ..SwHostPort::NONE
        };
        match hp.addr {
            Addr::Ipv4(ip) => {
                out.kind = SW_ADDR_IPV4;
                out.ip[..4].copy_from_slice(&ip.octets());
            }
            Addr::Ipv6(ip) => {
                out.kind = SW_ADDR_IPV6;
                out.ip = ip.octets();
            }
            Addr::Domain(name) => {
                out.kind = SW_ADDR_DOMAIN;
                out.name = name.as_ptr();
                out.name_len = name.len();
            }
            Addr::Unspecified(raw) => {
                out.kind = SW_ADDR_UNSPECIFIED;
                out.ip[..4].copy_from_slice(&raw);
            }
        }
        out
    }

    pub(crate) fn from_owned(hp: &OwnedHostPort) -> SwHostPort {
        SwHostPort::from_view(hp.as_host_port())
    }

    /// The view back, if `kind` is valid and `name` readable for `name_len` bytes.
    ///
    /// # Safety
    /// For a domain, `name` must point to `name_len` readable bytes.
    pub(crate) unsafe fn as_view(&self) -> Option<HostPort<'_>> {
        let addr = match self.kind {
            SW_ADDR_IPV4 => Addr::Ipv4(core::net::Ipv4Addr::new(
                self.ip[0], self.ip[1], self.ip[2], self.ip[3],
            )),
            SW_ADDR_IPV6 => Addr::Ipv6(core::net::Ipv6Addr::from(self.ip)),
            SW_ADDR_UNSPECIFIED => {
                Addr::Unspecified([self.ip[0], self.ip[1], self.ip[2], self.ip[3]])
            }
            SW_ADDR_DOMAIN => {
                // SAFETY: the caller's promise.
                Addr::Domain(unsafe { crate::guard::bytes(self.name, self.name_len)? })
            }
            _ => return None,
        };
        Some(HostPort {
            addr,
            port: self.port,
        })
    }
}

/// What a message is: the `kind` of [`SwMessage`] and [`SwEvent`].
pub type SwKind = u32;
/// Nothing (an event that is not a message).
pub const SW_KIND_NONE: SwKind = 0;
/// SOCKS4 or 4a request: `code` command, `addr` the IPv4 target (0.0.0.x for 4a) and port,
/// `hostname` (4a), `user` the user-id.
pub const SW_KIND_SOCKS4_REQUEST: SwKind = 1;
/// SOCKS4 reply: `version` VN, `code` CD, `addr` IPv4 and port.
pub const SW_KIND_SOCKS4_REPLY: SwKind = 2;
/// SOCKS5 greeting: `bytes` the methods offered.
pub const SW_KIND_GREETING: SwKind = 3;
/// SOCKS5 method choice: `code` the method.
pub const SW_KIND_METHOD_CHOICE: SwKind = 4;
/// RFC 1929 request: `user`, `password` (NULL unless revealed), `password_len`.
pub const SW_KIND_USERPASS_REQUEST: SwKind = 5;
/// RFC 1929 reply: `code` the status.
pub const SW_KIND_USERPASS_REPLY: SwKind = 6;
/// RFC 1961 GSS-API frame: `code` the message type, `bytes` the token.
pub const SW_KIND_GSSAPI: SwKind = 7;
/// SOCKS5 request: `code` command, `reserved`, `atyp`, `addr`.
pub const SW_KIND_SOCKS5_REQUEST: SwKind = 8;
/// SOCKS5 reply: `code` REP, `reserved`, `atyp`, `addr` the bound address.
pub const SW_KIND_SOCKS5_REPLY: SwKind = 9;
/// SOCKS5 BIND second reply (same fields as a reply: `addr` the host that connected).
pub const SW_KIND_BIND_SECOND_REPLY: SwKind = 10;
/// SOCKS4 BIND second reply (same fields as a SOCKS4 reply).
pub const SW_KIND_SOCKS4_BIND_SECOND_REPLY: SwKind = 11;
/// SOCKS5 UDP datagram: `reserved` RSV (16 bits in `reserved16`), `code` FRAG, `atyp`,
/// `addr`, `bytes` the data.
pub const SW_KIND_UDP_DATAGRAM: SwKind = 12;
/// Event only: tunnelled payload starts at `offset`.
pub const SW_KIND_PAYLOAD_START: SwKind = 13;
/// Event only: a finding, in `anomaly` and `value`.
pub const SW_KIND_ANOMALY: SwKind = 14;
/// Event only: the direction ended, `value` tunnelled bytes seen.
pub const SW_KIND_END: SwKind = 15;

/// One SOCKS message, decoded. Which fields mean something depends on `kind` (see the
/// `SW_KIND_*` constants); the others are zero or NULL. Byte pointers point into the bytes
/// parsed (parsers) or into the dissector (events); they are not NUL-terminated.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwMessage {
    /// One of the `SW_KIND_*` constants.
    pub kind: SwKind,
    /// The version byte: 4 or 5; a SOCKS4 reply's VN (0 or 4); 1 for RFC 1929 and GSS-API.
    pub version: u8,
    /// The command, status, method, reply code, message type or FRAG, by kind.
    pub code: u8,
    /// A reserved byte (SOCKS5 request and reply).
    pub reserved: u8,
    /// A UDP datagram's 16-bit RSV.
    pub reserved16: u16,
    /// The raw address type byte (SOCKS5 request, reply, UDP datagram).
    pub atyp: u8,
    /// The target, bound address or datagram address.
    pub addr: SwHostPort,
    /// A SOCKS4a hostname, or NULL.
    pub hostname: *const u8,
    /// Its length.
    pub hostname_len: usize,
    /// A SOCKS4 user-id or RFC 1929 username, or NULL.
    pub user: *const u8,
    /// Its length.
    pub user_len: usize,
    /// An RFC 1929 password, or NULL when it is not revealed.
    pub password: *const u8,
    /// The password's length (also when it is not revealed).
    pub password_len: usize,
    /// Methods offered, a GSS-API token or UDP data, or NULL.
    pub bytes: *const u8,
    /// Their length.
    pub bytes_len: usize,
}

impl SwMessage {
    /// All zero.
    pub const EMPTY: SwMessage = SwMessage {
        kind: SW_KIND_NONE,
        version: 0,
        code: 0,
        reserved: 0,
        reserved16: 0,
        atyp: 0,
        addr: SwHostPort::NONE,
        hostname: ptr::null(),
        hostname_len: 0,
        user: ptr::null(),
        user_len: 0,
        password: ptr::null(),
        password_len: 0,
        bytes: ptr::null(),
        bytes_len: 0,
    };

    fn with_bytes(mut self, b: &[u8]) -> Self {
        self.bytes = b.as_ptr();
        self.bytes_len = b.len();
        self
    }

    fn with_user(mut self, b: &[u8]) -> Self {
        self.user = b.as_ptr();
        self.user_len = b.len();
        self
    }

    fn ipv4(ip: core::net::Ipv4Addr, port: u16) -> SwHostPort {
        SwHostPort::from_view(HostPort {
            addr: Addr::Ipv4(ip),
            port,
        })
    }

    /// The C form of an event kind (pointers into whatever the kind borrows from).
    pub(crate) fn from_kind(k: &EventKind<'_>) -> SwMessage {
        let m = SwMessage::EMPTY;
        match *k {
            EventKind::Socks4Request(r) => {
                let mut m = SwMessage {
                    kind: SW_KIND_SOCKS4_REQUEST,
                    version: 4,
                    code: r.command.0,
                    addr: SwMessage::ipv4(r.ip, r.port),
                    ..m
                }
                .with_user(r.userid);
                if let Some(h) = r.hostname {
                    m.hostname = h.as_ptr();
                    m.hostname_len = h.len();
                }
                m
            }
            EventKind::Socks4Reply(r) | EventKind::Socks4BindSecondReply(r) => SwMessage {
                kind: if matches!(k, EventKind::Socks4Reply(_)) {
                    SW_KIND_SOCKS4_REPLY
                } else {
                    SW_KIND_SOCKS4_BIND_SECOND_REPLY
                },
                version: r.version,
                code: r.status.0,
                addr: SwMessage::ipv4(r.ip, r.port),
                ..m
            },
            EventKind::Greeting(g) => SwMessage {
                kind: SW_KIND_GREETING,
                version: 5,
                ..m
            }
            .with_bytes(g.methods),
            EventKind::MethodChoice(c) => SwMessage {
                kind: SW_KIND_METHOD_CHOICE,
                version: 5,
                code: c.method.0,
                ..m
            },
            EventKind::UserPassRequest {
                username,
                password,
                password_len,
            } => SwMessage {
                kind: SW_KIND_USERPASS_REQUEST,
                version: 1,
                password: password.map_or(ptr::null(), <[u8]>::as_ptr),
                password_len,
                ..m
            }
            .with_user(username),
            EventKind::UserPassReply(r) => SwMessage {
                kind: SW_KIND_USERPASS_REPLY,
                version: 1,
                code: r.status.0,
                ..m
            },
            EventKind::Gssapi(g) => SwMessage {
                kind: SW_KIND_GSSAPI,
                version: 1,
                code: g.message_type.0,
                ..m
            }
            .with_bytes(g.token),
            EventKind::Socks5Request(r) => SwMessage {
                kind: SW_KIND_SOCKS5_REQUEST,
                version: 5,
                code: r.command.0,
                reserved: r.reserved,
                atyp: r.addr.addr_type().0,
                addr: SwHostPort::from_view(r.target()),
                ..m
            },
            EventKind::Socks5Reply(r) | EventKind::BindSecondReply(r) => SwMessage {
                kind: if matches!(k, EventKind::Socks5Reply(_)) {
                    SW_KIND_SOCKS5_REPLY
                } else {
                    SW_KIND_BIND_SECOND_REPLY
                },
                version: 5,
                code: r.reply.0,
                reserved: r.reserved,
                atyp: r.addr.addr_type().0,
                addr: SwHostPort::from_view(r.bound()),
                ..m
            },
            EventKind::PayloadStart => SwMessage {
                kind: SW_KIND_PAYLOAD_START,
                ..m
            },
            EventKind::Anomaly(_) => SwMessage {
                kind: SW_KIND_ANOMALY,
                ..m
            },
            EventKind::End { .. } => SwMessage {
                kind: SW_KIND_END,
                ..m
            },
            _ => m,
        }
    }
}

/// An [`Anomaly`]'s code: the `anomaly` of [`SwEvent`] and [`SwTxAnomaly`](crate::SwTxAnomaly).
pub type SwAnomaly = u32;
/// No anomaly.
pub const SW_ANOMALY_NONE: SwAnomaly = 0;
/// A raw IP target: the client resolved the name itself (possible DNS leak).
pub const SW_ANOMALY_DNS_LEAK_RISK: SwAnomaly = 1;
/// Payload from the client before the proxy's reply.
pub const SW_ANOMALY_OPTIMISTIC_DATA: SwAnomaly = 2;
/// Username and password in clear.
pub const SW_ANOMALY_CLEARTEXT_CREDENTIALS: SwAnomaly = 3;
/// No authentication chosen although username/password was offered.
pub const SW_ANOMALY_NO_AUTH_DESPITE_USERPASS: SwAnomaly = 4;
/// A reserved byte is not zero (`value`: the byte).
pub const SW_ANOMALY_NONZERO_RESERVED: SwAnomaly = 5;
/// A hostname longer than 255 bytes (`value`: its length).
pub const SW_ANOMALY_LONG_HOSTNAME: SwAnomaly = 6;
/// A hostname that is not UTF-8.
pub const SW_ANOMALY_NON_UTF8_HOSTNAME: SwAnomaly = 7;
/// A SOCKS4 request after a SOCKS5 greeting.
pub const SW_ANOMALY_VERSION_SWITCH: SwAnomaly = 8;
/// Not SOCKS (`value`: the first byte).
pub const SW_ANOMALY_NOT_SOCKS: SwAnomaly = 9;
/// A message could not be parsed (the text says why).
pub const SW_ANOMALY_MALFORMED: SwAnomaly = 10;
/// A message larger than the dissector's buffer.
pub const SW_ANOMALY_TOO_LONG: SwAnomaly = 11;
/// Bytes missing from the capture in the handshake (`value`: how many).
pub const SW_ANOMALY_GAP: SwAnomaly = 12;
/// The stream ended inside a message.
pub const SW_ANOMALY_TRUNCATED: SwAnomaly = 13;
/// Bytes after a refused or failed handshake.
pub const SW_ANOMALY_DATA_AFTER_FAILURE: SwAnomaly = 14;
/// A reply with an address type no RFC defines (`value`: the type; 0 is C Tor's failure).
pub const SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE: SwAnomaly = 15;
/// A finding this version of the header does not name.
pub const SW_ANOMALY_OTHER: SwAnomaly = 255;

/// The code and value of an anomaly.
pub(crate) fn anomaly_code(a: &Anomaly) -> (SwAnomaly, u64) {
    match *a {
        Anomaly::DnsLeakRisk => (SW_ANOMALY_DNS_LEAK_RISK, 0),
        Anomaly::OptimisticData => (SW_ANOMALY_OPTIMISTIC_DATA, 0),
        Anomaly::CleartextCredentials => (SW_ANOMALY_CLEARTEXT_CREDENTIALS, 0),
        Anomaly::NoAuthDespiteUserPass => (SW_ANOMALY_NO_AUTH_DESPITE_USERPASS, 0),
        Anomaly::NonZeroReserved(b) => (SW_ANOMALY_NONZERO_RESERVED, u64::from(b)),
        Anomaly::LongHostname(n) => (SW_ANOMALY_LONG_HOSTNAME, n as u64),
        Anomaly::NonUtf8Hostname => (SW_ANOMALY_NON_UTF8_HOSTNAME, 0),
        Anomaly::VersionSwitch => (SW_ANOMALY_VERSION_SWITCH, 0),
        Anomaly::NotSocks(b) => (SW_ANOMALY_NOT_SOCKS, u64::from(b)),
        Anomaly::Malformed(_) => (SW_ANOMALY_MALFORMED, 0),
        Anomaly::TooLong => (SW_ANOMALY_TOO_LONG, 0),
        Anomaly::Gap(n) => (SW_ANOMALY_GAP, n),
        Anomaly::Truncated => (SW_ANOMALY_TRUNCATED, 0),
        Anomaly::DataAfterFailure => (SW_ANOMALY_DATA_AFTER_FAILURE, 0),
        Anomaly::NonStandardAddressType(t) => (SW_ANOMALY_NONSTANDARD_ADDRESS_TYPE, u64::from(t)),
        _ => (SW_ANOMALY_OTHER, 0),
    }
}

/// One event of a conversation, from [`sockswire_dissector_next_event`](crate::sockswire_dissector_next_event).
/// Every pointer in it stays valid until the next feed, gap, finish or free on its dissector.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwEvent {
    /// [`SW_DIR_C2S`] or [`SW_DIR_S2C`].
    pub dir: u8,
    /// The byte offset in that direction's stream where it starts.
    pub offset: u64,
    /// The message (its `kind` also says payload start, anomaly or end).
    pub message: SwMessage,
    /// An `SW_ANOMALY_*` code for an anomaly event, else [`SW_ANOMALY_NONE`].
    pub anomaly: SwAnomaly,
    /// The anomaly's number (see its constant), or an end's tunnelled byte count.
    pub value: u64,
    /// One line of text for people (what `sockswire dissect` prints), NUL-terminated.
    pub text: *const c_char,
    /// The anomaly alone as text (`"credentials in clear"`), NUL-terminated; empty for other
    /// kinds.
    pub detail: *const c_char,
    /// 1 when this event completes a transaction: the next
    /// [`sockswire_dissector_next_transaction`](crate::sockswire_dissector_next_transaction)
    /// hands it out.
    pub completes_transaction: u8,
}

pub(crate) fn dir_code(d: Direction) -> u8 {
    match d {
        Direction::ClientToServer => SW_DIR_C2S,
        Direction::ServerToClient => SW_DIR_S2C,
    }
}

pub(crate) fn dir_from(d: u8) -> Option<Direction> {
    match d {
        SW_DIR_C2S => Some(Direction::ClientToServer),
        SW_DIR_S2C => Some(Direction::ServerToClient),
        _ => None,
    }
}

/// A parser's wire error: the `error` of [`SwParseResult`].
pub type SwWireError = u32;
/// No error.
pub const SW_WIRE_OK: SwWireError = 0;
/// The version byte is wrong (`got`, `expected`).
pub const SW_WIRE_BAD_VERSION: SwWireError = 1;
/// The address type is not allowed (`got`).
pub const SW_WIRE_UNKNOWN_ADDR_TYPE: SwWireError = 2;
/// A field is longer than the limit (`limit`).
pub const SW_WIRE_LENGTH_OVER_LIMIT: SwWireError = 3;
/// The message is longer than the limit (`limit`).
pub const SW_WIRE_MESSAGE_TOO_LONG: SwWireError = 4;
/// A reserved field is not zero (`got`).
pub const SW_WIRE_BAD_RESERVED: SwWireError = 5;
/// Complete mode: no terminating NUL.
pub const SW_WIRE_MISSING_NUL: SwWireError = 6;
/// Complete mode: the input ends inside a field (`limit`: bytes needed).
pub const SW_WIRE_TRUNCATED: SwWireError = 7;
/// Another error.
pub const SW_WIRE_OTHER: SwWireError = 255;

/// What a parser says besides its status.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwParseResult {
    /// [`SW_OK`]: the message's length, from the start of the input.
    pub consumed: usize,
    /// [`SW_INCOMPLETE`]: how many more bytes at least (0: unknown).
    pub needed: usize,
    /// [`SW_ERR_MALFORMED`]: an `SW_WIRE_*` code.
    pub error: SwWireError,
    /// The byte received, for the codes that name one.
    pub got: u32,
    /// The byte expected ([`SW_WIRE_BAD_VERSION`]).
    pub expected: u32,
    /// The limit or the count of bytes needed.
    pub limit: usize,
}

impl SwParseResult {
    /// All zero.
    pub const EMPTY: SwParseResult = SwParseResult {
        consumed: 0,
        needed: 0,
        error: SW_WIRE_OK,
        got: 0,
        expected: 0,
        limit: 0,
    };

    pub(crate) fn from_error(e: &WireError) -> SwParseResult {
        let mut r = SwParseResult::EMPTY;
        match *e {
            WireError::BadVersion { got, expected } => {
                r.error = SW_WIRE_BAD_VERSION;
                r.got = got.into();
                r.expected = expected.into();
            }
            WireError::UnknownAddrType { got } => {
                r.error = SW_WIRE_UNKNOWN_ADDR_TYPE;
                r.got = got.into();
            }
            WireError::LengthOverLimit { limit, .. } => {
                r.error = SW_WIRE_LENGTH_OVER_LIMIT;
                r.limit = limit;
            }
            WireError::MessageTooLong { limit } => {
                r.error = SW_WIRE_MESSAGE_TOO_LONG;
                r.limit = limit;
            }
            WireError::BadReserved { got } => {
                r.error = SW_WIRE_BAD_RESERVED;
                r.got = got.into();
            }
            WireError::MissingNul { .. } => r.error = SW_WIRE_MISSING_NUL,
            WireError::Truncated { needed, .. } => {
                r.error = SW_WIRE_TRUNCATED;
                r.limit = needed;
            }
            _ => r.error = SW_WIRE_OTHER,
        }
        r
    }
}
