"""The organization's secret store: named values (API tokens, passwords of HTTP integrations,
later LLM provider keys and messenger tokens) kept encrypted at rest (``core.crypto``),
managed through ``/api/v1/secrets`` without ever being shown again, and read back in clear
only by services, through ``gateway.secrets.contract``."""
