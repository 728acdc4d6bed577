"""A local HTTP server (127.0.0.1, a thread) with scripted misbehaviour.

Each route is a :class:`Route`: a body and a list of behaviours used one per
request (the last one repeats): ``ok``, ``drop`` (send the headers of the
whole body, half of the bytes, then close the connection), ``status:NNN``
(an error answer), ``slow:S`` (wait S seconds before the body),
``redirect:/path`` (a 302; ``redirect:`` takes any Location, absolute or
not, ``file:///etc/passwd`` too), ``endless:N`` (N bytes, the body repeated,
sent chunked with no Content-Length), ``huge:N`` (the same with a
Content-Length of N), ``trickle:S`` (one byte every S seconds),
``gzip-broken`` (``Content-Encoding: gzip`` over bytes that are not gzip).
``ok`` answers honour ``Range: bytes=N-`` with 206. Every request is logged
as (path, Range header or None).
"""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from dyadwatch.acquire.download import FetchOptions


@dataclass
class Route:
    body: bytes = b""
    behaviours: list[str] = field(default_factory=lambda: ["ok"])
    content_type: str = "application/octet-stream"
    served: int = 0

    def next(self) -> str:
        b = self.behaviours[min(self.served, len(self.behaviours) - 1)]
        self.served += 1
        return b


class LocalServer:
    def __init__(self):
        self.routes: dict[str, Route] = {}
        self.log: list[tuple[str, str | None]] = []
        self.stamps: list[tuple[str, float]] = []  # (path, time.monotonic()) of each request
        self.lock = threading.Lock()
        self.active = 0
        self.max_active = 0
        self.sent = 0  # bytes sent by endless:/huge: answers
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):  # keep test output clean
                return

            def do_GET(self):
                with server.lock:
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    self._get()
                finally:
                    with server.lock:
                        server.active -= 1

            def _get(self):
                path = self.path
                server.log.append((path, self.headers.get("Range")))
                server.stamps.append((path, time.monotonic()))
                route = server.routes.get(path) or server.routes.get(path.split("?", 1)[0])
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                what = route.next()
                if what.startswith("status:"):
                    code = int(what.split(":")[1])
                    self.send_response(code)
                    if code == 429:
                        self.send_header("Retry-After", "0")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if what.startswith(("endless:", "huge:")):
                    self._stream(route, what)
                    return
                if what == "gzip-broken":
                    junk = b"\x1f\x8b\x08\x00 this is not a gzip stream" * 4
                    self.send_response(200)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Encoding", "gzip")
                    self.send_header("Content-Length", str(len(junk)))
                    self.end_headers()
                    self.wfile.write(junk)
                    return
                if what.startswith("redirect:"):
                    self.send_response(302)
                    self.send_header("Location", what.split(":", 1)[1])
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                body, start = route.body, 0
                etag = '"' + hashlib.md5(body).hexdigest() + '"'
                rng = self.headers.get("Range")
                if_range = self.headers.get("If-Range")
                if if_range is not None and if_range != etag:
                    rng = None  # the file changed: send all of it
                if rng and rng.startswith("bytes=") and what in ("ok", "drop"):
                    start = int(rng[6:].split("-")[0])
                    if start >= len(body):
                        self.send_response(416)
                        self.send_header("Content-Range", f"bytes */{len(body)}")
                        self.send_header("Content-Length", "0")
                        self.end_headers()
                        return
                    self.send_response(206)
                    self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
                else:
                    self.send_response(200)
                part = body[start:]
                self.send_header("ETag", etag)
                self.send_header("Content-Type", route.content_type)
                self.send_header("Content-Length", str(len(part)))
                self.end_headers()
                if what.startswith("slow:"):
                    time.sleep(float(what.split(":")[1]))
                if what.startswith("trickle:"):
                    pause = float(what.split(":")[1])
                    try:
                        for i in range(len(part)):
                            self.wfile.write(part[i:i + 1])
                            self.wfile.flush()
                            time.sleep(pause)
                    except (BrokenPipeError, ConnectionResetError):
                        pass
                    return
                if what == "drop":
                    self.wfile.write(part[: len(part) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                try:
                    self.wfile.write(part)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def _stream(self, route, what):
                total = int(what.split(":")[1])
                block = (route.body or b"x") * max(1, (1 << 16) // max(1, len(route.body or b"x")))
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                chunked = what.startswith("endless:")
                if chunked:
                    self.send_header("Transfer-Encoding", "chunked")
                else:
                    self.send_header("Content-Length", str(total))
                self.end_headers()
                sent = 0
                try:
                    while sent < total:
                        piece = block[: total - sent]
                        if chunked:
                            self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                        else:
                            self.wfile.write(piece)
                        sent += len(piece)
                        with server.lock:
                            server.sent += len(piece)
                    if chunked:
                        self.wfile.write(b"0\r\n\r\n")
                except (BrokenPipeError, ConnectionResetError):
                    pass
                self.close_connection = True

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}"

    def url(self, path: str) -> str:
        return self.base + path

    def add(self, path: str, body: bytes | str, *behaviours: str, content_type: str = "application/octet-stream"):
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.routes[path] = Route(body, list(behaviours) or ["ok"], content_type)
        return self.url(path)

    def hits(self, path: str) -> list[str | None]:
        return [rng for p, rng in self.log if p == path]

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def server():
    s = LocalServer()
    yield s
    s.close()


@pytest.fixture
def fast() -> FetchOptions:
    """Options that keep tests fast: tiny back-off, short time-outs."""
    return FetchOptions(connect_timeout=2.0, read_timeout=2.0, retries=3, backoff=0.01, max_backoff=0.05,
                        concurrency=2, chunk_size=4096)
