from pipelines.lib.owner import detect_owner
from pipelines.settings import Owner


def test_configuration_wins_over_detection():
    found = detect_owner(
        Owner(
            names=("Maya L",),
            emails=("maya@example.com",),
            linkedin_url="https://www.linkedin.com/in/maya-l/",
        ),
        profile_names=["Maya Lindqvist"],
        account_emails=["other@example.com"],
        message_senders=[("Maya Lindqvist", "maya-lindqvist")],
    )
    assert {(i.kind, i.value, i.source) for i in found} == {
        ("name", "Maya L", "configuration"),
        ("email", "maya@example.com", "configuration"),
        ("linkedin_slug", "maya-l", "configuration"),
    }


def test_detected_from_profile_email_addresses_messages_and_sent_mail():
    found = detect_owner(
        Owner(),
        profile_names=["Maya Lindqvist"],
        account_emails=["Maya@Example.com"],
        sent_mail_senders=["maya@work.example", "maya@work.example", "maya@example.com"],
        message_senders=[
            ("Maya Lindqvist", "maya-lindqvist"),
            ("Maya Lindqvist", "maya-lindqvist"),
            ("Amara Okafor", "amara-okafor"),
        ],
    )
    assert [(i.kind, i.value, i.source) for i in found] == [
        ("name", "Maya Lindqvist", "Profile.csv"),
        ("email", "maya@example.com", "Email Addresses.csv"),
        ("email", "maya@work.example", "Sent mail"),
        ("linkedin_slug", "maya-lindqvist", "messages.csv"),
    ]


def test_nothing_to_go_on_detects_nothing():
    assert detect_owner(Owner(), message_senders=[("Amara Okafor", "amara-okafor")]) == []
