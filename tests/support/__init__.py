"""What the tests share and are not tests themselves: the end-to-end harness, services on a
temporary database, literal data builders, the bot as a real process. Fixtures built from
these live in tests/conftest.py; no test module imports another."""
