CREATE TABLE "outcomes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"name" text NOT NULL,
	"source_ref" text NOT NULL,
	"price_year" text NOT NULL,
	"illustrative" boolean DEFAULT false NOT NULL,
	"cohort_basis" text NOT NULL,
	"under5s_per_household" double precision,
	"engagement_rate" double precision NOT NULL,
	"impact_rate" double precision NOT NULL,
	"impact_rate_low" double precision,
	"impact_rate_high" double precision,
	"deadweight" double precision DEFAULT 0 NOT NULL,
	"attribution" double precision DEFAULT 1 NOT NULL,
	"optimism_bias" double precision DEFAULT 0 NOT NULL,
	"lag_years" integer DEFAULT 0 NOT NULL,
	"duration_years" integer DEFAULT 1 NOT NULL,
	"drop_off" double precision DEFAULT 0 NOT NULL,
	"fiscal_value_pence" bigint DEFAULT 0 NOT NULL,
	"economic_value_pence" bigint DEFAULT 0 NOT NULL,
	"social_value_pence" bigint DEFAULT 0 NOT NULL,
	"price_uplift" double precision DEFAULT 1 NOT NULL,
	"agency" text NOT NULL,
	"cashability" double precision DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "outcomes_council_name_key" UNIQUE("council_id","name"),
	CONSTRAINT "outcomes_cohort_basis_check" CHECK ("outcomes"."cohort_basis" in ('births', 'under5s', 'deprived_under5s', 'households')),
	CONSTRAINT "outcomes_rates_range" CHECK (least("outcomes"."engagement_rate", "outcomes"."impact_rate", "outcomes"."deadweight", "outcomes"."attribution", "outcomes"."optimism_bias", "outcomes"."drop_off", "outcomes"."cashability") >= 0 and greatest("outcomes"."engagement_rate", "outcomes"."impact_rate", "outcomes"."deadweight", "outcomes"."attribution", "outcomes"."optimism_bias", "outcomes"."drop_off", "outcomes"."cashability") <= 1),
	CONSTRAINT "outcomes_years_range" CHECK ("outcomes"."lag_years" >= 0 and "outcomes"."duration_years" >= 1),
	CONSTRAINT "outcomes_values_non_negative" CHECK ("outcomes"."fiscal_value_pence" >= 0 and "outcomes"."economic_value_pence" >= 0 and "outcomes"."social_value_pence" >= 0)
);
--> statement-breakpoint
ALTER TABLE "income_streams" ADD COLUMN "renewal_probability" double precision DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "capital_clawback_pence" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "capital_grant_date" date;--> statement-breakpoint
ALTER TABLE "sites" ADD COLUMN "clawback_probability" double precision DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "outcomes" ADD CONSTRAINT "outcomes_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "outcomes_council_order_idx" ON "outcomes" USING btree ("council_id","created_at","id");--> statement-breakpoint
ALTER TABLE "income_streams" ADD CONSTRAINT "income_streams_renewal_probability_range" CHECK ("income_streams"."renewal_probability" between 0 and 1);--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_clawback_non_negative" CHECK ("sites"."capital_clawback_pence" >= 0);--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_clawback_probability_range" CHECK ("sites"."clawback_probability" between 0 and 1);--> statement-breakpoint
-- Outcomes are part of what an evaluation reads: their changes are network changes (see 0002).
CREATE TRIGGER outcomes_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON outcomes FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
