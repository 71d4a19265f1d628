//! The kinds of warnings and the list of semantic checks, for `trtc-live validate --help`.

use trtc_live_validate::SEMANTIC_CHECKS;

/// The kinds of warnings, then "Semantic checks" and one paragraph per check: its name, the
/// commands it applies to, what it checks.
pub fn checks_help() -> String {
    let mut help = String::from(
        "Warnings are reported for valid packets, each with its kind, and change the verdict only \
         with --deny-warnings:\n\
         \n  older_revision\n      A member Tencent added later is missing, and the packet's own \
         time (EventTime, else MsgTime) is before the member appeared, or the packet carries no \
         time: an older revision of the packet (a packet as recent as the member that lacks it is \
         invalid).\n\
         \n  unknown_enum_value\n      A value of an open enumeration (OptPlatform, EventCause, \
         OpType, TakeSeatMode...) outside the known values: accepted, as Tencent may have added \
         it.\n\
         \n  semantic\n      A rule of the documentation beyond the schema, named by its check:\n\
         \nSemantic checks:\n",
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
