import { AppShell } from "@/components/app-shell";
import { HydrationGate } from "@/components/hydration-gate";
import { ToastProvider } from "@/components/toast-provider";
import { currentActor } from "./current-actor";

export const dynamic = "force-dynamic";

export default async function DashboardLayout({ children }: { children: React.ReactNode }) {
  const actor = await currentActor();
  return (
    <ToastProvider>
      <AppShell user={{ label: actor.label, role: actor.role }}>
        <HydrationGate>{children}</HydrationGate>
      </AppShell>
    </ToastProvider>
  );
}
