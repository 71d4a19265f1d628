//! Torn-record repair: what opening a journal does with a last record cut short by a crash.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// A torn last record found, and cut off, when a journal was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TornTail {
    /// Where it began, in bytes from the start of the journal: just after the last line break,
    /// and the journal's length once it was cut off.
    pub offset: u64,
    /// How many bytes it had.
    pub length: u64,
    /// The side file its bytes were appended to, as one line.
    pub kept_in: PathBuf,
}

/// Bytes read at a time while looking backwards for the last line break.
pub(super) const TAIL_CHUNK: u64 = 64 << 10;

/// Where the torn last record of `file` begins (just after its last line break, or 0 when it
/// has none), or `None` when the file is empty or ends with a line break.
pub(super) fn torn_tail_offset(file: &mut File) -> std::io::Result<Option<u64>> {
    let length = file.metadata()?.len();
    let mut end = length;
    let mut chunk = Vec::new();
    while end > 0 {
        let start = end.saturating_sub(TAIL_CHUNK);
        chunk.resize(
            usize::try_from(end - start).map_err(std::io::Error::other)?,
            0,
        );
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut chunk)?;
        if let Some(at) = chunk.iter().rposition(|&byte| byte == b'\n') {
            let offset = start + at as u64 + 1;
            return Ok((offset < length).then_some(offset));
        }
        end = start;
    }
    Ok((length > 0).then_some(0))
}

/// Moves the torn last record of the journal `file` at `path`, if it has one, to the side
/// file (appended as one line, fsynced), then cuts the journal back to its last line break
/// (fsynced); says what it did.
pub(super) fn cut_torn_tail(path: &Path, file: &mut File) -> std::io::Result<Option<TornTail>> {
    let Some(offset) = torn_tail_offset(file)? else {
        return Ok(None);
    };
    let mut tail = Vec::new();
    file.seek(SeekFrom::Start(offset))?;
    file.read_to_end(&mut tail)?;
    let length = tail.len() as u64;
    tail.push(b'\n');
    let mut side_name = path.file_name().unwrap_or_default().to_os_string();
    side_name.push(".torn");
    let kept_in = path.with_file_name(side_name);
    let side_existed = kept_in.exists();
    let mut side = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&kept_in)?;
    Write::write_all(&mut side, &tail)?;
    side.sync_all()?;
    if !side_existed {
        if let Some(directory) = kept_in.parent() {
            sync_directory(directory)?;
        }
    }
    // Only once the torn bytes are safe in the side file: a crash before this point leaves
    // the journal as it was, to be recovered again.
    file.set_len(offset)?;
    file.sync_all()?;
    Ok(Some(TornTail {
        offset,
        length,
        kept_in,
    }))
}

/// Makes the entries of `directory` durable (a newly created file's name).
pub(crate) fn sync_directory(directory: &Path) -> std::io::Result<()> {
    let directory = if directory.as_os_str().is_empty() {
        Path::new(".")
    } else {
        directory
    };
    File::open(directory)?.sync_all()
}
