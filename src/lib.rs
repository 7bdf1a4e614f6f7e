//! peerhire: the hiring pipeline for Peer Support Specialists.
//!
//! Layers, with imports pointing one way: `web` → `domain`, `forms`, `storage`;
//! `storage` → `domain`; `domain` imports nothing of the others.

pub mod alerts;
pub mod cli;
pub mod config;
pub mod domain;
pub mod forms;
pub mod jobs;
pub mod mail;
pub mod screening;
pub mod security;
pub mod startup;
pub mod storage;
pub mod submission;
pub mod telemetry;
pub mod web;
