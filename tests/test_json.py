"""
The JSON layer under every token: the pre-parse depth check and show().
"""

import json

import pytest

from hypothesis import example, given
from hypothesis import strategies as st
from twilio_tokens import (
    InvalidGrantsError,
    MalformedTokenError,
    decode_unverified,
)
from twilio_tokens._json import (
    MAX_DEPTH,
    TooDeepError,
    _check_depth,
    loads_frozen,
    show,
    typename,
)
from twilio_tokens._jws import MAX_TOKEN_LENGTH

from helpers import HEADER, b64


def reference_depth(text):
    """
    (deepest, top-level key of the first too-deep point): a plain
    character-by-character reading of strings, brackets and colons.
    """
    depth, deepest, key, last, i = 0, 0, None, None, 0
    first_deep_key = None
    while i < len(text):
        c = text[i]
        if c == '"':
            j = i + 1
            while j < len(text) and text[j] != '"':
                j += 2 if text[j] == "\\" else 1
            last = text[i : j + 1]
            i = j + 1
            continue
        if c in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if depth == MAX_DEPTH + 1:
                    first_deep_key = key
        elif c in "]}":
            depth -= 1
        elif c == ":" and depth == 1:
            key = last
        i += 1
    return deepest, first_deep_key


PIECES = st.sampled_from(
    [
        "[",
        "]",
        "{",
        "}",
        ":",
        ",",
        '"a"',
        '"grants"',
        '"[{"',
        '"\\""',
        "1",
        '"\\\\"',
        '"x\\"grants"',
        " ",
    ]
)
TEXTS = st.lists(PIECES, max_size=200).map("".join)


@given(TEXTS, st.integers(0, 40))
@example("[" * 33 + "]" * 33, 0)
@example('{"grants":' + "[" * 32 + "]" * 32 + "}", 0)
@example('{"x":1,"grants":{"a":' + "[" * 40, 0)
@example('{"x\\"grants":' + "[" * 40, 0)
def test_depth_check_agrees_with_a_plain_reading(text, pad):
    """
    The regex-and-builtins check refuses exactly what nests past 32, and
    names "grants" exactly when the first too-deep value is under it.
    """
    text = "[" * pad + text + "]" * pad
    deepest, key = reference_depth(text)
    if deepest <= MAX_DEPTH:
        _check_depth(text)  # no error
        return
    with pytest.raises(TooDeepError) as e:
        _check_depth(text)
    expected = "grants" if key == '"grants"' else None
    assert e.value.key == expected


def largest(piece, fill):
    """As many repeats of *piece* as the token size bound lets through."""
    return piece * ((MAX_TOKEN_LENGTH * 3 // 4 - 200) // len(piece)) + fill


# The worst inputs known for the pre-parse scan, each as big as a token
# may be: all are refused (or read) in one linear pass.
HOSTILE_PAYLOADS = {
    "balanced brackets": largest("[]", ""),
    "nested pairs": largest("[[]]", ""),
    "mountains just too deep": largest("[" * 33 + "]" * 33, ""),
    "brackets then escaped quotes": "[]" * 20 + '"' + largest('\\"', ""),
    "an unterminated string": "[]" * 20 + '"' + largest("a", ""),
    "a long key and colons": '{"' + "k" * 5000 + '":' + ":" * 6000 + "[]" * 20,
    "many keys before a deep grant": "{"
    + largest('"a":1,', "")
    + '"grants":'
    + "[" * 40,
}


@pytest.mark.parametrize(
    "payload", HOSTILE_PAYLOADS.values(), ids=HOSTILE_PAYLOADS
)
def test_the_worst_payloads_are_refused_as_malformed(payload):
    """
    Each is refused with a 20101 (or 20106 under grants), never hangs,
    recurses or raises anything else. (Their cost, measured side by side
    with a normal token's parse, is case (g) of benchmarks/bench.py.)
    """
    token = f"{b64(json.dumps(HEADER))}.{b64(payload)}.c2ln"
    assert len(token) <= MAX_TOKEN_LENGTH
    with pytest.raises((MalformedTokenError, InvalidGrantsError)):
        decode_unverified(token)


def test_deep_grants_are_20106_and_deep_elsewhere_20101():
    deep = "[" * 33 + "]" * 33
    grants = json.dumps({"grants": "x"}).replace('"x"', deep)
    other = json.dumps({"grants": {}, "x": "y"}).replace('"y"', deep)
    with pytest.raises(InvalidGrantsError):
        decode_unverified(f"{b64(json.dumps(HEADER))}.{b64(grants)}.c2ln")
    with pytest.raises(MalformedTokenError):
        decode_unverified(f"{b64(json.dumps(HEADER))}.{b64(other)}.c2ln")


@pytest.mark.parametrize("depth", [MAX_DEPTH, MAX_DEPTH + 1])
def test_depth_at_the_bound_and_one_past(depth):
    text = "[" * depth + "]" * depth
    if depth <= MAX_DEPTH:
        assert loads_frozen(text) is not None
    else:
        with pytest.raises(TooDeepError):
            loads_frozen(text)


# ------------------------------------------------------------ shown values


from hostile import HostileInt, HostileMap, HostileStr  # noqa: E402


class Raising:
    def __repr__(self):
        raise RuntimeError("repr")


class EndlessMap(dict):
    def items(self):
        while True:
            yield ("k", 1)


class LongName(Raising):
    pass


LongName.__name__ = "N" * 100_000

HOSTILE_VALUES = st.one_of(
    st.builds(Raising),
    st.builds(LongName),
    st.integers().map(HostileInt),
    st.text().map(HostileStr),
    st.builds(HostileMap),
    st.builds(EndlessMap),
    st.integers(min_value=10**4000, max_value=10**4300),
    st.text(min_size=1000, max_size=2000),
    st.recursive(
        st.integers(),
        lambda c: st.lists(c) | st.dictionaries(st.text(), c),
        max_leaves=50,
    ),
)


@given(HOSTILE_VALUES)
def test_show_never_raises_and_is_bounded(value):
    text = show(value)
    assert type(text) is str
    assert len(text) <= 80
    assert len(typename(value)) <= 83


def test_show_uses_the_builtin_methods_of_subclasses():
    assert show(HostileInt(5)) == "5"
    assert show(HostileStr("abc")) == "'abc'"
    assert show(HostileMap(a=1)) == "<HostileMap object>"
    assert (
        show(EndlessMap()) == "{'k': 1, 'k': 1, 'k': 1, 'k': 1, 'k': 1, ...}"
    )


def test_frozen_dict_thaws_to_plain_json():
    from twilio_tokens import FrozenDict

    frozen = loads_frozen('{"a": [1, {"b": [2]}], "c": {}}')
    assert type(frozen) is FrozenDict
    plain = frozen.thaw()
    assert plain == {"a": [1, {"b": [2]}], "c": {}}
    assert type(plain["a"]) is list
    assert type(plain["a"][1]) is dict
    plain["c"]["d"] = 1  # a copy: the frozen value is unchanged
    assert frozen["c"] == {}
