//! The TypeScript and Python snippets of the README and of the npm package's README are the
//! programs these tests run: each code block right after a `<!-- file: PATH -->` line must equal
//! that file. `README_UPDATE=1` rewrites the blocks from the files.

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

/// `readme` (a path from the repository root) with its snippets checked against the programs,
/// or rewritten with `README_UPDATE=1`; it must show each of `programs`.
fn check_snippets(readme: &str, programs: &[&str]) -> String {
    let path = repo_root().join(readme);
    let text = std::fs::read_to_string(&path).unwrap();
    let (expected, paths) = with_files(&text);
    for program in programs {
        assert!(
            paths.iter().any(|p| p == program),
            "{readme} shows no {program}"
        );
    }
    if std::env::var_os("README_UPDATE").is_some() {
        std::fs::write(&path, &expected).unwrap();
    } else {
        assert!(
            text == expected,
            "{readme}'s snippets differ from the programs: run README_UPDATE=1 cargo test -p trtc-live-tests --test interop readme"
        );
    }
    text
}

#[test]
fn readme_snippets_are_the_tested_programs() {
    let readme = check_snippets(
        "README.md",
        &[
            "packages/npm/test/consumer/src/example.ts",
            "packages/npm/test/consumer/src/express.ts",
            "packages/npm/test/consumer/src/fastify.ts",
            "interop/python/example.py",
        ],
    );
    // The command the README gives for the pydantic models is the one the tests run.
    let codegen = format!(
        "datamodel-codegen {}",
        crate::setup::DATAMODEL_CODEGEN_ARGUMENTS.join(" ")
    );
    assert!(readme.contains(&codegen), "README lacks `{codegen}`");
}

#[test]
fn the_npm_package_readme_snippets_are_the_tested_programs() {
    let readme = check_snippets(
        "packages/npm/README.md",
        &[
            "packages/npm/test/consumer/src/example.ts",
            "packages/npm/test/consumer/src/node-http.ts",
            "packages/npm/test/consumer/src/express.ts",
            "packages/npm/test/consumer/src/fastify.ts",
        ],
    );
    assert!(readme.contains("\nnpm install trtc-live-webhooks\n"));
    // The documented signing example is the one the API program checks.
    let api =
        std::fs::read_to_string(repo_root().join("packages/npm/test/consumer/src/api.ts")).unwrap();
    for vector in [
        "xxxxyyyy",
        "1669872112",
        "17773bc39a671d7b9aa835458704d2a6db81360a5940292b587d6d760d484061",
    ] {
        assert!(readme.contains(vector) && api.contains(vector), "{vector}");
    }
}
