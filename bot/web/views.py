"""Service results as the JSON the page reads."""

from __future__ import annotations

from typing import Any

from bot.services.overview import Overview


def overview_json(data: Overview) -> dict[str, Any]:
    """The Overview as JSON: codes and counts; the page names them in its language."""
    names = data.unit_names
    return {
        "today": data.today.isoformat(),
        "projects": data.projects,
        "by_stage": [[k, n] for k, n in data.by_stage],
        "by_category": [[k, n] for k, n in data.by_category],
        "by_tier": [[k, n] for k, n in data.by_tier],
        "open_risks": data.open_risks,
        "risk_ages": [[k, n] for k, n in data.risk_ages],
        "oldest_risks": [
            {"id": r.entry_id, "project": r.project, "days": r.days, "text": r.text[:200]}
            for r in data.oldest_risks
        ],
        "periods": [{"year": p.year, "number": p.number} for p in data.periods],
        "reporting": [
            {
                "unit": row.unit,
                "name": names.get(row.unit, row.unit),
                "cells": list(row.cells),
                "entries": list(row.entries),
            }
            for row in data.reporting
        ],
        "open_actions": data.open_actions,
        "overdue_actions": data.overdue_actions,
        "overdue_by_unit": [
            {"unit": u, "name": names.get(u, u), "n": n} for u, n in data.overdue_by_unit
        ],
        "attendance": [
            {
                "unit": a.unit,
                "name": names.get(a.unit, a.unit),
                "invited": a.invited,
                "present": a.present,
            }
            for a in data.attendance
        ],
    }
