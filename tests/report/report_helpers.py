"""Helpers of the reporter tests: the fixed fixture set, its lint report, snapshots, checklists.

The fixtures are linted with a fixed rule selection so that rules added later do not
change the snapshots; the reporters are what is under test here, not the rules.
"""

from __future__ import annotations

import json
import os
from functools import lru_cache
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SNAPSHOTS = HERE / "snapshots"
SNAPSHOT_RULES = ["ASL100", "ASL102", "ASL103"]
SARIF_SCHEMA = Path(os.environ.get("ASLCHECK_SHARED", HERE.parent.parent.parent / "shared")) / "schemas" / \
    "sarif-schema-2.1.0.json"


def lint_fixtures(paths=(".",), select=SNAPSHOT_RULES, **settings_kwargs):
    """Lint fixture files (relative to the fixture folder, which must be the cwd)."""
    from analyzer.engine.runner import Linter, LintReport
    from analyzer.engine.settings import Settings

    settings = Settings(select=list(select), **settings_kwargs)
    report = Linter(settings).lint_paths(list(paths), LintReport())
    report.seconds = 0.0  # the only value that differs between runs
    return report, settings


def check_snapshot(name: str, text: str) -> None:
    """Compare with ``snapshots/<name>``; ``ASL_UPDATE_SNAPSHOTS=1`` rewrites it instead."""
    path = SNAPSHOTS / name
    if os.environ.get("ASL_UPDATE_SNAPSHOTS") == "1" or not path.exists():
        if not path.exists() and os.environ.get("ASL_UPDATE_SNAPSHOTS") != "1":
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8", newline="\n")
            pytest.fail(f"snapshot {name} did not exist and was written; review it and rerun")
        path.write_text(text, encoding="utf-8", newline="\n")
        return
    expected = path.read_text(encoding="utf-8")
    assert text == expected, f"snapshot {name} differs (ASL_UPDATE_SNAPSHOTS=1 to accept the new output)"


@lru_cache(maxsize=1)
def sarif_validator():
    import jsonschema

    if not SARIF_SCHEMA.is_file():
        pytest.skip("the shared SARIF schema is not available")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def github_problems(sarif: dict) -> list[str]:
    """GitHub code scanning's ingestion rules (docs/STYLE.md §3) that ``sarif`` breaks."""
    problems: list[str] = []
    if sarif.get("$schema") != "https://json.schemastore.org/sarif-2.1.0.json":
        problems.append("$schema")
    if sarif.get("version") != "2.1.0":
        problems.append("version")
    runs = sarif.get("runs") or []
    if len(runs) != 1:
        problems.append("exactly one run")
    for run in runs:
        driver = run["tool"]["driver"]
        for key in ("name", "semanticVersion", "informationUri"):
            if not driver.get(key):
                problems.append(f"driver.{key}")
        rules = driver.get("rules")
        if not isinstance(rules, list):
            problems.append("driver.rules")
            rules = []
        ids = [r.get("id") for r in rules]
        if len(set(ids)) != len(ids):
            problems.append("duplicate rule ids")
        for r in rules:
            rid = r.get("id")
            for key in ("shortDescription", "fullDescription"):
                text = (r.get(key) or {}).get("text", "")
                if not text or len(text) > 1024:
                    problems.append(f"{rid}.{key}")
            help_ = r.get("help") or {}
            if not help_.get("text") or not help_.get("markdown"):
                problems.append(f"{rid}.help")
            if not r.get("helpUri"):
                problems.append(f"{rid}.helpUri")
            if (r.get("defaultConfiguration") or {}).get("level") not in ("note", "warning", "error"):
                problems.append(f"{rid}.defaultConfiguration.level")
            props = r.get("properties") or {}
            tags = props.get("tags")
            if not isinstance(tags, list) or len(tags) > 20 or tags != sorted(set(tags)):
                problems.append(f"{rid}.properties.tags")
            if props.get("precision") not in ("very-high", "high", "medium", "low"):
                problems.append(f"{rid}.properties.precision")
            if props.get("problem.severity") not in ("error", "warning", "recommendation"):
                problems.append(f"{rid}.properties.problem.severity")
            if "security-severity" in props:
                score = float(props["security-severity"])
                if not 0.1 <= score <= 10.0 or "security" not in tags:
                    problems.append(f"{rid}.security-severity")
        results = run.get("results")
        if not isinstance(results, list) or len(results) > 25000:
            problems.append("results")
            results = []
        for i, res in enumerate(results):
            where = f"result {i}"
            if res.get("ruleId") not in ids:
                problems.append(f"{where}: ruleId not among the rules")
            elif ids[res.get("ruleIndex", -1)] != res["ruleId"]:
                problems.append(f"{where}: ruleIndex")
            if res.get("level") not in ("note", "warning", "error"):
                problems.append(f"{where}: level")
            if not (res.get("message") or {}).get("text"):
                problems.append(f"{where}: message")
            if "primaryLocationLineHash" in (res.get("partialFingerprints") or {}):
                problems.append(f"{where}: primaryLocationLineHash must be left to GitHub")
            if not (res.get("partialFingerprints") or {}).get("aslcheckFingerprint/v1"):
                problems.append(f"{where}: partialFingerprints")
            if "suppressions" in res:
                problems.append(f"{where}: suppressed results are left out by default")
            locations = res.get("locations") or []
            if not locations:
                problems.append(f"{where}: locations")
                continue
            phys = locations[0].get("physicalLocation") or {}
            art = phys.get("artifactLocation") or {}
            uri = art.get("uri", "")
            if not uri or "\\" in uri or uri.startswith(("/", "file:")) or art.get("uriBaseId") != "%SRCROOT%":
                problems.append(f"{where}: artifactLocation {art}")
            reg = phys.get("region") or {}
            for key in ("startLine", "startColumn", "endLine", "endColumn"):
                if not isinstance(reg.get(key), int) or reg[key] < 1:
                    problems.append(f"{where}: region.{key}")
            if reg.get("endLine", 0) < reg.get("startLine", 0) or (
                    reg.get("endLine") == reg.get("startLine") and reg.get("endColumn", 0) <= reg.get("startColumn", 0)):
                problems.append(f"{where}: empty or reversed region")
            for flow in res.get("codeFlows", []):
                for tf in flow["threadFlows"]:
                    if len(tf["locations"]) > 10000:
                        problems.append(f"{where}: too many thread-flow locations")
        if "%SRCROOT%" not in (run.get("originalUriBaseIds") or {}):
            problems.append("originalUriBaseIds")
        invocations = run.get("invocations") or []
        if not invocations or "executionSuccessful" not in invocations[0]:
            problems.append("invocations[0].executionSuccessful")
    return problems
