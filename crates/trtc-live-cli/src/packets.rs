//! Reading inputs as a stream of packets: a whole file is one packet, an NDJSON input one per
//! line. The packets come in windows whose texts share one buffer, so that reading a packet
//! costs no allocation of its own. Memory stays bounded by the window and packet size limits,
//! whatever the size of the input.

use std::fs::File;
use std::io::{BufReader, Cursor, Read};
use std::ops::Range;
use std::sync::Arc;

use trtc_live_receiver::journal::{JournalReader, Record, RecordError};

use crate::compressed::{decompressed, Stream};
use crate::discover::{describe, Framing, Input};
use crate::pipeline;
use crate::stdin_pipe;

/// Bytes of packet text after which a window ends, where a read ends (a packet larger than
/// that still makes a window of its own).
const WINDOW_BYTES: usize = 512 << 10;
/// Most items in one window (of small packets).
const WINDOW_ITEMS: usize = 8192;

/// Consecutive items of the stream, the texts of their packets in one buffer.
pub struct Window {
    /// The texts of the packets, one after the other.
    text: Text,
    /// The inputs the packets come from.
    sources: Vec<Arc<str>>,
    /// The items, in input order.
    items: Vec<Item>,
}

impl Window {
    /// An empty window, with room for the text of a full one (the start of a line carried
    /// over, the window's bytes, the read that passes them): its buffer is not regrown (and
    /// doubled) as it fills, unless a line is longer than a read.
    fn new() -> Self {
        Self {
            text: Text::with_capacity(WINDOW_BYTES + 2 * READ_CHUNK),
            sources: Vec::new(),
            items: Vec::new(),
        }
    }

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

    /// What the journal record of `packet` says besides its body, when it comes from one.
    pub fn delivery(&self, packet: &Packet) -> Option<Delivery<'_>> {
        let fields = packet.record.as_ref()?;
        Some(Delivery {
            query: std::str::from_utf8(&self.text[fields.query.clone()]).unwrap_or_default(),
            received_at_ms: fields.received_at_ms,
        })
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

    /// Whether the window has bytes or items enough (a packet larger than a window's bytes
    /// still makes a window of its own).
    fn is_full(&self) -> bool {
        !self.items.is_empty() && (self.has_items_enough() || self.text.len() >= WINDOW_BYTES)
    }

    fn has_items_enough(&self) -> bool {
        self.items.len() >= WINDOW_ITEMS
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

/// The bytes of a window: a buffer that stays as long as it grew, from one use of the window to
/// the next, so that bytes are read straight into it without zeroing its room first.
struct Text {
    /// The buffer; only its first `len` bytes are the window's.
    buffer: Vec<u8>,
    len: usize,
}

impl Text {
    fn with_capacity(capacity: usize) -> Self {
        Self {
            buffer: Vec::with_capacity(capacity),
            len: 0,
        }
    }

    fn clear(&mut self) {
        self.len = 0;
    }

    fn truncate(&mut self, len: usize) {
        self.len = self.len.min(len);
    }

    fn extend_from_slice(&mut self, bytes: &[u8]) {
        let start = self.len;
        self.room(bytes.len()).copy_from_slice(bytes);
        self.len = start + bytes.len();
    }

    /// The `size` bytes after the text, to read into; [`Self::filled`] then says how many were.
    fn room(&mut self, size: usize) -> &mut [u8] {
        let end = self.len + size;
        if self.buffer.len() < end {
            self.buffer.resize(end, 0);
        }
        &mut self.buffer[self.len..end]
    }

    /// Adds to the text the first `size` bytes of its [`Self::room`].
    fn filled(&mut self, size: usize) {
        self.len += size;
        debug_assert!(self.len <= self.buffer.len());
    }

    /// Reads `input` to its end onto the text, a chunk at a time.
    fn read_to_end(&mut self, input: &mut impl Read) -> std::io::Result<()> {
        loop {
            match input.read(self.room(READ_CHUNK)) {
                Ok(0) => return Ok(()),
                Ok(read) => self.filled(read),
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) => return Err(error),
            }
        }
    }
}

impl std::ops::Deref for Text {
    type Target = [u8];

    fn deref(&self) -> &[u8] {
        &self.buffer[..self.len]
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
    /// A line of a journal that is not a record (a record cut short by a crash, say).
    BadRecord {
        /// The input's name.
        source: Arc<str>,
        /// The line, from 1.
        line: usize,
        /// Why it is not a record.
        message: String,
        /// Whether it is a line over the reader's limit (else it is not a record).
        too_long: bool,
    },
}

/// What a journal record says of a delivery besides its body.
#[derive(Clone, Copy, Debug)]
pub struct Delivery<'w> {
    /// The query string of the request, as received.
    pub query: &'w str,
    /// When it was received, in Unix milliseconds.
    pub received_at_ms: u64,
}

/// Where the fields of a journal record are kept.
struct RecordFields {
    /// The query string, in the window's text.
    query: Range<usize>,
    received_at_ms: u64,
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
    /// For the body of a journal record, the record's other fields.
    record: Option<RecordFields>,
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
            Item::Unreadable { .. } | Item::NoPacket { .. } | Item::BadRecord { .. } => 0,
        }
    }
}

/// Where the windows of `inputs` are best read: regular files between windows, on the calling
/// thread; standard input alone there too, but only when it has bytes ready (where the system
/// tells); anything else (several inputs with standard input or a pipe among them) may make
/// reads wait, and is read on a thread of its own so that what was read is reported meanwhile.
pub fn reading_for(inputs: &[Input]) -> pipeline::Reading {
    if inputs.iter().all(Input::is_regular_file) {
        return pipeline::Reading::Inline;
    }
    match (inputs, stdin_pipe::stdin_readiness()) {
        ([only], Some(ready)) if only.path.is_none() => pipeline::Reading::InlineWhenReady(ready),
        _ => pipeline::Reading::OnItsOwnThread,
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
    input: Stream,
    framing: Framing,
    comments: bool,
    is_stdin: bool,
    /// Whether the input is standard input read as it comes (not decompressed): whether its
    /// next read would wait can then be asked of the system.
    stdin_as_is: bool,
    /// Lines ended so far (NDJSON).
    line: usize,
    packets: usize,
    /// The start of a line, read but not yet ended, kept from one window to the next (or the
    /// start of the input, read to see whether it is NDJSON).
    carry: Vec<u8>,
    /// The size so far of a line over the limit, being read through without being kept.
    skipping: Option<u64>,
    /// An error met by a read that had read bytes before it: reported once they are used.
    pending_error: Option<std::io::Error>,
    /// Whether the framing is known: an input that may be NDJSON or a journal is read until
    /// its first line first.
    settled: bool,
    /// The records of a journal, when the input is one.
    records: Option<JournalReader<BufReader<Stream>>>,
}

/// Bytes asked of an NDJSON input at a time, straight into the window's buffer.
const READ_CHUNK: usize = 128 << 10;
/// Most bytes read at the start of an input to see whether it is plainly NDJSON (or, up to the
/// packet size limit if larger, a journal): an input whose first line is longer is one packet.
const DETECT_BYTES: usize = 1 << 20;

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
        let mut window = reuse.unwrap_or_else(Window::new);
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
            if !reading.settled {
                if let Err(error) = reading.settle(self.limit) {
                    let item = reading.unreadable(&error);
                    window.items.push(item);
                    self.current = None;
                }
                continue;
            }
            let ended = match reading.framing {
                _ if reading.records.is_some() => reading.read_records(&mut window, self.limit),
                Framing::PerLine | Framing::Detect => reading.read_lines(&mut window, self.limit),
                Framing::Whole => {
                    reading.read_whole(&mut window, self.limit);
                    true
                }
            };
            if !ended {
                // The window is full, or standard input has nothing more ready.
                break;
            }
            self.current = None;
        }
        (!window.items.is_empty()).then_some(window)
    }

    /// Opens `input`, decompressed if it is a gzip or zstd stream.
    fn open(input: Input) -> Result<Reading, Item> {
        let source: Arc<str> = input.name.as_str().into();
        let opened = match &input.path {
            None => {
                stdin_pipe::enlarge_stdin_buffer();
                Ok(Box::new(std::io::stdin()) as Stream)
            }
            Some(path) => File::open(path).map(|file| Box::new(file) as Stream),
        };
        match opened.and_then(decompressed) {
            Ok((read, compression)) => {
                let mut reading = Reading::new(source, read, &input);
                reading.stdin_as_is = reading.is_stdin && compression.is_none();
                Ok(reading)
            }
            Err(error) => Err(Item::Unreadable {
                source,
                message: format!("cannot read: {}", describe(&error)),
            }),
        }
    }
}

impl Reading {
    fn new(source: Arc<str>, input: Stream, options: &Input) -> Self {
        Self {
            source,
            input,
            framing: options.framing,
            comments: options.comments,
            is_stdin: options.path.is_none(),
            stdin_as_is: false,
            line: 0,
            packets: 0,
            carry: Vec::new(),
            skipping: None,
            pending_error: None,
            settled: options.framing == Framing::Whole || options.comments,
            records: None,
        }
    }

    /// Reads the start of the input (into `carry`) until its framing is plain, and settles it:
    /// a journal when its first line (blank lines aside) is a journal record; else, for an
    /// input that may be NDJSON, one packet per line when that line is a whole JSON object and
    /// more follows, one packet otherwise.
    fn settle(&mut self, limit: u64) -> std::io::Result<()> {
        let most = DETECT_BYTES.max(usize::try_from(limit).unwrap_or(usize::MAX));
        loop {
            let at_end = match self.read_start() {
                Ok(read) => read == 0,
                Err(error) => {
                    self.settled = true;
                    self.framing = Framing::Whole;
                    return Err(error);
                }
            };
            let complete = at_end || self.carry.len() >= most;
            let first_line = first_line(&self.carry);
            if first_line.is_some_and(|line| Record::from_line(line).is_ok()) {
                self.read_as_journal(limit);
                return Ok(());
            }
            let settled = match self.framing {
                Framing::Detect => match plainly_ndjson(&self.carry, complete) {
                    Some(ndjson) => {
                        self.framing = if ndjson {
                            Framing::PerLine
                        } else {
                            Framing::Whole
                        };
                        true
                    }
                    None => false,
                },
                Framing::PerLine | Framing::Whole => first_line.is_some() || complete,
            };
            if settled {
                self.settled = true;
                return Ok(());
            }
        }
    }

    /// Reads the rest of the input (after what `carry` holds) as a journal.
    fn read_as_journal(&mut self, limit: u64) {
        let start = std::mem::take(&mut self.carry);
        let rest = std::mem::replace(&mut self.input, Box::new(std::io::empty()));
        let stream: Stream = Box::new(Cursor::new(start).chain(rest));
        // A body of `limit` bytes, escaped in JSON, with the record's other members.
        let longest_line = limit.saturating_mul(6).saturating_add(64 << 10);
        let reader = JournalReader::new(BufReader::with_capacity(READ_CHUNK, stream))
            .max_line_bytes(longest_line);
        self.records = Some(reader);
        self.framing = Framing::PerLine;
        self.settled = true;
    }

    /// Reads records of a journal into `window`, their bodies as packets with the line of their
    /// record, until the window is full or the journal ends (then `true`). A line that is not a
    /// record is reported, and reading goes on.
    fn read_records(&mut self, window: &mut Window, limit: u64) -> bool {
        let Some(records) = self.records.as_mut() else {
            return true;
        };
        while !window.is_full() {
            let Some((number, read)) = records.next() else {
                if self.packets == 0 {
                    self.packets += 1;
                    window.items.push(Item::NoPacket {
                        source: self.source.clone(),
                    });
                }
                return true;
            };
            let line = usize::try_from(number).unwrap_or(usize::MAX);
            let record = match read {
                Ok(record) => record,
                Err(RecordError::Io(error)) => {
                    self.line = line.saturating_sub(1);
                    let item = self.unreadable(&error);
                    window.items.push(item);
                    return true;
                }
                Err(error) => {
                    self.packets += 1;
                    window.items.push(Item::BadRecord {
                        source: self.source.clone(),
                        line,
                        too_long: matches!(error, RecordError::TooLong { .. }),
                        message: error.to_string(),
                    });
                    continue;
                }
            };
            self.line = line;
            self.packets += 1;
            let body = record.body_bytes();
            let text = if body.len() as u64 > limit {
                Err(TooLarge {
                    limit,
                    size: body.len() as u64,
                })
            } else {
                let start = window.text.len();
                window.text.extend_from_slice(&body);
                Ok(start..window.text.len())
            };
            let query_start = window.text.len();
            window.text.extend_from_slice(record.query().as_bytes());
            let fields = RecordFields {
                query: query_start..window.text.len(),
                received_at_ms: record.received_at_ms(),
            };
            let packet = Packet {
                source: window.source_index(&self.source),
                line: Some(line),
                comments: false,
                text,
                record: Some(fields),
            };
            window.items.push(Item::Packet(packet));
        }
        false
    }

    /// Reads what one read gives onto `carry`; 0 at the end of the input. The first read is
    /// small: most inputs read this way are one small packet each.
    fn read_start(&mut self) -> std::io::Result<usize> {
        let start = self.carry.len();
        let chunk = if start == 0 { 16 << 10 } else { READ_CHUNK };
        self.carry.resize(start + chunk, 0);
        let read = loop {
            match self.input.read(&mut self.carry[start..]) {
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                other => break other,
            }
        };
        self.carry.truncate(start + *read.as_ref().unwrap_or(&0));
        read
    }

    /// The whole input as one packet in `window` (its start may have been read into `carry`).
    fn read_whole(&mut self, window: &mut Window, limit: u64) {
        let start = window.text.len();
        let budget = limit.saturating_add(1);
        let carried = self
            .carry
            .len()
            .min(usize::try_from(budget).unwrap_or(usize::MAX));
        window.text.extend_from_slice(&self.carry[..carried]);
        let beyond = (self.carry.len() - carried) as u64;
        self.carry.clear();
        let read = window
            .text
            .read_to_end(&mut (&mut self.input).take(budget - carried as u64));
        if let Err(error) = read {
            window.text.truncate(start);
            let item = self.unreadable(&error);
            window.items.push(item);
            return;
        }
        let size = (window.text.len() - start) as u64 + beyond;
        let text = if size > limit {
            window.text.truncate(start);
            let rest = std::io::copy(&mut self.input, &mut std::io::sink()).unwrap_or(0);
            Err(TooLarge {
                limit,
                size: size + rest,
            })
        } else {
            Ok(start..window.text.len())
        };
        self.packets += 1;
        self.push_packet(window, None, text);
    }

    /// Reads lines into `window`, one packet per non-blank line, until the window is full,
    /// the input ends (then `true`), or standard input has nothing more ready. The bytes go
    /// straight into the window's buffer, where the packets stay; the start of a line cut by
    /// the end of the window (or what a window with items enough had no room for) is carried
    /// over to the next.
    fn read_lines(&mut self, window: &mut Window, limit: u64) -> bool {
        let mut line_start = window.text.len();
        window.text.extend_from_slice(&self.carry);
        self.carry.clear();
        let packets_before = self.packets;
        let mut scan = line_start;
        // Whether the last read filled its chunk: more is likely ready.
        let mut chunk_filled = false;
        loop {
            while let Some(offset) = memchr::memchr(b'\n', &window.text[scan..]) {
                let end = scan + offset;
                self.end_line(window, line_start..end, limit);
                line_start = end + 1;
                scan = line_start;
                // Only the count of items cuts a read short: what was read is kept whole.
                if window.has_items_enough() {
                    break;
                }
            }
            if window.is_full() {
                break;
            }
            // What follows the last line break starts a line: past the limit, it is only
            // measured from now on.
            let started = (window.text.len() - line_start) as u64;
            if self.skipping.is_some() || started > limit {
                *self.skipping.get_or_insert(0) += started;
                window.text.truncate(line_start);
            }
            // Standard input ends the window where it pauses: after a read cut short, unless
            // more is ready at once (a pipe a writer keeps full cuts every read at its size).
            if self.is_stdin && !chunk_filled && self.packets > packets_before && !self.more_ready()
            {
                break;
            }
            scan = window.text.len();
            let read = match self.read_chunk(&mut window.text) {
                Ok(read) => read,
                Err(error) => {
                    window.text.truncate(line_start);
                    let item = self.unreadable(&error);
                    window.items.push(item);
                    return true;
                }
            };
            if read == 0 {
                if line_start < window.text.len() || self.skipping.is_some() {
                    let end = window.text.len();
                    self.end_line(window, line_start..end, limit);
                }
                if self.packets == 0 {
                    self.packets += 1;
                    window.items.push(Item::NoPacket {
                        source: self.source.clone(),
                    });
                }
                return true;
            }
            chunk_filled = read == READ_CHUNK;
        }
        self.carry.extend_from_slice(&window.text[line_start..]);
        window.text.truncate(line_start);
        false
    }

    /// Whether standard input, read as it comes, has more bytes ready at once.
    fn more_ready(&self) -> bool {
        self.stdin_as_is && stdin_pipe::stdin_readiness().is_some_and(|ready| ready())
    }

    /// Up to [`READ_CHUNK`] bytes appended to `text`: for standard input, what one read gives
    /// (what is ready), for a file, the chunk in full unless the file ends. The bytes are read
    /// straight into `text`, a chunk a system call (`read_to_end` would ask for a few kilobytes
    /// at a time).
    /// A read that fails after some bytes gives those bytes, and the error at the next call (the
    /// lines before a corrupt part of an archive are checked).
    fn read_chunk(&mut self, text: &mut Text) -> std::io::Result<usize> {
        if let Some(error) = self.pending_error.take() {
            return Err(error);
        }
        let mut filled = 0;
        let read = loop {
            match self.input.read(&mut text.room(READ_CHUNK)[filled..]) {
                Ok(0) => break Ok(filled),
                Ok(read) => {
                    filled += read;
                    if self.is_stdin || filled == READ_CHUNK {
                        break Ok(filled);
                    }
                }
                Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                Err(error) if filled > 0 => {
                    self.pending_error = Some(error);
                    break Ok(filled);
                }
                Err(error) => break Err(error),
            }
        };
        text.filled(filled);
        read
    }

    /// Ends the line at `range` of the window's text (its line break excluded): a packet,
    /// unless it is blank.
    fn end_line(&mut self, window: &mut Window, range: Range<usize>, limit: u64) {
        self.line += 1;
        let size = self.skipping.take().unwrap_or(0) + range.len() as u64;
        let text = if size > limit {
            Err(TooLarge { limit, size })
        } else {
            let mut range = range;
            if window.text[range.clone()].last() == Some(&b'\r') {
                range.end -= 1;
            }
            if window.text[range.clone()]
                .iter()
                .all(u8::is_ascii_whitespace)
            {
                return;
            }
            Ok(range)
        };
        self.packets += 1;
        self.push_packet(window, Some(self.line), text);
    }

    fn push_packet(
        &self,
        window: &mut Window,
        line: Option<usize>,
        text: Result<Range<usize>, TooLarge>,
    ) {
        let packet = Packet {
            source: window.source_index(&self.source),
            line,
            comments: self.comments,
            text,
            record: None,
        };
        window.items.push(Item::Packet(packet));
    }

    fn unreadable(&mut self, error: &std::io::Error) -> Item {
        let at = if self.framing == Framing::PerLine && self.line > 0 {
            format!(" after line {}", self.line)
        } else {
            String::new()
        };
        // Nothing more is read from an input that failed.
        self.packets = usize::MAX;
        self.framing = Framing::Whole;
        Item::Unreadable {
            source: self.source.clone(),
            message: format!("cannot read{at}: {}", describe(error)),
        }
    }
}

/// The first line of `start` that is not blank, if it has ended (without its line break).
fn first_line(start: &[u8]) -> Option<&[u8]> {
    let first = start.iter().position(|b| !b.is_ascii_whitespace())?;
    let length = memchr::memchr(b'\n', &start[first..])?;
    Some(&start[first..first + length])
}

/// Whether `start`, the start of an input, is plainly NDJSON: its first line that is not blank
/// is a whole JSON object, and something that is not blank follows it. `None` while more bytes
/// are needed to tell (`complete`: there are no more).
fn plainly_ndjson(start: &[u8], complete: bool) -> Option<bool> {
    let first = start.iter().position(|b| !b.is_ascii_whitespace());
    let Some(first) = first else {
        return complete.then_some(false);
    };
    let Some(length) = memchr::memchr(b'\n', &start[first..]) else {
        return complete.then_some(false);
    };
    let line = &start[first..first + length];
    if line.first() != Some(&b'{') || serde_json::from_slice::<serde::de::IgnoredAny>(line).is_err()
    {
        return Some(false);
    }
    let more = start[first + length..]
        .iter()
        .any(|b| !b.is_ascii_whitespace());
    if more {
        Some(true)
    } else {
        complete.then_some(false)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that gives at most `step` bytes a read.
    struct Trickle<'a> {
        bytes: &'a [u8],
        step: usize,
    }

    impl Read for Trickle<'_> {
        fn read(&mut self, buffer: &mut [u8]) -> std::io::Result<usize> {
            let n = self.step.min(buffer.len()).min(self.bytes.len());
            buffer[..n].copy_from_slice(&self.bytes[..n]);
            self.bytes = &self.bytes[n..];
            Ok(n)
        }
    }

    /// Every item read from `input` (standard input when `stdin`, read `step` bytes at a time),
    /// as (line, text or size over the limit), window by window.
    fn read_all(input: &'static [u8], step: usize, stdin: bool, limit: u64) -> Vec<Vec<String>> {
        read_all_framed(input, step, stdin, limit, Framing::PerLine)
    }

    /// [`read_all`], the input cut as `framing` says.
    fn read_all_framed(
        input: &'static [u8],
        step: usize,
        stdin: bool,
        limit: u64,
        framing: Framing,
    ) -> Vec<Vec<String>> {
        let options = Input {
            name: "input".into(),
            path: (!stdin).then(|| "input".into()),
            framing,
            comments: false,
            size: None,
        };
        let reader = Box::new(Trickle { bytes: input, step });
        let mut packets = Packets::new(Vec::new(), limit);
        packets.current = Some(Reading::new("input".into(), reader, &options));
        let mut windows = Vec::new();
        while let Some(window) = packets.next_window(None) {
            let items = window
                .items()
                .iter()
                .map(|item| match item {
                    Item::Packet(packet) => {
                        let line = packet.line.map_or("whole".to_owned(), |l| l.to_string());
                        match window.text(packet) {
                            Ok(text) => format!("{line}:{}", String::from_utf8_lossy(text)),
                            Err(too_large) => format!("{line}:{} bytes", too_large.size),
                        }
                    }
                    Item::NoPacket { .. } => "no packet".to_owned(),
                    Item::Unreadable { message, .. } => message.clone(),
                    Item::BadRecord { line, message, .. } => format!("{line}! {message}"),
                })
                .collect();
            windows.push(items);
        }
        windows
    }

    #[test]
    fn lines_are_packets_without_their_line_breaks_and_blank_lines_are_counted() {
        for step in [1, 3, 1 << 20] {
            let got = read_all(b"{\"a\":1}\r\n\n  \n{\"b\":22}", step, false, 100);
            assert_eq!(
                got,
                vec![vec!["1:{\"a\":1}", "4:{\"b\":22}"]],
                "step {step}"
            );
        }
    }

    #[test]
    fn a_line_over_the_limit_is_measured_not_kept() {
        for step in [1, 4, 1 << 20] {
            let got = read_all(b"12345678\n123\n1234567890123", step, false, 5);
            assert_eq!(
                got,
                vec![vec!["1:8 bytes", "2:123", "3:13 bytes"]],
                "step {step}"
            );
        }
    }

    #[test]
    fn an_input_is_read_per_line_when_it_is_plainly_ndjson() {
        for step in [1, 5, 1 << 20] {
            for stdin in [false, true] {
                let read = |input| {
                    let windows = read_all_framed(input, step, stdin, 100, Framing::Detect);
                    windows.into_iter().flatten().collect::<Vec<_>>()
                };
                assert_eq!(
                    read(b"{\"a\":1}\n{\"b\":2}\n"),
                    ["1:{\"a\":1}", "2:{\"b\":2}"]
                );
                assert_eq!(read(b"\r\n{\"a\":1}\r\n[]"), ["2:{\"a\":1}", "3:[]"]);
                // One object, however it is laid out, is one packet.
                assert_eq!(read(b"{\"a\":1}\n\n "), ["whole:{\"a\":1}\n\n "]);
                assert_eq!(read(b"{\n\"a\":1}\n"), ["whole:{\n\"a\":1}\n"]);
                // Not plainly NDJSON: the first line is not a whole object.
                assert_eq!(read(b"[1]\n[2]"), ["whole:[1]\n[2]"]);
                assert_eq!(read(b"{} {}\n{}"), ["whole:{} {}\n{}"]);
                assert_eq!(read(b""), ["whole:"]);
            }
        }
    }

    #[test]
    fn a_journal_is_read_as_the_bodies_of_its_records_whatever_the_framing() {
        let record = |body: &str| {
            let line = Record::new(1, "127.0.0.1:1", "SdkAppid=1", body.as_bytes()).to_line();
            String::from_utf8(line).unwrap()
        };
        let journal: &'static str = Box::leak(
            format!(
                "\n{}not a record\n{}{}",
                record("{\"a\":1}"),
                record("[\n2]"),
                &record("{}")[..5]
            )
            .into_boxed_str(),
        );
        for framing in [Framing::PerLine, Framing::Detect] {
            for step in [3, 1 << 20] {
                let got = read_all_framed(journal.as_bytes(), step, false, 100, framing);
                let got: Vec<String> = got.into_iter().flatten().collect();
                assert_eq!(
                    got,
                    [
                        "2:{\"a\":1}",
                        "3! not a journal record: expected ident at line 1 column 2",
                        "4:[\n2]",
                        "5! a torn record: the journal ends with 5 bytes and no line break",
                    ],
                    "{framing:?} {step}"
                );
            }
        }
    }

    #[test]
    fn a_whole_packet_over_the_limit_is_measured_after_detection_too() {
        let got = read_all_framed(b"{\n\"a\": \"123456789\"}", 3, false, 5, Framing::Detect);
        assert_eq!(got, vec![vec!["whole:19 bytes"]]);
    }

    #[test]
    fn an_input_of_blank_lines_has_no_packet() {
        assert_eq!(read_all(b"\n \n", 1, false, 5), vec![vec!["no packet"]]);
        assert_eq!(read_all(b"", 1, false, 5), vec![vec!["no packet"]]);
    }

    #[test]
    fn standard_input_is_reported_as_it_comes() {
        // Each read gives one line: each line makes a window of its own.
        let got = read_all(b"{}\n[]\n", 3, true, 5);
        assert_eq!(got, vec![vec!["1:{}"], vec!["2:[]"]]);
    }

    #[test]
    fn a_line_longer_than_a_window_makes_a_window_of_its_own() {
        let line = "x".repeat(WINDOW_BYTES + 10);
        let input: &'static [u8] =
            Box::leak(format!("1\n{line}\n2\n").into_bytes().into_boxed_slice());
        let windows = read_all(input, 1 << 20, false, 2 * WINDOW_BYTES as u64);
        let lines: Vec<String> = windows.into_iter().flatten().collect();
        assert_eq!(
            lines,
            vec!["1:1".to_owned(), format!("2:{line}"), "3:2".to_owned()]
        );
    }

    #[test]
    fn a_line_cut_by_the_end_of_a_window_is_carried_to_the_next() {
        // Small packets fill windows by their count, larger ones by their bytes.
        for (lines, padding) in [(WINDOW_ITEMS + 10, 0), (3 * WINDOW_BYTES / 200, 190)] {
            let pad = "x".repeat(padding);
            let line = |i: usize| format!("{{\"n\":{i},\"p\":\"{pad}\"}}");
            let input: &'static [u8] = Box::leak(
                (0..lines)
                    .map(|i| line(i) + "\n")
                    .collect::<String>()
                    .into_bytes()
                    .into_boxed_slice(),
            );
            let windows = read_all(input, 7, false, 1000);
            assert!(windows.len() >= 2);
            let got: Vec<String> = windows.into_iter().flatten().collect();
            let expected: Vec<String> = (0..lines)
                .map(|i| format!("{}:{}", i + 1, line(i)))
                .collect();
            assert_eq!(got, expected);
        }
    }
}
