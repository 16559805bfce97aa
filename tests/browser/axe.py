"""Run the axe-core accessibility engine in a page and fail with a readable list.

axe is injected with `page.evaluate`, which runs through the DevTools protocol
rather than as a <script> in the page, so the page keeps its strict CSP (an
inline <script> tag would be refused, and bypassing the CSP would hide the very
violations the browser tests look for).
"""

from functools import cache
from pathlib import Path

AXE_SOURCE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

# WCAG 2.1 A and AA, which the NHS service standard and the accessibility
# regulations require, plus axe's best practices.
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"]

# Rules switched off, each with its reason. Empty on purpose: add a rule only
# with a written reason a reviewer can challenge.
DISABLED_RULES: dict[str, str] = {}

# Single findings accepted, by rule and the exact element axe names, each with its
# reason; the rule still runs for everything else on the page.
ACCEPTED_FINDINGS: dict[tuple[str, str], str] = {
    # The NHS.UK and GOV.UK design systems place the back link before <main> on
    # purpose, so "Skip to main content" skips it too; axe's best-practice `region`
    # rule flags it. GOV.UK looked into it and kept the placement
    # (alphagov/govuk-frontend#6460, alphagov/govuk-design-system#5024), and the
    # NHS.UK page template renders it there (block beforeContent).
    ("region", ".nhsuk-back-link"): "the design system's back link sits before <main>",
}

RUN_AXE = """async ({tags, disabled}) => {
    const rules = Object.fromEntries(disabled.map(id => [id, {enabled: false}]));
    // Only violations are read, so axe need not detail passes and incomplete checks.
    const results = await axe.run(document, {
        runOnly: {type: 'tag', values: tags}, rules, resultTypes: ['violations'],
    });
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
        nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
    }));
}"""


@cache
def axe_source() -> str:
    """axe.min.js from the npm package `make` installs."""
    if not AXE_SOURCE.exists():
        raise FileNotFoundError(f"{AXE_SOURCE} is missing: run `npm ci` (make does)")
    return AXE_SOURCE.read_text(encoding="utf-8")


def inject_axe(page) -> None:
    """Make `window.axe` available in the page without touching its CSP."""
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(axe_source())


def axe_violations(page) -> list[dict]:
    """The page's accessibility violations as axe reports them, less ACCEPTED_FINDINGS."""
    inject_axe(page)
    found = page.evaluate(RUN_AXE, {"tags": TAGS, "disabled": list(DISABLED_RULES)})
    violations = []
    for violation in found:
        nodes = [
            node for node in violation["nodes"]
            if (violation["id"], node["target"]) not in ACCEPTED_FINDINGS
        ]
        if nodes:
            violations.append({**violation, "nodes": nodes})
    return violations


def describe_violations(violations: list[dict]) -> str:
    """One paragraph a violation: rule, impact, what to fix and where."""
    lines = []
    for violation in violations:
        lines.append(
            f"{violation['id']} ({violation['impact']}): {violation['help']} "
            f"<{violation['helpUrl']}>"
        )
        for node in violation["nodes"]:
            lines.append(f"    at {node['target']}")
            for detail in (node["summary"] or "").splitlines():
                lines.append(f"        {detail}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    """Fail, listing every violation, unless axe finds none on the page as it is now."""
    violations = axe_violations(page)
    assert not violations, (
        f"axe found {len(violations)} accessibility problem(s) on {page.url}:\n"
        + describe_violations(violations)
    )
