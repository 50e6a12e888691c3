"""Users, login, access and refresh tokens, API keys, and resolving a request's caller."""
