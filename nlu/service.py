"""The `nlu` service's client for the orchestrator's dispatcher: `classify` a text with the
model of an `intent` block's examples, `extract` entities.

A model is found, in order: in this process's bounded cache (by the examples' digest); in the
database, stored by whichever instance trained it (loaded, not trained again); or trained now
in a worker thread, once however many conversations ask at the same moment, then stored.
Publishing a version trains its models in the background (`train_in_background`), so the
first person to write rarely waits; the training's progress is kept in the database
(`status`), where the API and the CLI read it."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import structlog
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from core.db import utcnow
from core.tasks import stop
from nlu.classifier import (DEFAULT_TOP_N, IntentClassifier, IntentPrediction, ModelFormatError,
                            TrainingSettings, train)
from nlu.models import IntentModel
from nlu.second_looks import SecondLookPool
from orchestrator.extension import ServiceCallError, ServiceResult, TurnContext

log = structlog.get_logger(__name__)

MAX_TEXT_CHARS = 10_000
# Messages up to this long get their first look on the event loop (measured: 300 characters
# of words never seen before cost 3.6 ms, 10,000 cost 23 ms; a typical message, 40, 0.1).
INLINE_FIRST_LOOK_CHARS = 100
# A model another instance is training is waited for this long before this one trains it too
# (that instance may have died mid-training).
WAIT_FOR_OTHERS_SECONDS = 60.0
STALE_TRAINING_SECONDS = 300.0


@dataclass(slots=True)
class ModelStatus:
    digest: str
    status: str                  # not_trained, training, ready, failed
    progress: float = 0.0
    phase: str = ""
    examples: int = 0
    seconds: float | None = None
    warnings: list[Any] | None = None
    error: str | None = None
    size: int = 0

    def to_json(self) -> dict[str, Any]:
        return {"model": self.digest, "status": self.status, "progress": round(self.progress, 3),
                "phase": self.phase, "examples": self.examples, "seconds": self.seconds,
                "warnings": self.warnings or [], "error": self.error, "size": self.size}


class NluService:
    """`ServiceClient` of the `nlu` service."""

    def __init__(self, *, models: int = 64,
                 sessionmaker: async_sessionmaker[AsyncSession] | None = None,
                 second_look: bool = True, second_look_threads: int = 1,
                 second_look_wait_ms: int = 250) -> None:
        self._second_look = second_look
        self._second_looks = SecondLookPool(threads=second_look_threads,
                                            max_wait=second_look_wait_ms / 1000)
        self._models: OrderedDict[str, IntentClassifier] = OrderedDict()
        self._training: dict[str, asyncio.Task[IntentClassifier]] = {}
        self._progress: dict[str, ModelStatus] = {}
        self._background: set[asyncio.Task[Any]] = set()
        self._capacity = models
        self._sessionmaker = sessionmaker
        self._extractors: OrderedDict[str, Any] = OrderedDict()

    async def call(self, operation: str, request: Mapping[str, Any], context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        if operation == "classify":
            return await self._classify(request, context)
        if operation == "extract":
            return await self._extract(request)
        raise ServiceCallError(f"the nlu service has no operation '{operation}'")

    async def settle(self) -> None:
        """Waits for the background work under way: trainings a publish started and second
        looks being added (for the CLI, which stops when it returns, and for tests)."""
        while self._background:
            await asyncio.gather(*list(self._background), return_exceptions=True)

    async def close(self) -> None:
        await stop(list(self._background))
        self._second_looks.close()
        self._models.clear()

    # --- models -----------------------------------------------------------------------------

    async def model(self, digest: str, examples: list[Mapping[str, str]]) -> IntentClassifier:
        """The classifier of these examples: kept, stored, or trained now, once for every
        caller. The work is its own task: a caller that gives up (its block's time limit) does
        not stop it, and the next message finds the model ready."""
        found = self._models.get(digest)
        if found is not None:
            self._models.move_to_end(digest)
            return found
        work = self._training.get(digest)
        if work is None:
            work = asyncio.create_task(self._obtain(digest, list(examples)),
                                       name=f"nlu-model-{digest[:12]}")
            self._training[digest] = work
            work.add_done_callback(lambda _: self._training.pop(digest, None))
        return await asyncio.shield(work)

    def train_in_background(self, plans: list[tuple[str, Mapping[str, Any]]]) -> list[str]:
        """Start training the models of a published version (its intent blocks' plans) unless
        they are kept or under way; returns their digests. Failures are logged and stored in
        the model's status, never raised: the publish itself already succeeded."""
        digests = []
        for _, plan in plans:
            digest, examples = plan["model"], plan["examples"]
            digests.append(digest)
            if digest in self._models or digest in self._training:
                continue
            # Said at once, so that a status read right after the publish (or a retry) does not
            # show the old state of a model about to be trained.
            self._progress[digest] = ModelStatus(digest, "training", phase="queued",
                                                 examples=len(examples))
            task = asyncio.create_task(self._quietly(digest, examples),
                                       name=f"nlu-publish-{digest[:12]}")
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return digests

    async def _quietly(self, digest: str, examples: list[Mapping[str, str]]) -> None:
        try:
            await self.model(digest, examples)
        except Exception:  # stored as the model's status by _obtain
            log.warning("nlu.model.background_failed", model=digest[:12])
        finally:
            queued = self._progress.get(digest)
            if queued is not None and queued.phase == "queued":
                self._progress.pop(digest, None)  # loaded from storage: nothing was trained

    async def status(self, digest: str) -> ModelStatus:
        if digest in self._progress:
            return self._progress[digest]
        if self._sessionmaker is not None:
            async with self._sessionmaker() as session:
                row = await session.get(IntentModel, digest)
            if row is not None:
                return _status_of(row)
        if digest in self._models:
            return ModelStatus(digest, "ready", 1.0, "done")
        return ModelStatus(digest, "not_trained")

    async def _obtain(self, digest: str, examples: list[Mapping[str, str]]) -> IntentClassifier:
        classifier = await self._stored(digest)
        if classifier is None:
            classifier = await self._train(digest, examples)
        self._keep(digest, classifier)
        if self._needs_second_look(classifier):
            # The first look serves from now on; the encoder's second look (seconds of
            # embedding the examples) is trained behind it and swapped in, so the first
            # messages after a publish never wait for it. A stored model from before the
            # second look existed gets one the same way.
            task = asyncio.create_task(self._add_second_look(digest, classifier, examples),
                                       name=f"nlu-second-look-{digest[:12]}")
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return classifier

    def _needs_second_look(self, classifier: IntentClassifier) -> bool:
        return self._second_look and not classifier.has_second_look \
            and len(classifier.intents) > 1

    def _keep(self, digest: str, classifier: IntentClassifier) -> None:
        self._models[digest] = classifier
        self._models.move_to_end(digest)
        while len(self._models) > self._capacity:
            self._models.popitem(last=False)

    async def _add_second_look(self, digest: str, classifier: IntentClassifier,
                               examples: list[Mapping[str, str]]) -> None:
        """The status says `ready` (the first look serves) with the phase "second look" until
        the complete model is stored; then "done"."""
        started = asyncio.get_running_loop().time()
        status = replace(await self.status(digest), status="ready", progress=1.0,
                         phase="second look")
        self._progress[digest] = status
        blob = None
        try:
            await self._save(status)
            full = await asyncio.to_thread(classifier.with_second_look, examples)
            if full is not classifier:
                blob = await asyncio.to_thread(full.to_bytes)
                if self._models.get(digest) is classifier:
                    self._models[digest] = full
                log.info("nlu.second_look.trained", model=digest[:12], bytes=len(blob),
                         ms=round((asyncio.get_running_loop().time() - started) * 1000, 1))
        except Exception:  # the first look goes on serving
            log.exception("nlu.second_look.failed", model=digest[:12])
        finally:
            done = replace(status, phase="done", size=len(blob) if blob else status.size)
            await self._save(done, blob)
            self._progress.pop(digest, None)

    async def _stored(self, digest: str) -> IntentClassifier | None:
        """The stored model; waits for one another instance is training right now."""
        if self._sessionmaker is None:
            return None
        waited = 0.0
        while True:
            async with self._sessionmaker() as session:
                row = await session.get(IntentModel, digest)
            if row is None or row.status == "failed":
                return None
            if row.status == "ready" and row.blob:
                try:
                    return await asyncio.to_thread(IntentClassifier.from_bytes(row.blob).load)
                except ModelFormatError:
                    log.warning("nlu.model.unreadable", model=digest[:12])
                    return None
            age = (utcnow() - row.updated_at).total_seconds()
            if age > STALE_TRAINING_SECONDS or waited >= WAIT_FOR_OTHERS_SECONDS:
                return None
            await asyncio.sleep(0.25)
            waited += 0.25

    async def _train(self, digest: str, examples: list[Mapping[str, str]]) -> IntentClassifier:
        loop = asyncio.get_running_loop()
        status = self._progress[digest] = ModelStatus(digest, "training",
                                                      examples=len(examples))
        await self._save(status)
        pending: set[asyncio.Future[Any]] = set()

        def progress(share: float, phase: str) -> None:  # called from the training thread
            status.progress, status.phase = share, phase
            now = replace(status)

            def store() -> None:
                future = asyncio.ensure_future(self._save(now))
                pending.add(future)
                future.add_done_callback(pending.discard)
            loop.call_soon_threadsafe(store)

        try:
            # The first look only: _obtain adds the second behind it.
            result = await asyncio.to_thread(
                train, examples, progress=progress, settings=TrainingSettings(meaning=False))
        except asyncio.CancelledError:
            # The server is stopping: say so, and the next message (here or on another
            # instance) trains it again instead of waiting for it.
            await self._save(replace(status, status="failed",
                                     error="training was stopped (the server shut down)"))
            self._progress.pop(digest, None)
            raise
        except Exception as exc:
            failed = replace(status, status="failed",
                             error=f"{type(exc).__name__}: {exc}"[:500])
            log.exception("nlu.model.training_failed", model=digest[:12])
            await asyncio.gather(*pending, return_exceptions=True)
            await self._save(failed)
            self._progress.pop(digest, None)
            raise ServiceCallError("the intent model could not be trained") from None
        blob = result.classifier.to_bytes()
        done = replace(status, status="ready", progress=1.0,
                       phase="second look" if self._needs_second_look(result.classifier)
                       else "done",
                       seconds=round(result.seconds, 3), size=len(blob),
                       warnings=[{"code": w.code, "message": w.message}
                                 for w in result.warnings])
        await asyncio.gather(*pending, return_exceptions=True)
        await self._save(done, blob)
        # Only now, with the model stored, does its status say ready.
        self._progress.pop(digest, None)
        log.info("nlu.model.trained", model=digest[:12], examples=len(examples),
                 ms=round(result.seconds * 1000, 1), bytes=len(blob),
                 warnings=[w.code for w in result.warnings])
        return result.classifier

    async def _save(self, status: ModelStatus, blob: bytes | None = None) -> None:
        """The model's status (and, once trained, its bytes). A database that cannot be
        written costs the next process a training, never this message its answer."""
        if self._sessionmaker is None:
            return
        try:
            async with self._sessionmaker() as session, session.begin():
                row = await session.get(IntentModel, status.digest, with_for_update=True)
                if row is None:
                    row = IntentModel(digest=status.digest, status=status.status, warnings=[])
                    session.add(row)
                elif row.status == "ready" and blob is None and status.status != "ready":
                    return  # another instance finished first: keep its model
                row.status, row.progress, row.phase = status.status, status.progress, \
                    status.phase
                row.examples, row.seconds, row.error = status.examples, status.seconds, \
                    status.error
                row.warnings, row.size, row.updated_at = status.warnings or [], status.size, \
                    utcnow()
                if blob is not None:
                    row.blob = blob
        except Exception as exc:
            log.warning("nlu.model.store_failed", model=status.digest[:12],
                        error=type(exc).__name__)

    # --- operations -------------------------------------------------------------------------

    async def _extract(self, request: Mapping[str, Any]) -> ServiceResult:
        """Entities of a text. In a worker thread: a hostile 1,000-character text can cost a
        few milliseconds, which never stall the event loop for other conversations."""
        from nlu.entities import EntityDefinitionError, EntityExtractor

        names, definitions = request.get("entities"), request.get("definitions") or []
        key = request.get("extractor")
        if not isinstance(names, list) or not isinstance(definitions, list) \
                or not isinstance(key, str):
            raise ServiceCallError("extract needs the block's entities and their definitions")
        extractor = self._extractors.get(key)
        if extractor is None:
            try:
                # A list with many synonyms takes a while to compile (all their forms).
                extractor = await asyncio.to_thread(EntityExtractor, definitions)
            except EntityDefinitionError as exc:
                raise ServiceCallError(str(exc)) from None
            self._extractors[key] = extractor
            while len(self._extractors) > self._capacity:
                self._extractors.popitem(last=False)
        else:
            self._extractors.move_to_end(key)
        text = request.get("text")
        found = await asyncio.to_thread(
            extractor.extract, text if isinstance(text, str) else "",
            request.get("language") if isinstance(request.get("language"), str) else None,
            only=[n for n in names if isinstance(n, str)],
            now=_parsed_now(request.get("now")),
            timezone=str(request.get("timezone") or "UTC"))
        return ServiceResult(value={"entities": [e.to_json() for e in found]})

    async def _classify(self, request: Mapping[str, Any], context: TurnContext) -> ServiceResult:
        digest, examples = request.get("model"), request.get("examples")
        if not isinstance(digest, str) or not isinstance(examples, list):
            raise ServiceCallError("classify needs the block's model digest and examples")
        text = request.get("text")
        threshold = request.get("threshold")
        classifier = await self.model(digest, examples)
        # Shared fairly between organizations (nlu/second_looks.py).
        tenant = (context.org_id or context.bot_id) if context is not None else None
        found = await self.explain(
            classifier, text if isinstance(text, str) else "", tenant=tenant,
            threshold=float(threshold) if isinstance(threshold, (int, float)) else None)
        prediction = found.prediction
        return ServiceResult(value={
            "intent": prediction.intent,
            "confidence": round(prediction.confidence, 4),
            "ranking": [{"intent": name, "confidence": round(score, 4)}
                        for name, score in prediction.ranking],
        }, logs=found.logs)

    async def explain(self, classifier: IntentClassifier, text: str, *, tenant: Any = None,
                      threshold: float | None = None, top_n: int = DEFAULT_TOP_N
                      ) -> Explanation:
        """The prediction for `text`, with each look's confidences and what became of the
        second. The first look on the event loop for a short message (a fraction of a
        millisecond), in a thread for a long one; the second, where the first is unsure, in
        the pool's threads (25 ms: never on the loop the other conversations share), or
        skipped when a burst has filled the wait."""
        text = text[:MAX_TEXT_CHARS]
        # A short message's first look costs well under a millisecond; a long one made of
        # words never seen (each analysed once, then cached) can cost tens: in a thread.
        def first_look() -> tuple[Any, bool]:
            scores = classifier.scores(text)
            return scores, classifier.needs_second_look(text, scores)

        first, unsure = first_look() if len(text) <= INLINE_FIRST_LOOK_CHARS \
            else await asyncio.to_thread(first_look)
        second = None
        if not unsure or len(classifier.intents) < 2:
            outcome = "not_needed"
        elif not self._second_look:
            outcome = "off"
        elif not classifier.has_second_look:
            outcome = "not_ready"
        else:
            look = await self._second_looks.run(classifier.second_scores, text, tenant)
            second, outcome = look.scores, look.outcome
            if outcome == "taken" and second is None:
                outcome = "not_ready"  # the encoder is missing on this server
        # What the turn's trace shows of the call: why a message reached its port, or fell
        # back (a second look skipped while the server was busy is not the author's doing).
        logs = [f"first look: {_best(classifier, first)}"]
        if outcome == "taken":
            logs.append(f"second look: {_best(classifier, second)}")
        elif outcome != "not_needed":
            logs.append(f"second look: {_SKIPPED[outcome]}")
        return Explanation(classifier.decide(first, second, threshold=threshold, top_n=top_n),
                           first, second, outcome, logs)


@dataclass(frozen=True, slots=True)
class Explanation:
    """A prediction and how it came about: each look's confidences (in the model's intents'
    order; None where that look had none) and what became of the second look: `not_needed`
    (the first was sure), `taken`, `shed` (the server's second looks were busy), `failed`,
    `closed`, `off` (on this server), `not_ready` (being trained behind the first, or no
    encoder here)."""

    prediction: IntentPrediction
    first: Any
    second: Any
    second_look: str
    logs: list[str]


_SKIPPED = {
    "not_ready": "not trained yet (it is added behind the first) or no encoder on this "
                 "server; the first look answered alone",
    "off": "off on this server (ROZMOVA_NLU_SECOND_LOOK)",
    "shed": "skipped, the server's second looks were busy; the first look answered alone",
    "failed": "failed (the server's log says why); the first look answered alone",
    "closed": "skipped, the server is stopping; the first look answered alone",
}


def _best(classifier: IntentClassifier, scores: Any) -> str:
    """"order_status 0.93, cancel 0.12": the two most confident intents of one look."""
    if scores is None:
        return "no word the examples have"
    order = sorted(range(len(scores)), key=lambda i: -float(scores[i]))[:2]
    return ", ".join(f"{classifier.intents[i]} {float(scores[i]):.2f}" for i in order)


def _parsed_now(value: Any) -> datetime | None:
    try:
        return datetime.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _status_of(row: IntentModel) -> ModelStatus:
    status = row.status
    if status == "training" and (utcnow() - row.updated_at).total_seconds() \
            > STALE_TRAINING_SECONDS:
        status = "failed"  # its instance stopped; the next message trains it again
    return ModelStatus(row.digest, status, row.progress, row.phase, row.examples, row.seconds,
                       row.warnings, row.error if status != "failed" or row.error
                       else "training stopped before it finished", row.size)
