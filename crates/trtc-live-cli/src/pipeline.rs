//! Processing a stream on every core while keeping its order: the stream comes in windows of
//! bounded size, the items of each window are processed by every thread, and the results are
//! handed back in input order. A window is handed to the threads as soon as it is read, so that
//! none waits for the previous one to be reported. Regular files are read on the calling thread
//! between windows; standard input too, when the system tells that it has bytes ready, and
//! otherwise only once the windows under way are reported; any other input that may pause (a
//! pipe among several inputs) is read on a thread of its own, so that what was read is reported
//! while it waits ([`Reading`]). Memory is bounded by four windows (the one being read, the one
//! waiting, two under way), whatever the length of the stream: the windows processed are filled
//! again.

use std::collections::VecDeque;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{mpsc, Arc};

/// Windows read ahead of the ones launched.
const READ_AHEAD_WINDOWS: usize = 1;
/// Windows launched at once: the one being finished, and the next, under way.
const LAUNCHED_WINDOWS: usize = 2;
/// Windows that exist at once: the ones launched, the one waiting, the one being read.
const WINDOWS_IN_FLIGHT: usize = LAUNCHED_WINDOWS + READ_AHEAD_WINDOWS + 1;
/// Items handed to a thread at a time.
const BATCH_ITEMS: usize = 32;
/// Below this many items a window is processed on the calling thread.
const PARALLEL_FROM: usize = 64;

/// The threads to process a stream with: one per core.
pub fn threads() -> NonZeroUsize {
    std::thread::available_parallelism().unwrap_or(NonZeroUsize::MIN)
}

/// A run of consecutive items of the stream.
pub trait Window: Send + Sync {
    /// How many items it holds.
    fn len(&self) -> usize;
}

/// Where the windows are read.
#[derive(Clone, Copy, Debug)]
pub enum Reading {
    /// On a thread of its own, ahead of the processing: for inputs whose reads may wait (standard
    /// input, a pipe), which then wait without holding anything up.
    OnItsOwnThread,
    /// On the calling thread, between windows: for regular files, whose reads never wait for
    /// long. One thread fewer to wake at every window (a cross-core wake-up costs tens of
    /// microseconds on a virtual machine), and no third thread on two cores.
    Inline,
    /// On the calling thread, between windows, when the function says the input has bytes
    /// ready; when it has none, the windows under way are finished and reported first, and
    /// only then is the input waited for: for standard input, whose readiness the system
    /// tells (a pipe a writer keeps full is read like a file, with no reader thread taking a
    /// core's share on two cores). A read may still wait in the middle of a line the writer
    /// left unfinished (or, for a journal piped in, until a window of records is full), holding
    /// up the windows under way until it goes on.
    InlineWhenReady(fn() -> bool),
}

/// Runs `process` on every item of the windows that `next_window` reads, using `threads`
/// threads, and hands the results to `sink` window by window, in input order.
///
/// `next_window` is given a processed window to fill again, when one is back, and returns
/// `None` at the end of the stream. `process` is given a window and the index of an item in it.
/// The threads live as long as the stream: a thread started for each window would start with
/// cold memory (a fresh stack, an empty allocator heap) every time.
pub fn for_each_in_order<W, R>(
    next_window: impl FnMut(Option<W>) -> Option<W> + Send,
    reading: Reading,
    threads: NonZeroUsize,
    process: impl Fn(&W, usize) -> R + Sync,
    mut sink: impl FnMut(Vec<R>),
) where
    W: Window,
    R: Send,
{
    for_each_batch_in_order(
        next_window,
        reading,
        threads,
        |window, items: Range<usize>| items.map(|item| process(window, item)).collect(),
        |batches: Vec<Vec<R>>| {
            // Sized at once: grown item by item, the vector was copied a dozen times per window.
            let mut in_order = Vec::with_capacity(batches.iter().map(Vec::len).sum());
            for batch in batches {
                in_order.extend(batch);
            }
            sink(in_order);
        },
    );
}

/// [`for_each_in_order`], a batch of consecutive items at a time: `process` is given a window
/// and a range of its items, and gives one result for the whole batch; `sink` gets the results
/// of a window's batches in input order. For a caller whose per-item results would only be
/// gathered again (counted, written out): one result a batch is one allocation, one hand-over
/// and one write instead of one per item.
pub fn for_each_batch_in_order<W, B>(
    mut next_window: impl FnMut(Option<W>) -> Option<W> + Send,
    reading: Reading,
    threads: NonZeroUsize,
    process: impl Fn(&W, Range<usize>) -> B + Sync,
    mut sink: impl FnMut(Vec<B>),
) where
    W: Window,
    B: Send,
{
    std::thread::scope(|scope| {
        let mut source = match reading {
            Reading::Inline => Source::Inline {
                next_window: &mut next_window,
                processed: Vec::with_capacity(WINDOWS_IN_FLIGHT),
                ready: None,
            },
            Reading::InlineWhenReady(ready) => Source::Inline {
                next_window: &mut next_window,
                processed: Vec::with_capacity(WINDOWS_IN_FLIGHT),
                ready: Some(ready),
            },
            Reading::OnItsOwnThread => Source::start_reader(scope, &mut next_window),
        };
        let mut helpers = Helpers::start(scope, threads.get() - 1, &process);
        // Windows are launched as soon as they are read, up to LAUNCHED_WINDOWS ahead: a helper
        // done with its part of one goes on with the next at once, without waiting for this
        // thread to finish the previous one and report it.
        // But nothing waits for the reader with a window processed and not reported: a stream
        // that pauses (standard input) has everything read so far reported.
        // With no helper, a window is processed as soon as it is read, while its bytes are still
        // in the cache: there is nobody to keep busy meanwhile.
        let launch_ahead = if threads.get() == 1 {
            1
        } else {
            LAUNCHED_WINDOWS
        };
        let mut launched: VecDeque<Running<W, B>> = VecDeque::with_capacity(LAUNCHED_WINDOWS);
        let mut read_to_end = false;
        loop {
            while !read_to_end && launched.len() < launch_ahead {
                match source.next() {
                    Next::Window(window) => launched.push_back(helpers.launch(window)),
                    Next::NotYet => break,
                    Next::End => read_to_end = true,
                }
            }
            let Some(mut oldest) = launched.pop_front() else {
                if read_to_end {
                    break;
                }
                match source.wait() {
                    Next::Window(window) => launched.push_back(helpers.launch(window)),
                    Next::NotYet => {}
                    Next::End => read_to_end = true,
                }
                continue;
            };
            oldest.work(&process);
            // A helper still on a batch of the oldest window (or descheduled by the system in
            // the middle of one) would keep this thread waiting: it takes batches of the next
            // window meanwhile, one at a time, and waits only when there is none left.
            while !helpers.collect(&mut oldest, false) {
                let worked = launched
                    .front_mut()
                    .is_some_and(|next| next.work_one(&process));
                if !worked {
                    helpers.collect(&mut oldest, true);
                }
            }
            let (window, results) = helpers.finish(oldest);
            sink(results);
            source.give_back(window);
        }
    });
}

/// What the source of windows has next.
enum Next<W> {
    /// A window read.
    Window(W),
    /// Nothing yet (the reader thread is still reading).
    NotYet,
    /// The end of the stream.
    End,
}

/// Where the calling thread gets its windows.
enum Source<'a, W, F> {
    /// Read on the calling thread; `processed` holds the windows to fill again; `ready`, when
    /// given, says whether a read would not wait.
    Inline {
        next_window: &'a mut F,
        processed: Vec<W>,
        ready: Option<fn() -> bool>,
    },
    /// Read by a reader thread, which gets the processed windows back to fill again.
    FromReader {
        read: mpsc::Receiver<W>,
        give_back: mpsc::Sender<W>,
    },
}

impl<'a, W: Window, F: FnMut(Option<W>) -> Option<W> + Send> Source<'a, W, F> {
    /// Starts the reader thread.
    fn start_reader<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        next_window: &'a mut F,
    ) -> Self
    where
        'a: 'scope,
        W: 'scope,
    {
        let (windows, read) = mpsc::sync_channel::<W>(READ_AHEAD_WINDOWS);
        let (give_back, given_back) = mpsc::channel::<W>();
        scope.spawn(move || {
            // Every window but the first few is one given back: its buffers are warm, and
            // memory stays bounded by the windows in flight.
            let mut windows_made = 0;
            loop {
                let reuse = if windows_made < WINDOWS_IN_FLIGHT {
                    given_back.try_recv().ok()
                } else {
                    match given_back.recv() {
                        Ok(window) => Some(window),
                        // The caller is gone (its sink panicked): stop reading.
                        Err(_) => break,
                    }
                };
                windows_made += usize::from(reuse.is_none());
                let Some(window) = next_window(reuse) else {
                    break;
                };
                // The receiver is gone only if the sink panicked: stop reading.
                if windows.send(window).is_err() {
                    break;
                }
            }
        });
        Source::FromReader { read, give_back }
    }

    /// The next window, if it is ready (a window read on the calling thread is, unless its
    /// input says a read would wait).
    fn next(&mut self) -> Next<W> {
        match self {
            Source::Inline {
                next_window,
                processed,
                ready,
            } => {
                if ready.is_some_and(|ready| !ready()) {
                    return Next::NotYet;
                }
                read_inline(next_window, processed)
            }
            Source::FromReader { read, .. } => match read.try_recv() {
                Ok(window) => Next::Window(window),
                Err(mpsc::TryRecvError::Empty) => Next::NotYet,
                Err(mpsc::TryRecvError::Disconnected) => Next::End,
            },
        }
    }

    /// The next window, waiting for the reader thread or the input if need be.
    fn wait(&mut self) -> Next<W> {
        match self {
            Source::Inline {
                next_window,
                processed,
                ..
            } => read_inline(next_window, processed),
            Source::FromReader { read, .. } => match read.recv() {
                Ok(window) => Next::Window(window),
                Err(_) => Next::End,
            },
        }
    }

    /// A processed window, to be filled again.
    fn give_back(&mut self, window: W) {
        match self {
            Source::Inline { processed, .. } => processed.push(window),
            // A finished reader: the window is simply dropped.
            Source::FromReader { give_back, .. } => {
                let _ = give_back.send(window);
            }
        }
    }
}

/// A window read on the calling thread (filling a processed one again, if there is one),
/// waiting for the input if need be.
fn read_inline<W>(
    next_window: &mut impl FnMut(Option<W>) -> Option<W>,
    processed: &mut Vec<W>,
) -> Next<W> {
    match next_window(processed.pop()) {
        Some(window) => Next::Window(window),
        None => Next::End,
    }
}

/// A window being processed, and the next batch of its items to take.
struct Job<W> {
    /// The window's rank in the stream.
    rank: usize,
    window: W,
    next_batch: AtomicUsize,
}

impl<W: Window> Job<W> {
    /// Processes batches of items until none is left: the results, by batch index.
    fn work<B>(&self, process: &impl Fn(&W, Range<usize>) -> B) -> Vec<(usize, B)> {
        let items = self.window.len();
        let mut done = Vec::new();
        loop {
            let batch = self.next_batch.fetch_add(1, Ordering::Relaxed);
            let first = batch.saturating_mul(BATCH_ITEMS);
            if first >= items {
                return done;
            }
            done.push((
                batch,
                process(&self.window, first..items.min(first + BATCH_ITEMS)),
            ));
        }
    }

    /// Processes one batch, if one is left: its index and result.
    fn work_one<B>(&self, process: &impl Fn(&W, Range<usize>) -> B) -> Option<(usize, B)> {
        let items = self.window.len();
        let batch = self.next_batch.fetch_add(1, Ordering::Relaxed);
        let first = batch.saturating_mul(BATCH_ITEMS);
        (first < items).then(|| {
            (
                batch,
                process(&self.window, first..items.min(first + BATCH_ITEMS)),
            )
        })
    }
}

/// A window launched: the job shared with the helpers, and what the calling thread has done.
struct Running<W, R> {
    job: Arc<Job<W>>,
    /// How many helpers took the job.
    helping: usize,
    /// How many of them have reported.
    reported: usize,
    /// The batches processed so far: by the calling thread, and by the helpers that reported.
    results: Vec<(usize, R)>,
}

impl<W: Window, R> Running<W, R> {
    /// Processes, on the calling thread, the batches no thread has taken yet.
    fn work(&mut self, process: &impl Fn(&W, Range<usize>) -> R) {
        self.results.extend(self.job.work(process));
    }

    /// Processes, on the calling thread, one batch no thread has taken yet; `false` when there
    /// was none.
    fn work_one(&mut self, process: &impl Fn(&W, Range<usize>) -> R) -> bool {
        let done = self.job.work_one(process);
        let worked = done.is_some();
        self.results.extend(done);
        worked
    }
}

/// What a helper reports of a job: its rank, and the results of the batches it processed (or
/// the panic of `process`).
type Report<R> = (usize, std::thread::Result<Vec<(usize, R)>>);

/// The threads that work on windows besides the calling one.
struct Helpers<W, R> {
    jobs: Vec<mpsc::Sender<Arc<Job<W>>>>,
    reports: mpsc::Receiver<Report<R>>,
    /// Reports received for a later window than the one being finished.
    early: Vec<Report<R>>,
    /// The rank of the next window launched.
    next_rank: usize,
}

impl<W: Window, R: Send> Helpers<W, R> {
    fn start<'scope, 'env>(
        scope: &'scope std::thread::Scope<'scope, 'env>,
        count: usize,
        process: &'scope (impl Fn(&W, Range<usize>) -> R + Sync),
    ) -> Self
    where
        W: 'scope,
        R: 'scope,
    {
        let (report, reports) = mpsc::channel();
        let jobs = (0..count)
            .map(|_| {
                let (give, take) = mpsc::channel::<Arc<Job<W>>>();
                let report = report.clone();
                scope.spawn(move || {
                    for job in take {
                        let rank = job.rank;
                        let done = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                            job.work(process)
                        }));
                        // The job is let go before it is reported: the caller takes its
                        // window back once every helper has reported.
                        drop(job);
                        if report.send((rank, done)).is_err() {
                            break;
                        }
                    }
                });
                give
            })
            .collect();
        Self {
            jobs,
            reports,
            early: Vec::new(),
            next_rank: 0,
        }
    }

    /// Hands `window` to every helper (a small window is left to the calling thread).
    fn launch(&mut self, window: W) -> Running<W, R> {
        let job = Arc::new(Job {
            rank: self.next_rank,
            window,
            next_batch: AtomicUsize::new(0),
        });
        self.next_rank += 1;
        let mut helping = 0;
        if job.window.len() >= PARALLEL_FROM {
            for helper in &self.jobs {
                helping += usize::from(helper.send(Arc::clone(&job)).is_ok());
            }
        }
        Running {
            job,
            helping,
            reported: 0,
            results: Vec::new(),
        }
    }

    /// Takes the helpers' reports of `running` that have come (waiting for them all when
    /// `wait`): whether every helper has reported.
    fn collect(&mut self, running: &mut Running<W, R>, wait: bool) -> bool {
        // Reports of this window that came while an earlier one was being finished.
        let mut index = 0;
        while index < self.early.len() {
            if self.early[index].0 == running.job.rank {
                let (_, done) = self.early.swap_remove(index);
                running.results.extend(resume_panic(done));
                running.reported += 1;
            } else {
                index += 1;
            }
        }
        while running.reported < running.helping {
            let (rank, done) = if wait {
                match self.reports.recv() {
                    Ok(report) => report,
                    Err(_) => unreachable!("a helper ends only when its jobs channel is dropped"),
                }
            } else {
                match self.reports.try_recv() {
                    Ok(report) => report,
                    Err(mpsc::TryRecvError::Empty) => return false,
                    Err(mpsc::TryRecvError::Disconnected) => {
                        unreachable!("a helper ends only when its jobs channel is dropped")
                    }
                }
            };
            if rank == running.job.rank {
                running.results.extend(resume_panic(done));
                running.reported += 1;
            } else {
                self.early.push((rank, done));
            }
        }
        true
    }

    /// Waits for the helpers' part of `running`; gives its window back with the results of its
    /// batches in input order.
    fn finish(&mut self, mut running: Running<W, R>) -> (W, Vec<R>) {
        self.collect(&mut running, true);
        let Running { job, results, .. } = running;
        let mut results = results;
        results.sort_unstable_by_key(|(batch, _)| *batch);
        let in_order = results.into_iter().map(|(_, result)| result).collect();
        let window = match Arc::try_unwrap(job) {
            Ok(job) => job.window,
            Err(_) => unreachable!("every helper has let the job go"),
        };
        (window, in_order)
    }
}

/// The results of a helper, or its panic carried to the caller unchanged (a panic in
/// `process` is a bug).
fn resume_panic<T>(done: std::thread::Result<T>) -> T {
    done.unwrap_or_else(|payload| std::panic::resume_unwind(payload))
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    impl Window for Vec<u32> {
        fn len(&self) -> usize {
            Vec::len(self)
        }
    }

    #[test]
    fn results_come_back_in_input_order_over_many_windows() {
        // An input that is ready one time in two.
        fn now_and_then() -> bool {
            static ASKED: AtomicUsize = AtomicUsize::new(0);
            ASKED.fetch_add(1, Ordering::Relaxed) % 2 == 0
        }
        for reading in [
            Reading::Inline,
            Reading::OnItsOwnThread,
            Reading::InlineWhenReady(|| true),
            Reading::InlineWhenReady(now_and_then),
        ] {
            let (windows, per_window) = (50u32, 1000u32);
            let (mut read, mut made) = (0, 0);
            let next_window = |reuse: Option<Vec<u32>>| {
                if read == windows {
                    return None;
                }
                made += usize::from(reuse.is_none());
                let mut window = reuse.unwrap_or_default();
                window.clear();
                window.extend(read * per_window..(read + 1) * per_window);
                read += 1;
                Some(window)
            };
            let mut seen = Vec::new();
            let threads = NonZeroUsize::new(2).unwrap();
            // The first item a worker takes waits until the other worker has taken one too:
            // both must work, whichever starts first.
            let (both_started, met) = (std::sync::Barrier::new(2), AtomicBool::new(false));
            for_each_in_order(
                next_window,
                reading,
                threads,
                |window: &Vec<u32>, item| {
                    if !met.load(Ordering::SeqCst) {
                        both_started.wait();
                        met.store(true, Ordering::SeqCst);
                    }
                    (window[item], std::thread::current().id())
                },
                |results| seen.extend(results),
            );
            let order: Vec<u32> = seen.iter().map(|r| r.0).collect();
            assert_eq!(
                order,
                (0..windows * per_window).collect::<Vec<_>>(),
                "{reading:?}"
            );
            let main = std::thread::current().id();
            assert!(
                seen.iter().any(|r| r.1 != main),
                "large windows are spread over threads ({reading:?})"
            );
            // Memory is bounded: the windows processed are filled again.
            assert!(
                made <= WINDOWS_IN_FLIGHT,
                "{made} windows made ({reading:?})"
            );
        }
    }

    #[test]
    fn a_helper_held_up_in_a_window_does_not_hold_up_the_calling_thread() {
        // The helper's first item of the first window waits until an item of the second
        // window has been processed, which only the calling thread can do meanwhile: it must
        // take batches of the next window instead of waiting for the first to be finished.
        // The calling thread's first item waits for the helper to have taken one.
        let main = std::thread::current().id();
        let (held, second_started) = (AtomicBool::new(false), AtomicBool::new(false));
        let mut read = 0;
        let next_window = |_: Option<Vec<u32>>| {
            read += 1;
            (read <= 3).then(|| (read * 1000..read * 1000 + 1000).collect())
        };
        let mut seen = Vec::new();
        for_each_in_order(
            next_window,
            Reading::Inline,
            NonZeroUsize::new(2).unwrap(),
            |window: &Vec<u32>, item| {
                let value = window[item];
                let waited = std::time::Instant::now();
                let wait_for = |flag: &AtomicBool, what: &str| {
                    while !flag.load(Ordering::SeqCst) {
                        assert!(
                            waited.elapsed() < std::time::Duration::from_secs(20),
                            "{what}"
                        );
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                };
                if value >= 2000 {
                    second_started.store(true, Ordering::SeqCst);
                } else if value == 1000 && std::thread::current().id() == main {
                    wait_for(&held, "the helper took no batch");
                } else if std::thread::current().id() != main && !held.swap(true, Ordering::SeqCst)
                {
                    wait_for(
                        &second_started,
                        "the calling thread waited for the helper's batch",
                    );
                }
                value
            },
            |results| seen.extend(results),
        );
        assert_eq!(seen, (1000..4000).collect::<Vec<_>>());
    }

    #[test]
    fn what_was_read_is_reported_before_the_reader_waits_for_more() {
        /// Whether the input has bytes ready: never (the window being read was its last).
        fn paused() -> bool {
            false
        }
        for reading in [Reading::OnItsOwnThread, Reading::InlineWhenReady(paused)] {
            reported_before_waiting(reading);
        }
    }

    /// The first window is reported before `next_window` is asked for another, which waits
    /// until then (standard input that pauses, then goes on).
    fn reported_before_waiting(reading: Reading) {
        let first_reported = AtomicBool::new(false);
        let mut calls = 0;
        let next_window = |_: Option<Vec<u32>>| {
            calls += 1;
            match calls {
                1 => Some((0..100).collect()),
                2 => {
                    // Standard input pausing: more comes only once the first window is out.
                    let waited = std::time::Instant::now();
                    while !first_reported.load(Ordering::SeqCst) {
                        assert!(
                            waited.elapsed() < std::time::Duration::from_secs(20),
                            "the first window was held back until more was read ({reading:?})"
                        );
                        std::thread::sleep(std::time::Duration::from_millis(1));
                    }
                    Some((100..200).collect())
                }
                _ => None,
            }
        };
        let mut seen = Vec::new();
        for_each_in_order(
            next_window,
            reading,
            NonZeroUsize::new(2).unwrap(),
            |window: &Vec<u32>, item| window[item],
            |results| {
                first_reported.store(true, Ordering::SeqCst);
                seen.extend(results);
            },
        );
        assert_eq!(seen, (0..200).collect::<Vec<_>>());
    }
}
