-- Pixel statistics per image bytes, independent of the embedding model.
CREATE TABLE image_stats (
    sha256 CHAR(64) PRIMARY KEY,
    ink    DOUBLE PRECISION NOT NULL -- mean darkness, 0 white .. 1 black
);
