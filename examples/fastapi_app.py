"""
A FastAPI token endpoint for Twilio's client SDKs.

    TWILIO_ACCOUNT_SID=AC… TWILIO_API_KEY=SK… TWILIO_API_SECRET=… \
        uvicorn examples.fastapi_app:app

    GET /token?product=voice|chat|video|sync[&room=NAME]
    -> {"identity": "alice", "token": "eyJ…"}

Identity comes from the signed-in user: here, as a stand-in for your own
authentication dependency, the ``X-User`` header (401 without it).
"""

import os

from typing import Annotated, Literal

from fastapi import Depends, FastAPI, Header, HTTPException
from twilio_tokens import (
    AccessToken,
    ChatGrant,
    SyncGrant,
    VideoGrant,
    VoiceGrant,
)


app = FastAPI()


def current_user(x_user: Annotated[str | None, Header()] = None) -> str:
    if not x_user:  # your authentication here
        raise HTTPException(status_code=401, detail="sign in first")
    return x_user


@app.get("/token")
def token(
    product: Literal["voice", "chat", "video", "sync"],
    identity: Annotated[str, Depends(current_user)],
    room: str | None = None,
) -> dict[str, str]:
    env = os.environ.get
    grants = {
        "voice": lambda: VoiceGrant(
            outgoing_application_sid=env("TWILIO_TWIML_APP_SID"),
            incoming_allow=True,
        ),
        "chat": lambda: ChatGrant(
            service_sid=env("TWILIO_CONVERSATIONS_SERVICE_SID")
        ),
        "video": lambda: VideoGrant(room=room),
        "sync": lambda: SyncGrant(
            service_sid=env("TWILIO_SYNC_SERVICE_SID", "default")
        ),
    }
    try:
        jwt = AccessToken.from_env(
            identity=identity, grants=[grants[product]()]
        ).to_jwt()
    except ValueError as e:  # a token Twilio would refuse
        raise HTTPException(status_code=400, detail=str(e)) from e
    return {"identity": identity, "token": jwt}
