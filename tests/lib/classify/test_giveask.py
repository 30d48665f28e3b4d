"""The give/ask classifier on messages a user would write: LinkedIn notes and friendly emails."""

from __future__ import annotations

import hashlib
import subprocess

import pytest

from pipelines.cli import main as cli_main
from pipelines.lib import shared_data
from pipelines.lib.classify.dataset import DatasetMissing, split_path
from pipelines.lib.classify.evaluate import (
    baseline_is_ask,
    classifier_is_ask,
    evaluate,
    mailbox_sets,
    score,
)
from pipelines.lib.classify.giveask import (
    ASK,
    GIVE,
    NEUTRAL,
    classify,
    classify_introduction,
    classify_structural,
)


@pytest.mark.parametrize(
    ("text", "subkind", "specific", "time_bound"),
    [
        ("Could you introduce me to Priya at Acme?", "introduction_request", True, False),
        (
            "Would you have 15 minutes this week for feedback on my deck?",
            "feedback",
            True,
            True,
        ),
        ("Could you spare five minutes on my portfolio by Friday?", "feedback", True, True),
        ("let me know if you ever want to chat", "meeting", False, False),
        ("Would love to grab coffee sometime!", "meeting", False, False),
        ("Let's do coffee next Tuesday?", "meeting", False, True),  # a proposal, not agreement
        (
            "Any chance you could refer me for the PM opening at Northwind?",
            "referral",
            True,
            False,
        ),
        (
            "Do you know anyone at Stripe who works on payments?",
            "introduction_request",
            True,
            False,
        ),
        ("Please send me the slides when you get a chance.", "other", True, False),
        ("I&#39;m stuck on my job search - could you help?", "request_for_help", False, False),
    ],
)
def test_asks_with_subkind_specificity_and_time_bound(
    text: str, subkind: str, specific: bool, time_bound: bool
) -> None:
    result = classify(text)
    assert (result.kind, result.subkind) == (ASK, subkind), result.reason
    assert result.is_specific is specific, result.reason
    assert result.is_time_bound is time_bound, result.reason


@pytest.mark.parametrize(
    ("text", "subkind"),
    [
        ("Happy to introduce you to Priya - she leads design at Acme.", "introduction"),
        ("Sarah, meet Tom. I think you two should talk about payments.", "introduction"),
        ("Congrats on the new role!", "congratulation"),
        ("Happy work anniversary, Dana!", "congratulation"),
        ("Here\u2019s the article I mentioned: https://example.com/warm-intros", "resource_shared"),
        ("Thanks so much for your help", "thanks"),
        ("Thank you for the intro to Maya, really appreciated.", "thanks"),
        ("Let me know if I can help with anything during the move.", "help_offered"),
        ("I wrote you a recommendation, hope it helps.", "recommendation"),
        # the way mail does it (docs/labelling.md)
        ("Thank you!", "thanks"),  # a message that is only thanks thanks for something
        ("thanks Bill", "thanks"),
        ("Brian, good memo. Regards Delainey", "thanks"),
        ("Lucy, Here is the rentroll. The vacancies are #2 and #12.", "resource_shared"),
        ("Enclosed is a draft of the revised Escrow Agreement.", "resource_shared"),
        ("http://www.nwd-wc.usace.army.mil/report/projdata.htm", "resource_shared"),
        ("If you have any questions, please feel free to call me at 3-0643.", "help_offered"),
    ],
)
def test_gives(text: str, subkind: str) -> None:
    result = classify(text)
    assert (result.kind, result.subkind) == (GIVE, subkind), result.reason
    assert result.is_specific is None and result.is_time_bound is None


@pytest.mark.parametrize(
    "text",
    [
        "See you tomorrow",
        "Sounds good, talk soon.",
        "Hope you're doing well. Long time no see!",
        "Nice to meet you too.",
        "Got it, thanks.",  # the thanks that closes an email is not a give
        # advertising and mass mail ask nobody in particular, whatever their wording
        "If you cannot read this email, please click here. Today's upgrades and downgrades?",
        "Can rates put money in your pocket? Get your check-up today! To unsubscribe, reply.",
        "Hi Ana, I\u2019d like to join your professional network.",  # LinkedIn's stock note
        "Ha, yes! Let's do it.",  # agreeing to a proposal asks nothing
        "Sounds great!",
        "",
    ],
)
def test_neutral(text: str) -> None:
    result = classify(text)
    assert result.kind == NEUTRAL, result.reason
    assert result.subkind is None


def test_an_ask_after_thanks_is_an_ask_and_an_offer_is_not() -> None:
    mixed = classify("Thanks for the intro! Could we find 30 minutes next Tuesday?")
    assert (mixed.kind, mixed.subkind, mixed.is_time_bound) == (ASK, "meeting", True)
    # "let me know" usually asks, but offering help is a give.
    assert classify("Let me know if there's anything I can do.").kind == GIVE


def test_a_personalised_invitation_is_not_mistaken_for_the_stock_one() -> None:
    note = "Hi Ana, I'd like to join your network. Could you introduce me to Bo at Initech?"
    assert classify(note).subkind == "introduction_request"


def test_reason_names_the_rule_or_the_model_features() -> None:
    assert "could/would/can you" in classify("Could you review my CV?").reason
    by_model = classify("Please send me the slides when you get a chance.")
    assert by_model.reason.startswith("model p(ask)=") and "please" in by_model.reason
    assert by_model.ask_probability is not None and by_model.ask_probability >= 0.5


def test_direction_sets_whose_give_or_ask_it_is() -> None:
    assert classify("Congrats!", outbound=True).actor == "owner"
    assert classify("Congrats!", outbound=False).actor == "contact"
    assert classify("Congrats!").actor is None


@pytest.mark.parametrize("channel", ["endorsement", "recommendation"])
def test_structural_endorsements_and_recommendations_are_gives(channel: str) -> None:
    given = classify_structural(channel, "outbound")
    received = classify_structural(channel, "inbound")
    assert given is not None and received is not None
    assert (given.kind, given.subkind, given.actor) == (GIVE, channel, "owner")
    assert (received.kind, received.subkind, received.actor) == (GIVE, channel, "contact")


def test_other_channels_leave_the_decision_to_the_text() -> None:
    assert classify_structural("email", "outbound") is None
    assert classify_structural("linkedin_message", "inbound") is None
    with pytest.raises(ValueError, match="direction"):
        classify_structural("endorsement", "sideways")


def test_introduction_email_between_strangers_is_a_give() -> None:
    text = "Intro: Priya <> Tom. Priya, meet Tom - you two should talk."
    result = classify_introduction(
        outbound=True, recipients=["priya", "tom"], known_pairs=set(), text=text
    )
    assert result is not None and (result.kind, result.subkind) == (GIVE, "introduction")
    assert "priya & tom" in result.reason


@pytest.mark.parametrize(
    ("outbound", "recipients", "known", "text"),
    [
        (
            True,
            ["priya", "tom"],
            {frozenset(("priya", "tom"))},
            "Priya, meet Tom.",
        ),  # knew each other
        (False, ["priya", "tom"], set(), "Priya, meet Tom."),  # not written by the owner
        (True, ["priya", "tom"], set(), "Agenda for Monday attached."),  # no words of introduction
        (True, ["priya"], set(), "Priya, meet Tom."),  # one recipient
        (True, [f"p{i}" for i in range(12)], set(), "Meet everyone!"),  # a mailing, not an intro
    ],
)
def test_not_an_introduction(
    outbound: bool, recipients: list[str], known: set[frozenset[str]], text: str
) -> None:
    assert (
        classify_introduction(
            outbound=outbound, recipients=recipients, known_pairs=known, text=text
        )
        is None
    )


def test_ask_detection_on_the_enron_intent_test_split_meets_target_and_beats_baseline() -> None:
    ours, baseline, *_ = evaluate()
    assert ours.f1 >= 0.75
    assert ours.f1 > baseline.f1


def test_evaluation_without_the_shared_data_says_so_and_reports_throughput(
    tmp_path, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(shared_data.ENV_SHARED, str(tmp_path))  # a user's machine: no datasets
    assert cli_main(["evaluate-classifier"]) == 0
    out = capsys.readouterr().out
    assert (
        "No quality figures on enron-intent: the enron-intent data set is not on this machine"
        in out
    )
    assert "No quality figures on the mailbox set: the enron-mailboxes data set is not" in out
    assert "Throughput:" in out
    with pytest.raises(DatasetMissing, match="enron-intent"):
        split_path("train")


def test_the_repository_holds_no_copy_of_the_shared_data_sets() -> None:
    folder = shared_data.datasets_dir()
    if folder is None:
        pytest.skip("shared/datasets is not on this machine: nothing to compare with")
    shared = {
        hashlib.sha256(path.read_bytes()).hexdigest(): path
        for path in folder.rglob("*")
        if path.is_file() and path.stat().st_size > 1024
    }
    tracked = (
        subprocess.run(
            ["git", "ls-files", "-z"], cwd=shared_data.ROOT, capture_output=True, check=True
        )
        .stdout.decode()
        .split("\0")
    )
    copies = [
        (name, shared[digest].relative_to(folder))
        for name in tracked
        if name
        and (shared_data.ROOT / name).is_file()
        and (digest := hashlib.sha256((shared_data.ROOT / name).read_bytes()).hexdigest()) in shared
    ]
    assert copies == []


def test_the_mailbox_labels_still_match_their_text_and_asks_beat_the_keywords() -> None:
    if shared_data.dataset("enron-mailboxes") is None:
        pytest.skip("shared/datasets/enron-mailboxes is not on this machine")
    sets, note = mailbox_sets()
    assert note is None  # every labelled sentence is still the sentence it was labelled as
    check = next(s for s in sets if s.name.startswith("mailboxes, check") and "messages" in s.name)
    assert len(check.texts) == 110
    ours = score("classifier", classifier_is_ask, check.texts, check.asks)
    keywords = score("keywords", baseline_is_ask, check.texts, check.asks)
    assert ours.f1 > keywords.f1 and ours.precision >= 0.6
