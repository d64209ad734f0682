//! Proof 3 of the drop-in, compiled: every public item of tor-socksproto 0.47.0 (the list in
//! `api/tor-socksproto-0.47.0.txt`, one `// api:` tag each) is used here through the facade,
//! with 0.47's exact signature (methods are coerced to `fn` pointers of that type), so a
//! missing or changed item fails to compile. `tests/api_items.rs` checks that every line of
//! the list has its tag here and that the list is 0.47's. Written from the list with a
//! template per kind of item; the four unnameable items of 0.47 (its sealed supertrait
//! and that trait's impls and method) are tagged with a comment saying so.
#![allow(
    dead_code,
    unused_variables,
    clippy::type_complexity,
    clippy::let_unit_value
)]
#![allow(unreachable_code, clippy::diverging_sub_expression)]

use std::borrow::Cow;
use std::net::IpAddr;
use std::num::NonZeroUsize;

use tor_error::Bug;
use tor_socksproto::*;

/// 0.47's `InvalidSocksVersion` is public but unnameable; it is reached as this.
type InvalidSocksVersion = <SocksVersion as TryFrom<u8>>::Error;

/// `$ty` implements `$tr`.
macro_rules! imp {
    ($ty:ty => $($tr:tt)+) => {{
        fn c<T: $($tr)+>() {}
        c::<$ty>();
    }};
}

fn items<'b, O: 'b, P: ReadPrecision + 'b, H: Handshake>() {
    // api: const SOCKS_BUF_LEN: usize
    let _: usize = SOCKS_BUF_LEN;
    // api: const SocksCmd::BIND
    let _: SocksCmd = SocksCmd::BIND;
    // api: const SocksCmd::CONNECT
    let _: SocksCmd = SocksCmd::CONNECT;
    // api: const SocksCmd::RESOLVE
    let _: SocksCmd = SocksCmd::RESOLVE;
    // api: const SocksCmd::RESOLVE_PTR
    let _: SocksCmd = SocksCmd::RESOLVE_PTR;
    // api: const SocksCmd::UDP_ASSOCIATE
    let _: SocksCmd = SocksCmd::UDP_ASSOCIATE;
    // api: const SocksStatus::ADDRTYPE_NOT_SUPPORTED
    let _: SocksStatus = SocksStatus::ADDRTYPE_NOT_SUPPORTED;
    // api: const SocksStatus::COMMAND_NOT_SUPPORTED
    let _: SocksStatus = SocksStatus::COMMAND_NOT_SUPPORTED;
    // api: const SocksStatus::CONNECTION_REFUSED
    let _: SocksStatus = SocksStatus::CONNECTION_REFUSED;
    // api: const SocksStatus::GENERAL_FAILURE
    let _: SocksStatus = SocksStatus::GENERAL_FAILURE;
    // api: const SocksStatus::HOST_UNREACHABLE
    let _: SocksStatus = SocksStatus::HOST_UNREACHABLE;
    // api: const SocksStatus::HS_BAD_ADDRESS
    let _: SocksStatus = SocksStatus::HS_BAD_ADDRESS;
    // api: const SocksStatus::HS_DESC_INVALID
    let _: SocksStatus = SocksStatus::HS_DESC_INVALID;
    // api: const SocksStatus::HS_DESC_NOT_FOUND
    let _: SocksStatus = SocksStatus::HS_DESC_NOT_FOUND;
    // api: const SocksStatus::HS_INTRO_FAILED
    let _: SocksStatus = SocksStatus::HS_INTRO_FAILED;
    // api: const SocksStatus::HS_INTRO_TIMEOUT
    let _: SocksStatus = SocksStatus::HS_INTRO_TIMEOUT;
    // api: const SocksStatus::HS_MISSING_CLIENT_AUTH
    let _: SocksStatus = SocksStatus::HS_MISSING_CLIENT_AUTH;
    // api: const SocksStatus::HS_REND_FAILED
    let _: SocksStatus = SocksStatus::HS_REND_FAILED;
    // api: const SocksStatus::HS_WRONG_CLIENT_AUTH
    let _: SocksStatus = SocksStatus::HS_WRONG_CLIENT_AUTH;
    // api: const SocksStatus::NETWORK_UNREACHABLE
    let _: SocksStatus = SocksStatus::NETWORK_UNREACHABLE;
    // api: const SocksStatus::NOT_ALLOWED
    let _: SocksStatus = SocksStatus::NOT_ALLOWED;
    // api: const SocksStatus::SUCCEEDED
    let _: SocksStatus = SocksStatus::SUCCEEDED;
    // api: const SocksStatus::TTL_EXPIRED
    let _: SocksStatus = SocksStatus::TTL_EXPIRED;
    // api: enum Error
    let _: Option<Error> = None;
    // api: enum NextStep<'b, O, P: ReadPrecision>
    let _: Option<NextStep<'b, O, P>> = None;
    // api: enum SocksAddr
    let _: Option<SocksAddr> = None;
    // api: enum SocksAuth
    let _: Option<SocksAuth> = None;
    // api: enum SocksVersion
    let _: Option<SocksVersion> = None;
    // api: field Action::drain: usize
    let _ = |x: Action| -> usize { x.drain };
    // api: field Action::finished: bool
    let _ = |x: Action| -> bool { x.finished };
    // api: field Action::reply: Vec<u8>
    let _ = |x: Action| -> Vec<u8> { x.reply };
    // api: field InvalidSocksVersion::0: u8
    let _ = |x: InvalidSocksVersion| -> u8 { x.0 };
    // api: fn Buffer::filled_slice(&mut self) -> &[u8]
    let _: fn(&mut Buffer<P>) -> &[u8] = Buffer::<P>::filled_slice;
    // api: fn Buffer::from_parts(buf: Box<[u8]>, filled: usize) -> Self
    let _: fn(Box<[u8]>, usize) -> Buffer<P> = Buffer::<P>::from_parts;
    // api: fn Buffer::into_parts(self) -> (Box<[u8]>, usize)
    let _: fn(Buffer<P>) -> (Box<[u8]>, usize) = Buffer::<P>::into_parts;
    // api: fn Buffer::new() -> Self
    let _: fn() -> Buffer<()> = Buffer::<()>::new;
    // api: fn Buffer::new_precise() -> Self
    let _: fn() -> Buffer<PreciseReads> = Buffer::<PreciseReads>::new_precise;
    // api: fn Buffer::note_received(&mut self, len: NonZeroUsize)
    let _: fn(&mut Buffer<P>, NonZeroUsize) = Buffer::<P>::note_received;
    // api: fn Buffer::unfilled_slice(&mut self) -> &mut [u8]
    let _: fn(&mut Buffer<P>) -> &mut [u8] = Buffer::<P>::unfilled_slice;
    // api: fn Buffer::with_size(size: usize) -> Self
    let _: fn(usize) -> Buffer<P> = Buffer::<P>::with_size;
    // api: fn Finished::into_output(self) -> Result<O, Bug>
    let _: fn(Finished<'b, O, PreciseReads>) -> std::result::Result<O, Bug> =
        Finished::<'b, O, PreciseReads>::into_output;
    // api: fn Finished::into_output_and_slice(self) -> (O, &'b [u8])
    let _: fn(Finished<'b, O, P>) -> (O, &'b [u8]) = Finished::<'b, O, P>::into_output_and_slice;
    // api: fn Finished::into_output_and_vec(self) -> (O, Vec<u8>)
    let _: fn(Finished<'b, O, P>) -> (O, Vec<u8>) = Finished::<'b, O, P>::into_output_and_vec;
    // api: fn Finished::into_output_forbid_pipelining(self) -> Result<O, Error>
    let _: fn(Finished<'b, O, P>) -> std::result::Result<O, Error> =
        Finished::<'b, O, P>::into_output_forbid_pipelining;
    // api: fn Handshake::handshake(&mut self, input: &[u8]) -> crate::TResult<Action>
    #[allow(deprecated)]
    let _: fn(&mut H, &[u8]) -> TResult<Action> = H::handshake;
    // api: fn Handshake::step<'b, P: ReadPrecision>(&mut self, buffer: &'b mut Buffer<P>) -> Result<NextStep<'b, <Self as Handshake>::Output, P>, Error>
    let _: fn(&mut H, &'b mut Buffer<P>) -> std::result::Result<NextStep<'b, H::Output, P>, Error> =
        H::step::<P>;
    // api: fn ReadPrecisionSealed::recv_step_buf(buf: &mut [u8], deficit: NonZeroUsize) -> &mut [u8]
    // unnameable, as in 0.47: a method of the sealed supertrait, reached only through ReadPrecision
    // api: fn RecvStep::buf(&mut self) -> &mut [u8]
    let _: for<'c> fn(&'c mut RecvStep<'b, P>) -> &'c mut [u8] = RecvStep::<'b, P>::buf;
    // api: fn RecvStep::note_received(self, len: usize) -> Result<(), Error>
    let _: fn(RecvStep<'b, P>, usize) -> std::result::Result<(), Error> =
        RecvStep::<'b, P>::note_received;
    // api: fn SocksClientHandshake::into_reply(self) -> Option<SocksReply>
    let _: fn(SocksClientHandshake) -> Option<SocksReply> = SocksClientHandshake::into_reply;
    // api: fn SocksClientHandshake::new(request: SocksRequest) -> Self
    let _: fn(SocksRequest) -> SocksClientHandshake = SocksClientHandshake::new;
    // api: fn SocksCmd::from_name(name: &str) -> Option<Self>
    let _: fn(&str) -> Option<SocksCmd> = SocksCmd::from_name;
    // api: fn SocksCmd::is_recognized(self) -> bool
    let _: fn(SocksCmd) -> bool = SocksCmd::is_recognized;
    // api: fn SocksProxyHandshake::finished(&self) -> bool
    let _: fn(&SocksProxyHandshake) -> bool = SocksProxyHandshake::finished;
    // api: fn SocksProxyHandshake::into_request(self) -> Option<SocksRequest>
    let _: fn(SocksProxyHandshake) -> Option<SocksRequest> = SocksProxyHandshake::into_request;
    // api: fn SocksProxyHandshake::new() -> Self
    let _: fn() -> SocksProxyHandshake = SocksProxyHandshake::new;
    // api: fn SocksReply::addr(&self) -> &SocksAddr
    let _: fn(&SocksReply) -> &SocksAddr = SocksReply::addr;
    // api: fn SocksReply::port(&self) -> u16
    let _: fn(&SocksReply) -> u16 = SocksReply::port;
    // api: fn SocksReply::status(&self) -> SocksStatus
    let _: fn(&SocksReply) -> SocksStatus = SocksReply::status;
    // api: fn SocksRequest::addr(&self) -> &SocksAddr
    let _: fn(&SocksRequest) -> &SocksAddr = SocksRequest::addr;
    // api: fn SocksRequest::auth(&self) -> &SocksAuth
    let _: fn(&SocksRequest) -> &SocksAuth = SocksRequest::auth;
    // api: fn SocksRequest::command(&self) -> SocksCmd
    let _: fn(&SocksRequest) -> SocksCmd = SocksRequest::command;
    // api: fn SocksRequest::new(version: SocksVersion, cmd: SocksCmd, addr: SocksAddr, port: u16, auth: SocksAuth) -> Result<Self>
    let _: fn(SocksVersion, SocksCmd, SocksAddr, u16, SocksAuth) -> Result<SocksRequest> =
        SocksRequest::new;
    // api: fn SocksRequest::port(&self) -> u16
    let _: fn(&SocksRequest) -> u16 = SocksRequest::port;
    // api: fn SocksRequest::reply(&self, status: SocksStatus, addr: Option<&SocksAddr>) -> EncodeResult<Vec<u8>>
    let _: fn(&SocksRequest, SocksStatus, Option<&SocksAddr>) -> tor_bytes::EncodeResult<Vec<u8>> =
        SocksRequest::reply;
    // api: fn SocksRequest::version(&self) -> SocksVersion
    let _: fn(&SocksRequest) -> SocksVersion = SocksRequest::version;
    // api: fn SocksStatus::from_name(name: &str) -> Option<Self>
    let _: fn(&str) -> Option<SocksStatus> = SocksStatus::from_name;
    // api: fn SocksStatus::is_recognized(self) -> bool
    let _: fn(SocksStatus) -> bool = SocksStatus::is_recognized;
    // api: impl Arbitrary for SocksAddr
    #[cfg(feature = "arbitrary")]
    imp!(SocksAddr => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksAuth
    #[cfg(feature = "arbitrary")]
    imp!(SocksAuth => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksCmd
    #[cfg(feature = "arbitrary")]
    imp!(SocksCmd => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksHostname
    #[cfg(feature = "arbitrary")]
    imp!(SocksHostname => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksRequest
    #[cfg(feature = "arbitrary")]
    imp!(SocksRequest => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksStatus
    #[cfg(feature = "arbitrary")]
    imp!(SocksStatus => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl Arbitrary for SocksVersion
    #[cfg(feature = "arbitrary")]
    imp!(SocksVersion => for<'a> arbitrary::Arbitrary<'a>);
    // api: impl AsRef<str> for SocksHostname
    imp!(SocksHostname => AsRef<str>);
    // api: impl Clone for Action
    imp!(Action => Clone);
    // api: impl Clone for Error
    imp!(Error => Clone);
    // api: impl Clone for InvalidSocksVersion
    imp!(InvalidSocksVersion => Clone);
    // api: impl Clone for PreciseReads
    imp!(PreciseReads => Clone);
    // api: impl Clone for SocksAddr
    imp!(SocksAddr => Clone);
    // api: impl Clone for SocksAuth
    imp!(SocksAuth => Clone);
    // api: impl Clone for SocksClientHandshake
    imp!(SocksClientHandshake => Clone);
    // api: impl Clone for SocksCmd
    imp!(SocksCmd => Clone);
    // api: impl Clone for SocksHostname
    imp!(SocksHostname => Clone);
    // api: impl Clone for SocksProxyHandshake
    imp!(SocksProxyHandshake => Clone);
    // api: impl Clone for SocksReply
    imp!(SocksReply => Clone);
    // api: impl Clone for SocksRequest
    imp!(SocksRequest => Clone);
    // api: impl Clone for SocksStatus
    imp!(SocksStatus => Clone);
    // api: impl Clone for SocksVersion
    imp!(SocksVersion => Clone);
    // api: impl Copy for InvalidSocksVersion
    imp!(InvalidSocksVersion => Copy);
    // api: impl Copy for PreciseReads
    imp!(PreciseReads => Copy);
    // api: impl Copy for SocksCmd
    imp!(SocksCmd => Copy);
    // api: impl Copy for SocksStatus
    imp!(SocksStatus => Copy);
    // api: impl Copy for SocksVersion
    imp!(SocksVersion => Copy);
    // api: impl Debug for Action
    imp!(Action => std::fmt::Debug);
    // api: impl Debug for Buffer
    imp!(Buffer<()> => std::fmt::Debug);
    // api: impl Debug for Error
    imp!(Error => std::fmt::Debug);
    // api: impl Debug for Finished
    imp!(Finished<'static, (), ()> => std::fmt::Debug);
    // api: impl Debug for InvalidSocksVersion
    imp!(InvalidSocksVersion => std::fmt::Debug);
    // api: impl Debug for NextStep
    imp!(NextStep<'static, (), ()> => std::fmt::Debug);
    // api: impl Debug for PreciseReads
    imp!(PreciseReads => std::fmt::Debug);
    // api: impl Debug for RecvStep
    imp!(RecvStep<'static, ()> => std::fmt::Debug);
    // api: impl Debug for SocksAddr
    imp!(SocksAddr => std::fmt::Debug);
    // api: impl Debug for SocksAuth
    imp!(SocksAuth => std::fmt::Debug);
    // api: impl Debug for SocksClientHandshake
    imp!(SocksClientHandshake => std::fmt::Debug);
    // api: impl Debug for SocksCmd
    imp!(SocksCmd => std::fmt::Debug);
    // api: impl Debug for SocksHostname
    imp!(SocksHostname => std::fmt::Debug);
    // api: impl Debug for SocksProxyHandshake
    imp!(SocksProxyHandshake => std::fmt::Debug);
    // api: impl Debug for SocksReply
    imp!(SocksReply => std::fmt::Debug);
    // api: impl Debug for SocksRequest
    imp!(SocksRequest => std::fmt::Debug);
    // api: impl Debug for SocksStatus
    imp!(SocksStatus => std::fmt::Debug);
    // api: impl Debug for SocksVersion
    imp!(SocksVersion => std::fmt::Debug);
    // api: impl Default for Buffer
    imp!(Buffer<()> => Default);
    // api: impl Default for PreciseReads
    imp!(PreciseReads => Default);
    // api: impl Default for SocksProxyHandshake
    imp!(SocksProxyHandshake => Default);
    // api: impl Display for SocksAddr
    imp!(SocksAddr => std::fmt::Display);
    // api: impl Display for SocksCmd
    imp!(SocksCmd => std::fmt::Display);
    // api: impl Display for SocksStatus
    imp!(SocksStatus => std::fmt::Display);
    // api: impl Display for SocksVersion
    imp!(SocksVersion => std::fmt::Display);
    // api: impl Eq for InvalidSocksVersion
    imp!(InvalidSocksVersion => Eq);
    // api: impl Eq for PreciseReads
    imp!(PreciseReads => Eq);
    // api: impl Eq for SocksAddr
    imp!(SocksAddr => Eq);
    // api: impl Eq for SocksAuth
    imp!(SocksAuth => Eq);
    // api: impl Eq for SocksCmd
    imp!(SocksCmd => Eq);
    // api: impl Eq for SocksHostname
    imp!(SocksHostname => Eq);
    // api: impl Eq for SocksStatus
    imp!(SocksStatus => Eq);
    // api: impl Eq for SocksVersion
    imp!(SocksVersion => Eq);
    // api: impl From<SocksCmd> for u8
    imp!(u8 => From<SocksCmd>);
    // api: impl From<SocksStatus> for u8
    imp!(u8 => From<SocksStatus>);
    // api: impl From<tor_bytes::Error> for Error
    imp!(Error => From<tor_bytes::Error>);
    // api: impl From<tor_error::Bug> for Error
    imp!(Error => From<tor_error::Bug>);
    // api: impl From<u8> for SocksCmd
    imp!(SocksCmd => From<u8>);
    // api: impl From<u8> for SocksStatus
    imp!(SocksStatus => From<u8>);
    // api: impl Handshake for SocksClientHandshake
    fn _client(r: SocksRequest) -> impl Handshake<Output = SocksReply> {
        SocksClientHandshake::new(r)
    }
    // api: impl Handshake for SocksProxyHandshake
    fn _proxy() -> impl Handshake<Output = SocksRequest> {
        SocksProxyHandshake::new()
    }
    // api: impl HasKind for Error
    imp!(Error => tor_error::HasKind);
    // api: impl Hash for SocksAuth
    imp!(SocksAuth => std::hash::Hash);
    // api: impl Ord for PreciseReads
    imp!(PreciseReads => Ord);
    // api: impl PartialEq for InvalidSocksVersion
    imp!(InvalidSocksVersion => PartialEq);
    // api: impl PartialEq for PreciseReads
    imp!(PreciseReads => PartialEq);
    // api: impl PartialEq for SocksAddr
    imp!(SocksAddr => PartialEq);
    // api: impl PartialEq for SocksAuth
    imp!(SocksAuth => PartialEq);
    // api: impl PartialEq for SocksCmd
    imp!(SocksCmd => PartialEq);
    // api: impl PartialEq for SocksHostname
    imp!(SocksHostname => PartialEq);
    // api: impl PartialEq for SocksStatus
    imp!(SocksStatus => PartialEq);
    // api: impl PartialEq for SocksVersion
    imp!(SocksVersion => PartialEq);
    // api: impl PartialOrd for PreciseReads
    imp!(PreciseReads => PartialOrd);
    // api: impl ReadPrecision for ()
    imp!(() => ReadPrecision);
    // api: impl ReadPrecision for PreciseReads
    imp!(PreciseReads => ReadPrecision);
    // api: impl ReadPrecisionSealed for ()
    // unnameable, as in 0.47: implied by `impl ReadPrecision for ()`
    // api: impl ReadPrecisionSealed for PreciseReads
    // unnameable, as in 0.47: implied by `impl ReadPrecision for PreciseReads`
    // api: impl Readable for SocksAddr
    imp!(SocksAddr => tor_bytes::Readable);
    // api: impl TryFrom<String> for SocksHostname
    imp!(SocksHostname => TryFrom<String>);
    // api: impl TryFrom<u8> for SocksVersion
    imp!(SocksVersion => TryFrom<u8>);
    // api: impl Writeable for SocksAddr
    imp!(SocksAddr => tor_bytes::Writeable);
    // api: impl std::error::Error for Error
    imp!(Error => std::error::Error);
    // api: impl std::error::Error for InvalidSocksVersion
    imp!(InvalidSocksVersion => std::error::Error);
    // api: reexport Action
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Action;
    }
    // api: reexport Buffer
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Buffer;
    }
    // api: reexport Error
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Error;
    }
    // api: reexport Finished
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Finished;
    }
    // api: reexport Handshake
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Handshake;
    }
    // api: reexport NextStep
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::NextStep;
    }
    // api: reexport PreciseReads
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::PreciseReads;
    }
    // api: reexport ReadPrecision
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::ReadPrecision;
    }
    // api: reexport RecvStep
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::RecvStep;
    }
    // api: reexport SocksAddr
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksAddr;
    }
    // api: reexport SocksAuth
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksAuth;
    }
    // api: reexport SocksClientHandshake
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksClientHandshake;
    }
    // api: reexport SocksCmd
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksCmd;
    }
    // api: reexport SocksHandshake
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksHandshake;
    }
    // api: reexport SocksHostname
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksHostname;
    }
    // api: reexport SocksProxyHandshake
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksProxyHandshake;
    }
    // api: reexport SocksReply
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksReply;
    }
    // api: reexport SocksRequest
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksRequest;
    }
    // api: reexport SocksStatus
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksStatus;
    }
    // api: reexport SocksVersion
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::SocksVersion;
    }
    // api: reexport Truncated
    {
        #[allow(unused_imports, deprecated)]
        use tor_socksproto::Truncated;
    }
    // api: struct Action
    let _: Option<Action> = None;
    // api: struct Buffer<P: ReadPrecision = ()>
    let _: Option<Buffer> = None::<Buffer<()>>;
    // api: struct Finished<'b, O, P: ReadPrecision>
    let _: Option<Finished<'b, O, P>> = None;
    // api: struct InvalidSocksVersion
    let _: Option<InvalidSocksVersion> = None;
    // api: struct PreciseReads
    let _: Option<PreciseReads> = None;
    // api: struct RecvStep<'b, P: ReadPrecision>
    let _: Option<RecvStep<'b, P>> = None;
    // api: struct SocksClientHandshake
    let _: Option<SocksClientHandshake> = None;
    // api: struct SocksCmd
    let _: Option<SocksCmd> = None;
    // api: struct SocksHostname
    let _: Option<SocksHostname> = None;
    // api: struct SocksProxyHandshake
    let _: Option<SocksProxyHandshake> = None;
    // api: struct SocksReply
    let _: Option<SocksReply> = None;
    // api: struct SocksRequest
    let _: Option<SocksRequest> = None;
    // api: struct SocksStatus
    let _: Option<SocksStatus> = None;
    // api: trait Handshake: HandshakeImpl + HasHandshakeOutput<Self::Output>
    fn _sealed<T: Handshake>() {} // the supertraits are private (sealed), as in 0.47
    // api: trait ReadPrecision: ReadPrecisionSealed + Default + Copy + Debug
    fn _rp<T: ReadPrecision>() -> T {
        T::default()
    }
    fn _rp2<T: ReadPrecision>(t: T) -> (T, T) {
        (t, t)
    }
    // api: trait ReadPrecisionSealed
    // unnameable, as in 0.47 (pub in a private module): implied by every ReadPrecision bound
    // api: type Handshake::Output: Debug
    fn _out<T: Handshake>(o: T::Output) -> String {
        format!("{o:?}")
    }
    // api: type Result<T>
    let _: Result<u8> = Ok::<u8, Error>(0);
    // api: type TResult<T>
    let _: TResult<u8> = Ok::<std::result::Result<u8, Error>, Truncated>(Ok(0));
    // api: variant Error::AlreadyFinished(tor_error::Bug)
    let _ = |a0: tor_error::Bug| Error::AlreadyFinished(a0);
    // api: variant Error::AuthRejected
    let _ = Error::AuthRejected;
    // api: variant Error::BadProtocol(u8)
    let _ = |a0: u8| Error::BadProtocol(a0);
    // api: variant Error::Bug(tor_error::Bug)
    let _ = |a0: tor_error::Bug| Error::Bug(a0);
    // api: variant Error::Decode(tor_bytes::Error)
    let _ = |a0: tor_bytes::Error| Error::Decode(a0);
    // api: variant Error::ForbiddenPipelining
    let _ = Error::ForbiddenPipelining;
    // api: variant Error::MessageTooLong { limit: usize }
    let _ = |limit: usize| Error::MessageTooLong { limit };
    // api: variant Error::NotImplemented(Cow<'static, str>)
    let _ = |a0: Cow<'static, str>| Error::NotImplemented(a0);
    // api: variant Error::Syntax
    let _ = Error::Syntax;
    // api: variant Error::UnexpectedEof
    let _ = Error::UnexpectedEof;
    // api: variant NextStep::Finished(Finished<'b, O, P>)
    let _ = |a0: Finished<'b, O, P>| NextStep::<'b, O, P>::Finished(a0);
    // api: variant NextStep::Recv(RecvStep<'b, P>)
    let _ = |a0: RecvStep<'b, P>| NextStep::<'b, O, P>::Recv(a0);
    // api: variant NextStep::Send(Vec<u8>)
    let _ = |a0: Vec<u8>| NextStep::<'b, O, P>::Send(a0);
    // api: variant SocksAddr::Hostname(SocksHostname)
    let _ = |a0: SocksHostname| SocksAddr::Hostname(a0);
    // api: variant SocksAddr::Ip(IpAddr)
    let _ = |a0: IpAddr| SocksAddr::Ip(a0);
    // api: variant SocksAuth::NoAuth
    let _ = SocksAuth::NoAuth;
    // api: variant SocksAuth::Socks4(Vec<u8>)
    let _ = |a0: Vec<u8>| SocksAuth::Socks4(a0);
    // api: variant SocksAuth::Username(Vec<u8>, Vec<u8>)
    let _ = |a0: Vec<u8>, a1: Vec<u8>| SocksAuth::Username(a0, a1);
    // api: variant SocksVersion::V4
    let _ = SocksVersion::V4;
    // api: variant SocksVersion::V5
    let _ = SocksVersion::V5;
}

#[test]
fn api_surface_compiles() {
    items::<(), (), SocksProxyHandshake>();
}
