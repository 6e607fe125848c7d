"""ASL100: the file cannot be read as JSON or YAML (reported by the loader)."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity


class UnparsableDocument(Rule):
    id = "ASL100"
    name = "unparsable-document"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "syntax")
    precision = "very-high"
    doc = """
The file is not well-formed JSON or YAML, is empty, or is not valid UTF-8/UTF-16/UTF-32 text.

## What it finds
A syntax error (a missing comma, a trailing comma, an unterminated string, a bad YAML
indent), an empty file, or bytes that are not text in a supported encoding. The finding
points at the line and column where parsing stopped.

## Why it matters
Step Functions refuses the definition outright, and no other check can run on it.

## Example
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true},}}
```

## Fix
```json
{"StartAt": "A", "States": {"A": {"Type": "Pass", "End": true}}}
```
"""

    def check(self, ctx):
        return iter(())  # parse errors are produced while loading, before any rule runs
