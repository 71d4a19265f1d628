//! A server of this crate on a free loopback port, and a client that speaks HTTP/1 by hand,
//! for the tests of the `server` feature.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::oneshot;
use trtc_live_receiver::axum::{Outcome, WebhookEndpoint};
use trtc_live_receiver::journal::{JournalReader, Record};
use trtc_live_receiver::server::{serve, ServerLimits};
use trtc_live_receiver::{sign, Answer, Delivery, Receiver, ReceiverConfig};

use super::{token, SDK_APP_ID};

/// What the hook saw: (reason, status, command).
pub type Seen = Arc<Mutex<Vec<(String, u16, Option<String>)>>>;

/// A server of `endpoint` on a free loopback port, stopped when the sender is dropped or sent.
pub struct Running {
    pub address: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    done: tokio::task::JoinHandle<()>,
}

impl Running {
    pub async fn start<H, F>(endpoint: WebhookEndpoint<H>, limits: ServerLimits) -> Self
    where
        H: Fn(Delivery) -> F + Clone + Send + Sync + 'static,
        F: std::future::Future<Output = Answer> + Send + 'static,
    {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let (stop, stopped) = oneshot::channel::<()>();
        let app = axum::Router::new().route("/webhook", endpoint.into_route());
        let done = tokio::spawn(serve(listener, app, limits, async {
            let _ = stopped.await;
        }));
        Self {
            address,
            stop: Some(stop),
            done,
        }
    }

    pub async fn stop(mut self) {
        let _ = self.stop.take().unwrap().send(());
        tokio::time::timeout(Duration::from_secs(10), &mut self.done)
            .await
            .expect("the server stops")
            .unwrap();
    }
}

/// The clock of the receiver (real time: the server's requests are signed now).
pub fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs()
}

/// The query string of `command`, signed now with the documented token.
pub fn signed_now(command: &str) -> String {
    let time = unix_now().to_string();
    format!(
        "SdkAppid={SDK_APP_ID}&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&token(), &time)
    )
}

/// POSTs `body` with `query` on a new connection, and returns the whole answer as text.
pub async fn post_to(address: SocketAddr, query: &str, body: &str) -> String {
    let mut stream = TcpStream::connect(address).await.unwrap();
    let request = format!(
        "POST /webhook?{query} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.unwrap();
    read_to_close(&mut stream).await
}

/// POSTs `body` for `command`, signed now, on a new connection; the whole answer as text.
pub async fn post_signed(address: SocketAddr, command: &str, body: &str) -> String {
    post_to(address, &signed_now(command), body).await
}

/// Everything until the server closes (a reset ends it too), within 10 s.
pub async fn read_to_close(stream: &mut TcpStream) -> String {
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer));
    let _ = read.await.expect("closed within 10 s");
    String::from_utf8_lossy(&answer).into_owned()
}

pub fn status(answer: &str) -> u16 {
    answer
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

pub fn shared_receiver() -> Arc<Receiver> {
    Arc::new(Receiver::new(ReceiverConfig::new(SDK_APP_ID).with_token(token())).unwrap())
}

pub fn records(path: &std::path::Path) -> Vec<Record> {
    JournalReader::open(path)
        .unwrap()
        .map(|(_, record)| record.unwrap())
        .collect()
}

pub fn hook(seen: &Seen) -> impl Fn(&Outcome<'_>) + Send + Sync + 'static {
    let seen = Arc::clone(seen);
    move |outcome: &Outcome<'_>| {
        seen.lock().unwrap().push((
            outcome.reason().to_owned(),
            outcome.status.as_u16(),
            outcome.command.map(|c| c.as_str().to_owned()),
        ));
    }
}
