"""Load every state machine definition under some paths (used by the solver benchmark and tests)."""

from __future__ import annotations

from typing import Iterator

from analyzer.load.definitions import Definition, extract
from analyzer.load.files import decode, discover, parse_text


def iter_definitions(paths) -> Iterator[Definition]:
    import os

    for file, explicit in discover(paths):
        try:
            with open(file, "rb") as fh:
                text = decode(fh.read())
            document = parse_text(text, file)
            extraction = extract(document, explicit_asl=explicit, base_dir=os.path.dirname(file))
        except Exception:  # noqa: BLE001 - unreadable or unparsable files are the linter's business
            continue
        for d in extraction.definitions:
            if isinstance(d.value, dict):
                yield d
