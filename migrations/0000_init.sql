CREATE TABLE "areas" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"under5_population" integer NOT NULL,
	"deprivation_decile" smallint NOT NULL,
	"idaci_decile" smallint,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "areas_council_code_key" UNIQUE("council_id","code"),
	CONSTRAINT "areas_under5_non_negative" CHECK ("areas"."under5_population" >= 0),
	CONSTRAINT "areas_decile_range" CHECK ("areas"."deprivation_decile" between 1 and 10),
	CONSTRAINT "areas_idaci_decile_range" CHECK ("areas"."idaci_decile" is null or "areas"."idaci_decile" between 1 and 10),
	CONSTRAINT "areas_lat_range" CHECK ("areas"."lat" between -90 and 90),
	CONSTRAINT "areas_lon_range" CHECK ("areas"."lon" between -180 and 180)
);
--> statement-breakpoint
CREATE TABLE "councils" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"code" text NOT NULL,
	"name" text NOT NULL,
	"network_version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "councils_code_unique" UNIQUE("code")
);
--> statement-breakpoint
CREATE TABLE "income_streams" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"partner" text NOT NULL,
	"kind" text NOT NULL,
	"annual_value_pence" bigint NOT NULL,
	"start_date" date NOT NULL,
	"end_date" date,
	"site_id" uuid,
	"requires_site_open" boolean DEFAULT false NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "income_streams_kind_check" CHECK ("income_streams"."kind" in ('health_contract', 'lettings', 'grant', 'childcare_fees', 'other')),
	CONSTRAINT "income_streams_value_non_negative" CHECK ("income_streams"."annual_value_pence" >= 0),
	CONSTRAINT "income_streams_dates_ordered" CHECK ("income_streams"."end_date" is null or "income_streams"."end_date" >= "income_streams"."start_date"),
	CONSTRAINT "income_streams_site_when_required" CHECK (not "income_streams"."requires_site_open" or "income_streams"."site_id" is not null)
);
--> statement-breakpoint
CREATE TABLE "posts" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"site_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"fte" numeric(8, 4) NOT NULL,
	"annual_cost_per_fte_pence" bigint NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "posts_kind_check" CHECK ("posts"."kind" in ('management', 'frontline', 'admin')),
	CONSTRAINT "posts_fte_positive" CHECK ("posts"."fte" > 0),
	CONSTRAINT "posts_cost_non_negative" CHECK ("posts"."annual_cost_per_fte_pence" >= 0)
);
--> statement-breakpoint
CREATE TABLE "scenarios" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"parameters" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"actions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sites" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"council_id" uuid NOT NULL,
	"name" text NOT NULL,
	"urn" text,
	"role" text NOT NULL,
	"hub_id" uuid,
	"status" text DEFAULT 'open' NOT NULL,
	"lat" double precision NOT NULL,
	"lon" double precision NOT NULL,
	"postcode" text,
	"address" text,
	"opening_hours_per_week" numeric(5, 2) DEFAULT 0 NOT NULL,
	"services" text[] DEFAULT '{}'::text[] NOT NULL,
	"annual_premises_cost_pence" bigint DEFAULT 0 NOT NULL,
	"annual_running_cost_pence" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	CONSTRAINT "sites_council_id_id_key" UNIQUE("council_id","id"),
	CONSTRAINT "sites_council_urn_key" UNIQUE("council_id","urn"),
	CONSTRAINT "sites_role_check" CHECK ("sites"."role" in ('hub', 'spoke', 'standalone')),
	CONSTRAINT "sites_status_check" CHECK ("sites"."status" in ('open', 'closed')),
	CONSTRAINT "sites_hub_iff_spoke" CHECK (("sites"."role" = 'spoke') = ("sites"."hub_id" is not null)),
	CONSTRAINT "sites_not_own_hub" CHECK ("sites"."hub_id" is null or "sites"."hub_id" <> "sites"."id"),
	CONSTRAINT "sites_lat_range" CHECK ("sites"."lat" between -90 and 90),
	CONSTRAINT "sites_lon_range" CHECK ("sites"."lon" between -180 and 180),
	CONSTRAINT "sites_hours_range" CHECK ("sites"."opening_hours_per_week" between 0 and 168),
	CONSTRAINT "sites_costs_non_negative" CHECK ("sites"."annual_premises_cost_pence" >= 0 and "sites"."annual_running_cost_pence" >= 0)
);
--> statement-breakpoint
ALTER TABLE "areas" ADD CONSTRAINT "areas_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "income_streams" ADD CONSTRAINT "income_streams_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "income_streams" ADD CONSTRAINT "income_streams_site_fk" FOREIGN KEY ("council_id","site_id") REFERENCES "public"."sites"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "posts" ADD CONSTRAINT "posts_site_fk" FOREIGN KEY ("council_id","site_id") REFERENCES "public"."sites"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "scenarios" ADD CONSTRAINT "scenarios_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_council_id_councils_id_fk" FOREIGN KEY ("council_id") REFERENCES "public"."councils"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sites" ADD CONSTRAINT "sites_hub_fk" FOREIGN KEY ("council_id","hub_id") REFERENCES "public"."sites"("council_id","id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "areas_council_order_idx" ON "areas" USING btree ("council_id","created_at","id");--> statement-breakpoint
CREATE INDEX "income_streams_council_order_idx" ON "income_streams" USING btree ("council_id","created_at","id");--> statement-breakpoint
CREATE INDEX "income_streams_site_idx" ON "income_streams" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "posts_council_order_idx" ON "posts" USING btree ("council_id","created_at","id");--> statement-breakpoint
CREATE INDEX "posts_site_idx" ON "posts" USING btree ("site_id");--> statement-breakpoint
CREATE INDEX "scenarios_council_order_idx" ON "scenarios" USING btree ("council_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sites_council_order_idx" ON "sites" USING btree ("council_id","created_at","id");--> statement-breakpoint
CREATE INDEX "sites_hub_idx" ON "sites" USING btree ("hub_id");