/**
 * Catalogue editions in the database: the working edition is seeded at first start, uploads are
 * validated and previewed, stored as drafts, published, and a published edition never changes.
 */
import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { eq } from "drizzle-orm";
import { useTestDatabase } from "../helpers/db";
import { browserAs, run } from "../helpers/http";
import { getDb } from "~/server/db/client.server";
import { catalogueEditions } from "~/server/db/schema.server";
import { getEdition, listEditions, newestPublished, publishEdition, saveDraft } from "~/server/services/catalogue.server";
import { hashEdition } from "~/server/services/catalogue-seed.server";
import { createUnit, createUser } from "~/server/services/org.server";
import * as adminIndex from "~/routes/quan-tri.chi-so._index";
import * as adminDetail from "~/routes/quan-tri.chi-so.$id";
import * as publicPage from "~/routes/chi-so._index";
import * as comparePage from "~/routes/chi-so.so-sanh";

useTestDatabase("catalogue");

const WORKING = "qd-4725-2022";
const shipped = JSON.parse(fs.readFileSync(path.resolve("indicators", WORKING, "edition.json"), "utf8"));

/** A corrected edition: 2.3.3 worth 12 and 2.3.4 worth 8 (the indicator still adds up to 70). */
function corrected(id: string) {
  const e = structuredClone(shipped);
  e.id = id;
  e.title = "Bộ chỉ số — bản hiệu chỉnh thử";
  e.status = "draft";
  for (const g of e.groups)
    for (const ind of g.indicators)
      for (const item of ind.items) {
        if (item.code === "2.3.3") item.max = 12;
        if (item.code === "2.3.4") item.max = 8;
      }
  return e;
}

let sysId = 0;
beforeAll(async () => {
  sysId = await createUser({ username: "sys", displayName: "Sys", password: "mat-khau-kiem-thu", roles: ["system_admin"] }, null);
  const unit = createUnit({ kind: "province", code: "P", name: "Sở", parentId: null }, null);
  await createUser({ username: "so.admin", displayName: "Sở", password: "mat-khau-kiem-thu", roles: ["office_admin"], unitId: unit }, null);
});

describe("seeding and immutability", () => {
  it("seeds the working edition, published, with the hash of its content", () => {
    const all = listEditions({ includeDrafts: true });
    expect(all.map((e) => e.id)).toEqual([WORKING]);
    const found = getEdition(WORKING)!;
    expect(found.row.status).toBe("published");
    expect(found.row.contentHash).toBe(hashEdition(shipped));
    expect(found.row.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(newestPublished()?.row.id).toBe(WORKING);
  });

  it("the database refuses any change to, or deletion of, a published edition", () => {
    const raw = getDb().$client;
    expect(() => raw.prepare("UPDATE catalogue_editions SET content = '{}' WHERE id = ?").run(WORKING)).toThrow(/immutable/);
    expect(() => raw.prepare("UPDATE catalogue_editions SET status = 'draft' WHERE id = ?").run(WORKING)).toThrow(/immutable/);
    expect(() => raw.prepare("DELETE FROM catalogue_editions WHERE id = ?").run(WORKING)).toThrow(/immutable/);
    expect(getEdition(WORKING)!.row.contentHash).toBe(hashEdition(shipped));
  });

  it("a draft with a published edition's id is refused, and publishing twice is refused", () => {
    const r = saveDraft(corrected(WORKING), sysId);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.errors[0].vi).toMatch(/đã được công bố/);
    expect(publishEdition(WORKING, sysId)).toEqual({ ok: false, reason: "already-published" });
  });
});

describe("upload → preview → draft → publish", () => {
  const ID = "qd-4725-2022-hieu-chinh";

  it("only the system admin may manage editions", async () => {
    const office = await browserAs("so.admin");
    expect((await run(adminIndex.loader as never, office.get("/quan-tri/chi-so"))).status).toBe(403);
    const res = await run(adminIndex.action as never, office.post("/quan-tri/chi-so", { intent: "save", json: JSON.stringify(corrected(ID)) }));
    expect(res.status).toBe(403);
    expect(getEdition(ID)).toBeNull();
  });

  it("refuses a broken edition, naming the code, and stores nothing", async () => {
    const b = await browserAs("sys");
    const broken = corrected(ID);
    broken.groups[1].indicators.find((i: { code: string }) => i.code === "2.3").items[0].max = 1; // 2.3 no longer adds up to 70
    const res = await run(adminIndex.action as never, b.post("/quan-tri/chi-so", { intent: "check", json: JSON.stringify(broken) }));
    expect(res.status).toBe(422);
    const body = (await res.json()) as { stage: string; errors: { code?: string; vi: string; en: string }[] };
    expect(body.stage).toBe("errors");
    expect(body.errors.some((e) => e.code === "2.3" && e.vi.includes("2.3") && e.en.includes("2.3"))).toBe(true);
    const notJson = await run(adminIndex.action as never, b.post("/quan-tri/chi-so", { intent: "save", json: "{ not json" }));
    expect(notJson.status).toBe(422);
    expect(getEdition(ID)).toBeNull();
  });

  it("a valid upload is previewed with its changes and nothing is stored yet", async () => {
    const b = await browserAs("sys");
    const res = await run(adminIndex.action as never, b.post("/quan-tri/chi-so", { intent: "check", json: JSON.stringify(corrected(ID)) }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { stage: string; diff: { items: { changed: { code: string; changes: { field: string; old: unknown; new: unknown }[] }[] } } };
    expect(body.stage).toBe("preview");
    const changed = Object.fromEntries(body.diff.items.changed.map((c) => [c.code, c.changes.find((x) => x.field === "max")]));
    expect(changed["2.3.3"]).toMatchObject({ old: 10, new: 12 });
    expect(changed["2.3.4"]).toMatchObject({ old: 10, new: 8 });
    expect(getEdition(ID)).toBeNull();
  });

  it("saves a draft that only the system admin can see, then publishes it for good", async () => {
    const b = await browserAs("sys");
    const saved = await run(adminIndex.action as never, b.post("/quan-tri/chi-so", { intent: "save", json: JSON.stringify(corrected(ID)) }));
    expect(saved.status).toBe(302);
    expect(saved.headers.get("Location")).toBe(`/quan-tri/chi-so/${ID}?da-luu=1`);
    expect(getEdition(ID)?.row.status).toBe("draft");

    const anon = await browserAs();
    expect((await run(publicPage.loader as never, anon.get(`/chi-so?phien-ban=${ID}`))).status).toBe(404);
    expect((await run(publicPage.loader as never, b.get(`/chi-so?phien-ban=${ID}`))).status).toBe(200);
    // The newest published edition is still the working one while the correction is a draft.
    expect(newestPublished()?.row.id).toBe(WORKING);

    const refused = await run(adminDetail.action as never, b.post(`/quan-tri/chi-so/${ID}`, { intent: "publish" }, { csrf: "forged" }), { id: ID });
    expect(refused.status).toBe(403);
    expect(getEdition(ID)?.row.status).toBe("draft");

    const published = await run(adminDetail.action as never, b.post(`/quan-tri/chi-so/${ID}`, { intent: "publish" }), { id: ID });
    expect(published.status).toBe(302);
    const row = getDb().select().from(catalogueEditions).where(eq(catalogueEditions.id, ID)).get()!;
    expect(row.status).toBe("published");
    expect((row.content as { status: string }).status).toBe("published");
    expect(row.contentHash).toBe(hashEdition(row.content));

    // Now immutable, through the service, the routes and the database.
    expect(saveDraft(corrected(ID), sysId).ok).toBe(false);
    const del = await run(adminDetail.action as never, b.post(`/quan-tri/chi-so/${ID}`, { intent: "delete" }), { id: ID });
    expect(del.status).toBe(409);
    expect(() => getDb().$client.prepare("UPDATE catalogue_editions SET title = 'x' WHERE id = ?").run(ID)).toThrow(/immutable/);
    expect((await run(publicPage.loader as never, anon.get(`/chi-so?phien-ban=${ID}`))).status).toBe(200);
  });

  it("the public diff page compares two published editions", async () => {
    const anon = await browserAs();
    const res = await run(comparePage.loader as never, anon.get(`/chi-so/so-sanh?tu=${WORKING}&den=${ID}`));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { diff: { items: { changed: { code: string }[]; added: unknown[]; removed: unknown[] } } };
    expect(body.diff.items.changed.map((c) => c.code).sort()).toEqual(["2.3.3", "2.3.4"]);
    expect(body.diff.items.added).toEqual([]);
    expect(body.diff.items.removed).toEqual([]);
    expect((await run(comparePage.loader as never, anon.get(`/chi-so/so-sanh?tu=${WORKING}&den=khong-co`))).status).toBe(404);
    expect((await run(comparePage.loader as never, anon.get(`/chi-so/so-sanh?tu=../../etc`))).status).toBe(400);
  });
});
