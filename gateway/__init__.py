"""Gateway: the public entry. Assembles every service's router into one app (all-in-one) or a
chosen few (one service alone), and owns identity: users, organizations, memberships, login,
tokens and API keys."""
