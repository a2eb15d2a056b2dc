import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { auth } from "@/lib/auth";
import type { Actor, UserActor } from "@/lib/domain/access";
import { loadUserActor } from "./data/actors/load";

// Who is asking, once per request (React cache): the session's user id, then ONE query for the
// user, whether they are still active, their roles and the union of their roles' matrix cells
// (lib/data/actor-load.ts). A deactivated user or a changed matrix takes effect on the very
// next request.

export { loadUserActor } from "./data/actors/load";
export { hashToken, tokenActor } from "./data/actors/token";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The signed-in user of this request, or null (signed out, unknown or deactivated). */
export const getActor = cache(async (): Promise<UserActor | null> => {
  const session = await auth();
  const id = session?.user?.id;
  const sid = session?.sessionId;
  // a cookie from before server-side sessions names none: it no longer opens anything
  return id && sid && UUID.test(id) && UUID.test(sid) ? loadUserActor(id, sid) : null;
});

/** For pages and server actions: the signed-in user, or a redirect to the sign-in page. */
export async function requireActor(): Promise<UserActor> {
  const actor = await getActor();
  if (!actor) redirect("/sign-in");
  return actor;
}

export type { Actor };
