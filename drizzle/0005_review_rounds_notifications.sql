CREATE TABLE `assessment_rounds` (
	`assessment_id` integer NOT NULL,
	`round` integer NOT NULL,
	`submitted_at` integer NOT NULL,
	`submitted_by` integer,
	`snapshot` text NOT NULL,
	`outcome` text,
	`decided_at` integer,
	`decided_by` integer,
	PRIMARY KEY(`assessment_id`, `round`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`submitted_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `notifications` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`assessment_id` integer,
	`school_id` integer,
	`actor_id` integer,
	`details` text,
	`created_at` integer NOT NULL,
	`read_at` integer,
	`emailed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `notifications_user_idx` ON `notifications` (`user_id`,`read_at`);--> statement-breakpoint
CREATE INDEX `notifications_assessment_idx` ON `notifications` (`assessment_id`);--> statement-breakpoint
CREATE INDEX `notifications_school_idx` ON `notifications` (`school_id`);--> statement-breakpoint
CREATE INDEX `notifications_actor_idx` ON `notifications` (`actor_id`);--> statement-breakpoint
ALTER TABLE `assessments` ADD `reviewer_id` integer REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `assessments` ADD `round` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `assessments` ADD `returned_at` integer;--> statement-breakpoint
ALTER TABLE `assessments` ADD `external_team` text;--> statement-breakpoint
ALTER TABLE `assessments` ADD `external_finished_at` integer;--> statement-breakpoint
ALTER TABLE `assessments` ADD `external_finished_by` integer REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
CREATE INDEX `assessments_reviewer_idx` ON `assessments` (`reviewer_id`);--> statement-breakpoint
ALTER TABLE `review_comments` ADD `round` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `reply` text;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `addressed` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `replied_at` integer;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `replied_by` integer REFERENCES users(id) ON DELETE SET NULL;--> statement-breakpoint
ALTER TABLE `review_comments` ADD `resolved_by` integer REFERENCES users(id) ON DELETE SET NULL;