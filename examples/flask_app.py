"""
A Flask token endpoint for Twilio's client SDKs.

    TWILIO_ACCOUNT_SID=AC… TWILIO_API_KEY=SK… TWILIO_API_SECRET=… \
    TWILIO_TWIML_APP_SID=AP… TWILIO_CONVERSATIONS_SERVICE_SID=IS… \
        flask --app examples/flask_app.py run

    GET /token?product=voice|chat|video|sync[&room=NAME]
    -> {"identity": "alice", "token": "eyJ…"}

Identity comes from the signed-in user: here, as a stand-in for your own
authentication, the ``X-User`` header (401 without it).
"""

import os

from flask import Flask, jsonify, request
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    SyncGrant,
    VideoGrant,
    VoiceGrant,
)


app = Flask(__name__)


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


@app.get("/token")
def token():
    identity = request.headers.get("X-User")  # your authentication here
    if not identity:
        return jsonify(error="sign in first"), 401
    try:
        grants = grants_for(
            request.args.get("product", ""), request.args.get("room")
        )
        jwt = AccessToken.from_env(identity=identity, grants=grants).to_jwt()
    except ValueError as e:  # bad product, or a token Twilio would refuse
        return jsonify(error=str(e)), 400
    return jsonify(identity=identity, token=jwt)
