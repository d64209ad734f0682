//! Community ID v1 (corelight/community-id-spec): the flow hash Zeek, Suricata, Arkime and
//! Wireshark all write, so records from different tools join on it.

use std::net::IpAddr;

use sha1::{Digest, Sha1};

use super::flow::Endpoint;

/// IANA protocol numbers.
pub const TCP: u8 = 6;
/// IANA protocol numbers.
pub const UDP: u8 = 17;

/// `1:` and the base64 of SHA-1(seed 0, the smaller endpoint's address, the other address,
/// protocol, a zero byte, the smaller endpoint's port, the other port): the same for both
/// directions of a flow.
pub fn community_id(proto: u8, a: Endpoint, b: Endpoint) -> String {
    // The spec orders by address, then port: the tuple order of (IpAddr, u16) within a family.
    let (lo, hi) = if a <= b { (a, b) } else { (b, a) };
    let mut h = Sha1::new();
    h.update(0u16.to_be_bytes());
    for ip in [lo.0, hi.0] {
        match ip {
            IpAddr::V4(v4) => h.update(v4.octets()),
            IpAddr::V6(v6) => h.update(v6.octets()),
        }
    }
    h.update([proto, 0]);
    h.update(lo.1.to_be_bytes());
    h.update(hi.1.to_be_bytes());
    let digest: [u8; 20] = h.finalize().into();
    format!("1:{}", base64(&digest))
}

/// Standard base64 with padding (RFC 4648 section 4).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let digit = |n: u32| char::from(ALPHABET[(n & 63) as usize]);
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for group in bytes.chunks(3) {
        let b = |i: usize| u32::from(group.get(i).copied().unwrap_or(0));
        let n = (b(0) << 16) | (b(1) << 8) | b(2);
        out.push(digit(n >> 18));
        out.push(digit(n >> 12));
        out.push(if group.len() > 1 { digit(n >> 6) } else { '=' });
        out.push(if group.len() > 2 { digit(n) } else { '=' });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_pads_as_rfc4648_says() {
        // RFC 4648 section 10.
        for (input, want) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(input.as_bytes()), want);
        }
    }

    #[test]
    fn community_id_matches_the_spec_baseline() {
        // corelight/community-id-spec baseline/baseline_default.json (tcp.pcap, seed 0).
        let a = ("128.232.110.120".parse().unwrap(), 34855);
        let b = ("66.35.250.204".parse().unwrap(), 80);
        assert_eq!(community_id(TCP, a, b), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
        assert_eq!(community_id(TCP, b, a), "1:LQU9qZlK+B5F3KDmev6m5PMibrg=");
    }
}
