"""Lint the whole real-world corpus in one process and report throughput.

Usage: python benchmarks/lint_corpus.py [CORPUS_DIR] [--select ASL1] [--repeat N]

Prints files per second over the whole run and the median time per file (ms), once for
a cold pass (grammars, schema and parsers built on first use) and once warm. The
per-file time covers reading, parsing, extracting and all selected rules for that file.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT = HERE.parent.parent / "shared" / "corpus" / "real"


def run(files: list[Path], linter) -> tuple[float, list[float], int]:
    from analyzer.engine.runner import LintReport

    report = LintReport()
    per_file: list[float] = []
    start = time.perf_counter()
    for path in files:
        t = time.perf_counter()
        linter.lint_text(path.read_bytes().decode("utf-8-sig"), str(path), report)
        per_file.append(time.perf_counter() - t)
    return time.perf_counter() - start, per_file, len(report.findings)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default=str(DEFAULT))
    ap.add_argument("--select", default="ASL1", help="rule ids/prefixes, comma-separated (default: ASL1, validation)")
    ap.add_argument("--repeat", type=int, default=1, help="warm passes after the cold one")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    from analyzer.engine.runner import Linter
    from analyzer.engine.settings import Settings

    linter = Linter(Settings(select=[s for s in args.select.split(",") if s]))
    setup = time.perf_counter() - t0
    files = sorted(p for p in Path(args.corpus).rglob("*") if p.is_file())
    if not files:
        print(f"no files under {args.corpus}", file=sys.stderr)
        return 2
    print(f"{len(files)} files, rules {args.select}, import + rule set {setup * 1000:.0f} ms")
    for label in ["cold"] + ["warm"] * args.repeat:
        total, per_file, findings = run(files, linter)
        print(f"{label}: {total:.3f} s, {len(files) / total:.0f} files/s, median {statistics.median(per_file) * 1000:.2f} ms"
              f"/file, p95 {sorted(per_file)[int(len(per_file) * 0.95)] * 1000:.2f} ms, max {max(per_file) * 1000:.1f} ms, "
              f"{findings} findings")
    return 0


if __name__ == "__main__":
    sys.exit(main())
