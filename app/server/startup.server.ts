/** Start-up: open and migrate the database, make sure a first admin exists, seed the demo. */
import { getDb } from "./db/client.server";
import { countUsers, createUser } from "./services/org.server";
import { seedDemoData } from "./demo/seed.server";
import "./services/catalogue-seed.server";
import { sweepAtStart } from "./storage/sweep.server";
import { backfillResults } from "./services/results.server";

export interface BootstrapResult {
  ok: boolean;
  message?: string;
}

/**
 * Runs before the server listens. Opens the database (applying migrations and seeding the
 * catalogue editions in indicators/). On an empty database it creates the first system admin
 * from ADMIN_USERNAME / ADMIN_PASSWORD (/ ADMIN_NAME); without them it refuses to start.
 */
export async function bootstrap(env: NodeJS.ProcessEnv = process.env): Promise<BootstrapResult> {
  const db = getDb();
  // Staging files no running upload owns (kill -9 mid-upload) and orphan stored files: storage/sweep.server.
  await sweepAtStart(db);
  // Files scored before results were stored (migration 0008) get their rows once.
  backfillResults(db);
  if (countUsers(db) > 0) return { ok: true };
  const username = env.ADMIN_USERNAME?.trim();
  const password = env.ADMIN_PASSWORD ?? "";
  if (!username || password.length < 10) {
    return {
      ok: false,
      message:
        "Cơ sở dữ liệu chưa có tài khoản nào. Hãy chạy lại với ADMIN_USERNAME và ADMIN_PASSWORD (ít nhất 10 ký tự) để tạo quản trị hệ thống đầu tiên, ví dụ:\n" +
        "  ADMIN_USERNAME=quantri ADMIN_PASSWORD='mat-khau-du-dai' npm start\n" +
        "(The database has no accounts yet: set ADMIN_USERNAME and ADMIN_PASSWORD, at least 10 characters, to create the first system admin.)",
    };
  }
  // The bootstrap password sat in the environment (shell history, service file): it must be changed at first sign-in.
  await createUser({ username, password, displayName: env.ADMIN_NAME?.trim() || "Quản trị hệ thống", roles: ["system_admin"], mustChangePassword: true }, null, db);
  return { ok: true, message: `Đã tạo tài khoản quản trị hệ thống đầu tiên: ${username}` };
}

/** Seeds the demo province once (only into the demo database; npm start never calls this). */
export async function seedDemo(): Promise<{ seeded: boolean }> {
  const db = getDb();
  if (countUsers(db) > 0) return { seeded: false };
  await seedDemoData(db);
  return { seeded: true };
}
