//! Open newtype codes: every byte value is representable, the well-known ones have names.
//!
//! An analyser must be able to carry a value it does not know, so none of these is an enum.
//! `is_known()` says whether a value has a name here; `Display` prints the name, or the value in
//! hex when it has none; `Debug` prints `Type(NAME)` or `Type(0x..)`.

use core::fmt;

/// Defines an open `u8` newtype with named constants, `is_known`, `name`, `Debug` and `Display`.
macro_rules! open_code {
    (
        $(#[$meta:meta])*
        $name:ident { $( $(#[$cmeta:meta])* $const:ident = $value:literal => $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
        #[cfg_attr(feature = "arbitrary", derive(arbitrary::Arbitrary))]
        #[repr(transparent)]
        pub struct $name(pub u8);

        impl $name {
            $( $(#[$cmeta])* pub const $const: $name = $name($value); )*

            /// The name of this value, if it has one.
            #[must_use]
            pub const fn name(self) -> Option<&'static str> {
                match self.0 {
                    $( $value => Some($text), )*
                    _ => None,
                }
            }

            /// Whether this value has a name here.
            #[must_use]
            pub const fn is_known(self) -> bool {
                self.name().is_some()
            }
        }

        impl From<u8> for $name {
            fn from(value: u8) -> Self {
                $name(value)
            }
        }

        impl From<$name> for u8 {
            fn from(value: $name) -> u8 {
                value.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(name) => write!(f, concat!(stringify!($name), "({})"), name),
                    None => write!(f, concat!(stringify!($name), "({:#04x})"), self.0),
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self.name() {
                    Some(name) => f.write_str(name),
                    None => write!(f, "{:#04x}", self.0),
                }
            }
        }
    };
}

open_code! {
    /// A request command: SOCKS4 `CD` and SOCKS5 `CMD` share one numbering.
    ///
    /// `RESOLVE` and `RESOLVE_PTR` are Tor's extensions (socks-extensions.txt).
    Command {
        /// Open a TCP stream to the target.
        CONNECT = 0x01 => "CONNECT",
        /// Listen for one inbound TCP connection.
        BIND = 0x02 => "BIND",
        /// Relay UDP datagrams (SOCKS5 only).
        UDP_ASSOCIATE = 0x03 => "UDP_ASSOCIATE",
        /// Tor: resolve a hostname to an address.
        RESOLVE = 0xF0 => "RESOLVE",
        /// Tor: resolve an address to a hostname.
        RESOLVE_PTR = 0xF1 => "RESOLVE_PTR",
    }
}

open_code! {
    /// A SOCKS5 authentication method (IANA "SOCKS Methods" registry).
    Method {
        /// No authentication required.
        NO_AUTH = 0x00 => "NO_AUTH",
        /// GSS-API (RFC 1961).
        GSSAPI = 0x01 => "GSSAPI",
        /// Username/password (RFC 1929).
        USERNAME_PASSWORD = 0x02 => "USERNAME_PASSWORD",
        /// Challenge-Handshake Authentication Protocol.
        CHAP = 0x03 => "CHAP",
        /// Challenge-Response Authentication Method.
        CRAM = 0x05 => "CRAM",
        /// Secure Sockets Layer.
        SSL = 0x06 => "SSL",
        /// NDS authentication.
        NDS = 0x07 => "NDS",
        /// Multi-Authentication Framework.
        MAF = 0x08 => "MAF",
        /// JSON Parameter Block.
        JSON_PARAMETER_BLOCK = 0x09 => "JSON_PARAMETER_BLOCK",
        /// The server's answer when no offered method is acceptable.
        NO_ACCEPTABLE = 0xFF => "NO_ACCEPTABLE",
    }
}

impl Method {
    /// Whether this value lies in the private range `0x80..=0xFE`.
    #[must_use]
    pub const fn is_private(self) -> bool {
        self.0 >= 0x80 && self.0 != 0xFF
    }
}

open_code! {
    /// A SOCKS5 reply code (`REP`), including Tor's onion-service codes 0xF0-0xF7 (prop304).
    ReplyCode {
        /// Succeeded.
        SUCCEEDED = 0x00 => "SUCCEEDED",
        /// General SOCKS server failure.
        GENERAL_FAILURE = 0x01 => "GENERAL_FAILURE",
        /// Connection not allowed by ruleset.
        NOT_ALLOWED = 0x02 => "NOT_ALLOWED",
        /// Network unreachable.
        NETWORK_UNREACHABLE = 0x03 => "NETWORK_UNREACHABLE",
        /// Host unreachable.
        HOST_UNREACHABLE = 0x04 => "HOST_UNREACHABLE",
        /// Connection refused.
        CONNECTION_REFUSED = 0x05 => "CONNECTION_REFUSED",
        /// TTL expired.
        TTL_EXPIRED = 0x06 => "TTL_EXPIRED",
        /// Command not supported.
        COMMAND_NOT_SUPPORTED = 0x07 => "COMMAND_NOT_SUPPORTED",
        /// Address type not supported.
        ADDRTYPE_NOT_SUPPORTED = 0x08 => "ADDRTYPE_NOT_SUPPORTED",
        /// Tor: onion service descriptor not found.
        HS_DESC_NOT_FOUND = 0xF0 => "HS_DESC_NOT_FOUND",
        /// Tor: onion service descriptor invalid.
        HS_DESC_INVALID = 0xF1 => "HS_DESC_INVALID",
        /// Tor: onion service introduction failed.
        HS_INTRO_FAILED = 0xF2 => "HS_INTRO_FAILED",
        /// Tor: onion service rendezvous failed.
        HS_REND_FAILED = 0xF3 => "HS_REND_FAILED",
        /// Tor: onion service missing client authorization.
        HS_MISSING_CLIENT_AUTH = 0xF4 => "HS_MISSING_CLIENT_AUTH",
        /// Tor: onion service wrong client authorization.
        HS_WRONG_CLIENT_AUTH = 0xF5 => "HS_WRONG_CLIENT_AUTH",
        /// Tor: onion service address invalid.
        HS_BAD_ADDRESS = 0xF6 => "HS_BAD_ADDRESS",
        /// Tor: onion service introduction timed out.
        HS_INTRO_TIMEOUT = 0xF7 => "HS_INTRO_TIMEOUT",
    }
}

open_code! {
    /// A SOCKS5 address type (`ATYP`).
    ///
    /// `UNSPECIFIED` (0) is not in RFC 1928: C Tor sends it in its RESOLVE failure reply.
    AddrType {
        /// Tor's "no address" form, followed by four bytes.
        UNSPECIFIED = 0x00 => "UNSPECIFIED",
        /// IPv4 address, four bytes.
        IPV4 = 0x01 => "IPV4",
        /// Domain name: a length byte and that many bytes.
        DOMAIN = 0x03 => "DOMAIN",
        /// IPv6 address, sixteen bytes.
        IPV6 = 0x04 => "IPV6",
    }
}

open_code! {
    /// A SOCKS4 reply code (`CD` in a reply).
    Socks4Status {
        /// Request granted.
        GRANTED = 0x5A => "GRANTED",
        /// Request rejected or failed.
        REJECTED = 0x5B => "REJECTED",
        /// Rejected: the server cannot reach the client's identd.
        NO_IDENTD = 0x5C => "NO_IDENTD",
        /// Rejected: identd reports a different user-id.
        IDENTD_MISMATCH = 0x5D => "IDENTD_MISMATCH",
    }
}

open_code! {
    /// An RFC 1929 username/password status (`STATUS`): 0 is success, anything else failure.
    AuthStatus {
        /// Authentication succeeded.
        SUCCESS = 0x00 => "SUCCESS",
        /// Authentication failed (the conventional failure value).
        FAILURE = 0x01 => "FAILURE",
    }
}

impl AuthStatus {
    /// RFC 1929: a status of zero means success, any other value failure.
    #[must_use]
    pub const fn is_success(self) -> bool {
        self.0 == 0
    }
}

open_code! {
    /// An RFC 1961 GSS-API message type (`MTYP`).
    GssapiMessageType {
        /// Authentication (context establishment) token.
        AUTHENTICATION = 0x01 => "AUTHENTICATION",
        /// Protection-level negotiation.
        PROTECTION = 0x02 => "PROTECTION",
        /// Per-message encapsulation.
        ENCAPSULATION = 0x03 => "ENCAPSULATION",
        /// Abort: the peer refuses; no length or token follows.
        ABORT = 0xFF => "ABORT",
    }
}

bitflags::bitflags! {
    /// The set of methods a SOCKS5 greeting offers, folded into flags.
    ///
    /// Built by [`crate::Socks5Greeting::method_set`]; the greeting itself keeps the raw list.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
    pub struct MethodSet: u16 {
        /// 0x00, no authentication.
        const NO_AUTH = 1 << 0;
        /// 0x01, GSS-API.
        const GSSAPI = 1 << 1;
        /// 0x02, username/password.
        const USERNAME_PASSWORD = 1 << 2;
        /// Another IANA-assigned method, 0x03..=0x09.
        const OTHER_IANA = 1 << 3;
        /// Unassigned, 0x0A..=0x7F.
        const UNASSIGNED = 1 << 4;
        /// Private range, 0x80..=0xFE.
        const PRIVATE = 1 << 5;
        /// 0xFF offered by a client, which is meaningless.
        const NO_ACCEPTABLE = 1 << 6;
    }
}

impl MethodSet {
    /// The flag a single method falls under.
    #[must_use]
    pub const fn of(method: Method) -> MethodSet {
        match method.0 {
            0x00 => MethodSet::NO_AUTH,
            0x01 => MethodSet::GSSAPI,
            0x02 => MethodSet::USERNAME_PASSWORD,
            0x03..=0x09 => MethodSet::OTHER_IANA,
            0x0A..=0x7F => MethodSet::UNASSIGNED,
            0x80..=0xFE => MethodSet::PRIVATE,
            _ => MethodSet::NO_ACCEPTABLE,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    extern crate std;
    use std::format;

    #[test]
    fn display_and_debug_name_known_and_hex_unknown() {
        assert_eq!(format!("{}", Command::RESOLVE_PTR), "RESOLVE_PTR");
        assert_eq!(format!("{}", Command(0x99)), "0x99");
        assert_eq!(
            format!("{:?}", ReplyCode::HS_INTRO_TIMEOUT),
            "ReplyCode(HS_INTRO_TIMEOUT)"
        );
        assert_eq!(format!("{:?}", ReplyCode(0x09)), "ReplyCode(0x09)");
        assert!(Method::NO_ACCEPTABLE.is_known());
        assert!(!Method(0x80).is_known());
        assert!(Method(0x80).is_private() && Method(0xFE).is_private());
        assert!(!Method::NO_ACCEPTABLE.is_private());
    }

    #[test]
    fn method_set_covers_every_byte() {
        for b in 0..=255u8 {
            assert_eq!(MethodSet::of(Method(b)).bits().count_ones(), 1, "{b:#x}");
        }
    }
}
