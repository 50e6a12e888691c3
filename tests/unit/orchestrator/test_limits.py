"""Every evaluation an author controls is bounded before its result is built: expressions
(sizes, integer growth, formatting, nesting, total work), author regular expressions (RE2,
linear time) and the turn as a whole. A failure reaches the block's error handler with the
reason; nothing raises out of the engine and nothing stalls."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from orchestrator.engine import Engine, expressions
from scenarios.format import limits
from tests.unit.orchestrator.conftest import Chat, block, compile_doc, document, say, text, texts

# Each refused payload is refused before any work that grows with it: far under the 4-15 s
# the same payloads stalled the loop for, with room for a loaded CI machine.
FAST = 2.0


def evaluate(source: str, **names):
    evaluator = expressions.ExpressionEvaluator()
    return evaluator.evaluate(expressions.parse(source), source, names.get,
                              datetime(2025, 1, 2, 3, 4, tzinfo=UTC))


def refused(source: str, **names) -> str:
    started = time.perf_counter()
    with pytest.raises(expressions.ExpressionError) as caught:
        evaluate(source, **names)
    assert time.perf_counter() - started < FAST, source
    return str(caught.value)


# --- expressions: the payloads of the review, and their relatives -----------------------------

@pytest.mark.parametrize("source", [
    "'%0999999999d' % 1",            # printf width: 1 GB of zeros
    "'%.999999999f' % 1",            # printf precision
    "'%(a)999999999s' % o",          # a mapping key does not get around the width check
    "'%-999999999s' % 'x'",
    "'%*d' % n",                     # widths from arguments: no tuples, but refuse anyway
    "f'{1:>999999999}'",             # f-string format spec
    "f'{s}'",                        # f-strings at all
    "'{:>999999999}'.format(1)",     # str.format is a method: not reachable
])
def test_string_formatting_is_bounded(source):
    refused(source, o={"a": "x"}, n=[999999999, 1], s="x")


def test_printf_formatting_within_bounds_still_works():
    assert evaluate("'%.2f' % price", price=12.345) == "12.35"
    assert evaluate("'%05d' % n", n=42) == "00042"
    assert evaluate("'%s and %%' % name", name="Ann") == "Ann and %"
    assert evaluate("n % 7", n=23) == 2


def test_chained_squares_stop_at_the_integer_cap():
    # The review's payload: (10**12)**100, then x = x * x thirteen times.
    refused("(10**12)**100")
    x = 10**149
    assert evaluate("x * x // x", x=x) == x
    reason = refused("x * x * x", x=x)
    assert "digits" in reason


@pytest.mark.parametrize("source", [
    "2 ** 10**9", "10**12 ** 100", "2 ** 2 ** 2 ** 2 ** 2", "9 ** 9 ** 9",
    "big * big", "big + big * 10", "-big * big", "big ** 2",
    "int(1e308) * 10", "int(1e308)",
    "x * x * x * x * x * x * x * x * x * x * x * x * x * x",
])
def test_integer_growth_is_capped_before_computing(source):
    refused(source, big=10**299, x=10**30)


def test_integers_up_to_the_cap_work():
    assert evaluate("10 ** 299 + 1") == 10**299 + 1
    assert evaluate("-(10 ** 299)") == -(10**299)
    assert evaluate("2 ** -2") == 0.25
    assert evaluate("(-1) ** 10**9") == 1
    assert evaluate("0 ** 10**9") == 0
    refused("10 ** 300")


def test_a_product_past_python_int_string_limit_is_an_expression_error():
    # Before: the 4,300-digit product was built, then str() raised ValueError (a 500).
    refused("str(x * x * x * x * x * x * x * x * x * x * x * x * x * x * x)", x=10**290)
    refused("x * x", x=10**2500)  # a huge value from elsewhere is refused, not multiplied


@pytest.mark.parametrize("source", [
    "1e308 * 10", "1e308 + 1e308", "float(x) * x", "2.0 ** 10000", "x / 1e-308",
    "(-8) ** 0.5",
])
def test_float_overflow_and_complex_results_are_errors(source):
    refused(source, x=1e200)


@pytest.mark.parametrize("source", [
    "'a' * 10**9", "10**9 * 'a'", "items * 10**9", "s * 10**9", "s * 2000 * 2000",
    "s + s", "items + items", "lower(s * 2)",
])
def test_sequence_results_are_checked_before_they_are_built(source):
    refused(source, s="x" * 6000, items=list(range(6000)))


def test_list_repetition_counts_what_the_items_hold():
    # Ten thousand references to one 10,000-character text would serialise to 100 MB.
    refused("items * 10000", items=["x" * 10_000])


def test_work_per_evaluation_is_budgeted():
    # Each max() walks 10,000 items: fine once, refused when repeated.
    items = [str(i) for i in range(10_000)]
    assert evaluate("max(items)", items=items) == 9999
    source = " + ".join(["max(items)"] * 40)
    reason = refused(source, items=items)
    assert "work" in reason


@pytest.mark.parametrize("source", [
    "(" * 10_000 + "1" + ")" * 10_000,
    "-" * 10_000 + "1",
    "1" + " + 1" * 1_000,
    "x." + ".".join(["a"] * 1_000),
    "9" * 1_000,
])
def test_deep_or_long_expressions_are_refused_when_compiled(source):
    started = time.perf_counter()
    with pytest.raises(expressions.ExpressionError):
        expressions.parse(source)
    assert time.perf_counter() - started < FAST
    assert limits.expression_problem(source) is not None


def test_ordinary_expressions_pass_the_static_check():
    for source in ["n + 1", "round(price * qty * 0.9, 2)", "'Order ' + str(id)",
                   "upper(trim(name)) if name else 'friend'", "len(items) > 0 and o.a.b"]:
        assert limits.expression_problem(source) is None
        expressions.parse(source)


# --- regular expressions --------------------------------------------------------------------

EVIL = ["^(a+)+$", "(a+)+", "(a|aa)+$", "(.*a){20}", "^(([a-z])+.)+[A-Z]([a-z])+$"]


@pytest.mark.parametrize("pattern", EVIL)
@pytest.mark.parametrize("size", [28, 4096, 10_000])
def test_catastrophic_patterns_run_in_linear_time(pattern, size):
    compiled = limits.compile_pattern(pattern)
    subject = "a" * size + "!"
    started = time.perf_counter()
    compiled.search(subject)
    compiled.fullmatch(subject)
    assert time.perf_counter() - started < FAST


@pytest.mark.parametrize("pattern", [r"(a)\1", r"(?=a)a", r"(?<!x)y", r"a{1001}",
                                     "a" * 1_001, r"((a{100}){100}){100}"])
def test_patterns_re2_cannot_run_are_refused(pattern):
    with pytest.raises(limits.PatternError):
        limits.compile_pattern(pattern)


def test_word_class_keeps_meaning_letters_of_any_language():
    assert limits.compile_pattern(r"^\w+$").fullmatch("Олена") is not None
    assert limits.compile_pattern(r"^[\w-]+$").fullmatch("Марія-Олена") is not None
    assert limits.compile_pattern(r"^\W+$").fullmatch("!?") is not None
    assert limits.compile_pattern(r"^\W+$").fullmatch("ї") is None
    assert limits.compile_pattern(r"^\\w$").fullmatch("\\w") is not None


def matching(pattern: str, *, error: bool = True):
    blocks = [block("check", "condition", when=[
                  {"left": {"var": "last_input"}, "op": "matches", "right": {"value": pattern}}]),
              say("yes", "matched"), say("no", "no match")]
    edges = [("check", "true", "yes"), ("check", "false", "no")]
    if error:
        blocks.append(say("oops", "Sorry: {{ error_message }}"))
    doc = document([ask_text("q")] + blocks, [("q", "next", "check")] + edges,
                   variables=[{"name": "answer", "type": "string"},
                              {"name": "error_message", "type": "string"}],
                   events={"error": "oops"} if error else {})
    # Validated as published versions are: a pattern RE2 cannot run is an error when saved,
    # but a version stored before that check still compiles, and only the block fails.
    return compile_doc(doc)


def ask_text(id: str, **settings):
    return block(id, "input", kind="text", prompt=text("Say something"), variable="answer",
                 **settings)


@pytest.mark.parametrize("size", [28, 4000])
def test_matches_with_a_catastrophic_pattern_answers_at_once(size):
    chat = Chat(matching("^(a+)+$"))
    chat.start()
    started = time.perf_counter()
    result = chat.say("a" * size + "!")
    assert time.perf_counter() - started < FAST
    assert texts(result) == ["no match"]


@pytest.mark.parametrize("size", [28, 4000])
def test_input_pattern_with_a_catastrophic_pattern_answers_at_once(size):
    doc = document([ask_text("q", pattern="(a+)+"), say("ok", "ok {{ answer }}")],
                   [("q", "next", "ok")], variables=[{"name": "answer", "type": "string"}])
    chat = Chat(compile_doc(doc))
    chat.start()
    started = time.perf_counter()
    result = chat.say("a" * size + "!")
    assert time.perf_counter() - started < FAST
    assert not result.errors and result.input is not None  # asked again
    assert texts(chat.say("aaaa")) == ["ok aaaa"]


def test_a_pattern_re2_cannot_run_fails_the_block_into_its_error_handler():
    # Published before patterns were checked for RE2, or read from a variable at run time.
    chat = Chat(matching(r"(a)\1"))
    chat.start()
    result = chat.say("aa")
    assert [e.code for e in result.errors] == ["block.failed"]
    assert "regular expression" in result.errors[0].message
    assert texts(result)[0].startswith("Sorry: block 'check'")
    assert [step.error for step in result.trace if step.block_id == "check"][0]


def test_input_pattern_re2_cannot_run_fails_when_answered_not_when_compiled():
    doc = document([ask_text("q", pattern=r"(a)\1"), say("ok", "ok"),
                    say("oops", "Sorry: {{ error_message }}")],
                   [("q", "next", "ok")],
                   variables=[{"name": "answer", "type": "string"},
                              {"name": "error_message", "type": "string"}],
                   events={"error": "oops"})
    chat = Chat(compile_doc(doc))
    assert texts(chat.start()) == ["Say something"]
    result = chat.say("aa")
    assert [e.code for e in result.errors] == ["block.failed"]
    assert "Sorry: block 'q'" in texts(result)[0]


def test_matches_with_a_pattern_from_a_variable_is_bounded():
    doc = document([block("check", "condition", when=[
                        {"left": {"var": "s"}, "op": "matches", "right": {"var": "p"}}]),
                    say("yes", "matched"), say("no", "no match"),
                    say("oops", "Sorry: {{ error_message }}")],
                   [("check", "true", "yes"), ("check", "false", "no")],
                   variables=[{"name": "s", "type": "string", "default": "a" * 5000 + "!"},
                              {"name": "p", "type": "string", "default": "^(a|aa)+$"},
                              {"name": "error_message", "type": "string"}],
                   events={"error": "oops"})
    started = time.perf_counter()
    assert texts(Chat(compile_doc(doc)).start()) == ["no match"]
    assert time.perf_counter() - started < FAST
    chat = Chat(compile_doc(doc), variables={"p": "x" * (limits.MAX_PATTERN + 1)})
    result = chat.start()
    assert [e.code for e in result.errors] == ["block.failed"]
    assert "characters" in result.errors[0].message


# --- through the engine: the error handler gets the reason -----------------------------------

PAYLOADS = [
    "'%0999999999d' % 1",
    "(10**12)**100",
    "x * x * x * x * x * x * x * x * x * x * x * x * x * x * x",
    "'a' * 10**9",
    "2 ** 10**9",
    "1e308 * 10",
]


def failing(expression: str):
    doc = document([block("calc", "set_variable", variable="x", expression=expression),
                    say("done", "x is {{ x }}"), say("oops", "Sorry: {{ error_message }}")],
                   [("calc", "next", "done")],
                   variables=[{"name": "x", "type": "any", "default": 10**290},
                              {"name": "error_message", "type": "string"}],
                   events={"error": "oops"})
    return compile_doc(doc, validate=False)


@pytest.mark.parametrize("expression", PAYLOADS)
def test_payloads_reach_the_error_handler_with_the_reason(expression):
    chat = Chat(failing(expression))
    started = time.perf_counter()
    result = chat.start()
    assert time.perf_counter() - started < FAST
    assert [e.code for e in result.errors] == ["block.failed"]
    assert result.errors[0].block_id == "calc"
    assert texts(result)[0].startswith("Sorry: block 'calc' (set_variable) failed: the "
                                       "expression")
    failed = [step for step in result.trace if step.block_id == "calc"]
    assert failed and failed[0].error


def test_a_turn_that_runs_too_long_is_stopped():
    # Each block is cheap, but a clock that jumps 10 ms per read makes the turn "slow".
    ticks = iter(range(0, 10**12, 10_000_000))
    doc = document([block("inc", "set_variable", variable="n", expression="n + 1"),
                    block("check", "condition", when=[
                        {"left": {"var": "n"}, "op": "less", "right": {"value": 10**6}}])],
                   [("inc", "next", "check"), ("check", "true", "inc")],
                   variables=[{"name": "n", "type": "number", "default": 0}])
    engine = Engine(max_steps_per_turn=10_000, clock=lambda: next(ticks))
    result = Chat(compile_doc(doc, validate=False), engine=engine).start()
    assert [e.code for e in result.errors] == ["turn.time_limit"]
    assert len(result.trace) < 10_000
