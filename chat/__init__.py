"""Chat: conversations and their messages, chat keys, the REST chat API, operator handoff;
later the realtime WebSocket sessions and channel adapters."""
