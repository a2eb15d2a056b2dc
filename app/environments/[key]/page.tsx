import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache } from "react";
import { ChecklistTemplate } from "@/components/environments/checklist-template";
import { DeploymentHistory } from "@/components/deploy/history";
import { EmptyState } from "@/components/ui/empty-state";
import { EnvironmentApplications } from "@/components/environments/applications";
import { ProtectedPill } from "@/components/environments/name";
import { EnvironmentSettings } from "@/components/environments/settings";
import { FlagStates } from "@/components/flags/states";
import { FreezeWindows } from "@/components/environments/freeze-windows";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { PageHeader } from "@/components/ui/page-header";
import { RolloutPicture } from "@/components/deploy/rollout-picture";
import { Card, Section } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { getEnvironment } from "@/lib/data/environments/read";
import { getPipelineGates } from "@/lib/data/pipeline/gates";
import { can } from "@/lib/domain/access";
import { NotFoundError, ValidationError } from "@/lib/data/errors";

type Params = Promise<{ key: string }>;

// one read per request, shared by the metadata and the page; an unknown key, or one the user
// may not view, is a 404
const loadEnvironment = cache(async (key: string) => {
  try {
    return await getEnvironment(await requireActor(), key);
  } catch (e) {
    // a malformed address (a NUL in it, say) names nothing either
    if (e instanceof NotFoundError || e instanceof ValidationError) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: (await loadEnvironment((await params).key)).name };
}

export default async function EnvironmentPage({ params }: { params: Params }) {
  const actor = await requireActor();
  const environment = await loadEnvironment((await params).key);
  const { previous, next, asOf } = environment;
  // the gates of what waits to come in, as the board evaluates them (one statement)
  const gates = await getPipelineGates(actor, {
    asOf,
    pipeline: {
      rows: environment.applications.map(({ application, cell }) => ({ applicationId: application.id, cells: [cell] })),
    },
  });

  return (
    <>
      <div
        className="-mx-4 mb-6 h-1 sm:mx-0 sm:rounded-full"
        style={{ backgroundColor: environment.color }}
        aria-hidden="true"
      />
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <Link href="/environments" className="hover:underline">
              Environments
            </Link>
          </nav>
        }
        title={environment.name}
        description={
          <>
            {environment.description ? <p>{environment.description}</p> : null}
            <p className="mt-1 flex flex-wrap items-center gap-x-1.5 text-sm text-slate-500">
              {environment.protected ? <ProtectedPill /> : null}
              <span className="font-mono">{environment.key}</span> · stage {environment.position + 1}
              {environment.url ? (
                <>
                  {" "}
                  ·{" "}
                  <a href={environment.url} className="text-brand-700 hover:underline" rel="noreferrer">
                    {environment.url.replace(/^https?:\/\//, "").replace(/\/$/, "")}
                  </a>
                </>
              ) : null}
            </p>
          </>
        }
        aside={
          <div className="flex flex-wrap items-center gap-2">
            <LiveRefresh />
            {can(actor, "environment.manage", environment.id) ? (
              <Link
                href={`/environments/${environment.key}/settings`}
                className="rounded-md px-2.5 py-1.5 text-sm text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
              >
                Settings
              </Link>
            ) : null}
            <PipelineNeighbours previous={previous} next={next} />
          </div>
        }
      />

      <div className="space-y-10">
        <Section id="applications" title="What runs here">
          {environment.applications.length ? (
            <EnvironmentApplications
              environment={environment}
              gates={gates}
              canCheck={can(actor, "deploy.trigger", environment.id)}
              canRollback={can(actor, "deploy.rollback", environment.id)}
            />
          ) : (
            <EmptyState title="No applications yet">Applications appear with their first release.</EmptyState>
          )}
        </Section>

        <div className="grid gap-10 lg:grid-cols-2 lg:gap-8">
          <Section id="settings" title="Gates and settings">
            <Card className="px-4 py-2 sm:px-5">
              <EnvironmentSettings environment={environment} />
            </Card>
          </Section>
          <Section id="rollout" title="Rollout">
            <Card className="px-4 py-4 sm:px-5">
              <RolloutPicture environment={environment} />
            </Card>
          </Section>
        </div>

        <Section id="deployments" title="Recent deployments" description="The latest deploys here, newest first.">
          {environment.recentDeployments.length ? (
            <DeploymentHistory
              subject="release"
              label={`Recent deployments in ${environment.name}`}
              now={asOf}
              deployments={environment.recentDeployments}
            />
          ) : (
            <EmptyState title="No deployments yet">Nothing has been deployed to {environment.name} so far.</EmptyState>
          )}
        </Section>

        <div className="grid gap-10 lg:grid-cols-3 lg:gap-8">
          <Section id="freeze" title="Freeze windows">
            <Card className="px-4 py-4">
              <FreezeWindows windows={environment.freezeWindows} />
            </Card>
          </Section>
          <Section id="checklist" title="Checklist">
            <Card className="px-4 py-4">
              <ChecklistTemplate checklist={environment.checklist} />
            </Card>
          </Section>
          <Section id="flags" title="Feature flags">
            <Card className="px-4 py-2">
              <FlagStates
                flags={environment.flags}
                environmentName={environment.name}
                environmentKey={environment.key}
                canToggle={can(actor, "flag.toggle", environment.id)}
                approvals={environment.flagChangeApprovals}
              />
            </Card>
          </Section>
        </div>
      </div>
    </>
  );
}

function PipelineNeighbours({
  previous,
  next,
}: {
  previous: { key: string; name: string } | null;
  next: { key: string; name: string } | null;
}) {
  if (!previous && !next) return null;
  return (
    <nav aria-label="Neighbouring environments" className="flex gap-2 text-sm">
      {previous ? (
        <Link
          href={`/environments/${previous.key}`}
          className="rounded-md px-2.5 py-1.5 text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
        >
          <span aria-hidden="true">← </span>
          <span className="sr-only">Previous stage: </span>
          {previous.name}
        </Link>
      ) : null}
      {next ? (
        <Link
          href={`/environments/${next.key}`}
          className="rounded-md px-2.5 py-1.5 text-slate-700 ring-1 ring-slate-300 hover:bg-slate-100"
        >
          <span className="sr-only">Next stage: </span>
          {next.name}
          <span aria-hidden="true"> →</span>
        </Link>
      ) : null}
    </nav>
  );
}
