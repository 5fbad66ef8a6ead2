"""``python -m clientcore``: the ``clientcore`` command."""

from clientcore.cli import main

if __name__ == "__main__":  # pragma: no cover - run as a program
    main()
