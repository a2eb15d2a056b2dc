"use client";

import { useId, useOptimistic, useState, useTransition } from "react";
import { tickDeploymentChecklistAction } from "@/app/deployments/[id]/actions";
import { useStepUpAction } from "@/components/shell/step-up";
import { ChecklistRow } from "@/components/checklist/checklist-row";
import { ChecklistProgressBar } from "@/components/checklist/progress-bar";
import { plural } from "@/components/ui/format";
import type { DeploymentChecklistEntry, DeploymentChecklistPart } from "@/lib/data/deployments/view";

// One of a deployment's checklists ("during" or "after"): how far it is, and each item as a
// real checkbox named by its text. Who may tick (checklist.tick here) ticks in place, shown at
// once and undone if the server refuses; everyone else reads who ticked what and when. The
// server action answers with the page re-rendered, and others' ticks arrive through the page's
// live refresh (the tick writes a line to the deployment's log, which moves its fingerprint).

interface Change {
  itemId: string;
  checked: boolean;
  note?: string;
}

export function DeploymentChecklist({
  deploymentId,
  title,
  part,
  mayTick,
  now,
}: {
  deploymentId: string;
  /** "During the deployment" */
  title: string;
  part: DeploymentChecklistPart;
  mayTick: boolean;
  now: Date;
}) {
  const id = useId();
  // where the environment asks for a second factor, a code is asked for and the tick retried
  const tick = useStepUpAction(tickDeploymentChecklistAction);
  const [, startTransition] = useTransition();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const [items, applyChange] = useOptimistic(part.items, (list: DeploymentChecklistEntry[], change: Change) =>
    list.map((i) =>
      i.id === change.itemId
        ? {
            ...i,
            checked: change.checked,
            note: change.checked ? (change.note ?? i.note) : null,
            checkedAt: change.checked ? (i.checkedAt ?? new Date()) : null,
            checkedBy: change.checked ? i.checkedBy : null,
          }
        : i,
    ),
  );
  const tickable = mayTick && part.closed === null;
  const whyNotId = tickable ? undefined : `${id}-why-not`;
  const done = items.filter((i) => i.checked).length;
  const progress = `${done} of ${plural(items.length, "item")} ticked`;

  function change(item: DeploymentChecklistEntry, next: Change) {
    setError(null);
    setPending((s) => new Set(s).add(item.id));
    startTransition(async () => {
      applyChange(next);
      const result = await tick({ deploymentId, ...next });
      setPending((s) => {
        const rest = new Set(s);
        rest.delete(item.id);
        return rest;
      });
      if (!result.ok) setError(`“${item.label}” was not saved: ${result.message}`);
    });
  }

  if (items.length === 0) return null;
  return (
    <section aria-labelledby={`${id}-title`} className="min-w-0">
      <h3 id={`${id}-title`} className="text-base font-semibold text-slate-900">
        {title}
      </h3>
      <p className="mt-0.5 text-sm text-slate-600">{progress}</p>
      <ChecklistProgressBar label={`${title}: progress`} done={done} total={items.length} text={progress} />
      {whyNotId ? (
        <p id={whyNotId} className="mt-2 text-sm text-slate-600">
          {part.closed ?? "You may read this checklist but not tick it: ticking needs checklist.tick here."}
        </p>
      ) : null}
      <ul className="mt-2 divide-y divide-slate-100">
        {items.map((item) => (
          <Item
            key={item.id}
            item={item}
            tickable={tickable}
            pending={pending.has(item.id)}
            whyNotId={whyNotId}
            now={now}
            onChange={(next) => change(item, { itemId: item.id, ...next })}
          />
        ))}
      </ul>
      <p role="alert" className="text-sm text-red-700 empty:hidden">
        {error}
      </p>
    </section>
  );
}

function Item({
  item,
  tickable,
  pending,
  whyNotId,
  now,
  onChange,
}: {
  item: DeploymentChecklistEntry;
  tickable: boolean;
  pending: boolean;
  whyNotId: string | undefined;
  now: Date;
  onChange: (change: { checked: boolean; note?: string }) => void;
}) {
  return (
    <ChecklistRow
      item={item}
      note={item.note}
      tickable={tickable}
      pending={pending}
      describedBy={[whyNotId]}
      now={now}
      onToggle={(checked) => onChange({ checked })}
      onSaveNote={(note) => onChange({ checked: true, note })}
    />
  );
}
