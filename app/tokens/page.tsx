import { headers } from "next/headers";
import { EmptyState } from "@/components/ui/empty-state";
import { formatCount } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { Card, Section } from "@/components/ui/section";
import { TokensNewForm } from "@/components/tokens/new-form";
import { TokensTable } from "@/components/tokens/table";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { requireActor } from "@/lib/session";
import { ForbiddenError } from "@/lib/data/errors";
import { listTokens } from "@/lib/data/tokens/tokens";

export const metadata = { title: "API tokens" };

const TITLE = "API tokens";
const DESCRIPTION =
  "Tokens let machines such as CI call Greenlight's API. Each acts within its own scope and appears under its own name in the audit trail.";

async function load(actor: Awaited<ReturnType<typeof requireActor>>) {
  try {
    return await listTokens(actor);
  } catch (e) {
    if (e instanceof ForbiddenError) return null;
    throw e;
  }
}

/** Where this Greenlight answers, as the browser reached it: for the example request. */
async function origin(): Promise<string> {
  const h = await headers();
  const host = h.get("x-forwarded-host") ?? h.get("host") ?? "localhost:3000";
  const proto =
    h.get("x-forwarded-proto") ?? (host.startsWith("localhost") || host.startsWith("127.") ? "http" : "https");
  return `${proto}://${host}`;
}

export default async function TokensPage() {
  const actor = await requireActor();
  const list = await load(actor);
  if (!list)
    return (
      <>
        <PageHeader title={TITLE} description={DESCRIPTION} />
        <PermissionRefusal permission="token.manage" />
      </>
    );

  const active = list.tokens.filter((t) => t.status === "active").length;
  const powerless = list.tokens.filter((t) => t.status === "lost_power").length;
  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        aside={
          <p className="text-sm text-slate-600">
            {formatCount(active)} active{powerless ? `, ${formatCount(powerless)} lost power` : ""}
          </p>
        }
      />
      <div className="space-y-10">
        <Section
          id="tokens"
          title="Tokens"
          description="Newest first. A revoked or expired token is refused at once. A token never does more than its owner can do now: it loses what they lose, and stops when they are deactivated."
        >
          {list.tokens.length ? (
            <TokensTable tokens={list.tokens} now={list.asOf} />
          ) : (
            <EmptyState title="No API tokens yet">Create one below for CI or a script.</EmptyState>
          )}
        </Section>
        <Section id="new-token" title="New token" description="The token is shown once, right after you create it.">
          <Card className="max-w-3xl p-4 sm:p-5">
            <TokensNewForm
              environments={list.environments.map(({ key, name }) => ({ key, name }))}
              origin={await origin()}
            />
          </Card>
        </Section>
      </div>
    </>
  );
}
