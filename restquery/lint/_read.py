"""Opening the files to lint: regular files only, never blocking, never more than a limit.

A path may name a FIFO (reading waits for a writer that never comes), a device (``/dev/zero``
never ends) or a file larger than anything worth linting. :func:`open_regular` refuses what is
not a regular file before opening it, opens without blocking and checks again what it opened
(the path may have changed in between); :func:`read_bytes` and :func:`read_text` also stop
at ``limit`` bytes. Each raises :class:`Unreadable`, whose message is the problem as the user
sees it.

>>> import tempfile
>>> with tempfile.TemporaryDirectory() as d:
...     try:
...         read_text(d, DEFAULT_MAX_FILE_SIZE)
...     except Unreadable as err:
...         print(err)
not a regular file (a directory)
"""

from __future__ import annotations

import codecs
import os
import stat
from typing import BinaryIO

__all__ = [
    "DEFAULT_MAX_FILE_SIZE", "LIMIT_HINT", "Unreadable", "open_regular", "parse_size",
    "read_bytes", "read_text", "too_large",
]

#: Files larger than this (bytes) are skipped, and so are longer lines of access logs.
DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024

#: How to change the limit, said whenever it skips something.
LIMIT_HINT = (
    "raise the limit with --max-file-size BYTES or max-file-size in [tool.restquery]; 0 lifts it"
)
_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}

_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class Unreadable(Exception):
    """A file that is not read; the message says why."""


def _not_regular(mode: int) -> Unreadable:
    what = next((name for test, name in _KINDS if test(mode)), "of an unknown type")
    return Unreadable(f"not a regular file ({what})")


def parse_size(text: str) -> int:
    """A size in bytes written as a number, optionally with ``K``, ``M`` or ``G`` (binary
    multiples): ``"10M"`` is 10 MiB. :class:`ValueError` for anything else or a negative size.

    >>> parse_size("10M"), parse_size("512k"), parse_size("0")
    (10485760, 524288, 0)
    """
    digits = text.strip().lower().removesuffix("b").removesuffix("i")
    unit = digits[-1:] if digits[-1:] in _UNITS else ""
    number = digits[: len(digits) - len(unit)].strip()
    if not number.isdigit() or not number.isascii() or len(number) > 18:
        raise ValueError(f"{text!r} is not a size in bytes such as 10485760, 512K or 10M")
    return int(number) * _UNITS[unit]


def open_regular(path: str) -> BinaryIO:
    """``path`` opened for reading bytes, or :class:`Unreadable`."""
    try:
        mode = os.stat(path).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (OSError, ValueError) as err:  # ValueError: a NUL in the path
        raise Unreadable(getattr(err, "strerror", None) or str(err)) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise _not_regular(mode)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def too_large(size: int, limit: int, what: str = "", action: str = "not linted") -> Unreadable:
    """The problem of something (``what``) ``size`` bytes long, over the ``limit``."""
    return Unreadable(f"{what}{size} bytes, over the {limit}-byte limit, {action} ({LIMIT_HINT})")


def read_bytes(path: str, limit: int, action: str = "not linted") -> bytes:
    """The bytes of the regular file at ``path``, or :class:`Unreadable`; ``limit``: at most
    that many (0: no limit), ``action`` saying what is then not done with the file."""
    try:
        with open_regular(path) as fh:
            size = os.fstat(fh.fileno()).st_size
            if limit and size > limit:
                raise too_large(size, limit, action=action)
            # Read one byte past the limit: a file that grew since, or whose size the system
            # does not report, is caught as well.
            data = fh.read(limit + 1) if limit else fh.read()
    except OSError as err:
        raise Unreadable(err.strerror or str(err)) from None
    if limit and len(data) > limit:
        raise too_large(len(data), limit, "more than ", action)
    return data


def read_text(path: str, limit: int) -> str:
    """The text of the file at ``path`` as Python reads a text file (UTF-8, an optional byte
    order mark, line breaks made ``\\n``), or :class:`Unreadable`. ``limit``: at most that
    many bytes (0: no limit)."""
    data = read_bytes(path, limit)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        at = err.start + (len(codecs.BOM_UTF8) if data.startswith(codecs.BOM_UTF8) else 0)
        raise Unreadable(f"not UTF-8 text (byte {at})") from None
    del data
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text
