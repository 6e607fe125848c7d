"""A one-line progress indicator on stderr for long runs on a terminal."""

from __future__ import annotations

import time
from typing import TextIO


class Progress:
    def __init__(self, stream: TextIO, min_files: int = 20) -> None:
        self.stream = stream
        self.min_files = min_files
        self.last = 0.0
        self.shown = False

    def __call__(self, index: int, total: int, path: str) -> None:
        if total < self.min_files:
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        self.shown = True
        self.stream.write(f"\r\x1b[Kchecking {index + 1}/{total} {path[-60:]}")
        self.stream.flush()

    def done(self) -> None:
        if self.shown:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
