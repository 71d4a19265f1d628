//! An append-only journal of deliveries: one JSON record per line, each appended and flushed to
//! disk (fsync) before the caller goes on, so that a delivery that was answered is never lost.

use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

/// One delivery, as journaled.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// When it was received, in Unix milliseconds (the receiver's clock).
    pub received_at_ms: u64,
    /// The address it came from.
    pub remote: String,
    /// The request's query string as received (URL parameters, `Sign` included, never a token).
    pub query: String,
    /// The command word, when it is known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub command: Option<String>,
    /// For a quarantined delivery, why it was not accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The body exactly as received, when it is UTF-8 text (every JSON body is).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// The body in hexadecimal, when it is not UTF-8.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_hex: Option<String>,
}

impl Record {
    /// A record of `body`, kept exactly: as text when it is UTF-8, else in hexadecimal.
    pub fn new(received_at_ms: u64, remote: String, query: String, body: &[u8]) -> Self {
        let (body, body_hex) = match std::str::from_utf8(body) {
            Ok(text) => (Some(text.to_owned()), None),
            Err(_) => (
                None,
                Some(body.iter().map(|b| format!("{b:02x}")).collect()),
            ),
        };
        Self {
            received_at_ms,
            remote,
            query,
            command: None,
            reason: None,
            body,
            body_hex,
        }
    }
}

/// An append-only file of records.
pub struct Journal {
    path: PathBuf,
    file: Mutex<File>,
}

impl std::fmt::Debug for Journal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Journal").field("path", &self.path).finish()
    }
}

impl Journal {
    /// Opens (or creates) the journal at `path` for appending; a new file's directory entry is
    /// made durable too.
    pub fn open(path: &Path) -> std::io::Result<Self> {
        let existed = path.exists();
        let file = OpenOptions::new().create(true).append(true).open(path)?;
        if !existed {
            file.sync_all()?;
            if let Some(directory) = path.parent() {
                sync_directory(directory)?;
            }
        }
        Ok(Self {
            path: path.to_path_buf(),
            file: Mutex::new(file),
        })
    }

    /// Where the journal is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `record` as one line and waits until it is on disk. Blocking: call it from a
    /// thread that may block.
    pub fn append(&self, record: &Record) -> std::io::Result<()> {
        let mut line = serde_json::to_vec(record).map_err(std::io::Error::other)?;
        line.push(b'\n');
        // A poisoned lock means another append panicked mid-way; the file itself is still an
        // append-only file, so carry on with it.
        let mut file = self
            .file
            .lock()
            .unwrap_or_else(|poison| poison.into_inner());
        file.write_all(&line)?;
        file.sync_data()
    }

    #[cfg(test)]
    /// Every complete record of the journal at `path` (a torn last line, left by a crash
    /// during an append that was therefore never acknowledged, is skipped).
    pub fn read(path: &Path) -> std::io::Result<Vec<Record>> {
        let text = std::fs::read_to_string(path)?;
        Ok(text
            .lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .collect())
    }
}

/// Makes the entries of `directory` durable (a newly created file's name).
fn sync_directory(directory: &Path) -> std::io::Result<()> {
    let directory = if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory
    };
    File::open(directory)?.sync_all()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_are_appended_and_read_back_exactly() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("accepted.ndjson");
        let journal = Journal::open(&path).unwrap();
        let text = Record::new(
            1,
            "127.0.0.1:1".into(),
            "SdkAppid=1".into(),
            b"{\"a\": 1}\n",
        );
        let binary = Record::new(2, "127.0.0.1:2".into(), String::new(), &[0xff, 0x00]);
        journal.append(&text).unwrap();
        journal.append(&binary).unwrap();
        drop(journal);
        // Reopened: appends go after what is there.
        Journal::open(&path).unwrap().append(&text).unwrap();
        let read = Journal::read(&path).unwrap();
        assert_eq!(read, vec![text.clone(), binary.clone(), text]);
        assert_eq!(read[1].body_hex.as_deref(), Some("ff00"));
    }

    #[test]
    fn a_torn_last_line_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("j.ndjson");
        let journal = Journal::open(&path).unwrap();
        let record = Record::new(1, String::new(), String::new(), b"{}");
        journal.append(&record).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"received_at_ms\": 2, \"rem")
            .unwrap();
        assert_eq!(Journal::read(&path).unwrap(), vec![record]);
    }
}
