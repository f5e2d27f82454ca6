"""`python -m capacity validate FILE... [--json]`: check questionnaires without storing them.

The same reader the Upload page uses. Exit 0 when every file is valid, 1 when any is
not, 2 on a usage error (a file that does not exist or cannot be opened). Problems are
written in --lang, or by default in each file's own language, so a manager who filled
a Turkish questionnaire reads Turkish messages.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from capacity.cli import default_language
from capacity.i18n import LANGUAGES, translator
from capacity.questionnaire.reader import Problem, ReadResult, read_questionnaire


def register(subparsers: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    # Not built on `common`: its --lang defaults to the system language, but here the default
    # must be "each file's own language", which a shared default cannot express.
    t = translator(default_language())
    parser = subparsers.add_parser("validate", help=t("check questionnaire files and list every problem"))
    parser.add_argument(
        "files", nargs="+", type=Path, metavar="FILE", help=t("questionnaire files (.xlsx, .xlsm, .ods)")
    )
    parser.add_argument("--json", action="store_true", help=t("print the result as JSON"))
    parser.add_argument(
        "--lang",
        choices=sorted(LANGUAGES),
        default=None,
        help=t("language of the messages (default: each file's own language)"),
    )
    parser.set_defaults(handler=run)


def _problem(problem: Problem, lang: str) -> dict[str, str]:
    return {
        "sheet": problem.sheet,
        "cell": problem.cell,
        "indicator": problem.indicator,
        "message": problem.message.render(lang),
    }


def _as_json(path: Path, result: ReadResult, lang: str) -> dict[str, object]:
    return {
        "file": str(path),
        "valid": result.valid,
        "errors": [_problem(p, lang) for p in result.errors],
        "warnings": [_problem(p, lang) for p in result.warnings],
    }


def _print_text(path: Path, result: ReadResult, lang: str) -> None:
    t = translator(lang)
    if result.valid:
        print(t("{file}: valid ({warnings} warning(s))", file=path, warnings=len(result.warnings)))
    else:
        print(
            t(
                "{file}: NOT valid, {errors} error(s), {warnings} warning(s)",
                file=path,
                errors=result.error_count,
                warnings=result.warning_count,
            )
        )
    for problem in result.errors:
        print("  " + t("error: {problem}", problem=problem.render(lang)))
    for problem in result.warnings:
        print("  " + t("warning: {problem}", problem=problem.render(lang)))


def run(args: argparse.Namespace) -> int:
    t = translator(args.lang or "en")
    contents: list[tuple[Path, bytes]] = []
    for path in args.files:
        try:
            contents.append((path, path.read_bytes()))
        except OSError as exc:
            print(t("Cannot read {path}: {reason}", path=path, reason=exc.strerror or exc), file=sys.stderr)
            return 2
    report = []
    all_valid = True
    for path, data in contents:
        result = read_questionnaire(data, path.name)
        lang = args.lang or result.language
        all_valid = all_valid and result.valid
        if args.json:
            report.append(_as_json(path, result, lang))
        else:
            _print_text(path, result, lang)
    if args.json:
        print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0 if all_valid else 1
