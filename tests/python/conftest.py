"""Shared fixtures: the real recordings in ../shared/data (outside the project, never copied in)."""
import pathlib

import pytest

REPO_ROOT = pathlib.Path(__file__).resolve().parents[2]
SHARED_DATA = REPO_ROOT.parent / "shared" / "data" / "real"


@pytest.fixture(scope="session")
def real_data() -> pathlib.Path:
    """``../shared/data/real`` relative to the repository root; skips when absent (a fresh clone)."""
    if not SHARED_DATA.is_dir():
        pytest.skip(f"real recordings not found at {SHARED_DATA} (../shared/data/real relative to the "
                    f"repository root); see the project README")
    return SHARED_DATA


@pytest.fixture(scope="session")
def trigno_csv(real_data) -> pathlib.Path:
    p = real_data / "trigno_export" / "truncated_trigno_sample.csv"
    if not p.is_file():
        pytest.skip(f"Delsys Trigno export not found at {p}")
    return p
