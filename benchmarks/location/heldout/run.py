"""The spoken-location resolver on the held-out forms written apart from the code
(heldout_test.jsonl, heldout_dev.jsonl; see README.md): share of forms right per category,
and silent wrong towns (resolved without confirmation to another commune).

    .venv/bin/python benchmarks/location/heldout/run.py [--split test|dev]

A form is right when: `insee` — the best candidate is that commune (or one of its former
communes or arrondissements), confirmed or not; `insee_any` — the answer is ambiguous or
confirmed and offers every one of them… or resolves to one of them with a confirmation;
`department` — the resolver asks for more; `none` — nothing is found.

With ``--addok`` (the ``bench`` extra and Redis on 127.0.0.1), addok indexed with the same
places is scored on the same forms, side by side (``addok_pct`` per category): addok has no
status, so one commune above its score threshold counts as resolved, several as a choice
offered to the caller, none as not found; its threshold is the one that suits it best on
the dev split.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from acotel_geo import Gazetteer, Resolver, Status

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", choices=("test", "dev"))
    parser.add_argument("--addok", action="store_true", help="addok side by side")
    args = parser.parse_args(argv)
    gazetteer = Gazetteer.load()
    resolver = Resolver(gazetteer)

    def same(got: str, wanted: str) -> bool:
        place = gazetteer.by_insee.get(got)
        return got == wanted or (place is not None and place.parent == wanted)

    per: dict[str, list[bool]] = defaultdict(list)
    silent_wrong, failures = 0, []
    forms = [json.loads(line) for line in
             (HERE / f"heldout_{args.split}.jsonl").read_text("utf-8").splitlines()]
    for form in forms:
        result = resolver.resolve(form["text"])
        expect, best = form["expect"], result.best
        got = best.insee if best is not None else ""
        offered = {c.insee for c in result.candidates}
        if "insee" in expect:
            ok = result.status is Status.RESOLVED and same(got, expect["insee"])
            if result.status is Status.RESOLVED and not result.confirm and got and not ok:
                silent_wrong += 1
        elif "insee_any" in expect:
            wanted = set(expect["insee_any"])
            ok = (result.status is Status.AMBIGUOUS and wanted <= offered) or (
                result.status is Status.RESOLVED and result.confirm and got in wanted)
            if result.status is Status.RESOLVED and not result.confirm:
                silent_wrong += 1
        elif "department" in expect:
            ok = result.status is Status.NEEDS_MORE
        else:
            ok = result.status is Status.NOT_FOUND
        per[form["category"]].append(ok)
        if not ok:
            failures.append({"text": form["text"], "category": form["category"],
                             "expect": expect, "status": str(result.status), "got": got})
    right = sum(ok for oks in per.values() for ok in oks)
    addok = run_addok(gazetteer, forms, same) if args.addok else None
    results = {
        "split": args.split, "forms": len(forms),
        "right_pct": round(100 * right / len(forms), 1),
        "silent_wrong_pct": round(100 * silent_wrong / len(forms), 2),
        "per_category_pct": {c: round(100 * sum(v) / len(v), 1) for c, v in sorted(per.items())},
        "failures": failures if args.split == "dev" else len(failures),
        **({"addok": addok} if addok else {}),
    }
    (HERE / f"results-{args.split}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "failures"}, indent=1))
    return results


def addok_right(expect: dict[str, Any], offered: tuple[str, ...],
                same: Any) -> tuple[bool, bool]:
    """Whether addok's answer is right, and whether it is a silent wrong town."""
    resolved = len(offered) == 1
    if "insee" in expect:
        ok = resolved and same(offered[0], expect["insee"])
        return ok, resolved and not ok
    if "insee_any" in expect:
        return len(offered) > 1 and set(expect["insee_any"]) <= set(offered), resolved
    if "department" in expect:
        return len(offered) != 1, False  # several offered or none: the caller is asked
    return not offered, resolved


def run_addok(gazetteer: Gazetteer, forms: list[dict[str, Any]], same: Any) -> dict[str, Any]:
    sys.path.insert(0, str(HERE.parent))
    from addok_engine import AddokEngine
    from run import THRESHOLDS

    engine = AddokEngine(gazetteer)

    def scores(items: list[dict[str, Any]], threshold: float) -> dict[str, Any]:
        per: dict[str, list[bool]] = defaultdict(list)
        wrong = 0
        for form in items:
            offered = tuple(dict.fromkeys(code for code, score in engine.raw(form["text"])
                                          if score >= threshold))
            ok, silent = addok_right(form["expect"], offered, same)
            per[form["category"]].append(ok)
            wrong += silent
        right = sum(ok for oks in per.values() for ok in oks)
        return {"threshold": threshold, "right_pct": round(100 * right / len(items), 1),
                "silent_wrong_pct": round(100 * wrong / len(items), 2),
                "per_category_pct": {c: round(100 * sum(v) / len(v), 1)
                                     for c, v in sorted(per.items())}}

    dev = [json.loads(line) for line in
           (HERE / "heldout_dev.jsonl").read_text("utf-8").splitlines()]
    best = max(THRESHOLDS, key=lambda t: scores(dev, t)["right_pct"])
    return scores(forms, best)


if __name__ == "__main__":
    main()
    sys.exit(0)
