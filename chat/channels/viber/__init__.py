"""The Viber channel: callbacks in, send_message out (REST with httpx), and a fake Viber for tests."""
