//! The forms loader on any posting.toml text: a clear error or a posting, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(source) = std::str::from_utf8(data) else { return };
    let _ = peerhire::forms::parse_posting(source, "peer-support-specialist", "A description.");
});
