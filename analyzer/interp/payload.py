"""JSONPath payload templates (``Parameters``, ``ResultSelector``, ``ItemSelector``, JP ``Assign``).

A key ending in ``.$`` takes a string that is a path (``$...``, ``$$...``, ``$var``) or an
intrinsic function call; the output key drops the ``.$``. Every other value is copied as
written, recursing into objects and arrays (asl-semantics §3.1). A path that selects
nothing is the uncatchable ``States.Runtime``, with the cause worded as the service words it.
"""

from __future__ import annotations

import json
import random
from typing import Any

from analyzer.interp.failures import StatesError
from analyzer.interp.intrinsics_eval import IntrinsicError, evaluate_intrinsic
from analyzer.interp.jsonpath_eval import PathEvaluationError, compile_path
from analyzer.model.nodes import MISSING


def compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def evaluate_expression(text: Any, field: str, data: Any, context: Any, variables: Any,
                        rng: random.Random) -> Any:
    """The value of one ``.$`` entry (``field`` is its key, used in error causes)."""
    if not isinstance(text, str):
        raise StatesError("States.Runtime", f"The value of the field '{field}' must be a path or an intrinsic "
                                            f"function, not {compact(text)}")
    if text.startswith("$"):
        try:
            value = compile_path(text)(data, context, variables)
        except PathEvaluationError as exc:
            raise StatesError("States.Runtime", str(exc)) from None
        if value is MISSING:
            if text.startswith("$$"):
                raise StatesError("States.Runtime", f"The JSONPath '{text}' specified for the field '{field}' could "
                                                    "not be found in the context object")
            if not (text == "$" or text.startswith("$.") or text.startswith("$[")):
                raise StatesError("States.Runtime", f"The variable or path '{text}' specified for the field "
                                                    f"'{field}' could not be found")
            raise StatesError("States.Runtime", f"The JSONPath '{text}' specified for the field '{field}' could "
                                                f"not be found in the input '{compact(data)}'")
        return value
    try:
        return evaluate_intrinsic(text, data, context, variables, rng)
    except IntrinsicError as exc:
        raise StatesError(exc.error, exc.cause) from None


def evaluate_template(template: Any, data: Any, context: Any, variables: Any, rng: random.Random) -> Any:
    if isinstance(template, dict):
        out = {}
        for key, value in template.items():
            if isinstance(key, str) and key.endswith(".$"):
                out[key[:-2]] = evaluate_expression(value, key, data, context, variables, rng)
            else:
                out[key] = evaluate_template(value, data, context, variables, rng)
        return out
    if isinstance(template, list):
        return [evaluate_template(v, data, context, variables, rng) for v in template]
    return template


def assign_values(assign: Any, data: Any, context: Any, variables: Any, rng: random.Random) -> dict:
    """The new variable values of a JSONPath ``Assign`` block (not yet visible to anyone)."""
    if not isinstance(assign, dict):
        raise StatesError("States.Runtime", "Assign must be an object")
    out = {}
    for key, value in assign.items():
        if key.endswith(".$"):
            out[key[:-2]] = evaluate_expression(value, key, data, context, variables, rng)
        else:
            out[key] = evaluate_template(value, data, context, variables, rng)
    return out
