"""
A Django back end for a Flex plugin: a view decorator that validates Flex
tokens, in one file.

    TWILIO_ACCOUNT_SID=AC… TWILIO_AUTH_TOKEN=… \
        django-admin runserver --pythonpath examples --settings django_flex

    POST /agent  (the Flex token as "Token" in a JSON or form body, or as
                  "Authorization: Bearer …")
    -> {"identity": "user_40example_2Ecom", "email": "user@example.com", …}

An invalid token is answered 403 and a validation Twilio could not give
(timeout, outage, rate limit) 503, both with a JSON error; no token at
all is 401. TWILIO_IAM_BASE_URL replaces https://iam.twilio.com (a proxy,
or twilio_tokens.testing.FakeFlexService in tests).
"""

import functools
import json
import os

from django.conf import settings


if not settings.configured:
    settings.configure(
        DEBUG=False,
        SECRET_KEY=os.environ.get(
            "DJANGO_SECRET_KEY", "example-only-not-secret"
        ),
        ROOT_URLCONF=__name__,
        ALLOWED_HOSTS=["*"],
    )

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from twilio_tokens import decode_identity
from twilio_tokens.flex import (
    FlexTokenInfo,
    FlexValidationUnavailableError,
    FlexValidator,
    InvalidFlexTokenError,
)


@functools.cache
def get_validator() -> FlexValidator:
    # One validator for the whole site: it is thread-safe and keeps its
    # connections to Twilio open between requests.
    return FlexValidator(
        os.environ["TWILIO_ACCOUNT_SID"],
        auth_token=os.environ["TWILIO_AUTH_TOKEN"],
        base_url=os.environ.get("TWILIO_IAM_BASE_URL"),
    )


def flex_token_from(request: HttpRequest) -> str | None:
    scheme, _, value = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    if request.content_type == "application/json":
        try:
            body = json.loads(request.body)
        except ValueError:
            return None
        token = body.get("Token") if isinstance(body, dict) else None
        return token if isinstance(token, str) else None
    return request.POST.get("Token")


def flex_token_required(view):
    """Call *view* with flex=FlexTokenInfo, or answer 401/403/503."""

    # The token authenticates the request, not a cookie: no CSRF check.
    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs):
        token = flex_token_from(request)
        if not token:
            return JsonResponse({"error": "no Flex token"}, status=401)
        try:
            info = get_validator().validate(token)
        except InvalidFlexTokenError as e:
            return JsonResponse(
                {"error": "invalid Flex token", "detail": str(e)}, status=403
            )
        except FlexValidationUnavailableError:
            # Say nothing of the token: it may be fine. Log e for yourself.
            return JsonResponse(
                {"error": "Flex token validation unavailable"}, status=503
            )
        return view(request, *args, flex=info, **kwargs)

    return wrapper


@require_POST
@flex_token_required
def agent(request: HttpRequest, flex: FlexTokenInfo) -> JsonResponse:
    try:
        email = decode_identity(flex.identity)
    except ValueError:  # a spelling encode_identity never writes
        email = None
    return JsonResponse(
        {
            "identity": flex.identity,
            "email": email,
            "roles": list(flex.roles),
            "worker_sid": flex.worker_sid,
            "supervisor": flex.has_role("supervisor"),
        }
    )


urlpatterns = [path("agent", agent)]
