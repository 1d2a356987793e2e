-- Image bytes may live in object storage (loupe.label.blobs.store=s3): the row then keeps the image's metadata,
-- which items reference, and no bytes. With the default store (postgres) every row still has its bytes.
ALTER TABLE blob ALTER COLUMN bytes DROP NOT NULL;
