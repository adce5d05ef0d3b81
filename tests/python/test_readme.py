"""The README is a first page: short, its links resolve, and its 'analyse your own file' snippet runs."""
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_is_at_most_250_lines_and_keeps_the_quick_start_commands():
    assert len(README.splitlines()) <= 250
    assert "bash scripts/demo.sh" in README and "bash scripts/test.sh" in README


def test_every_relative_link_in_the_readme_resolves():
    links = [l.split("#")[0] for l in re.findall(r"\]\(([^)]+)\)", README) if not l.startswith(("http", "#"))]
    assert links, "the README links into the docs"
    missing = [l for l in links if not (ROOT / l).exists()]
    assert not missing, missing


def test_the_analyse_your_own_file_snippet_runs(tmp_path, monkeypatch):
    pytest.importorskip("matplotlib")
    monkeypatch.setenv("MPLBACKEND", "Agg")
    monkeypatch.chdir(tmp_path)
    block = re.search(r"## Analyse your own file.*?```python\n(.*?)```", README, re.S).group(1)
    scope = {}
    exec(compile(block, "README.md", "exec"), scope)
    res = scope["res"]
    assert res.calibrated and len(res.reps) > 0
    assert 15 <= res.reps["soleus_pct_mvc_concentric"].mean() <= 35  # the simulator's ~25 %MVC rises
    assert (tmp_path / "session.png").stat().st_size > 10_000
