#!/usr/bin/env python3
"""Prints a service token for the Api, signed as Web signs one (ServiceTokenIssuer: HS256 over the UTF-8 key, issuer
orders-web, audience orders-api), for scripts that call the Api directly. The key comes from the environment, never
from an argument that `ps` would show.

usage: SERVICE_TOKEN_SIGNING_KEY=... scripts/service-token.py TENANT USER [LIFETIME_SECONDS]
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time


def segment(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def main() -> None:
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__.strip().splitlines()[-1])
    key = os.environ.get("SERVICE_TOKEN_SIGNING_KEY", "")
    if len(key.encode("utf-8")) < 32:
        sys.exit("SERVICE_TOKEN_SIGNING_KEY must hold at least 32 bytes, as the Api requires.")
    tenant, user = sys.argv[1], sys.argv[2]
    # A benchmark outlasts the 5 minutes Web's tokens live; the Api checks the expiry, not how far off it is.
    lifetime = int(sys.argv[3]) if len(sys.argv) == 4 else 3600
    now = int(time.time())
    header = segment(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    claims = {"iss": "orders-web", "aud": "orders-api", "iat": now, "nbf": now, "exp": now + lifetime,
              "tenant_id": tenant, "sub": user}
    payload = segment(json.dumps(claims, separators=(",", ":")).encode())
    signature = hmac.new(key.encode("utf-8"), f"{header}.{payload}".encode("ascii"), hashlib.sha256).digest()
    print(f"{header}.{payload}.{segment(signature)}")


if __name__ == "__main__":
    main()
