"use client";

import { PROVENANCE_PROVIDER } from "@/lib/secrets/provenance-provider";
import type { ProviderOption } from "./provider-options";

/** Where a secret's value lives: in Provenance, or in one of the external managers. */
export function SourcePicker({
  value,
  providers,
  counts,
  onChange,
  error,
}: {
  value: string;
  providers: ProviderOption[];
  counts: Record<string, number>;
  onChange: (source: string) => void;
  error?: string;
}) {
  const options = [
    { key: PROVENANCE_PROVIDER, name: "Stored in Provenance", detail: "Encrypted here" },
    ...providers.map(({ type, name }) => ({
      key: type,
      name,
      detail: counts[type] ? `${counts[type]} connection${counts[type] === 1 ? "" : "s"}` : "No connections yet",
    })),
  ];
  return (
    <fieldset aria-describedby={error ? "provider-error" : undefined}>
      <legend className="mb-1.5 text-sm font-medium text-slate-800">
        Where the value lives{" "}
        <span className="text-red-600" aria-hidden="true">
          *
        </span>
      </legend>
      <div className="grid grid-cols-2 gap-2 lg:grid-cols-3">
        {options.map((option) => {
          const checked = value === option.key;
          return (
            <label
              key={option.key}
              className={`flex cursor-pointer flex-col rounded-lg border px-3 py-2.5 text-sm transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${
                checked ? "border-brand-500 bg-brand-50/60 ring-1 ring-brand-500" : "border-slate-200 bg-white hover:border-slate-300"
              }`}
            >
              <input
                type="radio"
                name="provider"
                value={option.key}
                checked={checked}
                onChange={() => onChange(option.key)}
                className="sr-only"
              />
              <span className="font-medium text-slate-900">{option.name}</span>
              <span className="text-xs text-slate-600">{option.detail}</span>
            </label>
          );
        })}
      </div>
      <p id="provider-error" aria-live="polite" className="mt-1.5 min-h-4 text-xs font-medium text-red-600">
        {error ?? ""}
      </p>
    </fieldset>
  );
}
