CREATE TABLE `leases` (
	`key` text PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `schools` ADD `managing_path` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `schools` ADD `reviewing_path` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `schools_managing_path_idx` ON `schools` (`managing_path`);--> statement-breakpoint
CREATE INDEX `schools_reviewing_path_idx` ON `schools` (`reviewing_path`);--> statement-breakpoint
ALTER TABLE `units` ADD `path` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `units_path_idx` ON `units` (`path`);--> statement-breakpoint
CREATE INDEX `assessments_cycle_status_idx` ON `assessments` (`cycle_id`,`status`);--> statement-breakpoint
CREATE INDEX `certificates_assessment_idx` ON `certificates` (`assessment_id`);--> statement-breakpoint
CREATE INDEX `evidence_sha256_idx` ON `evidence` (`sha256`);--> statement-breakpoint
CREATE INDEX `evidence_links_evidence_idx` ON `evidence_links` (`evidence_id`);--> statement-breakpoint
CREATE INDEX `login_throttle_window_idx` ON `login_throttle` (`window_start`);--> statement-breakpoint
CREATE INDEX `review_comments_assessment_idx` ON `review_comments` (`assessment_id`);--> statement-breakpoint
CREATE INDEX `sessions_expires_idx` ON `sessions` (`expires_at`);--> statement-breakpoint
CREATE INDEX `users_unit_idx` ON `users` (`unit_id`);--> statement-breakpoint
CREATE INDEX `users_school_idx` ON `users` (`school_id`);
--> statement-breakpoint
-- Paths are written by these triggers only, so every writer (services, import, seeds, restores,
-- tests inserting rows directly) keeps them right. A unit's path is its ancestors' ids and its own,
-- "/1/7/42/"; the subtree of a unit is the range [path, path without its last "/" followed by "0").
CREATE TRIGGER units_path_after_insert AFTER INSERT ON units
BEGIN
  UPDATE units SET path = COALESCE((SELECT p.path FROM units p WHERE p.id = NEW.parent_id), '/') || NEW.id || '/'
   WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER units_path_after_move AFTER UPDATE OF parent_id ON units
WHEN OLD.parent_id IS NOT NEW.parent_id
BEGIN
  UPDATE units
     SET path = COALESCE((SELECT p.path FROM units p WHERE p.id = NEW.parent_id), '/') || NEW.id || '/' || substr(path, length(OLD.path) + 1)
   WHERE path >= OLD.path AND path < substr(OLD.path, 1, length(OLD.path) - 1) || '0';
  UPDATE schools SET managing_path = (SELECT u.path FROM units u WHERE u.id = schools.managing_unit_id)
   WHERE managing_path >= OLD.path AND managing_path < substr(OLD.path, 1, length(OLD.path) - 1) || '0';
  UPDATE schools SET reviewing_path = (SELECT u.path FROM units u WHERE u.id = schools.reviewing_unit_id)
   WHERE reviewing_path >= OLD.path AND reviewing_path < substr(OLD.path, 1, length(OLD.path) - 1) || '0';
END;
--> statement-breakpoint
CREATE TRIGGER schools_path_after_insert AFTER INSERT ON schools
BEGIN
  UPDATE schools
     SET managing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = NEW.managing_unit_id), ''),
         reviewing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = NEW.reviewing_unit_id), '')
   WHERE id = NEW.id;
END;
--> statement-breakpoint
CREATE TRIGGER schools_path_after_placement AFTER UPDATE OF managing_unit_id, reviewing_unit_id ON schools
BEGIN
  UPDATE schools
     SET managing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = NEW.managing_unit_id), ''),
         reviewing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = NEW.reviewing_unit_id), '')
   WHERE id = NEW.id;
END;
--> statement-breakpoint
-- The paths of rows that existed before this migration.
WITH RECURSIVE p(id, path) AS (
  SELECT id, '/' || id || '/' FROM units WHERE parent_id IS NULL
  UNION ALL
  SELECT u.id, p.path || u.id || '/' FROM units u JOIN p ON u.parent_id = p.id
)
UPDATE units SET path = (SELECT p.path FROM p WHERE p.id = units.id);
--> statement-breakpoint
UPDATE schools
   SET managing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = schools.managing_unit_id), ''),
       reviewing_path = COALESCE((SELECT u.path FROM units u WHERE u.id = schools.reviewing_unit_id), '');
