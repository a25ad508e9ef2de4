"""
The ``twilio-tokens`` command: mint, decode and check from a terminal.

Secrets come from the environment only: a value on the command line would
show in ``ps`` and in shell history.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
import warnings

from typing import TYPE_CHECKING, Any, Final, NoReturn, TextIO

from . import _cli_flex
from ._check import check
from ._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
    FAKE_ACCOUNT_SID,
    FAKE_API_KEY_SECRET,
    FAKE_API_KEY_SID,
    read_env,
    spelled,
)
from ._decode import DecodedToken, decode, decode_unverified
from ._grants import (
    ChatGrant,
    CustomGrant,
    Grant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)
from ._json import FrozenDict, thaw
from ._time import human
from ._token import AccessToken
from .exceptions import (
    InvalidTokenError,
    MissingCredentialsError,
    TokenRefusedError,
    TokenWarning,
)


if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime

    from . import Problem


__all__ = ["main"]

_OK, _INVALID, _USAGE = 0, 1, 2
_EXPIRED: Final = 20104
_SIGNATURE: Final = 20107
_COLOURS: Final = {"error": "31", "warning": "33", "ok": "32", "dim": "2"}

_SECRET_SOURCE: Final = spelled(API_KEY_SECRET_VARS)
_DESCRIPTION = f"""\
Mint, decode and check Twilio Access Tokens.

Credentials come from the environment: {spelled(ACCOUNT_SID_VARS)},
{spelled(API_KEY_SID_VARS)} and {_SECRET_SOURCE}.
A secret is never read from the command line and never printed.
"""

_EPILOG = """\
exit status:
  0  fine: a token minted, or one Twilio would accept
       twilio-tokens mint --demo --identity alice --video
  1  an invalid token, or a problem Twilio rejects it for
       twilio-tokens decode not.a.jwt
  2  a usage error: a wrong flag or value, no credentials
       twilio-tokens mint --demo --ttl soon
  3  flex-validate: no answer from Twilio (timeout, 5xx, 429, ...)
"""

_MINT_EPILOG = """\
examples:
  twilio-tokens mint --demo --identity alice --voice-incoming
  twilio-tokens mint --identity alice --chat-service ISxxx --ttl 3600
  twilio-tokens mint --demo --identity alice --voice-incoming \\
      | twilio-tokens decode -
"""


def _clean(text: str) -> str:
    """
    Text from a token, made safe for a terminal.

    Control and format characters are escaped, so a token can neither
    move the cursor nor fake a line of ours.
    """
    if text.isprintable():
        return text
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode()
        for c in text
    )


class _UsageError(Exception):
    """A mistake on the command line: exit status 2."""


class _Output:
    """Where to print, and whether colour is wanted."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.colour = (
            stream.isatty()
            and "NO_COLOR" not in os.environ
            and os.environ.get("TERM") != "dumb"
        )

    def paint(self, text: str, style: str) -> str:
        if not self.colour:
            return text
        return f"\033[{_COLOURS[style]}m{text}\033[0m"

    def line(self, text: str = "") -> None:
        encoding = getattr(self.stream, "encoding", None) or "utf-8"
        # A token may hold text the terminal cannot show (a lone
        # surrogate): show it escaped rather than fail half-way.
        text = text.encode(encoding, "backslashreplace").decode(encoding)
        print(text, file=self.stream)


# ------------------------------------------------------------------ parser


class _Version(argparse.Action):
    """``--version``: importlib.metadata is imported only when asked."""

    def __init__(
        self,
        option_strings: Sequence[str],
        dest: str,
        stream: TextIO | None = None,
    ) -> None:
        super().__init__(
            option_strings,
            dest,
            nargs=0,
            default=argparse.SUPPRESS,
            help="print the version and exit",
        )
        self.stream = stream

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: object,
        option_string: str | None = None,
    ) -> NoReturn:
        del namespace, values, option_string  # nothing to store
        from importlib.metadata import version  # noqa: PLC0415

        stream = self.stream or sys.stdout
        print(f"twilio-tokens {version('twilio-tokens')}", file=stream)
        parser.exit()


# Digits are capped so a pasted blob is a clear mistake, not a huge int.
_DURATION: Final = re.compile(
    r"(\d{1,12})|(?:(\d{1,12})h)?(?:(\d{1,12})m)?(?:(\d{1,12})s)?",
    re.ASCII | re.IGNORECASE,
)


def _duration(text: str) -> int:
    """
    Seconds from ``3600``, ``90s``, ``30m``, ``1h`` or ``1h30m``.
    """
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        msg = (
            f"invalid duration {text!r}: give seconds (3600) or a duration "
            "such as 90s, 30m, 1h or 1h30m"
        )
        raise argparse.ArgumentTypeError(msg)
    plain, hours, minutes, secs = (int(g or 0) for g in match.groups())
    return plain + 3600 * hours + 60 * minutes + secs


def _key_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        msg = f"expected NAME=VALUE, got {text!r}"
        raise argparse.ArgumentTypeError(msg)
    return name, value


def _json_object(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError as e:
        msg = f"not JSON: {e}"
        raise argparse.ArgumentTypeError(msg) from e


def _custom(text: str) -> tuple[str, Any]:
    key, value = _key_value(text)
    return key, _json_object(value or "{}")


def _add_grant_flags(p: argparse.ArgumentParser) -> None:
    voice = p.add_argument_group("Voice grant")
    voice.add_argument(
        "--voice-incoming",
        action="store_true",
        help="allow incoming calls to the identity",
    )
    voice.add_argument(
        "--voice-app", metavar="AP…", help="TwiML App SID for outgoing calls"
    )
    voice.add_argument(
        "--voice-param",
        metavar="NAME=VALUE",
        type=_key_value,
        action="append",
        default=[],
        help="a parameter passed to the TwiML App (repeatable)",
    )
    voice.add_argument(
        "--voice-push-credential", metavar="CR…", help="push credential SID"
    )
    voice.add_argument("--voice-endpoint", metavar="ID", help="endpoint id")

    chat = p.add_argument_group("Conversations (chat) grant")
    chat.add_argument(
        "--chat-service", metavar="IS…", help="Conversation Service SID"
    )
    chat.add_argument("--chat-endpoint", metavar="ID", help="endpoint id")
    chat.add_argument("--chat-role", metavar="RL…", help="deployment role SID")
    chat.add_argument(
        "--chat-push-credential", metavar="CR…", help="push credential SID"
    )

    video = p.add_argument_group("Video grant")
    video.add_argument(
        "--video", action="store_true", help="a Video grant for any Room"
    )
    video.add_argument(
        "--video-room", metavar="NAME", help="restrict to one Room (name/SID)"
    )

    sync = p.add_argument_group("Sync grant")
    sync.add_argument(
        "--sync-service", metavar="IS…", help="Sync Service SID or 'default'"
    )
    sync.add_argument("--sync-endpoint", metavar="ID", help="endpoint id")

    tr = p.add_argument_group("TaskRouter grant")
    tr.add_argument("--taskrouter-workspace", metavar="WS…", help="Workspace")
    tr.add_argument("--taskrouter-worker", metavar="WK…", help="Worker")
    tr.add_argument(
        "--taskrouter-role",
        metavar="ROLE",
        help="'worker' or 'supervisor'",
    )

    other = p.add_argument_group("Live playback and other grants")
    other.add_argument(
        "--playback-grant",
        metavar="JSON",
        type=_json_object,
        help="the grant Twilio's PlaybackGrant API returned, as JSON",
    )
    other.add_argument(
        "--grant",
        metavar="KEY=JSON",
        type=_custom,
        action="append",
        default=[],
        help="any other grant, e.g. flex_insights={} (repeatable)",
    )


def _parser(stdout: TextIO | None = None) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="twilio-tokens",
        description=_DESCRIPTION,
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action=_Version, stream=stdout)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True

    mint = sub.add_parser(
        "mint",
        help="mint a token and print it",
        description="Mint an Access Token and print the JWT.",
        epilog=_MINT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    mint.add_argument(
        "--demo",
        action="store_true",
        help="use built-in, obviously fake credentials (no account needed)",
    )
    mint.add_argument("--identity", help="the user's identity")
    mint.add_argument(
        "--ttl",
        type=_duration,
        default=3600,
        metavar="DURATION",
        help="lifetime: seconds, or 90s, 30m, 1h, 1h30m (default 1h)",
    )
    mint.add_argument("--region", help="Twilio Region of the key (twr)")
    mint.add_argument("--nbf", type=int, help="not before, epoch seconds")
    mint.add_argument(
        "--valid-until", type=int, help="expiry, epoch seconds (wins over ttl)"
    )
    mint.add_argument("--jti", help="a fixed token id")
    mint.add_argument(
        "--json", action="store_true", help="print the decoded view as JSON"
    )
    _add_grant_flags(mint)

    for name, what in (
        ("decode", "show a token's header, claims, grants and times"),
        ("check", "list the problems Twilio would find"),
    ):
        p = sub.add_parser(
            name,
            help=what,
            description=(
                f"{what[0].upper()}{what[1:]}. The signature is verified "
                f"when {_SECRET_SOURCE} is set, "
                "or with --demo for tokens minted with --demo."
            ),
        )
        p.add_argument(
            "token",
            nargs="?",
            default="-",
            help=(
                "the JWT, or - (the default) to read it from stdin; a "
                "pasted 'Bearer ...' or quoted token is accepted"
            ),
        )
        p.add_argument(
            "--demo",
            action="store_true",
            help="verify with the built-in demo secret",
        )
        p.add_argument("--json", action="store_true", help="print JSON")
    _cli_flex.add_parser(sub)
    return parser


# ------------------------------------------------------------------ mint


def _grants(args: argparse.Namespace) -> list[Grant]:
    grants: list[Grant] = []
    if (
        args.voice_incoming
        or args.voice_app
        or args.voice_push_credential
        or args.voice_endpoint
    ):
        grants.append(
            VoiceGrant(
                incoming_allow=args.voice_incoming or None,
                outgoing_application_sid=args.voice_app,
                outgoing_application_params=dict(args.voice_param) or None,
                push_credential_sid=args.voice_push_credential,
                endpoint_id=args.voice_endpoint,
            )
        )
    elif args.voice_param:
        msg = "--voice-param needs --voice-app"
        raise _UsageError(msg)
    if (
        args.chat_service
        or args.chat_endpoint
        or args.chat_role
        or args.chat_push_credential
    ):
        grants.append(
            ChatGrant(
                service_sid=args.chat_service,
                endpoint_id=args.chat_endpoint,
                deployment_role_sid=args.chat_role,
                push_credential_sid=args.chat_push_credential,
            )
        )
    if args.video or args.video_room:
        grants.append(VideoGrant(room=args.video_room))
    if args.sync_service or args.sync_endpoint:
        grants.append(
            SyncGrant(
                service_sid=args.sync_service, endpoint_id=args.sync_endpoint
            )
        )
    if (
        args.taskrouter_workspace
        or args.taskrouter_worker
        or args.taskrouter_role
    ):
        grants.append(
            TaskRouterGrant(
                workspace_sid=args.taskrouter_workspace,
                worker_sid=args.taskrouter_worker,
                role=args.taskrouter_role,
            )
        )
    if args.playback_grant is not None:
        grants.append(PlaybackGrant(grant=args.playback_grant))
    grants.extend(CustomGrant(key=k, claims=v) for k, v in args.grant)
    return grants


def _mint(args: argparse.Namespace, out: _Output, err: _Output) -> int:
    kwargs: dict[str, Any] = {
        "identity": args.identity,
        "grants": _grants(args),
        "ttl": args.ttl,
        "region": args.region,
        "nbf": args.nbf,
        "valid_until": args.valid_until,
        "jti": args.jti,
    }
    # Every warning minting raises goes to stderr, so stdout stays the
    # token alone, ready for a pipe.
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", TokenWarning)
        try:
            jwt = _sign(args.demo, kwargs)
        finally:
            for w in caught:
                err.line(f"warning: {_clean(str(w.message))}")
    if args.json:
        # We just signed it: verified, without a second look.
        view = _json_view(decode_unverified(jwt), verified=True)
        out.line(json.dumps({"token": jwt, **view}, indent=2))
    else:
        out.line(jwt)
    return _OK


def _sign(demo: bool, kwargs: dict[str, Any]) -> str:
    if demo:
        return AccessToken(
            FAKE_ACCOUNT_SID, FAKE_API_KEY_SID, FAKE_API_KEY_SECRET, **kwargs
        ).to_jwt()
    try:
        token = AccessToken.from_env(**kwargs)
    except MissingCredentialsError as e:
        msg = (
            f"{e} No Twilio account at hand? Add --demo to mint with "
            "built-in, fake credentials."
        )
        raise _UsageError(msg) from e
    return token.to_jwt()


# ------------------------------------------------------------------ decode

_BEARER: Final = re.compile(r"bearer(?:\s+|$)", re.IGNORECASE)


def _unwrap(text: str) -> tuple[str, list[str]]:
    """
    A pasted token without its wrapping, and what was stripped.

    Copied from an ``Authorization`` header, a JSON body or a log line, a
    token comes as ``Bearer eyJ…``, ``"eyJ…"`` or with spaces around it.
    """
    stripped: dict[str, None] = {}
    while True:
        if text != text.strip():
            text = text.strip()
            stripped["whitespace"] = None
        elif len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
            text = text[1:-1]
            stripped["surrounding quotes"] = None
        elif (bearer := _BEARER.match(text)) is not None:
            text = text[bearer.end() :]
            stripped["a leading 'Bearer '"] = None
        else:
            return text, list(stripped)


def _read_token(arg: str, stdin: TextIO, err: _Output) -> str:
    if arg != "-":
        text = arg
    elif stdin.isatty():
        msg = "no token: pass one as an argument or pipe it to stdin"
        raise _UsageError(msg)
    else:  # a pipe ends its line: that is not pasted whitespace
        text = stdin.read().removesuffix("\n").removesuffix("\r")
    token, stripped = _unwrap(text)
    if not token:
        msg = "no token on stdin" if arg == "-" else "the token is empty"
        raise _UsageError(msg)
    if stripped:
        what = ", ".join(stripped[:-1])
        what = f"{what} and {stripped[-1]}" if what else stripped[0]
        err.line(f"twilio-tokens: note: stripped {what} from the token")
    return token


def _secret(args: argparse.Namespace) -> str | None:
    if args.demo:
        return FAKE_API_KEY_SECRET
    return read_env(os.environ, API_KEY_SECRET_VARS)


def _when(value: datetime | None, now: int, verb: tuple[str, str]) -> str:
    if value is None:
        return "-"
    delta = int(value.timestamp()) - now
    stamp = value.strftime("%Y-%m-%d %H:%M:%S UTC")
    relative = (
        f"{verb[0]} in {human(delta)}"
        if delta > 0
        else f"{verb[1]} {human(delta)} ago"
    )
    return f"{stamp} ({relative})"


def _message(p: Problem, exp: object, now: int) -> str:
    """
    The problem's message; an expired token's says when, in words.
    """
    if (
        p.code == _EXPIRED
        and p.field == "exp"
        and type(exp) is int
        and exp <= now
    ):
        return f"expired {human(now - exp)} ago; mint a fresh one."
    return p.message


def _json_view(
    token: DecodedToken, *, verified: bool | None
) -> dict[str, Any]:
    return {
        "header": thaw(token.header),
        "claims": thaw(token.claims),
        "verified": verified,
    }


def _problem_line(
    p: Problem, out: _Output, exp: object = None, now: int = 0
) -> str:
    code = "-" if p.code is None else str(p.code)
    text = _clean(f"{p.field}: {_message(p, exp, now)}")
    return f"{out.paint(p.severity, p.severity)} {code} {text}"


def _demo_hint(token: DecodedToken | None, args: argparse.Namespace) -> bool:
    """Whether *token* was minted with --demo but is read without it."""
    return (
        not args.demo
        and token is not None
        and token.api_key_sid == FAKE_API_KEY_SID
    )


_DEMO_HINT: Final = "a --demo token: add --demo to verify it"


def _shown(problems: tuple[Problem, ...], secret: str | None) -> list[Problem]:
    """
    The problems to print.

    Without a secret, our own line says the signature was not checked,
    in the command line's terms.
    """
    return [
        p for p in problems if secret is not None or p.field != "signature"
    ]


def _decode(
    args: argparse.Namespace, stdin: TextIO, out: _Output, err: _Output
) -> int:
    jwt = _read_token(args.token, stdin, err)
    secret = _secret(args)
    now = int(time.time())
    failure: InvalidTokenError | None = None
    token: DecodedToken | None = None
    if secret is not None:
        try:
            token = decode(jwt, secret, now=now)
        except InvalidTokenError as e:
            failure = e
    if token is None:
        token = decode_unverified(jwt)  # 20101 propagates to main()
    problems = check(token, api_key_secret=secret, now=now)
    exp = token.claims.get("exp")
    verified = None if secret is None else failure is None
    if args.json:
        view = _json_view(token, verified=verified)
        view["problems"] = [_problem_dict(p, exp, now) for p in problems]
        out.line(json.dumps(view, indent=2))
    else:
        _print_decoded(token, now, out)
        _print_signature(token, args, secret, problems, out)
        # check() lists what decode() refused, in more words: one line
        # each, never the same error twice.
        listed = {p.code for p in problems if p.severity == "error"}
        if failure is not None and failure.code not in listed:
            out.line(
                out.paint("error", "error")
                + _clean(f" {failure.code} {failure.field}: {failure}")
            )
        for p in _shown(problems, secret):
            out.line(_problem_line(p, out, exp, now))
    errors = failure is not None or any(
        p.severity == "error" for p in problems
    )
    return _INVALID if errors else _OK


def _print_signature(
    token: DecodedToken,
    args: argparse.Namespace,
    secret: str | None,
    problems: tuple[Problem, ...],
    out: _Output,
) -> None:
    hint = _demo_hint(token, args)
    if secret is None:
        why = _DEMO_HINT if hint else f"set {API_KEY_SECRET_VARS[0]} to verify"
        out.line(out.paint("signature not verified", "warning") + f" ({why})")
    elif not any(p.code == _SIGNATURE for p in problems):
        out.line(out.paint("signature verified", "ok"))
    elif hint:
        out.line(f"({_DEMO_HINT} with the demo secret)")


def _print_decoded(token: DecodedToken, now: int, out: _Output) -> None:
    rows = [
        ("Header", " ".join(f"{k}={v}" for k, v in token.header.items())),
        ("Account", token.account_sid or "-"),
        ("API key", token.api_key_sid or "-"),
        ("Identity", token.identity or "-"),
        ("Region", token.region or "us1 (default)"),
        ("Token id", token.jti or "-"),
        ("Issued", _when(token.issued_at, now, ("issued", "issued"))),
        ("Not before", _when(token.not_before, now, ("valid", "valid since"))),
        ("Expires", _when(token.expires_at, now, ("expires", "expired"))),
    ]
    for label, value in rows:
        out.line(f"{out.paint(f'{label:<11}', 'dim')}{_clean(value)}")
    out.line(out.paint("Grants", "dim"))
    listed = [
        _clean(f"  {key}: {json.dumps(thaw(value))}")
        for key, value in _grant_items(token.claims.get("grants"))
        if key != "identity"
    ]
    for row in listed or ["  (none)"]:
        out.line(row)


def _grant_items(grants: object) -> list[tuple[str, Any]]:
    return list(grants.items()) if isinstance(grants, FrozenDict) else []


def _problem_dict(
    p: Problem, exp: object = None, now: int = 0
) -> dict[str, Any]:
    return {
        "severity": p.severity,
        "code": p.code,
        "field": p.field,
        "message": _message(p, exp, now),
    }


def _check(
    args: argparse.Namespace, stdin: TextIO, out: _Output, err: _Output
) -> int:
    jwt = _read_token(args.token, stdin, err)
    secret = _secret(args)
    now = int(time.time())
    try:
        token: DecodedToken | None = decode_unverified(jwt)
    except InvalidTokenError:
        token = None  # check() reports it: 20101
    problems = check(token or jwt, api_key_secret=secret, now=now)
    exp = None if token is None else token.claims.get("exp")
    if args.json:
        view = [_problem_dict(p, exp, now) for p in problems]
        out.line(json.dumps(view, indent=2))
    else:
        shown = _shown(problems, secret)
        for p in shown:
            out.line(_problem_line(p, out, exp, now))
        if not shown:
            out.line(out.paint("no problems found", "ok"))
        hint = _demo_hint(token, args)
        if secret is None:
            why = (
                _DEMO_HINT if hint else f"{API_KEY_SECRET_VARS[0]} is not set"
            )
            out.line(f"(signature not verified: {why})")
        elif hint and any(p.code == _SIGNATURE for p in problems):
            out.line(f"({_DEMO_HINT} with the demo secret)")
    errors = any(p.severity == "error" for p in problems)
    return _INVALID if errors else _OK


# ------------------------------------------------------------------ main


def _fail(out: _Output, message: str, status: int) -> int:
    error = out.paint("error", "error")
    out.line(f"twilio-tokens: {error}: {_clean(message)}")
    return status


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """
    Run the command line; return the exit status.
    """
    out = _Output(stdout or sys.stdout)
    err = _Output(stderr or sys.stderr)
    try:
        args = _parser(out.stream).parse_args(argv)
    except SystemExit as e:  # argparse: --help is 0, a mistake is 2
        return int(e.code or 0)
    commands = {
        "mint": lambda: _mint(args, out, err),
        "decode": lambda: _decode(args, stdin or sys.stdin, out, err),
        "check": lambda: _check(args, stdin or sys.stdin, out, err),
        "flex-validate": lambda: _cli_flex.run(
            args, stdin or sys.stdin, out.stream, err.stream
        ),
    }
    try:
        return commands[args.command]()
    except (_UsageError, MissingCredentialsError) as e:
        return _fail(err, str(e), _USAGE)
    except TokenRefusedError as e:
        return _fail(err, str(e), _INVALID)
    except InvalidTokenError as e:
        return _fail(err, f"{e} (Twilio {e.code})", _INVALID)
    except (TypeError, ValueError) as e:
        return _fail(err, str(e), _USAGE)


def run() -> NoReturn:
    """The console script's entry point."""
    sys.exit(main())
