//! The findings of a run: every observation of every packet summed up by key (command word,
//! kind, place and path), in memory bounded whatever the number of packets.

use std::collections::BTreeMap;

use trtc_live_validate::Command;

use super::kind::{JsonType, Kind};
use super::observe::{Key, Observation, SeenValue, Word};
use super::schemas::KeywordLocation;

/// Most findings kept; the observations of any further key are counted, not kept.
const MOST_FINDINGS: usize = 10_000;
/// Places kept per finding.
const EXAMPLES: usize = 3;
/// Distinct values kept per finding (shown with `--show-values`).
const SHOWN_VALUES: usize = 3;
/// Distinct values kept per finding of an enumeration (for its patch).
const ENUMERATION_VALUES: usize = 64;

/// The findings of one command word (`None`: of the packets without one).
pub type Group<'a> = (Option<&'a str>, Vec<(&'a Key, &'a Finding)>);

/// One finding: what the packets with its key have in common.
#[derive(Clone, Debug, Default)]
pub struct Finding {
    /// Packets with it.
    pub count: u64,
    /// The JSON types of the values seen, with what is known of their sizes.
    pub types: BTreeMap<JsonType, TypeSeen>,
    /// The earliest and latest packet times seen, in Unix milliseconds.
    pub first_ms: Option<u64>,
    /// See `first_ms`.
    pub last_ms: Option<u64>,
    /// Up to [`EXAMPLES`] places, `source:line`, in input order.
    pub examples: Vec<String>,
    /// Distinct values seen, as JSON text, in input order: up to [`SHOWN_VALUES`], or
    /// [`ENUMERATION_VALUES`] for an enumeration.
    pub values: Vec<SeenValue>,
    /// Whether more distinct values were seen than kept.
    pub more_values: bool,
    /// The keyword that failed, in its schema file.
    pub location: Option<KeywordLocation>,
    /// What the schema expects, in words.
    pub expected: Option<String>,
}

/// The values of one JSON type seen at a finding's place.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TypeSeen {
    /// Packets with a value of this type there.
    pub count: u64,
    /// The smallest size (characters, digits, items or members).
    pub min_size: u64,
    /// The largest size.
    pub max_size: u64,
    /// Whether a negative number was seen.
    pub negative: bool,
}

/// Packets read of one command word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PacketCount {
    /// All of them.
    pub packets: u64,
    /// Those with a finding.
    pub drifting: u64,
}

/// Everything a run found.
#[derive(Debug)]
pub struct Findings {
    /// The findings by key, in report order.
    pub findings: BTreeMap<Key, Finding>,
    /// Observations not kept because [`MOST_FINDINGS`] findings were kept already.
    pub dropped: u64,
    /// Packets by known command, in the order of `Command::ALL`.
    known: Vec<PacketCount>,
    /// Packets of unknown command words (`None`: without one).
    unknown: BTreeMap<Option<String>, PacketCount>,
}

impl Default for Findings {
    fn default() -> Self {
        Self {
            findings: BTreeMap::new(),
            dropped: 0,
            known: vec![PacketCount::default(); Command::ALL.len()],
            unknown: BTreeMap::new(),
        }
    }
}

impl Findings {
    /// Counts one packet of `command` and adds its observations.
    pub fn add_packet(&mut self, command: &Word, observations: Vec<Observation>) {
        let drifting = u64::from(!observations.is_empty());
        let count = match command {
            Word::Known(command) => {
                let index = Command::ALL
                    .iter()
                    .position(|known| known == command)
                    .unwrap_or_default();
                &mut self.known[index]
            }
            Word::Unknown(word) => self.unknown.entry(Some(word.clone())).or_default(),
            Word::Missing => self.unknown.entry(None).or_default(),
        };
        count.packets += 1;
        count.drifting += drifting;
        for observation in observations {
            self.add(observation);
        }
    }

    fn add(&mut self, observation: Observation) {
        let full = self.findings.len() >= MOST_FINDINGS;
        let finding = match self.findings.get_mut(&observation.key) {
            Some(finding) => finding,
            None if full => {
                self.dropped += 1;
                return;
            }
            None => self.findings.entry(observation.key.clone()).or_default(),
        };
        finding.count += 1;
        let mut types: BTreeMap<JsonType, TypeSeen> = BTreeMap::new();
        for value in &observation.values {
            let seen = types.entry(value.json_type).or_insert(TypeSeen {
                count: 1,
                min_size: value.size,
                max_size: value.size,
                negative: false,
            });
            seen.min_size = seen.min_size.min(value.size);
            seen.max_size = seen.max_size.max(value.size);
            seen.negative |= value.negative;
        }
        for (json_type, seen) in types {
            finding
                .types
                .entry(json_type)
                .and_modify(|all| {
                    all.count += 1;
                    all.min_size = all.min_size.min(seen.min_size);
                    all.max_size = all.max_size.max(seen.max_size);
                    all.negative |= seen.negative;
                })
                .or_insert(seen);
        }
        if let Some(time) = observation.time_ms {
            finding.first_ms = Some(finding.first_ms.map_or(time, |first| first.min(time)));
            finding.last_ms = Some(finding.last_ms.map_or(time, |last| last.max(time)));
        }
        if finding.examples.len() < EXAMPLES {
            finding.examples.push(observation.example);
        }
        let most_values = if observation.key.kind == Kind::UnknownEnumValue {
            ENUMERATION_VALUES
        } else {
            SHOWN_VALUES
        };
        for value in observation.values {
            if finding.values.iter().any(|kept| kept.text == value.text) {
                continue;
            }
            if finding.values.len() < most_values {
                finding.values.push(value);
            } else {
                finding.more_values = true;
            }
        }
        if finding.location.is_none() {
            finding.location = observation.location;
        }
        if finding.expected.is_none() {
            finding.expected = observation.expected;
        }
    }

    /// Packets read, by command word (`None`: without one), known words first in the order of
    /// the command list.
    pub fn packets_by_command(&self) -> Vec<(Option<&str>, PacketCount)> {
        let known = Command::ALL
            .iter()
            .zip(&self.known)
            .filter(|(_, count)| count.packets > 0)
            .map(|(command, count)| (Some(command.as_str()), *count));
        let unknown = self
            .unknown
            .iter()
            .map(|(word, count)| (word.as_deref(), *count));
        known.chain(unknown).collect()
    }

    /// Packets read, and those with a finding.
    pub fn total(&self) -> PacketCount {
        self.packets_by_command()
            .iter()
            .fold(PacketCount::default(), |total, (_, count)| PacketCount {
                packets: total.packets + count.packets,
                drifting: total.drifting + count.drifting,
            })
    }

    /// The findings grouped by command word, in report order: the words in the order of
    /// [`Self::packets_by_command`], the packets without one last.
    pub fn by_command(&self) -> Vec<Group<'_>> {
        let mut groups: Vec<Group<'_>> = Vec::new();
        for (word, _) in self.packets_by_command() {
            let findings: Vec<(&Key, &Finding)> = self
                .findings
                .iter()
                .filter(|(key, _)| key.command.as_deref() == word)
                .collect();
            if !findings.is_empty() {
                groups.push((word, findings));
            }
        }
        groups.sort_by_key(|(word, _)| word.is_none());
        groups
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::drift::kind::Part;

    fn observation(path: &str, value: &str, time_ms: u64) -> Observation {
        Observation {
            key: Key {
                command: Some("Live.CallbackAfterEndBattle".to_owned()),
                kind: Kind::UnknownMember,
                part: Part::Body,
                path: path.to_owned(),
            },
            values: vec![SeenValue {
                json_type: JsonType::String,
                size: value.len() as u64,
                negative: false,
                text: format!("\"{value}\""),
                whole: true,
            }],
            time_ms: Some(time_ms),
            example: format!("a.ndjson:{time_ms}"),
            location: None,
            expected: None,
        }
    }

    #[test]
    fn a_finding_keeps_counts_the_time_range_and_a_few_places_and_values() {
        let mut findings = Findings::default();
        let battle = Word::Known(Command::LiveCallbackAfterEndBattle);
        for (time, value) in [(5, "a"), (2, "bb"), (9, "a"), (7, "cccc"), (3, "ddd")] {
            findings.add_packet(&battle, vec![observation("/X", value, time)]);
        }
        findings.add_packet(&battle, Vec::new());
        let finding = &findings.findings.values().next().unwrap();
        assert_eq!(finding.count, 5);
        assert_eq!((finding.first_ms, finding.last_ms), (Some(2), Some(9)));
        assert_eq!(finding.examples, ["a.ndjson:5", "a.ndjson:2", "a.ndjson:9"]);
        let values: Vec<&str> = finding.values.iter().map(|v| v.text.as_str()).collect();
        assert_eq!(values, ["\"a\"", "\"bb\"", "\"cccc\""]);
        assert!(finding.more_values);
        let seen = finding.types[&JsonType::String];
        assert_eq!((seen.count, seen.min_size, seen.max_size), (5, 1, 4));
        assert_eq!(
            findings.total(),
            PacketCount {
                packets: 6,
                drifting: 5
            }
        );
    }

    #[test]
    fn findings_beyond_the_most_kept_are_counted_not_kept() {
        let mut findings = Findings::default();
        let battle = Word::Known(Command::LiveCallbackAfterEndBattle);
        for index in 0..MOST_FINDINGS + 5 {
            findings.add_packet(&battle, vec![observation(&format!("/X{index}"), "v", 1)]);
        }
        assert_eq!(findings.findings.len(), MOST_FINDINGS);
        assert_eq!(findings.dropped, 5);
    }
}
