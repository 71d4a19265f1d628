//! A webhook server in a few lines: listens on 127.0.0.1:8080, checks every request, prints each
//! typed webhook, and answers as Tencent expects.
//!
//! ```sh
//! TRTC_SDKAPPID=1400000000 TRTC_WEBHOOK_TOKEN=xxxxyyyy \
//!     cargo run -p trtc-live-receiver --example axum_app --features axum
//! ```
//!
//! Configure `http://your-host:8080/webhook` as the webhook URL (behind HTTPS in production).
//! Without `TRTC_WEBHOOK_TOKEN`, requests are not authenticated (only `SdkAppid` is checked).

use std::error::Error;
use std::sync::Arc;

use trtc_live_receiver::axum::webhook_route;
use trtc_live_receiver::{Answer, Delivery, Receiver, ReceiverConfig, Token};
use trtc_live_types::{
    GroupCallbackBeforeSendMsgResponse, LiveCallbackBeforeSendGiftResponse, MessageElement, Webhook,
};

/// The application: decides on gifts and messages, prints everything.
async fn on_webhook(delivery: Delivery) -> Answer {
    println!(
        "{} from {} ({:?}): {}",
        delivery.command(),
        delivery.parameters.client_ip.as_deref().unwrap_or("?"),
        delivery.parameters.opt_platform,
        serde_json::to_string(&delivery.webhook).unwrap_or_default()
    );
    match &delivery.webhook {
        Webhook::LiveCallbackBeforeSendGift(gift) if gift.gift_water.coins > 100_000 => {
            Answer::gift(
                gift,
                LiveCallbackBeforeSendGiftResponse::reject("gift too expensive"),
            )
        }
        Webhook::GroupCallbackBeforeSendMsg(message) if message.msg_body.is_empty() => {
            Answer::message(message, GroupCallbackBeforeSendMsgResponse::drop_silently())
        }
        Webhook::GroupCallbackBeforeSendMsg(message) if has_text(&message.msg_body, "spam") => {
            Answer::message(message, GroupCallbackBeforeSendMsgResponse::forbid("spam"))
        }
        // Notifications get OK; the other gifts and messages go through.
        _ => Answer::for_delivery(&delivery),
    }
}

/// Whether a text element of `body` contains `word`.
fn has_text(body: &[MessageElement], word: &str) -> bool {
    body.iter().any(|element| {
        element.msg_type == "TIMTextElem"
            && element
                .msg_content
                .get("Text")
                .and_then(|text| text.as_str())
                .is_some_and(|text| text.contains(word))
    })
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let sdk_app_id = std::env::var("TRTC_SDKAPPID").unwrap_or_else(|_| "1400000000".into());
    let mut config = ReceiverConfig::new(sdk_app_id);
    if let Ok(token) = std::env::var("TRTC_WEBHOOK_TOKEN") {
        config.token = Some(Token::new(token));
    }
    println!("configuration: {config:?}");
    let receiver = Arc::new(Receiver::new(config)?);

    let app = axum::Router::new().route("/webhook", webhook_route(receiver, on_webhook));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    println!("listening on http://{}/webhook", listener.local_addr()?);
    axum::serve(listener, app).await?;
    Ok(())
}
