"use client";

import { AppLink } from "@/components/app-link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { SelectField } from "@/components/select-field";
import { TextAreaField } from "@/components/text-area-field";
import { useToast } from "@/components/toast-provider";
import { unshownErrors } from "@/components/unshown-errors";
import { PROVENANCE_PROVIDER } from "@/lib/secrets/provenance-provider";
import type { SecretView } from "@/lib/secrets/secret-view";
import { createSecretAction, updateSecretAction } from "./actions";
import type { ProviderOption } from "./provider-options";
import { toSecretInput, toSecretUpdate, type SecretFormMode, type SecretFormValues } from "./secret-form-values";
import { SourcePicker } from "./source-picker";

const resolverFor = (mode: SecretFormMode) =>
  lazyZodResolver<SecretFormValues, typeof import("./secret-form-schema")>(
    () => import("./secret-form-schema"),
    (m) => m.secretFormSchema(mode),
    { raw: true },
  );
const RESOLVERS = { create: resolverFor("create"), edit: resolverFor("edit") };

export interface ConnectionOption {
  id: string;
  name: string;
  type: string;
}

const FIELDS = [
  "secretPath",
  "provider",
  "value",
  "providerPath",
  "secretProviderId",
  "providerConfig.jsonKey",
  "providerConfig.version",
  "providerConfig.cacheTtlSeconds",
  "providerConfig.refreshSeconds",
  "description",
];

function valuesOf(secret: SecretView | null): SecretFormValues {
  return {
    secretPath: secret?.secretPath ?? "",
    provider: secret?.provider ?? PROVENANCE_PROVIDER,
    value: "",
    providerPath: secret?.providerPath ?? "",
    secretProviderId: secret?.secretProviderId ?? "",
    providerConfig: {
      jsonKey: secret?.providerConfig.jsonKey ?? "",
      version: secret?.providerConfig.version ?? "",
      cacheTtlSeconds: secret?.providerConfig.cacheTtlSeconds?.toString() ?? "",
      refreshSeconds: secret?.providerConfig.refreshSeconds?.toString() ?? "",
    },
    description: secret?.description ?? "",
  };
}

/**
 * Create or edit a secret: stored here (a value, encrypted) or fetched from an external manager
 * (a connection of that type, the path in the manager, and optionally a JSON key). Values are
 * write-only: the edit form never shows the stored one.
 */
export function SecretForm({
  secret,
  connections,
  providers,
  canCreateConnections,
  onDone,
}: {
  secret: SecretView | null;
  connections: ConnectionOption[];
  /** The external provider types (providerOptions(), read on the server). */
  providers: ProviderOption[];
  canCreateConnections: boolean;
  /** Editing opened from a summary (the secret's page): Cancel and a save close the form with this. */
  onDone?: (saved?: SecretView) => void;
}) {
  const mode = secret ? "edit" : "create";
  const router = useRouter();
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  const resolver = RESOLVERS[mode];
  useWarmResolver(resolver);
  const { register, handleSubmit, formState, setError, setValue, control, reset } = useForm<SecretFormValues>({
    resolver,
    mode: "onTouched",
    defaultValues: valuesOf(secret),
  });
  const provider = useWatch({ control, name: "provider" });
  const external = providers.find((p) => p.type === provider) ?? null;
  const offered = connections.filter((c) => c.type === provider);
  const counts = Object.fromEntries(providers.map(({ type }) => [type, connections.filter((c) => c.type === type).length]));

  function chooseSource(next: string) {
    setValue("provider", next, { shouldDirty: true });
    const matching = connections.filter((c) => c.type === next);
    // Narrow the connections to the chosen type; one candidate is chosen for the user.
    setValue("secretProviderId", matching.length === 1 ? matching[0]!.id : "", { shouldDirty: true });
  }

  async function onSubmit(values: SecretFormValues) {
    setBanner(null);
    const input = secret ? toSecretUpdate(values, secret) : toSecretInput(values, mode);
    if (secret && Object.keys(input).length === 0) {
      toast.show("Nothing to save: no changes.");
      return onDone?.();
    }
    const result = secret ? await updateSecretAction(secret.id, input) : await createSecretAction(input);
    if (!result.ok) return setBanner(applyServerErrors(setError, result, FIELDS));
    if (secret) {
      reset(valuesOf(result.data));
      toast.success(`Saved ${result.data.secretPath}.`);
      // The page re-renders with the saved settings (the action revalidates it) for the summary.
      onDone?.(result.data);
    } else {
      toast.success(`Secret ${result.data.secretPath} created.`);
      router.push(`/secrets/${result.data.id}`);
    }
  }

  const errors = formState.errors;
  return (
    <ScriptedForm onSubmit={handleSubmit(onSubmit, (errors) => setBanner(unshownErrors(errors, FIELDS)))} noValidate className="space-y-5">
      <Field
        id="secretPath"
        label="Secret path"
        required
        autoComplete="off"
        spellCheck={false}
        className="font-mono"
        placeholder="stripe.apiKey"
        hint="The dotted name programs ask for, e.g. stripe.apiKey or db.primary.password."
        error={errors.secretPath?.message}
        {...register("secretPath")}
      />

      <SourcePicker value={provider} providers={providers} counts={counts} onChange={chooseSource} error={errors.provider?.message} />

      {external ? (
        <div className="space-y-1 rounded-lg border border-slate-200 bg-slate-50/70 p-4">
          {offered.length === 0 ? (
            <p className="mb-3 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              There is no {external.name} connection yet.{" "}
              {canCreateConnections ? (
                <AppLink href="/settings/secret-providers/new" className="font-medium underline">
                  Create one
                </AppLink>
              ) : (
                "Ask an admin to create one"
              )}{" "}
              first.
            </p>
          ) : null}
          <SelectField
            id="secretProviderId"
            label="Connection"
            required
            error={errors.secretProviderId?.message}
            {...register("secretProviderId")}
          >
            <option value="">{offered.length === 0 ? "No connections of this type" : "Choose a connection…"}</option>
            {offered.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </SelectField>
          <Field
            id="providerPath"
            label={`Path in ${external.name}`}
            required
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            hint={external.pathHelp}
            error={errors.providerPath?.message}
            {...register("providerPath")}
          />
          <Field
            id="jsonKey"
            label="JSON key"
            autoComplete="off"
            spellCheck={false}
            className="font-mono"
            placeholder="api_key"
            hint={
              provider === "vault"
                ? "Vault secrets hold keys: name the one to return. Empty: a single-key secret returns its value; several keys return the whole JSON."
                : "If the secret's value is JSON, the key to return (e.g. api_key). Empty returns the whole value."
            }
            error={errors.providerConfig?.jsonKey?.message}
            {...register("providerConfig.jsonKey")}
          />
          <details className="group rounded-md">
            <summary className="cursor-pointer text-sm font-medium text-slate-700 select-none hover:text-slate-900">
              Advanced: version and caching
            </summary>
            <div className="mt-3 grid gap-x-4 sm:grid-cols-2">
              <Field
                id="version"
                label="Version"
                autoComplete="off"
                className="font-mono"
                hint="Pin one upstream version (AWS VersionId or stage, Azure version, GCP or Vault number). Empty: the latest."
                error={errors.providerConfig?.version?.message}
                {...register("providerConfig.version")}
              />
              <Field
                id="cacheTtlSeconds"
                label="Cache for (seconds)"
                inputMode="numeric"
                autoComplete="off"
                placeholder="300"
                hint="How long a fetched value is reused before asking the manager again. Empty: the server default."
                error={errors.providerConfig?.cacheTtlSeconds?.message}
                {...register("providerConfig.cacheTtlSeconds")}
              />
              <Field
                id="refreshSeconds"
                label="Check upstream every (seconds)"
                inputMode="numeric"
                autoComplete="off"
                placeholder="300"
                hint="How often the manager is asked whether a new version exists (a change drops the cached value and tells watchers). 0: never. Empty: 300."
                error={errors.providerConfig?.refreshSeconds?.message}
                {...register("providerConfig.refreshSeconds")}
              />
            </div>
          </details>
        </div>
      ) : (
        <TextAreaField
          id="value"
          label={secret ? "New value" : "Value"}
          mono
          required={!secret}
          rows={3}
          autoComplete="off"
          spellCheck={false}
          hint={
            secret
              ? "Leave empty to keep the current value; type a new one to replace it. It is encrypted before it is stored."
              : "Encrypted with the master key before it is stored. Shown again only on an explicit reveal."
          }
          error={errors.value?.message}
          {...register("value")}
        />
      )}

      <TextAreaField id="description" label="Description" rows={2} error={errors.description?.message} {...register("description")} />

      <FormBanner message={banner} />
      <div className="flex items-center gap-3">
        <Button type="submit" pending={formState.isSubmitting}>
          {secret ? (formState.isSubmitting ? "Saving…" : "Save changes") : formState.isSubmitting ? "Creating…" : "Create secret"}
        </Button>
        {onDone ? (
          <Button type="button" variant="ghost" onClick={() => onDone()}>
            Cancel
          </Button>
        ) : null}
      </div>
    </ScriptedForm>
  );
}
