"""Field tables shared by the validation rules: which fields belong to which query
language, which hold reference paths, and how to walk payload templates.

Kept in one place so that ASL101 (schema), ASL106 (paths), ASL107 (intrinsics), ASL108
(JSONata) and ASL109 (query-language exclusivity) agree on what each field is.
"""

from __future__ import annotations

from typing import Any, Iterator

from analyzer.load import pointer as jp

#: State-level fields that exist only in JSONPath states (asl-semantics §2.1). ``Result`` is
#: among them: the service refuses it on a JSONata state ("field 'Result' is only supported
#: for the 'JSONPath' QueryLanguage", measured with ValidateStateMachineDefinition and
#: recorded in floci-io/floci#2968); a JSONata Pass state gives its result with ``Output``.
JSONPATH_ONLY = (
    "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "ItemsPath", "Result",
    "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath", "TimestampPath",
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
    "ErrorPath", "CausePath",
)
#: State-level fields that exist only in JSONata states.
JSONATA_ONLY = ("Arguments", "Output", "Items")

#: State-level fields whose value must be a reference path (asl-semantics §3.5).
REFERENCE_PATH_FIELDS = (
    "ResultPath", "ItemsPath", "TimeoutSecondsPath", "HeartbeatSecondsPath", "SecondsPath",
    "TimestampPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
)
#: Map number fields given by path. They take reference paths that may not read the context
#: object: the service refuses "$$..." there ("Value is not a Reference Path"; only ItemsPath
#: accepts the context object; measured and recorded in floci-io/floci#3733).
MAP_NUMBER_PATHS = frozenset({
    "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath", "MaxItemsPath",
    "MaxItemsPerBatchPath", "MaxInputBytesPerBatchPath",
})
#: Fields that take a full JSONPath (or null).
FULL_PATH_FIELDS = ("InputPath", "OutputPath")
#: Reference-path fields nested in Map sub-objects: (container key, sub-key, field).
NESTED_REFERENCE_PATHS = (
    ("ItemReader", "ReaderConfig", "MaxItemsPath"),
    ("ItemBatcher", None, "MaxItemsPerBatchPath"),
    ("ItemBatcher", None, "MaxInputBytesPerBatchPath"),
)

#: Payload templates of a JSONPath state, where `.$` keys take paths or intrinsics.
TEMPLATE_FIELDS = ("Parameters", "ResultSelector", "ItemSelector", "Credentials", "Assign")


def template_locations(raw: dict, pointer: str) -> Iterator[tuple[str, Any]]:
    """(pointer, value) of every payload template of one state, Map reader/writer included."""
    for key in TEMPLATE_FIELDS:
        if key in raw:
            yield jp.join(pointer, key), raw[key]
    for holder in ("ItemReader", "ResultWriter"):
        sub = raw.get(holder)
        if isinstance(sub, dict) and "Parameters" in sub:
            yield jp.join(pointer, holder, "Parameters"), sub["Parameters"]
    batcher = raw.get("ItemBatcher")
    if isinstance(batcher, dict) and "BatchInput" in batcher:
        yield jp.join(pointer, "ItemBatcher", "BatchInput"), batcher["BatchInput"]


def dollar_fields(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str, Any]]:
    """Every ``key.$`` entry inside a template: (pointer of the entry, key, value)."""
    if depth > 200:
        return
    if isinstance(value, dict):
        for k, v in value.items():
            ptr = jp.join(pointer, k)
            if isinstance(k, str) and k.endswith(".$"):
                yield ptr, k, v
            else:
                yield from dollar_fields(v, ptr, depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from dollar_fields(v, jp.join(pointer, i), depth + 1)


def strings(value: Any, pointer: str, depth: int = 0) -> Iterator[tuple[str, str]]:
    """Every string anywhere inside a JSON value: (pointer, string)."""
    if depth > 200:
        return
    if isinstance(value, str):
        yield pointer, value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from strings(v, jp.join(pointer, k), depth + 1)
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from strings(v, jp.join(pointer, i), depth + 1)


def all_states(machine) -> Iterator[Any]:
    """Every state object of the typed model, nested scopes included."""
    return machine.walk_states()


def is_jsonata(state, machine) -> bool:
    """Whether a state's effective query language is JSONata, as the service decides it.

    A state's own ``QueryLanguage`` wins; otherwise it is the *state machine's* top-level
    language. States inside a Map's ItemProcessor or a Parallel's branches do not inherit
    the enclosing Map's or Parallel's language (measured against ValidateStateMachineDefinition,
    recorded in floci-io/floci#2968), which is why this does not use the model's inherited
    ``State.query_language``.
    """
    own = state.raw.get("QueryLanguage") if isinstance(state.raw, dict) else None
    if own in ("JSONPath", "JSONata"):
        return own == "JSONata"
    return machine.query_language == "JSONata"


def states_with_raw(machine) -> Iterator[tuple[Any, dict, str]]:
    """(state, its raw object, its description) of every state whose definition is an object:
    the loop most field-checking rules start with."""
    for state in machine.walk_states():
        if isinstance(state.raw, dict):
            yield state, state.raw, describe_state(state)


def jsonpath_sites(ctx) -> list[tuple[Any, str, Any, str, str]]:
    """(state, pointer, value, kind, field) of every path-valued place of every JSONPath state
    of the definition; listed once per definition (ASL106 and ASL107 both walk them)."""
    sites = ctx.cache.get("jsonpath_sites")
    if sites is None:
        machine = ctx.machine
        sites = ctx.cache["jsonpath_sites"] = [
            (state, ptr, value, kind, field)
            for state in machine.walk_states() if not is_jsonata(state, machine)
            for ptr, value, kind, field in path_sites(state)]
    return sites


def describe_state(state) -> str:
    kind = state.type if isinstance(state.type, str) else "state"
    return f"{kind} state {state.name!r}" if isinstance(state.type, str) else f"state {state.name!r}"


# ---- where paths and intrinsics appear in a JSONPath state -----------------------------

FULL = "full"            # InputPath / OutputPath: any JSONPath (or null)
REFERENCE = "reference"  # a reference path ($, $$ or $var root)
RESULT = "result"        # ResultPath: a reference path rooted at $ (or null)
DOLLAR = "dollar"        # the value of a `key.$` entry: a path or an intrinsic call
ERROR_PATH = "error"     # ErrorPath / CausePath: a reference path or a string intrinsic


def path_sites(state) -> Iterator[tuple[str, Any, str, str]]:
    """(pointer, value, kind, field name) of every path-valued place of a JSONPath state."""
    raw = state.raw
    if not isinstance(raw, dict):
        return
    ptr = state.pointer
    for key in FULL_PATH_FIELDS:
        if key in raw:
            yield jp.join(ptr, key), raw[key], FULL, key
    if "ResultPath" in raw:
        yield jp.join(ptr, "ResultPath"), raw["ResultPath"], RESULT, "ResultPath"
    for key in REFERENCE_PATH_FIELDS:
        if key != "ResultPath" and key in raw:
            yield jp.join(ptr, key), raw[key], REFERENCE, key
    for holder, sub, key in NESTED_REFERENCE_PATHS:
        obj = raw.get(holder)
        if sub is not None:
            obj = obj.get(sub) if isinstance(obj, dict) else None
        if isinstance(obj, dict) and key in obj:
            yield jp.join(ptr, holder, *((sub,) if sub else ()), key), obj[key], REFERENCE, key
    for key in ("ErrorPath", "CausePath"):
        if key in raw:
            yield jp.join(ptr, key), raw[key], ERROR_PATH, key
    for i, catcher in enumerate(raw.get("Catch") or () if isinstance(raw.get("Catch"), list) else ()):
        if isinstance(catcher, dict) and "ResultPath" in catcher:
            yield jp.join(ptr, "Catch", i, "ResultPath"), catcher["ResultPath"], RESULT, "Catch ResultPath"
        if isinstance(catcher, dict) and isinstance(catcher.get("Assign"), dict):
            for p, k, v in dollar_fields(catcher["Assign"], jp.join(ptr, "Catch", i, "Assign")):
                yield p, v, DOLLAR, k
    for tptr, template in template_locations(raw, ptr):
        for p, k, v in dollar_fields(template, tptr):
            yield p, v, DOLLAR, k
    for rule in getattr(state, "choices", ()):
        for r in rule.walk():
            rraw = r.raw if isinstance(r.raw, dict) else {}
            if "Variable" in rraw:
                yield jp.join(r.pointer, "Variable"), rraw["Variable"], REFERENCE, "Variable"
            for op in r.operators:
                if op.endswith("Path") and op in rraw:
                    yield jp.join(r.pointer, op), rraw[op], REFERENCE, op
            if isinstance(rraw.get("Assign"), dict):
                for p, k, v in dollar_fields(rraw["Assign"], jp.join(r.pointer, "Assign")):
                    yield p, v, DOLLAR, k
