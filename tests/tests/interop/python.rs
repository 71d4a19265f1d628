//! The Python package (`packages/python`) as a user gets it: built (wheel and sdist), installed
//! into a new virtual environment outside the repository, then its own tests (pytest: the
//! signature vector, the receiver, the README's FastAPI app under FastAPI's test client, the
//! WSGI and ASGI applications), its verdicts on the shared corpus (`main.rs`,
//! `differential.rs`), and its receiver's answers against the Rust receiver's.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, UNIX_EPOCH};

use trtc_live_receiver::{
    sign, Answer, InvalidBeforeWebhookPolicy, Receiver, ReceiverConfig, Token,
};
use trtc_live_tests::python_package::{build_and_install, PythonPackage};
use trtc_live_tests::repo_root;
use trtc_live_validate::Validator;

use crate::corpus::Verdict;

/// The package, built and installed once per test run.
pub fn package() -> &'static PythonPackage {
    static PACKAGE: OnceLock<Result<PythonPackage, String>> = OnceLock::new();
    PACKAGE
        .get_or_init(|| build_and_install("interop"))
        .as_ref()
        .unwrap_or_else(|error| panic!("the Python package: {error}"))
}

/// What the package said of a packet: its verdict, and whether the typed model (not the
/// schema) refused it, and for a valid packet given with its canonical JSON, whether the model
/// dumps it back exactly.
#[derive(Clone, Debug, PartialEq)]
pub struct PythonVerdict {
    pub verdict: Verdict,
    pub decode: bool,
    pub exact: Option<bool>,
    /// The warnings of a valid request, as the Rust validator serializes its `Warning`s.
    pub warnings: Vec<serde_json::Value>,
}

impl PythonVerdict {
    /// The verdict of the schema alone: a packet the typed model refused passed the schema.
    pub fn schema_verdict(&self) -> Verdict {
        if self.decode {
            Verdict::Valid
        } else {
            self.verdict
        }
    }
}

/// The package's verdicts (`tests/drivers/verdicts.py`) on the corpus at `path`, by name.
pub fn verdicts(path: &Path) -> BTreeMap<String, PythonVerdict> {
    let output = package().run("packages/python/tests/drivers/verdicts.py", &[path], b"");
    assert!(
        output.status.success(),
        "python failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    #[derive(serde::Deserialize)]
    struct Line {
        name: String,
        verdict: Verdict,
        decode: bool,
        exact: Option<bool>,
        #[serde(default)]
        warnings: Vec<serde_json::Value>,
    }
    String::from_utf8(output.stdout)
        .expect("UTF-8")
        .lines()
        .map(|line| {
            let line: Line = serde_json::from_str(line).unwrap_or_else(|e| panic!("{line}: {e}"));
            let verdict = PythonVerdict {
                verdict: line.verdict,
                decode: line.decode,
                exact: line.exact,
                warnings: line.warnings,
            };
            (line.name, verdict)
        })
        .collect()
}

#[test]
fn the_python_packages_own_tests_pass_on_the_installed_wheel() {
    let package = package();
    let output = package
        .command()
        .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "--rootdir"])
        .arg(&package.venv)
        .arg(repo_root().join("packages/python/tests"))
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{printed}{}",
        String::from_utf8_lossy(&output.stderr)
    );
    eprintln!("{}", printed.lines().last().unwrap_or_default());
}

#[test]
fn the_sdist_holds_the_sources_the_schemas_and_the_tests() {
    let package = package();
    let output = std::process::Command::new("tar")
        .arg("-tzf")
        .arg(&package.sdist)
        .output()
        .unwrap();
    let listing = String::from_utf8(output.stdout).unwrap();
    let version = env!("CARGO_PKG_VERSION");
    for file in [
        "pyproject.toml",
        "README.md",
        "src/trtc_live_webhooks/models.py",
        "src/trtc_live_webhooks/py.typed",
        "src/trtc_live_webhooks/schema_files/trtc-live-webhooks.schema.json",
        "tests/test_receiver.py",
    ] {
        let path = format!("trtc_live_webhooks-{version}/{file}");
        assert!(
            listing.lines().any(|l| l == path),
            "{path} not in the sdist:\n{listing}"
        );
    }
}

#[test]
fn python_keeps_the_account_id_exact() {
    let program = "import sys\n\
        from trtc_live_webhooks import parse_webhook\n\
        battle = parse_webhook(sys.stdin.buffer.read())\n\
        rooms = [battle.FromRoomInfo, *battle.ToRoomList]\n\
        print(', '.join(str(r.Owner_Account) for r in rooms))\n";
    let output = trtc_live_tests::python_package::run_with_input(
        package().command().args(["-c", program]),
        &crate::end_battle_sample(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "144115245353757792, 144115245442327522\n"
    );
}

/// One request for both receivers.
#[derive(serde::Serialize)]
struct Request {
    name: String,
    method: &'static str,
    query: String,
    body: String,
    now: f64,
    token: Option<&'static str>,
    policy: &'static str,
    max_body_bytes: usize,
}

const TOKEN: &str = "xxxxyyyy";
const REQUEST_TIME: u64 = 1_669_872_112;

fn signed(command: &str, request_time: u64, token: &str) -> String {
    let time = request_time.to_string();
    format!(
        "SdkAppid=1400000000&CallbackCommand={command}&contenttype=json&ClientIP=127.0.0.1\
         &OptPlatform=RESTAPI&Sign={}&RequestTime={time}",
        sign(&Token::new(token), &time)
    )
}

/// Requests for every check of the receiver, and every packet of the corpus signed for its
/// command (so accepted or refused by the schema), under the three policies.
fn requests() -> Vec<Request> {
    let t = REQUEST_TIME;
    let good = |command: &str| signed(command, t, TOKEN);
    let end_battle = String::from_utf8(crate::end_battle_sample()).expect("the sample is UTF-8");
    let now = t as f64 + 3.0;
    let mut cases: Vec<(String, &'static str, String, String, f64)> = vec![
        ("GET".into(), "GET", good("Live.CallbackAfterEndBattle"), end_battle.clone(), now),
        ("post in lowercase".into(), "post", good("Live.CallbackAfterEndBattle"), end_battle.clone(), now),
        ("over the limit".into(), "POST", good("Live.CallbackAfterEndBattle"), format!("{:5000}", end_battle), now),
        ("SdkAppid twice".into(), "POST", good("Live.CallbackAfterEndBattle") + "&SdkAppid=1400000000", end_battle.clone(), now),
        ("SdkAppid twice, once escaped".into(), "POST", good("Live.CallbackAfterEndBattle") + "&Sdk%41ppid=1", end_battle.clone(), now),
        ("no query".into(), "POST", String::new(), end_battle.clone(), now),
        ("SdkAppId".into(), "POST", good("Live.CallbackAfterEndBattle").replace("SdkAppid", "SdkAppId"), end_battle.clone(), now),
        ("another application".into(), "POST", good("Live.CallbackAfterEndBattle").replace("1400000000", "1400000001"), end_battle.clone(), now),
        ("no Sign".into(), "POST", format!("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&RequestTime={t}"), end_battle.clone(), now),
        ("no RequestTime".into(), "POST", format!("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign={}", "a".repeat(64)), end_battle.clone(), now),
        ("RequestTime with a fraction".into(), "POST", format!("SdkAppid=1400000000&Sign=x&RequestTime={t}.0"), end_battle.clone(), now),
        ("RequestTime over u64".into(), "POST", "SdkAppid=1400000000&Sign=x&RequestTime=18446744073709551616".into(), end_battle.clone(), now),
        ("Sign uppercase".into(), "POST", format!("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign={}&RequestTime={t}", sign(&Token::new(TOKEN), &t.to_string()).to_uppercase()), end_battle.clone(), now),
        ("wrong token".into(), "POST", signed("Live.CallbackAfterEndBattle", t, "wrong"), end_battle.clone(), now),
        ("60 s old".into(), "POST", good("Live.CallbackAfterEndBattle"), end_battle.clone(), t as f64 + 60.0),
        ("60.5 s old".into(), "POST", good("Live.CallbackAfterEndBattle"), end_battle.clone(), t as f64 + 60.5),
        ("61 s ahead".into(), "POST", good("Live.CallbackAfterEndBattle"), end_battle.clone(), t as f64 - 61.0),
        ("no URL command".into(), "POST", format!("SdkAppid=1400000000&Sign={}&RequestTime={t}", sign(&Token::new(TOKEN), &t.to_string())), end_battle.clone(), now),
        ("unknown OptPlatform".into(), "POST", good("Live.CallbackAfterEndBattle").replace("RESTAPI", "HarmonyOS"), end_battle.clone(), now),
        ("unknown OptPlatform and OpType".into(), "POST", good("Live.CallbackAfterEndBattle").replace("RESTAPI", "HarmonyOS"), end_battle.replace("\"OpType\": 0", "\"OpType\": 3"), now),
        ("escaped and plus".into(), "POST", good("Live.CallbackAfterEndBattle").replace("127.0.0.1", "a+b%20c%FF"), end_battle.clone(), now),
        ("not JSON".into(), "POST", good("Live.CallbackAfterEndBattle"), "{\"CallbackCommand\": ".into(), now),
        ("empty body".into(), "POST", good("Live.CallbackAfterEndBattle"), String::new(), now),
        ("unknown body command".into(), "POST", good("Live.CallbackAfterEndBattle"), r#"{"CallbackCommand": "Live.CallbackAfterNothing"}"#.into(), now),
        ("a JSON array".into(), "POST", good("Live.CallbackAfterEndBattle"), "[]".into(), now),
        ("URL StartBattle, body EndBattle".into(), "POST", good("Live.CallbackAfterStartBattle"), end_battle.clone(), now),
        ("unknown URL command".into(), "POST", good("Live.CallbackAfterNothing"), end_battle.clone(), now),
        ("schema violation".into(), "POST", good("Live.CallbackAfterEndBattle"), r#"{"CallbackCommand": "Live.CallbackAfterEndBattle", "OpType": 7}"#.into(), now),
        ("integer with a fraction".into(), "POST", good("Live.CallbackAfterEndBattle"), end_battle.replace("30000", "30000.0"), now),
        ("gift, not JSON".into(), "POST", good("Live.CallbackBeforeSendGift"), "{".into(), now),
        ("message, schema violation".into(), "POST", good("Group.CallbackBeforeSendMsg"), r#"{"CallbackCommand": "Group.CallbackBeforeSendMsg"}"#.into(), now),
        ("gift URL, unknown body command".into(), "POST", good("Live.CallbackBeforeSendGift"), "{}".into(), now),
        ("WebhookCommand in place of CallbackCommand".into(), "POST", good("Live.CallbackAfterEndBattle").replace("CallbackCommand=", "WebhookCommand="), end_battle.clone(), now),
        ("CallbackCommand and WebhookCommand, the same".into(), "POST", good("Live.CallbackAfterEndBattle") + "&WebhookCommand=Live.CallbackAfterEndBattle", end_battle.clone(), now),
        ("CallbackCommand and WebhookCommand differ".into(), "POST", good("Live.CallbackBeforeSendGift") + "&WebhookCommand=Live.CallbackAfterEndBattle", end_battle.clone(), now),
        ("WebhookCommand alone, not a command word".into(), "POST", good("Live.CallbackAfterEndBattle").replace("CallbackCommand=Live.", "WebhookCommand=Live-"), end_battle.clone(), now),
        ("WebhookCommand against the body".into(), "POST", good("Live.CallbackAfterStartBattle").replace("CallbackCommand=", "WebhookCommand="), end_battle.clone(), now),
    ];
    for entry in crate::corpus::corpus()
        .into_iter()
        .filter(|e| e.role == "request")
    {
        cases.push((
            entry.name.clone(),
            "POST",
            good(entry.command),
            entry.text,
            now,
        ));
    }
    let mut requests = Vec::new();
    for policy in ["fail_delivery", "allow", "refuse"] {
        for (name, method, query, body, now) in &cases {
            requests.push(Request {
                name: format!("{name} ({policy})"),
                method,
                query: query.clone(),
                body: body.clone(),
                now: *now,
                token: Some(TOKEN),
                policy,
                max_body_bytes: 4096,
            });
        }
    }
    requests.push(Request {
        name: "a token with a character around it that is not white space".into(),
        method: "POST",
        query: good("Live.CallbackAfterEndBattle"),
        body: end_battle.clone(),
        now,
        token: Some("\u{1c}xxxxyyyy"),
        policy: "fail_delivery",
        max_body_bytes: 4096,
    });
    requests.push(Request {
        name: "a token with whitespace around it".into(),
        method: "POST",
        query: good("Live.CallbackAfterEndBattle"),
        body: end_battle.clone(),
        now,
        token: Some(" xxxxyyyy\r\n"),
        policy: "fail_delivery",
        max_body_bytes: 4096,
    });
    requests.push(Request {
        name: "without a token, stale and unsigned".into(),
        method: "POST",
        query: format!("SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&Sign={}&RequestTime=1000", "0".repeat(64)),
        body: end_battle,
        now,
        token: None,
        policy: "fail_delivery",
        max_body_bytes: 4096,
    });
    requests
}

/// The Rust receiver's answer: status, `Allow` header, body, and an accepted delivery's
/// warnings (as it serializes them).
fn rust_answer(
    validator: &Arc<Validator>,
    request: &Request,
) -> (u16, Option<String>, String, serde_json::Value) {
    let mut config = ReceiverConfig::new("1400000000");
    config.token = request.token.map(Token::new);
    config.max_body_bytes = request.max_body_bytes;
    config.invalid_before_webhook = match request.policy {
        "allow" => InvalidBeforeWebhookPolicy::Allow,
        "refuse" => InvalidBeforeWebhookPolicy::Refuse,
        _ => InvalidBeforeWebhookPolicy::FailDelivery,
    };
    let receiver = Receiver::with_validator(config, Arc::clone(validator)).unwrap();
    let method = axum::http::Method::from_bytes(request.method.as_bytes()).unwrap();
    let uri: axum::http::Uri = format!("/webhook?{}", request.query).parse().unwrap();
    let now = UNIX_EPOCH + Duration::from_secs_f64(request.now);
    let (response, warnings) = match receiver.receive(&method, &uri, request.body.as_bytes(), now) {
        Ok(delivery) => (
            Answer::for_delivery(&delivery).http_response(),
            serde_json::to_value(&delivery.warnings).unwrap(),
        ),
        Err(error) => (receiver.response_for(&error), serde_json::json!([])),
    };
    let allow = response
        .headers()
        .get("allow")
        .map(|v| v.to_str().unwrap().to_owned());
    (
        response.status().as_u16(),
        allow,
        String::from_utf8(response.body().clone()).unwrap(),
        warnings,
    )
}

#[test]
fn the_python_receiver_answers_every_request_as_the_rust_receiver_does() {
    let requests = requests();
    let input: String = requests
        .iter()
        .map(|r| serde_json::to_string(r).unwrap() + "\n")
        .collect();
    let output = package().run(
        "packages/python/tests/drivers/receiver.py",
        &[],
        input.as_bytes(),
    );
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    #[derive(serde::Deserialize)]
    struct Line {
        name: String,
        status: u16,
        allow: Option<String>,
        body: String,
        rejection: Option<String>,
        warnings: serde_json::Value,
    }
    let answers: BTreeMap<String, Line> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| {
            let line: Line = serde_json::from_str(line).unwrap();
            (line.name.clone(), line)
        })
        .collect();
    let mut differences = Vec::new();
    let mut rejections = BTreeMap::<String, usize>::new();
    let validator = Arc::new(Validator::new().unwrap());
    for request in &requests {
        let rust = rust_answer(&validator, request);
        let Some(python) = answers.get(&request.name) else {
            differences.push(format!("{}: no answer from Python", request.name));
            continue;
        };
        *rejections
            .entry(python.rejection.clone().unwrap_or("accepted".into()))
            .or_default() += 1;
        let python_answer = (
            python.status,
            python.allow.clone(),
            python.body.clone(),
            python.warnings.clone(),
        );
        if rust != python_answer {
            differences.push(format!(
                "{}: Rust {rust:?}, Python {python_answer:?}\n  {} {}\n  {}",
                request.name, request.method, request.query, request.body
            ));
        }
    }
    assert!(
        differences.is_empty(),
        "{} of {} requests answered differently:\n{}",
        differences.len(),
        requests.len(),
        differences.join("\n")
    );
    // Every check was reached (BodyNotRead and BodyTimeout come from the adapters and the
    // server only): 18 outcomes, 17 rejections and "accepted".
    assert_eq!(rejections.len(), 18, "{rejections:?}");
    eprintln!(
        "{} requests, one answer from both receivers: {rejections:?}",
        requests.len()
    );
}
