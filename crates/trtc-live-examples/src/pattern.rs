//! The small subset of regular expressions that the schemas' `pattern`s use, to generate
//! strings that match them and to check candidates.
//!
//! Supported: `^` and `$` anchors, literal characters, `\`-escapes (`\d`, `\w`, `\s`, `\.`,
//! ...), `.`, character classes with ranges (`[0-9a-fA-F]`, `[^...]`), and the quantifiers
//! `?`, `*`, `+`, `{n}`, `{n,}`, `{n,m}`. Groups and alternation are not: [`Pattern::parse`]
//! returns `None` for them (a test checks every pattern of the bundle parses).

use fastrand::Rng;

use crate::dice;

/// How many repetitions an unbounded quantifier (`*`, `+`, `{n,}`) generates at most beyond
/// its minimum.
const UNBOUNDED_EXTRA: usize = 8;

/// A parsed pattern: a sequence of quantified character sets.
#[derive(Clone, Debug)]
pub(crate) struct Pattern {
    anchored_start: bool,
    anchored_end: bool,
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
        let anchored_start = chars.next_if_eq(&'^').is_some();
        let mut pieces = Vec::new();
        let mut anchored_end = false;
        while let Some(c) = chars.next() {
            let set = match c {
                '$' if chars.peek().is_none() => {
                    anchored_end = true;
                    break;
                }
                '[' => parse_class(&mut chars)?,
                '\\' => escape_set(chars.next()?),
                '.' => CharSet::Any,
                '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$' => return None,
                literal => CharSet::literal(literal),
            };
            let (min, max) = parse_quantifier(&mut chars)?;
            pieces.push(Piece { set, min, max });
        }
        Some(Self {
            anchored_start,
            anchored_end,
            pieces,
        })
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

    /// Whether `text` matches (ECMA-262 semantics: a search unless anchored).
    pub(crate) fn is_match(&self, text: &str) -> bool {
        let chars: Vec<char> = text.chars().collect();
        let last_start = if self.anchored_start { 0 } else { chars.len() };
        (0..=last_start).any(|start| matches_at(&self.pieces, &chars, start, self.anchored_end))
    }
}

fn matches_at(pieces: &[Piece], text: &[char], position: usize, to_end: bool) -> bool {
    let Some((piece, rest)) = pieces.split_first() else {
        return !to_end || position == text.len();
    };
    let limit = piece.max.unwrap_or(usize::MAX);
    let available = text
        .get(position..)
        .unwrap_or_default()
        .iter()
        .take(limit)
        .take_while(|&&c| piece.set.contains(c))
        .count();
    if available < piece.min {
        return false;
    }
    (piece.min..=available)
        .rev()
        .any(|taken| matches_at(rest, text, position + taken, to_end))
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
                assert!(pattern.is_match(&text), "{source}: {text}");
            }
        }
    }

    #[test]
    fn matching_follows_anchors_and_bounds() {
        let digits = Pattern::parse("^[0-9]{1,3}$").unwrap();
        assert!(digits.is_match("7"));
        assert!(digits.is_match("123"));
        assert!(!digits.is_match("1234"));
        assert!(!digits.is_match(""));
        assert!(!digits.is_match("12a"));
        let dotted = Pattern::parse("^[A-Za-z]+\\.[A-Za-z]+$").unwrap();
        assert!(dotted.is_match("Live.CallbackAfterEndBattle"));
        assert!(!dotted.is_match("Live.Callback.After"));
        let search = Pattern::parse("b\\d").unwrap();
        assert!(search.is_match("abc b7 x"));
        assert!(!search.is_match("abc"));
        let negated = Pattern::parse("^[^0-9]+$").unwrap();
        assert!(negated.is_match("abc"));
        assert!(!negated.is_match("a1"));
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        for source in ["(a|b)", "a*?", "x{3,1}", "[a-", "a{2"] {
            assert!(Pattern::parse(source).is_none(), "{source}");
        }
    }
}
