//! `trtc-live replay`: deliver journaled deliveries, or those of the JetStream stream of
//! `serve --sink`, again, byte for byte, as Tencent would (re-signed) or as the forwarder of
//! `serve --forward-to` would (Standard Webhooks headers), chosen by command word, receive
//! time and delivery id, at a bounded rate, with a summary of the answers.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use trtc_live_receiver::forward::{command_matches, DeliveryId, ForwardSecret, Outgoing};
use trtc_live_receiver::journal::{JournalReader, Record, RecordError};
use trtc_live_receiver::{sign, Token};

use crate::args::{Format, ReplayArgs, ReplayAs};
use crate::environment::{read_forward_secret, read_token_file};
use crate::send::percent_encode;

/// The most of an answer's body kept for the report.
const MAX_ANSWER_SHOWN: u64 = 2000;

/// What became of one delivery.
#[derive(Serialize)]
struct Replayed {
    /// `FILE:LINE`, or `STREAM#SEQUENCE` for a delivery read from a JetStream stream.
    source: String,
    /// The delivery id.
    id: String,
    /// The command word, when the record has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<String>,
    /// When it was received, Unix milliseconds.
    received_at_ms: u64,
    /// The URL posted to.
    url: String,
    /// The answer's status, if one came.
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<u16>,
    /// The answer's body (its start), or why there was none.
    #[serde(skip_serializing_if = "Option::is_none")]
    answer: Option<String>,
    /// Why nothing was answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    /// Whether the answer was 2xx (`None` on a dry run).
    #[serde(skip_serializing_if = "Option::is_none")]
    ok: Option<bool>,
}

/// How the deliveries are signed.
enum Signing {
    Tencent(Option<Token>),
    Forwarder(ForwardSecret),
}

/// Replays; returns the exit status.
pub fn run(args: &ReplayArgs) -> ExitCode {
    match replay(args) {
        Ok(code) => code,
        Err(message) => {
            eprintln!("trtc-live replay: {message}");
            ExitCode::from(2)
        }
    }
}

fn replay(args: &ReplayArgs) -> Result<ExitCode, String> {
    let signing = signing(args)?;
    if let Some(rate) = args.rate {
        if !(rate > 0.0 && rate.is_finite()) {
            return Err(format!(
                "--rate {rate}: give a number of deliveries a second above 0"
            ));
        }
    }
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(args.timeout_secs)))
        .build()
        .into();
    let mut run = Run {
        args,
        signing: &signing,
        agent: &agent,
        stdout: std::io::stdout().lock(),
        tally: Tally::default(),
        last_sent: None,
    };
    if let Some(servers) = &args.stream.from {
        crate::nats::read_stream(&args.stream, servers, "trtc-live replay", |item| {
            match item.record {
                Ok(record) => run.one(&item.source, &record),
                Err(error) => {
                    eprintln!("trtc-live replay: {}: {error}", item.source);
                    run.tally.unreadable += 1;
                }
            }
            true
        })?;
    } else {
        crate::nats::refuse_unused(&args.stream.nats, "--from")?;
        for source in &args.sources {
            run.journal(source)?;
        }
    }
    let tally = run.tally;
    eprintln!("trtc-live replay: {}", tally.summary(args.dry_run));
    Ok(if tally.chosen == 0 {
        ExitCode::from(2)
    } else if tally.failed > 0 || tally.unreadable > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

/// A replay under way: what it sends with, and what it saw.
struct Run<'a> {
    args: &'a ReplayArgs,
    signing: &'a Signing,
    agent: &'a ureq::Agent,
    stdout: std::io::StdoutLock<'static>,
    tally: Tally,
    last_sent: Option<Instant>,
}

impl Run<'_> {
    /// Replays the records of the journal at `path`.
    fn journal(&mut self, path: &Path) -> Result<(), String> {
        let reader = JournalReader::open(path)
            .map_err(|error| format!("cannot read {}: {error}", path.display()))?;
        for (line, record) in reader {
            match record {
                Ok(record) => self.one(&format!("{}:{line}", path.display()), &record),
                Err(RecordError::Torn { length }) => eprintln!(
                    "trtc-live replay: {}:{line}: a torn last record ({length} bytes, never \
                     acknowledged): skipped",
                    path.display()
                ),
                Err(error) => {
                    eprintln!("trtc-live replay: {}:{line}: {error}", path.display());
                    self.tally.unreadable += 1;
                }
            }
        }
        Ok(())
    }

    /// Replays `record` (found at `source`) if the filters choose it, and reports it.
    fn one(&mut self, source: &str, record: &Record) {
        let args = self.args;
        let id = DeliveryId::of_record(record);
        if !chosen(args, record, &id) {
            self.tally.filtered += 1;
            return;
        }
        if let (Some(rate), Some(last)) = (args.rate, self.last_sent) {
            let gap = Duration::from_secs_f64(1.0 / rate);
            std::thread::sleep(gap.saturating_sub(last.elapsed()));
        }
        let replayed = if args.dry_run {
            planned(args, self.signing, source, record, &id)
        } else {
            self.last_sent = Some(Instant::now());
            send(self.agent, args, self.signing, source, record, &id)
        };
        self.tally.count(&replayed);
        let text = match args.format {
            Format::Json => serde_json::to_string(&replayed).unwrap_or_default(),
            Format::Human => human(&replayed),
        };
        let _ = writeln!(self.stdout, "{text}");
    }
}

/// The signing the options ask for.
fn signing(args: &ReplayArgs) -> Result<Signing, String> {
    match args.as_ {
        ReplayAs::Tencent => {
            if args.forward_secret_file.is_some() {
                return Err(
                    "--forward-secret-file signs as the forwarder: add --as forwarder".into(),
                );
            }
            let token = args
                .token_file
                .as_deref()
                .map(read_token_file)
                .transpose()?;
            Ok(Signing::Tencent(token))
        }
        ReplayAs::Forwarder => {
            if args.token_file.is_some() {
                return Err("--token-file signs as Tencent: use --as tencent".into());
            }
            let path = args
                .forward_secret_file
                .as_deref()
                .ok_or("--as forwarder needs --forward-secret-file")?;
            Ok(Signing::Forwarder(read_forward_secret(path)?))
        }
    }
}

/// Whether the filters choose `record`.
fn chosen(args: &ReplayArgs, record: &Record, id: &DeliveryId) -> bool {
    let command = record.command().unwrap_or_default();
    (args.command.is_empty() || args.command.iter().any(|p| command_matches(p, command)))
        && args
            .since
            .is_none_or(|since| record.received_at_ms() >= since)
        && args
            .until
            .is_none_or(|until| record.received_at_ms() < until)
        && (args.id.is_empty() || args.id.iter().any(|wanted| wanted == id.as_str()))
}

/// The URL and headers of `record`.
fn request(
    args: &ReplayArgs,
    signing: &Signing,
    record: &Record,
) -> (String, Vec<(&'static str, String)>) {
    match signing {
        Signing::Tencent(token) => (
            tencent_url(&args.to, record.query(), token.as_ref(), unix_now()),
            vec![("content-type", "application/json".to_owned())],
        ),
        Signing::Forwarder(secret) => (
            args.to.clone(),
            Outgoing::of_record(record).headers(secret, 1, SystemTime::now()),
        ),
    }
}

/// The report of a delivery not sent (`--dry-run`).
fn planned(
    args: &ReplayArgs,
    signing: &Signing,
    source: &str,
    record: &Record,
    id: &DeliveryId,
) -> Replayed {
    let (url, _) = request(args, signing, record);
    report(source, record, id, url)
}

fn report(source: &str, record: &Record, id: &DeliveryId, url: String) -> Replayed {
    Replayed {
        source: source.to_owned(),
        id: id.to_string(),
        command: record.command().map(str::to_owned),
        received_at_ms: record.received_at_ms(),
        url,
        status: None,
        answer: None,
        error: None,
        ok: None,
    }
}

/// Sends `record` and reports the answer.
fn send(
    agent: &ureq::Agent,
    args: &ReplayArgs,
    signing: &Signing,
    source: &str,
    record: &Record,
    id: &DeliveryId,
) -> Replayed {
    let (url, headers) = request(args, signing, record);
    let mut replayed = report(source, record, id, url.clone());
    let mut request = agent.post(&url);
    for (name, value) in &headers {
        request = request.header(*name, value);
    }
    match request.send(&record.body_bytes()[..]) {
        Ok(mut response) => {
            let status = response.status();
            let mut answer = Vec::new();
            let _ = response
                .body_mut()
                .with_config()
                .limit(u64::MAX)
                .reader()
                .take(MAX_ANSWER_SHOWN)
                .read_to_end(&mut answer);
            replayed.status = Some(status.as_u16());
            replayed.answer = Some(String::from_utf8_lossy(&answer).into_owned());
            replayed.ok = Some(status.is_success());
        }
        Err(error) => {
            replayed.error = Some(error.to_string());
            replayed.ok = Some(false);
        }
    }
    replayed
}

/// `to` with the record's URL parameters: `Sign` and `RequestTime` anew with `token` at
/// `now` (in place, or added at the end), or left out without a token; every other parameter
/// as it was, in its order.
fn tencent_url(to: &str, query: &str, token: Option<&Token>, now: u64) -> String {
    let request_time = now.to_string();
    let mut parameters: Vec<(String, String)> = Vec::new();
    let mut signed = false;
    for (name, value) in form_urlencoded::parse(query.as_bytes()) {
        match (&*name, token) {
            ("Sign" | "RequestTime", None) => {}
            ("Sign", Some(token)) => {
                parameters.push((name.into_owned(), sign(token, &request_time)));
                signed = true;
            }
            ("RequestTime", Some(_)) => parameters.push((name.into_owned(), request_time.clone())),
            _ => parameters.push((name.into_owned(), value.into_owned())),
        }
    }
    if let (Some(token), false) = (token, signed) {
        parameters.push(("Sign".into(), sign(token, &request_time)));
        parameters.push(("RequestTime".into(), request_time));
    }
    let query: Vec<String> = parameters
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect();
    if query.is_empty() {
        return to.to_owned();
    }
    let separator = if to.contains('?') { '&' } else { '?' };
    format!("{to}{separator}{}", query.join("&"))
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// The counts of a run.
#[derive(Default)]
struct Tally {
    chosen: u64,
    filtered: u64,
    unreadable: u64,
    answered_2xx: u64,
    failed: u64,
    by_answer: BTreeMap<String, u64>,
}

impl Tally {
    fn count(&mut self, replayed: &Replayed) {
        self.chosen += 1;
        match replayed.ok {
            Some(true) => self.answered_2xx += 1,
            Some(false) => self.failed += 1,
            None => return,
        }
        let key = match (replayed.status, &replayed.error) {
            (Some(status), _) => format!("HTTP {status}"),
            (None, _) => "no answer".to_owned(),
        };
        *self.by_answer.entry(key).or_default() += 1;
    }

    fn summary(&self, dry_run: bool) -> String {
        let chosen = format!(
            "{} deliveries chosen, {} filtered out",
            self.chosen, self.filtered
        );
        let unreadable = if self.unreadable > 0 {
            format!(", {} lines that are not records", self.unreadable)
        } else {
            String::new()
        };
        if dry_run {
            return format!("dry run: {chosen}{unreadable}, nothing sent");
        }
        let answers: Vec<String> = self
            .by_answer
            .iter()
            .map(|(answer, count)| format!("{answer}: {count}"))
            .collect();
        format!(
            "{chosen}{unreadable}; {} answered 2xx, {} failed ({})",
            self.answered_2xx,
            self.failed,
            if answers.is_empty() {
                "none sent".to_owned()
            } else {
                answers.join(", ")
            }
        )
    }
}

/// One delivery for people.
fn human(replayed: &Replayed) -> String {
    let command = replayed.command.as_deref().unwrap_or("(no command word)");
    let outcome = match (replayed.ok, replayed.status, &replayed.error) {
        (None, _, _) => format!("would POST {}", replayed.url),
        (Some(_), Some(status), _) => {
            let answer = replayed.answer.as_deref().unwrap_or_default();
            let mut short: String = answer.chars().take(200).collect();
            short.retain(|c| c != '\n' && c != '\r');
            format!("HTTP {status} {short}")
        }
        (Some(_), None, Some(error)) => format!("no answer: {error}"),
        (Some(_), None, None) => "no answer".to_owned(),
    };
    format!("{} {} {command}: {outcome}", replayed.source, replayed.id)
}

/// A time given to --since or --until, in Unix milliseconds: RFC 3339 (`2026-11-26T10:00:00Z`,
/// `2026-11-26T18:00:00.250+08:00`) or Unix seconds.
pub fn parse_time(text: &str) -> Result<u64, String> {
    if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
        return text
            .parse::<u64>()
            .ok()
            .and_then(|seconds| seconds.checked_mul(1000))
            .ok_or_else(|| format!("{text:?} is too large"));
    }
    rfc3339_millis(text).ok_or_else(|| {
        format!(
            "{text:?} is not a time: give RFC 3339 (2026-11-26T10:00:00Z, \
             2026-11-26T18:00:00+08:00) or Unix seconds"
        )
    })
}

/// Unix milliseconds of an RFC 3339 date-time.
fn rfc3339_millis(text: &str) -> Option<u64> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = text.get(range)?;
        digits
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| digits.parse().ok())?
    };
    if bytes.len() < 20
        || bytes[4] != b'-'
        || bytes[7] != b'-'
        || bytes[13] != b':'
        || bytes[16] != b':'
    {
        return None;
    }
    if !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    let (year, month, day) = (number(0..4)?, number(5..7)?, number(8..10)?);
    let (hour, minute, second) = (number(11..13)?, number(14..16)?, number(17..19)?);
    if !(1..=12).contains(&month)
        || !(1..=31).contains(&day)
        || hour > 23
        || minute > 59
        || second > 60
    {
        return None;
    }
    let mut rest = &text[19..];
    let mut millis = 0i64;
    if let Some(fraction) = rest.strip_prefix('.') {
        let digits = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let first_three: String = fraction[..digits]
            .chars()
            .chain("000".chars())
            .take(3)
            .collect();
        millis = first_three.parse().ok()?;
        rest = &fraction[digits..];
    }
    let offset_minutes = match rest {
        "Z" | "z" => 0,
        _ if rest.len() == 6
            && (rest.starts_with('+') || rest.starts_with('-'))
            && &rest[3..4] == ":" =>
        {
            let sign = if rest.starts_with('-') { -1 } else { 1 };
            let hours: i64 = rest[1..3].parse().ok()?;
            let minutes: i64 = rest[4..6].parse().ok()?;
            sign * (hours * 60 + minutes)
        }
        _ => return None,
    };
    let days = days_from_civil(year, month, day);
    let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offset_minutes * 60;
    u64::try_from(seconds * 1000 + millis).ok()
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (Howard Hinnant's
/// algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_rfc3339_or_unix_seconds() {
        assert_eq!(parse_time("1764135600"), Ok(1_764_135_600_000));
        assert_eq!(parse_time("1970-01-01T00:00:00Z"), Ok(0));
        assert_eq!(parse_time("2026-11-26T05:40:00Z"), Ok(1_795_671_600_000));
        assert_eq!(
            parse_time("2026-11-26T13:40:00.25+08:00"),
            Ok(1_795_671_600_250)
        );
        assert_eq!(
            parse_time("2024-02-29T00:00:00-01:30"),
            Ok(1_709_170_200_000)
        );
        for bad in [
            "",
            "yesterday",
            "2026-13-01T00:00:00Z",
            "2026-11-26T05:40:00",
            "2026-11-26",
        ] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_tencent_url_is_signed_anew_and_keeps_the_other_parameters() {
        let token = Token::new("xxxxyyyy");
        let query = "SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign=old&RequestTime=1&ClientIP=1.2.3.4";
        assert_eq!(
            tencent_url("http://h/w", query, Some(&token), 1669872112),
            "http://h/w?SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle\
             &Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061\
             &RequestTime=1669872112&ClientIP=1.2.3.4"
        );
        assert_eq!(
            tencent_url("http://h/w?a=1", query, None, 5),
            "http://h/w?a=1&SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&ClientIP=1.2.3.4"
        );
        assert_eq!(
            tencent_url("http://h/w", "SdkAppid=1", Some(&token), 1669872112),
            "http://h/w?SdkAppid=1&Sign=17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061&RequestTime=1669872112"
        );
    }
}
