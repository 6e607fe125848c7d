"""JSON report: ``{"version", "tool", "findings": [...], "summary": {...}}``.

The shape is a contract for scripts, so it is written down as a JSON Schema shipped with
the package (``analyzer/data/report.schema.json``) and versioned by ``version``: a new
optional field bumps the minor number, a removed or changed field the major one.

Findings are sorted by file, position and rule (the runner's order) and carry 1-based,
end-exclusive positions in code points. ``seconds`` is the only value that changes
between two runs on the same input.
"""

from __future__ import annotations

import json
from typing import Any

SCHEMA_VERSION = "1.2"


def schema_path():
    """Where the JSON Schema of this report lives inside the installed package."""
    from importlib.resources import files

    return files("analyzer.data").joinpath("report.schema.json")


def _finding(f: Any) -> dict[str, Any]:
    out = f.as_dict()
    if "data" in out:  # solver witnesses and rule data may hold odd values: keep them JSON
        out["data"] = json.loads(json.dumps(out["data"], default=str))
    return out


def report_dict(report: Any, show_suppressed: bool = False) -> dict[str, Any]:
    from analyzer import __version__

    findings = [_finding(f) for f in report.findings if show_suppressed or not f.suppressed]
    counts = report.counts()
    return {
        "version": SCHEMA_VERSION,
        "tool": {"name": "aslcheck", "version": __version__},
        "findings": findings,
        "summary": {
            "files_read": report.files_read,
            "files_skipped": report.files_skipped,
            "state_machines": report.state_machines,
            "unchecked": [
                {"file": u.file, "resource": u.resource, "reason": u.reason} for u in report.unchecked
            ],
            **({"duplicates": [{"file": d.file, "resource": d.resource, "same_as": d.same_as, "dropped": d.dropped}
                               for d in report.duplicates]} if getattr(report, "duplicates", None) else {}),
            "errors": counts["error"],
            "warnings": counts["warning"],
            "notes": counts["note"],
            "suppressed": sum(1 for f in report.findings if f.suppressed),
            "internal_errors": [{"file": e.file, "message": e.message} for e in report.internal_errors],
            "usage_errors": list(report.usage_errors),
            "rules": sorted(r.id for r in report.rules),
            "seconds": round(report.seconds, 3),
        },
    }


def render_json(report: Any, show_suppressed: bool = False) -> str:
    return json.dumps(report_dict(report, show_suppressed), indent=2, ensure_ascii=False) + "\n"
