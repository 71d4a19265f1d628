//! The READMEs' TypeScript and Python snippets are the programs these tests run: each code
//! block right after a `<!-- file: PATH -->` line must equal that file (in `README.md`, in the
//! npm package's `packages/npm/README.md` and in the Python package's
//! `packages/python/README.md`). `README_UPDATE=1` rewrites the blocks from the files.

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

/// Checks (or, with `README_UPDATE`, rewrites) the README at `path` (from the repository
/// root), which must show `programs`; its text.
fn check_readme(path: &str, programs: &[&str]) -> String {
    let path = repo_root().join(path);
    let readme = std::fs::read_to_string(&path).unwrap();
    let (expected, paths) = with_files(&readme);
    for program in programs {
        assert!(
            paths.iter().any(|p| p == program),
            "{} shows no {program}",
            path.display()
        );
    }
    if std::env::var_os("README_UPDATE").is_some() {
        std::fs::write(&path, &expected).unwrap();
    } else {
        assert!(
            readme == expected,
            "{}'s snippets differ from the programs: run README_UPDATE=1 cargo test -p trtc-live-tests --test interop",
            path.display()
        );
    }
    readme
}

#[test]
fn readme_snippets_are_the_tested_programs() {
    check_readme(
        "README.md",
        &[
            "packages/npm/test/consumer/src/example.ts",
            "packages/npm/test/consumer/src/express.ts",
            "packages/npm/test/consumer/src/fastify.ts",
        ],
    );
    // The Python package's examples: the FastAPI app runs under its test client (pytest), the
    // WSGI app is served and sent deliveries by `trtc-live send` (the CLI's tests).
    check_readme(
        "packages/python/README.md",
        &[
            "packages/python/examples/fastapi_app.py",
            "packages/python/examples/wsgi_app.py",
        ],
    );
}

#[test]
fn the_npm_package_readme_snippets_are_the_tested_programs() {
    let readme = check_readme(
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
