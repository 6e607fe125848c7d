"""ASL802: a suppression directive that cannot be used (the findings are produced in engine/suppress.py)."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class MalformedSuppression(Rule):
    id = "ASL802"
    name = "malformed-suppression"
    severity = Severity.WARNING
    category = "meta"
    tags = ("suppression",)
    precision = "very-high"
    doc = """
An `aslcheck:` directive in a `Comment` (or a template Metadata ignore) that is not understood, names an unknown rule, or gives no reason.

## What it finds
Text after `aslcheck:` that is not `ignore[<ids or names>] -- <reason>`, an empty rule
list, a rule id or name that does not exist, or a missing reason after `--`.

## Why it matters
A malformed directive suppresses nothing, though its author believes it does. The reason
is required so that whoever reads the definition later knows why the finding was accepted.

## Example
```json
{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
 "Comment": "aslcheck: ignore[ASL301]", "End": true}
```

## Fix
```json
{"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
 "Comment": "aslcheck: ignore[ASL301] -- the caller retries the whole execution", "End": true}
```
"""

    def check(self, ctx):
        return iter(())
