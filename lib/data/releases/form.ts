import "server-only";
import { can, type Actor } from "@/lib/domain/access";
import { ConflictError } from "../errors";
import { noInput } from "../input";
import { defineOperation } from "../operation";
import { readApplications, type ApplicationSummary } from "../pipeline";
import { firstEnvironment } from "./create";

// What the "New release" page needs before the form is shown. release.create is checked where
// releases enter the pipeline (createRelease's own firstEnvironment), so the page and the
// operation can never disagree about where that is. No audit here: showing a refusal is not
// an attempt; submitting the form anyway is, and createRelease records it.

export interface ReleaseFormContext {
  /** where releases enter; null when there are no environments yet */
  environment: { id: string; name: string } | null;
  /** false hides the environment's name from someone who may not see it */
  environmentVisible: boolean;
  allowed: boolean;
  /** empty unless allowed */
  applications: ApplicationSummary[];
}

async function entryEnvironment(): Promise<{ id: string; name: string } | null> {
  try {
    return await firstEnvironment();
  } catch (e) {
    if (e instanceof ConflictError) return null;
    throw e;
  }
}

/** May the actor create releases? One query; for links and buttons (the operation checks again). */
export async function mayCreateReleases(actor: Actor): Promise<boolean> {
  const environment = await entryEnvironment();
  return environment !== null && can(actor, "release.create", environment.id);
}

/** The entry environment, whether the actor may create releases there and, if so, the applications. */
async function readForm(actor: Actor): Promise<ReleaseFormContext> {
  const entry = await entryEnvironment();
  const allowed = entry !== null && can(actor, "release.create", entry.id);
  const visible = entry !== null && can(actor, "environment.view", entry.id);
  return {
    // an environment the actor may not view is only said to exist, never named or identified
    environment: entry && (visible ? entry : { id: "", name: "" }),
    environmentVisible: visible,
    allowed,
    applications: allowed ? await readApplications() : [],
  };
}

const formRead = defineOperation({
  name: "release.form.read",
  scope: "visible",
  effect: "read",
  input: noInput,
  run: ({ actor }) => readForm(actor),
});

/** The entry environment, whether the actor may create releases there and, if so, the applications. */
export function readReleaseForm(actor: Actor): Promise<ReleaseFormContext> {
  return formRead(actor, {});
}
