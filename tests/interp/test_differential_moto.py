"""Differential tests: our interpreter against moto's Step Functions interpreter.

Same definitions and inputs must give the same status, output (or error name) and
top-level path. Three groups:

* every case of the hand-computed table that moto can run without real sleeping or
  mocked Lambdas (Pass, Choice, Succeed, Fail, Parallel, inline Map, intrinsics);
* workflows with Task states that call moto's mocked DynamoDB and S3; what each call
  returned or threw is read from moto's history and fed to our interpreter as mocks, so
  the comparison is about paths, ResultPath and Retry/Catch, not about the services;
* the cases where moto departs from AWS's documented behaviour (asl-semantics §8 and
  more found here). They stay in the table with the reason, as strict xfails: the test
  fails loudly if moto ever starts agreeing, so the list never goes stale. Our own result
  for each of them is checked against the documentation by ``test_table.py``.
"""

from __future__ import annotations

import json

import pytest

from analyzer.interp.interpreter import run
from tests.interp.cases import CASES, LAMBDA

moto = pytest.importorskip("moto")

#: Table cases where moto 5.2.1 disagrees with the documented behaviour, and why.
DEPARTURES: dict[str, str] = {
    "choice-missing-variable-runtime": "§8.1: moto treats a missing Choice Variable as false; AWS raises States.Runtime",
    "choice-and-wrong-order-errors": "§8.1: a missing Variable inside And is false in moto, States.Runtime on AWS",
    "choice-not-of-error": "§8.1: Not(missing) is true in moto; on AWS the missing path is States.Runtime",
    "choice-string-matches-literal-question-mark": "§8.2: moto matches with fnmatch, so '?' is a wildcard",
    "choice-timestamp-offset": "§8.3: moto accepts only ...SSZ timestamps; AWS compares RFC 3339 instants",
    "choice-string-utf16-order": "§4.1: AWS orders strings by UTF-16 code units; moto by code points",
    "choice-no-match-no-default": "§4.2.1: moto fails with States.Runtime instead of States.NoChoiceMatched",
    "choice-no-match-caught-by-parent": "§4.2.1: moto raises States.Runtime (a Python ValueError) instead of the "
                                        "catchable States.NoChoiceMatched",
    "result-path-match-failure": "§3.1 step 6: moto crashes (TypeError -> States.Runtime) instead of "
                                 "States.ResultPathMatchFailure",
    "full-jsonpath-wildcard-length": "§3.5: moto's JSONPath parser has no Jayway functions such as length()",
    "indefinite-path-no-match-is-empty": "§3.5: a filter path selecting nothing is [] in the Jayway dialect; moto "
                                         "reports it as a missing path (AWS behaviour unverified)",
    "intrinsic-format-escapes": "§3.6: moto fails on the documented \\{ \\} escapes (KeyError)",
    "intrinsic-array-range-too-long": "§3.6: moto reports States.Runtime, the doc States.IntrinsicFailure",
    "intrinsic-array-get-item-out-of-range": "§3.6: moto reports States.Runtime (IndexError), "
                                             "the doc States.IntrinsicFailure",
    "intrinsic-math-add-rounds": "§3.6: moto rejects non-integer arguments that AWS rounds",
    "variables-snapshot": "§3.4: moto 5.2.1 cannot evaluate Assign (TypeError: 'NoneType' object is not callable)",
    "variables-output-path-sees-old-value": "§3.4: moto 5.2.1 cannot evaluate Assign",
    "variables-jp-assign-reads-result": "§3.4: moto 5.2.1 cannot evaluate Assign",
    "variables-branch-scope": "§3.4: moto 5.2.1 cannot evaluate Assign",
    "variables-branch-reads-outer": "§3.4: moto 5.2.1 cannot evaluate Assign",
    "variables-choice-rule-and-state-assign": "§3.4: moto 5.2.1 cannot evaluate Assign",
    "variables-inline-map-reads-outer": "§3.4: moto 5.2.1 cannot evaluate Assign",
}

#: Features moto cannot run here at all (not a semantic disagreement): those cases are not compared.
def _unsupported(case: dict) -> str | None:
    text = json.dumps(case["definition"])
    if "JSONata" in text:
        return "moto 5.2.1 has no working JSONata evaluator"
    if '"Task"' in text:
        return "Tasks here call mocked Lambdas; the Task group below uses moto's own services"
    if '"Wait"' in text:
        return "moto sleeps for real"
    if "DISTRIBUTED" in text:
        return "moto needs real S3 objects and child executions for a distributed Map"
    if case["id"] in ("intrinsic-uuid-seeded", "intrinsic-math-random-end-exclusive"):
        # Random by design. (§8.4: moto's MathRandom end bound is also inclusive, so it returns 2 for
        # MathRandom(1, 2) about half the time, which the documented exclusive end never does.)
        return "random values: the two generators cannot agree"
    if case.get("context") or case.get("max_transitions"):
        return "needs a context override or a transition limit, which moto does not take"
    return None


COMPARABLE = [c for c in CASES if _unsupported(c) is None]


@pytest.fixture(scope="module")
def moto_session():
    from tests.interp.moto_runner import MotoSession

    session = MotoSession()
    yield session
    session.close()


def _observable(status: str, output, error, path) -> tuple:
    return status, (output if status == "SUCCEEDED" else error), path


def _compare(session, definition: dict, data, mocks=None) -> tuple[tuple, tuple]:
    theirs = session.execute(definition, data if data is not None else {})
    if mocks == "from-moto":
        mocks = theirs.task_responses
    ours = run(definition, data, mocks=mocks)
    return (_observable(ours.status, ours.output, ours.error, ours.path),
            _observable(theirs.status, theirs.output, theirs.error, theirs.path))


def test_enough_cases_are_compared():
    assert len(COMPARABLE) - len(DEPARTURES) >= 30
    assert set(DEPARTURES) <= {c["id"] for c in CASES}


@pytest.mark.parametrize("case", [
    pytest.param(c, id=c["id"], marks=[pytest.mark.xfail(strict=True, reason=DEPARTURES[c["id"]])]
                 if c["id"] in DEPARTURES else [])
    for c in COMPARABLE])
def test_table_case_agrees_with_moto(moto_session, case):
    ours, theirs = _compare(moto_session, case["definition"], case.get("input"))
    assert ours == theirs


# ---------------------------------------------------------------------- Tasks on moto's services

TABLE = "items"


@pytest.fixture(scope="module")
def dynamodb(moto_session):
    client = moto_session.boto3.client("dynamodb", region_name="us-east-1")
    client.create_table(TableName=TABLE, KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
                        AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
                        BillingMode="PAY_PER_REQUEST")
    client.put_item(TableName=TABLE, Item={"pk": {"S": "a"}, "n": {"N": "5"}})
    return client


GET = "arn:aws:states:::dynamodb:getItem"
PUT = "arn:aws:states:::dynamodb:putItem"
S3_GET = "arn:aws:states:::aws-sdk:s3:getObject"

TASK_WORKFLOWS = [
    pytest.param({"StartAt": "Get", "States": {
        "Get": {"Type": "Task", "Resource": GET, "Parameters": {"TableName": TABLE, "Key": {"pk": {"S.$": "$.id"}}},
                "ResultSelector": {"n.$": "$.Item.n.N"}, "ResultPath": "$.found", "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.found.n", "StringEquals": "5", "Next": "Five"}],
                  "Default": "Other"},
        "Five": {"Type": "Succeed"}, "Other": {"Type": "Fail", "Error": "NotFive"}}},
        {"id": "a"}, id="getItem-resultselector-choice"),
    pytest.param({"StartAt": "Put", "States": {
        "Put": {"Type": "Task", "Resource": PUT, "Parameters": {"TableName": TABLE, "Item": {
            "pk": {"S.$": "$.id"}, "v": {"S.$": "States.Format('v-{}', $.id)"}}}, "ResultPath": None, "Next": "Get"},
        "Get": {"Type": "Task", "Resource": GET, "Parameters": {"TableName": TABLE, "Key": {"pk": {"S.$": "$.id"}}},
                "OutputPath": "$.Item.v", "End": True}}},
        {"id": "b"}, id="putItem-then-getItem"),
    pytest.param({"StartAt": "Read", "States": {
        "Read": {"Type": "Task", "Resource": S3_GET, "Parameters": {"Bucket": "no-such-bucket", "Key": "k"},
                 "Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Handled"}],
                 "End": True},
        "Handled": {"Type": "Pass", "Parameters": {"caught.$": "$.error.Error"}, "End": True}}},
        {"x": 1}, id="s3-error-caught-with-resultpath"),
    pytest.param({"StartAt": "Read", "States": {
        "Read": {"Type": "Task", "Resource": S3_GET, "Parameters": {"Bucket": "no-such-bucket", "Key": "k"},
                 "Catch": [{"ErrorEquals": ["States.TaskFailed"], "Next": "Handled"}], "End": True},
        "Handled": {"Type": "Succeed"}}},
        {}, id="s3-error-caught-by-taskfailed"),
    pytest.param({"StartAt": "Read", "States": {
        "Read": {"Type": "Task", "Resource": S3_GET, "Parameters": {"Bucket": "no-such-bucket", "Key": "k"},
                 "Retry": [{"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 1}],
                 "End": True}}},
        {}, id="s3-error-retried-then-fails"),
    pytest.param({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "End": True, "Branches": [
            {"StartAt": "G", "States": {"G": {"Type": "Task", "Resource": GET, "End": True,
                                              "Parameters": {"TableName": TABLE, "Key": {"pk": {"S": "a"}}},
                                              "OutputPath": "$.Item.n.N"}}},
            {"StartAt": "Q", "States": {"Q": {"Type": "Pass", "Result": "second", "End": True}}}]}}},
        {}, id="parallel-with-a-task"),
]


@pytest.mark.parametrize("definition,data", TASK_WORKFLOWS)
def test_task_workflow_agrees_with_moto(moto_session, dynamodb, definition, data):
    ours, theirs = _compare(moto_session, definition, data, mocks="from-moto")
    assert ours == theirs


def test_moto_runner_records_task_responses(moto_session, dynamodb):
    """The recorded mocks really are moto's responses (else the Task comparisons prove nothing)."""
    definition = {"StartAt": "G", "States": {"G": {"Type": "Task", "Resource": GET, "End": True,
                                                   "Parameters": {"TableName": TABLE, "Key": {"pk": {"S": "a"}}}}}}
    theirs = moto_session.execute(definition, {})
    assert theirs.task_responses["G"][0]["Return"]["Item"]["n"] == {"N": "5"}
    assert LAMBDA  # the table's Lambda ARN is never sent to moto


# ---------------------------------------------------------------------- Choice operators, value by value

#: (operator, operand); each becomes one branch of a Parallel that answers true/false.
OPERATOR_PROBES = [
    ("NumericEquals", 1), ("NumericLessThan", 1), ("NumericGreaterThan", 1), ("NumericLessThanEquals", 1),
    ("NumericGreaterThanEquals", 1.5), ("StringEquals", "a"), ("StringLessThan", "b"),
    ("StringGreaterThan", "a"), ("StringLessThanEquals", "a"), ("StringGreaterThanEquals", "b"),
    ("StringMatches", "a*"), ("BooleanEquals", True), ("BooleanEquals", False),
    ("TimestampEquals", "2024-01-01T00:00:00Z"), ("TimestampLessThan", "2024-06-01T00:00:00Z"),
    ("IsNull", True), ("IsNull", False), ("IsPresent", True), ("IsNumeric", True), ("IsString", True),
    ("IsBoolean", True), ("IsTimestamp", True), ("IsNumeric", False),
    ("NumericEqualsPath", "$.other"), ("StringEqualsPath", "$.other"),
]

#: Values of ``$.v`` (always present: a missing Variable is a known departure, §8.1).
PROBE_VALUES = [0, 1, 1.5, -1, "a", "ab", "b", "", True, False, None, [], {"k": 1}, "2024-01-01T00:00:00Z",
                "2023-12-31T23:59:59Z"]


def _operator_battery() -> dict:
    branches = []
    for i, (op, operand) in enumerate(OPERATOR_PROBES):
        rule = {"Variable": "$.v", op: operand, "Next": f"T{i}"}
        branches.append({"StartAt": f"C{i}", "States": {
            f"C{i}": {"Type": "Choice", "Choices": [rule], "Default": f"F{i}"},
            f"T{i}": {"Type": "Pass", "Result": True, "End": True},
            f"F{i}": {"Type": "Pass", "Result": False, "End": True}}})
    return {"StartAt": "All", "States": {"All": {"Type": "Parallel", "Branches": branches, "End": True}}}


@pytest.mark.parametrize("value", PROBE_VALUES, ids=[json.dumps(v) for v in PROBE_VALUES])
def test_choice_operators_agree_with_moto(moto_session, value):
    data = {"v": value, "other": 1 if not isinstance(value, str) else "a"}
    ours, theirs = _compare(moto_session, _operator_battery(), data)
    assert ours[0] == "SUCCEEDED"
    if ours != theirs:  # name the disagreeing operators, not just the arrays
        diff = [OPERATOR_PROBES[i] for i, (a, b) in enumerate(zip(ours[1], theirs[1] or [])) if a != b]
        pytest.fail(f"value {value!r}: operators disagree: {diff}")


# ---------------------------------------------------------------------- more shapes moto can run without sleeping

EXTRA = [
    pytest.param({"StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 0, "Next": "T"},
        "T": {"Type": "Wait", "TimestampPath": "$.when", "Next": "S"},
        "S": {"Type": "Wait", "SecondsPath": "$.zero", "OutputPath": "$.keep", "End": True}}},
        {"when": "2001-02-03T04:05:06Z", "zero": 0, "keep": {"k": [1]}}, id="waits-that-end-at-once"),
    pytest.param({"StartAt": "M", "States": {
        "M": {"Type": "Map", "ItemsPath": "$.orders", "MaxConcurrency": 1, "ResultPath": "$.checked",
              "ItemSelector": {"id.$": "$$.Map.Item.Value.id", "pos.$": "$$.Map.Item.Index", "cur.$": "$.currency"},
              "ItemProcessor": {"StartAt": "Big", "States": {
                  "Big": {"Type": "Choice", "Choices": [{"Variable": "$.id", "NumericGreaterThan": 1, "Next": "Y"}],
                          "Default": "N"},
                  "Y": {"Type": "Pass", "Parameters": {"big": True, "at.$": "$.pos", "c.$": "$.cur"}, "End": True},
                  "N": {"Type": "Pass", "Result": {"big": False}, "End": True}}},
              "Next": "Done"},
        "Done": {"Type": "Succeed", "OutputPath": "$.checked"}}},
        {"orders": [{"id": 1}, {"id": 2}, {"id": 3}], "currency": "EUR"}, id="map-choice-itemselector"),
    pytest.param({"StartAt": "P", "States": {
        "P": {"Type": "Parallel", "ResultPath": "$.r", "Next": "After",
              "Catch": [{"ErrorEquals": ["Custom.Error"], "ResultPath": "$.caught", "Next": "Handled"}],
              "Branches": [
                  {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}},
                  {"StartAt": "B", "States": {"B": {"Type": "Choice", "Choices": [
                      {"Variable": "$.fail", "BooleanEquals": True, "Next": "Boom"}], "Default": "Fine"},
                      "Boom": {"Type": "Fail", "Error": "Custom.Error", "Cause": "asked to"},
                      "Fine": {"Type": "Succeed"}}}]},
        "After": {"Type": "Pass", "End": True},
        "Handled": {"Type": "Pass", "End": True}}},
        {"fail": True}, id="parallel-fail-caught-with-resultpath"),
    pytest.param({"StartAt": "P", "States": {
        "P": {"Type": "Pass", "Parameters": {
            "joined.$": "States.Format('{}-{}', $.a, $.b)", "arr.$": "States.Array($.a, $.b)",
            "part.$": "States.ArrayPartition($.list, 2)", "has.$": "States.ArrayContains($.list, 3)",
            "len.$": "States.ArrayLength($.list)", "uniq.$": "States.ArrayUnique($.dups)",
            "split.$": "States.StringSplit($.csv, ',')", "b64.$": "States.Base64Encode($.a)",
            "hash.$": "States.Hash($.a, 'MD5')", "merged.$": "States.JsonMerge($.o1, $.o2, false)",
            "parsed.$": "States.StringToJson($.json)", "str.$": "States.JsonToString($.o1)",
            "sum.$": "States.MathAdd($.n, 7)", "range.$": "States.ArrayRange(0, 10, 5)",
            "item.$": "States.ArrayGetItem($.list, 2)"}, "End": True}}},
        {"a": "x", "b": "y", "list": [1, 2, 3, 4, 5], "dups": [1, 1, 2], "csv": "p,q,,r", "o1": {"k": 1, "m": 2},
         "o2": {"k": 3}, "json": "{\"z\": [true]}", "n": -2}, id="intrinsics-together"),
]


@pytest.mark.parametrize("definition,data", EXTRA)
def test_more_shapes_agree_with_moto(moto_session, definition, data):
    ours, theirs = _compare(moto_session, definition, data)
    assert ours == theirs


# ---------------------------------------------------------------------- history event names

HISTORY_SHAPES = [
    pytest.param({"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.x", "NumericEquals": 1, "Next": "W"}], "Default": "F"},
        "W": {"Type": "Wait", "Seconds": 0, "Next": "S"}, "S": {"Type": "Succeed"},
        "F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}, {"x": 1}, id="pass-choice-wait-succeed"),
    pytest.param({"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "F"},
                                             "F": {"Type": "Fail", "Error": "E", "Cause": "c"}}}, {}, id="fail"),
    pytest.param({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}]}}}, {}, id="parallel"),
    pytest.param({"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "ItemProcessor": {
        "StartAt": "B", "States": {"B": {"Type": "Pass", "End": True}}}}}}, [1, 2], id="map"),
    pytest.param({"StartAt": "G", "States": {"G": {"Type": "Task", "Resource": GET, "End": True,
                                                   "Parameters": {"TableName": TABLE, "Key": {"pk": {"S": "a"}}}}}},
                 {}, id="task"),
]


@pytest.mark.parametrize("definition,data", HISTORY_SHAPES)
def test_history_event_names_agree_with_moto(moto_session, dynamodb, definition, data):
    execution = moto_session.start(moto_session.create(definition), data)
    moto_session.wait(execution)
    events = moto_session._history(execution)
    moto_session._forget_executions()
    theirs = [e["type"] for e in events]
    from tests.interp.moto_runner import _task_responses

    ours = [e["type"] for e in run(definition, data, mocks=_task_responses(events)).events]
    if "Map" in definition["States"][definition["StartAt"]]["Type"]:
        # iterations interleave in moto's threads; the events of each are the same
        assert sorted(ours) == sorted(theirs) and ours[:4] == theirs[:4] and ours[-4:] == theirs[-4:]
    else:
        assert ours == theirs
