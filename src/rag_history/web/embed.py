"""What course pages need to embed the chat: the snippets to paste, and who may frame it.

The widget is a plain script served by the app itself (no CDN, unlike Gradio's `<gradio-app>`
web component): it opens the `/embed` view in an iframe.

`--frame-ancestors` goes into a response header, so it is checked here against the CSP grammar
of a source expression (no library parses CSP sources): anything else could end the directive
(`;`), add a header line, or fail to encode as a header at all (a non-ASCII host). Host names in
any script are turned into their ASCII (punycode) form with Python's IDNA codec.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..errors import RagHistoryError

# Any site may frame the chat: course pages live on many hosts. Restrict it with --frame-ancestors.
DEFAULT_FRAME_ANCESTORS = "*"
KEYWORDS = ("'self'", "'none'")  # the only keyword sources frame-ancestors takes
# CSP source expressions (CSP Level 3, section 2.3.1): a scheme-source such as `https:`, or a
# host-source: optional scheme, host (`*`, `*.` prefix allowed), optional port, optional path.
# The host is matched after IDNA encoding, so it is ASCII here; the path excludes `;` and `,`,
# which end a directive or a policy.
_SCHEME = r"[a-z][a-z0-9+.-]*"
_HOST = r"(\*|(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.?)"
_PATH = r"(/[a-z0-9\-._~%!$&'()*+=:@/]*)?"
_SCHEME_SOURCE = re.compile(rf"{_SCHEME}:", re.I)
_HOST_SOURCE = re.compile(rf"(?P<scheme>{_SCHEME}://)?(?P<host>[^/:]+)(?P<port>:(\d{{1,5}}|\*))?(?P<path>/.*)?",
                          re.I | re.S)
_HOST_PART = re.compile(_HOST, re.I)
_PATH_PART = re.compile(_PATH, re.I)
_SPACES = re.compile(r"[ \t]+")
_HELP = "use e.g. \"'self' https://lms.example.edu\" (space-separated), or * for any site"


@dataclass(frozen=True)
class Snippets:
    iframe: str
    script: str


def snippets(base_url: str) -> Snippets:
    base = base_url.rstrip("/")
    return Snippets(
        iframe=(f'<iframe src="{base}/embed/?lang=tr" title="Ask the article" loading="lazy" '
                f'style="width:100%;max-width:480px;height:640px;border:1px solid #ccc;border-radius:8px"></iframe>'),
        script=f'<script src="{base}/widget.js" data-lang="tr" data-theme="light" defer></script>',
    )


def frame_ancestors_policy(sources: str | None) -> str:
    """The CSP frame-ancestors source list, one source per word, hosts in ASCII.

    Refused with one line (RagHistoryError): an empty list, a `;`, `,` or line break, a source
    that is not a CSP source expression, and 'none' beside other sources.
    """
    value = DEFAULT_FRAME_ANCESTORS if sources is None else sources
    if not value.replace("\t", " ").isprintable():
        raise RagHistoryError(f"--frame-ancestors: {value!r} has a line break or control character; {_HELP}.")
    words = [w for w in _SPACES.split(value.strip()) if w]
    if not words:
        raise RagHistoryError(f"--frame-ancestors: no source given; {_HELP}.")
    policy = [_source(word) for word in words]
    if "'none'" in policy and len(policy) > 1:
        raise RagHistoryError(f"--frame-ancestors: 'none' must stand alone; {_HELP}.")
    return " ".join(policy)


def ascii_host(host: str) -> str:
    """A host name in its ASCII form (IDNA: `öğrenci.edu.tr` -> `xn--renci-iua10a.edu.tr`), lowercased.

    Raises UnicodeError for a name the IDNA codec cannot encode (an empty or over-long label).
    """
    if host.isascii():
        return host.lower()
    return host.encode("idna").decode("ascii")


def _source(word: str) -> str:
    if word.lower() in KEYWORDS:
        return word.lower()
    if _SCHEME_SOURCE.fullmatch(word):
        return word.lower()
    match = _HOST_SOURCE.fullmatch(word)
    bad = RagHistoryError(f"--frame-ancestors: {word!r} is not a CSP source; {_HELP}.")
    if not match or any(ch in word for ch in ";,"):
        raise bad
    wildcard = match["host"].startswith("*.")
    try:
        host = ("*." if wildcard else "") + ascii_host(match["host"][2:] if wildcard else match["host"])
    except UnicodeError:
        raise bad from None
    port = match["port"] or ""
    if not _HOST_PART.fullmatch(host) or (port[1:].isdigit() and int(port[1:]) > 65535):
        raise bad
    path = match["path"] or ""
    if not _PATH_PART.fullmatch(path):
        raise bad
    return f"{(match['scheme'] or '').lower()}{host}{port}{path}"
