//! The durable journal of deliveries (feature `journal`): an append-only file of [`Record`]s,
//! one JSON record per line, each on disk (fsync) before its caller is told that it is
//! appended, so that a delivery that was answered is never lost; and its reader,
//! [`JournalReader`].
//!
//! `trtc-live serve` keeps two journals in a directory ([`Journals`]): `accepted.ndjson`, every
//! accepted delivery, and `quarantine.ndjson`, every authenticated request whose packet was not
//! valid, with the reason. An axum app gets the same with `WebhookEndpoint::journals` (with the
//! `axum` feature too).
//!
//! # Reading, and resuming
//!
//! [`JournalReader`] gives every line with its number, and [`JournalReader::position`] the byte
//! offset where the next line starts. A consumer that must not miss or repeat records across
//! restarts (a forwarder) handles records in order, saves the position after each one it has
//! finished with (durably, in a file of its own), and after a restart reopens the journal there
//! ([`JournalReader::open_at`]). A journal only grows (torn-record repair only cuts bytes after
//! the last line break, which no position ever passes), so a saved position stays the start of
//! a line; reaching the end is not final, as a reader opened again later reads what was
//! appended since.
//!
//! ```
//! use trtc_live_receiver::journal::{Journal, JournalReader, Record};
//!
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("accepted.ndjson");
//! let journal = Journal::open(&path)?;
//! let record = Record::new(1764135600123, "127.0.0.1:50412", "SdkAppid=1400000000", b"{}");
//! // In async code: `journal.append(&record).await?`; resolves once the record is on disk.
//! journal.append_blocking(&record)?;
//! drop(journal);
//!
//! let read: Vec<Record> = JournalReader::open(&path)?
//!     .map(|(_line, record)| record)
//!     .collect::<Result<_, _>>()?;
//! assert_eq!(read, vec![record]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Group commit
//!
//! Appends are handed to one writer thread. The writer takes every record waiting for it, writes
//! them with one `write` and makes them durable with one `sync_data`, then wakes each of their
//! callers; while it waits for the disk, the next records queue up and become the next batch.
//! Alone, a record gets its own fsync; under concurrency, one fsync covers many records. No
//! caller is woken before the fsync that covers its record has succeeded.
//!
//! # Failures
//!
//! A failed write or fsync fails every record of its batch: none of them is acknowledged. After
//! a failed write, the file is cut back to where the batch began and the journal goes on (if
//! the cut fails too, it refuses every later append). After a failed fsync, what the disk holds
//! is unknown (Linux may drop the pages it could not write and report success later), so the
//! journal refuses every later append until the server is restarted. A record of a failed batch
//! may still be found in the file afterwards: it was refused, so its sender delivers it again,
//! and a reader may see it twice (at least once, never lost).
//!
//! # Torn records
//!
//! A crash during a write can leave the file ending in part of a record: bytes after the last
//! line break. That record was never acknowledged (a batch is acknowledged only after all of it,
//! line breaks included, is written and fsynced), so nothing acknowledged is ever after the last
//! line break. [`JournalReader`] reports such a line as [`RecordError::Torn`] and does not pass
//! it. Opening the journal again finds it
//! ([`Journal::open`]): its bytes are appended, as one line, to a side file named after the
//! journal with `.torn` added (`accepted.ndjson.torn`) and made durable there, then the journal
//! is cut back to its last line break, durably. The journal is thus made of complete records
//! only again (every line parses, `jq` reads it), the next record starts a line of its own, and
//! the torn bytes stay available to whoever wants to look at them. [`Journal::torn_tail`] tells
//! where the cut was, for the server to log. A crash during this recovery is harmless: the side
//! file is written first, so the next opening finds the same torn bytes and does it again (the
//! side file may then hold them twice).

mod reader;
mod record;
mod torn;

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{mpsc, Arc};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{oneshot, watch};

pub use reader::{JournalReader, Position, DEFAULT_MAX_LINE_BYTES};
pub use record::{Record, RecordError};
pub use torn::TornTail;

use torn::cut_torn_tail;
pub(crate) use torn::sync_directory;

/// Most bytes the writer puts in one batch; a longer queue waits for the next one.
const MAX_BATCH_BYTES: usize = 4 << 20;

/// What the journal did so far, counted as it went (no clock involved, except `sync_time`,
/// which only adds up how long the fsyncs took).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct JournalStats {
    /// Records handed to the writer.
    pub submitted: u64,
    /// Records written and made durable (acknowledged).
    pub durable: u64,
    /// Records refused because their batch failed.
    pub failed: u64,
    /// Batches: one write and one fsync each.
    pub batches: u64,
    /// Records of the largest batch.
    pub largest_batch: u64,
    /// Time spent in fsync (`sync_data`), all batches together.
    pub sync_time: Duration,
}

impl JournalStats {
    /// Durable records per batch (per fsync), on average; 0 before the first batch.
    pub fn records_per_sync(&self) -> f64 {
        if self.batches == 0 {
            0.0
        } else {
            self.durable as f64 / self.batches as f64
        }
    }

    /// Mean time of one fsync; zero before the first batch.
    pub fn mean_sync_time(&self) -> Duration {
        u32::try_from(self.batches)
            .ok()
            .filter(|&batches| batches > 0)
            .map_or(Duration::ZERO, |batches| self.sync_time / batches)
    }
}

/// What is on disk for sure, as a reader of a live journal follows it
/// ([`Journal::watch_durable`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Durable {
    /// Bytes of the file on disk for sure ([`Journal::durable_length`]): always the end of a
    /// line.
    pub length: u64,
    /// Records made durable since the journal was opened ([`JournalStats::durable`]).
    pub records: u64,
}

/// The counters behind [`JournalStats`], shared by the callers and the writer.
#[derive(Default)]
struct Counters {
    submitted: AtomicU64,
    durable: AtomicU64,
    failed: AtomicU64,
    batches: AtomicU64,
    largest_batch: AtomicU64,
    sync_nanos: AtomicU64,
    /// Bytes of the file known to be on disk: up to the end of the last batch fsynced.
    durable_length: AtomicU64,
    /// Told of every batch ([`Journal::observe_batches`]).
    observer: std::sync::OnceLock<BatchObserver>,
}

/// A function told of every batch.
type BatchObserver = Box<dyn Fn(&Batch) + Send + Sync>;

/// One batch of the writer: one write and one fsync ([`Journal::observe_batches`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Batch {
    /// Records in the batch.
    pub records: u64,
    /// Bytes written.
    pub bytes: u64,
    /// How long its fsync took (zero when the write failed before it).
    pub sync_time: Duration,
    /// Whether it was made durable (its callers were told it was appended).
    pub durable: bool,
}

/// What the writer writes to: a file, or in tests a file whose failures are chosen.
trait Storage: Send + 'static {
    /// Appends all of `bytes`.
    fn append_all(&mut self, bytes: &[u8]) -> std::io::Result<()>;
    /// Makes what was written durable.
    fn sync(&mut self) -> std::io::Result<()>;
    /// Cuts the file back to `length` bytes.
    fn truncate(&mut self, length: u64) -> std::io::Result<()>;
}

impl Storage for File {
    fn append_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
        Write::write_all(self, bytes)
    }

    fn sync(&mut self) -> std::io::Result<()> {
        self.sync_data()
    }

    fn truncate(&mut self, length: u64) -> std::io::Result<()> {
        self.set_len(length)
    }
}

/// One record waiting for the writer: its line, and whom to tell how it went.
struct Pending {
    line: Vec<u8>,
    done: oneshot::Sender<std::io::Result<()>>,
}

/// An append-only file of records, written by its own thread with group commit (see the
/// [module documentation](self)). Share it (`Arc<Journal>`, or inside [`Journals`]): appends
/// take `&self`.
pub struct Journal {
    path: PathBuf,
    /// `None` only while the journal is dropped: closing the channel stops the writer.
    sender: Option<mpsc::Sender<Pending>>,
    writer: Option<JoinHandle<()>>,
    counters: Arc<Counters>,
    /// Follows what is durable; the writer holds the sender.
    durable: watch::Receiver<Durable>,
    /// The torn last record that opening it found and cut off, if there was one.
    torn_tail: Option<TornTail>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path` for appending and starts its writer; a new
    /// file's directory entry is made durable too. A torn last record (see the module
    /// documentation) is moved to the side file and cut off first: [`Journal::torn_tail`].
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let existed = path.exists();
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .read(true)
            .open(path)?;
        let mut torn_tail = None;
        if existed {
            torn_tail = cut_torn_tail(path, &mut file)?;
            // What an earlier process wrote may not have reached the disk yet: from now on, it
            // has (so that `durable_length` covers the whole file). A device (`/dev/full` in a
            // test) has nothing to sync.
            if file.metadata()?.is_file() {
                file.sync_all()?;
            }
        } else {
            file.sync_all()?;
            if let Some(directory) = path.parent() {
                sync_directory(directory)?;
            }
        }
        if let Some(torn) = &torn_tail {
            tracing::warn!(
                journal = %path.display(),
                offset = torn.offset,
                length = torn.length,
                kept_in = %torn.kept_in.display(),
                "torn last record cut off (a crash during an append; it was never acknowledged)"
            );
        }
        let length = file.metadata()?.len();
        let mut journal = Self::with_storage(path, Box::new(file), length)?;
        journal.torn_tail = torn_tail;
        Ok(journal)
    }

    /// The torn last record that opening the journal found and cut off, if there was one.
    pub fn torn_tail(&self) -> Option<&TornTail> {
        self.torn_tail.as_ref()
    }

    /// A journal writing to `storage`, which holds `length` bytes already.
    fn with_storage(path: &Path, storage: Box<dyn Storage>, length: u64) -> std::io::Result<Self> {
        let (sender, receiver) = mpsc::channel();
        let counters = Arc::new(Counters::default());
        counters.durable_length.store(length, Ordering::SeqCst);
        let (durable_sender, durable) = watch::channel(Durable { length, records: 0 });
        let writer = Writer {
            storage,
            length,
            broken: None,
            counters: Arc::clone(&counters),
            durable: durable_sender,
        };
        let writer = std::thread::Builder::new()
            .name("journal-writer".into())
            .spawn(move || writer.run(&receiver))?;
        Ok(Self {
            path: path.to_path_buf(),
            sender: Some(sender),
            writer: Some(writer),
            counters,
            durable,
            torn_tail: None,
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `record` as one line, and resolves once it is on disk (its batch's fsync
    /// succeeded), or with the error that kept it from getting there.
    pub async fn append(&self, record: &Record) -> std::io::Result<()> {
        self.submit(record)?.await.map_err(|_| writer_stopped())?
    }

    /// [`Journal::append`] for a thread that may block (not from inside an async runtime: it
    /// panics there, as `tokio`'s blocking receive does).
    pub fn append_blocking(&self, record: &Record) -> std::io::Result<()> {
        self.submit(record)?
            .blocking_recv()
            .map_err(|_| writer_stopped())?
    }

    /// Hands `record` to the writer; the receiver tells how its batch went.
    fn submit(&self, record: &Record) -> std::io::Result<oneshot::Receiver<std::io::Result<()>>> {
        let line = record.to_line();
        let (done, outcome) = oneshot::channel();
        self.sender
            .as_ref()
            .ok_or_else(writer_stopped)?
            .send(Pending { line, done })
            .map_err(|_| writer_stopped())?;
        self.counters.submitted.fetch_add(1, Ordering::SeqCst);
        Ok(outcome)
    }

    /// How many bytes of the file are on disk for sure: up to the end of the last batch whose
    /// fsync succeeded (or, before the first batch, the whole file as it was opened). Always the
    /// end of a line. A reader that must see only acknowledged records reads up to it
    /// ([`JournalReader::until`]): the bytes after it are of a batch in flight, which may still
    /// fail and be cut back (a failed write) or be refused (a failed fsync).
    pub fn durable_length(&self) -> u64 {
        self.counters.durable_length.load(Ordering::SeqCst)
    }

    /// A receiver that follows what is durable ([`Durable`]: the length and the records made
    /// durable since opening), told after every batch whose fsync succeeded: a reader of the
    /// live journal (a forwarder) waits on it for new records, and reads up to its length.
    pub fn watch_durable(&self) -> watch::Receiver<Durable> {
        self.durable.clone()
    }

    /// Calls `observer` with every batch from now on (on the writer's thread, after the batch,
    /// before its callers are woken: keep it quick), for metrics such as a histogram of fsync
    /// times or of batch sizes. One observer per journal: `false` if one was set already.
    pub fn observe_batches(&self, observer: impl Fn(&Batch) + Send + Sync + 'static) -> bool {
        self.counters.observer.set(Box::new(observer)).is_ok()
    }

    /// What the journal did so far.
    pub fn stats(&self) -> JournalStats {
        let c = &self.counters;
        JournalStats {
            submitted: c.submitted.load(Ordering::SeqCst),
            durable: c.durable.load(Ordering::SeqCst),
            failed: c.failed.load(Ordering::SeqCst),
            batches: c.batches.load(Ordering::SeqCst),
            largest_batch: c.largest_batch.load(Ordering::SeqCst),
            sync_time: Duration::from_nanos(c.sync_nanos.load(Ordering::SeqCst)),
        }
    }
}

/// Dropping the journal lets the writer finish the records handed to it, then stops it.
impl Drop for Journal {
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn writer_stopped() -> std::io::Error {
    std::io::Error::other("the journal writer has stopped")
}

/// The writer thread's state.
struct Writer {
    storage: Box<dyn Storage>,
    /// Bytes in the file: where the next batch begins.
    length: u64,
    /// Why the journal refuses every append, once it must.
    broken: Option<String>,
    counters: Arc<Counters>,
    /// Tells readers what is durable.
    durable: watch::Sender<Durable>,
}

impl Writer {
    /// Writes batches until every sender is gone and the queue is empty.
    fn run(mut self, receiver: &mpsc::Receiver<Pending>) {
        let mut buffer = Vec::new();
        let mut waiters = Vec::new();
        while let Ok(first) = receiver.recv() {
            buffer.clear();
            buffer.extend_from_slice(&first.line);
            waiters.push(first.done);
            while buffer.len() < MAX_BATCH_BYTES {
                let Ok(next) = receiver.try_recv() else { break };
                buffer.extend_from_slice(&next.line);
                waiters.push(next.done);
            }
            let records = waiters.len() as u64;
            let (outcome, sync_time) = self.commit(&buffer);
            if let Some(observer) = self.counters.observer.get() {
                observer(&Batch {
                    records,
                    bytes: buffer.len() as u64,
                    sync_time,
                    durable: outcome.is_ok(),
                });
            }
            let counter = match &outcome {
                Ok(()) => &self.counters.durable,
                Err(_) => &self.counters.failed,
            };
            counter.fetch_add(records, Ordering::SeqCst);
            self.counters
                .largest_batch
                .fetch_max(records, Ordering::SeqCst);
            if outcome.is_ok() {
                // Before the callers are woken: a delivery acknowledged is already visible to
                // the readers that follow the journal.
                self.durable.send_replace(Durable {
                    length: self.length,
                    records: self.counters.durable.load(Ordering::SeqCst),
                });
            }
            for done in waiters.drain(..) {
                // Every waiter gets its own copy of the error; one that gave up (its request
                // was dropped) is not waiting any more.
                let _ = done.send(match &outcome {
                    Ok(()) => Ok(()),
                    Err(error) => Err(std::io::Error::new(error.kind(), error.to_string())),
                });
            }
        }
    }

    /// Writes `bytes` and makes them durable, or says why not; with the time the fsync took
    /// (zero when there was none).
    fn commit(&mut self, bytes: &[u8]) -> (std::io::Result<()>, Duration) {
        if let Some(reason) = &self.broken {
            return (Err(std::io::Error::other(reason.clone())), Duration::ZERO);
        }
        if let Err(error) = self.storage.append_all(bytes) {
            if let Err(cut) = self.storage.truncate(self.length) {
                self.broken = Some(format!(
                    "a write failed ({error}) and the file could not be cut back ({cut}): \
                     restart after checking the disk"
                ));
            }
            return (Err(error), Duration::ZERO);
        }
        self.length += bytes.len() as u64;
        self.counters.batches.fetch_add(1, Ordering::SeqCst);
        let started = Instant::now();
        let synced = self.storage.sync();
        let sync_time = started.elapsed();
        let nanos = u64::try_from(sync_time.as_nanos()).unwrap_or(u64::MAX);
        self.counters.sync_nanos.fetch_add(nanos, Ordering::SeqCst);
        if synced.is_ok() {
            self.counters
                .durable_length
                .store(self.length, Ordering::SeqCst);
        }
        if let Err(error) = &synced {
            self.broken = Some(format!(
                "an fsync failed ({error}), so what is on disk is unknown: restart after \
                 checking the disk"
            ));
        }
        (synced, sync_time)
    }
}

/// The two journals of a directory, as `trtc-live serve` keeps them: [`Journals::ACCEPTED_FILE`]
/// for accepted deliveries, [`Journals::QUARANTINE_FILE`] for authenticated requests whose
/// packet was not valid (each record with its reason).
#[derive(Debug)]
pub struct Journals {
    directory: PathBuf,
    accepted: Journal,
    quarantine: Journal,
}

impl Journals {
    /// The file of accepted deliveries, in the directory.
    pub const ACCEPTED_FILE: &'static str = "accepted.ndjson";
    /// The file of quarantined deliveries, in the directory.
    pub const QUARANTINE_FILE: &'static str = "quarantine.ndjson";

    /// Opens (creating them and the directory if needed) both journals of `directory`, each
    /// repaired of a torn last record first ([`Journal::open`]).
    pub fn open(directory: impl AsRef<Path>) -> std::io::Result<Self> {
        let directory = directory.as_ref();
        std::fs::create_dir_all(directory)?;
        Ok(Self {
            directory: directory.to_path_buf(),
            accepted: Journal::open(&directory.join(Self::ACCEPTED_FILE))?,
            quarantine: Journal::open(&directory.join(Self::QUARANTINE_FILE))?,
        })
    }

    /// Two journals opened by the caller (files named otherwise, or elsewhere): `accepted` and
    /// `quarantine`. [`Journals::directory`] is then the accepted journal's directory.
    pub fn from_parts(accepted: Journal, quarantine: Journal) -> Self {
        Self {
            directory: accepted
                .path()
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default(),
            accepted,
            quarantine,
        }
    }

    /// The directory.
    pub fn directory(&self) -> &Path {
        &self.directory
    }

    /// The journal of accepted deliveries.
    pub fn accepted(&self) -> &Journal {
        &self.accepted
    }

    /// The journal of quarantined deliveries.
    pub fn quarantine(&self) -> &Journal {
        &self.quarantine
    }

    /// Both journals, accepted first.
    pub fn both(&self) -> [&Journal; 2] {
        [&self.accepted, &self.quarantine]
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Condvar, Mutex};

    use super::torn::TAIL_CHUNK;
    use super::*;

    /// Every record of the journal at `path` that parses (a torn last line is skipped).
    fn read(path: &Path) -> Vec<Record> {
        JournalReader::open(path)
            .unwrap()
            .filter_map(|(_, record)| record.ok())
            .collect()
    }

    fn record(i: u64) -> Record {
        Record::new(
            i,
            "127.0.0.1:1",
            format!("n={i}"),
            format!("{{\"n\": {i}}}").as_bytes(),
        )
    }

    #[test]
    fn records_are_appended_and_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accepted.ndjson");
        let journal = Journal::open(&path).unwrap();
        let text = Record::new(1, "127.0.0.1:1", "SdkAppid=1", b"{\"a\": 1}\n");
        let binary = Record::new(2, "127.0.0.1:2", "", &[0xff, 0x00]);
        journal.append_blocking(&text).unwrap();
        journal.append_blocking(&binary).unwrap();
        drop(journal);
        // Reopened: appends go after what is there.
        Journal::open(&path)
            .unwrap()
            .append_blocking(&text)
            .unwrap();
        let read = read(&path);
        assert_eq!(read, vec![text.clone(), binary.clone(), text]);
        assert_eq!(&*read[1].body_bytes(), &[0xff, 0x00]);
    }

    /// The journal at `path` after `records` were appended to it and `torn` was written after
    /// them, as by a crash in the middle of an append.
    fn crashed_journal(path: &Path, records: std::ops::Range<u64>, torn: &[u8]) {
        let journal = Journal::open(path).unwrap();
        for i in records {
            journal.append_blocking(&record(i)).unwrap();
        }
        drop(journal);
        OpenOptions::new()
            .append(true)
            .open(path)
            .unwrap()
            .write_all(torn)
            .unwrap();
    }

    fn side_file(path: &Path) -> PathBuf {
        path.with_file_name("j.ndjson.torn")
    }

    #[test]
    fn a_torn_last_record_is_skipped_then_moved_aside_and_cut_off_on_opening() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        let torn = b"{\"received_at_ms\":2,\"rem";
        crashed_journal(&path, 1..3, torn);
        let complete = std::fs::metadata(&path).unwrap().len() - torn.len() as u64;
        // Before the server is restarted, readers skip the torn line.
        assert_eq!(read(&path), vec![record(1), record(2)]);
        let journal = Journal::open(&path).unwrap();
        assert_eq!(
            journal.torn_tail(),
            Some(&TornTail {
                offset: complete,
                length: torn.len() as u64,
                kept_in: side_file(&path),
            })
        );
        // Cut back to the last line break; the torn bytes are kept, as one line, aside.
        assert_eq!(std::fs::metadata(&path).unwrap().len(), complete);
        assert_eq!(
            std::fs::read(side_file(&path)).unwrap(),
            [&torn[..], b"\n"].concat()
        );
        // The next record starts a line of its own, and every line is a complete record.
        journal.append_blocking(&record(3)).unwrap();
        drop(journal);
        let text = std::fs::read_to_string(&path).unwrap();
        let parsed: Vec<Record> = text
            .lines()
            .map(|line| serde_json::from_str(line).unwrap())
            .collect();
        assert_eq!(parsed, vec![record(1), record(2), record(3)]);
        // Opened again: nothing torn any more, nothing moved.
        assert_eq!(Journal::open(&path).unwrap().torn_tail(), None);
        assert_eq!(
            std::fs::read(side_file(&path)).unwrap().len(),
            torn.len() + 1
        );
    }

    #[test]
    fn a_journal_of_only_a_torn_record_is_cut_to_empty() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        // Not even UTF-8: a crash can cut a character in two.
        let torn = b"{\"received_at_ms\":1,\"body\":\"\xe4\xbd";
        crashed_journal(&path, 0..0, torn);
        assert_eq!(read(&path), vec![]);
        let journal = Journal::open(&path).unwrap();
        let tail = journal.torn_tail().unwrap();
        assert_eq!((tail.offset, tail.length), (0, torn.len() as u64));
        journal.append_blocking(&record(1)).unwrap();
        drop(journal);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap(),
            format!("{}\n", serde_json::to_string(&record(1)).unwrap())
        );
        assert_eq!(
            std::fs::read(side_file(&path)).unwrap(),
            [&torn[..], b"\n"].concat()
        );
    }

    #[test]
    fn a_journal_ending_with_a_complete_record_or_empty_is_left_alone() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        // Empty: created, then opened again.
        drop(Journal::open(&path).unwrap());
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.torn_tail(), None);
        journal.append_blocking(&record(1)).unwrap();
        drop(journal);
        let before = std::fs::read(&path).unwrap();
        // Ending with a complete record.
        let journal = Journal::open(&path).unwrap();
        assert_eq!(journal.torn_tail(), None);
        assert_eq!(std::fs::read(&path).unwrap(), before);
        journal.append_blocking(&record(2)).unwrap();
        drop(journal);
        assert_eq!(read(&path), vec![record(1), record(2)]);
        assert!(!side_file(&path).exists());
    }

    #[test]
    fn a_torn_record_longer_than_one_read_is_found_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        let long = "x".repeat(usize::try_from(3 * TAIL_CHUNK).unwrap() + 17);
        let torn = format!("{{\"received_at_ms\":9,\"body\":\"{long}");
        crashed_journal(&path, 1..4, torn.as_bytes());
        let complete = std::fs::metadata(&path).unwrap().len() - torn.len() as u64;
        let journal = Journal::open(&path).unwrap();
        let tail = journal.torn_tail().unwrap();
        assert_eq!((tail.offset, tail.length), (complete, torn.len() as u64));
        drop(journal);
        assert_eq!(read(&path), vec![record(1), record(2), record(3)]);
        assert_eq!(
            std::fs::read_to_string(&path).unwrap().lines().count(),
            3,
            "every line is a complete record"
        );
    }

    #[test]
    fn torn_records_of_successive_crashes_each_get_a_line_of_the_side_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        crashed_journal(&path, 1..2, b"{\"first");
        crashed_journal(&path, 2..3, b"{\"second");
        assert_eq!(
            std::fs::read_to_string(side_file(&path)).unwrap(),
            "{\"first\n"
        );
        assert!(Journal::open(&path).unwrap().torn_tail().is_some());
        assert_eq!(
            std::fs::read_to_string(side_file(&path)).unwrap(),
            "{\"first\n{\"second\n"
        );
        assert_eq!(read(&path), vec![record(1), record(2)]);
    }

    #[test]
    fn many_concurrent_appends_are_all_durable_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        let journal = Arc::new(Journal::open(&path).unwrap());
        let threads = 16;
        let per_thread = 50;
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let journal = Arc::clone(&journal);
                std::thread::spawn(move || {
                    for i in 0..per_thread {
                        journal.append_blocking(&record(t * 1000 + i)).unwrap();
                    }
                })
            })
            .collect();
        for handle in handles {
            handle.join().unwrap();
        }
        let stats = journal.stats();
        assert_eq!(stats.submitted, threads * per_thread);
        assert_eq!(stats.durable, threads * per_thread);
        assert_eq!(stats.failed, 0);
        assert!(stats.batches >= 1 && stats.batches <= stats.durable);
        // Every acknowledged record is in the file, once, whole.
        let mut read: Vec<u64> = read(&path).iter().map(Record::received_at_ms).collect();
        read.sort_unstable();
        let mut expected: Vec<u64> = (0..threads)
            .flat_map(|t| (0..per_thread).map(move |i| t * 1000 + i))
            .collect();
        expected.sort_unstable();
        assert_eq!(read, expected);
        let lines = std::fs::read_to_string(&path).unwrap().lines().count();
        assert_eq!(lines as u64, threads * per_thread);
    }

    /// A file whose fsyncs can be held (to let records queue up behind one) and made to fail.
    struct GatedFile {
        file: File,
        gate: Arc<Gate>,
    }

    /// What the test controls: fsync number `hold` waits until released; those in `fail` fail.
    struct Gate {
        state: Mutex<GateState>,
        changed: Condvar,
    }

    struct GateState {
        syncs: u64,
        hold: Option<u64>,
        holding: bool,
        fail: Vec<u64>,
        fail_writes: bool,
    }

    impl Gate {
        fn new(hold: Option<u64>, fail: Vec<u64>) -> Arc<Self> {
            Arc::new(Self {
                state: Mutex::new(GateState {
                    syncs: 0,
                    hold,
                    holding: false,
                    fail,
                    fail_writes: false,
                }),
                changed: Condvar::new(),
            })
        }

        /// Waits until the held fsync has started.
        fn wait_until_holding(&self) {
            let mut state = self.state.lock().unwrap();
            while !state.holding {
                state = self.changed.wait(state).unwrap();
            }
        }

        fn release(&self) {
            self.state.lock().unwrap().hold = None;
            self.changed.notify_all();
        }
    }

    impl Storage for GatedFile {
        fn append_all(&mut self, bytes: &[u8]) -> std::io::Result<()> {
            if self.gate.state.lock().unwrap().fail_writes {
                // Half the bytes reach the file, as when a disk fills up mid-write.
                Write::write_all(&mut self.file, &bytes[..bytes.len() / 2])?;
                return Err(std::io::Error::other("injected write failure"));
            }
            Write::write_all(&mut self.file, bytes)
        }

        fn sync(&mut self) -> std::io::Result<()> {
            let mut state = self.gate.state.lock().unwrap();
            state.syncs += 1;
            let number = state.syncs;
            if state.hold == Some(number) {
                state.holding = true;
                self.gate.changed.notify_all();
                while state.hold == Some(number) {
                    state = self.gate.changed.wait(state).unwrap();
                }
            }
            if state.fail.contains(&number) {
                return Err(std::io::Error::other("injected fsync failure"));
            }
            self.file.sync_data()
        }

        fn truncate(&mut self, length: u64) -> std::io::Result<()> {
            self.file.set_len(length)
        }
    }

    fn gated_journal(dir: &Path, gate: &Arc<Gate>) -> (PathBuf, Arc<Journal>) {
        let path = dir.join("j.ndjson");
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .unwrap();
        let storage = GatedFile {
            file,
            gate: Arc::clone(gate),
        };
        let journal = Journal::with_storage(&path, Box::new(storage), 0).unwrap();
        (path, Arc::new(journal))
    }

    /// Appends records `range` from one thread each; their outcomes, once all are in.
    fn append_from_threads(
        journal: &Arc<Journal>,
        range: std::ops::Range<u64>,
    ) -> Vec<std::thread::JoinHandle<std::io::Result<()>>> {
        range
            .map(|i| {
                let journal = Arc::clone(journal);
                std::thread::spawn(move || journal.append_blocking(&record(i)))
            })
            .collect()
    }

    /// Waits until `count` records were handed to the writer (the writer being held, they
    /// queue up behind the held fsync).
    fn wait_until_submitted(journal: &Journal, count: u64) {
        while journal.stats().submitted < count {
            std::thread::yield_now();
        }
    }

    #[test]
    fn records_that_arrive_during_an_fsync_share_the_next_one() {
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(Some(1), vec![]);
        let (path, journal) = gated_journal(dir.path(), &gate);
        let first = append_from_threads(&journal, 0..1);
        gate.wait_until_holding();
        let waiting = 40;
        let rest = append_from_threads(&journal, 1..1 + waiting);
        wait_until_submitted(&journal, 1 + waiting);
        // Nothing is acknowledged while the first fsync is held, nor counted as durable,
        // although its record is written.
        assert_eq!(journal.stats().durable, 0);
        assert_eq!(journal.durable_length(), 0);
        assert!(std::fs::metadata(&path).unwrap().len() > 0);
        assert!(first.iter().chain(&rest).all(|h| !h.is_finished()));
        gate.release();
        for handle in first.into_iter().chain(rest) {
            handle.join().unwrap().unwrap();
        }
        let stats = journal.stats();
        assert_eq!(stats.durable, 1 + waiting);
        assert_eq!(
            stats.batches, 2,
            "the first record alone, then all the others in one batch: {stats:?}"
        );
        assert_eq!(stats.largest_batch, waiting);
        assert_eq!(read(&path).len() as u64, 1 + waiting);
        assert_eq!(
            journal.durable_length(),
            std::fs::metadata(&path).unwrap().len()
        );
    }

    #[test]
    fn a_failed_fsync_fails_every_record_of_its_batch_and_every_later_append() {
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(Some(1), vec![2]);
        let (_, journal) = gated_journal(dir.path(), &gate);
        let first = append_from_threads(&journal, 0..1);
        gate.wait_until_holding();
        let waiting = 10;
        let batch = append_from_threads(&journal, 1..1 + waiting);
        wait_until_submitted(&journal, 1 + waiting);
        gate.release();
        // The first fsync succeeded: its record is acknowledged.
        for handle in first {
            handle.join().unwrap().unwrap();
        }
        // The second covered all the others, and failed: none of them is.
        for handle in batch {
            let error = handle.join().unwrap().unwrap_err();
            assert!(
                error.to_string().contains("injected fsync failure"),
                "{error}"
            );
        }
        // What is on disk is unknown now: the journal refuses to go on.
        let error = journal.append_blocking(&record(99)).unwrap_err();
        assert!(error.to_string().contains("restart"), "{error}");
        let stats = journal.stats();
        assert_eq!(
            (stats.durable, stats.failed, stats.batches),
            (1, waiting + 1, 2)
        );
    }

    #[test]
    fn a_failed_write_fails_its_batch_and_leaves_no_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let gate = Gate::new(None, vec![]);
        let (path, journal) = gated_journal(dir.path(), &gate);
        journal.append_blocking(&record(1)).unwrap();
        gate.state.lock().unwrap().fail_writes = true;
        let error = journal.append_blocking(&record(2)).unwrap_err();
        assert!(
            error.to_string().contains("injected write failure"),
            "{error}"
        );
        gate.state.lock().unwrap().fail_writes = false;
        // The half-written line was cut off: the journal goes on, and the file holds exactly
        // the acknowledged records.
        journal.append_blocking(&record(3)).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.lines().count(), 2, "{text}");
        assert_eq!(read(&path), vec![record(1), record(3)]);
    }
}
