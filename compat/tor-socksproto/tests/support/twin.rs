//! One driver, instantiated twice by `twin!`: over the facade (`tor_socksproto`) and over the
//! published crate (`real`). Every observable is reduced to text or bytes, so the two runs
//! compare with `==`: the steps (with each `Recv`'s buffer length, which is the deficit in
//! precise mode), the bytes sent, the end (the output's `Debug`, or the error's `Debug` and
//! `HasKind`), the leftover bytes, the `reply()` bytes, and what one more `step` then gives.

/// Everything one run showed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    pub steps: String,
    pub sent: Vec<u8>,
    pub end: String,
    pub rest: Vec<u8>,
    pub replies: Vec<String>,
    pub after: String,
}

/// Defines module `$m` driving crate `$c`.
macro_rules! twin {
    ($m:ident, $c:ident) => {
        #[allow(dead_code, deprecated)]
        pub mod $m {
            use t::{Buffer, Handshake, NextStep, ReadPrecision};
            use tor_error::HasKind as _;
            use $c as t;

            use crate::owned::{OwnedAddr, OwnedAuth};

            use crate::twin::Run;

            /// An error as text: `Debug` (without a `Bug`'s location and backtrace) and kind.
            pub fn err_text(e: &t::Error) -> String {
                let what = match e {
                    t::Error::Bug(_) => "Bug".to_string(),
                    t::Error::AlreadyFinished(_) => "AlreadyFinished".to_string(),
                    e => format!("{e:?} / {e}"),
                };
                format!("Error({what}; kind {:?})", e.kind())
            }

            pub fn addr(a: &OwnedAddr) -> Option<t::SocksAddr> {
                Some(match a {
                    OwnedAddr::Ip(ip) => t::SocksAddr::Ip(*ip),
                    OwnedAddr::Host(h) => {
                        t::SocksAddr::Hostname(String::from_utf8(h.clone()).ok()?.try_into().ok()?)
                    }
                })
            }

            pub fn auth(a: &OwnedAuth) -> t::SocksAuth {
                match a {
                    OwnedAuth::None => t::SocksAuth::NoAuth,
                    OwnedAuth::Socks4(id) => t::SocksAuth::Socks4(id.clone()),
                    OwnedAuth::UserPass(u, p) => t::SocksAuth::Username(u.clone(), p.clone()),
                }
            }

            /// `SocksRequest::new` on raw fields, as text.
            pub fn request(
                version: u8,
                cmd: u8,
                a: &OwnedAddr,
                port: u16,
                au: &OwnedAuth,
            ) -> Result<t::SocksRequest, String> {
                let v = t::SocksVersion::try_from(version).map_err(|e| format!("{e}"))?;
                let a = addr(a).ok_or("unrepresentable address")?;
                t::SocksRequest::new(v, t::SocksCmd::from(cmd), a, port, auth(au))
                    .map_err(|e| err_text(&e))
            }

            /// The reply bytes for every status and answer address.
            pub fn replies(r: &t::SocksRequest, addrs: &[Option<OwnedAddr>]) -> Vec<String> {
                let mut out = Vec::new();
                for status in [0x00u8, 0x01, 0x5B, 0xF6] {
                    for a in addrs {
                        let a = a.as_ref().and_then(addr);
                        out.push(match r.reply(status.into(), a.as_ref()) {
                            Ok(b) => crate::owned::hex(&b),
                            Err(e) => format!("{e:?}"),
                        });
                    }
                }
                out
            }

            /// Drives `hs` over `input`, `chunk` bytes per read.
            fn drive<H: Handshake, P: ReadPrecision>(
                hs: &mut H,
                buf: &mut Buffer<P>,
                mut input: &[u8],
                chunk: usize,
                describe: impl Fn(&H::Output) -> (String, Vec<String>),
            ) -> Run {
                let mut steps = String::new();
                let mut sent = Vec::new();
                let mut end = None;
                for _ in 0..100_000 {
                    match hs.step(buf) {
                        Ok(NextStep::Send(b)) => {
                            steps.push_str(&format!("S{} ", b.len()));
                            sent.extend_from_slice(&b);
                        }
                        Ok(NextStep::Recv(mut recv)) => {
                            let room = recv.buf().len();
                            steps.push_str(&format!("R{room} "));
                            if input.is_empty() {
                                end = Some(("NeedMore".to_string(), Vec::new(), Vec::new()));
                                break;
                            }
                            let n = room.min(chunk).min(input.len());
                            recv.buf()[..n].copy_from_slice(&input[..n]);
                            input = &input[n..];
                            recv.note_received(n).expect("note_received");
                        }
                        Ok(NextStep::Finished(done)) => {
                            steps.push('F');
                            let (out, rest) = done.into_output_and_slice();
                            let mut rest = rest.to_vec();
                            rest.extend_from_slice(input);
                            let (text, replies) = describe(&out);
                            end = Some((format!("Finished({text})"), rest, replies));
                            break;
                        }
                        Err(e) => {
                            end = Some((err_text(&e), Vec::new(), Vec::new()));
                            break;
                        }
                    }
                }
                let (end, rest, replies) = end.expect("the handshake ended");
                let after = match hs.step(buf) {
                    Ok(NextStep::Send(b)) => format!("Send({})", crate::owned::hex(&b)),
                    Ok(NextStep::Recv(mut r)) => format!("Recv({})", r.buf().len()),
                    Ok(NextStep::Finished(_)) => "Finished".to_string(),
                    Err(e) => err_text(&e),
                };
                Run {
                    steps,
                    sent,
                    end,
                    rest,
                    replies,
                    after,
                }
            }

            /// Drives with the deprecated `handshake()`: input arrives `chunk` bytes at a time
            /// and is kept until drained; one more call follows the end.
            fn legacy<H: Handshake>(hs: &mut H, input: &[u8], chunk: usize) -> String {
                let mut log = String::new();
                let (mut have, mut next) = (Vec::new(), 0);
                for _ in 0..100_000 {
                    match hs.handshake(&have) {
                        Err(_truncated) => {
                            if next >= input.len() {
                                log.push_str("Truncated");
                                return log;
                            }
                            let n = chunk.min(input.len() - next);
                            have.extend_from_slice(&input[next..next + n]);
                            next += n;
                        }
                        Ok(Ok(a)) => {
                            log.push_str(&format!(
                                "A(drain {} reply {} finished {}) ",
                                a.drain,
                                crate::owned::hex(&a.reply),
                                a.finished
                            ));
                            have.drain(..a.drain);
                            if a.finished {
                                break;
                            }
                        }
                        Ok(Err(e)) => {
                            log.push_str(&err_text(&e));
                            break;
                        }
                    }
                }
                match hs.handshake(&have) {
                    Err(_) => log.push_str(" then Truncated"),
                    Ok(Ok(a)) => log.push_str(&format!(" then drain {}", a.drain)),
                    Ok(Err(e)) => log.push_str(&format!(" then {}", err_text(&e))),
                }
                log
            }

            fn describe_req(r: &t::SocksRequest) -> (String, Vec<String>) {
                (format!("{r:?}"), replies(r, crate::owned::reply_addrs()))
            }

            fn describe_reply(r: &t::SocksReply) -> (String, Vec<String>) {
                let text = format!(
                    "{r:?} status {} {:?} addr {} port {}",
                    r.status(),
                    r.status(),
                    r.addr(),
                    r.port()
                );
                (text, Vec::new())
            }

            pub fn proxy(input: &[u8], chunk: usize, precise: bool) -> Run {
                let mut hs = t::SocksProxyHandshake::new();
                let mut run = if precise {
                    drive(
                        &mut hs,
                        &mut Buffer::new_precise(),
                        input,
                        chunk,
                        describe_req,
                    )
                } else {
                    drive(&mut hs, &mut Buffer::new(), input, chunk, describe_req)
                };
                run.after
                    .push_str(&format!(" finished() {}", hs.finished()));
                run
            }

            pub fn proxy_legacy(input: &[u8], chunk: usize) -> String {
                let mut hs = t::SocksProxyHandshake::new();
                let mut log = legacy(&mut hs, input, chunk);
                log.push_str(&format!(
                    " finished() {} into_request {:?}",
                    hs.finished(),
                    hs.clone().into_request()
                ));
                log
            }

            pub fn client(r: t::SocksRequest, server: &[u8], chunk: usize, precise: bool) -> Run {
                let mut hs = t::SocksClientHandshake::new(r);
                if precise {
                    drive(
                        &mut hs,
                        &mut Buffer::new_precise(),
                        server,
                        chunk,
                        describe_reply,
                    )
                } else {
                    drive(&mut hs, &mut Buffer::new(), server, chunk, describe_reply)
                }
            }

            pub fn client_legacy(r: t::SocksRequest, server: &[u8], chunk: usize) -> String {
                let mut hs = t::SocksClientHandshake::new(r);
                let mut log = legacy(&mut hs, server, chunk);
                log.push_str(&format!(" into_reply {:?}", hs.into_reply()));
                log
            }
        }
    };
}
