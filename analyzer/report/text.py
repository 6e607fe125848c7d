"""Terminal report: ``file:line:col: ID severity [State] message`` and a summary line."""

from __future__ import annotations

from typing import Any


def render_text(report: Any, color: bool | None = None, show_suppressed: bool = False) -> str:
    lines = []
    for f in report.findings:
        if f.suppressed and not show_suppressed:
            continue
        state = f" [{f.state}]" if f.state else ""
        lines.append(f"{f.file}:{f.span.line}:{f.span.column}: {f.rule} {f.severity.value}{state} {f.message}")
    c = report.counts()
    lines.append(
        f"{c['error']} errors, {c['warning']} warnings, {c['note']} notes in {report.files_read} files "
        f"({report.state_machines} state machines) in {report.seconds:.2f}s"
    )
    return "\n".join(lines) + "\n"
