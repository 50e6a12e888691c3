"""The SSRF-guarded HTTP client against a fake HTTP server on the loopback interface.

The server speaks plain HTTP/1.1 (and TLS with a certificate made for the test) and counts
connections and requests, so that "no connection was made" is observed, not assumed. Names
are resolved by an injected resolver: nothing here reaches a real DNS server or network."""

from __future__ import annotations

import asyncio
import datetime
import json
import ssl
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field
from ipaddress import IPv4Address, IPv6Address, ip_address
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from core.resilience import Breakers
from modules.http import (
    AddressPolicy,
    HttpFailed,
    HttpLimits,
    HttpRefused,
    HttpResult,
    SafeHttpClient,
)

FAST = HttpLimits(timeout_seconds=3, backoff_seconds=0.01, backoff_cap_seconds=0.02)


@dataclass
class Seen:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakeServer:
    """An HTTP/1.1 server with a few behaviours chosen by path:

    /ok                   200, the request echoed as JSON
    /redirect?to=&status= a redirect to ``to``
    /status/N             answers N
    /big?n=&chunked=1     n bytes (with Content-Length, or chunked)
    /trickle              a byte every 50 ms, for 3 s
    /close                200 and closes the connection
    /hang                 never answers
    """

    host: str = "127.0.0.1"
    tls: ssl.SSLContext | None = None
    connections: int = 0
    requests: list[Seen] = field(default_factory=list)
    port: int = 0

    async def start(self) -> FakeServer:
        self._writers: set[asyncio.StreamWriter] = set()
        self._server = await asyncio.start_server(self._serve, self.host, 0, ssl=self.tls)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def stop(self) -> None:
        self._server.close()
        for writer in self._writers:
            writer.close()
        await self._server.wait_closed()

    def url(self, path: str = "/ok", host: str | None = None) -> str:
        scheme = "https" if self.tls else "http"
        host = host or (f"[{self.host}]" if ":" in self.host else self.host)
        return f"{scheme}://{host}:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        self._writers.add(writer)
        try:
            while True:
                try:
                    head = await reader.readuntil(b"\r\n\r\n")
                except (asyncio.IncompleteReadError, ConnectionError):
                    return
                lines = head.decode("latin-1").split("\r\n")
                method, target, _ = lines[0].split(" ", 2)
                headers = {}
                for line in lines[1:]:
                    if line:
                        name, value = line.split(":", 1)
                        headers[name.strip().lower()] = value.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                seen = Seen(method, target, headers, body)
                self.requests.append(seen)
                if not await self._answer(seen, writer):
                    return
        except (ConnectionError, ssl.SSLError):
            return
        finally:
            self._writers.discard(writer)
            writer.close()

    async def _answer(self, seen: Seen, writer: asyncio.StreamWriter) -> bool:
        """Answer one request; False closes the connection."""
        parts = urlsplit(seen.path)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if path == "/ok" or path == "/close":
            echo = {"method": seen.method, "path": seen.path, "headers": seen.headers,
                    "body": seen.body.decode()}
            close = path == "/close"
            writer.write(_response(200, json.dumps(echo).encode(), "application/json",
                                   close=close))
            return not close
        if path == "/redirect":
            writer.write(_response(int(query.get("status", "302")), b"",
                                   extra={"Location": query["to"]}))
            return True
        if path.startswith("/status/"):
            writer.write(_response(int(path.rsplit("/", 1)[1]), b"failing"))
            return True
        if path == "/big":
            size = int(query["n"])
            if query.get("chunked"):
                writer.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
                for _ in range(size // 100):
                    writer.write(b"64\r\n" + b"x" * 100 + b"\r\n")
                    await writer.drain()
                writer.write(b"0\r\n\r\n")
            else:
                writer.write(_response(200, b"x" * size))
            return True
        if path == "/hang":
            await asyncio.sleep(3600)
        if path == "/trickle":
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 60\r\n\r\n")
            for _ in range(60):
                await writer.drain()
                await asyncio.sleep(0.05)
                writer.write(b"x")
            return True
        writer.write(_response(404, b"no such path"))
        return True


def _response(status: int, body: bytes, content_type: str = "text/plain", *,
              close: bool = False, extra: dict[str, str] | None = None) -> bytes:
    headers = {"Content-Type": content_type, "Content-Length": str(len(body)), **(extra or {})}
    if close:
        headers["Connection"] = "close"
    head = f"HTTP/1.1 {status} X\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    return head.encode("latin-1") + b"\r\n" + body


class Resolver:
    """Answers from a table, one answer list per call (the last repeats); records calls."""

    def __init__(self, table: dict[str, Sequence[Sequence[str]]] | None = None) -> None:
        self.table = table or {}
        self.calls: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPv4Address | IPv6Address]:
        self.calls.append(host)
        answers = self.table.get(host)
        if not answers:
            raise OSError(f"unknown test name {host}")
        index = min(sum(1 for call in self.calls if call == host) - 1, len(answers) - 1)
        return [ip_address(a) for a in answers[index]]


@pytest.fixture
async def server() -> AsyncIterator[FakeServer]:
    fake = await FakeServer().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def other() -> AsyncIterator[FakeServer]:
    """A second origin on the same address (another port)."""
    fake = await FakeServer().start()
    yield fake
    await fake.stop()


@pytest.fixture
async def internal() -> AsyncIterator[FakeServer]:
    """Stands for a service inside the platform's network: never allow-listed."""
    fake = await FakeServer(host="127.0.0.2").start()
    yield fake
    await fake.stop()


def client(allow: Sequence[str] = ("127.0.0.1",), resolver: Resolver | None = None,
           **options: object) -> SafeHttpClient:
    options.setdefault("limits", FAST)
    return SafeHttpClient(AddressPolicy(allow), resolver=resolver or Resolver(),
                          **options)  # type: ignore[arg-type]


# What works


async def test_a_request_to_an_allowed_address_works(server: FakeServer):
    async with client() as http:
        result = await http.request("POST", server.url("/ok"), params={"q": "1"},
                                    json={"a": 1}, headers={"X-Trace": "t"})
    assert isinstance(result, HttpResult)
    assert result.status == 200 and result.attempts == 1
    echo = result.json()
    assert echo["method"] == "POST" and echo["path"] == "/ok?q=1"
    assert echo["body"] == '{"a":1}'
    assert echo["headers"]["host"] == f"127.0.0.1:{server.port}"
    assert echo["headers"]["x-trace"] == "t"
    assert echo["headers"]["accept-encoding"] == "identity"
    assert result.headers["content-type"] == "application/json"
    assert result.url == server.url("/ok?q=1")
    assert result.elapsed_ms > 0


async def test_a_name_is_resolved_once_and_keeps_its_host_header(server: FakeServer):
    resolver = Resolver({"api.example": [["127.0.0.1"]]})
    async with client(resolver=resolver) as http:
        first = await http.request("GET", server.url("/ok", host="API.example."))
        await http.request("GET", server.url("/ok", host="api.example"))
    assert first.json()["headers"]["host"] == f"api.example:{server.port}"
    assert resolver.calls == ["api.example"]  # the second request reused the connection
    assert server.connections == 1


async def test_a_decimal_address_is_normalised_before_it_is_checked_and_sent(
        server: FakeServer):
    async with client() as http:
        result = await http.request("GET", server.url("/ok", host="2130706433"))
    assert result.json()["headers"]["host"] == f"127.0.0.1:{server.port}"


async def test_a_4xx_or_5xx_answer_is_a_result(server: FakeServer):
    async with client() as http:
        result = await http.request("POST", server.url("/status/404"))
    assert result.status == 404 and result.body == b"failing"
    with pytest.raises(HttpFailed) as failed:
        result.json()
    assert failed.value.kind == "not_json"


# Addresses refused


REFUSED_FORMS = [
    ("127.0.0.1", "loopback"),
    ("[::1]", "loopback"),
    ("[::ffff:127.0.0.1]", "IPv4-mapped form of 127.0.0.1"),
    ("[::ffff:7f00:1]", "IPv4-mapped form of 127.0.0.1"),
    ("[64:ff9b::7f00:1]", "NAT64 form of 127.0.0.1"),
    ("[2002:7f00:1::]", "6to4 form of 127.0.0.1"),
    ("[::127.0.0.1]", "IPv4-compatible"),
    ("2130706433", "127.0.0.1 is a loopback"),
    ("0177.0.0.1", "Invalid IPv4 address"),  # httpx refuses it before we see it
    ("0x7f.0.0.1", "127.0.0.1 is a loopback"),
    ("0x7F.1", "127.0.0.1 is a loopback"),
    ("127.1", "127.0.0.1 is a loopback"),
    ("127.0.0.1.", "127.0.0.1 is a loopback"),
    ("017700000001", "127.0.0.1 is a loopback"),
    ("0", "unspecified"),
    ("0.0.0.0", "unspecified"),
    ("[::]", "unspecified"),
    ("169.254.169.254", "cloud metadata"),
    ("[fd00:ec2::254]", "cloud metadata"),
    ("100.100.100.200", "cloud metadata"),
    ("168.63.129.16", "cloud metadata"),
    ("169.254.1.1", "link-local"),
    ("[fe80::1]", "link-local"),
    ("[fe80::1%25eth0]", "zone id"),
    ("10.0.0.1", "private"),
    ("172.16.5.4", "private"),
    ("192.168.1.1", "private"),
    ("[fd12:3456::1]", "unique local"),
    ("100.64.0.1", "carrier-grade NAT"),
    ("224.0.0.1", "multicast"),
    ("[ff02::1]", "multicast"),
    ("255.255.255.255", "broadcast"),
    ("240.0.0.1", "reserved"),
    ("192.0.2.1", "not a public address"),
    ("1.2.3.4.5", "not a valid one"),
    ("256.1", "not a valid one"),
    ("08.0.0.1", "Invalid IPv4 address"),
    ("08.1", "not a valid one"),
    ("0x1.0x100000000", "not a valid one"),
]


@pytest.mark.parametrize(("host", "reason"), REFUSED_FORMS)
async def test_internal_addresses_in_any_form_are_refused(server: FakeServer, host: str,
                                                          reason: str):
    resolver = Resolver()
    async with client(allow=(), resolver=resolver) as http:
        with pytest.raises(HttpRefused) as refused:
            await http.request("GET", server.url("/ok", host=host))
    assert reason in refused.value.reason
    assert resolver.calls == []
    assert server.connections == 0


async def test_a_name_resolving_to_loopback_is_refused_without_connecting(server: FakeServer):
    resolver = Resolver({"innocent.example": [["127.0.0.1"]]})
    async with client(allow=(), resolver=resolver) as http:
        with pytest.raises(HttpRefused, match="127.0.0.1 is a loopback address"):
            await http.request("GET", server.url("/ok", host="innocent.example"))
    assert server.connections == 0


async def test_a_name_with_one_internal_address_among_public_ones_is_refused(
        server: FakeServer):
    resolver = Resolver({"mixed.example": [["93.184.216.34", "127.0.0.1"]]})
    async with client(allow=(), resolver=resolver) as http:
        with pytest.raises(HttpRefused, match="loopback"):
            await http.request("GET", server.url("/ok", host="mixed.example"))
    assert server.connections == 0


async def test_a_dns_answer_changing_after_the_check_is_never_connected_to(
        server: FakeServer, internal: FakeServer):
    # 127.0.0.1 plays the public address (allowed); 127.0.0.2 the internal one the name
    # switches to once checked. /close makes the server drop the connection, so the second
    # request needs a new connection and a new lookup.
    resolver = Resolver({"rebind.example": [["127.0.0.1"], ["127.0.0.2"]]})
    async with client(resolver=resolver) as http:
        url = f"http://rebind.example:{server.port}/close"
        assert (await http.request("GET", url)).status == 200
        with pytest.raises(HttpRefused, match="127.0.0.2 is a loopback"):
            await http.request("GET", url)
        # The same port on the internal address: nothing ever reaches it.
        with pytest.raises(HttpRefused):
            await http.request("GET", f"http://rebind.example:{internal.port}/ok")
    assert resolver.calls == ["rebind.example"] * 3
    assert server.connections == 1
    assert internal.connections == 0


async def test_an_unresolvable_name_is_a_connect_failure(server: FakeServer):
    async with client(resolver=Resolver()) as http:
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url("/ok", host="nowhere.example"))
    assert failed.value.kind == "connect"


@pytest.mark.parametrize("url", [
    "ftp://127.0.0.1/x", "file:///etc/passwd", "gopher://127.0.0.1:70/", "http://u:p@127.0.0.1/",
    "http:///nohost", "http://exa%41mple.com/", "http://bad_host!/",
])
async def test_other_schemes_credentials_and_malformed_hosts_are_refused(url: str):
    async with client() as http:
        with pytest.raises(HttpRefused):
            await http.request("GET", url)


async def test_unusual_methods_are_refused(server: FakeServer):
    async with client() as http:
        with pytest.raises(HttpRefused, match="TRACE"):
            await http.request("TRACE", server.url())
    assert server.connections == 0


def test_the_allow_list_admits_names_addresses_and_networks():
    policy = AddressPolicy(["10.1.0.0/16", "db.internal", "*.corp.example", "::1"])
    policy.check("db.internal.", ip_address("10.9.9.9"))
    policy.check("x.corp.example", ip_address("192.168.0.1"))
    policy.check("anything", ip_address("10.1.2.3"))
    policy.check("anything", ip_address("::1"))
    policy.check("example.com", ip_address("93.184.216.34"))
    policy.check("example.com", ip_address("::ffff:93.184.216.34"))
    for host, address in [("anything", "10.2.0.1"), ("corp.example", "192.168.0.1"),
                          ("db.internal", "0.0.0.0")]:
        with pytest.raises(HttpRefused):
            policy.check(host, ip_address(address))
    with pytest.raises(ValueError):
        AddressPolicy(["not a host!"])
    with pytest.raises(ValueError):
        AddressPolicy(["10.1.2"])


def test_an_allow_list_entry_with_a_port_admits_that_port_only():
    policy = AddressPolicy(["127.0.0.1:8089", "[::1]:8089", "db.internal:5432", "10.0.0.0/8"])
    policy.check("127.0.0.1", ip_address("127.0.0.1"), 8089)
    policy.check("::1", ip_address("::1"), 8089)
    policy.check("db.internal", ip_address("192.168.1.1"), 5432)
    policy.check("anything", ip_address("10.3.3.3"), 1)  # no port named: every port
    for host, address, port in [("127.0.0.1", "127.0.0.1", 8000), ("::1", "::1", 80),
                                ("db.internal", "192.168.1.1", 6379),
                                ("127.0.0.1", "127.0.0.1", None)]:
        with pytest.raises(HttpRefused):
            policy.check(host, ip_address(address), port)
    for entry in ("10.0.0.0/8:80", "127.0.0.1:0", "127.0.0.1:70000", "a b:80"):
        with pytest.raises(ValueError):
            AddressPolicy([entry])


async def test_a_port_qualified_entry_lets_one_local_service_in(server: FakeServer,
                                                                 other: FakeServer):
    async with client(allow=[f"127.0.0.1:{server.port}"]) as http:
        assert (await http.request("GET", server.url("/ok"))).status == 200
        with pytest.raises(HttpRefused):
            await http.request("GET", other.url("/ok"))
    assert other.connections == 0


# Redirects


async def test_a_redirect_to_an_internal_address_is_refused(
        server: FakeServer, internal: FakeServer):
    async with client() as http:
        for target in (internal.url("/ok"), "http://10.0.0.1/", "http://[::1]/",
                       f"http://2130706434:{internal.port}/ok"):
            with pytest.raises(HttpRefused):
                await http.request("GET", server.url(f"/redirect?to={target}"))
    assert internal.connections == 0


async def test_redirects_are_followed_up_to_the_limit(server: FakeServer):
    limits = HttpLimits(timeout_seconds=3, max_redirects=2)
    async with client() as http:
        result = await http.request("GET", server.url("/redirect?to=/ok"), limits=limits)
        assert result.status == 200 and result.url == server.url("/ok")
        assert result.attempts == 2
        server.requests.clear()
        loop = "/redirect?to=/redirect%3Fto%3D/redirect%253Fto%253D/ok"
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url(loop), limits=limits)
    assert failed.value.kind == "too_many_redirects"
    assert len(server.requests) == 3


async def test_303_turns_a_post_into_a_get_without_its_body(server: FakeServer):
    async with client() as http:
        result = await http.request("POST", server.url("/redirect?to=/ok&status=303"),
                                    json={"secret": "body"})
    echo = result.json()
    assert echo["method"] == "GET" and echo["body"] == ""
    assert "content-type" not in echo["headers"]


async def test_307_repeats_the_request_as_it_was(server: FakeServer):
    async with client() as http:
        result = await http.request("PUT", server.url("/redirect?to=/ok&status=307"),
                                    content=b"payload")
    assert result.json()["method"] == "PUT" and result.json()["body"] == "payload"


async def test_credentials_are_dropped_on_a_cross_origin_redirect_only(
        server: FakeServer, other: FakeServer):
    headers = {"Authorization": "Bearer s3cret", "Cookie": "session=1",
               "X-Api-Key": "k3y", "X-Plain": "kept"}
    async with client() as http:
        same = await http.request("GET", server.url("/redirect?to=/ok"), headers=headers,
                                  secret_headers=["x-api-key"])
        cross = await http.request("GET", server.url(f"/redirect?to={other.url('/ok')}"),
                                   headers=headers, secret_headers=["X-API-Key"])
    kept = same.json()["headers"]
    assert kept["authorization"] == "Bearer s3cret" and kept["x-api-key"] == "k3y"
    sent = cross.json()["headers"]
    assert sent["x-plain"] == "kept"
    assert not {"authorization", "cookie", "x-api-key"} & set(sent)


# TLS: pinned to the address, verified on the name


@dataclass
class Certificates:
    server: ssl.SSLContext
    client: ssl.SSLContext


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.datetime.now(datetime.UTC)

    def build(subject: str, key: ec.EllipticCurvePrivateKey, issuer: str,
              signer: ec.EllipticCurvePrivateKey, ca: bool) -> x509.Certificate:
        builder = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, subject)]))
            .issuer_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, issuer)]))
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5))
            .not_valid_after(now + datetime.timedelta(hours=1))
            .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        )
        if not ca:
            builder = builder.add_extension(
                x509.SubjectAlternativeName([x509.DNSName(subject)]), critical=False)
        return builder.sign(signer, hashes.SHA256())

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = build("Rozmova test CA", ca_key, "Rozmova test CA", ca_key, ca=True)
    leaf_key = ec.generate_private_key(ec.SECP256R1())
    leaf = build("api.test", leaf_key, "Rozmova test CA", ca_key, ca=False)
    folder: Path = tmp_path_factory.mktemp("tls")
    (folder / "cert.pem").write_bytes(leaf.public_bytes(serialization.Encoding.PEM))
    (folder / "key.pem").write_bytes(leaf_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption()))
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(folder / "cert.pem", folder / "key.pem")
    client_context = ssl.create_default_context(
        cadata=ca.public_bytes(serialization.Encoding.PEM).decode())
    return Certificates(server_context, client_context)


@pytest.fixture
async def tls_server(certificates: Certificates) -> AsyncIterator[FakeServer]:
    fake = await FakeServer(tls=certificates.server).start()
    yield fake
    await fake.stop()


async def test_tls_is_verified_on_the_name_while_connecting_to_the_checked_address(
        tls_server: FakeServer, certificates: Certificates):
    resolver = Resolver({"api.test": [["127.0.0.1"]], "other.test": [["127.0.0.1"]]})
    async with client(resolver=resolver, verify=certificates.client) as http:
        result = await http.request("GET", tls_server.url("/ok", host="api.test"))
        assert result.json()["headers"]["host"] == f"api.test:{tls_server.port}"
        # Same address, a name the certificate does not cover: verification fails.
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", tls_server.url("/ok", host="other.test"))
    assert failed.value.kind == "connect"


async def test_a_redirect_from_https_to_http_is_refused(
        tls_server: FakeServer, server: FakeServer, certificates: Certificates):
    resolver = Resolver({"api.test": [["127.0.0.1"]]})
    async with client(resolver=resolver, verify=certificates.client) as http:
        with pytest.raises(HttpRefused, match="from https to http"):
            await http.request(
                "GET", tls_server.url(f"/redirect?to={server.url('/ok')}", host="api.test"))
    assert server.connections == 0


# Limits


@pytest.mark.parametrize("chunked", [False, True])
async def test_an_answer_over_the_size_limit_fails(server: FakeServer, chunked: bool):
    limits = HttpLimits(timeout_seconds=3, max_response_bytes=1000)
    flag = "&chunked=1" if chunked else ""
    async with client() as http:
        fits = await http.request("GET", server.url(f"/big?n=1000{flag}"), limits=limits)
        assert len(fits.body) == 1000
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url(f"/big?n=1100{flag}"), limits=limits)
    assert failed.value.kind == "too_large"


async def test_the_timeout_bounds_the_whole_call_not_each_read(server: FakeServer):
    limits = HttpLimits(timeout_seconds=0.5)
    loop = asyncio.get_running_loop()
    started = loop.time()
    async with client() as http:
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url("/trickle"), limits=limits)
    assert failed.value.kind == "timeout"
    assert 0.45 < loop.time() - started < 1.0


async def test_only_idempotent_methods_are_retried(server: FakeServer):
    async with client() as http:
        got = await http.request("GET", server.url("/status/503"))
        assert got.status == 503 and got.attempts == 3
        assert len(server.requests) == 3
        server.requests.clear()
        posted = await http.request("POST", server.url("/status/503"), content=b"once")
        assert posted.status == 503 and posted.attempts == 1
        assert len(server.requests) == 1
        server.requests.clear()
        await http.request("GET", server.url("/status/500"))
        assert len(server.requests) == 1  # a 500 is not a passing outage


async def test_the_circuit_opens_after_repeated_failures(server: FakeServer):
    breakers = Breakers("test-http", failure_threshold=2, reset_seconds=60)
    limits = HttpLimits(timeout_seconds=3, retries=0)
    async with client(breakers=breakers, limits=limits) as http:
        for _ in range(2):
            assert (await http.request("GET", server.url("/status/500"))).status == 500
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url("/ok"))
    assert failed.value.kind == "circuit_open"
    assert len(server.requests) == 2
    assert breakers.get("127.0.0.1").state == "open"


async def test_connection_failures_open_the_circuit_too():
    probe = await FakeServer().start()
    closed_port = probe.port
    await probe.stop()
    breakers = Breakers("test-http-connect", failure_threshold=3, reset_seconds=60)
    limits = HttpLimits(timeout_seconds=3, retries=2, backoff_seconds=0.01)
    async with client(breakers=breakers, limits=limits) as http:
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", f"http://127.0.0.1:{closed_port}/")
        assert failed.value.kind == "connect"
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", f"http://127.0.0.1:{closed_port}/")
    assert failed.value.kind == "circuit_open"


async def test_a_call_cut_by_its_deadline_counts_against_the_host(server: FakeServer):
    breakers = Breakers("test-http-deadline", failure_threshold=1, reset_seconds=60)
    limits = HttpLimits(timeout_seconds=0.2, retries=0)
    async with client(breakers=breakers, limits=limits) as http:
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url("/hang"))
        assert failed.value.kind == "timeout"
        with pytest.raises(HttpFailed) as failed:
            await http.request("GET", server.url("/ok"))
    assert failed.value.kind == "circuit_open"


async def test_a_caller_giving_up_frees_the_half_open_probe(server: FakeServer):
    clock = [0.0]
    breakers = Breakers("test-http-cancel", failure_threshold=1, reset_seconds=5,
                        clock=lambda: clock[0])
    breakers.get("127.0.0.1").record_failure()
    clock[0] = 5.0  # half-open: the next call is the probe
    async with client(breakers=breakers) as http:
        probe = asyncio.create_task(http.request("GET", server.url("/hang")))
        while not server.requests:
            await asyncio.sleep(0.01)
        probe.cancel()
        with pytest.raises(asyncio.CancelledError):
            await probe
        result = await http.request("GET", server.url("/ok"))  # may probe in its turn
    assert result.status == 200
    assert breakers.get("127.0.0.1").state == "closed"
