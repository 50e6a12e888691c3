"""LLM service: models in scenarios (generation, structured answers, routing, reports)."""
