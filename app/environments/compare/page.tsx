import { notFound } from "next/navigation";
import Link from "@/components/ui/link";
import { ComparePicker, defaultPair } from "@/components/environments/compare-picker";
import { DriftTables } from "@/components/environments/drift-tables";
import { DriftToggle } from "@/components/environments/drift-toggle";
import { EmptyState } from "@/components/ui/empty-state";
import { plural } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { compareEnvironments, type EnvironmentDrift } from "@/lib/data/environments/compare";
import { listEnvironments } from "@/lib/data/environments/read";
import { NotFoundError, ValidationError } from "@/lib/data/errors";

// Two environments side by side ("works in staging, fails in production"): /environments/compare
// ?a=staging&b=production, differences only unless show=all. Without a and b it compares the
// last two stages in pipeline order. An unknown environment, or one the viewer may not see, is a
// 404 (no loading.tsx here, so that it is a real 404 status and not a streamed 200).

export const metadata = { title: "Compare environments" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

function hrefOf(a: string, b: string, showAll: boolean): string {
  const query = new URLSearchParams({ a, b });
  if (showAll) query.set("show", "all");
  return `/environments/compare?${query.toString()}`;
}

export default async function ComparePage({ searchParams }: { searchParams: SearchParams }) {
  const actor = await requireActor();
  const params = await searchParams;
  const showAll = first(params.show) === "all";
  let a = first(params.a);
  let b = first(params.b);

  let drift: EnvironmentDrift | null = null;
  let fieldErrors: Record<string, string[]> = {};
  let environments: { key: string; name: string }[] | null = null;
  if (a === undefined && b === undefined) {
    // nothing asked yet: the last two stages the viewer may see
    environments = await listEnvironments(actor);
    ({ a, b } = defaultPair(environments));
  }
  if (a !== undefined || b !== undefined)
    try {
      drift = await compareEnvironments(actor, { a: a ?? "", b: b ?? "" });
      environments = drift.environments;
    } catch (e) {
      // unknown, or hidden from this viewer: the same 404
      if (e instanceof NotFoundError) notFound();
      if (!(e instanceof ValidationError)) throw e;
      fieldErrors = e.fieldErrors;
    }
  environments ??= await listEnvironments(actor);

  const header = (
    <PageHeader
      eyebrow={
        <Link href="/environments" className="hover:underline">
          Environments
        </Link>
      }
      title={drift ? `${drift.a.name} and ${drift.b.name}` : "Compare environments"}
      description="Two environments side by side: what runs, which flags and which settings differ. When something works in one and fails in the other, start here."
    />
  );

  if (environments.length < 2)
    return (
      <>
        {header}
        <EmptyState title="Nothing to compare">
          Comparing needs two environments you may view; you may view {plural(environments.length, "environment")}.
        </EmptyState>
      </>
    );

  const total = drift
    ? drift.applications.count +
      drift.flags.count +
      drift.settings.count +
      drift.checklist.count +
      drift.deployTargets.count
    : 0;
  return (
    <>
      {header}
      <Card className="mb-6 p-4">
        <ComparePicker environments={environments} a={a} b={b} showAll={showAll} errors={fieldErrors} />
      </Card>
      {drift ? (
        <>
          <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
            <p role="status" className="text-sm text-slate-700">
              {drift.identical ? (
                <>
                  <strong>No drift:</strong> {drift.a.name} and {drift.b.name} run the same releases with the same flags
                  and settings.
                </>
              ) : (
                <>
                  <strong>{plural(total, "difference")}:</strong> {plural(drift.applications.count, "application")},{" "}
                  {plural(drift.flags.count, "flag")}, {plural(drift.settings.count, "setting")},{" "}
                  {plural(drift.checklist.count, "checklist item")} and{" "}
                  {plural(drift.deployTargets.count, "deploy target")}.
                </>
              )}
            </p>
            <DriftToggle
              onlyDifferences={!showAll}
              href={{ only: hrefOf(drift.a.key, drift.b.key, false), all: hrefOf(drift.a.key, drift.b.key, true) }}
            />
          </div>
          <DriftTables drift={drift} onlyDifferences={!showAll} />
          <p className="mt-8 text-sm text-slate-600">
            The same as JSON for a CI step:{" "}
            <code className="break-all font-mono text-xs">
              GET /api/v1/environments/compare?a={drift.a.key}&amp;b={drift.b.key}
            </code>
          </p>
        </>
      ) : (
        <EmptyState title="Choose two different environments">
          Pick the environment that works and the one that does not, then press Compare.
        </EmptyState>
      )}
    </>
  );
}
