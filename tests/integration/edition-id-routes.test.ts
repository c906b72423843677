/**
 * An edition uploaded with a borderline-valid id (shortest, longest) can be opened, previewed and
 * published through the admin detail route; ids the upload refuses never reach it (finding 10).
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run, type Browser } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { createUser } from "~/server/services/org.server";
import * as adminIndex from "~/routes/quan-tri.chi-so._index";
import * as adminDetail from "~/routes/quan-tri.chi-so.$id";
import * as publicCatalogue from "~/routes/chi-so._index";

useTestDatabase("edition-id");

const base = JSON.parse(fs.readFileSync(path.resolve(__dirname, "../../indicators/qd-4725-2022/edition.json"), "utf8")) as Record<string, unknown>;
let admin: Browser;

beforeAll(async () => {
  await createUser({ username: "ed.admin", displayName: "Quản trị", password: "mat-khau-kiem-thu-12", roles: ["system_admin"] }, null);
  admin = await browserAs("ed.admin");
});

const text = (id: string) => JSON.stringify({ ...base, id, status: "draft", title: `Bộ chỉ số ${id.slice(0, 10)}` });
const upload = (intent: "check" | "save", id: string) => run(adminIndex.action as never, admin.post("/quan-tri/chi-so", { intent, json: text(id) }));
const row = (id: string) => getDb().$client.prepare("SELECT id, status FROM catalogue_editions WHERE id = ?").get(id) as { id: string; status: string } | undefined;

describe("borderline ids through the admin routes", () => {
  for (const id of ["ab", "z".repeat(64)]) {
    it(`${id.length} characters: checked, saved, opened, published`, async () => {
      const checked = await upload("check", id);
      expect(checked.status).toBe(200);
      expect(((await checked.json()) as { stage: string }).stage).toBe("preview");
      const saved = await upload("save", id);
      expect(saved.status).toBe(302);
      expect(saved.headers.get("Location")).toBe(`/quan-tri/chi-so/${id}?da-luu=1`);
      expect(row(id)).toEqual({ id, status: "draft" });

      const opened = await run(adminDetail.loader as never, admin.get(`/quan-tri/chi-so/${id}`), { id });
      expect(opened.status).toBe(200);
      const found = ((await opened.json()) as { found: { row: { id: string; status: string } } }).found;
      expect(found.row).toMatchObject({ id, status: "draft" });

      const published = await run(adminDetail.action as never, admin.post(`/quan-tri/chi-so/${id}`, { intent: "publish" }), { id });
      expect(published.status).toBe(302);
      expect(row(id)).toEqual({ id, status: "published" });
      // The public catalogue opens it by ?phien-ban= too.
      const pub = await run(publicCatalogue.loader as never, admin.get(`/chi-so?phien-ban=${id}`));
      expect(pub.status).toBe(200);
    });
  }

  for (const id of ["a", "a".repeat(65), "a".repeat(70), "a--b"]) {
    it(`${JSON.stringify(id.length > 10 ? `${id.length} chars` : id)}: refused at upload, and the detail route refuses it the same way`, async () => {
      const saved = await upload("save", id);
      expect(saved.status).toBe(422);
      const body = (await saved.json()) as { stage: string; errors: { kind: string }[] };
      expect(body.errors.map((e) => e.kind)).toEqual(["edition-id"]);
      expect(row(id)).toBeUndefined();
      const opened = await run(adminDetail.loader as never, admin.get(`/quan-tri/chi-so/${id}`), { id });
      expect(opened.status).toBe(404);
    });
  }
});
