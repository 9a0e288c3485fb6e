"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, type ReactNode } from "react";
import { useForm, useWatch } from "react-hook-form";
import { applyServerErrors } from "@/components/apply-server-errors";
import { Button } from "@/components/button";
import { Field } from "@/components/field";
import { FormBanner } from "@/components/form-banner";
import { lazyZodResolver, useWarmResolver } from "@/components/lazy-resolver";
import { ScriptedForm } from "@/components/scripted-form";
import { TextAreaField } from "@/components/text-area-field";
import { useToast } from "@/components/toast-provider";
import { whenIdle } from "@/components/when-idle";
import { unshownErrors } from "@/components/unshown-errors";
import { createConnectionAction } from "./actions";
import { fenceErrorsOnField, fenceLines, submittedBy, TEST_ON_ARRIVAL, type ConnectionFormValues } from "./connection-form-values";
import { ProviderTypePicker, type ProviderTypeInfo } from "./provider-type-picker";

// The schema follows the chosen type: its config fields are checked by the type's definition.
const resolver = lazyZodResolver<ConnectionFormValues, typeof import("./connection-form-schema")>(
  () => import("./connection-form-schema"),
  (m, values) => m.createConnectionFormSchema(values.type, values.signIn),
  { raw: true },
);

// Step 3's fields come with the provider definitions (and zod): loaded when a type is chosen.
const loadTypeFields = () => import("./connection-type-fields");
type TypeFieldsModule = Awaited<ReturnType<typeof loadTypeFields>>;

/**
 * New connection: the five steps of the product docs (name, type, the type's fields, an optional
 * description, Create). "Save & test" creates it and opens its page, which runs the test at once.
 * Editing is on the connection's page (ConnectionEditForm), not here.
 */
export function ConnectionForm({ types }: { types: ProviderTypeInfo[] }) {
  const router = useRouter();
  const toast = useToast();
  const [banner, setBanner] = useState<string | null>(null);
  // Only for the buttons' labels; which one submitted is read from the submit event itself.
  const [andTest, setAndTest] = useState(true);

  useWarmResolver(resolver);

  const form = useForm<ConnectionFormValues>({
    resolver,
    mode: "onTouched",
    shouldUnregister: true,
    defaultValues: { name: "", type: "", description: "", config: {}, allowedProviderPaths: "" },
  });
  const { register, handleSubmit, formState, setError, control, setValue } = form;
  const type = useWatch({ control, name: "type" });
  // Another type starts from its own first sign-in way, not one of the same name left from the last type.
  const typeRegistration = register("type", { onChange: () => setValue("signIn", undefined) });
  const chosen = types.find((t) => t.type === type) ?? null;
  const [typeFields, setTypeFields] = useState<TypeFieldsModule | null>(null);
  const [typeFieldsFailed, setTypeFieldsFailed] = useState(false);
  const shownFields = ["name", "type", "description", "signIn", "allowedProviderPaths", ...(typeFields?.configFieldNames(type) ?? [])];

  // Fetched when the browser is idle, at once when a type is chosen first.
  useEffect(() => {
    if (typeFields) return;
    let live = true;
    const load = () =>
      void loadTypeFields().then(
        (module) => live && setTypeFields(module),
        () => live && type !== "" && setTypeFieldsFailed(true),
      );
    if (type) {
      load();
      return () => void (live = false);
    }
    const cancel = whenIdle(load);
    return () => {
      live = false;
      cancel();
    };
  }, [type, typeFields]);

  async function onSubmit(values: ConnectionFormValues, event?: React.BaseSyntheticEvent) {
    const testAfterSave = submittedBy(event) === "save-and-test";
    setBanner(null);
    const config = Object.fromEntries(Object.entries(values.config ?? {}).filter(([, v]) => v.trim() !== ""));
    const result = await createConnectionAction({
      name: values.name,
      type: values.type,
      description: values.description || null,
      config,
      allowedProviderPaths: fenceLines(values.allowedProviderPaths),
    });
    if (!result.ok) {
      setBanner(applyServerErrors(setError, { ...result, fields: fenceErrorsOnField(result.fields) }, shownFields));
      return;
    }
    const page = `/settings/secret-providers/${result.data.id}`;
    if (testAfterSave) {
      toast.success(`Connection “${result.data.name}” created. Testing it…`);
      router.push(`${page}?${TEST_ON_ARRIVAL}=1`);
    } else {
      toast.success(`Connection “${result.data.name}” created. Test it to check the credentials.`);
      router.push(page);
    }
  }

  return (
    <ScriptedForm
      onSubmit={handleSubmit(onSubmit, (errors) => setBanner(unshownErrors(errors, shownFields)))}
      noValidate
      className="space-y-8"
    >
      <Step number={1} title="Name it" description="How people will recognise this connection, e.g. “Production AWS” or “Staging Vault”.">
        <Field id="name" label="Connection name" required autoComplete="off" error={formState.errors.name?.message} {...register("name")} />
      </Step>

      <Step number={2} title="Choose the provider type" description="Which secrets manager this connection talks to.">
        <ProviderTypePicker types={types} selected={type} registration={typeRegistration} error={formState.errors.type?.message} />
      </Step>

      <Step
        number={3}
        title="Fill in its configuration"
        description={
          chosen
            ? `The settings ${chosen.name} needs. Sensitive fields are encrypted before they are stored.`
            : "Choose a provider type first; its fields appear here."
        }
      >
        {chosen && typeFields ? (
          <typeFields.TypeFields type={type} register={register} errors={formState.errors} control={control} setValue={setValue} />
        ) : chosen ? (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500" role="status">
            {typeFieldsFailed
              ? "Its fields could not be loaded. Check the connection to the server and reload the page."
              : "Loading its fields…"}
          </p>
        ) : (
          <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-500">
            No provider type chosen yet.
          </p>
        )}
      </Step>

      <Step number={4} title="Describe it" description="Optional: what this connection is for, who owns the account.">
        <TextAreaField
          id="description"
          label="Description"
          rows={2}
          error={formState.errors.description?.message}
          {...register("description")}
        />
      </Step>

      <Step
        number={5}
        title="Create it"
        description="Save & test creates the connection and checks its address and credentials with the manager at once."
        last
      >
        <FormBanner message={banner} />
        <div className={`flex flex-wrap items-center gap-3 ${banner ? "mt-3" : ""}`}>
          <Button
            type="submit"
            pending={formState.isSubmitting && andTest}
            name="intent"
            value="save-and-test"
            onClick={() => setAndTest(true)}
          >
            {formState.isSubmitting && andTest ? "Creating…" : "Save & test"}
          </Button>
          <Button
            type="submit"
            variant="secondary"
            pending={formState.isSubmitting && !andTest}
            name="intent"
            value="save"
            onClick={() => setAndTest(false)}
          >
            {formState.isSubmitting && !andTest ? "Creating…" : "Create connection"}
          </Button>
        </div>
      </Step>
    </ScriptedForm>
  );
}

function Step({
  number,
  title,
  description,
  children,
  last = false,
}: {
  number: number;
  title: string;
  description?: string;
  children: ReactNode;
  last?: boolean;
}) {
  return (
    <section className="relative flex gap-4">
      <div className="flex flex-col items-center">
        <span
          className="flex size-7 shrink-0 items-center justify-center rounded-full bg-brand-600 text-xs font-semibold text-white"
          aria-hidden="true"
        >
          {number}
        </span>
        {last ? null : <span className="mt-2 w-px flex-1 bg-slate-200" aria-hidden="true" />}
      </div>
      <div className="min-w-0 flex-1 pb-1">
        <h2 className="text-sm font-semibold text-slate-900">{title}</h2>
        {description ? <p className="mt-0.5 mb-3 text-sm text-slate-600">{description}</p> : <div className="mb-3" />}
        {children}
      </div>
    </section>
  );
}
