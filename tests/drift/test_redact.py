"""Redaction: secrets out wherever they hide, personal data replaced by look-alikes."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actionpact.drift import RedactionRules, Redactor
from actionpact.drift._select import parse_rule_path

SECRETS = {"apiToken": "s3cr3t-T0KEN/xyz", "password": "p@ss word"}


@pytest.fixture
def redactor() -> Redactor:
    return Redactor(RedactionRules(), SECRETS)


def test_secret_values_are_replaced_in_every_form(redactor: Redactor) -> None:
    encoded = base64.b64encode(b"s3cr3t-T0KEN/xyz").decode()
    text = (
        f"Bearer s3cr3t-T0KEN/xyz ?t=s3cr3t-T0KEN%2Fxyz u=p%40ss+word v=p%40ss%20word b64={encoded}"
    )
    scrubbed, count = redactor.scrub(text)
    assert count == 5
    assert scrubbed == (
        "Bearer <credentials.apiToken> ?t=<credentials.apiToken> u=<credentials.password> "
        "v=<credentials.password> b64=<credentials.apiToken>"
    )


def test_secrets_in_keys_and_nested_values(redactor: Redactor) -> None:
    value, count = redactor.json({"s3cr3t-T0KEN/xyz": ["x", {"deep": "p@ss word!"}]})
    assert value == {"<credentials.apiToken>": ["x", {"deep": "<credentials.password>!"}]}
    assert count == 2


def test_short_credential_values_are_not_scrubbed_from_text() -> None:
    # A one-letter "secret" would blank out every word that contains it.
    redactor = Redactor(RedactionRules(), {"pin": "ab"})
    assert redactor.scrub("tab") == ("tab", 0)


def test_secret_headers_are_removed_and_the_rest_scrubbed(redactor: Redactor) -> None:
    kept, removed, count = redactor.headers(
        [
            ("Authorization", "Bearer x"),
            ("Set-Cookie", "a=1"),
            ("X-Session-Id", "abc"),
            ("X-Echo", "s3cr3t-T0KEN/xyz"),
            ("Date", "today"),
            ("Vary", "Accept"),
            ("Vary", "Origin"),
        ],
        drop_volatile=True,
    )
    assert kept == {"vary": "Accept, Origin", "x-echo": "<credentials.apiToken>"}
    assert removed == ("authorization", "set-cookie", "x-session-id")
    assert count == 1


def test_phone_numbers_keep_their_shape() -> None:
    redactor = Redactor(RedactionRules())
    for phone in ("+13175550123", "+44 20 7946 0958", "(317) 555-0123", "317.555.0123"):
        fake, count = redactor.text(f"call {phone} now")
        assert count == 1
        new = fake[len("call ") : -len(" now")]
        assert new != phone
        assert re.sub(r"\d", "9", new) == re.sub(r"\d", "9", phone)
        first = next(i for i, c in enumerate(phone) if c.isdigit())
        assert new[: first + 1] == phone[: first + 1]  # up to the first digit, kept


def test_the_same_number_in_two_formats_gets_the_same_digits() -> None:
    redactor = Redactor(RedactionRules())
    a, _ = redactor.text("+1 (317) 555-0123")
    b, _ = redactor.text("+13175550123")
    assert re.sub(r"\D", "", a) == re.sub(r"\D", "", b)


def test_email_keeps_its_shape_and_top_level_domain() -> None:
    redactor = Redactor(RedactionRules())
    fake, count = redactor.text("mail Ada.Lovelace@corp.example.org.")
    assert count == 1
    address = fake[len("mail ") : -1]
    assert re.fullmatch(r"[A-Z][a-z]{2}\.[A-Z][a-z]{7}@[a-z]{4}\.[a-z]{7}\.org", address)
    assert "Lovelace" not in address


def test_pseudonyms_depend_on_the_key() -> None:
    one = Redactor(RedactionRules.build(key="first"))
    two = Redactor(RedactionRules.build(key="second"))
    assert one.text("+13175550123") != two.text("+13175550123")
    assert one.text("+13175550123") == one.text("+13175550123")
    assert RedactionRules.build(key="first").summary()["keyed"] is True
    assert "first" not in repr(RedactionRules.build(key="first"))


def test_path_rules_keep_types() -> None:
    rules = RedactionRules.build(paths=["$.user", "$.ids[*]", "$..birthday", "$.items[1].name"])
    value, count = Redactor(rules).json(
        {
            "user": {"name": "Ada", "age": 36, "vip": True, "note": None, "score": 12.5},
            "ids": [123456, "c7b7ff89-eedc-486a-8456-6a774339bb55"],
            "profile": {"birthday": "1815-12-10"},
            "items": [{"name": "keep"}, {"name": "Bob"}],
        }
    )
    assert count == 5
    user = value["user"]
    assert isinstance(user["name"], str)
    assert len(user["name"]) == 3
    assert user["name"] != "Ada"
    assert isinstance(user["age"], int)
    assert 10 <= user["age"] <= 99
    assert user["vip"] is True
    assert user["note"] is None
    assert isinstance(user["score"], float)
    number, uuid = value["ids"]
    assert isinstance(number, int)
    assert len(str(number)) == 6
    assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", uuid)
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", value["profile"]["birthday"])
    assert value["items"][0]["name"] == "keep"
    assert value["items"][1]["name"] != "Bob"


def test_custom_patterns_and_no_defaults() -> None:
    rules = RedactionRules.build(patterns=[("member", r"M-\d{6}")], defaults=False)
    value, count = Redactor(rules).json({"m": "id M-123456", "mail": "a@b.example.com"})
    assert count == 1
    assert re.fullmatch(r"id M-\d{6}", value["m"])
    assert value["m"] != "id M-123456"
    assert value["mail"] == "a@b.example.com"


def test_bad_rules_are_value_errors() -> None:
    with pytest.raises(ValueError, match="unsupported syntax at position 4"):
        RedactionRules.build(paths=["$.a[?(@.b)]"])
    with pytest.raises(ValueError, match="starts with"):
        parse_rule_path("a.b")
    with pytest.raises(ValueError, match="pattern 'x'"):
        RedactionRules.build(patterns=[("x", "(")])


def test_rule_paths_parse() -> None:
    assert parse_rule_path("$['a b'].c[*][0]..d.*").steps == (
        (False, "a b"),
        (False, "c"),
        (False, None),
        (False, 0),
        (True, "d"),
        (False, None),
    )


@given(st.from_regex(r"\+[1-9]\d{7,13}", fullmatch=True))
def test_every_e164_number_stays_e164(phone: str) -> None:
    fake, count = Redactor(RedactionRules()).text(phone)
    assert count == 1
    assert re.fullmatch(r"\+[1-9]\d{7,13}", fake)
    assert len(fake) == len(phone)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_integers_keep_sign_and_length(number: int) -> None:
    fake = Redactor(RedactionRules()).pseudonymise(number)
    assert isinstance(fake, int)
    assert (fake < 0) == (number < 0)
    assert len(str(abs(fake))) == len(str(abs(number)))
