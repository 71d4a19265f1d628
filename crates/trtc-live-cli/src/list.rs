//! `trtc-live list`: the command words, their group and what each webhook is about.

use std::io::Write;
use std::process::ExitCode;

use serde::Serialize;
use trtc_live_validate::Command;

use crate::args::{Format, ListArgs};

/// One command, as listed.
#[derive(Serialize)]
struct Listed {
    command: &'static str,
    group: &'static str,
    title: &'static str,
    description: String,
    response_is_a_decision: bool,
    doc_url: &'static str,
}

/// Prints the list.
pub fn run(args: &ListArgs) -> ExitCode {
    let listed: Vec<Listed> = Command::ALL
        .iter()
        .map(|&command| Listed {
            command: command.as_str(),
            group: command.group(),
            title: command.title(),
            description: description(command),
            response_is_a_decision: command.response_is_a_decision(),
            doc_url: command.doc_url(),
        })
        .collect();
    let text = match args.format {
        Format::Json => listed
            .iter()
            .filter_map(|l| serde_json::to_string(l).ok())
            .map(|line| line + "\n")
            .collect(),
        Format::Human => table(&listed),
    };
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    ExitCode::SUCCESS
}

fn table(listed: &[Listed]) -> String {
    let group_width = listed.iter().map(|l| l.group.len()).max().unwrap_or(0);
    let command_width = listed.iter().map(|l| l.command.len()).max().unwrap_or(0);
    let mut text = String::new();
    for l in listed {
        let answer = if l.response_is_a_decision {
            " Its answer decides."
        } else {
            ""
        };
        text.push_str(&format!(
            "{:group_width$}  {:command_width$}  {}{answer}\n",
            l.group, l.command, l.description
        ));
    }
    text
}

/// "Sent by the Live backend after a battle has ended.", from the schema's description.
fn description(command: Command) -> String {
    let summary = command.summary();
    let prefix = format!("Request packet of {command}, s");
    match summary.strip_prefix(&prefix) {
        Some(rest) => format!("S{rest}"),
        None => summary.to_owned(),
    }
}
