//! Fuzz body for the UDP relay's per-datagram decision, [`UdpRelay::datagram`].

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::vec::Vec;

use crate::dissect::{UdpOutcome, UdpReassembler};
use crate::{
    Addr, UdpDestination, UdpDrop, UdpRelay, UdpRelayAction, canonical_ip,
    parse_socks5_udp_datagram, parse_socks5_udp_header,
};

/// The addresses datagrams come from: the client's IPv4 address in three spellings, other
/// hosts, IPv6.
const IPS: [IpAddr; 8] = [
    IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
    IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1)),
    IpAddr::V6(Ipv6Addr::LOCALHOST),
    IpAddr::V4(Ipv4Addr::new(10, 0, 0, 1)),
    IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0x7f00, 1)),
    IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7)),
    IpAddr::V6(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0x0a00, 1)),
    IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
];
const PORTS: [u16; 4] = [5000, 5001, 5002, 53];

/// Fuzz body for [`UdpRelay::datagram`] (a 64-byte fragment queue, so overflow is
/// reachable). Input: the client's TCP address (`IPS[b0 & 7]`) and its request's port
/// (`b1 & 3`: 0, or `PORTS[b1 & 3]`), then datagrams, each as a control byte (sender
/// `IPS[c & 7]`, port `PORTS[c >> 3 & 3]`, bit 5: the client has sent to it), a length byte
/// and that many bytes. Checked against the relay's rules written out here: a datagram is the
/// client's when its address is the client's IP in any spelling and its port the request's
/// (or, with port 0, the first such datagram's); only the client's datagrams reach the
/// fragment queue, which must behave as a `UdpReassembler` fed them alone; a whole or
/// reassembled payload goes where this datagram's header says; answers go back only from
/// known hosts once the client's port is known, with a header naming the sender that encodes
/// and parses back; everything else is dropped as a stranger.
pub fn udp_relay_datagram(data: &[u8]) -> Option<usize> {
    let (&b0, rest) = data.split_first()?;
    let (&b1, mut rest) = rest.split_first()?;
    let client_ip = IPS[usize::from(b0 & 7)];
    let port = match b1 & 3 {
        0 => 0,
        k => PORTS[usize::from(k)],
    };
    let mut relay = UdpRelay::<64>::new(client_ip, port);
    let mut reference = UdpReassembler::<64>::new();
    let mut client: Option<SocketAddr> = (port != 0).then(|| SocketAddr::new(client_ip, port));
    let mut forwarded = 0;
    while let Some((&c, tail)) = rest.split_first() {
        let Some((&len, tail)) = tail.split_first() else {
            break;
        };
        let (dg, tail) = tail.split_at(usize::from(len).min(tail.len()));
        rest = tail;
        let from = SocketAddr::new(IPS[usize::from(c & 7)], PORTS[usize::from(c >> 3 & 3)]);
        let known_peer = c & 0x20 != 0;
        let is_client = canonical_ip(from.ip()) == canonical_ip(client_ip)
            && client.is_none_or(|k| k.port() == from.port());
        let action = relay.datagram(from, dg, known_peer);
        if !is_client {
            match (client, known_peer) {
                (Some(k), true) => {
                    let UdpRelayAction::Return { client: to, header } = action else {
                        panic!("{from} known: {action:?}");
                    };
                    assert_eq!(to, k);
                    assert_eq!((header.reserved, header.fragment), (0, 0));
                    assert_eq!(header.port, from.port());
                    let ip = match header.addr {
                        Addr::Ipv4(ip) => IpAddr::V4(ip),
                        Addr::Ipv6(ip) => IpAddr::V6(ip),
                        other => panic!("answer from {from} named {other:?}"),
                    };
                    assert_eq!(ip, from.ip(), "the sender, as it came");
                    let mut out = Vec::from(header.to_bytes().unwrap().as_slice());
                    out.extend_from_slice(dg);
                    let back = parse_socks5_udp_datagram(&out).unwrap();
                    assert_eq!((back.header, back.data), (header, dg));
                }
                _ => assert_eq!(action, UdpRelayAction::Dropped(UdpDrop::Stranger)),
            }
        } else {
            client.get_or_insert(from);
            let parsed = parse_socks5_udp_datagram(dg);
            let payload = match (reference.push(dg), parsed) {
                (UdpOutcome::Malformed(e), Err(e2)) => {
                    assert_eq!(e, e2);
                    assert_eq!(action, UdpRelayAction::Dropped(UdpDrop::Malformed(e)));
                    // The streaming header parser refuses it too (Incomplete or an error).
                    assert!(parse_socks5_udp_header(dg).is_err());
                    None
                }
                (UdpOutcome::Whole(w), Ok(p)) => Some((w.data, p)),
                (UdpOutcome::Reassembled(r), Ok(p)) => Some((r, p)),
                (UdpOutcome::Queued { .. } | UdpOutcome::Dropped, Ok(_)) => {
                    assert_eq!(action, UdpRelayAction::Held);
                    None
                }
                (outcome, parsed) => panic!("{outcome:?} for {parsed:?}"),
            };
            if let Some((expected, p)) = payload {
                let to = match p.header.addr {
                    Addr::Ipv4(ip) => Some(UdpDestination::Ip(SocketAddr::new(
                        IpAddr::V4(ip),
                        p.header.port,
                    ))),
                    Addr::Ipv6(ip) => Some(UdpDestination::Ip(SocketAddr::new(
                        IpAddr::V6(ip),
                        p.header.port,
                    ))),
                    Addr::Domain(name) => {
                        core::str::from_utf8(name)
                            .ok()
                            .map(|name| UdpDestination::Name {
                                name,
                                port: p.header.port,
                            })
                    }
                    Addr::Unspecified(_) => None,
                };
                match to {
                    Some(to) => {
                        let UdpRelayAction::Forward { to: got, payload } = action else {
                            panic!("{dg:02x?}: {action:?}");
                        };
                        assert_eq!(got, to);
                        assert_eq!(payload, expected);
                        forwarded += 1;
                    }
                    None => {
                        assert_eq!(action, UdpRelayAction::Dropped(UdpDrop::BadDestination));
                    }
                }
            }
        }
        assert_eq!(relay.client(), client);
    }
    Some(forwarded)
}
