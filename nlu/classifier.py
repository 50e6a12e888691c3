"""A bot's intent classifier: trained from the author's example phrases (Ukrainian, English, any
language with words), stored as bytes with a published scenario version, loaded lazily.

Model, first look: word uni/bi-grams + character 2–5-grams within words, sublinear TF·IDF, each
block L2-normalised, and a linear SVM (scikit-learn's LinearSVC, one-vs-rest) on top. Its
decision scores are mapped to confidences by one sigmoid (Platt scaling) fitted on
cross-validated scores of the training examples, so a message unlike every intent gets low
confidence for all of them and falls back. Prediction does not touch scikit-learn: the features
are found in a plain dict and multiplied by the weight matrix (features × intents) in numpy,
about 0.1 ms a message.

Second look (nlu.meaning), only for a message the first look is unsure of: a multilingual
sentence encoder's embedding and an SVM on the examples' embeddings, so that other words and
other languages than the examples' are understood too (about 25 ms of one core). docs/nlu.md
has the measurements behind these choices."""

from __future__ import annotations

import io
import json
import math
import time
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Any

import numpy as np

from nlu import meaning as nlu_meaning
from nlu import text as nlu_text

FORMAT = "rozmova-intents/1"
# The confidence below which a message goes to the fallback. 0.5: the calibrated probability
# that the best intent is the right one is below even odds.
DEFAULT_THRESHOLD = 0.5
DEFAULT_TOP_N = 3
MIN_COVERAGE = 0.01
# A message the first look gives at least this confidence is not looked at again: the second
# look would cost 25 ms and rarely change a confident answer (docs/nlu.md).
SECOND_LOOK_BELOW = 0.8


@dataclass(frozen=True, slots=True)
class TrainingExample:
    text: str
    intent: str
    lang: str = ""


@dataclass(frozen=True, slots=True)
class TrainingWarning:
    """Something weak in the training data; training goes on. `code` is stable for the UI."""
    code: str
    message: str
    intents: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class IntentPrediction:
    """`intent` is None when the message falls back (confidence below the threshold, or nothing
    in it that the training examples had). `ranking`: the best intents with their confidences,
    best first, whether or not the message fell back."""
    intent: str | None
    confidence: float
    ranking: tuple[tuple[str, float], ...]

    @property
    def is_fallback(self) -> bool:
        return self.intent is None


@dataclass(frozen=True, slots=True)
class TrainingSettings:
    c: float = 1.0                 # LinearSVC regularisation (larger: fits the examples closer)
    word_weight: float = 1.0       # scale of the word block against the character block
    char_weight: float = 1.0
    calibration_folds: int = 3     # cross-validation folds for the confidence calibration (0: none)
    class_weight: str | None = None
    threshold: float = DEFAULT_THRESHOLD
    seed: int = 0
    lemmas: bool = True            # Ukrainian lemmas (pymorphy3) as word features
    meaning: bool = True           # train the second look (the sentence encoder's)


@dataclass(frozen=True, slots=True)
class TrainingResult:
    classifier: IntentClassifier
    warnings: tuple[TrainingWarning, ...] = ()
    seconds: float = 0.0
    stats: dict[str, Any] = field(default_factory=dict)


class ModelFormatError(ValueError):
    """The bytes are not a model this code can read (another format, truncated, tampered)."""


class IntentClassifier:
    """Predicts intents. Built by `train()` or `IntentClassifier.from_bytes()`; the arrays are
    parsed on the first prediction, so loading a bot's scenario version costs nothing until
    a message needs its intents."""

    def __init__(self, *, intents: Sequence[str], words: Sequence[str], chars: Sequence[str],
                 weights: np.ndarray, bias: np.ndarray, idf: np.ndarray,
                 calibration: tuple[float, float], threshold: float = DEFAULT_THRESHOLD,
                 word_weight: float = 1.0, char_weight: float = 1.0,
                 languages: Sequence[str] = (), lemmas: bool = False,
                 meaning: nlu_meaning.MeaningStage | None = None) -> None:
        self._blob: bytes | None = None
        self._set(intents=list(intents), words=list(words), chars=list(chars),
                  weights=np.ascontiguousarray(weights, dtype=np.float32),
                  bias=np.asarray(bias, dtype=np.float32), idf=np.asarray(idf, dtype=np.float32),
                  calibration=(float(calibration[0]), float(calibration[1])),
                  threshold=float(threshold), word_weight=float(word_weight),
                  char_weight=float(char_weight), languages=list(languages),
                  lemmas=bool(lemmas), meaning=meaning)

    def _set(self, *, intents: list[str], words: list[str], chars: list[str],
             weights: np.ndarray, bias: np.ndarray, idf: np.ndarray,
             calibration: tuple[float, float], threshold: float, word_weight: float,
             char_weight: float, languages: list[str], lemmas: bool,
             meaning: nlu_meaning.MeaningStage | None) -> None:
        n_features = len(words) + len(chars)
        if weights.shape != (n_features, len(intents)) or bias.shape != (len(intents),) \
                or idf.shape != (n_features,):
            raise ModelFormatError("the model's arrays do not match its vocabulary and intents")
        if meaning is not None and meaning.bias.shape != (len(intents),):
            raise ModelFormatError("the model's second look does not match its intents")
        self._intents = intents
        self._word_list, self._char_list = words, chars
        self._words = {w: i for i, w in enumerate(words)}
        offset = len(words)
        self._chars = {g: offset + i for i, g in enumerate(chars)}
        self._n_words = offset
        self._weights, self._bias, self._idf = weights, bias, idf
        self._a, self._b = calibration
        self._threshold = threshold
        self._word_weight, self._char_weight = word_weight, char_weight
        self._languages = tuple(languages)
        self._lemmas = lemmas
        self._meaning = meaning
        self._loaded = True

    # -- prediction ---------------------------------------------------------------------

    @property
    def threshold(self) -> float:
        self._load()
        return self._threshold

    @property
    def languages(self) -> tuple[str, ...]:
        self._load()
        return self._languages

    @property
    def intents(self) -> tuple[str, ...]:
        self._load()
        return tuple(self._intents)

    @property
    def has_second_look(self) -> bool:
        """Whether a prediction may take the encoder's 25 ms (a caller on an event loop runs
        `second_scores` in a worker thread then)."""
        self._load()
        return self._meaning is not None

    def scores(self, text: str) -> np.ndarray | None:
        """The first look: confidence of every intent (in `intents` order), the calibrated
        probability times √(share of the message's words seen in training); None when the
        message has no feature the training examples had."""
        self._load()
        if not self._intents:
            return None
        words = nlu_text.tokens(nlu_text.normalise(text if isinstance(text, str) else str(text or "")))
        if not words:
            return None
        counts: dict[int, int] = {}
        get = counts.get
        vocab = self._words
        for feature in nlu_text.word_features(words) + nlu_text.script_feature(words):
            i = vocab.get(feature)
            if i is not None:
                counts[i] = get(i, 0) + 1
        if self._lemmas:
            lemmas = nlu_text.lemma_features(words)
            for feature in lemmas:
                i = vocab.get(feature)
                if i is not None:
                    counts[i] = get(i, 0) + 1
            # An inflected form of a word the examples had is a known word.
            seen_lemmas = {f for f in lemmas if f in vocab}
            known = [word in vocab or (nlu_text.LEMMA_PREFIX + nlu_text.lemma(word))
                     in seen_lemmas for word in words]
        else:
            known = [word in vocab for word in words]
        vocab = self._chars
        for feature in nlu_text.char_features(words):
            i = vocab.get(feature)
            if i is not None:
                counts[i] = get(i, 0) + 1
        if not counts:
            return None
        n = len(counts)
        ids = np.fromiter(counts.keys(), dtype=np.intp, count=n)
        values = np.fromiter(counts.values(), dtype=np.float32, count=n)
        values = (np.log(values) + 1.0) * self._idf[ids]
        # Each block L2-normalised on its own, as in training.
        is_word = ids < self._n_words
        word_part, char_part = values[is_word], values[~is_word]
        word_norm = math.sqrt(float(word_part @ word_part))
        char_norm = math.sqrt(float(char_part @ char_part))
        if word_norm:
            values[is_word] *= self._word_weight / word_norm
        if char_norm:
            values[~is_word] *= self._char_weight / char_norm
        decision = (values @ self._weights[ids] + self._bias).astype(np.float64)
        # A message made of words no example had is unlike the bot's intents even where its
        # character n-grams score well ("why is the sky blue" against "is the door open"):
        # the confidence is discounted by the square root of the share of known words.
        # Function words ("the", "is", "на", "що") are not counted: they say nothing of what
        # a message is about, and every bot's examples have them.
        content = [seen for word, seen in zip(words, known)
                   if not nlu_text.is_function_word(word)]
        share = sum(content) / len(content) if content else sum(known) / len(words)
        # At least 1 % (a confidence of at most 0.1): the ranking of a message none of whose
        # words is known still follows its character n-grams.
        coverage = math.sqrt(max(share, MIN_COVERAGE))
        return coverage / (1.0 + np.exp(-(self._a * decision + self._b)))

    def with_second_look(self, examples: Iterable[TrainingExample | Mapping[str, Any]], *,
                         settings: TrainingSettings | None = None) -> IntentClassifier:
        """This model with a second look trained on `examples` (the ones it was trained on);
        itself where it has one already, has fewer than two intents, or no encoder loads.
        Seconds of work: the service runs it after the first look is serving."""
        self._load()
        if self._meaning is not None or len(self._intents) < 2:
            return self
        rows, _ = _clean(examples, ())
        index = {name: i for i, name in enumerate(self._intents)}
        rows = [row for row in rows if row[1] in index]
        labels = np.array([index[intent] for _, intent, _ in rows], dtype=np.intp)
        meaning = _train_meaning(rows, labels, len(index), settings or TrainingSettings(),
                                 lambda share: None)
        if meaning is None:
            return self
        return IntentClassifier(
            intents=self._intents, words=self._word_list, chars=self._char_list,
            weights=self._weights, bias=self._bias, idf=self._idf,
            calibration=(self._a, self._b), threshold=self._threshold,
            word_weight=self._word_weight, char_weight=self._char_weight,
            languages=self._languages, lemmas=self._lemmas, meaning=meaning)

    def takes_second_look(self, text: str) -> bool:
        """Whether `predict` asks the encoder about this text (the first look is unsure)."""
        return self.unsure(text, self.scores(text))

    def unsure(self, text: str, first: np.ndarray | None) -> bool:
        """Whether a message whose first look gave `first` (`scores(text)`) gets a second:
        it needs one and the model has one."""
        return self._meaning is not None and self.needs_second_look(text, first)

    def needs_second_look(self, text: str, first: np.ndarray | None) -> bool:
        """Whether the first look is unsure of a message that has words to understand (not
        emoji or punctuation only), whether or not the model has a second look."""
        if first is not None and first.max() >= SECOND_LOOK_BELOW:
            return False
        return bool(nlu_text.tokens(nlu_text.normalise(text if isinstance(text, str)
                                                       else str(text or ""))))

    def second_scores(self, text: str) -> np.ndarray | None:
        """The second look: confidence of every intent by meaning (the encoder's ~25 ms of one
        core; a caller on an event loop runs it in a thread); None where the model has none
        or the encoder is missing."""
        self._load()
        if self._meaning is None:
            return None
        return self._meaning.scores(nlu_text.normalise(str(text)))

    def predict(self, text: str, *, threshold: float | None = None,
                top_n: int = DEFAULT_TOP_N, second_look: bool = True) -> IntentPrediction:
        """Never raises for any text: empty, emoji, very long, another language or script all
        give a result, a fallback when nothing the bot was taught is recognised.
        `second_look=False`: the first look alone, whatever the model has."""
        first = self.scores(text)
        second = self.second_scores(text) if second_look and self.unsure(text, first) else None
        return self.decide(first, second, threshold=threshold, top_n=top_n)

    def decide(self, first: np.ndarray | None, second: np.ndarray | None = None, *,
               threshold: float | None = None, top_n: int = DEFAULT_TOP_N) -> IntentPrediction:
        """The prediction from the first look's confidences and, where it was taken, the
        second's: the higher of the two per intent. The second look rescues what the first
        did not recognise and leaves alone what it did (docs/nlu.md compares the ways)."""
        probabilities = first if second is None else (
            second if first is None else np.maximum(first, second))
        if probabilities is None:
            return IntentPrediction(None, 0.0, ())
        limit = self._threshold if threshold is None else threshold
        # float64 and a stable sort: near-certain intents do not tie at 1.0 in float32
        order = np.argsort(-probabilities, kind="stable")[:max(top_n, 1)]
        ranking = tuple((self._intents[i], float(probabilities[i])) for i in order)
        best, confidence = ranking[0]
        return IntentPrediction(best if confidence >= limit else None, confidence,
                                ranking[:top_n])

    # -- storage --------------------------------------------------------------------------

    def to_bytes(self) -> bytes:
        """A numpy .npz (zip of plain arrays, no pickled objects): safe to load from storage."""
        if self._blob is not None:
            return self._blob
        meta = {"format": FORMAT, "intents": self._intents, "n_words": self._n_words,
                "calibration": [self._a, self._b], "threshold": self._threshold,
                "word_weight": self._word_weight, "char_weight": self._char_weight,
                "languages": list(self._languages), "lemmas": self._lemmas}
        second: dict[str, np.ndarray] = {}
        if self._meaning is not None:
            meta["meaning"] = self._meaning.meta()
            second = self._meaning.arrays()
        buffer = io.BytesIO()
        np.savez_compressed(
            buffer, meta=_utf8(json.dumps(meta, ensure_ascii=False)),
            words=_utf8("\n".join(self._word_list)), chars=_utf8("\n".join(self._char_list)),
            weights=self._weights, bias=self._bias, idf=self._idf, **second)
        self._blob = buffer.getvalue()
        return self._blob

    @classmethod
    def from_bytes(cls, blob: bytes) -> IntentClassifier:
        """Keeps the bytes; they are parsed (and checked) on first use. `load()` parses now."""
        instance = cls.__new__(cls)
        instance._blob = bytes(blob)
        instance._loaded = False
        return instance

    def load(self) -> IntentClassifier:
        self._load()
        return self

    def _load(self) -> None:
        if self._loaded:
            return
        try:
            with np.load(io.BytesIO(self._blob or b""), allow_pickle=False) as arrays:
                meta = json.loads(arrays["meta"].tobytes().decode("utf-8"))
                words = _lines(arrays["words"])
                chars = _lines(arrays["chars"])
                weights, bias, idf = arrays["weights"], arrays["bias"], arrays["idf"]
                meaning = nlu_meaning.MeaningStage.from_stored(
                    meta.get("meaning") if isinstance(meta, dict) else None, arrays)
        except (OSError, ValueError, KeyError, TypeError, AttributeError, zipfile.BadZipFile,
                UnicodeDecodeError) as error:
            raise ModelFormatError(f"not an intent model: {error}") from error
        if not isinstance(meta, dict) or meta.get("format") != FORMAT:
            raise ModelFormatError(f"not a {FORMAT} model")
        if weights.dtype != np.float32 or bias.dtype != np.float32 or idf.dtype != np.float32:
            raise ModelFormatError("the model's arrays are not float32")
        try:
            self._set(intents=[str(i) for i in meta["intents"]], words=words, chars=chars,
                      weights=np.ascontiguousarray(weights), bias=bias, idf=idf,
                      calibration=tuple(meta["calibration"]), threshold=float(meta["threshold"]),
                      word_weight=float(meta["word_weight"]),
                      char_weight=float(meta["char_weight"]),
                      languages=[str(x) for x in meta.get("languages", [])],
                      lemmas=bool(meta.get("lemmas", False)), meaning=meaning)
        except (KeyError, TypeError, ValueError) as error:
            raise ModelFormatError(f"not an intent model: {error}") from error


def _utf8(value: str) -> np.ndarray:
    return np.frombuffer(value.encode("utf-8"), dtype=np.uint8)


def _lines(array: np.ndarray) -> list[str]:
    value = array.tobytes().decode("utf-8")
    return value.split("\n") if value else []


# -- training ---------------------------------------------------------------------------------

def train(examples: Iterable[TrainingExample | Mapping[str, Any]], *,
          languages: Sequence[str] = (), settings: TrainingSettings | None = None,
          progress: Callable[[float, str], None] | None = None) -> TrainingResult:
    """Trains a classifier. Never raises on weak data: empty texts are skipped, and one example
    for an intent, the same phrase under two intents, a language without examples are named in
    the warnings. No intents at all gives a classifier that always falls back.

    `languages`: the bot's languages, to warn about one with no examples. Examples of every
    language train one model (a bot's intents are the same in each of its languages).
    `progress(share, phase)` is told how far training is (0..1), from the training thread."""
    settings = settings or TrainingSettings()
    report = progress or (lambda share, phase: None)
    report(0.0, "features")
    started = time.perf_counter()
    rows, warnings = _clean(examples, languages)
    intents = sorted({intent for _, intent, _ in rows})
    langs = sorted({lang for _, _, lang in rows if lang})
    word_lists, char_lists = [], []
    for text_, _, _ in rows:
        words = nlu_text.tokens(nlu_text.normalise(text_))
        word_lists.append(nlu_text.word_features(words) + nlu_text.script_feature(words)
                          + (nlu_text.lemma_features(words) if settings.lemmas else []))
        char_lists.append(nlu_text.char_features(words))

    if not intents:
        warnings.append(TrainingWarning("no_intents", "no usable examples: every message "
                                        "will fall back"))
        classifier = IntentClassifier(
            intents=[], words=[], chars=[], weights=np.zeros((0, 0), np.float32),
            bias=np.zeros(0, np.float32), idf=np.zeros(0, np.float32), calibration=(1.0, 0.0),
            threshold=settings.threshold, languages=langs)
        return TrainingResult(classifier, tuple(warnings), time.perf_counter() - started)

    from scipy import sparse  # training only: prediction needs numpy alone

    labels = np.array([intents.index(intent) for _, intent, _ in rows], dtype=np.intp)
    word_vocab = sorted({f for features in word_lists for f in features})
    char_vocab = sorted({f for features in char_lists for f in features})
    counts = _count_matrix(word_lists, char_lists, word_vocab, char_vocab)
    n_words = len(word_vocab)
    report(0.1, "fitting")

    meaning = None
    if len(intents) == 1:
        warnings.append(TrainingWarning(
            "single_intent", f"only one intent ({intents[0]}): its confidence is the "
            "similarity to its examples, there is nothing to tell it apart from",
            intents=(intents[0],)))
        idf = _idf(counts)
        matrix = _weigh(counts, idf, n_words, settings)
        centroid = np.asarray(matrix.mean(axis=0)).ravel()
        weights = (centroid / (np.linalg.norm(centroid) or 1.0)).reshape(-1, 1)
        bias = np.zeros(1)
        # cosine 0.3 ↦ 0.5: phrases sharing a good part of their n-grams with the examples.
        calibration = (12.0, -3.6)
    else:
        weights, bias = _fit_svm(_weigh(counts, _idf(counts), n_words, settings), labels,
                                 len(intents), settings)
        idf = _idf(counts)
        report(0.3, "calibrating")
        calibration = (_calibrate(counts, labels, len(intents), n_words, settings, sparse,
                                  lambda share: report(0.3 + 0.3 * share, "calibrating"))
                       if settings.calibration_folds else (1.0, 0.0))
        if settings.meaning:
            report(0.6, "meaning")
            meaning = _train_meaning(rows, labels, len(intents), settings,
                                     lambda share: report(0.6 + 0.35 * share, "meaning"))

    classifier = IntentClassifier(
        intents=intents, words=word_vocab, chars=char_vocab, weights=weights, bias=bias,
        idf=idf, calibration=calibration, threshold=settings.threshold,
        word_weight=settings.word_weight, char_weight=settings.char_weight, languages=langs,
        lemmas=settings.lemmas, meaning=meaning)
    report(1.0, "done")
    stats = {"examples": len(rows), "intents": len(intents), "features": counts.shape[1],
             "calibration": calibration, "settings": asdict(settings),
             "second_look": None if meaning is None else {
                 "examples": len(meaning.examples), "gate": round(meaning.gate, 4),
                 "calibration": meaning.calibration}}
    return TrainingResult(classifier, tuple(warnings), time.perf_counter() - started, stats)


def _clean(examples: Iterable[TrainingExample | Mapping[str, Any]], languages: Sequence[str]
           ) -> tuple[list[tuple[str, str, str]], list[TrainingWarning]]:
    rows: list[tuple[str, str, str]] = []
    warnings: list[TrainingWarning] = []
    skipped = 0
    no_language = 0
    for example in examples:
        if isinstance(example, Mapping):
            text_, intent, lang = example.get("text"), example.get("intent"), example.get("lang")
        else:
            text_, intent, lang = example.text, example.intent, example.lang
        text_ = text_ if isinstance(text_, str) else ""
        intent = intent.strip() if isinstance(intent, str) else ""
        lang = lang.strip().lower() if isinstance(lang, str) else ""
        if not intent or not nlu_text.tokens(nlu_text.normalise(text_)):
            skipped += 1
            continue
        if not lang:
            no_language += 1
        rows.append((text_, intent, lang))
    if skipped:
        warnings.append(TrainingWarning(
            "skipped_examples", f"{skipped} example(s) without an intent or without any word "
            "were skipped"))
    if no_language:
        warnings.append(TrainingWarning(
            "example_without_language", f"{no_language} example(s) have no language; they "
            "still train the model"))
    per_intent = Counter(intent for _, intent, _ in rows)
    single = tuple(sorted(i for i, n in per_intent.items() if n == 1))
    if single:
        warnings.append(TrainingWarning(
            "single_example", "one example only (add a few more ways to say it): "
            + ", ".join(single), intents=single))
    owners: dict[str, set[str]] = {}
    for text_, intent, _ in rows:
        owners.setdefault(" ".join(nlu_text.tokens(nlu_text.normalise(text_))), set()).add(intent)
    clashes = {phrase: tuple(sorted(names)) for phrase, names in owners.items() if len(names) > 1}
    if clashes:
        named = tuple(sorted({name for names in clashes.values() for name in names}))
        sample = "; ".join(f'"{phrase}" ({", ".join(names)})'
                           for phrase, names in sorted(clashes.items())[:5])
        warnings.append(TrainingWarning(
            "duplicate_across_intents", f"{len(clashes)} phrase(s) belong to more than one "
            f"intent: {sample}", intents=named))
    present = {lang for _, _, lang in rows}
    empty = tuple(sorted({str(lang).strip().lower() for lang in languages} - present - {""}))
    if empty:
        warnings.append(TrainingWarning(
            "empty_language", "no examples in: " + ", ".join(empty) + " (messages in it are "
            "matched only through words shared with other languages)", languages=empty))
    return rows, warnings


def _count_matrix(word_lists: list[list[str]], char_lists: list[list[str]],
                  word_vocab: list[str], char_vocab: list[str]):
    from scipy import sparse

    index = {f: i for i, f in enumerate(word_vocab)}
    offset = len(word_vocab)
    index.update({f"\x00{g}": offset + i for i, g in enumerate(char_vocab)})
    indptr, indices, data = [0], [], []
    for words, chars in zip(word_lists, char_lists):
        row = Counter(index[w] for w in words)
        row.update(index[f"\x00{g}"] for g in chars)
        indices.extend(row.keys())
        data.extend(row.values())
        indptr.append(len(indices))
    shape = (len(word_lists), offset + len(char_vocab))
    matrix = sparse.csr_matrix((np.asarray(data, np.float64), np.asarray(indices, np.int64),
                                np.asarray(indptr, np.int64)), shape=shape)
    matrix.sort_indices()
    return matrix


def _idf(counts) -> np.ndarray:
    """Smoothed IDF, as scikit-learn's TfidfTransformer: ln((1+n)/(1+df)) + 1."""
    n = counts.shape[0]
    df = np.bincount(counts.indices, minlength=counts.shape[1])
    return (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)


def _weigh(counts, idf: np.ndarray, n_words: int, settings: TrainingSettings):
    """Sublinear TF × IDF, each block L2-normalised and scaled: the training twin of
    IntentClassifier.scores (float32 IDF in both, so train and predict see the same numbers)."""
    from scipy import sparse
    from sklearn.preprocessing import normalize

    matrix = counts.astype(np.float64, copy=True)
    matrix.data = np.log(matrix.data) + 1.0
    matrix = matrix @ sparse.diags(idf.astype(np.float64))
    word_block = normalize(matrix[:, :n_words]) * settings.word_weight
    char_block = normalize(matrix[:, n_words:]) * settings.char_weight
    return sparse.hstack([word_block, char_block], format="csr")


def _fit_svm(matrix, labels: np.ndarray, n_intents: int, settings: TrainingSettings
             ) -> tuple[np.ndarray, np.ndarray]:
    """Weights (features × intents) and biases; classes absent from `labels` get a column
    that always loses."""
    from sklearn.svm import LinearSVC

    present = np.unique(labels)
    weights = np.zeros((matrix.shape[1], n_intents))
    bias = np.full(n_intents, -1e3)
    if len(present) == 1:
        # One class in this slice: every message looks like it.
        bias[present[0]] = 1.0
        return weights, bias
    model = LinearSVC(C=settings.c, random_state=settings.seed, max_iter=5000,
                      class_weight=settings.class_weight)
    model.fit(matrix, labels)
    coef, intercept = model.coef_, model.intercept_
    if len(present) == 2:  # scikit-learn keeps one column for two classes
        coef = np.vstack([-coef[0], coef[0]])
        intercept = np.array([-intercept[0], intercept[0]])
    weights[:, present] = coef.T
    bias[present] = intercept
    return weights, bias


def _calibrate(counts, labels: np.ndarray, n_intents: int, n_words: int,
               settings: TrainingSettings, sparse,
               progress: Callable[[float], None] = lambda share: None) -> tuple[float, float]:
    """Platt scaling of the one-vs-rest scores: on each held-out example, the right intent's
    score is a positive and every other intent's a negative. The folds see only the features
    of their own training part, as a live message sees only the bot's examples."""
    def decisions(fit: np.ndarray, held: np.ndarray) -> np.ndarray:
        fit_counts = counts[fit]
        seen = np.bincount(fit_counts.indices, minlength=counts.shape[1]) > 0
        keep = np.flatnonzero(seen)
        n_fold_words = int(np.count_nonzero(seen[:n_words]))
        fit_counts = fit_counts[:, keep]
        held_counts = counts[held][:, keep]
        idf = _idf(fit_counts)
        weights, bias = _fit_svm(_weigh(fit_counts, idf, n_fold_words, settings),
                                 labels[fit], n_intents, settings)
        return np.asarray(_weigh(held_counts, idf, n_fold_words, settings) @ weights + bias)

    return _platt(decisions, labels, n_intents, settings.calibration_folds, settings.seed,
                  progress)


def _platt(decisions: Callable[[np.ndarray, np.ndarray], np.ndarray], labels: np.ndarray,
           n_intents: int, folds: int, seed: int,
           progress: Callable[[float], None] = lambda share: None) -> tuple[float, float]:
    """One sigmoid from decision scores to the chance that the intent is right, fitted on
    held-out folds: `decisions(fit, held)` trains on the `fit` rows and scores the `held` ones
    (held × intents); the right intent's score is a positive, every other intent's a negative."""
    from sklearn.linear_model import LogisticRegression

    n = len(labels)
    folds = max(2, min(folds, n))
    order = np.random.default_rng(seed).permutation(n)
    scores, truth = [], []
    for k in range(folds):
        held = np.sort(order[k::folds])
        fit = np.setdiff1d(np.arange(n), held)
        present = np.isin(np.arange(n_intents), labels[fit])
        for row, label in zip(decisions(fit, held), labels[held]):
            scores.append(row[present])
            truth.append(np.arange(n_intents)[present] == label)
        progress((k + 1) / folds)
    x = np.concatenate(scores).reshape(-1, 1)
    y = np.concatenate(truth)
    if y.all() or not y.any():
        return 1.0, 0.0
    model = LogisticRegression(C=1e4)
    model.fit(x, y)
    return float(model.coef_[0, 0]), float(model.intercept_[0])


def _train_meaning(rows: list[tuple[str, str, str]], labels: np.ndarray, n_intents: int,
                   settings: TrainingSettings, progress: Callable[[float], None]
                   ) -> nlu_meaning.MeaningStage | None:
    """The second look: the encoder's embeddings of (a bounded, even share of) the examples, a
    linear SVM on them, its Platt calibration on held-out folds, and the nearness gate. None
    where the encoder is not installed (the model keeps its first look)."""
    encoder = nlu_meaning.ENCODER_INSTANCE
    picked = nlu_meaning.chosen(rows, settings.seed)
    labels = labels[picked]
    if len(np.unique(labels)) < 2 or not encoder.available():
        return None
    texts = [nlu_text.normalise(rows[i][0]) for i in picked]
    vectors = np.empty((len(texts), nlu_meaning.DIMENSIONS), dtype=np.float32)
    step = 50
    for start in range(0, len(texts), step):
        vectors[start:start + step] = encoder.embed(texts[start:start + step])
        progress(0.8 * min(1.0, (start + step) / len(texts)))
    stage_settings = replace(settings, c=nlu_meaning.SVM_C, class_weight=None)
    weights, bias = _fit_svm(vectors, labels, n_intents, stage_settings)

    def decisions(fit: np.ndarray, held: np.ndarray) -> np.ndarray:
        fold_weights, fold_bias = _fit_svm(vectors[fit], labels[fit], n_intents, stage_settings)
        return vectors[held] @ fold_weights + fold_bias

    calibration = _platt(decisions, labels, n_intents, settings.calibration_folds or 3,
                         settings.seed, lambda share: progress(0.8 + 0.2 * share))
    return nlu_meaning.MeaningStage(
        examples=vectors, weights=weights, bias=bias, calibration=calibration,
        gate=nlu_meaning.gate_level(vectors), encoder=encoder)
