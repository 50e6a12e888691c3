"""Per-bot public chat keys: what a website widget or a custom channel sends to talk to a bot."""
