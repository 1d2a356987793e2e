-- Each image's row names the store that holds its bytes, so one deployment can read images from several stores
-- (e.g. while `./loupe blobs migrate` moves a project's images from the database to a bucket). New images go to the
-- configured store (loupe.label.blobs.store). The database holds the bytes exactly when the row says 'postgres'.
ALTER TABLE blob ADD COLUMN store text;
UPDATE blob SET store = CASE WHEN bytes IS NULL THEN 's3' ELSE 'postgres' END;
ALTER TABLE blob ALTER COLUMN store SET NOT NULL;
ALTER TABLE blob ADD CONSTRAINT blob_store_known CHECK (store IN ('postgres', 's3'));
ALTER TABLE blob ADD CONSTRAINT blob_bytes_where_stored CHECK ((store = 'postgres') = (bytes IS NOT NULL));
