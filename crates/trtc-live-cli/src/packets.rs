//! Reading inputs as a stream of packets: a whole file is one packet, an NDJSON input one per
//! line. Memory stays bounded by the packet size limit, whatever the size of the input.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::sync::Arc;

use crate::discover::{describe, Input};

/// Size of the read buffer of each input. Large enough to hand workers big batches.
const READ_BUFFER_BYTES: usize = 1 << 20;

/// One item of the stream, in input order.
pub enum Item {
    /// A packet to check.
    Packet(Packet),
    /// An input, or the rest of it, cannot be read.
    Unreadable {
        /// The input's name.
        source: Arc<str>,
        /// Why.
        message: String,
    },
    /// An NDJSON input without a single packet (empty, or blank lines only).
    NoPacket {
        /// The input's name.
        source: Arc<str>,
    },
}

/// One packet as read.
pub struct Packet {
    /// The input's name.
    pub source: Arc<str>,
    /// Line of the packet in an NDJSON input, from 1.
    pub line: Option<usize>,
    /// Whether the text may carry comments.
    pub comments: bool,
    /// The text, or the size it exceeded the limit with.
    pub text: Result<Vec<u8>, TooLarge>,
    /// Whether standard input has no more bytes ready after this packet: the caller should
    /// report what it has before waiting for more.
    pub waits_after: bool,
}

/// A packet over the size limit: skipped, never held in memory.
#[derive(Clone, Copy, Debug)]
pub struct TooLarge {
    /// The limit, in bytes.
    pub limit: u64,
    /// The packet's size in bytes (for a whole file, at least this).
    pub size: u64,
}

impl Item {
    /// The bytes this item accounts for in its input (for the progress bar).
    pub fn bytes(&self) -> u64 {
        match self {
            Item::Packet(packet) => {
                let size = match &packet.text {
                    Ok(text) => text.len() as u64,
                    Err(too_large) => too_large.size,
                };
                // An NDJSON packet also had its line break.
                size + u64::from(packet.line.is_some())
            }
            Item::Unreadable { .. } | Item::NoPacket { .. } => 0,
        }
    }
}

/// The packets of `inputs`, in order, read lazily.
pub struct Packets {
    inputs: std::vec::IntoIter<Input>,
    current: Option<Reading>,
    limit: u64,
}

/// The input being read.
struct Reading {
    source: Arc<str>,
    reader: BufReader<Box<dyn Read + Send>>,
    ndjson: bool,
    comments: bool,
    is_stdin: bool,
    line: usize,
    packets: usize,
}

impl Packets {
    /// Reads `inputs` in order, refusing packets of more than `limit` bytes.
    pub fn new(inputs: Vec<Input>, limit: u64) -> Self {
        Self {
            inputs: inputs.into_iter(),
            current: None,
            limit,
        }
    }

    fn open(input: Input) -> Result<Reading, Item> {
        let source: Arc<str> = input.name.into();
        let read: Box<dyn Read + Send> = match &input.path {
            None => Box::new(std::io::stdin()),
            Some(path) => match File::open(path) {
                Ok(file) => Box::new(file),
                Err(error) => {
                    return Err(Item::Unreadable {
                        source,
                        message: format!("cannot read: {}", describe(&error)),
                    })
                }
            },
        };
        Ok(Reading {
            source,
            reader: BufReader::with_capacity(READ_BUFFER_BYTES, read),
            ndjson: input.ndjson,
            comments: input.comments,
            is_stdin: input.path.is_none(),
            line: 0,
            packets: 0,
        })
    }
}

impl Iterator for Packets {
    type Item = Item;

    fn next(&mut self) -> Option<Item> {
        loop {
            let reading = match &mut self.current {
                Some(reading) => reading,
                None => match Self::open(self.inputs.next()?) {
                    Ok(reading) => self.current.insert(reading),
                    Err(item) => return Some(item),
                },
            };
            let next = if reading.ndjson {
                reading.next_line(self.limit)
            } else {
                reading.whole(self.limit)
            };
            match next {
                Some(item) => return Some(item),
                None => self.current = None,
            }
        }
    }
}

impl Reading {
    /// The whole input as one packet, the first time; then nothing.
    fn whole(&mut self, limit: u64) -> Option<Item> {
        if self.packets > 0 {
            return None;
        }
        self.packets += 1;
        let mut text = Vec::new();
        let read = (&mut self.reader)
            .take(limit.saturating_add(1))
            .read_to_end(&mut text);
        if let Err(error) = read {
            return Some(self.unreadable(&error));
        }
        let text = if text.len() as u64 > limit {
            let rest = std::io::copy(&mut self.reader, &mut std::io::sink()).unwrap_or(0);
            Err(TooLarge {
                limit,
                size: text.len() as u64 + rest,
            })
        } else {
            Ok(text)
        };
        Some(self.packet(None, text))
    }

    /// The next non-blank line as a packet; at the end, nothing (or a note if there was none).
    fn next_line(&mut self, limit: u64) -> Option<Item> {
        loop {
            let mut text = Vec::new();
            let line = match read_line(&mut self.reader, &mut text, limit) {
                Ok(Line::End) if self.packets == 0 => {
                    self.packets += 1;
                    return Some(Item::NoPacket {
                        source: self.source.clone(),
                    });
                }
                Ok(Line::End) => return None,
                Ok(line) => line,
                Err(error) => return Some(self.unreadable(&error)),
            };
            self.line += 1;
            let text = match line {
                Line::TooLarge(size) => Err(TooLarge { limit, size }),
                _ if text.iter().all(u8::is_ascii_whitespace) => continue,
                _ => Ok(text),
            };
            self.packets += 1;
            return Some(self.packet(Some(self.line), text));
        }
    }

    fn packet(&self, line: Option<usize>, text: Result<Vec<u8>, TooLarge>) -> Item {
        Item::Packet(Packet {
            source: self.source.clone(),
            line,
            comments: self.comments,
            text,
            waits_after: self.is_stdin && self.reader.buffer().is_empty(),
        })
    }

    fn unreadable(&mut self, error: &std::io::Error) -> Item {
        let at = if self.ndjson && self.line > 0 {
            format!(" after line {}", self.line)
        } else {
            String::new()
        };
        // Nothing more is read from an input that failed.
        self.packets = usize::MAX;
        self.ndjson = false;
        Item::Unreadable {
            source: self.source.clone(),
            message: format!("cannot read{at}: {}", describe(error)),
        }
    }
}

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line (its text, without the line break, is in the buffer).
    Text,
    /// A line of this many bytes, over the limit: skipped, the buffer left empty.
    TooLarge(u64),
    /// The end of the input.
    End,
}

/// Reads one line into `text` (without `\n` or `\r\n`), holding at most `limit` bytes of it:
/// a longer line is read through and reported by its size only.
fn read_line(reader: &mut impl BufRead, text: &mut Vec<u8>, limit: u64) -> std::io::Result<Line> {
    let mut size: u64 = 0;
    let mut seen_any = false;
    loop {
        let buffer = match reader.fill_buf() {
            Ok(buffer) => buffer,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(error) => return Err(error),
        };
        if buffer.is_empty() {
            break;
        }
        seen_any = true;
        let (chunk, found_end) = match memchr::memchr(b'\n', buffer) {
            Some(end) => (&buffer[..end], true),
            None => (buffer, false),
        };
        size += chunk.len() as u64;
        if size <= limit {
            text.extend_from_slice(chunk);
        } else {
            text.clear();
        }
        let used = chunk.len() + usize::from(found_end);
        reader.consume(used);
        if found_end {
            break;
        }
    }
    if !seen_any {
        return Ok(Line::End);
    }
    if size > limit {
        text.clear();
        text.shrink_to_fit();
        return Ok(Line::TooLarge(size));
    }
    if text.last() == Some(&b'\r') {
        text.pop();
    }
    Ok(Line::Text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(input: &[u8], limit: u64) -> Vec<(Line, Vec<u8>)> {
        let mut reader = BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        loop {
            let mut text = Vec::new();
            let line = read_line(&mut reader, &mut text, limit).unwrap();
            if line == Line::End {
                return out;
            }
            out.push((line, text));
        }
    }

    #[test]
    fn lines_are_split_on_newlines_across_buffer_refills() {
        let got = lines(b"{\"a\":1}\r\n\n{\"b\":22}", 100);
        assert_eq!(
            got,
            vec![
                (Line::Text, b"{\"a\":1}".to_vec()),
                (Line::Text, Vec::new()),
                (Line::Text, b"{\"b\":22}".to_vec()),
            ]
        );
    }

    #[test]
    fn a_line_over_the_limit_is_measured_not_kept() {
        let got = lines(b"12345678\n123\n", 5);
        assert_eq!(
            got,
            vec![
                (Line::TooLarge(8), Vec::new()),
                (Line::Text, b"123".to_vec())
            ]
        );
    }
}
