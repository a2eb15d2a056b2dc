import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { notFound } from "next/navigation";
import { cache, Suspense } from "react";
import { ActorLabel } from "@/components/ui/actor-label";
import { Changelog } from "@/components/release/changelog";
import { DeploymentHistory } from "@/components/deploy/history";
import { EmptyState } from "@/components/ui/empty-state";
import { formatAbsolute, shortSha } from "@/components/ui/format";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { ReleaseNewNotice } from "@/components/release/new-notice";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { ReleaseLatestLog } from "@/components/release/latest-log";
import { ReleasePromotion } from "@/components/release/promotion";
import { ReleaseHandedOn } from "@/components/release/handed-on";
import { ReleaseTimeline } from "@/components/release/timeline";
import { releasesHref } from "@/components/releases/href";
import { Card, Section } from "@/components/ui/section";
import { NotFoundError, ValidationError } from "@/lib/data/errors";
import { requireActor } from "@/lib/session";
import { getDeploymentLog, getHandedOn, getPromotion } from "@/lib/data/promotion/view";
import { getRelease } from "@/lib/data/releases/read";
import { can, type Actor } from "@/lib/domain/access";

type Params = Promise<{ id: string }>;

// one read per request, shared by the metadata and the page; an unknown or malformed id is a 404
const loadRelease = cache(async (id: string) => {
  try {
    return await getRelease(await requireActor(), id);
  } catch (e) {
    // a malformed address (a NUL in it, say) names nothing either
    if (e instanceof NotFoundError || e instanceof ValidationError) notFound();
    throw e;
  }
});

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  const release = await loadRelease((await params).id);
  return { title: `${release.application.key} ${release.version}` };
}

/** A log the viewer may not read (or that vanished) is left out rather than failing the page. */
async function readLog(actor: Actor, deploymentId: string | undefined) {
  if (!deploymentId) return null;
  try {
    return await getDeploymentLog(actor, deploymentId);
  } catch (e) {
    if (e instanceof NotFoundError) return null;
    throw e;
  }
}

export default async function ReleasePage({ params }: { params: Params }) {
  const release = await loadRelease((await params).id);
  const { application, asOf } = release;
  const environmentsById = new Map(release.path.map((s) => [s.environmentId, s.environment]));
  const actor = await requireActor();
  const latest = release.deployments[0];
  const [promotion, latestLog] = await Promise.all([getPromotion(actor, release.id), readLog(actor, latest?.id)]);
  // the next step is hidden from this viewer (or it runs in a last stage they do not see)
  const handedOn = promotion ? null : await getHandedOn(actor, release.id);
  // the deploy under way is nearly always the latest one; read its own log when it is not
  const inProgressId = promotion?.inProgress?.deploymentId;
  const progressLog =
    inProgressId === undefined ? null : inProgressId === latest?.id ? latestLog : await readLog(actor, inProgressId);
  const lastStage = release.path.at(-1);
  // where the viewer may act in this step and the environment asks for a second factor
  const tickable = [...(promotion?.checklists ?? []), ...(handedOn?.checklists ?? [])].filter((c) => c.mayTick);
  const guarded = [
    ...(promotion && (promotion.you.mayApprove || promotion.you.mayPromote || promotion.you.mayTick)
      ? [promotion.environment.id]
      : []),
    ...tickable.flatMap((c) => release.path.filter((s) => s.environment.key === c.key).map((s) => s.environmentId)),
  ]
    .map((id) => environmentsById.get(id))
    .filter((e, i, all) => e?.secondFactor.required && all.indexOf(e) === i)
    .map((e) => ({ name: e!.name, maxAgeMinutes: e!.secondFactor.maxAgeMinutes }));
  const ranInLastStage = lastStage?.latest?.status === "succeeded";

  return (
    <>
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <ol className="flex flex-wrap items-center gap-1.5">
              <li>
                <Link href="/releases" className="hover:underline">
                  Releases
                </Link>
              </li>
              <li aria-hidden="true">/</li>
              <li>
                <Link href={releasesHref({ application: application.key })} className="hover:underline">
                  {application.name}
                </Link>
              </li>
            </ol>
          </nav>
        }
        title={
          <>
            {application.key} <span className="font-mono">{release.version}</span>
          </>
        }
        description={release.title}
        aside={<LiveRefresh />}
      />
      <Suspense>
        <ReleaseNewNotice />
      </Suspense>

      <div className="space-y-10">
        <Card className="px-4 py-4 sm:px-6">
          <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-4">
            <Fact label="Application">{application.name}</Fact>
            <Fact label="Commit">
              {application.repositoryUrl ? (
                <a
                  href={`${application.repositoryUrl.replace(/\/$/, "")}/commit/${release.commitSha}`}
                  className="font-mono text-brand-700 hover:underline"
                  title={release.commitSha}
                >
                  {shortSha(release.commitSha)}
                </a>
              ) : (
                <span className="font-mono" title={release.commitSha}>
                  {shortSha(release.commitSha)}
                </span>
              )}
              {release.branch ? (
                <span className="text-slate-500">
                  {" "}
                  on <span className="font-mono text-slate-700">{release.branch}</span>
                </span>
              ) : null}
              {release.commitAt ? (
                <span className="text-slate-500">
                  {" "}
                  · committed <RelativeTime date={release.commitAt} now={asOf} />
                </span>
              ) : null}
            </Fact>
            <Fact label="Created">
              <RelativeTime date={release.createdAt} now={asOf} />
              <span className="block text-xs text-slate-500">{formatAbsolute(release.createdAt)}</span>
            </Fact>
            <Fact label="Created by">
              <ActorLabel actor={release.createdBy} />
            </Fact>
          </dl>
          {release.links.length ? (
            <ul
              aria-label="Links"
              className="mt-4 flex flex-wrap gap-x-4 gap-y-1 border-t border-slate-100 pt-3 text-sm"
            >
              {release.links.map((link) => (
                <li key={link.url}>
                  <a href={link.url} className="font-medium text-brand-700 hover:underline" rel="noreferrer">
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          ) : null}
        </Card>

        <Section
          id="path"
          title="Path through the environments"
          description="Where this release has been, where it runs now, and where it can go next."
        >
          {release.path.length ? (
            <ReleaseTimeline
              release={release}
              checkable={
                new Set(
                  release.path
                    .filter((s) => s.unknown && can(actor, "deploy.trigger", s.environmentId))
                    .map((s) => s.environmentId),
                )
              }
            />
          ) : (
            <EmptyState title="No environments yet">Define environments to give releases a path to follow.</EmptyState>
          )}
        </Section>

        {promotion ? (
          <ReleasePromotion
            promotion={promotion}
            authorName={release.createdBy.kind === "user" ? release.createdBy.label : null}
            log={progressLog}
            secondFactor={{ environments: guarded, verifiedAt: actor.session?.secondFactorAt ?? null }}
          />
        ) : handedOn ? (
          <ReleaseHandedOn
            handedOn={handedOn}
            secondFactor={{ environments: guarded, verifiedAt: actor.session?.secondFactorAt ?? null }}
          />
        ) : ranInLastStage && lastStage ? (
          <p className="rounded-lg bg-white px-4 py-3 text-sm text-slate-700 shadow-sm ring-1 ring-slate-200">
            {release.version} reached the last stage, {lastStage.environment.name}: there is nowhere further to promote
            it.
          </p>
        ) : null}

        <Section id="history" title="Deployments" description="Every attempt to deploy this release, newest first.">
          {latestLog && latestLog.deploymentId !== inProgressId ? (
            <ReleaseLatestLog log={latestLog} now={asOf} />
          ) : null}
          {release.deployments.length ? (
            <DeploymentHistory
              subject="environment"
              label={`Deployments of ${application.key} ${release.version}`}
              now={asOf}
              deployments={release.deployments.map((d) => ({
                ...d,
                environment: environmentsById.get(d.environmentId),
              }))}
            />
          ) : (
            <EmptyState title="Not deployed yet">This release has not been deployed to any environment.</EmptyState>
          )}
        </Section>

        <Section id="changelog" title="Changelog">
          {release.changelog.trim() ? (
            <Card className="px-4 py-4 sm:px-6">
              <Changelog markdown={release.changelog} />
            </Card>
          ) : (
            <p className="text-sm text-slate-500">No changelog was given for this release.</p>
          )}
        </Section>
      </div>
    </>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium uppercase tracking-wide text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-slate-900">{children}</dd>
    </div>
  );
}
