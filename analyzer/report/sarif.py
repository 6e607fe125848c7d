"""SARIF 2.1.0 for GitHub code scanning.

One run, one tool. The output follows the SARIF checklist of ``docs/STYLE.md`` §3:

* ``tool.driver`` lists *every enabled rule* (not only those that fired), so the rule set
  stays the same between runs. Descriptions and help come from the rule's ``doc``.
* Each result points at the exact key or state name through a repository-relative URI
  with ``uriBaseId: "%SRCROOT%"`` and a 1-based region (columns in code points, stated
  by ``columnKind``). ``%SRCROOT%`` gets a ``file:`` URI only when a source root is
  configured (``--srcroot`` / ``settings.root``), so the same input gives the same bytes
  on every machine.
* Our structural fingerprint goes under ``partialFingerprints["aslcheckFingerprint/v1"]``
  and ``fingerprints["aslcheck/v1"]``. ``primaryLocationLineHash`` is left to GitHub's
  upload action, which computes it from the file text.
* Suppressed findings are left out (GitHub ignores SARIF ``suppressions`` and would open
  alerts for them); with ``show_suppressed`` they are written with ``suppressions``.
* Internal errors, unreadable paths and state machines that could not be checked are
  ``invocations[0].toolExecutionNotifications``; internal errors make
  ``executionSuccessful`` false.
* No timestamps, no durations, no absolute paths unless asked for: deterministic bytes.

Solver counterexamples become ``codeFlows``. The reporter reads ``finding.data["witness"]``::

    {
      "input": <execution input (any JSON)>,
      "mocks": <Task mocks (any JSON)>,
      "path": ["/States/A", "/States/B", ...],     # state pointers (or names) in execution order
      "locations": [                               # optional, one per path step; the runner fills
        {"pointer": "/States/A", "state": "A",     # it from "path" when the rule did not
         "line": 3, "column": 5, "end_line": 3, "end_column": 8},
        {"pointer": null, "state": "X"},           # a step that could not be located
        ...
      ]
    }

Each step becomes a ``threadFlowLocation`` at the state's name (falling back to the
finding's own region when a step has no position); the input and mocks are summarised in
the code flow's message and kept whole in its ``properties``. Paths longer than GitHub's
limit are cut (first and last steps kept).
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/aslcheck/aslcheck"
FINGERPRINT_KEY = "aslcheckFingerprint/v1"
FINGERPRINTS_KEY = "aslcheck/v1"
SRCROOT = "%SRCROOT%"

MAX_TEXT = 1024  # GitHub: shortDescription / fullDescription at most 1024 characters
MAX_TAGS = 20
MAX_FLOW_STEPS = 1000  # GitHub accepts 10,000 thread-flow locations and shows 1,000
PROBLEM_SEVERITY = {"error": "error", "warning": "warning", "note": "recommendation"}
SUPPRESSION_KIND = {"comment": "inSource", "metadata": "inSource"}  # config, baseline: external


# -- rules ----------------------------------------------------------------------------------
def _clip(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _doc(rule: Any) -> str:
    import textwrap

    return textwrap.dedent(getattr(rule, "doc", "") or "").strip()


def _section(doc: str, heading: str) -> str:
    """The text under ``## heading`` up to the next heading (code blocks included)."""
    match = re.search(rf"^##\s+{re.escape(heading)}\s*$(.*?)(?=^##\s|\Z)", doc, re.M | re.S)
    return match.group(1).strip() if match else ""


def _plain(markdown: str) -> str:
    """Markdown to readable plain text: headings become lines, code fences disappear."""
    lines = []
    for line in markdown.splitlines():
        if line.strip().startswith("```"):
            continue
        lines.append(re.sub(r"^#+\s*", "", line))
    return "\n".join(lines).strip()


def help_uri(rule: Any) -> str:
    """The rule's own page: an explicit ``help_uri`` if the rule has one, else its source file,
    whose ``doc`` is the rule's documentation (rules live in ``rules/`` of the repository)."""
    explicit = getattr(rule, "help_uri", None)
    if explicit:
        return str(explicit)
    module = type(rule).__module__
    if module.startswith("analyzer.rules."):
        return f"{INFORMATION_URI}/blob/main/rules/{module.rsplit('.', 1)[1]}.py"
    return INFORMATION_URI


def rule_descriptor(rule: Any, level: str) -> dict[str, Any]:
    doc = _doc(rule)
    short = _clip(rule.short_description or rule.name or rule.id)
    full = _clip(_plain(_section(doc, "What it finds")) or short)
    tags = sorted({t for t in (*getattr(rule, "tags", ()), getattr(rule, "category", "")) if t})[:MAX_TAGS]
    properties: dict[str, Any] = {
        "tags": tags,
        "precision": getattr(rule, "precision", "high"),
        "problem.severity": PROBLEM_SEVERITY[level],
    }
    security = getattr(rule, "security_severity", None)
    if security:  # only security rules carry a score; it turns their results into security alerts
        properties["security-severity"] = str(security)
        if "security" not in tags:
            properties["tags"] = sorted([*tags, "security"])[:MAX_TAGS]
    text = _plain(doc) or short
    markdown = f"**{rule.id} {rule.name}**\n\n{doc}" if doc else f"**{rule.id} {rule.name}**\n\n{short}"
    return {
        "id": rule.id,
        "name": rule.name or rule.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": text, "markdown": markdown},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": level},
        "properties": properties,
    }


def _rules_for(report: Any, settings: Any) -> list[Any]:
    """Every enabled rule, plus any rule that produced a result without being listed (ASL100)."""
    from analyzer.engine.registry import by_id

    rules = {r.id: r for r in report.rules}
    known = None
    for f in report.findings:
        if f.rule not in rules:
            known = known if known is not None else by_id()
            rules[f.rule] = known.get(f.rule) or _AdHocRule(f.rule, f.name, f.severity)
    return [rules[k] for k in sorted(rules)]


class _AdHocRule:
    """A stand-in descriptor source for a result whose rule is not in the registry."""

    def __init__(self, rule_id: str, name: str, severity: Any) -> None:
        self.id, self.name, self.severity = rule_id, name or rule_id, severity
        self.short_description = f"{rule_id} {self.name}"
        self.doc, self.tags, self.category, self.precision = "", (), "", "high"


def _level(rule: Any, settings: Any) -> str:
    if settings is not None:
        from analyzer.engine.runner import resolve_severity

        return resolve_severity(rule, settings).value
    sev = rule.severity
    return getattr(sev, "value", str(sev))


# -- locations ------------------------------------------------------------------------------
def artifact_location(file: str) -> dict[str, Any]:
    """A repository-relative URI under ``%SRCROOT%``, or an absolute ``file:`` URI when the
    file lies outside the source root."""
    posix = file.replace("\\", "/")
    if posix.startswith(("/", "../")) or posix == ".." or re.match(r"^[A-Za-z]:/", posix):
        path = Path(file)
        return {"uri": path.resolve().as_uri() if not re.match(r"^[A-Za-z]:/", posix) else "file:///" + quote(posix)}
    return {"uri": quote(posix, safe="/-._~!$&'()*+,;=@"), "uriBaseId": SRCROOT}


def region(line: Any, column: Any, end_line: Any, end_column: Any) -> dict[str, int]:
    line = line if isinstance(line, int) and line >= 1 else 1
    column = column if isinstance(column, int) and column >= 1 else 1
    out = {"startLine": line, "startColumn": column}
    if isinstance(end_line, int) and end_line >= line:
        end_column = end_column if isinstance(end_column, int) and end_column >= 1 else column + 1
        if end_line == line and end_column <= column:
            end_column = column + 1  # never an empty region: GitHub highlights nothing for it
        out.update(endLine=end_line, endColumn=end_column)
    return out


def physical_location(file: str, span: Any) -> dict[str, Any]:
    return {
        "artifactLocation": artifact_location(file),
        "region": region(span.line, span.column, span.end_line, span.end_column),
    }


def _logical_location(f: Any) -> dict[str, Any] | None:
    if not f.pointer and not f.state:
        return None
    loc: dict[str, Any] = {"kind": "object"}
    if f.state:
        loc["name"] = f.state
    loc["fullyQualifiedName"] = (f"{f.resource}#" if f.resource else "") + (f.pointer or "/")
    return loc


# -- code flows -------------------------------------------------------------------------------
def _short_json(value: Any, limit: int = 200) -> str:
    text = json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def code_flows(f: Any) -> list[dict[str, Any]] | None:
    witness = f.data.get("witness") if isinstance(f.data, Mapping) else None
    if not isinstance(witness, Mapping):
        return None
    steps = witness.get("locations")
    if not isinstance(steps, list):
        path = witness.get("path")
        steps = [{"state": str(s), "pointer": s if isinstance(s, str) and s.startswith("/") else None}
                 for s in path] if isinstance(path, list) else []
    steps = [s for s in steps if isinstance(s, Mapping)]
    if not steps:
        return None
    if len(steps) > MAX_FLOW_STEPS:
        half = MAX_FLOW_STEPS // 2
        steps = steps[:half] + steps[-half:]
    locations = []
    for i, step in enumerate(steps):
        state = step.get("state") or (str(step.get("pointer") or "").rsplit("/", 1)[-1]) or "?"
        if isinstance(step.get("line"), int):
            reg = region(step.get("line"), step.get("column"), step.get("end_line"), step.get("end_column"))
        else:
            reg = region(f.span.line, f.span.column, f.span.end_line, f.span.end_column)
        location: dict[str, Any] = {
            "physicalLocation": {"artifactLocation": artifact_location(f.file), "region": reg},
            "message": {"text": f"step {i + 1}: state {state}"},
        }
        if step.get("pointer"):
            location["logicalLocations"] = [{"name": state, "fullyQualifiedName": str(step["pointer"]),
                                             "kind": "object"}]
        locations.append({"location": location, "executionOrder": i + 1})
    flow: dict[str, Any] = {
        "message": {"text": "Counterexample: input " + _short_json(witness.get("input", {}))
                    + ("; mocks " + _short_json(witness["mocks"]) if witness.get("mocks") else "")},
        "threadFlows": [{"locations": locations}],
    }
    extra = {k: witness[k] for k in ("input", "mocks") if k in witness}
    if extra:
        flow["properties"] = json.loads(json.dumps(extra, default=str))
    return [flow]


# -- results ----------------------------------------------------------------------------------
def result(f: Any, rule_index: int) -> dict[str, Any]:
    res: dict[str, Any] = {
        "ruleId": f.rule,
        "ruleIndex": rule_index,
        "level": f.severity.value,
        "message": {"text": _message(f)},
        "locations": [{"physicalLocation": physical_location(f.file, f.span)}],
        "partialFingerprints": {FINGERPRINT_KEY: f.fingerprint},
    }
    logical = _logical_location(f)
    if logical:
        res["locations"][0]["logicalLocations"] = [logical]
    if f.fingerprint:
        res["fingerprints"] = {FINGERPRINTS_KEY: f.fingerprint}
    else:
        del res["partialFingerprints"]
    flows = code_flows(f)
    if flows:
        res["codeFlows"] = flows
    if f.suppressed:
        sup: dict[str, Any] = {"kind": SUPPRESSION_KIND.get(f.suppressed, "external"), "status": "accepted"}
        if f.suppression_reason:
            sup["justification"] = f.suppression_reason
        res["suppressions"] = [sup]
    props: dict[str, Any] = {"pointer": f.pointer}
    if f.state:
        props["state"] = f.state
    if f.resource:
        props["resource"] = f.resource
    if getattr(f, "host_pointer", None) is not None:
        props["hostPointer"] = f.host_pointer  # where in the template file (a Metadata ignore entry)
    res["properties"] = props
    return res


def _message(f: Any) -> str:
    """The rule's message, which already leads with the key fact, as one or more sentences."""
    text = " ".join(str(f.message).split()) or f"{f.rule} {f.name}"
    return text if text.endswith((".", "?", "!")) else text + "."


# -- notifications --------------------------------------------------------------------------
def _notification(level: str, text: str, file: str | None, descriptor: str) -> dict[str, Any]:
    note: dict[str, Any] = {"level": level, "message": {"text": text}, "descriptor": {"id": descriptor}}
    if file and not file.startswith("<"):
        note["locations"] = [{"physicalLocation": {"artifactLocation": artifact_location(file)}}]
    return note


def notifications(report: Any) -> list[dict[str, Any]]:
    out = []
    for e in sorted(report.internal_errors, key=lambda e: (e.file, e.message)):
        out.append(_notification("error", f"Internal error (a bug in aslcheck): {e.message}", e.file.split("#")[0],
                                 "internal-error"))
    for u in sorted(report.unchecked, key=lambda u: (u.file, u.resource or "", u.reason)):
        what = f"State machine {u.resource}" if u.resource else "State machine"
        out.append(_notification("warning", f"{what} was not checked: {u.reason}", u.file, "not-checked"))
    for d in getattr(report, "duplicates", ()):
        what = f"State machine {d.resource}" if d.resource else "State machine"
        out.append(_notification("note", f"{what} is a copy of {d.same_as}: its findings are reported there once "
                                         f"({d.dropped} left out here)", d.file, "synthesized-copy"))
    for problem in sorted(report.usage_errors):
        out.append(_notification("error", problem, None, "unreadable-path"))
    return out


# -- the document ---------------------------------------------------------------------------
def sarif_dict(report: Any, settings: Any = None, show_suppressed: bool = False,
               srcroot: str | None = None) -> dict[str, Any]:
    from analyzer import __version__

    rules = _rules_for(report, settings)
    index = {r.id: i for i, r in enumerate(rules)}
    findings: Iterable[Any] = sorted(
        (f for f in report.findings if show_suppressed or not f.suppressed), key=lambda f: f.sort_key())
    root = srcroot or (getattr(settings, "root", None) if settings is not None else None)
    base: dict[str, Any] = {
        "description": {"text": "The repository root: result paths are relative to it."},
    }
    if root:
        base = {"uri": Path(root).resolve().as_uri().rstrip("/") + "/", **base}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "aslcheck",
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(r, _level(r, settings)) for r in rules],
            }
        },
        "invocations": [{
            "executionSuccessful": not report.internal_errors,
            "toolExecutionNotifications": notifications(report),
        }],
        "originalUriBaseIds": {SRCROOT: base},
        "columnKind": "unicodeCodePoints",
        "results": [result(f, index[f.rule]) for f in findings],
        "properties": {
            "filesRead": report.files_read,
            "filesSkipped": report.files_skipped,
            "stateMachines": report.state_machines,
        },
    }
    category = getattr(settings, "sarif_category", None) if settings is not None else None
    if category:
        # GitHub keeps the alerts of each category apart: "<category>/" (the part before the last /)
        run["automationDetails"] = {"id": category.rstrip("/") + "/"}
    return {"$schema": SARIF_SCHEMA, "version": SARIF_VERSION, "runs": [run]}


def render_sarif(report: Any, settings: Any = None, show_suppressed: bool = False,
                 srcroot: str | None = None) -> str:
    return json.dumps(sarif_dict(report, settings, show_suppressed, srcroot), indent=2, ensure_ascii=False) + "\n"
