//! `SocksRequest::reply`: 0.47's reply bytes, written by sockswire's reply encoders.

#[cfg(feature = "proxy-handshake")]
mod imp {
    use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

    use sockswire::{Addr, ReplyCode, Socks4Reply, Socks4Status, Socks5Reply};
    use tor_bytes::EncodeResult;

    use crate::frame::{encode_vec, wire_addr};
    use crate::msg::{SocksAddr, SocksRequest, SocksStatus, SocksVersion};

    impl SocksRequest {
        /// Format a reply to this request, indicating success or failure.
        ///
        /// Note that an address should be provided only when the request was for a RESOLVE.
        pub fn reply(
            &self,
            status: SocksStatus,
            addr: Option<&SocksAddr>,
        ) -> EncodeResult<Vec<u8>> {
            let bytes = match self.version() {
                SocksVersion::V4 => {
                    // Only an IPv4 answer is carried (with the request's port); else zeros.
                    let (port, ip) = match addr {
                        Some(SocksAddr::Ip(IpAddr::V4(ip))) => (self.port(), *ip),
                        _ => (0, Ipv4Addr::UNSPECIFIED),
                    };
                    let status = Socks4Status(status.into_socks4_status());
                    encode_vec(&Socks4Reply::new(status, port, ip))?
                }
                SocksVersion::V5 => {
                    // Without an answer: the unspecified address of the request's family.
                    let (bound, port) = match addr {
                        Some(a) => (wire_addr(a), self.port()),
                        None => match self.addr() {
                            SocksAddr::Ip(IpAddr::V6(_)) => (Addr::Ipv6(Ipv6Addr::UNSPECIFIED), 0),
                            _ => (Addr::Ipv4(Ipv4Addr::UNSPECIFIED), 0),
                        },
                    };
                    encode_vec(&Socks5Reply::new(ReplyCode(status.into()), bound, port))?
                }
            };
            Ok(bytes)
        }
    }
}
