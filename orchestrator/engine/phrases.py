"""The few texts the engine itself says (an apology after a failure, the built-in /help, the
re-prompts of input blocks without their own), in Ukrainian and English; other languages get
the English text."""

from __future__ import annotations

from collections.abc import Iterable

from orchestrator.engine.values import format_value

_APOLOGY = {
    "uk": "Вибачте, у нас щось пішло не так. Спробуйте ще раз, будь ласка.",
    "en": "Sorry, something went wrong on our side. Please try again.",
}

# Said when a conversation cannot go on from where it stands (a failure before anything was
# asked, with no error handler): never leave the person without something they can do.
_STUCK = {
    "uk": ("Вибачте, я не можу продовжити цю розмову з цього місця. Натисніть «Почати знову» "
           "або надішліть /start.", "Почати знову"),
    "en": ("Sorry, I cannot go on with this conversation from here. Press “Start again” "
           "or send /start.", "Start again"),
}

# Said when a person's message ended the conversation and the scenario said nothing (an
# input's `invalid` port with no edge, say): an end is never silent.
_ENDED = {
    "uk": "Цю розмову завершено.",
    "en": "This conversation has ended.",
}

# Said to a person who writes while a deferred job of the conversation (a long transcription,
# a slow model) is still running: the answer comes by itself.
_WORKING = {
    "uk": "Ще працюю над цим, зачекайте, будь ласка.",
    "en": "Still working on it; the answer will come here shortly.",
}

# Said when a voice message answered a question and nothing could be heard in it (silence,
# noise, a broken recording, the speech service unavailable): the question still waits.
_NOT_HEARD = {
    "uk": "Вибачте, не вдалося розібрати голосове повідомлення. Напишіть, будь ласка, текстом.",
    "en": "Sorry, I could not hear that. Please type it.",
}

_HELP = {
    "uk": ("Доступні команди:", "почати спочатку", "показати цю довідку"),
    "en": ("Available commands:", "start over", "show this help"),
}

_REPROMPTS = {
    "uk": {
        "text": "Будь ласка, введіть відповідь текстом.",
        "number": "Будь ласка, введіть число.",
        "boolean": "Будь ласка, відповідайте «так» або «ні».",
        "email": "Будь ласка, введіть коректну адресу електронної пошти, наприклад "
                 "name@example.com.",
        "phone": "Будь ласка, введіть коректний номер телефону, наприклад +380 67 123 4567.",
        "date": "Будь ласка, введіть дату, наприклад 31.12.2025.",
        "choice": "Будь ласка, оберіть один із варіантів.",
        "number_range": "Будь ласка, введіть число від {min} до {max}.",
        "number_min": "Будь ласка, введіть число, не менше за {min}.",
        "number_max": "Будь ласка, введіть число, не більше за {max}.",
        "length_range": "Будь ласка, введіть від {min} до {max} символів.",
        "length_min": "Будь ласка, введіть щонайменше {min} {min_unit}.",
        "length_max": "Будь ласка, введіть не більше {max} символів.",
        "pattern": "Відповідь має невірний формат. Спробуйте ще раз, будь ласка.",
        "entity": "Не знайшов у відповіді того, про що я питав. Спробуйте ще раз, будь ласка.",
        "number_integer": "Будь ласка, введіть ціле число.",
        "number_step": "Будь ласка, введіть число, кратне {step}.",
        "number_step_from": "Будь ласка, введіть число з кроком {step}, починаючи від {min}.",
        "date_range": "Будь ласка, оберіть дату з {min} по {max}.",
        "date_min": "Будь ласка, оберіть дату не раніше {min}.",
        "date_max": "Будь ласка, оберіть дату не пізніше {max}.",
        "weekday": "Будь ласка, оберіть дату в такі дні тижня: {days}.",
    },
    "en": {
        "text": "Please type your answer.",
        "number": "Please enter a number.",
        "boolean": "Please answer yes or no.",
        "email": "Please enter a valid email address, e.g. name@example.com.",
        "phone": "Please enter a valid phone number, e.g. +380 67 123 4567.",
        "date": "Please enter a date, e.g. 31.12.2025.",
        "choice": "Please choose one of the options.",
        "number_range": "Please enter a number from {min} to {max}.",
        "number_min": "Please enter a number of at least {min}.",
        "number_max": "Please enter a number of at most {max}.",
        "length_range": "Please enter from {min} to {max} {max_unit}.",
        "length_min": "Please enter at least {min} {min_unit}.",
        "length_max": "Please enter at most {max} {max_unit}.",
        "pattern": "That does not look right. Please try again.",
        "entity": "I could not find what I asked for in that answer. Please try again.",
        "number_integer": "Please enter a whole number.",
        "number_step": "Please enter a multiple of {step}.",
        "number_step_from": "Please enter a number in steps of {step} from {min}.",
        "date_range": "Please choose a date from {min} to {max}.",
        "date_min": "Please choose a date no earlier than {min}.",
        "date_max": "Please choose a date no later than {max}.",
        "weekday": "Please choose a weekday: {days}.",
    },
}


_WEEKDAYS = {
    "uk": ("понеділок", "вівторок", "середа", "четвер", "пʼятниця", "субота", "неділя"),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
}


def _own(language: str) -> str:
    base = language.split("-", 1)[0]
    return base if base in _REPROMPTS else "en"


def _characters(count: int | None, language: str) -> str:
    if language == "uk":
        n = abs(count or 0)
        if n % 10 == 1 and n % 100 != 11:
            return "символ"
        if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
            return "символи"
        return "символів"
    return "character" if count == 1 else "characters"


def apology(language: str) -> str:
    return _APOLOGY[_own(language)]


def stuck(language: str) -> tuple[str, str]:
    """The text offering a restart, and the label of its button."""
    return _STUCK[_own(language)]


def ended(language: str) -> str:
    return _ENDED[_own(language)]


def working(language: str) -> str:
    return _WORKING[_own(language)]


def not_heard(language: str) -> str:
    return _NOT_HEARD[_own(language)]


def help_text(language: str, commands: Iterable[str]) -> str:
    title, start, help_ = _HELP[_own(language)]
    lines = [title, f"/start — {start}", f"/help — {help_}"]
    lines += [f"/{name}" for name in sorted(commands) if name not in ("start", "restart", "help")]
    return "\n".join(lines)


def weekdays(language: str, days: Iterable[int]) -> str:
    """Allowed days (0 is Monday) as a person reads them: a run of three or more as a range
    ("Monday–Friday"), the others listed ("Monday, Wednesday")."""
    names = _WEEKDAYS[_own(language)]
    chosen = sorted(set(days))
    parts: list[str] = []
    start = 0
    while start < len(chosen):
        end = start
        while end + 1 < len(chosen) and chosen[end + 1] == chosen[end] + 1:
            end += 1
        if end - start >= 2:
            parts.append(f"{names[chosen[start]]}–{names[chosen[end]]}")
        else:
            parts.extend(names[day] for day in chosen[start:end + 1])
        start = end + 1
    return ", ".join(parts)


def reprompt(language: str, key: str, **values: float | int | str | None) -> str:
    lang = _own(language)
    shown = {name: format_value(value) for name, value in values.items()}
    for bound in ("min", "max"):
        count = values.get(bound)
        # Only a count of characters needs its noun; dates and numbers are shown as they are.
        shown[f"{bound}_unit"] = _characters(count if isinstance(count, int) else None, lang)
    return _REPROMPTS[lang][key].format(**shown)
