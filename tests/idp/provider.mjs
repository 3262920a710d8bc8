// An OpenID Connect identity provider for finsam's tests, on oidc-provider (panva).
//
//   node tests/idp/provider.mjs CONFIG.json
//
// Prints exactly one line to stdout, `ready <issuer>`, once it accepts connections, and runs until
// SIGTERM/SIGINT, or until its stdin closes when stdin is a pipe (a parent that dies takes it
// along). Everything else goes to stderr. README.md describes the config, endpoints and claims.

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as util from 'node:util';

import Provider, { errors } from 'oidc-provider';
// oidc-provider keeps its keystore and published JWKS in an internal per-instance record; this
// module is how its own code reaches that record. Used only by POST /__test/rotate.
import instance from 'oidc-provider/lib/helpers/weak_cache.js';

// stdout carries the single `ready` line only: oidc-provider prints its notices with
// console.info, so send console.log/info to stderr.
console.log = console.error;
console.info = console.error;
const log = (...args) => console.error('[idp]', ...args);

function die(message) {
  log(message);
  process.exit(2);
}

// ---- configuration --------------------------------------------------------------------------

if (process.argv.length !== 3) die('usage: node provider.mjs CONFIG.json');
let config;
try {
  config = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
} catch (err) {
  die(`cannot read config ${process.argv[2]}: ${err.message}`);
}

const port = config.port ?? 0;
if (!Number.isInteger(port) || port < 0 || port > 65535) die('config.port must be an integer 0..65535');
const audience = config.access_token_audience;
if (typeof audience !== 'string' || !audience) die('config.access_token_audience must be a non-empty string');
// A resource indicator must be an absolute URI (RFC 8707); the audience need not be one.
const resourceIndicator = URL.parse(audience) ? audience : `urn:${audience}`;
const accessTokenAlg = config.access_token_signing_alg ?? 'RS256';
if (!['RS256', 'ES256'].includes(accessTokenAlg)) die('config.access_token_signing_alg must be RS256 or ES256');

if (!Array.isArray(config.clients) || !config.clients.length) die('config.clients must be a non-empty array');
const clients = config.clients.map((c, i) => {
  if (typeof c.client_id !== 'string' || !c.client_id) die(`clients[${i}].client_id must be a non-empty string`);
  if (!Array.isArray(c.redirect_uris) || !c.redirect_uris.length) die(`clients[${i}].redirect_uris must be a non-empty array`);
  const confidential = typeof c.client_secret === 'string' && c.client_secret !== '';
  return {
    grant_types: ['authorization_code'],
    response_types: ['code'],
    post_logout_redirect_uris: [],
    token_endpoint_auth_method: confidential ? 'client_secret_basic' : 'none',
    // Any other client metadata oidc-provider knows passes through, e.g.
    // id_token_signed_response_alg: "ES256" or token_endpoint_auth_method: "client_secret_post".
    ...c,
  };
});

if (!Array.isArray(config.users)) die('config.users must be an array');
const users = new Map();
for (const [i, u] of config.users.entries()) {
  for (const k of ['sub', 'username', 'password']) {
    if (typeof u[k] !== 'string' || !u[k]) die(`users[${i}].${k} must be a non-empty string`);
  }
  if (u.claims !== undefined && (typeof u.claims !== 'object' || u.claims === null || Array.isArray(u.claims))) {
    die(`users[${i}].claims must be an object`);
  }
  users.set(u.sub, { ...u, claims: u.claims ?? {} });
}
const userByName = (username) => [...users.values()].find((u) => u.username === username);

// The claims a user has: preferred_username (the username) unless configured, then the configured
// ones. Every configured claim name, of any user, belongs to the scope `finsam`.
const accountClaims = (u) => ({ preferred_username: u.username, ...u.claims, sub: u.sub });
const finsamClaimNames = [...new Set(['preferred_username',
  ...[...users.values()].flatMap((u) => Object.keys(u.claims)).filter((k) => k !== 'sub')])];

const ttl = {
  AccessToken: 3600, AuthorizationCode: 60, IdToken: 3600, Interaction: 3600, Session: 14 * 24 * 3600, Grant: 14 * 24 * 3600,
};
for (const [k, v] of Object.entries(config.ttl ?? {})) {
  if (!Number.isInteger(v) || v <= 0) die(`config.ttl.${k} must be a positive integer (seconds)`);
  ttl[k] = v;
}

// ---- keys ---------------------------------------------------------------------------------------

const thumbprint = (jwk) => {
  const members = jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y };
  return crypto.createHash('sha256').update(JSON.stringify(members)).digest('base64url');
};
const generateKeyPair = util.promisify(crypto.generateKeyPair);
async function newKey(alg) {
  const { privateKey } = alg === 'RS256'
    ? await generateKeyPair('rsa', { modulusLength: 2048 })
    : await generateKeyPair('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  return { ...jwk, alg, use: 'sig', kid: thumbprint(jwk) };
}
// The published form of a key, as oidc-provider builds it at start.
const publicJwk = ({
  kty, use, key_ops, kid, alg, crv, e, n, x, y,
}) => Object.fromEntries(Object.entries({
  kty, use, key_ops, kid, alg, crv, e, n, x, y,
}).filter(([, v]) => v !== undefined));

// ---- HTML -----------------------------------------------------------------------------------------

const esc = (s) => String(s).replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
const page = (title, body) => `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>${esc(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body>
<h1>${esc(title)}</h1>
${body}
</body>
</html>
`;
const loginPage = (uid, clientId, { username = '', error } = {}) => page('Sign in', `
<p>to <span id="client">${esc(clientId)}</span> (finsam test identity provider)</p>
${error ? `<p id="error" role="alert">${esc(error)}</p>` : ''}
<form id="login-form" method="post" action="/interaction/${esc(uid)}" autocomplete="off">
  <label for="username">Username</label>
  <input id="username" name="username" type="text" value="${esc(username)}" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required>
  <button id="login" type="submit">Sign in</button>
</form>`);

// ---- the provider ---------------------------------------------------------------------------------

function configuration(keys) {
  return {
    clients,
    jwks: { keys },
    cookies: {
      keys: [crypto.randomBytes(32).toString('base64url')],
      // Cookies ignore ports: on 127.0.0.1 these share a jar with finsam's own, so no generic names.
      names: { session: 'idp_session', interaction: 'idp_interaction', resume: 'idp_interaction_resume' },
      // httpOnly + SameSite=Lax; oidc-provider adds Secure only on https requests, so plain
      // http://127.0.0.1 works without `proxy` or other settings.
    },
    findAccount(ctx, sub) {
      const u = users.get(sub);
      if (!u) return undefined;
      return { accountId: sub, claims: () => accountClaims(u) };
    },
    claims: {
      openid: ['sub'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      finsam: finsamClaimNames,
    },
    // Scope claims go into the ID token as well, not only to userinfo.
    conformIdTokenClaims: false,
    pkce: { required: () => true }, // S256 is the only method oidc-provider 9 knows
    ttl,
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        // A confirmation page that submits itself in a browser (logout=yes: the whole provider
        // session ends, not only this client's part). Without JS: click #logout.
        logoutSource(ctx, form) {
          ctx.body = page('Sign out', `${form}
<button id="logout" type="submit" form="op.logoutForm" name="logout" value="yes">Sign out</button>
<script>document.getElementById('logout').click();</script>`);
        },
        postLogoutSuccessSource(ctx) {
          ctx.body = page('Signed out', '<p id="signed-out">You are signed out.</p>');
        },
      },
      resourceIndicators: {
        enabled: true,
        // A client that sends no `resource` still gets a JWT access token for the audience,
        // also when it asks for `openid` (else the token would be an opaque one for userinfo).
        defaultResource: () => resourceIndicator,
        useGrantedResource: () => true,
        getResourceServerInfo(ctx, indicator) {
          if (indicator !== resourceIndicator) throw new errors.InvalidTarget();
          return {
            audience,
            scope: 'finsam',
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: accessTokenAlg } },
          };
        },
      },
    },
    // The claims of scope `finsam` in the JWT access token too, when that scope was granted.
    async extraTokenClaims(ctx, token) {
      if (token.kind !== 'AccessToken' || !token.accountId) return undefined;
      const grant = await ctx.oidc.provider.Grant.find(token.grantId);
      if (!grant?.getOIDCScope().split(' ').includes('finsam')) return undefined;
      const u = users.get(token.accountId);
      if (!u) return undefined;
      const { sub, ...claims } = accountClaims(u);
      return claims;
    },
    clientBasedCORS: () => false,
    renderError(ctx, out) {
      ctx.type = 'html';
      ctx.body = page('Error', Object.entries(out).map(([k, v]) => `<p class="${esc(k)}">${esc(k)}: ${esc(v)}</p>`).join('\n'));
    },
  };
}

// ---- our routes: login/consent interactions and the test endpoints ----------------------------

async function readForm(req) {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 65536) throw new Error('request body too large');
  }
  return new URLSearchParams(body);
}
function send(res, status, type, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.end(body);
}

async function interaction(provider, req, res, uid) {
  let details;
  try {
    details = await provider.interactionDetails(req, res);
  } catch (err) {
    send(res, 400, 'text/html; charset=utf-8', page('Error', `<p class="error">${esc(err.message)}</p>`));
    return;
  }
  if (details.uid !== uid) {
    send(res, 400, 'text/html; charset=utf-8', page('Error', '<p class="error">interaction mismatch</p>'));
    return;
  }
  const { prompt, params, session } = details;

  if (prompt.name === 'login') {
    if (req.method === 'GET') {
      send(res, 200, 'text/html; charset=utf-8', loginPage(uid, params.client_id));
      return;
    }
    const form = await readForm(req);
    const username = form.get('username') ?? '';
    const user = userByName(username);
    const given = Buffer.from(form.get('password') ?? '');
    const ok = user && given.length === Buffer.byteLength(user.password)
      && crypto.timingSafeEqual(given, Buffer.from(user.password));
    if (!ok) {
      log(`login failed for ${JSON.stringify(username)}`);
      send(res, 200, 'text/html; charset=utf-8', loginPage(uid, params.client_id, { username, error: 'Wrong username or password.' }));
      return;
    }
    log(`login ${user.username} (${user.sub})`);
    await provider.interactionFinished(req, res, { login: { accountId: user.sub } }, { mergeWithLastSubmission: false });
    return;
  }

  if (prompt.name === 'consent') {
    // Consent is implicit for the configured clients: grant what is asked, no page.
    const grant = details.grantId
      ? await provider.Grant.find(details.grantId)
      : new provider.Grant({ accountId: session.accountId, clientId: params.client_id });
    const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = prompt.details;
    if (missingOIDCScope) grant.addOIDCScope(missingOIDCScope.join(' '));
    if (missingOIDCClaims) grant.addOIDCClaims(missingOIDCClaims);
    for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
    const grantId = await grant.save();
    await provider.interactionFinished(req, res, { consent: { grantId } }, { mergeWithLastSubmission: true });
    return;
  }

  send(res, 400, 'text/html; charset=utf-8', page('Error', `<p class="error">unknown prompt ${esc(prompt.name)}</p>`));
}

async function rotate(provider, dropOld) {
  const key = await newKey('RS256');
  const int = instance(provider);
  const old = [...int.keystore];
  // Signing takes the first key of the right algorithm, so the new one goes first. The keystore
  // object is mutated in place: oidc-provider's token formats hold on to it.
  int.keystore.clear();
  int.keystore.add(key);
  for (const k of old) {
    if (!(dropOld && k.kty === 'RSA')) int.keystore.add(k);
  }
  int.jwks = { keys: [...int.keystore].map(publicJwk) };
  log(`rotated: signing with ${key.kid}${dropOld ? ', old RSA keys dropped' : ''}; JWKS ${int.jwks.keys.map((k) => k.kid).join(', ')}`);
  return key.kid;
}

// ---- start --------------------------------------------------------------------------------------

let handler = (req, res) => send(res, 503, 'text/plain', 'starting\n');
const server = http.createServer((req, res) => {
  const started = Date.now();
  res.on('finish', () => log(`${req.method} ${req.url} -> ${res.statusCode} (${Date.now() - started} ms)`));
  handler(req, res);
});

server.listen(port, '127.0.0.1', async () => {
  const keys = [await newKey('RS256'), await newKey('ES256')];
  const issuer = `http://127.0.0.1:${server.address().port}`;
  let provider;
  try {
    provider = new Provider(issuer, configuration(keys));
  } catch (err) {
    die(`invalid configuration: ${err.message}`);
  }
  for (const event of ['server_error', 'authorization.error', 'grant.error', 'end_session.error', 'jwks.error', 'discovery.error']) {
    provider.on(event, (ctx, err) => log(`${event}: ${err?.name ?? ''} ${err?.message ?? ''} ${err?.error_description ?? ''}`.trim()));
  }
  const oidc = provider.callback();

  handler = (req, res) => {
    const url = new URL(req.url, issuer);
    const m = /^\/interaction\/([^/]+)$/.exec(url.pathname);
    if (m && (req.method === 'GET' || req.method === 'POST')) {
      interaction(provider, req, res, m[1]).catch((err) => {
        log(`interaction error: ${err.stack}`);
        if (!res.headersSent) send(res, 500, 'text/plain', 'internal error\n');
      });
      return;
    }
    if (url.pathname === '/__test/rotate') {
      if (req.method !== 'POST') {
        send(res, 405, 'application/json', '{"error":"method_not_allowed"}');
        return;
      }
      const dropOld = ['1', 'true', 'yes'].includes(url.searchParams.get('drop_old') ?? '');
      rotate(provider, dropOld).then(
        (kid) => send(res, 200, 'application/json', JSON.stringify({ kid })),
        (err) => { log(`rotate: ${err.stack}`); send(res, 500, 'application/json', '{"error":"server_error"}'); },
      );
      return;
    }
    oidc(req, res);
  };

  log(`issuer ${issuer}; clients ${clients.map((c) => c.client_id).join(', ')}; users ${[...users.values()].map((u) => u.username).join(', ')}; audience ${audience} (resource ${resourceIndicator})`);
  process.stdout.write(`ready ${issuer}\n`);
});
server.on('error', (err) => die(`listen: ${err.message}`));

function shutdown(why) {
  log(`stopping (${why})`);
  server.close();
  server.closeAllConnections?.();
  process.exit(0);
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
// Stdin is watched only when it is a pipe (or socket): /dev/null or a terminal must not stop it.
try {
  const stdin = fs.fstatSync(0);
  if (stdin.isFIFO() || stdin.isSocket()) {
    process.stdin.on('end', () => shutdown('stdin closed'));
    process.stdin.on('error', () => shutdown('stdin error'));
    process.stdin.resume();
  }
} catch { /* no stdin at all */ }
