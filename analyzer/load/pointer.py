"""RFC 6901 JSON Pointers: the one way findings name a place in a document.

Findings are keyed by pointer rather than by line and column so that rules never
deal with text; a pointer is resolved to a source span only by the reporters'
shared locator (see ``analyzer.load.source``).
"""

from __future__ import annotations

from typing import Any, Iterable


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    return token.replace("~1", "/").replace("~0", "~")


def join(base: str, *tokens: str | int) -> str:
    """Append reference tokens to a pointer: ``join("/States", "A/B")`` is ``/States/A~1B``.

    Called for every key and array item the parsers read, so the common token that needs
    no escaping takes no replace calls and no generator."""
    for token in tokens:
        token = token if isinstance(token, str) else str(token)
        if "~" in token or "/" in token:
            token = token.replace("~", "~0").replace("/", "~1")
        base = f"{base}/{token}"
    return base


def split(pointer: str) -> list[str]:
    if pointer == "":
        return []
    if not pointer.startswith("/"):
        raise ValueError(f"not a JSON Pointer: {pointer!r}")
    return [unescape(t) for t in pointer[1:].split("/")]


def parent(pointer: str) -> str:
    if pointer == "":
        return ""
    return pointer[: pointer.rfind("/")]


def resolve(document: Any, pointer: str, default: Any = None) -> Any:
    """The value at ``pointer``, or ``default`` when any step is missing."""
    node = document
    for token in split(pointer):
        if isinstance(node, dict):
            if token not in node:
                return default
            node = node[token]
        elif isinstance(node, list):
            if not token.isdigit() or int(token) >= len(node):
                return default
            node = node[int(token)]
        else:
            return default
    return node


def ancestors(pointer: str) -> Iterable[str]:
    """The pointer itself, then each ancestor up to the root (``""``)."""
    while True:
        yield pointer
        if pointer == "":
            return
        pointer = parent(pointer)
