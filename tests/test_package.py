"""
The package's public face: names, version, errors, and secrets kept hidden.
"""

import inspect

import pytest
import twilio_tokens

from twilio_tokens import (
    InvalidTokenError,
    TwilioTokenError,
    check,
    exceptions,
)
from twilio_tokens._decode import read_subject
from twilio_tokens._jws import signing_key
from twilio_tokens._rules import (
    ABSENT,
    AFTER_SIGNATURE,
    BEFORE_SIGNATURE,
    Context,
    run,
)
from twilio_tokens._time import human

from helpers import NOW, SECRET


def test_all_is_sorted_and_complete():
    """
    __all__ is sorted and every name in it exists.
    """
    assert sorted(twilio_tokens.__all__) == twilio_tokens.__all__
    for name in twilio_tokens.__all__:
        assert getattr(twilio_tokens, name) is not None


def test_every_exception_is_exported():
    """
    Each exception and warning class of exceptions.py is in both __all__s.
    """
    classes = {
        n
        for n, o in vars(exceptions).items()
        if inspect.isclass(o)
        and issubclass(o, Exception)
        and o.__module__ == exceptions.__name__
    }

    assert classes == set(exceptions.__all__)
    assert classes <= set(twilio_tokens.__all__)


def test_every_token_error_has_a_twilio_code():
    """
    Each InvalidTokenError leaf carries its own Twilio code.
    """
    leaves = [
        c
        for c in vars(exceptions).values()
        if inspect.isclass(c)
        and issubclass(c, InvalidTokenError)
        and c is not InvalidTokenError
    ]

    assert {20101, 20102, 20103, 20104, 20105, 20106, 20107} == {
        c.code for c in leaves
    }
    assert all(issubclass(c, TwilioTokenError) for c in leaves)


def test_version_comes_from_the_metadata():
    """
    __version__ is the installed distribution's version.
    """
    from importlib.metadata import version

    assert version("twilio-tokens") == twilio_tokens.__version__
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        twilio_tokens.nope  # noqa: B018


def test_signing_key_hides_the_secret():
    """
    The prepared key never shows the secret.
    """
    assert "SigningKey(<secret hidden>)" == repr(signing_key(SECRET))
    assert SECRET not in repr(signing_key(SECRET))


@pytest.mark.parametrize(
    ("secret", "error", "match"),
    [
        ("", ValueError, "must not be empty"),
        (5, TypeError, "must be a str, got int"),
    ],
    ids=["empty", "int"],
)
def test_check_refuses_a_bad_secret_argument(secret, error, match):
    """
    A bad secret is a bad argument, not a token problem.
    """
    with pytest.raises(error, match=match):
        check("a.b.c", api_key_secret=secret)


def test_rules_decode_enforces_report_only_errors():
    """
    decode() raises on the first problem of its rules, so they are all errors.
    """
    subject = read_subject(
        {"alg": 1}, {"iat": "x", "nbf": "y", "grants": 1, "exp": 0}
    )
    problems = run(
        BEFORE_SIGNATURE + AFTER_SIGNATURE, subject, Context(now=NOW)
    )

    assert len(problems) >= 7
    assert {"error"} == {p.severity for p in problems}
    assert "ABSENT" == repr(ABSENT)


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0 s"),
        (119, "119 s"),
        (120, "2 min"),
        (-3600, "60 min"),
        (7200, "2 h"),
        (172800, "2 d"),
    ],
)
def test_durations_read_like_people_write(seconds, text):
    """
    Durations are shown in the largest unit that keeps them readable.
    """
    assert text == human(seconds)


def test_the_package_needs_nothing_but_its_dependencies():
    """
    PyJWT and attrs alone: a module only the type checker has (such as
    typing_extensions, which dev tools bring) is never imported.
    """
    import subprocess
    import sys

    code = (
        "import sys\n"
        "for name in ('typing_extensions', 'httpx2', 'pytest', 'hypothesis'):\n"
        "    sys.modules[name] = None\n"
        "import twilio_tokens, twilio_tokens.compat, twilio_tokens._cli\n"
        "print('ok')\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout.strip() == "ok", done.stderr
