import { ChannelForm } from "@/components/notification-settings/channel-form";
import { ChannelList } from "@/components/notification-settings/channel-list";
import { MailSettingsForm, TestEmailForm } from "@/components/notification-settings/mail-form";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { Card, Section } from "@/components/ui/section";
import { readNotificationSettings } from "@/lib/data/notifications/settings-read";
import { requireActor } from "@/lib/session";

export const metadata = { title: "Notification settings" };

const TITLE = "Notification settings";
const DESCRIPTION =
  "How Greenlight reaches people outside the app: the mail server for email, and chat or webhook channels per environment. Each person chooses their own email under Preferences.";

export default async function NotificationSettingsPage() {
  const actor = await requireActor();
  const settings = await readNotificationSettings(actor, {});
  const places = {
    global: settings.canManageGlobal,
    environments: settings.environments,
    applications: settings.applications,
  };
  const mayAddChannels = places.global || places.environments.length > 0;
  if (!settings.canManageMail && !mayAddChannels)
    return (
      <>
        <PageHeader title={TITLE} description={DESCRIPTION} />
        <PermissionRefusal permission="notification.manage">
          Or <code className="font-mono">environment.manage</code> in an environment, for its channels. Ask an admin if
          you need either.
        </PermissionRefusal>
      </>
    );
  return (
    <>
      <PageHeader
        title={TITLE}
        description={DESCRIPTION}
        aside={
          settings.canManageMail ? (
            <Link href="/notifications/deliveries" className="text-sm font-medium text-slate-700 underline">
              Deliveries
            </Link>
          ) : null
        }
      />
      <div className="space-y-10">
        {settings.canManageMail ? (
          <Section
            id="mail"
            title="Mail server"
            description="Email notifications go out through this SMTP server. Without it, nobody is emailed."
          >
            <Card className="max-w-3xl space-y-6 p-4 sm:p-5">
              <MailSettingsForm mail={settings.mail} />
              <hr className="border-slate-200" />
              <TestEmailForm to={settings.ownEmail} disabled={!settings.mail} />
            </Card>
          </Section>
        ) : null}
        <Section
          id="channels"
          title="Chat and webhook channels"
          description={
            places.global
              ? "Channels for every environment, and for the environments you manage."
              : "Channels of the environments you manage."
          }
        >
          <ChannelList channels={settings.channels} places={places} />
        </Section>
        <Section id="new-channel" title="New channel">
          <Card className="max-w-3xl p-4 sm:p-5">
            <ChannelForm places={places} />
          </Card>
        </Section>
      </div>
    </>
  );
}
