"""``aslcheck run``: output formats, exit codes, mock files of both formats, templates."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import main

LOOP = {
    "StartAt": "Init",
    "States": {
        "Init": {"Type": "Pass", "Result": {"i": 0}, "Next": "C"},
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.i", "NumericGreaterThanEquals": 2, "Next": "Done"}],
              "Default": "Inc"},
        "Inc": {"Type": "Pass", "Parameters": {"i.$": "States.MathAdd($.i, 1)"}, "Next": "C"},
        "Done": {"Type": "Succeed"},
    },
}
TASK = {"StartAt": "Fetch", "States": {"Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                 "End": True}}}


def invoke(*args, input=None):
    return CliRunner().invoke(main, ["run", *args], input=input, catch_exceptions=False)


def write(path: Path, value) -> str:
    path.write_text(value if isinstance(value, str) else json.dumps(value))
    return str(path)


def test_json_output_of_a_successful_run(tmp_path):
    r = invoke(write(tmp_path / "loop.asl.json", LOOP), "--format", "json")
    assert r.exit_code == 0, r.output
    data = json.loads(r.stdout)
    assert data["status"] == "SUCCEEDED"
    assert data["output"] == {"i": 2}
    assert data["path"] == ["Init", "C", "Inc", "C", "Inc", "C", "Done"]
    assert [t["state"] for t in data["trace"]] == data["path"]
    assert "events" not in data


def test_history_events_are_named_and_chained(tmp_path):
    r = invoke(write(tmp_path / "loop.asl.json", LOOP), "--format", "json", "--history")
    events = json.loads(r.stdout)["events"]
    assert events[0]["type"] == "ExecutionStarted" and events[-1]["type"] == "ExecutionSucceeded"
    assert [e["id"] for e in events] == list(range(1, len(events) + 1))
    assert all(e["previousEventId"] == e["id"] - 1 for e in events)
    types = [e["type"] for e in events]
    assert types[1:5] == ["PassStateEntered", "PassStateExited", "ChoiceStateEntered", "ChoiceStateExited"]
    assert events[1]["stateEnteredEventDetails"] == {"name": "Init", "input": "{}"}


def test_input_from_file_and_stdin(tmp_path):
    definition = write(tmp_path / "p.asl.json", {"StartAt": "P", "States": {"P": {"Type": "Pass",
                                                                                  "InputPath": "$.a",
                                                                                  "End": True}}})
    r = invoke(definition, "--input", write(tmp_path / "in.json", {"a": [1]}), "--format", "json")
    assert json.loads(r.stdout)["output"] == [1]
    r = invoke(definition, "--input", "-", "--format", "json", input='{"a": {"b": 2}}')
    assert json.loads(r.stdout)["output"] == {"b": 2}


def test_failed_execution_exits_1_with_error_and_cause(tmp_path):
    definition = write(tmp_path / "f.asl.json", {"StartAt": "F", "States": {
        "F": {"Type": "Fail", "Error": "Nope", "Cause": "because"}}})
    r = invoke(definition)
    assert r.exit_code == 1
    assert "error: Nope" in r.stdout and "cause: because" in r.stdout


def test_timed_out_execution_exits_1(tmp_path):
    definition = write(tmp_path / "w.asl.json", {"StartAt": "W", "TimeoutSeconds": 1, "States": {
        "W": {"Type": "Wait", "Seconds": 5, "End": True}}})
    r = invoke(definition, "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["status"] == "TIMED_OUT"


def test_missing_mock_exits_2_naming_the_state(tmp_path):
    r = invoke(write(tmp_path / "t.asl.json", TASK))
    assert r.exit_code == 2
    assert "'Fetch'" in r.stderr


def test_our_mock_format(tmp_path):
    mocks = write(tmp_path / "mocks.json", {"Fetch": [{"Return": {"ok": True}}]})
    r = invoke(write(tmp_path / "t.asl.json", TASK), "--mocks", mocks, "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["output"] == {"ok": True}


def test_step_functions_local_mock_file_needs_a_test_case(tmp_path):
    config = {"StateMachines": {"Orders": {"TestCases": {"HappyPath": {"Fetch": "FetchOk"},
                                                         "Broken": {"Fetch": "FetchFails"}}}},
              "MockedResponses": {"FetchOk": {"0": {"Return": {"n": 1}}},
                                  "FetchFails": {"0-1": {"Throw": {"Error": "Boom", "Cause": "x"}}}}}
    definition = write(tmp_path / "t.asl.json", TASK)
    mocks = write(tmp_path / "MockConfigFile.json", config)
    r = invoke(definition, "--mocks", mocks)
    assert r.exit_code == 2 and "--test-case" in r.stderr
    r = invoke(definition, "--mocks", mocks, "--test-case", "HappyPath", "--format", "json")
    assert r.exit_code == 0 and json.loads(r.stdout)["output"] == {"n": 1}
    r = invoke(definition, "--mocks", mocks, "--test-case", "Broken", "--format", "json")
    assert r.exit_code == 1 and json.loads(r.stdout)["error"] == "Boom"
    r = invoke(definition, "--mocks", mocks, "--test-case", "Nope")
    assert r.exit_code == 2 and "Nope" in r.stderr


def test_max_transitions_stops_a_loop(tmp_path):
    definition = write(tmp_path / "l.asl.json", {"StartAt": "A", "States": {
        "A": {"Type": "Pass", "Next": "B"}, "B": {"Type": "Pass", "Next": "A"}}})
    r = invoke(definition, "--max-transitions", "10", "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    assert data["error"] == "aslcheck.MaxTransitionsExceeded" and "10" in data["cause"]


def test_template_with_two_machines_needs_state_machine(tmp_path):
    template = {"Resources": {
        "First": {"Type": "AWS::StepFunctions::StateMachine",
                  "Properties": {"Definition": {"StartAt": "A", "States": {"A": {"Type": "Pass", "Result": 1,
                                                                                 "End": True}}}}},
        "Second": {"Type": "AWS::StepFunctions::StateMachine",
                   "Properties": {"Definition": {"StartAt": "B", "States": {"B": {"Type": "Pass", "Result": 2,
                                                                                  "End": True}}}}}}}
    path = write(tmp_path / "template.json", template)
    r = invoke(path)
    assert r.exit_code == 2 and "--state-machine" in r.stderr
    r = invoke(path, "--state-machine", "Second", "--format", "json")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["output"] == 2


def test_unreadable_and_invalid_inputs_exit_2(tmp_path):
    good = write(tmp_path / "loop.asl.json", LOOP)
    assert invoke(str(tmp_path / "missing.asl.json")).exit_code == 2
    assert invoke(write(tmp_path / "broken.asl.json", "{not json")).exit_code == 2
    assert invoke(write(tmp_path / "nostart.asl.json", {"StartAt": "X", "States": {}})).exit_code == 2
    assert invoke(good, "--input", write(tmp_path / "in.json", "[1,")).exit_code == 2
    assert invoke(good, "--mocks", write(tmp_path / "m.json", {"S": [{"Nothing": 1}]})).exit_code == 2
    assert invoke(good, "--context", write(tmp_path / "c.json", [1])).exit_code == 2


def test_dangling_next_is_reported_not_crashed(tmp_path):
    definition = write(tmp_path / "d.asl.json", {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Gone"}}})
    r = invoke(definition)
    assert r.exit_code == 2
    assert "Gone" in r.stderr


def test_context_file_sets_execution_fields(tmp_path):
    definition = write(tmp_path / "c.asl.json", {"StartAt": "P", "States": {"P": {
        "Type": "Pass", "Parameters": {"name.$": "$$.Execution.Name", "t.$": "$$.Execution.StartTime"},
        "End": True}}})
    context = write(tmp_path / "ctx.json", {"Execution": {"Name": "exec-1", "StartTime": "2025-02-03T04:05:06Z"}})
    r = invoke(definition, "--context", context, "--format", "json")
    assert json.loads(r.stdout)["output"] == {"name": "exec-1", "t": "2025-02-03T04:05:06Z"}


def test_express_template_is_limited_to_five_minutes(tmp_path):
    long_wait = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 400, "End": True}}}
    template = {"Resources": {"Flow": {"Type": "AWS::StepFunctions::StateMachine",
                                       "Properties": {"StateMachineType": "EXPRESS", "Definition": long_wait}}}}
    r = invoke(write(tmp_path / "template.json", template), "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout)["status"] == "TIMED_OUT"
    bare = write(tmp_path / "w.asl.json", long_wait)
    assert invoke(bare).exit_code == 0
    assert invoke(bare, "--workflow-type", "express").exit_code == 1


def test_definition_from_stdin(tmp_path):
    r = invoke("-", "--format", "json", input=json.dumps(LOOP))
    assert r.exit_code == 0 and json.loads(r.stdout)["output"] == {"i": 2}
    assert invoke("-", "--input", "-", input="{}").exit_code == 2
