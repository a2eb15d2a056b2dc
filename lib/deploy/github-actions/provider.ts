import { RequestError } from "@octokit/request-error";
import { pause, systemLog } from "../log";
import type {
  ConnectionReport,
  DeployContext,
  DeployProvider,
  DeployResult,
  DeployStatus,
  LogSink,
  ProviderCapabilities,
  StepAction,
} from "../provider";
import { readSecret } from "../secret";
import { stepFor, versionFor } from "../step";
import { bounded, describeGitHubError, gitHubClient, Stopped } from "./client";
import type { GithubActionsConfig } from "./config";

// The `github_actions` provider dispatches a workflow per step and follows the run it started to
// its conclusion. Where GitHub returns the run with the dispatch (return_run_details), that run is
// followed; where it refuses the field (older GitHub Enterprise Server) or answers 204, the run is
// found in the workflow's runs by the deployment id and step its run-name echoes
// (docs/deploy-providers.md). The run id is remembered as soon as it is known, so a restarted
// worker follows that run instead of dispatching again.

/** The workflow decides what each step means, so every strategy can run on it. */
export const githubActionsCapabilities: ProviderCapabilities = {
  strategies: ["direct", "blue_green", "canary"],
  versionCheck: false,
  testConnection: true,
};

export interface GithubActionsTiming {
  /** overrides config.pollSeconds (tests) */
  pollMs?: number;
  /** how long a dispatched run may take to appear */
  runStartMs: number;
  /** the unit of the pauses between tries on 5xx: 1, 4, 9 × this */
  retryBaseMs: number;
}

const DEFAULT_TIMING: GithubActionsTiming = { runStartMs: 120_000, retryBaseMs: 1000 };

export interface GithubActionsOptions {
  /** the NAME of the environment variable holding the token, read at each step */
  secretEnvVar: string;
  /** the whole step: dispatch, finding the run and following it */
  timeoutSeconds: number;
  timing?: Partial<GithubActionsTiming>;
}

interface Run {
  id: number;
  status: string | null;
  conclusion: string | null;
  html_url: string;
  name?: string | null;
  display_title?: string;
  created_at: string;
}

export function githubActionsProvider(config: GithubActionsConfig, options: GithubActionsOptions): DeployProvider {
  const timing = { ...DEFAULT_TIMING, ...options.timing };
  const pollMs = timing.pollMs ?? config.pollSeconds * 1000;
  const repo = `${config.owner}/${config.repo}`;

  /** What every call needs: the token now, a deadline, a client bound to both. */
  function session(signal: AbortSignal, log: LogSink, deadline = Date.now() + options.timeoutSeconds * 1000) {
    const say = systemLog(log);
    const token = readSecret(options.secretEnvVar);
    if (!token.ok) return { ok: false as const, reason: token.reason, say };
    const gh = gitHubClient({
      baseUrl: config.baseUrl,
      token: token.value,
      deadline,
      signal,
      say,
      retryBaseMs: timing.retryBaseMs,
    });
    const call = <T>(p: Promise<T>) => bounded(p, signal, deadline);
    const explain = (e: unknown, what: string) =>
      e instanceof Stopped
        ? e.message === "cancelled"
          ? "cancelled"
          : `${what} did not finish within this step's ${options.timeoutSeconds} s`
        : describeGitHubError(e, what, repo, options.secretEnvVar);
    return { ok: true as const, gh, call, say, deadline, explain };
  }
  type Session = Extract<ReturnType<typeof session>, { ok: true }>;

  async function getRun(s: Session, runId: number): Promise<Run> {
    const res = await s.call(
      s.gh.request("GET /repos/{owner}/{repo}/actions/runs/{run_id}", {
        owner: config.owner,
        repo: config.repo,
        run_id: runId,
      }),
    );
    return res.data as Run;
  }

  /** Polls the run until it completes; its conclusion is the step's result. */
  async function followRun(s: Session, runId: number, signal: AbortSignal): Promise<DeployResult> {
    const ref = String(runId);
    let lastStatus: string | null = null;
    let url: string | null = null;
    for (;;) {
      let run: Run;
      try {
        run = await getRun(s, runId);
      } catch (e) {
        const reason = s.explain(e, `reading workflow run ${runId}`);
        await s.say(reason);
        return { ok: false, reason: url && reason !== "cancelled" ? `${reason} (${url})` : reason, providerRef: ref };
      }
      if (url === null) {
        url = run.html_url;
        await s.say(`workflow run: ${url}`);
      }
      if (run.status !== lastStatus) {
        lastStatus = run.status;
        await s.say(`run status: ${run.status ?? "unknown"}`);
      }
      if (run.status === "completed") {
        if (run.conclusion === "success") {
          const message = `the workflow run succeeded: ${url}`;
          await s.say(message);
          return { ok: true, providerRef: ref, message };
        }
        const reason = `the workflow run ended ${run.conclusion ?? "without a conclusion"}: ${url}`;
        await s.say(reason);
        return { ok: false, reason, providerRef: ref };
      }
      const left = s.deadline - Date.now();
      if (left <= 0 || signal.aborted) {
        const reason = signal.aborted
          ? "cancelled"
          : `the workflow run was still ${run.status ?? "running"} after this step's ${options.timeoutSeconds} s: ${url}`;
        await s.say(reason);
        return { ok: false, reason, providerRef: ref };
      }
      await pause(Math.min(pollMs, left), signal);
    }
  }

  async function dispatch(s: Session, inputs: Record<string, string>, details: boolean) {
    return s.call(
      s.gh.request("POST /repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches", {
        owner: config.owner,
        repo: config.repo,
        workflow_id: config.workflow,
        ref: config.ref,
        inputs,
        ...(details ? { return_run_details: true } : {}),
      }),
    );
  }

  /** The run a dispatch without run details started: its run-name holds `<deployment id>/<step>`. */
  async function findRun(s: Session, marker: string, since: number, signal: AbortSignal): Promise<number | null> {
    // GitHub's clock may differ from ours: look a little before the dispatch
    const created = new Date(since - 60_000).toISOString().replace(/\.\d{3}Z$/, "Z");
    const until = Math.min(s.deadline, Date.now() + timing.runStartMs);
    for (;;) {
      const res = await s.call(
        s.gh.request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs", {
          owner: config.owner,
          repo: config.repo,
          workflow_id: config.workflow,
          event: "workflow_dispatch",
          created: `>=${created}`,
          per_page: 100,
        }),
      );
      const runs = (res.data.workflow_runs as Run[]).filter((run) =>
        [run.display_title, run.name].some((title) => title != null && names(title, marker)),
      );
      runs.sort((a, b) => b.created_at.localeCompare(a.created_at));
      if (runs[0]) return runs[0].id;
      const left = until - Date.now();
      if (left <= 0 || signal.aborted) return null;
      await pause(Math.min(pollMs, left), signal);
    }
  }

  async function runStep(
    ctx: DeployContext,
    log: LogSink,
    action: StepAction,
    percent?: number,
  ): Promise<DeployResult> {
    if (ctx.signal.aborted) return { ok: false, reason: "cancelled" };
    const s = session(ctx.signal, log);
    const fail = async (reason: string, providerRef?: string): Promise<DeployResult> => {
      await s.say(reason);
      return { ok: false, reason, ...(providerRef ? { providerRef } : {}) };
    };
    if (action === "rollback" && !ctx.release.previousVersion) return fail("no previous version to roll back to");
    if (!s.ok) return fail(s.reason);
    const step = stepFor(ctx, action, percent);
    const inputs: Record<string, string> = {
      ...config.inputs,
      greenlight_deployment_id: ctx.deploymentId,
      version: versionFor(ctx, action),
      environment: ctx.environment.key,
      action,
      traffic_percent: String(step.trafficPercent),
      color: ctx.color ?? "",
      step: String(step.index),
    };
    const what = `dispatching ${config.workflow}`;
    await s.say(`dispatching workflow ${config.workflow} in ${repo} on ${config.ref} (${action}, step ${step.index})`);
    let since = Date.now();
    let runId: number | null = null;
    try {
      const res = await dispatch(s, inputs, true);
      const data = res.status === 200 ? (res.data as { workflow_run_id?: number | bigint } | undefined) : undefined;
      if (data?.workflow_run_id !== undefined) runId = Number(data.workflow_run_id);
      else await s.say("GitHub accepted the dispatch without the run's details; looking for the run by its name");
    } catch (e) {
      if (!(e instanceof RequestError && e.status === 422 && /return_run_details/.test(e.message)))
        return fail(s.explain(e, what));
      await s.say("this GitHub does not return run details (older GitHub Enterprise Server); dispatching without them");
      since = Date.now();
      try {
        await dispatch(s, inputs, false);
      } catch (again) {
        return fail(s.explain(again, what));
      }
    }
    await s.say("dispatched");
    if (runId === null) {
      const marker = `${ctx.deploymentId}/${step.index}`;
      try {
        runId = await findRun(s, marker, since, ctx.signal);
      } catch (e) {
        return fail(s.explain(e, `listing the runs of ${config.workflow}`));
      }
      if (ctx.signal.aborted) return fail("cancelled");
      if (runId === null)
        return fail(
          `the workflow run never started: no run of ${config.workflow} named with ${marker} appeared within ` +
            `${Math.round(Math.min(timing.runStartMs, options.timeoutSeconds * 1000) / 1000)} s. Check that the workflow's ` +
            "run-name includes ${{ inputs.greenlight_deployment_id }}/${{ inputs.step }} and that runners are available",
        );
    }
    if (ctx.remember) await ctx.remember(String(runId));
    return followRun(s, runId, ctx.signal);
  }

  return {
    kind: "github_actions",
    deploy: (ctx, log) => runStep(ctx, log, "deploy"),
    setTraffic: (ctx, percent, log) => {
      if (!Number.isInteger(percent) || percent < 0 || percent > 100)
        return Promise.resolve({ ok: false, reason: `traffic must be a whole percentage, got ${percent}` });
      return runStep(ctx, log, "traffic", percent);
    },
    rollback: (ctx, log) => runStep(ctx, log, "rollback"),
    async follow(ctx, providerRef, log) {
      const s = session(ctx.signal, log);
      if (!s.ok) {
        await s.say(s.reason);
        return { ok: false, reason: s.reason, providerRef };
      }
      const runId = runIdOf(providerRef);
      if (runId === null) return { ok: false, reason: `not a workflow run id: ${providerRef.slice(0, 40)}` };
      await s.say(`following workflow run ${runId} started before Greenlight restarted`);
      return followRun(s, runId, ctx.signal);
    },
    async status(ctx, providerRef): Promise<DeployStatus> {
      const s = session(ctx.signal, () => {});
      const runId = runIdOf(providerRef);
      if (!s.ok || runId === null) return { state: "unknown" };
      try {
        const run = await getRun(s, runId);
        if (run.status !== "completed") return { state: "running" };
        return run.conclusion === "success"
          ? { state: "succeeded" }
          : {
              state: "failed",
              reason: `the workflow run ended ${run.conclusion ?? "without a conclusion"}: ${run.html_url}`,
            };
      } catch {
        return { state: "unknown" };
      }
    },
    async testConnection(signal): Promise<ConnectionReport> {
      const s = session(signal, () => {}, Date.now() + Math.min(options.timeoutSeconds, 30) * 1000);
      if (!s.ok) return { ok: false, reason: s.reason };
      try {
        const res = await s.call(
          s.gh.request("GET /repos/{owner}/{repo}/actions/workflows/{workflow_id}", {
            owner: config.owner,
            repo: config.repo,
            workflow_id: config.workflow,
          }),
        );
        const { name, path, state } = res.data;
        if (state !== "active")
          return { ok: false, reason: `The workflow "${name}" (${path}) in ${repo} is ${state}: enable it in GitHub` };
        return { ok: true, message: `The workflow "${name}" (${path}) in ${repo} is active` };
      } catch (e) {
        return { ok: false, reason: s.explain(e, `reading the workflow ${config.workflow}`) };
      }
    },
  };
}

function runIdOf(ref: string): number | null {
  return /^\d{1,16}$/.test(ref) ? Number(ref) : null;
}

/** The title names this marker, not a longer one (step 1 is not step 10). */
function names(title: string, marker: string): boolean {
  for (let at = title.indexOf(marker); at !== -1; at = title.indexOf(marker, at + 1)) {
    const next = title[at + marker.length];
    if (next === undefined || !/[0-9]/.test(next)) return true;
  }
  return false;
}
