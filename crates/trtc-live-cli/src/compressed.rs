//! Compressed inputs: gzip and zstd archives, recognised by their first bytes (whatever their
//! name) and read as streams, so that memory does not grow with the archive.

use std::io::{Cursor, Read};

/// The file name suffixes of compressed inputs (compared without case): a directory is searched
/// for `*.ndjson.gz`, `*.json.zst`... and the name under the suffix says whether a file is
/// NDJSON.
pub const COMPRESSED_EXTENSIONS: &[&str] = &["gz", "zst"];

/// The compression formats read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    /// gzip (RFC 1952), one member or several one after another (as `cat a.gz b.gz` makes).
    Gzip,
    /// Zstandard (RFC 8878), one frame or several, skippable frames skipped.
    Zstd,
}

const GZIP_MAGIC: &[u8] = &[0x1f, 0x8b];
const ZSTD_MAGIC: &[u8] = &[0x28, 0xb5, 0x2f, 0xfd];

impl Compression {
    /// The format whose magic bytes `start` begins with, if any.
    pub fn of_start(start: &[u8]) -> Option<Self> {
        if start.starts_with(GZIP_MAGIC) {
            Some(Self::Gzip)
        } else if start.starts_with(ZSTD_MAGIC) {
            Some(Self::Zstd)
        } else {
            None
        }
    }
}

/// A byte stream, read as it is or decompressed.
pub type Stream = Box<dyn Read + Send>;

/// `input`, decompressed when its first bytes are those of a gzip or zstd stream; the bytes
/// read to find out are read again.
pub fn decompressed(mut input: Stream) -> std::io::Result<(Stream, Option<Compression>)> {
    let mut start = [0; 4];
    let mut read = 0;
    while read < start.len() {
        match input.read(&mut start[read..]) {
            Ok(0) => break,
            Ok(count) => read += count,
            Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
            Err(error) => return Err(error),
        }
    }
    let compression = Compression::of_start(&start[..read]);
    let whole = Cursor::new(start[..read].to_vec()).chain(input);
    let stream: Stream = match compression {
        None => Box::new(whole),
        Some(Compression::Gzip) => Box::new(flate2::read::MultiGzDecoder::new(whole)),
        Some(Compression::Zstd) => Box::new(zstd::stream::read::Decoder::new(whole)?),
    };
    Ok((stream, compression))
}

/// The file name without a compression suffix (`battles.ndjson.gz` gives `battles.ndjson`).
pub fn without_compression_suffix(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, extension))
            if COMPRESSED_EXTENSIONS
                .iter()
                .any(|suffix| extension.eq_ignore_ascii_case(suffix)) =>
        {
            stem
        }
        _ => name,
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn read_all(bytes: Vec<u8>) -> (Vec<u8>, Option<Compression>) {
        let (mut stream, compression) = decompressed(Box::new(Cursor::new(bytes))).unwrap();
        let mut text = Vec::new();
        stream.read_to_end(&mut text).unwrap();
        (text, compression)
    }

    fn gzip(text: &[u8]) -> Vec<u8> {
        let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        encoder.write_all(text).unwrap();
        encoder.finish().unwrap()
    }

    #[test]
    fn plain_text_is_read_as_it_is_even_when_shorter_than_a_magic_number() {
        for text in [&b""[..], b"{", b"{}", b"{\"a\": 1}\n"] {
            assert_eq!(read_all(text.to_vec()), (text.to_vec(), None));
        }
    }

    #[test]
    fn gzip_members_one_after_another_are_read_as_one_stream() {
        let mut archive = gzip(b"{\"a\":1}\n");
        archive.extend(gzip(b"{\"b\":2}\n"));
        assert_eq!(
            read_all(archive),
            (b"{\"a\":1}\n{\"b\":2}\n".to_vec(), Some(Compression::Gzip))
        );
    }

    #[test]
    fn zstd_frames_one_after_another_are_read_as_one_stream() {
        let mut archive = zstd::encode_all(&b"{\"a\":1}\n"[..], 3).unwrap();
        // A skippable frame (magic 0x184D2A50, 4 bytes of length, then that many bytes).
        archive.extend([0x50, 0x2a, 0x4d, 0x18, 3, 0, 0, 0, 1, 2, 3]);
        archive.extend(zstd::encode_all(&b"{\"b\":2}\n"[..], 3).unwrap());
        assert_eq!(
            read_all(archive),
            (b"{\"a\":1}\n{\"b\":2}\n".to_vec(), Some(Compression::Zstd))
        );
    }

    #[test]
    fn a_corrupt_archive_is_an_error_not_garbage() {
        let mut archive = gzip(&b"{\"a\":1}\n".repeat(1000));
        let middle = archive.len() / 2;
        archive.truncate(middle);
        let (mut stream, _) = decompressed(Box::new(Cursor::new(archive))).unwrap();
        let mut text = Vec::new();
        assert!(stream.read_to_end(&mut text).is_err());
    }

    #[test]
    fn the_suffix_is_taken_off_without_regard_to_case() {
        assert_eq!(without_compression_suffix("a.ndjson.gz"), "a.ndjson");
        assert_eq!(without_compression_suffix("a.NDJSON.ZST"), "a.NDJSON");
        assert_eq!(without_compression_suffix("a.json"), "a.json");
        assert_eq!(without_compression_suffix("gz"), "gz");
    }
}
