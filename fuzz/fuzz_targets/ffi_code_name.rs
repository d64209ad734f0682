#![no_main]
use libfuzzer_sys::fuzz_target;
fuzz_target!(|data: &[u8]| { sockswire_ffi::fuzz_support::ffi_code_name(data); });
