-- A published catalogue edition is immutable: its content, hash, id and status cannot change,
-- and it cannot be deleted. Assessments pin editions, so this keeps every past score reproducible.
CREATE TRIGGER catalogue_editions_published_no_update
BEFORE UPDATE ON catalogue_editions
FOR EACH ROW WHEN OLD.status = 'published'
BEGIN
  SELECT RAISE(ABORT, 'published catalogue edition is immutable');
END;
--> statement-breakpoint
CREATE TRIGGER catalogue_editions_published_no_delete
BEFORE DELETE ON catalogue_editions
FOR EACH ROW WHEN OLD.status = 'published'
BEGIN
  SELECT RAISE(ABORT, 'published catalogue edition is immutable');
END;
