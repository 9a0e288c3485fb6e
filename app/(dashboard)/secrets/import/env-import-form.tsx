"use client";

import { AppLink } from "@/components/app-link";
import { useEffect, useRef, useState } from "react";
import { Button } from "@/components/button";
import { buttonClasses } from "@/components/button-styles";
import { CONTROL_CLASSES, fieldAria } from "@/components/field-frame";
import { FormBanner } from "@/components/form-banner";
import { ScriptedForm } from "@/components/scripted-form";
import { useToast } from "@/components/toast-provider";
import type { DotenvImportResult, DotenvPreview, DotenvPreviewRow } from "@/lib/secrets/import-dotenv";
import { importEnvAction, previewEnvImportAction } from "../actions";

type OnConflict = DotenvPreview["onConflict"];

const CONFLICT_CHOICES: Array<{ value: OnConflict; label: string; hint: string }> = [
  { value: "fail", label: "Stop", hint: "Import nothing if any path exists already." },
  { value: "skip", label: "Skip", hint: "Keep existing secrets as they are; import the rest." },
  { value: "replace", label: "Replace", hint: "Store the file's value in existing secrets too." },
];

const ACTION_WORDS: Record<DotenvPreviewRow["action"], string> = {
  create: "New",
  skip: "Exists: skipped",
  replace: "Exists: replaced",
  blocked: "Exists: stops the import",
};

/**
 * Upload or paste, preview, import. The file's text stays in this component's memory and is sent
 * only to the two server actions; the preview that comes back has names, paths and sizes. A plain
 * form (no form library or schema in the bundle): the server checks everything.
 */
export function EnvImportForm({ initialPrefix }: { initialPrefix: string }) {
  const toast = useToast();
  const [file, setFile] = useState<{ name: string; text: string } | null>(null);
  const [pasted, setPasted] = useState("");
  const [prefix, setPrefix] = useState(initialPrefix);
  const [onConflict, setOnConflict] = useState<OnConflict>("fail");
  const [preview, setPreview] = useState<DotenvPreview | null>(null);
  const [done, setDone] = useState<DotenvImportResult | null>(null);
  const [errors, setErrors] = useState<{ message: string | null; fields: Record<string, string> }>({ message: null, fields: {} });
  const [pending, setPending] = useState<"preview" | "import" | null>(null);

  const input = () => ({ text: file?.text ?? pasted, prefix, onConflict });
  // Any change makes the preview stale: it must be made again before importing.
  const changed =
    <T,>(set: (value: T) => void) =>
    (value: T) => {
      set(value);
      setPreview(null);
      setDone(null);
    };

  async function chooseFile(chosen: File | undefined) {
    changed(setFile)(chosen ? { name: chosen.name, text: await chosen.text() } : null);
  }

  // A file already in the input when the page's scripts start (chosen while they loaded) is one
  // the onChange below never saw.
  const fileInput = useRef<HTMLInputElement>(null);
  useEffect(() => {
    const early = fileInput.current?.files?.[0];
    if (early) void chooseFile(early);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once, for what was there before hydration
  }, []);

  async function runPreview(event: React.FormEvent) {
    event.preventDefault();
    setPending("preview");
    const result = await previewEnvImportAction(input());
    setPending(null);
    setErrors({ message: result.ok ? null : result.message, fields: result.fields });
    setPreview(result.ok ? result.data : null);
  }

  async function runImport() {
    setPending("import");
    const result = await importEnvAction(input());
    setPending(null);
    if (!result.ok) {
      setErrors({ message: result.message, fields: result.fields });
      return;
    }
    const { created, replaced, skipped, failed } = result.data;
    setPreview(null);
    setDone(result.data);
    const summary = `Imported into ${result.data.prefix}: ${created} created, ${replaced} replaced, ${skipped} skipped, ${failed} failed.`;
    if (failed > 0) toast.error(summary);
    else toast.success(summary);
  }

  const textError = errors.fields.text;
  return (
    <div className="space-y-6">
      <ScriptedForm onSubmit={runPreview} noValidate className="space-y-5">
        <div className="space-y-1.5">
          <label htmlFor="env-file" className="block text-sm font-medium text-slate-800">
            .env file
          </label>
          <input
            id="env-file"
            ref={fileInput}
            type="file"
            accept=".env,text/plain"
            onChange={(event) => void chooseFile(event.target.files?.[0])}
            className="block w-full text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-2 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200"
            {...fieldAria("env-file", { hint: "x", error: textError })}
          />
          <p id="env-file-hint" className="text-xs text-slate-600">
            {file ? `Using ${file.name} (${new Blob([file.text]).size} bytes). ` : ""}Up to 64 KiB. Or paste the lines below.
          </p>
        </div>
        {file ? null : (
          <div className="space-y-1.5">
            <label htmlFor="env-text" className="block text-sm font-medium text-slate-800">
              Or paste its contents
            </label>
            <textarea
              id="env-text"
              rows={6}
              value={pasted}
              onChange={(event) => changed(setPasted)(event.target.value)}
              spellCheck={false}
              autoComplete="off"
              placeholder={"DATABASE_URL=postgres://…\nexport API_KEY='…'"}
              className={`${CONTROL_CLASSES} font-mono`}
              {...fieldAria("env-text", { error: textError })}
            />
          </div>
        )}
        <p id={file ? "env-file-error" : "env-text-error"} className="min-h-4 text-xs font-medium text-red-700" aria-live="polite">
          {textError ?? ""}
        </p>
        <div className="space-y-1.5">
          <label htmlFor="env-prefix" className="block text-sm font-medium text-slate-800">
            Prefix
          </label>
          <input
            id="env-prefix"
            value={prefix}
            onChange={(event) => changed(setPrefix)(event.target.value)}
            placeholder="e.g. legacyApp or payments.prod"
            spellCheck={false}
            autoComplete="off"
            className={`${CONTROL_CLASSES} font-mono`}
            {...fieldAria("env-prefix", { hint: "x", error: errors.fields.prefix })}
          />
          <p id="env-prefix-hint" className="text-xs text-slate-600">
            <code className="font-mono">API_KEY</code> is stored as{" "}
            <code className="font-mono">{(prefix.trim().replace(/\.$/, "") || "PREFIX") + ".API_KEY"}</code>.
          </p>
          <p id="env-prefix-error" className="min-h-4 text-xs font-medium text-red-700" aria-live="polite">
            {errors.fields.prefix ?? ""}
          </p>
        </div>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-800">When a path exists already</legend>
          {CONFLICT_CHOICES.map((choice) => (
            <label key={choice.value} className="flex items-start gap-2 text-sm text-slate-800">
              <input
                type="radio"
                name="onConflict"
                value={choice.value}
                checked={onConflict === choice.value}
                onChange={() => changed(setOnConflict)(choice.value)}
                className="mt-0.5"
              />
              <span>
                <span className="font-medium">{choice.label}</span> <span className="text-slate-600">{choice.hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        <FormBanner message={errors.message && Object.keys(errors.fields).length === 0 ? errors.message : null} />
        <Button type="submit" variant="secondary" pending={pending === "preview"}>
          {pending === "preview" ? "Reading the file…" : "Preview"}
        </Button>
      </ScriptedForm>

      {preview ? <PreviewTable preview={preview} pending={pending === "import"} onImport={runImport} /> : null}
      {done ? (
        <FormBanner tone={done.failed > 0 ? "error" : "success"}>
          <p>
            Imported into <span className="font-mono">{done.prefix}</span>: {done.created} created, {done.replaced} replaced, {done.skipped}{" "}
            skipped, {done.failed} failed.
          </p>
          {done.failures.length > 0 ? (
            <ul className="mt-2 list-disc pl-5">
              {done.failures.map((failure) => (
                <li key={failure.secretPath}>
                  <span className="font-mono">{failure.secretPath}</span>: {failure.message}
                </li>
              ))}
            </ul>
          ) : null}
          <AppLink href={`/secrets?prefix=${encodeURIComponent(done.prefix)}`} className={buttonClasses("secondary", "sm", "mt-3")}>
            Open {done.prefix}
          </AppLink>
        </FormBanner>
      ) : null}
    </div>
  );
}

function PreviewTable({ preview, pending, onImport }: { preview: DotenvPreview; pending: boolean; onImport: () => void }) {
  const writes = preview.rows.filter((row) => row.action === "create" || row.action === "replace").length;
  return (
    <section aria-labelledby="preview-heading" className="space-y-3">
      <h2 id="preview-heading" className="text-base font-semibold text-slate-900">
        Preview: {preview.rows.length} variable{preview.rows.length === 1 ? "" : "s"} into{" "}
        <span className="font-mono">{preview.prefix}</span>
      </h2>
      <div className="overflow-x-auto rounded-lg border border-slate-200">
        <table className="w-full text-left text-sm" data-testid="import-preview">
          <caption className="sr-only">What the import would do with each variable</caption>
          <thead className="bg-slate-50 text-xs font-medium tracking-wide text-slate-600 uppercase">
            <tr>
              <th scope="col" className="px-3 py-2">
                Name
              </th>
              <th scope="col" className="px-3 py-2">
                Path
              </th>
              <th scope="col" className="px-3 py-2 text-right">
                Size
              </th>
              <th scope="col" className="px-3 py-2">
                Result
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {preview.rows.map((row) => (
              <tr key={row.secretPath}>
                <td className="px-3 py-2 font-mono text-[13px]">{row.name}</td>
                <td className="px-3 py-2 font-mono text-[13px] break-all">{row.secretPath}</td>
                <td className="px-3 py-2 text-right text-slate-700">{row.bytes} B</td>
                <td className={`px-3 py-2 ${row.action === "blocked" ? "font-medium text-red-700" : "text-slate-700"}`}>
                  {ACTION_WORDS[row.action]}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {preview.blocked ? (
        <FormBanner message="Some of these paths exist already, so with Stop nothing would be imported. Choose Skip or Replace, then preview again." />
      ) : (
        <Button onClick={onImport} pending={pending}>
          {pending ? "Importing…" : `Import ${writes} secret${writes === 1 ? "" : "s"}`}
        </Button>
      )}
    </section>
  );
}
