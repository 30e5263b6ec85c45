//! Reading mdBook's `[context, book]` from stdin, cheaply.
//!
//! mdBook 0.5.4 writes the book to a preprocessor's stdin with
//! `serde_json::to_writer` straight onto the pipe: one `write` call per JSON
//! token, tens of thousands for a large book. A reader blocked in `read`
//! is woken for nearly every one of them, and each wake-up is a context
//! switch on both sides. [`read_all`] instead enlarges the pipe and lets the
//! writes pile up in it while the reader sleeps, draining the pipe when it
//! is half full and reading the rest once mdBook has closed its end. See
//! `BENCHMARKS.md` for what that saves.

use std::io::{self, Read as _};

/// How long the reader sleeps between looks at the pipe.
#[cfg(target_os = "linux")]
const NAP: std::time::Duration = std::time::Duration::from_micros(100);

/// The pipe size asked for: Linux's default ceiling for unprivileged
/// processes (`/proc/sys/fs/pipe-max-size`).
#[cfg(target_os = "linux")]
const PIPE_SIZE: usize = 1 << 20;

/// Reads stdin to its end into `buf`.
///
/// When stdin is a pipe (on Linux), the pipe is enlarged and read in large
/// pieces without waiting in `read` while the writer is still writing. When
/// it is anything else (a file, a terminal, another system), this is plain
/// `read_to_end`.
///
/// # Errors
///
/// When reading stdin fails.
pub fn read_all(buf: &mut Vec<u8>) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        read_pipe_lazily(buf)
    }
    #[cfg(not(target_os = "linux"))]
    {
        io::stdin().lock().read_to_end(buf).map(|_| ())
    }
}

#[cfg(target_os = "linux")]
fn read_pipe_lazily(buf: &mut Vec<u8>) -> io::Result<()> {
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::os::fd::AsFd as _;

    let stdin = io::stdin();
    let mut lock = stdin.lock();
    let fd = stdin.as_fd();
    // Not a pipe, or one that could not be enlarged (the system's limits
    // on pipe memory): read the ordinary way. In a small pipe the writer
    // would stall for a nap each time the pipe fills.
    let capacity = match rustix::pipe::fcntl_setpipe_size(fd, PIPE_SIZE) {
        Ok(c) if c >= PIPE_SIZE / 4 => c,
        _ => return lock.read_to_end(buf).map(|_| ()),
    };
    let now = Timespec { tv_sec: 0, tv_nsec: 0 };
    let mut chunk = vec![0; capacity];
    loop {
        // A zero timeout: look, never wait (waiting is what gets woken).
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        poll(&mut fds, Some(&now))?;
        let revents = fds[0].revents();
        if revents.intersects(PollFlags::HUP | PollFlags::ERR | PollFlags::NVAL) {
            // The writer is gone: what is left is all there is.
            return lock.read_to_end(buf).map(|_| ());
        }
        let ready = usize::try_from(rustix::io::ioctl_fionread(fd).unwrap_or(0)).unwrap_or(usize::MAX);
        if ready >= capacity / 2 {
            let n = lock.read(&mut chunk[..ready.min(capacity)])?;
            buf.extend_from_slice(&chunk[..n]);
        } else {
            std::thread::sleep(NAP);
        }
    }
}
