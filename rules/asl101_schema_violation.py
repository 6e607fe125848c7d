"""ASL101: the definition does not have the structure the service accepts."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any, Iterator

from analyzer.engine.rule import Rule, Severity
from analyzer.lang import asl_fields as F
from analyzer.lang.placeholders import contains_placeholder
from analyzer.load import pointer as jp
from analyzer.model.nodes import STATE_TYPES

#: Pairs of fields of which a state may have only one (the static and the dynamic form).
#: Task timeouts and Wait durations have rules of their own (ASL114, ASL113).
EXCLUSIVE: dict[str, tuple[tuple[str, str], ...]] = {
    "Fail": (("Error", "ErrorPath"), ("Cause", "CausePath")),
    "Map": (("ItemProcessor", "Iterator"), ("ItemSelector", "Parameters"),
            ("MaxConcurrency", "MaxConcurrencyPath"),
            ("ToleratedFailureCount", "ToleratedFailureCountPath"),
            ("ToleratedFailurePercentage", "ToleratedFailurePercentagePath")),
}
NESTED_EXCLUSIVE = (
    (("ItemReader", "ReaderConfig"), ("MaxItems", "MaxItemsPath")),
    (("ItemBatcher",), ("MaxItemsPerBatch", "MaxItemsPerBatchPath")),
    (("ItemBatcher",), ("MaxInputBytesPerBatch", "MaxInputBytesPerBatchPath")),
)
TEMPLATE_KEYS = ("Parameters", "ResultSelector", "ItemSelector", "Credentials", "Assign")

_JSON_TYPES = {dict: "an object", list: "an array", str: "a string", bool: "a boolean", type(None): "null",
               int: "an integer", float: "a number"}


@lru_cache(maxsize=1)
def schema() -> dict:
    """The shipped JSON Schema (analyzer/data/asl-schema.json)."""
    text = resources.files("analyzer.data").joinpath("asl-schema.json").read_text(encoding="utf-8")
    return json.loads(text)


@lru_cache(maxsize=None)
def validator(definition: str | None = None):
    """A compiled jsonschema validator for the root (``None``) or one ``$defs`` entry, built once."""
    from jsonschema import Draft202012Validator

    full = schema()
    if definition is None:
        return Draft202012Validator(full)
    return Draft202012Validator({"$defs": full["$defs"], "$ref": f"#/$defs/{definition}"})


# ---- a fast yes/no pre-check ------------------------------------------------------------
# jsonschema is the authority on every error it reports, but building its error objects
# for thousands of valid states costs more than the rest of validation together. This
# interpreter answers only "valid or not" for the keywords the shipped schema uses, and
# jsonschema runs only on what it rejects. tests/test_validation_corpus.py checks that the
# two agree on every state of the corpus and of the fixtures.

_PY_TYPES = {
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": lambda v: isinstance(v, (int, float)) and not isinstance(v, bool),
}
@lru_cache(maxsize=None)
def _pattern(text: str):
    import re

    return re.compile(text)


SUPPORTED_KEYWORDS = frozenset({"type", "enum", "required", "properties", "additionalProperties", "items", "minItems",
                        "minProperties", "minimum", "maximum", "pattern", "maxLength", "$ref", "x-expected",
                        "description", "title", "$schema", "$id", "$defs"})


def quick_valid(sch: dict, value: Any, defs: dict) -> bool:
    """Whether ``value`` satisfies ``sch`` (the keyword subset of the shipped schema)."""
    if "$ref" in sch:
        if not quick_valid(defs[sch["$ref"].rsplit("/", 1)[-1]], value, defs):
            return False
    t = sch.get("type")
    if t is not None:
        types = t if isinstance(t, list) else [t]
        if not any(_PY_TYPES[x](value) for x in types):
            return False
    if "enum" in sch and not any(value == e and type(value) is type(e) for e in sch["enum"]):
        return False
    if isinstance(value, dict):
        if any(r not in value for r in sch.get("required", ())):
            return False
        if len(value) < sch.get("minProperties", 0):
            return False
        props = sch.get("properties", {})
        extra = sch.get("additionalProperties", True)
        for k, v in value.items():
            sub = props.get(k)
            if sub is not None:
                if not quick_valid(sub, v, defs):
                    return False
            elif extra is False:
                return False
            elif isinstance(extra, dict) and not quick_valid(extra, v, defs):
                return False
    elif isinstance(value, list):
        if len(value) < sch.get("minItems", 0):
            return False
        items = sch.get("items")
        if items is not None and not all(quick_valid(items, v, defs) for v in value):
            return False
    elif isinstance(value, str):
        if "pattern" in sch and not _pattern(sch["pattern"]).search(value):
            return False
        if "maxLength" in sch and len(value) > sch["maxLength"]:
            return False
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if "minimum" in sch and value < sch["minimum"]:
            return False
        if "maximum" in sch and value > sch["maximum"]:
            return False
    return True


def _type_word(value: Any) -> str:
    return _JSON_TYPES.get(type(value), type(value).__name__)


def _field_path(parts) -> str:
    out = ""
    for p in parts:
        out += f"[{p}]" if isinstance(p, int) else (f".{p}" if out else str(p))
    return out


class SchemaViolation(Rule):
    id = "ASL101"
    name = "schema-violation"
    severity = Severity.ERROR
    category = "validity"
    tags = ("correctness", "schema")
    precision = "very-high"
    doc = """
A required field is missing, a field has the wrong type or an out-of-range value, or a field is not allowed where it is.

## What it finds
Structural problems checked against the JSON Schema shipped with aslcheck
(`analyzer/data/asl-schema.json`), for the top level, every state type, Parallel
branches, Map processors, retriers, catchers, `ItemReader`, `ItemBatcher`,
`ResultWriter` and `Credentials`, in both query languages. Also: two fields of which
only one may be given (`Error` and `ErrorPath`, `ItemProcessor` and `Iterator`,
`MaxItems` and `MaxItemsPath`, ...), a Map without an `ItemProcessor`, and a payload
template that has both `key` and `key.$` (both would produce the field `key`).
A value containing a `${Name}` deploy-time placeholder is never reported.

## Why it matters
The service checks the same structure when the state machine is created or updated
and refuses the whole definition (`SCHEMA_VALIDATION_FAILED`). Unknown fields are
refused too, so a typo such as `Resul tPath` or `bugInputPath` is an error, not a no-op.

## Example
```json
{"StartAt": "Fetch", "States": {
  "Fetch": {"Type": "Task", "Resourse": "arn:aws:states:::lambda:invoke", "End": true}}}
```

## Fix
```json
{"StartAt": "Fetch", "States": {
  "Fetch": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke", "End": true}}}
```
"""

    def check(self, ctx):
        self._definition = ctx.definition  # for the YAML boolean hint of type errors
        value = ctx.definition.value
        if not isinstance(value, dict):
            yield self.finding("", f"the state machine definition must be a JSON object, not {_type_word(value)}")
            return
        yield from self._validate(validator(None), value, "", "the state machine", None)
        for state in ctx.machine.walk_states():
            if isinstance(state.raw, dict) and state.raw:
                yield from self._state(state.name, state.raw, state.pointer, F.is_jsonata(state, ctx.machine))

    # -- one state ----------------------------------------------------------------------
    def _state(self, name: str, raw: dict, ptr: str, jsonata: bool) -> Iterator:
        stype = raw.get("Type")
        if "Type" not in raw:
            yield self.finding(ptr, f"state {name!r} has no Type; expected one of " + ", ".join(STATE_TYPES),
                               state=name)
            return
        if stype not in STATE_TYPES:
            shown = repr(stype) if isinstance(stype, str) else _type_word(stype)
            yield self.finding(jp.join(ptr, "Type"), f"state {name!r} has Type {shown}; expected one of "
                               + ", ".join(STATE_TYPES), state=name)
            return
        where = f"{stype} state {name!r}"
        yield from self._validate(validator(stype), raw, ptr, where, name)
        for a, b in EXCLUSIVE.get(stype, ()):
            if a in raw and b in raw:
                yield self.finding(jp.join(ptr, b), f"{where} has both {a} and {b}; give only one of them",
                                   state=name)
        if stype == "Map":
            if "ItemProcessor" not in raw and "Iterator" not in raw:
                yield self.finding(ptr, f"{where} has no ItemProcessor: a Map state needs one (or the legacy "
                                   "Iterator) describing the states run for each item", state=name)
            for path, (a, b) in NESTED_EXCLUSIVE:
                holder: Any = raw
                for key in path:
                    holder = holder.get(key) if isinstance(holder, dict) else None
                if isinstance(holder, dict) and a in holder and b in holder:
                    yield self.finding(jp.join(ptr, *path, b), f"{where}: {'.'.join(path)} has both {a} and {b}; "
                                       "give only one of them", state=name)
        for key in () if jsonata else TEMPLATE_KEYS:  # `.$` is not special in JSONata states
            if key in raw:
                yield from self._template_conflicts(raw[key], jp.join(ptr, key), where, key, name)

    def _template_conflicts(self, value: Any, ptr: str, where: str, field: str, name: str, depth: int = 0):
        if depth > 100:
            return
        if isinstance(value, dict):
            for k in value:
                if isinstance(k, str) and k.endswith(".$") and k[:-2] in value:
                    yield self.finding(jp.join(ptr, k), f"{where}: {field} has both {k[:-2]!r} and {k!r}, which "
                                       f"both produce the field {k[:-2]!r}; keep one", state=name)
            for k, v in value.items():
                yield from self._template_conflicts(v, jp.join(ptr, k), where, field, name, depth + 1)
        elif isinstance(value, list):
            for i, v in enumerate(value):
                yield from self._template_conflicts(v, jp.join(ptr, i), where, field, name, depth + 1)

    # -- jsonschema errors -> findings ---------------------------------------------------
    def _validate(self, v, instance: Any, ptr: str, where: str, state: str | None) -> Iterator:
        full = schema()
        if quick_valid(v.schema, instance, full["$defs"]):
            return
        for error in sorted(v.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
            yield from self._translate(error, ptr, where, state)

    def _translate(self, error, ptr: str, where: str, state: str | None) -> Iterator:
        path = list(error.absolute_path)
        at = jp.join(ptr, *path)
        field = _field_path(path)
        subject = f"{where}: {field}" if field else where
        kind = error.validator
        inst = error.instance
        expected = error.schema.get("x-expected") if isinstance(error.schema, dict) else None
        if kind not in ("required", "additionalProperties") and contains_placeholder(inst):
            return
        if kind == "required":
            missing = [r for r in error.validator_value if isinstance(inst, dict) and r not in inst]
            for r in missing:
                yield self.finding(at, f"{subject} is missing the required field {r}", state=state)
            return
        if kind == "additionalProperties":
            allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, dict) else set()
            for key in inst:
                if key not in allowed:
                    yield self.finding(jp.join(at, key), self._unknown(key, allowed, subject), state=state)
            return
        if kind == "type":
            want = expected or " or ".join(_type_name(t) for t in _as_list(error.validator_value))
            msg = f"{subject} must be {want}, not {_type_word(inst)}"
            msg += _yaml_boolean_hint(self._definition, at, inst)
        elif kind == "enum":
            msg = f"{subject} must be one of " + ", ".join(json.dumps(x) for x in error.validator_value) + \
                  f", not {json.dumps(inst)}"
        elif kind == "minimum":
            msg = f"{subject} must be at least {error.validator_value}, not {inst}"
        elif kind == "maximum":
            msg = f"{subject} must be at most {error.validator_value}, not {inst}"
        elif kind in ("minItems", "minProperties"):
            msg = f"{subject} must not be empty" if error.validator_value == 1 else \
                f"{subject} needs at least {error.validator_value} entries"
        elif kind == "maxLength":
            msg = f"{subject} must be at most {error.validator_value} characters long, not {len(inst)}"
        elif kind == "pattern":
            msg = f"{subject} must be {expected or 'a matching string'}, not the string {inst!r}"
        else:
            msg = f"{subject}: {error.message}"
        yield self.finding(at, msg, state=state)

    @staticmethod
    def _unknown(key: str, allowed: set, subject: str) -> str:
        import difflib

        close = difflib.get_close_matches(key, sorted(allowed), n=1, cutoff=0.75)
        hint = f"; did you mean {close[0]}?" if close else ""
        return f"{subject} has the field {key!r}, which is not allowed here{hint}"


def _yaml_boolean_hint(definition, pointer: str, value: Any) -> str:
    """YAML 1.1 (CloudFormation, SAM) reads an unquoted yes/no/on/off as a boolean: say so
    when that is what turned a state name into ``true``/``false``."""
    document = getattr(definition, "document", None)
    if not isinstance(value, bool) or getattr(document, "format", None) != "yaml":
        return ""
    offsets = document.value_offsets.get(definition.source_pointer + pointer)
    written = document.text[offsets[0]:offsets[1]].strip() if offsets else ""
    if not written or written.lower() in ("true", "false"):
        return ""
    return (f" (YAML 1.1, which CloudFormation and SAM use, reads an unquoted {written} as "
            f"{str(value).lower()}: quote it, \"{written}\")")


def _as_list(v) -> list:
    return v if isinstance(v, list) else [v]


def _type_name(t: str) -> str:
    return {"object": "an object", "array": "an array", "string": "a string", "integer": "an integer",
            "number": "a number", "boolean": "a boolean", "null": "null"}.get(t, t)
