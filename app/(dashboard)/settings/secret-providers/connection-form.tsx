"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { useForm, useWatch, type Resolver } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { TextAreaField } from "@/components/text-area-field";
import { useToast } from "@/components/toast-provider";
import { unshownErrors } from "@/components/unshown-errors";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { FENCE_HELP } from "@/lib/secret-providers/provider-path-fence";
import { createConnectionAction, updateConnectionAction } from "./actions";
import { ConfigFields } from "./config-fields";
import {
  createConnectionFormSchema,
  fenceErrorsOnField,
  fenceLines,
  updateConnectionFormSchema,
  type ConnectionFormValues,
} from "./connection-form-schema";
import { ProviderTypePicker, type ProviderTypeInfo } from "./provider-type-picker";

type Props =
  | { mode: "create"; types: ProviderTypeInfo[]; mask: string }
  | { mode: "edit"; types: ProviderTypeInfo[]; mask: string; connection: ConnectionView };

function valuesOf(connection: ConnectionView): ConnectionFormValues {
  return {
    name: connection.name,
    type: connection.type,
    description: connection.description ?? "",
    config: { ...connection.config },
    allowedProviderPaths: (connection.allowedProviderPaths ?? []).join("\n"),
  };
}

/**
 * New connection (the five steps of the product docs: name, type, the type's fields, an optional
 * description, Create) and the edit form, where stored credentials read as the mask and are kept
 * unless replaced.
 */
export function ConnectionForm(props: Props) {
  const router = useRouter();
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  const [stored, setStored] = useState(() => (props.mode === "edit" ? props.connection : null));
  const { mask } = props;

  const resolver: Resolver<ConnectionFormValues> = (values, context, options) => {
    const schema = props.mode === "create" ? createConnectionFormSchema(values.type) : updateConnectionFormSchema(values.type, mask);
    const run = zodResolver(schema as never, undefined, { raw: true }) as unknown as Resolver<ConnectionFormValues>;
    return run(values, context, options);
  };

  const form = useForm<ConnectionFormValues>({
    resolver,
    mode: "onTouched",
    shouldUnregister: true,
    defaultValues: stored ? valuesOf(stored) : { name: "", type: "", description: "", config: {}, allowedProviderPaths: "" },
  });
  const { register, handleSubmit, formState, setError, reset, control, setValue } = form;
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  const type = useWatch({ control, name: "type" });
  const definition = isProviderType(type) ? providerDefinition(type) : null;
  const storedSensitive = new Set(
    stored && definition ? definition.fields.filter((f) => f.sensitive && stored.config[f.key] === mask).map((f) => f.key) : [],
  );
  const shownFields = ["name", "type", "description", "allowedProviderPaths", ...(definition?.fields.map((f) => `config.${f.key}`) ?? [])];
  const showServerErrors = (result: { message: string | null; fields: Record<string, string> }) =>
    setBanner(applyServerErrors(setError, { ...result, fields: fenceErrorsOnField(result.fields) }, shownFields));

  async function onSubmit(values: ConnectionFormValues) {
    setBanner(null);
    if (props.mode === "create") {
      const config = Object.fromEntries(Object.entries(values.config ?? {}).filter(([, v]) => v.trim() !== ""));
      const result = await createConnectionAction({
        name: values.name,
        type: values.type,
        description: values.description || null,
        config,
        allowedProviderPaths: fenceLines(values.allowedProviderPaths),
      });
      if (!result.ok) return showServerErrors(result);
      toast.success(`Connection “${result.data.name}” created. Test it to check the credentials.`);
      router.push(`/settings/secret-providers/${result.data.id}`);
      return;
    }
    // Edit: only what changed is sent (so the audit log names it). A credential left as the mask
    // is unchanged, hence not sent, hence kept; "" clears an optional field; anything else replaces.
    const before = stored ?? props.connection;
    // An emptied optional credential is deleted only when the person chose so (StoredCredentialNote).
    const unsure = [...storedSensitive].filter((key) => values.config?.[key] === "" && !removing.has(key));
    if (unsure.length > 0) {
      for (const key of unsure) setError(`config.${key}`, { message: "Type a new value, or choose Keep stored or Delete stored value" });
      return;
    }
    const config = Object.fromEntries(Object.entries(values.config ?? {}).filter(([key, value]) => value !== (before.config[key] ?? "")));
    const fence = fenceLines(values.allowedProviderPaths);
    const changes = {
      ...(JSON.stringify(fence) !== JSON.stringify(before.allowedProviderPaths) ? { allowedProviderPaths: fence } : {}),
      ...(values.name.trim() !== before.name ? { name: values.name } : {}),
      ...((values.description.trim() || null) !== before.description ? { description: values.description.trim() || null } : {}),
      ...(Object.keys(config).length > 0 ? { config } : {}),
    };
    if (Object.keys(changes).length === 0) return toast.show("Nothing to save: no changes.");
    const result = await updateConnectionAction(props.connection.id, changes);
    if (!result.ok) return showServerErrors(result);
    setStored(result.data);
    setRemoving(new Set());
    reset(valuesOf(result.data));
    toast.success(`Saved “${result.data.name}”.`);
  }

  return (
    <form onSubmit={handleSubmit(onSubmit, (errors) => setBanner(unshownErrors(errors, shownFields)))} noValidate className="space-y-8">
      <Step number={1} title="Name it" description="How people will recognise this connection, e.g. “Production AWS” or “Staging Vault”.">
        <Field id="name" label="Connection name" required autoComplete="off" error={formState.errors.name?.message} {...register("name")} />
      </Step>

      <Step
        number={2}
        title={props.mode === "create" ? "Choose the provider type" : "Provider type"}
        description={props.mode === "create" ? "Which secrets manager this connection talks to." : "The type of a connection cannot change; create a new connection for another manager."}
      >
        {props.mode === "create" ? (
          <ProviderTypePicker types={props.types} selected={type} registration={register("type")} error={formState.errors.type?.message} />
        ) : (
          <p className="rounded-md border border-slate-200 bg-slate-50 px-3 py-2 text-sm text-slate-700" data-testid="connection-type">
            {definition?.name ?? type} <span className="font-mono text-xs text-slate-500">({type})</span>
            <input type="hidden" {...register("type")} />
          </p>
        )}
      </Step>

      <Step number={3} title="Fill in its configuration" description={definition ? `The settings ${definition.name} needs. Sensitive fields are encrypted before they are stored.` : "Choose a provider type first; its fields appear here."}>
        {definition && isProviderType(type) ? (
          <div className="space-y-4">
            <ConfigFields
              type={type}
              register={register}
              errors={formState.errors}
              stored={
                props.mode === "edit"
                  ? {
                      keys: storedSensitive,
                      mask,
                      control,
                      setValue,
                      removing,
                      onRemovingChange: (key, remove) =>
                        setRemoving((current) => {
                          const next = new Set(current);
                          if (remove) next.add(key);
                          else next.delete(key);
                          return next;
                        }),
                    }
                  : undefined
              }
            />
            <TextAreaField
              id="allowedProviderPaths"
              label="Allowed provider paths"
              optionalLabel
              mono
              rows={3}
              placeholder={"secret/payments/**"}
              hint={`${FENCE_HELP} Applies to every role, on save, test and resolve.`}
              error={formState.errors.allowedProviderPaths?.message}
              {...register("allowedProviderPaths")}
            />
          </div>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">No provider type chosen yet.</p>
        )}
      </Step>

      <Step number={4} title="Describe it" description="Optional: what this connection is for, who owns the account.">
        <TextAreaField id="description" label="Description" rows={2} error={formState.errors.description?.message} {...register("description")} />
      </Step>

      <Step number={5} title={props.mode === "create" ? "Create it" : "Save"} last>
        <FormBanner message={banner} />
        <div className={`flex flex-wrap items-center gap-3 ${banner ? "mt-3" : ""}`}>
          <Button type="submit" pending={formState.isSubmitting}>
            {props.mode === "create" ? (formState.isSubmitting ? "Creating…" : "Create connection") : formState.isSubmitting ? "Saving…" : "Save changes"}
          </Button>
          {props.mode === "edit" && formState.isDirty ? <span className="text-xs text-slate-500">You have unsaved changes.</span> : null}
        </div>
      </Step>
    </form>
  );
}

function Step({ number, title, description, children, last = false }: { number: number; title: string; description?: string; children: ReactNode; last?: boolean }) {
  return (
    <section className="relative flex gap-4">
      <div className="flex flex-col items-center">
        <span className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white" aria-hidden="true">
          {number}
        </span>
        {last ? null : <span className="mt-2 w-px flex-1 bg-slate-200" aria-hidden="true" />}
      </div>
      <div className="min-w-0 flex-1 pb-1">
        <h2 className="text-sm font-semibold text-slate-900">
          {title}
        </h2>
        {description ? <p className="mt-0.5 mb-3 text-sm text-slate-600">{description}</p> : <div className="mb-3" />}
        {children}
      </div>
    </section>
  );
}
