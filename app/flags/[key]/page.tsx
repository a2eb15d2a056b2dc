import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { FlagArchiveForm } from "@/components/flags/archive-form";
import { FlagEnvironmentStates, FlagHistory } from "@/components/flags/detail-tables";
import { FlagChangeRequests, ScheduledFlagChanges } from "@/components/flags/change-requests";
import { flagChangeRequests } from "@/lib/data/flags/change-requests";
import { scheduledFlagChanges } from "@/lib/data/flags/scheduled";
import { requireActor } from "@/lib/session";
import { PageHeader } from "@/components/ui/page-header";
import { AbsoluteTime } from "@/components/ui/relative-time";
import { Card, Section } from "@/components/ui/section";
import { load } from "./load";

type Params = Promise<{ key: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: (await load((await params).key)).name };
}

function Fact({ term, children }: { term: string; children: React.ReactNode }) {
  return (
    <div>
      <dt className="text-xs font-semibold uppercase tracking-wide text-slate-500">{term}</dt>
      <dd className="mt-0.5 text-sm text-slate-900">{children}</dd>
    </div>
  );
}

export default async function FlagPage({ params }: { params: Params }) {
  const flag = await load((await params).key);
  // the same lists as the grid's, for this flag: approvers decide here too
  const actor = await requireActor();
  const [requests, scheduled] = await Promise.all([
    flagChangeRequests(actor, { flagKey: flag.key }),
    scheduledFlagChanges(actor, { flagKey: flag.key }),
  ]);
  const archived = flag.archivedAt !== null;
  return (
    <>
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <Link href="/flags" className="hover:underline">
              Feature flags
            </Link>
          </nav>
        }
        title={
          <>
            {flag.name}
            {archived ? (
              <span className="ml-3 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm font-medium text-slate-700 ring-1 ring-slate-300">
                Archived
              </span>
            ) : null}
          </>
        }
        description={
          <>
            <p className="font-mono text-sm text-slate-500">{flag.key}</p>
            {flag.description ? <p className="mt-1">{flag.description}</p> : null}
          </>
        }
      />
      {archived ? (
        <p
          role="status"
          className="mb-6 rounded-md bg-slate-100 px-4 py-3 text-sm text-slate-800 ring-1 ring-slate-300"
        >
          Archived <AbsoluteTime date={flag.archivedAt!} />: applications no longer get this flag (they use their
          default). It is kept, read-only, for its history.
        </p>
      ) : null}
      <div className="space-y-10">
        <Card className="p-4 sm:p-5">
          <dl className="grid gap-4 sm:grid-cols-3">
            <Fact term="Category">{flag.category}</Fact>
            <Fact term="Owner">{flag.owner ?? <span className="text-slate-400">Nobody named</span>}</Fact>
            <Fact term="Created">
              <AbsoluteTime date={flag.createdAt} />
            </Fact>
          </dl>
        </Card>
        <Section
          id="environments"
          title="In each environment"
          description={
            archived
              ? "As it was when it was archived; nothing of it is served."
              : "Change a state on the flag grid. Only environments you may see are listed."
          }
        >
          <FlagEnvironmentStates flag={flag} />
        </Section>
        <Section id="change-requests" title="Change requests" description="Newest first.">
          <FlagChangeRequests requests={requests} empty="No change requests: none waits, and none closed this week." />
        </Section>
        <Section id="scheduled" title="Scheduled changes">
          <ScheduledFlagChanges changes={scheduled} empty="No scheduled changes." />
        </Section>
        <Section id="history" title="History" description="Newest first, from the audit log.">
          <FlagHistory flag={flag} />
        </Section>
        {flag.canManage ? (
          <Section
            id="archive"
            title={archived ? "Restore" : "Archive"}
            description={
              archived
                ? "Serve it again, with the states it had when it was archived."
                : "Stop serving it: applications get their own default again. It stays here, read-only, with its history, and its key stays taken."
            }
          >
            <Card className="max-w-2xl p-4 sm:p-5">
              <FlagArchiveForm flagKey={flag.key} flagName={flag.name} archived={archived} />
            </Card>
          </Section>
        ) : null}
      </div>
    </>
  );
}
