"""Cloud metadata services: a request to one returns the instance's credentials.

The address is judged as the resolver on the target would read it, not as text: an IPv4
address may be written as one integer, in hex or octal, or with fewer than four parts
(``2852039166`` and ``0xa9fea9fe`` are 169.254.169.254). The headers the services require
(GCP's ``Metadata-Flavor``, Azure's ``Metadata``, AWS's session token) mark the request
whatever host it names, since any DNS name may resolve to the service.
"""

from __future__ import annotations

import ipaddress
import posixpath
import re
import socket
import urllib.parse

#: names the clouds give their metadata services (compared without a trailing dot)
NAMES = frozenset({"metadata", "metadata.google.internal", "metadata.goog", "instance-data",
                   "instance-data.ec2.internal", "metadata.azure.com", "metadata.tencentyun.com",
                   "metadata.platformequinix.com"})
#: metadata addresses outside link-local space (Alibaba, AWS's IPv6 endpoint)
ADDRESSES = frozenset({ipaddress.ip_address("100.100.100.200"),
                       ipaddress.ip_address("fd00:ec2::254")})
_HEADER = re.compile(r"metadata-flavor|(^|[\s'\"])metadata\s*:|x-aws-ec2-metadata-token|"
                     r"x-google-metadata-request", re.I)
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


def _host(word: str) -> str:
    """The host part of a URL or of a bare ``host[:port][/path]`` word."""
    rest = _SCHEME.sub("", word, count=1)
    rest = re.split(r"[/?#]", rest, maxsplit=1)[0]
    rest = rest.rsplit("@", 1)[-1]
    if rest.startswith("["):
        return rest[1:].split("]", 1)[0]
    return rest.rsplit(":", 1)[0] if rest.count(":") == 1 else rest


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        pass
    try:  # the legacy forms inet_aton (and so curl, wget and the libc resolver) accept
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


#: the services' own paths, whatever host names them (any DNS name may resolve to the
#: service: ``169.254.169.254.nip.io``): AWS (``latest`` or a dated version), GCP, Azure,
#: DigitalOcean, Oracle, OpenStack
_PATH = re.compile(r"\A/(?:(?:latest|[0-9]{4}-[0-9]{2}-[0-9]{2}|1\.0)/(?:meta-data|user-data|"
                   r"dynamic|api/token)|computeMetadata/|metadata/(?:instance|identity|v1)|"
                   r"opc/v[12]/|openstack/|hetzner/v1/metadata|v[1-4]/credentials/)", re.I)
#: a host name that spells a link-local address inside it (nip.io, sslip.io and the like)
_SPELLED = re.compile(r"(?:\A|[.-])169[.-]254[.-]|(?:\A|[.-])a9fe-?[0-9a-f]{4}(?:[.-]|\Z)", re.I)


def _metadata_path(word: str) -> bool:
    """A URL (a scheme, or a ``host.domain/...``/``host:port/...`` word) whose path, as the
    server reads it (percent-decoded, dot-segments resolved), is a metadata service's."""
    rest = _SCHEME.sub("", word, count=1)
    first = word.split("/", 1)[0]
    if rest == word and ("/" not in word or not any(ch in first for ch in ".:") or
                         any(ch.isspace() for ch in first)):
        return False
    path = "/" + rest.split("/", 1)[1] if "/" in rest else ""
    path = urllib.parse.unquote(re.split(r"[?#]", path, maxsplit=1)[0])
    path = posixpath.normpath(re.sub(r"/{2,}", "/", path)) + "/" if path else ""
    return bool(_PATH.match(path))


def reaches_metadata(word: str) -> bool:
    """Does this word (a URL, a host, or a header) address a cloud metadata service?"""
    if _HEADER.search(word):
        return True
    host = _host(word).lower().rstrip(".")
    if not host:
        return False
    if host in NAMES or _SPELLED.search(host) or _metadata_path(word):
        return True
    ip = _address(host)
    if ip is None:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_link_local or ip in ADDRESSES
