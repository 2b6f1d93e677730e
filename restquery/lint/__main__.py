"""``python -m restquery.lint PATH...``: the ``restquery lint`` command on its own."""

import sys

from restquery.lint.cli import main

sys.exit(main())
