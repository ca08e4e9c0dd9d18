"""Passwords: argon2id hashes, legacy werkzeug hashes upgraded at login, and the password rules."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update
from werkzeug.security import generate_password_hash

from sunshine.site import passwords
from sunshine.site.accounts import AccountError, check_new_password
from sunshine.site.db import db
from sunshine.site.models import User

from .conftest import post_login


@pytest.mark.real_password_hashing
def test_a_new_password_is_hashed_with_argon2id_at_full_strength():
    stored = passwords.hash_password("住建局-窗口-2026")
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
    assert passwords.verify_password(stored, "住建局-窗口-2026")
    assert not passwords.verify_password(stored, "住建局-窗口-2025")
    assert not passwords.needs_rehash(stored)


@pytest.mark.parametrize("method", ["scrypt", "pbkdf2:sha256:1000"])
def test_a_legacy_werkzeug_hash_still_verifies_and_needs_rehash(method):
    stored = generate_password_hash("editor-demo-2026", method=method)
    assert passwords.verify_password(stored, "editor-demo-2026")
    assert not passwords.verify_password(stored, "editor-demo-2027")
    assert passwords.needs_rehash(stored)


@pytest.mark.real_password_hashing
def test_an_argon2_hash_with_weaker_parameters_needs_rehash():
    weak = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1).hash("editor-demo-2026")
    assert passwords.verify_password(weak, "editor-demo-2026")
    assert passwords.needs_rehash(weak)


@pytest.mark.parametrize("stored", ["", "plain-text-password", "$argon2id$broken", "md5$abc$def"])
def test_a_malformed_stored_hash_never_matches(stored):
    assert not passwords.verify_password(stored, "plain-text-password")


def _store_legacy_hash(app, username: str, password: str) -> str:
    legacy = generate_password_hash(password, method="pbkdf2:sha256:1000")
    with app.app_context():
        db.session.execute(update(User).where(User.username == username).values(password_hash=legacy))
        db.session.commit()
    return legacy


def test_login_replaces_a_legacy_hash_with_argon2id(app, client, demo, account):
    _store_legacy_hash(app, "editor-zjj", "editor-demo-2026")
    changed_before = account("editor-zjj").password_changed_at
    assert post_login(client, "editor-zjj", "editor-demo-2026").status_code == 302
    stored = account("editor-zjj")
    assert stored.password_hash.startswith("$argon2id$")
    assert stored.password_changed_at == changed_before  # same password: not a password change
    assert post_login(app.test_client(), "editor-zjj", "editor-demo-2026").status_code == 302


def test_a_failed_login_leaves_a_legacy_hash_alone(app, client, demo, account):
    legacy = _store_legacy_hash(app, "editor-zjj", "editor-demo-2026")
    post_login(client, "editor-zjj", "editor-demo-2025")
    assert account("editor-zjj").password_hash == legacy


def test_a_good_password_passes_the_rules():
    check_new_password("青川住建-窗口2026", "editor-zjj")


@pytest.mark.parametrize(("password", "message"), [
    ("short-pw1", "密码至少10位，请设置更长的密码。"),
    ("住建局窗口的密码九", "密码至少10位，请设置更长的密码。"),
    ("Editor-Zhangsan", "密码不能与用户名相同，请另设一个。"),
    ("1234567890", "这个密码太常见，很容易被猜中，请另设一个。"),
    ("Password123", "这个密码太常见，很容易被猜中，请另设一个。"),
    ("woaini1314", "这个密码太常见，很容易被猜中，请另设一个。"),
])
def test_weak_passwords_are_refused_in_chinese(password, message):
    with pytest.raises(AccountError) as refused:
        check_new_password(password, "editor-zhangsan")
    assert str(refused.value) == message
    assert refused.value.field == "new_password"


@pytest.mark.real_password_hashing
def test_an_unknown_account_costs_a_full_verification_like_a_known_one(app, client, demo):
    """No timing shortcut tells an attacker which accounts exist (argon2id at full strength takes ~0.2 s)."""
    import time

    from sunshine.site.accounts import create_user

    with app.app_context():
        create_user("editor-ga", "清川公安-初始-2026", role="editor", department_code="ga")
    durations = {}
    for username in ("editor-ga", "editor-ga-typo"):
        started = time.perf_counter()
        post_login(client, username, "wrong-password-2026")
        durations[username] = time.perf_counter() - started
    assert min(durations.values()) >= 0.05, durations
