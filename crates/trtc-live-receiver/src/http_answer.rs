//! HTTP responses with a JSON body.

use http::header::{HeaderValue, CONTENT_TYPE};
use http::{Response, StatusCode};
use serde::Serialize;
use trtc_live_types::CallbackResponse;

/// A response with `status`, `Content-Type: application/json` and `body`.
pub(crate) fn json_response(status: StatusCode, body: Vec<u8>) -> Response<Vec<u8>> {
    let mut response = Response::new(body);
    *response.status_mut() = status;
    response
        .headers_mut()
        .insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    response
}

/// A failure answer: `status`, and the failure packet with `info` as its `ErrorInfo`. For
/// servers that must refuse a delivery for a reason of their own (a journal that cannot be
/// written, an answer that does not fit its webhook), in the same form as every rejection.
pub fn failure_response(status: StatusCode, info: &str) -> Response<Vec<u8>> {
    json_response(status, failure_packet(info))
}

/// The failure packet every rejection carries: `ActionStatus` FAIL, `ErrorCode` 1 (a code that
/// every response schema accepts: "reject" for the gift, "forbid" for the message, any integer
/// for the notifications) and `info`.
pub(crate) fn failure_packet(info: &str) -> Vec<u8> {
    to_json(&CallbackResponse::fail(1, info))
}

/// `value` as JSON. The response types hold only strings, integers and JSON values, whose
/// serialization cannot fail; should it fail anyway, a fixed failure packet is returned rather
/// than a panic.
pub(crate) fn to_json(value: &impl Serialize) -> Vec<u8> {
    serde_json::to_vec(value).unwrap_or_else(|_| {
        br#"{"ActionStatus":"FAIL","ErrorInfo":"answer not serializable","ErrorCode":1}"#.to_vec()
    })
}
