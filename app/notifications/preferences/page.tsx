import { PreferencesForm } from "@/components/notifications/preferences-form";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { readNotificationPreferences } from "@/lib/data/notifications/preferences";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Notification choices" };

// Which events reach the signed-in person, in the inbox and by email. Chat and webhooks are
// set per environment by the people who manage it.
export default async function NotificationPreferencesPage() {
  const actor = await requireActor();
  const preferences = await readNotificationPreferences(actor);
  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/notifications" className="underline underline-offset-2">
            Inbox
          </Link>
        }
        title="What reaches you"
        description={
          <>
            Emails go to <span className="font-medium text-slate-900">{preferences.email}</span>. You only hear of
            environments you may see.
          </>
        }
      />
      <div className="max-w-3xl">
        <PreferencesForm kinds={preferences.kinds} mailConfigured={preferences.mailConfigured} />
      </div>
    </>
  );
}
