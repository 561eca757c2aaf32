"""The spoken-location resolver on the held-out forms written apart from the code
(heldout_test.jsonl, heldout_dev.jsonl; see README.md): share of forms right per category,
and silent wrong towns (resolved without confirmation to another commune).

    .venv/bin/python benchmarks/location/heldout/run.py [--split test|dev]

A form is right when: `insee` — the best candidate is that commune (or one of its former
communes or arrondissements), confirmed or not; `insee_any` — the answer is ambiguous or
confirmed and offers every one of them… or resolves to one of them with a confirmation;
`department` — the resolver asks for more; `none` — nothing is found.
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
    results = {
        "split": args.split, "forms": len(forms),
        "right_pct": round(100 * right / len(forms), 1),
        "silent_wrong_pct": round(100 * silent_wrong / len(forms), 2),
        "per_category_pct": {c: round(100 * sum(v) / len(v), 1) for c, v in sorted(per.items())},
        "failures": failures if args.split == "dev" else len(failures),
    }
    (HERE / f"results-{args.split}.json").write_text(
        json.dumps(results, indent=1, ensure_ascii=False) + "\n", "utf-8")
    print(json.dumps({k: v for k, v in results.items() if k != "failures"}, indent=1))
    return results


if __name__ == "__main__":
    main()
    sys.exit(0)
