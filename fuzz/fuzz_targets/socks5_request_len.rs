#![no_main]
use libfuzzer_sys::fuzz_target;
fuzz_target!(|data: &[u8]| { sockswire::fuzz_support::socks5_request_len(data); });
