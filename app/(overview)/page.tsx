import Link from "@/components/ui/link";
import { BoardFilters, boardHref, type BoardFilter } from "@/components/board/filters";
import { NoAccess } from "@/components/shell/no-access";
import { EmptyState } from "@/components/ui/empty-state";
import { LiveRefresh } from "@/components/ui/live-refresh";
import { PageHeader } from "@/components/ui/page-header";
import { PipelineBoard } from "@/components/board/pipeline-board";
import { PipelineSummary } from "@/components/board/pipeline-summary";
import { PromotionList } from "@/components/board/promotion-list";
import { AbsoluteTime } from "@/components/ui/relative-time";
import { Section } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { pendingWork, type PendingWork, type WorkReason } from "@/lib/data/promotion/my-work";
import { getPipelineOverview, type PipelineOverview } from "@/lib/data/pipeline";
import { getPipelineGates } from "@/lib/data/pipeline/gates";
import { cellKey } from "@/lib/domain/pipeline";

// the root layout's title template applies to nested segments only, so this page spells it out
export const metadata = { title: { absolute: "Pipeline · Greenlight" } };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

/** The board for one application (summary numbers and queue included), or all of them. */
function forApplication(overview: PipelineOverview, applicationId: string | null): PipelineOverview {
  if (!applicationId) return overview;
  const rows = overview.pipeline.rows.filter((r) => r.applicationId === applicationId);
  const sum = (pick: (s: (typeof rows)[number]["summary"]) => number) => rows.reduce((n, r) => n + pick(r.summary), 0);
  return {
    ...overview,
    pipeline: {
      ...overview.pipeline,
      rows,
      summary: {
        waiting: sum((s) => s.waiting),
        inProgress: sum((s) => s.inProgress),
        failing: sum((s) => s.failing),
        promotions: overview.pipeline.summary.promotions.filter((p) => p.applicationId === applicationId),
      },
    },
  };
}

/** Per board cell, why the release waiting there waits for the viewer (only where it does). */
function workByCell(overview: PipelineOverview, work: PendingWork): Record<string, WorkReason[]> {
  const byPair = new Map(work.items.map((i) => [`${i.releaseId}:${i.environmentId}`, i.reasons]));
  const result: Record<string, WorkReason[]> = {};
  for (const row of overview.pipeline.rows)
    for (const cell of row.cells) {
      const reasons = cell.waiting && byPair.get(`${cell.waiting.release.id}:${cell.environmentId}`);
      if (reasons) result[cellKey(row.applicationId, cell.environmentId)] = reasons;
    }
  return result;
}

/**
 * Statements: the user (1), the pipeline (4), the gates of its waiting cells (1) and the
 * viewer's pending work (1, shared with the header's count), whatever the data size.
 */
export default async function PipelinePage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  const actor = await requireActor();
  // someone without a role (a first single sign-on) is told so, not shown an empty board
  if (actor.roles.length === 0) return <NoAccess who={actor.email} />;
  const [everything, work] = await Promise.all([getPipelineOverview(actor), pendingWork(actor)]);
  const applicationKey = first(params.application) || null;
  const application = everything.applications.find((a) => a.key === applicationKey) ?? null;
  const filter: BoardFilter = { application: application?.key ?? null, mine: first(params.mine) === "1" };

  const overview = forApplication(everything, application?.id ?? null);
  const mine = workByCell(overview, work);
  const board = filter.mine
    ? {
        ...overview,
        pipeline: {
          ...overview.pipeline,
          rows: overview.pipeline.rows.filter((r) =>
            r.cells.some((c) => mine[cellKey(r.applicationId, c.environmentId)]),
          ),
        },
      }
    : overview;
  const gates = await getPipelineGates(actor, overview);
  const { environments, applications, pipeline, asOf } = overview;

  return (
    <>
      <PageHeader
        title="Pipeline"
        description={
          environments.length ? (
            <>
              What runs in each environment and what waits to move on, from {environments[0]?.name} to{" "}
              {environments.at(-1)?.name}.
            </>
          ) : (
            "What runs in each environment and what waits to move on."
          )
        }
        aside={
          <div className="flex flex-col items-end gap-1">
            <LiveRefresh />
            <p className="text-xs text-slate-500">
              As of <AbsoluteTime date={asOf} />
            </p>
          </div>
        }
      />
      {environments.length === 0 ? (
        <EmptyState title="No environments yet">
          Environments are the stages releases move through. Load a preset with{" "}
          <code className="font-mono">npm run db:seed -- --preset demo</code> to start from an example.
        </EmptyState>
      ) : applications.length === 0 ? (
        <EmptyState title="No releases yet">
          Create one from CI with <code className="font-mono whitespace-nowrap">POST /api/v1/releases</code>; each
          application appears here with its first release.
        </EmptyState>
      ) : (
        <div className="space-y-8">
          <PipelineSummary summary={pipeline.summary} gates={gates} />
          <Section
            id="board"
            title="Applications by environment"
            description={
              filter.mine
                ? "Only what waits for you: an approval you can give, or required checklist items you can tick."
                : "Select a version for its path through the pipeline, or an environment for its settings."
            }
          >
            <div className="space-y-4">
              <BoardFilters applications={applications} filter={filter} workCount={Object.keys(mine).length} />
              {applicationKey && !application ? (
                <EmptyState title="No such application" icon="search">
                  There is no application with the key <code className="font-mono">{applicationKey}</code>.{" "}
                  <Link
                    href={boardHref({ ...filter, application: null })}
                    className="font-medium text-brand-700 underline"
                  >
                    Show all applications
                  </Link>
                </EmptyState>
              ) : filter.mine && board.pipeline.rows.length === 0 ? (
                <EmptyState title="Nothing waits for you">
                  No approval or checklist of yours holds up a promotion{application ? ` of ${application.name}` : ""}{" "}
                  right now.{" "}
                  <Link href={boardHref({ ...filter, mine: false })} className="font-medium text-brand-700 underline">
                    Show the whole board
                  </Link>
                </EmptyState>
              ) : (
                <PipelineBoard
                  overview={board}
                  labelledBy="board-heading"
                  gates={gates}
                  work={mine}
                  mineOnly={filter.mine}
                />
              )}
            </div>
          </Section>
          <Section
            id="waiting"
            title="Next promotions"
            description="Closest to production first. Ready to promote once every gate passes."
            actions={
              <Link href="/releases" className="text-sm font-medium text-brand-700 hover:underline">
                All releases
              </Link>
            }
          >
            <PromotionList overview={overview} gates={gates} work={mine} />
          </Section>
        </div>
      )}
    </>
  );
}
