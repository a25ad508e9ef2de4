"""
A Flask back end for a Flex plugin: a decorator that validates Flex tokens.

    TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \
        flask --app examples/flask_flex.py run

    POST /agent  (the Flex token as "Token" in a JSON or form body, or as
                  "Authorization: Bearer …")
    -> {"identity": "user_40example_2Ecom", "email": "user@example.com", …}

An invalid token is answered 403 and a validation Twilio could not give
(timeout, outage, rate limit) 503, both with a JSON error; no token at
all is 401. TWILIO_IAM_BASE_URL replaces https://iam.twilio.com (a proxy,
or twilio_tokens.testing.FakeFlexService in tests).
"""

import functools
import os

from flask import Flask, jsonify, request
from twilio_tokens import decode_identity
from twilio_tokens.flex import (
    FlexTokenInfo,
    FlexValidationUnavailableError,
    FlexValidator,
    InvalidFlexTokenError,
)


app = Flask(__name__)


@functools.cache
def get_validator() -> FlexValidator:
    # One validator for the whole app: it is thread-safe and keeps its
    # connections to Twilio open between requests.
    return FlexValidator(
        os.environ["TWILIO_ACCOUNT_SID"],
        auth_token=os.environ["TWILIO_AUTH_TOKEN"],
        base_url=os.environ.get("TWILIO_IAM_BASE_URL"),
    )


def flex_token_from_request() -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    body = request.get_json(silent=True)
    if isinstance(body, dict) and isinstance(body.get("Token"), str):
        return body["Token"]
    return request.form.get("Token")


def flex_token_required(view):
    """Call *view* with flex=FlexTokenInfo, or answer 401/403/503."""

    @functools.wraps(view)
    def wrapper(*args, **kwargs):
        token = flex_token_from_request()
        if not token:
            return jsonify(error="no Flex token"), 401
        try:
            info = get_validator().validate(token)
        except InvalidFlexTokenError as e:
            return jsonify(error="invalid Flex token", detail=str(e)), 403
        except FlexValidationUnavailableError:
            # Say nothing of the token: it may be fine. Log e for yourself.
            return jsonify(error="Flex token validation unavailable"), 503
        return view(*args, flex=info, **kwargs)

    return wrapper


@app.post("/agent")
@flex_token_required
def agent(flex: FlexTokenInfo):
    try:
        email = decode_identity(flex.identity)
    except ValueError:  # a spelling encode_identity never writes
        email = None
    return jsonify(
        identity=flex.identity,
        email=email,
        roles=list(flex.roles),
        worker_sid=flex.worker_sid,
        supervisor=flex.has_role("supervisor"),
    )
