//! Counting outcomes: the summary line and the exit status.

use crate::check::Verdict;

/// Counts of what became of the packets and inputs of a run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tally {
    /// Valid packets.
    pub valid: usize,
    /// Invalid packets (JSON, but not a valid packet).
    pub invalid: usize,
    /// Malformed packets (not JSON, or over the size limit).
    pub malformed: usize,
    /// Inputs that could not be read (or named nothing to read).
    pub unreadable: usize,
    /// NDJSON inputs without a packet.
    pub without_packets: usize,
    /// Semantic warnings, over all packets.
    pub warnings: usize,
}

impl Tally {
    /// Counts one packet, of `verdict`, with `warnings` semantic warnings.
    pub fn count(&mut self, verdict: Verdict, warnings: usize) {
        match verdict {
            Verdict::Valid => self.valid += 1,
            Verdict::Invalid => self.invalid += 1,
            Verdict::Malformed => self.malformed += 1,
        }
        self.warnings += warnings;
    }

    /// Adds the counts of `other`.
    pub fn add(&mut self, other: &Tally) {
        self.valid += other.valid;
        self.invalid += other.invalid;
        self.malformed += other.malformed;
        self.unreadable += other.unreadable;
        self.without_packets += other.without_packets;
        self.warnings += other.warnings;
    }

    /// Packets checked.
    pub fn packets(&self) -> usize {
        self.valid + self.invalid + self.malformed
    }

    /// 2 if an input was unreadable or no packet was found at all, else 1 if a packet was
    /// invalid or malformed, else 0.
    pub fn exit_code(&self) -> u8 {
        if self.unreadable > 0 || self.packets() == 0 {
            2
        } else if self.invalid + self.malformed > 0 {
            1
        } else {
            0
        }
    }

    /// `3 valid, 1 invalid, 0 malformed, 0 unreadable (2 warnings)`.
    pub fn summary(&self) -> String {
        let mut line = format!(
            "{} valid, {} invalid, {} malformed, {} unreadable",
            self.valid, self.invalid, self.malformed, self.unreadable
        );
        match self.warnings {
            0 => {}
            1 => line.push_str(" (1 warning)"),
            n => line.push_str(&format!(" ({n} warnings)")),
        }
        if self.packets() == 0 {
            line.push_str("; no packet found");
        }
        line
    }
}
