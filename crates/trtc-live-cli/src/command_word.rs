//! Command words typed by people: parsed for the command line, and the known word closest to a
//! misspelt one (for the arguments and for the `CallbackCommand` of packets alike).

use trtc_live_validate::Command;

/// Reads a command word given on the command line (clap's value parser of every argument that
/// takes one): an unknown word gets the closest known one ("did you mean"), or the list of
/// known words when none is close.
pub fn parse(word: &str) -> Result<Command, String> {
    Command::from_command_word(word).ok_or_else(|| format!("unknown command word; {}", hint(word)))
}

/// What to tell someone who typed `word`, an unknown command word: the closest known word, or
/// every known word when none is close.
pub fn hint(word: &str) -> String {
    match closest(word) {
        Some(command) => format!("did you mean {command}?"),
        None => {
            let known: Vec<&str> = Command::ALL.iter().map(|c| c.as_str()).collect();
            format!("known: {}", known.join(", "))
        }
    }
}

/// The known command word closest to `word`, if one is close enough to be a misspelling: at most
/// three edits away, letter case aside, or the same name without its prefix
/// (`CallbackAfterEndBattle` for `Live.CallbackAfterEndBattle`).
pub fn closest(word: &str) -> Option<Command> {
    let word = word.to_ascii_lowercase();
    Command::ALL
        .iter()
        .filter_map(|&command| {
            let known = command.as_str().to_ascii_lowercase();
            let unprefixed = known.split_once('.').map(|(_, name)| name);
            let distance = if unprefixed == Some(word.as_str()) {
                0
            } else {
                strsim::levenshtein(&word, &known)
            };
            (distance <= 3).then_some((distance, command))
        })
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, command)| command)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_known_word_is_read_as_it_is() {
        for &command in Command::ALL {
            assert_eq!(parse(command.as_str()), Ok(command));
        }
    }

    #[test]
    fn a_misspelt_word_gets_the_closest_known_one() {
        for typed in [
            "Live.CallbackAfterEndBatle",
            "Live.CallbackAfterEndBattel",
            "live.callbackafterendbattle",
            "CallbackAfterEndBattle",
            "Live.CallbackAfterEndBattle ",
        ] {
            assert_eq!(
                parse(typed),
                Err("unknown command word; did you mean Live.CallbackAfterEndBattle?".to_owned()),
                "{typed:?}"
            );
        }
    }

    #[test]
    fn a_word_close_to_none_gets_every_known_word() {
        let message = parse("Live.Nothing").unwrap_err();
        assert!(
            message.starts_with("unknown command word; known: "),
            "{message}"
        );
        for &command in Command::ALL {
            assert!(message.contains(command.as_str()), "{message}");
        }
        assert!(!message.contains("did you mean"), "{message}");
    }
}
