"""The pieces under the interpreter: JSONPath selection, intrinsics, ResultPath merging, mocks, variables."""

from __future__ import annotations

import random

import pytest

from analyzer.interp.failures import Abort, StatesError
from analyzer.interp.interpreter import merge_result, run
from analyzer.interp.intrinsics_eval import IntrinsicError, evaluate_intrinsic
from analyzer.interp.jsonpath_eval import PathEvaluationError, compile_path, select
from analyzer.interp.mocks import MockError, from_value
from analyzer.interp.variables import Variables
from analyzer.model.nodes import MISSING

DATA = {
    "store": {"book": [{"t": "a", "price": 8, "tags": ["x"]}, {"t": "b", "price": 12},
                       {"t": "c", "price": 30, "isbn": "1"}]},
    "a b": 1, "n": None,
}


@pytest.mark.parametrize("path,expected", [
    ("$", DATA),
    ("$.store.book[0].t", "a"),
    ("$.store.book[-1].t", "c"),           # negative index counts from the end
    ("$['a b']", 1),
    ("$.n", None),                         # present with null: not missing
    ("$.store.book[*].t", ["a", "b", "c"]),
    ("$.store.book[0:2].t", ["a", "b"]),
    ("$.store.book[0,2].price", [8, 30]),
    ("$..price", [8, 12, 30]),
    ("$.store.book[?(@.price < 10)].t", ["a"]),
    ("$.store.book[?(@.price > 10 && @.price < 20)].t", ["b"]),
    ("$.store.book[?(@.isbn)].t", ["c"]),  # a lone path is an existence test
    ("$.store.book[?(@.t == 'b')].price", [12]),
    ("$.store.book[?(@.t in ['a','c'])].t", ["a", "c"]),
    ("$.store.book[?(@.t =~ /[ab]/)].t", ["a", "b"]),
    ("$.store.book.length()", 3),
    ("$.store.book[*].price.max()", 30.0),
    ("$.store.book[*].price.sum()", 50.0),
])
def test_jsonpath_selects(path, expected):
    assert select(path, DATA) == expected


@pytest.mark.parametrize("path", ["$.nope", "$.store.book[9]", "$.store.book.t", "$['a b'].c", "$.n.x"])
def test_definite_paths_that_match_nothing_are_missing(path):
    assert select(path, DATA) is MISSING


def test_context_is_built_only_when_a_path_reads_it():
    calls = []

    def context():
        calls.append(1)
        return {"State": {"Name": "S"}}

    assert select("$.n", DATA, context) is None
    assert calls == []
    assert select("$$.State.Name", DATA, context) == "S"
    assert calls == [1]


def test_variables_are_read_through_scopes():
    outer = Variables()
    outer.commit({"x": 1, "y": 2})
    inner = Variables(parent=outer)
    inner.commit({"y": 3})
    assert select("$x", {}, None, inner) == 1
    assert select("$y", {}, None, inner) == 3
    assert select("$y", {}, None, outer) == 2
    assert select("$z", {}, None, inner) is MISSING
    assert inner.visible() == {"x": 1, "y": 3}


def test_paths_are_compiled_once():
    assert compile_path("$.store.book[0]") is compile_path("$.store.book[0]")
    with pytest.raises(PathEvaluationError):
        compile_path("$.[")


def test_math_random_end_is_exclusive_for_every_seed():
    values = {evaluate_intrinsic("States.MathRandom(1, 3)", {}, None, None, random.Random(seed))
              for seed in range(200)}
    assert values == {1, 2}
    # the optional seed argument makes it deterministic regardless of the execution's generator
    a = evaluate_intrinsic("States.MathRandom(0, 1000, 7)", {}, None, None, random.Random(1))
    b = evaluate_intrinsic("States.MathRandom(0, 1000, 7)", {}, None, None, random.Random(2))
    assert a == b


def test_uuid_is_seeded():
    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Parameters": {"u.$": "States.UUID()"}, "End": True}}}
    assert run(d, seed=5).output == run(d, seed=5).output
    assert run(d, seed=5).output != run(d, seed=6).output


@pytest.mark.parametrize("expr,data", [
    ("States.StringToJson($.s)", {"s": "{bad"}),
    ("States.Base64Decode('@@@')", {}),
    ("States.Hash('x', 'SHA-3')", {}),
    ("States.JsonMerge($.a, $.a, true)", {"a": {}}),
    ("States.ArrayPartition($.a, 0)", {"a": [1]}),
    ("States.ArrayRange(1, 5, 0)", {}),
    ("States.MathAdd(2147483647, 2147483648)", {}),
    ("States.Format('{} {}', 'only one')", {}),
    ("States.ArrayLength($.s)", {"s": "not an array"}),
    ("States.Nope()", {}),
])
def test_intrinsic_failures_are_catchable(expr, data):
    with pytest.raises(IntrinsicError) as err:
        evaluate_intrinsic(expr, data, None, None, random.Random(0))
    assert err.value.error == "States.IntrinsicFailure"


def test_format_renders_values():
    out = evaluate_intrinsic("States.Format('{}|{}|{}|{}', $.s, $.n, $.b, $.z)",
                             {"s": "t", "n": 1.5, "b": False, "z": None}, None, None, random.Random(0))
    assert out == "t|1.5|false|null"


def test_format_runs_a_template_holding_a_deploy_placeholder_as_deployed():
    """``${Url}`` is substituted at deployment; unsubstituted, its braces would be a lone ``{``."""
    out = evaluate_intrinsic("States.Format('${Url}?id={}', $.id)", {"id": 7}, None, None, random.Random(0))
    assert out == "$(Url)?id=7"
    with pytest.raises(IntrinsicError):
        evaluate_intrinsic("States.Format('{?id={}', $.id)", {"id": 7}, None, None, random.Random(0))


def test_merge_result_copies_instead_of_mutating():
    raw = {"a": {"b": 1}, "keep": [1]}
    merged = merge_result("$.a.c", raw, 5)
    assert merged == {"a": {"b": 1, "c": 5}, "keep": [1]}
    assert raw == {"a": {"b": 1}, "keep": [1]}
    assert merge_result("$.list[1]", {"list": [0, 0]}, 9) == {"list": [0, 9]}
    for bad_path, bad_raw in (("$.a.b", {"a": 1}), ("$.x", [1]), ("$$.x", {}), ("$.list[5]", {"list": []})):
        with pytest.raises(StatesError) as err:
            merge_result(bad_path, bad_raw, 1)
        assert err.value.error == "States.ResultPathMatchFailure"


def test_mock_file_errors_are_reported():
    with pytest.raises(MockError):
        from_value({"S": [{"Return": 1, "Throw": {"Error": "E"}}]})
    with pytest.raises(MockError):
        from_value({"S": [{"Throw": {"Cause": "no error name"}}]})
    with pytest.raises(MockError):
        from_value({"S": [{"Return": 1, "Seconds": -1}]})
    sfl = {"StateMachines": {"M": {"TestCases": {"T": {"S": "R"}}}},
           "MockedResponses": {"R": {"0": {"Return": 1}, "2": {"Return": 2}}}}
    with pytest.raises(MockError, match="consecutive"):
        from_value(sfl, test_case="T")


def test_single_response_object_repeats_and_lists_run_out():
    mocks = from_value({"Every": {"Return": 1}, "Once": [{"Return": 2}]})
    assert [mocks.next("Every").returns for _ in range(3)] == [1, 1, 1]
    assert mocks.next("Once").returns == 2
    with pytest.raises(Abort):
        mocks.next("Once")


def test_mock_returns_are_private_copies():
    shared = {"list": [1]}
    d = {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "arn:aws:lambda:::function:f",
                                          "ResultPath": "$.r", "Next": "U"},
                                    "U": {"Type": "Task", "Resource": "arn:aws:lambda:::function:f", "End": True}}}
    result = run(d, {}, mocks={"T": [{"Return": shared}], "U": [{"Return": shared}]})
    assert result.output == {"list": [1]} and shared == {"list": [1]}


def test_run_accepts_a_built_machine_and_json_text():
    from analyzer.model.build import build_machine

    d = {"StartAt": "P", "States": {"P": {"Type": "Pass", "Result": 3, "End": True}}}
    assert run(build_machine(d)).output == 3
    import json

    assert run(json.dumps(d)).output == 3


def _wait_then(seconds, final):
    return {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": seconds, "Next": "X"}, "X": final}}


def test_parallel_branches_run_concurrently_on_the_clock():
    d = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        _wait_then(10, {"Type": "Pass", "Result": "a", "End": True}),
        _wait_then(25, {"Type": "Pass", "Result": "b", "End": True})]}}}
    result = run(d)
    assert result.output == ["a", "b"]
    assert result.elapsed_seconds == 25  # not 35: the branches overlap


def test_parallel_reports_the_failure_that_happens_first():
    d = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        _wait_then(30, {"Type": "Fail", "Error": "Slow"}),
        _wait_then(5, {"Type": "Fail", "Error": "Fast"})]}}}
    result = run(d)
    assert (result.error, result.elapsed_seconds) == ("Fast", 5)
    same_time = {"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "F1", "States": {"F1": {"Type": "Fail", "Error": "First"}}},
        {"StartAt": "F2", "States": {"F2": {"Type": "Fail", "Error": "Second"}}}]}}}
    assert run(same_time).error == "First"


def test_parallel_failure_before_the_machine_timeout_wins():
    d = {"StartAt": "P", "TimeoutSeconds": 100, "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        _wait_then(500, {"Type": "Succeed"}), _wait_then(5, {"Type": "Fail", "Error": "Early"})]}}}
    result = run(d)
    assert (result.status, result.error) == ("FAILED", "Early")
    d["States"]["P"]["Branches"][1] = _wait_then(150, {"Type": "Fail", "Error": "Late"})
    result = run(d)
    assert (result.status, result.error, result.elapsed_seconds) == ("TIMED_OUT", "States.Timeout", 100)


def test_map_max_concurrency_schedules_items():
    def map_state(limit):
        return {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "MaxConcurrency": limit,
                                                 "ItemProcessor": {"StartAt": "W", "States": {
                                                     "W": {"Type": "Wait", "SecondsPath": "$", "End": True}}}}}}
    items = [10, 10, 10, 10]
    assert run(map_state(0), items).elapsed_seconds == 10   # 0: no limit
    assert run(map_state(1), items).elapsed_seconds == 40   # strictly one after another
    assert run(map_state(2), items).elapsed_seconds == 20
    assert run(map_state(3), [30, 10, 10, 10]).elapsed_seconds == 30


def test_sequential_map_never_starts_items_after_a_failure():
    d = {"StartAt": "M", "States": {"M": {"Type": "Map", "End": True, "MaxConcurrency": 1,
                                         "ItemProcessor": {"StartAt": "T", "States": {
                                             "T": {"Type": "Task", "Resource": "arn:aws:lambda:::function:f",
                                                   "End": True}}}}}}
    # one response for the failing first item only: starting item 2 would run out of mocks
    result = run(d, [1, 2, 3], mocks={"T": [{"Throw": {"Error": "Bad"}}]})
    assert (result.status, result.error) == ("FAILED", "Bad")
    assert [t["state"] for t in result.trace] == ["M", "T"]


def test_assign_reads_selected_result_switch():
    """The documentation leaves open whether JSONPath Assign sees the result before or after ResultSelector."""
    d = {"StartAt": "T", "States": {
        "T": {"Type": "Task", "Resource": "arn:aws:lambda:::function:f", "ResultSelector": {"v.$": "$.raw"},
              "Assign": {"seen.$": "$"}, "Next": "P"},
        "P": {"Type": "Pass", "Parameters": {"seen.$": "$seen"}, "End": True}}}
    mocks = {"T": [{"Return": {"raw": 1}}]}
    assert run(d, mocks=mocks).output == {"seen": {"raw": 1}}
    assert run(d, mocks=mocks, assign_reads_selected_result=True).output == {"seen": {"v": 1}}


def test_hostile_definitions_do_not_crash():
    for definition in ({}, {"StartAt": 5, "States": []}, {"StartAt": "A", "States": {"A": 3}},
                       {"StartAt": "A", "States": {"A": {"Type": "Bogus", "End": True}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Pass"}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Choice", "Choices": [{"Next": "A"}]}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Map", "End": True}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": 5}, "End": True}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Pass", "Parameters": {"x.$": "$[", }, "End": True}}},
                       {"StartAt": "A", "States": {"A": {"Type": "Wait", "Seconds": "soon", "End": True}}}):
        result = run(definition, {})
        assert result.status in ("SUCCEEDED", "FAILED")
        assert result.status == "SUCCEEDED" or result.error


def test_a_map_whose_gathered_output_is_over_the_quota_fails_uncaught():
    """asl-semantics §4: States.DataLimitExceeded (over 262,144 bytes) is terminal, whatever the Catch."""
    def machine(count, selector=None):
        m = {"Type": "Map", "ItemsPath": "$.items", "Next": "Done", "ItemProcessor": {"StartAt": "P", "States": {
            "P": {"Type": "Pass", "Result": "x" * 1000, "End": True}}},
            "Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Done"}]}
        if selector:
            m["ResultSelector"] = selector
        return {"StartAt": "Items", "States": {
            "Items": {"Type": "Pass", "Parameters": {"items.$": f"States.ArrayRange(1, {count}, 1)"}, "Next": "M"},
            "M": m, "Done": {"Type": "Succeed"}}}

    small = run(machine(200))  # about 200 KB of results: under the quota
    assert small.status == "SUCCEEDED" and len(small.output) == 200
    big = run(machine(300))  # about 300 KB
    assert (big.status, big.error, big.path) == ("FAILED", "States.DataLimitExceeded", ["Items", "M"])
    trimmed = run(machine(300, {"n.$": "States.ArrayLength($)"}))
    assert trimmed.output == {"n": 300}  # the state's output is what counts


def _distributed(result_writer, query_language=None):
    state = {"Type": "Map", "ItemProcessor": {"ProcessorConfig": {"Mode": "DISTRIBUTED", "ExecutionType": "STANDARD"},
                                              "StartAt": "P", "States": {"P": {"Type": "Pass", "End": True}}},
             "ResultWriter": result_writer, "End": True}
    if query_language:
        state["QueryLanguage"] = query_language
        state["Items"] = "{% $states.input.items %}"
    else:
        state["ItemsPath"] = "$.items"
    return {"StartAt": "M", "States": {"M": state}}


def test_a_result_writer_export_hands_on_the_map_run_summary():
    """The documented shape: {"MapRunArn", "ResultWriterDetails": {"Bucket", "Key": "<Prefix>/<id>/manifest.json"}}."""
    d = _distributed({"Resource": "arn:aws:states:::s3:putObject",
                      "Parameters": {"Bucket": "results", "Prefix.$": "$.prefix"}})
    out = run(d, {"items": [1, 2], "prefix": "jobs"}).output
    arn, details = out["MapRunArn"], out["ResultWriterDetails"]
    run_id = arn.rsplit(":", 1)[1]
    assert arn.startswith("arn:aws:states:us-east-1:123456789012:mapRun:LocalMachine/M:")
    assert details == {"Bucket": "results", "Key": f"jobs/{run_id}/manifest.json"}
    assert run(d, {"items": [1, 2], "prefix": "jobs"}).output == out  # seeded: the same run gives the same id
    assert run(d, {"items": [1, 2], "prefix": "jobs/"}).output["ResultWriterDetails"]["Key"] == f"jobs/{run_id}/manifest.json"
    jsonata = _distributed({"Resource": "arn:aws:states:::s3:putObject",
                            "Arguments": {"Bucket": "{% 'b-' & $states.input.env %}"}}, "JSONata")
    assert run(jsonata, {"items": [1], "env": "dev"}).output["ResultWriterDetails"]["Bucket"] == "b-dev"


def test_a_result_writer_preview_flattens_or_keeps_the_results():
    items = {"items": [[1, 2], 3, [4]]}
    assert run(_distributed({"WriterConfig": {"Transformation": "FLATTEN", "OutputType": "JSON"}}), items).output \
        == [1, 2, 3, 4]
    assert run(_distributed({"WriterConfig": {"Transformation": "COMPACT", "OutputType": "JSON"}}), items).output \
        == items["items"]


def test_a_result_writer_without_a_bucket_fails_with_result_writer_failed():
    d = _distributed({"Resource": "arn:aws:states:::s3:putObject", "Parameters": {"Prefix": "p"}})
    assert run(d, {"items": [1]}).error == "States.ResultWriterFailed"


def test_jsonata_now_and_millis_read_the_virtual_clock():
    """A run is reproducible: $now()/$millis() give the execution's clock (start time + Waits), not the wall clock."""
    d = {"QueryLanguage": "JSONata", "StartAt": "W", "States": {
        "W": {"Type": "Wait", "Seconds": 90, "Next": "P"},
        "P": {"Type": "Pass", "Output": {"now": "{% $now() %}", "ms": "{% $millis() %}",
                                         "month": "{% $now('[Y0001]-[M01]') %}"}, "End": True}}}
    start = {"Execution": {"StartTime": "2025-03-01T10:00:00Z"}}
    out = run(d, {}, context=start).output
    assert out == {"now": "2025-03-01T10:01:30.000Z", "ms": 1740823290000, "month": "2025-03"}
    assert run(d, {}, context=start).output == out
