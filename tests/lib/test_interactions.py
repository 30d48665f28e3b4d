"""Touches: their ids (the dashboard's feedback on an action names the touch by its id, so the id
of a touch never changes from one refresh to the next, however it is computed), and the kinds of
their texts, classified once and remembered by the next refresh."""

import hashlib

import polars as pl

from pipelines import warehouse
from pipelines.lib.classify.giveask import classify
from pipelines.lib.interactions import (
    TEXT_CLASSIFICATIONS,
    CachedKinds,
    classify_texts,
    interaction_id,
    interaction_ids,
)


def test_ids_computed_together_equal_the_id_of_each_touch():
    touches = pl.DataFrame(
        {
            "source_table": ["staging.email_messages", "core.interaction_log", "x", "x"],
            "source_key": ["<m1@example.net>", None, "Zoë Achterberg-Núñez|ü", ""],
            "person_id": ["p_1", "p_2", None, "p_3"],
            "direction": ["outbound", "inbound", "inbound", None],
        },
        schema={c: pl.String for c in ("source_table", "source_key", "person_id", "direction")},
    )
    one_by_one = [
        interaction_id(table, key or "", person, direction)
        for table, key, person, direction in touches.iter_rows()
    ]
    assert interaction_ids(touches).to_list() == one_by_one
    # and what it has always been: the first 16 hex digits of the SHA-1 of the joined fields
    assert (
        one_by_one[0]
        == hashlib.sha1(b"staging.email_messages|<m1@example.net>|p_1|outbound").hexdigest()[:16]
    )


def texts(*pairs: tuple[str, bool | None]) -> pl.DataFrame:
    return pl.DataFrame(
        {"_text": [t for t, _ in pairs], "_outbound": [o for _, o in pairs]},
        schema={"_text": pl.String, "_outbound": pl.Boolean},
    )


def test_a_refresh_classifies_only_new_texts_and_a_new_classifier_classifies_all(tmp_path):
    calls: list[str] = []

    def counting(text: str, *, outbound: bool | None = None):
        calls.append(text)
        return classify(text, outbound=outbound)

    ask, thanks, new = "Could you send me the slides?", "Thanks for the intro!", "Lunch on Friday?"
    with warehouse.connect(tmp_path / "w.duckdb") as con:
        first = CachedKinds(con, counting, "v1")(texts((ask, True), (thanks, False)))
        assert (first["_kind"].to_list(), calls) == (["ask", "give"], [ask, thanks])

        calls.clear()
        later = CachedKinds(con, counting, "v1")
        second = later(texts((thanks, False), (new, None), (ask, False)))
        # the same text from the other side is another text: whose ask it is differs
        assert sorted(calls) == sorted([new, ask]) and (later.classified, later.known) == (2, 1)
        fresh = classify_texts(texts((thanks, False), (new, None), (ask, False)), classify)
        assert second.select(fresh.columns).sort("_text").equals(fresh.sort("_text"))
        # only the latest refresh's texts are kept, as hashes
        kept = warehouse.frame(con, f"SELECT * FROM {TEXT_CLASSIFICATIONS}")
        assert kept.height == 3 and not any(ask in str(v) for v in kept.rows())

        calls.clear()
        CachedKinds(con, counting, "v2")(texts((thanks, False)))
        assert calls == [thanks]  # rules or model changed: classified again
