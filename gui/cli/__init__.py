"""The ``marginalia`` command: opens the window, or runs one of the subcommands.

Each subcommand lives in its own module with a ``register(subparsers)`` function, so adding a
command never means editing another's code. Exit status: 0 done, 1 bad input or a failed
operation (one line on stderr, from ``MarginaliaError``), 2 a usage error (argparse).
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from gui.core.errors import MarginaliaError

# Modules that each register one or more subcommands, in the order --help lists them.
COMMAND_MODULES = (
    "gui.cli.project_commands",
    "gui.cli.prefill_command",
    "gui.cli.export_command",
    "gui.cli.agreement_commands",
    "gui.cli.copy_command",
    "gui.cli.team_command",
    "gui.cli.assign_command",
    "gui.cli.train_command",
)
ALLOW_NETWORK_FS = "--allow-network-fs"
NETWORK_FS_HELP = ("write projects on a network filesystem (NFS, SMB, sshfs…) anyway; only "
                   "where its locking is known to work")


class _VersionAction(argparse.Action):
    """``--version``, reading the version only when asked for (see ``gui.__getattr__``)."""

    def __init__(self, option_strings: Sequence[str], dest: str = argparse.SUPPRESS,
                 default: str = argparse.SUPPRESS, help: str = "show the version and exit"):
        super().__init__(option_strings, dest, default=default, nargs=0, help=help)

    def __call__(self, parser: argparse.ArgumentParser, *_args: object) -> None:
        from gui import __version__

        print(f"marginalia {__version__}")
        parser.exit()


def _subcommand_parser() -> tuple[argparse.ArgumentParser, set[str]]:
    parser = argparse.ArgumentParser(
        prog="marginalia",
        description="Annotate news articles for entities and stance. With no command, opens "
        "the window on PROJECT (or on the default project in your data folder).",
    )
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(ALLOW_NETWORK_FS, action="store_true", help=NETWORK_FS_HELP)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(sub)
    return parser, set(sub.choices)


def _window_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="marginalia",
        usage="marginalia [PROJECT] [--annotator NAME]\n       marginalia COMMAND ... "
        "(see 'marginalia --help')",
    )
    parser.add_argument("project", nargs="?", help="project file to open")
    parser.add_argument("--annotator", help="annotate as NAME (skips the who-are-you question)")
    parser.add_argument("--version", action=_VersionAction)
    parser.add_argument(ALLOW_NETWORK_FS, action="store_true", help=NETWORK_FS_HELP)
    return parser


def _cannot_be_a_command(args: list[str]) -> bool:
    """Arguments that open the window whatever commands exist: none, ``--annotator`` first, or
    a first argument with a dot or a slash (a file; no command name has one). Deciding this
    before importing the command modules spares every start of the window spaCy and numpy,
    which the export and agreement commands import: seconds and ~50 MB (docs/benchmarks.md)."""
    if not args:
        return True
    first = args[0]
    return first.startswith("--annotator") or any(c in first for c in "./=" + os.sep)


def _open_window(args: list[str]) -> int:
    window_args = _window_parser().parse_args(args)
    from gui.app import run_window

    return run_window(window_args.project, window_args.annotator)


def _network_fs_override(args: list[str]) -> list[str]:
    """``--allow-network-fs`` anywhere on the line: write projects on a network filesystem
    (gui/core/location.py). Passed on through the environment, so the window's workers and
    every command see it."""
    if ALLOW_NETWORK_FS not in args:
        return args
    from gui.core.location import OVERRIDE_ENV

    os.environ[OVERRIDE_ENV] = "1"
    return [a for a in args if a != ALLOW_NETWORK_FS]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = _network_fs_override(list(sys.argv[1:] if argv is None else argv))
    if _cannot_be_a_command(args_list):
        return _open_window(args_list)
    parser, commands = _subcommand_parser()
    if args_list[0] not in commands and args_list[0] not in ("-h", "--help"):
        return _open_window(args_list)
    args = parser.parse_args(args_list)
    from gui.cli.progress import migration_progress

    try:
        with migration_progress():  # a bar (or a line) if the project needs converting
            code = int(args.func(args) or 0)
        sys.stdout.flush()  # inside the try: a reader gone away fails here, not at exit
        return code
    except BrokenPipeError:
        # The reader went away (`| head`): stop quietly, as command-line tools do, and point
        # stdout at /dev/null so the interpreter's last flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except MarginaliaError as exc:
        print(f"marginalia: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("marginalia: interrupted; nothing was changed", file=sys.stderr)
        return 1
