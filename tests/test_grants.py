"""
Grants: their JSON shapes, their validation and their inverse.
"""

import json
import pickle

import attrs
import pytest

from twilio_tokens import (
    ChatGrant,
    ConversationsGrant,
    CustomGrant,
    FrozenDict,
    IpMessagingGrant,
    PlaybackGrant,
    SyncGrant,
    TaskRouterGrant,
    VideoGrant,
    VoiceGrant,
)

from helpers import APP, CRED, ROLE, SERVICE, WORKER, WORKSPACE


SHAPES = [
    (
        ChatGrant(
            service_sid=SERVICE,
            endpoint_id="app:alice:device",
            deployment_role_sid=ROLE,
            push_credential_sid=CRED,
        ),
        "chat",
        {
            "service_sid": SERVICE,
            "endpoint_id": "app:alice:device",
            "deployment_role_sid": ROLE,
            "push_credential_sid": CRED,
        },
    ),
    (ChatGrant(service_sid=SERVICE), "chat", {"service_sid": SERVICE}),
    (
        VoiceGrant(
            incoming_allow=True,
            outgoing_application_sid=APP,
            outgoing_application_params={"to": "+15551234567", "n": 1},
            push_credential_sid=CRED,
            endpoint_id="ep",
        ),
        "voice",
        {
            "incoming": {"allow": True},
            "outgoing": {
                "application_sid": APP,
                "params": {"to": "+15551234567", "n": 1},
            },
            "push_credential_sid": CRED,
            "endpoint_id": "ep",
        },
    ),
    (VoiceGrant(incoming_allow=True), "voice", {"incoming": {"allow": True}}),
    (VoiceGrant(incoming_allow=False), "voice", {}),
    (
        VoiceGrant(
            outgoing_application_sid=APP, outgoing_application_params={}
        ),
        "voice",
        {"outgoing": {"application_sid": APP}},
    ),
    (VideoGrant(room="daily"), "video", {"room": "daily"}),
    (VideoGrant(), "video", {}),
    (
        SyncGrant(service_sid=SERVICE, endpoint_id="e"),
        "data_sync",
        {"service_sid": SERVICE, "endpoint_id": "e"},
    ),
    (
        SyncGrant(service_sid="default"),
        "data_sync",
        {"service_sid": "default"},
    ),
    (
        TaskRouterGrant(
            workspace_sid=WORKSPACE, worker_sid=WORKER, role="worker"
        ),
        "task_router",
        {"workspace_sid": WORKSPACE, "worker_sid": WORKER, "role": "worker"},
    ),
    (
        PlaybackGrant(
            grant={
                "requestCredentials": None,
                "playbackUrl": "https://example.invalid/x",
                "playerStreamerSid": "VJ" + "0" * 32,
            }
        ),
        "player",
        {
            "requestCredentials": None,
            "playbackUrl": "https://example.invalid/x",
            "playerStreamerSid": "VJ" + "0" * 32,
        },
    ),
    (PlaybackGrant(), "player", {}),
    (
        CustomGrant(
            key="flex_insights", claims={"roles": ["wfo.full_access"]}
        ),
        "flex_insights",
        {"roles": ["wfo.full_access"]},
    ),
]


class TestShapes:
    @pytest.mark.parametrize(
        ("grant", "key", "claims"),
        SHAPES,
        ids=[f"{s[1]}-{i}" for i, s in enumerate(SHAPES)],
    )
    def test_claims_have_the_canonical_shape(self, grant, key, claims):
        """
        Each grant maps to the JSON of docs/token-format.md, key order included.
        """
        assert key == grant.key
        assert claims == grant.to_claims()
        assert json.dumps(claims) == json.dumps(grant.to_claims())

    @pytest.mark.parametrize(
        ("grant", "key", "claims"),
        SHAPES,
        ids=[f"{s[1]}-{i}" for i, s in enumerate(SHAPES)],
    )
    def test_from_claims_is_the_inverse(self, grant, key, claims):
        """
        Rebuilding a grant from its claims gives an equal grant.
        """
        assert (
            grant == type(grant).from_claims(claims)
            if key
            in {"chat", "voice", "video", "data_sync", "task_router", "player"}
            else grant == CustomGrant(key=key, claims=claims)
        )

    def test_to_claims_returns_a_fresh_dict(self):
        """
        Mutating what to_claims() returned does not change the grant.
        """
        g = VoiceGrant(
            outgoing_application_sid=APP,
            outgoing_application_params={"a": {"b": 1}},
        )
        g.to_claims()["outgoing"]["params"]["a"]["b"] = 2

        assert {"a": {"b": 1}} == g.outgoing_application_params

    def test_caller_data_is_copied(self):
        """
        Mutating the caller's dict after construction changes nothing.
        """
        params = {"a": [1, 2]}
        playback = {"playbackUrl": "u"}
        v = VoiceGrant(
            outgoing_application_sid=APP, outgoing_application_params=params
        )
        p = PlaybackGrant(grant=playback)
        params["a"].append(3)
        playback["playbackUrl"] = "changed"

        assert {
            "outgoing": {"application_sid": APP, "params": {"a": [1, 2]}}
        } == v.to_claims()
        assert {"playbackUrl": "u"} == p.to_claims()

    def test_grants_are_frozen_hashable_and_picklable(self):
        """
        Grants are immutable values: hashable, equal by value, picklable.
        """
        g = VoiceGrant(
            outgoing_application_sid=APP,
            outgoing_application_params={"x": [1]},
        )
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            g.incoming_allow = True  # type: ignore[misc]

        assert hash(g) == hash(pickle.loads(pickle.dumps(g)))
        assert g == pickle.loads(pickle.dumps(g))
        assert (
            len(
                {
                    g,
                    VoiceGrant(
                        outgoing_application_sid=APP,
                        outgoing_application_params={"x": [1]},
                    ),
                }
            )
            == 1
        )

    def test_fields_are_keyword_only(self):
        """
        Grants take keywords only, so a field can never be misplaced.
        """
        with pytest.raises(TypeError):
            ChatGrant(SERVICE)  # type: ignore[misc]


class TestValidation:
    @pytest.mark.parametrize(
        ("build", "error", "match"),
        [
            (
                lambda: ChatGrant(service_sid="IS123"),
                ValueError,
                r"ChatGrant.service_sid must be a Service SID .*'IS123'",
            ),
            (
                lambda: ChatGrant(
                    service_sid=SERVICE, deployment_role_sid=SERVICE
                ),
                ValueError,
                r"deployment_role_sid must be a Role SID",
            ),
            (
                lambda: ChatGrant(
                    service_sid=SERVICE, push_credential_sid="CRxyz"
                ),
                ValueError,
                r"push_credential_sid .*'CRxyz'",
            ),
            (
                lambda: ChatGrant(service_sid=""),
                ValueError,
                r"ChatGrant.service_sid must be a Service SID",
            ),
            (
                lambda: ChatGrant(service_sid=SERVICE, endpoint_id=""),
                ValueError,
                r"ChatGrant.endpoint_id must not be empty",
            ),
            (
                lambda: ChatGrant(service_sid=42),
                TypeError,
                r"ChatGrant.service_sid must be .* got 42 \(int\)",
            ),
            (
                lambda: VoiceGrant(outgoing_application_sid="AP" + "g" * 32),
                ValueError,
                r"outgoing_application_sid must be a TwiML App SID",
            ),
            (
                lambda: VoiceGrant(incoming_allow="yes"),
                TypeError,
                r"VoiceGrant.incoming_allow must be a bool or None, got 'yes'",
            ),
            (
                lambda: VoiceGrant(outgoing_application_params={"a": 1}),
                ValueError,
                r"outgoing_application_params needs an outgoing_application_sid",
            ),
            (
                lambda: VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={1: "a"},
                ),
                TypeError,
                r"non-string key 1",
            ),
            (
                lambda: VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"a": float("nan")},
                ),
                ValueError,
                r"\['a'\] holds nan",
            ),
            (
                lambda: VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params={"a": object()},
                ),
                TypeError,
                r"not JSON-serialisable",
            ),
            (
                lambda: VoiceGrant(
                    outgoing_application_sid=APP,
                    outgoing_application_params=[("a", 1)],
                ),
                TypeError,
                r"must be a mapping",
            ),
            (
                lambda: VideoGrant(room=""),
                ValueError,
                r"VideoGrant.room must not be empty",
            ),
            (
                lambda: VideoGrant(room=5),
                TypeError,
                r"VideoGrant.room must be a str or None, got 5",
            ),
            (
                lambda: SyncGrant(service_sid="defaults"),
                ValueError,
                r"SyncGrant.service_sid must be a Service SID .* or 'default', got 'de'\.\.\. \(8 characters\)",
            ),
            (
                lambda: TaskRouterGrant(workspace_sid=WORKER),
                ValueError,
                r"workspace_sid must be a TaskRouter Workspace SID",
            ),
            (
                lambda: TaskRouterGrant(worker_sid=WORKSPACE),
                ValueError,
                r"worker_sid must be a TaskRouter Worker SID",
            ),
            (
                lambda: TaskRouterGrant(role=""),
                ValueError,
                r"TaskRouterGrant.role must not be empty",
            ),
            (
                lambda: PlaybackGrant(grant="url"),
                TypeError,
                r"PlaybackGrant.grant must be a mapping",
            ),
            (
                lambda: CustomGrant(key="identity"),
                ValueError,
                r"must not be 'identity'",
            ),
            (
                lambda: CustomGrant(key="voice"),
                ValueError,
                r"'voice' belongs to VoiceGrant",
            ),
            (lambda: CustomGrant(key=""), ValueError, r"must not be empty"),
            (lambda: CustomGrant(key=1), TypeError, r"must be a str, got 1"),
            (
                lambda: CustomGrant(key="x", claims={"a": {1, 2}}),
                TypeError,
                r"CustomGrant.claims\['a'\] holds \{1, 2\}",
            ),
        ],
        ids=[
            "chat-sid",
            "chat-role",
            "chat-cred",
            "chat-empty-sid",
            "chat-empty-endpoint",
            "chat-sid-type",
            "voice-app",
            "voice-allow-type",
            "voice-params-no-app",
            "voice-params-key",
            "voice-params-nan",
            "voice-params-object",
            "voice-params-list",
            "video-empty",
            "video-type",
            "sync-sid",
            "tr-workspace",
            "tr-worker",
            "tr-role-empty",
            "playback-type",
            "custom-identity",
            "custom-builtin",
            "custom-empty",
            "custom-type",
            "custom-set",
        ],
    )
    def test_bad_field_is_refused_naming_field_and_value(
        self, build, error, match
    ):
        """
        A malformed field fails at construction, naming the field and value.
        """
        with pytest.raises(error, match=match):
            build()

    def test_str_subclasses_are_refused(self):
        """
        Only an exact str: a subclass could compare equal to other values.
        """

        class Folded(str):
            __slots__ = ()

            def __eq__(self, other):
                return (
                    isinstance(other, str)
                    and self.casefold() == other.casefold()
                )

            __hash__ = str.__hash__

        with pytest.raises(TypeError, match="SyncGrant.service_sid must be"):
            SyncGrant(service_sid=Folded("DEFAULT"))
        with pytest.raises(TypeError):
            VideoGrant(room=Folded("daily"))

    def test_upper_case_hex_is_accepted(self):
        """
        SIDs with upper-case hex digits are valid (the specs accept both).
        """
        assert (
            "AP" + "A" * 32
            == VoiceGrant(
                outgoing_application_sid="AP" + "A" * 32
            ).outgoing_application_sid
        )

    def test_huge_integers_are_refused_naming_the_field(self):
        """
        An integer no JSON reader keeps is refused with the field's name.
        """
        with pytest.raises(
            ValueError,
            match=r"CustomGrant.claims\['n'\] holds an integer of 13288 bits",
        ):
            CustomGrant(key="x", claims={"n": 10**4000})

    def test_custom_grant_from_claims(self):
        """
        CustomGrant.from_claims takes the key it cannot find in the claims.
        """
        assert CustomGrant(
            key="flex_insights", claims={"a": [1]}
        ) == CustomGrant.from_claims({"a": [1]}, key="flex_insights")

    def test_deep_nesting_is_refused(self):
        """
        Params nested deeper than 32 levels are refused, not recursed into.
        """
        deep: dict = {}
        for _ in range(40):
            deep = {"a": deep}

        with pytest.raises(ValueError, match="more than 32 deep"):
            VoiceGrant(
                outgoing_application_sid=APP, outgoing_application_params=deep
            )


class TestLenientDecoding:
    @pytest.mark.parametrize(
        ("cls", "claims", "expected"),
        [
            (VoiceGrant, {"incoming": {"allow": False}}, VoiceGrant()),
            (
                VoiceGrant,
                {"outgoing": {"application_sid": APP, "params": {}}},
                VoiceGrant(outgoing_application_sid=APP),
            ),
            (
                ChatGrant,
                {"service_sid": SERVICE, "endpoint_id": ""},
                ChatGrant(service_sid=SERVICE),
            ),
            (PlaybackGrant, None, PlaybackGrant()),
            (VideoGrant, None, VideoGrant()),
            (TaskRouterGrant, {"role": ""}, TaskRouterGrant()),
        ],
        ids=[
            "allow-false",
            "params-empty",
            "empty-string",
            "player-null",
            "null",
            "tr-empty",
        ],
    )
    def test_official_helper_variants_decode(self, cls, claims, expected):
        """
        Variants that other official helpers emit read as unset fields.
        """
        assert expected == cls.from_claims(claims)

    @pytest.mark.parametrize(
        ("cls", "claims", "match"),
        [
            (
                VoiceGrant,
                "voice",
                r"grants.voice must be a JSON object, got 'voice'",
            ),
            (
                VoiceGrant,
                {"incoming": True},
                r"grants.voice.incoming must be a JSON object",
            ),
            (
                VoiceGrant,
                {"incoming": {"allow": "yes"}},
                r"incoming_allow must be a bool",
            ),
            (
                VoiceGrant,
                {"outgoing": []},
                r"grants.voice.outgoing must be a JSON object",
            ),
            (ChatGrant, {"service_sid": 1}, r"ChatGrant.service_sid must be"),
            (PlaybackGrant, [1], r"grants.player must be a JSON object"),
        ],
        ids=[
            "not-object",
            "incoming",
            "allow",
            "outgoing",
            "sid-type",
            "player",
        ],
    )
    def test_wrong_json_types_are_type_errors(self, cls, claims, match):
        """
        A field of the wrong JSON type fails with TypeError naming it.
        """
        with pytest.raises(TypeError, match=match):
            cls.from_claims(claims)


class TestLegacy:
    def test_ip_messaging_warns_and_has_chat_shape(self):
        """
        IpMessagingGrant is deprecated and emits chat's fields.
        """
        with pytest.deprecated_call(
            match="IpMessagingGrant is a legacy grant; use ChatGrant"
        ):
            g = IpMessagingGrant(service_sid=SERVICE, endpoint_id="e")

        assert "ip_messaging" == g.key
        assert {"service_sid": SERVICE, "endpoint_id": "e"} == g.to_claims()
        assert g != ChatGrant(service_sid=SERVICE, endpoint_id="e")

    def test_conversations_warns_and_maps_to_rtc(self):
        """
        ConversationsGrant is deprecated and emits the rtc grant.
        """
        with pytest.deprecated_call(match="use VideoGrant"):
            g = ConversationsGrant(configuration_profile_sid="VS" + "1" * 32)

        assert "rtc" == g.key
        assert {"configuration_profile_sid": "VS" + "1" * 32} == g.to_claims()

    def test_decoding_legacy_grants_does_not_warn(self):
        """
        Reading a legacy grant from a token is not using it: no warning.
        """
        g = IpMessagingGrant.from_claims({"service_sid": SERVICE})
        r = ConversationsGrant.from_claims({})

        assert SERVICE == g.service_sid
        assert r.configuration_profile_sid is None

    def test_legacy_grants_still_validate(self):
        """
        The legacy grants check their fields like the current ones.
        """
        with (
            pytest.deprecated_call(),
            pytest.raises(ValueError, match="service_sid"),
        ):
            IpMessagingGrant(service_sid="nope")


class TestFrozenDict:
    def test_is_read_only(self):
        """
        A FrozenDict cannot be changed, item or attribute.
        """
        d = FrozenDict({"a": 1})
        with pytest.raises(TypeError):
            d["a"] = 2  # type: ignore[index]
        with pytest.raises(AttributeError, match="read-only"):
            d.x = 1

    def test_equality_and_hash(self):
        """
        It equals a dict with the same items and hashes regardless of order.
        """
        a, b = FrozenDict({"a": 1, "b": 2}), FrozenDict({"b": 2, "a": 1})

        assert a == {"a": 1, "b": 2}
        assert a == b
        assert hash(a) == hash(b)
        assert a != [("a", 1)]
        assert "FrozenDict({'a': 1, 'b': 2})" == repr(a)
        assert ["a", "b"] == list(a)
        assert 2 == len(a)
