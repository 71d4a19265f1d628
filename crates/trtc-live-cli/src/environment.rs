//! What the subcommands read from their environment the same way: whether to color, the
//! token file.

use std::path::Path;

use trtc_live_receiver::Token;

/// Whether output to a stream may be colored: it is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>).
pub fn colors_wanted(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// The webhook token in the file at `path`, without the line break an editor adds; an empty
/// token is refused (no receiver accepts one).
pub fn read_token_file(path: &Path) -> Result<Token, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the token file {}: {error}", path.display()))?;
    let token = text.trim_end_matches(['\r', '\n']);
    if token.is_empty() {
        return Err(format!("the token file {} is empty", path.display()));
    }
    Ok(Token::new(token))
}
