//! The PDF text layer (pdf-extract behind our OutputDev): any bytes, no panic escapes.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    // pst contains pdf-extract's panics with catch_unwind and reports them as errors;
    // libfuzzer-sys's hook would abort on those too. Without it, only a panic that
    // escapes pst aborts (libfuzzer-sys turns it into a crash).
    static QUIET: std::sync::Once = std::sync::Once::new();
    QUIET.call_once(|| std::panic::set_hook(Box::new(|_| {})));
    let _ = pst_parse::pdf_text(bytes);
});
