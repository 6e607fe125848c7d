"""Placeholders become stand-ins of the right shape and never cause a finding of their own."""

from __future__ import annotations

import json
import textwrap

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.load.files import parse_text
from analyzer.templates import extract_from_template


def _extract(text: str, name: str = "template.yaml"):
    return extract_from_template(parse_text(text, name))


def _lint(tmp_path, text: str, name: str) -> LintReport:
    path = tmp_path / name
    path.write_text(text)
    report = LintReport()
    Linter(Settings(root=str(tmp_path))).lint_paths([str(path)], report)
    assert not report.internal_errors, report.internal_errors
    return report


SUB_TEMPLATE = textwrap.dedent("""\
    Parameters:
      Timeout:
        Type: Number
      Retries:
        Type: Number
        Default: 4
    Resources:
      Worker:
        Type: AWS::Serverless::Function
      Jobs:
        Type: AWS::SQS::Queue
      Flow:
        Type: AWS::StepFunctions::StateMachine
        Properties:
          StateMachineType: EXPRESS
          DefinitionSubstitutions:
            Heartbeat: 20
            Done: true
          DefinitionString: !Sub |
            {
              "StartAt": "Work",
              "TimeoutSeconds": ${Timeout},
              "States": {
                "Work": {
                  "Type": "Task",
                  "Resource": "${Worker}",
                  "HeartbeatSeconds": ${!Heartbeat},
                  "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": ${Retries}}],
                  "Next": "Queue"
                },
                "Queue": {
                  "Type": "Task",
                  "Resource": "arn:${AWS::Partition}:states:::sqs:sendMessage",
                  "Parameters": {"QueueUrl": "${Jobs}", "MessageBody": "in ${AWS::Region}: ${!Literal}"},
                  "End": ${!Done}
                }
              }
            }
    """)


def test_sub_placeholders_get_values_of_the_right_type():
    [d] = _extract(SUB_TEMPLATE).definitions
    assert d.workflow_type == "EXPRESS" and d.origin == "template-sub"
    v = d.value
    assert isinstance(v["TimeoutSeconds"], int) and v["TimeoutSeconds"] > 0  # unquoted, no default
    work = v["States"]["Work"]
    assert work["HeartbeatSeconds"] == 20  # ${!Heartbeat} -> ${Heartbeat} -> DefinitionSubstitutions
    assert work["Retry"][0]["MaxAttempts"] == 4  # the parameter's Default
    assert work["Resource"].startswith("arn:aws:lambda:us-east-1:123456789012:function:")  # Ref gives a name
    queue = v["States"]["Queue"]
    assert queue["Resource"] == "arn:aws:states:::sqs:sendMessage"
    assert queue["Parameters"]["QueueUrl"] == "https://sqs.us-east-1.amazonaws.com/123456789012/Jobs"
    assert queue["Parameters"]["MessageBody"].startswith("in us-east-1: ")
    assert queue["End"] is True


def test_placeholders_add_no_findings(tmp_path):
    """The Sub template and a bare file with plausible real values give the same findings."""
    [d] = _extract(SUB_TEMPLATE).definitions
    bare = json.loads(json.dumps(d.value))
    bare["TimeoutSeconds"] = 900
    bare["States"]["Work"]["Resource"] = "arn:aws:lambda:eu-west-1:111122223333:function:real-worker"
    bare["States"]["Queue"]["Parameters"]["QueueUrl"] = "https://sqs.eu-west-1.amazonaws.com/111122223333/real"
    bare_report = _lint(tmp_path, json.dumps(bare, indent=2), "flow.asl.json")
    template_report = _lint(tmp_path, SUB_TEMPLATE, "template.yaml")
    wtype = Settings(workflow_type="EXPRESS")
    express_bare = LintReport()
    Linter(wtype).lint_paths([str(tmp_path / "flow.asl.json")], express_bare)
    assert {(f.rule, f.pointer) for f in template_report.findings} == {
        (f.rule, f.pointer) for f in express_bare.findings}
    assert not [f for f in template_report.findings if f.rule == "ASL100"]
    assert bare_report.state_machines == template_report.state_machines == 1


def test_join_pieces_and_intrinsic_objects_inline():
    template = {"Resources": {
        "Table": {"Type": "AWS::DynamoDB::Table"},
        "Topic": {"Type": "AWS::SNS::Topic"},
        "Flow": {"Type": "AWS::StepFunctions::StateMachine", "Properties": {"DefinitionString": {"Fn::Join": ["", [
            '{"StartAt":"Put","States":{"Put":{"Type":"Task","Resource":"arn:', {"Ref": "AWS::Partition"},
            ':states:::dynamodb:putItem","Parameters":{"TableName":"', {"Ref": "Table"},
            '","Item":{}},"Next":"Tell"},"Tell":{"Type":"Task","Resource":"arn:aws:states:::sns:publish",'
            '"Parameters":{"TopicArn":"', {"Fn::GetAtt": ["Topic", "TopicArn"]}, '","Message":"',
            {"Fn::ImportValue": "Shared"}, '"},"End":true}}}'
        ]]}}},
    }}
    [d] = _extract(json.dumps(template, indent=1), "t.json").definitions
    put, tell = d.value["States"]["Put"], d.value["States"]["Tell"]
    assert put["Resource"] == "arn:aws:states:::dynamodb:putItem"
    assert put["Parameters"]["TableName"] == "Table"
    assert tell["Parameters"]["TopicArn"] == "arn:aws:sns:us-east-1:123456789012:Topic"
    assert tell["Parameters"]["Message"] == "imported-Shared"


def test_object_definition_with_intrinsics_and_substitutions():
    text = textwrap.dedent("""\
        Resources:
          Fn:
            Type: AWS::Lambda::Function
          Flow:
            Type: AWS::Serverless::StateMachine
            Metadata:
              aslcheck:
                ignore:
                  - id: ASL301
                    reason: alarmed elsewhere
                  - ASL303
            Properties:
              Type: EXPRESS
              DefinitionSubstitutions:
                Wait: 5
              Definition:
                StartAt: Call
                States:
                  Call:
                    Type: Task
                    Resource: !GetAtt Fn.Arn
                    TimeoutSeconds: !Ref AWS::NoValue
                    Next: Pause
                  Pause:
                    Type: Wait
                    Seconds: "${Wait}"
                    Comment: !Sub "waits in ${AWS::Region}"
                    End: true
        """)
    [d] = _extract(text).definitions
    assert d.origin == "template-object" and d.workflow_type == "EXPRESS"
    entries = "/Resources/Flow/Metadata/aslcheck/ignore"
    assert d.metadata_ignores == [{"id": "ASL301", "reason": "alarmed elsewhere", "pointer": entries + "/0"},
                                  {"id": "ASL303", "reason": None, "pointer": entries + "/1"}]
    call, pause = d.value["States"]["Call"], d.value["States"]["Pause"]
    assert call["Resource"] == "arn:aws:lambda:us-east-1:123456789012:function:Fn"
    assert isinstance(call["TimeoutSeconds"], int)
    assert pause["Seconds"] == "5" and pause["Comment"] == "waits in us-east-1"
    # positions stay the template's own
    lines = [line.strip() for line in text.splitlines()]
    assert d.locate("/States/Call/Resource").line == lines.index("Resource: !GetAtt Fn.Arn") + 1


def test_unresolvable_definitions_are_listed_not_checked():
    text = textwrap.dedent("""\
        Parameters:
          Body:
            Type: String
        Resources:
          FromParameter:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Ref Body
          FromImport:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionString: !Join ["", !Split [",", !ImportValue Parts]]
          InS3:
            Type: AWS::StepFunctions::StateMachine
            Properties:
              DefinitionS3Location: {Bucket: b, Key: k}
          SamS3:
            Type: AWS::Serverless::StateMachine
            Properties:
              DefinitionUri: {Bucket: b, Key: k}
          Nothing:
            Type: AWS::StepFunctions::StateMachine
            Properties: {}
        """)
    extraction = _extract(text)
    assert extraction.definitions == []
    reasons = {u.resource: u.reason for u in extraction.unchecked}
    assert set(reasons) == {"FromParameter", "FromImport", "InS3", "SamS3", "Nothing"}
    assert "Ref" in reasons["FromParameter"] and "S3" in reasons["InS3"] and "S3" in reasons["SamS3"]


ODD_PROPERTIES = [
    "Properties: [1, 2]",
    "Properties: {DefinitionString: 42}",
    "Properties: {DefinitionString: [a, b]}",
    "Properties: {DefinitionString: {Fn::Sub: [1, 2]}}",
    "Properties: {DefinitionString: {Fn::Sub: []}}",
    "Properties: {DefinitionString: {Fn::Join: [',']}}",
    "Properties: {DefinitionString: {Fn::Join: [1, [a]]}}",
    "Properties: {DefinitionString: {Fn::Join: ['', [{Fn::Select: [9, []]}, '{}']]}}",
    "Properties: {DefinitionString: {Fn::Join: ['', [{Fn::GetAtt: []}, '{}']]}}",
    "Properties: {DefinitionString: '${A'}",
    "Properties: {DefinitionString: '{\"StartAt\": ${X}}'}",
    "Properties: {DefinitionString: !Sub '{\"StartAt\": \"${!}\", \"States\": {}}'}",
    "Properties: {DefinitionString: ''}",
    "Properties: {DefinitionString: '[]'}",
    "Properties: {Definition: [1]}",
    "Properties: {Definition: {States: {A: !GetAtt ''}}}",
    "Properties: {Definition: {}, DefinitionSubstitutions: [1]}",
    "Properties: {DefinitionUri: ''}",
    "Properties: {DefinitionUri: '../../../../../../nonexistent/x.json'}",
    "Properties: {DefinitionUri: 5}",
    "Properties: {StateMachineType: {Fn::If: []}, Definition: {StartAt: A}}",
    "Metadata: {aslcheck: {ignore: 7}}\n    Properties: {Definition: {StartAt: A, States: {}}}",
]


def test_odd_templates_never_crash(tmp_path):
    """Wrong types anywhere give a finding or an 'unchecked' entry, never an internal error."""
    for i, props in enumerate(ODD_PROPERTIES):
        for kind in ("AWS::StepFunctions::StateMachine", "AWS::Serverless::StateMachine"):
            text = f"Resources:\n  Flow:\n    Type: {kind}\n    {props}\n"
            report = _lint(tmp_path, text, f"t{i}.yaml")
            assert report.state_machines + len(report.unchecked) == 1, props
