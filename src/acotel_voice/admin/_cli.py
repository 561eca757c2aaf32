"""``acotel-voice admin add-user``: the steering accounts, made from the command line."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ..records import open_records
from ..records._cli import DEFAULT_RECORDS
from ..records._exports import write_atomic
from ._accounts import CARSAT_REGIONS, ROLES, Accounts
from ._copil import copil_data, copil_pdf, copil_xlsx


def _add_user(args: argparse.Namespace, out: TextIO) -> int:
    if not args.password_stdin:
        raise ValueError("give the password on standard input with --password-stdin")
    password = sys.stdin.readline().rstrip("\n")
    store = open_records(args.records)
    user = Accounts(store).add_user(args.login, args.role, password, args.region)
    print(f"compte {user.login} créé ({user.role}"
          f"{', ' + user.region if user.region else ''})", file=out)
    return 0


def _copil(args: argparse.Namespace, out: TextIO) -> int:
    data = copil_data(open_records(args.records), args.month, args.region)
    folder = Path(args.out)
    for suffix, body in (("xlsx", copil_xlsx(data)), ("pdf", copil_pdf(data))):
        target = folder / f"copil-{args.month}{'-' + args.region if args.region else ''}.{suffix}"
        write_atomic(target, body)
        print(target, file=out)
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
    copil = commands.add_parser("copil", help="the monthly steering committee's report")
    copil.add_argument("--records", default=DEFAULT_RECORDS, help="sqlite:///PATH or postgresql://…")
    copil.add_argument("--month", required=True, help="AAAA-MM")
    copil.add_argument("--region", choices=CARSAT_REGIONS)
    copil.add_argument("--out", default=".", help="folder for the XLSX and PDF files")
    copil.set_defaults(handler=_copil)
