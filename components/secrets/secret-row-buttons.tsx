/**
 * A list row's clipboard buttons, rendered on the server for a page without React; the behaviour
 * is public/dashboard.js's (one listener for the whole table). Copy path writes the path. Copy
 * value reads the value through the resolve endpoint (audited as a read, like Reveal) and hands
 * it straight to the clipboard: it is never put into the page. Shown to those who may read values.
 */
export function SecretRowButtons({ secretPath, canReadValue }: { secretPath: string; canReadValue: boolean }) {
  return (
    <div className="flex justify-end gap-1">
      <IconButton label={`Copy path ${secretPath}`} copy="path" secretPath={secretPath}>
        <path d="M8 4h8a2 2 0 0 1 2 2v10M6 8h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2Z" />
      </IconButton>
      {canReadValue ? (
        <IconButton label={`Copy value of ${secretPath}`} copy="value" secretPath={secretPath}>
          <circle cx="8" cy="15" r="4" />
          <path d="m10.85 12.15 8.15-8.15M16 7l2.5 2.5M14 9l2 2" />
        </IconButton>
      ) : null}
    </div>
  );
}

function IconButton({
  label,
  copy,
  secretPath,
  children,
}: {
  label: string;
  copy: "path" | "value";
  secretPath: string;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      data-copy={copy}
      data-secret-path={secretPath}
      aria-label={label}
      title={label}
      className="inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50"
    >
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.6}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="size-4"
      >
        {children}
      </svg>
    </button>
  );
}
