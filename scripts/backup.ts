/**
 * Backup: npm run backup -- DIR
 *
 * Writes a consistent copy of the database (DATABASE_PATH, default data/cds4725.sqlite; SQLite's
 * online backup, safe while the server runs) and of every evidence file it refers to
 * (EVIDENCE_DIR, default evidence/ next to the database), each file's sha256 checked, plus
 * manifest.json, into DIR, which must be absent or empty. See scripts/backup-lib.ts.
 * Exit status: 0 done; 2 bad usage or DIR not empty; 1 failure (nothing is left in DIR).
 * Messages: Vietnamese | English.
 */
import { line, localTime, parseDirArg, runBackup, runCli, say } from "./backup-lib";

void runCli(async () => {
  const args = parseDirArg(process.argv.slice(2), say("backupUsage"));
  if (args.help) return say("backupUsage");
  const { dir, manifest } = await runBackup({ dir: args.dir, log: (m) => process.stderr.write(line(m) + "\n") });
  return say("backupDone", dir, localTime(manifest.createdAt), manifest.evidence.files, manifest.evidence.bytes);
});
