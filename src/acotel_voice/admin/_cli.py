"""``acotel-voice admin add-user``: the steering accounts, made from the command line."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from ..records import open_records
from ..records._cli import DEFAULT_RECORDS
from ._accounts import CARSAT_REGIONS, ROLES, Accounts


def _add_user(args: argparse.Namespace, out: TextIO) -> int:
    if not args.password_stdin:
        raise ValueError("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    store = open_records(args.records)
    user = Accounts(store).add_user(args.login, args.role, password, args.region)
    print(f"compte {user.login} créé ({user.role}"
          f"{', ' + user.region if user.region else ''})", file=out)
    return 0


def add_commands(commands: Any) -> None:
    admin = commands.add_parser("admin", help="steering web app accounts")
    sub = admin.add_subparsers(dest="admin_command", required=True)
    add = sub.add_parser("add-user", help="create a steering account")
    add.add_argument("--records", default=DEFAULT_RECORDS, help="sqlite:///PATH or postgresql://…")
    add.add_argument("--login", required=True)
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--region", choices=CARSAT_REGIONS)
    add.add_argument("--password-stdin", action="store_true",
                     help="read the password from standard input (never from the command line)")
    add.set_defaults(handler=_add_user)
