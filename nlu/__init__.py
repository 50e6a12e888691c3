"""NLU: per-bot intent classification (this slice). Language detection, entities, sentiment,
external providers and the service's contract/router come later (docs/nlu.md)."""
