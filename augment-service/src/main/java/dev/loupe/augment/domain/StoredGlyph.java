package dev.loupe.augment.domain;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import java.time.Instant;
import java.util.UUID;

/** A glyph cut out of an item: ink on white as PNG, with the item version and the cut it came from. */
@Entity
@Table(name = "glyph")
public class StoredGlyph extends PanacheEntityBase {

    @Id
    @Column(name = "glyph_id")
    public UUID glyphId;

    @Column(name = "project_id")
    public UUID projectId;

    @Column(name = "item_id")
    public UUID itemId;

    @Column(name = "item_version")
    public long itemVersion;

    public String symbol;

    /** The cut as JSON: erase rectangles or mask, crop box, ink threshold. */
    public String cut;

    /** Small (a trimmed glyph), so loaded with the row. */
    public byte[] png;

    public int width;

    public int height;

    @Column(name = "created_by")
    public String createdBy;

    @Column(name = "created_at")
    public Instant createdAt;
}
