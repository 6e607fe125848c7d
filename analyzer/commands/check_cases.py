"""``aslcheck tests DEFINITION --check DIR``: run test cases and say which ones the workflow fails.

The cases are the JSON files ``--out`` writes, or hand-written ones in the same format
(:mod:`analyzer.interp.cases`). They are read from ``DIR/<definition name>/`` when that
folder exists (the layout ``--out`` creates, one folder per state machine of a template),
else from ``DIR`` itself; ``MockConfigFile.json`` is skipped. Each case runs in the
interpreter and every expectation it states is compared.

Reports: text (a line per case, the reason under each failure), JSON, or JUnit XML for CI
test tabs. Text and JSON also say what the cases cover together: the states entered and the
Choice rules, Defaults and Catches taken (the goals of ``--out``), and which no case reaches. Exit codes: 0 every case passed; 1 a case failed; 2 usage error, unreadable
definition or a malformed case file (named with its line and column); 3 internal error.
"""

from __future__ import annotations

import json
import os
import time
from xml.sax.saxutils import escape, quoteattr

import click

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
SKIPPED_FILES = {"MockConfigFile.json"}


def case_files(directory: str, stem: str) -> list[str]:
    """The case files for the state machine named ``stem``, in name order."""
    folder = os.path.join(directory, stem)
    if not os.path.isdir(folder):
        folder = directory
    return sorted(os.path.join(folder, f) for f in os.listdir(folder)
                  if f.endswith(".json") and f not in SKIPPED_FILES and os.path.isfile(os.path.join(folder, f)))


def _read_case(path: str):
    """(case, None) or (None, problem) for one case file; the problem names line and column."""
    from analyzer.load.files import decode
    from analyzer.load.json_parser import parse_json
    from analyzer.load.source import LineIndex, ParseError

    try:
        with open(path, "rb") as fh:
            text = decode(fh.read())
        return parse_json(text, path).value, None
    except OSError as exc:
        return None, f"{path}: cannot read the file: {exc.strerror or exc}"
    except ParseError as exc:
        line, column = (exc.line, exc.column or 1) if exc.line is not None else \
            LineIndex(text).position(min(exc.offset, len(text)))
        return None, f"{path}:{line}:{column}: not valid JSON: {exc.message}"


def run_check_command(definition: str, check_dir: str, fmt: str = "text", output: str | None = None,
                      workflow_type: str | None = None) -> int:
    from analyzer.commands.single import UsageError, emit, load_definitions
    from analyzer.commands.tests import _stem
    from analyzer.interp.cases import CaseError, check_case

    if not os.path.isdir(check_dir):
        click.echo(f"aslcheck: {check_dir}: no such directory of test cases", err=True)
        return EXIT_USAGE
    try:
        definitions = [d for d in load_definitions(definition) if isinstance(d.value, dict)]
    except UsageError as exc:
        click.echo(f"aslcheck: {exc}", err=True)
        return EXIT_USAGE
    if not definitions:
        click.echo(f"aslcheck: {definition}: no state machine definition found", err=True)
        return EXIT_USAGE
    suites, status = [], EXIT_OK
    for d in definitions:
        stem = _stem(d.file, d.resource, len(definitions) > 1)
        files = case_files(check_dir, stem)
        suite = {"definition": d.label, "cases": [], "seconds": 0.0}
        reached: set = set()
        if not files:
            click.echo(f"aslcheck: {check_dir}: no test case files (*.json) for {d.label}", err=True)
            status = max(status, EXIT_USAGE)
        started = time.perf_counter()
        for path in files:
            name = os.path.splitext(os.path.basename(path))[0]
            case, problem = _read_case(path)
            entry = {"name": name, "file": path}
            if problem is None:
                try:
                    result = check_case(d.value, case, name, workflow_type or d.workflow_type)
                except CaseError as exc:
                    problem = f"{path}: {exc}"
                except Exception as exc:  # noqa: BLE001 - a crash of the interpreter is a bug
                    click.echo(f"aslcheck: internal error running {path}: {type(exc).__name__}: {exc}", err=True)
                    entry.update(outcome="error", problems=[f"internal error: {type(exc).__name__}: {exc}"])
                    suite["cases"].append(entry)
                    status = EXIT_INTERNAL
                    continue
            if problem is not None:
                entry.update(outcome="error", problems=[problem])
                status = max(status, EXIT_USAGE) if status != EXIT_INTERNAL else status
            else:
                entry.update(name=result.name, outcome="passed" if result.passed else "failed",
                             status=result.status, error=result.error, path=result.path,
                             problems=result.mismatches, seconds=round(result.seconds, 6))
                if not result.passed and status == EXIT_OK:
                    status = EXIT_FAILED
                reached.update(result.covered)
            suite["cases"].append(entry)
        suite["seconds"] = round(time.perf_counter() - started, 6)
        suite["coverage"] = _coverage(d.value, reached)
        suites.append(suite)
    text = {"json": _json_report, "junit": _junit_report}.get(fmt, _text_report)(suites)
    if not emit(text, output):
        return EXIT_USAGE
    return status


def _coverage(definition: dict, reached: set) -> dict:
    """What the cases' runs covered of the model checker's goals (top-level scope): states
    entered, and Choice rules, Defaults and Catches taken; the goals no case reached are listed."""
    from analyzer.model.build import build_machine
    from analyzer.symbolic.symexec import goals_of
    from analyzer.symbolic.testgen import goal_label

    goals = goals_of(build_machine(definition), "branches")
    out: dict = {}
    for key, kinds in (("states", {"state"}), ("branches", {"rule", "default", "catch"})):
        mine = [g for g in goals if g[0] in kinds]
        out[key] = {"total": len(mine), "covered": sum(1 for g in mine if g in reached)}
    out["missed"] = [goal_label(g) for g in goals if g not in reached]
    return out


def _counts(cases: list) -> dict:
    return {k: sum(1 for c in cases if c["outcome"] == k) for k in ("passed", "failed", "error")}


def _text_report(suites: list) -> str:
    lines = []
    for s in suites:
        lines.append(f"{s['definition']}")
        for c in s["cases"]:
            label = {"passed": "PASS", "failed": "FAIL", "error": "ERROR"}[c["outcome"]]
            detail = f" ({c['status']} via {' > '.join(c['path']) or '(no state)'})" if c["outcome"] == "passed" else ""
            lines.append(f"  {label} {c['name']}{detail}")
            lines.extend(f"       {p}" for p in c.get("problems", ()))
        n = _counts(s["cases"])
        lines.append(f"  {n['passed']} passed, {n['failed']} failed, {n['error']} error(s) in {s['seconds']:.2f}s")
        cov = s["coverage"]
        lines.append(f"  covered: states {cov['states']['covered']}/{cov['states']['total']}, "
                     f"branches {cov['branches']['covered']}/{cov['branches']['total']}"
                     + (f"; not reached by any case: {', '.join(cov['missed'][:12])}"
                        + (" ..." if len(cov["missed"]) > 12 else "") if cov["missed"] else ""))
    return "\n".join(lines) + "\n"


def _json_report(suites: list) -> str:
    body = [{**s, "summary": _counts(s["cases"])} for s in suites]
    return json.dumps(body[0] if len(body) == 1 else body, indent=2) + "\n"


def _junit_report(suites: list) -> str:
    """JUnit XML as CI test tabs read it: a testsuite per state machine, a testcase per case."""
    out = ['<?xml version="1.0" encoding="UTF-8"?>', "<testsuites>"]
    for s in suites:
        n = _counts(s["cases"])
        out.append(f'  <testsuite name={quoteattr(s["definition"])} tests="{len(s["cases"])}" '
                   f'failures="{n["failed"]}" errors="{n["error"]}" time="{s["seconds"]:.6f}">')
        for c in s["cases"]:
            attrs = f'name={quoteattr(c["name"])} classname={quoteattr(s["definition"])} ' \
                    f'time="{c.get("seconds", 0.0):.6f}"'
            if c["outcome"] == "passed":
                out.append(f"    <testcase {attrs}/>")
                continue
            tag = "failure" if c["outcome"] == "failed" else "error"
            message = "; ".join(c.get("problems", ())) or c["outcome"]
            out.append(f"    <testcase {attrs}>")
            out.append(f"      <{tag} message={quoteattr(message)}>{escape(chr(10).join(c.get('problems', ())))}"
                       f"</{tag}>")
            out.append("    </testcase>")
        out.append("  </testsuite>")
    out.append("</testsuites>")
    return "\n".join(out) + "\n"
