import { spawn } from "node:child_process";
import path from "node:path";
import { type Conclusion, type FakeGitHub, startFakeGitHub } from "../lib/test/github";
import type { Preset } from "../prisma/presets/types";
import { WALKS } from "./preset-walks";
import { GREENLIGHT_INPUTS } from "../lib/deploy/github-actions/config";

// The far ends of the seed presets' own deploy targets, on this machine, for the preset walks
// (e2e/presets.spec.ts). Greenlight keeps each preset's provider and settings; only where they
// lead changes:
// - GitHub Actions (seeds 000 and 004): a local GitHub (lib/test/github.ts) on a free port of
//   127.0.0.1, whose address becomes the targets' base URL (e2e/preset-server.ts). Its workflows
//   are the presets' deploy.yml as their documents describe them; a dispatched run's job
//   really deploys, with the demo deploy script (lib/deploy/demo/deploy.mjs), and the run goes
//   queued → in_progress → completed with the script's outcome.
// - `flyctl` (seed 003): the command provider runs the preset's command line, and finds a local
//   stand-in for the Fly.io CLI first on the preset server's PATH (e2e/bin/flyctl.mjs,
//   installed by e2e/server.ts), which deploys with the same script.
// No preset names a webhook target: seed 004's kubectl commands run inside its GitHub Actions
// workflow, so its targets are GitHub Actions.

interface PresetWorkflow {
  owner: string;
  repo: string;
  workflow: string;
  refs: string[];
  inputs: string[];
  /** the application and environment a run deploys, from its inputs, as the workflow decides them */
  app(inputs: Record<string, string>): string;
  environment(inputs: Record<string, string>): string;
}

/** Each preset's deploy.yml, as its seed document describes the pipeline. */
const WORKFLOWS: PresetWorkflow[] = [
  {
    // seed 000 (ADR-005): one repository and one workflow for the storefront; Greenlight's
    // `environment` input names the environment
    owner: "monepiceriz",
    repo: "monepiceriz",
    workflow: "deploy.yml",
    refs: ["main"],
    inputs: [...GREENLIGHT_INPUTS],
    app: () => "storefront",
    environment: (inputs) => inputs.environment ?? "",
  },
  {
    // seed 004: one workflow for every service, each deployed to the AKS namespace named after
    // its environment (`kubectl … -n <namespace>`); the preset's own inputs name both
    owner: "studysphere",
    repo: "studysphere",
    workflow: "deploy.yml",
    refs: ["main"],
    inputs: [...GREENLIGHT_INPUTS, "namespace", "service"],
    app: (inputs) => inputs.service ?? "",
    environment: (inputs) => inputs.namespace ?? "",
  },
];

const DEPLOY_SCRIPT = path.resolve("lib/deploy/demo/deploy.mjs");

/**
 * The job of a workflow run: lib/deploy/demo/deploy.mjs with the GREENLIGHT_* variables the
 * command provider would give it, made from the run's inputs (its header says what each means).
 * Its output is the run's log: shown here when the run fails.
 */
function deployJob(dataDir: string, workflow: PresetWorkflow) {
  return (inputs: Record<string, string>, run: { id: number; signal: AbortSignal }): Promise<Conclusion> => {
    const percent = inputs.traffic_percent ?? "";
    const vars: Record<string, string> = {
      GREENLIGHT_APP: workflow.app(inputs),
      GREENLIGHT_ENV: workflow.environment(inputs),
      GREENLIGHT_VERSION: inputs.version ?? "",
      GREENLIGHT_ACTION: inputs.action ?? "",
      GREENLIGHT_TRAFFIC_PERCENT: percent,
      GREENLIGHT_DEPLOYMENT_ID: inputs.greenlight_deployment_id ?? "",
      // the inputs carry no strategy: a deploy step that gives the release all the traffic at
      // once (traffic_percent 100) is a direct deploy; any other leaves traffic where it is
      GREENLIGHT_STRATEGY: inputs.action === "deploy" && percent === "100" ? "direct" : "blue_green",
      GREENLIGHT_DATA_DIR: dataDir,
    };
    // empty for a direct deploy: the script picks the idle colour
    if (inputs.color) vars.GREENLIGHT_COLOR = inputs.color;
    return new Promise((resolve) => {
      // a runner's clean environment: the job's variables, nothing of this process's but PATH and HOME
      const env: Record<string, string> = { ...vars, PATH: process.env.PATH ?? "" };
      if (process.env.HOME) env.HOME = process.env.HOME;
      // Next's typings make NODE_ENV mandatory in ProcessEnv
      const child = spawn(process.execPath, [DEPLOY_SCRIPT], {
        env: env as NodeJS.ProcessEnv,
        stdio: ["ignore", "pipe", "pipe"],
      });
      let output = "";
      const keep = (chunk: Buffer) => void (output = (output + chunk.toString("utf8")).slice(-8192));
      child.stdout.on("data", keep);
      child.stderr.on("data", keep);
      const cancel = () => child.kill("SIGTERM");
      run.signal.addEventListener("abort", cancel, { once: true });
      child.on("error", (e: Error) => {
        output += `\n${e.message}`;
      });
      child.on("close", (code: number | null) => {
        run.signal.removeEventListener("abort", cancel);
        const what = `${inputs.action} ${inputs.version} of ${vars.GREENLIGHT_APP} in ${vars.GREENLIGHT_ENV}`;
        if (code === 0) {
          console.log(
            `local GitHub: run ${run.id} of ${workflow.owner}/${workflow.repo} ${workflow.workflow}: ${what} succeeded`,
          );
          return resolve("success");
        }
        if (run.signal.aborted) return resolve("cancelled");
        console.error(
          `local GitHub: run ${run.id} of ${workflow.owner}/${workflow.repo} ${workflow.workflow}: ${what} failed:\n${output}`,
        );
        resolve("failure");
      });
    });
  };
}

/** The local GitHub of the walks: the presets' workflows, deploying into `dataDir`. */
export function startPresetGitHub(token: string, dataDir: string): Promise<FakeGitHub> {
  return startFakeGitHub({ token, workflows: WORKFLOWS.map((w) => ({ ...w, run: deployJob(dataDir, w) })) });
}

/**
 * How much longer a walk's deploys take through GitHub Actions than through a command: the
 * provider reads each step's run every `pollSeconds` (10 by default) until it completes, and a
 * rollout makes one step for the deploy and one per traffic step. Half as much again for a
 * busy machine.
 */
export function githubPollingMs(preset: Preset, application: string): number {
  let ms = 0;
  for (const environment of preset.environments) {
    const target = preset.deployTargets?.find(
      (t) => t.provider === "github_actions" && t.appKey === application && t.envKey === environment.key,
    );
    if (!target) continue;
    const steps = 1 + (environment.rolloutStrategy === "direct" ? 0 : environment.rolloutSteps.length);
    const poll = typeof target.config.pollSeconds === "number" ? target.config.pollSeconds : 10;
    ms += steps * poll * 1500;
  }
  return ms;
}

/** The preset's GitHub Actions targets that no local workflow stands for (none, or the walk fails). */
export function unservedGitHubTargets(preset: Preset): string[] {
  return (preset.deployTargets ?? [])
    .filter((t) => t.provider === "github_actions")
    .filter(
      (t) =>
        !WORKFLOWS.some(
          (w) => w.owner === t.config.owner && w.repo === t.config.repo && w.workflow === t.config.workflow,
        ),
    )
    .map((t) => `${t.appKey} in ${t.envKey}: ${JSON.stringify(t.config)}`);
}

/**
 * The preset server's environment: every secret variable the walks' presets name (GitHub tokens,
 * FLY_API_TOKEN) holds `secret`, the value the local GitHub checks.
 */
export function presetSecretEnv(secret: string): Record<string, string> {
  const names = WALKS.flatMap((w) => (w.preset.deployTargets ?? []).map((t) => t.secretEnvVar));
  return Object.fromEntries(names.filter((n): n is string => Boolean(n)).map((n) => [n, secret]));
}
