"""Property: whatever a question says, fact retrieval (citybot/retrieval) never raises, ranks best
first inside the scope it was given, and `matching` keeps a part of `rank`."""

from __future__ import annotations

from hostile import hostile_text, property_settings
from hypothesis import example, given
from hypothesis import strategies as st

from citybot.kb import load_knowledge_base
from citybot.paths import DEFAULT_KNOWLEDGE_DIR

INDEX = load_knowledge_base(DEFAULT_KNOWLEDGE_DIR).fact_index
CITIES = [None, "osan", "evry-courcouronnes", "no-such-city"]
KINDS = [None, {"measure"}, {"remark", "webinar"}, set()]


@property_settings(200)
@given(text=hostile_text, city=st.sampled_from(CITIES), kinds=st.sampled_from(KINDS))
@example(text="", city=None, kinds=None)
@example(text="masques " * 5000, city="osan", kinds={"measure"})
@example(text="l'AIMF\u0000 écoles\u202e ???", city=None, kinds=None)
def test_any_question_is_ranked_within_its_scope(text, city, kinds):
    hits = INDEX.rank(text, city=city, kinds=kinds)
    assert all(hit.score > 0 for hit in hits)
    assert [hit.score for hit in hits] == sorted((hit.score for hit in hits), reverse=True)
    assert all(
        (city is None or hit.fact.city == city) and (kinds is None or hit.fact.kind in kinds) for hit in hits
    )
    matching = INDEX.matching(text, city=city, kinds=kinds)
    assert [hit.fact.id for hit in matching] == [hit.fact.id for hit in hits if hit in matching]
    assert isinstance(INDEX.asks_something_specific(text), bool)
