"""Worst-case duration bounds (analyzer/duration.py), checked against hand-computed schedules.

The retry schedule follows the documented rule: the n-th retry (n from 0) waits
min(IntervalSeconds * BackoffRate**n, MaxDelaySeconds); defaults 1 s, 3 attempts, rate 2.0.
"""

from __future__ import annotations

import math
import time

import pytest

from analyzer.duration import format_seconds, retry_delays, worst_case
from analyzer.graph.cfg import build_graph
from analyzer.model.build import build_machine
from analyzer.model.nodes import Retrier, MISSING


def retrier(**kw):
    names = {"interval": "interval_seconds", "attempts": "max_attempts", "rate": "backoff_rate", "cap": "max_delay_seconds"}
    return Retrier(pointer="/r", error_equals=("States.ALL",), **{names[k]: v for k, v in kw.items()})


@pytest.mark.parametrize("kw,expected", [
    ({}, 1 + 2 + 4),                                           # all defaults
    ({"interval": 3, "attempts": 4, "rate": 2}, 3 + 6 + 12 + 24),
    ({"interval": 3, "attempts": 4, "rate": 2, "cap": 10}, 3 + 6 + 10 + 10),
    ({"interval": 5, "attempts": 3, "rate": 1}, 15),
    ({"attempts": 0}, 0),                                      # MaxAttempts 0: never retried
    ({"interval": 1, "attempts": 99_999_999, "rate": 2, "cap": 60}, 1 + 2 + 4 + 8 + 16 + 32 + 60 * (99_999_999 - 6)),
])
def test_retry_delays(kw, expected):
    assert retry_delays(retrier(**kw)) == pytest.approx(expected)


def test_unbounded_backoff_is_infinite_and_fast():
    start = time.perf_counter()
    assert math.isinf(retry_delays(retrier(interval=10, attempts=99_999_999, rate=1.5)))
    assert math.isinf(retry_delays(retrier(interval=10, attempts=99_999_999, rate=1.0000001)))
    assert time.perf_counter() - start < 0.5


def bound(states, start):
    return worst_case(build_graph(build_machine({"StartAt": start, "States": states})))


def test_each_retrier_spends_its_own_attempts():
    task = {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "TimeoutSeconds": 10, "End": True,
            "Retry": [{"ErrorEquals": ["A"], "MaxAttempts": 2, "IntervalSeconds": 1, "BackoffRate": 2},
                      {"ErrorEquals": ["States.ALL"], "MaxAttempts": 1, "IntervalSeconds": 5}]}
    b = bound({"T": task}, "T")
    assert b.seconds == 4 * 10 + (1 + 2) + 5


def test_callback_without_timeout_uses_the_service_default():
    b = bound({"T": {"Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage.waitForTaskToken", "End": True}}, "T")
    assert b.seconds == 99_999_999 and b.parts[0].assumed


def test_request_response_without_timeout_is_listed_as_unknown():
    b = bound({"T": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": True}}, "T")
    assert b.seconds == 0 and [p.pointer for p in b.unknown] == ["/States/T"]


def test_map_counts_one_pass_and_says_so():
    proc = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 7, "End": True}}}
    b = bound({"M": {"Type": "Map", "ItemProcessor": proc, "End": True}}, "M")
    assert b.seconds == 7 and any("number of items is unknown" in p.why for p in b.unknown)


def test_loop_is_infinite_but_a_pass_only_cycle_is_not_time():
    loop = {"A": {"Type": "Wait", "Seconds": 1, "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": True, "Next": "A"}],
                  "Default": "C"},
            "C": {"Type": "Succeed"}}
    b = bound(loop, "A")
    assert b.infinite and b.loops == [("/States/A", "/States/B")]
    spin = {"A": {"Type": "Pass", "Next": "B"},
            "B": {"Type": "Choice", "Choices": [{"Variable": "$.x", "BooleanEquals": True, "Next": "A"}],
                  "Default": "C"},
            "C": {"Type": "Succeed"}}
    assert bound(spin, "A").seconds == 0


def test_malformed_input_does_not_crash():
    assert bound({"W": {"Type": "Wait", "Seconds": "soon", "End": True}}, "W").seconds == 0
    assert bound({}, "Nowhere").seconds == 0
    r = Retrier(pointer="/r", error_equals=(), interval_seconds="x", max_attempts=-3, backoff_rate=MISSING)
    assert retry_delays(r) == 0


def test_format_seconds():
    assert [format_seconds(s) for s in (45, 735, 5400, 86400 * 3, math.inf)] == \
        ["45 s", "12 min 15 s", "90 min", "3.0 days", "unbounded"]


def test_components_agree_with_networkx():
    import random

    import networkx as nx

    from analyzer.graph.cfg import strongly_connected

    rng = random.Random(7)
    for _ in range(200):
        n = rng.randint(1, 12)
        nodes = [f"s{i}" for i in range(n)]
        adjacency = {v: sorted({rng.choice(nodes) for _ in range(rng.randint(0, 3))}) for v in nodes}
        g = nx.DiGraph()
        g.add_nodes_from(nodes)
        g.add_edges_from((a, b) for a, bs in adjacency.items() for b in bs)
        reach = nx.descendants(g, "s0") | {"s0"}
        ours = list(strongly_connected(adjacency, ["s0"], set(nodes)))
        ours = [c for c in ours if c[0] in reach]
        assert sorted(map(sorted, ours)) == sorted(sorted(c) for c in nx.strongly_connected_components(g.subgraph(reach)))
        position = {v: i for i, comp in enumerate(ours) for v in comp}
        for a in reach:  # every edge goes from a later component to an earlier (or the same) one
            assert all(position[b] <= position[a] for b in adjacency[a])
