"""
The pytest plugin: fixtures with fake, valid-format Twilio credentials.

Registered through the ``pytest11`` entry point, so installing
*twilio-tokens* is enough.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from ._credentials import ENV
from .testing import Credentials, FakeFlexService, fake_credentials


if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def twilio_credentials() -> Credentials:
    """
    Fake credentials in Twilio's formats (the secret is 34 bytes).

    Pass them to :func:`~twilio_tokens.testing.assert_token`, or mint with
    ``twilio_credentials.mint(identity=…, grants=[…])``.
    """
    return fake_credentials()


@pytest.fixture
def twilio_env(
    monkeypatch: pytest.MonkeyPatch, twilio_credentials: Credentials
) -> Credentials:
    """
    The fake credentials, also set as ``TWILIO_*`` environment variables.

    Every spelling of the credential variables is cleared first, so
    ``AccessToken.from_env()`` in the code under test finds these and no
    real ones; pytest restores the environment after the test.
    """
    for names in ENV.values():  # no stray spelling may win over ours
        for name in names:
            monkeypatch.delenv(name, raising=False)
    for name, value in twilio_credentials.environ().items():
        monkeypatch.setenv(name, value)
    return twilio_credentials


@pytest.fixture
def twilio_flex() -> Iterator[FakeFlexService]:
    """
    A started fake of Twilio's Flex token validation, on 127.0.0.1.

    ``twilio_flex.issue(identity="alice")`` gives a token it answers
    valid for; point a ``FlexValidator`` at ``twilio_flex.base_url``.
    """
    with FakeFlexService() as fake:
        yield fake
