import shutil
from pathlib import Path

import pytest

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.fixture
def seeds_dir(tmp_path) -> Path:
    """A private copy of the seed folder, free to change."""
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


def seed_path(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))
