import { LockIcon } from "@/components/icons";

/** What a non-admin sees on an admin-only page: what it is, and who can do it. */
export function AdminOnly({ what, role, children }: { what: string; role: string; children?: React.ReactNode }) {
  return (
    <div className="rounded-xl border border-slate-200 bg-white px-6 py-10 text-center shadow-sm" data-testid="admin-only">
      <div className="mx-auto mb-3 flex size-11 items-center justify-center rounded-full bg-slate-100 text-slate-500">
        <LockIcon />
      </div>
      <h2 className="text-base font-semibold text-slate-900">Admins only</h2>
      <p className="mx-auto mt-1.5 max-w-md text-sm text-slate-600">
        {what} needs the admin role; you are signed in as {role === "editor" ? "an editor" : `a ${role}`}. Ask an admin if you need this.
      </p>
      {children ? <div className="mx-auto mt-4 max-w-md text-left text-sm text-slate-600">{children}</div> : null}
    </div>
  );
}
