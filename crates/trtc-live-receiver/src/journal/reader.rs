//! Reading a journal back: every line, in order, with its number and where it starts.

use std::fs::File;
use std::io::{BufRead, BufReader, Seek, SeekFrom};
use std::path::Path;

use super::{Record, RecordError};

/// The longest line a [`JournalReader`] holds by default: 64 MiB, far above any record
/// `trtc-live serve` writes (a 1 MiB body is at most about 6 MiB once escaped in JSON).
pub const DEFAULT_MAX_LINE_BYTES: u64 = 64 << 20;

/// Where a reader stands in a journal: the byte offset of the next line to read and its line
/// number. Save it to resume later ([`JournalReader::open_at`]): a forwarder that has handled
/// every record before a position stores it, and after a restart reads on from there.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Position {
    /// Bytes from the start of the journal.
    pub offset: u64,
    /// The number of the line that starts there, from 1.
    pub line: u64,
}

impl Position {
    /// The start of a journal: offset 0, line 1.
    pub const START: Self = Self { offset: 0, line: 1 };
}

/// Reads a journal line by line: an iterator of `(line_number, Result<Record, RecordError>)`,
/// line numbers from 1.
///
/// A line that is not a record is reported (`Err`) and reading goes on with the next one, so
/// one bad line never hides the others. A last line without a line break is reported as
/// [`RecordError::Torn`] (a record cut short by a crash, never acknowledged, or one still being
/// written) and is **not** passed: [`JournalReader::position`] stays at its start, so a reader
/// resumed there later reads it whole once its writer has finished it. A read error is
/// reported once and ends the iteration. A line longer than the limit
/// ([`JournalReader::max_line_bytes`]) is skipped without being held in memory.
///
/// Blank lines (a journal written by hand, or `\r\n` line ends) are skipped silently.
///
/// ```
/// use trtc_live_receiver::journal::{JournalReader, Record, RecordError};
///
/// let mut journal = Record::new(1, "127.0.0.1:1", "SdkAppid=1", b"{}").to_line();
/// journal.extend_from_slice(b"not a record\n");
/// journal.extend_from_slice(&Record::new(2, "127.0.0.1:2", "SdkAppid=1", b"[]").to_line());
/// journal.extend_from_slice(b"{\"received_at_ms\":3,\"rem"); // torn by a crash
///
/// let mut reader = JournalReader::new(journal.as_slice());
/// let lines: Vec<_> = reader.by_ref().collect();
/// assert!(matches!(&lines[0], (1, Ok(record)) if record.received_at_ms() == 1));
/// assert!(matches!(&lines[1], (2, Err(RecordError::NotARecord { .. }))));
/// assert!(matches!(&lines[2], (3, Ok(record)) if &*record.body_bytes() == b"[]"));
/// assert!(matches!(&lines[3], (4, Err(RecordError::Torn { length: 24 }))));
/// // The torn line is not passed: a reader resumed here reads it once it is complete.
/// assert_eq!(reader.position().line, 4);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct JournalReader<R> {
    input: R,
    position: Position,
    /// The offset not to read past, if any.
    end: Option<u64>,
    max_line_bytes: u64,
    line: Vec<u8>,
    done: bool,
}

impl JournalReader<BufReader<File>> {
    /// Opens the journal at `path` and reads it from the start.
    pub fn open(path: impl AsRef<Path>) -> std::io::Result<Self> {
        Self::open_at(path, Position::START)
    }

    /// Opens the journal at `path` and reads it from `position` (a position a reader gave
    /// before: [`JournalReader::position`]). The offset must be the start of a line of this
    /// journal; its line number is taken as given.
    pub fn open_at(path: impl AsRef<Path>, position: Position) -> std::io::Result<Self> {
        let mut file = File::open(path)?;
        file.seek(SeekFrom::Start(position.offset))?;
        Ok(Self::starting_at(BufReader::new(file), position))
    }
}

impl<R: BufRead> JournalReader<R> {
    /// Reads the journal `input` from its start.
    pub fn new(input: R) -> Self {
        Self::starting_at(input, Position::START)
    }

    /// Reads `input`, which starts at `position` of a journal (for line numbers and offsets).
    pub fn starting_at(input: R, position: Position) -> Self {
        Self {
            input,
            position,
            end: None,
            max_line_bytes: DEFAULT_MAX_LINE_BYTES,
            line: Vec::new(),
            done: false,
        }
    }

    /// The same reader with another limit on the length of a line (default
    /// [`DEFAULT_MAX_LINE_BYTES`]).
    pub fn max_line_bytes(mut self, limit: u64) -> Self {
        self.max_line_bytes = limit;
        self
    }

    /// The same reader, stopping at byte `end_offset` of the journal, as if the journal ended
    /// there: with [`super::Journal::durable_length`], a reader sees only records already on
    /// disk (acknowledged), never those of a batch still in flight. `end_offset` is the end of
    /// a line; a reader already past it reads nothing.
    pub fn until(mut self, end_offset: u64) -> Self {
        self.end = Some(end_offset);
        self
    }

    /// Where the next line starts: just after the last line break read. Every complete line
    /// before it has been given out; a torn last line has not been passed.
    pub fn position(&self) -> Position {
        self.position
    }

    /// Reads one line into `self.line`, up to the limit; returns its length in the input and
    /// whether it ended with a line break. `Ok(None)` at the end of the input.
    fn read_line(&mut self) -> std::io::Result<Option<(u64, bool)>> {
        self.line.clear();
        let mut length = 0u64;
        loop {
            let available = match self.input.fill_buf() {
                Ok(available) => available,
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(error),
            };
            let available = match self.end {
                Some(end) => {
                    let left = end.saturating_sub(self.position.offset + length);
                    &available[..available
                        .len()
                        .min(usize::try_from(left).unwrap_or(usize::MAX))]
                }
                None => available,
            };
            if available.is_empty() {
                return Ok((length > 0).then_some((length, false)));
            }
            let (chunk, ended) = match memchr::memchr(b'\n', available) {
                Some(at) => (&available[..=at], true),
                None => (available, false),
            };
            let taken = chunk.len();
            if length + (taken as u64) <= self.max_line_bytes.saturating_add(1) {
                self.line.extend_from_slice(chunk);
            } else {
                // Over the limit: counted, not kept.
                self.line.clear();
            }
            length += taken as u64;
            self.input.consume(taken);
            if ended {
                return Ok(Some((length, true)));
            }
        }
    }
}

impl<R: BufRead> Iterator for JournalReader<R> {
    type Item = (u64, Result<Record, RecordError>);

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.done {
                return None;
            }
            let number = self.position.line;
            let (length, ended) = match self.read_line() {
                Ok(Some(read)) => read,
                Ok(None) => {
                    self.done = true;
                    return None;
                }
                Err(error) => {
                    self.done = true;
                    return Some((number, Err(RecordError::Io(error))));
                }
            };
            if !ended {
                self.done = true;
                return Some((number, Err(RecordError::Torn { length })));
            }
            self.position = Position {
                offset: self.position.offset + length,
                line: number + 1,
            };
            let content = length - 1;
            if content > self.max_line_bytes {
                return Some((
                    number,
                    Err(RecordError::TooLong {
                        length: content,
                        limit: self.max_line_bytes,
                    }),
                ));
            }
            if self.line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            return Some((number, Record::from_line(&self.line)));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(i: u64) -> Record {
        Record::new(i, "r", "q", format!("{{\"n\": {i}}}").as_bytes())
    }

    fn journal(records: std::ops::Range<u64>) -> Vec<u8> {
        records.flat_map(|i| record(i).to_line()).collect()
    }

    #[test]
    fn positions_are_byte_offsets_of_line_starts() {
        let bytes = journal(1..4);
        let first_length = record(1).to_line().len() as u64;
        let mut reader = JournalReader::new(bytes.as_slice());
        assert_eq!(reader.position(), Position::START);
        let (number, first) = reader.next().unwrap();
        assert_eq!((number, first.unwrap()), (1, record(1)));
        assert_eq!(
            reader.position(),
            Position {
                offset: first_length,
                line: 2
            }
        );
        // Resumed from there, the rest and nothing else.
        let at = reader.position();
        let rest: Vec<_> =
            JournalReader::starting_at(&bytes[usize::try_from(at.offset).unwrap()..], at)
                .map(|(n, r)| (n, r.unwrap()))
                .collect();
        assert_eq!(rest, vec![(2, record(2)), (3, record(3))]);
    }

    #[test]
    fn a_line_over_the_limit_is_skipped_and_reading_goes_on() {
        let mut bytes = journal(1..2);
        bytes.extend_from_slice(&[b'x'; 100]);
        bytes.push(b'\n');
        bytes.extend_from_slice(&journal(2..3));
        let lines: Vec<_> = JournalReader::new(std::io::BufReader::with_capacity(8, &bytes[..]))
            .max_line_bytes(90)
            .collect();
        assert_eq!(lines.len(), 3);
        assert!(matches!(
            lines[1],
            (
                2,
                Err(RecordError::TooLong {
                    length: 100,
                    limit: 90
                })
            )
        ));
        assert!(matches!(&lines[2], (3, Ok(r)) if *r == record(2)));
    }

    #[test]
    fn blank_lines_are_skipped_and_crlf_accepted() {
        let mut bytes = b"\n\r\n".to_vec();
        let mut line = record(1).to_line();
        line.pop();
        bytes.extend_from_slice(&line);
        bytes.extend_from_slice(b"\r\n");
        let lines: Vec<_> = JournalReader::new(bytes.as_slice()).collect();
        assert_eq!(lines.len(), 1);
        assert!(matches!(&lines[0], (3, Ok(r)) if *r == record(1)));
    }

    #[test]
    fn a_reader_until_an_offset_stops_there() {
        let bytes = journal(1..4);
        let two = (record(1).to_line().len() + record(2).to_line().len()) as u64;
        let mut reader = JournalReader::new(bytes.as_slice()).until(two);
        let read: Vec<_> = reader.by_ref().map(|(n, r)| (n, r.unwrap())).collect();
        assert_eq!(read, vec![(1, record(1)), (2, record(2))]);
        assert_eq!(reader.position().offset, two);
    }

    #[test]
    fn a_complete_record_without_its_line_break_is_torn() {
        let mut bytes = journal(1..2);
        bytes.pop();
        let lines: Vec<_> = JournalReader::new(bytes.as_slice()).collect();
        assert!(matches!(lines[..], [(1, Err(RecordError::Torn { .. }))]));
    }
}
