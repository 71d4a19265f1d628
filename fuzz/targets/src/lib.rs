//! The bodies of the fuzz targets of `fuzz/`, as plain functions over bytes.
//!
//! Each function takes whatever bytes libFuzzer makes up, runs one entry point of the
//! workspace on them, and asserts what must hold of its answer whatever the input (a panic is
//! a finding): the fuzz crate `fuzz/` wraps each in a `fuzz_target!`, and this crate's tests
//! replay the committed regression inputs (`fuzz/regressions/<target>/`) and the seeds (the
//! repository's samples and test cases) through them, so the targets are compiled and run by
//! every `cargo test`.
//!
//! - [`validator`]: bytes as a request and as a response packet, through every verdict of
//!   [`trtc_live_validate::Validator`] and the report;
//! - [`jsonc`]: bytes through the comment-stripping loader and the locator;
//! - [`receiver`]: bytes split into a query string, a body and a clock, through
//!   [`trtc_live_receiver::Receiver::receive`] and its answers.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod consistency;
pub mod jsonc;
pub mod receiver;
pub mod seeds;
pub mod validator;
