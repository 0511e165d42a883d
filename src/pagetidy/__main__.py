"""``python -m pagetidy``: the same as the ``pagetidy`` command."""

from pagetidy.cli import run

run()
