import type { Metadata } from "next";
import { Badge } from "@/components/badge";
import { formatDateTime, timeAgo } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { can } from "@/lib/auth/permissions";
import { listUsers } from "@/lib/users/manage-users";
import { currentActor } from "../../current-actor";
import { AdminOnly } from "../admin-only";
import { UserCreateForm } from "./user-create-form";
import { UserRowActions } from "./user-row-actions";

export const metadata: Metadata = { title: "Users" };
export const dynamic = "force-dynamic";

export default async function UsersPage() {
  const actor = await currentActor();
  const header = <PageHeader title="Users" description="People who sign in to this dashboard, and what their role lets them do." />;
  if (!can(actor.role, "manageUsers")) {
    return (
      <>
        {header}
        <AdminOnly what="Managing users" role={actor.role} />
      </>
    );
  }
  const users = await listUsers();
  return (
    <>
      {header}
      <div className="grid gap-6 xl:grid-cols-[minmax(0,1fr)_22rem]">
        <section aria-labelledby="users-heading" className="min-w-0">
          <h2 id="users-heading" className="sr-only">
            All users
          </h2>
          <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
            {users.map((user) => (
              <li
                key={user.id}
                className="flex flex-col gap-3 px-4 py-3.5 sm:flex-row sm:items-center"
                data-testid="user-row"
                data-email={user.email}
              >
                <div className="min-w-0 flex-1">
                  <p className="flex flex-wrap items-center gap-2">
                    <span className={`font-medium break-all ${user.disabled ? "text-slate-600 line-through" : "text-slate-900"}`}>
                      {user.email}
                    </span>
                    {user.id === actor.id ? <Badge tone="brand">you</Badge> : null}
                    {user.disabled ? <Badge tone="danger">disabled</Badge> : null}
                  </p>
                  <p className="mt-0.5 text-xs text-slate-500">
                    {user.name ? `${user.name} · ` : ""}
                    <span title={user.lastSignInAt ? formatDateTime(user.lastSignInAt) : undefined}>
                      {user.lastSignInAt ? `signed in ${timeAgo(user.lastSignInAt)}` : "never signed in"}
                    </span>{" "}
                    · added {timeAgo(user.createdAt)}
                  </p>
                </div>
                <UserRowActions user={user} isSelf={user.id === actor.id} />
              </li>
            ))}
          </ul>
        </section>
        <Panel title="Add a user" className="self-start">
          <UserCreateForm />
        </Panel>
      </div>
    </>
  );
}
