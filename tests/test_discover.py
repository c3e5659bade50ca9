"""Which files a run lints: directory walks (names, Kubernetes content, .gitignore, Helm
templates, tool folders) and files named on the command line (linted whatever their name)."""

from __future__ import annotations

import json
import os

import pytest
from conftest import ROOT
from test_cli import run_main

DOCKERFILE = "FROM busybox\n"  # DF001 on line 1
POD = (ROOT / "examples" / "pod.yaml").read_text()  # findings on line 7
POD_JSON = json.dumps(
    {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": "j"},
        "spec": {"containers": [{"name": "c", "image": "nginx:1.27"}]},
    }
)


def linted(cwd, *args: str) -> list[str]:
    """The paths a run reports findings for, in order, each once."""
    r = run_main("check", *args, "--format", "json", cwd=cwd)
    assert r.returncode in (0, 1), r.stderr
    return list(dict.fromkeys(f["path"] for f in json.loads(r.stdout)["findings"]))


def put(root, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


# -- names --------------------------------------------------------------------------------------

DOCKERFILE_NAMES = [
    "Dockerfile",
    "dockerfile",
    "DOCKERFILE",
    "Dockerfile.dev",
    "Dockerfile-prod",
    "dockerfile.Build",
    "api.Dockerfile",
    "api.dockerfile",
    "Containerfile",
    "containerfile",
    "Containerfile.arm64",
    "Containerfile-ci",
    "web.Containerfile",
]
NOT_DOCKERFILES = [
    "Dockerfile.md",
    "Dockerfile.txt",
    "Dockerfile.dockerignore",
    "api.Dockerfile.dockerignore",
    "notes",
    "build.sh",
    "MyDockerfile",
    "Dockerfiles",
]


@pytest.mark.parametrize("name", DOCKERFILE_NAMES)
def test_dockerfile_names_are_found(tmp_path, name):
    put(tmp_path, f"d/{name}", DOCKERFILE)
    assert linted(tmp_path, "d") == [f"d/{name}"]


@pytest.mark.parametrize("name", NOT_DOCKERFILES)
def test_other_names_are_not_walked(tmp_path, name):
    put(tmp_path, f"d/{name}", DOCKERFILE)
    put(tmp_path, "d/Dockerfile", DOCKERFILE)
    assert linted(tmp_path, "d") == ["d/Dockerfile"]


@pytest.mark.parametrize("name", ["pod.yaml", "pod.yml", "POD.YAML", "pod.json"])
def test_manifest_suffixes(tmp_path, name):
    put(tmp_path, f"m/{name}", POD_JSON if name.endswith(".json") else POD)
    assert linted(tmp_path, "m") == [f"m/{name}"]


@pytest.mark.parametrize(
    "text",
    [
        POD_JSON,  # compact JSON: `{"apiVersion": ...` on one line
        json.dumps(json.loads(POD_JSON), indent=2),
        '{"kind": "List", "apiVersion": "v1", "items": [' + POD_JSON + "]}",
        "{apiVersion: v1, kind: Pod, metadata: {name: f}, spec: {containers: [{name: c, image: 'x:1'}]}}\n",
        "---\n# a comment\n" + POD,
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n" + POD,
    ],
    ids=["compact-json", "pretty-json", "json-list", "yaml-flow", "comment-first", "second-document"],
)
def test_kubernetes_content_in_any_layout_is_found(tmp_path, text):
    put(tmp_path, "m/thing.json" if text.lstrip().startswith('{"') else "m/thing.yaml", text)
    assert len(linted(tmp_path, "m")) == 1


@pytest.mark.parametrize(
    "text",
    [
        "replicas: 3\nimage: nginx\n",  # Helm values
        '{"name": "app", "version": "1.0.0", "dependencies": {}}',  # package.json
        "version: '3'\nservices:\n  web:\n    image: nginx\n",  # docker compose
        "kind: Pod\n",  # half a header
    ],
)
def test_yaml_and_json_without_kubernetes_objects_are_skipped(tmp_path, text):
    put(tmp_path, "m/other.yaml", text)
    put(tmp_path, "m/Dockerfile", DOCKERFILE)
    assert linted(tmp_path, "m") == ["m/Dockerfile"]


def test_helm_templates_are_skipped(tmp_path):
    put(tmp_path, "chart/Chart.yaml", "apiVersion: v2\nname: app\nversion: 1.0.0\n")
    put(
        tmp_path,
        "chart/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n"
        "  containers:\n  - name: app\n    image: {{ .Values.image }}\n",
    )
    put(tmp_path, "chart/Dockerfile", DOCKERFILE)
    assert linted(tmp_path, "chart") == ["chart/Dockerfile"]


def test_paths_are_as_found_under_the_given_directory(tmp_path):
    put(tmp_path, "a/b/Dockerfile", DOCKERFILE)
    put(tmp_path, "a/pod.yaml", POD)

    def found(cwd, *args: str) -> list[str]:
        return sorted(linted(cwd, *args))

    assert found(tmp_path, "a") == ["a/b/Dockerfile", "a/pod.yaml"]
    assert found(tmp_path, "a/") == ["a/b/Dockerfile", "a/pod.yaml"]
    assert found(tmp_path, "./a") == ["./a/b/Dockerfile", "./a/pod.yaml"]
    assert found(tmp_path / "a") == ["./b/Dockerfile", "./pod.yaml"]
    assert found(tmp_path, str(tmp_path / "a")) == [
        str(tmp_path / "a" / "b" / "Dockerfile"),
        str(tmp_path / "a" / "pod.yaml"),
    ]


@pytest.mark.parametrize("folder", ["node_modules", ".git", ".venv", "venv", "__pycache__", ".tox"])
def test_tool_folders_are_skipped(tmp_path, folder):
    put(tmp_path, f"r/{folder}/Dockerfile", DOCKERFILE)
    put(tmp_path, "r/Dockerfile", DOCKERFILE)
    assert linted(tmp_path, "r") == ["r/Dockerfile"]


# -- .gitignore ---------------------------------------------------------------------------------


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for d in ("", "a/", "a/b/", "keep/", "build/", "deep/x/y/"):
        put(root, f"{d}Dockerfile", DOCKERFILE)
        put(root, f"{d}Dockerfile.gen", DOCKERFILE)
    return root


def test_gitignore_patterns(repo):
    put(
        repo,
        ".gitignore",
        "# generated\n*.gen\n!keep/Dockerfile.gen\n/Dockerfile\nbuild/\ndeep/**/Dockerfile\n",
    )
    assert linted(repo, ".") == [
        "./a/Dockerfile",
        "./a/b/Dockerfile",
        "./keep/Dockerfile",
        "./keep/Dockerfile.gen",
    ]


def test_nested_gitignore_applies_below_its_folder(repo):
    put(repo, "a/.gitignore", "Dockerfile\n")
    got = linted(repo, ".")
    assert "./Dockerfile" in got and "./keep/Dockerfile" in got
    assert not any(p.startswith("./a/") and p.endswith("/Dockerfile") for p in got)
    assert "./a/Dockerfile.gen" in got


def test_gitignore_above_the_walked_folder_applies(repo):
    put(repo, ".gitignore", "*.gen\n")
    assert linted(repo / "a", ".") == ["./Dockerfile", "./b/Dockerfile"]
    assert linted(repo, "a") == ["a/Dockerfile", "a/b/Dockerfile"]


def test_gitignored_manifest(repo):
    put(repo, "k8s/pod.yaml", POD)
    put(repo, "k8s/generated/pod.yaml", POD)
    put(repo, ".gitignore", "generated/\n")
    assert linted(repo, "k8s") == ["k8s/pod.yaml"]


def test_a_file_named_on_the_command_line_is_linted_even_if_ignored(repo):
    put(repo, ".gitignore", "*.gen\n")
    assert linted(repo, "a/Dockerfile.gen") == ["a/Dockerfile.gen"]


# -- files named on the command line ------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "text", "code"),
    [
        ("build.docker", DOCKERFILE, "DF001"),  # by content: a FROM line
        ("image-def", "# syntax=docker/dockerfile:1\nARG V=1\nFROM busybox\n", "DF001"),
        ("pod.txt", POD, "KS201"),  # by content: apiVersion and kind
        ("manifest", POD_JSON, "KS201"),
        ("Dockerfile.yaml", POD, "KS201"),  # by name: YAML, whatever the start says
        ("README.md", DOCKERFILE, "DF001"),
    ],
)
def test_explicit_files_are_linted_whatever_their_name(tmp_path, name, text, code):
    put(tmp_path, name, text)
    r = run_main("check", name, "--format", "json", cwd=tmp_path)
    got = json.loads(r.stdout)["findings"]
    assert got and got[0]["path"] == name
    assert code in {f["code"] for f in got}


def test_explicit_file_named_like_a_dockerfile_is_read_as_one(tmp_path):
    put(tmp_path, "Dockerfile.prod", POD)  # YAML in a file named as a Dockerfile
    r = run_main("check", "Dockerfile.prod", "--format", "json", cwd=tmp_path)
    assert {f["code"] for f in json.loads(r.stdout)["findings"]} == {"DF000"}


def test_explicit_helm_template_is_linted(tmp_path):
    put(tmp_path, "templates/pod.yaml", POD.replace("name: nginx\nspec", "name: {{ .Release.Name }}\nspec"))
    assert linted(tmp_path, "templates/pod.yaml") == ["templates/pod.yaml"]


def test_explicit_yaml_without_objects_is_linted_for_syntax(tmp_path):
    put(tmp_path, "values.yaml", "a: [1\n")
    r = run_main("check", "values.yaml", "--format", "json", cwd=tmp_path)
    assert [f["code"] for f in json.loads(r.stdout)["findings"]] == ["KS000"]


def test_order_is_the_order_given(tmp_path):
    put(tmp_path, "z/Dockerfile", DOCKERFILE)
    put(tmp_path, "a/Dockerfile", DOCKERFILE)
    assert linted(tmp_path, "z", "a") == ["z/Dockerfile", "a/Dockerfile"]


def test_symlinked_folders_are_not_followed(tmp_path):
    put(tmp_path, "r/real/Dockerfile", DOCKERFILE)
    os.symlink(tmp_path / "r" / "real", tmp_path / "r" / "link")
    os.symlink(tmp_path / "r", tmp_path / "r" / "real" / "loop")
    assert linted(tmp_path, "r") == ["r/real/Dockerfile"]


def test_gitignore_leading_slash_anchors_to_its_folder(tmp_path):
    (tmp_path / ".git").mkdir()
    (tmp_path / ".gitignore").write_text("/build/\n")
    put(tmp_path, "build/Dockerfile", "FROM busybox\n")
    put(tmp_path, "sub/build/Dockerfile", "FROM busybox\n")
    assert linted(tmp_path, ".") == ["./sub/build/Dockerfile"]


def test_shiplint_cluster_models_are_not_walked_as_manifests(tmp_path):
    put(tmp_path, "cluster.yaml", "apiVersion: shiplint/v1\nkind: Cluster\nnodes: []\n")
    put(tmp_path, "pod.yaml", POD_JSON)
    assert linted(tmp_path, ".") == ["./pod.yaml"]


def test_a_file_named_twice_is_linted_once_but_a_hard_link_is_its_own_file(tmp_path):
    put(tmp_path, "a/Dockerfile", DOCKERFILE)
    os.symlink(tmp_path / "a" / "Dockerfile", tmp_path / "a" / "link.Dockerfile")
    (tmp_path / "b").mkdir()
    os.link(tmp_path / "a" / "Dockerfile", tmp_path / "b" / "Dockerfile")
    # The symlink and `./a` are the same file as `a/Dockerfile`; the hard link in b/ is another
    # name, in another folder, whose neighbours may relate to it: linted too.
    assert linted(tmp_path, "a", "./a/Dockerfile", "b") == ["a/Dockerfile", "b/Dockerfile"]
