//! A progress bar on standard error, for runs that take more than a moment on a terminal.
//! Never drawn on a pipe or a file.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// How long a run goes before its progress bar appears.
const SHOW_AFTER: Duration = Duration::from_millis(700);

/// Progress over the bytes of the inputs.
pub struct Progress {
    bar: ProgressBar,
    started: Instant,
    can_show: bool,
    shown: bool,
}

impl Progress {
    /// Progress over the bytes of `inputs` (unknown when one is standard input or compressed).
    pub fn for_inputs(inputs: &[crate::discover::Input]) -> Self {
        Self::new(inputs.iter().map(|input| input.size).sum())
    }

    /// Progress over `total` bytes (unknown when standard input is read).
    pub fn new(total: Option<u64>) -> Self {
        let bar = ProgressBar::hidden();
        let template = match total {
            Some(total) => {
                bar.set_length(total);
                "{spinner} {bytes}/{total_bytes} {wide_bar} {msg} ({eta} left)"
            }
            None => "{spinner} {bytes} {msg}",
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Self {
            bar,
            started: Instant::now(),
            can_show: std::io::stderr().is_terminal(),
            shown: false,
        }
    }

    /// Counts `bytes` more read and `packets` checked so far (called once per window of
    /// packets); shows the bar once the run has lasted a moment.
    pub fn advance(&mut self, bytes: u64, packets: usize) {
        self.bar.inc(bytes);
        if !self.shown && self.can_show && self.started.elapsed() >= SHOW_AFTER {
            self.bar.set_draw_target(ProgressDrawTarget::stderr());
            self.shown = true;
        }
        if self.shown {
            self.bar.set_message(format!("{packets} packets"));
        }
    }

    /// Runs `write` with the bar out of the way, so that output lines are not torn.
    pub fn suspend<T>(&self, write: impl FnOnce() -> T) -> T {
        if self.shown {
            self.bar.suspend(write)
        } else {
            write()
        }
    }

    /// Removes the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
