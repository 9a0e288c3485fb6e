import { AppLink } from "@/components/app-link";
import type { SecretFolder } from "@/lib/secrets/secret-folders";

/**
 * Where the folder view is: a breadcrumb of the prefix's segments (each a link to that level) and
 * the switch between folders and the flat list. Plain links: the URL (`?prefix=`) is the place.
 */
export function FolderBar({
  prefix,
  view,
  href,
  counts,
}: {
  prefix: string;
  view: "folders" | "list";
  href: (prefix: string, view?: "folders" | "list") => string;
  counts: { here: number; total: number } | null;
}) {
  const segments = prefix ? prefix.split(".") : [];
  return (
    <div className="mb-4 flex flex-col gap-2 sm:flex-row sm:items-center sm:justify-between">
      <nav aria-label="Folder path" className="min-w-0">
        <ol className="flex flex-wrap items-center gap-1 font-mono text-[13px] text-slate-600">
          <li>
            {segments.length === 0 ? (
              <span aria-current="page" className="font-sans font-medium text-slate-900">
                All secrets
              </span>
            ) : (
              <AppLink href={href("")} className="font-sans text-brand-700 hover:underline">
                All secrets
              </AppLink>
            )}
          </li>
          {segments.map((segment, i) => {
            const at = segments.slice(0, i + 1).join(".");
            const last = i === segments.length - 1;
            return (
              <li key={at} className="flex items-center gap-1">
                <span aria-hidden="true" className="text-slate-500">
                  /
                </span>
                {last ? (
                  <span aria-current="page" className="font-medium break-all text-slate-900">
                    {segment}
                  </span>
                ) : (
                  <AppLink href={href(at)} className="break-all text-brand-700 hover:underline">
                    {segment}
                  </AppLink>
                )}
              </li>
            );
          })}
        </ol>
        {counts && view === "folders" ? (
          <p className="mt-1 text-xs text-slate-600" data-testid="folder-counts">
            {counts.total} secret{counts.total === 1 ? "" : "s"} {prefix ? "under this prefix" : "in all"}, {counts.here} at this level
          </p>
        ) : null}
      </nav>
      <div className="flex shrink-0 gap-1 text-sm" role="group" aria-label="Show as">
        <ViewLink href={href(prefix, "folders")} current={view === "folders"} label="Folders" />
        <ViewLink href={href(prefix, "list")} current={view === "list"} label="One list" />
      </div>
    </div>
  );
}

function ViewLink({ href, current, label }: { href: string; current: boolean; label: string }) {
  const base = "rounded-md px-2.5 py-1 font-medium";
  return current ? (
    <span aria-current="true" className={`${base} bg-slate-900 text-white`}>
      {label}
    </span>
  ) : (
    <AppLink href={href} className={`${base} text-slate-700 ring-1 ring-slate-300 hover:bg-slate-50`}>
      {label}
    </AppLink>
  );
}

/** The folders under the current prefix, each with how many secrets it holds at any depth. */
export function FolderGrid({ folders, href }: { folders: SecretFolder[]; href: (prefix: string) => string }) {
  return (
    <section aria-labelledby="folders-heading" className="mb-4">
      <h2 id="folders-heading" className="sr-only">
        Folders
      </h2>
      <ul className="grid grid-cols-1 gap-2 sm:grid-cols-2 lg:grid-cols-3">
        {folders.map((folder) => (
          <li key={folder.prefix}>
            <AppLink
              href={href(folder.prefix)}
              className="hover:border-brand-300 flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-3 py-2.5 shadow-sm hover:bg-brand-50/40"
            >
              <svg
                viewBox="0 0 24 24"
                fill="none"
                stroke="currentColor"
                strokeWidth={1.6}
                strokeLinejoin="round"
                aria-hidden="true"
                className="size-5 shrink-0 text-brand-600"
              >
                <path d="M3.5 6.5a2 2 0 0 1 2-2h4l2 2.5h7a2 2 0 0 1 2 2v8.5a2 2 0 0 1-2 2h-13a2 2 0 0 1-2-2Z" />
              </svg>
              <span className="min-w-0 flex-1 truncate font-mono text-[13px] font-medium text-slate-900">{folder.name}</span>
              <span className="shrink-0 text-xs text-slate-600">
                {folder.count} secret{folder.count === 1 ? "" : "s"}
              </span>
            </AppLink>
          </li>
        ))}
      </ul>
    </section>
  );
}
