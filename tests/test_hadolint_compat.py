"""Peer compatibility for Dockerfiles: hadolint's and BuildKit's suppressions, `.hadolint.yaml`,
the `pod-templates` and `hadolint-config` config keys, and recall against hadolint's findings on
the shared corpus (skipped where ../shared is absent)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
from helpers import RULES

from linter.config import Config, ConfigError, load_for_run
from linter.engine.catalog import load_rules
from linter.engine.load import load, parse
from linter.engine.run import Engine
from linter.engine.suppress import BUILDKIT_CHECKS, check_skip_selectors, hadolint_selectors

CORPUS = Path("/work/shared/corpus/dockerfile")


def lint(folder: Path, text: str, config: Config | None = None, select: list[str] | None = None):
    path = folder / "Dockerfile"
    path.write_text(text)
    config = config or Config()
    rules = RULES if config.hadolint_path is None else load_rules(config)
    engine = Engine(rules, config, select)
    source = load(str(path), "dockerfile", config.max_file_size).source
    return engine, sorted((f.span.line, f.code) for f in engine.lint(source, parse(source)))


def codes(folder: Path, text: str, config: Config | None = None, select: list[str] | None = None):
    return lint(folder, text, config, select)[1]


# -- inline suppressions ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pragma", ["# hadolint ignore=DL3006", "#hadolint ignore = DL3007, DL3006", "# hadolint ignore=dl3006"]
)
def test_hadolint_pragma_above_the_instruction(tmp_path, pragma):
    text = f"{pragma}\nFROM busybox AS a\nFROM alpine\n"
    assert codes(tmp_path, text, select=["DF001"]) == [(3, "DF001")]


def test_hadolint_pragma_anywhere_in_the_comment_block(tmp_path):
    # hadolint reads only the line right above; shiplint reads the block, as for its own pragma.
    text = "# hadolint ignore=DL3006\n# the base is pinned by CI\nFROM busybox\n"
    assert codes(tmp_path, text, select=["DF001"]) == []


def test_hadolint_pragma_names_peer_ids_only(tmp_path):
    """`# hadolint ignore=DF001` is no hadolint code: it must not silence shiplint's DF001."""
    text = "# hadolint ignore=DL3007\nFROM busybox\n"
    assert codes(tmp_path, text, select=["DF001", "DF002"]) == [(2, "DF001")]


def test_hadolint_global_ignore(tmp_path):
    text = "FROM busybox AS a\n# hadolint global ignore=DL3006,DL3007\nFROM alpine:latest\n"
    assert codes(tmp_path, text, select=["DF001", "DF002"]) == []


def test_hadolint_ignore_of_a_rule_with_several_hadolint_ids(tmp_path):
    text = "FROM alpine:3.20\nHEALTHCHECK CMD true\n# hadolint ignore=DL3012\nHEALTHCHECK CMD false\n"
    # DF021 reports the overridden (first) HEALTHCHECK, on line 2: the pragma above line 4 is not it.
    assert codes(tmp_path, text, select=["DF021"]) == [(2, "DF021")]
    text = "FROM alpine:3.20\n# hadolint ignore=DL3012\nHEALTHCHECK CMD true\nHEALTHCHECK CMD false\n"
    assert codes(tmp_path, text, select=["DF021"]) == []


def test_selectors_of_hadolint_codes():
    assert hadolint_selectors("DL3008, sc2086") == {"hadolint:DL3008", "shellcheck:SC2086"}


@pytest.mark.parametrize(
    ("directive", "left"),
    [
        ("skip=StageNameCasing", [(2, "DF001"), (2, "DF029")]),
        ("skip=StageNameCasing,FromAsCasing;error=true", [(2, "DF001")]),
        ("skip=all", [(2, "DF001")]),
        ("error=true", [(2, "DF001"), (2, "DF028"), (2, "DF029")]),
        ("skip=JSONArgsRecommended", [(2, "DF001"), (2, "DF028"), (2, "DF029")]),
    ],
)
def test_buildkit_check_skip_directive(tmp_path, directive, left):
    text = f"# check={directive}\nFROM busybox as Build\n"
    assert codes(tmp_path, text, select=["DF001", "DF028", "DF029"]) == left


def test_check_skip_all_names_every_buildkit_check():
    assert check_skip_selectors("skip=all") == {f"buildkit:{c}" for c in BUILDKIT_CHECKS}
    assert len(BUILDKIT_CHECKS) == 22


def test_check_directive_below_the_top_is_a_comment(tmp_path):
    text = "FROM busybox AS Build\n# check=skip=StageNameCasing\nRUN true\n"
    assert codes(tmp_path, text, select=["DF028"]) == [(1, "DF028")]


def test_every_buildkit_alias_is_a_real_check():
    aliases = {a.split(":", 1)[1] for r in RULES for a in r.aliases if a.startswith("buildkit:")}
    assert aliases <= set(BUILDKIT_CHECKS)
    # Every check but InvalidBaseImagePlatform (it needs the image's manifest) has a rule.
    assert set(BUILDKIT_CHECKS) - aliases == {"InvalidBaseImagePlatform"}


# -- .hadolint.yaml --------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    return root


def test_hadolint_config_ignored_and_override(repo):
    (repo / ".hadolint.yaml").write_text(
        "ignored: [DL3007]\noverride:\n  error: [DL3006]\n  style: [DL3057]\nformat: tty\n"
    )
    config = load_for_run(None, str(repo))
    engine, found = lint(repo, "FROM busybox AS a\nFROM alpine:latest\n", config)
    assert found == [(1, "DF001"), (2, "DF003")]  # DF002 ignored; DF003 (DL3057) turned on
    severities = {a.rule.code: a.severity for a in engine.active}
    assert severities["DF001"] == "error"
    assert severities["DF003"] == "info"


def test_shiplint_config_wins_over_hadolint(repo):
    (repo / ".hadolint.yaml").write_text("override:\n  error: [DL3006]\ntrustedRegistries: [docker.io]\n")
    (repo / ".shiplint.yaml").write_text(
        "severity: {DF: info}\nparameters:\n  DF043: {trusted-registries: [corp.example]}\n"
    )
    config = load_for_run(None, str(repo))
    engine, found = lint(repo, "FROM busybox\n", config, ["DF001", "DF043"])
    assert found == [(1, "DF001"), (1, "DF043")]
    assert {a.rule.code: a.severity for a in engine.active}["DF001"] == "info"


def test_hadolint_trusted_registries_label_schema_and_strict_labels(repo):
    (repo / ".hadolint.yml").write_text(
        "trustedRegistries: [corp.example]\n"
        "label-schema:\n  maintainer: email\n"
        "strict-labels: true\n"
        "failure-threshold: none\n"
    )
    config = load_for_run(None, str(repo))
    assert config.fail_on == "never"
    _, found = lint(repo, "FROM busybox:1.36\nLABEL maintainer=nobody extra=1\n", config)
    assert [c for _, c in found if c >= "DF040"] == ["DF043", "DF051", "DF058"]


def test_hadolint_config_found_in_a_parent_up_to_the_repository_root(repo, tmp_path):
    (tmp_path / ".hadolint.yaml").write_text("ignored: [DL3006]\n")  # above the repository: unused
    (repo / "sub").mkdir()
    assert load_for_run(None, str(repo / "sub")).hadolint_path is None
    (repo / ".hadolint.yaml").write_text("ignored: [DL3006]\n")
    config = load_for_run(None, str(repo / "sub"))
    assert config.hadolint_path == str(repo / ".hadolint.yaml")
    assert "hadolint:DL3006" in config.ignore


def test_hadolint_config_key(repo):
    (repo / ".hadolint.yaml").write_text("ignored: [DL3006]\n")
    (repo / "ci").mkdir()
    (repo / "ci" / "hadolint.yaml").write_text("ignored: [DL3007]\n")
    (repo / ".shiplint.yaml").write_text("hadolint-config: false\n")
    assert load_for_run(None, str(repo)).hadolint_path is None
    (repo / ".shiplint.yaml").write_text("hadolint-config: ci/hadolint.yaml\n")
    assert load_for_run(None, str(repo)).ignore == ["hadolint:DL3007"]
    (repo / ".shiplint.yaml").write_text("\nhadolint-config: ci/missing.yaml\n")
    with pytest.raises(ConfigError, match=r"\.shiplint\.yaml:2: hadolint config .* does not exist"):
        load_for_run(None, str(repo))


@pytest.mark.parametrize(
    ("text", "line", "what"),
    [
        ("ignored: DL3006\n", 1, "invalid hadolint config at ignored"),
        (
            "ignored: [DL3006]\noverride:\n  error: [not a code]\n",
            3,
            "invalid hadolint config at override.error.0",
        ),
        ("label-schema:\n  maintainer: phone\n", 2, "invalid hadolint config at label-schema.maintainer"),
        ("failure-threshold: high\n", 1, "failure-threshold"),
        ("ignored: [DL3006\n", 2, ""),
        ("- a list\n", 1, "mapping"),
    ],
)
def test_bad_hadolint_config_is_one_line_with_file_and_line(repo, text, line, what):
    (repo / ".hadolint.yaml").write_text(text)
    with pytest.raises(ConfigError) as e:
        load_for_run(None, str(repo))
    message = str(e.value)
    assert message.startswith(f"{repo / '.hadolint.yaml'}:{line}")
    assert what in message
    assert "\n" not in message


def test_hadolint_config_cannot_run_code(repo):
    marker = repo / "marker"
    (repo / ".hadolint.yaml").write_text(f"x: !!python/object/apply:os.system ['touch {marker}']\n")
    load_for_run(None, str(repo))
    assert not marker.exists()


def test_unknown_hadolint_codes_are_quietly_kept(repo):
    """A hadolint config may name codes this version maps to no rule: not an error."""
    (repo / ".hadolint.yaml").write_text("ignored: [DL9999, SC2086]\noverride:\n  info: [DL9998]\n")
    config = load_for_run(None, str(repo))
    load_rules(config)
    assert config.ignore == ["hadolint:DL9999", "shellcheck:SC2086"]
    assert "hadolint:DL9998" not in config.severity


# -- pod-templates -------------------------------------------------------------------------------


def test_pod_templates(repo):
    (repo / ".shiplint.yaml").write_text(
        "pod-templates:\n"
        "  - {kind: Rollout, apiVersion: argoproj.io/v1alpha1, path: spec.template}\n"
        "  - {kind: CronTab, path: spec.jobTemplate.spec.template}\n"
    )
    config = load_for_run(None, str(repo))
    assert config.pod_templates == [
        ("argoproj.io/v1alpha1", "Rollout", ("spec", "template")),
        (None, "CronTab", ("spec", "jobTemplate", "spec", "template")),
    ]
    assert Config().pod_templates == []


@pytest.mark.parametrize(
    "entry",
    [
        "{kind: Rollout}",
        "{kind: Rollout, path: spec..template}",
        "{kind: 1, path: spec}",
        "{kind: R, path: s, x: 1}",
    ],
)
def test_bad_pod_templates(repo, entry):
    (repo / ".shiplint.yaml").write_text(f"pod-templates:\n  - {entry}\n")
    with pytest.raises(ConfigError, match=r"\.shiplint\.yaml:2: .*pod-templates"):
        load_for_run(None, str(repo))


# -- recall on the shared corpus -------------------------------------------------------------------

# The hadolint rules of this change, with the recall shiplint reaches (see docs/compat/hadolint.md
# for why the others differ): DL3064 and DL3067 in full; DL3066 only for the final image's user.
EXPECTED = {"DL3064": 36, "DL3067": 21, "DL3066": 10}


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not here")
def test_recall_against_hadolint():
    peer = [json.loads(line) for line in (CORPUS / "hadolint-2.15.1.jsonl").open()]
    engine = Engine(RULES, Config(), ["hadolint:" + code for code in EXPECTED])
    matched: Counter[str] = Counter()
    for record in peer:
        theirs = Counter(f["code"] for f in record["findings"])
        if theirs.get("DL1000"):
            continue
        source = load(str(CORPUS / record["file"]), "dockerfile", 10 << 20).source
        mine = Counter(
            a[9:] for f in engine.lint(source, parse(source)) for a in f.aliases if a.startswith("hadolint:")
        )
        for code in EXPECTED:
            matched[code] += min(theirs.get(code, 0), mine.get(code, 0))
    assert dict(matched) == EXPECTED
