// One process, two copies of the code: the app server (lib/cli/app-server.ts, its own bundle)
// receives SIGTERM and SIGINT, while the deploy worker it must wait for lives in Next's bundle
// (instrumentation.ts → lib/jobs/start.ts). They meet here, on globalThis.

/** Called with each signal; the first starts stopping, a second one asks to hurry. */
export type StopStep = (signal: NodeJS.Signals) => Promise<void>;

const KEY = Symbol.for("greenlight.server-stop-steps");
type Registry = { steps: StopStep[] };
const globals = globalThis as unknown as Record<symbol, Registry | undefined>;

/** The app server takes the signals, before Next starts; returns what to run on one. */
export function takeServerSignals(): StopStep[] {
  return (globals[KEY] ??= { steps: [] }).steps;
}

/** Hands a step to the server that took the signals; false when none did (handle them yourself). */
export function onServerStop(step: StopStep): boolean {
  const registry = globals[KEY];
  if (!registry) return false;
  registry.steps.push(step);
  return true;
}
