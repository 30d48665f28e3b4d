"""Opening lines claim no more than a person's history shows (pipelines/lib/opening_lines.py)."""

from pipelines.lib.opening_lines import past_fact, past_line

MET = {"met_on": "2024-10-03", "met_channel": "meeting", "called_on": None, "two_way": True}
COFFEE = {"met_on": "2024-10-03", "met_channel": "coffee", "called_on": "2024-06-01"}
CALL = {"met_on": None, "called_on": "2025-01-05", "two_way": False}
WROTE = {"two_way": True, "wrote_on": "2025-03-02", "wrote_channel": "linkedin_message"}
CONNECTED = {"two_way": False, "connected_on": "2025-10-15"}


def test_the_line_refers_to_the_strongest_past_the_data_shows():
    assert (
        past_line("Ann", MET)
        == "Hi Ann, it's been a while since we met in October 2024 — how have you been?"
    )
    assert "since our coffee in October 2024" in past_line("Ann", COFFEE)
    assert "since our call in January 2025" in past_line("Ann", CALL)
    assert "since we last wrote on LinkedIn in March 2025" in past_line("Ann", WROTE)


def test_a_connection_never_written_to_is_not_greeted_as_an_acquaintance():
    line = past_line("Acqv", CONNECTED, "Rediantt LLC")
    assert line.startswith("Hi Acqv, we're connected on LinkedIn but haven't spoken yet")
    assert "at Rediantt LLC" in line
    for claim in ("meet", "met", "our call", "wrote", "conversation", "been a while"):
        assert claim not in line.replace("we're connected", "")
    assert past_line("Bo", {}).startswith("Hi Bo, we haven't spoken yet")


def test_the_reason_says_what_is_known():
    assert past_fact(MET) == "you met on Thu 3 Oct 2024"
    assert past_fact(CALL) == "your last call was on Sun 5 Jan 2025"
    assert past_fact(WROTE) == "you have written to each other on LinkedIn, last on Sun 2 Mar 2025"
    assert past_fact(CONNECTED).endswith("you have not written to each other yet")
