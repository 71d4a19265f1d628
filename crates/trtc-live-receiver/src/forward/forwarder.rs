//! The forwarder of notifications: reads the journal of accepted deliveries as it grows, and
//! sends each delivery to the application, in journal order, until it is taken (2xx) or has
//! failed too often (then it goes to the dead-letter journal); it keeps its position in a file,
//! so that a restart resumes where it left off.

use std::collections::VecDeque;
use std::fs::File;
use std::future::Future;
use std::io::BufReader;
use std::path::{Path, PathBuf};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinSet;

use super::target::{DeliveryKind, ForwardTarget, Outgoing};
use super::{check_position, PositionFile};
use crate::journal::{Durable, Journal, JournalReader, Position, Record, RecordError};
use crate::Command;

/// How the delay between two attempts grows: `initial` before the second attempt, doubled
/// before each next one, never over `max`, each multiplied by a random factor in
/// `1 - jitter ..= 1 + jitter` (so that deliveries failed together are not retried together).
/// With a jitter under 1/3, every delay is longer than the one before, until the cap.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Backoff {
    /// The delay before the second attempt.
    pub initial: Duration,
    /// The longest delay.
    pub max: Duration,
    /// The random part, from 0 (none) to 1.
    pub jitter: f64,
}

impl Default for Backoff {
    /// 0.5 s, doubling up to 10 minutes, ±20 %.
    fn default() -> Self {
        Self {
            initial: Duration::from_millis(500),
            max: Duration::from_secs(600),
            jitter: 0.2,
        }
    }
}

impl Backoff {
    /// The delay after failed attempt `attempt` (from 1), before its jitter.
    pub fn nominal(&self, attempt: u32) -> Duration {
        let factor = 2u32.saturating_pow(attempt.saturating_sub(1));
        self.initial.saturating_mul(factor).min(self.max)
    }

    /// The delay after failed attempt `attempt`, jitter included (never over `max`).
    pub fn delay(&self, attempt: u32, random: &mut fastrand::Rng) -> Duration {
        let jitter = self.jitter.clamp(0.0, 1.0);
        let factor = 1.0 - jitter + 2.0 * jitter * random.f64();
        self.nominal(attempt).mul_f64(factor).min(self.max)
    }
}

/// How the forwarder works.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ForwarderConfig {
    /// Attempts per delivery before it goes to the dead-letter journal (at least 1).
    pub max_attempts: u32,
    /// The delays between attempts.
    pub backoff: Backoff,
    /// The time allowed for one attempt, from sending to the whole answer.
    pub attempt_timeout: Duration,
    /// Deliveries in flight at once. With 1 (the default), each delivery is sent once the one
    /// before it is finished: the application receives them in journal order. With more, they
    /// are still sent in journal order, but a delivery may arrive before an earlier one that
    /// is slower or retried.
    pub concurrency: usize,
    /// How often the position is saved while deliveries finish (it is saved at shutdown too).
    /// A crash sends again what finished since the last save.
    pub save_interval: Duration,
}

impl Default for ForwarderConfig {
    /// 12 attempts, the default [`Backoff`] (about 17 minutes from the first attempt to the
    /// last), 10 s an attempt, one in flight, the position saved every 200 ms.
    fn default() -> Self {
        Self {
            max_attempts: 12,
            backoff: Backoff::default(),
            attempt_timeout: Duration::from_secs(10),
            concurrency: 1,
            save_interval: Duration::from_millis(200),
        }
    }
}

/// How the forwarder waits between attempts: `tokio::time::sleep` by default; tests give one
/// that records the delays and returns at once ([`Forwarder::sleeper`]).
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

/// The counters of a forwarder (of a journal, or of a JetStream consumer).
#[derive(Default)]
pub(crate) struct Counters {
    pub(crate) forwarded: AtomicU64,
    pub(crate) dead_lettered: AtomicU64,
    pub(crate) skipped: AtomicU64,
    pub(crate) unreadable: AtomicU64,
    pub(crate) attempts: AtomicU64,
    pub(crate) failed_attempts: AtomicU64,
    pub(crate) retries: AtomicU64,
    pub(crate) in_flight: AtomicU64,
    position_offset: AtomicU64,
    position_line: AtomicU64,
    /// Records between the starting position and the durable end, when the forwarder started.
    backlog_at_start: AtomicU64,
    /// The journal's durable record count when the forwarder started.
    durable_at_start: AtomicU64,
}

/// What a forwarder did so far ([`ForwarderStats::snapshot`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ForwarderSnapshot {
    /// Deliveries the application took (2xx).
    pub forwarded: u64,
    /// Deliveries put in the dead-letter journal.
    pub dead_lettered: u64,
    /// Before-webhooks passed over (they are forwarded while Tencent waits, not from here).
    pub skipped: u64,
    /// Lines of the journal that are not records (reported, passed over).
    pub unreadable: u64,
    /// Attempts made.
    pub attempts: u64,
    /// Attempts that failed (connection, timeout, non-2xx).
    pub failed_attempts: u64,
    /// Attempts made again after a failure (`failed_attempts` less the last failures of the
    /// dead-lettered deliveries).
    pub retries: u64,
    /// Deliveries being sent or waiting to be retried.
    pub in_flight: u64,
    /// Records durable in the journal that are not finished yet (in flight included): the
    /// queue. For a JetStream consumer: its messages pending and not acknowledged yet, as last
    /// asked (every few seconds).
    pub queued: u64,
    /// Bytes of the journal not finished yet: from the position to the durable end (0 for a
    /// JetStream consumer).
    pub backlog_bytes: u64,
    /// Where every record before is finished (saved in the position file at most
    /// `save_interval` later).
    pub position: Position,
}

/// A handle on a forwarder's counters, for metrics.
#[derive(Clone)]
pub struct ForwarderStats {
    counters: Arc<Counters>,
    queue: Queue,
}

/// Where the queue's depth comes from.
#[derive(Clone)]
enum Queue {
    /// A journal: from what is durable and what is finished.
    Journal(watch::Receiver<Durable>),
    /// A JetStream consumer: its pending and unacknowledged messages, as last asked.
    #[cfg(feature = "nats")]
    Polled(Arc<AtomicU64>),
}

impl std::fmt::Debug for ForwarderStats {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.snapshot().fmt(f)
    }
}

impl ForwarderStats {
    /// The stats of a forwarder that is not a journal's (a JetStream consumer): its counters,
    /// and its queue's depth in `queued`.
    #[cfg(feature = "nats")]
    pub(crate) fn polled(counters: Arc<Counters>, queued: Arc<AtomicU64>) -> Self {
        Self {
            counters,
            queue: Queue::Polled(queued),
        }
    }

    /// The counters now.
    pub fn snapshot(&self) -> ForwarderSnapshot {
        let c = &self.counters;
        let load = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        let (queued, backlog_bytes) = match &self.queue {
            Queue::Journal(durable) => {
                let durable = *durable.borrow();
                let finished = load(&c.forwarded)
                    + load(&c.dead_lettered)
                    + load(&c.skipped)
                    + load(&c.unreadable);
                let known = load(&c.backlog_at_start)
                    + durable.records.saturating_sub(load(&c.durable_at_start));
                (
                    known.saturating_sub(finished),
                    durable.length.saturating_sub(load(&c.position_offset)),
                )
            }
            #[cfg(feature = "nats")]
            Queue::Polled(queued) => (load(queued), 0),
        };
        let position = Position {
            offset: load(&c.position_offset),
            line: load(&c.position_line),
        };
        ForwarderSnapshot {
            forwarded: load(&c.forwarded),
            dead_lettered: load(&c.dead_lettered),
            skipped: load(&c.skipped),
            unreadable: load(&c.unreadable),
            attempts: load(&c.attempts),
            failed_attempts: load(&c.failed_attempts),
            retries: load(&c.retries),
            in_flight: load(&c.in_flight),
            queued,
            backlog_bytes,
            position,
        }
    }
}

/// Where a forwarder starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Start {
    /// From the position saved by an earlier run.
    Resumed(Position),
    /// There was no position file: from the end of the journal as it was (what was journaled
    /// before is not forwarded; a replay sends it), and the position file was created.
    New(Position),
}

/// The forwarder of one journal (see the [module documentation](super)).
pub struct Forwarder {
    journal_path: PathBuf,
    durable: watch::Receiver<Durable>,
    position_file: PositionFile,
    shared: Arc<Shared>,
    start: Position,
}

impl std::fmt::Debug for Forwarder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Forwarder")
            .field("journal", &self.journal_path)
            .field("position_file", &self.position_file)
            .field("start", &self.start)
            .finish_non_exhaustive()
    }
}

/// What every delivery task needs.
struct Shared {
    target: Arc<ForwardTarget>,
    dead_letters: Arc<Journal>,
    config: ForwarderConfig,
    sleeper: Sleeper,
    counters: Arc<Counters>,
}

impl Forwarder {
    /// A forwarder of `journal` (the accepted journal of this process: only what it made
    /// durable is read) to `target`, resuming at the position in `position_file` (or, without
    /// one, starting at the journal's durable end and saving that position at once), putting
    /// the deliveries that fail `config.max_attempts` times into `dead_letters`.
    ///
    /// Fails when the saved position does not fit the journal (cut short or replaced since).
    pub fn open(
        journal: &Journal,
        dead_letters: Arc<Journal>,
        position_file: PositionFile,
        target: Arc<ForwardTarget>,
        config: ForwarderConfig,
    ) -> std::io::Result<(Self, Start)> {
        let durable = journal.watch_durable();
        let now = *durable.borrow();
        let journal_path = journal.path().to_path_buf();
        let start = match position_file.load()? {
            Some(position) => {
                check_position(&journal_path, position)?;
                Start::Resumed(position)
            }
            None => {
                let position = Position {
                    offset: now.length,
                    line: 1 + count_lines(&journal_path, 0, now.length)?,
                };
                position_file.save(position)?;
                Start::New(position)
            }
        };
        let position = match start {
            Start::Resumed(position) | Start::New(position) => position,
        };
        let counters = Arc::new(Counters::default());
        let backlog = count_lines(
            &journal_path,
            position.offset,
            now.length.max(position.offset),
        )?;
        counters.backlog_at_start.store(backlog, Ordering::SeqCst);
        counters
            .durable_at_start
            .store(now.records, Ordering::SeqCst);
        counters
            .position_offset
            .store(position.offset, Ordering::SeqCst);
        counters
            .position_line
            .store(position.line, Ordering::SeqCst);
        let config = ForwarderConfig {
            max_attempts: config.max_attempts.max(1),
            concurrency: config.concurrency.max(1),
            ..config
        };
        let forwarder = Self {
            journal_path,
            durable,
            position_file,
            shared: Arc::new(Shared {
                target,
                dead_letters,
                config,
                sleeper: Arc::new(|delay| Box::pin(tokio::time::sleep(delay))),
                counters,
            }),
            start: position,
        };
        Ok((forwarder, start))
    }

    /// The same forwarder, waiting between attempts with `sleeper` instead of
    /// `tokio::time::sleep` (tests).
    pub fn sleeper(mut self, sleeper: Sleeper) -> Self {
        if let Some(shared) = Arc::get_mut(&mut self.shared) {
            shared.sleeper = sleeper;
        }
        self
    }

    /// A handle on the counters.
    pub fn stats(&self) -> ForwarderStats {
        ForwarderStats {
            counters: Arc::clone(&self.shared.counters),
            queue: Queue::Journal(self.durable.clone()),
        }
    }

    /// Forwards until `shutdown` resolves, then stops the deliveries in flight (they are sent
    /// again after a restart: at least once) and saves the position. Returns an error only
    /// when the position cannot be saved at the end.
    pub async fn run(mut self, shutdown: impl Future<Output = ()>) -> std::io::Result<()> {
        let concurrency = self.shared.config.concurrency;
        let mut tasks: JoinSet<u64> = JoinSet::new();
        let mut window = Window::new(self.start);
        let mut reading = Reading {
            path: self.journal_path.clone(),
            reader: None,
            position: self.start,
        };
        let mut saved = self.start;
        let mut tick = tokio::time::interval(self.shared.config.save_interval);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut journal_open = true;
        let mut shutdown = std::pin::pin!(shutdown);
        loop {
            let mut waiting_for_records = false;
            while tasks.len() < concurrency {
                let end = self.durable.borrow_and_update().length;
                match reading.next(end) {
                    Ok(Some((after, Ok(record)))) => {
                        let sequence = window.push(after);
                        if is_before_webhook(&record) {
                            self.shared.counters.skipped.fetch_add(1, Ordering::SeqCst);
                            window.finish(sequence);
                        } else {
                            let shared = Arc::clone(&self.shared);
                            tasks.spawn(async move {
                                deliver(&shared, record).await;
                                sequence
                            });
                        }
                    }
                    Ok(Some((after, Err(error)))) => {
                        tracing::error!(
                            journal = %self.journal_path.display(),
                            line = after.line - 1,
                            %error,
                            "a line of the journal is not a record: not forwarded"
                        );
                        self.shared
                            .counters
                            .unreadable
                            .fetch_add(1, Ordering::SeqCst);
                        let sequence = window.push(after);
                        window.finish(sequence);
                    }
                    Ok(None) => {
                        waiting_for_records = true;
                        break;
                    }
                    Err(error) => {
                        tracing::error!(
                            journal = %self.journal_path.display(),
                            %error,
                            "cannot read the journal; trying again"
                        );
                        break;
                    }
                }
            }
            self.publish(&window, tasks.len());
            tokio::select! {
                biased;
                () = &mut shutdown => break,
                Some(joined) = tasks.join_next(), if !tasks.is_empty() => match joined {
                    Ok(sequence) => window.finish(sequence),
                    Err(error) => {
                        // A delivery task cannot fail; if it panicked, its record is not
                        // finished: stop here, so that a restart sends it again.
                        tracing::error!(%error, "a delivery task failed: the forwarder stops");
                        break;
                    }
                },
                changed = self.durable.changed(), if waiting_for_records && journal_open => {
                    journal_open = changed.is_ok();
                }
                _ = tick.tick() => {
                    if window.finished != saved {
                        self.save(window.finished).await?;
                        saved = window.finished;
                    }
                }
            }
        }
        tasks.abort_all();
        while tasks.join_next().await.is_some() {}
        self.publish(&window, 0);
        if window.finished != saved {
            self.save(window.finished).await?;
        }
        Ok(())
    }

    /// Publishes the position and the deliveries in flight.
    fn publish(&self, window: &Window, in_flight: usize) {
        let counters = &self.shared.counters;
        counters
            .position_offset
            .store(window.finished.offset, Ordering::SeqCst);
        counters
            .position_line
            .store(window.finished.line, Ordering::SeqCst);
        counters.in_flight.store(in_flight as u64, Ordering::SeqCst);
    }

    /// Saves `position` durably, off the runtime's threads.
    async fn save(&self, position: Position) -> std::io::Result<()> {
        let file = self.position_file.clone();
        tokio::task::spawn_blocking(move || file.save(position))
            .await
            .map_err(std::io::Error::other)?
    }
}

/// Whether a record is a before-webhook (forwarded while Tencent waits, not from the journal).
pub(crate) fn is_before_webhook(record: &Record) -> bool {
    record
        .command()
        .and_then(Command::from_command_word)
        .is_some_and(Command::response_is_a_decision)
}

/// Sends one delivery until it is taken or has failed `max_attempts` times (then it goes to
/// the dead-letter journal).
async fn deliver(shared: &Shared, record: Record) {
    let counters = &shared.counters;
    let config = &shared.config;
    let outgoing = Outgoing::of_record(&record);
    let mut random = fastrand::Rng::new();
    let mut last_error = None;
    for attempt in 1..=config.max_attempts {
        counters.attempts.fetch_add(1, Ordering::SeqCst);
        match shared
            .target
            .send(
                &outgoing,
                attempt,
                DeliveryKind::Notification,
                config.attempt_timeout,
            )
            .await
        {
            Ok(_) => {
                counters.forwarded.fetch_add(1, Ordering::SeqCst);
                return;
            }
            Err(error) => {
                counters.failed_attempts.fetch_add(1, Ordering::SeqCst);
                tracing::warn!(
                    id = %outgoing.id,
                    command = %outgoing.command,
                    attempt,
                    reason = error.code(),
                    %error,
                    "forwarding failed"
                );
                if attempt < config.max_attempts {
                    counters.retries.fetch_add(1, Ordering::SeqCst);
                    (shared.sleeper)(config.backoff.delay(attempt, &mut random)).await;
                }
                last_error = Some(error);
            }
        }
    }
    let reason = format!(
        "not forwarded: {} attempts failed, the last: {}",
        config.max_attempts,
        last_error.map_or_else(String::new, |error| error.to_string())
    );
    let letter = record.with_reason(reason.clone());
    // A delivery leaves the queue only once it is kept somewhere: a dead letter that cannot be
    // written is tried again (and the position waits for it).
    while let Err(error) = shared.dead_letters.append(&letter).await {
        tracing::error!(
            id = %outgoing.id,
            journal = %shared.dead_letters.path().display(),
            %error,
            "cannot write the dead letter; trying again in 1 s"
        );
        (shared.sleeper)(Duration::from_secs(1)).await;
    }
    counters.dead_lettered.fetch_add(1, Ordering::SeqCst);
    tracing::error!(
        id = %outgoing.id,
        command = %outgoing.command,
        journal = %shared.dead_letters.path().display(),
        %reason,
        "dead letter"
    );
}

/// The deliveries taken from the journal and not all finished: finishing one in the middle
/// moves the position only once all before it are finished.
struct Window {
    /// The sequence number of the first slot.
    first: u64,
    /// For each delivery in order: the position after its record, and whether it is finished.
    slots: VecDeque<(Position, bool)>,
    /// Every record before this position is finished.
    finished: Position,
}

impl Window {
    fn new(start: Position) -> Self {
        Self {
            first: 0,
            slots: VecDeque::new(),
            finished: start,
        }
    }

    /// A new delivery, whose record ends at `after`; its sequence number.
    fn push(&mut self, after: Position) -> u64 {
        self.slots.push_back((after, false));
        self.first + self.slots.len() as u64 - 1
    }

    /// Delivery `sequence` is finished.
    fn finish(&mut self, sequence: u64) {
        if let Some(slot) = sequence
            .checked_sub(self.first)
            .and_then(|index| usize::try_from(index).ok())
            .and_then(|index| self.slots.get_mut(index))
        {
            slot.1 = true;
        }
        while let Some(&(after, true)) = self.slots.front() {
            self.finished = after;
            self.slots.pop_front();
            self.first += 1;
        }
    }
}

/// Reading the live journal, up to what is durable.
struct Reading {
    path: PathBuf,
    reader: Option<JournalReader<BufReader<File>>>,
    /// After the last record taken.
    position: Position,
}

/// A record read, with the position after it.
type Read = (Position, Result<Record, RecordError>);

impl Reading {
    /// The next record before `end` (the durable length), or `None` when there is none yet.
    fn next(&mut self, end: u64) -> std::io::Result<Option<Read>> {
        for _ in 0..2 {
            if self.position.offset >= end {
                return Ok(None);
            }
            let reader = match &mut self.reader {
                Some(reader) => reader,
                None => self
                    .reader
                    .insert(JournalReader::open_at(&self.path, self.position)?.until(end)),
            };
            match reader.next() {
                Some((_, Err(RecordError::Torn { .. }))) => {
                    // Cannot be inside the durable part; read again later.
                    self.reader = None;
                    return Ok(None);
                }
                Some((_, Err(RecordError::Io(error)))) => {
                    self.reader = None;
                    return Err(error);
                }
                Some((_, record)) => {
                    self.position = JournalReader::position(reader);
                    return Ok(Some((self.position, record)));
                }
                // This reader stopped at an older end: open one up to the new end.
                None => self.reader = None,
            }
        }
        Ok(None)
    }
}

/// The line breaks of the file at `path` between `from` and `to`.
fn count_lines(path: &Path, from: u64, to: u64) -> std::io::Result<u64> {
    use std::io::{Read as _, Seek, SeekFrom};
    let mut file = match File::open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(error) => return Err(error),
    };
    file.seek(SeekFrom::Start(from))?;
    let mut left = to.saturating_sub(from);
    let mut buffer = vec![0u8; 64 << 10];
    let mut lines = 0;
    while left > 0 {
        let want = usize::try_from(left.min(buffer.len() as u64)).unwrap_or(buffer.len());
        let read = file.read(&mut buffer[..want])?;
        if read == 0 {
            break;
        }
        lines += memchr::memchr_iter(b'\n', &buffer[..read]).count() as u64;
        left -= read as u64;
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delays_double_up_to_the_cap_and_jitter_stays_within_its_share() {
        let backoff = Backoff {
            initial: Duration::from_millis(100),
            max: Duration::from_secs(1),
            jitter: 0.0,
        };
        let nominal: Vec<u128> = (1..=6).map(|a| backoff.nominal(a).as_millis()).collect();
        assert_eq!(nominal, vec![100, 200, 400, 800, 1000, 1000]);
        assert_eq!(backoff.nominal(200), Duration::from_secs(1));
        let jittered = Backoff {
            jitter: 0.2,
            ..backoff
        };
        let mut random = fastrand::Rng::with_seed(7);
        for attempt in 1..=4 {
            for _ in 0..100 {
                let delay = jittered.delay(attempt, &mut random).as_secs_f64();
                let nominal = backoff.nominal(attempt).as_secs_f64();
                assert!(delay >= nominal * 0.8 - 1e-9 && delay <= nominal * 1.2 + 1e-9);
            }
        }
        assert!(jittered.delay(9, &mut random) <= Duration::from_secs(1));
    }

    #[test]
    fn the_position_moves_only_past_finished_deliveries() {
        let at = |offset| Position {
            offset,
            line: offset,
        };
        let mut window = Window::new(at(0));
        let first = window.push(at(10));
        let second = window.push(at(20));
        let third = window.push(at(30));
        window.finish(second);
        assert_eq!(window.finished, at(0));
        window.finish(first);
        assert_eq!(window.finished, at(20));
        window.finish(third);
        assert_eq!(window.finished, at(30));
        assert!(window.slots.is_empty());
        let fourth = window.push(at(40));
        assert_eq!(fourth, 3);
        window.finish(fourth);
        assert_eq!(window.finished, at(40));
    }
}
