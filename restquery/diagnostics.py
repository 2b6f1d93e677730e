"""Diagnostics: what the checker found, as immutable data.

>>> import restquery
>>> [d] = restquery.validate("/rest/Company(11)/blobAtt?$binary=true")
>>> d.code, d.name, d.severity, d.param
('RQ301', 'binary-requires-expand', 'error', '$binary')
>>> d.hint
'add &$expand=blobAtt'
>>> d.fix.apply("/rest/Company(11)/blobAtt?$binary=true")
'/rest/Company(11)/blobAtt?$binary=true&$expand=blobAtt'
>>> restquery.Diagnostic.from_dict(d.to_dict()) == d
True
"""

from __future__ import annotations

from restquery._records import record

from restquery.ast import Span

TYPE_CHECKING = False  # mypy reads the TYPE_CHECKING branches; typing is not imported at run time
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Diagnostic", "Edit", "Fix", "SEVERITIES"]

SEVERITIES = ("error", "warning")


@record
class Edit:
    """Replace ``length`` characters at ``offset`` of the URL with ``text``."""

    offset: int
    length: int
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"offset": self.offset, "length": self.length, "text": self.text}


@record
class Fix:
    """A machine-applicable fix: non-overlapping edits of the URL as given. ``safe``: it keeps
    what the request (or the code) means to do, so ``lint --fix`` applies it; an unsafe one
    (a rewrite that needs an import, say) only with ``--unsafe-fixes``."""

    edits: tuple[Edit, ...]
    description: str
    safe: bool = True

    def apply(self, url: str) -> str:
        """``url`` with the edits applied (from the end, so offsets stay valid)."""
        for edit in sorted(self.edits, key=lambda e: e.offset, reverse=True):
            url = url[: edit.offset] + edit.text + url[edit.offset + edit.length :]
        return url

    def to_dict(self) -> dict[str, Any]:
        return {
            "description": self.description,
            "edits": [e.to_dict() for e in self.edits],
            "safe": self.safe,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Fix:
        return cls(
            description=data["description"],
            edits=tuple(Edit(offset=e["offset"], length=e["length"], text=e["text"]) for e in data["edits"]),
            safe=data.get("safe", True),
        )


@record
class Diagnostic:
    """One finding.

    ``code`` (``"RQ301"``) is stable and never reused; ``name`` (``"binary-requires-expand"``)
    says the same in words; ``severity`` is ``"error"`` (the request cannot work as documented)
    or ``"warning"`` (it works but is undocumented, deprecated or odd). ``span`` indexes the URL
    exactly as given; ``param`` is the parameter concerned (``"$expand"``) or ``None``; ``hint``
    is an imperative fix, ``fix`` a machine-applicable one when there is a single right answer.
    """

    code: str
    name: str
    severity: str
    message: str
    span: Span
    param: str | None = None
    hint: str | None = None
    fix: Fix | None = None

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"code", "name", "severity", "message", "start", "end", "param",
        "hint", "fix"}``."""
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity,
            "message": self.message,
            "start": self.span.start,
            "end": self.span.end,
            "param": self.param,
            "hint": self.hint,
            "fix": self.fix.to_dict() if self.fix is not None else None,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Diagnostic:
        """The inverse of :meth:`to_dict`."""
        fix = data.get("fix")
        return cls(
            code=data["code"],
            name=data["name"],
            severity=data["severity"],
            message=data["message"],
            span=Span(data["start"], data["end"]),
            param=data.get("param"),
            hint=data.get("hint"),
            fix=Fix.from_dict(fix) if fix else None,
        )
