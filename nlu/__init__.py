"""NLU: per-bot intents (trained on publish, stored, routed by the `intent` block and as global
intents), entities (built-in and the bot's own: the `entities` block, inputs that take an
entity), and what every person's message says besides its words: language and sentiment, kept
with the message and summed up in mood trends. docs/nlu.md describes the whole service."""
