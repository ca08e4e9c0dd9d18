"""The service item form (政务服务事项) with its tables of materials, steps and fees."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Optional, ValidationError

from sunshine.contract.codes import SERVICE_OBJECTS
from sunshine.contract.links import UNSAFE_LINK_MESSAGE, is_safe_link

from ...models import (
    CASE_TYPES,
    FEE_CATEGORIES,
    ITEM_TYPES,
    MATERIAL_FORMS,
    Fee,
    Material,
    ServiceItem,
    Step,
)
from .common import AdminForm, Code, RowForm, WholeNumber, kept_rows, max_length, strip

MARKDOWN_HINT = _l("可使用 Markdown：空一行分段，“- ”开头为列表，**加粗**。")

#: ServiceItem columns copied from the form as they are.
SCALARS = (
    "name", "item_type", "legal_basis", "conditions", "service_object", "statutory_days",
    "promised_days", "promised_note", "case_type", "visits_required", "online", "in_hall",
    "location", "hours", "consult_phone", "complaint_phone", "result_type", "effective_date",
)


def safe_link_field(form, field) -> None:
    """A link staff type must pass the contract's one link rule, or the form is shown again
    with what was typed and why (the publisher would otherwise drop it silently)."""
    if field.data and not is_safe_link(field.data):
        raise ValidationError(UNSAFE_LINK_MESSAGE)


def _days(label: str) -> IntegerField:
    return IntegerField(label, validators=[WholeNumber(0, 3650, required=_l("请填写%(label)s（工作日，可填0）。", label=label))])


class MaterialRow(RowForm):
    TEXT_FIELDS = ("name", "notes", "template_url")

    name = StringField(_l("材料名称"), filters=[strip],
                       validators=[DataRequired(message=_l("请填写材料名称。")), max_length(300)])
    form = SelectField(_l("材料形式"), choices=[(f, f) for f in MATERIAL_FORMS], default=MATERIAL_FORMS[0])
    copies = IntegerField(_l("份数"), default=1, validators=[WholeNumber(0, 999)])
    required = BooleanField(_l("必须提交"), default=True)
    notes = StringField(_l("备注"), filters=[strip], validators=[max_length(500)])
    template_url = StringField(_l("空白表格或样表链接"), filters=[strip],
                               validators=[max_length(500), safe_link_field])


class StepRow(RowForm):
    TEXT_FIELDS = ("name", "office", "description")

    name = StringField(_l("环节名称"), filters=[strip],
                       validators=[DataRequired(message=_l("请填写环节名称。")), max_length(200)])
    office = StringField(_l("办理机构或岗位"), filters=[strip], validators=[max_length(200)])
    days = IntegerField(_l("时限（工作日）"), default=0, validators=[WholeNumber(0, 3650)])
    description = StringField(_l("说明"), filters=[strip], validators=[max_length(500)])


class FeeRow(RowForm):
    TEXT_FIELDS = ("name", "standard", "basis", "approving_doc", "exemptions", "combined_bill")

    name = StringField(_l("收费项目"), filters=[strip],
                       validators=[DataRequired(message=_l("请填写收费项目名称。")), max_length(200)])
    standard = StringField(_l("收费标准"), filters=[strip],
                           validators=[DataRequired(message=_l("请填写收费标准。")), max_length(500)])
    basis = StringField(_l("收费依据"), filters=[strip], validators=[max_length(500)])
    approving_doc = StringField(_l("批准文件"), filters=[strip], validators=[max_length(300)])
    category = SelectField(_l("收费类别"), choices=[(c, c) for c in FEE_CATEGORIES], default=FEE_CATEGORIES[0])
    exemptions = StringField(_l("减免规定"), filters=[strip], validators=[max_length(500)])
    combined_bill = StringField(_l("一单收费名称"), filters=[strip], validators=[max_length(200)])


class ItemForm(AdminForm):
    code = StringField(_l("事项编码"), filters=[strip], validators=[
        DataRequired(message=_l("请填写事项编码。")), max_length(64), Code(ServiceItem)])
    name = StringField(_l("事项名称"), filters=[strip], validators=[
        DataRequired(message=_l("请填写事项名称。")), max_length(200)])
    department = SelectField(_l("实施部门"), validators=[DataRequired(message=_l("请选择实施部门。"))])
    item_type = SelectField(_l("事项类型"), choices=[("", _l("请选择"))] + [(t, t) for t in ITEM_TYPES],
                            validators=[DataRequired(message=_l("请选择事项类型。"))])
    service_object = SelectField(_l("服务对象"), choices=[(o, o.replace(",", "、")) for o in SERVICE_OBJECTS],
                                 default="自然人,法人")
    legal_basis = TextAreaField(_l("设定依据"), filters=[strip])
    conditions = TextAreaField(_l("受理条件"), filters=[strip])
    statutory_days = _days(_l("法定办结时限"))
    promised_days = _days(_l("承诺办结时限"))
    promised_note = StringField(_l("承诺时限说明"), filters=[strip], validators=[max_length(300)])
    case_type = SelectField(_l("办件类型"), choices=list(CASE_TYPES.items()), default="promised")
    visits_required = IntegerField(_l("到办事现场次数"), default=1, validators=[
        WholeNumber(0, 20, required=_l("请填写到办事现场次数（可填0）。"))])
    online = BooleanField(_l("可以网上办理"))
    in_hall = BooleanField(_l("进驻政务服务大厅"), default=True)
    location = StringField(_l("办理地点"), filters=[strip], validators=[max_length(300)])
    hours = StringField(_l("办理时间"), filters=[strip], validators=[max_length(300)])
    consult_phone = StringField(_l("咨询电话"), filters=[strip], validators=[max_length(100)])
    complaint_phone = StringField(_l("监督投诉电话"), filters=[strip], validators=[max_length(100)])
    result_type = StringField(_l("审批结果类型"), filters=[strip], validators=[max_length(100)])
    keywords = TextAreaField(_l("群众常用说法（检索关键词）"), filters=[strip])
    effective_date = DateField(_l("生效日期"), validators=[Optional()])
    materials = FieldList(FormField(MaterialRow), label=_l("申请材料"))
    steps = FieldList(FormField(StepRow), label=_l("办理流程"))
    fees = FieldList(FormField(FeeRow), label=_l("收费项目"))

    ROW_TABLES = ("materials", "steps", "fees")

    def apply_to(self, item: ServiceItem) -> None:
        """Copy the form onto the item (code and department are the view's business)."""
        for name in SCALARS:
            setattr(item, name, self[name].data)
        item.keywords = "\n".join(w.strip() for w in (self.keywords.data or "").splitlines() if w.strip())
        item.materials = [
            Material(position=i, name=r.name.data, form=r.form.data, copies=r.copies.data if r.copies.data is not None else 1,
                     required=r.required.data, notes=r.notes.data, template_url=r.template_url.data)
            for i, r in enumerate(kept_rows(self.materials))
        ]
        item.steps = [
            Step(position=i, name=r.name.data, office=r.office.data, days=r.days.data or 0,
                 description=r.description.data)
            for i, r in enumerate(kept_rows(self.steps))
        ]
        item.fees = [
            Fee(position=i, name=r.name.data, standard=r.standard.data, basis=r.basis.data,
                approving_doc=r.approving_doc.data, category=r.category.data,
                exemptions=r.exemptions.data, combined_bill=r.combined_bill.data)
            for i, r in enumerate(kept_rows(self.fees))
        ]
