"""``python -m gis_app.cli``: the same as the ``kcn-gis`` command."""

import sys

from .commands import main

sys.exit(main())
