"use client";

import { useState } from "react";
import { useToast } from "@/components/toast-provider";
import { revealSecretAction } from "./actions";

/**
 * A list row's clipboard buttons. Copy path writes the path. Copy value reads the value the way
 * Reveal does (revealSecretAction: the resolve lib call, audited as a read) and hands it straight
 * to the clipboard: it is never put into the page. Shown to those who may read values only.
 */
export function SecretRowActions({ secretPath, canReadValue }: { secretPath: string; canReadValue: boolean }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  async function copyPath() {
    try {
      await navigator.clipboard.writeText(secretPath);
      toast.success(`Copied the path ${secretPath}.`);
    } catch {
      toast.error("The browser did not allow copying to the clipboard.");
    }
  }

  async function copyValue() {
    setBusy(true);
    let refused: string | null = null;
    // The value as a promise inside a ClipboardItem keeps the click's permission to write
    // (Safari requires that); where ClipboardItem is missing, write the text once it is here.
    const value = revealSecretAction(secretPath).then((result) => {
      if (!result.ok) throw new Error((refused = result.message ?? "The value could not be read."));
      return result.data.value;
    });
    try {
      if (typeof ClipboardItem === "function") {
        await navigator.clipboard.write([
          new ClipboardItem({ "text/plain": value.then((text) => new Blob([text], { type: "text/plain" })) }),
        ]);
      } else {
        await navigator.clipboard.writeText(await value);
      }
      toast.success(`Copied the value of ${secretPath}. The read is recorded in the audit log.`);
    } catch {
      toast.error(refused ?? "The browser did not allow copying to the clipboard.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="flex justify-end gap-1">
      <IconButton label={`Copy path ${secretPath}`} onClick={copyPath}>
        <path d="M8 4h8a2 2 0 0 1 2 2v10M6 8h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2v-8a2 2 0 0 1 2-2Z" />
      </IconButton>
      {canReadValue ? (
        <IconButton label={`Copy value of ${secretPath}`} onClick={copyValue} busy={busy}>
          <circle cx="8" cy="15" r="4" />
          <path d="m10.85 12.15 8.15-8.15M16 7l2.5 2.5M14 9l2 2" />
        </IconButton>
      ) : null}
    </div>
  );
}

function IconButton({
  label,
  onClick,
  busy = false,
  children,
}: {
  label: string;
  onClick: () => void;
  busy?: boolean;
  children: React.ReactNode;
}) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={busy}
      aria-label={label}
      title={label}
      className="inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:ring-2 focus-visible:ring-brand-500 focus-visible:outline-none disabled:opacity-50"
    >
      <svg
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={1.6}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
        className="size-4"
      >
        {children}
      </svg>
    </button>
  );
}
