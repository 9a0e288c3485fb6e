import { redirect } from "next/navigation";

// Settings has no page of its own: its first section is the providers list.
export default function SettingsPage() {
  redirect("/settings/secret-providers");
}
