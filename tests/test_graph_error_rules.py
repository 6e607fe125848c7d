"""Behaviour of the graph and error-handling passes that per-rule fixtures cannot show:
the solver hook of ASL204, the coverage helpers the rules share, and the CFG queries."""

from __future__ import annotations

from analyzer.engine.context import Context
from analyzer.engine.registry import lookup
from analyzer.load.definitions import extract
from analyzer.load.json_parser import parse_json
from analyzer.semantics import errors
from tests.conftest import lint_value

CHOICE = {"StartAt": "Route", "States": {
    "Route": {"Type": "Choice", "Choices": [{"Variable": "$.n", "NumericGreaterThan": 0, "Next": "Ok"},
                                            {"Variable": "$.n", "NumericLessThanEquals": 0, "Next": "Ok"}]},
    "Ok": {"Type": "Succeed"}}}


def _context(value) -> Context:
    import json

    doc = parse_json(json.dumps(value), "t.asl.json")
    (definition,) = extract(doc, explicit_asl=True).definitions
    return Context(definition=definition)


def test_asl204_syntactic_verdict_reports_numeric_split():
    # n > 0 / n <= 0 misses every non-number: the syntactic test must not call it exhaustive.
    report = lint_value(CHOICE, select=["ASL204"])
    assert [f.pointer for f in report.findings] == ["/States/Route"]


def test_asl204_solver_proof_replaces_syntactic_verdict():
    rule = lookup("ASL204")
    ctx = _context(CHOICE)
    ctx.cache["choice_verdicts"] = {"/States/Route": {"exhaustive": True}}
    assert list(rule.check(ctx)) == []


def test_asl204_solver_witness_is_carried():
    rule = lookup("ASL204")
    ctx = _context(CHOICE)
    ctx.cache["choice_verdicts"] = {"/States/Route": {"exhaustive": False, "witness": {"n": "x"}}}
    (finding,) = list(rule.check(ctx))
    assert finding.data["witness"] == {"n": "x"}
    assert '{"n": "x"}' in finding.message


def test_asl204_unknown_solver_verdict_falls_back():
    rule = lookup("ASL204")
    ctx = _context(CHOICE)
    ctx.cache["choice_verdicts"] = {"/States/Route": {"exhaustive": None}}
    assert len(list(rule.check(ctx))) == 1


def test_coverage_follows_the_documented_wildcards():
    # asl-semantics §5: ALL covers everything catchable; TaskFailed all but States.Timeout.
    assert errors.missing_for_full_coverage(["States.ALL"]) == []
    assert errors.missing_for_full_coverage(["States.TaskFailed"]) == ["States.Timeout"]
    assert errors.missing_for_full_coverage(["States.TaskFailed"], can_time_out=False) == []
    assert errors.missing_for_full_coverage(["States.Timeout", "States.TaskFailed"]) == []
    assert errors.missing_for_full_coverage(["Custom"]) == ["States.TaskFailed", "States.Timeout"]


def test_may_time_out_reads_timeouts_and_nested_tasks():
    ctx = _context({"StartAt": "P", "States": {"P": {"Type": "Parallel", "End": True, "Branches": [
        {"StartAt": "T", "States": {"T": {"Type": "Task", "Resource": "r", "TimeoutSecondsPath": "$.t",
                                          "End": True}}}]},
        "Plain": {"Type": "Task", "Resource": "r", "End": True}}})
    states = ctx.machine.states
    assert errors.may_time_out(states["P"])
    assert not errors.may_time_out(states["Plain"])


def test_loops_avoiding_finds_the_cycle_that_skips_the_wait():
    ctx = _context({"StartAt": "A", "States": {
        "A": {"Type": "Choice", "Choices": [{"Variable": "$.x", "IsPresent": True, "Next": "W"}], "Default": "B"},
        "W": {"Type": "Wait", "Seconds": 1, "Next": "A"},
        "B": {"Type": "Pass", "Next": "A"}}})
    g = ctx.graph
    assert g.loops_avoiding("", avoid=["/States/W"]) == [["/States/A", "/States/B"]]
    assert g.loops_avoiding("", avoid=["/States/W", "/States/B"]) == []


def test_rules_survive_hostile_values():
    hostile = {"StartAt": 5, "States": {"A": {"Type": "Task", "Resource": 7, "Retry": "x", "Catch": [1, None],
                                               "Next": ["B"]},
                                         "B": {"Type": "Choice", "Choices": {"a": 1}, "Default": 3},
                                         "C": {"Type": "Map", "ItemProcessor": "nope", "End": True},
                                         "D": {"Type": "Parallel", "Branches": [None, {"States": []}], "End": True},
                                         "E": None}}
    report = lint_value(hostile, select=["ASL2", "ASL3"])
    assert not report.internal_errors, report.internal_errors


def test_tarjan_agrees_with_networkx_on_random_graphs():
    # networkx is an independent implementation of strongly connected components
    import random

    import networkx as nx

    from analyzer.graph.cfg import strongly_connected

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 30)
        nodes = [f"s{i}" for i in range(n)]
        succ = {v: [w for w in nodes if rng.random() < 0.08] for v in nodes}
        keep = {v for v in nodes if rng.random() < 0.9}
        g = nx.DiGraph()
        g.add_nodes_from(keep)
        g.add_edges_from((v, w) for v in keep for w in succ[v] if w in keep)
        want = sorted(sorted(c) for c in nx.strongly_connected_components(g))
        got = sorted(sorted(c) for c in strongly_connected(succ, sorted(keep), keep))
        assert got == want


def test_rule_metadata_and_docs_are_complete():
    import re

    from analyzer.engine.rule import DOC_HEADINGS, Severity

    ids = ["ASL201", "ASL202", "ASL203", "ASL204", "ASL301", "ASL302", "ASL303", "ASL304", "ASL305", "ASL306",
           "ASL307"]
    for rule_id in ids:
        rule = lookup(rule_id)
        assert rule is not None, rule_id
        assert re.fullmatch(r"[a-z]+(-[a-z]+)+", rule.name), rule.name
        assert lookup(rule.name) is rule
        assert isinstance(rule.severity, Severity)
        for heading in DOC_HEADINGS:
            assert f"## {heading}\n" in rule.doc, (rule_id, heading)
        assert rule.short_description and not rule.short_description.startswith("#")
