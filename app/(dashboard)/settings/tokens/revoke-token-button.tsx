"use client";

import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { useToast } from "@/components/toast-provider";
import { useConfirmedAction } from "@/components/use-confirmed-action";
import { revokeTokenAction } from "./actions";

/** Revokes a token after confirming; programs using it get 401 from then on. */
export function RevokeTokenButton({ id, name }: { id: string; name: string }) {
  const toast = useToast();
  const { open, pending, error, confirm, show, close } = useConfirmedAction(
    () => revokeTokenAction(id),
    () => toast.success(`Token “${name}” revoked.`),
    "The token could not be revoked.",
  );

  return (
    <>
      <Button variant="secondary" size="sm" onClick={show} aria-label={`Revoke token ${name}`}>
        Revoke
      </Button>
      <ConfirmDialog
        open={open}
        title={`Revoke “${name}”?`}
        confirmLabel="Revoke token"
        pendingLabel="Revoking…"
        pending={pending}
        onConfirm={confirm}
        onClose={close}
      >
        <p>Every program using this token is refused from now on (401). This cannot be undone; create a new token if it is still needed.</p>
        {error ? <p className="font-medium text-red-700">{error}</p> : null}
      </ConfirmDialog>
    </>
  );
}
