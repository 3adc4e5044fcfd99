"""The committed sample is exactly what the generator writes, and it stays small."""

import hashlib

import pytest

from dagster_project import settings
from dagster_project.sample.generate import OWNED_FOLDERS, generate

REPO_RAW = settings.REPO_ROOT / "raw"
SIZE_BUDGET_BYTES = 22 * 1024 * 1024


def _digests(root):
    return {
        path.relative_to(root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for folder in OWNED_FOLDERS
        for path in sorted((root / folder).rglob("*"))
        if path.is_file()
    }


@pytest.mark.slow
def test_generator_reproduces_the_committed_sample_byte_for_byte(tmp_path):
    generate(tmp_path)
    assert _digests(tmp_path) == _digests(REPO_RAW)


def test_sample_stays_within_its_size_budget():
    size = sum(p.stat().st_size for p in REPO_RAW.rglob("*") if p.is_file())
    assert size <= SIZE_BUDGET_BYTES, f"raw/ holds {size / 2**20:.1f} MiB"
