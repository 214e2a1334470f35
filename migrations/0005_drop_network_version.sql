-- Creates no longer take the council's row lock (src/routes/resource.ts), so a counter on that row can no
-- longer mark every change: kept networks rely on the change notices (0002) and on reading the network in
-- one snapshot (src/db/network.ts).
ALTER TABLE "councils" DROP COLUMN "network_version";
