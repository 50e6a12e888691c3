"""Entity extraction on chat messages in Ukrainian and English: every built-in kind with its
value and span, the author's lists (inflected Ukrainian, several words) and RE2 patterns,
overlaps, `only`, definitions that must be refused, and input that must not break it."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any

import pytest

from nlu.entities import BUILTIN_ENTITIES, MAX_CHARS, EntityDefinitionError, EntityExtractor

# Thursday 26 November 2026, 10:00 in Kyiv (UTC+2): every relative date counts from here.
NOW = datetime(2026, 11, 26, 10, 0)
KYIV = "Europe/Kyiv"

DEFINITIONS: list[dict[str, Any]] = [
    {"name": "city", "kind": "list", "values": [
        {"value": "Kyiv", "synonyms": {"uk": ["Київ"], "en": ["Kiev"]}},
        {"value": "Lviv", "synonyms": {"uk": ["Львів"], "en": ["Lviv"]}},
        {"value": "Bila Tserkva", "synonyms": {"uk": ["Біла Церква"]}},
    ]},
    {"name": "carrier", "kind": "list", "values": [
        {"value": "nova_poshta", "synonyms": {"uk": ["Нова Пошта", "НП"], "en": ["Nova Poshta"]}},
        {"value": "ukrposhta", "synonyms": {"uk": ["Укрпошта"]}},
    ]},
    {"name": "drink", "kind": "list", "values": [
        {"value": "coffee", "synonyms": {"uk": ["кава"], "en": ["coffee"]}},
        {"value": "tea", "synonyms": {"uk": ["чай"]}},
    ]},
    {"name": "order_id", "kind": "regex", "pattern": r"[A-Z]{2}\d{6}"},
    {"name": "waybill", "kind": "regex", "pattern": r"ТТН\s*(\d{14})"},
]


@pytest.fixture(scope="module")
def extractor() -> EntityExtractor:
    return EntityExtractor(DEFINITIONS)


def found(extractor: EntityExtractor, text: str, language: str | None,
          **options: Any) -> list[tuple[str, Any, str]]:
    """(entity, value, text) of what was found; every span checked against the message."""
    entities = extractor.extract(text, language, now=NOW, timezone=KYIV, **options)
    for entity in entities:
        assert text[entity.start:entity.end] == entity.text
    assert [e.start for e in entities] == sorted(e.start for e in entities)
    return [(entity.entity, entity.value, entity.text) for entity in entities]


# -- built-in entities --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "language", "expected"), [
    ("Моя пошта Ivan.Petrenko@Example.com", "uk",
     [("email", "ivan.petrenko@example.com", "Ivan.Petrenko@Example.com")]),
    ("Write to support@rozmova.ua, please.", "en",
     [("email", "support@rozmova.ua", "support@rozmova.ua")]),
])
def test_email(extractor: EntityExtractor, text: str, language: str,
               expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


def test_email_offsets_index_the_original_text(extractor: EntityExtractor) -> None:
    [email] = extractor.extract("Моя пошта Ivan.Petrenko@Example.com", "uk")
    assert (email.start, email.end) == (10, 35)


@pytest.mark.parametrize(("text", "language", "region", "expected"), [
    ("подзвоніть на 050 123 45 67", "uk", "UA", [("phone", "+380501234567", "050 123 45 67")]),
    ("мій номер +380 (50) 123-45-67, дякую", "uk", "UA",
     [("phone", "+380501234567", "+380 (50) 123-45-67")]),
    ("call me at +1 415 555 2671 after lunch", "en", "UA",
     [("phone", "+14155552671", "+1 415 555 2671")]),
    ("call me at (415) 555-2671", "en", "US", [("phone", "+14155552671", "(415) 555-2671")]),
])
def test_phone(extractor: EntityExtractor, text: str, language: str, region: str,
               expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language, default_region=region) == expected


def test_phone_span(extractor: EntityExtractor) -> None:
    [phone] = extractor.extract("подзвоніть на 050 123 45 67", "uk")
    assert (phone.start, phone.end) == (14, 27)


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("доставте завтра о 15:00", "uk",
     [("date", "2026-11-27T15:00:00+02:00", "завтра о 15:00")]),
    ("а можна післязавтра?", "uk", [("date", "2026-11-28", "післязавтра")]),
    ("приїду у п’ятницю", "uk", [("date", "2026-11-27", "п’ятницю")]),
    ("запис на 5 грудня", "uk", [("date", "2026-12-05", "5 грудня")]),
    ("на 1 березня", "uk", [("date", "2027-03-01", "1 березня")]),  # passed: next year
    ("наступного понеділка об 11 ранку", "uk",
     [("date", "2026-11-30T11:00:00+02:00", "наступного понеділка об 11 ранку")]),
    ("зустріч у понеділок о 10", "uk", [("date", "2026-11-30T10:00:00+02:00", "понеділок о 10")]),
    ("доставка 25.12.2026", "uk", [("date", "2026-12-25", "25.12.2026")]),
    ("через 2 дні", "uk", [("date", "2026-11-28", "через 2 дні")]),
    ("передзвоніть через годину", "uk", [("date", "2026-11-26T11:00:00+02:00", "через годину")]),
    ("tomorrow at 5 pm works", "en", [("date", "2026-11-27T17:00:00+02:00", "tomorrow at 5 pm")]),
    ("next Monday", "en", [("date", "2026-11-30", "next Monday")]),
    ("it happened last Friday", "en", [("date", "2026-11-20", "last Friday")]),
    ("deliver on 2026-12-25", "en", [("date", "2026-12-25", "2026-12-25")]),
    ("December 5th at 18:30", "en",
     [("date", "2026-12-05T18:30:00+02:00", "December 5th at 18:30")]),
    ("сьогодні ввечері о 8", "uk", [("date", "2026-11-26T20:00:00+02:00", "сьогодні ввечері о 8")]),
    ("tonight at 8", "en", [("date", "2026-11-26T20:00:00+02:00", "tonight at 8")]),
    ("in two hours", "en", [("date", "2026-11-26T12:00:00+02:00", "in two hours")]),
    ("12/25/2026", "en", [("date", "2026-12-25", "12/25/2026")]),
    ("05/12/2026", "en", [("date", "2026-05-12", "05/12/2026")]),
    ("05/12/2026", "uk", [("date", "2026-12-05", "05/12/2026")]),
    ("в пятницу в 5 вечера", "ru", [("date", "2026-11-27T17:00:00+02:00", "пятницу в 5 вечера")]),
])
def test_date(extractor: EntityExtractor, text: str, language: str,
              expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("о 7 вечора", "uk", [("time", "19:00:00", "о 7 вечора")]),
    ("давайте о 15:30", "uk", [("time", "15:30:00", "о 15:30")]),
    ("опівдні", "uk", [("time", "12:00:00", "опівдні")]),
    ("see you at 5:30 pm", "en", [("time", "17:30:00", "at 5:30 pm")]),
    ("at noon", "en", [("time", "12:00:00", "at noon")]),
])
def test_time_without_a_date(extractor: EntityExtractor, text: str, language: str,
                             expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


def test_dates_count_from_now_in_the_users_time_zone(extractor: EntityExtractor) -> None:
    # 23:30 UTC is already 01:30 on Friday in Kyiv: tomorrow is Saturday there.
    late = datetime(2026, 11, 26, 23, 30, tzinfo=UTC)
    [day] = extractor.extract("завтра", "uk", now=late, timezone=KYIV)
    assert day.value == "2026-11-28"
    [day] = extractor.extract("завтра", "uk", now=late, timezone="UTC")
    assert day.value == "2026-11-27"
    [day] = extractor.extract("завтра", "uk", now=late, timezone="No/Such_Zone")
    assert day.value == "2026-11-27"


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("хочу 2 кави", "uk", [("number", 2, "2"), ("drink", "coffee", "кави")]),
    ("I want to change my address", "en", []),
    ("ціна 12.50", "uk", [("number", 12.5, "12.50")]),
    ("31 лютого", "uk", [("number", 31, "31")]),
    ("see readme.md and node.js", "en", []),
    ("версія v1.2.3", "uk", []),
])
def test_no_false_dates_or_links(extractor: EntityExtractor, text: str, language: str,
                                 expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("додайте 12 штук", "uk", [("number", 12, "12")]),
    ("3,5 кг борошна", "uk", [("number", 3.5, "3,5")]),
    ("1 500 людей", "uk", [("number", 1500, "1 500")]),
    ("1,500 людей", "uk", [("number", 1.5, "1,500")]),
    ("1,500 people", "en", [("number", 1500, "1,500")]),
    ("12.5 litres", "en", [("number", 12.5, "12.5")]),
    ("about 10k views", "en", [("number", 10000, "10k")]),
    ("вночі було -5, вдень 10-15", "uk",
     [("number", -5, "-5"), ("number", 10, "10"), ("number", 15, "15")]),
    ("twenty-five, a dozen, one hundred and five", "en",
     [("number", 25, "twenty-five"), ("number", 12, "a dozen"),
      ("number", 105, "one hundred and five")]),
    ("two three", "en", [("number", 2, "two"), ("number", 3, "three")]),
    ("сто двадцять п'ять", "uk", [("number", 125, "сто двадцять п'ять")]),
    ("для двох або п'ятьох", "uk", [("number", 2, "двох"), ("number", 5, "п'ятьох")]),
    ("одну піцу і дві тисячі серветок", "uk",
     [("number", 1, "одну"), ("number", 2000, "дві тисячі")]),
])
def test_number(extractor: EntityExtractor, text: str, language: str,
                expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


@pytest.mark.parametrize(("text", "language", "amount", "currency", "span"), [
    ("переведіть 500 грн", "uk", 500, "UAH", "500 грн"),
    ("це коштує 500 гривень.", "uk", 500, "UAH", "500 гривень"),
    ("₴500 на картку", "uk", 500, "UAH", "₴500"),
    ("скинь 100 доларів", "uk", 100, "USD", "100 доларів"),
    ("10 євро", "uk", 10, "EUR", "10 євро"),
    ("1 500 UAH", "uk", 1500, "UAH", "1 500 UAH"),
    ("дві тисячі гривень", "uk", 2000, "UAH", "дві тисячі гривень"),
    ("5 тис. грн", "uk", 5000, "UAH", "5 тис. грн"),
    ("it is $20", "en", 20, "USD", "$20"),
    ("20 dollars", "en", 20, "USD", "20 dollars"),
    ("€15.50 each", "en", 15.5, "EUR", "€15.50"),
    ("twenty five dollars", "en", 25, "USD", "twenty five dollars"),
])
def test_money(extractor: EntityExtractor, text: str, language: str, amount: float,
               currency: str, span: str) -> None:
    assert found(extractor, text, language) == [
        ("money", {"amount": amount, "currency": currency}, span)]


def test_a_message_with_several_kinds(extractor: EntityExtractor) -> None:
    text = "I'd like two coffees for $7.50 tomorrow"
    assert found(extractor, text, "en") == [
        ("number", 2, "two"), ("drink", "coffee", "coffees"),
        ("money", {"amount": 7.5, "currency": "USD"}, "$7.50"), ("date", "2026-11-27", "tomorrow")]
    money = extractor.extract(text, "en", now=NOW)[2]
    assert (money.start, money.end) == (25, 30)


def test_url(extractor: EntityExtractor) -> None:
    text = "сайт example.com/path, або (https://rozmova.ua/docs?x=1)."
    assert found(extractor, text, "uk") == [
        ("url", "example.com/path", "example.com/path"),
        ("url", "https://rozmova.ua/docs?x=1", "https://rozmova.ua/docs?x=1")]
    assert found(extractor, "see https://en.wikipedia.org/wiki/Kyiv_(city).", "en") == [
        ("url", "https://en.wikipedia.org/wiki/Kyiv_(city)",
         "https://en.wikipedia.org/wiki/Kyiv_(city)")]


# -- overlaps and `only` ------------------------------------------------------------------------

def test_numbers_inside_other_entities_are_not_reported(extractor: EntityExtractor) -> None:
    text = "050 123 45 67, 25.12.2026, 1 500 грн, ivan2000@example.com, example.com/42, о 15:30"
    kinds = [entity for entity, _, _ in found(extractor, text, "uk")]
    assert kinds == ["phone", "date", "money", "email", "url", "time"]
    assert found(extractor, text, "uk", only=["number"]) == []


def test_only_restricts_the_result(extractor: EntityExtractor) -> None:
    text = "доставте завтра о 15:00 до Києва, номер 050 123 45 67"
    assert found(extractor, text, "uk", only=["phone"]) == [
        ("phone", "+380501234567", "050 123 45 67")]
    assert found(extractor, text, "uk", only={"city", "date"}) == [
        ("date", "2026-11-27T15:00:00+02:00", "завтра о 15:00"), ("city", "Kyiv", "Києва")]
    assert found(extractor, text, "uk", only=[]) == []


def test_the_longest_span_wins() -> None:
    extractor = EntityExtractor([
        {"name": "service", "kind": "list", "values": [{"value": "post",
                                                        "synonyms": {"uk": ["пошта"]}}]},
        {"name": "carrier", "kind": "list", "values": [{"value": "nova_poshta",
                                                        "synonyms": {"uk": ["Нова Пошта"]}}]},
        {"name": "clock", "kind": "regex", "pattern": r"\d\d:\d\d"},
    ])
    assert found(extractor, "Новою Поштою завтра о 15:00", "uk") == [
        ("carrier", "nova_poshta", "Новою Поштою"),
        ("date", "2026-11-27T15:00:00+02:00", "завтра о 15:00")]


def test_an_authors_entity_wins_a_tie_with_a_builtin_one() -> None:
    extractor = EntityExtractor([{"name": "price", "kind": "regex", "pattern": r"\d+ грн"}])
    assert found(extractor, "за 500 грн", "uk") == [("price", "500 грн", "500 грн")]


# -- the author's entities ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "language", "expected"), [
    ("я у Києві, їду до Львова", "uk", [("city", "Kyiv", "Києві"), ("city", "Lviv", "Львова")]),
    ("from Kiev to Lviv", "en", [("city", "Kyiv", "Kiev"), ("city", "Lviv", "Lviv")]),
    ("KYIV", "en", [("city", "Kyiv", "KYIV")]),
    ("живу в Білій Церкві", "uk", [("city", "Bila Tserkva", "Білій Церкві")]),
    ("відправте Новою Поштою", "uk", [("carrier", "nova_poshta", "Новою Поштою")]),
    ("на нову пошту, будь ласка", "uk", [("carrier", "nova_poshta", "нову пошту")]),
    ("через НП або Укрпоштою", "uk",
     [("carrier", "nova_poshta", "НП"), ("carrier", "ukrposhta", "Укрпоштою")]),
    ("send it by Nova Poshta", "en", [("carrier", "nova_poshta", "Nova Poshta")]),
])
def test_list_entity(extractor: EntityExtractor, text: str, language: str,
                     expected: list[tuple[str, Any, str]]) -> None:
    assert found(extractor, text, language) == expected


def test_a_list_entity_does_not_match_inside_a_word(extractor: EntityExtractor) -> None:
    assert found(extractor, "чайник і кавоварка", "uk") == []


def test_regex_entity(extractor: EntityExtractor) -> None:
    assert found(extractor, "замовлення AB123456 і CD654321", "uk") == [
        ("order_id", "AB123456", "AB123456"), ("order_id", "CD654321", "CD654321")]


def test_regex_entity_with_one_group_gives_the_group(extractor: EntityExtractor) -> None:
    [waybill] = extractor.extract("моя ТТН 20450000000000, дякую", "uk")
    assert (waybill.entity, waybill.value, waybill.text) == (
        "waybill", "20450000000000", "ТТН 20450000000000")
    assert (waybill.start, waybill.end) == (4, 22)


def _values(count: int) -> list[dict[str, Any]]:
    return [{"value": f"v{i}"} for i in range(count)]


@pytest.mark.parametrize(("definitions", "named", "reason"), [
    ([{"name": "City", "kind": "list", "values": _values(1)}], "'City'", "small Latin letter"),
    ([{"name": "date", "kind": "regex", "pattern": "x"}], '"date"', "built-in"),
    ([{"name": "order_id", "kind": "regex", "pattern": r"(?<=A)\d+"}], '"order_id"',
     "lookaround"),
    ([{"name": "order_id", "kind": "regex", "pattern": "[a-"}], '"order_id"', "missing ]"),
    ([{"name": "order_id", "kind": "regex", "pattern": "a" * 501}], '"order_id"', "at most 500"),
    ([{"name": "city", "kind": "list", "values": _values(1001)}], '"city"', "at most 1,000"),
    ([{"name": "city", "kind": "list",
       "values": [{"value": "Kyiv", "synonyms": {"uk": [f"к{i}" for i in range(51)]}}]}],
     '"city"', "at most 50"),
    ([{"name": "city", "kind": "list", "values": []}], '"city"', "needs a list of values"),
    ([{"name": "city", "kind": "list", "values": [{"value": "  "}]}], '"city"', "a word"),
    ([{"name": "city", "kind": "shape"}], '"city"', '"list" or "regex"'),
    ([{"name": "city", "kind": "list", "values": _values(1)}] * 2, '"city"', "defined twice"),
])
def test_bad_definitions_are_refused_naming_the_entity(definitions: list[dict[str, Any]],
                                                        named: str, reason: str) -> None:
    with pytest.raises(EntityDefinitionError) as error:
        EntityExtractor(definitions)
    assert named in str(error.value)
    assert reason in str(error.value)


def test_too_many_definitions_or_not_a_list_are_refused() -> None:
    with pytest.raises(EntityDefinitionError, match="at most 100"):
        EntityExtractor([{"name": f"e{i}", "kind": "regex", "pattern": "x"} for i in range(101)])
    with pytest.raises(EntityDefinitionError, match="must be a list"):
        EntityExtractor({"name": "city"})  # type: ignore[arg-type]


# -- input that must not break it --------------------------------------------------------------

@pytest.mark.parametrize("text", [None, "", "   ", "😀👍🏻❤️", "👨‍👩‍👧", 12345, b"bytes",
                                  "\ud800", "\x00\x00"])
def test_input_without_entities_gives_an_empty_list(extractor: EntityExtractor,
                                                    text: Any) -> None:
    assert extractor.extract(text, "uk", now=NOW) == []


def test_a_long_mixed_message_is_read_in_bounded_time(extractor: EntityExtractor) -> None:
    piece = ("Привіт! Hello 😀 завтра о 15:00 1 500 грн ivan@example.com 050 123 45 67 Києві "
             "Здравствуйте ١٢٣ 北京 AB123456 ")
    text = (piece * (10_000 // len(piece) + 1))[:10_000]
    started = time.perf_counter()
    entities = extractor.extract(text, None, now=NOW, timezone=KYIV)
    assert time.perf_counter() - started < 2.0
    assert isinstance(entities, list) and entities
    assert all(0 <= e.start < e.end <= MAX_CHARS and text[e.start:e.end] == e.text
               for e in entities)
    assert {e.entity for e in entities} >= {"date", "money", "email", "phone", "city", "order_id"}


@pytest.mark.parametrize("text", ["a" * 10_000, "1" * 10_000, "1 " * 5_000, "@." * 5_000,
                                  "о " * 5_000, "через " * 2_000, "1:" * 5_000])
def test_hostile_repetitions_are_read_in_bounded_time(extractor: EntityExtractor,
                                                      text: str) -> None:
    started = time.perf_counter()
    assert isinstance(extractor.extract(text, "uk", now=NOW), list)
    assert time.perf_counter() - started < 2.0


def test_a_broken_surrogate_does_not_hide_the_rest(extractor: EntityExtractor) -> None:
    assert found(extractor, "\ud800 завтра", "uk") == [("date", "2026-11-27", "завтра")]


def test_threads_share_one_extractor(extractor: EntityExtractor) -> None:
    messages = ["доставте завтра о 15:00 до Києва", "I'd like two coffees for $7.50 tomorrow",
                "подзвоніть на 050 123 45 67", "замовлення AB123456"] * 25
    expected = [extractor.extract(text, now=NOW) for text in messages]
    with ThreadPoolExecutor(max_workers=8) as pool:
        assert list(pool.map(lambda text: extractor.extract(text, now=NOW), messages)) == expected


def test_entities_serialise_to_json(extractor: EntityExtractor) -> None:
    entities = extractor.extract("500 грн завтра о 15:00, ivan@example.com", "uk", now=NOW,
                                 timezone=KYIV)
    payload = json.loads(json.dumps([entity.to_json() for entity in entities]))
    assert payload[0] == {"entity": "money", "value": {"amount": 500, "currency": "UAH"},
                          "text": "500 грн", "start": 0, "end": 7}
    assert {item["entity"] for item in payload} <= set(BUILTIN_ENTITIES)
    assert BUILTIN_ENTITIES == ("number", "date", "time", "email", "phone", "money", "url")
