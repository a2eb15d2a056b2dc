import { FieldErrors, inputClass } from "@/components/ui/fields";

// Which application the release belongs to. A lone application is chosen already; with several,
// nobody should create a release for the wrong one by leaving the first option in place.

export interface ApplicationOption {
  key: string;
  name: string;
}

export function ReleaseNewApplication({
  applications,
  defaultApplication,
  errors,
}: {
  applications: ApplicationOption[];
  defaultApplication?: string;
  errors: string[];
}) {
  const preset = defaultApplication ?? (applications.length === 1 ? applications[0]?.key : undefined);
  return (
    <div>
      <label htmlFor="release-application" className="block text-sm font-medium text-slate-700">
        Application
      </label>
      <select
        id="release-application"
        name="application"
        required
        defaultValue={preset ?? ""}
        aria-invalid={errors.length ? true : undefined}
        aria-describedby={errors.length ? "release-application-error" : undefined}
        className={inputClass}
      >
        {preset ? null : <option value="">Choose an application</option>}
        {applications.map((a) => (
          <option key={a.key} value={a.key}>
            {a.name} ({a.key})
          </option>
        ))}
      </select>
      <FieldErrors id="release-application-error" messages={errors} />
    </div>
  );
}
