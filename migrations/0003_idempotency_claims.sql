ALTER TABLE "idempotency_records" ALTER COLUMN "response_status" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_records" ALTER COLUMN "response_headers" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "idempotency_records" ALTER COLUMN "response_body" DROP NOT NULL;