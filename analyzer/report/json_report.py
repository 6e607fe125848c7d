"""JSON report: ``{"version", "findings": [...], "summary": {...}}``."""

from __future__ import annotations

import json
from typing import Any

SCHEMA_VERSION = "1.0"


def report_dict(report: Any, show_suppressed: bool = False) -> dict[str, Any]:
    findings = [f.as_dict() for f in report.findings if show_suppressed or not f.suppressed]
    counts = report.counts()
    return {
        "version": SCHEMA_VERSION,
        "findings": findings,
        "summary": {
            "files_read": report.files_read,
            "files_skipped": report.files_skipped,
            "state_machines": report.state_machines,
            "unchecked": [
                {"file": u.file, "resource": u.resource, "reason": u.reason} for u in report.unchecked
            ],
            "errors": counts["error"],
            "warnings": counts["warning"],
            "notes": counts["note"],
            "suppressed": sum(1 for f in report.findings if f.suppressed),
            "internal_errors": [{"file": e.file, "message": e.message} for e in report.internal_errors],
            "seconds": round(report.seconds, 3),
        },
    }


def render_json(report: Any, show_suppressed: bool = False) -> str:
    return json.dumps(report_dict(report, show_suppressed), indent=2, ensure_ascii=False) + "\n"
