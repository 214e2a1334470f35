-- A key revoked, changed or deleted (through this service, another instance, or by hand) tells listeners
-- its id once the transaction commits: each instance forgets the keys it has looked up
-- (src/http/auth.ts), so a revocation holds everywhere at once instead of when a cached look-up expires.
CREATE FUNCTION notify_api_key_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('api_keys_changed', OLD.id::text);
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER api_keys_notify_changed AFTER UPDATE OR DELETE ON api_keys FOR EACH ROW EXECUTE FUNCTION notify_api_key_changed();
