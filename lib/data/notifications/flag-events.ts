import "server-only";
import { actorLabel, type Actor } from "@/lib/domain/access";
import type { Tx } from "../context";
import { describeState, type FlagStateValue } from "../flags/state";
import { emitNotification } from "./emit";

/** A flag change request was made: the people who may approve it there hear of it (not its author). */
export async function flagChangeNews(
  tx: Tx,
  actor: Actor,
  at: {
    requestId: string;
    flagKey: string;
    environment: { id: string; name: string };
    proposed: FlagStateValue;
    reason: string;
  },
): Promise<void> {
  await emitNotification(tx, {
    kind: "flag_change.waiting",
    key: `flag_change.waiting:${at.requestId}`,
    environmentId: at.environment.id,
    flagChangeRequestId: at.requestId,
    subjectUserId: actor.kind === "user" ? actor.id : actor.owner.id,
    title: `${actorLabel(actor)} asks to turn ${at.flagKey} ${describeState(at.proposed)} in ${at.environment.name}`,
    body: `Reason given: ${at.reason}`,
    path: `/flags/${encodeURIComponent(at.flagKey)}`,
    data: { flag: at.flagKey, environment: at.environment.name, changeRequest: at.requestId },
  });
}
