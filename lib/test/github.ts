import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

// A real HTTP server on 127.0.0.1 speaking the GitHub REST endpoints the github_actions provider
// uses: workflow dispatch (with or without return_run_details support), a workflow's runs, one
// run, one workflow. It checks the token as GitHub does (`Authorization: token …` or `Bearer …`).
//
// Two kinds of workflow:
// - without `run` (the provider's and the rollout's tests): runs advance one status per read of
//   the run, along `plan`; faults can be queued per endpoint;
// - with `run` (the preset walks, e2e/preset-providers.ts): a dispatched run is `queued`, then
//   `in_progress` while `run` does the job's work, then `completed` with the conclusion `run`
//   returns, as GitHub reports a real runner's run.
// A workflow that declares its inputs, or lists its refs, refuses (422) a dispatch naming another
// input or ref, with GitHub's own messages.

export type DispatchMode = "details" | "refuses-details" | "ignores-details";
export type Endpoint = "dispatch" | "list" | "run" | "workflow";
export type Conclusion = "success" | "failure" | "cancelled";

export interface Fault {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface FakeWorkflow {
  owner: string;
  repo: string;
  /** the file name in .github/workflows */
  workflow: string;
  /** the inputs its workflow_dispatch trigger declares; unset: any */
  inputs?: readonly string[];
  /** the branches and tags that exist; unset: any */
  refs?: readonly string[];
  /** the job itself: what a runner does with the inputs, and how the run concludes */
  run?: (inputs: Record<string, string>, run: { id: number; signal: AbortSignal }) => Promise<Conclusion>;
}

export interface FakeRun {
  id: number;
  owner: string;
  repo: string;
  workflow: string;
  inputs: Record<string, string>;
  statuses: string[];
  conclusion: string;
  /** list reads before the run shows up (a queue that is slow to start) */
  hiddenFor: number;
  createdAt: string;
  reads: number;
  /** a run with a job of its own: its status as the job goes, instead of `statuses` */
  live?: { status: "queued" | "in_progress" | "completed"; conclusion: Conclusion | null };
}

export interface FakeGitHub {
  baseUrl: string;
  token: string;
  mode: DispatchMode;
  /** what the next dispatched runs do; `never` means no run is ever created */
  plan: { statuses: string[]; conclusion: string; hiddenFor: number } | "never";
  faults: Partial<Record<Endpoint, Fault[]>>;
  dispatches: { body: Record<string, unknown>; accepted: boolean }[];
  requests: { endpoint: Endpoint; at: number }[];
  runs: FakeRun[];
  workflowState: string;
  /** cancels the jobs still running and waits for them to end */
  stopRuns(): Promise<void>;
  close(): Promise<void>;
}

export interface FakeGitHubOptions {
  token?: string;
  /** default: acme/storefront's deploy.yml, without a job of its own */
  workflows?: FakeWorkflow[];
}

const DEFAULT_WORKFLOW: FakeWorkflow = { owner: "acme", repo: "storefront", workflow: "deploy.yml" };

const timestamp = () => new Date().toISOString().replace(/\.\d{3}Z$/, "Z");

export async function startFakeGitHub(options: FakeGitHubOptions = {}): Promise<FakeGitHub> {
  const workflows = options.workflows ?? [DEFAULT_WORKFLOW];
  let nextId = 9000;
  const jobs = new Map<number, { abort: AbortController; done: Promise<void> }>();
  const state: Omit<FakeGitHub, "baseUrl" | "close" | "stopRuns"> = {
    token: options.token ?? "ghp_test_token_value",
    mode: "details",
    plan: { statuses: ["queued", "in_progress", "completed"], conclusion: "success", hiddenFor: 0 },
    faults: {},
    dispatches: [],
    requests: [],
    runs: [],
    workflowState: "active",
  };
  let base = "";
  const htmlUrl = (run: FakeRun) => `https://github.test/${run.owner}/${run.repo}/actions/runs/${run.id}`;
  const runJson = (run: FakeRun) => {
    const status = run.live?.status ?? run.statuses[Math.min(run.reads, run.statuses.length - 1)] ?? "queued";
    return {
      id: run.id,
      name: "Deploy",
      // the workflow's run-name: "Deploy ${{ inputs.version }} ${{ inputs.greenlight_deployment_id }}/${{ inputs.step }}"
      display_title: `Deploy ${run.inputs.version} ${run.inputs.greenlight_deployment_id}/${run.inputs.step}`,
      event: "workflow_dispatch",
      status,
      conclusion: status === "completed" ? (run.live ? run.live.conclusion : run.conclusion) : null,
      html_url: htmlUrl(run),
      created_at: run.createdAt,
    };
  };
  const send = (res: ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...headers });
    res.end(body === undefined ? "" : JSON.stringify(body));
  };

  /** The job of a workflow that has one: queued → in_progress → completed, in the background. */
  function startJob(workflow: FakeWorkflow, run: FakeRun & { live: NonNullable<FakeRun["live"]> }) {
    const abort = new AbortController();
    const done = (async () => {
      // a runner picks the job up a moment after the dispatch
      await new Promise((resolve) => setTimeout(resolve, 200));
      if (abort.signal.aborted) {
        run.live = { status: "completed", conclusion: "cancelled" };
        return;
      }
      run.live = { status: "in_progress", conclusion: null };
      let conclusion: Conclusion;
      try {
        conclusion = await workflow.run!(run.inputs, { id: run.id, signal: abort.signal });
      } catch (e) {
        console.error(`fake GitHub: run ${run.id} of ${workflow.workflow} threw: ${(e as Error).message}`);
        conclusion = "failure";
      }
      run.live = { status: "completed", conclusion: abort.signal.aborted ? "cancelled" : conclusion };
    })().finally(() => jobs.delete(run.id));
    jobs.set(run.id, { abort, done });
  }

  function dispatch(res: ServerResponse, workflow: FakeWorkflow, body: Record<string, unknown>, repoPath: string) {
    if (state.mode === "refuses-details" && "return_run_details" in body) {
      state.dispatches.push({ body, accepted: false });
      return send(res, 422, {
        message: 'Invalid request.\n\n"return_run_details" is not a permitted key.',
        documentation_url: "https://docs.github.com/enterprise-server@3.14/rest",
      });
    }
    const inputs = (body.inputs ?? {}) as Record<string, string>;
    const unexpected = workflow.inputs ? Object.keys(inputs).filter((name) => !workflow.inputs!.includes(name)) : [];
    const refused =
      unexpected.length > 0
        ? `Unexpected inputs provided: ${JSON.stringify(unexpected)}`
        : workflow.refs && !workflow.refs.includes(String(body.ref))
          ? `No ref found for: ${String(body.ref)}`
          : null;
    if (refused) {
      state.dispatches.push({ body, accepted: false });
      return send(res, 422, { message: refused, documentation_url: "https://docs.github.com/rest" });
    }
    state.dispatches.push({ body, accepted: true });
    const plan = state.plan;
    const run: FakeRun | null =
      plan === "never"
        ? null
        : {
            id: nextId++,
            owner: workflow.owner,
            repo: workflow.repo,
            workflow: workflow.workflow,
            inputs,
            statuses: plan.statuses,
            conclusion: plan.conclusion,
            hiddenFor: workflow.run ? 0 : plan.hiddenFor,
            createdAt: timestamp(),
            reads: 0,
          };
    if (run) {
      state.runs.push(run);
      if (workflow.run)
        startJob(workflow, Object.assign(run, { live: { status: "queued" as const, conclusion: null } }));
    }
    if (state.mode === "details" && body.return_run_details === true && run)
      return send(res, 200, {
        workflow_run_id: run.id,
        run_url: `${base}${repoPath}/runs/${run.id}`,
        html_url: htmlUrl(run),
      });
    return send(res, 204);
  }

  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://x");
      const path = url.pathname;
      let workflow: FakeWorkflow | undefined;
      let endpoint: Endpoint | null = null;
      for (const w of workflows) {
        const repoPath = `/repos/${w.owner}/${w.repo}/actions`;
        const found: Endpoint | null =
          req.method === "POST" && path === `${repoPath}/workflows/${w.workflow}/dispatches`
            ? "dispatch"
            : req.method === "GET" && path === `${repoPath}/workflows/${w.workflow}/runs`
              ? "list"
              : req.method === "GET" && path.startsWith(`${repoPath}/runs/`)
                ? "run"
                : req.method === "GET" && path === `${repoPath}/workflows/${w.workflow}`
                  ? "workflow"
                  : null;
        if (found) {
          [workflow, endpoint] = [w, found];
          break;
        }
      }
      if (endpoint === null || !workflow) return send(res, 404, { message: "Not Found" });
      state.requests.push({ endpoint, at: Date.now() });
      const auth = /^(?:token|bearer) (.+)$/i.exec(req.headers.authorization ?? "");
      if (auth?.[1] !== state.token) return send(res, 401, { message: "Bad credentials" });
      const fault = state.faults[endpoint]?.shift();
      if (fault) return send(res, fault.status, fault.body, fault.headers);
      const repoPath = `/repos/${workflow.owner}/${workflow.repo}/actions`;
      const ofThisRepo = (run: FakeRun) => run.owner === workflow.owner && run.repo === workflow.repo;

      if (endpoint === "dispatch") {
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>;
        } catch {
          return send(res, 400, { message: "Problems parsing JSON" });
        }
        return dispatch(res, workflow, body, repoPath);
      }
      if (endpoint === "list") {
        const created = url.searchParams.get("created") ?? "";
        const since = created.startsWith(">=") ? Date.parse(created.slice(2)) : 0;
        const visible = state.runs.filter((run) => {
          if (!ofThisRepo(run) || run.workflow !== workflow.workflow) return false;
          if (run.hiddenFor > 0) {
            run.hiddenFor--;
            return false;
          }
          return url.searchParams.get("event") === "workflow_dispatch" && Date.parse(run.createdAt) >= since;
        });
        return send(res, 200, { total_count: visible.length, workflow_runs: visible.map(runJson) });
      }
      if (endpoint === "run") {
        const run = state.runs.find((r) => ofThisRepo(r) && String(r.id) === path.split("/").at(-1));
        if (!run) return send(res, 404, { message: "Not Found" });
        const json = runJson(run);
        run.reads++;
        return send(res, 200, json);
      }
      return send(res, 200, {
        id: 161335,
        name: "Deploy",
        path: `.github/workflows/${workflow.workflow}`,
        state: state.workflowState,
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stopRuns = async () => {
    const running = [...jobs.values()];
    for (const job of running) job.abort.abort();
    await Promise.all(running.map((job) => job.done));
  };
  return Object.assign(state, {
    baseUrl: base,
    stopRuns,
    close: async () => {
      await stopRuns();
      await new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
    },
  });
}
