"""Back-office accounts. Passwords are stored as salted hashes only (``sunshine.site.passwords``)."""

from __future__ import annotations

import datetime as dt

from flask_login import UserMixin
from sqlalchemy import Boolean, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from .. import clock, passwords
from ..db import UTCDateTime, db
from ..roles import Role
from .department import Department
from .user_grant import UserGrant

#: Role code -> Chinese label (declared in ``sunshine.site.roles``).
ROLES = {role.value: role.label for role in Role}


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[str] = mapped_column(String(16), default="editor")
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    #: When the password was last set (None: before this was recorded).
    password_changed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    department: Mapped[Department | None] = relationship()
    #: Roles held in further departments (``policy.grants``); the account's own role is the first grant.
    extra_grants: Mapped[list[UserGrant]] = relationship(lazy="selectin", cascade="all, delete-orphan")

    def set_password(self, password: str) -> None:
        """A new password: a new argon2id hash, and the moment it changed."""
        self.password_hash = passwords.hash_password(password)
        self.password_changed_at = clock.now()

    def check_password(self, password: str) -> bool:
        return passwords.verify_password(self.password_hash, password)

    def rehash_password_if_needed(self, password: str) -> bool:
        """After a successful check: replace a legacy or weaker hash of the same password.

        The password itself did not change, so ``password_changed_at`` stays. Returns whether
        the hash was replaced (the caller commits).
        """
        if not passwords.needs_rehash(self.password_hash):
            return False
        self.password_hash = passwords.hash_password(password)
        return True

    @property
    def is_active(self) -> bool:  # flask-login
        return self.active

    @property
    def role_label(self) -> str:
        return ROLES.get(self.role, self.role)
