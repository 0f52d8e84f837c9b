"""generator/yamlio.py: the data built from the parser's events, refusals at their positions,
and the same results from libyaml's parser and PyYAML's own."""

from __future__ import annotations

import pytest

from generator import yamlio
from generator.model import InputError


@pytest.fixture(params=["libyaml", "python"])
def parser(request, monkeypatch):
    """Run the test with libyaml's parser (when installed) and with PyYAML's pure-Python one."""
    if request.param == "python":
        monkeypatch.setattr(yamlio, "_CParser", None)
    elif yamlio._CParser is None:
        pytest.skip("PyYAML without libyaml")
    return request.param


def problems(text: str) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(InputError) as e:
        yamlio.load(text, "f.yaml")
    return [(p.line, p.column, p.message) for p in e.value.problems]


def test_data_and_top_level_positions(parser: str) -> None:
    text = (
        "title: قصة\n"
        "n: 12\n"
        "x: [1.5, yes, null, ~, '2020-02-18', 2020-02-18, 0x1F]\n"
        "facts:\n"
        "  - id: a\n"
        "    sources:\n"
        "      - {file: f.txt, quote: 'q'}\n"
        "empty:\n"
    )
    doc = yamlio.load(text, "f.yaml")
    assert doc.data == {
        "title": "قصة",
        "n": 12,
        "x": [1.5, True, None, None, "2020-02-18", "2020-02-18", 31],
        "facts": [{"id": "a", "sources": [{"file": "f.txt", "quote": "q"}]}],
        "empty": None,
    }
    assert doc.marks == {(): (1, 1), ("title",): (1, 8), ("n",): (2, 4), ("x",): (3, 4),
                         ("facts",): (5, 3), ("empty",): (8, 7)}  # fmt: skip
    assert doc.key_marks[("facts",)] == (4, 1)
    assert doc.seq_starts[("facts",)][:2] == (4, 2)
    assert doc.seq_ends[("x",)][:2] == (2, 54)
    assert set(doc.seq_starts) == {("x",), ("facts",)}
    assert not doc.complete and ("facts", 0) not in doc.marks
    # deeper positions are found when a problem first needs one
    assert doc.where(("facts", 0, "sources", 0, "quote")) == (7, 30)
    assert doc.where(("facts", 0, "sources"), key=True) == (6, 5)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a: 1\nb: &x [1]\n", [(2, 4, "YAML anchors (&name) are not allowed here")]),
        ("a: [1, *x]\n", [(1, 8, "YAML aliases (*name) are not allowed here")]),
        ("&k a: 1\n", [(1, 1, "YAML anchors (&name) are not allowed here")]),
        # inside a node already refused for something else (the anchor wins, as it did)
        ("a: 1\na: {b: &x 2}\n", [(2, 8, "YAML anchors (&name) are not allowed here")]),
        ("a: !foo [*x]\n", [(1, 10, "YAML aliases (*name) are not allowed here")]),
    ],
)
def test_anchors_and_aliases_refused_where_written(parser: str, text: str, expected) -> None:
    assert problems(text) == expected


def test_ampersand_and_asterisk_inside_strings_are_text(parser: str) -> None:
    text = "a: 'x &y *z'\nb: \"&\"\nc: a&b*c\nd: [ '*' ]\n'&': 1 # & *\n"
    assert yamlio.load(text, "f.yaml").data == {
        "a": "x &y *z",
        "b": "&",
        "c": "a&b*c",
        "d": ["*"],
        "&": 1,
    }


def test_every_problem_of_keys_and_tags_at_once(parser: str) -> None:
    text = (
        "a: 1\n"
        "a: 2\n"
        "<<: {b: 1}\n"
        "? [k]\n"
        ": v\n"
        "t: !!timestamp 2020-01-01\n"
        "u: !custom {c: !other 1}\n"
        "v: =\n"
    )
    assert problems(text) == [
        (2, 1, "duplicate key 'a'"),
        (3, 1, "YAML merge keys (<<) are not allowed"),
        (4, 3, "mapping keys must be plain text"),
        (6, 4, "YAML tag 'tag:yaml.org,2002:timestamp' is not allowed; write plain values"),
        (7, 4, "YAML tag '!custom' is not allowed; write plain values"),
        (8, 4, "YAML tag 'tag:yaml.org,2002:value' is not allowed; write plain values"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("a: !!int abc\n", "bad value: 'abc' is not a valid int"),
        ("a: !!bool maybe\n", "bad value: 'maybe' is not a valid bool"),
        ("a: !!float x\n", "bad value: 'x' is not a valid float"),
    ],
)
def test_bad_explicit_values_are_located_not_a_crash(parser: str, text: str, message) -> None:
    assert problems(text) == [(1, 4, message)]


def test_syntax_errors_and_second_documents(parser: str) -> None:
    assert problems("a: 1\n---\nb: 2\n") == [
        (
            2,
            1,
            "YAML syntax error: expected a single document in the stream "
            "but found another document",
        )
    ]
    [(line, _col, msg)] = problems("a: [1\nb: 2\n")
    assert msg.startswith("YAML syntax error:") and line == 2


def test_hostile_nesting_is_refused_not_a_crash(parser: str) -> None:
    deep = "a: " + "[" * 10_000 + "]" * 10_000 + "\n"
    [(line, col, msg)] = problems(deep)
    assert (line, col) == (1, 3 + yamlio.MAX_DEPTH)  # the mapping is the first level
    assert "nesting deeper than" in msg
    fine = "a: " + "[" * 50 + "]" * 50 + "\n"
    assert yamlio.load(fine, "f.yaml").data["a"]


@pytest.mark.parametrize("text", ["", "# only a comment\n", "---\n"])
def test_empty_documents(parser: str, text: str) -> None:
    assert yamlio.load(text, "f.yaml").data is None


def test_equal_texts_are_read_as_one_string():
    """A candidate's summary is its quote and its source's file is its neighbours': read as
    one object each, a large facts.yaml takes a third less memory, and its cache (pickled,
    each object once) half the disk."""
    text = (
        "facts:\n"
        "- summary: قال المتحدث إن الهدنة صامدة\n"
        "  sources:\n"
        "  - file: a.txt\n"
        "    quote: قال المتحدث إن الهدنة صامدة\n"
        "- summary: 'قال المتحدث إن الهدنة صامدة'\n"
        "  sources:\n"
        "  - file: a.txt\n"
        '    quote: "قال المتحدث إن الهدنة صامدة"\n'
    )
    data = yamlio.load(text, "facts.yaml").data
    first, second = data["facts"]
    assert first == second
    assert first["summary"] is first["sources"][0]["quote"] is second["summary"]
    assert first["sources"][0]["file"] is second["sources"][0]["file"]
