"""Cloud metadata addresses in every spelling the target's resolver accepts."""

from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sshgate.guard import classify
from sshgate.guard.metadata import reaches_metadata

from .expect import TABLE_BUDGET


def spellings(ip: str) -> list[str]:
    """The ways inet_aton (curl, wget, libc) reads one IPv4 address."""
    a, b, c, d = (int(x) for x in ip.split("."))
    n = int(ipaddress.IPv4Address(ip))
    return [ip, str(n), hex(n), "0" + oct(n)[2:], f"{a}.{b}.{(c << 8) | d}",
            f"{a}.{(b << 16) | (c << 8) | d}", f"0{a:o}.0{b:o}.0{c:o}.0{d:o}",
            f"{a:#x}.{b:#x}.{c:#x}.{d:#x}", f"[::ffff:{ip}]",
            f"[::ffff:{(a << 8) | b:x}:{(c << 8) | d:x}]"]


IMDS = "169.254.169.254"


@pytest.mark.parametrize("host", spellings(IMDS))
@pytest.mark.parametrize("form", ["http://{h}/latest/meta-data/", "{h}/latest/meta-data/",
                                  "http://u:p@{h}:80/x", "HTTP://{h}"])
def test_every_spelling_of_the_aws_address_is_metadata(host, form):
    url = form.format(h=host)
    assert reaches_metadata(url)
    for line in (f"curl -s {url}", f"wget -qO- {url}", f"curl -sL '{url}' | jq ."):
        assert classify(line).findings, line


@pytest.mark.parametrize("word", [
    "http://metadata.google.internal/computeMetadata/v1/", "http://metadata/computeMetadata/v1/",
    "http://instance-data/latest/meta-data/", "http://METADATA.GOOGLE.INTERNAL./x",
    "http://100.100.100.200/latest/meta-data/", "http://[fd00:ec2::254]/latest/",
    "http://169.254.170.2/v2/credentials/x", "Metadata-Flavor: Google", "Metadata:true",
    "X-aws-ec2-metadata-token: abc", "http://[fe80::1%25eth0]/"])
def test_names_addresses_and_headers_of_other_clouds(word):
    assert reaches_metadata(word)


def test_a_header_marks_the_request_whatever_host_it_names():
    line = "curl -s -H 'Metadata-Flavor: Google' http://my-name.example/computeMetadata/v1/"
    assert classify(line).findings


@given(st.integers(0, 2**32 - 1))
def test_link_local_iff_metadata_for_every_address_and_spelling(n):
    ip = str(ipaddress.IPv4Address(n))
    expected = ipaddress.IPv4Address(n).is_link_local or ip == "100.100.100.200"
    for host in spellings(ip):
        assert reaches_metadata(f"http://{host}/") == expected, host


@pytest.mark.parametrize("line", ["curl -s https://example.com/api/health",
                                  "curl -sI http://10.0.0.5:8080/metrics",
                                  "wget -qO- https://pypi.org/simple/requests/"])
def test_ordinary_requests_stay_allowed(line):
    # the table's verdict, not the clock: a cold first line on a loaded CI machine went over
    # the production budget (test_budget.py tests the budget itself)
    assert not classify(line, seconds=TABLE_BUDGET).findings
