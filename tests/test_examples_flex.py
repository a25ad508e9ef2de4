"""
The Flex examples, each through its framework's own test client, against
the fake IAM service.
"""

import sys

from pathlib import Path

import pytest


EXAMPLES = Path(__file__).parent.parent / "examples"
sys.path.insert(0, str(EXAMPLES))


@pytest.fixture
def iam(twilio_flex, monkeypatch):
    """
    The fake, with the examples' environment pointing at it.
    """
    import django_app  # noqa: F401 - configures Django first, as it expects
    import django_flex
    import fastapi_flex
    import flask_flex

    monkeypatch.setenv("TWILIO_ACCOUNT_SID", twilio_flex.account_sid)
    monkeypatch.setenv("TWILIO_AUTH_TOKEN", twilio_flex.auth_token)
    monkeypatch.setenv("TWILIO_IAM_BASE_URL", twilio_flex.base_url)
    modules = (flask_flex, fastapi_flex, django_flex)
    for module in modules:
        module.get_validator.cache_clear()
    yield twilio_flex
    for module in modules:
        module.get_validator().close()
        module.get_validator.cache_clear()


def flask_post(path, **kwargs):
    from flask_flex import app

    r = app.test_client().post(path, **kwargs)
    return r.status_code, r.get_json()


def fastapi_post(path, **kwargs):
    from fastapi.testclient import TestClient
    from fastapi_flex import app

    if isinstance(kwargs.get("data"), str):
        kwargs["content"] = kwargs.pop("data")
    with TestClient(app) as client:  # runs the lifespan: closes the pool
        r = client.post(path, **kwargs)
    return r.status_code, r.json()


def django_post(path, **kwargs):
    import django_flex

    from django.test import Client, override_settings

    headers = dict(kwargs.pop("headers", {}))
    content_type = headers.pop("Content-Type", None)
    if "json" in kwargs:
        kwargs = {"data": kwargs["json"], "content_type": "application/json"}
    elif content_type is not None:
        kwargs["content_type"] = content_type
    with override_settings(ROOT_URLCONF=django_flex.__name__):
        r = Client().post(path, headers=headers, **kwargs)
    return r.status_code, r.json()


FRAMEWORKS = [flask_post, fastapi_post, django_post]
IDS = ["flask", "fastapi", "django"]


@pytest.mark.parametrize("post", FRAMEWORKS, ids=IDS)
@pytest.mark.parametrize(
    "where", ["json", "form", "bearer"], ids=["json", "form", "bearer"]
)
def test_valid_token_reaches_the_view(iam, post, where):
    """
    Token in a JSON body, a form body or a Bearer header: the view runs.
    """
    token = iam.issue("user_40example_2Ecom", roles=["agent", "supervisor"])
    kwargs = {
        "json": {"json": {"Token": token}},
        "form": {"data": {"Token": token}},
        "bearer": {"headers": {"Authorization": f"Bearer {token}"}},
    }[where]

    status, body = post("/agent", **kwargs)

    assert 200 == status
    assert "user_40example_2Ecom" == body["identity"]
    assert "user@example.com" == body["email"]
    assert ["agent", "supervisor"] == body["roles"]
    assert body["supervisor"] is True
    assert body["worker_sid"].startswith("WK")
    assert 1 == len(iam.requests)


@pytest.mark.parametrize("post", FRAMEWORKS, ids=IDS)
def test_identity_that_does_not_decode(iam, post):
    """
    An identity decode_identity refuses is passed on, without an email.
    """
    token = iam.issue("bare_name")

    status, body = post("/agent", json={"Token": token})

    assert 200 == status
    assert "bare_name" == body["identity"]
    assert body["email"] is None


@pytest.mark.parametrize("post", FRAMEWORKS, ids=IDS)
def test_invalid_token_is_403(iam, post):
    """
    A token Twilio calls invalid is 403 with a JSON error.
    """
    status, body = post("/agent", json={"Token": iam.reject(20101, "no")})

    assert 403 == status
    assert "invalid Flex token" in str(body)
    assert "20101" in str(body)


@pytest.mark.parametrize("post", FRAMEWORKS, ids=IDS)
def test_unavailable_is_503(iam, post):
    """
    A validation Twilio could not give is 503, saying nothing of the token.
    """
    status, body = post("/agent", json={"Token": iam.fail(502, "<html>")})

    assert 503 == status
    assert "validation unavailable" in str(body)


@pytest.mark.parametrize("post", FRAMEWORKS, ids=IDS)
@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"json": {"token": "lower-case key"}},
        {"json": ["Token"]},
        {"headers": {"Authorization": "Bearer "}},
        {"data": {"Other": "x"}},
    ],
    ids=[
        "nothing",
        "wrong-key",
        "json-array",
        "empty-bearer",
        "form-no-token",
    ],
)
def test_no_token_is_401(iam, post, kwargs):
    """
    A request without a Flex token is 401, and nothing is sent to Twilio.
    """
    status, body = post("/agent", **kwargs)

    assert 401 == status
    assert "no Flex token" in str(body)
    assert [] == iam.requests


@pytest.mark.parametrize("post", [fastapi_post, django_post], ids=IDS[1:])
def test_malformed_json_body_is_401(iam, post):
    """
    A body that claims JSON and is not JSON has no token.
    """
    status, _ = post(
        "/agent",
        headers={"Content-Type": "application/json"},
        data="{not json",
    )

    assert 401 == status
