CREATE TABLE "central_costs" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"title" text NOT NULL,
	"category" text NOT NULL,
	"fte" numeric(8, 4),
	"annual_cost_per_fte_pence" bigint,
	"annual_budget_pence" bigint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "central_costs_category_check" CHECK ("central_costs"."category" in ('back_office', 'central_management', 'commissioning', 'other')),
	CONSTRAINT "central_costs_post_or_budget" CHECK (("central_costs"."fte" is not null and "central_costs"."fte" > 0 and "central_costs"."annual_cost_per_fte_pence" >= 0 and "central_costs"."annual_budget_pence" is null) or ("central_costs"."fte" is null and "central_costs"."annual_cost_per_fte_pence" is null and "central_costs"."annual_budget_pence" >= 0))
);
--> statement-breakpoint
ALTER TABLE "central_costs" ADD CONSTRAINT "central_costs_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "central_costs_council_order_idx" ON "central_costs" USING btree ("council_id","created_at","id");--> statement-breakpoint
-- Central costs are part of the council's network: kept networks are forgotten when they change (0002).
CREATE TRIGGER central_costs_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON central_costs FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
