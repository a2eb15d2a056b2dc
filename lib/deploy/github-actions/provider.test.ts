import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { DeployContext, LogLine } from "../provider";
import { githubActionsConfigSchema } from "./config";
import { githubActionsProvider, type GithubActionsOptions } from "./provider";
import { startFakeGitHub, type FakeGitHub } from "../../test/github";

// Against a real HTTP server on 127.0.0.1 speaking GitHub's REST endpoints, through the real
// Octokit client and its retry and throttling plugins.

const TOKEN_VAR = "GITHUB_ACTIONS_TEST_TOKEN";
let github: FakeGitHub;
beforeAll(async () => {
  github = await startFakeGitHub();
});
afterAll(async () => {
  await github.close();
  delete process.env[TOKEN_VAR];
});
beforeEach(() => {
  process.env[TOKEN_VAR] = github.token;
  github.mode = "details";
  github.plan = { statuses: ["queued", "in_progress", "completed"], conclusion: "success", hiddenFor: 0 };
  github.faults = {};
  github.dispatches.length = 0;
  github.requests.length = 0;
  github.runs.length = 0;
  github.workflowState = "active";
});

function provider(options: Partial<GithubActionsOptions> = {}) {
  const config = githubActionsConfigSchema.parse({
    owner: "acme",
    repo: "storefront",
    workflow: "deploy.yml",
    ref: "main",
    inputs: { region: "eu-west-1" },
    baseUrl: github.baseUrl,
  });
  return githubActionsProvider(config, {
    secretEnvVar: TOKEN_VAR,
    timeoutSeconds: 20,
    timing: { pollMs: 10, runStartMs: 500, retryBaseMs: 10 },
    ...options,
  });
}

function context(overrides: Partial<DeployContext> = {}): DeployContext {
  return {
    deploymentId: "0190a1b2-0000-7000-8000-0000000000gh",
    application: { key: "storefront" },
    environment: { key: "production" },
    release: { version: "2.4.0", commitSha: "a1b2c3d", previousVersion: "2.3.9" },
    strategy: "canary",
    color: "green",
    previousColor: "blue",
    step: { index: 1, count: 3, action: "traffic", trafficPercent: 50 },
    signal: new AbortController().signal,
    ...overrides,
  };
}

function logged() {
  const lines: LogLine[] = [];
  return { lines, texts: () => lines.map((l) => l.text), sink: (line: LogLine) => void lines.push(line) };
}

const dispatchCount = () => github.requests.filter((r) => r.endpoint === "dispatch").length;

describe("github-actions provider", () => {
  it("dispatches with Greenlight's inputs, follows the run GitHub returns and reports success with its link", async () => {
    const remembered: string[] = [];
    const log = logged();
    const result = await provider().setTraffic!(
      context({ remember: (ref) => Promise.resolve(void remembered.push(ref)) }),
      50,
      log.sink,
    );
    const run = github.runs.at(-1)!;
    const url = `https://github.test/acme/storefront/actions/runs/${run.id}`;
    expect(result).toEqual({ ok: true, providerRef: String(run.id), message: `the workflow run succeeded: ${url}` });
    expect(remembered).toEqual([String(run.id)]);
    expect(github.dispatches).toEqual([
      {
        accepted: true,
        body: {
          ref: "main",
          return_run_details: true,
          inputs: {
            region: "eu-west-1",
            greenlight_deployment_id: "0190a1b2-0000-7000-8000-0000000000gh",
            version: "2.4.0",
            environment: "production",
            action: "traffic",
            traffic_percent: "50",
            color: "green",
            step: "1",
          },
        },
      },
    ]);
    expect(log.texts()).toEqual([
      "dispatching workflow deploy.yml in acme/storefront on main (traffic, step 1)",
      "dispatched",
      `workflow run: ${url}`,
      "run status: queued",
      "run status: in_progress",
      "run status: completed",
      `the workflow run succeeded: ${url}`,
    ]);
    expect(JSON.stringify(log.lines)).not.toContain(github.token);
  });

  it("on a GitHub that refuses return_run_details, dispatches again without it and finds the run by its name", async () => {
    github.mode = "refuses-details";
    github.plan = { statuses: ["queued", "completed"], conclusion: "success", hiddenFor: 2 };
    const remembered: string[] = [];
    const log = logged();
    const result = await provider().rollback(
      context({
        step: { index: 2, count: 3, action: "rollback", trafficPercent: 0 },
        remember: (ref) => Promise.resolve(void remembered.push(ref)),
      }),
      log.sink,
    );
    expect(result.ok).toBe(true);
    expect(github.dispatches.map((d) => [d.accepted, "return_run_details" in d.body])).toEqual([
      [false, true],
      [true, false],
    ]);
    expect(github.dispatches[1]!.body.inputs).toMatchObject({
      action: "rollback",
      version: "2.3.9",
      step: "2",
      traffic_percent: "0",
    });
    expect(remembered).toEqual([String(github.runs.at(-1)!.id)]);
    expect(log.texts()).toContain(
      "this GitHub does not return run details (older GitHub Enterprise Server); dispatching without them",
    );
    // the run was not listed at first: the provider kept looking
    expect(github.requests.filter((r) => r.endpoint === "list").length).toBeGreaterThanOrEqual(3);
  });

  it("on a 204 answer, finds the run among others by the deployment id and step in its name", async () => {
    github.mode = "ignores-details";
    // another deployment's run and this deployment's step 10 are there too
    await provider().setTraffic!(context({ deploymentId: "0190a1b2-0000-7000-8000-00000000other" }), 50, () => {});
    await provider().setTraffic!(
      context({ step: { index: 10, count: 12, action: "traffic", trafficPercent: 90 } }),
      90,
      () => {},
    );
    const result = await provider().setTraffic!(context(), 50, () => {});
    const mine = github.runs.at(-1)!;
    expect(result).toMatchObject({ ok: true, providerRef: String(mine.id) });
    expect(github.dispatches.filter((d) => d.accepted)).toHaveLength(3);
  });

  it("reports a failed run with its conclusion and link", async () => {
    github.plan = { statuses: ["in_progress", "completed"], conclusion: "failure", hiddenFor: 0 };
    const result = await provider().deploy(context({ step: undefined, strategy: "direct" }), () => {});
    const run = github.runs.at(-1)!;
    expect(result).toEqual({
      ok: false,
      reason: `the workflow run ended failure: https://github.test/acme/storefront/actions/runs/${run.id}`,
      providerRef: String(run.id),
    });
    expect(github.dispatches[0]!.body.inputs).toMatchObject({ action: "deploy", step: "-1", traffic_percent: "100" });
  });

  it("fails clearly when the dispatched run never starts", async () => {
    github.mode = "ignores-details";
    github.plan = "never";
    const started = Date.now();
    const result = await provider().deploy(context(), () => {});
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({
      ok: false,
      reason:
        "the workflow run never started: no run of deploy.yml named with 0190a1b2-0000-7000-8000-0000000000gh/1 appeared within 1 s. " +
        "Check that the workflow's run-name includes ${{ inputs.greenlight_deployment_id }}/${{ inputs.step }} and that runners are available",
    });
  });

  it("waits out a secondary rate limit (429 with retry-after) and a primary one (403 with x-ratelimit-reset)", async () => {
    github.faults.dispatch = [
      {
        status: 429,
        headers: { "retry-after": "1" },
        body: { message: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again." },
      },
    ];
    github.faults.run = [
      {
        status: 403,
        headers: {
          "x-ratelimit-limit": "5000",
          "x-ratelimit-remaining": "0",
          "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 1),
        },
        body: { message: "API rate limit exceeded for user ID 1." },
      },
    ];
    const log = logged();
    const result = await provider().deploy(context(), log.sink);
    expect(result.ok).toBe(true);
    expect(dispatchCount()).toBe(2);
    expect(github.dispatches.filter((d) => d.accepted)).toHaveLength(1);
    const requests = github.requests;
    const dispatches = requests.filter((r) => r.endpoint === "dispatch");
    expect(dispatches[1]!.at - dispatches[0]!.at).toBeGreaterThanOrEqual(950);
    expect(log.texts()).toContain(
      "GitHub's secondary rate limit is reached: waiting 1 s as GitHub asks, then trying again",
    );
    expect(log.texts().filter((t) => t.startsWith("GitHub's primary rate limit is reached"))).toHaveLength(1);
  });

  it("does not wait for a rate limit that resets after the step's deadline", async () => {
    github.faults.dispatch = [
      {
        status: 403,
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(Math.floor(Date.now() / 1000) + 3600) },
        body: { message: "API rate limit exceeded for user ID 1." },
      },
    ];
    const started = Date.now();
    const result = await provider().deploy(context(), () => {});
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result).toMatchObject({ ok: false });
    if (result.ok === false)
      expect(result.reason).toMatch(
        new RegExp(
          `^GitHub's rate limit for the token in ${TOKEN_VAR} is reached until \\d{4}-.*, beyond this step's deadline: API rate limit exceeded`,
        ),
      );
  });

  it("retries 5xx with backoff, then goes on", async () => {
    github.faults.dispatch = [{ status: 502, body: { message: "Server Error" } }];
    github.faults.run = [
      { status: 500, body: { message: "Server Error" } },
      { status: 503, body: { message: "Unavailable" } },
    ];
    const result = await provider().deploy(context(), () => {});
    expect(result.ok).toBe(true);
    expect(github.dispatches.filter((d) => d.accepted)).toHaveLength(1);
    github.faults.dispatch = Array.from({ length: 5 }, () => ({ status: 500, body: { message: "Server Error" } }));
    const failed = await provider().deploy(context(), () => {});
    expect(failed).toEqual({
      ok: false,
      reason: "GitHub answered 500 to dispatching deploy.yml in acme/storefront after several tries: Server Error",
    });
  });

  it("after a crash, follows the remembered run to its result without dispatching again", async () => {
    github.plan = {
      statuses: ["queued", "in_progress", "in_progress", "completed"],
      conclusion: "success",
      hiddenFor: 0,
    };
    const crash = new AbortController();
    let remembered: string | null = null;
    const first = await provider().setTraffic!(
      context({
        signal: crash.signal,
        remember: (ref) => {
          remembered = ref;
          // the worker dies right after recording the run id
          crash.abort();
          return Promise.resolve();
        },
      }),
      50,
      () => {},
    );
    expect(first).toMatchObject({ ok: false, reason: "cancelled" });
    expect(remembered).not.toBeNull();
    const log = logged();
    const resumed = await provider().follow!(context(), remembered!, log.sink);
    expect(resumed).toMatchObject({ ok: true, providerRef: remembered });
    expect(dispatchCount()).toBe(1);
    expect(log.texts()[0]).toBe(`following workflow run ${remembered} started before Greenlight restarted`);
    expect(await provider().status!(context(), remembered!)).toEqual({ state: "succeeded" });
  });

  it("stops following when the deployment is cancelled", async () => {
    github.plan = { statuses: ["in_progress"], conclusion: "success", hiddenFor: 0 };
    const abort = new AbortController();
    const remember = () => Promise.resolve(void setTimeout(() => abort.abort(), 100));
    const started = Date.now();
    const result = await provider().deploy(context({ signal: abort.signal, remember }), () => {});
    expect(Date.now() - started).toBeLessThan(2500);
    expect(result).toMatchObject({ ok: false, reason: "cancelled", providerRef: String(github.runs.at(-1)!.id) });
  });

  it("explains a bad token, a missing workflow and a missing token", async () => {
    process.env[TOKEN_VAR] = "ghp_wrong";
    expect(await provider().deploy(context(), () => {})).toEqual({
      ok: false,
      reason: `GitHub refused the token in ${TOKEN_VAR} (401 Bad credentials): check that it is valid and not expired`,
    });
    process.env[TOKEN_VAR] = github.token;
    github.faults.dispatch = [{ status: 404, body: { message: "Not Found" } }];
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      reason: `GitHub found nothing for dispatching deploy.yml in acme/storefront (404): check the owner, repository and workflow, and that the token in ${TOKEN_VAR} can see acme/storefront`,
    });
    delete process.env[TOKEN_VAR];
    expect(await provider().deploy(context(), () => {})).toMatchObject({
      reason: `secret environment variable ${TOKEN_VAR} is not set on the Greenlight server`,
    });
  });

  it("tests the connection by reading the workflow", async () => {
    const signal = new AbortController().signal;
    expect(await provider().testConnection!(signal)).toEqual({
      ok: true,
      message: 'The workflow "Deploy" (.github/workflows/deploy.yml) in acme/storefront is active',
    });
    github.workflowState = "disabled_manually";
    expect(await provider().testConnection!(signal)).toEqual({
      ok: false,
      reason:
        'The workflow "Deploy" (.github/workflows/deploy.yml) in acme/storefront is disabled_manually: enable it in GitHub',
    });
    expect(dispatchCount()).toBe(0);
  });
});

describe("github-actions provider against a workflow with a job of its own", () => {
  // lib/test/github.ts as the preset walks use it: the run's status follows its job
  const INPUTS = ["greenlight_deployment_id", "version", "environment", "action", "traffic_percent", "color", "step"];
  const jobs: { inputs: Record<string, string>; sawStatus: string | undefined }[] = [];
  let conclusion: "success" | "failure" = "success";
  let live: FakeGitHub;
  beforeAll(async () => {
    live = await startFakeGitHub({
      token: "ghp_live_token",
      workflows: [
        {
          owner: "acme",
          repo: "storefront",
          workflow: "deploy.yml",
          refs: ["main"],
          inputs: [...INPUTS, "region"],
          run: async (inputs, { id }) => {
            // the provider reads the run while the job works: it must see it in progress
            await new Promise((resolve) => setTimeout(resolve, 150));
            jobs.push({ inputs, sawStatus: live.runs.find((r) => r.id === id)?.live?.status });
            return conclusion;
          },
        },
      ],
    });
  });
  afterAll(() => live.close());
  beforeEach(() => {
    process.env[TOKEN_VAR] = live.token;
    jobs.length = 0;
    conclusion = "success";
  });

  function liveProvider(config: Record<string, unknown> = {}) {
    return githubActionsProvider(
      githubActionsConfigSchema.parse({
        owner: "acme",
        repo: "storefront",
        workflow: "deploy.yml",
        ref: "main",
        inputs: { region: "eu-west-1" },
        baseUrl: live.baseUrl,
        ...config,
      }),
      { secretEnvVar: TOKEN_VAR, timeoutSeconds: 20, timing: { pollMs: 20, runStartMs: 500, retryBaseMs: 10 } },
    );
  }

  it("reports the run queued, in progress while its job works, then completed with the job's conclusion", async () => {
    const log = logged();
    const result = await liveProvider().deploy(context({ step: undefined, strategy: "direct" }), log.sink);
    expect(result.ok).toBe(true);
    expect(jobs.map((j) => j.sawStatus)).toEqual(["in_progress"]);
    expect(jobs[0]?.inputs).toMatchObject({
      action: "deploy",
      version: "2.4.0",
      traffic_percent: "100",
      region: "eu-west-1",
    });
    expect(log.texts().filter((t) => t.startsWith("run status:"))).toEqual([
      "run status: queued",
      "run status: in_progress",
      "run status: completed",
    ]);

    conclusion = "failure";
    const failed = await liveProvider().rollback(
      context({ step: { index: 1, count: 3, action: "rollback", trafficPercent: 0 } }),
      logged().sink,
    );
    expect(failed.ok).toBe(false);
    expect(failed.ok === false && failed.reason).toMatch(/^the workflow run ended failure: /);
    expect(jobs.at(-1)?.inputs).toMatchObject({ action: "rollback", version: "2.3.9", traffic_percent: "0" });
  });

  it("is refused, as GitHub refuses it, an input the workflow does not declare or a ref that does not exist", async () => {
    const unexpected = await liveProvider({ inputs: { region: "eu-west-1", tier: "gold" } }).deploy(
      context(),
      logged().sink,
    );
    expect(unexpected.ok === false && unexpected.reason).toContain('Unexpected inputs provided: ["tier"]');
    const noRef = await liveProvider({ ref: "release" }).deploy(context(), logged().sink);
    expect(noRef.ok === false && noRef.reason).toContain("No ref found for: release");
    expect(jobs).toEqual([]);
  });

  it("refuses a wrong token", async () => {
    process.env[TOKEN_VAR] = "ghp_someone_else";
    const result = await liveProvider().deploy(context(), logged().sink);
    expect(result.ok === false && result.reason).toContain("401");
    expect(jobs).toEqual([]);
  });
});
