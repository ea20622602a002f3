"""The one way the commands write to the terminal: what they print goes through `printable`
(a scenario's title or a save's text cannot send escapes to the terminal), and a failing
stdout is handled as Unix tools do: a reader that went away (`| head -1`) is not an error
and the rest of the output is dropped quietly; a full disk or a closed stdout is one line on
stderr and exit 1 (`OutputError`, answered by main), never a traceback."""

from __future__ import annotations

import os
import sys

from wargame.formats.untrusted import printable


class OutputError(Exception):
    """Standard output cannot be written (a full disk, a closed stdout)."""


class _State:
    reader_gone = False  # a write met a closed pipe: later writes are dropped
    stdout_closed = False  # the program started with file descriptor 1 closed


def reader_gone() -> bool:
    """True once stdout's reader went away; a long command may stop producing output."""
    return _State.reader_gone


def start() -> None:
    """Called once per command: forget the last command's stdout, and guard the standard
    file descriptors."""
    _State.reader_gone = _State.stdout_closed = False
    _guard_standard_fds()


def _guard_standard_fds() -> None:
    """A program started with stdin, stdout or stderr closed (`>&-`) would hand those numbers
    to the next file it opens (a save!), and anything written "to stdout" would land there.
    Hold them with /dev/null, and remember that stdout was closed to say so when writing."""
    for fd in (0, 1, 2):
        try:
            os.fstat(fd)
        except OSError:
            if fd == 1:
                _State.stdout_closed = True
            try:
                opened = os.open(os.devnull, os.O_RDWR)
            except OSError:
                continue
            if opened != fd:  # the lowest free number is fd, unless it was taken meanwhile
                os.dup2(opened, fd)
                os.close(opened)


def write(text: str) -> None:
    """Write to stdout, escaping what a terminal would act on (newlines and tabs kept)."""
    if _State.reader_gone:
        return
    stream = sys.stdout
    if stream is None or _State.stdout_closed:
        raise OutputError("cannot write to standard output: standard output is closed")
    try:
        stream.write(printable(text, lines=True))
        stream.flush()
    except BrokenPipeError:
        _State.reader_gone = True
        drop_stdout()
    except (OSError, ValueError) as err:
        drop_stdout()
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise OutputError(f"cannot write to standard output: {reason}") from None


def line(text: str = "") -> None:
    write(text + "\n")


def error(message: str) -> None:
    """One line on stderr, `wargame: ` first; a stderr that cannot be written is ignored."""
    problem(f"wargame: {message}")


def problem(text: str) -> None:
    """A line on stderr as it is (a `FILE:LINE:COL: message`), escaped like stdout."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(printable(text, lines=True) + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass


def drop_stdout() -> None:
    """Point stdout at /dev/null, so neither later writes nor the interpreter's last flush of
    what is still buffered can fail again."""
    stream = sys.stdout
    if stream is None:
        return
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def finish() -> OutputError | None:
    """Flush stdout before the interpreter does, so an error there is ours to report."""
    stream = sys.stdout
    if stream is None or _State.reader_gone:
        return None
    try:
        stream.flush()
    except BrokenPipeError:
        drop_stdout()
    except (OSError, ValueError) as err:
        drop_stdout()
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return OutputError(f"cannot write to standard output: {reason}")
    return None
