"""Conversations this instance wrote last, kept in memory so that their next turn skips the
read of the conversation from the database.

A turn takes the conversation's lock, and the lock hands back the stamp its last holder left
(`core.locks`). After writing a turn, this instance stamps the conversation with a value
nobody else uses and keeps the conversation as it wrote it, under that stamp. The next turn
finds its own stamp only if no turn ran anywhere in between (any other holder restamps or
clears it; a lost lease clears it), so what is remembered is what is stored. Anything else,
a forgotten entry, another stamp, no stamp, reads the database as before.

What is not remembered: user- and bot-scope variables, which other conversations change; they
are read afresh when the scenario declares any. Whether a `client_message_id` was used before
is known from the conversation's last turns (the store reads their ids with the conversation,
then each turn written here adds its own; `RECENT` are kept): a repeated id goes the long
way, which reads the stored answer and replays it. A client resends only messages still
unanswered, which are among those. An id older than all of them is caught by the database's
uniqueness when the turn is written; the turn is then run again the long way (and replayed)."""

from __future__ import annotations

import itertools
import secrets
import uuid
from collections import OrderedDict
from dataclasses import dataclass, field

from chat.conversations.store import Snapshot
from core.metrics import conversation_reads
from orchestrator.contract import ConversationState

RECENT = 64
"""client_message_ids remembered per conversation: more than the turns one conversation may
have queued (`core.locks.MAX_WAITING`), so every resend a client can make is among them."""


@dataclass(slots=True)
class Warm:
    stamp: bytes
    snapshot: Snapshot                   # as the last turn wrote it
    shares_variables: bool               # its scenarios declare user- or bot-scope variables
    recent: dict[str, None] = field(default_factory=dict)  # client_message_ids, oldest first
    history_known: bool = True           # False: the store did not say which ids came before
    state: ConversationState | None = None  # snapshot.state as the engine's model


class WarmConversations:
    """At most `size` conversations, the least recently used forgotten first; 0 keeps none."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: OrderedDict[uuid.UUID, Warm] = OrderedDict()
        # Stamps only need to be unique: a random process id and a counter.
        self._process = secrets.token_hex(6).encode()
        self._counter = itertools.count(1)
        self.hits = 0
        self.misses = 0
        self.stale = 0  # turns run again: memory a write showed to be behind the database
        self._counted = {source: conversation_reads.labels(source=source)
                         for source in ("memory", "database", "stale")}

    def take(self, conversation_id: uuid.UUID, stamp: bytes | None,
             client_message_id: str | None) -> Warm | None:
        """The remembered conversation, if `stamp` (the lock's) says it is current and the
        message is not one it may have seen; it is forgotten either way (a turn that does not
        write it back leaves it forgotten)."""
        entry = self._entries.pop(conversation_id, None)
        if entry is None or stamp is None or entry.stamp != stamp or (
                client_message_id is not None and (client_message_id in entry.recent
                                                   or not entry.history_known)):
            if self.size:
                self.misses += 1
                self._counted["database"].inc()
            return None
        self.hits += 1
        self._counted["memory"].inc()
        return entry

    def went_stale(self) -> None:
        self.stale += 1
        self._counted["stale"].inc()

    def keep(self, snapshot: Snapshot, client_message_id: str | None, shares_variables: bool,
             before: Warm | None, state: ConversationState | None = None) -> bytes | None:
        """Remember `snapshot` as just written; returns the stamp to leave on the lock (None
        when nothing is kept)."""
        if not self.size:
            return None
        stamp = self._process + b":" + str(next(self._counter)).encode()
        if before is not None:
            recent, known = before.recent, before.history_known
        else:  # read from the store with the conversation
            recent = dict.fromkeys(reversed(snapshot.recent_ids or ()))
            known = snapshot.recent_ids is not None
        snapshot.recent_ids = None
        if state is not None:
            snapshot.state = {}  # the model is the state; half the memory (chat reads it)
        if client_message_id is not None:
            recent[client_message_id] = None
            if len(recent) > RECENT:
                del recent[next(iter(recent))]
        self._entries[snapshot.id] = Warm(stamp, snapshot, shares_variables, recent, known,
                                          state)
        if len(self._entries) > self.size:
            self._entries.popitem(last=False)
        return stamp

    def forget(self, conversation_id: uuid.UUID) -> None:
        self._entries.pop(conversation_id, None)

    def __len__(self) -> int:
        return len(self._entries)
