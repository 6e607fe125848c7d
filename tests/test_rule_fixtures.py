"""Per-rule fixtures: ``tests/rules/<ID>/<case>.asl.{json,yaml}`` beside ``<case>.expected.json``.

Each fixture is linted with *only* its rule selected. A ``good_*`` case must produce no
finding of that rule. A ``bad_*`` case must produce exactly the findings listed in its
expected file: a list of ``{"pointer", "line", "column"}`` (and optionally ``"message"``,
a substring), or an object ``{"workflow_type": "EXPRESS", "options": {...}, "findings": [...]}``.
A bad case must list at least one finding, so a fixture can never pass vacuously.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings

HERE = Path(__file__).resolve().parent / "rules"
SUFFIXES = (".asl.json", ".asl.yaml", ".json", ".yaml", ".yml")


def _cases():
    for rule_dir in sorted(p for p in HERE.iterdir() if p.is_dir()):
        for f in sorted(rule_dir.iterdir()):
            if f.name.endswith(".expected.json") or not f.name.endswith(SUFFIXES):
                continue
            if not (f.name.startswith("good_") or f.name.startswith("bad_")):
                continue
            yield pytest.param(rule_dir.name, f, id=f"{rule_dir.name}/{f.name}")


def _expected_path(fixture: Path) -> Path:
    name = fixture.name
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return fixture.with_name(name[: -len(suffix)] + ".expected.json")
    raise AssertionError(name)


def _spec(fixture: Path) -> dict:
    exp = _expected_path(fixture)
    if not exp.exists():
        return {"findings": []}
    data = json.loads(exp.read_text())
    return {"findings": data} if isinstance(data, list) else data


@pytest.mark.parametrize("rule_id,fixture", list(_cases()))
def test_rule_fixture(rule_id: str, fixture: Path):
    spec = _spec(fixture)
    settings = Settings(select=[rule_id], workflow_type=spec.get("workflow_type"))
    if spec.get("options"):
        settings.rule_options[rule_id] = spec["options"]
    report = LintReport()
    Linter(settings).lint_text(fixture.read_text(encoding="utf-8"), fixture.name, report)
    assert not report.internal_errors, report.internal_errors
    got = [f for f in report.findings if f.rule == rule_id]
    if fixture.name.startswith("good_"):
        assert got == [], [f"{f.span.line}:{f.span.column} {f.pointer} {f.message}" for f in got]
        return
    expected = spec["findings"]
    assert expected, f"{fixture.name}: a bad_ fixture must list the findings it produces"
    got_keys = sorted((f.pointer, f.span.line, f.span.column) for f in got)
    want_keys = sorted((e["pointer"], e["line"], e["column"]) for e in expected)
    assert got_keys == want_keys, [f"{f.span.line}:{f.span.column} {f.pointer} {f.message}" for f in got]
    for e in expected:
        if "message" in e:
            msgs = [f.message for f in got if f.pointer == e["pointer"]]
            assert any(e["message"] in m for m in msgs), (e["message"], msgs)
