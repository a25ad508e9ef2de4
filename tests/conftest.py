"""
Shared constants: fake, valid-format credentials and a fixed clock.
"""

SECRET = "test-secret-" * 3  # 36 bytes: PyJWT warns below 32
OTHER_SECRET = "other-secret-" * 3
ACCOUNT = "AC" + "0123456789abcdef" * 2
KEY = "SK" + "0123456789abcdef" * 2
NOW = 1_767_225_600  # 2026-01-01T00:00:00Z
APP = "AP" + "a" * 32
SERVICE = "IS" + "b" * 32
ROLE = "RL" + "c" * 32
CRED = "CR" + "d" * 32
WORKSPACE = "WS" + "e" * 32
WORKER = "WK" + "f" * 32
