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

from typing import TYPE_CHECKING, Any, Final, NamedTuple, NoReturn, TextIO

from . import _cli_flex
from ._check import check
from ._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
    FAKE_ACCOUNT_SID,
    FAKE_API_KEY_SECRET,
    FAKE_API_KEY_SID,
    check_secret,
    read_env,
    spelled,
)
from ._decode import DecodedToken, decode_unverified
from ._fields import is_sid, show_sid, sid_rule
from ._grants import BUILTIN_GRANTS, CustomGrant, Grant
from ._json import FrozenDict, loads_frozen, show, thaw
from ._jws import MAX_TOKEN_LENGTH
from ._time import human
from ._token import AccessToken
from .exceptions import (
    InvalidTokenError,
    MissingCredentialsError,
    TokenWarning,
)


if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from datetime import datetime

    from . import Problem


__all__ = ["main"]

_OK, _INVALID, _USAGE = 0, 1, 2
# What decode and check read: a token, with room for what is pasted around
# it (quotes, "Bearer ", a token endpoint's JSON body). Nothing longer is
# read, so no input costs more than this much to refuse.
MAX_INPUT_LENGTH: Final = MAX_TOKEN_LENGTH + 4096
_EXPIRED: Final = 20104
_COLOURS: Final = {"error": "31", "warning": "33", "ok": "32", "dim": "2"}

_SECRET_SOURCE: Final = spelled(API_KEY_SECRET_VARS)
_ACCOUNT_SOURCE: Final = spelled(ACCOUNT_SID_VARS)
_KEY_SOURCE: Final = spelled(API_KEY_SID_VARS)
_DESCRIPTION = f"""\
Mint, decode and check Twilio Access Tokens.

Credentials come from the environment: {_ACCOUNT_SOURCE},
{_KEY_SOURCE} and {_SECRET_SOURCE}.
A secret is never read from the command line and never printed.
"""

_EPILOG = """\
exit status:
  0  fine: a token minted, or one Twilio would accept
       twilio-tokens mint --demo --identity alice --video
  1  an invalid token, or a problem Twilio rejects it for (check --strict:
     a warning too)
       twilio-tokens decode not.a.jwt
  2  a usage error: a wrong flag or value (one mint refuses included), no
     credentials
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


class _Streams:
    """What a command reads and writes."""

    __slots__ = ("err", "out", "stdin")

    def __init__(self, stdin: TextIO, out: _Output, err: _Output) -> None:
        self.stdin = stdin
        self.out = out
        self.err = err


# ------------------------------------------------------------------ parser

_MAX_USAGE_MESSAGE: Final = 300


class _Parser(argparse.ArgumentParser):
    """argparse, whose messages never echo a pasted blob whole."""

    def error(self, message: str) -> NoReturn:
        if len(message) > _MAX_USAGE_MESSAGE:
            message = message[:_MAX_USAGE_MESSAGE] + "… (cut)"
        super().error(message)


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
_DIGITS: Final = re.compile(r"\d{1,12}", re.ASCII)


def _duration(text: str) -> int:
    """
    Seconds from ``3600``, ``90s``, ``30m``, ``1h`` or ``1h30m``.
    """
    match = _DURATION.fullmatch(text)
    if not text or match is None:
        msg = (
            f"invalid duration {show(text)}: give seconds (3600) or a "
            "duration such as 90s, 30m, 1h or 1h30m"
        )
        raise argparse.ArgumentTypeError(msg)
    plain, hours, minutes, secs = (int(g or 0) for g in match.groups())
    return plain + 3600 * hours + 60 * minutes + secs


def _key_value(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name:
        msg = f"expected NAME=VALUE, got {show(text)}"
        raise argparse.ArgumentTypeError(msg)
    return name, value


def _epoch(text: str) -> int:
    """Epoch seconds: digits only, capped like a duration's."""
    if _DIGITS.fullmatch(text) is None:
        msg = f"invalid epoch seconds {show(text)}: give up to 12 digits"
        raise argparse.ArgumentTypeError(msg)
    return int(text)


def _flag_json(text: str) -> Any:
    """
    A flag's JSON, read by the package's bounded parser.

    Nesting past its depth, huge integers and NaN are usage errors, never
    a RecursionError.
    """
    try:
        return loads_frozen(text)
    except ValueError as e:
        msg = f"not JSON: {e}"
        raise argparse.ArgumentTypeError(msg) from e


def _custom(text: str) -> tuple[str, Any]:
    key, value = _key_value(text)
    return key, _flag_json(value or "{}")


def _mintable_grants() -> list[type[Any]]:
    """The grant classes the command line mints: all but the legacy ones."""
    return [
        cls for cls in BUILTIN_GRANTS.values() if cls.product.successor is None
    ]


def _dest(flag: str) -> str:
    return flag.removeprefix("--").replace("-", "_")


def _add_grant_flags(p: argparse.ArgumentParser) -> None:
    """An option group per product, from its grant's declarations."""
    for cls in _mintable_grants():
        group = p.add_argument_group(f"{cls.product.name} grant")
        if cls.product.cli_flag is not None:
            group.add_argument(
                cls.product.cli_flag,
                action="store_true",
                help=cls.product.cli_help,
            )
        for _, claim in cls.fields:
            if claim.kind == "bool":
                group.add_argument(
                    claim.flag, action="store_true", help=claim.help
                )
            elif claim.metavar == "NAME=VALUE":
                group.add_argument(
                    claim.flag,
                    metavar=claim.metavar,
                    type=_key_value,
                    action="append",
                    default=[],
                    help=claim.help,
                )
            elif claim.kind == "json":
                group.add_argument(
                    claim.flag,
                    metavar=claim.metavar,
                    type=_flag_json,
                    help=claim.help,
                )
            else:
                group.add_argument(
                    claim.flag, metavar=claim.metavar, help=claim.help
                )
    other = p.add_argument_group("Other grants")
    other.add_argument(
        "--grant",
        metavar="KEY=JSON",
        type=_custom,
        action="append",
        default=[],
        help="any other grant, e.g. flex_insights={} (repeatable)",
    )


def _parser(stdout: TextIO | None = None) -> argparse.ArgumentParser:
    parser = _Parser(
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
    mint.add_argument("--nbf", type=_epoch, help="not before, epoch seconds")
    mint.add_argument(
        "--valid-until",
        type=_epoch,
        help="expiry, epoch seconds (wins over ttl)",
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
                "or with --demo for tokens minted with --demo. The token "
                f"must name the account of {_ACCOUNT_SOURCE} and the key "
                f"of {_KEY_SOURCE} when they are set (--demo: the demo "
                "ones); the flags below override them."
            ),
        )
        p.add_argument(
            "token",
            nargs="?",
            default="-",
            help=(
                "the JWT, or - (the default) to read it from stdin; a "
                "pasted 'Bearer ...', quoted token or a token endpoint's "
                'JSON body ({"token": ...}) is accepted, up to '
                f"{MAX_INPUT_LENGTH} characters"
            ),
        )
        p.add_argument(
            "--demo",
            action="store_true",
            help="verify with the built-in demo credentials",
        )
        p.add_argument(
            "--account-sid",
            metavar="AC…",
            help="the Account SID the token must name (sub)",
        )
        p.add_argument(
            "--api-key-sid",
            metavar="SK…",
            help="the API key SID the token must name (iss)",
        )
        p.add_argument(
            "--json",
            action="store_true",
            help="print JSON on stdout (a usage error stays text on stderr)",
        )
        if name == "check":
            p.add_argument(
                "--strict",
                action="store_true",
                help=(
                    "exit 1 on warnings too (a signature not verified "
                    "included)"
                ),
            )
    _cli_flex.add_parser(sub)
    return parser


# ------------------------------------------------------------------ mint


def _build_grants(args: argparse.Namespace) -> list[Grant]:
    """A grant for each product any of whose options is given."""
    grants: list[Grant] = []
    for cls in _mintable_grants():
        flags = {name: claim.flag for name, claim in cls.fields}
        values = {}
        for name, claim in cls.fields:
            value = getattr(args, _dest(claim.flag))
            if claim.metavar == "NAME=VALUE":
                _once_each(value, claim.flag)
                value = dict(value)
            values[name] = value or None  # an absent flag is unset
        for name, claim in cls.fields:
            needed = claim.requires
            if values[name] is not None and needed and values[needed] is None:
                msg = f"{claim.flag} needs {flags[needed]}"
                raise _UsageError(msg)
        chosen = cls.product.cli_flag is not None and getattr(
            args, _dest(cls.product.cli_flag)
        )
        if chosen or any(v is not None for v in values.values()):
            grants.append(cls(**values))
    grants.extend(CustomGrant(key=k, claims=v) for k, v in args.grant)
    return grants


def _once_each(pairs: list[tuple[str, str]], flag: str) -> None:
    """Refuse a NAME given twice: one value would replace the other."""
    seen: set[str] = set()
    for name, _ in pairs:
        if name in seen:
            msg = f"{flag} names {show(name)} twice; give each name once."
            raise _UsageError(msg)
        seen.add(name)


def _cmd_mint(args: argparse.Namespace, io: _Streams) -> int:
    out, err = io.out, io.err
    kwargs: dict[str, Any] = {
        "identity": args.identity,
        "grants": _build_grants(args),
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


# ------------------------------------------------------------------ input

_PASTED_BEARER: Final = re.compile(r"bearer(?:\s+|$)", re.IGNORECASE)
_JSON_BODY_NOTE: Final = 'read the "token" field of a JSON object'


def _unwrap(text: str) -> tuple[str, list[str]]:
    """
    A pasted token without its wrapping, and what was stripped.

    Copied from an ``Authorization`` header, a JSON body or a log line, a
    token comes as ``Bearer eyJ…``, ``"eyJ…"`` or with spaces around it.
    One pass: the wrapping is skipped by moving two indices inward, so the
    cost is linear in the text, however many layers it has.
    """
    stripped: dict[str, None] = {}
    start, end = 0, len(text)
    while start < end:
        if text[start].isspace() or text[end - 1].isspace():
            while start < end and text[start].isspace():
                start += 1
            while start < end and text[end - 1].isspace():
                end -= 1
            stripped["whitespace"] = None
        elif (
            end - start > 1
            and text[start] == text[end - 1]
            and text[start] in "\"'"
        ):
            start, end = start + 1, end - 1
            stripped["surrounding quotes"] = None
        elif (bearer := _PASTED_BEARER.match(text, start, end)) is not None:
            start = bearer.end()
            stripped["a leading 'Bearer '"] = None
        else:
            break
    return text[start:end], list(stripped)


_JSON_TYPES: Final = {
    str: "a string",
    int: "a number",
    float: "a number",
    bool: "a boolean",
    type(None): "null",
    tuple: "an array",
    FrozenDict: "an object",
}


def _token_field(text: str) -> str:
    """The ``token`` of a token endpoint's JSON body."""
    try:
        body = loads_frozen(text)
    except ValueError as e:
        msg = f"the input starts with '{{' but is not JSON: {e}"
        raise _UsageError(msg) from e
    # JSON that starts with "{" is an object: a FrozenDict.
    if "token" not in body:
        msg = (
            'a JSON object without a "token" field: its keys are '
            f"{show(tuple(body))}"
        )
        raise _UsageError(msg)
    token = body["token"]
    # Its value is not shown: whatever it is, it is not a token.
    if type(token) is not str:
        what = _JSON_TYPES[type(token)]
        msg = f'a JSON object whose "token" is {what}, not a string'
        raise _UsageError(msg)
    if not token:
        msg = 'a JSON object whose "token" is empty'
        raise _UsageError(msg)
    return token


def _read_token(arg: str, io: _Streams) -> str:
    if arg != "-":
        text, where = arg, "the token argument"
    elif io.stdin.isatty():
        msg = "no token: pass one as an argument or pipe it to stdin"
        raise _UsageError(msg)
    else:
        where = "stdin"
        # Never more than the bound (and a line ending, and one more to
        # tell a longer input): a pipe may not end.
        text = io.stdin.read(MAX_INPUT_LENGTH + 3)
        # A pipe ends its line: that is not pasted whitespace.
        text = text.removesuffix("\n").removesuffix("\r")
    if len(text) > MAX_INPUT_LENGTH:
        msg = (
            f"{where} is over {MAX_INPUT_LENGTH} characters, and is refused "
            f"unread: a token is at most {MAX_TOKEN_LENGTH} bytes."
        )
        raise _UsageError(msg)
    token, stripped = _unwrap(text)
    if not token:
        msg = "no token on stdin" if arg == "-" else "the token is empty"
        raise _UsageError(msg)
    if stripped:
        what = ", ".join(stripped[:-1])
        what = f"{what} and {stripped[-1]}" if what else stripped[0]
        io.err.line(f"twilio-tokens: note: stripped {what} from the token")
    if token.startswith("{"):
        token = _token_field(token)
        io.err.line(f"twilio-tokens: note: {_JSON_BODY_NOTE}")
    return token


# ------------------------------------------------------------ credentials


class _Credentials:
    """
    What decode and check verify with: a secret and the pinned SIDs.

    It has no repr of its own, so the secret cannot show.
    """

    __slots__ = ("account_sid", "api_key_sid", "demo", "secret")

    def __init__(
        self,
        secret: str | None,
        account_sid: str | None,
        api_key_sid: str | None,
        *,
        demo: bool,
    ) -> None:
        self.secret = secret
        self.account_sid = account_sid
        self.api_key_sid = api_key_sid
        self.demo = demo


def _pinned(
    flag: tuple[str, str | None], default: tuple[str, str | None], prefix: str
) -> str | None:
    """
    The SID a token must name: the flag's, else the default; or None.

    Both come as (where it was given, value); a value that is no SID is a
    usage error naming where, shown only as far as a SID slot may be.
    """
    where, value = flag if flag[1] is not None else default
    if value is not None and not is_sid(value, prefix):
        msg = f"{where} is {show_sid(value, prefix)}; it must be "
        raise _UsageError(msg + f"{sid_rule(prefix)}.")
    return value


def _credentials_from(args: argparse.Namespace) -> _Credentials:
    """
    The one source of decode's and check's secret and pinned SIDs.

    ``--demo`` means the demo credentials; otherwise the environment's.
    ``--account-sid`` and ``--api-key-sid`` override either.
    """
    secret: str | None
    account: str | None
    key: str | None
    if args.demo:
        secret, account, key = (
            FAKE_API_KEY_SECRET,
            FAKE_ACCOUNT_SID,
            FAKE_API_KEY_SID,
        )
    else:
        secret = read_env(os.environ, API_KEY_SECRET_VARS)
        if secret is not None:  # refused naming the variable, never shown
            secret = check_secret(secret, _SECRET_SOURCE)
        account = read_env(os.environ, ACCOUNT_SID_VARS)
        key = read_env(os.environ, API_KEY_SID_VARS)
    return _Credentials(
        secret,
        _pinned(
            ("--account-sid", args.account_sid),
            (_ACCOUNT_SOURCE, account),
            "AC",
        ),
        _pinned(("--api-key-sid", args.api_key_sid), (_KEY_SOURCE, key), "SK"),
        demo=args.demo,
    )


_DEMO_HINT: Final = "a --demo token: add --demo to verify it"
_SET_SECRET: Final = f"set {API_KEY_SECRET_VARS[0]} to verify"
_STRICT_UNVERIFIED: Final = (
    "(--strict: a signature not verified fails the check)"
)


def _status(problems: tuple[Problem, ...], *, strict: bool = False) -> int:
    """1 for an error problem (with *strict*, for any problem), else 0."""
    failing = ("error", "warning") if strict else ("error",)
    return _INVALID if any(p.severity in failing for p in problems) else _OK


# ------------------------------------------------------------------ output


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
    token: DecodedToken | None, *, verified: bool | None
) -> dict[str, Any]:
    return {
        "header": None if token is None else thaw(token.header),
        "claims": None if token is None else thaw(token.claims),
        "verified": verified,
    }


def _problem_line(
    p: Problem, out: _Output, exp: object = None, now: int = 0
) -> str:
    code = "-" if p.code is None else str(p.code)
    text = _clean(f"{p.field}: {_message(p, exp, now)}")
    return f"{out.paint(p.severity, p.severity)} {code} {text}"


def _problem_dict(
    p: Problem, exp: object = None, now: int = 0
) -> dict[str, Any]:
    return {
        "severity": p.severity,
        "code": p.code,
        "field": p.field,
        "message": _message(p, exp, now),
    }


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


# ------------------------------------------------------- decode and check


class _Judged(NamedTuple):
    """A token read by decode or check, and judged once."""

    token: DecodedToken | InvalidTokenError  # the error: not a JWT
    creds: _Credentials
    problems: tuple[Problem, ...]
    now: int

    @property
    def decoded(self) -> DecodedToken | None:
        return self.token if isinstance(self.token, DecodedToken) else None

    @property
    def exp(self) -> object:
        return None if self.decoded is None else self.decoded.claims.get("exp")

    @property
    def verified(self) -> bool | None:
        """
        Whether the signature was checked and matched; None: no secret.

        Only the signature counts: an expired token can be verified.
        """
        if self.creds.secret is None:
            return None
        return self.decoded is not None and not any(
            p.field == "signature" and p.severity == "error"
            for p in self.problems
        )

    def signature_line(self, out: _Output) -> str | None:
        """
        What decode and check say of the signature, in the same words.
        """
        if self.decoded is None:
            return None  # not a JWT: there is no signature to speak of
        demo_token = (
            not self.creds.demo
            and self.decoded.api_key_sid == FAKE_API_KEY_SID
        )
        verified = self.verified
        if verified is None:
            why = _DEMO_HINT if demo_token else _SET_SECRET
            return out.paint("signature not verified", "warning") + f" ({why})"
        if verified:
            return out.paint("signature verified", "ok")
        if demo_token:
            return f"({_DEMO_HINT} with the demo secret)"
        return None  # the 20107 problem line says it

    def lines(self, out: _Output) -> list[str]:
        """The problems as lines; check()'s "not checked" left to ours."""
        return [
            _problem_line(p, out, self.exp, self.now)
            for p in self.problems
            if self.creds.secret is not None or p.field != "signature"
        ]

    def json_problems(self) -> list[dict[str, Any]]:
        return [_problem_dict(p, self.exp, self.now) for p in self.problems]


def _read_and_judge(args: argparse.Namespace, io: _Streams) -> _Judged:
    """What decode and check share: the token read and judged once."""
    jwt = _read_token(args.token, io)
    creds = _credentials_from(args)
    now = int(time.time())
    try:
        token: DecodedToken | InvalidTokenError = decode_unverified(jwt)
    except InvalidTokenError as e:
        token = e  # check() reports it too: 20101
    problems = check(
        jwt,
        api_key_secret=creds.secret,
        account_sid=creds.account_sid,
        api_key_sid=creds.api_key_sid,
        now=now,
    )
    return _Judged(token, creds, problems, now)


def _cmd_decode(args: argparse.Namespace, io: _Streams) -> int:
    judged = _read_and_judge(args, io)
    out = io.out
    if args.json:
        view = _json_view(judged.decoded, verified=judged.verified)
        view["problems"] = judged.json_problems()
        out.line(json.dumps(view, indent=2))
        return _status(judged.problems)
    if isinstance(judged.token, InvalidTokenError):
        raise judged.token  # main() says it on stderr: not a JWT
    _print_decoded(judged.token, judged.now, out)
    for line in (judged.signature_line(out), *judged.lines(out)):
        if line is not None:
            out.line(line)
    return _status(judged.problems)


def _cmd_check(args: argparse.Namespace, io: _Streams) -> int:
    judged = _read_and_judge(args, io)
    out = io.out
    if args.json:
        out.line(json.dumps(judged.json_problems(), indent=2))
    else:
        lines = judged.lines(out) or [out.paint("no problems found", "ok")]
        signature = judged.signature_line(out)
        if signature is not None:
            lines.append(signature)
        if args.strict and judged.verified is None:
            lines.append(_STRICT_UNVERIFIED)
        for line in lines:
            out.line(line)
    return _status(judged.problems, strict=args.strict)


# ------------------------------------------------------------------ main

# The commands by name; each has its flags in _parser().
_COMMANDS: Final[dict[str, Callable[[argparse.Namespace, _Streams], int]]] = {
    "mint": _cmd_mint,
    "decode": _cmd_decode,
    "check": _cmd_check,
    "flex-validate": lambda args, io: _cli_flex.run(
        args, io.stdin, io.out.stream, io.err.stream
    ),
}


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
    io = _Streams(stdin or sys.stdin, out, err)
    try:
        return _COMMANDS[args.command](args, io)
    except (_UsageError, MissingCredentialsError) as e:
        return _fail(err, str(e), _USAGE)
    except InvalidTokenError as e:
        return _fail(err, f"{e} (Twilio {e.code})", _INVALID)
    except (TypeError, ValueError) as e:
        # A refused mint argument (TokenRefusedError is a ValueError) or
        # a bad value: a usage error.
        return _fail(err, str(e), _USAGE)


def run() -> NoReturn:
    """The console script's entry point."""
    sys.exit(main())
