"""`python -m capacity template --out FILE [--lang tr]`: write the blank questionnaire."""

from __future__ import annotations

import argparse
from pathlib import Path

from capacity.cli import default_language
from capacity.i18n import translator
from capacity.questionnaire.template import build_template


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    t = translator(default_language())
    parser = subparsers.add_parser(
        "template", parents=[common], help=t("write the blank Excel questionnaire")
    )
    parser.add_argument("--out", required=True, type=Path, help=t("where to write the .xlsx file"))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(build_template(lang=args.lang))
    print(t("Questionnaire written to {path}", path=args.out))
    return 0
