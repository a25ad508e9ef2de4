"""
The examples run: each web framework through its own test client.
"""

import runpy
import sys

from pathlib import Path

import pytest

from twilio_tokens import ChatGrant, SyncGrant, VideoGrant, VoiceGrant
from twilio_tokens.testing import assert_token


EXAMPLES = Path(__file__).parent.parent / "examples"
APP_SID = "AP" + "1" * 32
SERVICE_SID = "IS" + "2" * 32
SYNC_SID = "IS" + "3" * 32

sys.path.insert(0, str(EXAMPLES))

CASES = [
    (
        "voice",
        "",
        VoiceGrant(outgoing_application_sid=APP_SID, incoming_allow=True),
    ),
    ("chat", "", ChatGrant(service_sid=SERVICE_SID)),
    ("video", "&room=daily", VideoGrant(room="daily")),
    ("sync", "", SyncGrant(service_sid=SYNC_SID)),
]


@pytest.fixture
def env(twilio_env, monkeypatch):
    monkeypatch.setenv("TWILIO_TWIML_APP_SID", APP_SID)
    monkeypatch.setenv("TWILIO_CONVERSATIONS_SERVICE_SID", SERVICE_SID)
    monkeypatch.setenv("TWILIO_SYNC_SERVICE_SID", SYNC_SID)
    return twilio_env


def flask_get(url, headers):
    from flask_app import app

    r = app.test_client().get(url, headers=headers)
    return r.status_code, r.get_json()


def fastapi_get(url, headers):
    from fastapi.testclient import TestClient
    from fastapi_app import app

    r = TestClient(app).get(url, headers=headers)
    return r.status_code, r.json()


def django_get(url, headers):
    import django_app  # configures settings first

    from django.test import Client

    assert django_app.urlpatterns
    r = Client().get(url, headers=headers)
    return r.status_code, r.json()


FRAMEWORKS = [flask_get, fastapi_get, django_get]
IDS = ["flask", "fastapi", "django"]


@pytest.mark.parametrize("get", FRAMEWORKS, ids=IDS)
@pytest.mark.parametrize(
    ("product", "query", "grant"), CASES, ids=[c[0] for c in CASES]
)
def test_endpoint_returns_a_valid_token_per_product(
    env, get, product, query, grant
):
    """
    Each framework's endpoint returns {"identity", "token"} with the grant.
    """
    status, body = get(f"/token?product={product}{query}", {"X-User": "alice"})

    assert 200 == status
    assert "alice" == body["identity"]
    assert_token(body["token"], env, identity="alice", grants=[grant])


@pytest.mark.parametrize("get", FRAMEWORKS, ids=IDS)
def test_no_user_is_401(env, get):
    """
    Without a signed-in user the endpoint answers 401.
    """
    assert 401 == get("/token?product=voice", {})[0]


@pytest.mark.parametrize("get", FRAMEWORKS, ids=IDS)
def test_unknown_product_is_4xx_with_a_message(env, get):
    """
    An unknown product is a client error that says what is accepted.
    """
    status, body = get("/token?product=fax", {"X-User": "alice"})

    assert status in (400, 422)
    assert "voice" in str(body)


@pytest.mark.parametrize("get", FRAMEWORKS, ids=IDS)
def test_identity_twilio_would_refuse_is_400(env, get):
    """
    A Voice identity with a space is refused with Twilio's reason.
    """
    status, body = get("/token?product=voice", {"X-User": "alice smith"})

    assert 400 == status
    assert "31105" in str(body)


def test_quickstart_runs_with_fake_credentials(monkeypatch, capsys):
    """
    examples/quickstart.py runs without a Twilio account.
    """
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_API_KEY", "TWILIO_API_SECRET"):
        monkeypatch.delenv(name, raising=False)

    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")
    out = capsys.readouterr().out

    assert "identity: alice" in out
    assert "VoiceGrant(incoming_allow=True" in out
    assert "problems: none" in out


def test_quickstart_uses_environment_credentials(twilio_env, capsys):
    """
    With credentials in the environment, the quickstart uses them.
    """
    runpy.run_path(str(EXAMPLES / "quickstart.py"), run_name="__main__")

    assert "identity: alice" in capsys.readouterr().out


def test_readme_set_up_commands_are_the_ones_documented():
    """
    The README's two commands are the demo pipe and the test run.
    """
    readme = (EXAMPLES.parent / "README.md").read_text()

    assert (
        "twilio-tokens mint --demo --identity alice --voice-incoming | twilio-tokens decode -"
        in readme
    )
    assert "pip install -e '.[tests]' && python -m pytest" in readme
    assert (
        "coverage run -m pytest"
        in (EXAMPLES.parent / ".ci" / "run").read_text()
    )
