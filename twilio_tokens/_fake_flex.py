"""
A fake of Twilio's IAM token validation, for tests: no network, no account.

:class:`FakeFlexService` is a real HTTP server on 127.0.0.1 (standard
library only), in a daemon thread. It issues Flex-shaped tokens (five
base64url segments, like a JWE) for the agents a test describes, and
answers ``POST /v1/Accounts/{AccountSid}/Tokens/validate`` as Twilio's
IAM service does: HTTP Basic auth checked against its credentials, a JSON
body ``{"token": ...}``, and an answer with ``valid``, ``code``,
``message``, ``expiration``, ``identity``, ``roles``, ``worker_sid`` and
``realm_user_id``. It records every request::

    with FakeFlexService() as iam:
        token = iam.issue(identity="alice", roles=["agent"])
        validator = FlexValidator(iam.account_sid,
                                  auth_token=iam.auth_token,
                                  base_url=iam.base_url)
        assert validator.validate(token).identity == "alice"
        assert iam.requests[0].json == {"token": token}

The codes of its ``valid: false`` answers are Twilio's Access Token codes
(20101 for a token it never issued, 20104 for an expired one); it never
logs a token or a credential.
"""

from __future__ import annotations

import base64
import json
import secrets
import threading
import time

from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final, final

import attrs

from ._credentials import (
    FAKE_ACCOUNT_SID,
    FAKE_API_KEY_SECRET,
    FAKE_API_KEY_SID,
)


if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping
    from types import TracebackType


__all__ = ["FAKE_AUTH_TOKEN", "FakeFlexRequest", "FakeFlexService"]

# Shaped like an Auth Token (32 lower-case hex), obviously fake.
FAKE_AUTH_TOKEN: Final = "fa4e" * 8
_MAX_BODY: Final = 1 << 20
_UNAUTHORIZED: Final = {
    "code": 20003,
    "message": "Authenticate",
    "more_info": "https://www.twilio.com/docs/errors/20003",
    "status": 401,
}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _fake_sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)


@attrs.frozen(kw_only=True)
class FakeFlexRequest:
    """
    A request the fake received, for assertions.

    Attributes:
        method: ``"POST"``, or what the client sent.
        path: The request path, e.g. ``/v1/Accounts/AC.../Tokens/validate``.
        headers: The headers, names in lower case.
        body: The raw body.
    """

    method: str
    path: str
    headers: Mapping[str, str] = attrs.field(repr=False)
    body: bytes = attrs.field(repr=False)

    @property
    def json(self) -> Any:
        """The body parsed as JSON, or ``None`` if it is not JSON."""
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    @property
    def basic_auth(self) -> tuple[str, str] | None:
        """The (user, password) of the Basic auth header, if any."""
        scheme, _, value = self.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return None
        try:
            user, sep, password = (
                base64.b64decode(value, validate=True).decode().partition(":")
            )
        except ValueError:
            return None
        return (user, password) if sep else None


@attrs.frozen
class _Answer:
    """What the fake answers for one issued token."""

    status: int
    body: bytes
    content_type: str
    delay: float
    expires: float | None = None  # epoch seconds, for valid tokens


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256  # many clients connect at once in tests
    fake: FakeFlexService

    def handle_error(self, *args: object) -> None:
        # A client that gave up (a timeout test) or sent garbage is no
        # error of the fake: print nothing, serve the next request.
        del args


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, as Twilio's servers
    disable_nagle_algorithm = True  # headers and body go out at once
    server: _Server

    def log_message(self, *args: Any) -> None:
        del args  # never log: the body holds a bearer token

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(min(length, _MAX_BODY))
        fake = self.server.fake
        fake._record(  # noqa: SLF001 - the fake's own server
            FakeFlexRequest(
                method="POST",
                path=self.path,
                headers={k.lower(): v for k, v in self.headers.items()},
                body=body,
            )
        )
        status, payload, content_type, delay = fake._answer(  # noqa: SLF001
            self.path, self.headers.get("Authorization", ""), body
        )
        if delay and fake._stopping.wait(delay):  # noqa: SLF001
            self.close_connection = True  # stopped: hang up, answer nothing
            return
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def do_GET(self) -> None:
        payload = b'{"code": 20004, "message": "Method not allowed"}'
        self.send_response(405)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


@final  # __enter__ returns this class
class FakeFlexService:
    """
    A fake of Twilio's IAM service on 127.0.0.1, in a thread.

    Start it with ``with`` (or :meth:`start` and :meth:`stop`); point a
    :class:`~twilio_tokens.flex.FlexValidator` at :attr:`base_url` with
    the fake's credentials. It accepts two credentials: the account's
    Auth Token and one API key.

    Args:
        account_sid: The account the fake serves.
        auth_token: The account's Auth Token.
        api_key_sid: An API key the fake also accepts, with
        api_key_secret: its secret. Both default to the package's fake
            API key.

    Attributes:
        account_sid: The account whose path the fake answers.
        auth_token: The Auth Token it accepts.
        api_key_sid: The API key it accepts, with
        api_key_secret: its secret.
        requests: Every request received, in order.
    """

    def __init__(
        self,
        account_sid: str = FAKE_ACCOUNT_SID,
        *,
        auth_token: str = FAKE_AUTH_TOKEN,
        api_key_sid: str = FAKE_API_KEY_SID,
        api_key_secret: str = FAKE_API_KEY_SECRET,
    ) -> None:
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.api_key_sid = api_key_sid
        self.api_key_secret = api_key_secret
        self.requests: list[FakeFlexRequest] = []
        self._tokens: dict[str, _Answer] = {}
        self._mutex = threading.Lock()
        self._stopping = threading.Event()
        self._running: tuple[_Server, threading.Thread] | None = None

    def __repr__(self) -> str:
        where = "stopped" if self._running is None else self.base_url
        return f"FakeFlexService({self.account_sid!r}, {where})"

    # ------------------------------------------------------- lifetime

    def start(self) -> FakeFlexService:
        """
        Listen on a free port of 127.0.0.1; return the fake.
        """
        if self._running is None:
            self._stopping.clear()
            server = _Server(("127.0.0.1", 0), _Handler)
            server.fake = self
            thread = threading.Thread(
                target=server.serve_forever,
                args=(0.05,),  # stop() waits at most this long
                name="FakeFlexService",
                daemon=True,
            )
            thread.start()
            self._running = server, thread
        return self

    def stop(self) -> None:
        """
        Stop listening; slow answers still waiting are dropped.
        """
        running, self._running = self._running, None
        if running is not None:
            server, thread = running
            self._stopping.set()
            server.shutdown()
            server.server_close()
            thread.join()

    def __enter__(self) -> FakeFlexService:
        return self.start()

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """
        ``http://127.0.0.1:PORT``, for ``FlexValidator(base_url=...)``.

        Raises:
            RuntimeError: The fake is not started.
        """
        if self._running is None:
            msg = "FakeFlexService is not started: use start() or 'with'."
            raise RuntimeError(msg)
        host, port = self._running[0].server_address[:2]
        return f"http://{host!s}:{port}"

    @property
    def url(self) -> str:
        """The validation URL of the fake's ``account_sid``."""
        return (
            f"{self.base_url}/v1/Accounts/{self.account_sid}/Tokens/validate"
        )

    # --------------------------------------------------------- tokens

    def _new_token(self, answer: _Answer) -> str:
        header = json.dumps(
            {"alg": "dir", "enc": "A256GCM", "kid": "fake-flex-iam"},
            separators=(",", ":"),
        )
        token = ".".join(
            (
                _b64(header.encode()),
                "",  # "dir": no encrypted key, as in a compact JWE
                _b64(secrets.token_bytes(12)),
                _b64(secrets.token_bytes(48)),
                _b64(secrets.token_bytes(16)),
            )
        )
        with self._mutex:
            self._tokens[token] = answer
        return token

    def issue(
        self,
        identity: str = "alice",
        *,
        roles: Iterable[str] = ("agent",),
        worker_sid: str | None = None,
        realm_user_id: str | None = None,
        flex_instance_sid: str | None = None,
        flex_user_sid: str | None = None,
        expires_in: float = 3600,
        delay: float = 0,
    ) -> str:
        """
        A token the fake answers ``valid: true`` for, until it expires.

        Args:
            identity: The agent's identity, as Flex spells it (see
                :func:`twilio_tokens.encode_identity`).
            roles: Its Flex roles.
            worker_sid: Its Worker SID; a fresh fake ``WK...`` by default.
            realm_user_id: Sent as ``null`` by default, as Twilio may.
            flex_instance_sid: Sent only when given.
            flex_user_sid: Sent only when given.
            expires_in: Seconds from now; zero or less is an expired
                token, answered ``valid: false`` with code 20104.
            delay: Seconds the fake waits before answering.
        """
        expires = time.time() + expires_in
        body: dict[str, Any] = {
            "valid": True,
            "code": 0,
            "message": None,
            "expiration": datetime.fromtimestamp(expires, timezone.utc)
            .isoformat(timespec="milliseconds")
            .replace("+00:00", "Z"),
            "realm_user_id": realm_user_id,
            "identity": identity,
            "roles": list(roles),
            "worker_sid": worker_sid or _fake_sid("WK"),
        }
        if flex_instance_sid is not None:
            body["flex_instance_sid"] = flex_instance_sid
        if flex_user_sid is not None:
            body["flex_user_sid"] = flex_user_sid
        return self._new_token(
            _Answer(200, _dumps(body), "application/json", delay, expires)
        )

    def reject(
        self,
        code: int = 20101,
        message: str = "Invalid Access Token",
        *,
        delay: float = 0,
    ) -> str:
        """
        A token the fake answers ``valid: false`` for, with *code*.
        """
        body = {"valid": False, "code": code, "message": message}
        return self._new_token(
            _Answer(200, _dumps(body), "application/json", delay)
        )

    def fail(
        self,
        status: int = 500,
        body: str | bytes | Mapping[str, Any] = b"",
        *,
        content_type: str | None = None,
        delay: float = 0,
    ) -> str:
        """
        A token whose validation fails with *status* and *body*.

        Args:
            status: The HTTP status, e.g. 500, 502, 429, 401.
            body: Bytes or text as they are, or a mapping sent as JSON.
            content_type: Defaults to JSON for a mapping, text otherwise.
            delay: Seconds the fake waits before answering.
        """
        if isinstance(body, (str, bytes)):
            payload = body.encode() if isinstance(body, str) else body
            kind = content_type or "text/plain; charset=utf-8"
        else:
            payload = _dumps(body)
            kind = content_type or "application/json"
        return self._new_token(_Answer(status, payload, kind, delay))

    # ------------------------------------------------------- answering

    def _record(self, request: FakeFlexRequest) -> None:
        with self._mutex:
            self.requests.append(request)

    def _credentials(self) -> tuple[tuple[str, str], ...]:
        return (
            (self.account_sid, self.auth_token),
            (self.api_key_sid, self.api_key_secret),
        )

    def _answer(
        self, path: str, authorization: str, body: bytes
    ) -> tuple[int, bytes, str, float]:
        json_type = "application/json"
        expected = f"/v1/Accounts/{self.account_sid}/Tokens/validate"
        request = FakeFlexRequest(
            method="POST",
            path=path,
            headers={"authorization": authorization},
            body=body,
        )
        if request.basic_auth not in self._credentials():
            return 401, _dumps(_UNAUTHORIZED), json_type, 0
        if path != expected:
            not_found = {
                "code": 20404,
                "message": f"The requested resource {path} was not found",
                "status": 404,
            }
            return 404, _dumps(not_found), json_type, 0
        sent = request.json
        token = sent.get("token") if isinstance(sent, dict) else None
        if not isinstance(token, str):
            missing = {
                "code": 20001,
                "message": "Missing required parameter token",
                "status": 400,
            }
            return 400, _dumps(missing), json_type, 0
        with self._mutex:
            answer = self._tokens.get(token)
        if answer is None:
            unknown = {
                "valid": False,
                "code": 20101,
                "message": "Invalid Access Token",
            }
            return 200, _dumps(unknown), json_type, 0
        if answer.expires is not None and answer.expires <= time.time():
            expired = {
                "valid": False,
                "code": 20104,
                "message": "Access Token expired or expiration date invalid",
            }
            return 200, _dumps(expired), json_type, answer.delay
        return answer.status, answer.body, answer.content_type, answer.delay


def _dumps(value: object) -> bytes:
    return json.dumps(value).encode()
