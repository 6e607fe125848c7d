"""Test cases for workflows: ``analyzer.interp.cases`` and ``aslcheck tests --check``.

The round trip is the independent check: every case ``tests --out`` writes for a corpus
definition must pass ``tests --check``, and a case whose mock is changed must fail with the
reason named.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main
from analyzer.interp.cases import CaseError, check_case, first_difference, same_json

CORPUS = Path("/work/shared/corpus/real")
LAMBDA = "arn:aws:lambda:us-east-1:123456789012:function:charge"
CHARGE = {"StartAt": "Charge", "States": {
    "Charge": {"Type": "Task", "Resource": LAMBDA, "ResultPath": "$.charge", "Next": "Paid?",
               "Catch": [{"ErrorEquals": ["Payment.Declined"], "ResultPath": "$.error", "Next": "Declined"}]},
    "Paid?": {"Type": "Choice", "Choices": [{"Variable": "$.charge.ok", "BooleanEquals": True, "Next": "Done"}],
              "Default": "Declined"},
    "Declined": {"Type": "Fail", "Error": "Order.Declined"},
    "Done": {"Type": "Succeed"}}}


def cli(*args):
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def test_json_values_compare_as_json_does():
    assert same_json(1, 1.0) and same_json({"a": [1, {"b": None}]}, {"a": [1.0, {"b": None}]})
    assert not same_json(True, 1) and not same_json(0, False) and not same_json("1", 1)
    assert not same_json({"a": 1}, {"a": 1, "b": 2}) and not same_json([1], [1, 1])
    assert first_difference({"a": {"b": [1, 2]}}, {"a": {"b": [1, 3]}}) == ("/a/b/1", "expected 2, got 3")
    assert first_difference({"a/b": 1}, {}) == ("/a~1b", "missing (expected 1)")
    assert first_difference({}, {"x": True}) == ("/x", "not expected (got true)")


def test_a_case_passes_and_each_unmet_expectation_is_named():
    declined = {"input": {"id": 1}, "mocks": {"Charge": [{"Throw": {"Error": "Payment.Declined", "Cause": "c"}}]},
                "expect": {"status": "FAILED", "error": "Order.Declined", "path": ["Charge", "Declined"]}}
    assert check_case(CHARGE, declined).passed
    wrong = {**declined, "expect": {"status": "SUCCEEDED", "path": ["Charge", "Paid?", "Done"], "cause": "x"}}
    result = check_case(CHARGE, wrong, "wrong")
    assert not result.passed and result.name == "wrong"
    assert result.mismatches == ['status: expected "SUCCEEDED", got "FAILED"',
                                 'cause: expected "x", got null',
                                 "path: expected Charge > Paid? > Done, got Charge > Declined"]
    paid = {"input": {}, "mocks": {"Charge": [{"Return": {"ok": True, "id": "ch_1"}}]},
            "expect": {"status": "SUCCEEDED", "output": {"charge": {"ok": True, "id": "ch_2"}}}}
    assert check_case(CHARGE, paid).mismatches == ['output at /charge/id: expected "ch_2", got "ch_1"']


def test_a_missing_mock_is_a_failure_that_says_so():
    result = check_case(CHARGE, {"input": {}, "expect": {"status": "SUCCEEDED"}})
    assert not result.passed
    assert any("aslcheck.MockMissing" in m for m in result.mismatches)


@pytest.mark.parametrize("case,reason", [
    ([], "a test case is a JSON object"),
    ({"input": {}}, "expect is empty"),
    ({"expect": {"status": "SUCCEEDED", "outputs": 1}}, "unknown expectation(s) outputs"),
    ({"inputs": {}, "expect": {"status": "SUCCEEDED"}}, "unknown key(s) inputs"),
    ({"expect": {"path": "Charge"}}, "expect.path must be a list"),
    ({"mocks": {"Charge": [{"Return": 1, "Throw": {"Error": "E"}}]}, "expect": {"status": "FAILED"}}, "mocks:"),
])
def test_a_malformed_case_is_refused_with_the_reason(case, reason):
    with pytest.raises(CaseError) as err:
        check_case(CHARGE, case)
    assert reason in str(err.value)


def _generated_then_checked(tmp_path, definition_file):
    out = tmp_path / "cases"
    r = cli("tests", str(definition_file), "--out", str(out), "--format", "json")
    assert r.exit_code == 0, r.output
    summary = json.loads(r.stdout)
    checked = cli("tests", str(definition_file), "--check", str(out), "--format", "json")
    return summary, checked, Path(summary["out"])


@pytest.mark.parametrize("name", [
    "aws-samples__step-functions-workflows-collection__either-or-parallel-pattern__statemachine__statemachine.asl.json",
    "aws-samples__serverless-patterns__stepfunctions-sns-apigw-human-review__StepFunction__step-function-definition.json",
    "aws-samples__serverless-patterns__s3-eventbridge-sfn__statemachine__statemachine.asl.json",
])
def test_every_generated_case_passes_the_check(tmp_path, name):
    if not (CORPUS / name).exists():
        pytest.skip("the shared corpus is not here")
    summary, checked, folder = _generated_then_checked(tmp_path, CORPUS / name)
    assert checked.exit_code == 0, checked.output
    report = json.loads(checked.stdout)
    assert report["summary"] == {"passed": summary["cases"], "failed": 0, "error": 0} and summary["cases"] >= 2


def test_a_changed_mock_fails_its_case_and_junit_says_why(tmp_path):
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CHARGE))
    summary, checked, folder = _generated_then_checked(tmp_path, definition)
    assert checked.exit_code == 0, checked.output
    victim = next(p for p in sorted(folder.glob("case-*.json"))
                  if "Paid?" in json.loads(p.read_text())["expect"]["path"])
    case = json.loads(victim.read_text())
    case["mocks"]["Charge"] = [{"Throw": {"Error": "Payment.Declined", "Cause": "changed"}}]
    victim.write_text(json.dumps(case))
    text = cli("tests", str(definition), "--check", str(tmp_path / "cases"))
    assert text.exit_code == 1
    assert f"FAIL {case['name']}" in text.stdout and "path: expected Charge > Paid?" in text.stdout
    report = tmp_path / "reports" / "junit.xml"
    junit = cli("tests", str(definition), "--check", str(tmp_path / "cases"), "--format", "junit", "-o", str(report))
    assert junit.exit_code == 1
    suite = ET.parse(report).getroot().find("testsuite")
    assert (suite.get("tests"), suite.get("failures"), suite.get("errors")) == (str(summary["cases"]), "1", "0")
    failed = [c for c in suite.findall("testcase") if c.find("failure") is not None]
    assert [c.get("name") for c in failed] == [case["name"]]
    assert "path: expected Charge > Paid?" in failed[0].find("failure").get("message")


def test_a_case_file_that_is_not_json_is_named_with_line_and_column(tmp_path):
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CHARGE))
    (tmp_path / "cases").mkdir()
    (tmp_path / "cases" / "broken.json").write_text('{"input": {},\n  "expect": {"status": }\n}')
    r = cli("tests", str(definition), "--check", str(tmp_path / "cases"))
    assert r.exit_code == 2
    assert "ERROR broken" in r.stdout and "broken.json:2:" in r.stdout


def test_out_and_check_are_exclusive_and_junit_needs_check(tmp_path):
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CHARGE))
    assert cli("tests", str(definition)).exit_code == 2
    assert cli("tests", str(definition), "--out", str(tmp_path / "a"), "--check", str(tmp_path)).exit_code == 2
    assert cli("tests", str(definition), "--out", str(tmp_path / "a"), "--format", "junit").exit_code == 2
    assert cli("tests", str(definition), "--check", str(tmp_path / "nowhere")).exit_code == 2


def test_writing_again_replaces_generated_cases_and_keeps_hand_written_ones(tmp_path):
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CHARGE))
    out = tmp_path / "cases"
    summary = json.loads(cli("tests", str(definition), "--out", str(out), "--format", "json").stdout)
    folder = Path(summary["out"])
    (folder / "case-099.json").write_text("{}")  # left over from a larger definition
    (folder / "refund-declined.json").write_text(json.dumps(
        {"input": {}, "mocks": {"Charge": {"Throw": {"Error": "Payment.Declined"}}}, "expect": {"status": "FAILED"}}))
    again = cli("tests", str(definition), "--out", str(out))
    assert again.exit_code == 0
    names = sorted(p.name for p in folder.iterdir())
    assert "case-099.json" not in names and "refund-declined.json" in names
    assert len([n for n in names if n.startswith("case-")]) == summary["cases"]
    checked = json.loads(cli("tests", str(definition), "--check", str(out), "--format", "json").stdout)
    assert checked["summary"] == {"passed": summary["cases"] + 1, "failed": 0, "error": 0}


def test_check_reports_what_the_cases_cover_and_what_they_miss(tmp_path):
    """The generator's claims (covers) and what the runs really take agree; dropping a case
    names the goals only it reached."""
    definition = tmp_path / "charge.asl.json"
    definition.write_text(json.dumps(CHARGE))
    summary, checked, folder = _generated_then_checked(tmp_path, definition)
    coverage = json.loads(checked.stdout)["coverage"]
    assert coverage["states"] == {"total": 4, "covered": summary["states"]["covered"]}
    assert coverage["branches"] == {"total": 3, "covered": summary["branches"]["covered"]} and coverage["missed"] == []
    cases = {p: json.loads(p.read_text()) for p in folder.glob("case-*.json")}
    claimed = {g for c in cases.values() for g in c["covers"]}
    assert claimed == {"state:Charge", "state:Paid?", "state:Done", "state:Declined", "rule:Paid?#1",
                       "default:Paid?", "catch:Charge#1"}
    victim = next(p for p, c in cases.items() if "catch:Charge#1" in c["covers"])
    only_there = set(cases[victim]["covers"]) - {g for p, c in cases.items() if p != victim for g in c["covers"]}
    victim.unlink()
    text = cli("tests", str(definition), "--check", str(tmp_path / "cases"))
    assert text.exit_code == 0
    missed = json.loads(cli("tests", str(definition), "--check", str(tmp_path / "cases"),
                            "--format", "json").stdout)["coverage"]["missed"]
    assert set(missed) == only_there and "catch:Charge#1" in missed
    assert "not reached by any case: " in text.stdout
