//! Secrets done right once: password hashing, random tokens and their digests, comparisons.
//! Pure functions; nothing here touches the database or HTTP.

mod password;
mod token;

pub use password::{decoy_hash, hash_password, verify_password};
pub use token::{Token, constant_time_eq, digest};
