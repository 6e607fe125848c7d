"""A CDK project keeps a definition file and ``cdk synth`` writes a copy of it into cdk.out:
linting the project folder reports each finding once, at the file the user edits."""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path

import jsonschema

from analyzer.engine.runner import Linter, LintReport, same_definition
from analyzer.engine.settings import Settings
from analyzer.report.json_report import render_json, schema_path
from analyzer.report.text import render_text

REPO = Path(__file__).resolve().parents[2]
CDK_APP = REPO / "corpus" / "templates" / "cdk-app"
CDK_TEMPLATE = "cdk.out/PipelineStack.template.json"
RESOURCE = "PipelineStateMachine8F2B1E7A"

# The definition as the project keeps it (DefinitionBody.fromFile with substitutions): the same
# machine as the synthesized template, with ${...} where CDK fills in tokens.
SOURCE = {
    "StartAt": "Fetch",
    "States": {
        "Fetch": {"Next": "Store", "Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                  "Parameters": {"FunctionName": "${FetchFnArn}", "Payload.$": "$"}},
        "Store": {"End": True, "Type": "Task", "Resource": "arn:aws:states:::dynamodb:putItem",
                  "Parameters": {"TableName": "${ItemsTable}", "Item": {"id": {"S.$": "$.id"}}},
                  "Next": "Audit"},
    },
    "TimeoutSeconds": 300,
}


def _project(tmp_path: Path, source: dict | None = SOURCE) -> Path:
    project = tmp_path / "app"
    shutil.copytree(CDK_APP, project)
    if source is not None:
        (project / "statemachine").mkdir()
        (project / "statemachine" / "pipeline.asl.json").write_text(json.dumps(source, indent=2))
    return project


def _lint(tmp_path: Path, *paths: Path, **settings) -> LintReport:
    report = LintReport()
    Linter(Settings(root=str(tmp_path), **settings)).lint_paths([str(p) for p in paths], report)
    assert not report.internal_errors and not report.usage_errors
    return report


def _keys(findings, file=None) -> Counter:
    return Counter((f.rule, f.pointer, f.message) for f in findings if file is None or f.file == file)


def test_a_synthesized_copy_is_reported_once_at_the_definition_file(tmp_path):
    project = _project(tmp_path)
    bare, copy = "app/statemachine/pipeline.asl.json", f"app/{CDK_TEMPLATE}"
    alone = _lint(tmp_path, project / "statemachine" / "pipeline.asl.json")
    synthesized = _lint(tmp_path, project / CDK_TEMPLATE)
    assert alone.findings and _keys(alone.findings) == _keys(synthesized.findings)  # the copy says the same

    report = _lint(tmp_path, project)
    assert _keys(report.findings) == _keys(alone.findings)  # each finding once ...
    assert {f.file for f in report.findings} == {bare}  # ... at the file the user edits
    assert report.state_machines == 1
    [dup] = report.duplicates
    assert (dup.file, dup.resource, dup.same_as, dup.dropped) == (copy, RESOURCE, bare, len(alone.findings))

    data = json.loads(render_json(report))
    assert not list(jsonschema.Draft202012Validator(json.loads(schema_path().read_text())).iter_errors(data))
    assert data["summary"]["duplicates"] == [{"file": copy, "resource": RESOURCE, "same_as": bare,
                                              "dropped": len(alone.findings)}]
    text = render_text(report, color=False)
    assert f"{copy}#{RESOURCE} is a copy of {bare}" in text
    assert "1 synthesized copy reported at its definition file" in text.splitlines()[-1]


def test_naming_both_files_gives_the_same_result(tmp_path):
    project = _project(tmp_path)
    by_folder = _lint(tmp_path, project)
    by_name = _lint(tmp_path, project / CDK_TEMPLATE, project / "statemachine" / "pipeline.asl.json")
    assert [(f.file, f.rule, f.pointer, f.fingerprint) for f in by_name.findings] == \
        [(f.file, f.rule, f.pointer, f.fingerprint) for f in by_folder.findings]


def test_a_stale_copy_is_a_different_definition_and_keeps_its_findings(tmp_path):
    fixed = json.loads(json.dumps(SOURCE))
    del fixed["States"]["Store"]["Next"]  # fixed in the source, not synthesized again yet
    project = _project(tmp_path, fixed)
    report = _lint(tmp_path, project)
    synthesized = _lint(tmp_path, project / CDK_TEMPLATE)
    assert report.duplicates == [] and report.state_machines == 2
    assert _keys(report.findings, f"app/{CDK_TEMPLATE}") == _keys(synthesized.findings)
    assert not [f for f in report.findings if f.rule == "ASL103" and f.file.endswith(".asl.json")]


def test_findings_only_the_copy_has_are_kept_at_the_copy(tmp_path):
    source = json.loads(json.dumps(SOURCE))
    source["States"]["Fetch"]["Resource"] = "${FetchResource}"  # the file does not say it is a Lambda call
    project = _project(tmp_path, source)
    report = _lint(tmp_path, project)
    alone = _lint(tmp_path, project / "statemachine" / "pipeline.asl.json")
    synthesized = _lint(tmp_path, project / CDK_TEMPLATE)
    only_copy = _keys(synthesized.findings) - _keys(alone.findings)
    assert only_copy, "the substituted Resource must give the copy a finding of its own"
    [dup] = report.duplicates
    assert _keys(report.findings, f"app/{CDK_TEMPLATE}") == only_copy
    assert _keys(report.findings, "app/statemachine/pipeline.asl.json") == _keys(alone.findings)
    assert dup.dropped == sum((_keys(synthesized.findings) & _keys(alone.findings)).values())


def test_a_suppression_in_the_copys_metadata_carries_over(tmp_path):
    project = _project(tmp_path)
    path = project / CDK_TEMPLATE
    template = json.loads(path.read_text())
    template["Resources"][RESOURCE]["Metadata"]["aslcheck"] = {
        "ignore": [{"id": "ASL301", "reason": "failures alarm in CloudWatch"}]}
    path.write_text(json.dumps(template, indent=1))
    report = _lint(tmp_path, project)
    missing_catch = [f for f in report.findings if f.rule == "ASL301"]
    assert missing_catch and {f.file for f in missing_catch} == {"app/statemachine/pipeline.asl.json"}
    assert {(f.suppressed, f.suppression_reason) for f in missing_catch} == \
        {("metadata", "failures alarm in CloudWatch")}
    assert not [f for f in report.findings if f.rule == "ASL801"]


def test_same_definition_needs_the_same_structure():
    assert same_definition({"A": "${X}", "B": [1, 2]}, {"A": {"any": "value"}, "B": [1, 2.0]})
    assert not same_definition({"A": 1}, {"A": 1, "B": 2})
    assert not same_definition({"A": [1]}, {"A": [1, 2]})
    assert not same_definition({"A": True}, {"A": 1})
    assert not same_definition({"A": "x"}, {"A": "${x}"})  # only the file's placeholders stand for values


def test_an_identical_machine_of_another_project_is_not_a_copy(tmp_path):
    project = _project(tmp_path, source=None)
    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "pipeline.asl.json").write_text(json.dumps(SOURCE, indent=2))
    report = _lint(tmp_path, project, tmp_path / "other")
    assert report.duplicates == [] and report.state_machines == 2
    assert {f.file for f in report.findings} == {f"app/{CDK_TEMPLATE}", "other/pipeline.asl.json"}


def test_a_copy_in_an_assembly_of_a_stage_is_found(tmp_path):
    project = _project(tmp_path)
    stage = project / "cdk.out" / "assembly-Prod"
    stage.mkdir()
    (project / CDK_TEMPLATE).rename(stage / "PipelineStack.template.json")
    report = _lint(tmp_path, project)
    assert [d.file for d in report.duplicates] == ["app/cdk.out/assembly-Prod/PipelineStack.template.json"]
    assert {f.file for f in report.findings} == {"app/statemachine/pipeline.asl.json"}


def test_sarif_names_the_copy_in_a_notification_and_stays_valid(tmp_path):
    import os

    import pytest

    from analyzer.report.sarif import sarif_dict

    schema = Path(os.environ.get("ASLCHECK_SHARED", REPO.parent / "shared")) / "schemas" / "sarif-schema-2.1.0.json"
    if not schema.is_file():
        pytest.skip("the shared SARIF schema is not available")
    report = _lint(tmp_path, _project(tmp_path))
    sarif = sarif_dict(report)
    errors = list(jsonschema.Draft4Validator(json.loads(schema.read_text())).iter_errors(sarif))
    assert not errors, [e.message for e in errors[:5]]
    [note] = [n for n in sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
              if n["descriptor"]["id"] == "synthesized-copy"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == f"app/{CDK_TEMPLATE}"
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif["runs"][0]["results"]}
    assert uris == {"app/statemachine/pipeline.asl.json"}
