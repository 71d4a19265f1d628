//! A reader of our own for packets in plain JSON, which decoding tries before serde_json.
//!
//! serde_json reads any JSON; most of the time a packet takes there goes to its generality: the
//! map access of every member through serde's layers, and integers computed digit by digit with
//! the position stored at each one. Tencent's packets are plain: integers in their shortest
//! form, strings mostly without escapes. This reader takes such packets (escapes included) and
//! gives way ([`GiveWay`]) at anything else (a number with a fraction or an exponent, `-0`, a
//! leading zero, `null`, a lone surrogate escape, a member given twice, a value that does not fit
//! its type); the packet is then read by serde_json as before, which also says what is wrong, if
//! anything.
//!
//! Nothing about what fits a type is written twice. Every struct gets a generated
//! [`ReadPlain`] that mirrors its generated `Deserialize` (`xtask/src/plain_reading.rs`: the
//! same members, the same bounds, the same revision rules); every other value is read by the
//! type's own `Deserialize`, replayed on the scalar read here, as `crate::conform` does, or, for
//! free-form values (`serde_json::Value`, maps), by serde_json itself from where the reader
//! stands. `tests/fast_path.rs` holds the decoding, this reader first, to the schema's verdict
//! and typed value on every mutant of its corpus.

use std::borrow::Cow;
use std::fmt;

use serde::de::value::{
    BoolDeserializer, BorrowedStrDeserializer, I64Deserializer, StrDeserializer, U64Deserializer,
};
use serde::de::DeserializeOwned;

/// Why the plain reader stopped: the packet is not in the plain form it reads, or does not fit
/// the type. serde_json decides then.
#[derive(Debug)]
pub struct GiveWay;

impl fmt::Display for GiveWay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not a plain packet of this type")
    }
}

impl std::error::Error for GiveWay {}

impl serde::de::Error for GiveWay {
    fn custom<T: fmt::Display>(_: T) -> Self {
        GiveWay
    }
}

/// A type read from plain JSON by [`Reader`].
pub trait ReadPlain: Sized {
    /// Reads one value of this type where `reader` stands (whitespace first), or gives way.
    fn read_plain(reader: &mut Reader<'_>) -> Result<Self, GiveWay>;
}

/// Reads a whole packet of type `T` from JSON text: one value and nothing after it but
/// whitespace.
pub fn read_plain<T: ReadPlain>(text: &str) -> Result<T, GiveWay> {
    let mut reader = Reader { text, at: 0 };
    let value = T::read_plain(&mut reader)?;
    reader.end()?;
    Ok(value)
}

/// A position in JSON text.
pub struct Reader<'a> {
    text: &'a str,
    at: usize,
}

/// An integer in its shortest form.
enum Integer {
    Unsigned(u64),
    Negative(i64),
}

/// How deep a free-form value handed to serde_json may nest, counted generously (every `{` and
/// `[` of its text): serde_json allows 128 levels from where it starts, and the value stands a
/// few levels down in the packet.
const FREE_FORM_OPENINGS: usize = 64;

impl<'a> Reader<'a> {
    fn bytes(&self) -> &'a [u8] {
        self.text.as_bytes()
    }

    fn peek(&self) -> Option<u8> {
        self.bytes().get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.at += 1;
        }
    }

    /// Nothing but whitespace is left.
    fn end(&mut self) -> Result<(), GiveWay> {
        self.skip_whitespace();
        if self.at == self.text.len() {
            Ok(())
        } else {
            Err(GiveWay)
        }
    }

    fn eat(&mut self, byte: u8) -> Result<(), GiveWay> {
        if self.peek() == Some(byte) {
            self.at += 1;
            Ok(())
        } else {
            Err(GiveWay)
        }
    }

    /// Reads an object, giving each member's name to `member`, which reads its value.
    pub fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Cow<'a, str>) -> Result<(), GiveWay>,
    ) -> Result<(), GiveWay> {
        self.skip_whitespace();
        self.eat(b'{')?;
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(());
        }
        loop {
            self.skip_whitespace();
            let name = self.string()?;
            self.skip_whitespace();
            self.eat(b':')?;
            member(self, name)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(GiveWay),
            }
        }
    }

    /// Reads an array, `element` reading each element.
    pub fn array(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), GiveWay>,
    ) -> Result<(), GiveWay> {
        self.skip_whitespace();
        self.eat(b'[')?;
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(());
        }
        loop {
            element(self)?;
            self.skip_whitespace();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(());
                }
                _ => return Err(GiveWay),
            }
        }
    }

    /// A string; borrowed when it has no escape. A control character, an escape JSON does not
    /// have, or a surrogate escape that is not half of a pair, gives way.
    fn string(&mut self) -> Result<Cow<'a, str>, GiveWay> {
        self.eat(b'"')?;
        let start = self.at;
        let length = special_byte(&self.bytes()[start..]).ok_or(GiveWay)?;
        self.at = start + length;
        match self.peek() {
            Some(b'"') => {
                self.at += 1;
                // The quotes are ASCII: the text between them is whole characters.
                self.text
                    .get(start..start + length)
                    .map(Cow::Borrowed)
                    .ok_or(GiveWay)
            }
            Some(b'\\') => self.escaped(start, length).map(Cow::Owned),
            _ => Err(GiveWay),
        }
    }

    /// A string with an escape: its first `length` bytes from `start`, then the rest from the
    /// escape where the reader stands.
    #[cold]
    #[inline(never)]
    fn escaped(&mut self, start: usize, length: usize) -> Result<String, GiveWay> {
        let mut owned = String::from(self.text.get(start..start + length).ok_or(GiveWay)?);
        self.escaped_rest(&mut owned)?;
        Ok(owned)
    }

    /// The rest of a string from its first escape, appended to `owned`.
    fn escaped_rest(&mut self, owned: &mut String) -> Result<(), GiveWay> {
        loop {
            match self.peek() {
                Some(b'"') => {
                    self.at += 1;
                    return Ok(());
                }
                Some(b'\\') => {
                    self.at += 1;
                    let escaped = self.peek().ok_or(GiveWay)?;
                    self.at += 1;
                    owned.push(match escaped {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(GiveWay),
                    });
                }
                _ => return Err(GiveWay),
            }
            let run = self.at;
            let length = special_byte(&self.bytes()[run..]).ok_or(GiveWay)?;
            owned.push_str(self.text.get(run..run + length).ok_or(GiveWay)?);
            self.at = run + length;
        }
    }

    /// The character of a `\u` escape (its `\u` read), a surrogate pair taking two.
    fn unicode_escape(&mut self) -> Result<char, GiveWay> {
        let first = self.hex4()?;
        let code = match first {
            0xD800..=0xDBFF => {
                self.eat(b'\\')?;
                self.eat(b'u')?;
                let second = self.hex4()?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(GiveWay);
                }
                0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
            }
            0xDC00..=0xDFFF => return Err(GiveWay),
            _ => first,
        };
        char::from_u32(code).ok_or(GiveWay)
    }

    /// Four hexadecimal digits.
    fn hex4(&mut self) -> Result<u32, GiveWay> {
        let digits = self.text.get(self.at..self.at + 4).ok_or(GiveWay)?;
        if !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(GiveWay);
        }
        self.at += 4;
        u32::from_str_radix(digits, 16).map_err(|_| GiveWay)
    }

    /// An integer in its shortest form, that a 64-bit integer holds.
    fn integer(&mut self) -> Result<Integer, GiveWay> {
        let bytes = self.bytes();
        let negative = self.peek() == Some(b'-');
        let start = self.at + usize::from(negative);
        let mut at = start;
        let mut value: u64 = 0;
        while let Some(digit) = bytes.get(at).map(|b| b.wrapping_sub(b'0')) {
            if digit > 9 {
                break;
            }
            // Nineteen digits always fit in a u64; from the twentieth on, they may not.
            value = if at - start < 19 {
                value * 10 + u64::from(digit)
            } else {
                value
                    .checked_mul(10)
                    .and_then(|value| value.checked_add(u64::from(digit)))
                    .ok_or(GiveWay)?
            };
            at += 1;
        }
        let count = at - start;
        if count == 0 || (bytes[start] == b'0' && count > 1) {
            return Err(GiveWay);
        }
        self.at = at;
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return Err(GiveWay);
        }
        if !negative {
            return Ok(Integer::Unsigned(value));
        }
        // serde_json reads -0 as a double, and -2^63 as the smallest i64.
        if value == 0 || value > 1 << 63 {
            return Err(GiveWay);
        }
        Ok(Integer::Negative((value as i64).wrapping_neg()))
    }

    /// Reads a string, an integer or a boolean into `T` through its own `Deserialize`, seeing
    /// what serde_json would show it.
    pub fn scalar<T: DeserializeOwned>(&mut self) -> Result<T, GiveWay> {
        self.skip_whitespace();
        match self.peek() {
            Some(b'"') => match self.string()? {
                Cow::Borrowed(text) => {
                    T::deserialize(BorrowedStrDeserializer::<GiveWay>::new(text))
                }
                Cow::Owned(text) => T::deserialize(StrDeserializer::<GiveWay>::new(&text)),
            },
            Some(b'-' | b'0'..=b'9') => match self.integer()? {
                Integer::Unsigned(value) => T::deserialize(U64Deserializer::<GiveWay>::new(value)),
                Integer::Negative(value) => T::deserialize(I64Deserializer::<GiveWay>::new(value)),
            },
            Some(b't') => self.literal("true", true),
            Some(b'f') => self.literal("false", false),
            _ => Err(GiveWay),
        }
    }

    fn literal<T: DeserializeOwned>(&mut self, word: &str, value: bool) -> Result<T, GiveWay> {
        if !self.bytes()[self.at..].starts_with(word.as_bytes()) {
            return Err(GiveWay);
        }
        self.at += word.len();
        T::deserialize(BoolDeserializer::<GiveWay>::new(value))
    }

    /// Reads a free-form value with serde_json, from where the reader stands to the value's
    /// end.
    pub fn free_form<T: DeserializeOwned>(&mut self) -> Result<T, GiveWay> {
        self.skip_whitespace();
        let rest = self.text.get(self.at..).ok_or(GiveWay)?;
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<T>();
        let Some(Ok(value)) = values.next() else {
            return Err(GiveWay);
        };
        let end = values.byte_offset();
        let openings = rest.as_bytes()[..end]
            .iter()
            .filter(|&&b| b == b'{' || b == b'[')
            .count();
        if openings > FREE_FORM_OPENINGS {
            return Err(GiveWay);
        }
        self.at += end;
        Ok(value)
    }
}

/// Where the first `"`, `\` or control character of `bytes` is, eight bytes at a time.
fn special_byte(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let mut chunks = bytes.chunks_exact(8);
    let mut offset = 0;
    for chunk in &mut chunks {
        let mut word = [0; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // A byte is flagged when it is zero (after the xor) or below 0x20; a false flag can
        // only follow a true one, and the lowest is taken.
        let flagged = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        let flagged = flagged & HIGHS;
        if flagged != 0 {
            return Some(offset + (flagged.trailing_zeros() / 8) as usize);
        }
        offset += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .map(|position| offset + position)
}

/// Types read as a scalar through their own `Deserialize`.
macro_rules! plain_by_replay {
    ($($ty:ty),* $(,)?) => {$(
        impl ReadPlain for $ty {
            fn read_plain(reader: &mut Reader<'_>) -> Result<Self, GiveWay> {
                reader.scalar()
            }
        }
    )*};
}
crate::conform::replayed_leaf_types!(plain_by_replay);
// Judged by a pass of their own in `crate::conform`, read by replay here.
plain_by_replay!(String, crate::wire::AccountId);

impl<T: ReadPlain> ReadPlain for Vec<T> {
    fn read_plain(reader: &mut Reader<'_>) -> Result<Self, GiveWay> {
        let mut elements = Vec::new();
        reader.array(|reader| {
            elements.push(T::read_plain(reader)?);
            Ok(())
        })?;
        Ok(elements)
    }
}

impl ReadPlain for serde_json::Map<String, serde_json::Value> {
    fn read_plain(reader: &mut Reader<'_>) -> Result<Self, GiveWay> {
        reader.free_form()
    }
}

impl ReadPlain for serde_json::Value {
    fn read_plain(reader: &mut Reader<'_>) -> Result<Self, GiveWay> {
        reader.free_form()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar<T: DeserializeOwned>(text: &str) -> Option<T> {
        read_whole_scalar(text).ok()
    }

    fn read_whole_scalar<T: DeserializeOwned>(text: &str) -> Result<T, GiveWay> {
        let mut reader = Reader { text, at: 0 };
        let value = reader.scalar()?;
        reader.end()?;
        Ok(value)
    }

    #[test]
    fn integers_in_their_shortest_form_are_read_as_serde_json_reads_them() {
        assert_eq!(scalar::<u64>("0"), Some(0));
        assert_eq!(scalar::<u64>(" 18446744073709551615 "), Some(u64::MAX));
        assert_eq!(scalar::<i64>("-9223372036854775808"), Some(i64::MIN));
        assert_eq!(scalar::<i64>("-1"), Some(-1));
        for given_way in [
            "-0",
            "01",
            "1.0",
            "1e2",
            "1E2",
            "-",
            "18446744073709551616",
            "-9223372036854775809",
            "null",
            "+1",
            "99999999999999999999",
            "184467440737095516150",
        ] {
            assert_eq!(scalar::<i64>(given_way), None, "{given_way}");
            assert_eq!(scalar::<u64>(given_way), None, "{given_way}");
        }
        for text in ["0", "7", "-7", "9007199254740993", "18446744073709551615"] {
            assert_eq!(
                scalar::<serde_json::Value>(text),
                serde_json::from_str::<serde_json::Value>(text).ok(),
                "{text}"
            );
        }
    }

    #[test]
    fn strings_are_read_as_serde_json_reads_them() {
        for text in [
            r#""plain é 中""#,
            r#""a\"b\\c\/d\b\f\n\r\t""#,
            r#""\u0041\u00e9\u4e2d\u0000 and \ud83d\ude00 after""#,
            r#""{\"json\": \"in a string\"}""#,
        ] {
            let expected: String = serde_json::from_str(text).expect("JSON");
            assert_eq!(scalar::<String>(text), Some(expected), "{text}");
        }
        for given_way in [
            "\"a\u{1}b\"",
            "\"tab\there\"",
            r#""unterminated"#,
            r#""\x41""#,
            r#""\u00""#,
            r#""\u00zz""#,
            r#""lone \ud83d high""#,
            r#""lone \ude00 low""#,
            r#""\ud83d\u0041 not low""#,
        ] {
            assert_eq!(scalar::<String>(given_way), None, "{given_way}");
        }
    }

    #[test]
    fn the_special_byte_is_found_wherever_it_stands() {
        let text = b"abcdefghijklmnopqrstuvwxyz";
        for at in 0..text.len() {
            for special in [b'"', b'\\', 0x1f, 0x00] {
                let mut bytes = text.to_vec();
                bytes[at] = special;
                assert_eq!(special_byte(&bytes), Some(at));
                // A later special byte does not hide it, nor an earlier byte above 0x7f.
                if at + 1 < bytes.len() {
                    bytes[at + 1] = b'"';
                }
                if at > 0 {
                    bytes[at - 1] = 0xC3;
                }
                assert_eq!(special_byte(&bytes), Some(at));
            }
        }
        assert_eq!(special_byte("é中 ~\u{7f}".as_bytes()), None);
    }

    #[test]
    fn objects_and_arrays_read_member_by_member() {
        let text = r#" { "a" : [ 1 , 2 ] , "b" : { } , "c" : [ ] } "#;
        let mut reader = Reader { text, at: 0 };
        let mut seen = Vec::new();
        reader
            .object(|reader, name| {
                match &*name {
                    "a" => seen.push(format!("a={:?}", Vec::<u64>::read_plain(reader)?)),
                    "b" => reader.object(|_, _| Err(GiveWay))?,
                    _ => seen.push(format!("{name}={:?}", Vec::<u64>::read_plain(reader)?)),
                }
                Ok(())
            })
            .expect("plain");
        assert_eq!(seen, ["a=[1, 2]", "c=[]"]);
        for given_way in [
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"[1,]"#,
            r#"{"a": 1 "b": 2}"#,
        ] {
            let result: Result<serde_json::Value, _> = read_plain_value(given_way);
            assert!(result.is_err(), "{given_way}");
        }
    }

    /// Objects and arrays of scalars, read with the reader's own structure (not free-form).
    fn read_plain_value(text: &str) -> Result<serde_json::Value, GiveWay> {
        fn value(reader: &mut Reader<'_>) -> Result<serde_json::Value, GiveWay> {
            reader.skip_whitespace();
            match reader.peek() {
                Some(b'{') => {
                    let mut map = serde_json::Map::new();
                    reader.object(|reader, name| {
                        map.insert(name.into_owned(), value(reader)?);
                        Ok(())
                    })?;
                    Ok(map.into())
                }
                Some(b'[') => {
                    let mut elements = Vec::new();
                    reader.array(|reader| {
                        elements.push(value(reader)?);
                        Ok(())
                    })?;
                    Ok(elements.into())
                }
                _ => reader.scalar(),
            }
        }
        let mut reader = Reader { text, at: 0 };
        let read = value(&mut reader)?;
        reader.end()?;
        Ok(read)
    }

    #[test]
    fn free_form_values_are_serde_json_s_and_shallow() {
        let text = r#"{"x": [1, {"y": "z\u0041"}], "after": 2}"#;
        let mut reader = Reader { text, at: 0 };
        let mut read = Vec::new();
        reader
            .object(|reader, name| {
                read.push((name.into_owned(), reader.free_form::<serde_json::Value>()?));
                Ok(())
            })
            .expect("plain around free-form values");
        assert_eq!(read[0].1, serde_json::json!([1, {"y": "zA"}]));
        assert_eq!(read[1].1, serde_json::json!(2));
        let deep = format!(
            "{}{}",
            "[".repeat(FREE_FORM_OPENINGS + 1),
            "]".repeat(FREE_FORM_OPENINGS + 1)
        );
        let mut reader = Reader { text: &deep, at: 0 };
        assert!(reader.free_form::<serde_json::Value>().is_err());
    }
}
