"""
Each rule's problem names the value it judged, with its code and field.
"""

import json

import pytest

from twilio_tokens import check

from helpers import ACCOUNT, HEADER, KEY, NOW, SECRET, b64, mac


def token(grants, header=None):
    payload = {
        "jti": "j",
        "iss": KEY,
        "sub": ACCOUNT,
        "iat": NOW,
        "exp": NOW + 3600,
        "grants": grants,
    }
    h = b64(json.dumps(header or HEADER))
    p = b64(json.dumps(payload))
    return f"{h}.{p}.{mac(f'{h}.{p}')}"


def problems(jwt):
    return check(jwt, api_key_secret=SECRET, now=NOW)


def only(jwt, field):
    (p,) = [p for p in problems(jwt) if p.field == field]
    return p


@pytest.mark.parametrize(
    ("grants", "twr", "severity", "code", "shown"),
    [
        (
            {"identity": "a", "chat": {"service_sid": "IS" + "b" * 32}},
            "ie1",
            "warning",
            20101,
            "'ie1' beside chat",
        ),
        (
            {"identity": "a", "video": {}},
            "ie1",
            "error",
            20101,
            "twr is 'ie1', but Video",
        ),
        (
            {"identity": "a", "voice": {}},
            None,
            "warning",
            20102,
            "twr is None;",
        ),
        (
            {"identity": "a", "voice": {}},
            "IE1",
            "warning",
            20101,
            "twr is 'IE1'; Twilio spells",
        ),
        (
            {"identity": "a", "voice": {}},
            "dublin",
            "warning",
            20101,
            "twr is 'dublin', an edge",
        ),
        (
            {"identity": "a", "voice": {}},
            "mars1",
            "warning",
            20101,
            "twr is 'mars1', not one of",
        ),
    ],
)
def test_region_problems_name_the_region(grants, twr, severity, code, shown):
    """
    Each region problem is on header.twr, with its code, and shows the twr.
    """
    p = only(token(grants, {**HEADER, "twr": twr}), "header.twr")

    assert (severity, code) == (p.severity, p.code)
    assert shown in p.message


def test_video_beside_us1_and_chat_is_quiet():
    """
    us1 is fine for Video and for chat: no region problem.
    """
    grants = {
        "identity": "a",
        "video": {},
        "chat": {"service_sid": "IS" + "b" * 32},
    }

    assert [] == [
        p
        for p in problems(token(grants, {**HEADER, "twr": "us1"}))
        if p.field == "header.twr"
    ]


def test_crit_problem_shows_the_crit():
    """
    A crit header is refused, showing its value.
    """
    p = only(
        token({"video": {}, "identity": "a"}, {**HEADER, "crit": ["zz"]}),
        "header.crit",
    )

    assert ("error", 20102) == (p.severity, p.code)
    assert "crit is ('zz',)" in p.message


def test_voice_identity_problem_shows_the_identity():
    """
    The 31105 problem shows the identity it refused.
    """
    p = only(token({"identity": "a b", "voice": {}}), "grants.identity")

    assert (31105, "error") == (p.code, p.severity)
    assert "identity 'a b' is not allowed" in p.message


def test_unknown_field_is_named():
    """
    A field a grant does not define is named in its warning.
    """
    p = only(
        token({"identity": "a", "video": {"roomz": "x"}}), "grants.video.roomz"
    )

    assert ("warning", 20106) == (p.severity, p.code)
    assert "has a field 'roomz'" in p.message


def test_voice_params_without_an_app_warn_only_for_voice():
    """
    params without an application_sid warn under voice, not under a grant
    that merely has an "outgoing" field.
    """
    outgoing = {"outgoing": {"params": {"a": 1}}}
    voice = only(
        token({"identity": "a", "voice": outgoing}),
        "grants.voice.outgoing.params",
    )
    chat = token(
        {"identity": "a", "chat": {"service_sid": "IS" + "b" * 32, **outgoing}}
    )

    assert ("warning", 20106) == (voice.severity, voice.code)
    assert "params but no application_sid" in voice.message
    assert "grants.chat.outgoing.params" not in [
        p.field for p in problems(chat)
    ]
