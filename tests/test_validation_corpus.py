"""Validation (ASL1xx) against the shared real-world corpus.

* Every definition in ``corpus/real`` gets no ASL1xx error, except the files listed in
  ``REAL_REFUSED`` with the reason the service would refuse them as written.
* Every file in ``corpus/invalid`` gets at least one ASL1xx error of the kind its
  MANIFEST.tsv note describes (``INVALID_EXPECTED``, read from each note and file).
* No corpus file makes validation fail internally.
* The fast schema pre-check in ASL101 agrees with jsonschema on every state.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import pytest

from tests.conftest import CORPUS, require_shared

AWS_REFUSES_NON_ARN = ("Resource is not an ARN; the service requires a Task Resource to be the ARN of a Lambda "
                       "function, an activity or a service integration and refuses the definition as written")
TEST_HOLE = ("a LocalStack test template with a hole that its test fills in at run time; as written the Resource "
             "is not an ARN and the service refuses it")
STATELINT_FOO_BAR = ("statelint test fixture with \"Resource\": \"foo:bar\"; statelint checks only structure, the "
                     "service refuses a Resource that is not an ARN")
SWF_ARN = ("asl-validator fixture with an arn:aws:swf:...:task Resource, which is not a Step Functions Task "
           "resource (not Lambda, activity or arn:aws:states:::...)")
CREDENTIALS = ("Credentials may only hold RoleArn / RoleArn.$: the AWS-recorded LocalStack test "
               "credentials/invalid_credentials_field (in corpus/invalid) shows CreateStateMachine refusing any "
               "other field")
CONTEXT_HOLE = ("LocalStack context_object template whose %CONTEXT_OBJECT_LITERAL_PLACEHOLDER% hole its test "
                "replaces with a path; as written it is not a path and the service refuses it")

#: real/ files the service would refuse as written: file -> (ASL1xx rules reported, why).
REAL_REFUSED: dict[str, tuple[set[str], str]] = {
    "ChristopheBougere__asl-validator__src____tests____definitions__valid-map-with-item-batcher-jsonata.json":
        ({"ASL109"}, "a state sets QueryLanguage JSONPath under a JSONata top level; the AWS-recorded LocalStack "
                     "fixture validation/invalid_downgrade_query_language (corpus/invalid) is refused for this"),
    "ChristopheBougere__asl-validator__src____tests____definitions__valid-task-credentials.json":
        ({"ASL101", "ASL111"}, CREDENTIALS + "; " + SWF_ARN),
    "ChristopheBougere__asl-validator__src____tests____definitions__valid-task-intrisic-function.json":
        ({"ASL101"}, "Resource is a CloudFormation {\"Fn::GetAtt\"/\"Ref\"} object in a standalone ASL file; "
                     "the service requires a string"),
    "ChristopheBougere__asl-validator__src____tests____definitions__valid-task-parameters.json": ({"ASL111"}, SWF_ARN),
    "ChristopheBougere__asl-validator__src____tests____definitions__valid-task-timeout-jsonata.json": ({"ASL111"}, SWF_ARN),
    "aws-cloudformation__cfn-lint__test__fixtures__templates__good__functions__sub_needed.yaml__TestGoodStateMachine1.json":
        ({"ASL111"}, "cfn-lint fixture with \"Resource\": \"test\"; " + AWS_REFUSES_NON_ARN),
    "aws-samples__step-functions-workflows-collection__shared-fallback-state-jsonata__statemachine__statemachine.asl.json":
        ({"ASL101", "ASL109"}, "\"QueryLanguage\": \"JSONata\" is written inside States (so it is a state that is "
                               "a string) and the machine therefore stays JSONPath while its states use "
                               "Output/Arguments; the service refuses both"),
    "awslabs__statelint__test__task-with-credentials.json":
        ({"ASL101", "ASL111"}, CREDENTIALS + " (here 'roleArn' in lower case); " + STATELINT_FOO_BAR),
    "localstack__localstack__tests__aws__services__stepfunctions__templates__services__statemachines__invalid_integration_dynamodb_query.json":
        ({"ASL111"}, "arn:aws:states:::dynamodb:query is not an optimized DynamoDB action; LocalStack's "
                     "AWS-validated test_invalid_integration expects CreateStateMachine to fail"),
    "localstack__localstack__tests__aws__services__stepfunctions__templates__services__statemachines__lambda_list_functions.json":
        ({"ASL111"}, "arn:aws:states:::lambda:listFunctions: the optimized Lambda integration has only invoke; other "
                     "Lambda APIs need arn:aws:states:::aws-sdk:lambda:listFunctions"),
    "localstack__localstack__tests__aws__services__stepfunctions__templates__errorhandling__statemachines__task_service_lambda_invoke_catch_tbd.json":
        ({"ASL110"}, "ErrorEquals is an empty list that the LocalStack test fills in; an empty ErrorEquals is "
                     "refused (statelint's empty-error-equals specs, corpus/invalid)"),
    "localstack__localstack__tests__aws__services__stepfunctions__templates__test_state__statemachines__base_map_state_machine_choice_fail.json":
        ({"ASL103", "ASL108"}, "a TestState fixture: StartAt names states that are not in its States object, so "
                               "it is not a deployable state machine (MISSING_TRANSITION_TARGET); its JSONata "
                               "Condition also reads $$, which has no value in Step Functions JSONata "
                               "(UNSUPPORTED_JSONATA_EXPRESSION)"),
    "serverless-operations__serverless-step-functions__fixtures__activities__serverless.yml__activityMachine.json":
        ({"ASL111"}, "Resource is a Serverless Framework logical name that the plugin replaces with an ARN at "
                     "deploy time; " + AWS_REFUSES_NON_ARN),
    "serverless-operations__serverless-step-functions__fixtures__circular-dependency__serverless.yml__circularMachine.json":
        ({"ASL111"}, "Resource is a Serverless Framework logical name that the plugin replaces with an ARN at "
                     "deploy time; " + AWS_REFUSES_NON_ARN),
}
for _name in ("backoff-with-backoffrate-decimal", "backoff-with-backoffrate-integer", "backoff-with-jitter-on-retry",
              "states-array-intrinsic-functions", "states-array-invocation", "states-encoding-decoding-intrinsic-functions",
              "states-format-invocation", "states-hash-intrinsic-functions", "states-json-intrinsic-functions",
              "states-jsontostring-invocation", "states-math-intrinsic-functions", "states-string-intrinsic-functions",
              "states-stringtojson-invocation", "states-uuid-intrinsic-functions", "task-with-dynamic-timeouts",
              "task-with-parameters", "task-with-resultpath", "task-with-resultselector"):
    REAL_REFUSED[f"awslabs__statelint__test__{_name}.json"] = ({"ASL111"}, STATELINT_FOO_BAR)
_LS = "localstack__localstack__tests__aws__services__stepfunctions__templates__"
for _name in ("activities__statemachines__base_activity_task", "activities__statemachines__base_activity_task_heartbeat",
              "activities__statemachines__base_activity_task_timeout", "arguments__statemachines__base_lambda_empty",
              "arguments__statemachines__base_lambda_empty_global_ql_jsonata",
              "arguments__statemachines__base_lambda_expressions", "arguments__statemachines__base_lambda_literals",
              "base__statemachines__task_seq_2", "credentials__statemachines__lambda_task",
              "errorhandling__statemachines__task_lambda_invoke_catch_all",
              "errorhandling__statemachines__task_lambda_invoke_catch_data_limit_exceeded",
              "errorhandling__statemachines__task_lambda_invoke_catch_relevant",
              "errorhandling__statemachines__task_lambda_invoke_catch_unknown", "outputdecl__statemachines__base_lambda",
              "querylanguage__statemachines__task_lambda_legacy_resource_from_jsonata_to_jsonpath",
              "querylanguage__statemachines__task_lambda_legacy_resource_from_jsonpath_to_jsonata",
              "scenarios__statemachines__catch_empty", "scenarios__statemachines__catch_states_runtime",
              "scenarios__statemachines__lambda_empty_retry", "scenarios__statemachines__lambda_invoke_with_retry_base",
              "scenarios__statemachines__lambda_invoke_with_retry_extended_input",
              "scenarios__statemachines__map_state_config_distributed_reentrant_lambda",
              "scenarios__statemachines__retry_interval_features",
              "scenarios__statemachines__retry_interval_features_jitter_none",
              "services__statemachines__lambda_input_parameters_filter", "services__statemachines__lambda_invoke_pipe",
              "services__statemachines__lambda_invoke_resource",
              "timeouts__statemachines__lambda_wait_with_timeout_seconds"):
    REAL_REFUSED[f"{_LS}{_name}.json"] = ({"ASL111"}, TEST_HOLE)
for _name in ("input_path", "items_path", "output_path", "result_selector", "variable"):
    REAL_REFUSED[f"{_LS}context_object__statemachines__context_object_{_name}.json"] = ({"ASL106"}, CONTEXT_HOLE)

#: real/ files reported because of a loader issue, not because the service refuses them.
KNOWN_LOADER_ISSUES: dict[str, tuple[set[str], str]] = {}


def test_the_serverless_sample_with_yes_and_no_states_is_read_as_its_deployment_reads_it(real_report):
    """lambda-sfn-sls is deployed by the Serverless Framework (YAML 1.2, MANIFEST.tsv): its
    `Next: Yes` and `Default: No` are state names, so no validity error; ASL116 warns instead."""
    name = "aws-samples__serverless-patterns__lambda-sfn-sls__statemachine__stateMachine.asl.yml"
    rules = sorted(f.rule for f in real_report.findings if f.file.endswith(name))
    assert "ASL101" not in rules and "ASL201" not in rules
    assert rules.count("ASL116") == 5


#: invalid/ file -> ASL1xx rules of which at least one must report it (from the MANIFEST note and the file).
_AV = "ChristopheBougere__asl-validator__src____tests____definitions__invalid-"
_SL = "awslabs__statelint__test__"
INVALID_EXPECTED: dict[str, set[str]] = {
    "aws-samples__step-functions-workflows-collection__sfn-iot-data-analytics-dataset__statemachine__statemachine.asl.json": {"ASL100"},
    _AV + "assign.asl.json": {"ASL108"},                      # {% 420. %} in a nested Assign
    _AV + "cfn-definition-substitutions.json": {"ASL111"},    # "${lambdaArn" never closed
    _AV + "choice-state-variable.json": {"ASL106"},           # Variable is an intrinsic, not a reference path
    _AV + "choice-state.json": {"ASL115"},                    # End inside a Choice rule
    _AV + "dupe-fields.asl.json": {"ASL101"},                 # conflict and conflict.$
    _AV + "duplicate-fields-nested.json": {"ASL101"},
    _AV + "duplicate-fields.json": {"ASL101"},
    _AV + "error-equals-type.json": {"ASL101"},               # ErrorEquals: [true]
    _AV + "error-equals.json": {"ASL101"},                    # "Error Equals"
    _AV + "exercise-ajv-additional-properties.asl.json": {"ASL101"},
    _AV + "exercise-ajv.asl.json": {"ASL106"},                # InputPath "bug$.library.movies"
    _AV + "fail-dupe-cause.json": {"ASL101"},
    _AV + "fail-dupe-error.json": {"ASL101"},
    _AV + "inexistant-state.json": {"ASL103"},
    _AV + "json-path.json": {"ASL106"},
    _AV + "jsonata-fields.json": {"ASL109"},
    _AV + "jsonata-path-fields.asl.json": {"ASL109"},
    _AV + "jsonata-surround-syntax-no-close.json": {"ASL108"},
    _AV + "jsonata-surround-syntax-no-open.json": {"ASL108"},
    _AV + "jsonata-syntax-arithmetic.json": {"ASL108"},
    _AV + "jsonata-syntax-jsonpath-in-jsonata-surround.json": {"ASL108"},
    _AV + "jsonata-syntax-mismatched-parens.json": {"ASL108"},
    _AV + "map-distributed.asl.json": {"ASL101"},             # MaxItems and MaxItemsPath
    _AV + "map-dupe-state.json": {"ASL104"},                  # a state name reused inside the iterator
    _AV + "map-item-batcher-dupe-subfields.json": {"ASL101"},
    _AV + "map-items.asl.json": {"ASL109"},                   # Items and (JSONPath-only) ItemsPath
    _AV + "map-missing-iterator.json": {"ASL101"},
    _AV + "map-ob-link.json": {"ASL103"},
    _AV + "map-tolerated-value.json": {"ASL101"},
    _AV + "map-tolerated.json": {"ASL101"},
    _AV + "math-add.json": {"ASL107"},
    _AV + "missing-terminal-map.json": {"ASL105"},
    _AV + "missing-terminal-parallel.json": {"ASL105"},
    _AV + "missing-terminal.json": {"ASL105"},
    _AV + "next-with-end.json": {"ASL105"},
    _AV + "parallel-branch-type.json": {"ASL101"},
    _AV + "parallel-missing-branches.json": {"ASL101"},
    _AV + "parallel-ob-link.json": {"ASL103"},
    _AV + "payload-template.asl.json": {"ASL106"},            # "lorem.$": "ipsum"
    _AV + "state-name-too-long.json": {"ASL104"},
    _AV + "task-alias-function.json": {"ASL111"},
    _AV + "task-credentials-null.json": {"ASL101"},
    _AV + "task-credentials-object.json": {"ASL101"},
    _AV + "task-heartbeat.json": {"ASL114"},
    _AV + "task-timout.json": {"ASL114"},
    _AV + "variable-result-path.json": {"ASL106"},            # ResultPath "$foo"
    _AV + "wait-duration.json": {"ASL113"},
    _SL + "backoff-with-backoffrate-between-0-and-1.json": {"ASL110"},
    _SL + "backoff-with-backoffrate-negative.json": {"ASL110"},
    _SL + "backoff-with-invalid-jitter-on-retry.json": {"ASL110"},
    _SL + "choice-with-parameters.json": {"ASL101"},
    _SL + "choice-with-resultpath.json": {"ASL101"},
    _SL + "choice-with-resultselector.json": {"ASL101"},
    _SL + "empty-error-equals-on-catch.json": {"ASL110"},
    _SL + "empty-error-equals-on-retry.json": {"ASL110"},
    _SL + "fail-with-parameters.json": {"ASL101"},
    _SL + "fail-with-resultpath.json": {"ASL101"},
    _SL + "fail-with-resultselector.json": {"ASL101"},
    _SL + "fail-with-static-and-dynamic-cause.json": {"ASL101"},
    _SL + "fail-with-static-and-dynamic-error.json": {"ASL101"},
    _SL + "has-dupes.json": {"ASL104"},
    _SL + "invalid-backoff-with-jitter-on-retry.json": {"ASL110"},   # MaxDelaySeconds -1
    _SL + "invalid-function-invocation.json": {"ASL107"},
    _SL + "linked-parallel.json": {"ASL103"},
    _SL + "map-with-itemprocessor-and-iterator.json": {"ASL101"},
    _SL + "map-with-null-itemspath.json": {"ASL101"},
    _SL + "map-with-parameters-and-itemselector.json": {"ASL101"},
    _SL + "no-terminal.json": {"ASL105"},
    _SL + "parameter-path-problems.json": {"ASL106"},
    _SL + "pass-with-intrinsic-function-inputpath.json": {"ASL106"},
    _SL + "pass-with-resultselector.json": {"ASL101"},
    _SL + "states-array-invocation-leftpad.json": {"ASL107"},
    _SL + "succeed-with-parameters.json": {"ASL101"},
    _SL + "succeed-with-resultpath.json": {"ASL101"},
    _SL + "succeed-with-resultselector.json": {"ASL101"},
    _SL + "task-with-invalid-credentials.json": {"ASL101"},
    _SL + "task-with-static-and-dynamic-heartbeat.json": {"ASL114"},
    _SL + "task-with-static-and-dynamic-timeout.json": {"ASL114"},
    _SL + "wait-with-parameters.json": {"ASL101"},
    _SL + "wait-with-resultpath.json": {"ASL101"},
    _SL + "wait-with-resultselector.json": {"ASL101"},
    _LS + "assign__statemachines__task_retry_reference_exception.json": {"ASL101"},   # holes: "_tbd_" numbers
    _LS + "base__statemachines__invalid_der.json": {"ASL101"},                        # no States
    _LS + "choiceoperators__statemachines__template.json": {"ASL115"},                # operator is a hole
    _LS + "credentials__statemachines__empty_credentials.json": {"ASL101"},
    _LS + "credentials__statemachines__invalid_credentials_field.json": {"ASL101"},
    _LS + "errorhandling__statemachines__task_lambda_invoke_catch_tbd.json": {"ASL110", "ASL111"},
    _LS + "test_state__statemachines__base_invalid_state_definition.json": {"ASL101"},  # unknown Type
    _LS + "validation__statemachines__invalid_base_no_startat.json": {"ASL101"},
    _LS + "validation__statemachines__invalid_downgrade_query_language.json": {"ASL109"},
}

#: invalid/ files that get no ASL1xx error, and why.
INVALID_NOT_ASL1: dict[str, tuple[set[str], str]] = {
    _AV + "json-surround-syntax-extra-spaces.json":
        (set(), "asl-validator rejects a newline and spaces inside {% %}; JSONata allows whitespace and nothing "
                "in the AWS documentation or the AWS-recorded fixtures restricts it"),
    _AV + "jsonata-surround-syntax-no-spaces.json":
        (set(), "asl-validator rejects {%10%}; the published AWS sample bedrock-evaluations-sam (corpus/real) uses "
                "{%$lowercase(...)%} without spaces"),
    _AV + "unreachable-state.json":
        ({"ASL201"}, "an unreachable state: the catalogue reports it as ASL201 unreachable-state (the service does "
                     "refuse it: MISSING_TRANSITION_TARGET 'State ... is not reachable')"),
    "aws-cloudformation__cfn-lint__test__fixtures__templates__bad__functions__sub_needed.yaml__TestBadStateMachine1.json":
        (set(), "the Resource is a ${definition_substitution_1} placeholder that the template never provides; "
                "placeholders are never reported because a standalone definition cannot see its substitutions"),
}


def _manifest_rows(prefix: str) -> list[str]:
    with (CORPUS / "MANIFEST.tsv").open(encoding="utf-8") as fh:
        return [row["file"][len(prefix):] for row in csv.DictReader(fh, delimiter="\t")
                if row["file"].startswith(prefix)]


def _lint(folder: Path, select: list[str]):
    from analyzer.engine.runner import Linter, LintReport
    from analyzer.engine.settings import Settings

    report = LintReport()
    Linter(Settings(select=select)).lint_paths([str(folder)], report)
    return report


def _errors_by_file(report, prefix: str = "ASL1") -> dict[str, set[str]]:
    out: dict[str, set[str]] = defaultdict(set)
    for f in report.findings:
        if f.rule.startswith(prefix) and f.severity.value == "error":
            out[Path(f.file).name].add(f.rule)
    return out


@pytest.fixture(scope="module")
def real_report():
    require_shared()
    return _lint(CORPUS / "real", ["ASL1"])


@pytest.fixture(scope="module")
def invalid_report():
    require_shared()
    return _lint(CORPUS / "invalid", ["ASL1", "ASL201"])


def test_real_corpus_gets_no_validation_errors(real_report):
    assert not real_report.internal_errors, [e.message for e in real_report.internal_errors]
    got = _errors_by_file(real_report)
    expected = {**REAL_REFUSED, **KNOWN_LOADER_ISSUES}
    unexpected = {f: sorted(r) for f, r in got.items() if f not in expected}
    assert not unexpected, unexpected
    stale = sorted(f for f in expected if f not in got)
    assert not stale, f"listed as refused but no longer reported: {stale}"
    wrong = {f: (sorted(got[f]), sorted(expected[f][0])) for f in expected if got[f] != expected[f][0]}
    assert not wrong, wrong


def test_refusal_list_names_real_files():
    require_shared()
    real = set(_manifest_rows("real/"))
    assert set(REAL_REFUSED) | set(KNOWN_LOADER_ISSUES) <= real
    assert all(reason for _, reason in REAL_REFUSED.values())


def test_every_invalid_file_is_in_the_table():
    require_shared()
    invalid = set(_manifest_rows("invalid/"))
    table = set(INVALID_EXPECTED) | set(INVALID_NOT_ASL1)
    assert invalid == table, (sorted(invalid - table), sorted(table - invalid))


def test_invalid_corpus_gets_the_described_error(invalid_report):
    assert not invalid_report.internal_errors, [e.message for e in invalid_report.internal_errors]
    got = _errors_by_file(invalid_report)
    missing = {f: (sorted(want), sorted(got.get(f, ()))) for f, want in INVALID_EXPECTED.items()
               if not want & got.get(f, set())}
    assert not missing, missing


def test_invalid_files_without_asl1_error_are_as_documented(invalid_report):
    got = _errors_by_file(invalid_report)
    warnings_too = defaultdict(set)
    for f in invalid_report.findings:
        warnings_too[Path(f.file).name].add(f.rule)
    for name, (other_rules, _reason) in INVALID_NOT_ASL1.items():
        assert not got.get(name), (name, got.get(name))
        assert other_rules <= warnings_too.get(name, set()), (name, other_rules)


def test_templates_validate_without_internal_errors():
    require_shared()
    report = _lint(CORPUS / "templates", ["ASL1"])
    assert not report.internal_errors, [e.message for e in report.internal_errors]
    assert report.state_machines > 0


def test_fast_schema_check_agrees_with_jsonschema():
    """ASL101 skips jsonschema when its own pre-check accepts a state; both must agree."""
    require_shared()
    from analyzer.engine.runner import Linter  # noqa: F401  (loads the rules package)
    from analyzer.load.definitions import extract
    from analyzer.load.files import decode, parse_text
    from analyzer.load.source import ParseError
    from analyzer.model.build import build_machine
    from analyzer.rules.asl101_schema_violation import SUPPORTED_KEYWORDS, quick_valid, schema, validator

    def keywords(node, out):
        if isinstance(node, dict):
            for k, v in node.items():
                out.add(k)
                if k in ("properties", "$defs"):
                    for sub in v.values():
                        keywords(sub, out)
                else:
                    keywords(v, out)
        elif isinstance(node, list):
            for v in node:
                keywords(v, out)
        return out

    used = keywords(schema(), set())
    assert used <= SUPPORTED_KEYWORDS, used - SUPPORTED_KEYWORDS  # the pre-check understands every keyword
    defs = schema()["$defs"]
    files = sorted((CORPUS / "real").iterdir()) + sorted((CORPUS / "invalid").iterdir()) + \
        sorted((Path(__file__).parent / "rules").glob("ASL1*/*.asl.json"))
    checked = 0
    for path in files:
        try:
            document = parse_text(decode(path.read_bytes()), str(path))
        except ParseError:
            continue
        for defn in extract(document, explicit_asl=True).definitions:
            root = validator(None)
            assert quick_valid(root.schema, defn.value, defs) == root.is_valid(defn.value), path.name
            for state in build_machine(defn.value).walk_states():
                if state.type in defs and isinstance(state.raw, dict):
                    v = validator(state.type)
                    assert quick_valid(v.schema, state.raw, defs) == v.is_valid(state.raw), (path.name, state.name)
                    checked += 1
    assert checked > 2000
