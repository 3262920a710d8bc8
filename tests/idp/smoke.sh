#!/usr/bin/env bash
# Smoke test of the test identity provider: starts provider.mjs with sample-config.json on a free
# port and walks it as a browser and a relying party would (curl with a cookie jar; node for PKCE,
# JSON and JWT signature checks, nothing installed). Exits non-zero on the first failure.
#
#   bash tests/idp/smoke.sh        (after `npm ci --prefix tests/idp`)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
config="$here/sample-config.json"
[ -d "$here/node_modules/oidc-provider" ] || { echo "smoke: run 'npm ci --prefix tests/idp' first" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/finsam-idp-smoke-XXXXXX")
idp_pid=
cleanup() {
    [ -n "$idp_pid" ] && kill -TERM "$idp_pid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

fail() {
    echo "smoke: FAIL: $*" >&2
    if [ -f "$work/idp.err" ]; then
        echo "--- provider stderr (last 30 lines)" >&2
        tail -n 30 "$work/idp.err" >&2
    fi
    exit 1
}
ok() { echo "ok   $*"; }

# js 'code' args...: run an ES module snippet; its arguments are process.argv[2], [3], ...
js() {
    local code=$1
    shift
    node --input-type=module -e "$code" -- - "$@"
}
# json FILE EXPR: print a JS expression over the parsed file (as `j`); objects print as JSON.
json() {
    js 'import fs from "node:fs"; const j = JSON.parse(fs.readFileSync(process.argv[2], "utf8"));
        const v = (0, eval)("(j) => (" + process.argv[3] + ")")(j);
        console.log(typeof v === "object" ? JSON.stringify(v) : String(v));' "$1" "$2"
}

# ---- start ---------------------------------------------------------------------------------------
node "$here/provider.mjs" "$config" > "$work/idp.out" 2> "$work/idp.err" < /dev/null &
idp_pid=$!
for _ in $(seq 1 100); do
    [ -s "$work/idp.out" ] && break
    kill -0 "$idp_pid" 2>/dev/null || fail "provider exited before it was ready"
    sleep 0.1
done
read -r word issuer < "$work/idp.out" || true
[ "$word" = ready ] && [[ "$issuer" =~ ^http://127\.0\.0\.1:[0-9]+$ ]] || fail "expected 'ready <issuer>' on stdout, got: $(cat "$work/idp.out")"
ok "started: ready $issuer"

curl -sf "$issuer/.well-known/openid-configuration" > "$work/discovery.json" || fail "discovery"
[ "$(json "$work/discovery.json" j.issuer)" = "$issuer" ] || fail "discovery issuer"
[ "$(json "$work/discovery.json" 'j.code_challenge_methods_supported.join(" ")')" = S256 ] || fail "PKCE methods"
for key in authorization_endpoint token_endpoint jwks_uri end_session_endpoint; do
    [ -n "$(json "$work/discovery.json" "j.$key ?? ''")" ] || fail "discovery has no $key"
done
authorize=$(json "$work/discovery.json" j.authorization_endpoint)
token_ep=$(json "$work/discovery.json" j.token_endpoint)
jwks_uri=$(json "$work/discovery.json" j.jwks_uri)
end_session=$(json "$work/discovery.json" j.end_session_endpoint)
ok "discovery: issuer, S256 only, authorize/token/jwks/end_session endpoints"

client=finsam-web
secret=$(json "$config" 'j.clients[0].client_secret')
redirect=$(json "$config" 'j.clients[0].redirect_uris[0]')
post_logout=$(json "$config" 'j.clients[0].post_logout_redirect_uris[0]')
pub_client=finsam-public
pub_redirect=$(json "$config" 'j.clients[1].redirect_uris[0]')
username=$(json "$config" 'j.users[0].username')
password=$(json "$config" 'j.users[0].password')
scope="openid profile finsam"

# ---- helpers -------------------------------------------------------------------------------------
jar="$work/cookies.txt"
# get URL / post URL DATA: one request, no redirects followed; sets $status, $location, $body.
request() {
    local out
    out=$(curl -s -b "$jar" -c "$jar" -o "$work/body" -D "$work/headers" -w '%{http_code}' "$@") || fail "curl $*"
    status=$out
    location=$(tr -d '\r' < "$work/headers" | sed -n 's/^[Ll]ocation: //p' | tail -n 1)
    body=$(cat "$work/body")
}
# follow URL: GET and follow redirects inside the issuer; stops at the first page or at a redirect
# outside it (the client's redirect_uri), leaving $status, $location, $body of that last answer.
follow() {
    local url=$1 hops=0
    while :; do
        request "$url"
        [[ "$status" =~ ^30[0-9]$ ]] || return 0
        case "$location" in
            /*) url="$issuer$location" ;;
            "$issuer"/*) url=$location ;;
            *) return 0 ;;
        esac
        hops=$((hops + 1))
        [ $hops -lt 20 ] || fail "too many redirects"
    done
}
# abs LOCATION: absolute URL of a Location header value.
abs() { case "$1" in /*) echo "$issuer$1" ;; *) echo "$1" ;; esac; }
# pkce: sets $verifier and $challenge (S256).
pkce() {
    verifier=$(js 'import c from "node:crypto"; console.log(c.randomBytes(32).toString("base64url"))')
    challenge=$(js 'import c from "node:crypto"; console.log(c.createHash("sha256").update(process.argv[2]).digest("base64url"))' "$verifier")
}
urlenc() { js 'console.log(encodeURIComponent(process.argv[2]))' "$1"; }
# auth_url CLIENT REDIRECT STATE NONCE: an authorization request with $challenge.
auth_url() {
    echo "$authorize?client_id=$1&response_type=code&redirect_uri=$(urlenc "$2")&scope=$(urlenc "$scope")&state=$3&nonce=$4&code_challenge=$challenge&code_challenge_method=S256"
}
# param URL NAME: a query parameter of URL.
param() { js 'console.log(new URL(process.argv[2]).searchParams.get(process.argv[3]) ?? "")' "$1" "$2"; }
# login_form_shown: the current body is the login form.
login_form_shown() {
    [ "$status" = 200 ] && grep -q 'id="username"' <<<"$body" && grep -q 'id="password"' <<<"$body" && grep -q 'id="login"' <<<"$body"
}
# check_jwt KIND TOKEN EXPECTED_JSON: verify TOKEN's signature with the JWKS (fetched now), and
# iss/aud/exp, then every member of EXPECTED_JSON (for "header.x", the JOSE header; "lifetime" is
# exp - iat). Prints the
# header and payload as JSON on success.
check_jwt() {
    js '
    import * as crypto from "node:crypto";
    const [kind, token, expectedJson, jwksUri, issuer] = process.argv.slice(2);
    const die = (m) => { console.error(`${kind}: ${m}`); process.exit(1); };
    const parts = token.split(".");
    if (parts.length !== 3) die("not a JWS compact serialization");
    const dec = (s) => JSON.parse(Buffer.from(s, "base64url").toString("utf8"));
    const header = dec(parts[0]), payload = dec(parts[1]);
    const jwks = await (await fetch(jwksUri)).json();
    const jwk = jwks.keys.find((k) => k.kid === header.kid);
    if (!jwk) die(`kid ${header.kid} not in the JWKS`);
    if (jwk.alg !== header.alg) die(`alg ${header.alg} is not the key alg ${jwk.alg}`);
    const key = crypto.createPublicKey({ key: jwk, format: "jwk" });
    const data = Buffer.from(`${parts[0]}.${parts[1]}`);
    const sig = Buffer.from(parts[2], "base64url");
    const good = header.alg === "RS256" ? crypto.verify("sha256", data, key, sig)
      : header.alg === "ES256" ? crypto.verify("sha256", data, { key, dsaEncoding: "ieee-p1363" }, sig)
      : die(`unexpected alg ${header.alg}`);
    if (!good) die("bad signature");
    if (payload.iss !== issuer) die(`iss ${payload.iss}`);
    const now = Math.floor(Date.now() / 1000);
    if (!(payload.exp > now)) die(`expired or no exp: ${payload.exp}`);
    for (const [k, want] of Object.entries(JSON.parse(expectedJson))) {
      const got = k === "lifetime" ? payload.exp - payload.iat : k.startsWith("header.") ? header[k.slice(7)] : payload[k];
      const same = Array.isArray(payload.aud) && k === "aud" ? payload.aud.includes(want) : JSON.stringify(got) === JSON.stringify(want);
      if (!same) die(`${k} is ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
    }
    console.log(JSON.stringify({ header, payload }));
    ' "$1" "$2" "$3" "$jwks_uri" "$issuer"
}
# code_flow CLIENT REDIRECT STATE NONCE: from the authorization request to the redirect with the
# code (logging in on the way if the form shows); sets $code and $verifier.
code_flow() {
    local client_id=$1 redirect_uri=$2 state=$3 nonce=$4
    pkce
    follow "$(auth_url "$client_id" "$redirect_uri" "$state" "$nonce")"
    if login_form_shown; then
        local action
        action=$(grep -o 'action="[^"]*"' <<<"$body" | head -n 1 | sed 's/^action="//; s/"$//')
        request -X POST --data-urlencode "username=$username" --data-urlencode "password=$password" "$issuer$action"
        [[ "$status" =~ ^30[0-9]$ ]] || fail "login POST answered $status"
        follow "$(abs "$location")"
    fi
    [[ "$status" =~ ^30[0-9]$ ]] && [[ "$location" == "$redirect_uri?"* ]] || fail "expected a redirect to $redirect_uri, got $status $location: $body"
    [ "$(param "$location" error)" = "" ] || fail "authorization error: $location"
    [ "$(param "$location" state)" = "$state" ] || fail "state not echoed: $location"
    [ "$(param "$location" iss)" = "$issuer" ] || fail "iss parameter: $location"
    code=$(param "$location" code)
    [ -n "$code" ] || fail "no code in $location"
}
# token CODE VERIFIER [curl args for client auth...]: token request; sets $status and $body.
token() {
    local c=$1 v=$2
    shift 2
    request -X POST "$@" --data-urlencode grant_type=authorization_code --data-urlencode "code=$c" \
        --data-urlencode "redirect_uri=$redirect" --data-urlencode "code_verifier=$v" "$token_ep"
}

# ---- PKCE is required -----------------------------------------------------------------------------
follow "$authorize?client_id=$client&response_type=code&redirect_uri=$(urlenc "$redirect")&scope=openid&state=s0&nonce=n0"
[ "$(param "$location" error)" = invalid_request ] || fail "authorization without code_challenge was not refused: $status $location"
pkce
follow "$authorize?client_id=$client&response_type=code&redirect_uri=$(urlenc "$redirect")&scope=openid&state=s0&nonce=n0&code_challenge=$verifier&code_challenge_method=plain"
[ "$(param "$location" error)" = invalid_request ] || fail "code_challenge_method=plain was not refused: $status $location"
ok "authorization without PKCE, and with method plain: refused (invalid_request)"

# ---- login form -----------------------------------------------------------------------------------
pkce
follow "$(auth_url "$client" "$redirect" state-1 nonce-1)"
login_form_shown || fail "authorization request did not show the login form: $status $body"
action=$(grep -o 'action="[^"]*"' <<<"$body" | head -n 1 | sed 's/^action="//; s/"$//')
ok "authorize -> login form (#username, #password, #login) at $action"
request -X POST --data-urlencode "username=$username" --data-urlencode "password=wrong-$password" "$issuer$action"
login_form_shown && grep -q 'id="error"' <<<"$body" || fail "a wrong password did not show the form with an error: $status $body"
ok "wrong password -> the form again, with #error"
request -X POST --data-urlencode "username=$username" --data-urlencode "password=$password" "$issuer$action"
[[ "$status" =~ ^30[0-9]$ ]] || fail "login POST answered $status"
follow "$(abs "$location")"
[[ "$status" =~ ^30[0-9]$ ]] && [[ "$location" == "$redirect?"* ]] || fail "login did not end at the redirect_uri: $status $location $body"
[ "$(param "$location" state)" = state-1 ] || fail "state not echoed: $location"
code1=$(param "$location" code)
[ -n "$code1" ] || fail "no code: $location"
verifier1=$verifier
ok "right password -> (consent granted without a page) -> $redirect?code=...&state=state-1&iss=..."

# ---- token exchange -------------------------------------------------------------------------------
token "$code1" "$verifier1" -u "$client:$secret"
[ "$status" = 200 ] || fail "token exchange answered $status: $body"
echo "$body" > "$work/tokens1.json"
[ "$(json "$work/tokens1.json" j.token_type)" = Bearer ] || fail "token_type"
id_token1=$(json "$work/tokens1.json" j.id_token)
access_token1=$(json "$work/tokens1.json" j.access_token)
idt=$(check_jwt id_token "$id_token1" "{\"aud\": \"$client\", \"nonce\": \"nonce-1\", \"sub\": \"u-registrar-malmo\", \"header.alg\": \"RS256\", \"finsam_role\": \"registrar\", \"finsam_forbund\": \"finsam-i-malmo\", \"groups\": [\"finsam-registrar:finsam-i-malmo\"], \"preferred_username\": \"$username\", \"name\": \"Rita Registrar\", \"lifetime\": $(json "$config" j.ttl.IdToken)}") || fail "id_token"
ok "code exchanged (client_secret_basic + code_verifier); id_token: RS256, signature by JWKS, iss, aud=$client, nonce, sub, configured claims, lifetime ttl.IdToken"
at=$(check_jwt access_token "$access_token1" '{"aud": "finsam", "header.typ": "at+jwt", "header.alg": "RS256", "client_id": "finsam-web", "sub": "u-registrar-malmo", "finsam_role": "registrar", "finsam_forbund": "finsam-i-malmo", "groups": ["finsam-registrar:finsam-i-malmo"], "scope": "finsam", "lifetime": '"$(json "$config" j.ttl.AccessToken)"'}') || fail "access token"
kid1=$(js 'console.log(JSON.parse(process.argv[2]).header.kid)' "$at")
ok "access token: JWT (typ at+jwt, RS256, kid $kid1), signature by JWKS, iss, aud=finsam, exp, finsam_role/finsam_forbund/groups, lifetime ttl.AccessToken"
echo "     id_token claims: $(js 'const {payload} = JSON.parse(process.argv[2]); console.log(Object.keys(payload).join(" "))' "$idt")"
echo "     access token claims: $(js 'const {payload} = JSON.parse(process.argv[2]); console.log(Object.keys(payload).join(" "))' "$at")"

# ---- replayed code, wrong code_verifier ---------------------------------------------------------
token "$code1" "$verifier1" -u "$client:$secret"
[ "$status" = 400 ] && [ "$(json "$work/body" j.error)" = invalid_grant ] || fail "replayed code: $status $body"
ok "the same code again: 400 invalid_grant"
code_flow "$client" "$redirect" state-2 nonce-2
grep -q 'id="username"' <<<"$body" && fail "a second authorization in the same session showed the login form"
wrong=$(js 'import c from "node:crypto"; console.log(c.randomBytes(32).toString("base64url"))')
token "$code" "$wrong" -u "$client:$secret"
[ "$status" = 400 ] && [ "$(json "$work/body" j.error)" = invalid_grant ] || fail "wrong code_verifier: $status $body"
ok "second authorization (same session: no form); its code with a wrong code_verifier: 400 invalid_grant"

# ---- public client (no secret; ES256 ID tokens) ---------------------------------------------------
code_flow "$pub_client" "$pub_redirect" state-p nonce-p
request -X POST --data-urlencode grant_type=authorization_code --data-urlencode "code=$code" \
    --data-urlencode "redirect_uri=$pub_redirect" --data-urlencode "code_verifier=$verifier" \
    --data-urlencode "client_id=$pub_client" "$token_ep"
[ "$status" = 200 ] || fail "public client token exchange answered $status: $body"
echo "$body" > "$work/tokens-pub.json"
check_jwt id_token "$(json "$work/tokens-pub.json" j.id_token)" "{\"aud\": \"$pub_client\", \"nonce\": \"nonce-p\", \"header.alg\": \"ES256\", \"finsam_role\": \"registrar\"}" > /dev/null || fail "public client id_token"
check_jwt access_token "$(json "$work/tokens-pub.json" j.access_token)" '{"aud": "finsam", "client_id": "finsam-public", "finsam_role": "registrar"}' > /dev/null || fail "public client access token"
ok "public client $pub_client (token_endpoint_auth_method none, PKCE): ES256 id_token, JWT access token for finsam"

# ---- key rotation ---------------------------------------------------------------------------------
request -X POST "$issuer/__test/rotate"
[ "$status" = 200 ] || fail "rotate answered $status"
kid2=$(json "$work/body" j.kid)
curl -sf "$jwks_uri" > "$work/jwks.json" || fail "jwks"
[ "$(json "$work/jwks.json" 'j.keys[0].kid')" = "$kid2" ] || fail "the new key is not first in the JWKS"
[ "$(json "$work/jwks.json" "j.keys.some((k) => k.kid === '$kid1')")" = true ] || fail "the old key left the JWKS"
[ "$(json "$work/jwks.json" "j.keys.some((k) => 'd' in k)")" = false ] || fail "private key material in the JWKS"
[ "$kid2" != "$kid1" ] || fail "rotation kept the kid"
check_jwt access_token "$access_token1" '{"aud": "finsam"}' > /dev/null || fail "the old access token no longer verifies"
ok "POST /__test/rotate -> {\"kid\": \"$kid2\"}: first in the JWKS, old key $kid1 still there, old token still verifies"
code_flow "$client" "$redirect" state-3 nonce-3
token "$code" "$verifier" -u "$client:$secret"
[ "$status" = 200 ] || fail "token exchange after rotation answered $status: $body"
echo "$body" > "$work/tokens3.json"
check_jwt access_token "$(json "$work/tokens3.json" j.access_token)" "{\"aud\": \"finsam\", \"header.kid\": \"$kid2\"}" > /dev/null || fail "access token after rotation"
check_jwt id_token "$(json "$work/tokens3.json" j.id_token)" "{\"aud\": \"$client\", \"nonce\": \"nonce-3\", \"header.kid\": \"$kid2\"}" > /dev/null || fail "id_token after rotation"
ok "tokens issued after the rotation are signed with the new kid $kid2"
id_token3=$(json "$work/tokens3.json" j.id_token)

# ---- RP-initiated logout --------------------------------------------------------------------------
follow "$end_session?id_token_hint=$id_token3&post_logout_redirect_uri=$(urlenc "$post_logout")&state=bye"
[ "$status" = 200 ] && grep -q 'id="op.logoutForm"' <<<"$body" && grep -q 'id="logout"' <<<"$body" || fail "end_session did not show the sign-out form: $status $body"
xsrf=$(grep -o 'name="xsrf" value="[^"]*"' <<<"$body" | sed 's/.*value="//; s/"$//')
confirm=$(grep -o 'action="[^"]*"' <<<"$body" | head -n 1 | sed 's/^action="//; s/"$//')
request -X POST --data-urlencode "xsrf=$xsrf" --data-urlencode logout=yes "$confirm"
[[ "$status" =~ ^30[0-9]$ ]] && [[ "$location" == "$post_logout"* ]] || fail "logout confirm did not redirect to $post_logout: $status $location $body"
[ "$(param "$location" state)" = bye ] || fail "logout state not echoed: $location"
ok "end_session (id_token_hint, post_logout_redirect_uri, state) -> sign-out form -> $location"
pkce
follow "$(auth_url "$client" "$redirect" state-4 nonce-4)"
login_form_shown || fail "after logout the authorization request did not show the login form: $status $location"
ok "after logout the next authorization shows the login form again"

# ---- dropping old keys ------------------------------------------------------------------------
request -X POST "$issuer/__test/rotate?drop_old=1"
kid3=$(json "$work/body" j.kid)
curl -sf "$jwks_uri" > "$work/jwks.json" || fail "jwks"
[ "$(json "$work/jwks.json" "j.keys.filter((k) => k.kty === 'RSA').map((k) => k.kid).join(' ')")" = "$kid3" ] || fail "drop_old=1 left old RSA keys: $(cat "$work/jwks.json")"
check_jwt access_token "$access_token1" '{}' > /dev/null 2>&1 && fail "a token of a dropped key still verifies"
ok "POST /__test/rotate?drop_old=1 -> {\"kid\": \"$kid3\"}: the only RSA key left (the ES256 one stays); tokens of dropped keys no longer verify"

# ---- stopping -------------------------------------------------------------------------------------
kill -TERM "$idp_pid"
for _ in $(seq 1 50); do kill -0 "$idp_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$idp_pid" 2>/dev/null && fail "SIGTERM did not stop the provider"
idp_pid=
[ "$(wc -l < "$work/idp.out")" = 1 ] || fail "stdout had more than the ready line: $(cat "$work/idp.out")"
ok "SIGTERM stops it; stdout held exactly the one ready line"

mkfifo "$work/stdin"
node "$here/provider.mjs" "$config" < "$work/stdin" > "$work/idp2.out" 2>> "$work/idp.err" &
idp_pid=$!
exec 3> "$work/stdin"
for _ in $(seq 1 100); do [ -s "$work/idp2.out" ] && break; sleep 0.1; done
grep -q '^ready http://127.0.0.1:' "$work/idp2.out" || fail "second provider not ready"
exec 3>&-
for _ in $(seq 1 50); do kill -0 "$idp_pid" 2>/dev/null || break; sleep 0.1; done
kill -0 "$idp_pid" 2>/dev/null && fail "closing stdin (a pipe) did not stop the provider"
idp_pid=
ok "with a pipe as stdin, closing it stops the provider"
echo "smoke: all passed"
