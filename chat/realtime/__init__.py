"""Realtime chat: the WebSocket protocol (docs/websocket-protocol.md), the sessions on this
instance, and delivery of turns to sockets on any instance through pub/sub."""
