/** Parsing route params and query strings with zod: bad input is a 400 with a Vietnamese message, never a crash. */
import { json } from "@remix-run/node";
import { z } from "zod";
import { pick } from "~/i18n";
import { admin } from "~/i18n/admin";

const t = pick(admin);

export function badRequest(message: string): never {
  throw json({ error: message }, { status: 400 });
}

export function notFound(message: string): never {
  throw json({ error: message }, { status: 404 });
}

/** A positive integer id from a route param ("/quan-tri/truong/abc" is a 400). */
export function parseId(raw: string | undefined, message = t.errors.badId): number {
  if (raw == null || !/^[1-9][0-9]{0,9}$/.test(raw)) badRequest(message);
  const n = Number(raw);
  if (n > 2_147_483_647) badRequest(message);
  return n;
}

const emptyToUndefined = (v: unknown) => (v === "" || v == null ? undefined : v);

/** Common query of the admin lists: ?q=&page= */
export const listQuerySchema = z.object({
  q: z.preprocess(emptyToUndefined, z.string().trim().max(100, t.errors.badQuery).optional()),
  page: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[0-9]{1,7}$/, t.errors.badPage)
      .transform(Number)
      .pipe(z.number().int().min(1, t.errors.badPage))
      .optional(),
  ),
});

/** An optional positive integer query parameter (a filter id). */
export const optionalIdParam = (message: string) =>
  z.preprocess(emptyToUndefined, z.string().regex(/^[1-9][0-9]{0,9}$/, message).transform(Number).optional());

/** Parses the request's query string (first value of each key) or throws a 400. */
export function parseQuery<S extends z.ZodTypeAny>(request: Request, schema: S): z.output<S> {
  const params = new URL(request.url).searchParams;
  const raw: Record<string, string> = {};
  for (const [k, v] of params) if (!(k in raw)) raw[k] = v;
  const result = schema.safeParse(raw);
  if (!result.success) badRequest(result.error.issues[0]?.message ?? t.errors.badFilter);
  return result.data;
}
