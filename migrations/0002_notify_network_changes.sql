-- Every change to a council or to the rows of its network, by this service or by anyone else (a fix in
-- psql, another instance), tells listeners which council changed, once its transaction commits: the
-- service keeps each council's network in memory and forgets it on this notice (src/db/network-cache.ts).
-- pg_notify folds identical notices within a transaction into one, so a bulk import sends one per council.
CREATE FUNCTION notify_network_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- Fields are looked up only on the branch that needs them: councils have no council_id.
  IF TG_TABLE_NAME = 'councils' THEN
    IF TG_OP = 'DELETE' THEN
      PERFORM pg_notify('network_changed', OLD.id::text);
    ELSE
      PERFORM pg_notify('network_changed', NEW.id::text);
    END IF;
  ELSE
    IF TG_OP <> 'INSERT' THEN
      PERFORM pg_notify('network_changed', OLD.council_id::text);
    END IF;
    -- A row that moved to another council changes both (pg_notify sends a repeated notice once).
    IF TG_OP <> 'DELETE' THEN
      PERFORM pg_notify('network_changed', NEW.council_id::text);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER councils_notify_network_changed AFTER UPDATE OR DELETE ON councils FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
--> statement-breakpoint
CREATE TRIGGER sites_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON sites FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
--> statement-breakpoint
CREATE TRIGGER posts_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON posts FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
--> statement-breakpoint
CREATE TRIGGER income_streams_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON income_streams FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
--> statement-breakpoint
CREATE TRIGGER areas_notify_network_changed AFTER INSERT OR UPDATE OR DELETE ON areas FOR EACH ROW EXECUTE FUNCTION notify_network_changed();
