"""`rag-history serve` options (issue 13): every bad value is one line and exit status 2, before
the model loads; frame-ancestors sources are CSP source expressions, hosts in punycode."""

from __future__ import annotations

import socket

import pytest

from rag_history.cli import main
from rag_history.errors import RagHistoryError
from rag_history.web.embed import DEFAULT_FRAME_ANCESTORS, frame_ancestors_policy
from rag_history.web.options import ServeOptions, check_address


@pytest.mark.parametrize("given, policy", [
    (None, DEFAULT_FRAME_ANCESTORS),
    ("'self' https://lms.example.edu", "'self' https://lms.example.edu"),
    ("  'SELF'\thttps://LMS.example.edu:8443/course/  ", "'self' https://lms.example.edu:8443/course/"),
    ("https://öğrenci.example.edu.tr", "https://xn--renci-iua10a.example.edu.tr"),
    ("*.öğrenci.edu.tr https:", "*.xn--renci-iua10a.edu.tr https:"),
    ("'none'", "'none'"),
    ("http://127.0.0.1:* lms.example.edu", "http://127.0.0.1:* lms.example.edu"),
])
def test_frame_ancestors_accepts_csp_sources(given, policy):
    assert frame_ancestors_policy(given) == policy
    policy.encode("latin-1")  # what a response header must be


@pytest.mark.parametrize("given", [
    "https://lms.example.edu/;sandbox", "'self'; script-src *", "'self', https://lms.example.edu",
    "https://a.example\nX-Injected: 1", "https://a.example\r\n", "", "   ", "'unsafe-inline'", "'none' 'self'",
    "https://user@lms.example.edu", "https://lms.example.edu:99999", "https://a..example", "https://exa mple\x00",
    "https://lms.example.edu/päth", "javascript:alert(1)//x/y", "<script>",
])
def test_frame_ancestors_refuses_anything_else(given):
    with pytest.raises(RagHistoryError, match="--frame-ancestors") as error:
        frame_ancestors_policy(given)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("given, kept", [
    ("", ""), ("/", ""), ("/course/chat/", "/course/chat"), ("https://lms.example.edu/chat/", "https://lms.example.edu/chat"),
    ("https://öğrenci.example.edu.tr:8443/chat", "https://xn--renci-iua10a.example.edu.tr:8443/chat"),
    ("http://[::1]:7860", "http://[::1]:7860"),
])
def test_root_path_is_a_path_or_an_http_url(given, kept):
    assert ServeOptions(root_path=given).root_path == kept


@pytest.mark.parametrize("options", [
    {"port": 65536}, {"port": -1}, {"port": "7860"}, {"host": ""}, {"host": "a host"}, {"host": "127.0.0.1\n"},
    {"root_path": "chat"}, {"root_path": "/a/../b"}, {"root_path": "/a b"}, {"root_path": "ftp://example.org/x"},
    {"root_path": "https://example.org/x?y=1"}, {"root_path": "https://u:p@example.org/"},
    {"root_path": "https://example.org:70000/"}, {"root_path": "/x\"><script>"}, {"root_path": "https:///x"},
    {"frame_ancestors": "https://a.example;"},
])
def test_bad_options_are_refused(options):
    with pytest.raises(RagHistoryError) as error:
        ServeOptions(**options)
    assert "\n" not in str(error.value)


def test_address_in_use_or_foreign_is_refused():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        with pytest.raises(RagHistoryError, match="Cannot serve on 127.0.0.1"):
            check_address("127.0.0.1", taken.getsockname()[1])
    with pytest.raises(RagHistoryError, match="Cannot serve on 203.0.113.7"):  # TEST-NET-3: not this machine
        check_address("203.0.113.7", 0)
    check_address("127.0.0.1", 0)


def test_host_names_are_this_servers_own():
    assert ServeOptions().host_names() == ["127.0.0.1", "localhost", "::1"]
    assert "lms.example.edu" in ServeOptions(root_path="https://LMS.example.edu/chat").host_names()
    assert socket.gethostname().lower() in ServeOptions(host="0.0.0.0").host_names()


@pytest.mark.parametrize("argv", [
    ["--port", "99999"], ["--port", "http"], ["--host", "203.0.113.7"], ["--host", "not a host"],
    ["--root-path", "course/chat"], ["--frame-ancestors", "https://lms.example.edu/;sandbox"],
    ["--frame-ancestors", "https://a.example,https://b.example"],
])
def test_serve_refuses_a_bad_option_before_loading_anything(argv, monkeypatch, capsys):
    def no_load(*args, **kwargs):
        raise AssertionError("the model was loaded before the options were checked")

    monkeypatch.setattr("rag_history.cli._load", no_load)
    assert main(["serve", *argv]) == 2
    err = capsys.readouterr().err
    assert err.startswith("rag-history: ") and err.count("\n") == 1, err
