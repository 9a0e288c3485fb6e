import { config } from "zod";

// Runs in the browser before the app's own code. Zod probes for `new Function` to compile faster
// validators; under our Content-Security-Policy (no 'unsafe-eval') that probe is refused and
// reported as a violation on every form. The interpreted validators are plenty for forms.
config({ jitless: true });
