//! View models: what a template needs, computed from domain values, so templates stay plain.

pub mod apply_form;
pub mod candidate;
pub mod hire;
