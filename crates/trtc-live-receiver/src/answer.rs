//! The answers to accepted webhooks: the OK packet of the notifications, and the typed
//! decisions of the two before-webhooks.

use std::fmt;

use trtc_live_types::{
    CallbackResponse, Command, GroupCallbackBeforeSendMsg, GroupCallbackBeforeSendMsgResponse,
    LiveCallbackBeforeSendGift, LiveCallbackBeforeSendGiftResponse, Webhook,
};

use crate::http_answer::{json_response, to_json};
use crate::Delivery;

/// The answer to an accepted webhook, always sent with HTTP 200 and a JSON body.
///
/// - [`Answer::ok`]: `{"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}`, the answer to a
///   notification (an after-event webhook, whose answer Tencent ignores). Given to a
///   before-webhook, the same packet lets the gift or message through.
/// - [`Answer::gift`]: a decision on a `Live.CallbackBeforeSendGift`, built with the
///   constructors of [`LiveCallbackBeforeSendGiftResponse`] (`allow`, `reject`,
///   `reject_with_code` with a code in 102100..=102200).
/// - [`Answer::message`]: a decision on a `Group.CallbackBeforeSendMsg`, built with the
///   constructors of [`GroupCallbackBeforeSendMsgResponse`] (`send`, `send_rewritten`, `forbid`,
///   `drop_silently`, `forbid_with_code` with a code in 10100..=10200).
///
/// A gift decision cannot be given to a message, nor the reverse: [`Answer::gift`] takes the
/// gift webhook it answers, which a handler only has when it received a gift:
///
/// ```compile_fail
/// # use trtc_live_receiver::Answer;
/// # use trtc_live_types::{GroupCallbackBeforeSendMsg, LiveCallbackBeforeSendGiftResponse};
/// fn answer(message: &GroupCallbackBeforeSendMsg) -> Answer {
///     // Does not compile: a message is not a gift.
///     Answer::gift(message, LiveCallbackBeforeSendGiftResponse::allow())
/// }
/// ```
///
/// and [`Answer::http_response_to`] refuses an answer that does not fit the command, for an
/// answer carried away from the webhook it was made for.
#[derive(Clone, Debug, PartialEq)]
pub struct Answer(Packet);

/// The packet of an [`Answer`].
#[derive(Clone, Debug, PartialEq)]
enum Packet {
    Ok,
    Gift(LiveCallbackBeforeSendGiftResponse),
    Message(GroupCallbackBeforeSendMsgResponse),
}

impl Answer {
    /// The answer to a notification (and, to a before-webhook, "let it happen"):
    /// `{"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""}`.
    pub fn ok() -> Self {
        Self(Packet::Ok)
    }

    /// The decision on `gift` (the webhook being answered, which only proves that this is a
    /// gift's answer).
    pub fn gift(
        gift: &LiveCallbackBeforeSendGift,
        decision: LiveCallbackBeforeSendGiftResponse,
    ) -> Self {
        let _ = gift;
        Self::gift_decision(decision)
    }

    /// The decision on `message` (the webhook being answered, which only proves that this is a
    /// message's answer).
    pub fn message(
        message: &GroupCallbackBeforeSendMsg,
        decision: GroupCallbackBeforeSendMsgResponse,
    ) -> Self {
        let _ = message;
        Self::message_decision(decision)
    }

    /// The answer that lets the event happen: OK to a notification, "allow" to a gift, "send
    /// unchanged" to a message.
    pub fn for_webhook(webhook: &Webhook) -> Self {
        Self::letting_through(webhook.command())
    }

    /// [`Answer::for_webhook`] of the delivery's webhook.
    pub fn for_delivery(delivery: &Delivery) -> Self {
        Self::for_webhook(&delivery.webhook)
    }

    pub(crate) fn gift_decision(decision: LiveCallbackBeforeSendGiftResponse) -> Self {
        Self(Packet::Gift(decision))
    }

    pub(crate) fn message_decision(decision: GroupCallbackBeforeSendMsgResponse) -> Self {
        Self(Packet::Message(decision))
    }

    /// The answer to `command` that lets the event happen: OK to a notification, "allow" to a
    /// gift, "send unchanged" to a message (for an application that has no typed webhook to
    /// answer with, such as a handler of invalid deliveries).
    pub fn letting_through(command: Command) -> Self {
        match command {
            Command::LiveCallbackBeforeSendGift => {
                Self::gift_decision(LiveCallbackBeforeSendGiftResponse::allow())
            }
            Command::GroupCallbackBeforeSendMsg => {
                Self::message_decision(GroupCallbackBeforeSendMsgResponse::send())
            }
            _ => Self::ok(),
        }
    }

    /// The answer to `command` that stops the event, with `reason` as `ErrorInfo`: "reject" to
    /// a gift, "forbid" to a message; `None` for a notification, which cannot be stopped.
    pub fn stopping(command: Command, reason: &str) -> Option<Self> {
        match command {
            Command::LiveCallbackBeforeSendGift => Some(Self::gift_decision(
                LiveCallbackBeforeSendGiftResponse::reject(reason),
            )),
            Command::GroupCallbackBeforeSendMsg => Some(Self::message_decision(
                GroupCallbackBeforeSendMsgResponse::forbid(reason),
            )),
            _ => None,
        }
    }

    /// Whether this answer can be given to `command`: OK fits every command, a gift decision
    /// only `Live.CallbackBeforeSendGift`, a message decision only `Group.CallbackBeforeSendMsg`.
    pub fn fits(&self, command: Command) -> bool {
        match &self.0 {
            Packet::Ok => true,
            Packet::Gift(_) => command == Command::LiveCallbackBeforeSendGift,
            Packet::Message(_) => command == Command::GroupCallbackBeforeSendMsg,
        }
    }

    /// Whether the answer lets the event happen (`ErrorCode` 0).
    pub fn lets_through(&self) -> bool {
        match &self.0 {
            Packet::Ok => true,
            Packet::Gift(decision) => decision.allows(),
            Packet::Message(decision) => decision.sends(),
        }
    }

    /// The JSON body.
    pub fn to_json(&self) -> Vec<u8> {
        match &self.0 {
            Packet::Ok => to_json(&CallbackResponse::ok()),
            Packet::Gift(decision) => to_json(decision),
            Packet::Message(decision) => to_json(decision),
        }
    }

    /// HTTP 200, `Content-Type: application/json`, the JSON body.
    pub fn http_response(&self) -> http::Response<Vec<u8>> {
        json_response(http::StatusCode::OK, self.to_json())
    }

    /// [`Answer::http_response`], if the answer fits `command` (see [`Answer::fits`]).
    pub fn http_response_to(
        &self,
        command: Command,
    ) -> Result<http::Response<Vec<u8>>, AnswerMismatch> {
        if self.fits(command) {
            Ok(self.http_response())
        } else {
            Err(AnswerMismatch {
                answer: self.kind(),
                command: Some(command),
            })
        }
    }

    /// [`Answer::http_response`] to a request whose command is not known: only the OK answer
    /// fits it (a decision is for a gift or a message).
    pub fn http_response_to_unknown(&self) -> Result<http::Response<Vec<u8>>, AnswerMismatch> {
        match &self.0 {
            Packet::Ok => Ok(self.http_response()),
            _ => Err(AnswerMismatch {
                answer: self.kind(),
                command: None,
            }),
        }
    }

    /// What kind of answer this is, in words.
    fn kind(&self) -> &'static str {
        match &self.0 {
            Packet::Ok => "the OK answer",
            Packet::Gift(_) => "a gift decision",
            Packet::Message(_) => "a message decision",
        }
    }
}

/// An answer given to a command it does not fit (a gift decision to a message, or the reverse).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{answer} cannot answer {}", CommandName(.command))]
pub struct AnswerMismatch {
    /// The kind of answer (`a gift decision`, `a message decision`).
    pub answer: &'static str,
    /// The command it was given to; `None` for a command that is not known.
    pub command: Option<Command>,
}

/// A command in a message, `an unknown command` for none.
struct CommandName<'a>(&'a Option<Command>);

impl fmt::Display for CommandName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(command) => command.fmt(f),
            None => f.write_str("an unknown command"),
        }
    }
}
