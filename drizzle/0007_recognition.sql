CREATE TABLE `certificates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`decision_id` integer NOT NULL,
	`assessment_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`issuing_unit_id` integer NOT NULL,
	`school_year` text NOT NULL,
	`serial_year` integer NOT NULL,
	`serial_no` integer NOT NULL,
	`serial` text NOT NULL,
	`level` integer NOT NULL,
	`token` text NOT NULL,
	`issued_at` integer NOT NULL,
	`issued_by` integer,
	`revoked_at` integer,
	`revoked_by` integer,
	`revoke_reason` text,
	FOREIGN KEY (`decision_id`) REFERENCES `recognition_decisions`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`issuing_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_serial_uq` ON `certificates` (`issuing_unit_id`,`serial_year`,`serial_no`);--> statement-breakpoint
CREATE UNIQUE INDEX `certificates_token_uq` ON `certificates` (`token`);--> statement-breakpoint
CREATE INDEX `certificates_assessment_idx` ON `certificates` (`assessment_id`);--> statement-breakpoint
CREATE INDEX `certificates_decision_idx` ON `certificates` (`decision_id`);--> statement-breakpoint
CREATE INDEX `certificates_school_idx` ON `certificates` (`school_id`);--> statement-breakpoint
CREATE INDEX `certificates_issued_by_idx` ON `certificates` (`issued_by`);--> statement-breakpoint
CREATE INDEX `certificates_revoked_by_idx` ON `certificates` (`revoked_by`);--> statement-breakpoint
CREATE TABLE `jobs` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`user_id` integer,
	`decision_id` integer,
	`status` text DEFAULT 'running' NOT NULL,
	`total` integer DEFAULT 0 NOT NULL,
	`done` integer DEFAULT 0 NOT NULL,
	`file` text,
	`error` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`heartbeat_at` integer,
	`finished_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`decision_id`) REFERENCES `recognition_decisions`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `jobs_decision_idx` ON `jobs` (`decision_id`,`kind`);--> statement-breakpoint
CREATE INDEX `jobs_user_idx` ON `jobs` (`user_id`);--> statement-breakpoint
CREATE TABLE `recognition_decision_items` (
	`decision_id` integer NOT NULL,
	`assessment_id` integer NOT NULL,
	PRIMARY KEY(`decision_id`, `assessment_id`),
	FOREIGN KEY (`decision_id`) REFERENCES `recognition_decisions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `recognition_decision_items_assessment_idx` ON `recognition_decision_items` (`assessment_id`);--> statement-breakpoint
CREATE TABLE `recognition_decisions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`issuing_unit_id` integer NOT NULL,
	`school_year` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`number` text,
	`decided_on` text,
	`place` text,
	`signer_name` text,
	`signer_title` text,
	`bases` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	`issued_at` integer,
	`issued_by` integer,
	`revoked_at` integer,
	`revoked_by` integer,
	`revoke_reason` text,
	FOREIGN KEY (`issuing_unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`issued_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`revoked_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE UNIQUE INDEX `recognition_decisions_number_uq` ON `recognition_decisions` (`issuing_unit_id`,`number`) WHERE number IS NOT NULL;--> statement-breakpoint
CREATE INDEX `recognition_decisions_unit_year_idx` ON `recognition_decisions` (`issuing_unit_id`,`school_year`);--> statement-breakpoint
CREATE INDEX `recognition_decisions_created_by_idx` ON `recognition_decisions` (`created_by`);--> statement-breakpoint
CREATE INDEX `recognition_decisions_issued_by_idx` ON `recognition_decisions` (`issued_by`);--> statement-breakpoint
CREATE INDEX `recognition_decisions_revoked_by_idx` ON `recognition_decisions` (`revoked_by`);