"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` line per finding.

GitHub turns these lines into annotations on the pull request diff. Properties are
``key=value`` pairs separated by commas, and the message follows ``::``; GitHub decodes
``%25``, ``%0D`` and ``%0A`` in both, and ``%3A``/``%2C`` in properties, so those
characters are escaped here or a path with a comma would cut the command short.
"""

from __future__ import annotations

from typing import Any

LEVELS = {"error": "error", "warning": "warning", "note": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, **props: Any) -> str:
    parts = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v is not None)
    return f"::{level} {parts}::{escape_data(message)}" if parts else f"::{level}::{escape_data(message)}"


def render_github(report: Any, show_suppressed: bool = False) -> str:
    lines = []
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        span = f.span
        where = f" [{f.state}]" if f.state else ""
        if f.resource:  # a state machine inside a template: name its resource too
            where = f" [{f.resource}" + (f" > {f.state}]" if f.state else "]")
        lines.append(command(
            LEVELS[f.severity.value], f"{f.message}{where}",
            file=f.file, line=span.line, col=span.column, endLine=span.end_line, endColumn=span.end_column,
            title=f"{f.rule} {f.name}",
        ))
    for u in report.unchecked:
        what = f" ({u.resource})" if u.resource else ""
        lines.append(command("notice", f"state machine{what} not checked: {u.reason}", file=u.file,
                             title="aslcheck: not checked"))
    for e in report.internal_errors:
        lines.append(command("error", f"internal error (a bug in aslcheck): {e.message}", file=e.file,
                             title="aslcheck internal error"))
    c = report.counts()
    files = "file" if report.files_read == 1 else "files"
    lines.append(f"aslcheck: {c['error']} errors, {c['warning']} warnings, {c['note']} notes in "
                 f"{report.files_read} {files}")
    return "\n".join(lines) + "\n"
