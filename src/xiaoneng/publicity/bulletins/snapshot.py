"""A month's ranking frozen as JSON, its totals, and what changed between two snapshots.

The snapshot is made from publicity's ``MonthRanking`` (read by attribute, so any object of
that shape will do) and is all a bulletin or the public page ever reads: once published,
nothing is recomputed. Numbers are kept as strings of their ``Decimal`` value, so a snapshot
reads back exactly as it was written.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

SNAPSHOT_VERSION = 1


def _text(value: Any) -> str:
    return str(value if value is not None else "")


# How a bulletin names outlet levels (its wording is Chinese whatever the screen's language).
OFFICIAL_LEVEL_NAMES = {"central": "中央级", "province": "省级", "city": "市级", "county": "县区级",
                        "internal": "系统内部"}


def level_labels() -> dict[str, str]:
    """Outlet level code → the name a bulletin prints (中央级, 省级…); unknown codes by publicity's label."""
    labels = dict(OFFICIAL_LEVEL_NAMES)
    try:
        from xiaoneng.publicity.models import Outlet

        choices = Outlet._meta.get_field("level").choices or ()
    except (ImportError, LookupError, AttributeError):
        choices = ()
    for code, label in choices:
        labels.setdefault(str(code), str(label))
    return labels


def snapshot_of(ranking: Any, *, labels: dict[str, str] | None = None) -> dict:
    """The ranking as plain JSON data (Decimals as strings), in the order it was ranked.

    ``labels`` names the outlet levels (defaults to publicity's); they are frozen with the rest.
    """
    groups = []
    for group in ranking.groups:
        rows = []
        for row in group.rows:
            rows.append({
                "unit_id": int(row.unit_id),
                "unit_name": _text(row.unit_name),
                "rank": int(row.rank),
                "tied": bool(row.tied),
                "points": str(Decimal(row.points)),
                "items": int(row.items),
                "adoptions": int(row.adoptions),
                "by_level": {str(level): int(count) for level, count in (row.by_level or {}).items()},
                "vetoed": bool(row.vetoed),
                "year_points": str(Decimal(row.year_points)),
                "campaign_points": str(Decimal(row.campaign_points)),
            })
        groups.append({"group_name": _text(group.group_name), "rows": rows})
    return {
        "version": SNAPSHOT_VERSION,
        "campaign_id": getattr(ranking.campaign, "pk", None),
        "campaign_title": _text(getattr(ranking.campaign, "title", ranking.campaign)),
        "year": int(ranking.year),
        "month": int(ranking.month),
        "tie_break": [_text(rule) for rule in ranking.tie_break],
        "level_labels": dict(level_labels() if labels is None else labels),
        "groups": groups,
    }


def totals(snapshot: dict) -> dict:
    """Items sent, adoptions and adoptions by outlet level over every unit of the month."""
    items = adoptions = 0
    by_level: dict[str, int] = {}
    for group in snapshot["groups"]:
        for row in group["rows"]:
            items += row["items"]
            adoptions += row["adoptions"]
            for level, count in row["by_level"].items():
                by_level[level] = by_level.get(level, 0) + count
    return {"items": items, "adoptions": adoptions, "by_level": by_level,
            "units": sum(len(group["rows"]) for group in snapshot["groups"])}


def _rows_by_unit(snapshot: dict | None) -> dict[int, tuple[str, dict]]:
    if not snapshot:
        return {}
    return {row["unit_id"]: (group["group_name"], row) for group in snapshot["groups"] for row in group["rows"]}


def snapshot_changes(previous: dict | None, current: dict) -> list[dict]:
    """Per unit, what differs between two snapshots: rank, points, adoptions, group, veto.

    Units are matched by id; a unit only in one of them is reported as added or removed.
    Listed in the order of the current ranking, removed units last.
    """
    if previous is None:
        return []
    before = _rows_by_unit(previous)
    after = _rows_by_unit(current)
    changes: list[dict] = []
    for unit_id, (group, row) in after.items():
        old = before.get(unit_id)
        if old is None:
            changes.append({"unit_name": row["unit_name"], "group_name": group, "kind": "added",
                            "old_rank": None, "new_rank": row["rank"], "old_points": None,
                            "new_points": row["points"], "old_adoptions": None, "new_adoptions": row["adoptions"]})
            continue
        old_group, old_row = old
        differs = (old_group != group or old_row["rank"] != row["rank"] or old_row["tied"] != row["tied"]
                   or Decimal(old_row["points"]) != Decimal(row["points"])
                   or old_row["adoptions"] != row["adoptions"] or old_row["vetoed"] != row["vetoed"])
        if differs:
            changes.append({"unit_name": row["unit_name"], "group_name": group, "kind": "changed",
                            "old_rank": old_row["rank"], "new_rank": row["rank"], "old_points": old_row["points"],
                            "new_points": row["points"], "old_adoptions": old_row["adoptions"],
                            "new_adoptions": row["adoptions"]})
    for unit_id, (group, row) in before.items():
        if unit_id not in after:
            changes.append({"unit_name": row["unit_name"], "group_name": group, "kind": "removed",
                            "old_rank": row["rank"], "new_rank": None, "old_points": row["points"],
                            "new_points": None, "old_adoptions": row["adoptions"], "new_adoptions": None})
    return changes


def same_ranking(previous: dict, current: dict) -> bool:
    """Whether two snapshots publish the same thing (groups, rows and rules)."""
    keys = ("tie_break", "groups")
    return all(previous.get(key) == current.get(key) for key in keys)
