"""
A FastAPI back end for a Flex plugin: a dependency that validates Flex tokens.

    TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \
        uvicorn examples.fastapi_flex:app

    POST /agent  (the Flex token as "Token" in a JSON or form body, or as
                  "Authorization: Bearer …")
    -> {"identity": "user_40example_2Ecom", "email": "user@example.com", …}

An invalid token is answered 403 and a validation Twilio could not give
(timeout, outage, rate limit) 503, both with a JSON error; no token at
all is 401. TWILIO_IAM_BASE_URL replaces https://iam.twilio.com (a proxy,
or twilio_tokens.testing.FakeFlexService in tests).
"""

import contextlib
import functools
import os

from typing import Annotated
from urllib.parse import parse_qs

from fastapi import Depends, FastAPI, HTTPException, Request
from twilio_tokens import decode_identity
from twilio_tokens.flex import (
    FlexTokenInfo,
    FlexValidationUnavailableError,
    FlexValidator,
    InvalidFlexTokenError,
)


@functools.cache
def get_validator() -> FlexValidator:
    # One validator for the whole app: it is task-safe and keeps its
    # connections to Twilio open between requests.
    return FlexValidator(
        os.environ["TWILIO_ACCOUNT_SID"],
        auth_token=os.environ["TWILIO_AUTH_TOKEN"],
        base_url=os.environ.get("TWILIO_IAM_BASE_URL"),
    )


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI):
    yield
    await get_validator().aclose()  # this event loop's connections


app = FastAPI(lifespan=lifespan)


async def flex_token_from(request: Request) -> str | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    kind = request.headers.get("content-type", "")
    if kind.startswith("application/json"):
        try:
            body = await request.json()
        except ValueError:
            return None
        token = body.get("Token") if isinstance(body, dict) else None
        return token if isinstance(token, str) else None
    if kind.startswith("application/x-www-form-urlencoded"):
        # parse_qs, not request.form(): no python-multipart needed.
        form = parse_qs((await request.body()).decode("utf-8", "replace"))
        return form.get("Token", [None])[0]
    return None


async def flex_agent(request: Request) -> FlexTokenInfo:
    """The request's validated Flex token, or 401/403/503."""
    token = await flex_token_from(request)
    if not token:
        raise HTTPException(status_code=401, detail="no Flex token")
    try:
        return await get_validator().avalidate(token)
    except InvalidFlexTokenError as e:
        raise HTTPException(
            status_code=403, detail=f"invalid Flex token: {e}"
        ) from e
    except FlexValidationUnavailableError as e:
        # Say nothing of the token: it may be fine. Log e for yourself.
        raise HTTPException(
            status_code=503, detail="Flex token validation unavailable"
        ) from e


@app.post("/agent")
async def agent(flex: Annotated[FlexTokenInfo, Depends(flex_agent)]) -> dict:
    try:
        email = decode_identity(flex.identity)
    except ValueError:  # a spelling encode_identity never writes
        email = None
    return {
        "identity": flex.identity,
        "email": email,
        "roles": list(flex.roles),
        "worker_sid": flex.worker_sid,
        "supervisor": flex.has_role("supervisor"),
    }
