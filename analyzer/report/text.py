"""Terminal report: findings grouped by file, each with the source line it points at.

Every finding starts with ``file:line:col: ID severity [State] message`` so editors and
terminals can jump to it, then the line of source with ``^~~~`` under the exact key or
state name. Colour is used only when writing to a terminal and never when ``NO_COLOR``
is set (https://no-color.org); ``--color/--no-color`` overrides both. The report ends
with the state machines that could not be checked and one summary line (counts, files,
state machines, time).
"""

from __future__ import annotations

import os
import sys
from typing import Any

from analyzer.report.excerpt import SourceCache, excerpt

_RESET = "\x1b[0m"
_STYLES = {
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "note": "\x1b[1;36m",
    "file": "\x1b[1m",
    "rule": "\x1b[1m",
    "state": "\x1b[35m",
    "gutter": "\x1b[34m",
    "marker": "\x1b[1;31m",
    "dim": "\x1b[2m",
}


def use_color(color: bool | None, stream: Any = None) -> bool:
    """Explicit choice wins; otherwise colour only on a terminal and only without ``NO_COLOR``."""
    if color is not None:
        return color
    if os.environ.get("NO_COLOR", ""):
        return False
    stream = stream if stream is not None else sys.stdout
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class _Painter:
    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled

    def __call__(self, style: str, text: str) -> str:
        if not self.enabled or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


def finding_lines(f: Any, paint: _Painter, sources: SourceCache) -> list[str]:
    """The heading line of one finding and its excerpt."""
    sev = f.severity.value
    state = " " + paint("state", f"[{f.state}]") if f.state else ""
    if getattr(f, "resource", None):  # a state machine inside a template: name its resource too
        state = " " + paint("state", f"[{f.resource}" + (f" > {f.state}]" if f.state else "]"))
    where = paint("file", f"{f.file}:{f.span.line}:{f.span.column}:")
    suppressed = paint("dim", f" (suppressed by {f.suppressed})") if f.suppressed else ""
    out = [f"{where} {paint('rule', f.rule)} {paint(sev, sev)}{state} {f.message}{suppressed}"]
    rows = excerpt(sources.lines(f.file), f.span.line, f.span.column, f.span.end_line, f.span.end_column)
    if rows:
        width = max(len(g) for g, _ in rows)
        for gutter, text in rows:
            bar = paint("gutter", f"{gutter:>{width}} |")
            body = paint("marker", text) if not gutter else text
            out.append(f"  {bar} {body}".rstrip())
    return out


def summary_line(report: Any) -> str:
    c = report.counts()
    suppressed = sum(1 for f in report.findings if f.suppressed)
    parts = [
        _plural(c["error"], "error"),
        _plural(c["warning"], "warning"),
        _plural(c["note"], "note"),
    ]
    line = (f"{', '.join(parts)} in {_plural(report.files_read, 'file')} "
            f"({_plural(report.state_machines, 'state machine')}) in {report.seconds:.2f}s")
    extras = []
    if suppressed:
        extras.append(f"{suppressed} suppressed")
    if report.files_skipped:
        extras.append(f"{report.files_skipped} skipped (no state machine)")
    if report.unchecked:
        extras.append(f"{len(report.unchecked)} not checked")
    duplicates = getattr(report, "duplicates", ())
    if duplicates:
        copies = "1 synthesized copy" if len(duplicates) == 1 else f"{len(duplicates)} synthesized copies"
        extras.append(f"{copies} reported at {'its' if len(duplicates) == 1 else 'their'} definition file")
    if report.internal_errors:  # the details go to stderr (see analyzer.commands.lint)
        extras.append(_plural(len(report.internal_errors), "internal error"))
    return line + (f"; {', '.join(extras)}" if extras else "")


def render_text(report: Any, color: bool | None = None, show_suppressed: bool = False,
                root: str | None = None) -> str:
    paint = _Painter(use_color(color))
    sources = SourceCache(getattr(report, "sources", None), root)
    blocks: list[str] = []
    current: str | None = None
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        if current is not None and f.file != current:
            blocks.append("")  # a blank line between files
        current = f.file
        blocks.extend(finding_lines(f, paint, sources))
    if blocks:
        blocks.append("")
    for u in report.unchecked:
        what = f"{u.file}#{u.resource}" if u.resource else u.file
        blocks.append(f"{paint('note', 'not checked')}: {what}: {u.reason}")
    for d in getattr(report, "duplicates", ()):
        what = f"{d.file}#{d.resource}" if d.resource else d.file
        blocks.append(f"{paint('note', 'same definition')}: {what} is a copy of {d.same_as}: "
                      f"{_plural(d.dropped, 'finding')} reported there once")
    blocks.append(summary_line(report))
    return "\n".join(blocks) + "\n"
