//! Processing a stream on every core while keeping its order: items are taken in windows of
//! bounded size, each window is split between threads, and the results are handed back in
//! input order. A reader thread fills the next window while the current one is processed, so
//! reading does not hold the workers up. Memory is bounded by three windows (the one read, the
//! one waiting, the one processed), whatever the length of the stream.

use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, PoisonError};

/// Most items in one window.
const WINDOW_ITEMS: usize = 4096;
/// Most bytes of items in one window (an item over it still makes a window of its own).
const WINDOW_BYTES: u64 = 8 << 20;
/// Windows read ahead of the one being processed.
const READ_AHEAD_WINDOWS: usize = 1;
/// Items handed to a thread at a time.
const BATCH_ITEMS: usize = 64;
/// Below this many items a window is processed on the calling thread.
const PARALLEL_FROM: usize = 64;

/// How an item of the stream is sized and whether the stream pauses after it.
pub trait WindowItem {
    /// Its size in bytes, counted against the window's byte budget.
    fn bytes(&self) -> u64;
    /// Whether the source has nothing more ready after this item: the window ends here so
    /// that what was read is reported before waiting for more.
    fn ends_window(&self) -> bool;
}

/// Runs `process` on every item of `items` using `threads` threads, and hands the results to
/// `sink` window by window, in the order of `items`.
pub fn for_each_in_order<I, R>(
    items: impl Iterator<Item = I> + Send,
    threads: NonZeroUsize,
    process: impl Fn(I) -> R + Sync,
    mut sink: impl FnMut(Vec<R>),
) where
    I: WindowItem + Send,
    R: Send,
{
    std::thread::scope(|scope| {
        let (windows, read) = std::sync::mpsc::sync_channel(READ_AHEAD_WINDOWS);
        scope.spawn(move || {
            let mut items = items.peekable();
            while items.peek().is_some() {
                // The receiver is gone only if the sink panicked: stop reading.
                if windows.send(next_window(&mut items)).is_err() {
                    break;
                }
            }
        });
        for window in read {
            sink(process_window(window, threads.get(), &process));
        }
    });
}

fn next_window<I: WindowItem>(items: &mut impl Iterator<Item = I>) -> Vec<I> {
    let mut window = Vec::new();
    let mut bytes = 0u64;
    for item in items.by_ref() {
        bytes = bytes.saturating_add(item.bytes());
        let ends = item.ends_window();
        window.push(item);
        if ends || window.len() >= WINDOW_ITEMS || bytes >= WINDOW_BYTES {
            break;
        }
    }
    window
}

fn process_window<I: Send, R: Send>(
    window: Vec<I>,
    threads: usize,
    process: &(impl Fn(I) -> R + Sync),
) -> Vec<R> {
    if threads <= 1 || window.len() < PARALLEL_FROM {
        return window.into_iter().map(process).collect();
    }
    // Items are handed out in small batches from a shared cursor, the calling thread working
    // too: a thread slowed down (by the reader thread, say) takes fewer batches, and none waits
    // for another to finish an equal share.
    let mut rest = window.into_iter();
    let mut batches: Vec<Mutex<Vec<I>>> = Vec::new();
    loop {
        let batch: Vec<I> = rest.by_ref().take(BATCH_ITEMS).collect();
        if batch.is_empty() {
            break;
        }
        batches.push(Mutex::new(batch));
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let mut done = Vec::new();
        loop {
            let index = next.fetch_add(1, Ordering::Relaxed);
            let Some(batch) = batches.get(index) else {
                return done;
            };
            let batch = std::mem::take(&mut *batch.lock().unwrap_or_else(PoisonError::into_inner));
            done.push((index, batch.into_iter().map(process).collect::<Vec<R>>()));
        }
    };
    let mut results = std::thread::scope(|scope| {
        let helpers: Vec<_> = (1..threads).map(|_| scope.spawn(work)).collect();
        let mut results = work();
        for helper in helpers {
            match helper.join() {
                Ok(done) => results.extend(done),
                // A panic in `process` is a bug; carry it to the caller unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            }
        }
        results
    });
    results.sort_unstable_by_key(|(index, _)| *index);
    results
        .into_iter()
        .flat_map(|(_, results)| results)
        .collect()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::AtomicBool;

    use super::*;

    struct Item(u32, bool);

    impl WindowItem for Item {
        fn bytes(&self) -> u64 {
            1
        }
        fn ends_window(&self) -> bool {
            self.1
        }
    }

    #[test]
    fn results_come_back_in_input_order_over_many_windows() {
        let n = 3 * WINDOW_ITEMS as u32 + 17;
        let items = (0..n).map(|i| Item(i, i % 1000 == 999));
        let mut seen = Vec::new();
        let threads = NonZeroUsize::new(2).unwrap();
        // The first item a worker takes waits until the other worker has taken one too: both
        // must work, whichever starts first.
        let (both_started, met) = (std::sync::Barrier::new(2), AtomicBool::new(false));
        for_each_in_order(
            items,
            threads,
            |item| {
                if !met.load(Ordering::SeqCst) {
                    both_started.wait();
                    met.store(true, Ordering::SeqCst);
                }
                (item.0, std::thread::current().id())
            },
            |results| seen.extend(results),
        );
        let order: Vec<u32> = seen.iter().map(|r| r.0).collect();
        assert_eq!(order, (0..n).collect::<Vec<_>>());
        let main = std::thread::current().id();
        assert!(
            seen.iter().any(|r| r.1 != main),
            "large windows are spread over threads"
        );
    }

    #[test]
    fn a_window_ends_where_the_source_pauses() {
        let mut items = vec![Item(0, false), Item(1, true), Item(2, false)].into_iter();
        assert_eq!(next_window(&mut items).len(), 2);
        assert_eq!(next_window(&mut items).len(), 1);
    }
}
