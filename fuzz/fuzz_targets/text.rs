//! The text front-end and the recogniser alone, without format detection: any bytes, no panic.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    let _ = pst_parse::parse_as("fuzz.txt", bytes, pst_parse::Format::Text);
});
