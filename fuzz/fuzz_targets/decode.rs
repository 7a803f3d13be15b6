//! Encoding detection and decoding: any bytes, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = pst_parse::decode(bytes);
});
