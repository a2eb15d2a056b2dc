import Link from "@/components/ui/link";
import { EmptyState } from "@/components/ui/empty-state";
import { PageHeader } from "@/components/ui/page-header";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { ReleaseNewForm } from "@/components/releases/new-form";
import { Card } from "@/components/ui/section";
import { requireActor } from "@/lib/session";
import { readReleaseForm } from "@/lib/data/releases/form";

export const metadata = { title: "New release" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const DESCRIPTION =
  "Register a build by hand, as CI does through the API. It enters the pipeline at the first environment.";

export default async function NewReleasePage({ searchParams }: { searchParams: SearchParams }) {
  const context = await readReleaseForm(await requireActor());
  const asked = (await searchParams).application;
  // preselected when the list was narrowed to an application; anything else is ignored
  const application = context.applications.find((a) => a.key === asked)?.key;

  return (
    <>
      <PageHeader
        eyebrow={
          <nav aria-label="Breadcrumb">
            <Link href="/releases" className="hover:underline">
              Releases
            </Link>
          </nav>
        }
        title="New release"
        description={DESCRIPTION}
      />
      {context.environment === null ? (
        <EmptyState title="No environments yet">
          Releases enter the pipeline at its first environment: an admin needs to add one first.
        </EmptyState>
      ) : !context.allowed ? (
        <PermissionRefusal permission="release.create">
          {context.environmentVisible
            ? `None of your roles grants it in ${context.environment.name}, where releases enter the pipeline.`
            : "None of your roles grants it where releases enter the pipeline."}{" "}
          Ask an admin if you need to create releases.
        </PermissionRefusal>
      ) : context.applications.length === 0 ? (
        <EmptyState title="No applications yet">
          Releases belong to an application: an admin needs to add one first.
        </EmptyState>
      ) : (
        <Card className="max-w-3xl p-4 sm:p-5">
          <ReleaseNewForm
            applications={context.applications.map(({ key, name }) => ({ key, name }))}
            defaultApplication={application}
          />
        </Card>
      )}
    </>
  );
}
