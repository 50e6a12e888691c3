"""Messenger channels: per channel an inbound part (verify, parse, normalise a messenger's
update to the orchestrator's `InboundEvent`, dedupe) and an outbound part (render the
engine's `OutboundMessage`s and the awaited `InputRequest` as the messenger's calls).

Built so far: Telegram's parsing and rendering (`telegram.inbound`, `telegram.outbound`) and a
fake Telegram Bot API for tests and local demos (`telegram.fake`). Connections, webhooks,
polling and the delivery queue come next (issue 11)."""
