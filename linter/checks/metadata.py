"""Per-object checks of what is not a pod: metadata (names, labels, annotations, namespaces), how
the YAML is written, ConfigMaps, Ingresses, and RBAC roles and bindings.

A binding is judged with the role it names when that role is in the same file (`ctx.document`);
Kubernetes' own ClusterRoles (`cluster-admin`, `admin`, `edit`, `view`) are known by name. A role
in another file is a cross-object question, left to other rules.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

from linter.checks import Check

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

    from linter.checks import Context, Hit
    from linter.ir.kubernetes import Manifest, Resource, YMap, YNode, YScalar


def _text(node: object) -> str | None:
    """A scalar's value as Kubernetes would read it into a string field, or None."""
    from linter.ir.kubernetes import YScalar

    if not isinstance(node, YScalar) or node.value is None:
        return None
    v = node.value
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def _strings(node: object) -> list[str]:
    """The string items of a sequence (a non-sequence holds none)."""
    from linter.ir.kubernetes import YSeq

    if not isinstance(node, YSeq):
        return []
    return [t for t in (_text(i) for i in node.items) if t is not None]


# -- YAML 1.1 and 1.2 -------------------------------------------------------------------------------

_YAML11_BOOLEANS = frozenset(("y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO"))
_YAML11_BOOLEANS |= frozenset(("on", "On", "ON", "off", "Off", "OFF"))
_LEADING_ZERO_OCTAL = re.compile(r"[-+]?0[0-7_]*[0-7][0-7_]*$")
_SEXAGESIMAL = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")
# Keys whose value is a file mode, where an octal number is the documented way to write it.
_MODE_KEYS = frozenset(("mode", "defaultMode"))
# Sequences whose items, and mapping keys whose values, Kubernetes reads as strings.
_STRING_ITEMS = frozenset(("args", "command"))
_STRING_VALUES = frozenset(("labels", "annotations", "nodeSelector", "data", "stringData"))


def _float_text(value: float) -> str:
    """How Kubernetes writes a float into a string field (Go's shortest 'g' format, roughly)."""
    if value == int(value) and abs(value) < 1e21:
        return str(int(value))
    return repr(value)


def ambiguous_scalar(r: Resource, ctx: Context) -> Iterator[Hit]:
    """Plain (unquoted) values whose meaning depends on the YAML version or surprises: YAML 1.1
    booleans (`yes`, `off`), leading-zero octal numbers (`0644`), sexagesimal numbers (`1:20`),
    `.inf`/`.nan`, and, where Kubernetes wants a string, numbers that lose their text (`1.10`)."""
    from linter.ir.kubernetes import YMap, YScalar, YSeq

    stack: list[tuple[YNode, str, str]] = [(r.node, "", "")]
    seen: set[int] = set()
    while stack:
        node, key, parent = stack.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        if isinstance(node, YMap):
            for name, (_, value) in node.entries.items():
                stack.append((value, name, key))
            continue
        if isinstance(node, YSeq):
            stack.extend((item, "[]", key) for item in node.items)
            continue
        if not isinstance(node, YScalar) or node.quoted:
            continue
        if type(node.value) is str and ":" not in node.text:  # nearly every scalar: nothing to say
            continue
        string_field = (
            (key == "[]" and parent in _STRING_ITEMS)
            or parent in _STRING_VALUES
            or (key == "value" and parent == "[]")
        )
        reason = _ambiguity(node, key, string_field)
        if reason is not None:
            yield node.span, {"text": node.text, "reason": reason}


def _ambiguity(node: YScalar, key: str, string_field: bool) -> str | None:
    text = node.text
    value = node.value
    if isinstance(value, bool):
        if text in _YAML11_BOOLEANS:
            return (
                f"Kubernetes (YAML 1.1) reads it as the boolean {'true' if value else 'false'}, "
                "YAML 1.2 tools as a string"
            )
        return None
    if isinstance(value, int):
        if _LEADING_ZERO_OCTAL.match(text) and key not in _MODE_KEYS:
            decimal = int(text.replace("_", ""))
            return f"Kubernetes (YAML 1.1) reads it as the octal number {value}, YAML 1.2 tools as {decimal}"
        return None
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return f"it is read as the number {text.lstrip('+-').lstrip('.')} (not a string)"
        if string_field and _float_text(value) != text:
            return f"it is read as the number {_float_text(value)}, not the text {text}"
        return None
    if isinstance(value, str) and ":" in text and _SEXAGESIMAL.match(text):
        return "YAML 1.1 parsers such as PyYAML read it as a base-60 number, Kubernetes as a string"
    return None


# -- objects of one file ---------------------------------------------------------------------------


def _group(api_version: str) -> str:
    return api_version.rpartition("/")[0]


def duplicate_object(m: Manifest, ctx: Context) -> Iterator[Hit]:
    """The same object (API group, kind, namespace, name) twice in one file: applying the file
    keeps only the last one."""
    seen: dict[tuple[str, str, str, str], Resource] = {}
    for r in m.resources:
        if not r.name or not r.kind:
            continue
        key = (_group(r.api_version), r.kind, r.namespace, r.name)
        first = seen.get(key)
        if first is None:
            seen[key] = r
            continue
        meta = r.node.map("metadata")
        name = meta.get("name") if meta is not None else None
        where = name.span if name is not None else r.span
        yield where, {"object": r.object_id, "line": first.span.line}


# -- names, labels and annotations -----------------------------------------------------------------

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS_1035_LABEL = re.compile(r"[a-z]([-a-z0-9]*[a-z0-9])?$")
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")

# How the API server validates `metadata.name` of built-in kinds; other kinds are not checked.
_SUBDOMAIN_KINDS = frozenset(
    (
        "Pod", "PodTemplate", "ConfigMap", "Secret", "ServiceAccount", "PersistentVolume",
        "PersistentVolumeClaim", "Endpoints", "LimitRange", "ResourceQuota", "ReplicationController",
        "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "HorizontalPodAutoscaler",
        "PodDisruptionBudget", "Ingress", "IngressClass", "NetworkPolicy", "StorageClass",
        "PriorityClass", "CustomResourceDefinition", "ValidatingWebhookConfiguration",
        "MutatingWebhookConfiguration", "CSIDriver", "RuntimeClass", "Lease",
    )
)  # fmt: skip
_PATH_SEGMENT_KINDS = frozenset(("Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"))


_SUBDOMAIN = "a DNS subdomain: lowercase letters, digits, '-' and '.'"
_LABEL = "a DNS label: at most 63 lowercase letters, digits and '-'"
# kind -> (pattern, maximum length, what is expected); the rest of the known kinds are subdomains.
_NAME_RULES: dict[str, tuple[re.Pattern[str], int, str]] = {
    "Service": (
        _DNS_1035_LABEL,
        63,
        "an RFC 1035 label: at most 63 lowercase letters, digits and '-', from a letter",
    ),
    "Namespace": (_DNS_LABEL, 63, _LABEL),
    "CronJob": (_DNS_SUBDOMAIN, 52, "a DNS subdomain of at most 52 characters, so that its Jobs' names fit"),
}


def _name_problem(kind: str, name: str) -> str | None:
    if kind in _PATH_SEGMENT_KINDS:
        if name in (".", "..") or "/" in name or "%" in name:
            return f"is not a valid {kind} name (it may not be '.' or '..' or contain '/' or '%')"
        return None
    rule = _NAME_RULES.get(kind) or ((_DNS_SUBDOMAIN, 253, _SUBDOMAIN) if kind in _SUBDOMAIN_KINDS else None)
    if rule is not None and (len(name) > rule[1] or not rule[0].match(name)):
        return f"is not a valid {kind} name ({rule[2]})"
    return None


def object_name(r: Resource, ctx: Context) -> Iterator[Hit]:
    """`metadata.name` (and `metadata.namespace`) that the API server refuses for the kind."""
    meta = r.node.map("metadata")
    if meta is None:
        return
    name_node = meta.present("name")
    name = _text(name_node)
    if name_node is not None and name is not None:
        problem = _name_problem(r.kind, name)
        if problem is not None:
            yield name_node.span, {"field": "name", "value": name, "problem": problem}
    ns_node = meta.present("namespace")
    ns = _text(ns_node)
    if ns_node is not None and ns is not None and (len(ns) > 63 or not _DNS_LABEL.match(ns)):
        problem = f"is not a valid namespace ({_LABEL})"
        yield ns_node.span, {"field": "namespace", "value": ns, "problem": problem}


_LABEL_NAME = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")


_NAME_SYNTAX = "at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit"


def _qualified_name_problem(key: str) -> str | None:
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        return "its prefix is not a DNS subdomain"
    if not name or len(name) > 63 or not _LABEL_NAME.match(name):
        return f"its name must be non-empty, {_NAME_SYNTAX}"
    return None


def _label_value_problem(value: str) -> str | None:
    if value and (len(value) > 63 or not _LABEL_NAME.match(value)):
        return f"a label value must be empty or {_NAME_SYNTAX}"
    return None


def label_syntax(r: Resource, ctx: Context) -> Iterator[Hit]:
    """Label keys and values, and annotation keys, that the API server refuses: on the object and
    on its pod template."""
    from linter.ir.kubernetes import PodView

    metas = [r.node.map("metadata")]
    pod = PodView.of(r)
    if pod is not None and pod.template is not r.node:
        metas.append(pod.template.map("metadata"))
    for meta in metas:
        if meta is None:
            continue
        for field in ("labels", "annotations"):
            mapping = meta.map(field)
            for key, (key_node, value) in mapping.entries.items() if mapping is not None else ():
                problem = _qualified_name_problem(key)
                if problem is not None:
                    yield key_node.span, {"what": f"{field[:-1]} key {key!r}", "problem": problem}
                    continue
                text = _text(value)
                if (
                    field == "labels"
                    and isinstance(text, str)
                    and not isinstance(getattr(value, "value", None), bool)
                ):
                    problem = _label_value_problem(text)
                    if problem is not None:
                        yield value.span, {"what": f"the value of label {key!r}", "problem": problem}


def required_metadata(r: Resource, ctx: Context) -> Iterator[Hit]:
    """Labels or annotations the config requires: each key must be present and, when a pattern
    is given, its value must match it in full."""
    field = str(ctx.params["field"])
    required = ctx.params["required"]
    assert isinstance(required, dict)
    meta = r.node.map("metadata")
    mapping = meta.map(field) if meta is not None else None
    for key, pattern in required.items():
        entry = mapping.entries.get(key) if mapping is not None else None
        value = _text(entry[1]) if entry is not None else None
        if entry is None or value is None:
            where = r.node.deepest("metadata", field)
            yield where, {"field": field[:-1], "key": key, "problem": "is missing"}
        elif pattern and not re.fullmatch(str(pattern), value):
            yield entry[1].span, {"field": field[:-1], "key": key, "problem": f"does not match {pattern}"}


def default_namespace(r: Resource, ctx: Context) -> Iterator[Hit]:
    """An object placed in the `default` namespace; with `missing: true`, also one that names no
    namespace (it lands in the default namespace unless applied with another)."""
    meta = r.node.map("metadata")
    node = meta.present("namespace") if meta is not None else None
    if node is not None:
        if _text(node) == "default":
            yield node.span, {"how": "is in the default namespace"}
    elif ctx.params.get("missing"):
        yield r.node.deepest("metadata"), {"how": "names no namespace"}


def instance_label(r: Resource, ctx: Context) -> Iterator[Hit]:
    """`app.kubernetes.io/instance` is missing or differs from `metadata.name`."""
    meta = r.node.map("metadata")
    labels = meta.map("labels") if meta is not None else None
    entry = labels.entries.get("app.kubernetes.io/instance") if labels is not None else None
    if entry is None:
        yield r.node.deepest("metadata", "labels"), {"problem": "is not set"}
    elif _text(entry[1]) != r.name:
        yield entry[1].span, {"problem": f"is {_text(entry[1])!r}, not the object's name {r.name!r}"}


# -- ConfigMaps and Ingresses ----------------------------------------------------------------------

_PRIVATE_KEY = re.compile(r"-BEGIN\s+(?:[A-Z0-9]+\s+)*PRIVATE KEY-", re.IGNORECASE)
# Key names that say the value is about a secret, not the secret itself.
_NOT_A_SECRET_KEY = re.compile(
    r"(?:[_.-](?:FILE|PATH|DIR|URL|URI|NAME|REF|TTL|TIMEOUT|ENABLED|LENGTH|SIZE|HOST|PORT|USER|USERNAME|KEY_ID|ID)$"
    r"|^(?:ENABLE|DISABLE)[_.-])",
    re.IGNORECASE,
)
_PLAIN_VALUE = re.compile(r"(?:true|false|yes|no|on|off|[+-]?\d+|)", re.IGNORECASE)


def sensitive_configmap(r: Resource, ctx: Context) -> Iterator[Hit]:
    """ConfigMap entries that look like secrets: a key named like one with a value that is not
    plainly something else (a boolean, a number, a path, a URL without credentials), or any value
    holding a private key."""
    names = [re.compile(str(p), re.IGNORECASE) for p in ctx.params["names"]]  # type: ignore[attr-defined]
    for field in ("data", "binaryData"):
        mapping = r.node.map(field)
        for key, (key_node, value) in mapping.entries.items() if mapping is not None else ():
            text = _text(value) or ""
            if field == "data" and _PRIVATE_KEY.search(text):
                yield value.span, {"key": key, "what": "a private key"}
            elif any(p.search(key) for p in names) and not _NOT_A_SECRET_KEY.search(key):
                stripped = text.strip()
                if _PLAIN_VALUE.fullmatch(stripped) or (stripped.startswith("/") and " " not in stripped):
                    continue
                if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://[^/?#@]*(?:[/?#]|$)", stripped):
                    continue  # a URL without user information
                yield key_node.span, {"key": key, "what": "a value under a secret's name"}


def ingress_tls(r: Resource, ctx: Context) -> Iterator[Hit]:
    """An Ingress with no `spec.tls` entry: its hosts are served over plain HTTP."""
    from linter.ir.kubernetes import YSeq

    spec = r.node.map("spec")
    tls = spec.present("tls") if spec is not None else None
    if isinstance(tls, YSeq) and tls.items:
        return
    yield (spec.key_span("tls") if spec is not None else None) or r.node.deepest("spec"), {}


# -- RBAC ------------------------------------------------------------------------------------------

_ALL_VERBS = frozenset(("get", "list", "watch", "create", "update", "patch", "delete"))
_EXEC_RESOURCES = ("pods/exec", "pods/attach")
_EXEC_VERBS = frozenset(("get", "create"))
# What Kubernetes' own user-facing ClusterRoles grant (the API server keeps them so); a binding
# to one of them is judged by name even when the file defines a ClusterRole of that name.
_BUILTIN_ROLES: dict[str, frozenset[str]] = {
    "cluster-admin": frozenset(("admin", "exec", "secrets", "create-pods")),
    "admin": frozenset(("exec", "secrets", "create-pods")),
    "edit": frozenset(("exec", "secrets", "create-pods")),
    "view": frozenset(),
}


def _exempt(r: Resource, ctx: Context) -> bool:
    return any(fnmatchcase(r.name, str(p)) for p in ctx.params.get("exempt", ()))  # type: ignore[attr-defined]


def _rule_maps(role: Resource) -> list[YMap]:
    from linter.ir.kubernetes import YMap

    rules = role.node.seq("rules")
    return [i for i in rules.items if isinstance(i, YMap)] if rules is not None else []


def _resource_matches(granted: str, wanted: str) -> bool:
    """RBAC resource matching: `*`, `pods/*` (every subresource), `*/scale`."""
    if granted in ("*", wanted):
        return True
    base, _, sub = wanted.partition("/")
    g_base, _, g_sub = granted.partition("/")
    if sub and g_sub == "*" and g_base == base:
        return True
    return bool(sub) and g_base == "*" and g_sub == sub


def _grants(rule: YMap, group: str, resource: str, verbs: frozenset[str]) -> YNode | None:
    """The node (a verb, or the resource) of a PolicyRule that grants one of `verbs` on
    `resource` in API `group`, or None."""
    groups = _strings(rule.get("apiGroups"))
    if "*" not in groups and group not in groups:
        return None
    resources = rule.get("resources")
    if not any(_resource_matches(g, resource) for g in _strings(resources)):
        return None
    verbs_node = rule.get("verbs")
    granted = _strings(verbs_node)
    if "*" in granted or any(v in verbs for v in granted):
        return resources
    return None


def _is_admin_rule(rule: YMap) -> bool:
    """Every verb on every resource of every API group (with `*`, or the seven verbs listed)."""
    verbs = set(_strings(rule.get("verbs")))
    return (
        "*" in _strings(rule.get("apiGroups"))
        and "*" in _strings(rule.get("resources"))
        and ("*" in verbs or verbs >= _ALL_VERBS)
    )


def _role_powers(role: Resource) -> set[str]:
    """What a role grants, of what these rules look for."""
    powers: set[str] = set()
    for rule in _rule_maps(role):
        if _is_admin_rule(rule):
            powers.add("admin")
        if any(_grants(rule, "", res, _EXEC_VERBS) for res in _EXEC_RESOURCES):
            powers.add("exec")
        if _grants(rule, "", "secrets", frozenset(("get", "list", "watch"))):
            powers.add("secrets")
        if _grants(rule, "", "pods", frozenset(("create",))):
            powers.add("create-pods")
    return powers


def wildcard_rule(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A `*` in a role rule's apiGroups, resources or verbs."""
    if _exempt(r, ctx):
        return
    from linter.ir.kubernetes import YSeq

    for rule in _rule_maps(r):
        for field in ("apiGroups", "resources", "verbs"):
            node = rule.get(field)
            for item in node.items if isinstance(node, YSeq) else ():
                if _text(item) == "*":
                    yield item.span, {"field": field}
                    break


def role_exec_attach(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A Role or ClusterRole that allows `get` or `create` on pods/exec or pods/attach."""
    if _exempt(r, ctx):
        return
    for rule in _rule_maps(r):
        for res in _EXEC_RESOURCES:
            node = _grants(rule, "", res, _EXEC_VERBS)
            if node is not None:
                yield node.span, {"resource": res}
                break
        else:
            continue
        break


def _bound_role(binding: Resource, ctx: Context) -> tuple[str, str, set[str] | None, YNode | None]:
    """(roleRef kind, name, what the role grants or None when unknown, the roleRef name node)."""
    ref = binding.node.map("roleRef")
    if ref is None:
        return "", "", None, None
    kind = _text(ref.get("kind")) or ""
    name = _text(ref.get("name")) or ""
    node = ref.get("name") or ref
    if kind == "ClusterRole" and name in _BUILTIN_ROLES:
        return kind, name, set(_BUILTIN_ROLES[name]), node
    for role in getattr(ctx.document, "resources", ()):
        if role.kind != kind or role.name != name:
            continue
        if kind == "Role" and role.namespace != binding.namespace:
            continue
        return kind, name, _role_powers(role), node
    return kind, name, None, node


def binding_grants(r: Resource, ctx: Context) -> Iterator[Hit]:
    """A RoleBinding or ClusterRoleBinding whose role (one of `role-kinds`) grants `power`."""
    if _exempt(r, ctx):
        return
    kind, name, powers, node = _bound_role(r, ctx)
    kinds = ctx.params.get("role-kinds") or ("Role", "ClusterRole")
    power = str(ctx.params["power"])
    if powers is None or node is None or kind not in kinds or power not in powers:  # type: ignore[operator]
        return
    yield node.span, {"role": f"{kind} {name}"}


# -- registry --------------------------------------------------------------------------------------

_EXEMPT_PARAM: dict[str, object] = {"type": "array", "items": {"type": "string"}}

CHECKS = {
    "ambiguous-scalar": Check(ambiguous_scalar, ("resource",)),
    "duplicate-object": Check(duplicate_object, ("manifest",)),
    "object-name": Check(object_name, ("resource",)),
    "label-syntax": Check(label_syntax, ("resource",)),
    "required-metadata": Check(
        required_metadata,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["field", "required"],
            "properties": {
                "field": {"enum": ["labels", "annotations"]},
                "required": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        },
    ),
    "default-namespace": Check(
        default_namespace,
        ("resource",),
        {"type": "object", "additionalProperties": False, "properties": {"missing": {"type": "boolean"}}},
    ),
    "instance-label": Check(instance_label, ("resource",)),
    "sensitive-configmap": Check(
        sensitive_configmap,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["names"],
            "properties": {"names": {"type": "array", "items": {"type": "string", "format": "regex"}}},
        },
    ),
    "ingress-tls": Check(ingress_tls, ("resource",)),
    "wildcard-rule": Check(
        wildcard_rule,
        ("resource",),
        {"type": "object", "additionalProperties": False, "properties": {"exempt": _EXEMPT_PARAM}},
    ),
    "role-exec-attach": Check(
        role_exec_attach,
        ("resource",),
        {"type": "object", "additionalProperties": False, "properties": {"exempt": _EXEMPT_PARAM}},
    ),
    "binding-grants": Check(
        binding_grants,
        ("resource",),
        {
            "type": "object",
            "additionalProperties": False,
            "required": ["power"],
            "properties": {
                "power": {"enum": ["admin", "exec", "secrets", "create-pods"]},
                "role-kinds": {"type": "array", "items": {"enum": ["Role", "ClusterRole"]}},
                "exempt": _EXEMPT_PARAM,
            },
        },
    ),
}
