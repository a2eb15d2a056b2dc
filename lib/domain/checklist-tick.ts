import type { Actor } from "./access";

// What ticking or unticking a checklist item changes, for a release's checklist and a
// deployment's alike: an untick clears the note; a tick without a note keeps the one written
// before; editing the note of a ticked item keeps who ticked it and when; asking for what is
// already so (same state, same note) changes nothing, so a double click writes nothing.

export interface TickedState {
  checkedAt: Date | null;
  note: string | null;
}

export interface TickRequest {
  checked: boolean;
  /** undefined: keep the note; "": clear it */
  note?: string;
}

/** The columns an item's update writes (ChecklistItem and DeploymentChecklistItem share them). */
export interface TickColumns {
  checkedAt?: Date | null;
  checkedById?: string | null;
  checkedByTokenId?: string | null;
  note: string | null;
}

export type TickPlan =
  | { changed: false; wasChecked: boolean }
  | { changed: true; wasChecked: boolean; verb: "Ticked" | "Unticked" | "Changed the note of"; data: TickColumns };

export function planTick(item: TickedState, request: TickRequest, actor: Actor, now = new Date()): TickPlan {
  const wasChecked = item.checkedAt !== null;
  const note = request.checked ? (request.note === undefined ? item.note : request.note || null) : null;
  if (wasChecked === request.checked && note === item.note) return { changed: false, wasChecked };
  if (!request.checked)
    return {
      changed: true,
      wasChecked,
      verb: "Unticked",
      data: { checkedAt: null, checkedById: null, checkedByTokenId: null, note: null },
    };
  if (wasChecked) return { changed: true, wasChecked, verb: "Changed the note of", data: { note } };
  return {
    changed: true,
    wasChecked,
    verb: "Ticked",
    data: {
      checkedAt: now,
      checkedById: actor.kind === "user" ? actor.id : null,
      checkedByTokenId: actor.kind === "token" ? actor.id : null,
      note,
    },
  };
}
