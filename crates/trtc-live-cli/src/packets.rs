//! Reading inputs as a stream of packets: a whole file is one packet, an NDJSON input one per
//! line. The packets come in windows whose texts share one buffer, so that reading a packet
//! costs no allocation of its own. Memory stays bounded by the window and packet size limits,
//! whatever the size of the input.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::Range;
use std::sync::Arc;

use crate::discover::{describe, Input};
use crate::pipeline;

/// Size of the read buffer of each input.
const READ_BUFFER_BYTES: usize = 1 << 20;
/// Most items in one window.
const WINDOW_ITEMS: usize = 1024;
/// Most bytes of packet text in one window (a packet over it still makes a window of its own).
const WINDOW_BYTES: usize = 4 << 20;

/// Consecutive items of the stream, the texts of their packets in one buffer.
#[derive(Default)]
pub struct Window {
    /// The texts of the packets, one after the other.
    text: Vec<u8>,
    /// The inputs the packets come from.
    sources: Vec<Arc<str>>,
    /// The items, in input order.
    items: Vec<Item>,
}

impl Window {
    /// The items, in input order.
    pub fn items(&self) -> &[Item] {
        &self.items
    }

    /// The name of the input `packet` comes from.
    pub fn source(&self, packet: &Packet) -> &str {
        &self.sources[packet.source]
    }

    /// The text of `packet`, or the size it exceeded the limit with.
    pub fn text(&self, packet: &Packet) -> Result<&[u8], TooLarge> {
        packet.text.clone().map(|range| &self.text[range])
    }

    /// The index of `source` in `sources`, added if it is new.
    fn source_index(&mut self, source: &Arc<str>) -> usize {
        match self.sources.last() {
            Some(last) if Arc::ptr_eq(last, source) => self.sources.len() - 1,
            _ => {
                self.sources.push(source.clone());
                self.sources.len() - 1
            }
        }
    }

    fn is_full(&self) -> bool {
        self.items.len() >= WINDOW_ITEMS || self.text.len() >= WINDOW_BYTES
    }

    fn clear(&mut self) {
        self.text.clear();
        self.sources.clear();
        self.items.clear();
    }
}

impl pipeline::Window for Window {
    fn len(&self) -> usize {
        self.items.len()
    }
}

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

/// One packet as read; its window holds its text and the name of its input.
pub struct Packet {
    /// The input, by its index in the window.
    source: usize,
    /// Line of the packet in an NDJSON input, from 1.
    pub line: Option<usize>,
    /// Whether the text may carry comments.
    pub comments: bool,
    /// Where the text is in the window, or the size it exceeded the limit with.
    text: Result<Range<usize>, TooLarge>,
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
                    Ok(range) => range.len() as u64,
                    Err(too_large) => too_large.size,
                };
                // An NDJSON packet also had its line break.
                size + u64::from(packet.line.is_some())
            }
            Item::Unreadable { .. } | Item::NoPacket { .. } => 0,
        }
    }
}

/// The packets of `inputs`, in order, read lazily, a window at a time.
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

/// What reading an input gave next.
enum Step {
    /// A packet, its text appended to the window's.
    Packet {
        line: Option<usize>,
        text: Result<Range<usize>, TooLarge>,
    },
    /// Another item.
    Other(Item),
    /// The end of the input.
    End,
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

    /// The next window of items, filling `reuse` (a window already processed) if given; `None`
    /// at the end. A window ends early where standard input has nothing more ready, so that
    /// what was read is reported before waiting for more.
    pub fn next_window(&mut self, reuse: Option<Window>) -> Option<Window> {
        let mut window = reuse.unwrap_or_default();
        window.clear();
        while !window.is_full() {
            let reading = match &mut self.current {
                Some(reading) => reading,
                None => match self.inputs.next().map(Self::open) {
                    None => break,
                    Some(Ok(reading)) => self.current.insert(reading),
                    Some(Err(item)) => {
                        window.items.push(item);
                        continue;
                    }
                },
            };
            let read = if reading.ndjson {
                reading.next_line(&mut window.text, self.limit)
            } else {
                reading.whole(&mut window.text, self.limit)
            };
            match read {
                Step::Packet { line, text } => {
                    let packet = Packet {
                        source: window.source_index(&reading.source),
                        line,
                        comments: reading.comments,
                        text,
                    };
                    window.items.push(Item::Packet(packet));
                    if reading.is_stdin && reading.reader.buffer().is_empty() {
                        break;
                    }
                }
                Step::Other(item) => window.items.push(item),
                Step::End => self.current = None,
            }
        }
        (!window.items.is_empty()).then_some(window)
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

impl Reading {
    /// The whole input as one packet appended to `text`, the first time; then the end.
    fn whole(&mut self, text: &mut Vec<u8>, limit: u64) -> Step {
        if self.packets > 0 {
            return Step::End;
        }
        self.packets += 1;
        let start = text.len();
        let read = (&mut self.reader)
            .take(limit.saturating_add(1))
            .read_to_end(text);
        if let Err(error) = read {
            text.truncate(start);
            return Step::Other(self.unreadable(&error));
        }
        let size = (text.len() - start) as u64;
        let packet = if size > limit {
            text.truncate(start);
            let rest = std::io::copy(&mut self.reader, &mut std::io::sink()).unwrap_or(0);
            Err(TooLarge {
                limit,
                size: size + rest,
            })
        } else {
            Ok(start..text.len())
        };
        Step::Packet {
            line: None,
            text: packet,
        }
    }

    /// The next non-blank line as a packet appended to `text`; at the end, the end (after a
    /// note if there was no packet).
    fn next_line(&mut self, text: &mut Vec<u8>, limit: u64) -> Step {
        loop {
            let start = text.len();
            let line = match read_line(&mut self.reader, text, limit) {
                Ok(Line::End) if self.packets == 0 => {
                    self.packets += 1;
                    return Step::Other(Item::NoPacket {
                        source: self.source.clone(),
                    });
                }
                Ok(Line::End) => return Step::End,
                Ok(line) => line,
                Err(error) => {
                    text.truncate(start);
                    return Step::Other(self.unreadable(&error));
                }
            };
            self.line += 1;
            let packet = match line {
                Line::TooLarge(size) => Err(TooLarge { limit, size }),
                _ if text[start..].iter().all(u8::is_ascii_whitespace) => {
                    text.truncate(start);
                    continue;
                }
                _ => Ok(start..text.len()),
            };
            self.packets += 1;
            return Step::Packet {
                line: Some(self.line),
                text: packet,
            };
        }
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

/// Reads one line and appends it to `text` (without `\n` or `\r\n`), holding at most
/// `limit` bytes of it: a longer line is read through and reported by its size only.
fn read_line(reader: &mut impl BufRead, text: &mut Vec<u8>, limit: u64) -> std::io::Result<Line> {
    let start = text.len();
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
            text.truncate(start);
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
        text.truncate(start);
        return Ok(Line::TooLarge(size));
    }
    if text.len() > start && text.last() == Some(&b'\r') {
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
