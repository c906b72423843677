CREATE TABLE `assessment_results` (
	`assessment_id` integer NOT NULL,
	`phase` text NOT NULL,
	`kind` text NOT NULL,
	`code` text NOT NULL,
	`points` integer NOT NULL,
	`max` integer NOT NULL,
	`level` integer,
	`met` integer,
	`option` text,
	PRIMARY KEY(`assessment_id`, `phase`, `kind`, `code`),
	FOREIGN KEY (`assessment_id`) REFERENCES `assessments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `publications` (
	`unit_id` integer NOT NULL,
	`school_year` text NOT NULL,
	`published_at` integer NOT NULL,
	`published_by` integer,
	`withdrawn_at` integer,
	`withdrawn_by` integer,
	PRIMARY KEY(`unit_id`, `school_year`),
	FOREIGN KEY (`unit_id`) REFERENCES `units`(`id`) ON UPDATE no action ON DELETE restrict,
	FOREIGN KEY (`published_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`withdrawn_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `publications_published_by_idx` ON `publications` (`published_by`);--> statement-breakpoint
CREATE INDEX `publications_withdrawn_by_idx` ON `publications` (`withdrawn_by`);