"""
twilio_tokens.flex as a user types it: checked by mypy --strict, never run.
"""

from datetime import datetime

from twilio_tokens import (
    FlexValidationUnavailableError,
    InvalidFlexTokenError,
    TwilioTokenError,
)
from twilio_tokens.flex import FlexTokenInfo, FlexValidator
from twilio_tokens.testing import FakeFlexService


def sync_use(token: str) -> tuple[str, tuple[str, ...], datetime]:
    with (
        FakeFlexService() as iam,
        FlexValidator(
            iam.account_sid,
            auth_token=iam.auth_token,
            base_url=iam.base_url,
            timeout=2.5,
        ) as validator,
    ):
        info: FlexTokenInfo = validator.validate(token)
        worker: str | None = info.worker_sid
        assert worker is None or worker.startswith("WK")
        assert isinstance(info.has_role("agent"), bool)
        return info.identity, info.roles, info.expires_at


async def async_use(token: str) -> str | None:
    async with FlexValidator(
        "AC" + "0" * 32,
        api_key_sid="SK" + "0" * 32,
        api_key_secret="s" * 32,
        realm="stage",
    ) as validator:
        try:
            info = await validator.avalidate(token)
        except InvalidFlexTokenError as e:
            code: int | None = e.code
            return f"{code} {e.message}"
        except FlexValidationUnavailableError as e:
            status: int | None = e.status
            return f"{status} {e.message}"
        except TwilioTokenError:
            return None
        return info.realm_user_id
