"""ASL202: states from which no path reaches ``Succeed``, ``Fail`` or ``End``."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class NoTerminalPath(Rule):
    id = "ASL202"
    name = "no-terminal-path"
    severity = Severity.ERROR
    category = "graph"
    tags = ("graph", "correctness")
    precision = "very-high"
    doc = """
From this state no path reaches a `Succeed`, a `Fail` or an `End: true` state: the execution can never finish.

## What it finds
A reachable state whose every onward path, following `Next`, Choice rules, `Default` and
Catch transitions, stays forever inside a group of states that has no way out. Each scope
(the top level, every Parallel branch, every Map processor) is checked on its own. The
finding is placed on the state where an execution *enters* such a trap, and the message
lists the states of the trap; unreachable states are left to ASL201.

## Why it matters
An execution that enters the trap loops until it hits the execution time limit (a year for
Standard workflows, five minutes for Express) or the 25,000-event history limit, and fails
then, after burning a state transition per step. Inside a Parallel branch or a Map
iteration the enclosing state never completes either.

## Example
```json
{"StartAt": "Poll", "States": {
  "Poll": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "Next": "Wait"},
  "Wait": {"Type": "Wait", "Seconds": 30, "Next": "Poll"}}}
```

## Fix
Give the loop an exit, typically a Choice that leaves once the work is done:
```json
"Check": {"Type": "Choice", "Default": "Wait",
          "Choices": [{"Variable": "$.done", "BooleanEquals": true, "Next": "Done"}]},
"Done": {"Type": "Succeed"}
```
"""

    def check(self, ctx):
        graph = ctx.graph
        for scope_ptr, scope, _start in graph.started_scopes():
            reached = graph.reachable(scope_ptr)
            # A state with a dangling transition is a validity error (ASL103/ASL105): count it as
            # a way out so this rule does not pile a second finding on the same typo.
            seeds = [p for p in graph.nodes_in(scope_ptr)
                     if graph.state(p).is_terminal or graph.has_dangling_transition(p)]
            finishing = graph.backward_closure(scope_ptr, seeds)
            trapped = [s for s in scope.states.values() if s.pointer in reached and s.pointer not in finishing]
            if not trapped:
                continue
            trapped_ptrs = {s.pointer for s in trapped}
            for state in trapped:
                if not graph.is_entry(state.pointer, trapped_ptrs):
                    continue
                region = graph.forward_closure([state.pointer])
                names = [graph.state(p).name for p in graph.nodes_in(scope_ptr) if p in region]
                shown = ", ".join(repr(n) for n in names[:8]) + (", ..." if len(names) > 8 else "")
                msg = (f"no path from state {state.name!r} reaches a Succeed, Fail or End state; an execution "
                       f"that gets here can never finish: it cycles through {shown} until an error or the "
                       f"execution time limit ends it; add an exit, for example a Choice rule or Default that "
                       f"leads to a terminal state")
                yield self.finding(state.pointer, msg, state=state.name, trap=names)

