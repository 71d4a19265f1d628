//! Fuzz target `validator`: bytes as a request and as a response packet, through every verdict of the validator
//! (the body and its assertions: `trtc_live_fuzz_targets::validator`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trtc_live_fuzz_targets::validator::validator(data);
});
