"use client";

import { useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { ScriptedForm } from "@/components/scripted-form";
import { SelectField } from "@/components/select-field";
import { TextAreaField } from "@/components/text-area-field";
import { useToast } from "@/components/toast-provider";
import { SCOPE_HELP } from "@/lib/auth/scope";
import { createTrustPolicyAction } from "./actions";
import { claimErrors, parseClaimLines } from "@/lib/trust-policies/claim-lines";

type PolicyFormValues = {
  name: string;
  issuer: string;
  audience: string;
  claims: string;
  role: "editor" | "viewer";
  scope: string;
  ttlSeconds: string;
};

const GITHUB = "https://token.actions.githubusercontent.com";

/**
 * Creates a trust policy through the same lib code as POST /api/trust-policies. The rules (issuer
 * URL, scope, ttl) are checked by the server, which knows whether http issuers are allowed; the
 * form only makes sure the required boxes are filled and the claim lines can be read.
 */
export function TrustPolicyCreateForm() {
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  const { register, handleSubmit, formState, setError, reset } = useForm<PolicyFormValues>({
    mode: "onTouched",
    defaultValues: { name: "", issuer: GITHUB, audience: "", claims: "", role: "viewer", scope: "", ttlSeconds: "900" },
  });

  async function onSubmit(values: PolicyFormValues) {
    setBanner(null);
    const parsed = parseClaimLines(values.claims);
    if ("error" in parsed) return setError("claims", { type: "format", message: parsed.error }, { shouldFocus: true });
    const result = await createTrustPolicyAction({
      name: values.name,
      issuer: values.issuer,
      audience: values.audience,
      claims: parsed.claims,
      role: values.role,
      scope: values.scope,
      ttlSeconds: Number(values.ttlSeconds),
    });
    if (!result.ok) {
      const { fields, claims } = claimErrors(result.fields);
      if (claims) setError("claims", { type: "server", message: claims });
      const left = applyServerErrors(setError, { ...result, fields }, ["name", "issuer", "audience", "role", "scope", "ttlSeconds"]);
      return setBanner(claims && left === result.message ? null : left);
    }
    reset();
    toast.success(`Trust policy “${result.data.name}” created.`);
  }

  const required = (label: string) => ({ required: `${label} is required` });
  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit)} noValidate className="space-y-1">
      <Field
        id="policy-name"
        label="Name"
        required
        autoComplete="off"
        placeholder="acme-api-main"
        error={formState.errors.name?.message}
        {...register("name", required("Name"))}
      />
      <Field
        id="policy-issuer"
        label="Issuer"
        required
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        hint="Exactly as the ID token's iss claim has it. Its keys are fetched from /.well-known/openid-configuration."
        error={formState.errors.issuer?.message}
        {...register("issuer", required("Issuer"))}
      />
      <Field
        id="policy-audience"
        label="Audience"
        required
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        placeholder="https://secrets.example.com"
        hint="The aud the workload asks its issuer for."
        error={formState.errors.audience?.message}
        {...register("audience", required("Audience"))}
      />
      <TextAreaField
        id="policy-claims"
        label="Claims"
        required
        mono
        rows={3}
        spellCheck={false}
        placeholder={"sub=repo:acme/*:ref:refs/heads/main"}
        hint="One per line, name=pattern; every one must match. * stands for one segment (never / or :)."
        error={formState.errors.claims?.message}
        {...register("claims", required("At least one claim"))}
      />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <SelectField id="policy-role" label="Role" required error={formState.errors.role?.message} {...register("role")}>
          <option value="viewer">viewer</option>
          <option value="editor">editor</option>
        </SelectField>
        <Field
          id="policy-ttl"
          label="Token lifetime (seconds)"
          required
          type="number"
          min={60}
          max={3600}
          error={formState.errors.ttlSeconds?.message}
          {...register("ttlSeconds", required("The lifetime"))}
        />
      </div>
      <Field
        id="policy-scope"
        label="Path scope"
        required
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        placeholder="ci.*"
        hint={`The secrets its tokens reach. ${SCOPE_HELP}.`}
        error={formState.errors.scope?.message}
        {...register("scope", required("A path scope"))}
      />
      <div className={banner ? "pb-3" : ""}>
        <FormBanner message={banner} />
      </div>
      <Button type="submit" pending={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : "Create policy"}
      </Button>
    </ScriptedForm>
  );
}
