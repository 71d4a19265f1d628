//! Standard input when it is a pipe (`cat archive.ndjson | trtc-live validate --ndjson -`): its
//! buffer enlarged, so that the writer and this process take turns a megabyte at a time rather
//! than every 64 KiB, and whether bytes are ready to be read without waiting, so that a window
//! of packets ends where the input pauses, not at every read that the pipe's size cuts short,
//! and so that standard input can be read on the calling thread (`pipeline::Reading`).

/// The pipe buffer asked for: Linux's default ceiling for an unprivileged process
/// (`/proc/sys/fs/pipe-max-size`).
#[cfg(any(target_os = "linux", target_os = "android"))]
const PIPE_BYTES: usize = 1 << 20;

/// Enlarges standard input's pipe buffer when standard input is a pipe (Linux); does nothing
/// otherwise, or when the system refuses (a lower ceiling, the user's pipe quota used up): the
/// buffer is only a matter of speed.
pub fn enlarge_stdin_buffer() {
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let _ = enlarge_buffer(std::io::stdin());
}

/// What tells whether standard input has bytes (or its end) ready to be read without waiting,
/// where the system can tell (Unix).
pub fn stdin_readiness() -> Option<fn() -> bool> {
    #[cfg(unix)]
    {
        Some(|| has_bytes_ready(std::io::stdin()))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Enlarges the buffer of `fd` to [`PIPE_BYTES`] when it is a pipe; returns its size then.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn enlarge_buffer(fd: impl std::os::fd::AsFd) -> Option<usize> {
    let is_pipe = rustix::fs::fstat(&fd).is_ok_and(|stat| {
        rustix::fs::FileType::from_raw_mode(stat.st_mode) == rustix::fs::FileType::Fifo
    });
    if !is_pipe {
        return None;
    }
    rustix::pipe::fcntl_setpipe_size(&fd, PIPE_BYTES).ok()
}

/// Whether `fd` has bytes, or its end, ready to be read without waiting.
#[cfg(unix)]
fn has_bytes_ready(fd: impl std::os::fd::AsFd) -> bool {
    use rustix::event::{poll, PollFd, PollFlags, Timespec};
    let mut fds = [PollFd::new(&fd, PollFlags::IN)];
    let now = Timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    matches!(poll(&mut fds, Some(&now)), Ok(ready) if ready > 0)
        && fds[0].revents().intersects(PollFlags::IN | PollFlags::HUP)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::io::Write;

    #[test]
    fn a_pipe_has_bytes_ready_once_written_and_at_its_end_not_while_empty() {
        let (reader, writer) = rustix::pipe::pipe().unwrap();
        assert!(!has_bytes_ready(&reader), "an empty pipe");
        let mut writer = std::fs::File::from(writer);
        writer.write_all(b"{}\n").unwrap();
        assert!(has_bytes_ready(&reader), "a pipe holding a line");
        let mut line = [0; 3];
        rustix::io::read(&reader, &mut line).unwrap();
        assert!(!has_bytes_ready(&reader), "a pipe read empty");
        drop(writer);
        assert!(has_bytes_ready(&reader), "a pipe at its end");
    }

    #[cfg(any(target_os = "linux", target_os = "android"))]
    #[test]
    fn a_pipe_buffer_is_enlarged_and_a_file_left_alone() {
        let (reader, _writer) = rustix::pipe::pipe().unwrap();
        let before = rustix::pipe::fcntl_getpipe_size(&reader).unwrap();
        let ceiling: usize = std::fs::read_to_string("/proc/sys/fs/pipe-max-size")
            .map_or(PIPE_BYTES, |text| text.trim().parse().unwrap());
        let after = enlarge_buffer(&reader);
        if ceiling >= PIPE_BYTES {
            assert_eq!(after, Some(PIPE_BYTES), "from {before} bytes");
            assert_eq!(
                rustix::pipe::fcntl_getpipe_size(&reader).unwrap(),
                PIPE_BYTES
            );
        }
        let file = tempfile::tempfile().unwrap();
        assert_eq!(enlarge_buffer(&file), None);
    }
}
