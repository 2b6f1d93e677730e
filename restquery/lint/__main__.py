"""``python -m restquery.lint`` runs ``restquery lint``."""

if __name__ == "__main__":
    import sys

    from restquery.lint.cli import main

    sys.exit(main())
