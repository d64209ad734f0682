//! Transactions in C form: one record per SOCKS request, with its replies and anomalies.

use core::ptr;

use sockswire::dissect::{AuthOutcome, Transaction};

use crate::types::{SwAnomaly, SwHostPort, anomaly_code, dir_code};

/// Authentication not seen (yet).
pub const SW_AUTH_UNKNOWN: u8 = 0;
/// No sub-negotiation: the method needs none.
pub const SW_AUTH_NOT_NEEDED: u8 = 1;
/// The proxy accepted the credentials (or the GSS-API exchange went on).
pub const SW_AUTH_ACCEPTED: u8 = 2;
/// The proxy refused them: `auth_status` holds the RFC 1929 status (0xFF: GSS-API abort).
pub const SW_AUTH_REFUSED: u8 = 3;
/// The proxy accepted none of the offered methods (`05 FF`).
pub const SW_AUTH_NO_ACCEPTABLE_METHOD: u8 = 4;

/// One reply of a transaction.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwTxReply {
    /// SOCKS4 `CD` or SOCKS5 `REP`.
    pub status: u8,
    /// The bound address (first reply) or the host that connected (BIND's second).
    pub bound: SwHostPort,
    /// Where it starts in the server's stream.
    pub offset: u64,
}

/// One anomaly reported while a transaction was open.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwTxAnomaly {
    /// `SW_DIR_C2S` or `SW_DIR_S2C`.
    pub dir: u8,
    /// Where, in that direction's stream.
    pub offset: u64,
    /// An `SW_ANOMALY_*` code.
    pub anomaly: SwAnomaly,
    /// Its number (see the code's constant).
    pub value: u64,
}

/// One SOCKS request with what came of it (Zeek's `socks.log` row). Pointers stay valid
/// until the next feed, gap, finish or free on the dissector that handed it out. A NULL byte
/// pointer means "absent"; a `has_*` flag of 0 means the field beside it is absent.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct SwTransaction {
    /// 4 or 5; 0 when unknown.
    pub version: u8,
    /// The SOCKS5 methods offered, or NULL.
    pub methods: *const u8,
    /// How many.
    pub methods_len: usize,
    /// Whether `method` is set.
    pub has_method: u8,
    /// The SOCKS5 method chosen.
    pub method: u8,
    /// An `SW_AUTH_*` constant.
    pub auth: u8,
    /// The status of a refused authentication.
    pub auth_status: u8,
    /// The RFC 1929 username or SOCKS4 user-id, or NULL.
    pub user: *const u8,
    /// Its length.
    pub user_len: usize,
    /// The RFC 1929 password when revealed, or NULL.
    pub password: *const u8,
    /// Its length.
    pub password_len: usize,
    /// Whether `command` is set.
    pub has_command: u8,
    /// The command.
    pub command: u8,
    /// The requested target (kind `SW_ADDR_NONE` when absent); a SOCKS4a hostname here.
    pub target: SwHostPort,
    /// Whether `socks4a_ip` is set.
    pub has_socks4a_ip: u8,
    /// A SOCKS4a request's `0.0.0.x` address.
    pub socks4a_ip: [u8; 4],
    /// Whether `request_offset` is set.
    pub has_request_offset: u8,
    /// Where the request starts in the client's stream.
    pub request_offset: u64,
    /// The replies (BIND has two), or NULL.
    pub replies: *const SwTxReply,
    /// How many.
    pub replies_len: usize,
    /// The anomalies, or NULL.
    pub anomalies: *const SwTxAnomaly,
    /// How many.
    pub anomalies_len: usize,
    /// 1 when the exchange ended as SOCKS says it ends; 0 for one handed out at the end.
    pub complete: u8,
    /// 1 when every reply is a success.
    pub succeeded: u8,
}

/// A transaction and the C arrays that point into it.
#[derive(Debug)]
pub(crate) struct TxStore {
    tx: Transaction,
    methods: Vec<u8>,
    replies: Vec<SwTxReply>,
    anomalies: Vec<SwTxAnomaly>,
}

fn ptr_or_null<T>(v: &[T]) -> *const T {
    if v.is_empty() {
        ptr::null()
    } else {
        v.as_ptr()
    }
}

impl TxStore {
    pub(crate) fn new(tx: Transaction) -> TxStore {
        // The replies' names live in `tx`'s heap buffers, which do not move with it.
        let replies = tx
            .replies
            .iter()
            .map(|r| SwTxReply {
                status: r.status,
                bound: SwHostPort::from_owned(&r.bound),
                offset: r.offset,
            })
            .collect();
        let anomalies = tx
            .anomalies
            .iter()
            .map(|(dir, offset, a)| {
                let (anomaly, value) = anomaly_code(a);
                SwTxAnomaly {
                    dir: dir_code(*dir),
                    offset: *offset,
                    anomaly,
                    value,
                }
            })
            .collect();
        TxStore {
            methods: tx.methods.iter().map(|m| m.0).collect(),
            tx,
            replies,
            anomalies,
        }
    }

    pub(crate) fn to_c(&self) -> SwTransaction {
        let t = &self.tx;
        let (auth, auth_status) = match t.auth {
            None => (SW_AUTH_UNKNOWN, 0),
            Some(AuthOutcome::NotNeeded) => (SW_AUTH_NOT_NEEDED, 0),
            Some(AuthOutcome::Accepted) => (SW_AUTH_ACCEPTED, 0),
            Some(AuthOutcome::Refused(s)) => (SW_AUTH_REFUSED, s),
            Some(AuthOutcome::NoAcceptableMethod) => (SW_AUTH_NO_ACCEPTABLE_METHOD, 0xFF),
            Some(_) => (SW_AUTH_UNKNOWN, 0),
        };
        let (user, user_len) = t
            .user
            .as_ref()
            .map_or((ptr::null(), 0), |u| (u.as_ptr(), u.len()));
        let (password, password_len) = t
            .password
            .as_ref()
            .map_or((ptr::null(), 0), |p| (p.as_ptr(), p.len()));
        SwTransaction {
            version: t.version.unwrap_or(0),
            methods: ptr_or_null(&self.methods),
            methods_len: self.methods.len(),
            has_method: t.method.is_some().into(),
            method: t.method.map_or(0, |m| m.0),
            auth,
            auth_status,
            user,
            user_len,
            password,
            password_len,
            has_command: t.command.is_some().into(),
            command: t.command.map_or(0, |c| c.0),
            target: t
                .target
                .as_ref()
                .map_or(SwHostPort::NONE, SwHostPort::from_owned),
            has_socks4a_ip: t.socks4a_ip.is_some().into(),
            socks4a_ip: t.socks4a_ip.map_or([0; 4], |ip| ip.octets()),
            has_request_offset: t.request_offset.is_some().into(),
            request_offset: t.request_offset.unwrap_or(0),
            replies: ptr_or_null(&self.replies),
            replies_len: self.replies.len(),
            anomalies: ptr_or_null(&self.anomalies),
            anomalies_len: self.anomalies.len(),
            complete: t.complete.into(),
            succeeded: t.succeeded().into(),
        }
    }
}
