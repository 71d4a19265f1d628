//! The journal through its public API: records written by the group-commit writer read back
//! exactly by the reader, journals written by earlier versions still read, torn records
//! repaired on opening, and a reader resumed at a saved position.

#![cfg(feature = "journal")]

use std::io::Write;
use std::path::Path;
use std::sync::Arc;

use trtc_live_receiver::journal::{
    Journal, JournalReader, Journals, Position, Record, RecordError, TornTail,
};

/// Lines in the format `trtc-live serve` wrote before the journal moved into this crate (the
/// same members in the same order, absent ones left out): an accepted delivery, a quarantined
/// one with its reason, and a body that is not UTF-8.
const EARLIER_JOURNAL: &str = concat!(
    r#"{"received_at_ms":1764135600123,"remote":"127.0.0.1:50412","query":"SdkAppid=1400000000&CallbackCommand=Live.CallbackAfterEndBattle&contenttype=json&ClientIP=127.0.0.1&OptPlatform=RESTAPI&Sign=7d9a83fa332c2cd3038466a09034743a14baa20bc8e386940bd67f97c9014b55&RequestTime=1764135600","command":"Live.CallbackAfterEndBattle","body":"{\"CallbackCommand\":\"Live.CallbackAfterEndBattle\",\"Owner_Account\":144115245442327522}"}"#,
    "\n",
    r#"{"received_at_ms":1764135600200,"remote":"127.0.0.1:50413","query":"SdkAppid=1400000000","command":"Live.CallbackAfterEndBattle","reason":"packet does not match its schema","body":"{\"CallbackCommand\": \"Live.CallbackAfterEndBattle\", \"OpType\": 7}"}"#,
    "\n",
    r#"{"received_at_ms":1764135600300,"remote":"127.0.0.1:50414","query":"","body_hex":"ff00fe"}"#,
    "\n",
);

#[test]
fn journals_written_by_earlier_versions_are_read_exactly() {
    let records: Vec<(u64, Record)> = JournalReader::new(EARLIER_JOURNAL.as_bytes())
        .map(|(line, record)| (line, record.unwrap()))
        .collect();
    assert_eq!(records.len(), 3);
    let (line, accepted) = &records[0];
    assert_eq!(*line, 1);
    assert_eq!(accepted.received_at_ms(), 1_764_135_600_123);
    assert_eq!(accepted.remote(), "127.0.0.1:50412");
    assert!(accepted
        .query()
        .starts_with("SdkAppid=1400000000&CallbackCommand="));
    assert_eq!(accepted.command(), Some("Live.CallbackAfterEndBattle"));
    assert_eq!(accepted.reason(), None);
    // The 64-bit account id, byte for byte: the body is text, never a parsed number.
    assert_eq!(
        &*accepted.body_bytes(),
        br#"{"CallbackCommand":"Live.CallbackAfterEndBattle","Owner_Account":144115245442327522}"#
    );
    assert_eq!(
        records[1].1.reason(),
        Some("packet does not match its schema")
    );
    assert_eq!(&*records[2].1.body_bytes(), &[0xff, 0x00, 0xfe]);
    // Written again, each record is the line it was read from.
    let rewritten: Vec<u8> = records.iter().flat_map(|(_, r)| r.to_line()).collect();
    assert_eq!(String::from_utf8(rewritten).unwrap(), EARLIER_JOURNAL);
}

fn record(i: u64) -> Record {
    Record::new(
        i,
        "127.0.0.1:1",
        format!("n={i}"),
        format!("{{\"n\": {i}}}").as_bytes(),
    )
    .with_command("Live.CallbackAfterEndBattle")
}

fn read_all(path: &Path) -> Vec<(u64, Result<Record, RecordError>)> {
    JournalReader::open(path).unwrap().collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_async_appends_are_all_durable_and_read_back_once() {
    let dir = tempfile::tempdir().unwrap();
    let journals = Arc::new(Journals::open(dir.path().join("journal")).unwrap());
    let tasks: Vec<_> = (0..200)
        .map(|i| {
            let journals = Arc::clone(&journals);
            tokio::spawn(async move { journals.accepted().append(&record(i)).await })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    let stats = journals.accepted().stats();
    assert_eq!(
        (stats.submitted, stats.durable, stats.failed),
        (200, 200, 0)
    );
    assert!(stats.batches >= 1 && stats.batches <= 200, "{stats:?}");
    let path = journals.accepted().path().to_path_buf();
    assert_eq!(
        path,
        dir.path().join("journal").join(Journals::ACCEPTED_FILE)
    );
    let mut seen: Vec<u64> = read_all(&path)
        .into_iter()
        .map(|(_, r)| r.unwrap().received_at_ms())
        .collect();
    seen.sort_unstable();
    assert_eq!(seen, (0..200).collect::<Vec<_>>());
    assert!(journals.quarantine().path().exists());
    assert_eq!(read_all(journals.quarantine().path()).len(), 0);
}

#[test]
fn a_torn_record_is_reported_by_the_reader_then_repaired_by_opening() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accepted.ndjson");
    let journal = Journal::open(&path).unwrap();
    for i in 1..=2 {
        journal.append_blocking(&record(i)).unwrap();
    }
    drop(journal);
    let complete = std::fs::metadata(&path).unwrap().len();
    let torn = &record(3).to_line()[..30];
    std::fs::OpenOptions::new()
        .append(true)
        .open(&path)
        .unwrap()
        .write_all(torn)
        .unwrap();

    // Before the restart: two records, then the torn line, reported and not passed.
    let mut reader = JournalReader::open(&path).unwrap();
    let lines: Vec<_> = reader.by_ref().collect();
    assert_eq!(lines.len(), 3);
    assert!(matches!(
        lines[2],
        (3, Err(RecordError::Torn { length: 30 }))
    ));
    assert_eq!(
        reader.position(),
        Position {
            offset: complete,
            line: 3
        }
    );

    // Opening repairs it: cut off, kept aside, and the journal goes on.
    let journal = Journal::open(&path).unwrap();
    assert_eq!(
        journal.torn_tail(),
        Some(&TornTail {
            offset: complete,
            length: 30,
            kept_in: dir.path().join("accepted.ndjson.torn"),
        })
    );
    journal.append_blocking(&record(4)).unwrap();
    drop(journal);
    let ids: Vec<u64> = read_all(&path)
        .into_iter()
        .map(|(_, r)| r.unwrap().received_at_ms())
        .collect();
    assert_eq!(ids, vec![1, 2, 4]);
    assert_eq!(
        std::fs::read(dir.path().join("accepted.ndjson.torn")).unwrap(),
        [torn, b"\n"].concat()
    );
}

#[test]
fn a_reader_resumes_at_a_saved_position_and_sees_only_what_came_after() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("accepted.ndjson");
    let journal = Journal::open(&path).unwrap();
    for i in 1..=3 {
        journal.append_blocking(&record(i)).unwrap();
    }
    // Everything acknowledged is durable; a forwarder reads up to there only, handles what it
    // finds, and saves where it stopped.
    let durable = journal.durable_length();
    assert_eq!(durable, std::fs::metadata(&path).unwrap().len());
    let mut reader = JournalReader::open(&path).unwrap().until(durable);
    assert_eq!(reader.by_ref().count(), 3);
    let saved = reader.position();
    assert_eq!(saved.line, 4);
    assert_eq!(saved.offset, std::fs::metadata(&path).unwrap().len());
    // More deliveries, then a restart: it reads on from the saved position.
    for i in 4..=5 {
        journal.append_blocking(&record(i)).unwrap();
    }
    let rest: Vec<(u64, u64)> = JournalReader::open_at(&path, saved)
        .unwrap()
        .map(|(line, r)| (line, r.unwrap().received_at_ms()))
        .collect();
    assert_eq!(rest, vec![(4, 4), (5, 5)]);
}

#[test]
fn a_bad_line_is_reported_and_the_next_ones_are_read() {
    let mut bytes = record(1).to_line();
    bytes.extend_from_slice(b"{\"received_at_ms\": \"soon\"}\n");
    bytes.extend_from_slice(&record(2).to_line());
    let lines: Vec<_> = JournalReader::new(bytes.as_slice()).collect();
    assert!(matches!(&lines[0], (1, Ok(_))));
    assert!(
        matches!(&lines[1], (2, Err(RecordError::NotARecord { message })) if message.contains("invalid type")),
        "{:?}",
        lines[1]
    );
    assert!(matches!(&lines[2], (3, Ok(r)) if r.received_at_ms() == 2));
}
