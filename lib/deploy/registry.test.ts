import { describe, expect, it } from "vitest";
import { PROVIDERS, providerFor, testTargetConnection, validateTarget, type ProviderEntry } from "./registry";

// Target settings are checked when saved (field messages for the form) and again when used.

const base = { secretEnvVar: null, timeoutSeconds: 600 };

describe("validateTarget", () => {
  it("accepts good settings per provider and returns them as they are saved, defaults filled", () => {
    expect(validateTarget({ ...base, provider: "command", config: { command: "./deploy.sh" } }, "canary")).toEqual({
      ok: true,
      config: { command: "./deploy.sh", args: [] },
    });
    expect(
      validateTarget(
        {
          provider: "webhook",
          config: { url: "https://deploy.example/hooks", headers: { "X-Team": "payments" } },
          secretEnvVar: "STOREFRONT_WEBHOOK_SECRET",
          timeoutSeconds: 900,
        },
        "blue_green",
      ),
    ).toEqual({ ok: true, config: { url: "https://deploy.example/hooks", headers: { "X-Team": "payments" } } });
    expect(
      validateTarget(
        {
          provider: "github_actions",
          config: { owner: "acme", repo: "storefront", workflow: "deploy.yml", ref: "main", inputs: { region: "eu" } },
          secretEnvVar: "ACME_GITHUB_TOKEN",
          timeoutSeconds: 7200,
        },
        "direct",
      ),
    ).toEqual({
      ok: true,
      config: {
        owner: "acme",
        repo: "storefront",
        workflow: "deploy.yml",
        ref: "main",
        inputs: { region: "eu" },
        baseUrl: "https://api.github.com",
        pollSeconds: 10,
      },
    });
  });

  it("names each bad field with a message people can act on", () => {
    expect(validateTarget({ ...base, provider: "command", config: { command: "", shell: true } }, "direct")).toEqual({
      ok: false,
      fieldErrors: { command: ["Enter the executable to run"], config: ["Unknown settings: shell"] },
    });
    expect(
      validateTarget(
        {
          provider: "webhook",
          config: { url: "ftp://user:pw@deploy.example", headers: { Authorization: "Bearer x" } },
          secretEnvVar: null,
          timeoutSeconds: 0,
        },
        "direct",
      ),
    ).toEqual({
      ok: false,
      fieldErrors: {
        url: ["Use an http:// or https:// URL"],
        "headers.Authorization": [
          "Greenlight sets this header itself, or it would hold a credential: the signature authenticates each event",
        ],
        secretEnvVar: [
          "Name the environment variable that holds the signing secret (whsec_…; two separated by a space while rotating)",
        ],
        timeoutSeconds: ["Enter a whole number of seconds from 1 to 3600"],
      },
    });
    expect(
      validateTarget(
        {
          ...base,
          provider: "webhook",
          config: { url: "https://user:pw@deploy.example" },
          secretEnvVar: "HOOK_SECRET",
        },
        "direct",
      ),
    ).toMatchObject({ fieldErrors: { url: [expect.stringMatching(/^Remove the user name and password/) as string] } });
    const github = validateTarget(
      {
        provider: "github_actions",
        config: {
          owner: "acme/inc",
          workflow: "deploy.sh",
          ref: "main branch",
          inputs: { environment: "prod", "1bad": "x" },
          baseUrl: "not a url",
          pollSeconds: 1,
        },
        secretEnvVar: "1TOKEN",
        timeoutSeconds: 600,
      },
      "canary",
    );
    expect(github).toEqual({
      ok: false,
      fieldErrors: {
        owner: ["Enter the owner as in the repository's URL, e.g. acme"],
        repo: ["Enter the repository's name"],
        workflow: ["Enter the workflow's file name in .github/workflows (deploy.yml) or its numeric id"],
        ref: ["Enter a branch or tag name, without spaces or '..'"],
        "inputs.environment": ["Greenlight sets this input itself on every dispatch: remove it"],
        "inputs.1bad": ["Input names are letters, digits, - and _, starting with a letter or _"],
        baseUrl: ["Enter a full URL, starting with https://"],
        pollSeconds: ["Check the run at most every 2 seconds (GitHub's rate limit)"],
        secretEnvVar: [
          "Not a valid environment variable name: use letters, digits and underscores, not starting with a digit",
        ],
      },
    });
  });

  it("refuses a secret variable that is one of Greenlight's own settings", () => {
    for (const name of ["DATABASE_URL", "AUTH_SECRET", "GREENLIGHT_URL", "PGPASSWORD"])
      expect(
        validateTarget({ ...base, provider: "command", config: { command: "true" }, secretEnvVar: name }, "direct"),
      ).toEqual({
        ok: false,
        fieldErrors: {
          secretEnvVar: [
            `${name} is one of Greenlight's own settings; name a variable that holds only this target's secret`,
          ],
        },
      });
    // and a stored row that slipped through is refused at deploy time too
    expect(
      providerFor(
        {
          provider: "github_actions",
          config: { owner: "a", repo: "b", workflow: "d.yml", ref: "main" },
          secretEnvVar: "AUTH_SECRET",
          timeoutSeconds: 60,
        },
        "storefront in Production",
      ),
    ).toBe(
      "The deploy target of storefront in Production is invalid: secretEnvVar: AUTH_SECRET is one of Greenlight's own settings; name a variable that holds only this target's secret",
    );
  });

  it("refuses an unknown provider and a strategy the provider cannot run", () => {
    expect(validateTarget({ ...base, provider: "ftp", config: {} }, "direct")).toEqual({
      ok: false,
      fieldErrors: { provider: ["Choose a provider: command, webhook, github_actions"] },
    });
    expect(validateTarget({ ...base, provider: "__proto__", config: {} }, "direct").ok).toBe(false);
    const directOnly: ProviderEntry = {
      ...PROVIDERS.webhook,
      capabilities: { ...PROVIDERS.webhook.capabilities, strategies: ["direct"] },
    };
    const providers = { ...PROVIDERS, webhook: directOnly };
    const target = {
      provider: "webhook",
      config: { url: "https://x.example" },
      secretEnvVar: "HOOK_SECRET",
      timeoutSeconds: 60,
    };
    expect(validateTarget(target, "direct", providers).ok).toBe(true);
    expect(validateTarget(target, "canary", providers)).toEqual({
      ok: false,
      fieldErrors: {
        provider: [
          "The webhook provider cannot run canary rollouts: choose another provider or change the environment's strategy",
        ],
      },
    });
    // every real provider runs every strategy and declares what it can test
    for (const found of Object.values(PROVIDERS)) {
      expect(found.capabilities.strategies).toEqual(["direct", "blue_green", "canary"]);
      expect(found.capabilities.testConnection).toBe(true);
    }
  });
});

describe("testTargetConnection", () => {
  it("runs the provider's own test, or says why it cannot", async () => {
    const signal = new AbortController().signal;
    expect(
      await testTargetConnection(
        { provider: "command", config: { command: "sh" }, secretEnvVar: null, timeoutSeconds: 60 },
        signal,
      ),
    ).toMatchObject({ ok: true });
    expect(
      await testTargetConnection(
        { provider: "webhook", config: { url: "https://x.example" }, secretEnvVar: null, timeoutSeconds: 60 },
        signal,
      ),
    ).toEqual({
      ok: false,
      reason:
        "The settings are invalid: secretEnvVar: Name the environment variable that holds the signing secret (whsec_…; two separated by a space while rotating)",
    });
    expect(
      await testTargetConnection(
        {
          provider: "github_actions",
          config: { owner: "a", repo: "b", workflow: "d.yml", ref: "main" },
          secretEnvVar: "REGISTRY_TEST_UNSET_TOKEN",
          timeoutSeconds: 60,
        },
        signal,
      ),
    ).toEqual({
      ok: false,
      reason: "secret environment variable REGISTRY_TEST_UNSET_TOKEN is not set on the Greenlight server",
    });
  });
});
