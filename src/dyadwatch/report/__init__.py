"""The dyad report: a self-contained HTML page (or JSON) of everything dyadwatch knows about a pair.

Entry point: :func:`dyadwatch.report.build.build_report`.
"""

from __future__ import annotations

from dyadwatch.report.build import build_report, render_html

__all__ = ["build_report", "render_html"]
