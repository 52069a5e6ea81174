"""Replaces pyinstaller-hooks-contrib's hook for thinc: the same, without thinc's test suite."""

from PyInstaller.utils.hooks import collect_data_files, collect_submodules

hiddenimports = collect_submodules("thinc", filter=lambda name: ".tests" not in name)
datas = collect_data_files("thinc", excludes=["tests", "**/tests"])
