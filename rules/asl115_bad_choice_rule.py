"""ASL115: a Choice rule the service refuses."""

from __future__ import annotations

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.jsonata_syntax import is_expression
from analyzer.lang.placeholders import contains_placeholder
from analyzer.lang.timestamps import is_timestamp, why_not_timestamp
from analyzer.load import pointer as jp
from analyzer.model.build import ALL_OPERATORS, DATA_OPERATORS, LOGIC_OPERATORS

RULE_FIELDS_JSONPATH = frozenset({"Variable", "Next", "Comment", "Assign"})
RULE_FIELDS_JSONATA = frozenset({"Condition", "Next", "Comment", "Assign", "Output"})


def _operand_problem(op: str, value) -> str | None:
    """Why a literal operand has the wrong JSON type for its operator (asl-semantics §4.1, §4.2.9)."""
    if contains_placeholder(value):
        return None
    if op.endswith("Path"):
        return None if isinstance(value, str) else "a path string"
    if op.startswith("Is"):
        return None if isinstance(value, bool) else "true or false"
    if op.startswith("String"):
        return None if isinstance(value, str) else "a string"
    if op.startswith("Numeric"):
        return None if isinstance(value, (int, float)) and not isinstance(value, bool) else "a number"
    if op == "BooleanEquals":
        return None if isinstance(value, bool) else "true or false"
    if op.startswith("Timestamp"):
        if not isinstance(value, str):
            return "an RFC 3339 timestamp string"
        return None if is_timestamp(value) else f"a valid timestamp ({why_not_timestamp(value)})"
    return None


class BadChoiceRule(Rule):
    id = "ASL115"
    name = "bad-choice-rule"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "choice")
    precision = "very-high"
    doc = """
A Choice rule has no comparison or two, a misplaced or missing `Next`, or an operand of the wrong type.

## What it finds
JSONPath rules:
* no comparison operator, or more than one (`StringEquals` and `NumericEquals` together);
* a comparison without `Variable`, or `Variable` on an `And`/`Or`/`Not` rule;
* a top-level rule without `Next`; `Next` inside `And`/`Or`/`Not`; `End` in a rule;
* an operand of the wrong JSON type (`"NumericEquals": "5"`, `"StringEquals": 5`,
  `"IsPresent": "yes"`), an invalid timestamp for `Timestamp...`, an empty `And`/`Or`;
* a field that a rule does not have.
JSONata rules: a missing `Condition` (a `{% %}` expression or a boolean), a top-level
rule without `Next`, or a field that a JSONata rule does not have.

## Why it matters
The service refuses the definition. A literal of the wrong type would make the rule
always false at run time, so the mistake is caught before deployment.

## Example
```json
{"StartAt": "Check", "States": {"Check": {"Type": "Choice", "Choices": [
  {"Variable": "$.count", "NumericEquals": "0", "Next": "Empty"}], "Default": "Empty"},
  "Empty": {"Type": "Succeed"}}}
```

## Fix
```json
{"StartAt": "Check", "States": {"Check": {"Type": "Choice", "Choices": [
  {"Variable": "$.count", "NumericEquals": 0, "Next": "Empty"}], "Default": "Empty"},
  "Empty": {"Type": "Succeed"}}}
```
"""

    def check(self, ctx):
        for state in ctx.machine.walk_states():
            if state.type != "Choice" or not isinstance(state.raw, dict):
                continue
            where = F.describe_state(state)
            for rule in state.choices:
                if not rule.raw:  # not an object: ASL101 reports it
                    continue
                if F.is_jsonata(state, ctx.machine):
                    yield from self._jsonata_rule(rule, where, state.name)
                else:
                    for r in rule.walk():
                        yield from self._jsonpath_rule(r, where, state.name)

    def _jsonata_rule(self, rule, where, name):
        raw = rule.raw
        label = f"{where}: rule {_label(rule.pointer)}"
        if "Condition" not in raw:
            yield self.finding(rule.pointer, f"{label} has no Condition; a JSONata rule needs \"Condition\": "
                               "\"{% <boolean expression> %}\"", state=name)
        else:
            cond = raw["Condition"]
            if not isinstance(cond, bool) and not (isinstance(cond, str) and (is_expression(cond)
                                                                              or contains_placeholder(cond))):
                yield self.finding(jp.join(rule.pointer, "Condition"), f"{label}: Condition must be a {{% %}} "
                                   "expression or a boolean", state=name)
        if "Next" not in raw:
            yield self.finding(rule.pointer, f"{label} has no Next", state=name)
        for key in raw:
            if key not in RULE_FIELDS_JSONATA and key not in ALL_OPERATORS and key != "Variable":
                yield self.finding(jp.join(rule.pointer, key), f"{label} has the field {key!r}, which a JSONata "
                                   "Choice rule does not have", state=name)

    def _jsonpath_rule(self, rule, where, name):
        raw = rule.raw
        if not isinstance(raw, dict):
            return
        label = f"{where}: rule {_label(rule.pointer)}"
        ops = rule.operators
        if not ops:
            if "Condition" not in raw:  # a Condition is ASL109's (JSONata field in a JSONPath state)
                yield self.finding(rule.pointer, f"{label} has no comparison operator (such as StringEquals, "
                                   "NumericGreaterThan, IsPresent, And, Or, Not)", state=name)
        elif len(ops) > 1:
            yield self.finding(jp.join(rule.pointer, ops[1]), f"{label} has {' and '.join(ops)}; a rule holds "
                               "exactly one comparison (combine several with And/Or)", state=name)
        if rule.top_level and "Next" not in raw:
            yield self.finding(rule.pointer, f"{label} has no Next; every top-level Choice rule names the state "
                               "to go to", state=name)
        if not rule.top_level and "Next" in raw:
            yield self.finding(jp.join(rule.pointer, "Next"), f"{label}: Next is only allowed on top-level rules, "
                               "not inside And/Or/Not", state=name)
        if "End" in raw:
            yield self.finding(jp.join(rule.pointer, "End"), f"{label}: a Choice rule cannot End the execution; "
                               "point Next at a Succeed state instead", state=name)
        data_ops = [o for o in ops if o in DATA_OPERATORS]
        logic_ops = [o for o in ops if o in LOGIC_OPERATORS]
        if data_ops and "Variable" not in raw:
            yield self.finding(rule.pointer, f"{label} compares with {data_ops[0]} but has no Variable",
                               state=name)
        if logic_ops and not data_ops and "Variable" in raw:
            yield self.finding(jp.join(rule.pointer, "Variable"), f"{label}: Variable is not allowed on an "
                               f"{logic_ops[0]} rule; put it in the nested rules", state=name)
        for op in data_ops:
            want = _operand_problem(op, raw[op])
            if want:
                yield self.finding(jp.join(rule.pointer, op), f"{label}: {op} needs {want}, not "
                                   f"{_show(raw[op])}", state=name)
        for op in logic_ops:
            v = raw[op]
            if op in ("And", "Or") and (not isinstance(v, list) or not v):
                yield self.finding(jp.join(rule.pointer, op), f"{label}: {op} needs a non-empty array of rules",
                                   state=name)
            elif op in ("And", "Or"):
                for i, item in enumerate(v):
                    if not isinstance(item, dict):
                        yield self.finding(jp.join(rule.pointer, op, i), f"{label}: {op}[{i}] must be a rule "
                                           "object", state=name)
            elif op == "Not" and not isinstance(v, dict):
                yield self.finding(jp.join(rule.pointer, op), f"{label}: Not needs a single rule object",
                                   state=name)
        for key in raw:
            if key not in RULE_FIELDS_JSONPATH and key not in ALL_OPERATORS and key not in ("Condition", "Output",
                                                                                              "End"):
                yield self.finding(jp.join(rule.pointer, key), f"{label} has the field {key!r}, which a Choice "
                                   "rule does not have", state=name)


def _label(pointer: str) -> str:
    parts = jp.split(pointer)
    i = parts.index("Choices") if "Choices" in parts else 0
    out = ""
    for p in parts[i:]:
        out += f"[{p}]" if p.isdigit() else (f".{p}" if out else p)
    return out


def _show(value) -> str:
    import json

    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
