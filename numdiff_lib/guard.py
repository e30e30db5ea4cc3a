"""Run a learner's code under limits: time, printed output, exceptions (exercise checks, 03-08).

An exercise check calls code the learner wrote, and the learner may have written an endless
loop, a flood of prints, `raise SystemExit`, or an object whose `__str__` raises. `run` calls it
under a time limit, keeps at most `max_output` characters of what it prints, and hands back
whatever happened as an Outcome; only KeyboardInterrupt (the learner's own Interrupt) escapes.

How the time limit stops code, and where it cannot:
- on Linux and macOS, in the main thread (where a notebook runs its cells), a SIGALRM timer
  raises TimeLimit at the next Python instruction; time.sleep is interrupted too;
- elsewhere (Windows, or another thread) a watchdog thread raises TimeLimit asynchronously in
  the learner's thread: Python loops stop, but a sleep ends first.
Neither can stop one long C-level call (a huge integer power, a NumPy operation on a giant
array): callers check sizes before computing, and heavy SymPy work runs in a `Worker` process,
which can be abandoned. Standard library only.
"""

import atexit
import contextlib
import ctypes
import io
import os
import pickle
import queue
import signal
import struct
import subprocess
import sys
import threading
import time
from typing import NamedTuple

DEFAULT_SECONDS = 3.0
DEFAULT_OUTPUT = 2000  # characters of printed output kept


class TimeLimit(BaseException):
    """Raised inside learner code when its time is up (exercise checks, lessons 00-08).

    A BaseException: `except Exception` in the learner's code cannot swallow it.
    """


class Outcome(NamedTuple):
    """What happened when learner code ran under `run` (exercise checks, lessons 03-08)."""

    value: object       # the return value (None when it raised or timed out)
    error: object       # the exception it raised (None when it returned)
    timed_out: bool     # True when the time limit stopped it
    output: str         # what it printed, cut to max_output characters
    output_cut: bool    # True when more was printed than is kept

    @property
    def ok(self):
        return self.error is None and not self.timed_out


class _CappedWriter(io.TextIOBase):
    """A stream that keeps the first `limit` characters and counts the rest."""

    def __init__(self, limit):
        self.limit, self.parts, self.kept, self.cut = limit, [], 0, False

    def write(self, s):
        s = str(s)
        room = self.limit - self.kept
        if room > 0:
            self.parts.append(s[:room])
            self.kept += min(len(s), room)
        if len(s) > max(room, 0):
            self.cut = True
        return len(s)

    def writable(self):
        return True

    def getvalue(self):
        return "".join(self.parts)


def run(func, *args, seconds=DEFAULT_SECONDS, max_output=DEFAULT_OUTPUT, **kwargs):
    """func(*args, **kwargs) under a time limit, output capped: an Outcome (lessons 00-08)."""
    out = _CappedWriter(max_output)
    value = error = None
    timed_out = False
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out), \
                time_limit(seconds):
            value = func(*args, **kwargs)
    except TimeLimit:
        timed_out = True
    except KeyboardInterrupt:
        raise
    except BaseException as err:  # noqa: BLE001 — SystemExit and friends become feedback
        error = err
    return Outcome(value, error, timed_out, out.getvalue(), out.cut)


@contextlib.contextmanager
def time_limit(seconds):
    """Raise TimeLimit in this block after `seconds` (exercise checks, lessons 00-08)."""
    if seconds is None:
        yield
        return
    if (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()):
        with _alarm(seconds):
            yield
    else:
        with _watchdog(seconds):
            yield


@contextlib.contextmanager
def _alarm(seconds):
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    start = time.monotonic()

    def fire(_signum, _frame):
        raise TimeLimit

    previous = signal.signal(signal.SIGALRM, fire)
    # A nested limit never extends an outer one.
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
        if outer_left:  # give the outer limit what is left of its time
            left = outer_left - (time.monotonic() - start)
            signal.setitimer(signal.ITIMER_REAL, max(left, 1e-3))


@contextlib.contextmanager
def _watchdog(seconds):
    target = threading.get_ident()
    done = threading.Event()

    def watch():
        if not done.wait(seconds):
            ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(target),
                                                       ctypes.py_object(TimeLimit))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()


def safe_text(obj, limit=300):
    """str(obj), cut to `limit` characters; never raises, never hangs (lessons 00-08)."""
    outcome = run(str, obj, seconds=1.0, max_output=0)
    if outcome.timed_out:
        text = f"<{type(obj).__name__} whose text takes too long to build>"
    elif outcome.error is not None or not isinstance(outcome.value, str):
        text = f"<{type(obj).__name__} that cannot be shown as text>"
    else:
        text = outcome.value
    return cut(text, limit)


def safe_repr(obj, limit=300):
    """repr(obj), cut to `limit` characters; never raises, never hangs (lessons 00-08)."""
    outcome = run(repr, obj, seconds=1.0, max_output=0)
    if outcome.ok and isinstance(outcome.value, str):
        return cut(outcome.value, limit)
    return f"<{type(obj).__name__}>"


def cut(text, limit):
    """text, or its first `limit` characters and how much was left out (lessons 00-08)."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def error_text(err, limit=300):
    """'TypeError: message' for an exception, safely: its __str__ may fail (lessons 00-08)."""
    return cut(f"{type(err).__name__}: {safe_text(err, limit)}".rstrip(": "), limit + 40)


# --------------------------------------------------------------------------- worker process


class WorkerError(Exception):
    """The worker process gave no answer: timeout, out of memory, died (lessons 05, 06)."""

    def __init__(self, reason, detail=""):
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason, self.detail = reason, detail  # reason: "timeout", "memory", "died", "error"


class Worker:
    """A helper process that runs named functions and can be abandoned (formula box, lesson 05).

    call("module", "function", *args, seconds=5) runs module.function(*args) in the process and
    returns its result. When it takes longer than `seconds`, the process is killed (so the work
    really stops) and a new one is started for the next call. memory_mb: an address-space limit
    added on top of what the process uses after its imports (Linux).
    The process is a plain `python -m numdiff_lib.guard` talking pickles over its stdin and
    stdout: unlike multiprocessing it never re-imports the notebook's __main__.
    """

    def __init__(self, preload=(), memory_mb=1500):
        self.preload, self.memory_mb = tuple(preload), memory_mb
        self._process = None
        self._replies = None
        self._lock = threading.Lock()

    def call(self, module, function, *args, seconds=5.0):
        with self._lock:
            if self._process is None or self._process.poll() is not None:
                self._start()
            try:
                _send(self._process.stdin, (module, function, args))
                status, payload = self._replies.get(timeout=seconds)
            except queue.Empty:
                self.stop()
                raise WorkerError("timeout", f"{seconds:g} s") from None
            except (OSError, EOFError, pickle.PickleError) as err:
                self.stop()
                raise WorkerError("died", type(err).__name__) from None
            except BaseException:  # TimeLimit or Interrupt while waiting: never reuse its reply
                self.stop()
                raise
        if status == "ok":
            return payload
        if status in ("memory", "died"):
            self.stop()
            raise WorkerError(status, payload)
        raise WorkerError("error", payload)

    def _start(self):
        command = [sys.executable, "-m", "numdiff_lib.guard", repr(self.preload),
                   repr(self.memory_mb)]
        self._process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        atexit.register(self.stop)  # never leave the process behind when Python exits
        self._replies = queue.Queue()
        reader = threading.Thread(target=_read_replies, daemon=True,
                                  args=(self._process.stdout, self._replies))
        reader.start()

    def stop(self):
        """Kill the process (it is started again on the next call)."""
        process, self._process = self._process, None
        if process is not None:
            if process.poll() is None:
                process.kill()
            process.wait(5)
            for stream in (process.stdin, process.stdout):
                with contextlib.suppress(OSError):
                    stream.close()


def _send(stream, obj):
    data = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack("<Q", len(data)) + data)
    stream.flush()


def _receive(stream):
    head = stream.read(8)
    if len(head) < 8:
        raise EOFError
    (size,) = struct.unpack("<Q", head)
    data = stream.read(size)
    if len(data) < size:
        raise EOFError
    return pickle.loads(data)  # noqa: S301 — our own worker's replies, over a private pipe


def _read_replies(stream, replies):
    while True:
        try:
            replies.put(_receive(stream))
        except (EOFError, OSError, pickle.PickleError, ValueError):
            replies.put(("died", "the worker process ended"))
            return


def _serve(preload, memory_mb):
    """The worker's loop: import, limit memory, then answer calls until stdin closes."""
    import importlib

    # Interrupt is the notebook's, not ours: the parent kills this process when it must stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    channel_in, channel_out = sys.stdin.buffer, os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)  # anything the called code prints goes to stderr, not into the channel
    sys.stdout = sys.stderr
    for name in preload:
        importlib.import_module(name)
    _limit_memory(memory_mb)
    while True:
        try:
            module, function, args = _receive(channel_in)
        except (EOFError, OSError):
            return
        try:
            result = ("ok", getattr(importlib.import_module(module), function)(*args))
        except MemoryError:
            result = ("memory", "")
        except Exception as err:  # noqa: BLE001 — sent back as text; the caller decides
            result = ("error", error_text(err, 500))
        try:
            _send(channel_out, result)
        except MemoryError:
            _send(channel_out, ("memory", ""))
        except Exception as err:  # noqa: BLE001 — e.g. a result that cannot be pickled
            _send(channel_out, ("error", error_text(err, 500)))


def _limit_memory(memory_mb):
    if memory_mb is None or os.name != "posix":
        return
    try:
        import resource

        used = _address_space_bytes()
        if used is None:
            return
        limit = used + memory_mb * 2**20
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ImportError, ValueError, OSError):  # macOS may refuse RLIMIT_AS: time still limits
        pass


def _address_space_bytes():
    try:
        with open("/proc/self/statm") as f:  # Linux: size in pages
            return int(f.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


if __name__ == "__main__":  # the Worker's process: python -m numdiff_lib.guard PRELOAD MEMORY
    import ast

    _serve(ast.literal_eval(sys.argv[1]), ast.literal_eval(sys.argv[2]))
