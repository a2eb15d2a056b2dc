"use client";

import { useState } from "react";
import { saveChannelAction } from "@/app/notifications/settings/actions";
import { primaryButtonClass } from "@/components/ui/buttons";
import { CheckboxField, FieldErrors, InputField, SelectField } from "@/components/ui/fields";
import { errorsFor, FormOutcome, useFocusFirstInvalid, useServerForm } from "@/components/ui/form";
import type { ChannelView } from "@/lib/data/notifications/settings-read";
import { NOTIFICATION_KIND_META, NOTIFICATION_KINDS } from "@/lib/domain/notifications";

// A chat or webhook channel: where it posts (a URL, or the environment variable holding it —
// a Slack URL is a secret), how (Slack's format or signed Standard Webhooks events), and what
// it hears (an environment or all, an application or all, some kinds or all).

export interface ChannelFormPlaces {
  /** may make channels for every environment */
  global: boolean;
  environments: { key: string; name: string }[];
  applications: { key: string; name: string }[];
}

export function ChannelForm({ channel, places }: { channel?: ChannelView; places: ChannelFormPlaces }) {
  const { state, pending, formRef, onSubmit } = useServerForm(saveChannelAction);
  useFocusFirstInvalid(state, formRef);
  const [format, setFormat] = useState(channel?.format ?? "slack");
  const [source, setSource] = useState<"env" | "url">(channel?.url ? "url" : "env");
  const id = channel ? `channel-${channel.id}` : "channel-new";
  const errors = (field: string) => errorsFor(state, field);
  const placeOptions = [
    ...(places.global ? [{ value: "", label: "Every environment" }] : []),
    ...places.environments.map((e) => ({ value: e.key, label: e.name })),
  ];
  const kinds = new Set(channel?.kinds ?? []);
  return (
    <form
      ref={formRef}
      onSubmit={onSubmit}
      noValidate
      className="space-y-4"
      aria-label={channel ? `Channel ${channel.name}` : "New channel"}
    >
      {channel ? <input type="hidden" name="channelId" value={channel.id} /> : null}
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          id={`${id}-name`}
          name="name"
          label="Name"
          defaultValue={channel?.name ?? ""}
          errors={errors("name")}
        />
        {channel ? (
          <>
            <input type="hidden" name="environmentKey" value={channel.environmentKey ?? ""} />
            <div>
              <p className="block text-sm font-medium text-slate-700">Environment</p>
              <p className="mt-2 text-sm text-slate-900">{channel.environmentName ?? "Every environment"}</p>
            </div>
          </>
        ) : (
          <SelectField
            id={`${id}-environment`}
            name="environmentKey"
            label="Environment"
            options={placeOptions}
            errors={errors("environmentKey")}
          />
        )}
      </div>
      <div className="grid gap-4 sm:grid-cols-2">
        <SelectField
          id={`${id}-format`}
          name="format"
          label="Format"
          value={format}
          onChange={(e) => setFormat(e.target.value === "standard_webhooks" ? "standard_webhooks" : "slack")}
          options={[
            { value: "slack", label: "Slack incoming webhook (also Mattermost, Rocket.Chat)" },
            { value: "standard_webhooks", label: "Standard Webhooks (signed JSON events)" },
          ]}
          errors={errors("format")}
        />
        <SelectField
          id={`${id}-application`}
          name="applicationKey"
          label="Application"
          defaultValue={channel?.applicationKey ?? ""}
          options={[
            { value: "", label: "Every application" },
            ...places.applications.map((a) => ({ value: a.key, label: a.name })),
          ]}
          errors={errors("applicationKey")}
        />
      </div>
      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-700">Where it posts</legend>
        <div className="flex flex-wrap gap-4 text-sm">
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="urlSource"
              value="env"
              checked={source === "env"}
              onChange={() => setSource("env")}
            />
            From an environment variable (recommended: the URL is a secret)
          </label>
          <label className="flex items-center gap-2">
            <input
              type="radio"
              name="urlSource"
              value="url"
              checked={source === "url"}
              onChange={() => setSource("url")}
            />
            A URL stored here
          </label>
        </div>
        {source === "env" ? (
          <InputField
            id={`${id}-url-env`}
            name="urlEnvVar"
            label="URL environment variable"
            hint={
              channel?.urlEnvVar
                ? `${channel.urlEnvVar} is ${channel.urlSet ? "set" : "not set"} on the server.`
                : "e.g. SLACK_DEPLOYS_WEBHOOK_URL, set on the Greenlight server."
            }
            defaultValue={channel?.urlEnvVar ?? ""}
            spellCheck={false}
            errors={errors("urlEnvVar")}
          />
        ) : (
          <InputField
            id={`${id}-url`}
            name="url"
            type="url"
            label="URL"
            defaultValue={channel?.url ?? ""}
            placeholder="https://hooks.example.com/greenlight"
            errors={errors("url")}
          />
        )}
        {source === "env" ? <FieldErrors id={`${id}-url-error`} messages={errors("url")} /> : null}
      </fieldset>
      {format === "standard_webhooks" ? (
        <InputField
          id={`${id}-secret`}
          name="secretEnvVar"
          label="Signing secret environment variable"
          hint={
            channel?.secretEnvVar
              ? `${channel.secretEnvVar} is ${channel.secretSet ? "set" : "not set"} on the server.`
              : "The variable holding the whsec_… secret receivers verify with."
          }
          defaultValue={channel?.secretEnvVar ?? ""}
          spellCheck={false}
          errors={errors("secretEnvVar")}
        />
      ) : null}
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">Events</legend>
        <p id={`${id}-kinds-hint`} className="text-xs text-slate-500">
          None ticked: every event.
        </p>
        <div className="mt-2 grid gap-2 sm:grid-cols-2">
          {NOTIFICATION_KINDS.map((kind) => (
            <label key={kind} className="flex items-center gap-2 text-sm text-slate-800">
              <input
                type="checkbox"
                name="kinds"
                value={kind}
                defaultChecked={kinds.has(kind)}
                className="size-4 accent-slate-900"
              />
              {NOTIFICATION_KIND_META[kind].label}
            </label>
          ))}
        </div>
        <FieldErrors id={`${id}-kinds-error`} messages={errors("kinds")} />
      </fieldset>
      <CheckboxField
        id={`${id}-enabled`}
        name="enabled"
        label="Enabled"
        defaultChecked={channel?.enabled ?? true}
        errors={errors("enabled")}
      />
      <FormOutcome state={state} success={channel ? "Channel saved." : "Channel added."} />
      <button type="submit" className={primaryButtonClass} disabled={pending}>
        {pending ? "Saving…" : channel ? "Save channel" : "Add channel"}
      </button>
    </form>
  );
}
