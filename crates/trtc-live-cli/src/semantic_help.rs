//! The list of semantic checks, for `trtc-live validate --help`.

use trtc_live_validate::SEMANTIC_CHECKS;

/// "Semantic checks" and one paragraph per check: its name, the commands it applies to, what
/// it checks.
pub fn checks_help() -> String {
    let mut help = String::from(
        "Semantic checks (warnings of kind `semantic`, named in reports; they change the verdict \
         only with --deny-warnings):\n",
    );
    for check in SEMANTIC_CHECKS {
        let commands: Vec<&str> = check.commands.iter().map(|c| c.as_str()).collect();
        help.push_str(&format!(
            "\n  {}\n      {}\n      Applies to: {}\n",
            check.name,
            check.summary,
            commands.join(", ")
        ));
    }
    help
}
