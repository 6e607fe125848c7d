"""Every real-world definition runs to an end state with empty input and no mocks: never a crash."""

from __future__ import annotations

from tests.conftest import require_shared


def _definitions():
    from analyzer.load.definitions import extract
    from analyzer.load.files import decode, is_explicit_asl, parse_text
    from tests.conftest import CORPUS

    for path in sorted((CORPUS / "real").rglob("*")):
        if not path.is_file() or not path.name.endswith((".json", ".yaml", ".yml")):
            continue
        try:
            document = parse_text(decode(path.read_bytes()), str(path))
        except Exception:  # unreadable files are the loader's business, covered elsewhere
            continue
        found = extract(document, explicit_asl=is_explicit_asl(str(path)), base_dir=str(path.parent))
        for definition in found.definitions:
            if definition.value is not None:
                yield definition.label, definition.value


def test_real_corpus_runs_without_crashing():
    require_shared()
    from analyzer.interp import run

    count = 0
    for label, value in _definitions():
        result = run(value, {}, max_transitions=2000)
        assert result.status in ("SUCCEEDED", "FAILED", "TIMED_OUT"), label
        ended_in_bare_fail = result.trace and result.trace[-1]["type"] == "Fail"
        assert result.status == "SUCCEEDED" or result.error or ended_in_bare_fail, label
        assert result.path and result.path[0] == value["StartAt"] or result.error == "aslcheck.InvalidDefinition", label
        assert result.events[0]["type"] == "ExecutionStarted", label
        count += 1
    assert count >= 600
