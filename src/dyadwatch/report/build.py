"""Writing the report: HTML (self-contained, offline) or JSON, from :mod:`.content`.

The HTML page inlines plotly.js once (no CDN, works offline) and embeds each
figure as JSON in a ``<script type="application/json">`` block with ``<``,
``>`` and ``&`` escaped as ``\\u003c`` …, so no text from the data can close
the block. All other text from the data passes through Jinja2 with
autoescaping on (``select_autoescape`` for ``.html.j2``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from dyadwatch.errors import UsageError

FORMATS = ("html", "json")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("dyadwatch.report", "templates"),
                      autoescape=select_autoescape(enabled_extensions=("html", "j2"), default=True),
                      trim_blocks=False, lstrip_blocks=False)
    return env


def _fmt(x, nd: int = 2) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "—"
    if isinstance(x, (int, float)):
        return f"{x:.{nd}f}"
    return str(x)


def script_json(obj) -> str:
    """JSON safe to place inside a ``<script>`` element (no ``<``, ``>``, ``&`` characters)."""
    text = json.dumps(obj, ensure_ascii=False, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026") \
        .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def render_html(content: dict) -> str:
    """The report page for a content dict (:func:`dyadwatch.report.content.report_content`)."""
    from plotly.offline import get_plotlyjs

    from dyadwatch import __version__
    from dyadwatch.report.figures import CONFIG, FIGURES, level

    figures = {}
    for key, make in FIGURES.items():
        fig = make(content)
        if fig is not None:
            figures[key] = script_json(fig)
    nav = [("summary", "Verdict"), ("question", "Question"), ("series", "Series"), ("classification", "Classification"),
           ("alignment", "Alignment"), ("verdicts", "Reasons"), ("comparison", "Comparison"),
           ("blocs", "Blocs"), ("evidence", "Evidence")]
    if content.get("claims"):
        nav.append(("claims", "Claims"))
    nav += [("silence", "Silences"), ("glossary", "Glossary"), ("provenance", "Provenance")]
    return _env().get_template("report.html.j2").render(
        c=content, figures=figures, plotly_js=get_plotlyjs(), version=__version__, fmt=_fmt, nav=nav, level=level,
        plot_config=script_json(CONFIG))


def build_report(api_or_con, a: str, b: str, *, compare=None, out, fmt: str = "html",
                 year_from: int | None = None, year_to: int | None = None, topic: str | None = None,
                 blocs_actors=None, claims=None) -> Path:
    """Write the report of dyad (a, b) to ``out`` and return its path.

    Parameters
    ----------
    api_or_con : a :class:`dyadwatch.api.Dyadwatch` or a DuckDB connection to a store.
    a, b : actors (ISO3 or names).
    compare : comparison dyads, as ``"C-D"`` strings or (c, d) pairs; default
        for Iran–Russia: Russia–Israel, Iran–Saudi Arabia, Russia–Turkey,
        Russia–Syria (see :data:`dyadwatch.report.content.FLAGSHIP`).
    out : output file path (its directory must exist or is created).
    fmt : ``"html"`` (self-contained page) or ``"json"`` (the same content).
    year_from, year_to : inclusive years.
    topic : UN voting topic for the alignment panel and the blocs.
    blocs_actors : actors of the blocs figure.
    claims : optional claims JSONL checked into a "Claims" section.

    Raises
    ------
    UsageError
        Unknown format or actor; ``out`` is the store (or its ``.wal``) or the claims file.
    OutputError
        The output cannot be written (it is written to a temporary file in
        the same directory and renamed, so a failure leaves no half report).
    """
    from dyadwatch.report.content import report_content

    from dyadwatch.outfiles import atomic_write_text, check_output, con_store_path

    if fmt not in FORMATS:
        raise UsageError(f"unknown report format {fmt!r}; choose one of: {', '.join(FORMATS)}")
    con = getattr(api_or_con, "con", api_or_con)
    # before any work: never onto the store or the claims file (`report --out X --db X` replaced the store)
    check_output(out, store=getattr(api_or_con, "path", None) or con_store_path(con),
                 inputs=[("the claims file", claims)])
    content = report_content(con, a, b, compare=compare, year_from=year_from, year_to=year_to, topic=topic,
                             blocs_actors=blocs_actors, claims_path=claims)
    text = render_html(content) if fmt == "html" else json.dumps(content, indent=1, ensure_ascii=False,
                                                                 allow_nan=False)
    return atomic_write_text(out, text, what="the report")  # whole or not at all
