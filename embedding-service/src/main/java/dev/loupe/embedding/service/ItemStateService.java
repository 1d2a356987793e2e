package dev.loupe.embedding.service;

import dev.loupe.common.outbox.Outbox;
import dev.loupe.embedding.domain.EmbeddedItem;
import dev.loupe.embedding.domain.ProjectState;
import dev.loupe.events.EmbeddingsUpdated;
import dev.loupe.events.EventEnvelope;
import dev.loupe.events.ItemAdded;
import dev.loupe.events.ItemEvent;
import dev.loupe.events.ItemExcluded;
import dev.loupe.events.ItemLabelChanged;
import dev.loupe.events.ItemRestored;
import dev.loupe.events.LoupeEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Applies the label service's item events to this service's view of items. Every event carries the item's
 * version, label and image hash, so an event for an item never seen (e.g. after topic retention) still creates it,
 * and an event older than what was applied changes nothing. Label and inclusion changes need no new vector; they
 * are announced at once as one {@link EmbeddingsUpdated} per project and batch, so a bulk relabel of 1,000 items
 * is one event, not 1,000.
 */
@ApplicationScoped
public class ItemStateService {

    private final Outbox outbox;
    private final VectorStore vectors;
    private final EmbedderHolder embedder;

    public ItemStateService(Outbox outbox, VectorStore vectors, EmbedderHolder embedder) {
        this.outbox = outbox;
        this.vectors = vectors;
        this.embedder = embedder;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        Instant now = Instant.now();
        Map<UUID, List<UUID>> relabelled = new LinkedHashMap<>();
        Map<UUID, Long> labelsSeen = new LinkedHashMap<>();
        // the batch's items in one query, not one per event
        Map<UUID, EmbeddedItem> known = new HashMap<>();
        List<UUID> ids = events.stream().map(EventEnvelope::data).filter(ItemEvent.class::isInstance)
                .map(e -> ((ItemEvent) e).itemId()).distinct().toList();
        if (!ids.isEmpty()) {
            EmbeddedItem.<EmbeddedItem>list("itemId in ?1", ids).forEach(i -> known.put(i.itemId, i));
        }
        for (EventEnvelope<LoupeEvent> envelope : events) {
            if (!(envelope.data() instanceof ItemEvent event)) {
                continue;
            }
            labelsSeen.merge(event.projectId(), envelope.sequence(), Math::max);
            EmbeddedItem item = known.get(event.itemId());
            if (item != null && item.version >= event.version()) {
                continue;
            }
            boolean isNew = item == null;
            if (isNew) {
                item = new EmbeddedItem();
                item.itemId = event.itemId();
                item.projectId = event.projectId();
                item.sha256 = event.sha256();
                item.status = EmbeddedItem.Status.PENDING;
                known.put(item.itemId, item);
            }
            item.version = event.version();
            item.label = event.label();
            item.updatedAt = now;
            switch (event) {
                case ItemAdded added -> item.originalSplit = added.originalSplit();
                case ItemExcluded ignored -> item.excluded = true;
                case ItemRestored ignored -> item.excluded = false;
                case ItemLabelChanged ignored -> { }
            }
            if (!(event instanceof ItemAdded)) {
                // no new vector needed: announced at once
                relabelled.computeIfAbsent(item.projectId, p -> new ArrayList<>()).add(item.itemId);
            }
            if (isNew) {
                if (vectors.exists(item.sha256, embedder.id())) {
                    item.status = EmbeddedItem.Status.EMBEDDED;
                    item.embedder = embedder.id();
                }
                item.persist();
            }
        }
        labelsSeen.forEach((project, sequence) -> {
            ProjectState state = ProjectState.findById(project);
            if (state == null) {
                state = new ProjectState();
                state.projectId = project;
                state.labelsSeen = sequence;
                state.updatedAt = now;
                state.persist();
            }
            state.labelsSeen = Math.max(state.labelsSeen, sequence);
            state.updatedAt = now;
        });
        relabelled.forEach((project, items) -> outbox.publish(new EmbeddingsUpdated(project, items, embedder.id(),
                ProjectState.<ProjectState>findById(project).labelsSeen, now), now));
    }
}
