"""The ``kcn-gis`` command: one sub-command per capability (see ``kcn-gis --help``).

:mod:`.commands` builds the parser and runs the commands; :mod:`.history` and
:mod:`.scenarios` add the plan-history and scenario sub-commands.
"""

from .commands import build_parser, main

__all__ = ["build_parser", "main"]
