"""SARIF output: valid against the OASIS schema and acceptable to GitHub code scanning."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from report_helpers import github_problems, lint_fixtures, sarif_validator

from analyzer.engine.rule import Rule, Severity
from analyzer.engine.runner import InternalError, Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.report.sarif import render_sarif, sarif_dict


def _validate(sarif: dict) -> None:
    errors = sorted(sarif_validator().iter_errors(sarif), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors[:10])
    problems = github_problems(sarif)
    assert not problems, problems[:20]


def test_whole_real_corpus_to_sarif_is_valid_and_meets_github_rules(shared_corpus):
    settings = Settings(root=str(shared_corpus))  # as --srcroot: paths relative to the checkout
    settings.solver.enabled = False  # keeps the test fast; benchmarks/report_corpus.py runs the solver too
    report = Linter(settings).lint_paths([str(shared_corpus / "real")], LintReport())
    assert report.files_read >= 600
    sarif = json.loads(render_sarif(report, settings=settings))
    _validate(sarif)
    run = sarif["runs"][0]
    # every enabled rule is described, sorted by id, and every active finding is a result
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == sorted(r.id for r in report.rules)
    assert len(run["results"]) == len(report.active)
    assert run["invocations"][0]["executionSuccessful"] is (not report.internal_errors)


def test_corpus_templates_to_sarif_is_valid(shared_corpus):
    settings = Settings(root=str(shared_corpus))
    settings.solver.enabled = False
    report = Linter(settings).lint_paths([str(shared_corpus / "templates")], LintReport())
    sarif = json.loads(render_sarif(report, settings=settings))
    _validate(sarif)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert len([n for n in notes if n["descriptor"]["id"] == "not-checked"]) == len(report.unchecked)


def test_fixture_set_is_valid_and_results_match_findings(fixture_report):
    report, settings = fixture_report
    sarif = json.loads(render_sarif(report, settings=settings))
    _validate(sarif)
    results = sarif["runs"][0]["results"]
    assert [(r["ruleId"], r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
             r["locations"][0]["physicalLocation"]["region"]["startLine"]) for r in results] == \
        [(f.rule, f.file, f.span.line) for f in report.findings]
    for res, f in zip(results, report.findings):
        assert res["partialFingerprints"] == {"aslcheckFingerprint/v1": f.fingerprint}
        assert res["level"] == f.severity.value
        assert res["message"]["text"].startswith(f.message)


def test_rule_descriptor_comes_from_the_rule_doc(fixture_report):
    report, settings = fixture_report
    sarif = sarif_dict(report, settings)
    rules = {r["id"]: r for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    assert set(rules) == set(r.id for r in report.rules)
    for rule in report.rules:
        d = rules[rule.id]
        assert d["name"] == rule.name
        assert d["shortDescription"]["text"] == rule.short_description
        assert d["defaultConfiguration"]["level"] == rule.severity.value
        assert d["properties"]["precision"] == rule.precision
        assert set(rule.tags) <= set(d["properties"]["tags"])
        assert "security-severity" not in d["properties"]  # none of these rules is a security rule
        # the markdown help is the doc itself; the plain help keeps its prose without the fences
        assert "## What it finds" in d["help"]["markdown"]
        assert "```" not in d["help"]["text"] and "What it finds" in d["help"]["text"]
        module = type(rule).__module__.rsplit(".", 1)[1]
        assert d["helpUri"] == f"https://github.com/aslcheck/aslcheck/blob/main/rules/{module}.py"
        assert (Path(__file__).parents[2] / "rules" / f"{module}.py").is_file()
        first_para = " ".join(rule.doc.split("## What it finds")[1].split("##")[0].split())
        assert d["fullDescription"]["text"] == first_para[:1024]


def test_severity_override_changes_default_level(in_fixtures):
    report, settings = lint_fixtures(severity_overrides={"ASL103": "warning"})
    rules = {r["id"]: r for r in sarif_dict(report, settings)["runs"][0]["tool"]["driver"]["rules"]}
    assert rules["ASL103"]["defaultConfiguration"]["level"] == "warning"
    assert rules["ASL103"]["properties"]["problem.severity"] == "warning"
    assert rules["ASL102"]["defaultConfiguration"]["level"] == "error"


def test_output_is_deterministic(in_fixtures):
    first, settings = lint_fixtures()
    second, _ = lint_fixtures()
    second.seconds = 123.0  # time never reaches the SARIF file
    assert render_sarif(first, settings=settings) == render_sarif(second, settings=settings)


def test_srcroot_gives_an_absolute_base_uri(in_fixtures):
    report, settings = lint_fixtures(root=str(in_fixtures))
    run = sarif_dict(report, settings)["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == in_fixtures.resolve().as_uri() + "/"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in run["results"]}
    assert uris == {"broken.asl.json", "order.asl.json", "order.asl.yaml", "stack.template.yaml"}
    _validate({"$schema": "https://json.schemastore.org/sarif-2.1.0.json", "version": "2.1.0", "runs": [run]})


def test_without_srcroot_no_machine_specific_path(fixture_report):
    report, settings = fixture_report
    text = render_sarif(report, settings=settings)
    assert str(Path.cwd()) not in text
    assert "file://" not in text


def test_paths_with_spaces_are_uri_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "state machines"
    folder.mkdir()
    (folder / "a b.asl.json").write_text('{"StartAt": "X", "States": {"A": {"Type": "Succeed"}}}')
    report = Linter(Settings(select=["ASL103"])).lint_paths(["."], LintReport())
    sarif = json.loads(render_sarif(report))
    _validate(sarif)
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "state%20machines/a%20b.asl.json"


def test_suppressed_findings_left_out_unless_asked(fixture_report):
    report, settings = fixture_report
    hidden = report.findings[0]
    hidden.suppressed, hidden.suppression_reason = "comment", "known, tracked elsewhere"
    default = sarif_dict(report, settings)["runs"][0]["results"]
    assert len(default) == len(report.findings) - 1
    assert hidden.fingerprint not in [r["partialFingerprints"]["aslcheckFingerprint/v1"] for r in default]
    shown = sarif_dict(report, settings, show_suppressed=True)
    results = shown["runs"][0]["results"]
    assert len(results) == len(report.findings)
    marked = [r for r in results if "suppressions" in r]
    assert marked == [r for r in results if r["partialFingerprints"]["aslcheckFingerprint/v1"] == hidden.fingerprint]
    assert marked[0]["suppressions"] == [
        {"kind": "inSource", "status": "accepted", "justification": "known, tracked elsewhere"}]
    assert not list(sarif_validator().iter_errors(shown))


def test_tool_problems_become_notifications(in_fixtures):
    report, settings = lint_fixtures(["stack.template.yaml"])
    report.internal_errors.append(InternalError("stack.template.yaml#RefundMachine", "rule ASL999 failed: boom"))
    sarif = sarif_dict(report, settings)
    assert not list(sarif_validator().iter_errors(sarif))
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [(n["level"], n["descriptor"]["id"]) for n in notes] == [("error", "internal-error"),
                                                                    ("warning", "not-checked")]
    assert "ASL999" in notes[0]["message"]["text"]
    assert "ExternalMachine" in notes[1]["message"]["text"]
    assert notes[1]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "stack.template.yaml"


def test_result_of_a_rule_that_is_not_enabled_still_has_a_descriptor(in_fixtures):
    report, settings = lint_fixtures(["broken.asl.json"], select=["ASL103"])
    assert [f.rule for f in report.findings] == ["ASL100"]  # the loader reports parse errors regardless
    sarif = sarif_dict(report, settings)
    _validate(sarif)
    assert [r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]] == ["ASL100", "ASL103"]


class _WitnessRule(Rule):
    """A stand-in for a solver rule: reports a path through the machine as its witness."""

    id = "ASL990"
    name = "test-witness"
    severity = Severity.WARNING
    doc = "A test rule.\n\n## What it finds\nNothing real.\n"

    def check(self, ctx):
        yield self.finding("/States/Loop", "Loop may run forever: input {} keeps $.n below 3", state="Loop",
                           witness={"input": {"n": 0}, "mocks": {"Work": [{"Return": 1}]},
                                    "path": ["/States/Start", "/States/Loop", "Start", "Nowhere"]})


def test_witness_becomes_code_flow_at_each_state_name(tmp_path, monkeypatch):
    text = ('{\n  "StartAt": "Start",\n  "States": {\n    "Start": {"Type": "Pass", "Next": "Loop"},\n'
            '    "Loop": {"Type": "Pass", "Next": "Start"}\n  }\n}\n')
    monkeypatch.chdir(tmp_path)
    (tmp_path / "loop.asl.json").write_text(text)
    report = Linter(Settings(), rules=[_WitnessRule()]).lint_paths(["loop.asl.json"], LintReport())
    sarif = sarif_dict(report)
    _validate(sarif)
    (result,) = sarif["runs"][0]["results"]
    (flow,) = result["codeFlows"]
    steps = flow["threadFlows"][0]["locations"]
    lines = text.split("\n")

    def where(token):  # independent: the line and column of the quoted state name in the text
        for n, line in enumerate(lines, 1):
            col = line.find(token)
            if col >= 0 and line[col + len(token):].lstrip().startswith(":"):
                return n, col + 1
        raise AssertionError(token)

    expected = [where('"Start"'), where('"Loop"'), where('"Start"')]
    got = [(s["location"]["physicalLocation"]["region"]["startLine"],
            s["location"]["physicalLocation"]["region"]["startColumn"]) for s in steps[:3]]
    assert got == expected
    assert [s["executionOrder"] for s in steps] == [1, 2, 3, 4]
    # a step that names no state falls back to the finding's own region
    assert steps[3]["location"]["physicalLocation"]["region"] == result["locations"][0]["physicalLocation"]["region"]
    assert flow["properties"] == {"input": {"n": 0}, "mocks": {"Work": [{"Return": 1}]}}
    assert '{"n": 0}' in flow["message"]["text"]


def test_region_is_never_empty_or_zero_based():
    from analyzer.report.sarif import region

    assert region(1, 1, 1, 1) == {"startLine": 1, "startColumn": 1, "endLine": 1, "endColumn": 2}
    assert region(0, 0, None, None) == {"startLine": 1, "startColumn": 1}
    assert region(3, 4, 5, 2) == {"startLine": 3, "startColumn": 4, "endLine": 5, "endColumn": 2}


@pytest.mark.parametrize("fmt", ["sarif", "json", "github", "text"])
def test_cli_writes_each_format(in_fixtures, tmp_path, fmt):
    from click.testing import CliRunner

    from analyzer.cli import main

    out = tmp_path / f"report.{fmt}"
    result = CliRunner().invoke(main, ["lint", ".", "--format", fmt, "--select", ",".join(["ASL100", "ASL102", "ASL103"]),
                                       "--output", str(out)])
    assert result.exit_code == 1, result.output  # the fixtures hold errors
    text = out.read_text(encoding="utf-8")
    assert "ASL103" in text
    if fmt == "sarif":
        _validate(json.loads(text))
    assert "\x1b[" not in text  # never colour in a file


def test_a_category_sets_automation_details_and_stays_valid(fixture_report, tmp_path):
    """GitHub splits automationDetails.id at the last '/': the category is what comes before it."""
    from click.testing import CliRunner

    from analyzer.cli import main

    report, settings = fixture_report
    assert "automationDetails" not in sarif_dict(report, settings)["runs"][0]
    out = tmp_path / "a.sarif"
    root = Path(__file__).resolve().parents[2]
    r = CliRunner().invoke(main, ["lint", str(root / "tests" / "rules" / "ASL102"), "--srcroot", str(root),
                                  "--format", "sarif", "-o", str(out), "--sarif-category", "asl/prod"])
    assert r.exit_code in (0, 1), r.output
    sarif = json.loads(out.read_text())
    _validate(sarif)
    assert sarif["runs"][0]["automationDetails"] == {"id": "asl/prod/"}
