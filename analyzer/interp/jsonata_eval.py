"""JSONata evaluation for JSONata-mode states (asl-semantics §3.3), via the ``jsonata`` package.

* An expression is a whole string ``"{% ... %}"``; strings without the delimiters are
  literals, and expressions may sit at any depth in objects and arrays.
* ``$states`` holds ``input``, ``context``, ``result`` and ``errorOutput``; workflow
  variables are bound by name.
* Step Functions adds ``$partition``, ``$range``, ``$hash``, ``$random``, ``$uuid`` and
  ``$parse``; ``$eval`` is not available. ``$now()`` and ``$millis()`` read the execution's
  virtual clock (see :func:`use_clock`).
* Any evaluation failure, and a field whose expression yields *undefined*, is
  ``States.QueryEvaluationError``.

Each expression is compiled once per text (compiling is far slower than evaluating).
"""

from __future__ import annotations

import hashlib
import json
import math
import random
import uuid
from functools import lru_cache
from typing import Any, Callable

from analyzer.interp.failures import StatesError

QUERY_ERROR = "States.QueryEvaluationError"


class _Undefined:
    __slots__ = ()

    def __repr__(self) -> str:
        return "UNDEFINED"


#: What an expression that yields nothing evaluates to (distinct from JSON null, which is None).
UNDEFINED: Any = _Undefined()
_HASHES = {"MD5": "md5", "SHA-1": "sha1", "SHA-256": "sha256", "SHA-384": "sha384", "SHA-512": "sha512"}


def is_expression(value: Any) -> bool:
    return isinstance(value, str) and len(value) >= 4 and value.startswith("{%") and value.endswith("%}")


class _Extras:
    """The Step Functions functions, bound to one execution's random generator."""

    def __init__(self) -> None:
        self.rng: random.Random = random.Random(0)
        self.clock: Callable[[], int] = _start_of_clock

    def now(self, picture=None, timezone=None):
        from jsonata.functions import Functions

        return Functions.datetime_from_millis(self.clock(), picture, timezone)

    def millis(self):
        return self.clock()

    def partition(self, array, size):
        if not isinstance(array, list) or not _is_int(size) or size <= 0:
            raise _Failure("$partition expects an array and a positive integer size")
        size = int(size)
        return [array[i:i + size] for i in range(0, len(array), size)]

    def range_(self, start, end, step=None):
        step = 1 if step is None else step
        if not (_is_int(start) and _is_int(end) and _is_int(step)) or step == 0:
            raise _Failure("$range expects integers and a non-zero step")
        start, end, step = int(start), int(end), int(step)
        return list(range(start, end + (1 if step > 0 else -1), step))

    def hash_(self, text, alg=None):
        alg = "SHA-256" if alg is None else alg
        if not isinstance(text, str) or alg not in _HASHES:
            raise _Failure("$hash expects a string and one of " + ", ".join(_HASHES))
        return hashlib.new(_HASHES[alg], text.encode("utf-8")).hexdigest()

    def random_(self, seed=None):
        if seed is not None:
            return random.Random(seed).random()
        return self.rng.random()

    def uuid_(self):
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def parse(self, text):
        if not isinstance(text, str):
            raise _Failure("$parse expects a string")
        try:
            return json.loads(text)
        except ValueError as exc:
            raise _Failure(f"$parse: the string is not JSON ({exc})") from None


class _Failure(Exception):
    pass


def _start_of_clock() -> int:
    from analyzer.interp.clock import DEFAULT_START

    return int(DEFAULT_START.timestamp() * 1000)


def use_clock(millis: Callable[[], int] | None) -> None:
    """Make ``$now()`` and ``$millis()`` read ``millis`` (the execution's virtual clock, in
    milliseconds since the epoch) instead of the wall clock, so that a run, and a test case
    that pins its output, gives the same answer every time. ``None`` restores the default,
    the virtual clock's default start."""
    _EXTRAS.clock = millis or _start_of_clock


def _is_int(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v) and float(v).is_integer()


_EXTRAS = _Extras()


@lru_cache(maxsize=4096)
def _compile(body: str):
    import jsonata

    expr = jsonata.Jsonata(body)
    expr.set_output_convert_nulls(False)
    expr.register_lambda("partition", _EXTRAS.partition)
    expr.register_lambda("range", _EXTRAS.range_)
    expr.register_lambda("hash", _EXTRAS.hash_)
    expr.register_lambda("random", _EXTRAS.random_)
    expr.register_lambda("uuid", _EXTRAS.uuid_)
    expr.register_lambda("parse", _EXTRAS.parse)
    expr.register_lambda("now", _EXTRAS.now)
    expr.register_lambda("millis", _EXTRAS.millis)
    expr.register_lambda("eval", _no_eval)
    return expr


def _no_eval(*_args):
    raise _Failure("$eval is not available in Step Functions; use $parse")


def _to_jsonata(value: Any) -> Any:
    """A variable holding JSON null is bound to the library's null marker (a bare ``None``
    binding would read as *undefined*); nulls nested in data the library maps itself."""
    from jsonata.utils import Utils

    return Utils.NULL_VALUE if value is None else value


def _from_jsonata(value: Any) -> Any:
    from jsonata.utils import Utils

    return Utils.convert_nulls(value)


def evaluate(text: str, bindings: dict[str, Any], rng: random.Random, where: str = "") -> Any:
    """Evaluate one ``{% %}`` string; undefined is an error."""
    value = evaluate_raw(text, bindings, rng, where)
    if value is UNDEFINED:
        raise StatesError(QUERY_ERROR, f"The JSONata expression '{text[2:-2].strip()}'{_where(where)} returned "
                                       "nothing (undefined)")
    return value


def evaluate_raw(text: str, bindings: dict[str, Any], rng: random.Random, where: str = "") -> Any:
    """Evaluate one ``{% %}`` string; :data:`UNDEFINED` when it yields nothing."""
    body = text[2:-2]
    try:
        expr = _compile(body)
    except Exception as exc:  # the library raises its own exception types for syntax errors
        raise StatesError(QUERY_ERROR, f"The JSONata expression '{body.strip()}'{_where(where)} is invalid: "
                                       f"{exc}") from None
    _EXTRAS.rng = rng
    try:
        raw = expr.evaluate(None, {k: _to_jsonata(v) for k, v in bindings.items()})
    except StatesError:
        raise
    except RecursionError:
        raise StatesError(QUERY_ERROR, f"The JSONata expression '{body.strip()}'{_where(where)} recursed too "
                                       "deeply") from None
    except Exception as exc:
        raise StatesError(QUERY_ERROR, f"An error occurred while evaluating the JSONata expression "
                                       f"'{body.strip()}'{_where(where)}: {exc}") from None
    if raw is None:
        return UNDEFINED
    value = _from_jsonata(raw)
    if callable(value):
        raise StatesError(QUERY_ERROR, f"The JSONata expression '{body.strip()}'{_where(where)} returned a "
                                       "function, which is not JSON")
    return _plain(value)


def _plain(value: Any) -> Any:
    """Library sequences and numbers back to plain JSON values (whole floats stay floats as JSON has them)."""
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _where(where: str) -> str:
    return f" in {where}" if where else ""


def evaluate_template(template: Any, bindings: dict[str, Any], rng: random.Random, where: str = "") -> Any:
    """Evaluate every ``{% %}`` string inside a JSON value; other values are copied."""
    if is_expression(template):
        return evaluate(template, bindings, rng, where)
    if isinstance(template, dict):
        return {k: evaluate_template(v, bindings, rng, f"{where}.{k}" if where else k) for k, v in template.items()}
    if isinstance(template, list):
        return [evaluate_template(v, bindings, rng, where) for v in template]
    return template


def evaluate_condition(text: Any, bindings: dict[str, Any], rng: random.Random, where: str = "Condition") -> bool:
    """A Choice ``Condition``: must yield a boolean, otherwise ``States.QueryEvaluationError``."""
    if isinstance(text, bool):
        return text
    if not is_expression(text):
        raise StatesError(QUERY_ERROR, f"The {where} must be a JSONata expression returning a boolean")
    value = evaluate_raw(text, bindings, rng, where)
    if not isinstance(value, bool):
        shown = "undefined" if value is UNDEFINED else json.dumps(value)
        raise StatesError(QUERY_ERROR, f"The {where} '{text}' returned {shown}, which is not a boolean")
    return value

