//! Before-webhooks forwarded while Tencent waits: the application's decision, checked and
//! relayed, or the fallback's within the budget.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, UNIX_EPOCH};

use http::StatusCode;
use trtc_live_types::WebhookResponse;
use trtc_live_validate::Validator;

use super::target::{AttemptError, DeliveryKind, ForwardTarget, Outgoing};
use super::DeliveryId;
use crate::axum::{Clock, Reply};
use crate::{Answer, Command, Delivery, InvalidBeforeWebhookPolicy};

/// The default budget of the application for a before-webhook: 1.5 s, which leaves half a
/// second of Tencent's 2 s for the network, the checks and the journal.
pub const DEFAULT_BEFORE_WEBHOOK_BUDGET: Duration = Duration::from_millis(1500);

/// The handler of a gateway's endpoint ([`Gateway::handler`]).
pub type GatewayHandler =
    Arc<dyn Fn(Delivery) -> Pin<Box<dyn Future<Output = Reply> + Send>> + Send + Sync>;

/// How many before-webhooks got which answer.
#[derive(Default)]
struct Counters {
    relayed: AtomicU64,
    timeout: AtomicU64,
    error: AtomicU64,
    invalid_answer: AtomicU64,
}

/// What became of the before-webhooks so far ([`Gateway::before_webhook_counts`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct BeforeWebhookCounts {
    /// The application's decision, valid, relayed to Tencent.
    pub relayed: u64,
    /// No answer within the budget: the fallback answered.
    pub timeout: u64,
    /// No connection, or an answer that is not 2xx: the fallback answered.
    pub error: u64,
    /// A 2xx answer that is not a valid answer to the command: the fallback answered.
    pub invalid_answer: u64,
}

/// The gateway's part in an endpoint: notifications are acknowledged as soon as they are
/// journaled (the [`super::Forwarder`] sends them from the journal), and before-webhooks
/// (`Live.CallbackBeforeSendGift`, `Group.CallbackBeforeSendMsg`) are forwarded at once, the
/// application's answer checked against the command's response schema and relayed to Tencent.
///
/// The application has `budget` (default [`DEFAULT_BEFORE_WEBHOOK_BUDGET`]) from the moment
/// the request is sent to its whole answer. When it does not answer in time, cannot be reached,
/// answers a status other than 2xx, or answers something that is not a valid answer to the
/// command, the `fallback` answers instead ([`InvalidBeforeWebhookPolicy`], the receiver's
/// policy for packets it cannot read, applied to an application that cannot decide):
///
/// - `FailDelivery` (the default): a failed delivery, HTTP 504 (timeout) or 502 (the rest),
///   so that Tencent applies the application's own failure setting (a gift is blocked unless
///   `Live.CallbackBeforeCallBackNotBlock` is configured), as if the application had answered
///   nothing itself;
/// - `Allow`: the gift goes through, the message is sent unchanged;
/// - `Refuse`: the gift is refused, the message is not sent.
///
/// The application's answer is relayed as the typed decision it was read into (serialized
/// again: the same members and values, integers exact, members the schema does not name kept),
/// never as bytes no schema vouched for.
#[derive(Clone)]
pub struct Gateway {
    target: Arc<ForwardTarget>,
    validator: Arc<Validator>,
    budget: Duration,
    fallback: InvalidBeforeWebhookPolicy,
    clock: Clock,
    counters: Arc<Counters>,
}

impl std::fmt::Debug for Gateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Gateway")
            .field("target", &self.target)
            .field("budget", &self.budget)
            .field("fallback", &self.fallback)
            .finish_non_exhaustive()
    }
}

impl Gateway {
    /// A gateway to `target`, checking answers with `validator` (the receiver's:
    /// `receiver.validator()`), with the default budget and fallback.
    pub fn new(target: Arc<ForwardTarget>, validator: Arc<Validator>) -> Self {
        Self {
            target,
            validator,
            budget: DEFAULT_BEFORE_WEBHOOK_BUDGET,
            fallback: InvalidBeforeWebhookPolicy::FailDelivery,
            clock: std::time::SystemTime::now,
            counters: Arc::default(),
        }
    }

    /// The same gateway with another budget for the application's answer to a before-webhook.
    pub fn budget(mut self, budget: Duration) -> Self {
        self.budget = budget;
        self
    }

    /// The same gateway with another fallback.
    pub fn fallback(mut self, fallback: InvalidBeforeWebhookPolicy) -> Self {
        self.fallback = fallback;
        self
    }

    /// The same gateway with another clock (for `trtc-received-at`).
    pub fn clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    /// What became of the before-webhooks so far.
    pub fn before_webhook_counts(&self) -> BeforeWebhookCounts {
        let load = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        BeforeWebhookCounts {
            relayed: load(&self.counters.relayed),
            timeout: load(&self.counters.timeout),
            error: load(&self.counters.error),
            invalid_answer: load(&self.counters.invalid_answer),
        }
    }

    /// The handler for a [`crate::axum::WebhookEndpoint`] with journals: OK to a notification,
    /// the application's decision (or the fallback's) to a before-webhook.
    pub fn handler(&self) -> GatewayHandler {
        let gateway = self.clone();
        Arc::new(move |delivery: Delivery| {
            let gateway = gateway.clone();
            Box::pin(async move { gateway.answer(&delivery).await })
        })
    }

    /// The answer to `delivery`: OK to a notification (the forwarder sends it from the
    /// journal), the application's decision or the fallback's to a before-webhook.
    pub async fn answer(&self, delivery: &Delivery) -> Reply {
        let command = delivery.command();
        if !command.response_is_a_decision() {
            return Reply::Answer(Answer::ok());
        }
        let outgoing = Outgoing {
            id: DeliveryId::new(
                &delivery.parameters.sdk_appid,
                command.as_str(),
                &delivery.body,
            ),
            command: command.as_str().to_owned(),
            body: delivery.body.clone(),
            received_at_ms: (self.clock)()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
            url_parameters: url_parameters(delivery),
        };
        let answer = self
            .target
            .send(&outgoing, 1, DeliveryKind::BeforeWebhook, self.budget)
            .await;
        let failure = match answer {
            Ok(answer) => match self.validator.validate_response(command, &answer.body) {
                Ok(WebhookResponse::LiveCallbackBeforeSendGift(decision)) => {
                    self.counters.relayed.fetch_add(1, Ordering::SeqCst);
                    return Reply::Answer(Answer::gift_decision(decision));
                }
                Ok(WebhookResponse::GroupCallbackBeforeSendMsg(decision)) => {
                    self.counters.relayed.fetch_add(1, Ordering::SeqCst);
                    return Reply::Answer(Answer::message_decision(decision));
                }
                Ok(_) => unreachable_answer(command),
                Err(rejection) => Failure {
                    code: "app_invalid_answer",
                    status: StatusCode::BAD_GATEWAY,
                    info: format!(
                        "the application's answer is not a valid answer to {command}: \
                         {rejection}"
                    ),
                },
            },
            Err(error) => Failure {
                code: if matches!(error, AttemptError::Timeout(_)) {
                    "app_timeout"
                } else {
                    "app_error"
                },
                status: if matches!(error, AttemptError::Timeout(_)) {
                    StatusCode::GATEWAY_TIMEOUT
                } else {
                    StatusCode::BAD_GATEWAY
                },
                info: format!("the application did not decide: {error}"),
            },
        };
        self.fall_back(command, &outgoing.id, failure)
    }

    /// The fallback's answer, counted and logged.
    fn fall_back(&self, command: Command, id: &DeliveryId, failure: Failure) -> Reply {
        let counter = match failure.code {
            "app_timeout" => &self.counters.timeout,
            "app_invalid_answer" => &self.counters.invalid_answer,
            _ => &self.counters.error,
        };
        counter.fetch_add(1, Ordering::SeqCst);
        let fallback = match self.fallback {
            InvalidBeforeWebhookPolicy::FailDelivery => "fail",
            InvalidBeforeWebhookPolicy::Allow => "allow",
            InvalidBeforeWebhookPolicy::Refuse => "refuse",
        };
        tracing::warn!(
            %id,
            command = command.as_str(),
            reason = failure.code,
            detail = %failure.info,
            fallback,
            "before-webhook answered by the fallback"
        );
        match self.fallback {
            InvalidBeforeWebhookPolicy::FailDelivery => Reply::Fail {
                status: failure.status,
                code: failure.code,
                info: failure.info,
            },
            InvalidBeforeWebhookPolicy::Allow => Reply::Answer(Answer::letting_through(command)),
            InvalidBeforeWebhookPolicy::Refuse => Reply::Answer(
                Answer::stopping(command, "the application did not decide in time")
                    .unwrap_or_else(Answer::ok),
            ),
        }
    }
}

/// Why the application's decision is not used.
struct Failure {
    code: &'static str,
    status: StatusCode,
    info: String,
}

/// A before-webhook's response validated as another command's: cannot happen, the validator
/// reads the response of the command it is given.
fn unreachable_answer(command: Command) -> Failure {
    Failure {
        code: "app_invalid_answer",
        status: StatusCode::BAD_GATEWAY,
        info: format!("the application's answer is not an answer to {command}"),
    }
}

/// Tencent's URL parameters of `delivery`, form-encoded, without `Sign`.
fn url_parameters(delivery: &Delivery) -> String {
    let Ok(serde_json::Value::Object(parameters)) = serde_json::to_value(&delivery.parameters)
    else {
        return String::new();
    };
    let mut serializer = form_urlencoded::Serializer::new(String::new());
    for (name, value) in parameters {
        if name == "Sign" {
            continue;
        }
        match value {
            serde_json::Value::String(text) => serializer.append_pair(&name, &text),
            other => serializer.append_pair(&name, &other.to_string()),
        };
    }
    serializer.finish()
}
