"""Forms of accounts: logging in, changing one's own password, and the administrator's account forms.

The forms only check what a form can (filled in, typed twice alike); the password rules
themselves (length, not the username, not a common one) live in ``sunshine.site.accounts``
and come back as that field's error.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Regexp

from ...models import ROLES
from .common import AdminForm, strip

USERNAME_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"


class LoginForm(AdminForm):
    username = StringField(_l("用户名"), filters=[strip], validators=[DataRequired(message=_l("请填写用户名。"))])
    password = PasswordField(_l("密码"), validators=[DataRequired(message=_l("请填写密码。"))])


def _new_password_fields(label: str) -> tuple[PasswordField, PasswordField]:
    return (
        PasswordField(label, validators=[DataRequired(message=_l("请填写%(label)s。", label=label))]),
        PasswordField(_l("再次输入新密码"), validators=[
            DataRequired(message=_l("请再次输入新密码。")),
            EqualTo("new_password", message=_l("两次输入的新密码不一致，请重新输入。"))]),
    )


class PasswordChangeForm(AdminForm):
    """The user's own change: the current password proves it is them."""

    current_password = PasswordField(_l("当前密码"), validators=[DataRequired(message=_l("请填写当前密码。"))])
    new_password, new_password_again = _new_password_fields(_l("新密码"))


class PasswordResetForm(AdminForm):
    """The administrator sets a new password for someone who forgot theirs."""

    new_password, new_password_again = _new_password_fields(_l("新密码"))


class UserCreateForm(AdminForm):
    username = StringField(_l("用户名"), filters=[strip], validators=[
        DataRequired(message=_l("请填写用户名。")), Length(max=64, message=_l("用户名最多64个字符。")),
        Regexp(USERNAME_PATTERN, message=_l("用户名只能用英文字母、数字和 . _ -，并以字母或数字开头。"))])
    display_name = StringField(_l("姓名"), filters=[strip], validators=[Length(max=100, message=_l("姓名最多100个字。"))])
    role = SelectField(_l("角色"), choices=[(role, _l(label)) for role, label in ROLES.items()], default="editor")
    department = SelectField(_l("所属部门"), choices=[], validate_choice=False)
    new_password, new_password_again = _new_password_fields(_l("初始密码"))
