"""Prints the Java tests' totals and every skipped test with its reason, from Surefire's XML reports, after
`mvn --quiet verify` (which prints neither). Under CI=true a skip that CONTRIBUTING.md ("Every skip says why") does
not name fails.

    python3 tests/surefire_report.py lib agent kernel
"""

from __future__ import annotations

import os
import re
import sys
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

# The Java skips that cannot be helped on some machines, by the start of their reason; CONTRIBUTING.md names them.
SKIPS_ALLOWED_IN_CI = re.compile(
    "|".join(
        [
            r"Java \d+ has no Thread\.stop",  # InterruptGuardTest's Thread.stop case on JDK 20 and newer
            r"the shared-data tier needs real CIFAR-10 batches",  # SharedCifar10Test without ../shared/datasets
        ]
    )
)


def reason_of(skipped: ET.Element) -> str:
    """The test's own reason, less JUnit's wording before it: a disabled condition's "... ==> ", an assumption's
    "org.opentest4j.TestAbortedException: Assumption failed: "."""
    message = skipped.get("message") or skipped.text or "(no reason given)"
    return re.sub(r"^.*?(==> |Assumption failed: )", "", message, count=1, flags=re.DOTALL).strip()


def main(modules: list[str]) -> int:
    totals = Counter()
    skips: Counter[tuple[str, str]] = Counter()
    for module in modules:
        reports = sorted(Path(module, "target", "surefire-reports").glob("TEST-*.xml"))
        if not reports:
            print(f"{module}: no Surefire reports in {module}/target/surefire-reports", file=sys.stderr)
            return 1
        for report in reports:
            for case in ET.parse(report).getroot().iter("testcase"):
                totals[module] += 1
                skipped = case.find("skipped")
                if skipped is not None:
                    skips[(case.get("classname", "?"), reason_of(skipped))] += 1
    run = sum(totals.values())
    per_module = ", ".join(f"{module} {count}" for module, count in totals.items())
    print(f"Java tests: {run} ({per_module}), {run - sum(skips.values())} ran, {sum(skips.values())} skipped")
    refused = []
    for (test_class, reason), count in sorted(skips.items()):
        print(f"SKIPPED [{count}] {test_class}: {reason}")
        if not SKIPS_ALLOWED_IN_CI.match(reason):
            refused.append(test_class)
    if os.environ.get("CI") and refused:
        print(
            f"CI=true, and CI must run every Java test but those CONTRIBUTING.md names; skipped: {', '.join(refused)}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
