"""ASL203: a cycle of states with no Wait in it (a busy loop)."""

from __future__ import annotations

import json
import re

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import TaskState, WaitState, nested_scopes

#: Integration suffixes that make a Task block until outside work completes: a loop through
#: such a Task is paced by that work, not spinning.
_BLOCKING_SUFFIXES = (".sync", ".sync:2", ".waitForTaskToken")


def _waits_itself(state) -> bool:
    """A Wait, or a Task that blocks on outside work (``.sync``, ``.waitForTaskToken``, an Activity)."""
    if isinstance(state, WaitState):
        return True
    if isinstance(state, TaskState) and isinstance(state.resource, str):
        res = state.resource
        return res.endswith(_BLOCKING_SUFFIXES) or ":activity:" in res
    return False


def paces_loop(state) -> bool:
    """A state that waits itself, or a Parallel/Map with such a state anywhere inside (every
    turn then waits inside it). ``walk_states`` already descends into every nested scope, so
    each inner state is looked at once: nested Parallels cost linear, not exponential, time."""
    return _waits_itself(state) or any(
        _waits_itself(inner) for scope in nested_scopes(state) for inner in scope.walk_states())


#: Signs that each turn of a loop consumes something, so the loop walks through data rather
#: than polling: a pagination cursor handed to the next call, or a list/counter that shrinks.
_CURSOR = re.compile(r"next_?token|next_?marker|\bmarker\b|exclusivestartkey|lastevaluatedkey|continuationtoken|"
                     r"startingtoken|pagetoken|next_?page|cursor", re.IGNORECASE)
_CONSUME = re.compile(r"\[1:\]|States\.MathAdd\([^)]*,\s*-\s*\d|\$count\([^)]*\)\s*-\s*1|-\s*1\s*%}")
_DATA_FIELDS = ("Parameters", "Arguments", "ResultSelector", "ItemSelector", "Assign", "Output", "Choices",
                "InputPath", "ItemsPath", "Items")


def walks_data(states) -> bool:
    """Whether some state of the loop visibly advances a cursor or consumes a list/counter."""
    for state in states:
        text = json.dumps({k: state.raw.get(k) for k in _DATA_FIELDS if k in state.raw})
        if _CURSOR.search(text) or _CONSUME.search(text):
            return True
    return False


class LoopWithoutWait(Rule):
    id = "ASL203"
    name = "loop-without-wait"
    severity = Severity.WARNING
    category = "graph"
    tags = ("graph", "cost", "performance")
    precision = "high"
    doc = """
A cycle of states with no Wait in it: a busy loop that burns state transitions and never backs off.

## What it finds
A loop in the state graph (through `Next`, Choice rules, `Default` or Catch transitions) in
which no state is a `Wait`. A loop that leaves through a Choice is still a busy loop when
nothing in it waits: a polling loop that asks "done yet?" as fast as it can. Loops through a
Task that itself blocks on outside work (`.sync`, `.waitForTaskToken`, an Activity), or
through a Parallel or Map that has a Wait or such a Task inside, are paced by it and are not
reported; neither is a Retry (retries have their own back-off).
Loops that visibly walk through data are not busy loops either: a pagination cursor
(`NextToken`, `Marker`, `ExclusiveStartKey`, `ContinuationToken`, ...) handed to the next
call, or a list or counter that shrinks each turn (`$.items[1:]`,
`States.MathAdd($.n, -1)`). Every other loop that avoids the pacing states is reported
once, at the state where executions enter it. Loops in unreachable states are left to ASL201.

## Why it matters
Each iteration is billed as state transitions (Standard) or duration (Express), a tight
loop hammers the services it calls (and gets throttled), and a Standard execution fails once
its history reaches 25,000 events.

## Example
```json
"CheckJob": {"Type": "Task", "Resource": "arn:aws:states:::aws-sdk:glue:getJobRun", "Next": "Done?"},
"Done?": {"Type": "Choice", "Default": "CheckJob",
          "Choices": [{"Variable": "$.JobRun.JobRunState", "StringEquals": "SUCCEEDED", "Next": "Finish"}]}
```

## Fix
Put a Wait on the way back (or use the `.sync` integration, which waits for you):
```json
"Done?": {"Type": "Choice", "Default": "WaitABit", "Choices": [...]},
"WaitABit": {"Type": "Wait", "Seconds": 30, "Next": "CheckJob"}
```
"""

    def check(self, ctx):
        graph = ctx.graph
        for scope_ptr, scope, _start in graph.started_scopes():
            pacing = [s.pointer for s in scope.states.values() if paces_loop(s)]
            for loop in graph.loops_avoiding(scope_ptr, avoid=pacing, within=graph.reachable(scope_ptr)):
                if walks_data(graph.state(p) for p in loop):
                    continue
                members = set(loop)
                head = next((p for p in loop if graph.is_entry(p, members)), loop[0])
                state = graph.state(head)
                names = [graph.state(p).name for p in loop]
                cycle = " -> ".join(repr(n) for n in names[:8]) + (" -> ..." if len(names) > 8 else "")
                if len(names) == 1:
                    what = f"state {state.name!r} transitions back to itself"
                else:
                    what = f"the states {cycle} form a loop"
                msg = (f"{what} with no Wait state: each turn runs at full speed; add a Wait state inside the "
                       f"loop (or use a .sync integration) so it backs off between iterations")
                yield self.finding(state.pointer, msg, state=state.name, loop=names)
