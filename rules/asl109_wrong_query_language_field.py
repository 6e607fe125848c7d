"""ASL109: a field of the other query language (JSONPath fields in a JSONata state, or the reverse)."""

from __future__ import annotations

import re
from dataclasses import replace

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.jsonata_syntax import is_expression
from analyzer.load import pointer as jp
from analyzer.model.build import ALL_OPERATORS
from analyzer.model.nodes import JSONATA, JSONPATH

#: Fields whose value is a number in JSONPath states, where JSONata allows an expression.
NUMBER_FIELDS = ("TimeoutSeconds", "HeartbeatSeconds", "Seconds", "MaxConcurrency",
                 "ToleratedFailurePercentage", "ToleratedFailureCount")
JSONATA_TEMPLATES = ("Arguments", "Output", "Assign", "ItemSelector", "Items")


_INTRINSIC_CALL = re.compile(r"(?<![\w$.])(States\.[A-Z][A-Za-z0-9]*)\s*\(")
_JSONATA_STRING = re.compile(r"\"(?:[^\"\\]|\\.)*\"|'(?:[^'\\]|\\.)*'")


def _intrinsic_in_expression(text: str) -> str | None:
    """The name of a ``States.*`` call inside a ``{% %}`` expression (string literals ignored)."""
    if not is_expression(text) or "States." not in text:
        return None
    m = _INTRINSIC_CALL.search(_JSONATA_STRING.sub("''", text))
    return m.group(1) if m else None


class WrongQueryLanguageField(Rule):
    id = "ASL109"
    name = "wrong-query-language-field"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "jsonata")
    precision = "very-high"
    doc = """
A state uses a field of the other query language.

## What it finds
The effective query language of each state (its own `QueryLanguage`, else its scope's,
else the top level's; JSONPath by default) decides which fields it may use:
* JSONata states may not use `InputPath`, `Parameters`, `ResultSelector`, `ResultPath`,
  `OutputPath`, `Result`, `ItemsPath`, the `...Path` fields, Choice `Variable`/comparison
  operators, Catch `ResultPath`, or `States.*` intrinsic function calls inside `{% %}`
  (intrinsic functions do not exist in JSONata).
* JSONPath states may not use `Arguments`, `Output`, `Items`, Choice `Condition`, Catch
  `Output`, or `{% %}` expressions in number fields such as `TimeoutSeconds`.
* A state may not set `QueryLanguage: JSONPath` when the top level is JSONata (inside a
  JSONPath machine, JSONata and JSONPath states can be mixed, nested scopes included).

The effective language is the state's own `QueryLanguage`, else the state machine's
top-level one: states inside a Map's `ItemProcessor` or a Parallel's branches do not take
the language of the Map or Parallel around them.

Keys ending in `.$` inside a JSONata state's `Arguments`/`Output`/`Assign` are reported
as a warning: the service accepts them but treats them as ordinary keys, so the path in
the value is never evaluated.

## Why it matters
The service refuses the definition. Mixing the families is the most common mistake
when migrating a workflow to JSONata one state at a time.

## Example
```json
{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
  "ResultPath": "$.saved", "End": true}}}
```

## Fix
```json
{"QueryLanguage": "JSONata", "StartAt": "A", "States": {"A": {"Type": "Pass",
  "Output": "{% $merge([$states.input, {'saved': $states.result}]) %}", "End": true}}}
```
"""

    def check(self, ctx):
        top = ctx.machine.query_language
        for state, raw, where in F.states_with_raw(ctx.machine):
            if raw.get("QueryLanguage") == JSONPATH and top == JSONATA:
                # The service reports only this for the state, not the fields of either language.
                yield self.finding(state.field_pointer("QueryLanguage"),
                                   f"{where} sets QueryLanguage JSONPath, but the state machine's top-level "
                                   "QueryLanguage is JSONata; only a JSONPath state machine can contain states of "
                                   "both languages", state=state.name)
                continue
            jsonata = F.is_jsonata(state, ctx.machine)
            if jsonata != state.is_jsonata:  # nested: the enclosing Map/Parallel's language does not carry over
                where += (" (inside a Map or Parallel a state takes the state machine's QueryLanguage unless it "
                          "sets its own)")
            if jsonata:
                yield from self._jsonata_state(state, where)
            else:
                yield from self._jsonpath_state(state, where)

    def _jsonata_state(self, state, where):
        raw = state.raw
        from analyzer.rules.asl108_bad_jsonata import jsonata_strings

        for ptr, field, text in jsonata_strings(state):
            call = _intrinsic_in_expression(text)
            if call:
                yield self.finding(ptr, f"{where}: {field} calls the intrinsic function {call} inside a JSONata "
                                   "expression; intrinsic functions exist only in JSONPath states (use JSONata "
                                   "functions such as $string, $join, $uuid())", state=state.name)
        hint = {"InputPath": "use $states.input in expressions", "OutputPath": "use Output",
                "Parameters": "use Arguments" if state.type != "Map" else "use ItemSelector",
                "ResultSelector": "use Output", "ResultPath": "use Output (and Assign)",
                "ItemsPath": "use Items", "Result": "give the value in Output"}
        for key in F.JSONPATH_ONLY:
            if key in raw:
                tip = hint.get(key, f"use {key[:-4]} with a {{% %}} expression")
                yield self.finding(state.field_pointer(key), f"{where} uses the JSONata query language, where "
                                   f"{key} does not exist; {tip}", state=state.name)
        for holder in ("ItemReader", "ResultWriter"):
            sub = raw.get(holder)
            if isinstance(sub, dict) and "Parameters" in sub:
                yield self.finding(state.field_pointer(holder, "Parameters"), f"{where}: {holder}.Parameters is "
                                   "JSONPath-only; JSONata states use Arguments", state=state.name)
        for ptr, key in self._nested_paths(raw, state):
            yield self.finding(ptr, f"{where}: {key} is JSONPath-only; give the value (or a {{% %}} expression) "
                               f"in {key[:-4]}", state=state.name)
        for key in JSONATA_TEMPLATES + ("Credentials",):
            if key in raw:
                for ptr, k, _ in F.dollar_fields(raw[key], state.field_pointer(key)):
                    # The service keeps such a key literally (AWS-recorded LocalStack fixture
                    # outputdecl/base_literals), so this is a warning, not a refusal.
                    yield replace(self.finding(ptr, f"{where}: the key {k!r} ends in '.$', which is JSONPath syntax; a "
                                       f"JSONata state keeps it as a literal key named {k!r} and does not evaluate "
                                       f"its value; write {k[:-2]!r} with a {{% %}} expression",
                                       state=state.name), severity=Severity.WARNING)
        for i, c in enumerate(raw.get("Catch") if isinstance(raw.get("Catch"), list) else ()):
            if isinstance(c, dict) and "ResultPath" in c:
                yield self.finding(jp.join(state.pointer, "Catch", i, "ResultPath"),
                                   f"{where}: Catch ResultPath is JSONPath-only; use Output in a JSONata state",
                                   state=state.name)
        for rule in getattr(state, "choices", ()):
            rraw = rule.raw if isinstance(rule.raw, dict) else {}
            for key in ["Variable", *(k for k in rraw if k in ALL_OPERATORS)]:
                if key in rraw:
                    yield self.finding(jp.join(rule.pointer, key), f"{where}: a JSONata Choice rule has no {key}; "
                                       "write the test as a Condition with a {% %} expression", state=state.name)

    def _jsonpath_state(self, state, where):
        raw = state.raw
        for key in F.JSONATA_ONLY:
            if key in raw:
                yield self.finding(state.field_pointer(key), f"{where} uses the JSONPath query language, where {key} "
                                   "does not exist; set \"QueryLanguage\": \"JSONata\" on the state or use the "
                                   "JSONPath fields", state=state.name)
        for holder in ("ItemReader", "ResultWriter"):
            sub = raw.get(holder)
            if isinstance(sub, dict) and "Arguments" in sub:
                yield self.finding(state.field_pointer(holder, "Arguments"), f"{where}: {holder}.Arguments is "
                                   "JSONata-only; JSONPath states use Parameters", state=state.name)
        for key in NUMBER_FIELDS:
            if is_expression(raw.get(key)):
                yield self.finding(state.field_pointer(key), f"{where}: {key} holds a {{% %}} JSONata expression, "
                                   "but the state uses JSONPath; set \"QueryLanguage\": \"JSONata\" or use "
                                   f"{key}Path", state=state.name)
        for i, c in enumerate(raw.get("Catch") if isinstance(raw.get("Catch"), list) else ()):
            if isinstance(c, dict) and "Output" in c:
                yield self.finding(jp.join(state.pointer, "Catch", i, "Output"),
                                   f"{where}: Catch Output is JSONata-only; use ResultPath in a JSONPath state",
                                   state=state.name)
        for rule in getattr(state, "choices", ()):
            rraw = rule.raw if isinstance(rule.raw, dict) else {}
            for key in ("Condition", "Output"):
                if key in rraw:
                    yield self.finding(jp.join(rule.pointer, key), f"{where}: Choice rule {key} is JSONata-only; "
                                       "a JSONPath rule uses Variable and a comparison operator", state=state.name)

    @staticmethod
    def _nested_paths(raw, state):
        for holder, sub, key in F.NESTED_REFERENCE_PATHS:
            obj = raw.get(holder)
            if sub is not None:
                obj = obj.get(sub) if isinstance(obj, dict) else None
            if isinstance(obj, dict) and key in obj:
                yield state.field_pointer(holder, *((sub,) if sub else ()), key), key
