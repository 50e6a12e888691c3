"""Format 2 types expressions: numbers add, texts join, lists join; text that reads as a
number is that number next to a number; any other mix is an error the author can read.
Lists and maps are data: items, literals and the functions that build them, all bounded."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from orchestrator.engine import expressions
from scenarios.format import limits
from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, texts


def evaluate(source: str, **names):
    evaluator = expressions.ExpressionEvaluator()
    return evaluator.evaluate(expressions.parse(source), source, names.get,
                              datetime(2025, 1, 2, 3, 4, tzinfo=UTC))


def refused(source: str, **names) -> str:
    with pytest.raises(expressions.ExpressionError) as caught:
        evaluate(source, **names)
    return str(caught.value)


# --- arithmetic and comparisons -------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("age + 1", 42),                     # the answer "41": format 1 gave "411"
    ("1 + age", 42),
    ("'12,5' * 2", 25), ("'1 000' - 1", 999), ("price / 2", 6.25), ("'7' // 2", 3),
    ("'2' ** 3", 8), ("'7' % 4", 3), ("-age", -41), ("+age", 41),
    ("'10' - '4'", 6), ("'2' * '3'", 6),  # no other meaning: numbers
    ("'a' + 'b'", "ab"), ("age + '1'", "411"),  # text + text joins, numeric or not
    ("[1] + [2, 3]", [1, 2, 3]),
    ("'ab' * 3", "ababab"), ("2 * [0]", [0, 0]),  # repetition stays
    ("'%05.1f' % 2.25", "002.2"), ("'%s!' % 'hi'", "hi!"),  # formatting stays
])
def test_typed_arithmetic(source, expected):
    result = evaluate(source, age="41", price="12,5")
    assert result == expected and type(result) is type(expected) or (
        isinstance(expected, int) and result == expected)


@pytest.mark.parametrize(("source", "expected"), [
    ("age > 5", True), ("age < 5", False), ("5 <= age", True), ("age >= 41", True),
    ("age == 41", True), ("41 != age", False), ("'41,0' == 41", True),
    ("'a' < 'b'", True), ("'10' < '9'", True),  # two texts compare as texts
    ("true == 1", False), ("false != 0", True),  # booleans are not numbers
    ("[1, 2] == [1, 2]", True), ("null == null", True), ("age == 'x'", False),
])
def test_typed_comparisons(source, expected):
    assert evaluate(source, age="41") is expected


@pytest.mark.parametrize(("source", "message"), [
    ("'Order ' + 5",
     "cannot add 'Order ' and 5: 'Order ' is not a number; to join text write "
     "'Order ' + str(5)"),
    ("5 + 'Order '",
     "cannot add 5 and 'Order ': 'Order ' is not a number; to join text write "
     "str(5) + 'Order '"),
    ("true + 1", "cannot add true and 1: true is not a number (true and false are not numbers)"),
    ("missing + 1", "cannot add null and 1: null is not a number"),
    ("'x' - 1", "cannot subtract 'x' and 1: 'x' is not a number"),
    ("2.5 * 'abc'", "cannot multiply 2.5 and 'abc': 'abc' is not a number"),
    ("[1] + 2", "cannot add [1] and 2: a list joins only another list; to add an item write "
                "append(list, item)"),
    ("'x' < 5", "cannot compare 'x' < 5: 'x' is not a number"),
    ("missing >= 1", "cannot compare null >= 1: null is not a number"),
    ("-'x'", "cannot use - on 'x': 'x' is not a number"),
    ("n / 0", "cannot divide 7 by zero"), ("n % 0", "cannot divide 7 by zero"),
    ("{'a': 1} * 2", "cannot multiply {\"a\": 1} and 2: a map is not a number"),
    ("1 & 2", "bitwise operators (& | ^ ~) are not available"),
])
def test_mixing_types_is_an_error_the_author_reads(source, message):
    assert refused(source, n=7) == message


def test_long_values_are_shortened_in_messages():
    message = refused("t + 1", t="y" * 500)
    assert len(message) < 250 and "..." in message


# --- items, literals --------------------------------------------------------------------------

QUIZ = [{"text": "2 + 2?", "answer": "4"}, {"text": "Capital of Ukraine?", "answer": "Kyiv"}]


@pytest.mark.parametrize(("source", "expected"), [
    ("xs[0]", 1), ("xs[-1]", 3), ("xs[3]", None), ("xs[-4]", None), ("xs['1']", 2),
    ("qs[i].text", "Capital of Ukraine?"), ("qs[i]['answer']", "Kyiv"), ("len(qs)", 2),
    ("o['total']", 5), ("o['nope']", None), ("o[1]", "one"), ("s[1]", "e"), ("s[9]", None),
    ("s[1:3]", "el"), ("xs[-2:]", [2, 3]), ("s[::-1]", "olleh"),
    ("missing[0]", None), ("missing.field", None), ("missing['a'][0]", None),
    ("[1, 'two', n]", [1, "two", 7]), ("{'a': 1, 'b': [n]}", {"a": 1, "b": [7]}),
    ("{1: 'x'}", {"1": "x"}), ("[]", []), ("{}", {}),
])
def test_items_and_literals(source, expected):
    assert evaluate(source, xs=[1, 2, 3], qs=QUIZ, i=1, o={"total": 5, "1": "one"},
                    s="hello", n=7) == expected


@pytest.mark.parametrize(("source", "message"), [
    ("n[0]", "7 has no items: only lists, maps and text do"),
    ("xs[1.5]", "a position is a whole number, not 1.5"),
    ("xs[true]", "a position is a whole number, not true"),
    ("o[[1]]", "a map key is text, not [1]"),
    ("{**o}", "'**' unpacking is not available"),
    ("xs[::0]", "the step of a part cannot be zero"),
])
def test_item_errors(source, message):
    assert refused(source, n=7, xs=[1, 2], o={}) == message


@pytest.mark.parametrize("source", ["{1, 2}", "(1, 2)", "[x for x in xs]", "[*xs]",
                                    "{k: 1 for k in xs}"])
def test_sets_tuples_comprehensions_and_unpacking_are_refused(source):
    assert limits.expression_problem(source) is not None


def test_literals_are_bounded_by_what_they_hold():
    text = "x" * 4000
    assert evaluate("[t, t]", t=text) == [text, text]
    assert "longer than" in refused("[t, t, t]", t=text)
    assert "longer than" in refused("{'a': t, 'b': t, 'c': t}", t=text)
    # Small literals repeated until the budget runs out: refused, not built.
    assert "work" in refused(" + ".join(["len([t, t])"] * 20), t=text)


# --- functions ------------------------------------------------------------------------------

@pytest.mark.parametrize(("source", "expected"), [
    ("number('12,5')", 12.5), ("number(3)", 3), ("is_number('1 000')", True),
    ("is_number('x')", False), ("is_number(true)", False), ("is_number(null)", False),
    ("append(xs, 4)", [1, 2, 3, 4]), ("append(missing, 'a')", ["a"]),
    ("append(xs, [5])", [1, 2, 3, [5]]),
    ("keys(o)", ["total", "1"]), ("values(o)", [5, "one"]), ("keys(missing)", []),
    ("sum(xs)", 6), ("sum(['1', 2.5, '1 000'])", 1003.5), ("sum([])", 0),
    ("join(['a', 1, true, null])", "a1true"), ("join(xs, ', ')", "1, 2, 3"),
    ("join(missing, '-')", ""),
    ("split(' a  b c ')", ["a", "b", "c"]), ("split('a,,b', ',')", ["a", "", "b"]),
    ("split(missing)", []),
    ("get(o, 'total')", 5), ("get(o, 'no', 0)", 0), ("get(xs, 7, 'none')", "none"),
    ("get(xs, -1)", 3), ("get(missing, 0, 'x')", "x"),
    ("slice(xs, 1)", [2, 3]), ("slice(xs, 0, -1)", [1, 2]), ("slice('hello', -3, -1)", "ll"),
    ("slice(xs, '1', 2)", [2]),
])
def test_list_and_map_functions(source, expected):
    result = evaluate(source, xs=[1, 2, 3], o={"total": 5, "1": "one"})
    assert result == expected and type(result) is type(expected)


@pytest.mark.parametrize(("source", "message"), [
    ("number('x')", "'x' is not a number"), ("number(true)",
                                             "true is not a number (true and false are not "
                                             "numbers)"),
    ("append(o, 1)", "append() takes a list, not {}"), ("keys(xs)", "keys() takes a map, not []"),
    ("sum(['1', 'a'])", "sum() adds numbers: 'a' is not a number"),
    ("join(xs, 1)", "join() takes a text separator, not 1"),
    ("split(5)", "split() takes a text, not 5"), ("split('a', '')",
                                                  "split() needs a separator that is not empty"),
    ("slice(5, 1)", "only lists and text have parts, not 5"),
    ("get(5, 0)", "5 has no items: only lists, maps and text do"),
])
def test_function_errors(source, message):
    assert refused(source, xs=[], o={}) == message


@pytest.mark.parametrize("source", [
    "append(texts, big)",                      # 6,000 + 6,000 characters
    "join(parts, big)",                        # the separator repeated past the limit
    "split(many, ',')",                        # 6,000 one-character items plus the text
    "join(split(many, ','), big)",
])
def test_functions_are_bounded_before_building(source):
    assert "longer than" in refused(source, big="x" * 6000, texts=["y" * 6000],
                                    parts=["a"] * 10, many="," * 6000)


def test_function_work_is_budgeted():
    items = list(range(5000))
    assert evaluate("sum(items)", items=items) == sum(items)
    assert "work" in refused(" + ".join(["sum(items)"] * 5), items=items)
    text = "x " * 2000
    assert evaluate("len(split(t))", t=text) == 2000
    assert "work" in refused(" + ".join(["len(split(t))"] * 30), t=text)


# --- in a conversation: typed variables and the error handler ----------------------------------

def test_numeric_answer_plus_one_is_a_number_and_text_plus_number_fails_the_block():
    doc = document(
        [block("ask", "input", kind="text", prompt={"en": "Age?", "uk": "Вік?"},
               variable="age"),
         block("calc", "set_variable", variable="next_age", expression="age + 1"),
         say("done", "Next year: {{ next_age }}"),
         say("oops", "Cannot count that")],
        [("ask", "next", "calc"), ("calc", "next", "done")],
        variables=[{"name": "age", "type": "string"}, {"name": "next_age", "type": "number"}],
        events={"error": "oops"})
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.say("41")
    assert texts(result) == ["Next year: 42"] and chat.state.variables["next_age"] == 42
    chat = Chat(compile_doc(doc))
    chat.start()
    result = chat.say("forty")
    assert [error.code for error in result.errors] == ["block.failed"]
    assert "cannot add 'forty' and 1: 'forty' is not a number" in result.errors[0].message
    assert texts(result)[0] == "Cannot count that"


# --- texts: indexed placeholders ----------------------------------------------------------------

def test_engine_renders_indexed_placeholders_through_its_lookup():
    from orchestrator.engine import rendering, values

    data = {"questions": QUIZ, "i": 1, "order": {"total": 5}, "name": "Ann", "s.i": 0}
    asked: list[str] = []

    def lookup(reference):
        asked.append(reference)
        return data.get(reference)

    text = "{{ name }}: {{ questions[i].text }} {{ order['total'] }} {{ questions[s.i].answer }}"
    assert rendering.render_template(text, lookup) == "Ann: Capital of Ukraine? 5 4"
    assert asked == ["name", "questions", "i", "order", "questions", "s.i"]
    assert values.read_reference("questions[i].answer", data.get) == "Kyiv"
    assert values.read_reference("order.total", data.get) == 5
    assert values.read_reference("questions[9].text", data.get) is None


def test_a_prompt_reads_a_list_of_maps_by_a_counter():
    doc = document(
        [block("ask", "input", kind="text", variable="reply",
               prompt={"en": "{{ i }}. {{ questions[i].text }}",
                       "uk": "{{ i }}. {{ questions[i].text }}"}),
         block("next", "set_variable", variable="i", expression="i + 1"),
         block("more", "condition", when=[{"left": {"var": "i"}, "op": "less",
                                            "right": {"value": 2}}]),
         say("done", "Done")],
        [("ask", "next", "next"), ("next", "next", "more"), ("more", "true", "ask"),
         ("more", "false", "done")],
        variables=[{"name": "questions", "type": "list", "default": QUIZ},
                   {"name": "i", "type": "number", "default": 0},
                   {"name": "reply", "type": "string"}])
    chat = Chat(compile_doc(doc))
    assert texts(chat.start()) == ["0. 2 + 2?"]
    assert texts(chat.say("4")) == ["1. Capital of Ukraine?"]
    assert texts(chat.say("Kyiv")) == ["Done"]


@pytest.mark.parametrize(("source", "expected"), [
    ('"41" in [41, 2]', True), ('"b" in "abc"', True), ('"k" in {"k": 1}', True),
    ('"x" not in ["y"]', True), ("1 in {'1': 0}", False),
])
def test_in_looks_in_texts_lists_and_maps(source, expected):
    assert evaluate(source) is expected


@pytest.mark.parametrize(("source", "said"), [
    ('"a" in 5', "'in' looks in a text, a list or a map, not in 5"),
    ('"%d" % "x"', "the format '%d' does not fit 'x'"),
    ("1.5 ** 10000", "the result is too large for a number"),
])
def test_failures_read_as_the_authors_words_not_pythons(source, said):
    message = refused(source)
    assert said in message and "Error:" not in message
