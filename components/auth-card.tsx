import { LogoMark } from "./icons";

/** The centred card that frames the sign-in and first-run pages. */
export function AuthCard({
  title,
  subtitle,
  children,
  footer,
}: {
  title: string;
  subtitle?: React.ReactNode;
  children: React.ReactNode;
  footer?: React.ReactNode;
}) {
  return (
    <main className="flex min-h-screen items-center justify-center bg-linear-to-b from-brand-50 to-slate-50 px-4 py-12">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <LogoMark className="size-8" />
          <span className="text-lg font-semibold tracking-tight text-slate-900">Provenance</span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-7">
          <h1 className="text-xl font-semibold text-slate-900">{title}</h1>
          {subtitle ? <div className="mt-1 text-sm leading-relaxed text-slate-600">{subtitle}</div> : null}
          <div className="mt-6">{children}</div>
        </div>
        {footer ? <div className="mt-6 text-center text-xs text-slate-500">{footer}</div> : null}
      </div>
    </main>
  );
}
