"""The lint command's contract: exit codes, stdin, discovery, selection and internal errors."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from analyzer.cli import main

GOOD = {"StartAt": "A", "States": {"A": {"Type": "Pass", "End": True}}}
BAD_TARGET = {"StartAt": "A", "States": {"A": {"Type": "Pass", "Next": "Missing"}, "B": {"Type": "Succeed"}}}


def lint(*args, input=None):
    result = CliRunner().invoke(main, ["lint", *args], input=input, catch_exceptions=False)
    return result


def write(path: Path, value) -> Path:
    path.write_text(value if isinstance(value, str) else json.dumps(value, indent=2))
    return path


def test_clean_file_exits_0(tmp_path):
    r = lint(str(write(tmp_path / "ok.asl.json", GOOD)), "--select", "ASL1")
    assert r.exit_code == 0, r.output


def test_error_finding_exits_1_and_names_the_place(tmp_path):
    f = write(tmp_path / "bad.asl.json", BAD_TARGET)
    r = lint(str(f), "--format", "json")
    assert r.exit_code == 1
    data = json.loads(r.stdout)
    [finding] = [x for x in data["findings"] if x["rule"] == "ASL103"]
    assert finding["line"] == 1 + json.dumps(BAD_TARGET, indent=2).split("\n").index(
        next(l for l in json.dumps(BAD_TARGET, indent=2).split("\n") if '"Next"' in l))
    assert finding["pointer"] == "/States/A/Next" and finding["state"] == "A"
    for key in ("rule", "name", "severity", "message", "file", "line", "column", "end_line", "end_column"):
        assert key in finding


def test_fail_on_threshold(tmp_path):
    f = write(tmp_path / "bad.asl.json", BAD_TARGET)
    assert lint(str(f), "--fail-on", "never").exit_code == 0


def test_syntax_error_is_a_finding_not_a_traceback(tmp_path):
    f = write(tmp_path / "broken.asl.json", '{\n  "StartAt": "A",\n  "States": {\n}')
    r = lint(str(f), "--format", "json")
    assert r.exit_code == 1
    [finding] = json.loads(r.stdout)["findings"]
    assert finding["rule"] == "ASL100" and finding["line"] == 4


def test_missing_path_is_usage_error(tmp_path):
    r = lint(str(tmp_path / "nope.asl.json"))
    assert r.exit_code == 2
    assert "no such file" in r.stderr


def test_unknown_selector_is_usage_error(tmp_path):
    r = lint(str(write(tmp_path / "ok.asl.json", GOOD)), "--select", "ASL999")
    assert r.exit_code == 2


def test_stdin(tmp_path):
    r = lint("-", "--format", "json", input=json.dumps(BAD_TARGET))
    assert r.exit_code == 1
    assert json.loads(r.stdout)["findings"][0]["file"] == "<stdin>"


def test_directories_skip_and_count_non_state_machines(tmp_path):
    write(tmp_path / "a.asl.json", GOOD)
    write(tmp_path / "package.json", {"name": "x", "version": "1.0.0"})
    (tmp_path / "sub").mkdir()
    write(tmp_path / "sub" / "b.json", BAD_TARGET)
    (tmp_path / "notes.txt").write_text("not looked at")
    r = lint(str(tmp_path), "--format", "json")
    summary = json.loads(r.stdout)["summary"]
    assert summary["files_read"] == 2 and summary["files_skipped"] == 1 and summary["state_machines"] == 2
    assert r.exit_code == 1


def test_select_and_ignore_by_id_name_and_prefix(tmp_path):
    f = str(write(tmp_path / "bad.asl.json", BAD_TARGET))
    assert lint(f, "--ignore", "unknown-target", "--select", "ASL1").exit_code == 0
    assert lint(f, "--select", "ASL10").exit_code == 1
    assert lint(f, "--select", "unknown-target").exit_code == 1


def test_internal_error_exits_3_names_file_and_keeps_other_results(tmp_path, monkeypatch):
    from analyzer.engine import registry

    rule = registry.lookup("ASL103")

    def explode(ctx):
        if "boom" in ctx.definition.file:
            raise ValueError("synthetic failure")
        return type(rule).check(rule, ctx)

    monkeypatch.setattr(rule, "check", explode)
    boom = write(tmp_path / "boom.asl.json", GOOD)
    other = write(tmp_path / "other.asl.json", BAD_TARGET)
    r = lint(str(boom), str(other), "--format", "json")
    assert r.exit_code == 3
    assert "boom.asl.json" in r.stderr and "internal error" in r.stderr
    data = json.loads(r.stdout)
    assert any(f["rule"] == "ASL103" and f["file"].endswith("other.asl.json") for f in data["findings"])
    assert data["summary"]["internal_errors"]


@pytest.mark.parametrize("text", ["", "null", "[]", "42", '"x"', "{}", '{"States": []}', '{"StartAt": 1, "States": {"A": 5}}',
                                  '{"StartAt": "A", "States": {"A": {"Type": ["Pass"]}}}'])
def test_hostile_inputs_never_crash(tmp_path, text):
    f = tmp_path / "x.asl.json"
    f.write_text(text)
    r = lint(str(f), "--format", "json")
    assert r.exit_code in (0, 1), r.stderr


def test_python_dash_m_and_version_start_fast():
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-m", "analyzer", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "aslcheck" in out.stdout
    # --version must not import the heavy analysis modules.
    probe = subprocess.run([sys.executable, "-c",
                            "import sys; sys.argv=['aslcheck','--version']\n"
                            "from analyzer.cli import main\n"
                            "try: main()\n"
                            "except SystemExit: pass\n"
                            "print(sorted(m for m in ('z3','networkx','jsonschema','lark','jsonata','yaml') "
                            "if m in sys.modules))"],
                           capture_output=True, text=True)
    assert probe.stdout.strip().endswith("[]"), probe.stdout


def test_readme_rule_table_is_generated_from_the_rules():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    start = readme.index("<!-- rules:start")
    start = readme.index("\n", start) + 1
    end = readme.index("<!-- rules:end -->")
    generated = CliRunner().invoke(main, ["rules", "--format", "markdown"]).stdout
    assert readme[start:end].strip() == generated.strip()


def test_interrupted_lint_exits_130_not_1(tmp_path, monkeypatch):
    import analyzer.commands.lint as lint_command

    def interrupted(**kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(lint_command, "run_lint", interrupted)
    r = lint(str(write(tmp_path / "ok.asl.json", GOOD)))
    assert r.exit_code == 130 and "interrupted" in r.stderr
