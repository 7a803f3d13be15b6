//! The Office front-ends (DOCX, ODT, XLSX, ODS, XLS) alone: any bytes, no panic. The
//! first byte chooses the reader; seed with fixtures/office.
#![no_main]

libfuzzer_sys::fuzz_target!(|bytes: &[u8]| {
    use pst_parse::Format;
    let Some((&choice, rest)) = bytes.split_first() else {
        return;
    };
    let format = [Format::Docx, Format::Odt, Format::Xlsx, Format::Ods, Format::Xls]
        [usize::from(choice) % 5];
    let _ = pst_parse::parse_as("fuzz", rest, format);
});
