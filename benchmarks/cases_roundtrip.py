"""Round trip over a corpus: write the cases (``aslcheck tests --out``), then run them
(``aslcheck tests --check``) through the CLI, as a user's CI would.

    python benchmarks/cases_roundtrip.py [PATHS...]   (default: ../shared/corpus/real)

Prints how many definitions got cases, how many cases passed, failed or were refused, the
definitions with a failure, any definition whose runs covered less than the generator
claimed, and the time of each half. Every generated case must pass: a
failure means the files on disk do not say what the generator confirmed.
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv=None) -> int:
    from click.testing import CliRunner

    from analyzer.cli import main as cli

    paths = [Path(p) for p in (argv or sys.argv[1:])] or [Path(__file__).resolve().parents[2] / "shared/corpus/real"]
    files = sorted(f for p in paths for f in ([p] if p.is_file() else p.iterdir()) if f.is_file())
    runner = CliRunner()
    totals = {"passed": 0, "failed": 0, "error": 0}
    with_cases, without, failures, gen_s, check_s = 0, 0, [], 0.0, 0.0
    short: list = []  # definitions whose runs covered less than the generator claimed
    with tempfile.TemporaryDirectory() as tmp:
        for i, f in enumerate(files):
            out = Path(tmp) / str(i)
            t = time.perf_counter()
            made = runner.invoke(cli, ["tests", str(f), "--out", str(out), "--format", "json"])
            gen_s += time.perf_counter() - t
            if made.exit_code != 0:
                continue
            summaries = json.loads(made.stdout)
            summaries = summaries if isinstance(summaries, list) else [summaries]
            if not sum(s["cases"] for s in summaries):
                without += 1
                continue
            with_cases += 1
            t = time.perf_counter()
            checked = runner.invoke(cli, ["tests", str(f), "--check", str(out), "--format", "json"])
            check_s += time.perf_counter() - t
            reports = json.loads(checked.stdout) if checked.stdout.strip() else []
            reports = reports if isinstance(reports, list) else [reports]
            for r, claimed in zip(reports, summaries):  # what the runs took vs what the generator said
                for key in ("states", "branches"):
                    if r["coverage"][key]["covered"] < claimed[key]["covered"]:
                        short.append((f.name, key, claimed[key]["covered"], r["coverage"][key]["covered"]))
            for r in reports:
                for k in totals:
                    totals[k] += r["summary"][k]
                if r["summary"]["failed"] or r["summary"]["error"]:
                    failures.append((f.name, [c["problems"] for c in r["cases"] if c["outcome"] != "passed"][:2]))
    print(f"definitions: {len(files)}; with cases {with_cases}, without {without}")
    print(f"cases: {totals['passed']} passed, {totals['failed']} failed, {totals['error']} refused")
    print(f"time: generate {gen_s:.1f}s, check {check_s:.1f}s")
    for name, problems in failures:
        print(f"  {name}: {problems}")
    print(f"coverage claimed by the generator but not taken by the runs: {len(short)} definition(s)")
    for row in short:
        print(f"  {row}")
    return 1 if failures or short else 0


if __name__ == "__main__":
    sys.exit(main())
