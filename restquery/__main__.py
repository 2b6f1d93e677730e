"""``python -m restquery``: the same as the ``restquery`` command."""

from __future__ import annotations

if __name__ == "__main__":
    from restquery.cli import main

    raise SystemExit(main())
