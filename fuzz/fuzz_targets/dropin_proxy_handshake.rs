//! The drop-in facade (`compat/tor-socksproto`) against the published tor-socksproto 0.47.0,
//! proxy side, on any bytes: zero differences allowed. The body and the input layout are in
//! `compat/tor-socksproto/tests/support/dropin_fuzz.rs`; `tests/fuzz_seeds.rs` there replays
//! the seeds on stable.
#![no_main]

#[path = "../../tests/support/owned.rs"]
mod owned;
#[macro_use]
#[path = "../../compat/tor-socksproto/tests/support/twin.rs"]
mod twin;
#[path = "../../compat/tor-socksproto/tests/support/dropin_fuzz.rs"]
mod dropin_fuzz;

twin!(facade, tor_socksproto_dropin);
twin!(oracle, tor_socksproto);

libfuzzer_sys::fuzz_target!(|data: &[u8]| dropin_fuzz::dropin_proxy_handshake(data));
