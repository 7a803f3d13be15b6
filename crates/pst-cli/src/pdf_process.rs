//! PDF text extraction in a child process. A hostile PDF can overflow the PDF library's
//! stack (a drawing that draws itself), exhaust memory or loop: none of these can be
//! caught inside one process. So `pst` starts itself with the hidden [`CHILD_COMMAND`],
//! gives it the PDF's bytes on standard input and reads the text layer back as JSON on
//! standard output. The child limits its own address space and CPU time before reading;
//! the parent kills it at a wall-clock limit. Whatever happens to the child is a
//! [`PdfError::Stopped`] naming the cause, for that file only.

use std::io::{Read, Write};
use std::process::{Command, ExitCode, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use pst_parse::{PdfError, PdfText};

/// The hidden subcommand the child runs.
pub(crate) const CHILD_COMMAND: &str = "__pdf-text";

/// The limits of one PDF's extraction, settable on the command line.
#[derive(Debug, Clone, Copy, clap::Args)]
pub(crate) struct PdfLimits {
    /// Address space the PDF reader may use, per PDF, in MiB; a PDF that needs more is
    /// an error naming it.
    #[arg(long = "pdf-memory", value_name = "MIB", default_value_t = 1024)]
    pub memory_mib: u64,
    /// Wall-clock seconds the PDF reader may take, per PDF (its CPU time is limited to
    /// twice this, as it reads pages on two threads); a PDF that takes longer is an
    /// error naming it.
    #[arg(long = "pdf-seconds", value_name = "SECONDS", default_value_t = 30)]
    pub seconds: u64,
}

/// Most of standard error kept from a failed child, to tell why it failed.
const STDERR_KEPT: u64 = 16 * 1024;

/// Extracts `bytes`' text layer in a child process under `limits`.
pub(crate) fn extract(bytes: &[u8], limits: PdfLimits) -> Result<PdfText, PdfError> {
    let stopped = |why: String| PdfError::Stopped(why);
    let exe = std::env::current_exe()
        .map_err(|e| stopped(format!("cannot start the PDF reader: {e}")))?;
    let mut child = Command::new(exe)
        .arg(CHILD_COMMAND)
        .arg(limits.memory_mib.to_string())
        .arg(limits.seconds.to_string())
        // Fewer malloc arenas: less address space reserved for nothing.
        .env("MALLOC_ARENA_MAX", "2")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| stopped(format!("cannot start the PDF reader: {e}")))?;
    let (stdin, stdout, stderr) = (child.stdin.take(), child.stdout.take(), child.stderr.take());
    // The answer is at most the text of a PDF whose contents the reader bounds; JSON at
    // most doubles it.
    let answer_limit = limits.memory_mib.saturating_mul(2 << 20);
    let (status, answer, diagnostics) = std::thread::scope(|scope| {
        scope.spawn(move || {
            if let Some(mut stdin) = stdin {
                // A child that died early closes the pipe: nothing to do about it here.
                let _ = stdin.write_all(bytes);
            }
        });
        let answer = scope.spawn(move || read_at_most(stdout, answer_limit));
        let diagnostics = scope.spawn(move || read_at_most(stderr, STDERR_KEPT));
        let status = wait_until(&mut child, Instant::now() + wall_limit(limits));
        (
            status,
            answer.join().unwrap_or_default(),
            diagnostics.join().unwrap_or_default(),
        )
    });
    let Some(status) = status else {
        return Err(stopped(format!(
            "it took longer than {} s (--pdf-seconds)",
            limits.seconds
        )));
    };
    if status.success() {
        return serde_json::from_slice::<Result<PdfText, PdfError>>(&answer).unwrap_or_else(|e| {
            Err(stopped(format!(
                "the PDF reader's answer is unreadable: {e}"
            )))
        });
    }
    Err(stopped(why_failed(
        status,
        &String::from_utf8_lossy(&diagnostics),
        limits,
    )))
}

fn wall_limit(limits: PdfLimits) -> Duration {
    Duration::from_secs(limits.seconds.max(1))
}

/// Waits for the child until `deadline`, then kills it: `None` when it was killed.
fn wait_until(child: &mut std::process::Child, deadline: Instant) -> Option<ExitStatus> {
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(50));
            }
            _ => {
                let _ = child.kill();
                let _ = child.wait();
                return None;
            }
        }
    }
}

fn read_at_most(source: Option<impl Read>, limit: u64) -> Vec<u8> {
    let mut bytes = Vec::new();
    if let Some(source) = source {
        // A broken pipe ends the answer: what was read is judged by its exit status.
        let _ = source.take(limit).read_to_end(&mut bytes);
    }
    bytes
}

/// The cause of a child's failure, in words, from its exit status and standard error.
fn why_failed(status: ExitStatus, stderr: &str, limits: PdfLimits) -> String {
    if stderr.contains("overflowed its stack") {
        return "the PDF reader overflowed its stack (a drawing that draws itself, or \
                nesting too deep)"
            .to_owned();
    }
    if stderr.contains("memory allocation of") || stderr.contains("out of memory") {
        return format!(
            "it needed more memory than the limit of {} MiB (--pdf-memory)",
            limits.memory_mib
        );
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            // SIGXCPU, or SIGKILL once past the hard CPU limit.
            if signal == 24 || signal == 9 {
                return format!(
                    "it used more than {} s of CPU time (--pdf-seconds)",
                    2 * limits.seconds
                );
            }
            return format!("the PDF reader crashed (signal {signal})");
        }
    }
    let first_line = stderr.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    format!("the PDF reader failed ({status}): {first_line}")
}

/// The child: limits itself, reads a PDF on standard input, writes its text layer (or
/// why there is none) as JSON on standard output.
pub(crate) fn child(memory_mib: u64, seconds: u64) -> ExitCode {
    limit_self(memory_mib, seconds);
    let mut bytes = Vec::new();
    if std::io::stdin().lock().read_to_end(&mut bytes).is_err() {
        return ExitCode::from(2);
    }
    let answer = pst_parse::extract_pdf(&bytes, Duration::from_secs(seconds.max(1)));
    drop(bytes);
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match serde_json::to_writer(&mut out, &answer).map(|()| out.flush()) {
        Ok(Ok(())) => ExitCode::SUCCESS,
        _ => ExitCode::from(2),
    }
}

#[cfg(target_os = "linux")]
fn limit_self(memory_mib: u64, seconds: u64) {
    use rustix::process::{Resource, Rlimit, setrlimit};
    let memory = memory_mib.saturating_mul(1 << 20);
    let cpu = seconds.max(1).saturating_mul(2);
    // A limit that cannot be set leaves the wall-clock kill of the parent.
    let _ = setrlimit(
        Resource::As,
        Rlimit {
            current: Some(memory),
            maximum: Some(memory),
        },
    );
    let _ = setrlimit(
        Resource::Cpu,
        Rlimit {
            current: Some(cpu),
            maximum: Some(cpu + 1),
        },
    );
}

#[cfg(not(target_os = "linux"))]
fn limit_self(_memory_mib: u64, _seconds: u64) {}
