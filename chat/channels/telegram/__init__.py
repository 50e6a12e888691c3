"""Telegram: updates in (`inbound`), the Bot API's calls out (`outbound`), and a fake Bot API
that speaks the same protocol on 127.0.0.1 (`fake`)."""
