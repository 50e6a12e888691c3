"""Messenger channels: per channel an inbound part (verify, parse, normalise a messenger's
update to the orchestrator's `InboundEvent`, dedupe) and an outbound part (render the
engine's `OutboundMessage`s and the awaited `InputRequest` as the messenger's calls).

- `service`: what the channels share (connections and their cache, the turn for an update,
  delivery from the stored history past each chat's `delivered_seq`, pacing, dead letters)
  and Telegram's connection, webhook, polling and menu;
- `telegram/`: Telegram's parsing and rendering, and a fake Bot API;
- `viber/`: Viber's callbacks, rendering, REST client, connection and delivery rules
  (`channel`), and a fake Viber API;
- `router`: the management API and the webhooks; `cli`: `rozmova dev fake-telegram` and
  `rozmova dev fake-viber`.

Delivery reads the conversation's stored history instead of a queue of its own, in both
database modes: the history is already durable and ordered per conversation, so a second
copy (a table or a Redis stream) would add a write per message and a way for the two to
disagree; what a queue would add (retries, backoff, dead letters, resuming after a restart)
is kept with each chat's `delivered_seq` and the connection's dead letters."""
