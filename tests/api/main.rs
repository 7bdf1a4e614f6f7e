//! Integration tests: one binary, each test against the real application on a random port with
//! its own fresh database — SQLite always, PostgreSQL too when `PEERHIRE_TEST_POSTGRES_URL` is set.

#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

#[macro_use]
mod helpers;

mod api;
mod apply;
mod health;
mod hostile;
mod hr;
mod mail;
mod postings;
#[path = "../support/smtp.rs"]
mod smtp;
