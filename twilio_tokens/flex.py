"""
Validate Twilio Flex tokens through Twilio's IAM service.

Twilio Flex gives each agent's browser a Flex token, which a Flex plugin
sends to its back end (``Token`` in a JSON or form body, or
``Authorization: Bearer``). It is a JWE, five dot-separated segments,
encrypted for Twilio: it cannot be read or verified locally. Twilio's IAM
service validates it::

    POST https://iam.twilio.com/v1/Accounts/{AccountSid}/Tokens/validate
    Authorization: Basic base64(AccountSid:AuthToken or SK...:secret)
    Content-Type: application/json
    {"token": "<the Flex token>"}

:class:`FlexValidator` makes that call, with the sync
:meth:`~FlexValidator.validate`
or the async :meth:`~FlexValidator.avalidate`, and turns the answer into a
:class:`FlexTokenInfo`, an :class:`InvalidFlexTokenError` (the token is
not valid: answer 401/403) or a :class:`FlexValidationUnavailableError`
(no answer could be had: answer 503).

The HTTP client is httpx2 (``pip install 'twilio-tokens[flex]'``): one
client with a sync and an async API, so both methods share one code path
for the request and the answer; it is the maintained line of httpx (same
API, current releases for every Python this package supports), the test
suite already uses it for the web frameworks' test clients, and it has
per-phase timeouts and connection pools that are safe to share between
threads (sync) and tasks (async). httpx 0.x would work as well, but the
package would then depend on two generations of one client.
"""

from __future__ import annotations

import base64
import math
import re
import threading

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final, final
from urllib.parse import urlsplit

import attrs


try:
    import httpx2

    from anyio.lowlevel import RunVar
except ImportError as e:  # the extra is not installed
    msg = (
        "twilio_tokens.flex needs its HTTP client: "
        "pip install 'twilio-tokens[flex]'"
    )
    raise ImportError(msg, name=e.name) from e

from ._credentials import Secret, check_secret
from ._fields import is_sid, show_sid
from ._json import FrozenDict, dumps, loads_frozen, show
from .exceptions import FlexValidationUnavailableError, InvalidFlexTokenError


if TYPE_CHECKING:
    from types import TracebackType


__all__ = [
    "MAX_TOKEN_LENGTH",
    "FlexTokenInfo",
    "FlexValidationUnavailableError",
    "FlexValidator",
    "InvalidFlexTokenError",
]

MAX_TOKEN_LENGTH: Final = 16_384
"""The longest Flex token sent to Twilio, in characters (16 KiB).

A Flex token is about 1 to 2 KB; the bound leaves room for future claims
and keeps a pasted blob from being sent to Twilio."""
_SEGMENTS: Final = 5  # JWE compact serialisation (RFC 7516, section 7.1)
_JWT_SEGMENTS: Final = 3
_BASE64URL: Final = re.compile(r"[A-Za-z0-9_-]*")
# Twilio's non-production realms are short lower-case words ("stage",
# "dev"); a realm becomes part of a host name, so nothing else is allowed.
_REALM: Final = re.compile(r"[a-z][a-z0-9]{0,31}")
_PRODUCTION: Final = "prod"
# Twilio Regions name where data lives (twilio.com/docs/global-infrastructure);
# they are not IAM realms, and iam.us1.twilio.com does not exist.
_REGIONS: Final = frozenset(
    ("us1", "us2", "ie1", "de1", "au1", "jp1", "sg1", "br1", "in1")
)
_HTTP_OK: Final = 200
_REDIRECT: Final = 300
_TOO_MANY_REQUESTS: Final = 429
_SERVER_ERROR: Final = 500
_REFUSED: Final = (401, 403)
_MAX_ANSWER: Final = 65_536  # bytes; Twilio's answer is a few hundred


@attrs.frozen(kw_only=True)
class FlexTokenInfo:
    """
    What Twilio's IAM service says about a valid Flex token.

    Attributes:
        identity: The agent's identity as Flex spells it: letters and
            digits as they are, ``@`` as ``_40`` and ``.`` as ``_2E``
            (``user_40example_2Ecom``). Those escapes are the ones
            :func:`twilio_tokens.encode_identity` writes, so
            ``decode_identity(info.identity)`` gives back
            ``user@example.com`` when the identity uses only them; a
            spelling the encoder never writes (a bare ``_``, lower-case
            hex) is refused by ``decode_identity`` with a ``ValueError``:
            keep the identity as Twilio gave it then.
        roles: The agent's Flex roles, e.g. ``("agent",)``; also
            ``"supervisor"``, ``"admin"``.
        worker_sid: The agent's TaskRouter Worker SID (``WK...``).
        realm_user_id: Twilio's user id in the realm; Twilio may send
            ``null``.
        expires_at: When the token expires (an aware UTC datetime).
        flex_instance_sid: The Flex instance (``GO...``), when sent.
        flex_user_sid: The Flex user (``FU...``), when sent.
        raw: Twilio's whole answer, read-only.
    """

    identity: str
    roles: tuple[str, ...]
    worker_sid: str | None
    realm_user_id: str | None
    expires_at: datetime
    flex_instance_sid: str | None = None
    flex_user_sid: str | None = None
    raw: FrozenDict = attrs.field(factory=FrozenDict, repr=False)

    def has_role(self, name: str) -> bool:
        """
        Whether the agent has the Flex role *name* (e.g. ``"supervisor"``).
        """
        return name in self.roles


def _check_token(token: object) -> str:
    """
    *token*, if it can be a Flex token; nothing is sent otherwise.
    """
    if not isinstance(token, str):
        msg = f"token must be a str, got {type(token).__name__}."
        raise TypeError(msg)
    if not token:
        msg = "The Flex token is empty."
        raise InvalidFlexTokenError(msg)
    if len(token) > MAX_TOKEN_LENGTH:
        msg = (
            f"The Flex token has {len(token)} characters; at most "
            f"{MAX_TOKEN_LENGTH} are sent to Twilio."
        )
        raise InvalidFlexTokenError(msg)
    segments = token.split(".")
    if len(segments) == _JWT_SEGMENTS:
        msg = (
            "The token has three segments: it is a JWT, such as a Twilio "
            "Access Token, not a Flex token (a JWE has five). Check an "
            "Access Token with twilio_tokens.decode()."
        )
        raise InvalidFlexTokenError(msg)
    if len(segments) != _SEGMENTS:
        msg = (
            f"The Flex token has {len(segments)} dot-separated segments; "
            f"a Flex token (a JWE) has {_SEGMENTS}."
        )
        raise InvalidFlexTokenError(msg)
    if not all(_BASE64URL.fullmatch(s) for s in segments):
        msg = (
            "The Flex token has characters other than base64url ones "
            "(letters, digits, '-', '_') between its dots."
        )
        raise InvalidFlexTokenError(msg)
    return str.__str__(token)


def _host(realm: object) -> str:
    if realm is None:
        return "iam.twilio.com"
    if not isinstance(realm, str):
        msg = f"realm must be a str or None, got {type(realm).__name__}."
        raise TypeError(msg)
    if realm == _PRODUCTION:
        return "iam.twilio.com"
    if realm in _REGIONS:
        msg = (
            f"realm {show(realm)} is a Twilio Region, not a realm: Flex "
            "tokens of every Region are validated by iam.twilio.com. Leave "
            "realm=None for production."
        )
        raise ValueError(msg)
    if _REALM.fullmatch(realm) is None:
        msg = (
            f"realm must be a short lower-case word such as 'stage' or "
            f"'dev' (or None for production), got {show(realm)}."
        )
        raise ValueError(msg)
    return f"iam.{realm}.twilio.com"


def _origin(base_url: object) -> str:
    """
    The scheme and host of *base_url*, checked.
    """
    if not isinstance(base_url, str):
        msg = f"base_url must be a str or None, got {type(base_url).__name__}."
        raise TypeError(msg)
    try:
        parts = urlsplit(base_url)
        port = parts.port  # an out-of-range port raises here
    except ValueError:
        parts, port = None, None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or parts.username is not None
        or parts.password is not None
        or parts.path not in ("", "/")
        or parts.query
        or parts.fragment
    ):
        msg = (
            "base_url must be a scheme and a host, such as "
            f"'http://127.0.0.1:8080', got {show(base_url)}."
        )
        raise ValueError(msg)
    host = parts.hostname
    if ":" in host:  # IPv6
        host = f"[{host}]"
    return f"{parts.scheme}://{host}" + ("" if port is None else f":{port}")


def _timeout(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        msg = f"timeout must be a number of seconds, got {show(value)}."
        raise TypeError(msg)
    if not (math.isfinite(value) and value > 0):
        msg = f"timeout must be a positive number of seconds, got {value!r}."
        raise ValueError(msg)
    return float(value)


def _sid(value: object, prefix: str, name: str) -> str:
    if is_sid(value, prefix):
        return str.__str__(value)
    want = f"'{prefix}' + 32 hex digits"
    if not isinstance(value, str):
        msg = f"{name} must be a str ({want}), got {show_sid(value, prefix)}."
        raise TypeError(msg)
    msg = f"{name} must be {want}, got {show_sid(value, prefix)}."
    raise ValueError(msg)


def _credential(
    account_sid: str,
    auth_token: object,
    api_key_sid: object,
    api_key_secret: object,
) -> tuple[str, str, str]:
    """
    (kind, user, secret) for HTTP Basic auth: exactly one kind given.
    """
    key_given = api_key_sid is not None or api_key_secret is not None
    if auth_token is not None and key_given:
        msg = (
            "Give either auth_token or api_key_sid and api_key_secret, "
            "not both."
        )
        raise TypeError(msg)
    if auth_token is not None:
        return (
            "auth_token",
            account_sid,
            check_secret(auth_token, "auth_token"),
        )
    if api_key_sid is None or api_key_secret is None:
        msg = (
            "FlexValidator needs a credential: auth_token, or api_key_sid "
            "and api_key_secret (both)."
        )
        raise TypeError(msg)
    user = _sid(api_key_sid, "SK", "api_key_sid")
    return "api_key", user, check_secret(api_key_secret, "api_key_secret")


@final  # __enter__ returns this class
class FlexValidator:
    """
    Validates Flex tokens with Twilio's IAM service for one account.

    One validator is meant to live as long as the application and to be
    shared: it is safe to call from many threads and many tasks at once.
    It keeps one sync connection pool and one async pool per event loop
    (async clients cannot move between loops), created on first use.
    :meth:`close` (or ``with``) closes the sync one; ``await aclose()``
    (or ``async with``) closes the running loop's one, and should run
    before that loop ends. Close a pool when no thread or task uses it
    any more; a closed validator opens a new pool when used again.

    Args:
        account_sid: The Account SID (``AC...``) whose Flex issued the
            tokens; it is in the URL whichever credential is used.
        auth_token: The account's Auth Token; or, instead:
        api_key_sid: An API key (``SK...``) of the account, with
        api_key_secret: its secret.
        realm: ``None`` (or ``"prod"``) for production,
            ``iam.twilio.com``; a non-production realm such as
            ``"stage"`` is ``iam.stage.twilio.com``. A Twilio Region
            (``"us1"``, ``"ie1"``, ...) is not a realm and is refused.
        base_url: A scheme and host that replace ``https://iam...``
            (a proxy, or :class:`twilio_tokens.testing.FakeFlexService`).
        timeout: Seconds allowed for each phase of the request
            (connecting, sending, each wait for the answer).

    Raises:
        TypeError: No credential, both kinds, half an API key, or an
            argument of the wrong type.
        ValueError: A malformed SID, secret, realm, URL or timeout
            (a secret is never shown).
    """

    def __init__(
        self,
        account_sid: str,
        *,
        auth_token: str | None = None,
        api_key_sid: str | None = None,
        api_key_secret: str | None = None,
        realm: str | None = None,
        base_url: str | None = None,
        timeout: float = 5.0,
    ) -> None:
        self._account_sid = _sid(account_sid, "AC", "account_sid")
        kind, user, secret = _credential(
            self._account_sid, auth_token, api_key_sid, api_key_secret
        )
        self._kind, self._user = kind, user
        basic = base64.b64encode(f"{user}:{secret}".encode()).decode()
        if realm is not None and base_url is not None:
            msg = (
                "Give realm or base_url, not both: base_url replaces the host."
            )
            raise TypeError(msg)
        origin = (
            f"https://{_host(realm)}"
            if base_url is None
            else _origin(base_url)
        )
        self._host = urlsplit(origin).netloc
        self._url = f"{origin}/v1/Accounts/{self._account_sid}/Tokens/validate"
        self._timeout = _timeout(timeout)
        # Boxed: no printer of the validator's fields can show it.
        self._authorization = Secret(f"Basic {basic}")
        self._headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Cache-Control": "no-cache",
            "User-Agent": "twilio-tokens",
        }
        self._lock = threading.Lock()
        self._client: httpx2.Client | None = None
        # One async client per event loop, dropped with its loop.
        self._async_client: RunVar[httpx2.AsyncClient | None] = RunVar(
            "twilio_tokens.flex.client", None
        )

    @property
    def url(self) -> str:
        """
        The URL tokens are posted to.
        """
        return self._url

    @property
    def timeout(self) -> float:
        """
        Seconds allowed for each phase of a request.
        """
        return self._timeout

    def __repr__(self) -> str:
        who = (
            "auth_token=..."
            if self._kind == "auth_token"
            else f"api_key_sid={self._user!r}"
        )
        return (
            f"FlexValidator({self._account_sid!r}, {who}, "
            f"url={self._url!r}, timeout={self._timeout!r})"
        )

    # ---------------------------------------------------------- clients

    def _options(self) -> dict[str, Any]:
        return {
            "timeout": httpx2.Timeout(self._timeout),
            "follow_redirects": False,  # never resend the credentials
        }

    def _sync(self) -> httpx2.Client:
        with self._lock:
            if self._client is None:
                self._client = httpx2.Client(**self._options())
            return self._client

    def _async(self) -> httpx2.AsyncClient:
        # No await between get and set: no other task of this loop can
        # run in between, and other threads have loops of their own.
        client = self._async_client.get()
        if client is None:
            client = httpx2.AsyncClient(**self._options())
            self._async_client.set(client)
        return client

    def close(self) -> None:
        """
        Close the sync connection pool.
        """
        with self._lock:
            client, self._client = self._client, None
        if client is not None:
            client.close()

    async def aclose(self) -> None:
        """
        Close the running event loop's connection pool.

        Other loops' pools and the sync one stay open: other threads may
        be using them.
        """
        client = self._async_client.get()
        self._async_client.set(None)
        if client is not None:
            await client.aclose()

    def __enter__(self) -> FlexValidator:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> FlexValidator:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    # ------------------------------------------------------- validation

    def validate(self, token: str) -> FlexTokenInfo:
        """
        Ask Twilio whether *token* is a valid Flex token; block for it.

        Returns:
            What Twilio says about the token and its agent.

        Raises:
            TypeError: *token* is not a ``str``.
            InvalidFlexTokenError: The token is not valid (answer 401 or
                403): Twilio said so, or it cannot be a Flex token and
                nothing was sent.
            FlexValidationUnavailableError: No answer could be had
                (answer 503); the message says why.
        """
        client = self._sync()
        request = self._request(client, token)
        try:
            answer = client.send(request)
        except httpx2.HTTPError as e:
            raise self._transport_error(e) from None
        return self._judge(answer, token)

    async def avalidate(self, token: str) -> FlexTokenInfo:
        """
        Ask Twilio whether *token* is a valid Flex token, asynchronously.

        The same as :meth:`validate`, on the running event loop (asyncio,
        or trio through anyio).
        """
        client = self._async()
        request = self._request(client, token)
        try:
            answer = await client.send(request)
        except httpx2.HTTPError as e:
            raise self._transport_error(e) from None
        return self._judge(answer, token)

    def _request(
        self, client: httpx2.Client | httpx2.AsyncClient, token: str
    ) -> httpx2.Request:
        """
        The one request either client sends, with the client's timeout.

        *token* is checked first: a refused one is never sent.
        """
        return client.build_request(
            "POST",
            self._url,
            content=_body(_check_token(token)),
            headers={
                "Authorization": self._authorization.reveal(),
                **self._headers,
            },
        )

    def _transport_error(
        self, error: httpx2.HTTPError
    ) -> FlexValidationUnavailableError:
        # ``from None``: httpx2's exception holds the request, and with it
        # the Authorization header and the token.
        what = type(error).__name__
        if isinstance(error, httpx2.TimeoutException):
            msg = (
                f"No answer from {self._host} within the timeout of "
                f"{self._timeout:g} s ({what})."
            )
        elif isinstance(error, httpx2.ConnectError):
            msg = f"Could not connect to {self._host} ({what}: {error})."
        else:
            msg = f"The request to {self._host} failed ({what}: {error})."
        return FlexValidationUnavailableError(msg)

    def _judge(self, answer: httpx2.Response, token: str) -> FlexTokenInfo:
        status, host = answer.status_code, self._host
        if status == _TOO_MANY_REQUESTS:
            msg = f"{host} answered 429 Too Many Requests: retry later."
            raise FlexValidationUnavailableError(msg, status)
        if status >= _SERVER_ERROR:
            msg = f"{host} answered {status}, a server error: retry later."
            raise FlexValidationUnavailableError(msg, status)
        body = _object(answer.content)
        if body is None:
            msg = (
                f"{host} answered {status} with a body that is not a JSON "
                f"object ({len(answer.content)} bytes)."
            )
            raise FlexValidationUnavailableError(msg, status)
        valid = body.get("valid")
        if valid is False:
            raise _invalid(body, token)
        if valid is True and _HTTP_OK <= status < _REDIRECT:
            try:
                return _info(body, host, status)
            except FlexValidationUnavailableError as e:
                scrubbed = _text(e.message, token) or ""
                raise FlexValidationUnavailableError(
                    scrubbed, status
                ) from None
        if status in _REFUSED:
            msg = (
                f"{host} answered {status}: Twilio refused this server's own "
                f"credentials ({_twilio_says(body, token)}); check the "
                "Account SID and the Auth Token or API key."
            )
            raise FlexValidationUnavailableError(msg, status)
        msg = (
            f"{host} answered {status} without a boolean 'valid' "
            f"({_twilio_says(body, token)})."
        )
        raise FlexValidationUnavailableError(msg, status)


def _body(token: str) -> bytes:
    return dumps({"token": token}).encode()


def _object(content: bytes) -> FrozenDict | None:
    if len(content) > _MAX_ANSWER:
        return None
    try:
        value = loads_frozen(content.decode())
    except ValueError:  # not UTF-8 (UnicodeDecodeError), or not JSON
        return None
    return value if isinstance(value, FrozenDict) else None


# Windows of this many characters, half overlapping, of each run of token
# characters in Twilio's text are looked for in the token.
_ECHO: Final = 12
_TOKEN_RUN: Final = re.compile(f"[A-Za-z0-9_-]{{{_ECHO},}}")
_MAX_TEXT: Final = 300


def _text(value: object, token: str) -> str | None:
    """
    Twilio's text, bounded, with anything that echoes the token cut out.

    The token is a bearer credential: a run of token characters that
    shares a stretch of 18 or more with it (the whole token, a segment, a
    prefix) is replaced, and the text is cut to 300 characters.
    """
    if not isinstance(value, str):
        return None
    text = _TOKEN_RUN.sub(
        lambda m: "<the token>" if _echoes(m.group(), token) else m.group(),
        str.__str__(value)[: _MAX_TEXT * 4],
    )
    return text if len(text) <= _MAX_TEXT else text[: _MAX_TEXT - 3] + "..."


def _echoes(run: str, token: str) -> bool:
    """Whether *run* shares a stretch of _ECHO characters with *token*."""
    half = _ECHO // 2
    # Windows of _ECHO, half overlapping, catch any shared stretch of
    # 1.5 * _ECHO; the last window catches one at the end.
    starts = [*range(0, len(run) - _ECHO + 1, half), len(run) - _ECHO]
    return any(run[i : i + _ECHO] in token for i in starts)


def _code(value: object) -> int | None:
    return value if type(value) is int else None


def _twilio_says(body: FrozenDict, token: str) -> str:
    code = _code(body.get("code"))
    message = _text(body.get("message"), token)
    return f"Twilio {code}: {show(message)}"


def _invalid(body: FrozenDict, token: str) -> InvalidFlexTokenError:
    message = _text(body.get("message"), token)
    return InvalidFlexTokenError(
        message or "Twilio says the Flex token is not valid.",
        _code(body.get("code")),
    )


def _optional_str(
    body: FrozenDict, name: str, host: str, status: int
) -> str | None:
    value = body.get(name)
    if value is None or isinstance(value, str):
        return value
    raise _malformed(value, name, host, status)


def _malformed(
    value: object, name: str, host: str, status: int
) -> FlexValidationUnavailableError:
    msg = (
        f"{host} said the Flex token is valid, but its answer's {name!r} is "
        f"{show(value)}, which this package cannot read."
    )
    return FlexValidationUnavailableError(msg, status)


def _expiration(value: object, host: str, status: int) -> datetime:
    if isinstance(value, str):
        text = value[:-1] + "+00:00" if value.endswith("Z") else value
        try:
            when = datetime.fromisoformat(text)
        except ValueError:
            pass
        else:
            if when.tzinfo is None:  # Twilio writes UTC
                when = when.replace(tzinfo=timezone.utc)
            return when.astimezone(timezone.utc)
    raise _malformed(value, "expiration", host, status)


def _info(body: FrozenDict, host: str, status: int) -> FlexTokenInfo:
    identity = body.get("identity")
    if not isinstance(identity, str) or not identity:
        raise _malformed(identity, "identity", host, status)
    roles = body.get("roles")
    if roles is None:
        roles = ()
    if not isinstance(roles, tuple) or not all(
        isinstance(r, str) for r in roles
    ):
        raise _malformed(roles, "roles", host, status)
    return FlexTokenInfo(
        identity=identity,
        roles=roles,
        worker_sid=_optional_str(body, "worker_sid", host, status),
        realm_user_id=_optional_str(body, "realm_user_id", host, status),
        expires_at=_expiration(body.get("expiration"), host, status),
        flex_instance_sid=_optional_str(
            body, "flex_instance_sid", host, status
        ),
        flex_user_sid=_optional_str(body, "flex_user_sid", host, status),
        raw=body,
    )
