"""The syntax of the 4D REST URL language: everything between the text and the typed tree.

The grammars (``grammar/*.lark``) are the only spelling of the syntax; this package loads them
and holds what reads them:

* :mod:`~restquery.syntax.grammar` — building the LALR parsers (on first use, tables cached on
  disk);
* :mod:`~restquery.syntax.lexicon` — every terminal, keyword and operator spelling, read from
  the built grammars (cached beside the tables): the only Python code that knows them;
* :mod:`~restquery.syntax.decode` — percent-decoding one component with its offset map;
* :mod:`~restquery.syntax.values` — typing bare lexemes (numbers and their limit, dates, ...);
* :mod:`~restquery.syntax.lean` — the lean pass: the common shapes without Lark;
* :mod:`~restquery.syntax.transformer` — the Lark fallback's inline transformers, the only code
  that sees Lark trees and tokens;
* :mod:`~restquery.syntax.limits` — the limit options and the nesting checks;
* :mod:`~restquery.syntax.explain` and :mod:`~restquery.syntax.expected` — syntax errors in
  the user's words, with stable codes.

:func:`restquery.parser.parse` orchestrates them. Nothing is imported here, so importing one
module of the package loads only what that module needs.
"""

from __future__ import annotations

__all__: list[str] = []
