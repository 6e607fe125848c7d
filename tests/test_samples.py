"""Our bundled samples (``corpus/``) produce exactly the findings listed beside them."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from analyzer.cli import main

CORPUS = Path(__file__).resolve().parent.parent / "corpus"


def test_samples_give_exactly_the_expected_findings():
    expected = json.loads((CORPUS / "expected-findings.json").read_text())
    result = CliRunner().invoke(main, ["lint", str(CORPUS), "--format", "json", "--show-suppressed",
                                         "--srcroot", str(CORPUS)])
    assert result.exit_code == 1, result.stderr
    report = json.loads(result.stdout)
    got: dict[str, set] = {}
    for f in report["findings"]:
        got.setdefault(f["file"], set()).add(
            (f["rule"], f["state"], f["pointer"], f["line"], f["column"], (f.get("suppressed") or {}).get("by")))
    want = {
        file: {(e["rule"], e["state"], e["pointer"], e["line"], e["column"], e.get("suppressed")) for e in entries}
        for file, entries in expected["files"].items()
    }
    assert got == want
    unchecked = sorted(f"{u['file']}#{u['resource']}" for u in report["summary"]["unchecked"])
    assert unchecked == sorted(expected["unchecked"])
    assert not report["summary"]["internal_errors"]


def test_clean_sample_is_clean():
    result = CliRunner().invoke(main, ["lint", str(CORPUS / "order-processing.asl.json"), "--fail-on", "note"])
    assert result.exit_code == 0, result.stdout
