"""Figure charts: which charts the figures page and the department pages show,
with their Chinese titles and descriptions (the description states the numbers,
so a screen reader hears what the eye sees).

Drawing is ``charts``'s job and every number comes from a ``figures.Row``;
nothing here computes a rate. Never reads or writes files, never imports Flask
or the site.
"""

from __future__ import annotations

from markupsafe import Markup

from sunshine.contract.figures import format_percent

from .charts import Bar, Series, department_bars, monthly_bars, rate_lines
from .figures import Figures, Unit


def veto_label(veto_percent: int) -> str:
    return f"一票否决线 {veto_percent}%"


def over_text(veto_percent: int) -> str:
    return f"超过{veto_percent}%"


def cases_chart(chart_id: str, unit: Unit) -> Markup:
    months = [row.label for row in unit.months]
    received = [row.count("cases_received") for row in unit.months]
    completed = [row.count("cases_completed") for row in unit.months]
    desc = (
        "；".join(
            f"{row.label}受理{row.count('cases_received')}件、办结{row.count('cases_completed')}件"
            for row in unit.months
        )
        or "暂无统计月份"
    )
    return monthly_bars(
        chart_id,
        f"{unit.short_name}各月受理和办结办件数",
        f"柱状图。{desc}。",
        months,
        [Series("受理", received), Series("办结", completed)],
    )


def satisfaction_chart(chart_id: str, unit: Unit, veto_percent: int) -> Markup:
    months = [row.label for row in unit.months]
    desc = (
        "；".join(
            f"{row.label}满意率{format_percent(row.rates['satisfaction'])}、"
            f"不满意率{format_percent(row.rates['dissatisfaction'])}"
            + (f"（{over_text(veto_percent)}）" if row.over_veto else "")
            for row in unit.months
        )
        or "暂无统计月份"
    )
    return rate_lines(
        chart_id,
        f"{unit.short_name}各月满意率和不满意率",
        f"折线图，虚线为{veto_label(veto_percent)}。{desc}。",
        months,
        [
            Series("满意率", [row.rates["satisfaction"] for row in unit.months]),
            Series("不满意率", [row.rates["dissatisfaction"] for row in unit.months]),
        ],
        reference=veto_percent,
        reference_label=veto_label(veto_percent),
    )


def on_time_chart(chart_id: str, figures: Figures) -> Markup:
    ranking = figures.ranking()
    desc = (
        "；".join(f"{unit.name}{format_percent(unit.total.rates['on_time'])}" for unit in ranking)
        or "暂无部门"
    )
    return department_bars(
        chart_id,
        f"各窗口按时办结率（{figures.period}，由低到高）",
        f"横向柱状图，按按时办结率由低到高排列。{desc}。",
        [Bar(unit.short_name, unit.total.rates["on_time"]) for unit in ranking],
    )


def dissatisfaction_chart(chart_id: str, figures: Figures) -> Markup:
    veto = figures.veto_percent
    desc = (
        "；".join(
            f"{unit.name}{format_percent(unit.total.rates['dissatisfaction'])}"
            + (f"，{over_text(veto)}" if unit.over_veto else "")
            for unit in figures.departments
        )
        or "暂无部门"
    )
    return department_bars(
        chart_id,
        f"各窗口不满意率（{figures.period}）",
        f"横向柱状图，虚线为{veto_label(veto)}，达到或超过该线的柱子加斜纹并标注“{over_text(veto)}”。{desc}。",
        [
            Bar(unit.short_name, unit.total.rates["dissatisfaction"], unit.over_veto)
            for unit in figures.departments
        ],
        reference=veto,
        reference_label=veto_label(veto),
        flag_text=over_text(veto),
    )
