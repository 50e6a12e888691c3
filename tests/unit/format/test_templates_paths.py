"""Placeholder paths with indexes: `{{ questions[i].text }}`, `{{ items[-1] }}`,
`{{ order["total"] }}`, `{{ grid[row][col] }}`; what they read and how they render."""

from __future__ import annotations

import pytest

from scenarios.format.templates import (
    TEMPLATE_RE,
    parse_reference,
    render_template,
    resolve_reference,
    root_name,
    template_references,
    template_variables,
)

VALUES = {
    "questions": [{"text": "2 + 2?"}, {"text": "Capital?"}], "i": 1, "row": "1", "col": 0,
    "items": [10, 20, 30], "order": {"total": 5, "my key": "k", "3": "three"},
    "grid": [[1, 2], [3, 4]], "name": "Olena", "state": {"i": 0}, "flag": True,
}


@pytest.mark.parametrize(("text", "expected"), [
    ("{{ questions[i].text }}", "Capital?"),
    ("{{questions[state.i].text}}", "2 + 2?"),     # a dotted index variable
    ("{{ items[0] }}/{{ items[-1] }}/{{ items[3] }}/{{ items[-4] }}", "10/30//"),
    ('{{ order["total"] }} {{ order[\'total\'] }} {{ order["my key"] }}', "5 5 k"),
    ("{{ order[3] }}", "three"),                   # a number reads a map by its text
    ("{{ grid[row][col] }}", "3"),                 # numeric text indexes a list
    ("{{ items.1 }} {{ order.total }}", "20 5"),   # dotted paths as before
    ("{{ name[0] }}", "O"),                        # a character of a text
    ("{{ missing[0] }}|{{ items[missing] }}|{{ order['none'] }}|{{ items[flag] }}", "|||"),
    ("{{ name.0 }}|{{ items.x }}|{{ items['x'] }}", "||"),
])
def test_paths_render(text, expected):
    assert render_template(text, VALUES) == expected


@pytest.mark.parametrize("text", ["{{ items[0] + 1 }}", "{{ len(items) }}", "{{ a[b c] }}",
                                  "{{ items[] }}", "{{ items[1.5] }}", "{{ a[b[c]] }}",
                                  '{{ o["a\\"b"] }}'])
def test_anything_but_a_path_is_not_a_placeholder(text):
    assert TEMPLATE_RE.search(text) is None
    assert render_template(text, VALUES) == text


def test_references_and_variables_include_index_variables():
    text = "{{ questions[i].text }} {{ grid[row][col] }} {{ q[state.i] }} {{ items[-1] }}"
    assert template_references(text) == [
        "questions[i].text", "i", "grid[row][col]", "row", "col", "q[state.i]", "state.i",
        "items[-1]"]
    assert template_variables(text) == {"questions", "i", "grid", "row", "col", "q", "state",
                                        "items"}
    assert [root_name(r) for r in template_references(text)] == [
        "questions", "i", "grid", "row", "col", "q", "state", "items"]


def test_parse_reference():
    assert parse_reference("a") == ("a", ())
    assert parse_reference('a.b[0]["k"][x.y]') == (
        "a", (("field", "b"), ("position", 0), ("field", "k"), ("variable", "x.y")))
    assert parse_reference("a[") is None and parse_reference("1a") is None


def test_resolve_reference_reads_index_variables_through_the_lookup():
    seen: list[str] = []

    def lookup(reference):
        seen.append(reference)
        return {"answers": ["a", "b"], "state.i": 1}.get(reference)

    assert resolve_reference("answers[state.i]", lookup) == "b"
    assert seen == ["answers", "state.i"]
