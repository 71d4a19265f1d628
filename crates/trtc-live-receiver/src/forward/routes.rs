//! Routes: which URL each command word is forwarded to.

use std::fmt;
use std::str::FromStr;

use http::Uri;

use crate::Command;

/// One route: a pattern of command words and where they go.
///
/// Its text form is `PATTERN=TARGET` (`trtc-live serve --route`):
///
/// - `PATTERN` is a command word, where `*` stands for any run of characters (none included):
///   `Live.CallbackAfterEndBattle` (that word only), `Live.*` (every `Live.` word),
///   `*.CallbackBefore*`, `*` (every word). Matching is case-sensitive, as command words are.
/// - `TARGET` is a path (`/live`), which replaces the path of the forwarding URL (its scheme,
///   host, port and query are kept), or a whole `http://` or `https://` URL (another
///   application).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Route {
    pattern: String,
    target: Target,
}

/// Where a route sends.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Target {
    /// A path on the forwarding URL's host.
    Path(String),
    /// Another URL.
    Url(Uri),
}

/// Why a route's text is not a route.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("route {text:?}: {problem} (write PATTERN=/PATH or PATTERN=http(s)://HOST:PORT/PATH, such as Live.*=/live)")]
pub struct RouteError {
    text: String,
    problem: &'static str,
}

impl FromStr for Route {
    type Err = RouteError;

    fn from_str(text: &str) -> Result<Self, RouteError> {
        let error = |problem| RouteError {
            text: text.to_owned(),
            problem,
        };
        let (pattern, target) = text.split_once('=').ok_or_else(|| error("no `=`"))?;
        if pattern.is_empty() {
            return Err(error("the pattern is empty"));
        }
        if pattern.chars().any(char::is_whitespace) {
            return Err(error("the pattern has whitespace"));
        }
        let target = if target.starts_with('/') {
            target
                .parse::<Uri>()
                .map_err(|_| error("the path is not a valid URL path"))?;
            Target::Path(target.to_owned())
        } else if target.starts_with("http://") || target.starts_with("https://") {
            Target::Url(target.parse().map_err(|_| error("the URL is not valid"))?)
        } else {
            return Err(error(
                "the target is neither a path (/...) nor an http:// or https:// URL",
            ));
        };
        Ok(Self {
            pattern: pattern.to_owned(),
            target,
        })
    }
}

impl fmt::Display for Route {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Path(path) => write!(f, "{}={path}", self.pattern),
            Target::Url(url) => write!(f, "{}={url}", self.pattern),
        }
    }
}

impl Route {
    /// Whether `command_word` matches the pattern.
    pub fn matches(&self, command_word: &str) -> bool {
        glob_matches(self.pattern.as_bytes(), command_word.as_bytes())
    }

    /// The pattern.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// Where the route sends, with `routes`' base URL.
    pub(crate) fn target_url(&self, routes: &Routes) -> Uri {
        match &self.target {
            Target::Url(url) => url.clone(),
            Target::Path(path) => routes.with_path(path),
        }
    }
}

/// Whether `command_word` matches `pattern`, where `*` stands for any run of characters (as in
/// a [`Route`]'s pattern): `Live.*` matches every `Live.` word.
pub fn command_matches(pattern: &str, command_word: &str) -> bool {
    glob_matches(pattern.as_bytes(), command_word.as_bytes())
}

/// Whether `text` matches `pattern`, where `*` matches any run of bytes.
fn glob_matches(pattern: &[u8], text: &[u8]) -> bool {
    // The classic linear backtracking over the last `*`.
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        if p < pattern.len() && pattern[p] == b'*' {
            star = Some((p, t));
            p += 1;
        } else if p < pattern.len() && pattern[p] == text[t] {
            p += 1;
            t += 1;
        } else if let Some((star_p, star_t)) = star {
            p = star_p + 1;
            t = star_t + 1;
            star = Some((star_p, star_t + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&b| b == b'*')
}

/// The forwarding URL and its routes: where each command word goes. **The first route whose
/// pattern matches wins**, in the order given; a word no route matches goes to the forwarding
/// URL itself. (First match rather than "most specific": with patterns that can overlap in
/// many ways, the order the user wrote is the one rule that is never ambiguous.)
///
/// ```
/// use trtc_live_receiver::forward::Routes;
///
/// let routes = Routes::new(
///     "http://127.0.0.1:3000/webhooks?app=1".parse()?,
///     vec!["Live.CallbackAfterEndBattle=/battles".parse()?, "Live.*=/live".parse()?],
/// );
/// assert_eq!(routes.url_for("Live.CallbackAfterEndBattle").to_string(), "http://127.0.0.1:3000/battles?app=1");
/// assert_eq!(routes.url_for("Live.CallbackAfterCreateRoom").to_string(), "http://127.0.0.1:3000/live?app=1");
/// assert_eq!(routes.url_for("Group.CallbackAfterSendMsg").to_string(), "http://127.0.0.1:3000/webhooks?app=1");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct Routes {
    base: Uri,
    routes: Vec<Route>,
}

impl Routes {
    /// Deliveries go to `base`, or to the target of the first of `routes` that matches.
    pub fn new(base: Uri, routes: Vec<Route>) -> Self {
        Self { base, routes }
    }

    /// The forwarding URL.
    pub fn base(&self) -> &Uri {
        &self.base
    }

    /// The routes, in order.
    pub fn routes(&self) -> &[Route] {
        &self.routes
    }

    /// Where a delivery of `command_word` goes.
    pub fn url_for(&self, command_word: &str) -> Uri {
        match self.routes.iter().find(|route| route.matches(command_word)) {
            None => self.base.clone(),
            Some(route) => route.target_url(self),
        }
    }

    /// The base URL with `path` (which may carry its own query) instead of its path.
    fn with_path(&self, path: &str) -> Uri {
        let mut path_and_query = path.to_owned();
        if let Some(query) = self.base.query() {
            path_and_query.push(if path.contains('?') { '&' } else { '?' });
            path_and_query.push_str(query);
        }
        let mut parts = self.base.clone().into_parts();
        parts.path_and_query = path_and_query.parse().ok();
        Uri::from_parts(parts).unwrap_or_else(|_| self.base.clone())
    }

    /// The routes whose pattern matches none of the command words this crate knows (probably
    /// a typo, or a word of a later version): for the caller to warn about.
    pub fn matching_no_known_command(&self) -> Vec<&Route> {
        self.routes
            .iter()
            .filter(|route| !Command::ALL.iter().any(|c| route.matches(c.as_str())))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_match_runs_of_characters() {
        let matches = |pattern: &str, word: &str| glob_matches(pattern.as_bytes(), word.as_bytes());
        assert!(matches("*", "Live.CallbackAfterEndBattle"));
        assert!(matches("*", ""));
        assert!(matches("Live.*", "Live.CallbackAfterEndBattle"));
        assert!(!matches("Live.*", "Group.CallbackAfterSendMsg"));
        assert!(matches("*.CallbackBefore*", "Live.CallbackBeforeSendGift"));
        assert!(matches("*.CallbackBefore*", "Group.CallbackBeforeSendMsg"));
        assert!(!matches("*.CallbackBefore*", "Live.CallbackAfterEndBattle"));
        assert!(matches("*Battle", "Live.CallbackAfterEndBattle"));
        assert!(matches("*a*a*", "banana"));
        assert!(!matches("*a*a*a*a*", "banana"));
        assert!(matches(
            "Live.CallbackAfterEndBattle",
            "Live.CallbackAfterEndBattle"
        ));
        assert!(!matches(
            "Live.CallbackAfterEndBattle",
            "Live.CallbackAfterEndBattleX"
        ));
        assert!(!matches("live.*", "Live.CallbackAfterEndBattle"));
    }

    #[test]
    fn the_first_match_wins_and_targets_are_paths_or_urls() {
        let routes = Routes::new(
            "http://app:3000/hooks".parse().unwrap(),
            vec![
                "Live.*=/live".parse().unwrap(),
                "Live.CallbackAfterEndBattle=/never".parse().unwrap(),
                "Group.*=http://other:4000/chat?x=1".parse().unwrap(),
            ],
        );
        assert_eq!(
            routes.url_for("Live.CallbackAfterEndBattle").to_string(),
            "http://app:3000/live"
        );
        assert_eq!(
            routes.url_for("Group.CallbackBeforeSendMsg").to_string(),
            "http://other:4000/chat?x=1"
        );
        assert_eq!(
            routes.url_for("Follow.CallbackAfterFollowAdd").to_string(),
            "http://app:3000/hooks"
        );
        assert!(routes.matching_no_known_command().is_empty());
    }

    #[test]
    fn bad_routes_say_why() {
        for (text, problem) in [
            ("Live.*", "no `=`"),
            ("=/x", "empty"),
            ("Live.*=live", "neither a path"),
            ("Live.*=ftp://x/", "neither a path"),
            ("Live .*=/x", "whitespace"),
        ] {
            let error = text.parse::<Route>().unwrap_err().to_string();
            assert!(error.contains(problem), "{text}: {error}");
        }
        let typo = Routes::new(
            "http://a/".parse().unwrap(),
            vec!["Live.CallbackAfterEndBatle=/x".parse().unwrap()],
        );
        assert_eq!(typo.matching_no_known_command().len(), 1);
        assert_eq!(
            "Live.*=/live".parse::<Route>().unwrap().to_string(),
            "Live.*=/live"
        );
        assert!("Live.*=https://x/live".parse::<Route>().is_ok());
    }
}
