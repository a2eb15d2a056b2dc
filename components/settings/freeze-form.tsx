"use client";

import { useEffect, useRef, useState, useSyncExternalStore } from "react";
import { createFreezeWindowAction } from "@/app/environments/[key]/settings/actions";
import { InputField, SelectField, FieldErrors } from "@/components/ui/fields";
import { useFocusFirstInvalid, FormOutcome, errorsFor, useServerForm } from "@/components/ui/form";
import { primaryButtonClass } from "@/components/ui/buttons";

// A new freeze window: once (from a date and time to another) or every week (from a day and
// time to another). Times are wall-clock times in the chosen zone, which defaults to the
// browser's own; the server reads `datetime-local` values in that zone too.

export const FREEZE_FORM_HEADING = "freeze-new-heading";
const FALLBACK_ZONE = "Europe/Paris";
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"].map((label, i) => ({
  value: String(i),
  label,
}));

const noSubscription = () => () => {};
const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone;
// the server cannot know the reader's zone: it renders the fallback, the browser then its own
const serverZone = () => FALLBACK_ZONE;

export function SettingsFreezeForm({ environmentKey, timeZones }: { environmentKey: string; timeZones: string[] }) {
  const { state, pending, onSubmit } = useServerForm(createFreezeWindowAction);
  const form = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(state, form);
  // after an addition the reason and dates start empty again; the kind, the zone and the weekly
  // days stay as chosen (form.reset() would also undo the controlled radio and zone on screen)
  useEffect(() => {
    if (!state?.ok) return;
    for (const name of ["reason", "startsAt", "endsAt"]) {
      const field = form.current?.elements.namedItem(name);
      if (field instanceof HTMLInputElement) field.value = "";
    }
  }, [state]);
  const [kind, setKind] = useState<"one_off" | "weekly">("one_off");
  const [chosenZone, setChosenZone] = useState<string | null>(null);
  const detected = useSyncExternalStore(noSubscription, browserZone, serverZone);
  const zone = chosenZone ?? (timeZones.includes(detected) ? detected : FALLBACK_ZONE);
  const errors = (field: string) => errorsFor(state, field);

  return (
    <form ref={form} onSubmit={onSubmit} noValidate className="space-y-4">
      <h3 id={FREEZE_FORM_HEADING} tabIndex={-1} className="text-base font-semibold text-slate-900 focus:outline-none">
        Add a freeze window
      </h3>
      <input type="hidden" name="environmentKey" value={environmentKey} />
      <fieldset>
        <legend className="text-sm font-medium text-slate-700">How often</legend>
        <div className="mt-1 flex flex-wrap gap-x-6 gap-y-2">
          {(
            [
              ["one_off", "Once"],
              ["weekly", "Every week"],
            ] as const
          ).map(([value, label]) => (
            <label key={value} className="flex items-center gap-2 text-sm text-slate-900">
              <input
                type="radio"
                name="kind"
                value={value}
                checked={kind === value}
                onChange={() => setKind(value)}
                className="size-4 accent-slate-900"
              />
              {label}
            </label>
          ))}
        </div>
        <FieldErrors id="freeze-kind-error" messages={errors("kind")} />
      </fieldset>
      <div className="grid gap-4 sm:grid-cols-2">
        <InputField
          id="freeze-reason"
          name="reason"
          label="Reason"
          autoComplete="off"
          placeholder="Black Friday: no changes to checkout"
          hint="Shown to anyone whose promotion it holds back."
          errors={errors("reason")}
        />
        <SelectField
          id="freeze-time-zone"
          name="timeZone"
          label="Time zone"
          value={zone}
          onChange={(e) => setChosenZone(e.currentTarget.value)}
          options={timeZones.map((z) => ({ value: z, label: z.replaceAll("_", " ") }))}
          hint="The times below are read in this zone; weekly windows follow its daylight-saving changes."
          errors={errors("timeZone")}
        />
      </div>
      {kind === "one_off" ? (
        <div className="grid gap-4 sm:grid-cols-2">
          <InputField
            id="freeze-starts"
            name="startsAt"
            label="Starts"
            type="datetime-local"
            errors={errors("startsAt")}
          />
          <InputField id="freeze-ends" name="endsAt" label="Ends" type="datetime-local" errors={errors("endsAt")} />
        </div>
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <fieldset className="grid grid-cols-2 gap-2">
            <legend className="text-sm font-medium text-slate-700">Starts every</legend>
            <SelectField
              id="freeze-weekday"
              name="weekday"
              label="Day"
              defaultValue="5"
              options={WEEKDAYS}
              errors={errors("weekday")}
            />
            <InputField
              id="freeze-start-time"
              name="startTime"
              label="Time"
              type="time"
              defaultValue="16:00"
              errors={errors("startMinute")}
            />
          </fieldset>
          <fieldset className="grid grid-cols-2 gap-2">
            <legend className="text-sm font-medium text-slate-700">Until the next</legend>
            <SelectField
              id="freeze-end-weekday"
              name="endWeekday"
              label="Day"
              defaultValue="1"
              options={WEEKDAYS}
              errors={[]}
            />
            <InputField
              id="freeze-end-time"
              name="endTime"
              label="Time"
              type="time"
              defaultValue="08:00"
              errors={errors("durationMinutes")}
            />
          </fieldset>
        </div>
      )}
      <div className="flex flex-wrap items-center gap-4">
        <button type="submit" className={primaryButtonClass} disabled={pending}>
          {pending ? "Adding…" : "Add freeze window"}
        </button>
        <div className="min-w-0 flex-1">
          <FormOutcome state={state} success="Freeze window added." />
        </div>
      </div>
    </form>
  );
}
