import {
  json,
  MaxPartSizeExceededError,
  unstable_createMemoryUploadHandler,
  unstable_parseMultipartFormData,
} from "@remix-run/node";

/**
 * Reads a small form (urlencoded or multipart). Multipart parts are capped at `maxBytes`
 * (only for small inputs such as a CSV or a catalogue JSON; evidence streams to disk elsewhere).
 * A bigger part gives a 413 with a Vietnamese message instead of a crash.
 */
export async function readSmallForm(request: Request, maxBytes: number, tooBigMessage: string): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  const declared = Number(request.headers.get("Content-Length") ?? "0");
  if (declared > maxBytes * 2 + 64 * 1024) throw json({ error: tooBigMessage }, { status: 413 });
  if (!type.startsWith("multipart/form-data")) return request.formData();
  try {
    return await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: maxBytes }));
  } catch (e) {
    if (e instanceof MaxPartSizeExceededError) throw json({ error: tooBigMessage }, { status: 413 });
    throw json({ error: "Dữ liệu gửi lên không đọc được." }, { status: 400 });
  }
}

/** Text of a form field that may be a File (upload) or a string (textarea). */
export async function fieldText(v: FormDataEntryValue | null): Promise<string> {
  if (v == null) return "";
  if (typeof v === "string") return v;
  return await v.text();
}
