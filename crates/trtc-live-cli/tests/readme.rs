//! The README's `console` blocks are real: each `$ trtc-live ...` line is run (a pipe into a
//! second `trtc-live` included) and must print exactly the lines that follow it.
//!
//! After a deliberate change of output, `README_UPDATE=1 cargo test -p trtc-live-cli --test
//! readme` rewrites the blocks with what the commands print now; review the diff.

mod common;

/// One `console` block: where its output starts and ends in the README, the command, the output.
struct ConsoleBlock {
    output_start: usize,
    output_end: usize,
    command: String,
    output: String,
}

fn console_blocks(readme: &str) -> Vec<ConsoleBlock> {
    let mut blocks = Vec::new();
    let mut rest = 0;
    while let Some(found) = readme[rest..].find("```console\n") {
        let command_start = rest + found + "```console\n".len();
        let command_end = command_start + readme[command_start..].find('\n').unwrap() + 1;
        let output_end = command_end + readme[command_end..].find("```\n").unwrap();
        let command = readme[command_start..command_end].trim_end();
        blocks.push(ConsoleBlock {
            output_start: command_end,
            output_end,
            command: command
                .strip_prefix("$ ")
                .expect("a console block starts with `$ `")
                .to_owned(),
            output: readme[command_end..output_end].to_owned(),
        });
        rest = output_end + 4;
    }
    blocks
}

/// Runs `trtc-live ... [| trtc-live ...]` from the repository root; returns standard output.
fn run_pipeline(command: &str) -> String {
    let mut stdin = Vec::new();
    let mut stdout = String::new();
    for stage in command.split(" | ") {
        let args: Vec<&str> = stage
            .strip_prefix("trtc-live ")
            .expect("only trtc-live runs in README blocks")
            .split_whitespace()
            .collect();
        let run = common::run(&args, &stdin);
        assert!(
            run.code == 0 || run.code == 1,
            "`{stage}` failed: {}",
            run.transcript
        );
        stdin = run.stdout.clone().into_bytes();
        stdout = run.stdout;
    }
    stdout
}

#[test]
fn every_console_block_of_the_readme_prints_what_it_shows() {
    let path = common::repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let blocks = console_blocks(&readme);
    assert!(blocks.len() >= 5, "the README shows the CLI at work");
    let mut updated = readme.clone();
    let mut stale = Vec::new();
    for block in blocks.iter().rev() {
        let printed = run_pipeline(&block.command);
        if printed != block.output {
            stale.push(format!(
                "$ {}\n--- README shows\n{}--- it prints\n{printed}",
                block.command, block.output
            ));
            updated.replace_range(block.output_start..block.output_end, &printed);
        }
    }
    if std::env::var_os("README_UPDATE").is_some() {
        std::fs::write(&path, updated).unwrap();
        return;
    }
    assert!(
        stale.is_empty(),
        "README blocks differ from what the commands print (README_UPDATE=1 rewrites them):\n{}",
        stale.join("\n")
    );
}
