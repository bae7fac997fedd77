"""The options of `rag-history serve`, checked before anything is loaded.

A bad value (a port out of range, a host this machine cannot listen on, a root path that is not
a path or an http(s) URL, a frame-ancestors list that is not CSP) is a user error: one line
saying what to give instead. The command line checks them before the model loads, so a typo
costs a second, not a model load. Standard library only: the web stack is not imported here.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from typing import TYPE_CHECKING

from ..errors import RagHistoryError
from .embed import ascii_host, frame_ancestors_policy

if TYPE_CHECKING:
    from ..questionlog import QuestionLog

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
WILDCARD_HOSTS = ("0.0.0.0", "::")
# A URL path of plain segments: letters, digits, `-._~`, percent-escapes and a few sub-delimiters
# (no quotes, brackets, `;` or `,`: the prefix ends up in HTML, JSON and headers).
_PATH = re.compile(r"(/[A-Za-z0-9\-._~%!$&+=:@]+)*")


@dataclass(frozen=True)
class ServeOptions:
    """Checked on creation (RagHistoryError); root_path and frame_ancestors are kept normalized."""

    host: str = "127.0.0.1"
    port: int = 7860  # 0: any free port
    root_path: str = ""  # URL prefix (or full public URL) when behind a reverse proxy
    frame_ancestors: str | None = None  # CSP frame-ancestors sources; None: embed.DEFAULT_FRAME_ANCESTORS
    concurrency: int = 4  # answers admitted at once per page (computed in turn on the event loop: app.py)
    question_log: "QuestionLog | None" = None  # where the chat logs questions and votes; None: nothing is logged

    def __post_init__(self):
        if not self.host or not self.host.isprintable() or " " in self.host:
            raise RagHistoryError(f"--host: {self.host!r} is not a host name or address; use e.g. 127.0.0.1, "
                                  "or 0.0.0.0 for every interface.")
        if isinstance(self.port, bool) or not isinstance(self.port, int) or not 0 <= self.port <= 65535:
            raise RagHistoryError(f"--port: {self.port!r} is not a port; use a number from 1 to 65535 "
                                  "(0: any free port).")
        object.__setattr__(self, "root_path", _root_path(self.root_path))
        object.__setattr__(self, "frame_ancestors", frame_ancestors_policy(self.frame_ancestors))

    @property
    def public_host(self) -> str | None:
        """The host of a full-URL root path: the name browsers use behind a proxy."""
        return urlsplit(self.root_path).hostname if "://" in self.root_path else None

    def host_names(self) -> list[str]:
        """The names a request may give in its Host header (anything else: 400).

        Gradio builds the app's own URLs from that header, so only this server's own names may
        be reflected: loopback, the address listened on, the public URL's host, and for a wildcard
        address the machine's name and the addresses it resolves to.
        """
        names = list(LOOPBACK_NAMES)
        if self.host in WILDCARD_HOSTS:
            own = {socket.gethostname(), socket.getfqdn()}
            try:
                own |= {info[4][0] for info in socket.getaddrinfo(socket.gethostname(), None)}
            except OSError:  # an unresolvable machine name: its name still counts
                pass
            names += sorted(own)
        else:
            names.append(self.host)
        if self.public_host:
            names.append(self.public_host)
        return list(dict.fromkeys(name.lower() for name in names))


def parse_port(text: str | int) -> int:
    """A port from the command line (the check itself is ServeOptions')."""
    try:
        return int(text)
    except ValueError:
        raise RagHistoryError(f"--port: {text!r} is not a port; use a number from 1 to 65535.") from None


def cannot_serve(host: str, port: int) -> str:
    return (f"Cannot serve on {host}:{port} (in use, or not an address of this machine); "
            "choose another with --host/--port.")


def check_address(host: str, port: int) -> None:
    """Bind (and release) the address once, so that a taken port or a foreign host fails now."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                             flags=socket.AI_PASSIVE)[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
            probe.bind(address)
    except (OSError, UnicodeError):
        raise RagHistoryError(cannot_serve(host, port)) from None


def _root_path(value: str) -> str:
    """'' or '/a/path' or 'http(s)://host[:port][/path]', without a trailing slash."""
    bad = RagHistoryError(f"--root-path: {value!r} is not a URL path or an http(s) URL; use e.g. /chat "
                          "or https://lms.example.edu/chat.")
    if not isinstance(value, str) or not value.isprintable() or " " in value:
        raise bad
    value = value.rstrip("/")
    if "://" not in value:
        if value and (not value.startswith("/") or not _PATH.fullmatch(value) or _dot_segment(value)):
            raise bad
        return value
    try:
        parts = urlsplit(value)
        port = parts.port  # raises ValueError when out of range or not a number
        host = parts.hostname or ""
        if ":" not in host:  # a name, not an IPv6 literal
            host = ascii_host(host)
    except (ValueError, UnicodeError):
        raise bad from None
    if (parts.scheme not in ("http", "https") or not host or parts.username is not None or parts.query
            or parts.fragment or not _PATH.fullmatch(parts.path) or _dot_segment(parts.path)
            or not (_is_ip(host) or re.fullmatch(r"[a-z0-9-]+(\.[a-z0-9-]+)*", host))):
        raise bad
    netloc = (f"[{host}]" if ":" in host else host) + (f":{port}" if port is not None else "")
    return f"{parts.scheme}://{netloc}{parts.path}"


def _dot_segment(path: str) -> bool:
    return any(segment in (".", "..") for segment in path.split("/"))


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host)
        return True
    except ValueError:
        return False
