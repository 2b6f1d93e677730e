"""The path-form machine (restquery.semantics.paths) is the one table of path forms: the
classifier and rule R3 (RQ103) read it, so they agree on every sequence of segments."""

from __future__ import annotations

import itertools

import pytest

import restquery
from restquery.semantics.paths import COLLECTION_FORMS, ENTITY_FORMS, first_offence, segment_kinds
from restquery.shape import classify

# One segment of each kind, as the URL writes it.
SEGMENT = {
    "L": "a,b", "N": "name", "D": "a.b", "E": "$entityset", "R": "$release", "I": "ABC123",
    "C": "fn(1)", "K": "$all",
}


def _url(kinds: str, head: str = "/rest/Employee") -> str:
    return head + "".join("/" + SEGMENT[k] for k in kinds)


def test_each_letter_is_the_kind_of_its_segment() -> None:
    for kinds in ("L", "N", "D", "EI", "ER", "C", "K"):
        req = restquery.parse(_url(kinds))
        assert segment_kinds(req.path.segments[1:]) == kinds


@pytest.mark.parametrize("kinds", sorted(COLLECTION_FORMS))
def test_every_documented_collection_form_classifies_as_declared(kinds: str) -> None:
    shape = classify(restquery.parse(_url(kinds)))
    assert shape.form is not None and shape.form in COLLECTION_FORMS[kinds].split("/"), shape
    assert first_offence(kinds) is None


def test_a_dotted_path_before_an_entity_set_is_a_documented_form() -> None:
    # P10 with one dotted path: the classifier always took it, R3 once did not.
    url = "/rest/Employee/employer.name/$entityset/ABC123"
    assert classify(restquery.parse(url)).form == "P10"
    assert "RQ103" not in [d.code for d in restquery.validate(url)]


@pytest.mark.parametrize("kinds", sorted(ENTITY_FORMS))
def test_every_documented_entity_form_has_no_offence(kinds: str) -> None:
    assert first_offence(kinds, ENTITY_FORMS) is None
    assert classify(restquery.parse(_url(kinds, "/rest/Employee(1)"))).form is not None


def test_the_offence_names_the_segment_and_whether_the_form_was_complete() -> None:
    off = first_offence("ERN")
    assert off is not None and (off.index, off.complete) == (2, True)
    off = first_offence("LX")
    assert off is not None and (off.index, off.complete) == (1, False)
    [d] = [d for d in restquery.validate(_url("ERN")) if d.code == "RQ103"]
    assert "nothing may follow" in d.message
    assert d.span.start == len(_url("ER")) + 1  # the `name` segment


def test_classifier_and_rule_agree_on_every_short_sequence() -> None:
    # A path either follows a documented form, or RQ103 says where it does not (R2, RQ102,
    # reports a misplaced `$` keyword instead, so the two are not reported twice).
    seen = 0
    for n in range(4):
        for kinds in map("".join, itertools.product(SEGMENT, repeat=n)):
            for head in ("/rest/Employee", "/rest/Employee(1)"):
                url = _url(kinds, head)
                try:
                    req = restquery.parse(url)
                except restquery.RestQuerySyntaxError:
                    continue
                codes = {d.code for d in restquery.validate(req)}
                follows = classify(req).form is not None
                assert follows == (not codes & {"RQ103", "RQ102"}), (url, codes)
                seen += 1
    assert seen > 500


def test_valid_scenarios_draw_every_read_form_of_the_path_machine() -> None:
    """The read and entity scenarios build their paths from the machine's sequences: every
    sequence of the forms they cover is drawn, and each URL classifies as the form drawn."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    import restquery
    from restquery.semantics.paths import COLLECTION_FORMS, ENTITY_FORMS
    from restquery.shape import classify
    from restquery.strategies import _valid

    assert set(_valid.READ_SEQUENCES) == {
        k for k, f in COLLECTION_FORMS.items() if f in ("P1", "P5", "P9", "P10") and set(k) <= set("LDEI")
    } and {"", "L", "EI", "LEI", "DEI"} <= set(_valid.READ_SEQUENCES)
    assert _valid.ENTITY_SEQUENCES == tuple(k for k, f in ENTITY_FORMS.items() if f == "P6")
    seen: set[str] = set()
    schema = _valid._Schema(None)

    @settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
    @given(st.one_of(_valid._sc_read(schema, None), _valid._sc_entity(schema, None)))
    def draw(req: restquery.Request) -> None:
        shape = classify(req)
        assert shape.form is not None, req
        seen.add(shape.form)
        url = restquery.unparse(req)
        assert [d for d in restquery.validate(url) if d.severity == "error"] == [], url

    # A form is one draw in several hundred: a few more runs when one run happened to miss one.
    for _ in range(5):
        draw()
        if {"P1", "P5", "P9", "P10", "P6"} <= seen:
            break
    assert {"P1", "P5", "P9", "P10", "P6"} <= seen, seen
