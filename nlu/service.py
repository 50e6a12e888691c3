"""The `nlu` service's client for the orchestrator's dispatcher: `classify` a text with the
model of an `intent` block's examples. A model is trained the first time its examples are
needed (in a worker thread, once however many conversations ask at the same moment) and kept
in a bounded in-process cache by the examples' digest."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import structlog

from nlu.classifier import IntentClassifier, train
from orchestrator.extension import ServiceCallError, ServiceResult, TurnContext

log = structlog.get_logger(__name__)

MAX_TEXT_CHARS = 10_000


class NluService:
    """`ServiceClient` of the `nlu` service."""

    def __init__(self, *, models: int = 64) -> None:
        self._models: OrderedDict[str, IntentClassifier] = OrderedDict()
        self._training: dict[str, asyncio.Task[IntentClassifier]] = {}
        self._capacity = models

    async def call(self, operation: str, request: Mapping[str, Any], context: TurnContext, *,
                   timeout: float) -> ServiceResult:
        if operation == "classify":
            return await self._classify(request, context)
        raise ServiceCallError(f"the nlu service has no operation '{operation}'")

    async def close(self) -> None:
        self._models.clear()

    async def model(self, digest: str, examples: list[Mapping[str, str]]) -> IntentClassifier:
        """The classifier of these examples: kept, or trained now, once for every caller. The
        training is its own task: a caller that gives up (its block's time limit) does not
        stop it, and the next message finds the model ready."""
        found = self._models.get(digest)
        if found is not None:
            self._models.move_to_end(digest)
            return found
        training = self._training.get(digest)
        if training is None:
            training = asyncio.create_task(self._train(digest, list(examples)),
                                           name=f"nlu-train-{digest[:12]}")
            self._training[digest] = training
        return await asyncio.shield(training)

    async def _train(self, digest: str, examples: list[Mapping[str, str]]) -> IntentClassifier:
        try:
            result = await asyncio.to_thread(train, examples)
        finally:
            self._training.pop(digest, None)
        self._models[digest] = result.classifier
        while len(self._models) > self._capacity:
            self._models.popitem(last=False)
        log.info("nlu.model.trained", model=digest[:12], examples=len(examples),
                 ms=round(result.seconds * 1000, 1), warnings=[w.code for w in result.warnings])
        return result.classifier

    async def _classify(self, request: Mapping[str, Any], context: TurnContext) -> ServiceResult:
        digest, examples = request.get("model"), request.get("examples")
        if not isinstance(digest, str) or not isinstance(examples, list):
            raise ServiceCallError("classify needs the block's model digest and examples")
        text = request.get("text")
        text = text[:MAX_TEXT_CHARS] if isinstance(text, str) else ""
        threshold = request.get("threshold")
        classifier = await self.model(digest, examples)
        prediction = classifier.predict(
            text, threshold=float(threshold) if isinstance(threshold, (int, float)) else None)
        return ServiceResult(value={
            "intent": prediction.intent,
            "confidence": round(prediction.confidence, 4),
            "ranking": [{"intent": name, "confidence": round(score, 4)}
                        for name, score in prediction.ranking],
        })
