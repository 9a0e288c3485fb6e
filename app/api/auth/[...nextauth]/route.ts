import NextAuth from "next-auth";
import { authOptions } from "@/lib/auth/auth-options";
import { guardedNextAuthPost } from "@/lib/auth/next-auth-post";

// next-auth's sign-in, sign-out, session and CSRF endpoints. Options are built per request
// because they need the master key, which `next build` does not have. POSTs are size-limited,
// and password sign-in rate-limited, before next-auth reads them.
type Context = { params: Promise<{ nextauth: string[] }> };

async function GET(request: Request, context: Context) {
  return NextAuth(request as never, { params: await context.params } as never, authOptions());
}

async function POST(request: Request, context: Context) {
  const params = await context.params;
  return guardedNextAuthPost(request, params.nextauth, (copy) => NextAuth(copy as never, { params } as never, authOptions()));
}

export { GET, POST };
