import { AppLink } from "@/components/app-link";
import { buttonClasses } from "@/components/button-styles";
import { CONTROL_CLASSES } from "@/components/field-frame";
import { ACTION_FAMILIES, actionLabel, OUTCOMES } from "./action-labels";

export interface AuditFilterValues {
  actor: string;
  action: string;
  target: string;
  outcome: string;
  from: string;
  to: string;
}

/** The audit log's filters as a GET form, so a filtered view is a link that can be shared. */
export function AuditFilters({ values, actions, actors }: { values: AuditFilterValues; actions: string[]; actors: string[] }) {
  const active = Object.values(values).some(Boolean);
  const label = "mb-1 block text-xs font-medium text-slate-600";
  return (
    <form
      method="get"
      action="/audit"
      role="search"
      aria-label="Filter the audit log"
      className="mb-4 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
    >
      <div className="grid grid-cols-2 gap-3 lg:grid-cols-6">
        <div className="col-span-2">
          <label htmlFor="audit-actor" className={label}>
            Actor
          </label>
          <input
            id="audit-actor"
            name="actor"
            list="audit-actors"
            defaultValue={values.actor}
            placeholder="email or token name"
            autoComplete="off"
            className={CONTROL_CLASSES}
          />
          <datalist id="audit-actors">
            {actors.map((a) => (
              <option key={a} value={a} />
            ))}
          </datalist>
        </div>
        <div className="col-span-2">
          <label htmlFor="audit-target" className={label}>
            Target
          </label>
          <input
            id="audit-target"
            name="target"
            defaultValue={values.target}
            placeholder="secret path, connection, user…"
            autoComplete="off"
            className={CONTROL_CLASSES}
          />
        </div>
        <div className="lg:col-span-2">
          <label htmlFor="audit-action" className={label}>
            Action
          </label>
          <select id="audit-action" name="action" defaultValue={values.action} className={CONTROL_CLASSES}>
            <option value="">All actions</option>
            <optgroup label="Groups">
              {ACTION_FAMILIES.map((f) => (
                <option key={f.value} value={f.value}>
                  {f.label}
                </option>
              ))}
            </optgroup>
            <optgroup label="Actions">
              {actions.map((a) => (
                <option key={a} value={a}>
                  {actionLabel(a)}
                </option>
              ))}
            </optgroup>
          </select>
        </div>
        <div className="lg:col-span-2">
          <label htmlFor="audit-outcome" className={label}>
            Outcome
          </label>
          <select id="audit-outcome" name="outcome" defaultValue={values.outcome} className={CONTROL_CLASSES}>
            <option value="">Any outcome</option>
            {Object.entries(OUTCOMES).map(([value, o]) => (
              <option key={value} value={value}>
                {o.label}
              </option>
            ))}
          </select>
        </div>
        <div>
          <label htmlFor="audit-from" className={label}>
            From (UTC)
          </label>
          <input id="audit-from" name="from" type="date" defaultValue={values.from} className={CONTROL_CLASSES} />
        </div>
        <div>
          <label htmlFor="audit-to" className={label}>
            To (UTC)
          </label>
          <input id="audit-to" name="to" type="date" defaultValue={values.to} className={CONTROL_CLASSES} />
        </div>
        <div className="col-span-2 flex items-end gap-2">
          <button type="submit" className={buttonClasses("secondary")}>
            Filter
          </button>
          {active ? (
            <AppLink href="/audit" className={buttonClasses("ghost")}>
              Clear
            </AppLink>
          ) : null}
        </div>
      </div>
    </form>
  );
}
