"""Lint the real-world corpus with every rule (solver included) and time each report format.

Also validates the SARIF against the OASIS schema, so solver witnesses (codeFlows) from
real definitions are checked too; the unit tests skip the solver to stay fast.

    python benchmarks/report_corpus.py [CORPUS_DIR]
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from analyzer.engine.runner import Linter, LintReport
from analyzer.engine.settings import Settings
from analyzer.report.github import render_github
from analyzer.report.json_report import render_json
from analyzer.report.sarif import render_sarif
from analyzer.report.text import render_text


def main() -> int:
    corpus = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "shared" / "corpus")
    settings = Settings(root=str(corpus))
    start = time.perf_counter()
    report = Linter(settings).lint_paths([str(corpus / "real")], LintReport())
    print(f"lint: {time.perf_counter() - start:.2f}s, {report.files_read} files, {len(report.findings)} findings")
    renderers = {
        "text": lambda: render_text(report, color=False, root=settings.root),
        "json": lambda: render_json(report),
        "sarif": lambda: render_sarif(report, settings=settings),
        "github": lambda: render_github(report),
    }
    outputs = {}
    for name, render in renderers.items():
        start = time.perf_counter()
        outputs[name] = render()
        print(f"{name}: {time.perf_counter() - start:.3f}s, {len(outputs[name]) / 1e6:.2f} MB")
    import jsonschema

    schema = json.loads((corpus.parent / "schemas" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    sarif = json.loads(outputs["sarif"])
    errors = list(jsonschema.Draft4Validator(schema).iter_errors(sarif))
    flows = sum(1 for r in sarif["runs"][0]["results"] if "codeFlows" in r)
    print(f"sarif schema errors: {len(errors)}; results with codeFlows: {flows}")
    for e in errors[:5]:
        print(" ", list(e.path), e.message[:200])
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
