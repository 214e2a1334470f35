ALTER TABLE "sites" DROP CONSTRAINT "sites_hub_iff_spoke";--> statement-breakpoint
ALTER TABLE "sites" DROP CONSTRAINT "sites_role_check";--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_hub_iff_run_from_hub" CHECK (("sites"."role" in ('spoke', 'venue')) = ("sites"."hub_id" is not null));--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_role_check" CHECK ("sites"."role" in ('hub', 'spoke', 'standalone', 'venue'));