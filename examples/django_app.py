"""
A Django token endpoint for Twilio's client SDKs, in one file.

    TWILIO_ACCOUNT_SID=AC… TWILIO_API_KEY=SK… TWILIO_API_SECRET=… \
        django-admin runserver --pythonpath examples --settings django_app

    GET /token?product=voice|chat|video|sync[&room=NAME]
    -> {"identity": "alice", "token": "eyJ…"}

Identity comes from the signed-in user: in a real project,
``request.user.get_username()`` behind ``login_required``; here, as a
stand-in, the ``X-User`` header (401 without it).
"""

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
from django.views.decorators.http import require_GET
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    SyncGrant,
    VideoGrant,
    VoiceGrant,
)


def grants_for(product: str, room: str | None) -> list:
    env = os.environ.get
    if product == "voice":
        return [
            VoiceGrant(
                outgoing_application_sid=env("TWILIO_TWIML_APP_SID"),
                incoming_allow=True,
            )
        ]
    if product == "chat":
        return [ChatGrant(service_sid=env("TWILIO_CONVERSATIONS_SERVICE_SID"))]
    if product == "video":
        return [VideoGrant(room=room)]
    if product == "sync":
        return [
            SyncGrant(service_sid=env("TWILIO_SYNC_SERVICE_SID", "default"))
        ]
    msg = f"unknown product {product!r}; use voice, chat, video or sync"
    raise ValueError(msg)


@require_GET
def token(request: HttpRequest) -> JsonResponse:
    identity = request.headers.get("X-User")  # your authentication here
    if not identity:
        return JsonResponse({"error": "sign in first"}, status=401)
    try:
        grants = grants_for(
            request.GET.get("product", ""), request.GET.get("room")
        )
        jwt = AccessToken.from_env(identity=identity, grants=grants).to_jwt()
    except ValueError as e:  # bad product, or a token Twilio would refuse
        return JsonResponse({"error": str(e)}, status=400)
    return JsonResponse({"identity": identity, "token": jwt})


urlpatterns = [path("token", token)]
