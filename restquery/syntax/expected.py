"""What the parsers expected, in words users know (used by :mod:`restquery.syntax.explain`).

Terminal names never reach the user: each terminal of ``grammar/*.lark`` that an error can
expect is described ("a comparison operator such as `=` or `>`"), and each kind of text only
ever names its own terminals.
"""

from __future__ import annotations

from restquery.syntax.lexicon import lexicon

__all__ = [
    "CLOSERS",
    "COMPARATOR",
    "CONDITION",
    "END",
    "JSON_VALUE",
    "KINDS",
    "PAIRS",
    "VALUE",
    "describe",
    "unmatched_open",
]

CONDITION = "a condition such as `lastName='Smith'`"
COMPARATOR = "a comparison operator such as `=` or `>`"
VALUE = "a value such as `'Smith'`, `42` or `:1`"
JSON_VALUE = 'a JSON value such as `"Smith"`, `42` or `[...]`'

# Lark spells the end of input "$END"; lark-cython sometimes "<END-OF-FILE>".
END = frozenset({"$END", "<END-OF-FILE>"})
CLOSERS = {"RPAR": "(", "RSQB": "[", "RBRACE": "{"}
PAIRS = {"(": ")", "[": "]", "{": "}"}

# A terminal that stands for several words (`OR` and `EXCEPT`) maps to a tuple of phrases.
_WORDS: dict[str, str | tuple[str, ...]] = {
    "ORIGIN": "a host",
    "TEMPLATE": "a host",
    "SLASH": "`/`",
    "SEGMENT": "a path segment",
    "QMARK": "`?`",
    "AMPS": "`&`",
    "EQ": "`=`",
    "PNAME": "a parameter name such as `$filter`",
    "DQ_VALUE": "a value",
    "SQ_VALUE": "a value",
    "RAW_VALUE": "a value",
    "KEYWORD": "a `$` keyword",
    "NAME": "a name",
    "QUOTED_KEY": "a key",
    "BARE_KEY": "a key",
    "SET_ID": "an entity-set ID",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "LBRACE": "`{`",
    "RBRACE": "`}`",
    "COLON": "`:`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "CMP": COMPARATOR,
    "BEGIN": COMPARATOR,
    "IN": COMPARATOR,
    "IS": COMPARATOR,
    "IS_NOT": COMPARATOR,
    "AND_OP": "`AND`",
    "OR_OP": ("`OR`", "`EXCEPT`"),
    "NOT": CONDITION,
    "SQ_TEXT": VALUE,
    "BARE": VALUE,
    "ITEM_BARE": VALUE,
    "DQ_STRING": VALUE,
    "PLACEHOLDER": VALUE,
    "INDEX": "`[]`",
    "CLASS_INDEX": "`{n}`",
    "DIRECTION": ("`ASC`", "`DESC`"),
    "STAR": "`*`",
    "DOT_STAR": "`.*`",
    "JSON_NUMBER": JSON_VALUE,
    "JSON_TRUE": JSON_VALUE,
    "JSON_FALSE": JSON_VALUE,
    "JSON_NULL": JSON_VALUE,
}

# The parsers share LALR states between start symbols, so Lark's "expected" sets can name
# terminals of another sub-language (a sort direction after a filter's attribute path). Each
# kind of text only ever describes its own terminals (a filter's also include the comparator
# rule's, which the lexicon reads from the grammar).
_PATH_TAIL = frozenset({"DOT", "INDEX", "CLASS_INDEX"})
_KIND_TERMINALS: dict[str, frozenset[str]] = {
    "filter": frozenset(
        {
            "NAME",
            "LPAR",
            "RPAR",
            "NOT",
            "PLACEHOLDER",
            "AND_OP",
            "OR_OP",
            "LSQB",
            "RSQB",
            "SQ_TEXT",
            "BARE",
            "ITEM_BARE",
            "DQ_STRING",
            "COMMA",
            "$END",
        }
    )
    | _PATH_TAIL,
    "sort": frozenset({"NAME", "DIRECTION", "COMMA", "$END"}) | _PATH_TAIL,
    "attributes": frozenset({"NAME", "STAR", "DOT_STAR", "COMMA", "$END"}) | _PATH_TAIL,
    "paths": frozenset({"NAME", "COMMA", "$END"}) | _PATH_TAIL,
    "json": frozenset(
        {
            "DQ_STRING",
            "NAME",
            "JSON_NUMBER",
            "JSON_TRUE",
            "JSON_FALSE",
            "JSON_NULL",
            "LBRACE",
            "RBRACE",
            "LSQB",
            "RSQB",
            "COLON",
            "COMMA",
            "$END",
        }
    ),
}
KINDS = frozenset(_KIND_TERMINALS)


def unmatched_open(text: str, upto: int, opener: str, closer: str) -> int | None:
    """Offset of the innermost ``opener`` before ``upto`` that no ``closer`` matches."""
    stack: list[int] = []
    quote = ""
    escaped = False
    for i, ch in enumerate(text[:upto]):
        if quote:
            if escaped:
                escaped = False
            elif ch == "\\" and quote == '"':
                escaped = True
            elif ch == quote:
                quote = ""
        elif ch in "'\"" and (i == 0 or not text[i - 1].isalnum()):
            # a quote after a letter or digit is text (O'Reilly), not an opening quote
            quote = ch
        elif ch == opener:
            stack.append(i)
        elif ch == closer and stack:
            stack.pop()
    return stack[-1] if stack else None


def describe(expected: set[str], kind: str, text: str, pos: int) -> str:
    """What the parser expected at ``pos``, in words."""
    names = {"$END" if n in END else n for n in expected}
    comparators = lexicon().comparator_terminals
    allowed = _KIND_TERMINALS.get(kind)
    if allowed is not None:
        names &= (allowed | comparators) if kind == "filter" else allowed
    # a closer is only worth naming when something is open
    for closer, opener in CLOSERS.items():
        if closer in names and unmatched_open(text, pos, opener, PAIRS[opener]) is None:
            names.discard(closer)
    phrases: list[str] = []
    if kind in ("filter", "sort", "attributes", "paths") and "NAME" in names:
        if kind == "filter" and "LPAR" in names:
            names -= {"NAME", "LPAR", "NOT", "PLACEHOLDER"}
            phrases.append(CONDITION)
        else:
            names.discard("NAME")
            phrases.append("an attribute name")
    if names & comparators or (kind in ("sort", "attributes", "paths") and names & _PATH_TAIL):
        # after an attribute path: `.`, `[]` and `{n}` could continue it, but the useful
        # words are what comes after a path in this kind of text
        names -= _PATH_TAIL | {"$END"}
        if kind == "filter":
            names -= comparators | {"COMMA"}
            phrases.append(COMPARATOR)
    if kind == "json":
        if "NAME" in names:
            names -= {"NAME", "DQ_STRING"}
            phrases.append('a key such as `"name"`')
        if names & {"DQ_STRING", "JSON_NUMBER", "LBRACE", "LSQB"}:
            names -= {
                "DQ_STRING",
                "JSON_NUMBER",
                "JSON_TRUE",
                "JSON_FALSE",
                "JSON_NULL",
                "LBRACE",
                "LSQB",
            }
            phrases.append(JSON_VALUE)
    if kind == "segment" and "NAME" in names:
        names.discard("NAME")
        phrases.append("a name such as `Company`")
    # words and operators first, then punctuation, then the end
    for name in sorted(names, key=lambda n: (n == "$END", n in ("COMMA", "RPAR", "RSQB"), n)):
        phrase: str | tuple[str, ...]
        if name == "$END":
            phrase = "the end of the URL" if kind == "url" else "the end of the value"
            if kind == "segment":
                phrase = "the end of the segment"
        elif name in _WORDS:
            phrase = _WORDS[name]
        else:
            continue  # an internal terminal (anonymous pattern): never show its name
        for part in (phrase,) if isinstance(phrase, str) else phrase:
            if part not in phrases:
                phrases.append(part)
    if not phrases:
        return ""
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " or " + phrases[-1]
