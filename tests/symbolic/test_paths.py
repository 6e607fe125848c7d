"""Path-sensitive exploration, generated cases replayed by the interpreter, and the ASL5xx findings."""

from __future__ import annotations

import json
import subprocess
import sys

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings, SolverSettings
from analyzer.interp.interpreter import run
from analyzer.symbolic.testgen import generate, mock_config

LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:f"

TWO_CHOICES = {"StartAt": "First", "States": {
    "First": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 10, "Next": "Second"}],
              "Default": "Low"},
    "Second": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 5, "Next": "Impossible"}],
               "Default": "High"},
    "Impossible": {"Type": "Fail", "Error": "Never"},
    "Low": {"Type": "Succeed"}, "High": {"Type": "Succeed"}}}

PASS_SETS_FIELD = {"StartAt": "Init", "States": {
    "Init": {"Type": "Pass", "Result": "fast", "ResultPath": "$.mode", "Next": "Route"},
    "Route": {"Type": "Choice", "Choices": [{"Variable": "$.mode", "StringEquals": "slow", "Next": "Slow"}],
              "Default": "Fast"},
    "Slow": {"Type": "Succeed"}, "Fast": {"Type": "Succeed"}}}

TASK_RESULT = {"StartAt": "Fetch", "States": {
    "Fetch": {"Type": "Task", "Resource": LAMBDA, "ResultSelector": {"code.$": "$.Payload.statusCode"},
              "ResultPath": "$.res", "Next": "Check",
              "Retry": [{"ErrorEquals": ["States.TaskFailed"], "MaxAttempts": 2}],
              "Catch": [{"ErrorEquals": ["Custom.Error"], "ResultPath": "$.err", "Next": "Handle"},
                        {"ErrorEquals": ["States.ALL"], "ResultPath": "$.err", "Next": "Broken"}]},
    "Check": {"Type": "Choice", "Choices": [
        {"Variable": "$.res.code", "NumericEquals": 200, "Next": "Ok"},
        {"And": [{"Variable": "$.res.code", "IsNumeric": True},
                 {"Variable": "$.res.code", "NumericGreaterThanEquals": 500}], "Next": "Retryable"}],
        "Default": "Bad"},
    "Handle": {"Type": "Choice", "Choices": [{"Variable": "$.err.Error", "StringEquals": "Custom.Error",
                                              "Next": "Ok"}], "Default": "NeverHere"},
    "Ok": {"Type": "Succeed"}, "Retryable": {"Type": "Fail"}, "Bad": {"Type": "Fail"},
    "Broken": {"Type": "Fail"}, "NeverHere": {"Type": "Fail"}}}


def _replay_all(definition, suite):
    """Every case runs through the interpreter again, here, and ends the way it says."""
    assert suite.mismatches == []
    for case in suite.cases:
        res = run(definition, case["input"], mocks=case["mocks"])
        assert res.path == case["expect"]["path"], case
        assert res.status == case["expect"]["status"]
        assert res.output == case["expect"]["output"]


def test_second_choice_branch_dead_only_because_of_the_first():
    suite = generate(TWO_CHOICES)
    _replay_all(TWO_CHOICES, suite)
    assert suite.summary["exploration"]["complete"] is True
    covered = {g for case in suite.cases for g in case["covers"]}
    assert "rule:Second#1" not in covered and "state:Impossible" not in covered
    assert {"default:First", "default:Second", "rule:First#1", "state:High", "state:Low"} <= covered
    assert suite.summary["branches"] == {"total": 4, "covered": 3, "dead": 1, "unknown": 0}
    assert suite.summary["states"]["dead"] == 1


def test_pass_that_sets_the_field_a_choice_reads():
    suite = generate(PASS_SETS_FIELD)
    _replay_all(PASS_SETS_FIELD, suite)
    assert [c["expect"]["path"] for c in suite.cases] == [["Init", "Route", "Fast"]]
    assert suite.summary["branches"]["dead"] == 1


def test_task_result_read_by_a_choice_becomes_the_mock():
    suite = generate(TASK_RESULT)
    _replay_all(TASK_RESULT, suite)
    covered = {g for case in suite.cases for g in case["covers"]}
    assert {"rule:Check#1", "rule:Check#2", "default:Check", "catch:Fetch#1", "catch:Fetch#2",
            "rule:Handle#1"} <= covered
    assert "default:Handle" not in covered  # the first catcher only ever sees Custom.Error
    by_path = {tuple(c["expect"]["path"]): c for c in suite.cases}
    ok = by_path[("Fetch", "Check", "Ok")]
    assert ok["mocks"]["Fetch"] == [{"Return": {"Payload": {"statusCode": 200}}}]
    broken = by_path[("Fetch", "Broken")]
    thrown = broken["mocks"]["Fetch"]
    # a TaskFailed-matching error is retried twice before the catcher sees it
    assert len(thrown) in (1, 3) and all("Throw" in t for t in thrown)
    assert suite.summary["branches"]["unknown"] == 0


def test_mock_config_file_replays_in_step_functions_local_format():
    suite = generate(TASK_RESULT)
    config = mock_config("task", suite.cases)
    for case in suite.cases:
        res = run(TASK_RESULT, case["input"], mocks=config, test_case=case["name"])
        assert res.path == case["expect"]["path"]


def test_loop_is_unrolled_and_never_called_dead():
    loop = {"StartAt": "Poll", "States": {
        "Poll": {"Type": "Task", "Resource": LAMBDA, "Next": "Done?"},
        "Done?": {"Type": "Choice", "Choices": [{"Variable": "$.done", "BooleanEquals": True, "Next": "End"}],
                  "Default": "Wait"},
        "Wait": {"Type": "Wait", "Seconds": 5, "Next": "Poll"},
        "End": {"Type": "Succeed"}}}
    suite = generate(loop, SolverSettings(loop_unroll=2))
    _replay_all(loop, suite)
    assert suite.summary["branches"] == {"total": 2, "covered": 2, "dead": 0, "unknown": 0}
    assert any(c["expect"]["path"].count("Poll") == 2 for c in suite.cases) or len(suite.cases) >= 1


def test_tiny_rlimit_never_claims_dead():
    suite = generate(TWO_CHOICES, SolverSettings(rlimit=1))
    assert suite.summary["branches"]["dead"] == 0 and suite.summary["states"]["dead"] == 0


def _lint(definition, rules=("ASL2", "ASL5"), solver=True):
    settings = Settings(select=list(rules))
    settings.solver.enabled = solver
    report = LintReport()
    Linter(settings).lint_text(json.dumps(definition, indent=1), "m.asl.json", report)
    assert not report.internal_errors, report.internal_errors
    return report.findings if hasattr(report, "findings") else report.active


def _by_rule(findings):
    out = {}
    for f in findings:
        out.setdefault(f.rule, []).append(f)
    return out


def test_lint_reports_dead_branch_infeasible_state_and_missing_read():
    found = _by_rule(_lint(TWO_CHOICES))
    assert [f.pointer for f in found["ASL501"]] == ["/States/Second/Choices/0"]
    assert [f.pointer for f in found["ASL503"]] == ["/States/Impossible"]
    shape = {"StartAt": "Shape", "States": {
        "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "Next": "Route"},
        "Route": {"Type": "Choice", "Choices": [{"Variable": "$.status", "StringEquals": "NEW", "Next": "A"}],
                  "Default": "A"},
        "A": {"Type": "Succeed"}}}
    found = _by_rule(_lint(shape))
    [missing] = found["ASL504"]
    assert missing.pointer == "/States/Route"
    witness = missing.data["witness"]
    assert witness["path"] == ["Shape", "Route"]
    res = run(shape, witness["input"])
    assert res.status == "FAILED" and res.error == "States.Runtime" and res.path == ["Shape", "Route"]


def test_lint_asl204_exact_with_witness_and_asl502():
    no_default = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericLessThan": 10, "Next": "A"},
                                            {"Variable": "$.n", "NumericGreaterThan": 10, "Next": "A"}]},
        "A": {"Type": "Succeed"}}}
    [f204] = _by_rule(_lint(no_default))["ASL204"]
    witness = f204.data["witness"]
    res = run(no_default, witness["input"])
    assert res.status == "FAILED" and res.error == "States.NoChoiceMatched"
    exhaustive = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": True, "Next": "A"},
                                            {"Not": {"Variable": "$.ok", "BooleanEquals": True}, "Next": "A"}],
              "Default": "A"},
        "A": {"Type": "Succeed"}}}
    found = _by_rule(_lint(exhaustive))
    assert [f.pointer for f in found["ASL502"]] == ["/States/C/Default"]
    no_default_exhaustive = {"StartAt": "C", "States": {"C": {**exhaustive["States"]["C"]}, "A": {"Type": "Succeed"}}}
    del no_default_exhaustive["States"]["C"]["Default"]
    assert "ASL204" not in _by_rule(_lint(no_default_exhaustive))


def test_lint_asl505_and_solver_off():
    mismatch = {"StartAt": "C", "States": {
        "C": {"Type": "Choice", "Choices": [{"And": [{"Variable": "$.code", "IsString": True},
                                                     {"Variable": "$.code", "NumericEquals": 404}], "Next": "A"}],
              "Default": "A"},
        "A": {"Type": "Succeed"}}}
    [f] = _by_rule(_lint(mismatch))["ASL505"]
    assert f.pointer == "/States/C/Choices/0/And/1" and "never a number" in f.message
    assert not [x for x in _lint(mismatch, solver=False) if x.rule.startswith("ASL5")]


def test_no_solver_lint_and_version_never_import_z3(tmp_path):
    path = tmp_path / "m.asl.json"
    path.write_text(json.dumps(TWO_CHOICES))
    code = ("import sys\nfrom analyzer.cli import main\n"
            "try:\n    main(['lint', '--no-solver', %r])\nexcept SystemExit:\n    pass\n"
            "print('z3' in sys.modules)\n") % str(path)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().splitlines()[-1] == "False", out.stdout + out.stderr


def test_tests_command_writes_confirmed_cases(tmp_path):
    from analyzer.commands.tests import run_tests_command

    src = tmp_path / "orders.asl.json"
    src.write_text(json.dumps(TASK_RESULT))
    assert run_tests_command(str(src), str(tmp_path / "out"), "branches", "json") == 0
    folder = tmp_path / "out" / "orders"
    cases = sorted(folder.glob("case-*.json"))
    assert cases and (folder / "MockConfigFile.json").exists()
    for f in cases:
        case = json.loads(f.read_text())
        assert set(case) == {"name", "input", "mocks", "expect", "covers"}
        assert run(TASK_RESULT, case["input"], mocks=case["mocks"]).path == case["expect"]["path"]


def test_sarif_code_flow_for_a_missing_read(tmp_path):
    from analyzer.cli import main

    shape = {"StartAt": "Shape", "States": {
        "Shape": {"Type": "Pass", "Parameters": {"id.$": "$.id"}, "Next": "Route"},
        "Route": {"Type": "Choice", "Choices": [{"Variable": "$.status", "StringEquals": "NEW", "Next": "A"}],
                  "Default": "A"},
        "A": {"Type": "Succeed"}}}
    src = tmp_path / "shape.asl.json"
    src.write_text(json.dumps(shape, indent=2))
    out = tmp_path / "report.sarif"
    try:
        main(["lint", "--select", "ASL504", "--format", "sarif", "-o", str(out), str(src)], standalone_mode=False)
    except SystemExit:
        pass
    [result] = json.loads(out.read_text())["runs"][0]["results"]
    steps = result["codeFlows"][0]["threadFlows"][0]["locations"]
    assert [s["location"]["logicalLocations"][0]["name"] for s in steps] == ["Shape", "Route"]


def test_parallel_branches_are_explored_and_their_tasks_mocked():
    definition = {"StartAt": "Both", "States": {
        "Both": {"Type": "Parallel", "Next": "Check", "ResultSelector": {"a.$": "$[0].v", "b.$": "$[1]"},
                 "Branches": [
                     {"StartAt": "Left", "States": {"Left": {"Type": "Task", "Resource": LAMBDA, "End": True}}},
                     {"StartAt": "Right", "States": {"Right": {"Type": "Pass", "Result": 7, "End": True}}}]},
        "Check": {"Type": "Choice", "Choices": [
            {"Variable": "$.a", "NumericGreaterThan": 3, "Next": "Big"},
            {"Variable": "$.b", "NumericEquals": 8, "Next": "Never"}], "Default": "Small"},
        "Big": {"Type": "Succeed"}, "Small": {"Type": "Succeed"}, "Never": {"Type": "Succeed"}}}
    suite = generate(definition)
    _replay_all(definition, suite)
    covered = {g for case in suite.cases for g in case["covers"]}
    assert {"rule:Check#1", "default:Check"} <= covered
    assert suite.summary["branches"]["dead"] == 1  # $.b is always the Pass result 7
    assert any(c["mocks"].get("Left") for c in suite.cases)


def test_map_over_an_empty_array_is_exact():
    definition = {"StartAt": "Each", "States": {
        "Each": {"Type": "Map", "ItemsPath": "$.items", "ResultPath": "$.r", "Next": "Check",
                 "ItemProcessor": {"StartAt": "Work", "States": {
                     "Work": {"Type": "Task", "Resource": LAMBDA, "End": True}}}},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.r[0]", "IsPresent": False, "Next": "Empty"}],
                  "Default": "Some"},
        "Empty": {"Type": "Succeed"}, "Some": {"Type": "Succeed"}}}
    suite = generate(definition)
    _replay_all(definition, suite)
    empty = [c for c in suite.cases if c["expect"]["path"] == ["Each", "Check", "Empty"]]
    assert empty and empty[0]["input"]["items"] == []


def test_string_to_json_result_read_by_a_choice():
    definition = {"StartAt": "Parse", "States": {
        "Parse": {"Type": "Pass", "Parameters": {"body.$": "States.StringToJson($.raw)"}, "Next": "Check"},
        "Check": {"Type": "Choice", "Choices": [{"Variable": "$.body.status", "StringEquals": "ok", "Next": "Ok"}],
                  "Default": "Other"},
        "Ok": {"Type": "Succeed"}, "Other": {"Type": "Succeed"}}}
    suite = generate(definition)
    _replay_all(definition, suite)
    ok = [c for c in suite.cases if c["expect"]["path"][-1] == "Ok"]
    assert ok and json.loads(ok[0]["input"]["raw"]) == {"status": "ok"}
