"use client";

import { useState } from "react";
import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useToast } from "@/components/toast-provider";
import { revokeTokenAction } from "./actions";

/** Revokes a token after confirming; programs using it get 401 from then on. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setPending(true);
    setError(null);
    const result = await revokeTokenAction(id);
    setPending(false);
    if (!result.ok) return setError(result.message ?? "The token could not be revoked.");
    setOpen(false);
    toast.success(`Token “${name}” revoked.`);
  }

  return (
    <>
      <Button variant="secondary" size="sm" onClick={() => setOpen(true)} aria-label={`Revoke token ${name}`}>
        Revoke
      </Button>
      <ConfirmDialog open={open} title={`Revoke “${name}”?`} confirmLabel="Revoke token" pendingLabel="Revoking…" pending={pending} onConfirm={confirm} onClose={() => setOpen(false)}>
        <p>Every program using this token is refused from now on (401). This cannot be undone; create a new token if it is still needed.</p>
        {error ? <p className="font-medium text-red-700">{error}</p> : null}
      </ConfirmDialog>
    </>
  );
}
