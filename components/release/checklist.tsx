"use client";

import { useMutation } from "@tanstack/react-query";
import { useId, useState } from "react";
import { tickChecklistItemAction } from "@/app/releases/[id]/actions";
import type { ChecklistFact } from "@/lib/data/promotion/gate-facts";
import { ReleaseChecklistItem, type ShownItem } from "./checklist-item";
import { ReleaseChecklistProgress } from "./checklist-progress";
import { Card } from "@/components/ui/section";
import { useStepUp } from "@/components/shell/step-up";

// A release's checklist in one environment. A tick shows at once (optimistic) and is rolled
// back, with the server's reason, if it is refused. Items are keyed by their template item:
// the first tick makes the release's own copy, whose ids differ, and the row (and the focus
// in it) must survive that.

interface Local {
  checked: boolean;
  note: string | null;
  checkedAt: Date | null;
  pending: boolean;
  /** the server items this was made against; once newer ones arrive, they are the truth */
  basis: readonly ChecklistFact[];
}

interface Tick {
  key: string;
  itemId: string;
  label: string;
  checked: boolean;
  note?: string;
}

const keyOf = (item: ChecklistFact) => item.templateItemId ?? item.id;

export function ReleaseChecklist({
  releaseId,
  environment,
  items,
  mayTick,
  now,
}: {
  releaseId: string;
  environment: { key: string; name: string; timing: "before_entry" | "before_exit" };
  items: readonly ChecklistFact[];
  mayTick: boolean;
  now: Date;
}) {
  const noTickId = useId();
  const { run } = useStepUp();
  const headingId = useId();
  const [local, setLocal] = useState<Record<string, Local>>({});
  const [failure, setFailure] = useState<string | null>(null);

  const shown: ShownItem[] = items.map((item) => {
    const key = keyOf(item);
    const mine = local[key];
    if (!mine || (!mine.pending && mine.basis !== items)) return { ...item, key, pending: false, local: false };
    const checkedBy = mine.checked ? (item.checked ? item.checkedBy : "you") : null;
    return { ...item, ...mine, key, checkedBy, local: true };
  });

  const mutation = useMutation({
    mutationFn: async (tick: Tick) => {
      const result = await run(() =>
        tickChecklistItemAction({
          releaseId,
          environmentKey: environment.key,
          itemId: tick.itemId,
          checked: tick.checked,
          note: tick.note,
        }),
      );
      if (!result.ok) throw new Error(result.message);
      return result.data;
    },
    onMutate: (tick) => {
      setFailure(null);
      const current = shown.find((s) => s.key === tick.key);
      const previous = local[tick.key];
      const note = tick.checked ? (tick.note === undefined ? (current?.note ?? null) : tick.note.trim() || null) : null;
      const checkedAt = tick.checked ? (current?.checked ? current.checkedAt : new Date()) : null;
      setLocal((all) => ({
        ...all,
        [tick.key]: { checked: tick.checked, note, checkedAt, pending: true, basis: items },
      }));
      return { previous };
    },
    onError: (error, tick, context) => {
      setLocal((all) => {
        const rest = { ...all };
        delete rest[tick.key];
        return context?.previous ? { ...rest, [tick.key]: context.previous } : rest;
      });
      setFailure(`Could not ${tick.checked ? "tick" : "untick"} “${tick.label}”: ${error.message}`);
    },
    onSuccess: (data, tick) => {
      const { checked, note, checkedAt } = data;
      setLocal((all) => ({ ...all, [tick.key]: { checked, note, checkedAt, pending: false, basis: items } }));
    },
  });

  const send = (item: ShownItem, checked: boolean, note?: string) =>
    mutation.mutate({ key: item.key, itemId: item.id, label: item.label, checked, note });

  const groups: { section: string | null; items: ShownItem[] }[] = [];
  for (const item of shown) {
    const last = groups.at(-1);
    if (last && last.section === item.section) last.items.push(item);
    else groups.push({ section: item.section, items: [item] });
  }

  return (
    <Card className="px-4 py-4 sm:px-5">
      <section aria-labelledby={headingId}>
        <h3 id={headingId} className="font-semibold text-slate-900">
          Checklist for {environment.name}
        </h3>
        <p className="mt-0.5 text-sm text-slate-600">
          {environment.timing === "before_exit"
            ? `Worked through while the release runs in ${environment.name}, before it moves on`
            : `Done before the release deploys to ${environment.name}`}
        </p>
        <ReleaseChecklistProgress items={shown} />
        {mayTick ? null : (
          <p id={noTickId} className="mt-2 text-sm text-slate-600">
            You may not tick items in {environment.name}: that takes the checklist permission there.
          </p>
        )}
        {failure ? (
          <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800 ring-1 ring-red-200">
            {failure}
          </p>
        ) : null}
        <div className="mt-4 space-y-5">
          {groups.map((group, i) => {
            const list = (
              <ul className="divide-y divide-slate-100">
                {group.items.map((item) => (
                  <ReleaseChecklistItem
                    key={item.key}
                    item={item}
                    mayTick={mayTick}
                    noTickId={mayTick ? undefined : noTickId}
                    // a tick made here is newer than the page's data: it happened "just now"
                    now={item.local && item.checkedAt && item.checkedAt > now ? item.checkedAt : now}
                    onToggle={(checked) => send(item, checked)}
                    onSaveNote={(note) => send(item, true, note)}
                  />
                ))}
              </ul>
            );
            return group.section ? (
              <fieldset key={`${group.section}-${i}`} className="min-w-0">
                <legend className="text-xs font-semibold tracking-wide text-slate-500 uppercase">
                  {group.section}
                </legend>
                <div className="mt-1">{list}</div>
              </fieldset>
            ) : (
              <div key={`none-${i}`}>{list}</div>
            );
          })}
        </div>
      </section>
    </Card>
  );
}
