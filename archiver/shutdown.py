"""How a crawl process stops: SIGINT (Ctrl-C), SIGTERM and SIGHUP alike.

The first signal stops the crawl gracefully: in-flight pages are finished, the frontier,
key store and index are closed, the run is logged, and the next run continues. A second
signal, or a graceful stop that takes longer than ``ARCHIVER_STOP_TIMEOUT`` seconds, ends
the process at once, as ``kill -9`` would, which the next run also recovers from. No
signal ever surfaces as a ``KeyboardInterrupt`` inside the reactor, whose threads would
then keep the process alive for good.

Child processes (extraction workers, the index writer, and multiprocessing's forkserver
and resource tracker that start them) ignore these signals, which a terminal or systemd
sends to the whole process group: they finish what they hold and exit when their parent
closes them, or when it dies.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing import forkserver
from types import FrameType

#: The signals that stop a crawl: Ctrl-C, `kill` / systemd, a closed terminal or ssh session.
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


@contextmanager
def stop_signals_handled(handler: Callable[[int, FrameType | None], None] | int) -> Iterator[None]:
    """Inside the block, every stop signal goes to ``handler`` (or is ignored: ``signal.SIG_IGN``);
    the previous handlers come back after it. Main thread only, as Python requires."""
    previous = {signum: signal.signal(signum, handler) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, old in previous.items():
            signal.signal(signum, old)


def init_child() -> None:
    """For pool workers: leave stopping to the parent (see the module docstring), and exit
    when the parent dies without closing them (``kill -9``, a crash), instead of waiting for
    ever on a queue whose other end is gone, with the forkserver kept alive beside them."""
    for signum in STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_with, args=(parent,), name="exit-with-parent", daemon=True).start()


def _exit_with(parent: multiprocessing.process.BaseProcess) -> None:
    multiprocessing.connection.wait([parent.sentinel])
    os._exit(1)


#: What the children need, imported once by the forkserver before it forks them, so that
#: each extraction worker and index writer starts with it loaded (and trafilatura's
#: stop-word lists built) instead of doing that work again: ~0.8 s of CPU per small crawl
#: (``python benchmarks/crawl_overhead.py``). A module that cannot be imported is skipped.
INDEX_WRITER_MODULES = ["index.writer"]
EXTRACTION_WORKER_MODULES = ["archiver.extraction.preload"]


def start_forkserver(*, extraction_workers: bool) -> None:
    """Start multiprocessing's forkserver (and its resource tracker) ignoring the stop signals,
    with what its children need loaded: the index writer's modules, and the extraction
    workers' only when the crawl has any (a crawl that extracts in its own process would
    otherwise import trafilatura twice). The first call starts it: every caller says the same.

    They are exec'd, so the handlers of this process do not carry over, but ignored
    signals do: started otherwise, a hang-up or ``kill -TERM`` of the process group ends
    them, and with them every pool started from them. Nothing to do once they run.
    """
    forkserver.set_forkserver_preload(INDEX_WRITER_MODULES + (EXTRACTION_WORKER_MODULES if extraction_workers else []))
    if threading.current_thread() is not threading.main_thread():
        forkserver.ensure_running()
        return
    with stop_signals_handled(signal.SIG_IGN):
        forkserver.ensure_running()


class StopSignal(KeyboardInterrupt):
    """A stop signal received by a long-running command (a server, ``index --follow``)."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise_stop(signum: int, frame: FrameType | None) -> None:
    raise StopSignal(signum)


@contextmanager
def interrupted_by_stop_signals() -> Iterator[None]:
    """Inside the block, each stop signal raises :class:`StopSignal` (a ``KeyboardInterrupt``)
    in the main thread, so a server or a follower closes its socket, index and lock on
    ``kill``, a hang-up or Ctrl-C alike; by default SIGTERM and SIGHUP end the process with no
    cleanup, and SIGINT does nothing at all to a job a script started in the background (its
    shell starts it with SIGINT ignored). Off the main thread, where Python cannot set
    handlers, nothing changes."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    with stop_signals_handled(_raise_stop):
        yield


def exit_status(signum: int) -> int:
    """The shell's exit status for a process stopped by ``signum`` (130 for Ctrl-C)."""
    return 128 + signum


class StopOnSignals:
    """Turns stop signals into one graceful stop, then into an immediate exit.

    ``stop(signum)`` is called once, in the signal handler, to start the graceful stop
    (it must only schedule work, e.g. with ``reactor.callFromThread``).
    """

    def __init__(self, stop: Callable[[int], None], *, timeout: float):
        self.stop = stop
        self.timeout = timeout
        self.signum: int | None = None  #: the first stop signal received

    @contextmanager
    def installed(self) -> Iterator[StopOnSignals]:
        """Handle stop signals inside the block; the previous handlers come back after it."""
        with stop_signals_handled(self._received):
            yield self

    def _received(self, signum: int, frame: FrameType | None) -> None:
        if self.signum is not None:
            self.exit_now(signum, "received twice")
            return
        self.signum = signum
        if self.timeout > 0:
            watchdog = threading.Timer(self.timeout, self.exit_now, (signum, f"not stopped after {self.timeout:g} s"))
            watchdog.daemon = True
            watchdog.start()
        self.stop(signum)

    @staticmethod
    def exit_now(signum: int, why: str) -> None:
        """End the process at once: children killed, nothing flushed or closed (the next
        run recovers as after ``kill -9``)."""
        name = signal.Signals(signum).name
        os.write(2, f"\nStopped at once ({name} {why}); the next crawl picks up from here.\n".encode())
        for child in multiprocessing.active_children():
            child.kill()
        os._exit(exit_status(signum))
