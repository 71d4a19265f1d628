//! The answers to webhooks: the common response of the notifications, and the decisions of the
//! before-webhooks, which cannot be out of range.
//!
//! `Live.CallbackBeforeSendGift` and `Group.CallbackBeforeSendMsg` read the response's
//! `ErrorCode` as a decision. [`SendGiftErrorCode`] and [`SendMsgErrorCode`] replace the
//! generated integer (see `xtask/src/typify_workarounds.rs`): they hold only the documented
//! codes, so a response built from them is always one Tencent understands, and a response with
//! another code fails to decode. The constructors on the response types build whole answers.

use std::fmt;

use crate::{
    ActionStatus, CallbackResponse, GroupCallbackBeforeSendMsgResponse,
    LiveCallbackBeforeSendGiftResponse, MessageElement,
};

/// A code in `LOW..=HIGH`, the range an app may use to reject and pass its own code through.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassThroughCode<const LOW: u32, const HIGH: u32>(u32);

/// A gift rejection code passed through: 102100 to 102200.
pub type GiftPassThroughCode = PassThroughCode<102_100, 102_200>;

/// A message rejection code passed to the sender with `ErrorInfo`: 10100 to 10200.
pub type MsgPassThroughCode = PassThroughCode<10_100, 10_200>;

/// An `ErrorCode` that the webhook does not define.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("ErrorCode {code} is not allowed here: expected {expected}")]
pub struct CodeOutOfRange {
    /// The refused code.
    pub code: i64,
    /// The codes that are allowed.
    pub expected: String,
}

impl<const LOW: u32, const HIGH: u32> PassThroughCode<LOW, HIGH> {
    /// The code, if it is in `LOW..=HIGH`.
    pub fn new(code: i64) -> Result<Self, CodeOutOfRange> {
        match u32::try_from(code) {
            Ok(code) if (LOW..=HIGH).contains(&code) => Ok(Self(code)),
            _ => Err(CodeOutOfRange {
                code,
                expected: format!("{LOW} to {HIGH}"),
            }),
        }
    }

    /// The code.
    pub const fn get(self) -> u32 {
        self.0
    }
}

impl<const LOW: u32, const HIGH: u32> fmt::Display for PassThroughCode<LOW, HIGH> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The app's decision on a gift (`ErrorCode` of the `Live.CallbackBeforeSendGift` response).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum SendGiftErrorCode {
    /// 0: the gift goes through.
    Allow,
    /// 1: the gift is rejected.
    Reject,
    /// 102100 to 102200: the gift is rejected and the code is passed through.
    RejectAndPassThrough(GiftPassThroughCode),
}

impl TryFrom<i64> for SendGiftErrorCode {
    type Error = CodeOutOfRange;

    fn try_from(code: i64) -> Result<Self, CodeOutOfRange> {
        match code {
            0 => Ok(Self::Allow),
            1 => Ok(Self::Reject),
            _ => GiftPassThroughCode::new(code)
                .map(Self::RejectAndPassThrough)
                .map_err(|_| CodeOutOfRange {
                    code,
                    expected: "0 (allow), 1 (reject) or 102100 to 102200 (reject, pass through)"
                        .into(),
                }),
        }
    }
}

impl From<SendGiftErrorCode> for i64 {
    fn from(code: SendGiftErrorCode) -> i64 {
        match code {
            SendGiftErrorCode::Allow => 0,
            SendGiftErrorCode::Reject => 1,
            SendGiftErrorCode::RejectAndPassThrough(code) => code.get().into(),
        }
    }
}

/// The app's decision on a room message (`ErrorCode` of the `Group.CallbackBeforeSendMsg`
/// response).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "i64", into = "i64")]
pub enum SendMsgErrorCode {
    /// 0: the message is sent (rewritten if the response carries `MsgBody` or
    /// `CloudCustomData`).
    Send,
    /// 1: the message is not sent; the sender gets error 10016.
    Forbid,
    /// 2: the message is dropped silently; the sender is told it was sent.
    DropSilently,
    /// 10100 to 10200: the message is not sent; the code and `ErrorInfo` reach the sender.
    ForbidAndPassThrough(MsgPassThroughCode),
}

impl TryFrom<i64> for SendMsgErrorCode {
    type Error = CodeOutOfRange;

    fn try_from(code: i64) -> Result<Self, CodeOutOfRange> {
        match code {
            0 => Ok(Self::Send),
            1 => Ok(Self::Forbid),
            2 => Ok(Self::DropSilently),
            _ => MsgPassThroughCode::new(code)
                .map(Self::ForbidAndPassThrough)
                .map_err(|_| CodeOutOfRange {
                    code,
                    expected: "0 (send), 1 (forbid), 2 (drop silently) or 10100 to 10200 \
                               (forbid, pass through)"
                        .into(),
                }),
        }
    }
}

impl From<SendMsgErrorCode> for i64 {
    fn from(code: SendMsgErrorCode) -> i64 {
        match code {
            SendMsgErrorCode::Send => 0,
            SendMsgErrorCode::Forbid => 1,
            SendMsgErrorCode::DropSilently => 2,
            SendMsgErrorCode::ForbidAndPassThrough(code) => code.get().into(),
        }
    }
}

impl CallbackResponse {
    /// The answer to a notification: `{"ActionStatus": "OK", "ErrorInfo": "", "ErrorCode": 0}`.
    pub fn ok() -> Self {
        Self {
            action_status: ActionStatus::Ok,
            error_code: 0,
            error_info: String::new(),
            extra: Default::default(),
        }
    }

    /// A failure: `ActionStatus` FAIL with `code` and `info`. Tencent ignores it for the
    /// notifications; a before-webhook answered this way refuses (or, with the gift's
    /// non-blocking configuration, lets the gift through).
    pub fn fail(code: i64, info: impl Into<String>) -> Self {
        Self {
            action_status: ActionStatus::Fail,
            error_code: code,
            error_info: info.into(),
            extra: Default::default(),
        }
    }
}

impl LiveCallbackBeforeSendGiftResponse {
    /// Lets the gift through.
    pub fn allow() -> Self {
        Self::decide(SendGiftErrorCode::Allow, String::new())
    }

    /// Rejects the gift, with a reason for the logs.
    pub fn reject(reason: impl Into<String>) -> Self {
        Self::decide(SendGiftErrorCode::Reject, reason.into())
    }

    /// Rejects the gift and passes `code` (102100 to 102200) and `reason` through.
    pub fn reject_with_code(code: GiftPassThroughCode, reason: impl Into<String>) -> Self {
        Self::decide(SendGiftErrorCode::RejectAndPassThrough(code), reason.into())
    }

    fn decide(error_code: SendGiftErrorCode, error_info: String) -> Self {
        Self {
            action_status: ActionStatus::Ok,
            error_code,
            error_info,
            extra: Default::default(),
        }
    }

    /// Whether this answer lets the gift through.
    pub fn allows(&self) -> bool {
        self.error_code == SendGiftErrorCode::Allow
    }
}

impl GroupCallbackBeforeSendMsgResponse {
    /// Sends the message as the user wrote it.
    pub fn send() -> Self {
        Self::decide(SendMsgErrorCode::Send, String::new())
    }

    /// Sends the message with its body and/or custom data replaced (`None` keeps the user's).
    pub fn send_rewritten(
        msg_body: Option<Vec<MessageElement>>,
        cloud_custom_data: Option<String>,
    ) -> Self {
        Self {
            msg_body,
            cloud_custom_data,
            ..Self::send()
        }
    }

    /// Does not send the message; the sender gets error 10016.
    pub fn forbid(reason: impl Into<String>) -> Self {
        Self::decide(SendMsgErrorCode::Forbid, reason.into())
    }

    /// Drops the message silently; the sender is told it was sent.
    pub fn drop_silently() -> Self {
        Self::decide(SendMsgErrorCode::DropSilently, String::new())
    }

    /// Does not send the message; `code` (10100 to 10200) and `reason` reach the sender.
    pub fn forbid_with_code(code: MsgPassThroughCode, reason: impl Into<String>) -> Self {
        Self::decide(SendMsgErrorCode::ForbidAndPassThrough(code), reason.into())
    }

    fn decide(error_code: SendMsgErrorCode, error_info: String) -> Self {
        Self {
            action_status: ActionStatus::Ok,
            error_code,
            error_info,
            msg_body: None,
            cloud_custom_data: None,
            extra: Default::default(),
        }
    }

    /// Whether this answer lets the message be sent.
    pub fn sends(&self) -> bool {
        self.error_code == SendMsgErrorCode::Send
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{from_str, to_string};

    #[test]
    fn gift_codes_are_exactly_the_documented_ones() {
        for code in [0, 1, 102_100, 102_150, 102_200] {
            let decoded: SendGiftErrorCode = from_str(&code.to_string()).unwrap();
            assert_eq!(i64::from(decoded), code);
            assert_eq!(to_string(&decoded).unwrap(), code.to_string());
        }
        for text in [
            "2", "-1", "102099", "102201", "10100", "1.0", "\"0\"", "null",
        ] {
            assert!(from_str::<SendGiftErrorCode>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn message_codes_are_exactly_the_documented_ones() {
        for code in [0, 1, 2, 10_100, 10_200] {
            let decoded: SendMsgErrorCode = from_str(&code.to_string()).unwrap();
            assert_eq!(i64::from(decoded), code);
        }
        for text in ["3", "-1", "10099", "10201", "102100", "0.0", "\"1\""] {
            assert!(from_str::<SendMsgErrorCode>(text).is_err(), "{text}");
        }
    }

    #[test]
    fn pass_through_codes_cannot_be_built_out_of_range() {
        assert!(GiftPassThroughCode::new(102_099).is_err());
        assert!(GiftPassThroughCode::new(102_201).is_err());
        assert!(GiftPassThroughCode::new(i64::MIN).is_err());
        assert_eq!(GiftPassThroughCode::new(102_200).unwrap().get(), 102_200);
        let error = MsgPassThroughCode::new(10_201).unwrap_err();
        assert_eq!(
            error.to_string(),
            "ErrorCode 10201 is not allowed here: expected 10100 to 10200"
        );
    }

    #[test]
    fn decisions_serialize_as_documented_responses() {
        let code = GiftPassThroughCode::new(102_150).unwrap();
        let answer = LiveCallbackBeforeSendGiftResponse::reject_with_code(code, "no coins");
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            serde_json::json!({"ActionStatus": "OK", "ErrorCode": 102150, "ErrorInfo": "no coins"})
        );
        assert!(LiveCallbackBeforeSendGiftResponse::allow().allows());

        let answer = GroupCallbackBeforeSendMsgResponse::send_rewritten(None, Some("vip".into()));
        assert_eq!(
            serde_json::to_value(&answer).unwrap(),
            serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": "", "CloudCustomData": "vip"})
        );
        assert!(!GroupCallbackBeforeSendMsgResponse::drop_silently().sends());

        assert_eq!(
            serde_json::to_value(CallbackResponse::ok()).unwrap(),
            serde_json::json!({"ActionStatus": "OK", "ErrorCode": 0, "ErrorInfo": ""})
        );
        assert_eq!(
            serde_json::to_value(CallbackResponse::fail(1, "busy")).unwrap(),
            serde_json::json!({"ActionStatus": "FAIL", "ErrorCode": 1, "ErrorInfo": "busy"})
        );
    }
}
