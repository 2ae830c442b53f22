"""A real OpenID Connect provider for the tests, built on Authlib's authorization server (Flask): discovery,
the authorization code flow with PKCE (S256 required), ID tokens signed with RS256 and published as a JWKS,
userinfo. It stands in for a municipality's own identity provider (Entra ID, Keycloak, ...): Wijkwerk talks to
it exactly as it would to theirs.

Usage: python oidc_provider.py PORT --client ID:SECRET:REDIRECT_URI --user EMAIL:PASSWORD[:NAME] ...

The login page asks for an e-mail address and password (the users given on the command line). /log lists the
requests to the token endpoint, so a test can check that Wijkwerk sent a code_verifier."""

import argparse
import os
import html
import secrets
import time

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2.rfc6749 import ClientMixin, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core import grants as oidc_grants
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, RSAKey

parser = argparse.ArgumentParser()
parser.add_argument("port", type=int)
parser.add_argument("--client", action="append", default=[], help="ID:SECRET:REDIRECT_URI")
parser.add_argument("--user", action="append", default=[], help="EMAIL:PASSWORD[:NAME]")
args = parser.parse_args()
# Plain HTTP on 127.0.0.1 only, in tests; a real provider is HTTPS.
os.environ.setdefault("AUTHLIB_INSECURE_TRANSPORT", "1")

ISSUER = f"http://127.0.0.1:{args.port}"
KEY = RSAKey.generate_key(2048, parameters={"kid": "test-key-1", "use": "sig", "alg": "RS256"}, private=True)
USERS = {}
for spec in args.user:
    email, password, *rest = spec.split(":")
    USERS[email.lower()] = {"sub": "sub-" + secrets.token_hex(6), "email": email, "password": password, "name": rest[0] if rest else email}
TOKEN_REQUESTS = []


class Client(ClientMixin):
    def __init__(self, client_id, secret, redirect_uri):
        self.client_id, self.secret, self.redirect_uri = client_id, secret, redirect_uri

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uri

    def get_allowed_scope(self, scope):
        allowed = {"openid", "email", "profile"}
        return " ".join(s for s in (scope or "").split() if s in allowed)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri == self.redirect_uri

    def check_client_secret(self, client_secret):
        return secrets.compare_digest(client_secret, self.secret)

    def check_endpoint_auth_method(self, method, endpoint):
        return endpoint != "token" or method in ("client_secret_basic", "client_secret_post")

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


CLIENTS = {}
for spec in args.client:
    client_id, secret, redirect = spec.split(":", 2)
    CLIENTS[client_id] = Client(client_id, secret, redirect)


class Code(AuthorizationCodeMixin):
    def __init__(self, code, client_id, redirect_uri, scope, user, nonce, challenge, method):
        self.code, self.client_id, self.redirect_uri, self.scope, self.user = code, client_id, redirect_uri, scope, user
        self.nonce, self.code_challenge, self.code_challenge_method = nonce, challenge, method
        self.auth_time, self.expires = int(time.time()), time.time() + 60

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time

    def is_expired(self):
        return time.time() > self.expires


CODES = {}


class AuthorizationCodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic", "client_secret_post"]

    def save_authorization_code(self, code, req):
        CODES[code] = Code(code, req.client.get_client_id(), req.payload.redirect_uri, req.scope, req.user,
                           req.payload.data.get("nonce"), req.payload.data.get("code_challenge"),
                           req.payload.data.get("code_challenge_method"))

    def query_authorization_code(self, code, client):
        item = CODES.get(code)
        if item and item.client_id == client.get_client_id() and not item.is_expired():
            return item
        return None

    def delete_authorization_code(self, authorization_code):
        CODES.pop(authorization_code.code, None)  # single use

    def authenticate_user(self, authorization_code):
        return authorization_code.user


class OpenIDCode(oidc_grants.OpenIDCode):
    def exists_nonce(self, nonce, req):
        return any(c.nonce == nonce and c.client_id == req.payload.client_id for c in CODES.values())

    def get_jwt_config(self, grant=None, client=None):
        return {"key": KEY, "alg": "RS256", "iss": ISSUER, "exp": 300, "kid": "test-key-1"}

    def resolve_client_private_key(self, client):
        return KEY

    def get_client_claims(self, client):
        return {"iss": ISSUER, "aud": [client.get_client_id()], "exp": int(time.time()) + 300}

    def get_encode_header(self, client):
        return {"alg": "RS256", "kid": "test-key-1"}

    def generate_user_info(self, user, scope):
        info = UserInfo(sub=user["sub"])
        if "email" in scope:
            info["email"] = user["email"]
            info["email_verified"] = True
        if "profile" in scope:
            info["name"] = user["name"]
        return info


app = Flask(__name__)
app.config["SECRET_KEY"] = secrets.token_hex(16)
TOKENS = {}
server = AuthorizationServer(app, query_client=CLIENTS.get, save_token=lambda token, req: TOKENS.update({token["access_token"]: req.user}))
server.register_grant(AuthorizationCodeGrant, [CodeChallenge(required=True), OpenIDCode(require_nonce=True)])


@app.get("/.well-known/openid-configuration")
def discovery():
    return jsonify({
        "issuer": ISSUER,
        "authorization_endpoint": ISSUER + "/authorize",
        "token_endpoint": ISSUER + "/token",
        "userinfo_endpoint": ISSUER + "/userinfo",
        "jwks_uri": ISSUER + "/jwks",
        "response_types_supported": ["code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "scopes_supported": ["openid", "email", "profile"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "grant_types_supported": ["authorization_code"],
    })


@app.get("/jwks")
def jwks():
    return jsonify(KeySet([KEY]).as_dict(private=False))


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Test identity provider</title></head>
<body><main><h1>Test identity provider</h1><p>{message}</p>
<form method="post"><label for="email">E-mail</label> <input id="email" name="email" type="email" value="{email}">
<label for="password">Password</label> <input id="password" name="password" type="password">
<button type="submit">Sign in</button></form></main></body></html>"""


@app.route("/authorize", methods=["GET", "POST"])
def authorize():
    try:
        server.get_consent_grant(end_user=None)
    except Exception as error:  # noqa: BLE001 (shown to the tester, as a real provider would)
        return PAGE.format(message=html.escape("Invalid request: " + str(error)), email=""), 400
    if request.method == "GET":
        return PAGE.format(message="Sign in to continue.", email="")
    user = USERS.get(request.form.get("email", "").lower())
    if not user or not secrets.compare_digest(user["password"], request.form.get("password", "")):
        return PAGE.format(message="Wrong e-mail address or password.", email=html.escape(request.form.get("email", ""))), 401
    return server.create_authorization_response(grant_user=user)


@app.post("/token")
def token():
    TOKEN_REQUESTS.append({k: request.form.get(k) for k in ("grant_type", "code_verifier", "redirect_uri")})
    return server.create_token_response()


@app.get("/userinfo")
def userinfo():
    bearer = request.headers.get("Authorization", "").removeprefix("Bearer ")
    user = TOKENS.get(bearer)
    if not user:
        return jsonify({"error": "invalid_token"}), 401
    return jsonify({"sub": user["sub"], "email": user["email"], "name": user["name"]})


@app.get("/log")
def log():
    return jsonify(TOKEN_REQUESTS)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=args.port, threaded=True)
