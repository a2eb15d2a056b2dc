import { notFound } from "next/navigation";
import { cache } from "react";
import { requireActor } from "@/lib/session";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { flagDetail } from "@/lib/data/flags/detail";

// One read per request, shared by the layout, the metadata and the page. An unknown key (or a
// malformed one) is a 404.
export const load = cache(async (key: string) => {
  try {
    return await flagDetail(await requireActor(), { key });
  } catch (e) {
    if (e instanceof NotFoundError || e instanceof ValidationError) notFound();
    throw e;
  }
});
