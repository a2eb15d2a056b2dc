import type { ReactNode } from "react";
import Link from "@/components/ui/link";
import type {
  ApplicationDrift,
  DeployTargetDrift,
  DriftSection,
  EnvironmentDrift,
  FlagDrift,
  WhatRuns,
} from "@/lib/data/environments/compare";
import type { ChecklistItemDifference, SettingDifference } from "@/lib/domain/environment-drift";
import { CHECKLIST_PHASE_LABELS } from "@/lib/domain/deployment-checklist";
import type { StatusMeta } from "@/lib/domain/status";
import { EnvironmentName } from "@/components/environments/name";
import { plural } from "@/components/ui/format";
import { Badge } from "@/components/ui/status-badge";
import { Section } from "@/components/ui/section";

// Two environments side by side, one table per section. A row that differs is marked three
// ways: a "Differs" badge with its own icon (read out by screen readers), a tinted row and a
// bar at its start; equal rows say "Same" and can be hidden (the page's toggle).

const DIFFERS: StatusMeta = {
  label: "Differs",
  tone: "progress",
  icon: "arrow",
  description: "The two environments differ here",
};
const SAME: StatusMeta = { label: "Same", tone: "neutral", icon: "check", description: "Both environments agree" };

const rowClass = (differs: boolean) => (differs ? "bg-amber-50/70 shadow-[inset_4px_0_0_var(--color-amber-500)]" : "");
const cell = "px-4 py-2.5 align-top";

function DriftMark({ differs }: { differs: boolean }) {
  return <Badge meta={differs ? DIFFERS : SAME} />;
}

interface Column {
  label: ReactNode;
  className?: string;
}

function DriftTable<R extends { differs: boolean }>({
  caption,
  columns,
  rows,
  rowKey,
  render,
}: {
  caption: string;
  columns: Column[];
  rows: R[];
  rowKey: (row: R) => string;
  /** the row's cells after its header cell (the first item) */
  render: (row: R) => [ReactNode, ...ReactNode[]];
}) {
  return (
    <div
      role="region"
      aria-label={caption}
      tabIndex={0}
      className="relative overflow-x-auto rounded-lg bg-white shadow-sm ring-1 ring-slate-200"
    >
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="bg-slate-50 text-xs font-semibold uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((c, i) => (
              <th key={i} scope="col" className={`px-4 py-2.5 ${c.className ?? ""}`}>
                {c.label}
              </th>
            ))}
            <th scope="col" className="px-4 py-2.5">
              Drift
            </th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.map((row) => {
            const [head, ...rest] = render(row);
            return (
              <tr key={rowKey(row)} className={rowClass(row.differs)} data-differs={row.differs}>
                <th scope="row" className={`${cell} font-medium text-slate-900`}>
                  {head}
                </th>
                {rest.map((content, i) => (
                  <td key={i} className={`${cell} text-slate-800`}>
                    {content}
                  </td>
                ))}
                <td className={cell}>
                  <DriftMark differs={row.differs} />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

function SectionBody<R extends { differs: boolean }>({
  section,
  onlyDifferences,
  what,
  children,
}: {
  section: DriftSection<R>;
  onlyDifferences: boolean;
  what: string;
  children: (rows: R[]) => ReactNode;
}) {
  const rows = onlyDifferences ? section.rows.filter((r) => r.differs) : section.rows;
  if (section.rows.length === 0)
    return <p className="rounded-lg bg-white p-4 text-sm text-slate-600 ring-1 ring-slate-200">No {what} yet.</p>;
  if (rows.length === 0)
    return (
      <p className="rounded-lg bg-white p-4 text-sm text-slate-600 ring-1 ring-slate-200">
        No differences: all {plural(section.rows.length, what.replace(/s$/, ""), what)} are the same in both.
      </p>
    );
  return <>{children(rows)}</>;
}

const differing = (s: DriftSection<unknown>) => (s.count === 0 ? "No differences" : `${plural(s.count, "difference")}`);

function Runs({ runs }: { runs: WhatRuns }) {
  switch (runs.state) {
    case "running":
      return (
        <Link href={`/releases/${runs.releaseId}`} className="font-mono font-medium text-slate-900 hover:underline">
          {runs.version}
        </Link>
      );
    case "none":
      return <span className="text-slate-500">Nothing yet</span>;
    case "unknown":
      return (
        <span>
          <span className="font-medium text-slate-900">Unknown</span>
          <span className="block text-xs text-slate-600">
            the deploy of <span className="font-mono">{runs.interrupted}</span> was interrupted
            {runs.before ? (
              <>
                ; <span className="font-mono">{runs.before}</span> ran before
              </>
            ) : null}
          </span>
        </span>
      );
  }
}

function distanceText(row: ApplicationDrift): string {
  return row.relation === "same" ? "Same release" : row.summary;
}

function FlagValue({ side }: { side: FlagDrift["a"] }) {
  return (
    <span>
      <span className={side.enabled ? "font-medium text-slate-900" : "text-slate-600"}>
        {side.text.split(" + ")[0]}
      </span>
      {side.rules ? (
        <span className="mt-0.5 block whitespace-pre-line font-mono text-xs text-slate-600">{side.rules}</span>
      ) : null}
    </span>
  );
}

const CHANGED_LABELS: Record<FlagDrift["changed"][number], string> = {
  enabled: "On/off",
  rolloutPercent: "Rollout share",
  rules: "Targeting rules",
};

const GROUP_LABELS: Record<SettingDifference["group"], string> = {
  gates: "Gates",
  rollout: "Rollout",
  health: "Health",
  flags: "Flags",
  security: "Security",
};

const CHANGE_LABELS: Record<ChecklistItemDifference["change"], (a: string, b: string) => string> = {
  same: () => "In both",
  only_a: (a) => `Only in ${a}`,
  only_b: (_a, b) => `Only in ${b}`,
  changed: () => "Changed",
};

function itemFacts(side: ChecklistItemDifference["a"]) {
  if (!side) return <span className="text-slate-500">Not in the template</span>;
  return (
    <span>
      {side.required ? "Required" : "Optional"}
      <span className="block text-xs text-slate-600">{CHECKLIST_PHASE_LABELS[side.phase]}</span>
      {side.hint ? <span className="block text-xs text-slate-600">{side.hint}</span> : null}
    </span>
  );
}

function targetFacts(side: DeployTargetDrift["a"]) {
  if (!side) return <span className="text-slate-500">No deploy target</span>;
  return (
    <span>
      <span className="font-medium text-slate-900">{side.providerLabel}</span>
      <span className="text-slate-600"> · timeout {side.timeoutSeconds} s</span>
      {side.summary.map((line) => (
        <span key={line} className="block break-all text-xs text-slate-600">
          {line}
        </span>
      ))}
    </span>
  );
}

export function DriftTables({ drift, onlyDifferences }: { drift: EnvironmentDrift; onlyDifferences: boolean }) {
  const { a, b } = drift;
  const envColumns: Column[] = [
    { label: <EnvironmentName environment={a} /> },
    { label: <EnvironmentName environment={b} /> },
  ];
  const pair = `${a.name} and ${b.name}`;
  return (
    <div className="space-y-10">
      <Section
        id="applications"
        title="Applications"
        description={`What runs in each: the latest successful deployment. ${differing(drift.applications)}.`}
      >
        <SectionBody section={drift.applications} onlyDifferences={onlyDifferences} what="applications">
          {(rows) => (
            <DriftTable
              caption={`What runs in ${pair}, per application`}
              columns={[{ label: "Application" }, ...envColumns, { label: "Distance" }]}
              rows={rows}
              rowKey={(r) => r.application.key}
              render={(r) => [
                r.application.name,
                <Runs key="a" runs={r.a} />,
                <Runs key="b" runs={r.b} />,
                distanceText(r),
              ]}
            />
          )}
        </SectionBody>
      </Section>

      <Section
        id="flags"
        title="Feature flags"
        description={`On or off, the share of users and the targeting rules. ${differing(drift.flags)}.`}
      >
        <SectionBody section={drift.flags} onlyDifferences={onlyDifferences} what="flags">
          {(rows) => (
            <DriftTable
              caption={`Feature flags in ${pair}`}
              columns={[{ label: "Flag" }, ...envColumns, { label: "What differs" }]}
              rows={rows}
              rowKey={(r) => r.key}
              render={(r) => [
                <Link key="flag" href={`/flags/${encodeURIComponent(r.key)}`} className="hover:underline">
                  {r.name}
                  <span className="block font-mono text-xs font-normal text-slate-500">{r.key}</span>
                </Link>,
                <FlagValue key="a" side={r.a} />,
                <FlagValue key="b" side={r.b} />,
                r.changed.length ? r.changed.map((c) => CHANGED_LABELS[c]).join(", ") : "—",
              ]}
            />
          )}
        </SectionBody>
      </Section>

      <Section
        id="settings"
        title="Gates, rollout and health checks"
        description={`What it takes to deploy, and how a deploy is watched. ${differing(drift.settings)}.`}
      >
        <SectionBody section={drift.settings} onlyDifferences={onlyDifferences} what="settings">
          {(rows) => (
            <DriftTable
              caption={`Settings of ${pair}`}
              columns={[{ label: "Setting" }, ...envColumns]}
              rows={rows}
              rowKey={(r) => r.key}
              render={(r) => [
                <span key="label">
                  {r.label}
                  <span className="block text-xs font-normal text-slate-500">{GROUP_LABELS[r.group]}</span>
                </span>,
                <span key="a" className="break-words">
                  {r.text.a}
                </span>,
                <span key="b" className="break-words">
                  {r.text.b}
                </span>,
              ]}
            />
          )}
        </SectionBody>
      </Section>

      <Section
        id="checklist"
        title="Checklist items"
        description={`The items of each environment's checklist template, matched by section and label. ${differing(drift.checklist)}.`}
      >
        <SectionBody section={drift.checklist} onlyDifferences={onlyDifferences} what="checklist items">
          {(rows) => (
            <DriftTable
              caption={`Checklist items of ${pair}`}
              columns={[{ label: "Item" }, ...envColumns, { label: "Change" }]}
              rows={rows}
              rowKey={(r) => `${r.section ?? ""}/${r.label}`}
              render={(r) => [
                <span key="label">
                  {r.label}
                  {r.section ? <span className="block text-xs font-normal text-slate-500">{r.section}</span> : null}
                </span>,
                itemFacts(r.a),
                itemFacts(r.b),
                CHANGE_LABELS[r.change](a.name, b.name),
              ]}
            />
          )}
        </SectionBody>
      </Section>

      <Section
        id="targets"
        title="Deploy targets"
        description={`The provider each application deploys with. Hosts and workflows differ per environment by nature: only the provider, its presence and its timeout are compared. ${differing(drift.deployTargets)}.`}
      >
        <SectionBody section={drift.deployTargets} onlyDifferences={onlyDifferences} what="applications">
          {(rows) => (
            <DriftTable
              caption={`Deploy targets in ${pair}`}
              columns={[{ label: "Application" }, ...envColumns]}
              rows={rows}
              rowKey={(r) => r.application.key}
              render={(r) => [r.application.name, targetFacts(r.a), targetFacts(r.b)]}
            />
          )}
        </SectionBody>
      </Section>
    </div>
  );
}
