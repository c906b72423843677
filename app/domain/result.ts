/**
 * The one result shape of services: `{ ok: true, …data }` or `{ ok: false, kind, message, …details }`.
 * `kind` is a machine-readable reason (routes map it to a status), `message` is the Vietnamese text
 * shown to the user. Services return refusals; they throw only for programming errors.
 */
export type Ok<T extends object = object> = { ok: true } & T;
export type Fail<K extends string = string, E extends object = object> = { ok: false; kind: K; message: string } & E;
export type Result<T extends object = object, K extends string = string, E extends object = object> = Ok<T> | Fail<K, E>;

export const ok = <T extends object>(data: T): Ok<T> => ({ ok: true, ...data });
export const fail = <K extends string, E extends object = object>(kind: K, message: string, extra?: E): Fail<K, E> =>
  ({ ok: false, kind, message, ...(extra ?? {}) }) as Fail<K, E>;
