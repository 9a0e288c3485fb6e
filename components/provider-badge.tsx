import { providerDefinitions, isProviderType } from "@/lib/providers/registry";

/** A secret's source or a connection's type, with a colour per manager so lists scan quickly. */
const COLORS: Record<string, string> = {
  provenance: "bg-brand-500",
  "aws-sm": "bg-orange-500",
  "azure-kv": "bg-sky-500",
  "gcp-sm": "bg-emerald-500",
  vault: "bg-yellow-400",
};

export function providerName(type: string): string {
  if (type === "provenance") return "Provenance";
  return isProviderType(type) ? providerDefinitions[type].name : type;
}

export function ProviderBadge({ type, detail }: { type: string; detail?: string | null }) {
  return (
    <span className="inline-flex max-w-full items-center gap-1.5 rounded-md bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700">
      <span className={`size-2 shrink-0 rounded-full ${COLORS[type] ?? "bg-slate-400"}`} aria-hidden="true" />
      <span className="truncate">
        {providerName(type)}
        {detail ? <span className="font-normal text-slate-600"> · {detail}</span> : null}
      </span>
    </span>
  );
}
