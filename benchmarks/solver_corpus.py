"""Model-checker benchmark over a corpus: per definition, branches covered / proved dead / unknown and time.

    python benchmarks/solver_corpus.py [PATHS...] [--csv FILE] [--slowest N] [--unknown]

For each definition: the per-Choice analysis, the path-sensitive exploration and the
selection of test cases, every case confirmed by the interpreter. Prints one line per
definition with Choice states, then totals: median and 95th percentile time, unknown
share of branches, internal errors (witnesses the interpreter contradicted, exceptions).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    from analyzer.engine.settings import SolverSettings
    from analyzer.symbolic.corpus import iter_definitions
    from analyzer.symbolic.testgen import generate

    ap = argparse.ArgumentParser()
    ap.add_argument("paths", nargs="*", default=["/work/shared/corpus/real"])
    ap.add_argument("--csv")
    ap.add_argument("--slowest", type=int, default=10)
    ap.add_argument("--all", action="store_true", help="also list definitions without Choice states")
    ap.add_argument("--unknown", action="store_true",
                    help="list every unknown branch with the exploration's cut reasons")
    args = ap.parse_args(argv)
    settings = SolverSettings()
    rows, errors, unknown_rows = [], [], []
    for d in iter_definitions(args.paths):
        started = time.perf_counter()
        try:
            result = generate(d.value, settings)
        except Exception as exc:  # noqa: BLE001 - counted and shown, the benchmark goes on
            errors.append((d.label, f"{type(exc).__name__}: {exc}", traceback.format_exc()))
            continue
        elapsed = time.perf_counter() - started
        s = result.summary
        rows.append((d.label, s["branches"]["total"], s["branches"]["covered"], s["branches"]["dead"],
                     s["branches"]["unknown"], s["states"]["total"], s["states"]["covered"], len(result.cases),
                     elapsed, s["states"]["dead"], s["states"]["unknown"], result.has_choice))
        if result.mismatches:
            errors.extend((d.label, m, "") for m in result.mismatches)
        branches = [u for u in s["unknown"] if not u.startswith("state:")]
        if branches:
            unknown_rows.append((d.label, branches, s["exploration"]["cut"]))
    shown = [r for r in rows if r[-1] or args.all]
    print(f"{'definition':70} {'br':>4} {'cov':>4} {'dead':>4} {'unk':>4} {'st':>4} {'cov':>4} {'cases':>5} {'s':>6}")
    for r in shown:
        print(f"{r[0][-70:]:70} {r[1]:4} {r[2]:4} {r[3]:4} {r[4]:4} {r[5]:4} {r[6]:4} {r[7]:5} {r[8]:6.3f}")
    if args.csv:
        import csv

        with open(args.csv, "w", newline="") as fh:
            w = csv.writer(fh)
            w.writerow(["definition", "branches", "covered", "dead", "unknown", "states", "states_covered", "cases",
                        "seconds", "states_dead", "states_unknown", "has_choice"])
            w.writerows(rows)
    times = sorted(r[8] for r in rows)
    total_br = sum(r[1] for r in rows)
    unknown = sum(r[4] for r in rows)
    print()
    print(f"definitions: {len(rows)} ({sum(1 for r in rows if r[-1])} with Choice states)")
    if times:
        p95 = times[min(len(times) - 1, int(round(0.95 * (len(times) - 1))))]
        print(f"time: total {sum(times):.1f}s, median {statistics.median(times):.3f}s, p95 {p95:.3f}s, "
              f"max {times[-1]:.3f}s")
    print(f"branches: {total_br} total, {sum(r[2] for r in rows)} covered, {sum(r[3] for r in rows)} proved dead, "
          f"{unknown} unknown ({100.0 * unknown / max(1, total_br):.2f}%)")
    print(f"states: {sum(r[5] for r in rows)} total, {sum(r[6] for r in rows)} covered, "
          f"{sum(r[9] for r in rows)} proved dead, {sum(r[10] for r in rows)} unknown; "
          f"cases written: {sum(r[7] for r in rows)}")
    print(f"internal errors: {len(errors)}")
    for label, msg, tb in errors[:20]:
        print(f"  {label}: {msg}")
        if tb:
            print("    " + tb.strip().splitlines()[-1])
    if args.unknown:
        print("unknown branches:")
        for label, branches, cut in unknown_rows:
            print(f"  {Path(label).name}: {', '.join(branches)}" + (f"  [cut: {'; '.join(cut)}]" if cut else ""))
    slow = sorted(rows, key=lambda r: -r[8])[: args.slowest]
    print("slowest:", ", ".join(f"{Path(r[0]).name} {r[8]:.2f}s" for r in slow))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
