-- Rate-limit counts shared by every instance on this database (src/http/rate-limit.ts). Unlogged: a
-- crash loses at most the current minute's counts, and each claim costs no write-ahead log.
CREATE UNLOGGED TABLE "rate_limit_windows" (
	"bucket" text NOT NULL,
	"window" bigint NOT NULL,
	"hits" integer NOT NULL,
	CONSTRAINT "rate_limit_windows_bucket_window_pk" PRIMARY KEY("bucket","window")
);
