"""A local news site for the watch tests: an RSS feed, article pages, robots.txt and a GDELT 2.0 list.

It listens on 127.0.0.1 only (a free port), in a thread. Articles are added
while it runs (:meth:`FeedServer.publish`), a path can be made to hang until
released (:meth:`FeedServer.hang`), and every request is recorded, so a
test can wait until the watch asks for a given page.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import io
import threading
import zipfile
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class FeedServer:
    """``url(path)`` gives the address of a path; ``feed_url`` is the RSS feed."""

    def __init__(self):
        self.articles: list[dict] = []
        self.gdelt: dict[str, bytes] = {}       # file name -> bytes
        self.gdelt_latest: list[str] = []       # names listed in lastupdate.txt
        self.requests: list[str] = []
        self.hanging: dict[str, threading.Event] = {}
        self.seen: dict[str, threading.Event] = {}
        self.lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def do_GET(self):  # noqa: N802
                path = self.path.split("?")[0]
                with server.lock:
                    server.requests.append(path)
                    seen = server.seen.get(path)
                    hang = server.hanging.get(path)
                if seen is not None:
                    seen.set()
                if hang is not None:
                    hang.wait(120)
                status, ctype, body = server.answer(path)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    @property
    def feed_url(self) -> str:
        return self.url("/feed.xml")

    def close(self) -> None:
        for ev in self.hanging.values():
            ev.set()
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- content ---------------------------------------------------------------------------
    def publish(self, title: str, paragraphs: list[str], *, when: dt.datetime | None = None) -> str:
        """Add an article (newest first in the feed); returns its URL."""
        with self.lock:
            n = len(self.articles) + 1
            when = when or dt.datetime.now(dt.timezone.utc)
            self.articles.insert(0, {"path": f"/news/{n}.html", "title": title, "paragraphs": paragraphs,
                                     "when": when})
        return self.url(f"/news/{n}.html")

    def hang(self, path: str) -> threading.Event:
        """Make ``path`` wait until the returned event is set."""
        ev = threading.Event()
        with self.lock:
            self.hanging[path] = ev
        return ev

    def watch_for(self, path: str) -> threading.Event:
        """An event set when ``path`` is requested."""
        ev = threading.Event()
        with self.lock:
            self.seen[path] = ev
        return ev

    def add_gdelt(self, stamp: str, rows: list[list[str]], *, bad_md5: bool = False) -> str:
        """Add a GDELT 2.0 export ``<stamp>.export.CSV.zip`` made of ``rows`` (61 fields each) and
        list it in lastupdate.txt; returns its URL."""
        name = f"{stamp}.export.CSV.zip"
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.writestr(f"{stamp}.export.CSV", "".join("\t".join(r) + "\n" for r in rows))
        with self.lock:
            self.gdelt[name] = buf.getvalue()
            self.gdelt_latest = [name]
            self.bad_md5 = bad_md5
        return self.url(f"/gdeltv2/{name}")

    def answer(self, path: str) -> tuple[int, str, bytes]:
        with self.lock:
            arts = list(self.articles)
            gdelt = dict(self.gdelt)
            latest = list(self.gdelt_latest)
        if path == "/robots.txt":
            return 200, "text/plain", b"User-agent: *\nAllow: /\n"
        if path == "/feed.xml":
            items = "".join(
                f"<item><title>{html.escape(a['title'])}</title><link>{self.url(a['path'])}</link>"
                f"<pubDate>{email.utils.format_datetime(a['when'])}</pubDate></item>" for a in arts)
            body = (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Local news</title>'
                    f"<link>{self.url('/')}</link><description>test feed</description>{items}</channel></rss>")
            return 200, "application/rss+xml; charset=utf-8", body.encode("utf-8")
        for a in arts:
            if a["path"] == path:
                paras = "".join(f"<p>{html.escape(p)}</p>" for p in a["paragraphs"])
                body = (f"<!DOCTYPE html><html><head><title>{html.escape(a['title'])}</title>"
                        f'<meta property="article:published_time" content="{a["when"].isoformat()}"></head>'
                        f"<body><header><nav>Home</nav></header><article><h1>{html.escape(a['title'])}</h1>"
                        f"{paras}</article><footer>Local news</footer></body></html>")
                return 200, "text/html; charset=utf-8", body.encode("utf-8")
        if path == "/gdeltv2/lastupdate.txt":
            lines = []
            for name in latest:
                data = gdelt[name]
                md5 = hashlib.md5(data).hexdigest() if not getattr(self, "bad_md5", False) else "0" * 32
                lines.append(f"{len(data)} {md5} {self.url('/gdeltv2/' + name)}")
                lines.append(f"123 {'1' * 32} {self.url('/gdeltv2/' + name.replace('export', 'mentions'))}")
            return 200, "text/plain", ("\n".join(lines) + "\n").encode("ascii")
        if path.startswith("/gdeltv2/") and path.rsplit("/", 1)[-1] in gdelt:
            return 200, "application/zip", gdelt[path.rsplit("/", 1)[-1]]
        return 404, "text/plain", b"not found"


def gdelt2_row(event_id: int, day: dt.date, a1: str, a2: str, code: str, quad: int, goldstein: float,
               url: str) -> list[str]:
    """One GDELT 2.0 export row (61 fields) between two countries."""
    from dyadwatch.sources.gdelt import GDELT2_COLUMNS

    idx = {c: i for i, c in enumerate(GDELT2_COLUMNS)}
    row = [""] * len(GDELT2_COLUMNS)
    stamp = day.strftime("%Y%m%d")
    for k, v in {"GLOBALEVENTID": str(event_id), "SQLDATE": stamp, "MonthYear": stamp[:6], "Year": stamp[:4],
                 "FractionDate": "2024.5", "Actor1Code": a1, "Actor1Name": a1, "Actor1CountryCode": a1,
                 "Actor2Code": a2, "Actor2Name": a2, "Actor2CountryCode": a2, "IsRootEvent": "1",
                 "EventCode": code, "EventBaseCode": code, "EventRootCode": code[:2], "QuadClass": str(quad),
                 "GoldsteinScale": str(goldstein), "NumMentions": "3", "NumSources": "1", "NumArticles": "3",
                 "AvgTone": "0", "DATEADDED": stamp + "120000", "SOURCEURL": url}.items():
        if k in idx:
            row[idx[k]] = v
    return row
