//! A 100 MB body against the default 1 MiB limit: refused by its `Content-Length` before a byte
//! is read, and, streamed without one (or under a false one), after at most the limit and one
//! chunk. The bytes the adapter pulls are counted, so "before reading" is measured, not assumed.

#![cfg(feature = "axum")]

use std::pin::Pin;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use axum::http::{HeaderMap, Method};
use http_body::Frame;
use trtc_live_receiver::axum::read_body;
use trtc_live_receiver::{ReceiveError, Receiver, ReceiverConfig, DEFAULT_MAX_BODY_BYTES};

const HUNDRED_MB: usize = 100_000_000;
const CHUNK: usize = 64 * 1024;

/// A body of `left` bytes of spaces sent in 64 KiB chunks, made as they are pulled, counting
/// what was pulled.
struct Endless {
    left: usize,
    pulled: Arc<AtomicUsize>,
}

impl http_body::Body for Endless {
    type Data = Bytes;
    type Error = std::io::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, std::io::Error>>> {
        let this = self.get_mut();
        if this.left == 0 {
            return Poll::Ready(None);
        }
        let size = this.left.min(CHUNK);
        this.left -= size;
        this.pulled.fetch_add(size, Ordering::Relaxed);
        Poll::Ready(Some(Ok(Frame::data(Bytes::from(vec![b' '; size])))))
    }
}

/// `read_body` of a 100 MB body with `content_length` (if any): the error and the bytes pulled.
async fn read_hundred_mb(content_length: Option<&str>) -> (ReceiveError, usize) {
    let receiver = Receiver::new(ReceiverConfig::new("1400000000")).unwrap();
    let pulled = Arc::new(AtomicUsize::new(0));
    let body = Body::new(Endless {
        left: HUNDRED_MB,
        pulled: Arc::clone(&pulled),
    });
    let mut headers = HeaderMap::new();
    if let Some(length) = content_length {
        headers.insert("content-length", length.parse().unwrap());
    }
    let error = read_body(&receiver, &Method::POST, &headers, body)
        .await
        .expect_err("refused");
    (error, pulled.load(Ordering::Relaxed))
}

#[tokio::test]
async fn a_declared_100_mb_is_refused_before_a_byte_is_read() {
    let (error, pulled) = read_hundred_mb(Some("100000000")).await;
    assert!(
        matches!(
            error,
            ReceiveError::BodyTooLarge {
                size: HUNDRED_MB,
                limit: DEFAULT_MAX_BODY_BYTES
            }
        ),
        "{error:?}"
    );
    assert_eq!(pulled, 0);
}

#[tokio::test]
async fn a_streamed_100_mb_is_refused_after_the_limit_and_one_chunk() {
    // No Content-Length, and a false one.
    for length in [None, Some("10")] {
        let (error, pulled) = read_hundred_mb(length).await;
        assert!(
            matches!(error, ReceiveError::BodyTooLarge { size, limit: DEFAULT_MAX_BODY_BYTES } if size == DEFAULT_MAX_BODY_BYTES + 1),
            "{error:?}"
        );
        assert!(
            pulled <= DEFAULT_MAX_BODY_BYTES + CHUNK,
            "{pulled} bytes pulled with Content-Length {length:?}"
        );
    }
}
