"""Baselines match findings by rule, file and state path, never by line (analyzer/engine/baseline.py)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from analyzer.commands.lint import run_lint
from analyzer.engine.baseline import BaselineError, apply_baseline, write_baseline
from analyzer.engine.runner import Linter
from analyzer.engine.settings import Settings

LAMBDA = "arn:aws:states:::lambda:invoke"


def machine(first="Charge", comment=None):
    m = {"StartAt": first, "States": {
        first: {"Type": "Task", "Resource": LAMBDA, "Next": "Ship"},
        "Ship": {"Type": "Task", "Resource": LAMBDA, "End": True}}}
    if comment:
        m = {"Comment": comment, **m}
    return m


def lint(tmp_path, value):
    path = tmp_path / "order.asl.json"
    path.write_text(json.dumps(value, indent=2))
    settings = Settings(select=["ASL401"], workflow_type="EXPRESS", root=str(tmp_path))
    return Linter(settings).lint_paths([str(path)])


def test_edits_elsewhere_keep_the_baseline_valid(tmp_path):
    baseline = tmp_path / "baseline.json"
    before = lint(tmp_path, machine())
    assert write_baseline(before, str(baseline)) == 2
    # a multi-line Comment added at the top moves every state down
    edited = lint(tmp_path, machine(comment="Order workflow.\nOwned by payments.\n" * 3))
    lines_before = sorted(f.span.line for f in before.findings)
    lines_after = sorted(f.span.line for f in edited.findings)
    assert lines_before != lines_after
    stale = apply_baseline(edited, str(baseline), stream=io.StringIO())
    assert stale == []
    assert [f.suppressed for f in edited.findings] == ["baseline", "baseline"]
    assert edited.active == []


def test_renaming_a_state_makes_its_finding_new(tmp_path):
    baseline = tmp_path / "baseline.json"
    write_baseline(lint(tmp_path, machine()), str(baseline))
    renamed = lint(tmp_path, machine(first="ChargeCard"))
    note = io.StringIO()
    stale = apply_baseline(renamed, str(baseline), stream=note)
    assert {f.state: f.suppressed for f in renamed.findings} == {"ChargeCard": None, "Ship": "baseline"}
    assert [e["pointer"] for e in stale] == ["/States/Charge/Resource"]
    assert "1 baseline entry" in note.getvalue()


def test_written_baseline_is_stable_and_has_no_positions(tmp_path):
    report = lint(tmp_path, machine())
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    write_baseline(report, str(a))
    write_baseline(lint(tmp_path, machine()), str(b))
    assert a.read_text() == b.read_text()
    data = json.loads(a.read_text())
    assert data["tool"] == "aslcheck" and data["version"] == 1
    assert all("line" not in e and "column" not in e for e in data["findings"])
    assert {e["file"] for e in data["findings"]} == {"order.asl.json"}


def test_comment_suppressed_findings_are_not_written(tmp_path):
    m = machine()
    m["States"]["Ship"]["Comment"] = "aslcheck: ignore[ASL401] -- shipping API dedups on orderId"
    baseline = tmp_path / "baseline.json"
    assert write_baseline(lint(tmp_path, m), str(baseline)) == 1


@pytest.mark.parametrize("content,needle", [
    ("not json", "not valid JSON"),
    ('{"findings": []}', "not an aslcheck baseline"),
    ('{"tool": "aslcheck", "version": 99, "findings": []}', "format version 99"),
    ('{"tool": "aslcheck", "version": 1, "findings": [{"rule": "ASL401"}]}', "without a fingerprint"),
])
def test_bad_baseline_files(tmp_path, content, needle):
    path = tmp_path / "b.json"
    path.write_text(content)
    with pytest.raises(BaselineError, match=needle):
        apply_baseline(lint(tmp_path, machine()), str(path))


def test_cli_round_trip(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = tmp_path / "order.asl.json"
    target.write_text(json.dumps(machine(), indent=2))
    args = dict(fmt="json", select=["ASL401"], workflow_type="EXPRESS", fail_on="warning")
    assert run_lint([str(target)], write_baseline=str(tmp_path / "base.json"), **args) == 1
    capsys.readouterr()
    assert run_lint([str(target)], baseline=str(tmp_path / "base.json"), **args) == 0
    assert run_lint([str(target)], baseline=str(tmp_path / "missing.json"), **args) == 2
    assert "cannot read baseline" in capsys.readouterr().err
    assert Path(tmp_path / "base.json").exists()
