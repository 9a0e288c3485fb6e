"use client";

import { useState } from "react";
import { Button } from "@/components/button";
import { ConfirmDialog } from "@/components/confirm-dialog";
import { CONTROL_CLASSES } from "@/components/field-frame";
import { useToast } from "@/components/toast-provider";
import { ROLES } from "@/lib/auth/roles";
import type { UserView } from "@/lib/users/manage-users";
import { updateUserAction } from "./actions";
import { withArticle } from "./role-words";
import { ResetPasswordButton } from "./reset-password-button";

/** Change a user's role (applies at once) and disable or re-enable them (disabling asks first). */
export function UserRowActions({ user, isSelf }: { user: UserView; isSelf: boolean }) {
  const toast = useToast();
  const [role, setRole] = useState(user.role);
  const [pending, setPending] = useState(false);
  const [confirming, setConfirming] = useState(false);

  async function changeRole(next: string) {
    const previous = role;
    setRole(next);
    setPending(true);
    const result = await updateUserAction(user.id, { role: next });
    setPending(false);
    if (result.ok) toast.success(`${user.email} is now ${withArticle(next)}.`);
    else {
      setRole(previous);
      toast.error(result.message ?? "The role could not be changed.");
    }
  }

  async function setDisabled(disabled: boolean) {
    setPending(true);
    const result = await updateUserAction(user.id, { disabled });
    setPending(false);
    setConfirming(false);
    if (result.ok) toast.success(disabled ? `${user.email} is disabled and signed out.` : `${user.email} can sign in again.`);
    else toast.error(result.message ?? "That did not work.");
  }

  return (
    <div className="flex items-center gap-2">
      <label htmlFor={`role-${user.id}`} className="sr-only">
        Role of {user.email}
      </label>
      <select
        id={`role-${user.id}`}
        value={role}
        disabled={pending || user.disabled}
        onChange={(event) => changeRole(event.target.value)}
        className={`${CONTROL_CLASSES} w-28 py-1.5`}
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {isSelf ? null : user.disabled ? (
        <Button variant="secondary" size="sm" onClick={() => setDisabled(false)} pending={pending} aria-label={`Enable ${user.email}`}>
          Enable
        </Button>
      ) : (
        <Button variant="secondary" size="sm" onClick={() => setConfirming(true)} disabled={pending} aria-label={`Disable ${user.email}`}>
          Disable
        </Button>
      )}
      {isSelf ? null : <ResetPasswordButton user={user} />}
      <ConfirmDialog
        open={confirming}
        title={`Disable ${user.email}?`}
        confirmLabel="Disable user"
        pendingLabel="Disabling…"
        pending={pending}
        onConfirm={() => setDisabled(true)}
        onClose={() => setConfirming(false)}
      >
        <p>
          They are signed out at once and cannot sign in until re-enabled. API tokens they created stop working while they are disabled.
        </p>
      </ConfirmDialog>
    </div>
  );
}
