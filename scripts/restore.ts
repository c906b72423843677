/**
 * Restore: npm run restore -- DIR
 *
 * Brings the backup in DIR (written by npm run backup) back into an EMPTY data folder: the
 * database goes to DATABASE_PATH (default data/cds4725.sqlite), the evidence files to
 * EVIDENCE_DIR (default evidence/ next to the database). Refuses when a database or any evidence
 * file is already there. Checks the manifest, every hash, integrity_check, foreign_key_check and
 * the row counts before the database is put in place. See scripts/backup-lib.ts.
 * Exit status: 0 done; 2 bad usage, not a backup, or target not empty; 1 failure (nothing left).
 * Messages: Vietnamese | English.
 */
import { localTime, parseDirArg, runCli, runRestore, say } from "./backup-lib";

void runCli(async () => {
  const args = parseDirArg(process.argv.slice(2), say("restoreUsage"));
  if (args.help) return say("restoreUsage");
  const r = await runRestore({ dir: args.dir });
  return say("restoreDone", r.databasePath, r.evidenceDir, localTime(r.manifest.createdAt), r.files);
});
