"""The exceptions restquery raises.

Every error that leaves the library is a :class:`RestQueryError`, itself a :class:`ValueError`, so
``except ValueError`` keeps working for callers who do not know restquery.

>>> import restquery
>>> try:
...     restquery.parse('/rest/Employee?$filter="lastName=Jones')
... except restquery.RestQuerySyntaxError as err:
...     print(err.code, err.span.start, err.span.end)
RQ002 23 38
"""

from __future__ import annotations

from restquery.ast import Span

__all__ = [
    "CatalogError",
    "RestClientError",
    "RestQueryError",
    "RestQueryLimitError",
    "RestQuerySyntaxError",
    "RestServerError",
    "UnparseError",
    "ValidationError",
]


class RestQueryError(ValueError):
    """Root of every exception raised by restquery."""


class RestQuerySyntaxError(RestQueryError):
    """The text is not a URL of the 4D REST language.

    ``code`` is stable (``RQ0xx``), ``span`` indexes the text exactly as it was passed to
    :func:`restquery.parse`, ``message`` says what is wrong and ``hint`` how to fix it;
    ``replacement``, when there is one right answer, is the text that replaces the span
    (the diagnostic's machine-applicable fix).
    """

    def __init__(
        self,
        code: str,
        message: str,
        span: Span,
        *,
        hint: str | None = None,
        url: str | None = None,
        name: str = "syntax-error",
        replacement: str | None = None,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.name = name
        self.message = message
        self.span = span
        self.hint = hint
        self.url = url
        self.replacement = replacement

    def __str__(self) -> str:
        where = f" (at {self.span.start}" + (
            f"-{self.span.end})" if self.span.end > self.span.start + 1 else ")"
        )
        text = f"{self.code}: {self.message}{where}"
        if self.hint:
            text += f"; hint: {self.hint}"
        return text

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (
            _rebuild_syntax_error,
            (
                type(self), self.code, self.message, tuple(self.span), self.hint, self.url,
                self.name, self.replacement,
            ),
        )


def _rebuild_syntax_error(
    cls: type[RestQuerySyntaxError],
    code: str,
    message: str,
    span: tuple[int, int],
    hint: str | None,
    url: str | None,
    name: str,
    replacement: str | None = None,
) -> RestQuerySyntaxError:
    return cls(code, message, Span(*span), hint=hint, url=url, name=name, replacement=replacement)


class RestQueryLimitError(RestQuerySyntaxError):
    """The input exceeds one of the limits given to :func:`restquery.parse`.

    The message names the limit's keyword option and its value.
    """


class RestClientError(RestQueryError):
    """:class:`restquery.client.Client` could not get an answer it can read: the transport
    failed, or the server answered with something that is not the JSON it should be."""


class RestServerError(RestQueryError):
    """The 4D server refused the request with an ``__ERROR`` body (spec §8.2): ``status`` is
    the HTTP status, ``errors`` the error stack as sent (root cause first), ``err_code``,
    ``message`` and ``component`` those of its first entry."""

    def __init__(self, status: int, errors: list[dict[str, object]]) -> None:
        first = errors[0] if errors else {}
        self.status = status
        self.errors = errors
        code = first.get("errCode")
        self.err_code: int | None = code if isinstance(code, int) else None
        self.message = str(first.get("message", "")) or f"HTTP {status}"
        component = first.get("componentSignature")
        self.component: str | None = component if isinstance(component, str) else None
        where = f" ({self.component} {self.err_code})" if self.component or self.err_code else ""
        super().__init__(f"the server answered {status}: {self.message}{where}")


class CatalogError(RestQueryError):
    """A ``$catalog`` document is malformed; the message names what is wrong and where.

    ``source`` names the document (a file name or ``<catalog>``), ``pointer`` the place inside
    it (JSON-pointer-like, ``/`` for the whole document, ``None`` when the text is not JSON) and
    ``reason`` what is wrong there.
    """

    def __init__(
        self,
        message: str,
        *,
        source: str | None = None,
        pointer: str | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(message)
        self.source = source
        self.pointer = pointer
        self.reason = reason if reason is not None else message


class UnparseError(RestQueryError):
    """An AST cannot be spelled as a URL (for example a text value holding both a quote
    and a space, which the 4D query language cannot express)."""


class ValidationError(RestQueryError):
    """Raised by :func:`restquery.assert_valid`; ``diagnostics`` holds every finding."""

    def __init__(self, message: str, diagnostics: list) -> None:  # type: ignore[type-arg]
        super().__init__(message)
        self.diagnostics = diagnostics
