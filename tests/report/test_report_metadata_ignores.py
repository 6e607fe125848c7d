"""Template Metadata ignores that are unused (ASL801) or malformed (ASL802) are reported at the
Metadata entry in the template, in every report format, not at the definition."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import jsonschema
import pytest
from report_helpers import github_problems, sarif_validator

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.report.github import render_github
from analyzer.report.json_report import render_json, schema_path
from analyzer.report.sarif import sarif_dict
from analyzer.report.text import render_text

SELECT = ["ASL203", "ASL301", "ASL401", "ASL801", "ASL802"]

# One Task without a Catch: ASL301 fires (so an ignore of it is used), ASL203 never does.
DEFINITION = {"StartAt": "Call", "States": {"Call": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                      "Parameters": {"FunctionName": "f"}, "End": True}}}

YAML_TEMPLATE = textwrap.dedent("""\
    Resources:
      Flow:
        Type: AWS::Serverless::StateMachine
        Metadata:
          aslcheck:
            ignore:
              - id: ASL301
                reason: the caller retries
              - id: ASL203
                reason: kept from an older version
              - id: ASL999
                reason: typo in the id
              - id: ASL401
              - id: ASL204
                reason: ""
              - ASL202
              - rule: ASL103
                reason: wrong key
        Properties:
          Definition:
            StartAt: Call
            States:
              Call:
                Type: Task
                Resource: arn:aws:states:::lambda:invoke
                Parameters:
                  FunctionName: f
                End: true
    """)


def _json_template(definition_key: str = "Definition") -> str:
    ignores = [{"id": "ASL301", "reason": "the caller retries"},
               {"id": "ASL203", "reason": "kept from an older version"},
               {"id": "ASL999", "reason": "typo in the id"},
               {"id": "ASL401"},
               {"id": "ASL204", "reason": ""},
               "ASL202",
               {"rule": "ASL103", "reason": "wrong key"}]
    definition = json.dumps(DEFINITION) if definition_key == "DefinitionString" else DEFINITION
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine",
                                       "Metadata": {"aslcheck": {"ignore": ignores}},
                                       "Properties": {definition_key: definition}}}}
    return json.dumps(template, indent=2)


def _position(text: str, needle: str, at: int = 0) -> tuple[int, int]:
    """1-based line and column of ``needle`` (unique in ``text``), plus ``at`` characters."""
    assert text.count(needle) == 1, needle
    idx = text.index(needle) + at
    return text.count("\n", 0, idx) + 1, idx - (text.rfind("\n", 0, idx) + 1) + 1


def _expected_yaml(text: str) -> dict[str, tuple[int, int]]:
    """Where each problem is expected: found in the text itself, independently of the parser."""
    return {
        "unused ASL203": _position(text, "id: ASL203"),  # its `id` key
        "unknown ASL999": _position(text, "id: ASL999"),  # its `id` key
        "no reason ASL401": _position(text, "id: ASL401"),  # the entry (a mapping starts at its first key)
        "no reason ASL204": _position(text, 'reason: ""'),  # its empty `reason` key
        "no reason ASL202": _position(text, "ASL202"),  # the bare string entry
        "no id": _position(text, "rule: ASL103"),  # the entry that names no rule
    }


def _expected_json(text: str) -> dict[str, tuple[int, int]]:
    def entry_start(needle: str) -> tuple[int, int]:  # the `{` that opens the entry holding needle
        idx = text.index(needle)
        brace = text.rfind("{", 0, idx)
        return _position(text[: brace] + "\0" + text[brace + 1:], "\0")

    return {
        "unused ASL203": _position(text, '"id": "ASL203"'),
        "unknown ASL999": _position(text, '"id": "ASL999"'),
        "no reason ASL401": entry_start('"id": "ASL401"'),
        "no reason ASL204": _position(text, '"reason": ""'),
        "no reason ASL202": _position(text, '"ASL202"'),
        "no id": entry_start('"rule": "ASL103"'),
    }


def _kind(f) -> str:
    if f.rule == "ASL801":
        return "unused " + re.search(r"ignore\[(\w+)\]", f.message).group(1)
    if "unknown rule" in f.message:
        return "unknown " + re.search(r"'(\w+)'", f.message).group(1)
    if "without a reason" in f.message:
        return "no reason " + re.search(r"ignores (\w+)", f.message).group(1)
    assert "names no rule" in f.message, f.message
    return "no id"


def _lint(tmp_path: Path, name: str, text: str, monkeypatch) -> LintReport:
    (tmp_path / name).write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    report = Linter(Settings(select=SELECT)).lint_paths([name], LintReport())
    assert not report.internal_errors and not report.usage_errors
    return report


CASES = [
    ("template.yaml", YAML_TEMPLATE, _expected_yaml),
    ("template.json", _json_template(), _expected_json),
    ("cdk.template.json", _json_template("DefinitionString"), _expected_json),
]


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_metadata_problems_are_located_at_their_entry(tmp_path, monkeypatch, name, text, expected):
    report = _lint(tmp_path, name, text, monkeypatch)
    meta = [f for f in report.findings if f.rule in ("ASL801", "ASL802")]
    where = {_kind(f): (f.span.line, f.span.column) for f in meta}
    assert where == expected(text)
    assert all(f.file == name and f.resource == "Flow" and f.pointer == "" for f in meta)
    assert all(f.host_pointer.startswith("/Resources/Flow/Metadata/aslcheck/ignore") for f in meta)
    # the used ignore suppressed ASL301 and is not reported
    assert [f.suppressed for f in report.findings if f.rule == "ASL301"] == ["metadata"]
    # ordinary findings stay where they were, at the definition
    [express] = [f for f in report.findings if f.rule == "ASL301"]
    assert express.host_pointer is None and express.pointer == "/States/Call"


@pytest.mark.parametrize("name,text,expected", CASES, ids=[c[0] for c in CASES])
def test_every_report_format_shows_the_entry(tmp_path, monkeypatch, name, text, expected):
    report = _lint(tmp_path, name, text, monkeypatch)
    places = expected(text)
    lines = text.splitlines()
    meta = [f for f in report.findings if f.rule in ("ASL801", "ASL802")]

    # text: "file:line:col: ID", followed by the template line itself as excerpt
    rendered = render_text(report, color=False).splitlines()
    for f in meta:
        line, col = places[_kind(f)]
        head = next(i for i, row in enumerate(rendered) if row.startswith(f"{name}:{line}:{col}: {f.rule} ")
                    and _kind(f).split()[-1] in row)
        assert lines[line - 1].strip() in rendered[head + 1]

    # JSON: valid against the shipped schema, positions and host pointer
    data = json.loads(render_json(report))
    schema = json.loads(schema_path().read_text(encoding="utf-8"))
    assert not list(jsonschema.Draft202012Validator(schema).iter_errors(data))
    got = sorted((f["line"], f["column"], f["host_pointer"]) for f in data["findings"]
                 if f["rule"] in ("ASL801", "ASL802"))
    assert [g[:2] for g in got] == sorted(places.values())
    assert all(g[2].startswith("/Resources/Flow/Metadata/") for g in got)

    # SARIF: valid, acceptable to GitHub, and each region at the entry
    sarif = sarif_dict(report)
    errors = list(sarif_validator().iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]
    assert not github_problems(sarif)
    regions = sorted((r["locations"][0]["physicalLocation"]["region"]["startLine"],
                      r["locations"][0]["physicalLocation"]["region"]["startColumn"])
                     for r in sarif["runs"][0]["results"] if r["ruleId"] in ("ASL801", "ASL802"))
    assert regions == sorted(places.values())
    assert {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]
            if r["ruleId"] in ("ASL801", "ASL802")} == {name}

    # GitHub annotations
    annotations = render_github(report)
    for line, col in places.values():
        assert f"file={name},line={line},col={col}," in annotations


def test_definition_uri_metadata_is_reported_in_the_template_not_the_definition_file(tmp_path, monkeypatch):
    template = textwrap.dedent("""\
        Resources:
          Flow:
            Type: AWS::Serverless::StateMachine
            Metadata:
              aslcheck:
                ignore:
                  - id: ASL301
                    reason: the caller retries
                  - id: ASL203
                    reason: no loop any more
            Properties:
              DefinitionUri: statemachine/flow.asl.json
        """)
    (tmp_path / "statemachine").mkdir()
    (tmp_path / "statemachine" / "flow.asl.json").write_text(json.dumps(DEFINITION, indent=2))
    report = _lint(tmp_path, "template.yaml", template, monkeypatch)
    [unused] = [f for f in report.findings if f.rule == "ASL801"]
    assert unused.file == "template.yaml"
    assert (unused.span.line, unused.span.column) == _position(template, "id: ASL203")
    assert report.sources["template.yaml"] == template  # the excerpt can be shown
    [used] = [f for f in report.findings if f.rule == "ASL301"]
    assert used.file == "statemachine/flow.asl.json" and used.suppressed == "metadata"
    assert f"template.yaml:{unused.span.line}:{unused.span.column}: ASL801" in render_text(report, color=False)


def test_fingerprints_of_ordinary_findings_do_not_change(tmp_path, monkeypatch):
    """Findings in the definition keep the fingerprint the formula gave them (rule, file,
    resource and pointer), whatever the Metadata holds."""
    from analyzer.engine.runner import fingerprint

    report = _lint(tmp_path, "template.yaml", YAML_TEMPLATE.replace("- id: ASL301", "- id: ASL305"), monkeypatch)
    [missing_catch] = [f for f in report.findings if f.rule == "ASL301"]
    assert missing_catch.fingerprint == fingerprint("ASL301", "template.yaml", "Flow:/States/Call", 0)
