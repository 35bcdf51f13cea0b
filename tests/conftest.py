"""Shared helpers for the test suite."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
# exercise checks record progress; in tests they write to a throw-away file, never the user's own
os.environ["PMO_LAB_PROGRESS"] = str(
    Path(os.environ.get("TMPDIR", "/tmp")) / f"pmo-lab-test-progress-{os.getpid()}.json"
)
os.environ["PMO_LAB_LEARNER"] = "test"
FIXTURES = Path(__file__).parent / "fixtures"


def load_tables(folder: Path, tables: dict[str, str]):
    """Write hand-made tables (name -> CSV text) into ``folder`` and load them as a checked Portfolio."""
    from pmo_lib import load_portfolio

    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return load_portfolio(folder)


def assert_refused(result: subprocess.CompletedProcess, code: int, words: str) -> None:
    """A command refused its input the way a user should see it: the exit code, the message, no traceback."""
    assert result.returncode == code, result.stderr
    assert words in result.stderr
    assert "Traceback" not in result.stderr


def run_pmo(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """Run the installed ``pmo`` console script exactly as a user would."""
    exe = Path(sys.executable).with_name("pmo")
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    return subprocess.run(
        [str(exe), *args], capture_output=True, text=True, cwd=cwd or REPO, env=env, timeout=300, check=False
    )


@pytest.fixture
def pmo():
    return run_pmo
