"""The command-level Dockerfile rules (linter/checks/commands.py), through the real pipeline:
BuildKit's and the shell's semantics where they differ from hadolint's."""

from __future__ import annotations

from helpers import lint_text


def lines(tmp_path, text: str, code: str) -> list[int]:
    return [f.span.line for f in lint_text(tmp_path, text, "Dockerfile", select=[code]) if f.code == code]


def spans(tmp_path, text: str, code: str) -> list[tuple[int, int, int, int]]:
    return [
        f.span.astuple() for f in lint_text(tmp_path, text, "Dockerfile", select=[code]) if f.code == code
    ]


def test_pipefail_points_at_the_first_pipe_once_per_run(tmp_path):
    text = "FROM debian:12\nRUN a | b && c | d\n"
    assert spans(tmp_path, text, "DF100") == [(2, 7, 2, 8)]


def test_pipefail_sh_with_the_option_in_shell_and_ash_without(tmp_path):
    assert (
        lines(tmp_path, 'FROM alpine:3.20\nSHELL ["/bin/ash", "-eo", "pipefail", "-c"]\nRUN a | b\n', "DF100")
        == []
    )
    assert lines(tmp_path, 'FROM alpine:3.20\nSHELL ["/bin/ash", "-c"]\nRUN a | b\n', "DF100") == [3]


def test_pipefail_heredoc_fed_to_bash_needs_its_own(tmp_path):
    text = 'FROM debian:12\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN <<EOF bash\nls | sort\nEOF\n'
    assert lines(tmp_path, text, "DF100") == [4]
    text = "FROM debian:12\nRUN <<EOF\nset -o pipefail\nls | sort\nEOF\n"
    assert lines(tmp_path, text, "DF100") == []


def test_pipefail_in_a_bash_c_wrapper(tmp_path):
    assert lines(tmp_path, "FROM debian:12\nRUN bash -o pipefail -c 'ls | sort'\n", "DF100") == []
    assert lines(tmp_path, "FROM debian:12\nRUN bash -c 'ls | sort'\n", "DF100") == [2]


def test_cd_in_a_substitution_is_not_flagged_and_only_the_first_cd_is(tmp_path):
    text = 'FROM debian:12\nRUN x="$(cd /a && pwd)"; cd /b; cd /c\n'
    assert spans(tmp_path, text, "DF101") == [(2, 26, 2, 28)]


def test_sudo_through_another_wrapper(tmp_path):
    assert lines(tmp_path, "FROM debian:12\nRUN env A=1 sudo make install\n", "DF102") == [2]


def test_meaningless_commands_parameter_and_wrapped(tmp_path):
    text = "FROM debian:12\nRUN sudo service nginx start && nano /etc/x\n"
    assert lines(tmp_path, text, "DF103") == [2]
    findings = lint_text(
        tmp_path, text, "Dockerfile", select=["DF103"], parameters={"DF103": {"commands": ["nano"]}}
    )
    assert [f.message for f in findings] == ["nano in RUN has no lasting effect on the image"]


def test_wget_and_curl_each_later_run(tmp_path):
    text = "FROM debian:12\nRUN curl -o a x\nRUN wget -q y\nRUN curl -o b z\nFROM debian:12\nRUN wget -q w\n"
    assert lines(tmp_path, text, "DF104") == [3, 4]


def test_ln_only_when_the_link_is_bin_sh(tmp_path):
    assert lines(tmp_path, "FROM debian:12\nRUN ln -s -f /bin/bash /bin/sh\n", "DF105") == [2]
    assert lines(tmp_path, "FROM debian:12\nRUN ln -s /bin/sh /usr/local/bin/sh\n", "DF105") == []


def test_wget_progress_options(tmp_path):
    ok = "FROM debian:12\nRUN wget -qO- a && wget -nv b && wget --no-verbose c && wget -o log d\n"
    assert lines(tmp_path, ok, "DF106") == []
    bad = "FROM debian:12\nRUN wget -O /tmp/qa.tgz a\n"
    assert spans(tmp_path, bad, "DF106") == [(2, 5, 2, 9)]


def test_useradd_uid_from_arg_and_value_span(tmp_path):
    text = 'FROM debian:12\nARG UID=100000\nRUN useradd -u "$UID" a && useradd -u 99999 b\n'
    assert spans(tmp_path, text, "DF107") == [(3, 16, 3, 22)]


def test_copy_then_extract_tar_not_zip(tmp_path):
    text = (
        "FROM debian:12\nCOPY a.tgz b.zip /tmp/\nRUN tar xzf /tmp/a.tgz -C /opt && unzip /tmp/b.zip\n"
        "COPY c.tar.xz /tmp/c.tar.xz\nRUN tar -xJf /tmp/c.tar.xz --strip-components=1 -C /opt\n"
    )
    assert spans(tmp_path, text, "DF108") == [(2, 6, 2, 11)]


def test_remote_script_forms(tmp_path):
    text = (
        "FROM debian:12\n"
        "RUN curl -fsSL https://x/i.sh | sudo sh -s -- -y\n"
        'RUN eval "$(wget -qO- https://x/env)"\n'
        "RUN curl -fsSL https://x/i.sh | bash script.sh\n"
        "RUN curl -fsSLo i.sh https://x/i.sh && gpg --verify i.sh.asc i.sh && sh i.sh\n"
        "RUN curl -fsSL https://x/i.sh | sh && sha256sum -c sums\n"
    )
    assert lines(tmp_path, text, "DF109") == [2, 3]
