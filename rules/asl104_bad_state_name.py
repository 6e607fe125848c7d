"""ASL104: a state name the service refuses."""

from __future__ import annotations

import unicodedata

from analyzer.engine.rule import Rule, Severity

MAX_NAME = 80


class BadStateName(Rule):
    id = "ASL104"
    name = "bad-state-name"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness",)
    precision = "high"
    doc = """
A state name is empty, longer than 80 characters, or contains control characters.

## What it finds
State names (the keys of every `States` object, nested scopes included) that are
empty, longer than the service's limit of 80 characters, or that contain control
characters (U+0000-U+001F, U+007F-U+009F) such as a stray newline or tab.

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
        for state in ctx.machine.walk_states():
            name = state.name
            if name == "":
                yield self.finding(state.pointer, "a state name must not be empty", state=name)
            elif len(name) > MAX_NAME:
                yield self.finding(state.pointer, f"state name {name[:30]!r}... is {len(name)} characters long; "
                                   f"the limit is {MAX_NAME}", state=name)
            bad = [c for c in name if unicodedata.category(c) == "Cc"]
            if bad:
                yield self.finding(state.pointer, f"state name {name!r} contains the control character "
                                   f"U+{ord(bad[0]):04X}; state names must be printable text", state=name)
