//! `trtc-live send`: play Tencent's part against any receiver: build the URL parameters, sign
//! them, POST packets (examples, files, Tencent's `.jsonc` samples, NDJSON archives, each
//! possibly changed by `--set`), and check and show the answers.

mod packets;
pub mod set;

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use trtc_live_examples::ExampleGenerator;
use trtc_live_receiver::{sign, Token};
use trtc_live_types::{SendGiftErrorCode, SendMsgErrorCode};
use trtc_live_validate::{parse_json, Command, Validator, WebhookResponse};

use crate::args::{Format, SendArgs};
use crate::environment::read_token_file;
pub use packets::Input;
use packets::Packet;

/// The most of an answer's body that is read and shown: 1 MiB (a webhook answer is a few
/// dozen bytes; a proxy's error page can be long).
const MAX_ANSWER_BYTES: u64 = 1 << 20;
/// The most of an answer's body shown in the human report.
const MAX_ANSWER_SHOWN: usize = 2000;

/// What became of one delivery.
#[derive(Serialize)]
struct Delivery {
    /// Where the packet came from: `FILE`, `FILE:LINE` (NDJSON) or `example N of COMMAND`.
    source: String,
    /// The URL posted to, parameters included.
    url: String,
    /// The command word in the URL.
    command: String,
    /// The HTTP status of the answer, if one came.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// The answer's `Content-Type`, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<String>,
    /// The answer's body, as text (bytes that are not UTF-8 replaced), up to 1 MiB.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<String>,
    /// Whether the answer's body was longer than what was read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    answer_truncated: bool,
    /// Whether the answer is what Tencent expects: HTTP 200 and a valid response packet.
    valid: bool,
    /// The verdict in words.
    verdict: String,
}

/// An answer as received.
struct Received {
    status: u16,
    content_type: Option<String>,
    body: String,
    truncated: bool,
}

/// Sends the packets and reports each answer; returns the exit status.
pub fn run(args: &SendArgs) -> ExitCode {
    let validator = match Validator::new() {
        Ok(validator) => validator,
        Err(error) => {
            eprintln!("trtc-live send: {error}");
            return ExitCode::from(2);
        }
    };
    let input = &args.packet;
    let token = match token(args) {
        Ok(token) => token,
        Err(message) => {
            eprintln!("trtc-live send: {message}");
            return ExitCode::from(2);
        }
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(args.timeout_secs)))
        .build()
        .into();
    let mut generator = ExampleGenerator::new(args.seed);
    let mut stdout = std::io::stdout().lock();
    let mut all_valid = true;
    let mut sent = 0u64;
    for _ in 0..input.rounds(args.count) {
        for packet in input.packets(args.count, &mut generator) {
            let packet = match packet.and_then(|packet| changed(args, packet)) {
                Ok(packet) => packet,
                Err(message) => {
                    eprintln!("trtc-live send: {message}");
                    return ExitCode::from(2);
                }
            };
            let Some(command) = command_for(args, &packet) else {
                eprintln!(
                    "trtc-live send: {} has no CallbackCommand to put in the URL: skipped (pass \
                     --callback-command)",
                    packet.source
                );
                all_valid = false;
                continue;
            };
            let url = url(args, &command, token.as_ref());
            let delivery = match post(&agent, &url, &packet.body) {
                Ok(received) => judge(&validator, &command, packet.source, url, received),
                Err(message) => {
                    eprintln!("trtc-live send: cannot reach {}: {message}", args.url);
                    return ExitCode::from(2);
                }
            };
            sent += 1;
            all_valid &= delivery.valid;
            let line = match args.format {
                Format::Json => serde_json::to_string(&delivery).unwrap_or_default(),
                Format::Human => human(&delivery),
            };
            let _ = writeln!(stdout, "{line}");
        }
    }
    if sent == 0 {
        eprintln!("trtc-live send: no packet was sent");
        return ExitCode::from(2);
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// `packet` with every `--set` applied, in order.
fn changed(args: &SendArgs, mut packet: Packet) -> Result<Packet, String> {
    for assignment in &args.set {
        packet.body = set::apply(&packet.body, assignment)
            .map_err(|message| format!("{}: {message}", packet.source))?;
    }
    Ok(packet)
}

/// The command word for the URL: `--callback-command`, or the packet's own.
fn command_for(args: &SendArgs, packet: &Packet) -> Option<String> {
    args.callback_command
        .clone()
        .or_else(|| command_of(&packet.body))
}

fn token(args: &SendArgs) -> Result<Option<Token>, String> {
    if let Some(path) = &args.token_file {
        return read_token_file(path).map(Some);
    }
    Ok(args.token.clone().map(Token::new))
}

/// The `CallbackCommand` of a packet, if it is JSON with one.
fn command_of(body: &[u8]) -> Option<String> {
    let value = parse_json(body).ok()?;
    Some(value.get("CallbackCommand")?.as_str()?.to_owned())
}

/// The URL Tencent would call: the receiver's URL and the parameters, signed when a token is
/// given.
fn url(args: &SendArgs, command: &str, token: Option<&Token>) -> String {
    let mut parameters = vec![
        ("SdkAppid", args.sdkappid.clone()),
        ("CallbackCommand", command.to_owned()),
        ("contenttype", "json".to_owned()),
        ("ClientIP", args.client_ip.clone()),
        ("OptPlatform", args.platform.clone()),
    ];
    if let Some(token) = token {
        let request_time = args
            .request_time
            .unwrap_or_else(|| {
                SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_secs())
            })
            .to_string();
        parameters.push(("Sign", sign(token, &request_time)));
        parameters.push(("RequestTime", request_time));
    }
    let query: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{name}={}", percent_encode(value)))
        .collect();
    let separator = if args.url.contains('?') { '&' } else { '?' };
    format!("{}{separator}{}", args.url, query.join("&"))
}

/// The bytes that are percent-encoded: all but the unreserved characters of RFC 3986.
const NOT_UNRESERVED: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// `value` with every byte but the unreserved characters of RFC 3986 percent-encoded.
pub(crate) fn percent_encode(value: &str) -> String {
    percent_encoding::utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// POSTs `body`; the answer, its body read up to [`MAX_ANSWER_BYTES`].
fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<Received, String> {
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned);
    let mut answer = Vec::new();
    response
        .body_mut()
        .with_config()
        .limit(u64::MAX)
        .reader()
        .take(MAX_ANSWER_BYTES + 1)
        .read_to_end(&mut answer)
        .map_err(|error| format!("the answer could not be read: {error}"))?;
    let truncated = answer.len() as u64 > MAX_ANSWER_BYTES;
    answer.truncate(usize::try_from(MAX_ANSWER_BYTES).unwrap_or(usize::MAX));
    Ok(Received {
        status,
        content_type,
        body: String::from_utf8_lossy(&answer).into_owned(),
        truncated,
    })
}

/// Whether the answer is what Tencent expects of a receiver.
fn judge(
    validator: &Validator,
    command: &str,
    source: String,
    url: String,
    received: Received,
) -> Delivery {
    let Received {
        status,
        content_type,
        body: answer,
        truncated,
    } = received;
    let (valid, verdict) = if status != 200 {
        (
            false,
            format!(
                "refused: HTTP {status} (Tencent counts anything but 200 as a failed delivery)"
            ),
        )
    } else {
        match Command::from_command_word(command) {
            None => (
                false,
                format!("HTTP 200, but {command} is not a known command"),
            ),
            Some(command) => match validator.validate_response(command, answer.as_bytes()) {
                Ok(response) => (
                    true,
                    format!("a valid answer to {command}: {}", summary(&response)),
                ),
                Err(rejection) => (
                    false,
                    format!("HTTP 200, but not a valid answer: {rejection}"),
                ),
            },
        }
    };
    Delivery {
        source,
        url,
        command: command.to_owned(),
        status: Some(status),
        content_type,
        answer: Some(answer),
        answer_truncated: truncated,
        valid,
        verdict,
    }
}

/// The answer in words: the decision of a before-webhook, `ActionStatus` and `ErrorCode`
/// otherwise.
fn summary(response: &WebhookResponse) -> String {
    match response {
        WebhookResponse::LiveCallbackBeforeSendGift(answer) => match answer.error_code {
            SendGiftErrorCode::Allow => "the gift is allowed".to_owned(),
            SendGiftErrorCode::Reject => format!("the gift is refused ({:?})", answer.error_info),
            SendGiftErrorCode::RejectAndPassThrough(code) => format!(
                "the gift is refused, code {code} and {:?} passed to the sender",
                answer.error_info
            ),
        },
        WebhookResponse::GroupCallbackBeforeSendMsg(answer) => match answer.error_code {
            SendMsgErrorCode::Send => match (&answer.msg_body, &answer.cloud_custom_data) {
                (None, None) => "the message is sent".to_owned(),
                (Some(_), None) => "the message is sent with its MsgBody replaced".to_owned(),
                (None, Some(_)) => {
                    "the message is sent with its CloudCustomData replaced".to_owned()
                }
                (Some(_), Some(_)) => {
                    "the message is sent with its MsgBody and CloudCustomData replaced".to_owned()
                }
            },
            SendMsgErrorCode::Forbid => format!(
                "the message is refused, the sender gets error 10016 ({:?})",
                answer.error_info
            ),
            SendMsgErrorCode::DropSilently => {
                "the message is dropped silently (the sender sees success)".to_owned()
            }
            SendMsgErrorCode::ForbidAndPassThrough(code) => format!(
                "the message is refused, code {code} and {:?} passed to the sender",
                answer.error_info
            ),
        },
        other => {
            let value = serde_json::to_value(other).unwrap_or_default();
            format!(
                "{} (ErrorCode {})",
                value["ActionStatus"].as_str().unwrap_or("?"),
                value["ErrorCode"]
            )
        }
    }
}

/// The report of one delivery for people: what was posted, the answer's status and body (on
/// the same line when it is one short line, below it otherwise, cut after 2,000 bytes), and the
/// verdict.
fn human(delivery: &Delivery) -> String {
    let mut text = format!("POST {}\n", delivery.url);
    if !delivery.source.starts_with("example ") {
        text.push_str(&format!("  packet: {}\n", delivery.source));
    }
    let status = delivery.status.map_or("-".to_owned(), |s| s.to_string());
    let answer = delivery.answer.as_deref().unwrap_or("");
    let one_line = !answer.contains('\n') && answer.len() <= 200 && !delivery.answer_truncated;
    if one_line {
        text.push_str(&format!("  answer: HTTP {status} {answer}\n"));
    } else {
        let kind = delivery
            .content_type
            .as_deref()
            .unwrap_or("no Content-Type");
        let length = if delivery.answer_truncated {
            format!("over {MAX_ANSWER_BYTES} bytes")
        } else {
            format!("{} bytes", answer.len())
        };
        text.push_str(&format!("  answer: HTTP {status} ({kind}, {length}):\n"));
        let mut end = answer.len().min(MAX_ANSWER_SHOWN);
        while !answer.is_char_boundary(end) {
            end -= 1;
        }
        for line in answer[..end].lines() {
            text.push_str(&format!("    | {line}\n"));
        }
        if end < answer.len() || delivery.answer_truncated {
            text.push_str("    | ...\n");
        }
    }
    text.push_str(&format!(
        "  {}: {}",
        if delivery.valid { "ok" } else { "FAILED" },
        delivery.verdict
    ));
    text
}

#[cfg(test)]
mod tests {
    use super::percent_encode;

    #[test]
    fn only_unreserved_characters_stay_as_they_are() {
        assert_eq!(
            percent_encode("Live.CallbackAfterEndBattle"),
            "Live.CallbackAfterEndBattle"
        );
        assert_eq!(percent_encode("a b&c=d/é"), "a%20b%26c%3Dd%2F%C3%A9");
    }
}
