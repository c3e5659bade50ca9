"""The compiled rule catalog. Generated from rules/ by `make catalog`: do not edit."""

FINGERPRINT = [['DF000-dockerfile-syntax-error.yaml', 3515892653],
 ['DF001-base-image-untagged.yaml', 1218918533],
 ['DF002-base-image-latest.yaml', 906378176],
 ['DF003-healthcheck-missing.yaml', 2252310151],
 ['KS000-yaml-syntax-error.yaml', 1881258951],
 ['KS001-yaml-duplicate-key.yaml', 266273424],
 ['KS010-schema-violation.yaml', 1618103013],
 ['KS011-api-version-removed.yaml', 1167373812],
 ['KS012-api-version-deprecated.yaml', 387593410],
 ['KS013-schema-missing.yaml', 1518242654],
 ['KS101-image-not-pinned.yaml', 1389005985],
 ['KS201-cpu-request-missing.yaml', 2276633871],
 ['KS202-cpu-limit-missing.yaml', 3894409941],
 ['KS203-memory-request-missing.yaml', 492244426],
 ['KS204-memory-limit-missing.yaml', 3318207535],
 ['KS301-liveness-probe-missing.yaml', 173490679],
 ['KS302-readiness-probe-missing.yaml', 1057806296],
 ['KS401-host-network.yaml', 1633621653],
 ['KS402-host-pid.yaml', 1035459083],
 ['KS403-host-ipc.yaml', 4048063936],
 ['KS404-privileged-container.yaml', 3730525703],
 ['KS405-privilege-escalation-allowed.yaml', 642949125],
 ['KS406-writable-root-filesystem.yaml', 92241009],
 ['KS407-host-path-volume.yaml', 3030805565],
 ['KS408-host-port.yaml', 2994621901],
 ['KS409-run-as-root.yaml', 76427965],
 ['SL001-unreadable-file.yaml', 2307699709]]

RULES: list[dict[str, object]] = [{'_file': 'DF000-dockerfile-syntax-error.yaml',
  'aliases': ['hadolint:DL1000'],
  'check': 'parse.problems',
  'code': 'DF000',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nRUN echo hi\n~\n',
                         'description': 'A stray editor line',
                         'lines': [3]},
                        {'code': 'FROM alpine:3.20\nENV PATH\n',
                         'description': 'ENV with a name and no value',
                         'lines': [2]},
                        {'code': '# just a note\n', 'description': 'Only comments', 'lines': [1]},
                        {'code': 'FROM ${\n',
                         'description': 'An image reference Docker cannot parse',
                         'lines': [1]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ENV PATH=/usr/local/bin:$PATH\n'
                                 'CMD ["echo", "hi"]\n'}]},
  'language': 'dockerfile',
  'message': '{detail}',
  'name': 'dockerfile-syntax-error',
  'parameters': {'problem': 'dockerfile-syntax'},
  'rationale': 'BuildKit refuses to build a Dockerfile it cannot parse: an unknown instruction, an '
               '`ENV` with a\n'
               'name and no value, a JSON argument list that holds something other than strings, a '
               'file with no\n'
               'instructions. The build fails before any layer is made, usually late in a CI '
               'pipeline.\n',
  'remediation': 'Fix the line named in the finding. Every other rule still runs on the '
                 'instructions that did\n'
                 'parse, so the rest of the file is linted.\n',
  'severity': 'error',
  'target': 'file',
  'title': 'Dockerfile does not parse'},
 {'_file': 'DF001-base-image-untagged.yaml',
  'aliases': ['hadolint:DL3006'],
  'check': 'images.base-image-untagged',
  'code': 'DF001',
  'enabled': True,
  'examples': {'fail': [{'code': "FROM busybox\nRUN echo 'This is an echo from busybox.'\n",
                         'lines': [1]},
                        {'code': 'FROM registry.example.com:5000/team/app AS build\n',
                         'description': 'A registry port is not a tag',
                         'lines': [1]},
                        {'code': 'ARG BASE=python\nFROM ${BASE}\n',
                         'description': 'ARG defaults are seen through',
                         'lines': [2]},
                        {'code': 'FROM busy\\\nbox AS x\n',
                         'description': 'an image name split by a line continuation',
                         'lines': [1]}],
               'pass': [{'code': 'FROM busybox:1.36\n'},
                        {'code': 'FROM '
                                 'alpine@sha256:1fd62556954250bac80d601a196bb7fd480ceba7c10e94dd8fd4c6d1c08783d5\n'},
                        {'code': 'FROM golang:1.23 AS build\n'
                                 'FROM scratch\n'
                                 'COPY --from=build /out /app\n'
                                 'FROM build\n',
                         'description': 'scratch and earlier stages are not images'},
                        {'code': 'ARG BASE\nFROM ${BASE}\n',
                         'description': 'an ARG with no default is set at build time'}]},
  'language': 'dockerfile',
  'message': 'base image {image} has no tag or digest, so each build may start from a different '
             'image',
  'name': 'base-image-untagged',
  'rationale': '`FROM busybox` means `busybox:latest`: whatever the registry serves on the day of '
               'the build.\n'
               'Two builds of the same commit can then differ, and a rebuild can break without a '
               'change of\n'
               'yours. `ARG` defaults used in `FROM` are resolved first, so `ARG BASE=python` '
               'then\n'
               '`FROM ${BASE}` is caught too. `scratch` and references to earlier stages are not '
               'images and are\n'
               'never flagged; an `ARG` with no default is left alone, since its value comes at '
               'build time.\n',
  'remediation': 'Name a release tag (`busybox:1.36`), or better a digest '
                 '(`busybox:1.36@sha256:...`) so that the\n'
                 'tag cannot move under you.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'Base image has no tag or digest'},
 {'_file': 'DF002-base-image-latest.yaml',
  'aliases': ['hadolint:DL3007'],
  'check': 'images.base-image-latest',
  'code': 'DF002',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM node:latest\n', 'lines': [1]},
                        {'code': 'ARG TAG=latest\nFROM --platform=linux/amd64 node:${TAG} AS app\n',
                         'description': 'through an ARG default',
                         'lines': [2]}],
               'pass': [{'code': 'FROM node:22.11-alpine\n'},
                        {'code': 'FROM '
                                 'node:latest@sha256:1fd62556954250bac80d601a196bb7fd480ceba7c10e94dd8fd4c6d1c08783d5\n'}]},
  'language': 'dockerfile',
  'message': "base image {image} uses the mutable 'latest' tag",
  'name': 'base-image-latest',
  'rationale': '`latest` is a tag like any other, moved by whoever publishes the image, usually on '
               'every\n'
               'release. Writing it out does not pin anything: builds stop being reproducible and '
               'can pick up a\n'
               'new major version silently. A digest after the tag (`:latest@sha256:...`) does pin '
               'the image\n'
               'and is not flagged.\n',
  'remediation': 'Use a release tag such as `node:22.11-alpine`, and add a digest where '
                 'reproducibility matters.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'Base image uses the latest tag'},
 {'_file': 'DF003-healthcheck-missing.yaml',
  'aliases': [],
  'check': 'dockerfile.healthcheck-missing',
  'code': 'DF003',
  'enabled': False,
  'examples': {'fail': [{'code': 'FROM nginx:1.27 AS base\n'
                                 'FROM base\n'
                                 'COPY site /usr/share/nginx/html\n',
                         'lines': [2]},
                        {'code': 'FROM nginx:1.27\n'
                                 'ONBUILD HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n',
                         'description': 'ONBUILD in the final stage fires only in images built '
                                        'from it',
                         'lines': [1]}],
               'pass': [{'code': 'FROM nginx:1.27\n'
                                 'HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n'},
                        {'code': 'FROM nginx:1.27 AS base\nHEALTHCHECK NONE\nFROM base\n'},
                        {'code': 'FROM nginx:1.27 AS base\n'
                                 'ONBUILD HEALTHCHECK CMD curl -fsS http://localhost/ || exit 1\n'
                                 'FROM base\n'
                                 'COPY site /usr/share/nginx/html\n',
                         'description': 'an ONBUILD HEALTHCHECK in the stage the final stage '
                                        'builds on'}]},
  'language': 'dockerfile',
  'message': 'the final stage declares no HEALTHCHECK',
  'name': 'healthcheck-missing',
  'rationale': 'Docker and Swarm use `HEALTHCHECK` to tell a running container from a healthy one. '
               'Kubernetes\n'
               'ignores it and uses probes instead, which is why this rule is off by default: '
               'enable it for\n'
               'images that run under plain Docker or Compose. A HEALTHCHECK in the stage the '
               'final stage\n'
               'builds on counts, and so does an `ONBUILD HEALTHCHECK` there, which runs when the '
               'final stage\n'
               'is built; one in the final stage itself only fires in images built from it. '
               '`HEALTHCHECK NONE`\n'
               'counts as a deliberate choice.\n',
  'remediation': 'Add `HEALTHCHECK CMD <command that fails when the service is unhealthy>` to the '
                 'final stage, or\n'
                 '`HEALTHCHECK NONE` to say that none is wanted.\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'Final image declares no HEALTHCHECK'},
 {'_file': 'KS000-yaml-syntax-error.yaml',
  'aliases': [],
  'check': 'parse.problems',
  'code': 'KS000',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: settings\n'
                                 'data:\n'
                                 '  greeting: [hello\n',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: settings\n'
                                 'data:\n'
                                 '  greeting: "[hello"\n'}]},
  'language': 'kubernetes',
  'message': '{detail}',
  'name': 'yaml-syntax-error',
  'parameters': {'problem': ['yaml-syntax', 'yaml-too-large']},
  'rationale': 'kubectl and every controller reject a manifest that is not valid YAML. The '
               'documents before the\n'
               'error are still linted; the rest of the stream cannot be read. A document whose '
               'aliases expand\n'
               'past a million nodes (a "billion laughs" document) or that nests too deeply is not '
               'linted\n'
               'either, so that one hostile file cannot exhaust memory.\n',
  'remediation': 'Fix the YAML at the position given: most often an indentation slip, a tab, or an '
                 'unquoted value\n'
                 'that holds `: ` or starts with `{`, `[`, `*` or `&`. A Helm template must be '
                 'rendered\n'
                 '(`helm template . | shiplint check -`) before it is linted.\n',
  'severity': 'error',
  'target': 'file',
  'title': 'Manifest is not valid YAML'},
 {'_file': 'KS001-yaml-duplicate-key.yaml',
  'aliases': [],
  'check': 'parse.problems',
  'code': 'KS001',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ReplicationController\n'
                                 'metadata:\n'
                                 '  name: etcd\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    app: etcd\n'
                                 '  replicas: 1\n'
                                 '  selector:\n'
                                 '    app: etcd-discovery\n',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ReplicationController\n'
                                 'metadata:\n'
                                 '  name: etcd\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    app: etcd\n'
                                 '  replicas: 1\n'}]},
  'language': 'kubernetes',
  'message': '{detail}',
  'name': 'yaml-duplicate-key',
  'parameters': {'problem': 'yaml-duplicate-key'},
  'rationale': "YAML forbids a key twice in one mapping. The API server's strict decoding rejects "
               'such an\n'
               'object; lenient tools keep one of the two values without a word, so what runs is '
               'not what the\n'
               'reader sees. It usually comes from a merge or a copy and paste.\n',
  'remediation': 'Keep one of the two keys and merge what each held.\n',
  'severity': 'error',
  'target': 'file',
  'title': 'Mapping sets the same key twice'},
 {'_file': 'KS010-schema-violation.yaml',
  'aliases': ['kubeconform:kubeconform'],
  'check': 'kubeschema.schema-violation',
  'code': 'KS010',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: "3"\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          imagePulPolicy: Always\n'
                                 '          limits:\n'
                                 '            cpu: 500m\n',
                         'description': 'a misspelt field, a field at the wrong indentation, a '
                                        'string for an integer',
                         'lines': [6, 16, 17]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - image: nginx:1.27\n'
                                 '      ports:\n'
                                 '        - containerPort: [80]\n',
                         'description': 'a container without its required name; a port that is '
                                        'neither number nor name',
                         'lines': [7, 9]},
                        {'code': 'apiVersion: apiextensions.k8s.io/v1\n'
                                 'kind: CustomResourceDefinition\n'
                                 'metadata:\n'
                                 '  name: widgets.example.com\n'
                                 'spec:\n'
                                 '  group: example.com\n'
                                 '  names: {kind: Widget, plural: widgets}\n'
                                 '  scope: Namespaced\n'
                                 '  versions:\n'
                                 '    - name: v1\n'
                                 '      served: true\n'
                                 '      storage: true\n'
                                 '      schema:\n'
                                 '        openAPIV3Schema:\n'
                                 '          type: object\n'
                                 '          properties:\n'
                                 '            spec:\n'
                                 '              type: object\n'
                                 '              required: [size]\n'
                                 '              properties:\n'
                                 '                size: {type: integer}\n'
                                 '                port: {x-kubernetes-int-or-string: true}\n'
                                 '---\n'
                                 'apiVersion: example.com/v1\n'
                                 'kind: Widget\n'
                                 'metadata:\n'
                                 '  name: w\n'
                                 'spec:\n'
                                 '  size: large\n'
                                 '  colour: red\n',
                         'description': 'a custom resource checked against the CRD in the same '
                                        'file',
                         'lines': [29, 30]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          imagePullPolicy: Always\n'
                                 '          ports:\n'
                                 '            - containerPort: 80\n'
                                 '              name: http\n'
                                 '          readinessProbe:\n'
                                 '            httpGet: {path: /, port: http}\n'
                                 '          resources:\n'
                                 '            limits: {cpu: 500m, memory: 256Mi}\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      imagePulPolicy: Always\n',
                         'description': 'unknown fields are allowed with strict false',
                         'parameters': {'strict': False}},
                        {'code': 'apiVersion: apiextensions.k8s.io/v1\n'
                                 'kind: CustomResourceDefinition\n'
                                 'metadata:\n'
                                 '  name: widgets.example.com\n'
                                 'spec:\n'
                                 '  group: example.com\n'
                                 '  names: {kind: Widget, plural: widgets}\n'
                                 '  scope: Namespaced\n'
                                 '  versions:\n'
                                 '    - name: v1\n'
                                 '      served: true\n'
                                 '      storage: true\n'
                                 '      schema:\n'
                                 '        openAPIV3Schema:\n'
                                 '          type: object\n'
                                 '          properties:\n'
                                 '            spec:\n'
                                 '              type: object\n'
                                 '              properties:\n'
                                 '                size: {type: integer}\n'
                                 '                port: {x-kubernetes-int-or-string: true}\n'
                                 '                extra: {type: object, '
                                 'x-kubernetes-preserve-unknown-fields: true}\n'
                                 '---\n'
                                 'apiVersion: example.com/v1\n'
                                 'kind: Widget\n'
                                 'metadata:\n'
                                 '  name: w\n'
                                 '  labels: {app: w}\n'
                                 'spec:\n'
                                 '  size: 3\n'
                                 '  port: http\n'
                                 '  extra: {anything: [1, 2]}\n',
                         'description': 'a custom resource that matches the CRD in the same '
                                        'file'}]},
  'language': 'kubernetes',
  'message': '{detail}',
  'name': 'schema-violation',
  'parameters': {'kubernetes-version': 'latest', 'strict': True},
  'rationale': 'The API server rejects an object whose fields have the wrong type or lack a '
               'required field, and\n'
               "with kubectl's default strict field validation it also rejects unknown fields. An "
               'unknown field\n'
               'is the most common real bug: a typo such as `imagePulPolicy`, or a field at the '
               'wrong\n'
               'indentation, which lenient tools drop without a word so that the setting never '
               'takes effect.\n'
               'Each object is checked against the schema of its apiVersion and kind in the target '
               'Kubernetes\n'
               'version (the bundled schemas of the last eight minor versions, offline), or '
               'against the\n'
               'openAPIV3Schema of a CustomResourceDefinition in the same file. Unknown fields, '
               'types, enums,\n'
               'required fields and int-or-string values are checked; each finding points at the '
               'offending key.\n',
  'remediation': 'Fix the field at the position given: the message names its path and, for an '
                 'unknown field, the\n'
                 'closest known name or the field it belongs under. Set the parameter '
                 '`kubernetes-version` to the\n'
                 'version of your cluster (default: the newest bundled), and `strict: false` to '
                 'allow unknown\n'
                 'fields.\n',
  'severity': 'error',
  'target': 'resource',
  'title': 'Object does not match the Kubernetes API schema'},
 {'_file': 'KS011-api-version-removed.yaml',
  'aliases': ['pluto:removed'],
  'check': 'kubeschema.removed-api',
  'code': 'KS011',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: policy/v1beta1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  minAvailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'lines': [1]},
                        {'code': 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\n'
                                 'kind: FlowSchema\n'
                                 'metadata:\n'
                                 '  name: fs\n',
                         'description': 'removed in 1.32, so an error when the target is 1.32',
                         'lines': [1],
                         'parameters': {'kubernetes-version': '1.32'}}],
               'pass': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  minAvailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'},
                        {'code': 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\n'
                                 'kind: FlowSchema\n'
                                 'metadata:\n'
                                 '  name: fs\n',
                         'description': 'still served (deprecated) in 1.31',
                         'parameters': {'kubernetes-version': '1.31'}}]},
  'language': 'kubernetes',
  'message': '{kind} {api_version} was removed in Kubernetes {removed} (target {version}): '
             '{advice}',
  'name': 'api-version-removed',
  'parameters': {'kubernetes-version': 'latest'},
  'rationale': 'The API server of the target version no longer serves this apiVersion, so applying '
               'the object\n'
               'fails ("no matches for kind"), and a chart that still uses it cannot be installed '
               'after an\n'
               'upgrade. The table of removed and deprecated API versions is data\n'
               "(schemas/kubernetes/api-versions.json): Kubernetes' deprecation guide, plus what "
               'the bundled\n'
               'schemas show was removed between versions.\n',
  'remediation': 'Move the object to the replacement apiVersion named in the message, and check '
                 "the replacement's\n"
                 'schema: some fields moved or became required (policy/v1 PodDisruptionBudget, '
                 'autoscaling/v2\n'
                 'HorizontalPodAutoscaler). Set the parameter `kubernetes-version` to your '
                 "cluster's version.\n",
  'severity': 'error',
  'target': 'resource',
  'title': 'apiVersion is no longer served by the target Kubernetes version'},
 {'_file': 'KS012-api-version-deprecated.yaml',
  'aliases': ['pluto:deprecated'],
  'check': 'kubeschema.deprecated-api',
  'code': 'KS012',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\n'
                                 'kind: PriorityLevelConfiguration\n'
                                 'metadata:\n'
                                 '  name: plc\n',
                         'lines': [1],
                         'parameters': {'kubernetes-version': '1.31'}}],
               'pass': [{'code': 'apiVersion: flowcontrol.apiserver.k8s.io/v1\n'
                                 'kind: PriorityLevelConfiguration\n'
                                 'metadata:\n'
                                 '  name: plc\n',
                         'parameters': {'kubernetes-version': '1.31'}},
                        {'code': 'apiVersion: flowcontrol.apiserver.k8s.io/v1beta3\n'
                                 'kind: PriorityLevelConfiguration\n'
                                 'metadata:\n'
                                 '  name: plc\n',
                         'description': 'removed, not deprecated, in 1.32 (KS011 reports it)',
                         'parameters': {'kubernetes-version': '1.32'}}]},
  'language': 'kubernetes',
  'message': '{kind} {api_version} is deprecated since Kubernetes {deprecated} and removed in '
             '{removed}: {advice}',
  'name': 'api-version-deprecated',
  'parameters': {'kubernetes-version': 'latest'},
  'rationale': 'A deprecated apiVersion still works in the target version, but the API server '
               'answers with a\n'
               'warning and a later minor version stops serving it; the object then fails to apply '
               'after an\n'
               'upgrade. The table is data (schemas/kubernetes/api-versions.json), from '
               "Kubernetes' deprecation\n"
               'guide.\n',
  'remediation': 'Move the object to the replacement apiVersion named in the message before '
                 'upgrading past the\n'
                 'version that removes it.\n',
  'severity': 'warning',
  'target': 'resource',
  'title': 'apiVersion is deprecated in the target Kubernetes version'},
 {'_file': 'KS013-schema-missing.yaml',
  'aliases': [],
  'check': 'kubeschema.missing-schema',
  'code': 'KS013',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: example.com/v1\n'
                                 'kind: Widget\n'
                                 'metadata:\n'
                                 '  name: a\n'
                                 '---\n'
                                 'apiVersion: example.com/v1\n'
                                 'kind: Widget\n'
                                 'metadata:\n'
                                 '  name: b\n'
                                 '---\n'
                                 'apiVersion: apps/v1\n'
                                 'kind: Deploymnet\n'
                                 'metadata:\n'
                                 '  name: c\n',
                         'lines': [2, 12]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: settings\n'
                                 'data:\n'
                                 '  key: value\n'}]},
  'language': 'kubernetes',
  'message': 'no schema for {api_version} {kind}: its objects are not validated',
  'name': 'schema-missing',
  'parameters': {'kubernetes-version': 'latest'},
  'rationale': 'Objects of a kind with no schema are not checked at all: neither the bundled '
               'schemas of the\n'
               'target Kubernetes version nor a CustomResourceDefinition in the same file describe '
               'it. That is\n'
               'usual for custom resources whose CRD is installed separately, but it can also be a '
               'typo in the\n'
               'apiVersion or kind. Reported once per apiVersion and kind per file, never as an '
               'error; an\n'
               'apiVersion that Kubernetes removed is reported by KS011 instead.\n',
  'remediation': 'Check the spelling of apiVersion and kind. For a custom resource, lint it '
                 'together with its\n'
                 'CustomResourceDefinition (in one file or stream), or ignore this rule.\n',
  'severity': 'info',
  'target': 'resource',
  'title': 'No schema for a kind, so it is not validated'},
 {'_file': 'KS101-image-not-pinned.yaml',
  'aliases': ['polaris:tagNotSpecified',
              'kube-linter:latest-tag',
              'kube-score:container-image-tag',
              'checkov:CKV_K8S_14'],
  'check': 'images.container-image-unpinned',
  'code': 'KS101',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      initContainers:\n'
                                 '        - name: migrate\n'
                                 '          image: registry.example.com:5000/team/migrate\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:latest\n',
                         'lines': [10, 13]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '  - name: sidecar\n'
                                 '    image: '
                                 'registry.example.com:5000/team/proxy@sha256:1fd62556954250bac80d601a196bb7fd480ceba7c10e94dd8fd4c6d1c08783d5\n'}]},
  'language': 'kubernetes',
  'message': 'image {image} {reason}',
  'name': 'image-not-pinned',
  'rationale': 'An image with no tag means `:latest`, and `latest` moves with every release. Nodes '
               'then run\n'
               'whatever they pulled last: replicas of one Deployment can differ, and a rollback '
               'does not roll\n'
               'back. Kubernetes also defaults `imagePullPolicy` to `Always` for such images. '
               'Images are parsed\n'
               'as the container runtime reads them: `registry:5000/app` has a registry port and '
               'no tag, and a\n'
               'digest (`app@sha256:...`) pins the image whatever the tag. Init and ephemeral '
               'containers count.\n',
  'remediation': 'Use a release tag (`nginx:1.27.2`), ideally with its digest '
                 '(`nginx:1.27.2@sha256:...`).\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container image has no tag, or uses latest'},
 {'_file': 'KS201-cpu-request-missing.yaml',
  'aliases': ['polaris:cpuRequestsMissing',
              'kube-linter:unset-cpu-requirements',
              'checkov:CKV_K8S_10'],
  'check': 'resources.resource-missing',
  'code': 'KS201',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            limits:\n'
                                 '              cpu: "1"\n',
                         'description': 'the finding points at the deepest key that exists',
                         'lines': [11]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        requests:\n'
                                 '          cpu: null\n'
                                 '          memory: 128Mi\n',
                         'description': 'a null value is no value (Kubernetes drops null fields)',
                         'lines': [10]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            requests:\n'
                                 '              cpu: "1"\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets no cpu request",
  'name': 'cpu-request-missing',
  'parameters': {'kind': 'requests', 'resource': 'cpu'},
  'rationale': 'The scheduler places pods by their requests. A container with no CPU request '
               'counts as\n'
               'needing none: nodes get overcommitted, and under contention the container gets the '
               'smallest\n'
               'share of CPU. (When only a limit is set, Kubernetes copies it into the request; '
               'set the request\n'
               'explicitly so that the intent is written down.)\n',
  'remediation': 'Set `resources.requests.cpu` on every container. Size it from what the container '
                 'uses under\n'
                 'real load (for example from `kubectl top pod` or your metrics), with some '
                 'headroom.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets no CPU request'},
 {'_file': 'KS202-cpu-limit-missing.yaml',
  'aliases': ['polaris:cpuLimitsMissing', 'checkov:CKV_K8S_11', 'kube-score:container-resources'],
  'check': 'resources.resource-missing',
  'code': 'KS202',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            requests:\n'
                                 '              cpu: "1"\n',
                         'description': 'the finding points at the deepest key that exists',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            limits:\n'
                                 '              cpu: "1"\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets no cpu limit",
  'name': 'cpu-limit-missing',
  'parameters': {'kind': 'limits', 'resource': 'cpu'},
  'rationale': 'Without a CPU limit a busy container can take every idle cycle of its node, and '
               'the pod can\n'
               'never be in the Guaranteed QoS class. Some teams leave CPU limits off on purpose '
               'to avoid\n'
               'throttling; they can ignore this rule in their config.\n',
  'remediation': 'Set `resources.limits.cpu` on every container. Size it from what the container '
                 'uses under\n'
                 'real load (for example from `kubectl top pod` or your metrics), with some '
                 'headroom.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets no CPU limit'},
 {'_file': 'KS203-memory-request-missing.yaml',
  'aliases': ['polaris:memoryRequestsMissing', 'checkov:CKV_K8S_12'],
  'check': 'resources.resource-missing',
  'code': 'KS203',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            limits:\n'
                                 '              memory: "1"\n',
                         'description': 'the finding points at the deepest key that exists',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            requests:\n'
                                 '              memory: "1"\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets no memory request",
  'name': 'memory-request-missing',
  'parameters': {'kind': 'requests', 'resource': 'memory'},
  'rationale': 'The scheduler places pods by their requests. A container with no memory request '
               'counts as\n'
               'needing none, so its node can be overcommitted, and under memory pressure such '
               'pods are the\n'
               'first to be evicted. (When only a limit is set, Kubernetes copies it into the '
               'request; set the\n'
               'request explicitly so that the intent is written down.)\n',
  'remediation': 'Set `resources.requests.memory` on every container. Size it from what the '
                 'container uses under\n'
                 'real load (for example from `kubectl top pod` or your metrics), with some '
                 'headroom.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets no memory request'},
 {'_file': 'KS204-memory-limit-missing.yaml',
  'aliases': ['polaris:memoryLimitsMissing',
              'kube-linter:unset-memory-requirements',
              'checkov:CKV_K8S_13'],
  'check': 'resources.resource-missing',
  'code': 'KS204',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            requests:\n'
                                 '              memory: "1"\n',
                         'description': 'the finding points at the deepest key that exists',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          resources:\n'
                                 '            limits:\n'
                                 '              memory: "1"\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets no memory limit",
  'name': 'memory-limit-missing',
  'parameters': {'kind': 'limits', 'resource': 'memory'},
  'rationale': 'A container with no memory limit can grow until the node runs out of memory, and '
               'then the\n'
               "kernel's OOM killer picks a victim, which may be another workload entirely. A "
               'limit confines\n'
               'the damage to the container that leaks.\n',
  'remediation': 'Set `resources.limits.memory` on every container. Size it from what the '
                 'container uses under\n'
                 'real load (for example from `kubectl top pod` or your metrics), with some '
                 'headroom.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets no memory limit'},
 {'_file': 'KS301-liveness-probe-missing.yaml',
  'aliases': ['polaris:livenessProbeMissing', 'kube-linter:no-liveness-probe', 'checkov:CKV_K8S_8'],
  'check': 'probes.probe-missing',
  'code': 'KS301',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      livenessProbe: null\n',
                         'description': 'a null probe is no probe (Kubernetes drops null fields)',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      initContainers:\n'
                                 '        - name: migrate\n'
                                 '          image: app:1.0\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          livenessProbe:\n'
                                 '            httpGet: {path: /healthz, port: 80}\n'},
                        {'code': 'apiVersion: batch/v1\n'
                                 'kind: Job\n'
                                 'metadata:\n'
                                 '  name: backup\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      restartPolicy: Never\n'
                                 '      containers:\n'
                                 '        - name: backup\n'
                                 '          image: backup:2.1\n',
                         'description': 'Jobs run to completion and need no probes'}]},
  'language': 'kubernetes',
  'message': "container '{container}' has no liveness probe",
  'name': 'liveness-probe-missing',
  'parameters': {'probe': 'livenessProbe'},
  'rationale': 'Without a liveness probe the kubelet restarts a container only when its process '
               'exits. A\n'
               'server that deadlocks or stops answering but stays alive keeps receiving traffic '
               'until someone\n'
               'notices. Jobs and CronJobs run to completion and are not checked, nor are init '
               'containers,\n'
               'which must finish before the pod starts.\n',
  'remediation': 'Add `livenessProbe` to the container: an `httpGet` on a health endpoint, a '
                 '`tcpSocket`, a\n'
                 '`grpc` check or an `exec` command, with timings that suit how fast the '
                 'application starts\n'
                 'and fails.\n',
  'scope': {'container-types': ['container'], 'exclude-kinds': ['Job', 'CronJob']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container has no liveness probe'},
 {'_file': 'KS302-readiness-probe-missing.yaml',
  'aliases': ['polaris:readinessProbeMissing',
              'kube-linter:no-readiness-probe',
              'checkov:CKV_K8S_9',
              'kube-score:pod-probes'],
  'check': 'probes.probe-missing',
  'code': 'KS302',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '  - name: nginx\n'
                                 '    image: nginx:1.14.2\n'
                                 '    ports:\n'
                                 '    - containerPort: 80\n',
                         'description': "the Pod from the project's source material",
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      initContainers:\n'
                                 '        - name: migrate\n'
                                 '          image: app:1.0\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '          readinessProbe:\n'
                                 '            httpGet: {path: /healthz, port: 80}\n'},
                        {'code': 'apiVersion: batch/v1\n'
                                 'kind: Job\n'
                                 'metadata:\n'
                                 '  name: backup\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      restartPolicy: Never\n'
                                 '      containers:\n'
                                 '        - name: backup\n'
                                 '          image: backup:2.1\n',
                         'description': 'Jobs run to completion and need no probes'}]},
  'language': 'kubernetes',
  'message': "container '{container}' has no readiness probe",
  'name': 'readiness-probe-missing',
  'parameters': {'probe': 'readinessProbe'},
  'rationale': 'Without a readiness probe a pod receives Service traffic as soon as its containers '
               'start,\n'
               'before the application can answer, and keeps receiving it while it is overloaded '
               'or shutting\n'
               'down. Rolling updates then drop requests. Jobs and CronJobs serve no traffic and '
               'are not\n'
               'checked, nor are init containers.\n',
  'remediation': 'Add `readinessProbe` to the container: an `httpGet` on a health endpoint, a '
                 '`tcpSocket`, a\n'
                 '`grpc` check or an `exec` command, with timings that suit how fast the '
                 'application starts\n'
                 'and fails.\n',
  'scope': {'container-types': ['container'], 'exclude-kinds': ['Job', 'CronJob']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container has no readiness probe'},
 {'_file': 'KS401-host-network.yaml',
  'aliases': ['polaris:hostNetworkSet', 'kube-linter:host-network', 'checkov:CKV_K8S_19'],
  'code': 'KS401',
  'condition': {'schema': {'properties': {'hostNetwork': {'not': {'const': True}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: DaemonSet\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      hostNetwork: true\n'
                                 '      containers:\n'
                                 '        - name: agent\n'
                                 '          image: agent:1.0\n',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  hostNetwork: false\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': "the pod uses the node's network namespace (hostNetwork: true)",
  'name': 'host-network',
  'rationale': "With `hostNetwork: true` the pod's containers see every interface of the node, can "
               'bind any of\n'
               'its ports and reach services listening on localhost there, and bypass '
               'NetworkPolicies that\n'
               'select pods. Few workloads besides node agents and CNI plugins need it.\n',
  'remediation': 'Remove `hostNetwork: true` and expose the application through a Service. If the '
                 'workload really\n'
                 'is a node agent, say so with a suppression and a comment.\n',
  'severity': 'warning',
  'target': 'pod',
  'title': "Pod shares the node's network namespace"},
 {'_file': 'KS402-host-pid.yaml',
  'aliases': ['polaris:hostPIDSet', 'kube-linter:host-pid', 'checkov:CKV_K8S_17'],
  'code': 'KS402',
  'condition': {'schema': {'properties': {'hostPID': {'not': {'const': True}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 'spec:\n'
                                 '  hostPID: true\n'
                                 '  containers:\n'
                                 '    - name: shell\n'
                                 '      image: busybox:1.36\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': 'the pod sees every process of the node (hostPID: true)',
  'name': 'host-pid',
  'rationale': "With `hostPID: true` the pod's containers see, and with enough privilege signal or "
               'trace, every\n'
               "process on the node, including other pods' processes and the kubelet. Environment "
               'variables of\n'
               'other processes, which often hold secrets, can be read through /proc.\n',
  'remediation': 'Remove `hostPID: true`. Debugging tools that need it belong in an ephemeral '
                 'debug container or\n'
                 'a node-level agent, not in an application workload.\n',
  'severity': 'warning',
  'target': 'pod',
  'title': "Pod shares the node's process namespace"},
 {'_file': 'KS403-host-ipc.yaml',
  'aliases': ['polaris:hostIPCSet', 'kube-linter:host-ipc', 'checkov:CKV_K8S_18'],
  'code': 'KS403',
  'condition': {'schema': {'properties': {'hostIPC': {'not': {'const': True}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: cache\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      hostIPC: true\n'
                                 '      containers:\n'
                                 '        - name: cache\n'
                                 '          image: memcached:1.6\n',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: cache\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      hostIPC: false\n'
                                 '      containers:\n'
                                 '        - name: cache\n'
                                 '          image: memcached:1.6\n'}]},
  'language': 'kubernetes',
  'message': "the pod shares the node's IPC namespace (hostIPC: true)",
  'name': 'host-ipc',
  'rationale': "With `hostIPC: true` the pod's containers share System V IPC objects and POSIX "
               'message queues\n'
               'with every process on the node. They can read or tamper with shared memory that '
               'other\n'
               'workloads use.\n',
  'remediation': 'Remove `hostIPC: true`; share memory between containers of one pod through an '
                 '`emptyDir`\n'
                 'volume with `medium: Memory` instead.\n',
  'severity': 'warning',
  'target': 'pod',
  'title': "Pod shares the node's IPC namespace"},
 {'_file': 'KS404-privileged-container.yaml',
  'aliases': ['polaris:runAsPrivileged',
              'kube-linter:privileged-container',
              'kube-score:container-security-context-privileged',
              'checkov:CKV_K8S_16'],
  'code': 'KS404',
  'condition': {'schema': {'properties': {'securityContext': {'properties': {'privileged': {'not': {'const': True}}}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: tools\n'
                                 'spec:\n'
                                 '  initContainers:\n'
                                 '    - name: sysctl\n'
                                 '      image: busybox:1.36\n'
                                 '      securityContext:\n'
                                 '        privileged: true\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'lines': [10]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        privileged: false\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs privileged: it has every capability and access to all "
             'host devices',
  'name': 'privileged-container',
  'rationale': 'A privileged container runs with all Linux capabilities, without seccomp or '
               'AppArmor\n'
               'confinement, and with access to every device of the node. Escaping to the node '
               'from it takes\n'
               'one command. Init and ephemeral containers count as much as the main ones.\n',
  'remediation': 'Remove `securityContext.privileged: true`. Grant only the capabilities the '
                 'process needs with\n'
                 '`securityContext.capabilities.add`, and drop the rest.\n',
  'severity': 'error',
  'target': 'container',
  'title': 'Container runs privileged'},
 {'_file': 'KS405-privilege-escalation-allowed.yaml',
  'aliases': ['polaris:privilegeEscalationAllowed', 'checkov:CKV_K8S_20'],
  'code': 'KS405',
  'condition': {'schema': {'properties': {'securityContext': {'properties': {'allowPrivilegeEscalation': {'const': False}},
                                                              'required': ['allowPrivilegeEscalation'],
                                                              'type': 'object'}},
                           'required': ['securityContext']}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'left out, which Kubernetes takes as allowed',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        allowPrivilegeEscalation: true\n',
                         'lines': [10]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n',
                         'description': 'an empty securityContext sets nothing',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        allowPrivilegeEscalation: false\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' does not set securityContext.allowPrivilegeEscalation: false",
  'name': 'privilege-escalation-allowed',
  'rationale': "Unless `allowPrivilegeEscalation` is `false`, the kernel's no_new_privs flag is "
               'not set, and a\n'
               'process in the container can gain more privileges than its parent, through setuid '
               'binaries\n'
               'such as `su` or `sudo` or file capabilities. Kubernetes allows escalation when the '
               'field is\n'
               'left out, so only an explicit `false` passes. The field exists only on containers, '
               'not on the\n'
               "pod's securityContext.\n",
  'remediation': 'Set `securityContext.allowPrivilegeEscalation: false` on each container. Very '
                 'few applications\n'
                 'need setuid binaries at run time.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container does not forbid privilege escalation'},
 {'_file': 'KS406-writable-root-filesystem.yaml',
  'aliases': ['polaris:notReadOnlyRootFilesystem',
              'kube-linter:no-read-only-root-fs',
              'kube-score:container-security-context-readonlyrootfilesystem',
              'checkov:CKV_K8S_22'],
  'code': 'KS406',
  'condition': {'schema': {'properties': {'securityContext': {'properties': {'readOnlyRootFilesystem': {'const': True}},
                                                              'required': ['readOnlyRootFilesystem'],
                                                              'type': 'object'}},
                           'required': ['securityContext']}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        readOnlyRootFilesystem: false\n',
                         'lines': [10]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        readOnlyRootFilesystem: true\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' does not set securityContext.readOnlyRootFilesystem: true",
  'name': 'writable-root-filesystem',
  'rationale': 'A writable root filesystem lets an intruder change binaries and configuration '
               'inside the\n'
               'container, drop tools, and keep state across a process restart. With a read-only '
               'root, what\n'
               'the application writes goes to volumes you chose, which also makes its behaviour '
               'easier to see.\n',
  'remediation': 'Set `securityContext.readOnlyRootFilesystem: true`, and mount an `emptyDir` '
                 'volume wherever the\n'
                 'application must write (for example `/tmp` or a cache directory).\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': "Container's root filesystem is writable"},
 {'_file': 'KS407-host-path-volume.yaml',
  'aliases': ['polaris:hostPathSet'],
  'code': 'KS407',
  'condition': {'schema': {'properties': {'volumes': {'items': {'not': {'required': ['hostPath']}}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '  volumes:\n'
                                 '    - name: config\n'
                                 '      configMap: {name: agent}\n'
                                 '    - name: docker\n'
                                 '      hostPath: {path: /var/run/docker.sock}\n',
                         'lines': [12]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '  volumes:\n'
                                 '    - name: scratch\n'
                                 '      emptyDir: {}\n'}]},
  'language': 'kubernetes',
  'message': 'the pod mounts a path of the node through a hostPath volume',
  'name': 'host-path-volume',
  'rationale': 'A `hostPath` volume gives the pod a directory or file of the node itself. '
               'Depending on the path\n'
               "that can expose the container runtime's socket, the kubelet's credentials or other "
               "pods' data,\n"
               'and writes to it outlive the pod. It also ties the pod to whatever happens to be '
               'on one node.\n',
  'remediation': 'Use a PersistentVolumeClaim, a ConfigMap or Secret, or an `emptyDir` instead. '
                 'Node agents that\n'
                 'really need host paths should mount them read-only and carry a suppression that '
                 'says why.\n',
  'severity': 'warning',
  'target': 'pod',
  'title': 'Pod mounts a directory of the node'},
 {'_file': 'KS408-host-port.yaml',
  'aliases': ['polaris:hostPortSet', 'checkov:CKV_K8S_26'],
  'code': 'KS408',
  'condition': {'schema': {'properties': {'ports': {'items': {'properties': {'hostPort': {'anyOf': [{'const': 0},
                                                                                                    {'type': 'null'}]}}}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      ports:\n'
                                 '        - containerPort: 80\n'
                                 '          hostPort: 8080\n',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      ports:\n'
                                 '        - containerPort: 80\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' binds a port of its node (hostPort)",
  'name': 'host-port',
  'rationale': "A `hostPort` binds the port on the node's own address. Only one pod per node can "
               'hold it, so\n'
               'replicas fail to schedule once the nodes run out, and the port bypasses Services '
               'and, on many\n'
               'network plugins, NetworkPolicies.\n',
  'remediation': 'Remove `hostPort` and expose the container through a Service (NodePort or '
                 'LoadBalancer if it\n'
                 'must be reachable from outside the cluster).\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container binds a port of the node'},
 {'_file': 'KS409-run-as-root.yaml',
  'aliases': ['polaris:runAsRootAllowed', 'kube-linter:run-as-non-root', 'checkov:CKV_K8S_23'],
  'check': 'security.run-as-non-root',
  'code': 'KS409',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'nothing set',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsNonRoot: true\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        runAsNonRoot: false\n',
                         'description': "the container overrides the pod's default",
                         'lines': [12]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsUser: 0\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'explicitly root',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsNonRoot: true\n'
                                 '    runAsGroup: 0\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a non-root user in the root group',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsNonRoot: true\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': "the pod's default applies to every container"},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        runAsUser: 10001\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' may run as root: it {reason}",
  'name': 'run-as-root',
  'rationale': 'Unless the pod or the container says otherwise, a container runs as the user its '
               'image names,\n'
               "which for most images is root. Root in a container is root on the node's kernel: "
               'one kernel\n'
               'bug or one mounted path away from the node. `runAsNonRoot: true` makes the kubelet '
               'refuse to\n'
               'start the container as root; a non-zero `runAsUser` picks the user outright. The '
               "pod's\n"
               "securityContext sets both for every container, and a container's own "
               'securityContext\n'
               "overrides the pod's, as Kubernetes applies them. `runAsGroup: 0` is flagged too: a "
               'non-root user\n'
               'in the root group can still write every file the image gave to group root.\n',
  'remediation': 'Set `securityContext.runAsNonRoot: true` (on the pod, or on each container), and '
                 'give a numeric\n'
                 '`runAsUser` when the image names its user by name. Build images whose `USER` is '
                 'a numeric id.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container may run as root, or in the root group'},
 {'_file': 'SL001-unreadable-file.yaml',
  'aliases': [],
  'check': 'parse.problems',
  'code': 'SL001',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL author="José"\n',
                         'description': 'A Dockerfile saved in Latin-1',
                         'encoding': 'latin-1',
                         'filename': 'Dockerfile',
                         'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\nLABEL author="José"\n',
                         'filename': 'Dockerfile'}]},
  'language': 'any',
  'message': '{detail}',
  'name': 'unreadable-file',
  'parameters': {'problem': ['unreadable', 'encoding', 'binary', 'too-large']},
  'rationale': 'A file that shiplint was asked to lint but cannot read (no permission, not UTF-8, '
               'binary, or\n'
               'larger than `max-file-size`) is not checked at all, so it is reported rather than '
               'skipped:\n'
               'silence would read as a clean bill of health. Docker and Kubernetes both expect '
               'UTF-8 text.\n',
  'remediation': 'Save the file as UTF-8, fix its permissions, or exclude it from the paths you '
                 'lint. Raise\n'
                 '`max-file-size` in the config if a large manifest really is meant to be '
                 'linted.\n',
  'severity': 'error',
  'target': 'file',
  'title': 'File cannot be read as text'}]
