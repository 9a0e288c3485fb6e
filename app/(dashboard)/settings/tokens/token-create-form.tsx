"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { CopyButton } from "@/components/copy-button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { AlertIcon } from "@/components/icons";
import { ScriptedForm } from "@/components/scripted-form";
import { SelectField } from "@/components/select-field";
import { useToast } from "@/components/toast-provider";
import { UsageSnippets } from "@/components/usage-snippets";
import { SCOPE_HELP } from "@/lib/auth/scope";
import { tokenRunSnippet } from "@/lib/usage-snippets";
import { createTokenAction } from "./actions";

import type { TokenFormValues } from "./token-form-schema";

const resolver = lazyZodResolver<TokenFormValues, typeof import("./token-form-schema")>(
  () => import("./token-form-schema"),
  (m) => m.tokenFormSchema,
  { raw: true },
);

/** Creates a token, then shows it once: copy it now, it is stored only as a hash. */
export function TokenCreateForm({ publicUrl }: { publicUrl: string }) {
  const toast = useToast();
  const [created, setCreated] = useState<{ token: string; name: string; role: string; scope: string | null } | null>(null);
  const [banner, setBanner] = useState<string | null>(null);
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError, reset } = useForm<TokenFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: { name: "", role: "editor", scope: "", expiresInDays: "" },
  });

  async function onSubmit(values: TokenFormValues) {
    setBanner(null);
    const result = await createTokenAction({
      name: values.name,
      role: values.role,
      scope: values.scope.trim() || null,
      expiresInDays: values.expiresInDays ? Number(values.expiresInDays) : null,
    });
    if (!result.ok) return setBanner(applyServerErrors(setError, result, ["name", "role", "scope", "expiresInDays"]));
    const { view } = result.data;
    setCreated({ token: result.data.token, name: view.name, role: view.role, scope: view.scope });
    reset();
    toast.success(`Token “${result.data.view.name}” created.`);
  }

  if (created) {
    return (
      <div className="space-y-4" data-testid="new-token">
        <div className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <AlertIcon className="mt-0.5 size-5 shrink-0 text-amber-600" />
          <p>
            <strong>Copy this token now.</strong> It is shown only once: Provenance keeps just a hash of it. If you lose it, revoke it and
            create another.
          </p>
        </div>
        <div>
          <p className="mb-1.5 text-sm font-medium text-slate-800" id="new-token-label">
            Token “{created.name}”
          </p>
          <div className="flex flex-col gap-2 sm:flex-row sm:items-center">
            <code
              aria-labelledby="new-token-label"
              data-testid="token-value"
              className="flex-1 rounded-md border border-slate-200 bg-slate-900 px-3 py-2 font-mono text-sm break-all text-emerald-200"
            >
              {created.token}
            </code>
            <CopyButton value={created.token} label="Copy token" />
          </div>
        </div>
        {created.role === "viewer" ? (
          <p className="text-xs text-slate-500">
            A viewer token lists secrets&apos; metadata, never values: use it as{" "}
            <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> with <code className="font-mono">/api/secrets</code>.
          </p>
        ) : (
          // The token is not repeated here: it stays in the one place above that shows it.
          <UsageSnippets snippets={[tokenRunSnippet(created.scope, publicUrl, "new-token-run")]} />
        )}
        <Button variant="secondary" onClick={() => setCreated(null)}>
          Done, I have copied it
        </Button>
      </div>
    );
  }

  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1">
      <Field
        id="token-name"
        label="Name"
        required
        autoComplete="off"
        placeholder="deploy-bot"
        hint="Who or what uses it, e.g. the CI job or the service name."
        error={formState.errors.name?.message}
        {...register("name")}
      />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <SelectField id="token-role" label="Role" required error={formState.errors.role?.message} {...register("role")}>
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
          <option value="admin">admin</option>
        </SelectField>
        <SelectField
          id="token-expiry"
          label="Expires"
          optionalLabel={false}
          error={formState.errors.expiresInDays?.message}
          {...register("expiresInDays")}
        >
          <option value="">Never</option>
          <option value="30">In 30 days</option>
          <option value="90">In 90 days</option>
          <option value="365">In a year</option>
        </SelectField>
      </div>
      <p className="-mt-1 pb-4 text-xs leading-relaxed text-slate-500">
        <strong className="font-medium text-slate-600">viewer</strong> lists metadata;{" "}
        <strong className="font-medium text-slate-600">editor</strong> also reads values and changes secrets;{" "}
        <strong className="font-medium text-slate-600">admin</strong> can do everything.
      </p>
      <Field
        id="token-scope"
        label="Path scope"
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        placeholder="stripe.*"
        hint={`Limits the token to matching secrets. ${SCOPE_HELP}. Empty: every secret.`}
        error={formState.errors.scope?.message}
        {...register("scope")}
      />
      <div className={banner ? "pb-3" : ""}>
        <FormBanner message={banner} />
      </div>
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : "Create token"}
      </Button>
    </ScriptedForm>
  );
}
