import { AccountEnrol } from "@/components/account/enrol";
import Link from "@/components/ui/link";
import { AccountSecondFactorStatus } from "@/components/account/status";
import { formatAbsolute } from "@/components/ui/format";
import { PageHeader } from "@/components/ui/page-header";
import { RelativeTime } from "@/components/ui/relative-time";
import { Card, Section } from "@/components/ui/section";
import { accountSecurity } from "@/lib/data/account/security";
import { RECENT_SIGN_IN_MINUTES } from "@/lib/data/identity/reauthenticate";
import { secondFactorStatus } from "@/lib/data/identity/second-factor";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Security" };

const PROVIDERS: Record<string, string> = { oidc: "your organisation's identity provider", github: "GitHub" };

// The signed-in person's own security: their second factor (an authenticator app and its
// recovery codes), what this session has proved, and how single sign-on counts.
export default async function AccountPage() {
  const actor = await requireActor();
  const [status, security] = await Promise.all([secondFactorStatus(actor), accountSecurity(actor)]);
  const now = new Date();
  const sso = security.signInMethod !== null && security.signInMethod !== "password";
  const provider = PROVIDERS[security.signInMethod ?? ""] ?? security.signInMethod;
  return (
    <>
      <PageHeader
        title="Security"
        description={
          <>
            How you prove it is you, as <span className="font-medium text-slate-900">{actor.email}</span>.
          </>
        }
      />
      <div className="max-w-4xl space-y-10">
        <Section
          id="second-factor"
          title="Second factor"
          description="A code from an app on your phone, asked for where an environment needs more than your password."
        >
          <Card className="p-4 sm:p-5">
            {status.enrolled ? (
              <AccountSecondFactorStatus status={status} now={now} />
            ) : (
              <AccountEnrol email={actor.email} />
            )}
          </Card>
        </Section>

        {sso || security.providers.length ? (
          <Section id="single-sign-on" title="Single sign-on">
            <Card className="space-y-2 p-4 text-sm text-slate-700 sm:p-5">
              <p>
                {sso ? `You signed in through ${provider}. ` : ""}When your identity provider reports that you passed
                its own multi-factor check (its <code className="font-mono">amr</code> claim contains{" "}
                <code className="font-mono">mfa</code>), that sign-in counts as your second factor, and no code is asked
                for in that session.
              </p>
              <p>
                If it does not report it, you are asked for a code from an authenticator app: you may set one up above
                {security.hasPassword ? "" : ", even though you have no Greenlight password"}.
              </p>
            </Card>
          </Section>
        ) : null}

        <Section id="sign-in" title="Recent sign-in">
          <Card className="space-y-2 p-4 text-sm text-slate-700 sm:p-5">
            {security.authenticatedAt ? (
              <p>
                You last proved who you are <RelativeTime date={security.authenticatedAt} now={now} /> (
                <time dateTime={security.authenticatedAt.toISOString()}>
                  {formatAbsolute(security.authenticatedAt)}
                </time>
                ), by signing in or entering your password again.
              </p>
            ) : null}
            <p>
              Creating an API token needs a sign-in from the last {RECENT_SIGN_IN_MINUTES} minutes. After that you are
              asked for your password again
              {security.hasPassword ? "" : " (with single sign-on only: to sign in again)"} before the token is made.
            </p>
          </Card>
        </Section>

        <Section id="notifications" title="Notifications">
          <Card className="p-4 text-sm text-slate-700 sm:p-5">
            <p>
              Choose which events reach you in your inbox and by email on{" "}
              <Link
                href="/notifications/preferences"
                className="font-medium text-slate-900 underline underline-offset-2"
              >
                What reaches you
              </Link>
              .
            </p>
          </Card>
        </Section>
      </div>
    </>
  );
}
