"""What contacts ask for, in words another contact's job can answer (pipelines/lib/needs.py)."""

import datetime as dt

import polars as pl
import pytest

from pipelines.lib.needs import Need, contact_needs, needs_in, terms_answering


@pytest.mark.parametrize(
    ("text", "kind", "need"),
    [
        (
            "Hi Maya, Could you introduce me to someone on the data team at Brightwater Health "
            "by next week? Best, Felix",
            "company",
            "Brightwater Health",
        ),
        ("Do you know anyone at Halcyon Energy?", "company", "Halcyon Energy"),
        ("Maya, Any tips for getting into software? Cheers, Thea", "field", "software"),
        ("Any tips for getting into non-profit? Best, Mikael", "field", "non-profit"),
        ("We are looking for a product designer to join us in Berlin.", "role", "product designer"),
        ("<p>I need advice on pricing strategy for our SaaS.</p>", "field", "pricing strategy"),
        ("I need a good lawyer soon, can you help", "role", "lawyer"),
    ],
)
def test_a_concrete_need_is_found_with_what_was_asked_for(text, kind, need):
    found = needs_in(text)
    assert [(n.kind, n.need) for n in found] == [(kind, need)]
    assert found[0].said in text or found[0].said in text.replace("<p>", "").replace("</p>", "")


@pytest.mark.parametrize(
    "text",
    [
        "Hey Maya, If you know anyone hiring, keep me in mind! Best, Tariq",
        "Would be great to pick your brain sometime. Thanks, Fatima",
        "Looking for a new job asap",
        "Thanks for the intro last week!",
        None,
    ],
)
def test_nothing_another_job_could_answer_is_no_need(text):
    assert needs_in(text) == []


def test_a_field_is_answered_by_the_words_jobs_use_for_it():
    assert "lawyer" in terms_answering(Need("field", "legal", ""))
    assert terms_answering(Need("company", "Halcyon Energy", "")) == ("halcyon energy",)


def test_contact_needs_keeps_the_latest_time_each_need_was_asked():
    messages = pl.DataFrame(
        {
            "person_id": ["p1", "p1", "p2"],
            "asked_on": [dt.date(2024, 1, 5), dt.date(2024, 3, 1), dt.date(2024, 2, 2)],
            "text": [
                "Any tips for getting into design?",
                "Still keen on tips for getting into Design!",
                "Nice to see you.",
            ],
        }
    )
    needs = contact_needs(messages)
    assert needs.select("person_id", "need_kind", "asked_on").rows() == [
        ("p1", "field", dt.date(2024, 3, 1))
    ]
    assert needs["answered_by"][0].to_list() == ["design", "designer"]


def test_a_reason_can_name_what_was_asked_for():
    assert [
        n.asked_for for n in needs_in("Any tips for getting into design? And advice on pricing.")
    ] == [
        "advice on getting into design",
        "advice on pricing",
    ]
    assert needs_in("Could you introduce me to someone at Acme Corp?")[0].asked_for == (
        "an introduction to someone at Acme Corp"
    )
