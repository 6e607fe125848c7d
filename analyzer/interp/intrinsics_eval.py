"""Evaluating the 18 intrinsic functions (asl-semantics §3.6) on the ASTs of :mod:`analyzer.lang.intrinsics`.

Failures are ``States.IntrinsicFailure`` (catchable); a path argument that selects
nothing is the uncatchable ``States.Runtime``, like any other missing path. Randomness
(``States.UUID``, ``States.MathRandom`` without a seed) comes from the execution's
seeded generator so that runs are reproducible.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import math
import random
import uuid
from typing import Any, Callable

from analyzer.interp.jsonpath_eval import compile_path
from analyzer.lang.intrinsics import SLOT, Call, StringLiteral, format_template, parse_intrinsic
from analyzer.lang.jsonpath import Path
from analyzer.lang.placeholders import as_deployed
from analyzer.model.nodes import MISSING

INTRINSIC_FAILURE = "States.IntrinsicFailure"
MAX_ARRAY_RANGE = 1000
MAX_STRING = 10000
_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


class IntrinsicError(Exception):
    """Raised with the error name (``States.IntrinsicFailure`` or ``States.Runtime``) and a cause."""

    def __init__(self, error: str, cause: str) -> None:
        super().__init__(cause)
        self.error = error
        self.cause = cause


def _fail(cause: str) -> IntrinsicError:
    return IntrinsicError(INTRINSIC_FAILURE, cause)


def evaluate_intrinsic(text: str, data: Any, context: Any, variables: Any, rng: random.Random) -> Any:
    try:
        call = parse_intrinsic(as_deployed(text))
    except ValueError as exc:
        raise _fail(f"invalid intrinsic function {text!r}: {exc}") from None
    return _evaluate(call, data, context, variables, rng)


def _evaluate(call: Call, data, context, variables, rng) -> Any:
    args = []
    for arg in call.args:
        if isinstance(arg, Call):
            args.append(_evaluate(arg, data, context, variables, rng))
        elif isinstance(arg, Path):
            value = compile_path(arg.text)(data, context, variables) if arg.text else MISSING
            if value is MISSING:
                raise IntrinsicError("States.Runtime",
                                     f"The JSONPath '{arg.text}' specified in {call.name} could not be found "
                                     f"in the input '{_compact(data)}'")
            args.append(value)
        else:
            args.append(arg)
    impl = _FUNCTIONS.get(call.name)
    if impl is None:
        raise _fail(f"unknown intrinsic function {call.name}")
    return impl(call, args, rng)


def _compact(value: Any) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _is_num(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _int(v: Any, fn: str) -> int:
    """Numbers where an integer is expected are rounded to the nearest integer (half up)."""
    if not _is_num(v):
        raise _fail(f"{fn}: expected an integer, got {_compact(v)}")
    if isinstance(v, float):
        if not math.isfinite(v):
            raise _fail(f"{fn}: expected a finite number")
        return math.floor(v + 0.5)
    return v


def _need(cond: bool, message: str) -> None:
    if not cond:
        raise _fail(message)


def _arity(call: Call, args: list, lo: int, hi: int | None) -> None:
    n = len(args)
    if n < lo or (hi is not None and n > hi):
        raise _fail(f"{call.name} received {n} arguments")


def _render(value: Any) -> str:
    """How States.Format prints a value: strings raw, other scalars as JSON, objects and arrays
    in the ``{k=v, …}`` / ``[a, b]`` form recorded from the service (asl-semantics §3.6)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}={_render(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_render(v) for v in value) + "]"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e16:
        return json.dumps(value)
    return json.dumps(value)


def _format(call, args, rng):
    _arity(call, args, 1, None)
    template = call.args[0]
    raw = template.raw if isinstance(template, StringLiteral) else args[0]
    _need(isinstance(raw, str), "States.Format: the template must be a string")
    try:
        pieces = format_template(raw)
    except ValueError as exc:
        raise _fail(f"States.Format: {exc}") from None
    values = args[1:]
    slots = sum(1 for p in pieces if p is SLOT)
    _need(slots == len(values), f"States.Format: the template has {slots} placeholders but {len(values)} "
                                "arguments were given")
    it = iter(values)
    return "".join(_render(next(it)) if p is SLOT else p for p in pieces)


def _string_to_json(call, args, rng):
    _arity(call, args, 1, 1)
    _need(isinstance(args[0], str), "States.StringToJson: the argument must be a string")
    try:
        return json.loads(args[0])
    except ValueError as exc:
        raise _fail(f"States.StringToJson: the string is not JSON ({exc})") from None


def _json_to_string(call, args, rng):
    _arity(call, args, 1, 1)
    return _compact(args[0])


def _array(call, args, rng):
    return list(args)


def _array_partition(call, args, rng):
    _arity(call, args, 2, 2)
    arr, size = args[0], _int(args[1], call.name)
    _need(isinstance(arr, list), "States.ArrayPartition: the first argument must be an array")
    _need(size > 0, "States.ArrayPartition: the chunk size must be greater than 0")
    return [arr[i:i + size] for i in range(0, len(arr), size)]


def _array_contains(call, args, rng):
    _arity(call, args, 2, 2)
    _need(isinstance(args[0], list), "States.ArrayContains: the first argument must be an array")
    return any(_json_equal(x, args[1]) for x in args[0])


def _json_equal(a: Any, b: Any) -> bool:
    if _is_num(a) and _is_num(b):
        return a == b
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        return len(a) == len(b) and all(_json_equal(x, y) for x, y in zip(a, b))
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_json_equal(a[k], b[k]) for k in a)
    return a == b


def _array_range(call, args, rng):
    _arity(call, args, 3, 3)
    start, end, step = (_int(a, call.name) for a in args)
    _need(step != 0, "States.ArrayRange: the step must not be 0")
    count = max(0, (end - start) // step + 1)
    _need(count <= MAX_ARRAY_RANGE, f"States.ArrayRange: {count} items exceed the limit of {MAX_ARRAY_RANGE}")
    return list(range(start, end + (1 if step > 0 else -1), step))


def _array_get_item(call, args, rng):
    _arity(call, args, 2, 2)
    arr, i = args[0], _int(args[1], call.name)
    _need(isinstance(arr, list), "States.ArrayGetItem: the first argument must be an array")
    _need(0 <= i < len(arr), f"States.ArrayGetItem: index {i} is out of bounds for an array of {len(arr)}")
    return arr[i]


def _array_length(call, args, rng):
    _arity(call, args, 1, 1)
    _need(isinstance(args[0], list), "States.ArrayLength: the argument must be an array")
    return len(args[0])


def _array_unique(call, args, rng):
    _arity(call, args, 1, 1)
    _need(isinstance(args[0], list), "States.ArrayUnique: the argument must be an array")
    out: list = []
    for x in args[0]:
        if not any(_json_equal(x, y) for y in out):
            out.append(x)
    return out


def _string_arg(call, args, n=1) -> str:
    _arity(call, args, n, n)
    s = args[0]
    _need(isinstance(s, str), f"{call.name}: the input must be a string")
    _need(len(s) <= MAX_STRING, f"{call.name}: the input exceeds {MAX_STRING} characters")
    return s


def _base64_encode(call, args, rng):
    return base64.b64encode(_string_arg(call, args).encode("utf-8")).decode("ascii")


def _base64_decode(call, args, rng):
    s = _string_arg(call, args)
    try:
        return base64.b64decode(s.encode("ascii"), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeError, ValueError) as exc:
        raise _fail(f"States.Base64Decode: not valid base64 ({exc})") from None


def _hash(call, args, rng):
    s = _string_arg(call, args, 2)
    alg = args[1]
    _need(alg in _HASHES, f"States.Hash: unsupported algorithm {alg!r}")
    return hashlib.new(_HASHES[alg], s.encode("utf-8")).hexdigest()


def _json_merge(call, args, rng):
    _arity(call, args, 3, 3)
    a, b, deep = args
    _need(isinstance(a, dict) and isinstance(b, dict), "States.JsonMerge: both inputs must be objects")
    _need(deep is False, "States.JsonMerge: only shallow merges (false) are supported")
    merged = dict(a)
    merged.update(b)
    return merged


def _math_random(call, args, rng):
    _arity(call, args, 2, 3)
    start, end = _int(args[0], call.name), _int(args[1], call.name)
    _need(start < end, "States.MathRandom: the start must be less than the end")
    source = random.Random(_int(args[2], call.name)) if len(args) == 3 else rng
    return source.randrange(start, end)  # end exclusive, as documented


def _math_add(call, args, rng):
    _arity(call, args, 2, 2)
    a, b = _int(args[0], call.name), _int(args[1], call.name)
    for x in (a, b):
        _need(-(2 ** 31) <= x <= 2 ** 31 - 1, "States.MathAdd: arguments must be 32-bit integers")
    return a + b


def _string_split(call, args, rng):
    _arity(call, args, 2, 2)
    s, delims = args
    _need(isinstance(s, str) and isinstance(delims, str), "States.StringSplit: both arguments must be strings")
    if not delims:
        return [s] if s else []
    parts = [s]
    for d in delims:
        parts = [piece for p in parts for piece in p.split(d)]
    return [p for p in parts if p]


def _uuid(call, args, rng):
    _arity(call, args, 0, 0)
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


_FUNCTIONS: dict[str, Callable] = {
    "States.Format": _format,
    "States.StringToJson": _string_to_json,
    "States.JsonToString": _json_to_string,
    "States.Array": _array,
    "States.ArrayPartition": _array_partition,
    "States.ArrayContains": _array_contains,
    "States.ArrayRange": _array_range,
    "States.ArrayGetItem": _array_get_item,
    "States.ArrayLength": _array_length,
    "States.ArrayUnique": _array_unique,
    "States.Base64Encode": _base64_encode,
    "States.Base64Decode": _base64_decode,
    "States.Hash": _hash,
    "States.JsonMerge": _json_merge,
    "States.MathRandom": _math_random,
    "States.MathAdd": _math_add,
    "States.StringSplit": _string_split,
    "States.UUID": _uuid,
}
