"""Fixes applied to files: ``lint --fix`` writes them, ``lint --diff`` shows them.

A finding's fix is applied when it is machine-applicable in the file: its ``source_fix`` (edits
of the file's text; the linter makes one from a URL fix when the URL's characters are written
as themselves in the file, and the code lints make their own) and, without ``--unsafe-fixes``,
marked safe. The edits of one fix go in together or not at all; a fix that overlaps one
already taken waits for the next pass. Each pass lints the file's current text again, so the
fixes of a pass never stand on offsets of the one before; passes stop when nothing more
applies (at most :data:`MAX_PASSES`), so that a second run finds nothing to fix.

A file is written only if its bytes are still those that were read: a file that changed
meanwhile (an editor saving it) is left alone and named. Its byte order mark and its line
breaks (``\\n`` or ``\\r\\n``) are kept; a file mixing line breaks is not fixed.
"""

from __future__ import annotations

import codecs
import difflib
import os
import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from restquery.diagnostics import Diagnostic, Edit, Fix
from restquery.lint._read import Unreadable, read_bytes
from restquery.lint._text import Text
from restquery.report._model import Finding

__all__ = ["FileFix", "MAX_PASSES", "applicable", "apply_fixes", "fix_file", "fixed_url", "in_file"]

#: At most this many passes over a file.
MAX_PASSES = 8


#: Characters an edit may not write into a file of each kind as they are: the markup around
#: them would need them escaped (``lint`` does not write escapes). In code, what a string
#: literal needs escaped depends on the literal: see :func:`_forbidden`.
_RAW_ONLY = "\n\r"
_NEEDS_ESCAPE = {
    "json": "\\\"" + _RAW_ONLY,
    "html": "<>&\"'" + _RAW_ONLY,
}
_CODE = frozenset({"python", "js", "java", "4d"})


def _forbidden(text: Text, kind: str) -> tuple[str, tuple[str, ...]]:
    """The characters and the sequences an edit may not write into ``text`` as they are."""
    origin = text.origin
    if kind not in _CODE or origin is None:
        return _NEEDS_ESCAPE.get(kind, "`" + _RAW_ONLY), ()
    head = origin.source[origin.start : origin.start + 4]
    prefix = head[: len(head) - len(head.lstrip("rRbBuUfF"))] if kind == "python" else ""
    quote = head[len(prefix) : len(prefix) + 1]
    chars = "\\" + quote + _RAW_ONLY
    if "f" in prefix.lower():
        chars += "{}"
    return chars, ("${",) if quote == "`" else ()


def in_file(text: Text, start: int, fix: Fix, kind: str) -> Fix | None:
    """``fix``, whose edits index the URL ``text.chars[start:...]``, as edits of the file, or
    ``None`` when an edit replaces characters that are not written as themselves in the file
    (an escape) or writes one that a file of ``kind`` would need escaped."""
    chars, sequences = _forbidden(text, kind)
    n = len(text.chars)
    edits = []
    for e in fix.edits:
        if any(c in chars for c in e.text) or any(q in e.text for q in sequences):
            return None
        a, b = start + e.offset, start + e.offset + e.length
        if not 0 <= a <= b <= n:
            return None
        for i in range(a, b):
            verbatim = text.src_end(i) - text.src_start(i) == 1
            if not verbatim or (i + 1 < b and text.src_start(i + 1) != text.src_end(i)):
                return None
        if a < n:
            at = text.src_start(a)
        else:
            at = text.src_end(n - 1) if n else text.base
        edits.append(Edit(offset=at, length=e.length, text=e.text))
    return Fix(edits=tuple(edits), description=fix.description, safe=fix.safe)


def applicable(fixes: Iterable[Fix | None], unsafe: bool) -> list[Fix]:
    """The ``fixes`` that may be applied together (in order, none overlapping one taken
    before), safe ones only unless ``unsafe``."""
    taken: list[tuple[int, int]] = []
    out: list[Fix] = []
    for fix in fixes:
        if fix is None or not fix.edits or (not fix.safe and not unsafe):
            continue
        spans = [(e.offset, e.offset + e.length) for e in fix.edits]
        if any(_overlap(s, t) for s in spans for t in taken) or any(
            _overlap(a, b) for i, a in enumerate(spans) for b in spans[i + 1 :]
        ):
            continue
        taken.extend(spans)
        out.append(fix)
    return out


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> bool:
    # Two insertions at one point conflict too: their order would be a guess.
    if a[0] == a[1] == b[0] == b[1]:
        return True
    return a[0] < b[1] and b[0] < a[1]


def apply_fixes(text: str, fixes: Sequence[Fix]) -> str:
    """``text`` with the edits of ``fixes`` (which do not overlap) applied."""
    edits: list[Edit] = sorted((e for fix in fixes for e in fix.edits), key=lambda e: e.offset, reverse=True)
    for e in edits:
        text = text[: e.offset] + e.text + text[e.offset + e.length :]
    return text


@dataclass
class FileFix:
    """What fixing one file did: its text before and after, how many fixes went in, and why
    it was not written (``None`` when it was, or when there was nothing to write)."""

    path: str
    display: str
    before: str
    after: str
    fixed: int = 0
    refused: str | None = None

    def diff(self) -> str:
        """The change as a unified diff (``a/`` and ``b/`` paths, as ``git diff`` writes)."""
        lines = difflib.unified_diff(
            self.before.splitlines(keepends=True),
            self.after.splitlines(keepends=True),
            f"a/{self.display}",
            f"b/{self.display}",
        )
        out = []
        for line in lines:
            out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
        return "".join(out)


def _decode(data: bytes) -> tuple[str, bool, str] | None:
    """``(text with \\n line breaks, has a BOM, the line break to write)``, or ``None`` for a
    file whose line breaks are mixed."""
    bom = data.startswith(codecs.BOM_UTF8)
    text = data.decode("utf-8-sig")
    crlf = text.count("\r\n")
    if "\r" not in text:
        return text, bom, "\n"
    if crlf == text.count("\r") and crlf == text.count("\n"):
        return text.replace("\r\n", "\n"), bom, "\r\n"
    return None


def _encode(text: str, bom: bool, newline: str) -> bytes:
    if newline != "\n":
        text = text.replace("\n", newline)
    data = text.encode("utf-8", "surrogateescape")
    return codecs.BOM_UTF8 + data if bom else data


def fix_file(
    path: str,
    display: str,
    lint: Callable[[str], Sequence[Finding]],
    *,
    unsafe: bool = False,
    write: bool = True,
    limit: int = 0,
) -> FileFix:
    """Fix the file at ``path`` (``lint(text)``: the findings of a text of it) and, if
    ``write``, write it back when its bytes did not change meanwhile."""
    try:
        data = read_bytes(path, limit, action="not fixed")
        decoded = _decode(data)
    except (Unreadable, UnicodeDecodeError) as err:
        reason = str(err) if isinstance(err, Unreadable) else "not UTF-8 text"
        return FileFix(path, display, "", "", refused=reason)
    if decoded is None:
        return FileFix(path, display, "", "", refused="its line breaks are mixed: not fixed")
    text, bom, newline = decoded
    result = FileFix(path, display, text, text)
    for _ in range(MAX_PASSES):
        fixes = applicable((f.source_fix for f in lint(result.after)), unsafe)
        if not fixes:
            break
        result.after = apply_fixes(result.after, fixes)
        result.fixed += len(fixes)
    if not write or result.after == result.before:
        return result
    try:
        if read_bytes(path, limit, action="not fixed") != data:
            result.refused = "it changed while it was being fixed: not written"
            return result
        tmp = f"{path}.restquery-fix"
        with open(tmp, "wb") as fh:
            fh.write(_encode(result.after, bom, newline))
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except (OSError, Unreadable) as err:
        result.refused = f"cannot be written: {getattr(err, 'strerror', None) or err}"
    return result


def fixed_url(url: str, diagnostics: Callable[[str], Sequence[Diagnostic]], unsafe: bool = False) -> str:
    """``url`` with its fixes applied, pass after pass (``check --fix``)."""
    for _ in range(MAX_PASSES):
        fixes = applicable((d.fix for d in diagnostics(url)), unsafe)
        if not fixes:
            break
        url = apply_fixes(url, fixes)
    return url
