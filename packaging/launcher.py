"""Entry point of the frozen app: the CLI (which opens the window when no command is given), the
``--probe-gguf`` child, and ``--self-test`` (the installation check every packaged build ends with)."""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Sequence

# qasync and pyqtgraph pick the first Qt binding they find; the bundle holds only PySide6 anyway.
os.environ.setdefault("QT_API", "pyside6")


def main(argv: Sequence[str] | None = None) -> int:
    # The judges' checks run in a spawned worker process (services/check_process.py): in the frozen app
    # that worker is this executable started again, and must run the worker, not a second window.
    multiprocessing.freeze_support()
    args = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in args[:2]:
        # The self-test belongs to the window's front end (it needs the QApplication and theme app.main
        # builds), while cli.main routes only subcommands; `--db` and Qt options pass through.
        from council_desktop.app import main as app_main

        return app_main(args)
    from council_desktop.cli import main as cli_main

    return cli_main(args)


if __name__ == "__main__":
    sys.exit(main())
