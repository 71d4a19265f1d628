//! The small subset of regular expressions that the schemas' `pattern`s use, to generate
//! strings that match them; and matching, with the regress engine (ECMA-262, as JSON Schema
//! says), already in the tree through trtc-live-types.
//!
//! Supported: `^` and `$` anchors, literal characters, `\`-escapes (`\d`, `\w`, `\s`, `\.`,
//! ...), `.`, character classes with ranges (`[0-9a-fA-F]`, `[^...]`), and the quantifiers
//! `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`. Groups and alternation are not: [`Pattern::parse`]
//! returns `None` for them (a test checks every pattern of the bundle parses).

use std::collections::HashMap;
use std::sync::LazyLock;

use fastrand::Rng;
use regress::Regex;

use crate::dice;

/// How many repetitions an unbounded quantifier (`*`, `+`, `{n,}`) generates at most beyond
/// its minimum.
const UNBOUNDED_EXTRA: usize = 8;

/// A parsed pattern: a sequence of quantified character sets. The anchors are read and left
/// out: a generated string is the whole match, so it matches anchored or not.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    pieces: Vec<Piece>,
}

#[derive(Clone, Debug)]
struct Piece {
    set: CharSet,
    min: usize,
    /// `None`: unbounded.
    max: Option<usize>,
}

#[derive(Clone, Debug)]
enum CharSet {
    /// `.`: any character but a line break.
    Any,
    /// A class (or a single literal character, as a one-character class).
    Class {
        ranges: Vec<(char, char)>,
        negated: bool,
    },
}

impl CharSet {
    fn literal(c: char) -> Self {
        CharSet::Class {
            ranges: vec![(c, c)],
            negated: false,
        }
    }

    fn contains(&self, c: char) -> bool {
        match self {
            CharSet::Any => c != '\n' && c != '\r',
            CharSet::Class { ranges, negated } => {
                ranges.iter().any(|&(lo, hi)| (lo..=hi).contains(&c)) != *negated
            }
        }
    }

    fn generate(&self, rng: &mut Rng) -> char {
        match self {
            CharSet::Any => rng.alphanumeric(),
            CharSet::Class {
                ranges,
                negated: false,
            } => {
                let sizes: Vec<u64> = ranges
                    .iter()
                    .map(|&(lo, hi)| u64::from(hi).saturating_sub(u64::from(lo)) + 1)
                    .collect();
                let total: u64 = sizes.iter().sum();
                let mut offset = dice::between(rng, 0, total.saturating_sub(1));
                for (&(lo, _), size) in ranges.iter().zip(sizes) {
                    if offset < size {
                        let code = u64::from(lo) + offset;
                        return u32::try_from(code)
                            .ok()
                            .and_then(char::from_u32)
                            .unwrap_or(lo);
                    }
                    offset -= size;
                }
                'a'
            }
            CharSet::Class { negated: true, .. } => {
                let allowed: Vec<char> = (' '..='~').filter(|&c| self.contains(c)).collect();
                dice::pick_or(rng, &allowed, 'a')
            }
        }
    }
}

impl Pattern {
    /// Parses `source`, or `None` if it uses syntax outside the supported subset.
    pub(crate) fn parse(source: &str) -> Option<Self> {
        let mut chars = source.chars().peekable();
        chars.next_if_eq(&'^');
        let mut pieces = Vec::new();
        while let Some(c) = chars.next() {
            let set = match c {
                '$' if chars.peek().is_none() => break,
                '[' => parse_class(&mut chars)?,
                '\\' => escape_set(chars.next()?),
                '.' => CharSet::Any,
                '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$' => return None,
                literal => CharSet::literal(literal),
            };
            let (min, max) = parse_quantifier(&mut chars)?;
            pieces.push(Piece { set, min, max });
        }
        Some(Self { pieces })
    }

    /// A string that matches the pattern.
    pub(crate) fn generate(&self, rng: &mut Rng) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            let max = piece
                .max
                .unwrap_or(piece.min.saturating_add(UNBOUNDED_EXTRA));
            for _ in 0..dice::count(rng, piece.min, max) {
                out.push(piece.set.generate(rng));
            }
        }
        out
    }
}

/// Whether `text` matches the ECMA-262 pattern `source` (a search unless anchored, as JSON
/// Schema says). The bundle's patterns are compiled once; another pattern is compiled on the
/// spot, and one that does not compile matches nothing.
pub(crate) fn matches(source: &str, text: &str) -> bool {
    static COMPILED: LazyLock<HashMap<&'static str, Regex>> = LazyLock::new(|| {
        crate::schema::patterns()
            .into_iter()
            .filter_map(|source| Some((source, Regex::new(source).ok()?)))
            .collect()
    });
    match COMPILED.get(source) {
        Some(regex) => regex.find(text).is_some(),
        None => Regex::new(source).is_ok_and(|regex| regex.find(text).is_some()),
    }
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

fn parse_class(chars: &mut Chars<'_>) -> Option<CharSet> {
    let negated = chars.next_if_eq(&'^').is_some();
    let mut ranges = Vec::new();
    loop {
        let c = chars.next()?;
        let lo = match c {
            ']' => break,
            '\\' => match chars.next()? {
                shorthand @ ('d' | 'w' | 's') => {
                    if let CharSet::Class { ranges: more, .. } = escape_set(shorthand) {
                        ranges.extend(more);
                    }
                    continue;
                }
                'D' | 'W' | 'S' => return None,
                'n' => '\n',
                't' => '\t',
                'r' => '\r',
                other => other,
            },
            other => other,
        };
        let is_range = chars.peek() == Some(&'-') && {
            let mut ahead = chars.clone();
            ahead.next();
            ahead.peek().is_some_and(|&next| next != ']')
        };
        if is_range {
            chars.next();
            let hi = match chars.next()? {
                '\\' => chars.next()?,
                other => other,
            };
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
        } else {
            ranges.push((lo, lo));
        }
    }
    Some(CharSet::Class { ranges, negated })
}

fn escape_set(c: char) -> CharSet {
    let class = |ranges: Vec<(char, char)>, negated| CharSet::Class { ranges, negated };
    let word = vec![('0', '9'), ('A', 'Z'), ('_', '_'), ('a', 'z')];
    let space = vec![(' ', ' '), ('\t', '\r')];
    match c {
        'd' => class(vec![('0', '9')], false),
        'D' => class(vec![('0', '9')], true),
        'w' => class(word, false),
        'W' => class(word, true),
        's' => class(space, false),
        'S' => class(space, true),
        'n' => CharSet::literal('\n'),
        't' => CharSet::literal('\t'),
        'r' => CharSet::literal('\r'),
        other => CharSet::literal(other),
    }
}

fn parse_quantifier(chars: &mut Chars<'_>) -> Option<(usize, Option<usize>)> {
    let bounds = match chars.peek() {
        Some('?') => (0, Some(1)),
        Some('*') => (0, None),
        Some('+') => (1, None),
        Some('{') => {
            chars.next();
            let mut body = String::new();
            loop {
                match chars.next()? {
                    '}' => break,
                    c => body.push(c),
                }
            }
            let bounds = match body.split_once(',') {
                None => {
                    let n = body.trim().parse().ok()?;
                    (n, Some(n))
                }
                Some((lo, "")) => (lo.trim().parse().ok()?, None),
                Some((lo, hi)) => (lo.trim().parse().ok()?, Some(hi.trim().parse().ok()?)),
            };
            return lazy_check(chars, bounds);
        }
        _ => return Some((1, Some(1))),
    };
    chars.next();
    lazy_check(chars, bounds)
}

/// Rejects lazy (`*?`) and possessive quantifiers and stacked quantifiers, and empty ranges.
fn lazy_check(
    chars: &mut Chars<'_>,
    (min, max): (usize, Option<usize>),
) -> Option<(usize, Option<usize>)> {
    if matches!(chars.peek(), Some('?' | '+' | '*' | '{')) || max.is_some_and(|max| max < min) {
        return None;
    }
    Some((min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_schema_patterns_generate_matching_strings() {
        let mut rng = Rng::with_seed(3);
        for source in [
            "^[0-9]{1,19}$",
            "^[0-9]{1,20}$",
            "^[A-Za-z]+\\.[A-Za-z]+$",
            "^[0-9a-fA-F]{64}$",
        ] {
            let pattern = Pattern::parse(source).expect(source);
            for _ in 0..200 {
                let text = pattern.generate(&mut rng);
                assert!(matches(source, &text), "{source}: {text}");
            }
        }
    }

    #[test]
    fn matching_follows_anchors_and_bounds() {
        assert!(matches("^[0-9]{1,3}$", "7"));
        assert!(matches("^[0-9]{1,3}$", "123"));
        assert!(!matches("^[0-9]{1,3}$", "1234"));
        assert!(!matches("^[0-9]{1,3}$", ""));
        assert!(!matches("^[0-9]{1,3}$", "12a"));
        assert!(matches(
            "^[A-Za-z]+\\.[A-Za-z]+$",
            "Live.CallbackAfterEndBattle"
        ));
        assert!(!matches("^[A-Za-z]+\\.[A-Za-z]+$", "Live.Callback.After"));
        assert!(matches("b\\d", "abc b7 x"));
        assert!(!matches("b\\d", "abc"));
        assert!(matches("^[^0-9]+$", "abc"));
        assert!(!matches("^[^0-9]+$", "a1"));
        assert!(
            !matches("(unclosed", "(unclosed"),
            "a pattern that does not compile"
        );
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for source in ["(a|b)", "a*?", "x{3,1}", "[a-", "a{2"] {
            assert!(Pattern::parse(source).is_none(), "{source}");
        }
    }
}
