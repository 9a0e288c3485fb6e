import { Badge } from "./badge";

const DESCRIPTIONS: Record<string, string> = {
  admin: "Admin: everything, including connections, users and tokens",
  editor: "Editor: secrets and their values; reads connections",
  viewer: "Viewer: metadata only, never a value",
};

/** A role as a badge, with what it allows as its tooltip. */
export function RoleBadge({ role }: { role: string }) {
  return (
    <span title={DESCRIPTIONS[role]}>
      <Badge tone={role === "admin" ? "brand" : role === "editor" ? "success" : "neutral"}>{role}</Badge>
    </span>
  );
}
