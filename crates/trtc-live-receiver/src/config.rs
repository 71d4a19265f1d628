//! What a receiver is configured with, and the defaults.

use std::time::Duration;

use crate::Token;

/// How far `RequestTime` may be from the receiver's clock, in either direction, by default:
/// 60 seconds, as Tencent's overview says ("more than 1 minute" is invalid).
pub const DEFAULT_TOLERANCE: Duration = Duration::from_secs(60);

/// The largest body accepted by default: 1 MiB.
///
/// Far above anything Tencent documents: every sample packet is under 2 KiB (comments
/// included), and the packets that can grow (a room message's `MsgBody`, a list of members or
/// seats) carry what a chat message or a room holds, not files. Small enough that many
/// concurrent maximal bodies cannot exhaust a server's memory, and checked before anything else
/// is read. The CLI's 8 MiB per-packet limit is for log archives, not for a server facing the
/// network. A test keeps the default over 100 times the largest sample.
pub const DEFAULT_MAX_BODY_BYTES: usize = 1 << 20;

/// What a [`crate::Receiver`] checks requests against.
///
/// `Debug` shows everything but the token's text.
#[derive(Clone, Debug)]
pub struct ReceiverConfig {
    /// The application's SDKAppID, in decimal digits (1 to 20). A request whose `SdkAppid`
    /// parameter is not exactly this text is refused.
    pub sdk_app_id: String,
    /// The webhook token, when authentication is enabled with Tencent (`set_callback_token`).
    /// With a token, every request must carry a right `Sign` and a fresh `RequestTime`; without
    /// one, `Sign` and `RequestTime` are neither required nor checked.
    pub token: Option<Token>,
    /// How far `RequestTime` may be from the receiver's clock, in the past or in the future
    /// (default [`DEFAULT_TOLERANCE`], 60 s). Exactly the tolerance is accepted.
    pub tolerance: Duration,
    /// The largest body accepted, in bytes (default [`DEFAULT_MAX_BODY_BYTES`], 1 MiB).
    pub max_body_bytes: usize,
    /// What to answer a before-webhook that is authenticated but whose payload is invalid
    /// (default [`InvalidBeforeWebhookPolicy::FailDelivery`]).
    pub invalid_before_webhook: InvalidBeforeWebhookPolicy,
}

impl ReceiverConfig {
    /// A configuration for the application `sdk_app_id`, without a token, with the defaults.
    pub fn new(sdk_app_id: impl Into<String>) -> Self {
        Self {
            sdk_app_id: sdk_app_id.into(),
            token: None,
            tolerance: DEFAULT_TOLERANCE,
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            invalid_before_webhook: InvalidBeforeWebhookPolicy::default(),
        }
    }

    /// The same configuration with `token`.
    pub fn with_token(mut self, token: Token) -> Self {
        self.token = Some(token);
        self
    }

    /// Every problem that makes the configuration unusable, first one only.
    pub(crate) fn check(&self) -> Result<(), ConfigError> {
        let digits = self.sdk_app_id.len();
        if !(1..=20).contains(&digits) || !self.sdk_app_id.bytes().all(|b| b.is_ascii_digit()) {
            return Err(ConfigError::SdkAppId {
                found: self.sdk_app_id.clone(),
            });
        }
        if self.token.as_ref().is_some_and(Token::is_empty) {
            return Err(ConfigError::EmptyToken);
        }
        if self.max_body_bytes == 0 {
            return Err(ConfigError::ZeroBodyLimit);
        }
        Ok(())
    }
}

/// What to answer `Live.CallbackBeforeSendGift` or `Group.CallbackBeforeSendMsg` when the
/// request is authenticated (its `SdkAppid` is ours and, with a token, its signature and time
/// are right) but its payload cannot be read: URL parameters that break their schema, a body
/// that is not JSON, an unknown command, URL and body commands that differ, or a packet that
/// breaks its schema. Tencent reads these webhooks' answers as decisions, so something must be
/// decided; for the other webhooks the answer is ignored and this policy does not apply.
///
/// The default is [`FailDelivery`](Self::FailDelivery), because the decision then stays where
/// the application's owner put it:
///
/// - The packet is genuine, so the fault is a mismatch between Tencent's packet and our schemas
///   (Tencent changed a field, or our schema is too strict). That is not a statement about this
///   gift or this message, and the receiver has no grounds to decide on it either way.
/// - Tencent already has a setting for "the app server failed": a gift is blocked unless the
///   application has configured `Live.CallbackBeforeCallBackNotBlock`, in which case it goes
///   through. Failing the delivery lets that setting decide, as it would if the server were
///   down, instead of the library silently overriding it.
/// - The failure is visible: Tencent counts a failed delivery, and the packet is not
///   acknowledged as if it had been processed.
///
/// [`Allow`](Self::Allow) suits an application that would rather never block a user because of
/// a schema drift (but also lets through what it could not inspect); [`Refuse`](Self::Refuse)
/// suits one that must inspect everything before it is shown (but blocks every gift or message
/// while the drift lasts). Both answer HTTP 200 with a decision, so Tencent's setting is not
/// consulted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InvalidBeforeWebhookPolicy {
    /// Answer the failure status of the [HTTP table](crate::ReceiveError#http-answers) (400 or
    /// 422, with a FAIL body): Tencent counts a failed delivery and applies the application's
    /// own failure behaviour (for a gift: blocked, unless `Live.CallbackBeforeCallBackNotBlock`
    /// is configured). The default.
    #[default]
    FailDelivery,
    /// Answer HTTP 200 with the decision that lets the event happen (fail-open): the gift goes
    /// through (`ErrorCode` 0), the message is sent unchanged (`ErrorCode` 0).
    Allow,
    /// Answer HTTP 200 with the decision that stops the event (fail-closed): the gift is
    /// rejected (`ErrorCode` 1), the message is not sent (`ErrorCode` 1, the sender gets error
    /// 10016).
    Refuse,
}

/// A configuration that a receiver cannot work with, or schemas that cannot be compiled.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ConfigError {
    /// `sdk_app_id` is not 1 to 20 decimal digits, so no request could ever match it.
    #[error("the SDKAppID must be 1 to 20 decimal digits, not {found:?}")]
    SdkAppId {
        /// The configured value.
        found: String,
    },
    /// The token is the empty string (Tencent's tokens are not empty; an empty one is almost
    /// certainly an unreadable secret).
    #[error("the webhook token is empty")]
    EmptyToken,
    /// `max_body_bytes` is 0: every request would be refused.
    #[error("the body size limit is 0 bytes")]
    ZeroBodyLimit,
    /// The embedded schemas cannot be compiled (cannot happen with the schemas this crate was
    /// built with).
    #[error("{0}")]
    Schemas(#[from] trtc_live_validate::BuildError),
}
