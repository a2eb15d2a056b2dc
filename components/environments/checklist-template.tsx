import type { ChecklistTemplateSummary } from "@/lib/data/environments/read";

/** The checklist every release works through here, grouped by section, required items marked. */
export function ChecklistTemplate({ checklist }: { checklist: ChecklistTemplateSummary | null }) {
  if (!checklist || checklist.items.length === 0)
    return <p className="text-sm text-slate-600">No checklist: releases need no ticked items here.</p>;
  const sections: { name: string | null; items: ChecklistTemplateSummary["items"] }[] = [];
  for (const item of checklist.items) {
    const last = sections.at(-1);
    if (last && last.name === item.section) last.items.push(item);
    else sections.push({ name: item.section, items: [item] });
  }
  return (
    <div className="space-y-4">
      <p className="text-sm font-medium text-slate-900">{checklist.name}</p>
      <p className="text-sm text-slate-600">
        {checklist.timing === "before_exit"
          ? "Worked through while a release runs here; the next environment waits for it"
          : "Done before a release deploys here"}
      </p>
      {sections.map((section, i) => (
        <div key={`${section.name ?? ""}-${i}`}>
          {section.name ? (
            <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-500">{section.name}</h3>
          ) : null}
          <ol className="space-y-1.5">
            {section.items.map((item) => (
              <li key={item.id} className="flex gap-2 text-sm">
                <span className="mt-0.5 size-4 shrink-0 rounded border border-slate-300 bg-white" aria-hidden="true" />
                <div>
                  <span className="text-slate-900">{item.label}</span>
                  {item.phase !== "before" ? (
                    <span className="ml-1.5 text-xs text-slate-500">
                      ({item.phase === "during" ? "ticked during each deployment" : "ticked after each deployment"})
                    </span>
                  ) : item.required ? (
                    <span className="ml-1.5 text-xs font-medium text-slate-600">(required)</span>
                  ) : (
                    <span className="ml-1.5 text-xs text-slate-500">(optional)</span>
                  )}
                  {item.hint ? <p className="text-xs text-slate-500">{item.hint}</p> : null}
                </div>
              </li>
            ))}
          </ol>
        </div>
      ))}
    </div>
  );
}
