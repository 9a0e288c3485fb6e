"use client";

import type { UseFormRegisterReturn } from "react-hook-form";
import { Badge } from "@/components/badge";

export interface ProviderTypeInfo {
  type: string;
  name: string;
  description: string;
  sdk: { package: string | null; installed: boolean };
}

const MARKS: Record<string, { letter: string; className: string }> = {
  "aws-sm": { letter: "AWS", className: "bg-orange-100 text-orange-700" },
  "azure-kv": { letter: "Az", className: "bg-sky-100 text-sky-700" },
  "gcp-sm": { letter: "GCP", className: "bg-emerald-100 text-emerald-700" },
  vault: { letter: "V", className: "bg-yellow-100 text-yellow-800" },
};

/** The provider types as radio cards: name, what it is, and whether its SDK is installed here. */
export function ProviderTypePicker({
  types,
  selected,
  registration,
  error,
}: {
  types: ProviderTypeInfo[];
  selected: string;
  registration: UseFormRegisterReturn;
  error?: string;
}) {
  return (
    <fieldset aria-describedby={error ? "type-error" : undefined}>
      <legend className="sr-only">Provider type</legend>
      <div className="grid gap-3 sm:grid-cols-2">
        {types.map((info) => {
          const mark = MARKS[info.type] ?? { letter: "?", className: "bg-slate-100 text-slate-700" };
          const checked = selected === info.type;
          return (
            <label
              key={info.type}
              className={`relative flex cursor-pointer gap-3 rounded-lg border p-4 transition-colors has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-brand-500 ${
                checked ? "border-brand-500 bg-brand-50/60 ring-1 ring-brand-500" : "border-slate-200 bg-white hover:border-slate-300"
              }`}
            >
              <input type="radio" value={info.type} className="sr-only" {...registration} />
              <span
                className={`flex size-10 shrink-0 items-center justify-center rounded-md text-xs font-bold ${mark.className}`}
                aria-hidden="true"
              >
                {mark.letter}
              </span>
              <span className="min-w-0 flex-1">
                <span className="block text-sm font-semibold text-slate-900">{info.name}</span>
                <span className="mt-0.5 block text-xs text-slate-600">{info.description}</span>
                <span className="mt-2 block">
                  {info.sdk.package === null ? (
                    <Badge tone="neutral">No SDK needed</Badge>
                  ) : info.sdk.installed ? (
                    <Badge tone="success">SDK installed</Badge>
                  ) : (
                    <Badge tone="warning">SDK missing: npm install {info.sdk.package.replace(" + ", " ")}</Badge>
                  )}
                </span>
              </span>
              {checked ? <span className="absolute top-3 right-3 size-2.5 rounded-full bg-brand-600" aria-hidden="true" /> : null}
            </label>
          );
        })}
      </div>
      <p id="type-error" aria-live="polite" className="mt-1.5 min-h-4 text-xs font-medium text-red-600">
        {error ?? ""}
      </p>
    </fieldset>
  );
}
