"""``team init|add|remove``: PostgreSQL roles, grants and row-level security for a project on
a server (gui/core/team.py). Run by the project's owner; no password passes through here."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("team", help="who may do what in a project on a PostgreSQL server")
    verbs = p.add_subparsers(dest="verb", metavar="VERB", required=True)
    init = verbs.add_parser("init", help="create the project's group roles and its policies")
    init.add_argument("project", help="a PostgreSQL address")
    init.set_defaults(func=run_team)
    add = verbs.add_parser("add", help="let a PostgreSQL role work on the project")
    add.add_argument("project")
    add.add_argument("name", help="the person's PostgreSQL role, which is their annotator name")
    add.add_argument("--reviewer", action="store_true", help="may also write the gold set")
    add.set_defaults(func=run_team)
    remove = verbs.add_parser("remove", help="take a person out of the project")
    remove.add_argument("project")
    remove.add_argument("name")
    remove.set_defaults(func=run_team)


def run_team(args: argparse.Namespace) -> int:
    from gui.core import team
    from gui.core.store import Project

    with Project.open(args.project) as project:
        if args.verb == "init":
            groups = team.init_team(project)
            print(f"team ready on {project.path}: groups {', '.join(groups)}")
        elif args.verb == "add":
            role = "reviewer" if args.reviewer else "annotator"
            name = team.add_member(project, args.name, role)
            print(f"{name} works on {project.path} as {role}")
        else:
            team.remove_member(project, args.name)
            print(f"{args.name} no longer works on {project.path}; their annotations stay")
    return 0
