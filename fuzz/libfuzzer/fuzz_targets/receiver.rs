//! Fuzz target `receiver`: bytes as flags, a clock, a query string and a body, through the receiver
//! (the body and its assertions: `trtc_live_fuzz_targets::receiver`).

#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    trtc_live_fuzz_targets::receiver::receiver(data);
});
