"""Every state machine in the shared corpus templates is found, and agrees with the corpus' own extraction.

EXPECTED was counted by hand from the templates and the MANIFEST notes (resource, how its
definition is given). The corpus keeps templates without their neighbouring files, so every
``DefinitionUri`` there points at a file that is absent and the state machine is listed as
unchecked, as is the ``DefinitionS3Location`` one.
"""

from __future__ import annotations

import csv
import json
import re

import pytest

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.load.files import decode, parse_text
from analyzer.templates import extract_from_template
from tests.conftest import CORPUS, require_shared

EXPECTED = {  # template -> (checked resources, unchecked resources)
    "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__functions__sub_needed.yaml":
        (["TestBadStateMachine1", "TestBadStateMachine2"], []),
    "aws-cloudformation__cfn-lint__test__fixtures__templates__good__functions__sub_needed.yaml":
        (["TestGoodStateMachine1"], []),
    "aws-cloudformation__cfn-lint__test__fixtures__templates__good__transform__step_function_local_definition.yaml":
        ([], ["StateMachine"]),
    "aws-samples__serverless-patterns__apigw-websocket-api-sfn-async__template.yaml": (["AsyncSFn"], []),
    "aws-samples__serverless-patterns__apigw-websocket-api-sfn-sync__template.yaml": (["SyncSFn"], []),
    "aws-samples__serverless-patterns__eventbridge-sfn__template.yaml": (["EC2StateWatcher"], []),
    "aws-samples__serverless-patterns__kinesis-eventbridge-pipes-filter-enrichment-sfn__template.yaml":
        (["TargetSfn"], []),
    "aws-samples__serverless-patterns__s3-event-sfn-lambda-ddb-sns__template.yaml": (["UpdateTableStateMachine"], []),
    "aws-samples__serverless-patterns__s3-sqs-eventbridge-pipe-sfn-s3__template.yaml": ([], ["TargetStateMachine"]),
    "aws-samples__serverless-patterns__sfn-dynamodb__.aws-composer__20221206T025957326__template.yaml":
        (["StateMachinetoDDB"], []),
    "aws-samples__serverless-patterns__sfn-lambda-function-crossaccount__template.yaml": (["StepFunction"], []),
    "aws-samples__serverless-patterns__sfn-log-export__template.yaml": ([], ["ArchiveLogsStateMachine"]),
    "aws-samples__serverless-patterns__sfn-sqs__template.yaml": (["StateMachinetoSQS"], []),
    "aws-samples__step-functions-workflows-collection__async-state-machine-streaming-lambda-results-sam__template.yaml":
        ([], ["ExampleWorkflow"]),
    "aws-samples__step-functions-workflows-collection__call-microservice-apigw__template.yml":
        (["ApiGatewayECSStateMachine"], []),
    "aws-samples__step-functions-workflows-collection__cqrs__template.yaml": ([], ["CQRSStateMachine"]),
    "aws-samples__step-functions-workflows-collection__eventbridge-custom-sam__template.yaml": ([], ["stateMachine"]),
    "aws-samples__step-functions-workflows-collection__inventory-management-sam__template.yaml":
        ([], ["ReserveStockStateMachine", "CreatePurchaseOrderStateMachine", "CheckInventoryLevelStateMachine"]),
    "aws-samples__step-functions-workflows-collection__scatter-gather__out.yaml": (["StateMachine2E01A3A5"], []),
    "aws-samples__step-functions-workflows-collection__stepfunction-progress-tracking__template.yml":
        ([], ["OrderingStateMachine"]),
    "aws-samples__step-functions-workflows-collection__stepfunction-redshift-batchexecutestatement-sam__template.yaml":
        ([], ["StepFunction"]),
    "aws-samples__step-functions-workflows-collection__train-ml-model__template.yaml":
        ([], ["TrainAndBatchTransformStateMachine"]),
    "localstack__localstack__tests__aws__cdk_templates__EventsTests__stack-events-target-stepfunctions.json":
        (["MyStateMachine6C968CA5"], []),
    "localstack__localstack__tests__aws__cdk_templates__StepFunctionsEcsTask__StepFunctionsEcsTaskStack.json":
        (["statemachineC5962F3E"], []),
    "localstack__localstack__tests__aws__services__stepfunctions__v2__scenarios__templates__path-based-on-data.yaml":
        (["statemachineC5962F3E"], []),
    "localstack__localstack__tests__aws__templates__statemachine_machine_default_s3_location.yml":
        ([], ["StateMachine"]),
    "localstack__localstack__tests__aws__templates__statemachine_machine_logging_configuration.yml":
        (["StateMachine"], []),
    "localstack__localstack__tests__aws__templates__statemachine_machine_with_activity.yml": (["StateMachine"], []),
    "serverless-operations__serverless-step-functions__fixtures__athena__serverless.yml":
        (["athenaMachine", "athenaAsyncMachine", "athenaRuntimeWorkgroupMachine"], []),
    "serverless-operations__serverless-step-functions__fixtures__express-workflow__serverless.yml":
        (["expressMachine"], []),
}
_NOTE_ITEM = re.compile(r"(\w+) \(([\w:-]+)\): (\S+)( STANDARD| EXPRESS)?")


def _manifest(corpus):
    with open(corpus / "MANIFEST.tsv", newline="") as fh:
        return list(csv.DictReader(fh, delimiter="\t"))


def _extract(corpus, name):
    path = corpus / "templates" / name
    document = parse_text(decode(path.read_bytes()), str(path))
    return extract_from_template(document, str(path.parent))


@pytest.fixture(scope="module")
def corpus():
    require_shared()
    return CORPUS


def test_the_table_covers_every_template_and_agrees_with_the_manifest(corpus):
    assert sorted(p.name for p in (corpus / "templates").iterdir()) == sorted(EXPECTED)
    for row in _manifest(corpus):
        if row["extracted_from"] != "whole-template":
            continue
        noted = [item[0] for item in _NOTE_ITEM.findall(row["notes"])]
        checked, unchecked = EXPECTED[row["file"].split("/", 1)[1]]
        assert sorted(noted) == sorted(checked + unchecked), row["file"]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_state_machine_is_found(corpus, name):
    extraction = _extract(corpus, name)
    checked, unchecked = EXPECTED[name]
    assert [d.resource for d in extraction.definitions] == checked
    assert [u.resource for u in extraction.unchecked] == unchecked
    for d in extraction.definitions:
        assert not d.host_problems and isinstance(d.value, dict) and isinstance(d.value.get("States"), dict)
    for u in extraction.unchecked:
        assert "S3" in u.reason or "not found" in u.reason


def test_workflow_types_follow_the_templates(corpus):
    for row in _manifest(corpus):
        if row["extracted_from"] != "whole-template":
            continue
        name = row["file"].split("/", 1)[1]
        stated = {item[0]: item[3].strip() or None for item in _NOTE_ITEM.findall(row["notes"])}
        for d in _extract(corpus, name).definitions:
            assert d.workflow_type == stated[d.resource], (name, d.resource)


def test_linting_the_template_folder_counts_and_lists(corpus):
    report = LintReport()
    Linter(Settings(root=str(corpus))).lint_paths([str(corpus / "templates")], report)
    assert not report.internal_errors and not report.usage_errors
    assert report.files_read == len(EXPECTED)
    assert report.state_machines == sum(len(c) for c, _ in EXPECTED.values())
    assert sorted((u.file.rsplit("/", 1)[-1], u.resource) for u in report.unchecked) == sorted(
        (name, r) for name, (_c, un) in EXPECTED.items() for r in un)
    assert not [f for f in report.findings if f.rule == "ASL100"]


def _shape(definition):
    """State names and types, scope by scope (Parallel branches, Map processors)."""
    out = {}
    for name, state in (definition.get("States") or {}).items():
        nested = []
        for branch in state.get("Branches") or []:
            nested.append(_shape(branch))
        for key in ("Iterator", "ItemProcessor"):
            if isinstance(state.get(key), dict):
                nested.append(_shape(state[key]))
        out[name] = (state.get("Type"), nested)
    return out


#: Where our stand-ins differ from the dummy values the corpus used (everything else is equal):
EXPECTED_DIFFERENCES = {
    # a non-Arn GetAtt attribute: we write "<Name>-<Attribute>", the corpus "<Name><Attribute>"
    "localstack__localstack__tests__aws__cdk_templates__StepFunctionsEcsTask__StepFunctionsEcsTaskStack.json"
    "#statemachineC5962F3E": [
        ("/States/ecstask/Parameters/NetworkConfiguration/AwsvpcConfiguration/SecurityGroups/0",
         "ecstaskSecurityGroup2F44C80F-GroupId", "ecstaskSecurityGroup2F44C80FGroupId")],
    # ${definition_substitution_1} has no DefinitionSubstitutions entry: the corpus keeps the text,
    # we put an ARN-shaped stand-in where an ARN is expected
    "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__functions__sub_needed.yaml"
    "#TestBadStateMachine1": [
        ("/States/Test/Resource", "arn:aws:lambda:us-east-1:123456789012:function:definition_substitution_1",
         "${definition_substitution_1}")],
}


def _differences(ours, theirs, pointer=""):
    if type(ours) is not type(theirs):
        yield pointer, ours, theirs
    elif isinstance(ours, dict):
        for key in sorted(set(ours) | set(theirs)):
            if key not in ours or key not in theirs:
                yield f"{pointer}/{key}", ours.get(key), theirs.get(key)
            else:
                yield from _differences(ours[key], theirs[key], f"{pointer}/{key}")
    elif isinstance(ours, list) and len(ours) == len(theirs):
        for i, (a, b) in enumerate(zip(ours, theirs)):
            yield from _differences(a, b, f"{pointer}/{i}")
    elif ours != theirs:
        yield pointer, ours, theirs


def test_extraction_agrees_with_the_corpus_own_extracted_definitions(corpus):
    compared = 0
    for row in _manifest(corpus):
        if not row["extracted_from"].startswith("template-"):
            continue
        base = row["file"].split("/", 1)[1]
        template = next((t for t in EXPECTED if base.startswith(t + "__")), None)
        if template is None:
            continue
        resource = base[len(template) + 2:-len(".json")]
        theirs = json.loads((corpus / row["file"]).read_text())
        [ours] = [d for d in _extract(corpus, template).definitions if d.resource == resource]
        assert _shape(ours.value) == _shape(theirs), row["file"]
        assert ours.value.get("StartAt") == theirs.get("StartAt")
        differences = list(_differences(ours.value, theirs))
        assert differences == EXPECTED_DIFFERENCES.get(f"{template}#{resource}", []), row["file"]
        if row["workflow_type"]:
            assert ours.workflow_type == row["workflow_type"]
        compared += 1
    assert compared == 20  # every extracted row whose template is in corpus/templates
