import { AppLink } from "@/components/app-link";
import { buttonClasses } from "@/components/button-styles";
import { CONTROL_CLASSES } from "@/components/field-frame";
import { PROVIDER_TYPES, providerDefinitions } from "@/lib/providers/registry";

/**
 * Filters as a plain GET form: the URL holds them (shareable, back button works) and it works
 * before JavaScript loads. A connection filter arrives from a link and shows as a removable chip.
 */
export function SecretFilters({
  prefix,
  provider,
  view,
  connection,
  error,
}: {
  prefix: string;
  provider: string;
  /** The flat list keeps being the flat list when filtered again. */
  view: "folders" | "list";
  connection: { id: string; name: string } | null;
  error: string | null;
}) {
  return (
    <form
      method="get"
      action="/secrets"
      role="search"
      aria-label="Filter secrets"
      className="mb-4 rounded-xl border border-slate-200 bg-white p-3 shadow-sm"
    >
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <div className="flex-1">
          <label htmlFor="filter-prefix" className="mb-1 block text-xs font-medium text-slate-600">
            Path prefix
          </label>
          <input
            id="filter-prefix"
            name="prefix"
            defaultValue={prefix}
            placeholder="e.g. stripe or db.primary"
            spellCheck={false}
            autoComplete="off"
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "filter-error" : undefined}
            className={`${CONTROL_CLASSES} font-mono`}
          />
        </div>
        <div className="sm:w-56">
          <label htmlFor="filter-provider" className="mb-1 block text-xs font-medium text-slate-600">
            Source
          </label>
          <select id="filter-provider" name="provider" defaultValue={provider} className={CONTROL_CLASSES}>
            <option value="">All sources</option>
            <option value="provenance">Stored in Provenance</option>
            {PROVIDER_TYPES.map((type) => (
              <option key={type} value={type}>
                {providerDefinitions[type].name}
              </option>
            ))}
          </select>
        </div>
        {connection ? <input type="hidden" name="secretProviderId" value={connection.id} /> : null}
        {view === "list" ? <input type="hidden" name="view" value="list" /> : null}
        <div className="flex gap-2">
          <button type="submit" className={buttonClasses("secondary")}>
            Filter
          </button>
          {prefix || provider || connection ? (
            <AppLink href="/secrets" className={buttonClasses("ghost")}>
              Clear
            </AppLink>
          ) : null}
        </div>
      </div>
      {connection ? (
        <p className="mt-2 flex flex-wrap items-center gap-2 text-sm text-slate-600">
          Showing secrets using the connection
          <span className="inline-flex items-center gap-1 rounded-full bg-brand-50 py-0.5 pr-1 pl-2.5 text-xs font-medium text-brand-700 ring-1 ring-brand-100">
            {connection.name}
            <AppLink
              href={`/secrets?${new URLSearchParams({ ...(prefix ? { prefix } : {}), ...(provider ? { provider } : {}) }).toString()}`}
              className="rounded-full px-1 hover:bg-brand-100"
              aria-label={`Stop filtering by ${connection.name}`}
            >
              ×
            </AppLink>
          </span>
        </p>
      ) : null}
      {error ? (
        <p id="filter-error" className="mt-2 text-xs font-medium text-red-600">
          {error}
        </p>
      ) : null}
    </form>
  );
}
