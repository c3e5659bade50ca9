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
 ['DF021-instruction-overridden.yaml', 269210330],
 ['DF022-consecutive-run.yaml', 3770217270],
 ['DF023-copy-relative-without-workdir.yaml', 2494254442],
 ['DF024-env-same-statement-reference.yaml', 3116227824],
 ['DF025-label-key-invalid.yaml', 503421238],
 ['DF026-expose-invalid.yaml', 2974514843],
 ['DF027-expose-protocol-casing.yaml', 3340103736],
 ['DF028-stage-name-casing.yaml', 2036825222],
 ['DF029-from-as-casing.yaml', 3574108848],
 ['DF030-instruction-casing.yaml', 2871884039],
 ['DF031-reserved-stage-name.yaml', 2225706900],
 ['DF032-legacy-key-value.yaml', 2958304253],
 ['KS000-yaml-syntax-error.yaml', 1881258951],
 ['KS001-yaml-duplicate-key.yaml', 266273424],
 ['KS010-schema-violation.yaml', 1159488658],
 ['KS011-api-version-removed.yaml', 1167373812],
 ['KS012-api-version-deprecated.yaml', 387593410],
 ['KS013-schema-missing.yaml', 2627367501],
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
 ['KS405-privilege-escalation-allowed.yaml', 4234440822],
 ['KS406-writable-root-filesystem.yaml', 740926815],
 ['KS407-host-path-volume.yaml', 14598554],
 ['KS408-host-port.yaml', 2994621901],
 ['KS409-run-as-root.yaml', 3206409458],
 ['KS410-dangerous-capabilities.yaml', 2234450019],
 ['KS411-capabilities-not-dropped.yaml', 3523044613],
 ['KS412-net-raw-capability.yaml', 2934432055],
 ['KS413-proc-mount-unmasked.yaml', 3756212966],
 ['KS414-host-process.yaml', 129390945],
 ['KS415-service-account-token-mounted.yaml', 1825647464],
 ['KS416-linux-hardening-missing.yaml', 2232591291],
 ['KS417-sensitive-env-var.yaml', 2573912021],
 ['KS418-sensitive-host-mount.yaml', 2474565774],
 ['KS419-writable-host-mount.yaml', 2751626639],
 ['KS420-privileged-port.yaml', 1785188305],
 ['KS501-image-pull-policy-not-always.yaml', 3145929059],
 ['KS502-replicas-too-few.yaml', 1223313646],
 ['KS503-priority-class-missing.yaml', 1399803527],
 ['KS504-topology-spread-missing.yaml', 183892040],
 ['KS505-naked-pod.yaml', 3967758134],
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
  'aliases': ['hadolint:DL4003', 'hadolint:DL4004', 'buildkit:MultipleInstructionsDisallowed'],
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
  'aliases': ['buildkit:ReservedStageName'],
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
  'parameters': {'kubernetes-version': 'latest', 'schema-folders': []},
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
               'Linux-only, and the API rejects it on them.\n',
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
  'aliases': ['polaris:dangerousCapabilities'],
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
               'flag more.\n',
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
  'enabled': False,
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
               'Off by default, like the other hardening rules beyond the baseline '
               '(`linux-hardening-missing`,\n'
               "`service-account-token-mounted`): enable it for the Pod Security Standards' "
               'restricted profile,\n'
               'which requires dropping `ALL`.\n',
  'remediation': 'Set `securityContext.capabilities.drop: [ALL]` on each container, and add back '
                 'only what the\n'
                 'process needs, for example `add: [NET_BIND_SERVICE]` to bind a port below '
                 '1024.\n',
  'scope': {'os': ['linux']},
  'severity': 'warning',
  'target': 'container',
  'title': "Container keeps the runtime's default capabilities"},
 {'_file': 'KS412-net-raw-capability.yaml',
  'aliases': ['kube-linter:drop-net-raw-capability'],
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
  'enabled': False,
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
               'code running in the pod can call the Kubernetes API with that\n'
               "account's permissions. Most applications never talk to the API. The pod's\n"
               '`automountServiceAccountToken` wins when it is set; when the pod leaves it unset, '
               'the\n'
               "ServiceAccount's field applies. A ServiceAccount that sets it to `false` is "
               'honoured when it is\n'
               'in the same file (same name, and same namespace when both name one); one defined '
               'elsewhere\n'
               'cannot be seen, so the pod should say `false` itself.\n'
               "Off by default, as most clusters' manifests leave the field unset; enable it to "
               'hold workloads\n'
               'to an explicit choice.\n',
  'remediation': 'Set `automountServiceAccountToken: false` in the pod spec (or on its '
                 'ServiceAccount, in the\n'
                 'same file). A pod that does call the API can mount a projected token volume in '
                 'just the\n'
                 'container that needs it.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
  'target': 'container',
  'title': "Container gets the pod's service account API token"},
 {'_file': 'KS416-linux-hardening-missing.yaml',
  'aliases': ['polaris:linuxHardening'],
  'check': 'security.linux-hardening',
  'code': 'KS416',
  'enabled': False,
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
               "Off by default; enable it for the Pod Security Standards' restricted profile, "
               'which requires a\n'
               'seccomp profile.\n',
  'remediation': "Set `securityContext.seccompProfile.type: RuntimeDefault` in the pod's "
                 'securityContext, which\n'
                 'applies to every container, and drop `ALL` capabilities on each container.\n',
  'scope': {'container-types': ['container', 'init'], 'os': ['linux']},
  'severity': 'warning',
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
  'aliases': ['kube-linter:sensitive-host-mounts', 'kube-linter:docker-sock'],
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
  'enabled': False,
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
               "and can be read by the node's own services and other pods. Off by default, since\n"
               '`host-path-volume` already flags every hostPath volume; enable it to single out '
               'the writable\n'
               'ones.\n',
  'remediation': 'Set `readOnly: true` on the volumeMount, or replace the hostPath volume with a\n'
                 'PersistentVolumeClaim or an `emptyDir`.\n',
  'severity': 'warning',
  'target': 'container',
  'title': 'Container mounts a directory of the node writable'},
 {'_file': 'KS420-privileged-port.yaml',
  'aliases': ['kube-linter:privileged-ports'],
  'code': 'KS420',
  'condition': {'schema': {'properties': {'ports': {'items': {'properties': {'containerPort': {'minimum': 1024}}}}}}},
  'enabled': False,
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
               'namespace lowers `net.ipv4.ip_unprivileged_port_start` (recent containerd releases '
               'do so by\n'
               'default; Docker and older runtimes do not). Images built to listen on 80 or 443 '
               'are therefore\n'
               'often run as root or with the capability added back. Off by default, as it depends '
               'on the\n'
               'runtime.\n',
  'remediation': 'Listen on a port at or above 1024 inside the container, and map port 80 or 443 '
                 'in the Service\n'
                 '(`port: 80`, `targetPort: 8080`).\n',
  'severity': 'info',
  'target': 'container',
  'title': 'Container listens on a privileged port'},
 {'_file': 'KS501-image-pull-policy-not-always.yaml',
  'aliases': ['polaris:pullPolicyNotAlways',
              'kube-score:container-image-pull-policy',
              'checkov:CKV_K8S_15'],
  'check': 'workloads.pull-policy',
  'code': 'KS501',
  'enabled': False,
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
               'cannot change, so its policy does not matter\n'
               'and it passes.\n'
               'Off by default: with tags that are never pushed twice, `IfNotPresent` is what most '
               'teams want.\n',
  'remediation': 'Pin the image by digest (`app@sha256:...`), or set `imagePullPolicy: Always`; '
                 'with a registry\n'
                 'nearby, `Always` costs only a manifest request when the image is cached.\n',
  'scope': {'container-types': ['container', 'init']},
  'severity': 'warning',
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
  'aliases': ['polaris:topologySpreadConstraint'],
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
                         'lines': [8]}],
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
               'and passes. Reported as info, since the\n'
               'default spreading is often enough.\n',
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
