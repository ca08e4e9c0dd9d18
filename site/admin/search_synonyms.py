"""检索同义词 (/admin/search/synonyms): the synonym groups of search, and the offices' own to add and delete.

The rules (who, which words, the audit entry, the reindex) are ``sunshine.site.search_synonyms``;
this module turns requests into those calls. A change also asks for a publish, because the
public site's search reads the office groups from the snapshot. Deleting takes two steps that
work without JavaScript: the row's 删除 link shows a confirmation, whose button posts.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select
from wtforms import SelectField, StringField

from .. import search_synonyms as synonyms
from ..db import db
from ..models import Department, SearchSynonym
from ..policy import scope
from ..roles import N_
from ..url_ids import whole_number
from . import bp
from .forms.common import AdminForm
from .permissions import Action, authorize, may, requires
from .site_build import rebuild_site

#: The department choice meaning "the centre's own group" (no department).
CENTRE_CHOICE = ""


class SynonymForm(AdminForm):
    words = StringField(_l("同义词"))
    department = SelectField(_l("所属部门"), choices=[], validate_choice=True)


def _department_choices() -> list[tuple[str, str]]:
    """The departments the user may add groups for: every one (and the centre) for the centre,
    one's own otherwise."""
    departments = scope(current_user, Action.MANAGE_SYNONYMS)
    stmt = select(Department).order_by(Department.code)
    if departments is not None:
        stmt = stmt.where(Department.id.in_(departments))
    choices = [(str(d.id), d.name) for d in db.session.scalars(stmt)]
    if departments is None:
        choices.insert(0, (CENTRE_CHOICE, _("中心（不属于某个部门）")))
    return choices


def _chosen_department(form: SynonymForm) -> Department | None:
    if form.department.data == CENTRE_CHOICE:
        return None
    department = db.session.get(Department, whole_number(form.department.data) or 0)
    if department is None:
        abort(404)
    return department


@bp.route("/search/synonyms", methods=["GET", "POST"])
@requires(Action.MANAGE_SYNONYMS)
def search_synonyms():
    choices = _department_choices()
    # Staff of one department add for it without choosing (the page shows it, posts nothing).
    form = SynonymForm(department=choices[0][0]) if len(choices) == 1 else SynonymForm()
    form.department.choices = choices
    if form.validate_on_submit():
        department = _chosen_department(form)
        authorize(Action.MANAGE_SYNONYMS, department_id=department.id if department is not None else None)
        try:
            group = synonyms.add_group(form.words.data, department, current_user)
        except synonyms.SynonymError as refused:
            db.session.rollback()
            form.words.errors = [*form.words.errors, str(refused)]
        else:
            flash(_("已添加检索同义词：%(words)s", words=group.words), "success")
            rebuild_site(N_("检索同义词已更新"), failed_prefix=N_("同义词已保存，但"))
            return redirect(url_for("admin.search_synonyms"))
    confirm = None
    if request.method == "GET" and request.args.get("delete"):
        confirm = _group_or_404(whole_number(request.args.get("delete"), low=1))
        authorize(Action.MANAGE_SYNONYMS, confirm)
    rows = synonyms.group_rows()
    return render_template(
        "admin/search_synonyms.html", form=form, repo_groups=synonyms.repo_synonyms().groups, rows=rows,
        deletable={row.id for row in rows if may(current_user, Action.MANAGE_SYNONYMS,
                                                 department_id=row.department_id)},
        confirm=confirm, max_words=synonyms.MAX_WORDS, max_length=synonyms.MAX_WORD_LENGTH,
    ), 400 if form.errors else 200


def _group_or_404(id: int | None) -> SearchSynonym:
    group = db.session.get(SearchSynonym, id) if id else None
    if group is None:
        abort(404)
    return group


@bp.post("/search/synonyms/delete")
@requires(Action.MANAGE_SYNONYMS)
def search_synonym_delete():
    group = _group_or_404(whole_number(request.form.get("id"), low=1))
    authorize(Action.MANAGE_SYNONYMS, group)
    words = group.words
    synonyms.delete_group(group, current_user)
    flash(_("已删除检索同义词：%(words)s", words=words), "success")
    rebuild_site(N_("检索同义词已更新"), failed_prefix=N_("同义词已删除，但"))
    return redirect(url_for("admin.search_synonyms"))


@bp.context_processor
def synonym_helpers() -> dict:
    """``manages_synonyms()`` for the navigation link."""
    return {"manages_synonyms": lambda: current_user.is_authenticated and may(current_user, Action.MANAGE_SYNONYMS)}
