//! The forwarder's position: where in the journal it has finished, kept in a small file beside
//! the journal, replaced atomically and durably.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::journal::Position;

/// The position file of a forwarder: one JSON object, `{"journal":"accepted.ndjson",
/// "offset":N,"line":L}`: every record of the journal before byte `offset` (line `L`) has been
/// forwarded or dead-lettered (or, for a before-webhook, skipped).
///
/// It is replaced atomically: written whole to a temporary file beside it, made durable
/// (fsync), renamed over the old one, and the directory made durable. A crash at any moment
/// leaves either the old position or the new one, never a mix; after a crash the forwarder
/// resumes from the last position saved, so what it finished since is sent again (at least
/// once, never lost).
#[derive(Clone, Debug)]
pub struct PositionFile {
    path: PathBuf,
    journal_name: String,
}

/// The file's content.
#[derive(Serialize, Deserialize)]
struct Saved {
    journal: String,
    offset: u64,
    line: u64,
}

impl PositionFile {
    /// The position file at `path`, of the journal at `journal`.
    pub fn new(path: impl Into<PathBuf>, journal: &Path) -> Self {
        Self {
            path: path.into(),
            journal_name: journal
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The position saved, or `None` when there is no file yet.
    pub fn load(&self) -> std::io::Result<Option<Position>> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(text) => text,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(error) => return Err(error),
        };
        let saved: Saved = serde_json::from_str(&text).map_err(|error| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!("{}: not a position file: {error}", self.path.display()),
            )
        })?;
        if saved.journal != self.journal_name {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidData,
                format!(
                    "{}: the position of {:?}, not of {:?}",
                    self.path.display(),
                    saved.journal,
                    self.journal_name
                ),
            ));
        }
        Ok(Some(Position {
            offset: saved.offset,
            line: saved.line,
        }))
    }

    /// Saves `position`, atomically and durably.
    pub fn save(&self, position: Position) -> std::io::Result<()> {
        let saved = Saved {
            journal: self.journal_name.clone(),
            offset: position.offset,
            line: position.line,
        };
        let mut text = serde_json::to_vec(&saved).map_err(std::io::Error::other)?;
        text.push(b'\n');
        let temporary = self.path.with_extension("tmp");
        {
            let mut file = File::create(&temporary)?;
            file.write_all(&text)?;
            file.sync_all()?;
        }
        std::fs::rename(&temporary, &self.path)?;
        if let Some(directory) = self.path.parent() {
            crate::journal::sync_directory(directory)?;
        }
        Ok(())
    }
}

/// Checks that `position` can be a position of the journal at `journal`: not past its end, and
/// at the start of a line. A journal cut short or replaced since the position was saved fails
/// here, rather than being read from the middle of a record.
pub(crate) fn check_position(journal: &Path, position: Position) -> std::io::Result<()> {
    let mut file = OpenOptions::new().read(true).open(journal)?;
    let length = file.metadata()?.len();
    let invalid = |why: String| {
        std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!(
                "the forwarder's position (byte {}, line {}) does not fit {}: {why}; if the \
                 journal was replaced on purpose, remove the position file to forward from its \
                 end",
                position.offset,
                position.line,
                journal.display()
            ),
        )
    };
    if position.offset > length {
        return Err(invalid(format!("the journal has {length} bytes")));
    }
    if position.offset > 0 {
        let mut byte = [0u8];
        file.seek(SeekFrom::Start(position.offset - 1))?;
        file.read_exact(&mut byte)?;
        if byte[0] != b'\n' {
            return Err(invalid("it is not the start of a line".to_owned()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_is_saved_and_loaded_and_checked() {
        let dir = tempfile::tempdir().unwrap();
        let journal = dir.path().join("accepted.ndjson");
        std::fs::write(&journal, b"{\"a\":1}\n{\"b\":2}\n").unwrap();
        let file = PositionFile::new(dir.path().join("forward.position"), &journal);
        assert_eq!(file.load().unwrap(), None);
        let position = Position { offset: 8, line: 2 };
        file.save(position).unwrap();
        assert_eq!(file.load().unwrap(), Some(position));
        assert!(!dir.path().join("forward.tmp").exists());
        check_position(&journal, position).unwrap();
        check_position(
            &journal,
            Position {
                offset: 16,
                line: 3,
            },
        )
        .unwrap();
        let middle = check_position(&journal, Position { offset: 5, line: 1 }).unwrap_err();
        assert!(
            middle.to_string().contains("not the start of a line"),
            "{middle}"
        );
        let past = check_position(
            &journal,
            Position {
                offset: 99,
                line: 9,
            },
        )
        .unwrap_err();
        assert!(past.to_string().contains("has 16 bytes"), "{past}");
        // Another journal's position file is refused.
        let other = PositionFile::new(file.path(), &dir.path().join("quarantine.ndjson"));
        assert!(other.load().is_err());
    }
}
