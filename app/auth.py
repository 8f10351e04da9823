"""Authentication, off by default: HTTP basic auth for the legacy protocol (its routes
and its poll port), JWT for the current protocol (`head.auth` on POST /, a Bearer
header on /poll), verified with a public key (PyJWT: the algorithms, exp, iss and aud
checks done right). Health, readiness and metrics stay open.
"""

from __future__ import annotations

import base64
import binascii
import hmac
import os
from dataclasses import dataclass
from typing import Any

import jwt
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

LEEWAY_S = 60
BASIC_CHALLENGE = 'Basic realm="resonate", charset="UTF-8"'


class AuthConfigError(ValueError):
    pass


@dataclass(frozen=True)
class BasicAuth:
    """`user:password` pairs; a request passes with any of them."""

    pairs: tuple[tuple[str, str], ...]

    @classmethod
    def parse(cls, text: str) -> BasicAuth | None:
        if not text.strip():
            return None
        pairs = []
        for item in text.split(","):
            user, colon, password = item.strip().partition(":")
            if not colon or not user or not password:
                raise AuthConfigError(f"expected user:password pairs separated by commas, got {item.strip()!r}")
            pairs.append((user, password))
        return cls(tuple(pairs))

    def allows(self, authorization: str | None) -> bool:
        """Whether an Authorization header carries one of the pairs (compared in
        constant time)."""
        scheme, _, encoded = (authorization or "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            user, _, password = base64.b64decode(encoded.strip(), validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        found = False
        for known_user, known_password in self.pairs:
            same = hmac.compare_digest(user.encode(), known_user.encode())
            same &= hmac.compare_digest(password.encode(), known_password.encode())
            found |= same
        return found


def _algorithms(key: Any) -> list[str]:
    """The algorithms a key's family allows (§8): a token may not pick another."""
    if isinstance(key, rsa.RSAPublicKey):
        return ["RS256", "RS384", "RS512", "PS256", "PS384", "PS512"]
    if isinstance(key, ec.EllipticCurvePublicKey):
        return ["ES256", "ES384"]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return ["EdDSA"]
    raise AuthConfigError("the JWT public key must be an RSA, EC (P-256/P-384) or Ed25519 key")


class Unauthorized(Exception):
    """No token, or one that does not verify: 401."""


@dataclass(frozen=True)
class JwtAuth:
    key: Any
    algorithms: tuple[str, ...]
    issuer: str | None
    audience: str | None

    @classmethod
    def load(cls, key_setting: str, issuer: str = "", audience: str = "") -> JwtAuth | None:
        """From the PEM text, or the path of a PEM file; None when no key is set."""
        text = key_setting.strip()
        if not text:
            return None
        if not text.startswith("-----BEGIN"):
            if not os.path.isfile(text):
                raise AuthConfigError(f"no such PEM file: {text!r}")
            with open(text) as pem:
                text = pem.read()
        try:
            key = load_pem_public_key(text.encode())
        except ValueError as exc:
            raise AuthConfigError(f"not a PEM public key: {exc}") from None
        return cls(key, tuple(_algorithms(key)), issuer or None, audience or None)

    def claims(self, token: str | None) -> dict[str, Any]:
        """The verified claims: signature, exp (required), iss and aud when configured."""
        if not token:
            raise Unauthorized("no token")
        try:
            return jwt.decode(
                token,
                self.key,
                algorithms=list(self.algorithms),
                issuer=self.issuer,
                audience=self.audience,
                leeway=LEEWAY_S,
                options={"require": ["exp"], "verify_aud": self.audience is not None},
            )
        except jwt.PyJWTError as exc:
            raise Unauthorized(str(exc)) from None


def bearer(authorization: str | None) -> str | None:
    scheme, _, token = (authorization or "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


# -- authorization (§8): which resource ids a token may touch ----------------------------

_ID_KINDS = {
    "promise.get",
    "promise.create",
    "promise.settle",
    "task.get",
    "task.acquire",
    "task.release",
    "task.fulfill",
    "task.suspend",
    "task.fence",
    "task.halt",
    "task.continue",
    "schedule.get",
    "schedule.delete",
}


def resource_ids(kind: str, data: dict[str, Any]) -> list[str] | None:
    """The ids a request touches, for the prefix rule; None: no prefix may do it."""

    def text(value: Any) -> str:
        return value if isinstance(value, str) else ""

    if kind in _ID_KINDS:
        return [text(data.get("id"))]
    if kind in ("promise.register_callback", "promise.register_listener"):
        return [text(data.get("awaited"))]
    if kind == "task.create":
        action = data.get("action")
        inner = action.get("data") if isinstance(action, dict) else None
        return [text(inner.get("id")) if isinstance(inner, dict) else ""]
    if kind == "schedule.create":
        return [text(data.get("promiseId"))]
    if kind == "task.heartbeat":
        tasks = data.get("tasks")
        entries = tasks if isinstance(tasks, list) else []
        return [text(entry.get("id")) if isinstance(entry, dict) else "" for entry in entries]
    return None  # searches, debug and unknown kinds: fail closed


def allowed(claims: dict[str, Any], kind: str, data: dict[str, Any]) -> bool:
    role = claims.get("role")
    if isinstance(role, str) and role.lower() == "admin":
        return True
    prefix = claims.get("prefix")
    if not isinstance(prefix, str):
        return False
    if prefix == "":
        return True
    ids = resource_ids(kind, data)
    return ids is not None and all(resource.startswith(prefix) for resource in ids)
