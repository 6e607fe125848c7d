"""ASL105: Next/End missing, doubled, or present on a state type that forbids them."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.load import pointer as jp
from analyzer.model.nodes import STATE_TYPES

NO_TRANSITION = ("Choice", "Succeed", "Fail")


class BadTerminal(Rule):
    id = "ASL105"
    name = "bad-terminal"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "graph")
    precision = "very-high"
    doc = """
A state has both `Next` and `End`, neither of them, or one of them where its type forbids it; or a scope has no terminal state at all.

## What it finds
* Pass, Task, Wait, Parallel and Map states need exactly one of `Next` or `"End": true`.
* Choice, Succeed and Fail states must have neither (a Choice transitions through its
  rules and `Default`; Succeed and Fail always end their scope). A Choice *rule* with
  `End` is reported by ASL115.
* Every scope (the top level, each Parallel branch, each Map processor) needs at least
  one state that can end it: `"End": true`, a Succeed or a Fail.

## Why it matters
The service refuses such definitions. A state with neither field is the most common
form: the author meant to finish there but forgot `"End": true`.

## Example
```json
{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5}}}
```

## Fix
```json
{"StartAt": "Wait", "States": {"Wait": {"Type": "Wait", "Seconds": 5, "End": true}}}
```
"""

    def check(self, ctx):
        for scope in ctx.machine.walk_scopes():
            has_terminal = False
            for state in scope.states.values():
                if state.type not in STATE_TYPES:
                    has_terminal = True  # unknown types are ASL101's; do not pile on
                    continue
                raw = state.raw
                has_next, has_end = "Next" in raw, "End" in raw
                where = f"{state.type} state {state.name!r}"
                if state.type in NO_TRANSITION:
                    has_terminal = has_terminal or state.type in ("Succeed", "Fail")
                    for key in ("Next", "End"):
                        if key in raw:
                            why = ("a Choice state moves on through its Choices and Default" if state.type == "Choice"
                                   else f"a {state.type} state always ends its scope")
                            yield self.finding(state.field_pointer(key), f"{where} must not have {key}: {why}",
                                               state=state.name)
                    continue
                if raw.get("End") is True:
                    has_terminal = True
                if has_next and has_end:
                    yield self.finding(state.field_pointer("End"), f"{where} has both Next and End; keep Next "
                                       "to continue or \"End\": true to finish, not both", state=state.name)
                elif not has_next and state.end is not True:
                    if has_end:
                        msg = f"{where} has \"End\": {jp_value(state.end)} and no Next; set \"End\": true or add Next"
                        ptr = state.field_pointer("End")
                    else:
                        msg = f"{where} has neither Next nor End; add Next or \"End\": true"
                        ptr = state.pointer
                    yield self.finding(ptr, msg, state=state.name)
            if scope.states and not has_terminal:
                where = "the state machine" if scope.pointer == "" else "this branch/processor"
                ptr = jp.join(scope.pointer, "States")
                yield self.finding(ptr, f"{where} has no terminal state: no state has \"End\": true and there is "
                                   "no Succeed or Fail state, so an execution could never finish")


def jp_value(v) -> str:
    import json

    try:
        return json.dumps(v)
    except (TypeError, ValueError):
        return repr(v)
