"""Forms of the public intake; every message is Chinese, every field keeps what was typed."""

from __future__ import annotations

from wtforms import BooleanField, EmailField, HiddenField, RadioField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from sunshine.contract.codes import NOTIFY_CHANNELS

from ..models import COMPLAINT_CATEGORIES
from .form_base import ChoiceField, IntakeForm, Phone, PhoneField

#: A plausible e-mail address (the mail server has the last word; this catches typing slips).
EMAIL = r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$"
EMAIL_MESSAGE = "请填写正确的电子邮箱，如 zhangsan@example.com。"
#: 不需要 / 短信 / 电子邮件, as the radio buttons say them.
NOTIFY_CHOICES = [("", "不需要"), ("sms", NOTIFY_CHANNELS["sms"]), ("email", NOTIFY_CHANNELS["email"])]
SUBMISSION_MESSAGE = "页面已失效，请刷新后重新提交。"
HONEYPOT_MESSAGE = "提交未成功，请刷新页面后重新填写。"


class NotifiedForm(IntakeForm):
    """Private contact and how to be told of progress: what the complaint and question forms share.

    SMS needs a mobile number and e-mail an address: each choice says what is missing.
    """

    contact_name = StringField("您的姓名（仅用于回访，不公开）",
                               validators=[Optional(), Length(max=50, message="姓名不能超过50个字。")])
    contact_phone = PhoneField("联系电话（仅用于回访和短信通知，不公开）", validators=[Optional(), Phone()])
    contact_email = EmailField(
        "电子邮箱（选填，仅用于邮件通知，不公开）",
        validators=[Optional(), Length(max=200, message="电子邮箱不能超过200个字符。"),
                    Regexp(EMAIL, message=EMAIL_MESSAGE)])
    notify_by = RadioField(
        "通过短信或电子邮件告知查询码和办理进度",
        choices=NOTIFY_CHOICES, default="", validate_choice=False,
        validators=[AnyOf([value for value, _ in NOTIFY_CHOICES], message="请从列表中选择通知方式。")])
    #: One random key per rendering of the form: a refreshed or double-clicked post files once.
    submission = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{16,64}$", message=SUBMISSION_MESSAGE)])
    #: A honeypot: hidden from people (CSS, aria-hidden, no tab stop); only a robot fills it in.
    website = StringField("网址（请勿填写）", validators=[Optional()])

    def validate_notify_by(self, field) -> None:
        if field.data == "sms" and not (self.contact_phone.data or "").startswith("1"):
            raise ValidationError("选择短信通知时，请在“联系电话”中填写11位手机号码。")
        if field.data == "email" and not self.contact_email.data:
            raise ValidationError("选择电子邮件通知时，请填写电子邮箱。")

    @property
    def contact(self) -> dict[str, str]:
        """The private contact as stored (what the citizen did not fill in is "")."""
        return {"contact_name": self.contact_name.data or "", "contact_phone": self.contact_phone.data or "",
                "contact_email": self.contact_email.data or "", "notify_by": self.notify_by.data or ""}


class ComplaintForm(NotifiedForm):
    department = ChoiceField("被投诉部门", validators=[DataRequired(message="请选择被投诉的部门。")])
    item = ChoiceField("涉及事项（可不选）", validators=[Optional()])
    category = ChoiceField(
        "投诉类别",
        choices=[("", "请选择")] + [(c, c) for c in COMPLAINT_CATEGORIES],
        validators=[DataRequired(message="请选择投诉类别。")],
    )
    subject = StringField(
        "投诉标题",
        validators=[DataRequired(message="请填写投诉标题。"), Length(max=100, message="标题不能超过100个字。")],
    )
    content = TextAreaField(
        "投诉内容",
        validators=[
            DataRequired(message="请填写投诉内容。"),
            Length(min=10, max=3000, message="投诉内容请写10至3000个字，说清时间、地点和经过。"),
        ],
    )
    publish_consent = BooleanField("同意在办结后匿名公开投诉及处理结果（姓名、电话等个人信息不会公开）")


class LookupForm(IntakeForm):
    tracking_no = StringField(
        "投诉编号",
        validators=[DataRequired(message="请填写投诉编号。"), Length(max=32, message="投诉编号格式不对。")],
    )
    query_code = StringField(
        "查询码",
        validators=[DataRequired(message="请填写查询码。"), Length(max=16, message="查询码格式不对。")],
    )
