"""Notices an organization receives about its bots' conversations, by e-mail and signed webhook."""
