import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/** Overhead allowed beside the parts of a small form (other fields, multipart framing). */
const FORM_OVERHEAD = 64 * 1024;

class FormTooBig extends Error {}

/**
 * The body of `request`, counted: the returned stream fails with FormTooBig past `cap` bytes and
 * leaves the source unread from there on; `drain` then reads and discards at most `cap` more bytes
 * and tells whether the body ended (the connection can be reused) or not (it must be closed).
 */
function countedBody(request: Request, cap: number) {
  const reader = request.body!.getReader();
  let seen = 0;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) return controller.close();
      seen += value.byteLength;
      if (seen > cap) return controller.error(new FormTooBig());
      controller.enqueue(value);
    },
  });
  async function drain(): Promise<boolean> {
    let discarded = 0;
    try {
      while (discarded <= cap) {
        const { done, value } = await reader.read();
        if (done) return true;
        discarded += value.byteLength;
      }
      await reader.cancel().catch(() => undefined);
      return false;
    } catch {
      return false;
    }
  }
  return { stream, drain };
}

/**
 * Reads a small form (urlencoded or multipart) without ever holding more than about twice `maxBytes`:
 * multipart parts are capped at `maxBytes` (only for small inputs such as a CSV or a catalogue JSON;
 * evidence streams to disk elsewhere) and the whole body at 2 × maxBytes + 64 KB.
 * Too big gives a 413 with `tooBigMessage`, and the rest of the body is read and discarded first
 * (bounded), so the client gets its answer at once instead of a stalled, then reset, connection.
 * When the rest is too long to discard (or was declared too long, so nothing is read), the 413 says
 * `Connection: close` and the server closes the connection gracefully after sending it.
 */
export async function readSmallForm(request: Request, maxBytes: number, tooBigMessage: string): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  const cap = maxBytes * 2 + FORM_OVERHEAD;
  const tooBig = (reusable: boolean) =>
    json({ error: tooBigMessage }, { status: 413, headers: reusable ? undefined : { Connection: "close" } });
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > cap) throw tooBig(false);
  if (!request.body) return new FormData();
  const { stream, drain } = countedBody(request, cap);
  const counted = new Request(request.url, {
    method: request.method,
    headers: request.headers,
    body: stream,
    duplex: "half",
  } as RequestInit & { duplex: "half" });
  if (!type.startsWith("multipart/form-data")) {
    try {
      return await counted.formData();
    } catch (e) {
      if (e instanceof FormTooBig || (e instanceof Error && e.cause instanceof FormTooBig)) throw tooBig(await drain());
      throw json({ error: "Dữ liệu gửi lên không đọc được." }, { status: 400 });
    }
  }
  try {
    return await unstable_parseMultipartFormData(counted, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }));
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError || e instanceof FormTooBig || (e instanceof Error && e.cause instanceof FormTooBig)) {
      throw tooBig(await drain());
    }
    throw json({ error: "Dữ liệu gửi lên không đọc được." }, { status: 400 });
  }
}

/** Text of a form field that may be a File (upload) or a string (textarea). */
export async function fieldText(v: FormDataEntryValue | null): Promise<string> {
  if (v == null) return "";
  if (typeof v === "string") return v;
  return await v.text();
}

/**
 * `request.formData()` for plain forms: a body that does not parse as the form it claims to be
 * (broken multipart, a truncated upload) is a 400 with a Vietnamese message, never a 500. The server
 * has already bounded the body (app/server/http/body-limits.server.ts).
 */
export async function readForm(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (e) {
    if (e instanceof Response) throw e;
    throw json({ error: "Dữ liệu gửi lên không đọc được." }, { status: 400 });
  }
}
