"""``archiver serve``: the web view on a production WSGI server (waitress), on this machine by default."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from archiver.datadir import DataDir
from archiver.errors import ArchiverError
from archiver.shutdown import interrupted_by_stop_signals
from archiver.web.app import create_app

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
#: Requests served at once (searches share one index reader per thread).
THREADS = 4


@dataclass
class Serving:
    """Where the web view listens, for the start-up message."""

    url: str
    host: str
    data_dir: Path

    @property
    def local_only(self) -> bool:
        return self.host in ("127.0.0.1", "localhost", "::1")


def serve(data_dir: DataDir | Path, *, host: str = DEFAULT_HOST, port: int = DEFAULT_PORT,
          started: Callable[[Serving], None] | None = None) -> None:
    """Serve the archive read-only until interrupted; ``started`` hears where once it listens (port 0: any free port)."""
    from waitress.server import create_server

    data_dir = DataDir.of(data_dir)
    try:
        server = create_server(create_app(data_dir), host=host, port=port, threads=THREADS, ident="archiver")
    except OSError as exc:
        raise ArchiverError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound_host, bound_port = server.effective_host, server.effective_port  # type: ignore[union-attr]
    shown = f"[{bound_host}]" if ":" in str(bound_host) else bound_host
    if started is not None:
        started(Serving(f"http://{shown}:{bound_port}/", host, data_dir.root))
    try:
        with interrupted_by_stop_signals():
            server.run()
    finally:
        server.close()
