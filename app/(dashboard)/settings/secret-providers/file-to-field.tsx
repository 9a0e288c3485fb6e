"use client";

import { useId, useState } from "react";
import { buttonClasses } from "@/components/button-styles";

/** Larger files are no key or certificate: the field's own limit is 20 000 characters. */
const MAX_FILE_BYTES = 64 * 1024;

/**
 * Fills a multi-line credential field from a file, picked or dropped onto the field, instead of
 * pasting it: a GCP key file, a PEM certificate. The file is read in the browser and goes
 * through the same field (and checks) as pasted text. `describe` says what was loaded, e.g. the
 * service account of a GCP key, without repeating any of its secret parts.
 */
export function FileToField({
  accept,
  description,
  onText,
  describe,
  children,
}: {
  accept: string;
  description: string;
  onText: (text: string) => void;
  describe?: (text: string) => string | null;
  children: React.ReactNode;
}) {
  const inputId = useId();
  const [note, setNote] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);

  async function load(file: File | undefined) {
    if (!file) return;
    if (file.size > MAX_FILE_BYTES) return setNote(`${file.name} is too large (${Math.round(file.size / 1024)} KiB) for ${description}.`);
    const text = await file.text();
    onText(text.trim());
    const detail = describe?.(text);
    setNote(`Loaded ${file.name}${detail ? `: ${detail}` : ""}.`);
  }

  return (
    <div
      onDragOver={(event) => {
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        void load(event.dataTransfer.files[0]);
      }}
      className={`rounded-lg ${dragging ? "ring-2 ring-brand-500 ring-offset-2" : ""}`}
      data-testid="file-drop"
    >
      {children}
      <div className="mt-2 flex flex-wrap items-center gap-2 text-xs text-slate-600">
        <label htmlFor={inputId} className={`${buttonClasses("secondary", "sm")} cursor-pointer`}>
          Choose file…
        </label>
        <input
          id={inputId}
          type="file"
          accept={accept}
          className="sr-only"
          onChange={(event) => {
            void load(event.target.files?.[0]);
            event.target.value = "";
          }}
        />
        <span>or drop {description} here.</span>
        <span aria-live="polite" className="w-full font-medium text-slate-700 empty:hidden">
          {note}
        </span>
      </div>
    </div>
  );
}
