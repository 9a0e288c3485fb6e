"use client";

import { useRouter } from "next/navigation";
import { useEffect, useMemo, useState } from "react";
import { useForm } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { TextAreaField } from "@/components/text-area-field";
import { useToast } from "@/components/toast-provider";
import { unshownErrors } from "@/components/unshown-errors";
import { isProviderType, providerDefinition } from "@/lib/providers/registry";
import { initialSignIn, otherWaysStored } from "@/lib/providers/sign-in-choice";
import type { ConnectionView } from "@/lib/secret-providers/connection-view";
import { updateConnectionAction } from "./actions";
import { AllowedPathsField } from "./allowed-paths-field";
import { ConfigFields } from "./config-fields";
import { fenceErrorsOnField, fenceLines, submittedBy, TEST_ON_ARRIVAL, type ConnectionFormValues } from "./connection-form-values";

function valuesOf(connection: ConnectionView): ConnectionFormValues {
  return {
    name: connection.name,
    type: connection.type,
    description: connection.description ?? "",
    config: { ...connection.config },
    // The way the stored settings sign in (for types with a "Sign in with" choice).
    signIn: isProviderType(connection.type) ? initialSignIn(providerDefinition(connection.type), connection.config) : undefined,
    allowedProviderPaths: (connection.allowedProviderPaths ?? []).join("\n"),
  };
}

/**
 * Editing a connection, opened from its page: name, description, the type's fields and the
 * path fence. Stored credentials read as the mask and are kept unless replaced
 * (StoredCredentialNote). Only what changed is sent, so the audit log names it. While there are
 * unsaved edits a bar stays in view with Save and Cancel, and leaving the page asks first.
 */
export function ConnectionEditForm({
  connection,
  mask,
  onDone,
}: {
  connection: ConnectionView;
  mask: string;
  onDone: (saved?: ConnectionView) => void;
}) {
  const router = useRouter();
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  const [removing, setRemoving] = useState<ReadonlySet<string>>(new Set());
  // Only for the buttons' labels; which one submitted is read from the submit event itself.
  const [andTest, setAndTest] = useState(false);
  const type = connection.type;
  const definition = isProviderType(type) ? providerDefinition(type) : null;

  const resolver = useMemo(
    () =>
      lazyZodResolver<ConnectionFormValues, typeof import("./connection-form-schema")>(
        () => import("./connection-form-schema"),
        (m, values) => m.updateConnectionFormSchema(type, mask, values.signIn),
        { raw: true },
      ),
    [type, mask],
  );
  useWarmResolver(resolver);
  const form = useForm<ConnectionFormValues>({ resolver, mode: "onTouched", shouldUnregister: true, defaultValues: valuesOf(connection) });
  const { register, handleSubmit, formState, setError, reset, control, setValue } = form;
  const dirty = formState.isDirty || removing.size > 0;

  // Closing the tab or reloading with unsaved edits asks first (links inside the app do not).
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty]);

  const storedSensitive = new Set(
    definition ? definition.fields.filter((f) => f.sensitive && connection.config[f.key] === mask).map((f) => f.key) : [],
  );
  const shownFields = [
    "name",
    "description",
    "signIn",
    "allowedProviderPaths",
    ...(definition?.fields.map((f) => `config.${f.key}`) ?? []),
  ];

  function cancel() {
    reset(valuesOf(connection));
    setRemoving(new Set());
    onDone();
  }

  async function onSubmit(values: ConnectionFormValues, event?: React.BaseSyntheticEvent) {
    const testAfterSave = submittedBy(event) === "save-and-test";
    setBanner(null);
    // An emptied optional credential is deleted only when the person chose so (StoredCredentialNote).
    const unsure = [...storedSensitive].filter((key) => values.config?.[key] === "" && !removing.has(key));
    if (unsure.length > 0) {
      for (const key of unsure) setError(`config.${key}`, { message: "Type a new value, or choose Keep stored or Delete stored value" });
      return;
    }
    // A credential left as the mask is unchanged, hence not sent, hence kept; "" clears an optional field.
    // Settings of another sign-in way than the chosen one are cleared, or the connection would go on
    // signing in that way (the form said so under the choice).
    const otherWays = definition ? otherWaysStored(definition, values.signIn, connection.config) : [];
    const config = {
      ...Object.fromEntries(otherWays.map((key) => [key, ""])),
      ...Object.fromEntries(Object.entries(values.config ?? {}).filter(([key, value]) => value !== (connection.config[key] ?? ""))),
    };
    const fence = fenceLines(values.allowedProviderPaths);
    const changes = {
      ...(JSON.stringify(fence) !== JSON.stringify(connection.allowedProviderPaths) ? { allowedProviderPaths: fence } : {}),
      ...(values.name.trim() !== connection.name ? { name: values.name } : {}),
      ...((values.description.trim() || null) !== connection.description ? { description: values.description.trim() || null } : {}),
      ...(Object.keys(config).length > 0 ? { config } : {}),
    };
    if (Object.keys(changes).length === 0) {
      toast.show("Nothing to save: no changes.");
      return cancel();
    }
    const result = await updateConnectionAction(connection.id, changes);
    if (!result.ok) {
      setBanner(applyServerErrors(setError, { ...result, fields: fenceErrorsOnField(result.fields) }, shownFields));
      return;
    }
    reset(valuesOf(result.data));
    setRemoving(new Set());
    toast.success(`Saved “${result.data.name}”.`);
    onDone(result.data);
    // The page re-renders with the saved settings (and "not tested since the last change"), or tests them at once.
    if (testAfterSave) router.replace(`/settings/secret-providers/${connection.id}?${TEST_ON_ARRIVAL}=1`, { scroll: false });
    else router.refresh();
  }

  return (
    <ScriptedForm
      onSubmit={handleSubmit(onSubmit, (errors) => setBanner(unshownErrors(errors, shownFields)))}
      noValidate
      className="space-y-5"
      aria-label={`Edit ${connection.name}`}
    >
      <Field id="name" label="Connection name" required autoComplete="off" error={formState.errors.name?.message} {...register("name")} />
      <TextAreaField
        id="description"
        label="Description"
        rows={2}
        error={formState.errors.description?.message}
        {...register("description")}
      />
      <input type="hidden" {...register("type")} />
      {definition && isProviderType(type) ? (
        <fieldset className="space-y-4">
          <legend className="mb-2 text-sm font-semibold text-slate-900">{definition.name} settings</legend>
          <ConfigFields
            type={type}
            register={register}
            errors={formState.errors}
            control={control}
            setValue={setValue}
            stored={{
              keys: storedSensitive,
              mask,
              control,
              setValue,
              config: connection.config,
              removing,
              onRemovingChange: (key, remove) =>
                setRemoving((current) => {
                  const next = new Set(current);
                  if (remove) next.add(key);
                  else next.delete(key);
                  return next;
                }),
            }}
          />
          <AllowedPathsField register={register} error={formState.errors.allowedProviderPaths?.message} />
        </fieldset>
      ) : null}
      <FormBanner message={banner} />
      {/* In view while there is something unsaved: at the bottom of the screen on long forms and phones. */}
      <div
        className={`flex flex-wrap items-center gap-3 ${dirty ? "sticky bottom-0 z-10 -mx-5 border-t border-amber-200 bg-amber-50 px-5 py-3" : ""}`}
        data-testid="edit-actions"
        data-dirty={dirty ? "true" : "false"}
      >
        {dirty ? (
          <p className="w-full text-sm font-medium text-amber-900 sm:w-auto sm:flex-1" role="status">
            You have unsaved changes.
          </p>
        ) : null}
        <Button type="submit" pending={formState.isSubmitting && !andTest} name="intent" value="save" onClick={() => setAndTest(false)}>
          {formState.isSubmitting && !andTest ? "Saving…" : "Save changes"}
        </Button>
        <Button
          type="submit"
          variant="secondary"
          pending={formState.isSubmitting && andTest}
          name="intent"
          value="save-and-test"
          onClick={() => setAndTest(true)}
        >
          {formState.isSubmitting && andTest ? "Saving…" : "Save & test"}
        </Button>
        <Button type="button" variant="ghost" onClick={cancel}>
          Cancel
        </Button>
      </div>
    </ScriptedForm>
  );
}
