"""Merge rules of identity resolution, and the near-misses that must not merge."""

from pipelines.lib.identity import Observation, normalize_email, normalize_name, resolve


def people(observations, **options):
    resolution = resolve(observations, **options)
    return resolution, len(set(resolution.person_of))


def test_same_profile_slug_is_one_person_across_exports():
    a = Observation("linkedin_connections", "c1", "Amara Okafor", linkedin_slug="amara-okafor")
    b = Observation("linkedin_messages", "m1", "Amara O.", linkedin_slug="Amara-Okafor")
    resolution, count = people([a, b])
    assert count == 1
    evidence = {i.evidence for i in resolution.identifiers if i.kind == "linkedin_slug"}
    assert evidence == {"first sighting"}


def test_email_addresses_match_case_insensitively_and_with_gmail_normalisation():
    assert normalize_email("Jo.Doe+news@GoogleMail.com") == "jodoe@gmail.com"
    assert normalize_email("Jo.Doe+x@work.example") == "jo.doe+x@work.example"
    a = Observation("email_messages", "e1", "Jo Doe", emails=("jo.doe@gmail.com",))
    b = Observation("contacts", "k1", "Joanna Doe", emails=("JODOE+cv@gmail.com",))
    resolution, count = people([a, b])
    assert count == 1
    assert {i.evidence for i in resolution.identifiers} >= {"same email address"}


def test_name_plus_matching_company_joins_linkedin_to_an_email_address():
    linkedin = Observation(
        "linkedin_connections",
        "c1",
        "Amara Okafor",
        linkedin_slug="amara-okafor",
        company="Northwind Labs Inc.",
    )
    mail = Observation("email_messages", "e1", "Amara Okafor", emails=("amara@northwindlabs.com",))
    resolution, count = people([linkedin, mail])
    assert count == 1
    assert ("email", "amara@northwindlabs.com", "same name and company") in {
        (i.kind, i.value, i.evidence) for i in resolution.identifiers
    }


def test_a_common_name_alone_never_merges():
    a = Observation("email_messages", "e1", "John Smith", emails=("john@alpha.example",))
    b = Observation("email_messages", "e2", "John Smith", emails=("jsmith@beta.example",))
    c = Observation("linkedin_connections", "c1", "John Smith", linkedin_slug="john-smith-9")
    _, count = people([a, b, c])
    assert count == 3


def test_same_name_at_a_free_mail_domain_is_not_a_company_match():
    a = Observation(
        "linkedin_connections", "c1", "Lea Martin", linkedin_slug="lea-m", company="Gmail"
    )
    b = Observation("email_messages", "e1", "Lea Martin", emails=("lea.martin@gmail.com",))
    _, count = people([a, b])
    assert count == 2


def test_address_book_row_joins_a_uniquely_named_connection():
    connection = Observation(
        "linkedin_connections", "c1", "Sina Rezaee, PhD", linkedin_slug="sina-rezaee"
    )
    book = Observation(
        "contacts", "k1", "Sina Rezaee", emails=("sina@example.org",), is_address_book=True
    )
    resolution, count = people([connection, book])
    assert count == 1
    assert normalize_name("Sina Rezaee, PhD") == "sina rezaee"
    assert any(i.evidence == "address book" for i in resolution.identifiers)


def test_address_book_row_does_not_pick_between_two_namesakes():
    one = Observation("linkedin_connections", "c1", "Alex Kim", linkedin_slug="alex-kim-1")
    two = Observation("linkedin_connections", "c2", "Alex Kim", linkedin_slug="alex-kim-2")
    book = Observation(
        "contacts", "k1", "Alex Kim", emails=("alex@example.org",), is_address_book=True
    )
    _, count = people([one, two, book])
    assert count == 3


def test_configuration_can_force_a_merge_and_a_split():
    a = Observation(
        "linkedin_connections", "c1", "Pat Lee", linkedin_slug="pat-lee", company="Acme"
    )
    b = Observation("email_messages", "e1", "P. Lee", emails=("pat@home.example",))
    _, count = people([a, b], force_merge=[("linkedin:pat-lee", "email:pat@home.example")])
    assert count == 1
    c = Observation("email_messages", "e2", "Pat Lee", emails=("pat.lee@acme.com",))
    _, merged = people([a, c])
    _, kept_apart = people([a, c], force_split=["email:pat.lee@acme.com"])
    assert (merged, kept_apart) == (1, 2)


def test_person_ids_are_stable_and_namesakes_get_different_ids():
    a = Observation("email_messages", "e1", "John Smith")
    b = Observation("email_messages", "e2", "John Smith")
    first = resolve([a, b]).person_of
    assert first[0] != first[1]
    assert resolve([a, b]).person_of == first


def test_names_in_your_own_log_are_one_person_joined_to_the_unique_namesake():
    connection = Observation(
        "linkedin_connections", "c1", "Carlos Andersson", linkedin_slug="carlos-a"
    )
    log = [
        Observation("interaction_log", f"l{i}", "Carlos Andersson", is_own_log=True)
        for i in range(3)
    ]
    resolution, count = people([connection, *log])
    assert count == 1
    alone, _ = people(log)
    assert len(set(alone.person_of)) == 1


def test_a_logged_name_shared_by_two_people_joins_neither():
    one = Observation("linkedin_connections", "c1", "Alex Kim", linkedin_slug="alex-kim-1")
    two = Observation("linkedin_connections", "c2", "Alex Kim", linkedin_slug="alex-kim-2")
    log = Observation("interaction_log", "l1", "Alex Kim", is_own_log=True)
    _, count = people([one, two, log])
    assert count == 3
