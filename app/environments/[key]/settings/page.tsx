import type { Metadata } from "next";
import Link from "@/components/ui/link";
import { PageHeader } from "@/components/ui/page-header";
import { PermissionRefusal } from "@/components/ui/permission-refusal";
import { Card, Section } from "@/components/ui/section";
import { SettingsChecklistEditor } from "@/components/settings/checklist-editor";
import { SettingsEnvironmentForm } from "@/components/settings/environment-form";
import { SettingsFreezeForm } from "@/components/settings/freeze-form";
import { SettingsFreezeWindows } from "@/components/settings/freeze-windows";
import { SettingsDeployTargets } from "@/components/settings/deploy-targets";
import { EffectiveRolloutSettings } from "@/components/settings/effective-rollout";
import { SettingsRolloutForm } from "@/components/settings/rollout-form";
import { SettingsSdkKeys } from "@/components/settings/sdk-keys";
import { load, loadSdkKeys } from "./load";

type Params = Promise<{ key: string }>;

export async function generateMetadata({ params }: { params: Params }): Promise<Metadata> {
  return { title: `Settings · ${(await load((await params).key)).environment.name}` };
}

/** Every zone this server knows, UTC included (some runtimes list it, some do not). */
function timeZones(): string[] {
  const zones = Intl.supportedValuesOf("timeZone");
  return zones.includes("UTC") ? zones : ["UTC", ...zones];
}

export default async function EnvironmentSettingsPage({ params }: { params: Params }) {
  const settings = await load((await params).key);
  const { key, name } = settings.environment;
  const header = (
    <PageHeader
      eyebrow={
        <nav aria-label="Breadcrumb" className="flex gap-1.5">
          <Link href="/environments" className="hover:underline">
            Environments
          </Link>
          <span aria-hidden="true">/</span>
          <Link href={`/environments/${encodeURIComponent(key)}`} className="hover:underline">
            {name}
          </Link>
        </nav>
      }
      title={`${name} settings`}
      description="Gates, checklist, freeze windows, rollout, deploy targets and SDK keys. Changes apply to the next promotion and are recorded in the audit trail."
    />
  );
  if (!settings.allowed)
    return (
      <>
        {header}
        <PermissionRefusal permission="environment.manage">
          None of your roles grants it in {name}. Ask an admin if you need to change this environment&apos;s settings.
        </PermissionRefusal>
        {settings.effective ? (
          <div className="mt-10">
            <EffectiveRolloutSettings effective={settings.effective} />
          </div>
        ) : null}
      </>
    );

  const { environment, pipeline, checklist, freezeWindows, activeFreezes, rollout, targets, providers } = settings;
  const sdkKeys = await loadSdkKeys(key);
  return (
    <>
      {header}
      <div className="space-y-10">
        <SettingsEnvironmentForm environment={environment} pipeline={pipeline} />
        <Section
          id="checklist"
          title="Checklist template"
          description="What is ticked for every release here before it may be promoted. Releases already under way keep their copy."
        >
          <Card className="max-w-4xl p-4 sm:p-5">
            <SettingsChecklistEditor environmentKey={key} checklist={checklist} defaultName={`${name} checklist`} />
          </Card>
        </Section>
        <Section id="freeze" title="Freeze windows" description="Times when nothing is promoted to this environment.">
          <Card className="max-w-4xl divide-y divide-slate-200">
            <div className="p-4 sm:p-5">
              <SettingsFreezeWindows environmentKey={key} windows={freezeWindows} active={activeFreezes} />
            </div>
            <div className="p-4 sm:p-5">
              <SettingsFreezeForm environmentKey={key} timeZones={timeZones()} />
            </div>
          </Card>
        </Section>
        <Section
          id="rollout"
          title="Rollout"
          description="How a release replaces the one running here, and the health checks that decide whether it carries on."
        >
          <Card className="max-w-4xl p-4 sm:p-5">
            <SettingsRolloutForm environmentKey={key} rollout={rollout} />
          </Card>
        </Section>
        <Section
          id="targets"
          title="Deploy targets"
          description="How each application reaches this environment. Secrets are named by environment variable, never stored or shown."
        >
          <Card className="max-w-4xl">
            <SettingsDeployTargets
              environmentKey={key}
              targets={targets}
              providers={providers}
              strategy={rollout.strategy}
            />
          </Card>
        </Section>
        <Section
          id="sdk-keys"
          title="SDK keys"
          description="How applications read this environment's flags from the flag evaluation service. Each key is read-only and shown once."
        >
          <Card className="max-w-4xl">
            <SettingsSdkKeys environmentKey={key} keys={sdkKeys} />
          </Card>
        </Section>
      </div>
    </>
  );
}
