"""Reporters: turn a :class:`~analyzer.engine.runner.LintReport` into text. They never analyse."""

from __future__ import annotations

from typing import Any


def render(fmt: str, report: Any, color: bool | None = None, show_suppressed: bool = False,
           settings: Any = None) -> str:
    if fmt == "json":
        from analyzer.report.json_report import render_json

        return render_json(report, show_suppressed=show_suppressed)
    if fmt == "sarif":
        from analyzer.report.sarif import render_sarif

        return render_sarif(report, settings=settings, show_suppressed=show_suppressed)
    if fmt == "github":
        from analyzer.report.github import render_github

        return render_github(report, show_suppressed=show_suppressed)
    from analyzer.report.text import render_text

    return render_text(report, color=color, show_suppressed=show_suppressed,
                       root=getattr(settings, "root", None))
