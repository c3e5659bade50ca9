"""Rule documentation, generated from the rule files: `shiplint rule CODE` and docs/rules.md."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from linter.engine.catalog import Rule


def _fence(rule: Rule, example: dict[str, object]) -> str:
    lang = "dockerfile" if rule.language == "dockerfile" else "yaml"
    code = str(example["code"]).rstrip("\n")
    out = f"```{lang}\n{code}\n```\n"
    also = example.get("also")
    if isinstance(also, dict):  # the other files of the run, for rules across files
        for name, text in also.items():
            out += f"\nwith `{name}` beside it:\n\n```{lang}\n{str(text).rstrip()}\n```\n"
    return out


def rule_markdown(rule: Rule, level: int = 1) -> str:
    h = "#" * level
    out = [f"{h} {rule.code} {rule.name}\n\n", f"{rule.title}.\n\n"]
    on = "enabled by default" if rule.enabled else "off by default (enable it with `enable:` or `--select`)"
    out.append(f"- Severity: {rule.severity}, {on}\n- Applies to: {rule.language} ({rule.target})\n")
    if rule.aliases:
        out.append("- Aliases: " + ", ".join(f"`{a}`" for a in rule.aliases) + "\n")
    if rule.parameters:
        out.append(
            "- Parameters: " + ", ".join(f"`{k}` (default `{v}`)" for k, v in rule.parameters.items()) + "\n"
        )
    out.append(f"\n{h}# Why\n\n{rule.rationale.strip()}\n\n{h}# How to fix\n\n{rule.remediation.strip()}\n\n")
    out.append(f"{h}# Fails\n\n")
    for ex in rule.examples["fail"]:
        if ex.get("description"):
            out.append(f"{str(ex['description']).rstrip('.')}:\n\n")
        out.append(_fence(rule, ex) + "\n")
    out.append(f"{h}# Passes\n\n")
    for ex in rule.examples["pass"]:
        if ex.get("description"):
            out.append(f"{str(ex['description']).rstrip('.')}:\n\n")
        out.append(_fence(rule, ex) + "\n")
    return "".join(out)


def catalog_markdown(rules: list[Rule]) -> str:
    rules = sorted(rules, key=lambda r: r.code)
    out = [
        "# Rule catalog\n\n",
        "Generated from `rules/` by `make docs`; do not edit by hand (a test fails when it is stale).\n\n",
        "| code | name | severity | default | aliases |\n|---|---|---|---|---|\n",
    ]
    for r in rules:
        aliases = ", ".join(f"`{a}`" for a in r.aliases)
        out.append(
            f"| [{r.code}](#{r.code.lower()}-{r.name}) | {r.name} | {r.severity} | "
            f"{'on' if r.enabled else 'off'} | {aliases} |\n"
        )
    out.append("\n")
    for r in rules:
        out.append(rule_markdown(r, level=2))
    return "".join(out)
