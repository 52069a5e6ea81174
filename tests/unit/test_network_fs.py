"""A project on a network filesystem is refused for writing, in one line saying why and what to
do instead; an explicit override writes anyway; reading (a merge from a share) stays allowed."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.cli import main
from gui.core import location
from gui.core.location import OVERRIDE_ENV, filesystem_type
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.review.merge import merge_projects
from tests.unit.test_cli_import import digest

MOUNTS = """\
22 1 253:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw
40 22 0:44 / /mnt/team rw,relatime shared:20 - nfs4 files:/team rw,vers=4.2
41 40 0:45 / /mnt/team/local\\040copy rw shared:21 - ext4 /dev/vdb1 rw
42 22 0:46 / /home/ana/remote rw,nosuid - fuse.sshfs ana@lab:/data rw,user_id=1000
43 22 0:47 / /srv/smb rw - cifs //nas/share rw
"""


@pytest.mark.parametrize(("folder", "fstype"), [
    ("/home/ana", "ext4"),
    ("/mnt/team", "nfs4"),
    ("/mnt/team/projects/2025", "nfs4"),
    ("/mnt/team/local copy/x", "ext4"),  # a local disk mounted inside the share
    ("/mnt/teamwork", "ext4"),  # a longer name is not inside /mnt/team
    ("/home/ana/remote/p", "fuse.sshfs"),
    ("/srv/smb", "cifs"),
])
def test_the_filesystem_is_that_of_the_longest_mount_point_above_the_folder(
    folder: str, fstype: str
) -> None:
    assert filesystem_type(Path(folder), MOUNTS) == fstype


@pytest.fixture
def on_nfs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the test's folder look like an NFS mount, and no override set."""
    table = tmp_path / "mountinfo"
    table.write_text(f"22 1 253:1 / / rw - ext4 /dev/vda1 rw\n"
                     f"40 22 0:44 / {os.path.realpath(tmp_path / 'share')} rw - nfs4 s:/x rw\n")
    monkeypatch.setattr(location, "MOUNTINFO", table)
    monkeypatch.setenv(OVERRIDE_ENV, "")  # restored afterwards, whatever the flag sets
    (tmp_path / "share").mkdir()
    return tmp_path / "share"


def test_a_project_on_nfs_is_refused_for_writing_in_one_line_and_left_as_it_was(
    on_nfs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = on_nfs / "p.marginalia"
    monkeypatch.setenv(OVERRIDE_ENV, "1")
    Project.create(path, load_schema()).close()
    monkeypatch.setenv(OVERRIDE_ENV, "")
    before = digest(path)
    assert main(["import", str(path), str(on_nfs.parent / "mountinfo")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert str(path) in err[0] and "network filesystem (nfs4)" in err[0]
    assert "copy it to a local disk and merge it back" in err[0] and "--allow-network-fs" in err[0]
    assert digest(path) == before
    assert main(["init", str(on_nfs / "new.marginalia")]) == 1
    assert not (on_nfs / "new.marginalia").exists()


def test_the_flag_or_the_variable_writes_there_anyway(
    on_nfs: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = on_nfs / "p.marginalia"
    assert main(["--allow-network-fs", "init", str(path)]) == 0
    monkeypatch.setenv(OVERRIDE_ENV, "")
    assert main(["stats", str(path), "--allow-network-fs"]) == 0
    monkeypatch.setenv(OVERRIDE_ENV, "1")
    assert main(["stats", str(path)]) == 0


def test_a_colleagues_file_on_a_share_can_still_be_merged_from(
    on_nfs: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shared = on_nfs / "ana.marginalia"
    monkeypatch.setenv(OVERRIDE_ENV, "1")
    with Project.create(shared, load_schema()) as theirs:
        theirs.add_documents([{"text": "Havana and Moscow signed an accord."}])
    monkeypatch.setenv(OVERRIDE_ENV, "")
    local = tmp_path / "lead.marginalia"
    with Project.create(local, load_schema()) as project:
        assert merge_projects(project, [shared]).documents_added == 1


@given(st.text(st.characters(blacklist_characters="/\0", blacklist_categories=("Cs",)),
               min_size=1, max_size=30).filter(lambda n: n not in (".", "..")))
def test_any_mount_point_name_is_read_back_as_the_kernel_escapes_it(name: str) -> None:
    point = f"/mnt/{name}"
    escaped = "".join(f"\\{ord(c):03o}" if c in " \t\n\\" else c for c in point)
    table = f"1 0 8:1 / / rw - ext4 /dev/sda1 rw\n2 1 0:9 / {escaped} rw - nfs4 s:/x rw\n"
    assert filesystem_type(Path(point) / "project", table) == "nfs4"
