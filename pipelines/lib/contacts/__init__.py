"""Address-book exports (Google, Outlook, Thunderbird) and the hand-kept interaction log."""
