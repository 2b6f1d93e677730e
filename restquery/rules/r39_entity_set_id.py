"""R39: entity-set IDs are the 32 hexadecimal characters the server generates (spec §2.1,
§7.3, §12 item 17)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from restquery.ast import EntitySetSegment, Span, Word, is_template
from restquery.diagnostics import Diagnostic
from restquery.rules._base import Context, Rule, on_path, rule, segment_name_span

_SERVER_ID = re.compile(r"[0-9A-Fa-f]{32}")
_ALNUM = re.compile(r"[A-Za-z0-9]+")


def _detail(entity_set_id: str) -> str:
    if not _ALNUM.fullmatch(entity_set_id):
        return "; it also contains characters other than letters and digits"
    return ""


def _ids(ctx: Context) -> Iterator[tuple[str, Span, str | None]]:
    """(ID, span of the ID, parameter) for the path's entity set and ``$otherCollection``."""
    for seg in ctx.request.path.segments:
        if isinstance(seg, EntitySetSegment) and not is_template(seg.id):
            # Qodly's `{id}[key]`: the ID alone
            yield seg.id, segment_name_span(seg), None
    for p in ctx.params.get("$otherCollection", ()):
        if isinstance(p.value, Word) and p.value.value:
            yield p.value.value, p.value.span, "$otherCollection"


@rule(
    "RQ347",
    "entity-set-id-form",
    "warning",
    spec="R39",
    message="The entity-set ID `{id}` is not a server-generated ID of 32 hexadecimal "
    "characters{detail}.",
    when=(on_path("$entityset"), "$otherCollection"),
)
def entity_set_id_form(ctx: Context, rule: Rule) -> Iterator[Diagnostic]:
    """An entity-set ID (after ``$entityset/`` or in ``$otherCollection``) that is not 32
    hexadecimal characters.

    Why: the server names entity sets with 32 uppercase hexadecimal characters
    (``9718A30BF61343C796345F3BE5B01CE7``) and answers 404 for an unknown one. The docs also
    show placeholders (``0ANUMBER``, ``entitySetID``) and invented IDs (``ABC123``), so other
    spellings are warned about, not rejected (spec §12 item 17); the message says when the ID
    holds characters other than letters and digits. Qodly's ``{{entitySetID}}`` is a template
    placeholder (spec §1.1): what it holds is unknown, so it is not judged.

    Example: ``/rest/Employee/$entityset/0ANUMBER`` — warning.
    ``/rest/Employee/$entityset/ABC123`` — warning.
    ``/rest/Employee/$entityset/{{entitySetID}}`` — valid.
    ``/rest/Employee/$entityset/9718A30BF61343C796345F3BE5B01CE7`` — valid.

    Fix: use the ID from the ``__ENTITYSET`` URI the server returned.

    Spec: R39, §2.1, §12.
    """
    for entity_set_id, span, param in _ids(ctx):
        if _SERVER_ID.fullmatch(entity_set_id):
            continue
        yield rule.at(
            span,
            param=param,
            hint="use the ID from the __ENTITYSET URI the server returned",
            id=entity_set_id,
            detail=_detail(entity_set_id),
        )


RULES = (entity_set_id_form,)
