import type { Metadata } from "next";
import { timeAgo } from "@/components/format-time";
import { PageHeader } from "@/components/page-header";
import { Panel } from "@/components/panel";
import { RoleBadge } from "@/components/role-badge";
import { can } from "@/lib/auth/permissions";
import { listTrustPolicies, type TrustPolicyView } from "@/lib/trust-policies/manage-trust-policies";
import { currentActor } from "../../current-actor";
import { AdminOnly } from "../admin-only";
import { DeleteTrustPolicyButton } from "./delete-trust-policy-button";
import { TrustPolicyCreateForm } from "./trust-policy-create-form";

export const metadata: Metadata = { title: "Trust policies" };
export const dynamic = "force-dynamic";

export default async function TrustPoliciesPage() {
  const actor = await currentActor();
  const header = (
    <PageHeader
      title="Trust policies"
      description="Programs with an OIDC ID token (GitHub Actions, GitLab CI, Kubernetes) trade it for a short-lived token at POST /api/auth/token-exchange, without a stored secret. A policy says which tokens to trust and what they get."
    />
  );
  if (!can(actor.role, "listTrustPolicies")) {
    return (
      <>
        {header}
        <AdminOnly what="Managing trust policies" role={actor.role} />
      </>
    );
  }
  const policies = await listTrustPolicies();
  return (
    <>
      {header}
      <div className="grid gap-6 xl:grid-cols-[24rem_minmax(0,1fr)]">
        <Panel title="Create a policy" className="self-start">
          <TrustPolicyCreateForm />
        </Panel>
        <section aria-labelledby="policies-heading" className="min-w-0">
          <h2 id="policies-heading" className="sr-only">
            Policies
          </h2>
          {policies.length === 0 ? (
            <div className="rounded-xl border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-sm text-slate-600">
              <p className="font-semibold text-slate-900">No trust policies yet</p>
              <p className="mt-1">Add one per pipeline or workload, with the narrowest claims, role and scope it needs.</p>
            </div>
          ) : (
            <ul className="divide-y divide-slate-100 overflow-hidden rounded-xl border border-slate-200 bg-white shadow-sm">
              {policies.map((policy) => (
                <PolicyRow key={policy.id} policy={policy} />
              ))}
            </ul>
          )}
          <p className="mt-3 text-xs text-slate-500">
            Policies are tried in name order; the first whose issuer, audience and claims all match issues the token.
          </p>
        </section>
      </div>
    </>
  );
}

function PolicyRow({ policy }: { policy: TrustPolicyView }) {
  return (
    <li
      className="flex flex-col gap-3 px-4 py-3.5 sm:flex-row sm:items-center"
      data-testid="trust-policy-row"
      data-policy-name={policy.name}
    >
      <div className="min-w-0 flex-1">
        <div className="flex flex-wrap items-center gap-2">
          <span className="font-medium text-slate-900">{policy.name}</span>
          <RoleBadge role={policy.role} />
        </div>
        <p className="mt-1 flex flex-wrap gap-x-3 gap-y-0.5 text-xs text-slate-500">
          <span className="break-all">
            issuer <code className="font-mono text-slate-700">{policy.issuer}</code>
          </span>
          <span className="break-all">
            audience <code className="font-mono text-slate-700">{policy.audience}</code>
          </span>
          <span>
            scope <code className="font-mono text-slate-700">{policy.scope}</code>
          </span>
          <span>tokens live {Math.round(policy.ttlSeconds / 60)} min</span>
          <span>created {timeAgo(policy.createdAt)}</span>
        </p>
        <ul className="mt-1 space-y-0.5 text-xs text-slate-600">
          {Object.entries(policy.claims).map(([name, pattern]) => (
            <li key={name} className="break-all">
              <code className="font-mono">
                {name} = {pattern}
              </code>
            </li>
          ))}
        </ul>
      </div>
      <div className="self-start sm:self-auto">
        <DeleteTrustPolicyButton id={policy.id} name={policy.name} />
      </div>
    </li>
  );
}
