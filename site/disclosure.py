"""The public face of each disclosure record: exactly the fields the snapshot carries.

Everything a record publishes is listed here and nowhere else, so a private or
internal column can only reach the public site by being added to this file.
"""

from __future__ import annotations

from typing import Any

from .models import Channel, Department, Notice, ServiceItem


def _person(name: str, post: str, phone: str) -> dict[str, str] | None:
    if not (name or post or phone):
        return None
    return {"name": name, "post": post, "phone": phone}


def department_fields(dept: Department) -> dict[str, Any]:
    return {
        "code": dept.code,
        "name": dept.name,
        "short_name": dept.short_name,
        "window": dept.window,
        "address": dept.address,
        "hours": dept.hours,
        "consult_phone": dept.consult_phone,
        "complaint_phone": dept.complaint_phone,
        "chief": _person(dept.chief_name, dept.chief_post, dept.chief_phone),
        "backup": _person(dept.backup_name, dept.backup_post, dept.backup_phone),
        "duties": dept.duties,
    }


def item_fields(item: ServiceItem) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name,
        "department": item.department.code,
        "item_type": item.item_type,
        "legal_basis": item.legal_basis,
        "conditions": item.conditions,
        "service_object": item.service_object,
        "statutory_days": item.statutory_days,
        "promised_days": item.promised_days,
        "promised_note": item.promised_note,
        "case_type": item.case_type,
        "visits_required": item.visits_required,
        "online": item.online,
        "in_hall": item.in_hall,
        "location": item.location,
        "hours": item.hours,
        "consult_phone": item.consult_phone,
        "complaint_phone": item.complaint_phone,
        "result_type": item.result_type,
        "fee_required": bool(item.fees),
        "keywords": item.keyword_list,
        "materials": [
            {
                "name": m.name,
                "form": m.form,
                "copies": m.copies,
                "required": m.required,
                "notes": m.notes,
                "template_url": m.template_url,
            }
            for m in item.materials
        ],
        "steps": [
            {"name": s.name, "office": s.office, "days": s.days, "description": s.description}
            for s in item.steps
        ],
        "fees": [
            {
                "name": f.name,
                "standard": f.standard,
                "basis": f.basis,
                "approving_doc": f.approving_doc,
                "category": f.category,
                "exemptions": f.exemptions,
                "combined_bill": f.combined_bill,
            }
            for f in item.fees
        ],
        "effective_date": item.effective_date.isoformat() if item.effective_date else None,
    }


def channel_fields(channel: Channel) -> dict[str, Any]:
    return {
        "code": channel.code,
        "kind": channel.kind,
        "name": channel.name,
        "contact": channel.contact,
        "hours": channel.hours,
        "office": channel.office,
        "response_days": channel.response_days,
        "notes": channel.notes,
    }


def notice_fields(notice: Notice) -> dict[str, Any]:
    return {
        "code": notice.code,
        "title": notice.title,
        "body": notice.body,
        "category": notice.category,
        "department": notice.department.code if notice.department else None,
        "date": notice.date.isoformat(),
    }


PUBLIC_FIELDS = {
    Department: department_fields,
    ServiceItem: item_fields,
    Channel: channel_fields,
    Notice: notice_fields,
}


def public_fields(record: Department | ServiceItem | Channel | Notice) -> dict[str, Any]:
    return PUBLIC_FIELDS[type(record)](record)
