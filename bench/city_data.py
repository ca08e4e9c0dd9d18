"""A synthetic city data set for the publishing benchmarks: thousands of items from the demo's shape.

A city centre has 5,000-10,000 items in 30-50 departments. ``city_snapshot`` grows the exported demo
snapshot to that size: the demo's departments and items stay as they are (the complaint outcomes and
questions refer to them), cloned departments get district names, and every cloned item gets its own
code, name and a varied text (sentences of the demo's legal basis, conditions and step descriptions
recombined, a note drawn from phrase pools), so pages and the search index are not N copies of 45
pages. Deterministic for a given seed: two runs give the same snapshot, byte for byte.
"""

from __future__ import annotations

import copy
import random
import re
from typing import Any

DISTRICTS = ("城关", "滨河", "东城", "西城", "南湖", "北山", "高新", "经开", "临港", "新区")
NOTE_PARTS = (
    ("申请人可通过", "也可通过", "对符合条件的，可通过"),
    ("一网通办平台", "政务服务自助终端", "窗口现场", "邮寄方式", "“天府通办”移动端"),
    ("提交申请，", "预约办理，", "查询进度，", "领取结果，"),
    ("材料齐全的当场受理。", "实行容缺受理。", "结果可免费寄递。", "可委托他人代为办理。", "实行告知承诺制。"),
)


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[。；;])\s*|\n", text or "") if s.strip()]


def _note(rng: random.Random) -> str:
    return "".join(rng.choice(part) for part in NOTE_PARTS)


def _mixed(pool: list[str], rng: random.Random, count: int) -> str:
    return "\n".join(f"- {s.lstrip('- ')}" for s in rng.sample(pool, min(count, len(pool)))) + "\n"


def city_snapshot(base: dict[str, Any], n_items: int, n_departments: int = 40, seed: int = 2026) -> dict[str, Any]:
    """The demo snapshot grown to ``n_items`` items in ``n_departments`` departments (schema unchanged)."""
    rng = random.Random(seed)
    departments = [copy.deepcopy(d) for d in base["departments"]]
    for i in range(len(departments), n_departments):
        dept = copy.deepcopy(base["departments"][i % len(base["departments"])])
        district = DISTRICTS[i % len(DISTRICTS)]
        dept["code"] = f"{dept['code']}{i:02d}"
        dept["name"] = f"{district}片区{dept['name']}"
        dept["short_name"] = f"{district}{dept.get('short_name') or ''}"[:20]
        departments.append(dept)
    legal = sorted({s for it in base["items"] for s in _sentences(it.get("legal_basis", ""))})
    conditions = sorted({s for it in base["items"] for s in _sentences(it.get("conditions", ""))})
    items = [copy.deepcopy(it) for it in base["items"]][:n_items]
    for i in range(len(items), n_items):
        item = copy.deepcopy(base["items"][i % len(base["items"])])
        dept = departments[i % len(departments)]
        item["code"] = f"{item['code']}-{i:05d}"
        item["department"] = dept["code"]
        item["name"] = f"{item['name']}（{DISTRICTS[i % len(DISTRICTS)]}{i}号）"
        item["legal_basis"] = _mixed(legal, rng, 2 + i % 3)
        item["conditions"] = _mixed(conditions, rng, 2 + i % 2)
        item["promised_note"] = _note(rng)
        item["keywords"] = sorted(set(item.get("keywords", [])) | {DISTRICTS[i % len(DISTRICTS)]})
        for step in item.get("steps", []):
            step["description"] = f"{step.get('description', '')}{_note(rng)}"
        items.append(item)
    notices = [copy.deepcopy(n) for n in base["notices"]]
    for i in range(len(notices), max(len(notices), n_items // 20)):
        notice = copy.deepcopy(base["notices"][i % len(base["notices"])])
        notice["code"] = f"{notice['code']}-{i:05d}"
        notice["title"] = f"{notice['title']}（第{i}号）"
        notice["body"] = f"{notice['body']}\n\n{_note(rng)}\n"
        notices.append(notice)
    return {**base, "departments": sorted(departments, key=lambda d: d["code"]),
            "items": sorted(items, key=lambda it: it["code"]), "notices": sorted(notices, key=lambda n: n["code"])}
