"""
``twilio-tokens flex-validate``: ask Twilio whether a Flex token is valid.

Kept apart from the other commands so that the HTTP client is imported
only when this one runs.
"""

from __future__ import annotations

import json
import os
import re

from typing import TYPE_CHECKING, Any, Final

from ._credentials import (
    ACCOUNT_SID_VARS,
    API_KEY_SECRET_VARS,
    API_KEY_SID_VARS,
    AUTH_TOKEN_VARS,
    read_env,
    spelled,
)
from .exceptions import FlexValidationUnavailableError, InvalidFlexTokenError


if TYPE_CHECKING:
    import argparse

    from typing import TextIO

    from .flex import FlexTokenInfo


__all__ = ["add_parser", "run"]

_EXIT_VALID, _EXIT_INVALID, _EXIT_USAGE, _UNAVAILABLE = 0, 1, 2, 3
_BEARER: Final = re.compile(r"bearer\s+", re.IGNORECASE)

_FLEX_DESCRIPTION = f"""\
Ask Twilio's IAM service whether a Flex token is valid, and show its agent.

Credentials come from the environment: {spelled(ACCOUNT_SID_VARS)} with
{spelled(AUTH_TOKEN_VARS)}, or with an API key: {spelled(API_KEY_SID_VARS)}
and {spelled(API_KEY_SECRET_VARS)} (used when both kinds are set).
The token is sent to Twilio only; no secret and no token is printed.
"""

_FLEX_EPILOG = """\
exit status:
  0  the token is valid
  1  the token is not valid (or cannot be a Flex token)
  2  a usage error: no credentials, a wrong flag or value
  3  no answer could be had: timeout, connection, 5xx, 429, refused
     credentials
"""


def add_parser(subparsers: Any) -> argparse.ArgumentParser:
    """
    Register ``flex-validate`` on the ``twilio-tokens`` parser.
    """
    import argparse  # noqa: PLC0415 - only the types are needed above

    p: argparse.ArgumentParser = subparsers.add_parser(
        "flex-validate",
        help="ask Twilio whether a Flex token is valid",
        description=_FLEX_DESCRIPTION,
        epilog=_FLEX_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "token",
        nargs="?",
        default="-",
        help="the Flex token, or - (the default) to read it from stdin",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--realm",
        help="a non-production realm such as 'stage' (default: production)",
    )
    p.add_argument(
        "--base-url",
        metavar="URL",
        help="replace https://iam.twilio.com (a proxy, or a fake service)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=5.0,
        metavar="SECONDS",
        help="seconds for each phase of the request (default 5)",
    )
    return p


def _printable(text: str) -> str:
    """*text* with control characters escaped, safe for a terminal."""
    return "".join(
        c if c.isprintable() else c.encode("unicode_escape").decode()
        for c in text
    )


def _read(arg: str, stdin: TextIO) -> str:
    if arg == "-" and stdin.isatty():
        msg = "no token: pass one as an argument or pipe it to stdin"
        raise LookupError(msg)
    text = (stdin.read() if arg == "-" else arg).strip()
    # As pasted from a header, a JSON string or a shell: Bearer, quotes.
    if len(text) > 1 and text[0] == text[-1] and text[0] in "\"'":
        text = text[1:-1].strip()
    bearer = _BEARER.match(text)
    return text[bearer.end() :] if bearer else text


def _validator_kwargs(environ: Any) -> dict[str, Any]:
    account = read_env(environ, ACCOUNT_SID_VARS)
    key = read_env(environ, API_KEY_SID_VARS)
    secret = read_env(environ, API_KEY_SECRET_VARS)
    token = read_env(environ, AUTH_TOKEN_VARS)
    if account is None:
        msg = f"{spelled(ACCOUNT_SID_VARS)} is not set."
        raise LookupError(msg)
    if key is not None and secret is not None:
        return {
            "account_sid": account,
            "api_key_sid": key,
            "api_key_secret": secret,
        }
    if token is not None:
        return {"account_sid": account, "auth_token": token}
    msg = (
        f"No credential: set {spelled(AUTH_TOKEN_VARS)}, or "
        f"{spelled(API_KEY_SID_VARS)} and {spelled(API_KEY_SECRET_VARS)}."
    )
    raise LookupError(msg)


def _info_dict(info: FlexTokenInfo) -> dict[str, Any]:
    return {
        "valid": True,
        "identity": info.identity,
        "roles": list(info.roles),
        "worker_sid": info.worker_sid,
        "realm_user_id": info.realm_user_id,
        "expires_at": info.expires_at.isoformat(),
        "flex_instance_sid": info.flex_instance_sid,
        "flex_user_sid": info.flex_user_sid,
    }


def _print_info(info: FlexTokenInfo, out: TextIO) -> None:
    rows = [
        ("Identity", info.identity),
        ("Roles", ", ".join(info.roles) or "-"),
        ("Worker", info.worker_sid or "-"),
        ("Realm user", info.realm_user_id or "-"),
        ("Expires", info.expires_at.strftime("%Y-%m-%d %H:%M:%S UTC")),
        ("Flex", info.flex_instance_sid or "-"),
        ("Flex user", info.flex_user_sid or "-"),
    ]
    print("valid Flex token", file=out)
    for label, value in rows:
        print(f"{label:<11}{_printable(value)}", file=out)


def _error(err: TextIO, message: str, status: int) -> int:
    print(f"twilio-tokens: error: {_printable(message)}", file=err)
    return status


def run(
    args: argparse.Namespace, stdin: TextIO, out: TextIO, err: TextIO
) -> int:
    """
    Run ``flex-validate``; return the exit status.
    """
    try:
        from .flex import FlexValidator  # noqa: PLC0415 - httpx2 on demand
    except ImportError as e:
        return _error(err, str(e), _EXIT_USAGE)
    try:
        validator = FlexValidator(
            **_validator_kwargs(os.environ),
            realm=args.realm,
            base_url=args.base_url,
            timeout=args.timeout,
        )
    except (LookupError, TypeError, ValueError) as e:
        return _error(err, str(e), _EXIT_USAGE)
    try:
        token = _read(args.token, stdin)
    except LookupError as e:
        return _error(err, str(e), _EXIT_USAGE)
    try:
        with validator:
            info = validator.validate(token)
    except InvalidFlexTokenError as e:
        if args.json:
            view = {"valid": False, "code": e.code, "message": e.message}
            print(json.dumps(view, indent=2), file=out)
        return _error(err, f"invalid Flex token: {e}", _EXIT_INVALID)
    except FlexValidationUnavailableError as e:
        if args.json:
            view = {"valid": None, "status": e.status, "error": e.message}
            print(json.dumps(view, indent=2), file=out)
        return _error(err, f"validation unavailable: {e}", _UNAVAILABLE)
    if args.json:
        print(json.dumps(_info_dict(info), indent=2), file=out)
    else:
        _print_info(info, out)
    return _EXIT_VALID
