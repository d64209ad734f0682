//! `AccessPolicy` as a hook of the proxy handshake: what the request shows is refused by
//! the handshake itself, with `05 02` or SOCKS4 `5B` as its failure reply.

use std::net::{IpAddr, SocketAddr};

use sockswire::{
    AccessPolicy, AccessRule, Action, Buffer, Denial, Destination, Error, Handshake, NextStep,
    ProxyPolicy, Refusal, SocksProxyHandshake,
};

/// Feeds `input` to a handshake with `access`; returns what it sent and how it ended.
fn run(
    access: &AccessPolicy<'_>,
    client: Option<IpAddr>,
    input: &[u8],
) -> (Vec<u8>, Result<(), Error>, Option<Vec<u8>>) {
    let mut policy = ProxyPolicy::ARTI;
    policy.access = Some(access);
    let mut hs = SocksProxyHandshake::with_policy(policy);
    if let Some(c) = client {
        hs.set_client(c);
    }
    let mut buf = Buffer::new();
    let mut input = input;
    let mut sent = Vec::new();
    let end = loop {
        match hs.step(&mut buf) {
            Err(e) => break Err(e),
            Ok(NextStep::Send(b)) => sent.extend_from_slice(b),
            Ok(NextStep::Recv(mut r)) => {
                let n = r.buf().len().min(input.len());
                r.buf()[..n].copy_from_slice(&input[..n]);
                input = &input[n..];
                if let Err(e) = r.note_received(n) {
                    break Err(e);
                }
            }
            Ok(NextStep::Finished(_)) => break Ok(()),
        }
    };
    (sent, end, hs.failure_reply().map(<[u8]>::to_vec))
}

const LISTENER: [SocketAddr; 1] = [SocketAddr::new(
    IpAddr::V4(std::net::Ipv4Addr::LOCALHOST),
    1080,
)];

#[test]
fn socks5_connect_to_the_proxy_itself() {
    let access = AccessPolicy::for_listeners(&LISTENER);
    let (sent, end, reply) = run(
        &access,
        None,
        b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x04\x38",
    );
    assert_eq!(sent, [5, 0]);
    assert_eq!(
        end,
        Err(Error::NotAllowed(Refusal::Access(Denial::OwnAddress)))
    );
    assert_eq!(reply.unwrap(), [5, 2, 0, 1, 0, 0, 0, 0, 0, 0]);
    // Another loopback port is fine on a loopback listener.
    let (_, end, _) = run(
        &access,
        None,
        b"\x05\x01\x00\x05\x01\x00\x01\x7f\x00\x00\x01\x00\x16",
    );
    assert_eq!(end, Ok(()));
}

#[test]
fn socks4_refusals_are_5b() {
    let access = AccessPolicy::for_listeners(&LISTENER);
    let (sent, end, reply) = run(&access, None, b"\x04\x01\x04\x38\x7f\x00\x00\x01\x00");
    assert_eq!(sent, b"");
    assert_eq!(
        end,
        Err(Error::NotAllowed(Refusal::Access(Denial::OwnAddress)))
    );
    assert_eq!(reply.unwrap(), [0, 0x5B, 0, 0, 0, 0, 0, 0]);
    // SOCKS4a with an IP literal name counts as the address.
    let (_, end, _) = run(
        &access,
        None,
        b"\x04\x01\x04\x38\x00\x00\x00\x01\x00127.0.0.1\x00",
    );
    assert_eq!(
        end,
        Err(Error::NotAllowed(Refusal::Access(Denial::OwnAddress)))
    );
}

#[test]
fn client_rules_need_the_client_address() {
    let clients = ["192.0.2.0/24".parse().unwrap()];
    let mut access = AccessPolicy::for_listeners(&[]);
    access.clients = &clients;
    let req = b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.com\x01\xbb";
    let denied = Err(Error::NotAllowed(Refusal::Access(Denial::Client)));
    assert_eq!(run(&access, None, req).1, denied);
    assert_eq!(
        run(&access, Some("203.0.113.5".parse().unwrap()), req).1,
        denied
    );
    assert_eq!(
        run(&access, Some("192.0.2.5".parse().unwrap()), req).1,
        Ok(())
    );
}

#[test]
fn domain_rules_and_first_match() {
    let rules = [
        AccessRule {
            destination: Destination::DomainSuffix("onion"),
            ..AccessRule::any(Action::Allow)
        },
        AccessRule {
            destination: Destination::DomainSuffix("example.com"),
            ..AccessRule::any(Action::Deny)
        },
    ];
    let mut access = AccessPolicy::for_listeners(&[]);
    access.rules = &rules;
    let (_, end, reply) = run(
        &access,
        None,
        b"\x05\x01\x00\x05\x01\x00\x03\x0fwww.example.com\x00\x50",
    );
    assert_eq!(
        end,
        Err(Error::NotAllowed(Refusal::Access(Denial::Rule {
            index: 1
        })))
    );
    assert_eq!(reply.unwrap(), [5, 2, 0, 1, 0, 0, 0, 0, 0, 0]);
    let (_, end, _) = run(
        &access,
        None,
        b"\x05\x01\x00\x05\x01\x00\x03\x0bexample.org\x00\x50",
    );
    assert_eq!(end, Ok(()));
}
