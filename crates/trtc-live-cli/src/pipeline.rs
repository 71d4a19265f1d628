//! Processing a stream on every core while keeping its order: items are taken in windows of
//! bounded size, each window is split between threads, and the results are handed back in
//! input order. A reader thread fills the next window while the current one is processed, so
//! reading does not hold the workers up. Memory is bounded by three windows (the one read, the
//! one waiting, the one processed), whatever the length of the stream.

use std::num::NonZeroUsize;

/// Most items in one window.
const WINDOW_ITEMS: usize = 4096;
/// Most bytes of items in one window (an item over it still makes a window of its own).
const WINDOW_BYTES: u64 = 8 << 20;
/// Windows read ahead of the one being processed.
const READ_AHEAD_WINDOWS: usize = 1;
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
    let chunk_len = window.len().div_ceil(threads);
    let mut chunks: Vec<Vec<I>> = Vec::with_capacity(threads);
    let mut rest = window.into_iter();
    loop {
        let chunk: Vec<I> = rest.by_ref().take(chunk_len).collect();
        if chunk.is_empty() {
            break;
        }
        chunks.push(chunk);
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| scope.spawn(move || chunk.into_iter().map(process).collect::<Vec<R>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|handle| match handle.join() {
                Ok(results) => results,
                // A panic in `process` is a bug; carry it to the caller unchanged.
                Err(payload) => std::panic::resume_unwind(payload),
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
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
        let threads = NonZeroUsize::new(3).unwrap();
        for_each_in_order(
            items,
            threads,
            |item| (item.0, std::thread::current().id()),
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
