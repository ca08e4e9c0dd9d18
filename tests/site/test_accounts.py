"""Accounts: passwords stored as salted hashes, creation rules enforced."""

import pytest

from sunshine.site.accounts import AccountError, create_user
from sunshine.site.db import db
from sunshine.site.models import User


@pytest.mark.real_password_hashing
def test_password_is_stored_as_a_salted_argon2id_hash(app):
    with app.app_context():
        user = create_user("admin2", "很长的密码-2026-sunshine", role="admin")
        assert user.password_hash.startswith("$argon2id$v=19$m=65536,t=3,p=4$")
        assert "很长的密码" not in user.password_hash
        assert user.check_password("很长的密码-2026-sunshine")
        assert not user.check_password("很长的密码-2026-sunshinE")


def test_same_password_gives_different_hashes(app):
    with app.app_context():
        a = create_user("a-admin", "same-password-2026", role="admin")
        b = create_user("b-admin", "same-password-2026", role="admin")
        assert a.password_hash != b.password_hash


def test_duplicate_username_is_refused(app):
    with app.app_context():
        create_user("admin2", "long-enough-pw", role="admin")
        with pytest.raises(AccountError, match="已存在"):
            create_user("admin2", "long-enough-pw", role="admin")
        assert len(db.session.scalars(db.select(User)).all()) == 1
