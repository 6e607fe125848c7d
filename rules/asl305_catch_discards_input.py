"""ASL305: a Catch without ``ResultPath`` (JSONPath) or ``Output`` (JSONata) replaces the input with the error."""

from __future__ import annotations

import json
import re

from analyzer.engine.rule import Rule, Severity
from analyzer.model.nodes import ERROR_HANDLING_TYPES, MISSING

#: Fields through which a state reads its input.
_INPUT_FIELDS = ("InputPath", "Parameters", "Arguments", "ItemsPath", "Items", "ItemSelector", "Assign", "Output",
                 "OutputPath", "ResultSelector", "Choices", "ErrorPath", "CausePath", "SecondsPath", "TimestampPath",
                 "TimeoutSecondsPath", "HeartbeatSecondsPath")
#: Reading the error object's own fields: the handler wants the error as its input.
_READS_ERROR = re.compile(r"\$(?:states\.input)?\.(?:Error|Cause)\b")
#: Any read of the state input: a JSONPath ``$``/``$.x`` (not ``$$`` context, not a ``$var``), or ``$states.input``.
_READS_INPUT = re.compile(r'"\$(?:"|\.|\[)|\$states\.input|"States\.[A-Za-z]+\([^"]*\$(?:\.|\[|,|\))')


def _text(state) -> str:
    return json.dumps({k: state.raw[k] for k in _INPUT_FIELDS if k in state.raw})


def handler_ignores_input(target) -> bool:
    """The handler uses the error object itself, or is a terminal step that reads no input at all
    (a notification with a fixed message): for it the default placement loses nothing."""
    text = _text(target)
    if _READS_ERROR.search(text):
        return True
    if target.end is not True:
        return False
    if target.type == "Task" and not any(k in target.raw for k in ("Parameters", "Arguments")):
        return False  # the whole input is sent to the resource
    if target.type == "Pass" and not any(k in target.raw for k in ("Parameters", "Result", "Output")):
        return False  # the input (the error) becomes the output
    return not _READS_INPUT.search(text)


class CatchDiscardsInput(Rule):
    id = "ASL305"
    name = "catch-discards-input"
    severity = Severity.WARNING
    category = "error-handling"
    tags = ("error-handling", "data-flow")
    precision = "high"
    doc = """
A catcher has no `ResultPath` (JSONPath) / no `Output` (JSONata): the error object replaces the state input, and the original data is lost.

## What it finds
A `Catch` entry that does not say where the error output goes. In a JSONPath state the
default `ResultPath` is `$`, so the handler receives only `{"Error": ..., "Cause": ...}`;
in a JSONata state the default `Output` is `$states.errorOutput`, with the same effect.
Not reported when the catcher goes straight to a `Fail` state; when the handler reads the
error object's own fields (`$.Error`, `$.Cause`), so it wants the error as its input; when
the handler is a final step that reads no input at all (a fixed notification); when the
catcher (JSONata) saves `$states.input` in a variable through `Assign`; and when the
catcher sets the field of the other query language (ASL109 reports that mix-up).

## Why it matters
The handler usually needs the data the failed state was working on: the order id to
refund, the file to clean up, the item to put on a retry queue. With the default, that
data is gone (only `$$.Execution.Input` is left, the input of the whole execution).

## Example
```json
"Catch": [{"ErrorEquals": ["States.ALL"], "Next": "Compensate"}]
```

## Fix
Put the error beside the input (JSONPath), or build the handler's input yourself (JSONata):
```json
"Catch": [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": "Compensate"}]
"Catch": [{"ErrorEquals": ["States.ALL"], "Output": "{% $merge([$states.input, {'error': $states.errorOutput}]) %}", "Next": "Compensate"}]
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if not isinstance(state, ERROR_HANDLING_TYPES) or not state.catch:
                continue
            scope = ctx.graph.scopes.get(state.scope)
            for i, catcher in enumerate(state.catch):
                field = "Output" if state.is_jsonata else "ResultPath"
                if catcher.output is not MISSING or catcher.result_path is not MISSING:
                    continue
                if state.is_jsonata and "$states.input" in json.dumps(catcher.assign if catcher.assign is not MISSING
                                                                      else None):
                    continue
                target = scope.states.get(catcher.next) if scope and isinstance(catcher.next, str) else None
                if target is not None and (target.type == "Fail" or handler_ignores_input(target)):
                    continue
                target_name = f" {catcher.next!r}" if isinstance(catcher.next, str) else ""
                if state.is_jsonata:
                    fix = ("set Output, e.g. \"{% $merge([$states.input, {'error': $states.errorOutput}]) %}\", "
                           "to keep the input")
                else:
                    fix = 'set ResultPath, e.g. "$.error", to keep the input beside the error'
                msg = (f"Catch[{i}] of state {state.name!r} has no {field}: the handler{target_name} receives only "
                       f"the error object and the state's input is lost; {fix}")
                yield self.finding(catcher.pointer, msg, state=state.name)
