"""Running `python -m capacity …` in process, the way a test reads what a person would see."""

from __future__ import annotations

from capacity.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """The exit code, standard output and standard error of one command (argparse's exits included)."""
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
