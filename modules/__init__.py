"""Reusable modules that scenario blocks call: HTTP integrations (``modules.http``), and later the
JavaScript sandbox and the result cache."""
