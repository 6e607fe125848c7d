"""The JSON report matches its shipped, versioned JSON Schema, and its summary adds up."""

from __future__ import annotations

import json
from collections import Counter

import jsonschema
import pytest
from report_helpers import lint_fixtures

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.report.json_report import SCHEMA_VERSION, render_json, schema_path


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _errors(validator, data) -> list[str]:
    return [f"{list(e.path)}: {e.message}" for e in validator.iter_errors(data)]


def test_fixture_report_matches_schema(in_fixtures, validator):
    report, _ = lint_fixtures()
    data = json.loads(render_json(report))
    assert not _errors(validator, data)
    assert data["version"] == SCHEMA_VERSION


def test_summary_counts_findings_by_severity(in_fixtures):
    report, _ = lint_fixtures()
    data = json.loads(render_json(report))
    by_severity = Counter(f["severity"] for f in data["findings"])
    summary = data["summary"]
    assert (summary["errors"], summary["warnings"], summary["notes"]) == \
        (by_severity["error"], by_severity["warning"], by_severity["note"])
    assert summary["files_read"] == 5 and summary["state_machines"] == 5
    assert [u["resource"] for u in summary["unchecked"]] == ["ExternalMachine"]
    assert summary["rules"] == ["ASL100", "ASL102", "ASL103"]


def test_suppressed_and_witness_data_match_schema(in_fixtures, validator):
    report, _ = lint_fixtures()
    report.findings[0].suppressed = "baseline"
    report.findings[1].data = {"witness": {"input": {"n": object()}, "path": ["/States/A"]}}  # odd values stay JSON
    hidden = json.loads(render_json(report))
    assert len(hidden["findings"]) == len(report.findings) - 1 and hidden["summary"]["suppressed"] == 1
    shown = json.loads(render_json(report, show_suppressed=True))
    assert not _errors(validator, shown)
    assert shown["findings"][0]["suppressed"] == {"by": "baseline", "reason": None}


def test_whole_real_corpus_matches_schema(shared_corpus, validator):
    settings = Settings()
    settings.solver.enabled = False  # the reporter is under test, not the solver passes
    report = Linter(settings).lint_paths([str(shared_corpus / "real")], LintReport())
    data = json.loads(render_json(report))
    assert not _errors(validator, data)[:5]
    assert len(data["findings"]) == len(report.active)


def test_schema_rejects_a_report_missing_a_position(in_fixtures, validator):
    report, _ = lint_fixtures()
    data = json.loads(render_json(report))
    del data["findings"][0]["end_column"]
    data["findings"][1]["line"] = 0
    errors = _errors(validator, data)
    assert any("end_column" in e for e in errors) and any("0 is less than the minimum" in e for e in errors)
