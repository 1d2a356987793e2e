-- Images imported by reference stay in the bucket they were imported from: their row says store 'reference' and
-- names the object (source_uri, s3://bucket/key), which reads fetch and check against the row's size and sha256.
-- Exactly the reference rows name a source object.
ALTER TABLE blob ADD COLUMN source_uri text;
ALTER TABLE blob DROP CONSTRAINT blob_store_known;
ALTER TABLE blob ADD CONSTRAINT blob_store_known CHECK (store IN ('postgres', 's3', 'reference'));
ALTER TABLE blob ADD CONSTRAINT blob_source_where_referenced CHECK ((store = 'reference') = (source_uri IS NOT NULL));

-- Whether imports by reference copy the images into the deployment's store (true) or leave them where they are.
ALTER TABLE project ADD COLUMN copy_images boolean NOT NULL DEFAULT false;
