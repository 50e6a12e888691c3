"""Conversations: starting them, handling each inbound message once and in order, storing
what was said, and the per-turn trace."""
