"""interview_lab.dir_placement: the ext4 top-directory flag on the PostgreSQL run folder."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from interview_lab import dir_placement, paths, postgres


def _supports_flags(folder: Path) -> bool:
    """Whether this filesystem answers the flags ioctl at all (ext4 does; tmpfs does not)."""
    return dir_placement.flags(folder) is not None


@pytest.fixture
def project_folder():
    """A fresh folder on the filesystem that holds the project's cache."""
    with tempfile.TemporaryDirectory(dir=paths.cache_dir()) as name:
        yield Path(name)


def test_the_flag_is_set_where_the_filesystem_has_flags(project_folder):
    supported = _supports_flags(project_folder)
    assert dir_placement.has_spread_flag(project_folder) is False
    assert dir_placement.spread_subdirectories(project_folder) is supported
    assert dir_placement.has_spread_flag(project_folder) is supported
    assert dir_placement.spread_subdirectories(project_folder) is supported  # idempotent


def test_a_missing_folder_is_reported_not_raised(project_folder):
    assert dir_placement.spread_subdirectories(project_folder / "missing") is False
    assert dir_placement.has_spread_flag(project_folder / "missing") is False


def test_the_embedded_servers_run_folder_gets_the_flag_where_supported():
    with postgres.start(fast=True) as db:
        runs = db.data_dir.parent.parent
        assert runs.name == "runs"
        assert dir_placement.has_spread_flag(runs) is _supports_flags(runs)
