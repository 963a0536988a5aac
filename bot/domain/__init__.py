"""The pure domain: time parsing, agenda and meeting rules, keywords. No I/O, no storage."""
