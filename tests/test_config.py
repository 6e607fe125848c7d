"""Configuration files (analyzer/config.py) and their precedence against the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from analyzer.commands.lint import run_lint
from analyzer.config import ConfigError, find_config, load_settings

LAMBDA_TASK = {"StartAt": "A", "States": {"A": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                                                "End": True}}}


def project(tmp_path: Path, config: str, name: str = "pyproject.toml") -> Path:
    (tmp_path / name).write_text(config)
    sub = tmp_path / "flows" / "orders"
    sub.mkdir(parents=True)
    (sub / "charge.asl.json").write_text(json.dumps(LAMBDA_TASK, indent=2))
    return sub / "charge.asl.json"


def test_found_by_walking_up_from_the_linted_file(tmp_path):
    target = project(tmp_path, """
[tool.aslcheck]
select = ["ASL4", "unknown-target"]
ignore = ["ASL402"]
severity-overrides = { ASL401 = "error" }
per-file-ignores = { "legacy/*.json" = ["ASL401"] }
workflow-types = { "flows/orders/*.asl.json" = "express" }

[tool.aslcheck.rules.ASL402]
express-limit-seconds = 120

[tool.aslcheck.solver]
timeout-ms = 500
rlimit = 1000
""")
    assert find_config([str(target)]) == tmp_path / "pyproject.toml"
    s = load_settings([str(target)])
    assert s.select == ["ASL4", "unknown-target"] and s.ignore == ["ASL402"]
    assert s.severity_overrides == {"ASL401": "error"}
    assert s.per_file_ignores == {"legacy/*.json": ["ASL401"]}
    assert s.workflow_types == {"flows/orders/*.asl.json": "EXPRESS"}
    assert s.rule_options == {"ASL402": {"express-limit-seconds": 120}}
    assert (s.solver.timeout_ms, s.solver.rlimit) == (500, 1000)
    assert Path(s.config_dir) == tmp_path.resolve() and s.root is None


def test_pyproject_without_section_is_passed_over(tmp_path):
    (tmp_path / ".aslcheck.toml").write_text('ignore = ["ASL401"]\n')
    inner = tmp_path / "pkg"
    inner.mkdir()
    (inner / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config([str(inner)]) == tmp_path / ".aslcheck.toml"
    assert load_settings([str(inner)]).ignore == ["ASL401"]


def test_isolated_ignores_files(tmp_path):
    target = project(tmp_path, '[tool.aslcheck]\nignore = ["ASL401"]\n')
    assert load_settings([str(target)], isolated=True).ignore == []


@pytest.mark.parametrize("body,needle", [
    ('selct = ["ASL401"]', "unknown key(s) selct"),
    ('select = ["ASL999"]', "unknown rule 'ASL999'"),
    ('severity-overrides = { ASL401 = "fatal" }', "'fatal' is not one of"),
    ('workflow-types = { "*.json" = "FAST" }', "is not STANDARD or EXPRESS"),
    ('[tool.aslcheck.rules.ASL402]\nlimit = 5', "unknown option 'limit' for ASL402"),
    ('[tool.aslcheck.rules.ASL402]\nexpress-limit-seconds = "five"', "expected int"),
    ('[tool.aslcheck.rules.nope]\nx = 1', "rules.nope: unknown rule"),
    ('[tool.aslcheck.solver]\ntimeout = 5', "solver: unknown key 'timeout'"),
    ('select = "ASL4', "invalid TOML"),
])
def test_invalid_configuration_names_the_file(tmp_path, body, needle):
    target = project(tmp_path, "[tool.aslcheck]\n" + body + "\n")
    with pytest.raises(ConfigError) as err:
        load_settings([str(target)])
    assert needle in str(err.value)
    assert "pyproject.toml" in str(err.value)


def test_explicit_config_file_must_exist(tmp_path):
    with pytest.raises(ConfigError, match="no such configuration file"):
        load_settings([], config_file=str(tmp_path / "missing.toml"))


def _json_findings(capsys):
    out = capsys.readouterr().out
    data = json.loads(out)
    return data.get("findings", data) if isinstance(data, dict) else data


def test_precedence_cli_over_file_over_defaults(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    target = project(tmp_path, """
[tool.aslcheck]
select = ["ASL401"]
severity-overrides = { ASL401 = "note" }
workflow-types = { "flows/**" = "EXPRESS" }
""")
    # file: the glob makes the definition EXPRESS, so ASL401 fires, with the file's severity
    assert run_lint([str(target)], fmt="json", fail_on="warning") == 0  # a note does not reach "warning"
    found = [f for f in _json_findings(capsys) if f["rule"] == "ASL401"]
    assert len(found) == 1 and found[0]["severity"] == "note" and found[0]["file"] == "flows/orders/charge.asl.json"
    # CLI: --workflow-type beats the file's glob
    run_lint([str(target)], fmt="json", workflow_type="STANDARD")
    assert [f for f in _json_findings(capsys) if f["rule"] == "ASL401"] == []
    # CLI: --ignore adds to the file's selection
    run_lint([str(target)], fmt="json", ignore=["ASL401"])
    assert [f for f in _json_findings(capsys) if f["rule"] == "ASL401"] == []
    # defaults: without the file the definition is STANDARD and ASL401 stays silent
    run_lint([str(target)], fmt="json", isolated=True, select=["ASL401"])
    assert [f for f in _json_findings(capsys) if f["rule"] == "ASL401"] == []


def test_configuration_error_is_a_usage_error(tmp_path, capsys):
    target = project(tmp_path, '[tool.aslcheck]\nselect = ["NOPE1"]\n')
    assert run_lint([str(target)], fmt="json") == 2
    assert "configuration error" in capsys.readouterr().err


def test_rule_options_reach_the_rule(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    wait = {"StartAt": "W", "States": {"W": {"Type": "Wait", "Seconds": 100, "End": True}}}
    (tmp_path / ".aslcheck.toml").write_text(
        'select = ["ASL402"]\nworkflow-types = { "*.asl.json" = "EXPRESS" }\n'
        '[rules.exceeds-duration-limit]\nexpress-limit-seconds = 60\n')
    (tmp_path / "w.asl.json").write_text(json.dumps(wait))
    run_lint([str(tmp_path / "w.asl.json")], fmt="json")
    found = [f for f in _json_findings(capsys) if f["rule"] == "ASL402"]
    assert len(found) == 1 and "limit of 60 s" in found[0]["message"]


def test_config_globs_are_relative_to_the_config_but_reported_paths_to_the_root(tmp_path, monkeypatch):
    import json

    from analyzer.engine.runner import Linter

    project = tmp_path / "project"
    (project / "flows").mkdir(parents=True)
    (project / ".aslcheck.toml").write_text('[workflow-types]\n"flows/*.asl.json" = "EXPRESS"\n')
    definition = {"StartAt": "Send", "States": {"Send": {
        "Type": "Task", "Resource": "arn:aws:states:::sqs:sendMessage",
        "Parameters": {"QueueUrl": "https://sqs.us-east-1.amazonaws.com/123456789012/q", "MessageBody": "x"},
        "End": True}}}
    target = project / "flows" / "send.asl.json"
    target.write_text(json.dumps(definition))
    monkeypatch.chdir(tmp_path)  # e.g. the repository root in CI
    settings = load_settings([str(target)])
    settings.select = ["ASL401"]
    report = Linter(settings).lint_paths([str(target)])
    [finding] = report.findings
    assert finding.file == "project/flows/send.asl.json"  # what code scanning needs: relative to the checkout
