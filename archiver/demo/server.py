"""Serve a DemoSite over HTTP on 127.0.0.1 (port 0 = ephemeral), logging every request.

Tests check politeness against the log: robots.txt disallowed paths and other host
names (``localhost`` instead of ``127.0.0.1``) must never show up in it.

Run it in the foreground for benchmarks:  python -m archiver.demo.server --articles 100000
"""

from __future__ import annotations

import argparse
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

from archiver.demo import FLAVOURS
from archiver.demo.custom import CustomSite
from archiver.demo.site import DemoSite


@dataclass
class LoggedRequest:
    method: str
    path: str  #: the request target as sent: path plus query string
    host: str  #: the Host header, e.g. "127.0.0.1:8000"
    status: int
    headers: dict[str, str]


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, like a real web server
    server_version = "nginx/1.14.0"
    timeout = 60
    server: _Server

    def version_string(self) -> str:
        return self.server_version

    def do_GET(self) -> None:
        self._serve("GET")

    def do_HEAD(self) -> None:
        self._serve("HEAD")

    def do_POST(self) -> None:
        self._serve("POST")

    def _serve(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        target = self.path
        if target.startswith(("http://", "https://")):  # absolute-form request target
            parts = urlsplit(target)
            target = parts.path + (f"?{parts.query}" if parts.query else "")
        owner = self.server.owner
        headers = dict(self.headers.items())
        try:
            response = owner.site.render(method, target, headers, owner.base_url)
            status, out, body = response.status, response.headers, response.body
        except Exception:  # a bug in the demo must show as a 500, not a hung client
            status, out, body = 500, {"Content-Type": "text/plain; charset=UTF-8"}, b"Internal Server Error"
        owner._log(LoggedRequest(method, target, self.headers.get("Host", ""), status, headers))
        self.send_response(status)
        for name, value in out.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if method != "HEAD" and status != 304:
            self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:  # quiet: the request log is in DemoServer
        pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    owner: DemoServer

    def handle_error(self, request: object, client_address: object) -> None:  # clients hanging up are normal
        pass


class DemoServer:
    """The demo site on a local port, in a daemon thread; a context manager."""

    def __init__(self, site: DemoSite | CustomSite | None = None, host: str = "127.0.0.1", port: int = 0):
        self.site = site if site is not None else DemoSite()
        self.host = host
        self.port = port
        self.requests: list[LoggedRequest] = []
        self._log_lock = threading.Lock()
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def url(self) -> str:
        return self.base_url + "/"

    def start(self) -> DemoServer:
        httpd = _Server((self.host, self.port), _Handler)
        httpd.owner = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="demo-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> DemoServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _log(self, request: LoggedRequest) -> None:
        with self._log_lock:
            self.requests.append(request)

    def clear_log(self) -> None:
        with self._log_lock:
            self.requests.clear()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Serve the demo news site in the foreground.")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--flavour", choices=list(FLAVOURS), default="wordpress")
    args = parser.parse_args(argv)
    server = DemoServer(FLAVOURS[args.flavour](articles=args.articles, seed=args.seed), host=args.host,
                        port=args.port).start()
    print(server.url, flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
