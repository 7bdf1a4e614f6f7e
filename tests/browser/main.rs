//! The applicant's journey in a real headless Chromium (Debian's `chromium` and
//! `chromium-driver`), against the real app on a random port with a fresh SQLite database.
//!
//! Skips with one clear line when chromedriver is not installed, unless
//! `PEERHIRE_TEST_BROWSER=1` (as in CI), where a missing browser is a failure.
//! Screenshots go to target/screenshots/.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[path = "../api/helpers.rs"]
#[allow(dead_code, unused_macros)]
mod helpers;

mod axe;
mod browser;
#[path = "../support/smtp.rs"]
#[allow(dead_code)]
mod smtp;

mod applicant;
mod hr;
mod journey;
