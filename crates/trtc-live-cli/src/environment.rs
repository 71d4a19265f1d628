//! What the subcommands read from their environment the same way: whether to color, the
//! token file.

use std::path::Path;

use trtc_live_receiver::forward::ForwardSecret;
use trtc_live_receiver::Token;

/// Whether output to a stream may be colored: it is a terminal and `NO_COLOR` is unset or empty
/// (<https://no-color.org>).
pub fn colors_wanted(stream_is_terminal: bool) -> bool {
    stream_is_terminal && std::env::var_os("NO_COLOR").is_none_or(|value| value.is_empty())
}

/// The webhook token in the file at `path`, without the whitespace around it (the line break an
/// editor adds: [`Token::new`]'s rule, the library's); a token file without a token is refused
/// (no receiver accepts an empty token).
pub fn read_token_file(path: &Path) -> Result<Token, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|error| format!("cannot read the token file {}: {error}", path.display()))?;
    let token = Token::new(text);
    if token.is_empty() {
        return Err(format!(
            "the token file {} holds no token (it is empty or only whitespace)",
            path.display()
        ));
    }
    Ok(token)
}

/// The Standard Webhooks secret in the file at `path` (`whsec_` and base64; the whitespace
/// around it removed).
pub fn read_forward_secret(path: &Path) -> Result<ForwardSecret, String> {
    let text = std::fs::read_to_string(path).map_err(|error| {
        format!(
            "cannot read the forwarding secret {}: {error}",
            path.display()
        )
    })?;
    ForwardSecret::parse(&text).map_err(|error| format!("{}: {error}", path.display()))
}
