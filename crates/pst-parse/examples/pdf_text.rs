//! Prints the text layer of a PDF as `pst` reads it: `cargo run -p pst-parse --example pdf_text -- FILE.pdf`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: pdf_text FILE.pdf");
        std::process::exit(2);
    };
    match std::fs::read(&path)
        .map_err(|e| e.to_string())
        .and_then(|bytes| pst_parse::pdf_text(&bytes).map_err(|e| e.to_string()))
    {
        Ok(text) => print!("{text}"),
        Err(error) => {
            eprintln!("{path}: {error}");
            std::process::exit(1);
        }
    }
}
