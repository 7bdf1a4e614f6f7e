//! Logging setup. Logs carry ids, counts and timings — never names, emails or answers.

use std::io::IsTerminal;

use tracing_subscriber::EnvFilter;

/// Installs the global subscriber once; the level comes from `PEERHIRE_LOG` (default `info`).
/// Later calls (several tests in one process) are no-ops.
pub fn init() {
    let filter = EnvFilter::try_from_env("PEERHIRE_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .try_init();
}
