"""Baselines: accept the findings a project has today, report only new ones.

A finding is matched by its fingerprint (rule, file, and the state path inside the
definition, plus an occurrence counter), never by line or column, so edits elsewhere in a
file keep the baseline valid while renaming or moving the state makes the finding new.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

FORMAT_VERSION = 1


class BaselineError(Exception):
    """A baseline file that cannot be read or is not an aslcheck baseline."""


def _entry(f: Any) -> dict[str, Any]:
    return {"fingerprint": f.fingerprint, "rule": f.rule, "file": f.file, "pointer": f.pointer,
            "state": f.state, "message": f.message}


def write_baseline(report: Any, path: str) -> int:
    """Write every finding not suppressed in the definition itself; returns how many."""
    kept = [f for f in report.findings if f.suppressed in (None, "baseline")]
    entries = sorted((_entry(f) for f in kept), key=lambda e: (e["file"], e["rule"], e["pointer"], e["fingerprint"]))
    data = {"tool": "aslcheck", "version": FORMAT_VERSION, "findings": entries}
    try:
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            json.dump(data, fh, indent=2, ensure_ascii=False)
            fh.write("\n")
    except OSError as exc:
        raise BaselineError(f"cannot write baseline {path}: {exc.strerror or exc}") from None
    return len(entries)


def read_baseline(path: str) -> list[dict[str, Any]]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read baseline {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise BaselineError(f"baseline {path} is not valid JSON: {exc}") from None
    if not isinstance(data, dict) or data.get("tool") != "aslcheck" or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path} is not an aslcheck baseline (write one with --write-baseline)")
    if data.get("version") != FORMAT_VERSION:
        raise BaselineError(f"baseline {path} has format version {data.get('version')!r}; "
                            f"this aslcheck reads version {FORMAT_VERSION}")
    entries = [e for e in data["findings"] if isinstance(e, dict) and isinstance(e.get("fingerprint"), str)]
    if len(entries) != len(data["findings"]):
        raise BaselineError(f"baseline {path} has entries without a fingerprint")
    return entries


def apply_baseline(report: Any, path: str, stream: Any = None) -> list[dict[str, Any]]:
    """Mark baselined findings ``suppressed="baseline"``; return (and note on stderr) stale entries."""
    entries = read_baseline(path)
    available = Counter(e["fingerprint"] for e in entries)
    for f in report.findings:
        if f.suppressed or available[f.fingerprint] <= 0:
            continue
        available[f.fingerprint] -= 1
        f.suppressed, f.suppression_reason = "baseline", f"accepted in baseline {path}"
    stale = []
    for e in entries:
        if available[e["fingerprint"]] > 0:
            available[e["fingerprint"]] -= 1
            stale.append(e)
    report.baseline_stale = stale
    if stale:
        out = stream if stream is not None else sys.stderr
        out.write(f"aslcheck: {len(stale)} baseline entr{'y' if len(stale) == 1 else 'ies'} in {path} matched no "
                  "finding (fixed, renamed, or not linted in this run); rewrite it with --write-baseline\n")
    return stale
