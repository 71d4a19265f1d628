//! Fuzz target `jsonc`: bytes through the comment-stripping loader and the locator
//! (the body and its assertions: `trtc_live_fuzz_targets::jsonc`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trtc_live_fuzz_targets::jsonc::jsonc(data);
});
