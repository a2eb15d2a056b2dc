// The roles as a group of checkboxes, each with what the role is for. Used by the new-user
// form and the per-user role editor; submitted as repeated `roles` values.

export interface RoleOption {
  key: string;
  name: string;
  description: string | null;
}

export function RoleCheckboxes({
  idPrefix,
  legend,
  roles,
  checked,
  errorId,
}: {
  idPrefix: string;
  legend: string;
  roles: RoleOption[];
  checked: string[];
  errorId?: string;
}) {
  return (
    <fieldset aria-describedby={errorId}>
      <legend className="text-sm font-medium text-slate-700">{legend}</legend>
      <ul className="mt-2 grid gap-2 sm:grid-cols-2">
        {roles.map((role) => {
          const id = `${idPrefix}-${role.key}`;
          return (
            <li key={role.key} className="flex items-start gap-2">
              <input
                id={id}
                type="checkbox"
                name="roles"
                value={role.key}
                defaultChecked={checked.includes(role.key)}
                aria-describedby={role.description ? `${id}-description` : undefined}
                className="mt-0.5 size-4 shrink-0 rounded border-slate-300 accent-slate-900"
              />
              <div className="text-sm leading-tight">
                <label htmlFor={id} className="font-medium text-slate-900">
                  {role.name}
                </label>
                {role.description ? (
                  <p id={`${id}-description`} className="text-xs text-slate-500">
                    {role.description}
                  </p>
                ) : null}
              </div>
            </li>
          );
        })}
      </ul>
    </fieldset>
  );
}
