"""Templates as users keep them: DefinitionUri next to the template, cdk.out, serverless.yml, broken strings."""

from __future__ import annotations

import json
import shutil
import textwrap
from pathlib import Path

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.report.json_report import report_dict
from analyzer.report.text import render_text

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "corpus" / "templates"


def _lint(root: Path, *paths: Path) -> LintReport:
    report = LintReport()
    Linter(Settings(root=str(root))).lint_paths([str(p) for p in paths], report)
    assert not report.internal_errors, report.internal_errors
    return report


def _line_col(text: str, needle: str) -> tuple[int, int]:
    assert text.count(needle) == 1, needle
    idx = text.index(needle)
    return text.count("\n", 0, idx) + 1, idx - (text.rfind("\n", 0, idx) + 1) + 1


def test_definition_uri_is_followed_and_reported_in_the_definition_file(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(SAMPLES / "sam-definition-uri", project)
    asl = project / "statemachine" / "order.asl.json"
    report = _lint(tmp_path, project)  # the folder: template and definition file both discovered
    assert report.state_machines == 1  # the definition file counts once, through the template
    assert [(u.resource, "S3" in u.reason) for u in report.unchecked] == [("ArchivedFlow", True)]
    assert {f.file for f in report.findings} == {"app/statemachine/order.asl.json"}
    assert all(f.resource == "OrderFlow" for f in report.findings)
    assert not [f for f in report.findings if f.rule == "ASL100"]  # ${Timeout} unquoted is substituted first
    express = [f for f in report.findings if f.rule == "ASL401"]  # Type: EXPRESS reached the rules
    assert express and all(f.pointer.startswith("/States/") for f in express)
    charge = next(f for f in report.findings if f.pointer == "/States/Charge" and not f.suppressed)
    assert (charge.span.line, charge.span.column) == _line_col(asl.read_text(), '"Charge": {')
    assert {f.rule for f in report.findings if f.suppressed} == {"ASL301"}  # from the resource Metadata


def test_definition_uri_missing_file_and_broken_file(tmp_path):
    (tmp_path / "template.yaml").write_text(textwrap.dedent("""\
        Resources:
          Gone:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: statemachine/gone.asl.json
          Broken:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: statemachine/broken.asl.json
        """))
    (tmp_path / "statemachine").mkdir()
    broken = '{\n  "StartAt": "A",\n  "States": {\n    "A": {"Type": "Pass" "End": true}\n  }\n}\n'
    (tmp_path / "statemachine" / "broken.asl.json").write_text(broken)
    report = _lint(tmp_path, tmp_path / "template.yaml")
    assert [(u.resource, "not found" in u.reason) for u in report.unchecked] == [("Gone", True)]
    [problem] = report.findings
    assert problem.rule == "ASL100" and problem.file == "statemachine/broken.asl.json"
    assert problem.resource == "Broken"
    assert (problem.span.line, problem.span.column) == _line_col(broken, '"End"')


def test_malformed_definition_strings_are_located_in_the_template(tmp_path):
    yaml_text = textwrap.dedent("""\
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub |
                {
                  "StartAt": "A",
                  "States": {
                    "A": {"Type": "Pass", "End": true},
                  }
                }
        """)
    (tmp_path / "t.yaml").write_text(yaml_text)
    json_text = json.dumps({"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {
        "DefinitionString": '{"StartAt": "A", "States": {"A": {"Type": "Pass" "End": true}}}'}}}}, indent=2)
    (tmp_path / "t.json").write_text(json_text)
    report = _lint(tmp_path, tmp_path / "t.yaml", tmp_path / "t.json")
    by_file = {f.file: f for f in report.findings}
    assert set(by_file) == {"t.yaml", "t.json"} and all(f.rule == "ASL100" for f in report.findings)
    # the trailing comma itself is reported
    state_line = '"A": {"Type": "Pass", "End": true},'
    line, col = _line_col(yaml_text, state_line)
    assert (by_file["t.yaml"].span.line, by_file["t.yaml"].span.column) == (line, col + len(state_line) - 1)
    assert (by_file["t.json"].span.line, by_file["t.json"].span.column) == _line_col(json_text, '\\"End\\"')
    assert report.state_machines == 2


def test_cdk_out_templates_are_found_in_a_project_folder(tmp_path):
    project = tmp_path / "cdk-app"
    shutil.copytree(SAMPLES / "cdk-app", project)
    report = _lint(tmp_path, project)
    assert report.state_machines == 1 and report.files_skipped == 2  # manifest.json, tree.json
    template = (project / "cdk.out" / "PipelineStack.template.json").read_text()
    [bad_next] = [f for f in report.findings if f.rule == "ASL103"]
    assert bad_next.pointer == "/States/Store/Next" and bad_next.resource == "PipelineStateMachine8F2B1E7A"
    assert (bad_next.span.line, bad_next.span.column) == _line_col(template, '\\"Next\\":\\"Audit\\"')


def test_serverless_framework_variables_and_file_definitions(tmp_path):
    (tmp_path / "serverless.yml").write_text(textwrap.dedent("""\
        service: shop
        custom:
          tableName: orders-table
        functions:
          charge:
            handler: handler.charge
        stepFunctions:
          stateMachines:
            checkout:
              type: EXPRESS
              definition:
                StartAt: Charge
                States:
                  Charge:
                    Type: Task
                    Resource:
                      Fn::GetAtt: [ChargeLambdaFunction, Arn]
                    Next: Save
                  Save:
                    Type: Task
                    Resource: arn:aws:states:::dynamodb:putItem
                    Parameters:
                      TableName: ${self:custom.tableName}
                      Item:
                        stage: {S: "${opt:stage, 'dev'}"}
                        region: {S: "#{AWS::Region}"}
                    End: true
            refund:
              definition: ${file(./refund.asl.json)}
        """))
    (tmp_path / "refund.asl.json").write_text('{"StartAt": "R", "States": {"R": {"Type": "Pass", "Next": "X"}}}\n')
    report = _lint(tmp_path, tmp_path)
    assert report.state_machines == 2
    [refund] = [f for f in report.findings if f.resource == "refund" and f.rule == "ASL103"]
    assert refund.file == "refund.asl.json" and refund.span.line == 1
    assert not [f for f in report.findings if f.file == "refund.asl.json" and f.resource is None]

    from analyzer.load.files import parse_text
    from analyzer.templates import extract_from_template

    text = (tmp_path / "serverless.yml").read_text()
    [checkout, _] = extract_from_template(parse_text(text, "serverless.yml"), str(tmp_path)).definitions
    assert checkout.workflow_type == "EXPRESS" and checkout.origin == "serverless"
    save = checkout.value["States"]["Save"]["Parameters"]
    assert save["TableName"] == "orders-table"
    assert save["Item"] == {"stage": {"S": "dev"}, "region": {"S": "us-east-1"}}
    assert checkout.value["States"]["Charge"]["Resource"].endswith(":function:ChargeLambdaFunction")


def test_reports_name_the_resource_and_list_unchecked(tmp_path):
    project = tmp_path / "app"
    shutil.copytree(SAMPLES / "sam-definition-uri", project)
    report = _lint(tmp_path, project)
    summary = report_dict(report)["summary"]
    assert summary["state_machines"] == 1
    assert summary["unchecked"] == [{"file": "app/template.yaml", "resource": "ArchivedFlow",
                                     "reason": "the definition is stored in S3 (s3://my-artifacts/archived.asl.json)"}]
    text = render_text(report, color=False)
    assert "[OrderFlow > Charge]" in text


def test_serverless_definition_from_a_variable_is_listed_as_unchecked(tmp_path):
    (tmp_path / "serverless.yml").write_text(
        "stepFunctions:\n  stateMachines:\n    fromSsm:\n      definition: ${ssm:/flows/main}\n"
        "    keyed:\n      definition: ${file(./flows.yml):main}\n")
    report = _lint(tmp_path, tmp_path / "serverless.yml")
    assert report.state_machines == 0 and not report.findings
    reasons = {u.resource: u.reason for u in report.unchecked}
    assert "Serverless variable" in reasons["fromSsm"]
    assert reasons["keyed"] == "${file(...)} file flows.yml was not found"  # read when it exists


def test_duplicate_state_in_a_definition_string_points_at_both_places_in_the_template(tmp_path):
    text = textwrap.dedent("""\
        Resources:
          Flow:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Sub |
                {"StartAt": "A", "States": {
                  "A": {"Type": "Pass", "Next": "B"},
                  "B": {"Type": "Pass", "End": true},
                  "B": {"Type": "Succeed"}}}
        """)
    (tmp_path / "t.yaml").write_text(text)
    report = _lint(tmp_path, tmp_path / "t.yaml")
    [dup] = [f for f in report.findings if f.rule == "ASL102"]
    lines = text.splitlines()
    first = next(i for i, line in enumerate(lines) if '"B": {"Type": "Pass"' in line) + 1
    second = next(i for i, line in enumerate(lines) if '"B": {"Type": "Succeed"' in line) + 1
    assert (dup.span.line, dup.span.column) == (second, lines[second - 1].index('"B"') + 1)
    first_column = lines[first - 1].index('"B"') + 1
    assert f"line {first}, column {first_column}" in dup.message


def test_yaml_definition_uri_file_gets_substitutions_and_its_own_positions(tmp_path):
    (tmp_path / "template.yaml").write_text(textwrap.dedent("""\
        Resources:
          Worker:
            Type: AWS::Serverless::Function
          Flow:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: flows/main.asl.yaml
              DefinitionSubstitutions:
                WorkerArn: !GetAtt Worker.Arn
        """))
    (tmp_path / "flows").mkdir()
    flow = textwrap.dedent("""\
        StartAt: Work
        States:
          Work:
            Type: Task
            Resource: ${WorkerArn}
            Next: Nowhere
        """)
    (tmp_path / "flows" / "main.asl.yaml").write_text(flow)
    report = _lint(tmp_path, tmp_path)
    assert report.state_machines == 1
    [bad] = [f for f in report.findings if f.rule == "ASL103"]
    assert (bad.file, bad.resource) == ("flows/main.asl.yaml", "Flow")
    assert (bad.span.line, bad.span.column) == _line_col(flow, "Next: Nowhere")
    assert {f.rule for f in report.findings} >= {"ASL303"}  # the substituted Resource is a Lambda ARN
