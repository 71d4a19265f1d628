//! Tencent's documentation samples, POSTed as Tencent would, are received.

mod common;

use common::*;
use trtc_live_tests::{documentation_samples, Role};

#[test]
fn every_documentation_request_sample_is_received() {
    let receiver = receiver();
    let mut received = std::collections::BTreeSet::new();
    for sample in documentation_samples() {
        if sample.role != Role::Request {
            continue;
        }
        let value = trtc_live_validate::parse_jsonc(&sample.bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", sample.name));
        let body = serde_json::to_string(&value).unwrap();
        let query = signed_query(sample.command.as_str(), REQUEST_TIME);
        let delivery = post(&receiver, &query, &body, now())
            .unwrap_or_else(|error| panic!("{}: {error}", sample.name));
        assert_eq!(delivery.command(), sample.command, "{}", sample.name);
        assert_eq!(
            serde_json::to_value(&delivery.webhook).unwrap(),
            value,
            "{}: the typed webhook is the packet, every value kept",
            sample.name
        );
        received.insert(sample.command);
    }
    // One per webhook at least.
    assert_eq!(
        received.len(),
        trtc_live_validate::Command::ALL.len(),
        "{received:?}"
    );
}

#[test]
fn the_receiver_accepts_samples_larger_than_any_documented_packet_by_default() {
    let largest = documentation_samples()
        .iter()
        .map(|sample| sample.bytes().len())
        .max()
        .unwrap();
    assert!(
        largest * 100 < trtc_live_receiver::DEFAULT_MAX_BODY_BYTES,
        "{largest}"
    );
}
