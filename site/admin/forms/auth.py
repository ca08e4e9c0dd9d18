"""The login form."""

from __future__ import annotations

from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

from .common import AdminForm, strip


class LoginForm(AdminForm):
    username = StringField("用户名", filters=[strip], validators=[DataRequired(message="请填写用户名。")])
    password = PasswordField("密码", validators=[DataRequired(message="请填写密码。")])
