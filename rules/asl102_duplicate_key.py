"""ASL102: the same key twice in one object."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.load import pointer as jp


class DuplicateKey(Rule):
    id = "ASL102"
    name = "duplicate-key"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness",)
    precision = "very-high"
    doc = """
An object has the same key twice; most parsers silently keep only the last one.

## What it finds
A repeated key in any object of the definition. Two states with the same name are
the classic case: the first state silently disappears.

## Why it matters
JSON parsers disagree on which of the two values wins, and Python's, JavaScript's and
the service's keep the last one without a word, so the state machine that runs is not
the one you read. Step Functions also refuses duplicate state names.

## Example
```json
{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Next": "A"},
  "A": {"Type": "Succeed"}}}
```

## Fix
Give each state (and each key) a unique name:
```json
{"StartAt": "A", "States": {
  "A": {"Type": "Pass", "Next": "B"},
  "B": {"Type": "Succeed"}}}
```
"""

    def check(self, ctx):
        defn = ctx.definition
        for dup in defn.document.duplicates:
            inner = defn.inner_pointer(dup.pointer)
            if inner is None:
                continue
            parts = jp.split(inner)
            state = parts[-1] if len(parts) >= 2 and parts[-2] == "States" else None
            line, col = defn.document.lines.position(dup.first[0])
            what = f"state name {dup.key!r}" if state else f"key {dup.key!r}"
            yield self.finding(
                inner,
                f"duplicate {what}: an earlier definition at line {line}, column {col} "
                "is silently replaced by this one",
                state=state,
            )
