"""Mood trends: how the people who write to a bot feel, from the sentiment the NLU service
stores with each of their messages (`body.sentiment`: score -1..+1 and label).

The database sums per UTC day (one row per day, however many messages), and days are rolled up
into ISO weeks (starting on Monday) or calendar months here. Two views:

* one person (`end_user_id`) across their conversations with the bot: messages, the average
  score and the count of each label per period;
* the bot: per day its conversations started, how many of them were negative (the average
  score of the person's messages at or below `NEGATIVE_AT`), their share, and the average
  score of all messages.

Authors' preview conversations are never counted."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Float, case, cast, func, literal_column, select
from sqlalchemy.ext.asyncio import AsyncSession

from chat.conversations.models import Conversation, ConversationMessage

Period = Literal["day", "week", "month"]
NEGATIVE_AT = -0.05   # VADER's convention, used for both languages' scores
MAX_DAYS = 400        # a range longer than this is refused: more than a year of days


@dataclass(slots=True)
class UserMoodBucket:
    start: date
    messages: int = 0
    score_sum: float = 0.0
    negative: int = 0
    neutral: int = 0
    positive: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "messages": self.messages,
                "average_score": round(self.score_sum / self.messages, 4) if self.messages
                else None,
                "negative": self.negative, "neutral": self.neutral, "positive": self.positive}


@dataclass(slots=True)
class BotMoodBucket:
    start: date
    conversations: int = 0
    negative_conversations: int = 0
    messages: int = 0
    score_sum: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "conversations": self.conversations,
                "negative_conversations": self.negative_conversations,
                "negative_share": round(self.negative_conversations / self.conversations, 4)
                if self.conversations else None,
                "messages": self.messages,
                "average_score": round(self.score_sum / self.messages, 4) if self.messages
                else None}


def period_start(day: date, period: Period) -> date:
    if period == "week":
        return day - timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    return day


def _bounds(since: date, until: date) -> tuple[datetime, datetime]:
    return (datetime.combine(since, time.min, UTC),
            datetime.combine(until + timedelta(days=1), time.min, UTC))


def _day(column: Any, dialect: str) -> Any:
    """The UTC day of a timestamp as 'YYYY-MM-DD', in SQL (each dialect its own way)."""
    if dialect == "postgresql":
        return func.to_char(func.timezone("UTC", column), "YYYY-MM-DD")
    # SQLite keeps timestamps as 'YYYY-MM-DD HH:MM:SS.ffffff' in UTC.
    return func.substr(column, 1, 10)


def _score(dialect: str) -> Any:
    path = ConversationMessage.body[("sentiment", "score")]
    return path.as_float() if dialect != "postgresql" else cast(path.as_string(), Float)


def _label() -> Any:
    return ConversationMessage.body[("sentiment", "label")].as_string()


def _rolled(rows: Iterable[Any], period: Period, make: Any) -> list[Any]:
    buckets: dict[date, Any] = {}
    for day, values in rows:
        start = period_start(day, period)
        bucket = buckets.get(start)
        if bucket is None:
            bucket = buckets[start] = make(start)
        for name, value in values.items():
            setattr(bucket, name, getattr(bucket, name) + value)
    return [buckets[start] for start in sorted(buckets)]


async def user_mood(session: AsyncSession, *, bot_id: uuid.UUID, end_user_id: str,
                    since: date, until: date, period: Period) -> list[UserMoodBucket]:
    dialect = session.bind.dialect.name
    start, end = _bounds(since, until)
    m, c = ConversationMessage, Conversation
    score, label = _score(dialect), _label()
    day = _day(m.created_at, dialect)
    query = (
        select(day.label("day"), func.count().label("messages"),
               func.coalesce(func.sum(score), 0.0).label("score_sum"),
               *(func.sum(case((label == name, 1), else_=0)).label(name)
                 for name in ("negative", "neutral", "positive")))
        .select_from(m).join(c, c.id == m.conversation_id)
        .where(c.bot_id == bot_id, c.end_user_id == end_user_id, c.channel != "preview",
               m.direction == "in", m.created_at >= start, m.created_at < end,
               label.is_not(None))
        .group_by(literal_column("day")))
    rows = (await session.execute(query)).all()
    return _rolled(((date.fromisoformat(r.day), {
        "messages": int(r.messages), "score_sum": float(r.score_sum or 0.0),
        "negative": int(r.negative or 0), "neutral": int(r.neutral or 0),
        "positive": int(r.positive or 0)}) for r in rows), period, UserMoodBucket)


async def bot_mood(session: AsyncSession, *, bot_id: uuid.UUID, since: date, until: date,
                   period: Period) -> list[BotMoodBucket]:
    """Conversations counted on the day they started, by the mood of all their messages."""
    dialect = session.bind.dialect.name
    start, end = _bounds(since, until)
    m, c = ConversationMessage, Conversation
    score = _score(dialect)
    per_conversation = (
        select(_day(c.created_at, dialect).label("day"),
               func.count().label("messages"),
               func.sum(score).label("score_sum"),
               func.avg(score).label("average"))
        .select_from(m).join(c, c.id == m.conversation_id)
        .where(c.bot_id == bot_id, c.channel != "preview", c.created_at >= start,
               c.created_at < end, m.direction == "in", score.is_not(None))
        .group_by(c.id, c.created_at)).subquery()
    query = (
        select(per_conversation.c.day, func.count().label("conversations"),
               func.sum(case((per_conversation.c.average <= NEGATIVE_AT, 1), else_=0))
               .label("negative"),
               func.sum(per_conversation.c.messages).label("messages"),
               func.sum(per_conversation.c.score_sum).label("score_sum"))
        .group_by(per_conversation.c.day))
    rows = (await session.execute(query)).all()
    return _rolled(((date.fromisoformat(r.day), {
        "conversations": int(r.conversations), "negative_conversations": int(r.negative or 0),
        "messages": int(r.messages or 0), "score_sum": float(r.score_sum or 0.0)})
        for r in rows), period, BotMoodBucket)


def default_range(since: date | None, until: date | None, period: Period,
                  today: date) -> tuple[date, date]:
    """`until` defaults to today (UTC); `since` to 30 days, 12 weeks or 12 months before it.
    Raises ValueError with a message for the caller."""
    until = until or today
    if since is None:
        since = {"day": until - timedelta(days=29),
                 "week": period_start(until, "week") - timedelta(weeks=11),
                 "month": (period_start(until, "month") - timedelta(days=335)).replace(day=1),
                 }[period]
    if since > until:
        raise ValueError(f"since ({since}) is after until ({until})")
    if (until - since).days + 1 > MAX_DAYS:
        raise ValueError(f"at most {MAX_DAYS} days at once; ask for a shorter range")
    return since, until


def trend(averages: list[float | None]) -> str | None:
    """"improving", "worsening" or "steady": the later half of the periods against the
    earlier half (periods without messages left out); None with fewer than two periods."""
    known = [a for a in averages if a is not None]
    if len(known) < 2:
        return None
    half = len(known) // 2
    earlier = sum(known[:half]) / half
    later = sum(known[half:]) / (len(known) - half)
    if later - earlier >= 0.1:
        return "improving"
    if earlier - later >= 0.1:
        return "worsening"
    return "steady"
