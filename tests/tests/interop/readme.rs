//! The README's TypeScript and Python snippets are the programs these tests run: each code
//! block right after a `<!-- file: PATH -->` line must equal that file. `README_UPDATE=1`
//! rewrites the blocks from the files.

use trtc_live_tests::repo_root;

const MARKER: &str = "<!-- file: ";

/// The README with every marked block replaced by its file, and the paths of the blocks.
fn with_files(readme: &str) -> (String, Vec<String>) {
    let mut out = String::new();
    let mut paths = Vec::new();
    let mut lines = readme.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out += line;
        let Some(path) = line.trim_end().strip_prefix(MARKER) else {
            continue;
        };
        let path = path.strip_suffix(" -->").expect("a marker ends with -->");
        let fence = lines.next().expect("a code block follows a marker");
        assert!(
            fence.starts_with("```"),
            "{path}: no code block after the marker"
        );
        out += fence;
        for line in lines.by_ref() {
            if line.trim_end() == "```" {
                break;
            }
        }
        let file = std::fs::read_to_string(repo_root().join(path))
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        out += &file;
        out += "```\n";
        paths.push(path.to_owned());
    }
    (out, paths)
}

#[test]
fn readme_snippets_are_the_tested_programs() {
    let path = repo_root().join("README.md");
    let readme = std::fs::read_to_string(&path).unwrap();
    let (expected, paths) = with_files(&readme);
    for program in [
        "interop/typescript/src/exact.ts",
        "interop/typescript/src/example.ts",
        "interop/python/example.py",
    ] {
        assert!(
            paths.iter().any(|p| p == program),
            "README shows no {program}"
        );
    }
    // The command the README gives for the pydantic models is the one the tests run.
    let codegen = format!(
        "datamodel-codegen {}",
        crate::setup::DATAMODEL_CODEGEN_ARGUMENTS.join(" ")
    );
    assert!(readme.contains(&codegen), "README lacks `{codegen}`");
    if std::env::var_os("README_UPDATE").is_some() {
        std::fs::write(&path, &expected).unwrap();
    } else {
        assert!(
            readme == expected,
            "README's snippets differ from the programs: run README_UPDATE=1 cargo test -p trtc-live-tests --test interop"
        );
    }
}
