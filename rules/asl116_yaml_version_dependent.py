"""ASL116: a plain YAML scalar whose value depends on the YAML version of the tool that reads it."""

from __future__ import annotations

import json

from analyzer.engine.rule import Rule, Severity
from analyzer.load import pointer as jp

#: Who reads a definition with each version; the loader picks one per file (see
#: analyzer.load.yaml_parser): CloudFormation/SAM templates and the files their DefinitionUri
#: points at as YAML 1.1, bare ASL files and Serverless Framework files as YAML 1.2.
_READERS = {
    "1.1": "YAML 1.1 (CloudFormation, SAM, PyYAML)",
    "1.2": "YAML 1.2 (the AWS Toolkit, Workflow Studio, the Serverless Framework's js-yaml)",
}


def _shown(value) -> str:
    if isinstance(value, str):
        return f"the string {json.dumps(value)}"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if value is None:
        return "null"
    return f"the number {value}"


class YamlVersionDependent(Rule):
    id = "ASL116"
    name = "yaml-version-dependent"
    severity = Severity.WARNING
    category = "validity"
    tags = ("correctness", "portability")
    precision = "very-high"
    doc = """
An unquoted YAML value (or key) means one thing to YAML 1.1 tools and another to YAML 1.2 tools.

## What it finds
A plain scalar in a YAML definition that the two YAML versions read as different values:
`yes`/`no`/`on`/`off`/`y`/`n` (booleans in 1.1, strings in 1.2), `010` (8 in 1.1, 10 in 1.2),
`1_000` and `1:30` (numbers in 1.1, strings in 1.2), `1e3` and `0o17` (strings in 1.1, numbers
in 1.2). The finding says which reading this analysis used and what the other one is.

## Why it matters
The same file is read by different tools on its way to Step Functions. CloudFormation and SAM
read YAML 1.1, so `Next: No` reaches the service as `"Next": false` and the definition is
refused; the Serverless Framework, the AWS Toolkit and Workflow Studio read YAML 1.2 and see the
state name `"No"`. A workflow that works in one pipeline breaks, or silently changes a
number, in another. Bare `.asl.yaml` files are analysed with YAML 1.2; templates with YAML 1.1.

## Example
```yaml
Choices:
  - Variable: $.approved
    BooleanEquals: true
    Next: Yes
Default: No
```

## Fix
Quote the value, so that every YAML version reads the same string (or write the number
the way both agree on):
```yaml
Choices:
  - Variable: $.approved
    BooleanEquals: true
    Next: "Yes"
Default: "No"
```
"""

    def check(self, ctx):
        defn = ctx.definition
        for reading in defn.document.yaml_readings:
            inner = defn.inner_pointer(reading.pointer)
            if inner is None:
                continue
            parts = jp.split(inner)
            names = [parts[i + 1] for i in range(len(parts) - 1) if parts[i] == "States"]
            state = names[-1] if names else None  # the innermost state the scalar belongs to
            used, other = reading.used, "1.2" if reading.used == "1.1" else "1.1"
            here = reading.yaml_11 if used == "1.1" else reading.yaml_12
            there = reading.yaml_12 if used == "1.1" else reading.yaml_11
            what = "key" if reading.is_key else "value"
            yield self.finding(
                inner,
                f"the unquoted {what} {reading.text} is {_shown(here)} as read here, by {_READERS[used]}, "
                f"but {_shown(there)} to {_READERS[other]}; quote it (\"{reading.text}\") so every tool "
                "reads the same definition",
                state=state,
            )
