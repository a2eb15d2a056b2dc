import { randomBytes } from "node:crypto";
import http from "node:http";
import Provider, { type AccountClaims, type FindAccount } from "oidc-provider";

// A real OpenID Connect provider (the oidc-provider package) for the single sign-on journeys
// (e2e/sso.spec.ts), on 127.0.0.1 at OIDC_PORT, with one client: Greenlight at
// OIDC_REDIRECT_URI. Its own login page takes any login and password, then asks for consent.
//
// What it says about a person follows from the login, so each journey makes people of its own:
// - "po-…"       email and groups ["release-managers"] in the ID token and in userinfo;
// - "userinfo-…" an ID token with nothing but the subject: email and groups ["qa-team"] only
//                from userinfo, as many providers do (and OIDC Core 5.4 for the code flow);
// - anything else: email in both, no groups.
// GET /_test/issued/<login> tells a journey which claims went where, so it can check that the
// ID token really lacked what Greenlight had to fetch.

const port = Number(process.env.OIDC_PORT);
const clientId = process.env.OIDC_CLIENT_ID;
const clientSecret = process.env.OIDC_CLIENT_SECRET;
const redirectUri = process.env.OIDC_REDIRECT_URI;
if (!port || !clientId || !clientSecret || !redirectUri) {
  console.error("e2e/oidc-server.ts needs OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET and OIDC_REDIRECT_URI");
  process.exit(1);
}
const issuer = `http://127.0.0.1:${port}`;

const issued = new Map<string, Record<string, string[]>>();

function claimsOf(login: string, use: string): AccountClaims {
  const kind = login.split("-")[0];
  const person = {
    sub: login,
    email: `${login}@sso.example.test`,
    email_verified: true,
    name: `SSO ${login}`,
  };
  if (kind === "userinfo") return use === "id_token" ? { sub: login } : { ...person, groups: ["qa-team"] };
  if (kind === "po") return { ...person, groups: ["release-managers"] };
  return person;
}

const findAccount: FindAccount = (_ctx, login) => ({
  accountId: login,
  claims(use) {
    const claims = claimsOf(login, use);
    issued.set(login, { ...issued.get(login), [use]: Object.keys(claims) });
    return claims;
  },
});

const provider = new Provider(issuer, {
  clients: [
    {
      client_id: clientId,
      client_secret: clientSecret,
      redirect_uris: [redirectUri],
      grant_types: ["authorization_code"],
      response_types: ["code"],
    },
  ],
  claims: { email: ["email", "email_verified"], profile: ["name"], groups: ["groups"] },
  // scope claims go into the ID token too, unless the account keeps them for userinfo
  conformIdTokenClaims: false,
  findAccount,
  cookies: { keys: [randomBytes(32).toString("base64url")] },
  features: { devInteractions: { enabled: true } },
});

const handle = provider.callback();
http
  .createServer((req, res) => {
    const match = /^\/_test\/issued\/([\w.-]+)$/.exec(req.url ?? "");
    if (match) {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(issued.get(match[1]!) ?? null));
      return;
    }
    void handle(req, res);
  })
  .listen(port, "127.0.0.1", () => console.log(`test identity provider at ${issuer}`));
