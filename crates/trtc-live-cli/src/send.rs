//! `trtc-live send`: play Tencent's part against any receiver: build the URL parameters, sign
//! them, POST a packet, and check the answer.

use std::io::Write;
use std::process::ExitCode;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use trtc_live_examples::ExampleGenerator;
use trtc_live_receiver::{sign, Token};
use trtc_live_types::{SendGiftErrorCode, SendMsgErrorCode};
use trtc_live_validate::{parse_json, Command, Validator, WebhookResponse};

use crate::args::{Format, PacketSource, SendArgs};
use crate::environment::read_token_file;

/// What became of one delivery.
#[derive(Serialize)]
struct Delivery {
    /// The URL posted to, parameters included.
    url: String,
    /// The command word in the URL.
    command: String,
    /// The HTTP status of the answer, if one came.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// The answer's body, as text.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<String>,
    /// Whether the answer is what Tencent expects: HTTP 200 and a valid response packet.
    valid: bool,
    /// The verdict in words.
    verdict: String,
}

/// The packet to send and the command word for the URL.
struct Packet {
    body: Vec<u8>,
    command: String,
}

/// Sends `--count` packets and reports each answer; returns the exit status.
pub fn run(args: &SendArgs) -> ExitCode {
    let validator = match Validator::new() {
        Ok(validator) => validator,
        Err(error) => {
            eprintln!("trtc-live send: {error}");
            return ExitCode::from(2);
        }
    };
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
    for _ in 0..args.count {
        let packet = match packet(args, &mut generator) {
            Ok(packet) => packet,
            Err(message) => {
                eprintln!("trtc-live send: {message}");
                return ExitCode::from(2);
            }
        };
        let url = url(args, &packet.command, token.as_ref());
        let delivery = match post(&agent, &url, &packet.body) {
            Ok((status, answer)) => judge(&validator, &packet.command, url, status, answer),
            Err(message) => {
                eprintln!("trtc-live send: cannot reach {}: {message}", args.url);
                return ExitCode::from(2);
            }
        };
        all_valid &= delivery.valid;
        let line = match args.format {
            Format::Json => serde_json::to_string(&delivery).unwrap_or_default(),
            Format::Human => human(&delivery),
        };
        let _ = writeln!(stdout, "{line}");
    }
    if all_valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

fn token(args: &SendArgs) -> Result<Option<Token>, String> {
    if let Some(path) = &args.token_file {
        return read_token_file(path).map(Some);
    }
    Ok(args.token.clone().map(Token::new))
}

/// The packet: a file's bytes as they are (even if they are not a valid packet: receivers must
/// cope), or an example of a command word.
fn packet(args: &SendArgs, generator: &mut ExampleGenerator) -> Result<Packet, String> {
    let command = match &args.packet {
        PacketSource::Examples(command) => *command,
        PacketSource::File(path) => {
            let target = path.display();
            let body =
                std::fs::read(path).map_err(|error| format!("cannot read {target}: {error}"))?;
            let command = match &args.callback_command {
                Some(command) => command.clone(),
                None => command_of(&body).ok_or_else(|| {
                    format!(
                        "{target} has no CallbackCommand to put in the URL; pass --callback-command"
                    )
                })?,
            };
            return Ok(Packet { body, command });
        }
    };
    let body = serde_json::to_vec(&generator.request(command)).map_err(|e| e.to_string())?;
    Ok(Packet {
        body,
        command: args
            .callback_command
            .clone()
            .unwrap_or_else(|| command.as_str().to_owned()),
    })
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

/// `value` with every byte but the unreserved characters of RFC 3986 percent-encoded.
fn percent_encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// POSTs `body`; the status and the answer's text.
fn post(agent: &ureq::Agent, url: &str, body: &[u8]) -> Result<(u16, String), String> {
    let mut response = agent
        .post(url)
        .header("Content-Type", "application/json")
        .send(body)
        .map_err(|error| error.to_string())?;
    let status = response.status().as_u16();
    let answer = response
        .body_mut()
        .with_config()
        .limit(1 << 20)
        .read_to_vec()
        .map_err(|error| error.to_string())?;
    Ok((status, String::from_utf8_lossy(&answer).into_owned()))
}

/// Whether the answer is what Tencent expects of a receiver.
fn judge(
    validator: &Validator,
    command: &str,
    url: String,
    status: u16,
    answer: String,
) -> Delivery {
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
        url,
        command: command.to_owned(),
        status: Some(status),
        answer: Some(answer),
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

fn human(delivery: &Delivery) -> String {
    format!(
        "POST {}\n  answer: HTTP {} {}\n  {}: {}",
        delivery.url,
        delivery.status.map_or("-".to_owned(), |s| s.to_string()),
        delivery.answer.as_deref().unwrap_or(""),
        if delivery.valid { "ok" } else { "FAILED" },
        delivery.verdict
    )
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
