"""ASL104: a state name the service refuses."""

from __future__ import annotations

import unicodedata

from analyzer.engine.rule import Rule, Severity

MAX_NAME = 80


def _scope_of(pointer: str) -> str:
    """The pointer of the scope that holds the state at ``pointer`` (``.../States/<name>``)."""
    return pointer.rsplit("/States/", 1)[0] if "/States/" in pointer else ""


class BadStateName(Rule):
    id = "ASL104"
    name = "bad-state-name"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness",)
    precision = "high"
    doc = """
A state name is empty, longer than 80 characters, contains control characters, or is used twice in the state machine.

## What it finds
State names (the keys of every `States` object, nested scopes included) that are
empty, longer than the service's limit of 80 characters, that contain control
characters (U+0000-U+001F, U+007F-U+009F) such as a stray newline or tab, or that
repeat the name of a state in another scope (a Parallel branch or Map processor and
its parent, or two branches). Names must be unique across the whole definition.

## Why it matters
Step Functions refuses the definition when a state name breaks the naming limits;
validators that only check JSON structure miss it and the failure appears at deploy time.

## Example
```json
{"StartAt": "Validate the incoming order payload against the JSON schema stored in S3 bucket",
 "States": {"Validate the incoming order payload against the JSON schema stored in S3 bucket":
   {"Type": "Succeed"}}}
```

## Fix
```json
{"StartAt": "ValidateOrder", "States": {"ValidateOrder": {"Type": "Succeed"}}}
```
"""

    def check(self, ctx):
        first: dict[str, str] = {}
        for state in ctx.machine.walk_states():
            name = state.name
            if name in first and first[name] != state.pointer:
                # Two states with one name in the same object are ASL102's (duplicate key).
                if state.scope != _scope_of(first[name]):
                    yield self.finding(state.pointer, f"state name {name!r} is already used at {first[name]}; names "
                                       "must be unique in the whole state machine, nested branches and processors "
                                       "included", state=name)
            else:
                first[name] = state.pointer
            if name == "":
                yield self.finding(state.pointer, "a state name must not be empty", state=name)
            elif len(name) > MAX_NAME:
                yield self.finding(state.pointer, f"state name {name[:30]!r}... is {len(name)} characters long; "
                                   f"the limit is {MAX_NAME}", state=name)
            bad = [c for c in name if unicodedata.category(c) == "Cc"]
            if bad:
                yield self.finding(state.pointer, f"state name {name!r} contains the control character "
                                   f"U+{ord(bad[0]):04X}; state names must be printable text", state=name)
