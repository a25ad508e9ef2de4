"""
How to test your own token endpoint with twilio-tokens' pytest helpers.

The ``twilio_env`` fixture sets fake, valid-format credentials in the
environment; ``assert_token`` verifies the token your endpoint returned and
lists every difference. Here the endpoint is ``flask_app.py``.
"""

import pytest

from flask_app import app
from twilio_tokens import ChatGrant, SyncGrant, VideoGrant, VoiceGrant
from twilio_tokens.testing import assert_token


APP_SID = "AP" + "1" * 32
SERVICE_SID = "IS" + "2" * 32


@pytest.fixture
def client(twilio_env, monkeypatch):
    monkeypatch.setenv("TWILIO_TWIML_APP_SID", APP_SID)
    monkeypatch.setenv("TWILIO_CONVERSATIONS_SERVICE_SID", SERVICE_SID)
    return app.test_client()


@pytest.mark.parametrize(
    ("product", "grant"),
    [
        (
            "voice",
            VoiceGrant(outgoing_application_sid=APP_SID, incoming_allow=True),
        ),
        ("chat", ChatGrant(service_sid=SERVICE_SID)),
        ("video", VideoGrant()),
        ("sync", SyncGrant(service_sid="default")),
    ],
)
def test_token_for_each_product(client, twilio_env, product, grant):
    response = client.get(
        f"/token?product={product}", headers={"X-User": "alice"}
    )

    assert 200 == response.status_code
    assert_token(
        response.json["token"],
        twilio_env,
        identity="alice",
        grants=[grant],
        ttl=3600,
    )
