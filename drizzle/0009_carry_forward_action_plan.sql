CREATE TABLE `action_item_evidence` (
	`action_id` integer NOT NULL,
	`evidence_id` integer NOT NULL,
	PRIMARY KEY(`action_id`, `evidence_id`),
	FOREIGN KEY (`action_id`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`evidence_id`) REFERENCES `evidence`(`id`) ON UPDATE no action ON DELETE restrict
);
--> statement-breakpoint
CREATE INDEX `action_item_evidence_evidence_idx` ON `action_item_evidence` (`evidence_id`);--> statement-breakpoint
CREATE TABLE `action_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`assessment_id` integer NOT NULL,
	`school_id` integer NOT NULL,
	`kind` text NOT NULL,
	`item_code` text,
	`title` text NOT NULL,
	`gain` integer DEFAULT 0 NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`owner_id` integer,
	`due_date` text,
	`status` text DEFAULT 'todo' NOT NULL,
	`notes` text,
	`carried_from` integer,
	`version` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer,
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`school_id`) REFERENCES `schools`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`owner_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`carried_from`) REFERENCES `action_items`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `action_items_assessment_idx` ON `action_items` (`assessment_id`);--> statement-breakpoint
CREATE INDEX `action_items_school_idx` ON `action_items` (`school_id`);--> statement-breakpoint
CREATE INDEX `action_items_carried_idx` ON `action_items` (`carried_from`);--> statement-breakpoint
CREATE INDEX `action_items_owner_idx` ON `action_items` (`owner_id`);--> statement-breakpoint
ALTER TABLE `answers` ADD `carried_from` integer;