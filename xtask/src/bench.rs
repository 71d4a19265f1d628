//! `cargo xtask bench`: the criterion benchmarks of `benches/` and the peers (ajv, Python's
//! jsonschema, fastjsonschema, pydantic) on the same payloads, in one table with the byte-scan
//! floor measured in the same run. The method is in `docs/benchmarks.md`.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::SystemTime;

use anyhow::anyhow;
use serde_json::Value;

pub const HELP: &str = "\
usage: cargo xtask bench [--quick] [--no-peers]

Runs the criterion benchmarks of benches/ (cargo bench -p trtc-live-bench), then the peers on
the same payloads and schemas: ajv and the npm package's parseWebhook (Node,
packages/npm/bench/peers.ts), Python's jsonschema, the Python package's parse_webhook,
fastjsonschema and pydantic v2 (packages/python/bench/bench_peers.py). Prints one table on standard
output: ns/payload (medians) for valid and invalid payloads, and the ratio to the floor
(serde_json::from_slice::<IgnoredAny>) measured in the same run; criterion's and the peers'
progress goes to standard error. The method: docs/benchmarks.md.

options:
  --quick      short measurements (seconds, not minutes): indicative figures, for checking
  --no-peers   the Rust benchmarks only

The peers need Node.js 20+ and Python 3.11+ with the tools installed and built: run
`cargo test -p trtc-live-tests --test interop` once (it builds the npm package in packages/npm,
and installs the pinned PyPI packages into packages/python/.venv).";

/// The criterion benchmarks of `benches/benches/validate.rs`, in table order, with their
/// labels. A benchmark not listed here is shown under its own name, after these.
const ROWS: &[(&str, &str)] = &[
    ("floor", "floor: serde_json::from_slice::<IgnoredAny>"),
    ("value", "serde_json::from_slice::<Value>"),
    ("typed", "serde_json::from_slice::<generated type>"),
    ("jsonschema-is-valid", "jsonschema crate: Value + is_valid"),
    (
        "jsonschema-iter-errors",
        "jsonschema crate: Value + iter_errors (every error)",
    ),
    (
        "validate",
        "trtc-live-validate: Validator::validate (fast path first)",
    ),
    (
        "is-valid",
        "trtc-live-validate: Validator::is_valid (the verdict alone)",
    ),
    (
        "schema-path",
        "trtc-live-validate: schema path alone (Value + schema + decode)",
    ),
];

/// The payload sets and kinds, as the benchmarks and the peers name them.
const SETS: &[&str] = &["end-battle", "samples"];
const KINDS: &[&str] = &["valid", "invalid"];

/// Runs `cargo xtask bench ARGS`.
pub fn main(args: &[&str]) -> ExitCode {
    let mut quick = false;
    let mut peers = true;
    for &arg in args {
        match arg {
            "--quick" => quick = true,
            "--no-peers" => peers = false,
            "--help" | "-h" => {
                println!("{HELP}");
                return ExitCode::SUCCESS;
            }
            _ => {
                eprintln!("unknown option {arg:?}\n\n{HELP}");
                return ExitCode::from(2);
            }
        }
    }
    match run(quick, peers) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// One measured figure: a path or tool, on one payload set and kind.
#[derive(Clone, Debug)]
struct Figure {
    /// The label of its row.
    row: String,
    /// `end-battle` or `samples`.
    set: String,
    /// `valid` or `invalid`.
    kind: String,
    /// The median time per payload.
    ns_per_payload: f64,
    /// How many payloads of the set the path gave a verdict other than the schema's.
    wrong_verdicts: usize,
    /// How many payloads the set holds.
    payloads: usize,
}

struct Paths {
    root: PathBuf,
    payloads: PathBuf,
    criterion: PathBuf,
    npm_package: PathBuf,
    python: PathBuf,
    bundle: PathBuf,
}

fn run(quick: bool, peers: bool) -> anyhow::Result<()> {
    let root = xtask::project_root();
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("target"));
    let paths = Paths {
        payloads: target.join("bench/payloads.ndjson"),
        criterion: target.join("criterion"),
        npm_package: root.join("packages/npm"),
        python: root.join("packages/python"),
        bundle: root.join("dist/trtc-live-webhooks.schema.json"),
        root,
    };
    if peers {
        // Before the long part: the peers must be able to run.
        check_peers(&paths)?;
    }
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let start = SystemTime::now();
    let date = utc(start);

    let mut figures = rust_figures(&paths, quick, start)?;
    let mut versions = vec![version_of(command("rustc").arg("--version"))];
    if peers {
        versions.push(format!(
            "node {}",
            version_of(command("node").arg("--version"))
        ));
        versions.push(version_of(
            command(paths.python.join(".venv/bin/python")).arg("--version"),
        ));
        let mode: &[&str] = if quick { &["--quick"] } else { &[] };
        let mut node = command("node");
        node.arg(paths.npm_package.join("bench/build/peers.js"))
            .arg(&paths.bundle)
            .arg(&paths.payloads)
            .args(mode)
            .current_dir(&paths.npm_package);
        figures.extend(peer_figures(&mut node, "the Node peers", &mut versions)?);
        let mut python = command(paths.python.join(".venv/bin/python"));
        python
            .arg("bench/bench_peers.py")
            .arg(&paths.bundle)
            .arg(&paths.payloads)
            .args(mode)
            .current_dir(&paths.python);
        figures.extend(peer_figures(
            &mut python,
            "the Python peers",
            &mut versions,
        )?);
    }
    print!("{}", header(quick, &date, &load, &versions, &paths)?);
    print!("{}", table(&figures));
    print!("{}", paired_table(&paths)?);
    Ok(())
}

/// The ratios to the floor that the benchmark measured in alternating pairs
/// (`paired-ratios.json`, beside the payloads), as a table.
fn paired_table(paths: &Paths) -> anyhow::Result<String> {
    let entries = read_json(&paths.payloads.with_file_name("paired-ratios.json"))?;
    let entries = entries.as_array().cloned().unwrap_or_default();
    let mut out = String::from(
        "\nx floor, measured in pairs (a batch of the floor, then a batch of the path, repeated; \
         median ratio, 10th-90th percentile):\n\n",
    );
    out += &format!(
        "{:<64} {:<20} {:>7} {:>15}\n",
        "path", "group", "x floor", "p10-p90"
    );
    for entry in &entries {
        let bench = entry["bench"].as_str().unwrap_or_default();
        let label = ROWS
            .iter()
            .find(|(name, _)| *name == bench)
            .map_or(bench, |(_, label)| *label);
        let ratio = |key: &str| entry[key].as_f64().unwrap_or(f64::NAN);
        out += &format!(
            "{label:<64} {:<20} {:>7.2} {:>15}\n",
            entry["group"].as_str().unwrap_or_default(),
            ratio("ratio"),
            format!("{:.2}-{:.2}", ratio("p10"), ratio("p90")),
        );
    }
    Ok(out)
}

const INSTALL_HINT: &str = "run `cargo test -p trtc-live-tests --test interop` once (it builds \
     the npm package in packages/npm and installs the Python tools into packages/python/.venv), \
     or pass --no-peers";

/// The peers' tools are there, and the Node peers (`packages/npm/bench`) are compiled afresh.
fn check_peers(paths: &Paths) -> anyhow::Result<()> {
    let package = &paths.npm_package;
    output(command("node").arg("--version"))
        .map_err(|e| anyhow!("the Node peers need Node.js 20+ ({e}); or pass --no-peers"))?;
    for needed in [
        "node_modules/typescript",
        "node_modules/ajv",
        "dist/esm/index.js",
    ] {
        if !package.join(needed).exists() {
            return Err(anyhow!("packages/npm/{needed} is missing: {INSTALL_HINT}"));
        }
    }
    output(
        command("node")
            .args(["node_modules/typescript/bin/tsc", "-p", "bench"])
            .current_dir(package),
    )
    .map_err(|e| anyhow!("cannot compile packages/npm/bench: {e}\n{INSTALL_HINT}"))?;
    let python = paths.python.join(".venv/bin/python");
    if !python.exists() {
        return Err(anyhow!("packages/python/.venv is missing: {INSTALL_HINT}"));
    }
    output(
        command(&python)
            .args(["-c", "import fastjsonschema, jsonschema, pydantic, regress"])
            .current_dir(&paths.python),
    )
    .map_err(|e| {
        anyhow!(
            "packages/python/.venv lacks a package of requirements/tools.txt ({e}): {INSTALL_HINT}"
        )
    })?;
    Ok(())
}

/// Runs the criterion benchmarks, then reads the medians they wrote (only those written by
/// this run: older ones stay in `target/criterion`).
fn rust_figures(paths: &Paths, quick: bool, start: SystemTime) -> anyhow::Result<Vec<Figure>> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut bench = command(cargo);
    bench
        .args([
            "bench",
            "--package",
            "trtc-live-bench",
            "--bench",
            "validate",
        ])
        .args(["--", "--noplot"])
        .current_dir(&paths.root)
        .env("CRITERION_HOME", &paths.criterion)
        .env("TRTC_BENCH_PAYLOADS", &paths.payloads)
        .env("TRTC_BENCH_PAIRED", if quick { "quick" } else { "full" })
        .stdout(std::io::stderr());
    if quick {
        bench.args([
            "--warm-up-time",
            "0.5",
            "--measurement-time",
            "1",
            "--sample-size",
            "10",
        ]);
    }
    let status = bench
        .status()
        .map_err(|e| anyhow!("cannot run cargo bench: {e}"))?;
    if !status.success() {
        return Err(anyhow!("cargo bench failed ({status})"));
    }
    let wrong_path = paths.payloads.with_file_name("wrong-verdicts.json");
    let wrong: Value = read_json(&wrong_path)?;

    let mut figures = Vec::new();
    for set in SETS {
        for kind in KINDS {
            let group = format!("{set}-{kind}");
            let dir = paths.criterion.join(&group);
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let bench = entry.file_name().to_string_lossy().into_owned();
                let estimates = entry.path().join("new/estimates.json");
                let fresh = std::fs::metadata(&estimates)
                    .and_then(|m| m.modified())
                    .is_ok_and(|modified| modified >= start);
                if !fresh {
                    continue;
                }
                let median = read_json(&estimates)?["median"]["point_estimate"]
                    .as_f64()
                    .ok_or_else(|| anyhow!("{}: no median", estimates.display()))?;
                let benchmark = entry.path().join("new/benchmark.json");
                let payloads = read_json(&benchmark)?["throughput"]["Elements"]
                    .as_u64()
                    .ok_or_else(|| anyhow!("{}: no throughput", benchmark.display()))?;
                let label = ROWS
                    .iter()
                    .find(|(id, _)| *id == bench)
                    .map_or(bench.clone(), |(_, label)| (*label).to_owned());
                let wrong_verdicts = wrong[format!("{group}/{bench}")]
                    .as_array()
                    .map_or(0, Vec::len);
                figures.push(Figure {
                    row: label,
                    set: (*set).to_owned(),
                    kind: (*kind).to_owned(),
                    ns_per_payload: median / payloads as f64,
                    wrong_verdicts,
                    payloads: payloads as usize,
                });
            }
        }
    }
    if figures.is_empty() {
        return Err(anyhow!(
            "cargo bench wrote no result under {}",
            paths.criterion.display()
        ));
    }
    Ok(figures)
}

/// Runs a peers program and reads its JSON lines; adds the versions of its tools to `versions`.
fn peer_figures(
    command: &mut Command,
    what: &str,
    versions: &mut Vec<String>,
) -> anyhow::Result<Vec<Figure>> {
    let stdout = output(command).map_err(|e| anyhow!("{what}: {e}"))?;
    let mut figures = Vec::new();
    for line in stdout.lines().filter(|line| !line.trim().is_empty()) {
        let entry: Value =
            serde_json::from_str(line).map_err(|e| anyhow!("{what} printed {line:?}: {e}"))?;
        let text = |key: &str| entry[key].as_str().unwrap_or_default().to_owned();
        let count = |key: &str| entry[key].as_u64().unwrap_or_default() as usize;
        for version in text("version").split(", ") {
            if !version.is_empty() && !versions.iter().any(|v| v == version) {
                versions.push(version.to_owned());
            }
        }
        figures.push(Figure {
            row: text("tool"),
            set: text("payload_set"),
            kind: text("kind"),
            ns_per_payload: entry["ns_per_payload"]
                .as_f64()
                .ok_or_else(|| anyhow!("{what} printed {line:?}: no ns_per_payload"))?,
            wrong_verdicts: count("wrong_verdicts"),
            payloads: count("payloads"),
        });
    }
    Ok(figures)
}

/// The machine, the date, the tools and the payload sets.
fn header(
    quick: bool,
    date: &str,
    load: &str,
    versions: &[String],
    paths: &Paths,
) -> anyhow::Result<String> {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name")?.split_once(':'))
        .map_or("unknown CPU".to_owned(), |(_, model)| {
            model.trim().to_owned()
        });
    let cores = cpuinfo
        .lines()
        .filter(|line| line.starts_with("processor"))
        .count();
    let cores = if cores > 0 {
        cores
    } else {
        std::thread::available_parallelism().map_or(0, |n| n.get())
    };
    let mut text = format!("machine: {model}, {cores} cores\n");
    text += &format!("date: {date} (UTC, start of the run)\n");
    if !load.is_empty() {
        let load: Vec<&str> = load.split_whitespace().take(3).collect();
        text += &format!("load average at the start: {}\n", load.join(" "));
    }
    text += &format!("tools: {}\n", versions.join(", "));
    let payloads = std::fs::read_to_string(&paths.payloads)
        .map_err(|e| anyhow!("{}: {e}", paths.payloads.display()))?;
    let mut sizes = Vec::new();
    for set in SETS {
        for kind in KINDS {
            let (count, bytes) = payloads
                .lines()
                .filter_map(|line| serde_json::from_str::<Value>(line).ok())
                .filter(|entry| {
                    entry["kind"] == *kind
                        && entry["sets"]
                            .as_array()
                            .is_some_and(|sets| sets.iter().any(|s| s == set))
                })
                .fold((0, 0), |(count, bytes), entry| {
                    (
                        count + 1,
                        bytes + entry["text"].as_str().map_or(0, str::len),
                    )
                });
            sizes.push(format!("{set} {kind}: {count} ({bytes} bytes)"));
        }
    }
    text += &format!("payloads: {}\n", sizes.join("; "));
    if quick {
        text += "quick run (--quick): short measurements, indicative figures only\n";
    }
    Ok(text + "\n")
}

/// The table: per payload set, one row per path or tool; ns/payload and the ratio to the floor
/// of the same set and kind, for valid and invalid payloads.
fn table(figures: &[Figure]) -> String {
    let floor = |set: &str, kind: &str| {
        figures
            .iter()
            .find(|f| f.row == ROWS[0].1 && f.set == set && f.kind == kind)
            .map(|f| f.ns_per_payload)
    };
    let mut rows: Vec<[String; 7]> = Vec::new();
    for set in SETS {
        // The Rust rows in the order of ROWS, then the others in the order they came.
        let mut labels: Vec<&str> = Vec::new();
        for figure in figures.iter().filter(|f| f.set == *set) {
            if !labels.contains(&figure.row.as_str()) {
                labels.push(&figure.row);
            }
        }
        let rank = |label: &&str| {
            ROWS.iter()
                .position(|(_, row)| row == label)
                .unwrap_or(ROWS.len())
        };
        labels.sort_by_key(rank);
        for label in labels {
            let cell = |kind: &str| {
                let figure = figures
                    .iter()
                    .find(|f| f.row == label && f.set == *set && f.kind == kind);
                match figure {
                    None => ("-".to_owned(), "-".to_owned(), None),
                    Some(f) => (
                        format!("{:.0}", f.ns_per_payload),
                        floor(set, kind).map_or("-".to_owned(), |floor| {
                            format!("{:.2}", f.ns_per_payload / floor)
                        }),
                        (f.wrong_verdicts > 0)
                            .then(|| format!("{kind} {}/{}", f.wrong_verdicts, f.payloads)),
                    ),
                }
            };
            let (valid, valid_ratio, valid_wrong) = cell("valid");
            let (invalid, invalid_ratio, invalid_wrong) = cell("invalid");
            let wrong: Vec<String> = [valid_wrong, invalid_wrong].into_iter().flatten().collect();
            rows.push([
                label.to_owned(),
                (*set).to_owned(),
                valid,
                valid_ratio,
                invalid,
                invalid_ratio,
                wrong.join(", "),
            ]);
        }
    }
    let heading = [
        "path / tool",
        "set",
        "valid ns",
        "x floor",
        "invalid ns",
        "x floor",
        "wrong verdicts",
    ]
    .map(str::to_owned);
    let mut widths = heading.each_ref().map(|h| h.chars().count());
    for row in &rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    let line = |row: &[String; 7]| {
        let mut text = String::new();
        for (index, (cell, width)) in row.iter().zip(widths).enumerate() {
            // Text columns to the left, figures to the right.
            if matches!(index, 0 | 1 | 6) {
                text += &format!("{cell:<width$}  ");
            } else {
                text += &format!("{cell:>width$}  ");
            }
        }
        text.trim_end().to_owned() + "\n"
    };
    let mut text = line(&heading);
    let mut previous_set = "";
    for row in &rows {
        if row[1] != previous_set && !previous_set.is_empty() {
            text.push('\n');
        }
        previous_set = &row[1];
        text += &line(row);
    }
    text += "
ns: the median time per payload, over the valid and the invalid payloads of the set.
x floor: that time over the floor's on the same payloads, in this run.
wrong verdicts: payloads judged otherwise than by the schema (named on standard error); such a
time is not of the same work.
";
    text
}

/// `YYYY-MM-DD` of `time`, in UTC (the date a figure needs, not the time of day).
fn utc(time: SystemTime) -> String {
    let mut date = humantime::format_rfc3339_seconds(time).to_string();
    date.truncate("YYYY-MM-DD".len());
    date
}

fn command(program: impl AsRef<std::ffi::OsStr>) -> Command {
    let mut command = Command::new(program);
    command.stdin(Stdio::null());
    command
}

/// Runs `command`, its standard error shown; its standard output, or why it failed.
fn output(command: &mut Command) -> anyhow::Result<String> {
    let output = command
        .stderr(Stdio::inherit())
        .output()
        .map_err(|e| anyhow!("cannot run {command:?}: {e}"))?;
    if !output.status.success() {
        return Err(anyhow!(
            "{command:?} failed ({}){}",
            output.status,
            String::from_utf8_lossy(&output.stdout)
        ));
    }
    String::from_utf8(output.stdout).map_err(|e| anyhow!("{command:?}: {e}"))
}

/// The first line a `--version` prints, or `?`.
fn version_of(command: &mut Command) -> String {
    output(command)
        .ok()
        .and_then(|text| text.lines().next().map(str::to_owned))
        .unwrap_or_else(|| "?".to_owned())
}

fn read_json(path: &Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(path).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| anyhow!("{}: {e}", path.display()))
}
