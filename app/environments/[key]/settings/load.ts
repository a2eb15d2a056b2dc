import { notFound } from "next/navigation";
import { cache } from "react";
import { requireActor } from "@/lib/session";
import { getEnvironmentSettings } from "@/lib/data/environments/settings";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { listSdkKeys } from "@/lib/data/flags/sdk-keys";

// one read per request, shared by the layout, the metadata and the page; an environment the
// user may not view, or a malformed key, is a 404, one they may view but not manage is a refusal
export const load = cache(async (key: string) => {
  try {
    return await getEnvironmentSettings(await requireActor(), key);
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof ValidationError) notFound();
    throw e;
  }
});

/** The environment's SDK keys, for those who may manage it (the page asks only then). */
export const loadSdkKeys = cache(async (key: string) => listSdkKeys(await requireActor(), { environmentKey: key }));
