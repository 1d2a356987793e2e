package dev.loupe.dataset.split;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Applies item events (label service) and embedding updates (embedding service) to this service's state and marks
 * the projects whose split must be refreshed. Every item event carries the item's version, label and hash: an older
 * version than the one applied changes nothing, so redeliveries and reordering across partitions are harmless.
 */
@ApplicationScoped
public class ItemStateService {

    private final SplitStates states;
    private final ObjectMapper json;

    public ItemStateService(SplitStates states, ObjectMapper json) {
        this.states = states;
        this.json = json;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void apply(List<EventEnvelope<LoupeEvent>> events) {
        Instant now = Instant.now();
        Map<UUID, Long> labelsSeen = new LinkedHashMap<>();
        Set<UUID> itemsChanged = new HashSet<>();
        Set<UUID> newEmbeddings = new HashSet<>();
        Map<UUID, DatasetItem> known = known(events);
        for (EventEnvelope<LoupeEvent> envelope : events) {
            switch (envelope.data()) {
                case ItemEvent event -> {
                    labelsSeen.merge(event.projectId(), envelope.sequence(), Math::max);
                    if (applyItem(event, now, known)) {
                        itemsChanged.add(event.projectId());
                    }
                }
                case EmbeddingsUpdated update -> newEmbeddings.add(update.projectId());
                default -> { }
            }
        }
        Set<UUID> projects = new TreeSet<>(itemsChanged);
        projects.addAll(labelsSeen.keySet());
        projects.addAll(newEmbeddings);
        // locked in id order: two consumers (or a consumer and the refresher) never wait on each other in a cycle
        for (UUID project : projects) {
            SplitState state = states.lockOrCreate(project, now);
            Long seen = labelsSeen.get(project);
            if (seen != null) {
                state.labelsSeen = Math.max(state.labelsSeen, seen);
            }
            // new vectors change the split only through new styles: the refresher reads them and marks the change
            state.stylesStale |= newEmbeddings.contains(project);
            if (itemsChanged.contains(project)) {
                state.changed(now);
            } else if (state.changesRefreshed == state.changes) {
                // only stale redeliveries: the split already reflects them, and it now covers this sequence too
                state.splitLabelsSeen = Math.max(state.splitLabelsSeen, state.labelsSeen);
            }
            state.updatedAt = now;
        }
    }

    /** The items the batch's item events name that this service has, loaded in one query. */
    private static Map<UUID, DatasetItem> known(List<EventEnvelope<LoupeEvent>> events) {
        Set<UUID> ids = new HashSet<>();
        events.forEach(e -> {
            if (e.data() instanceof ItemEvent item) {
                ids.add(item.itemId());
            }
        });
        Map<UUID, DatasetItem> known = new HashMap<>();
        if (!ids.isEmpty()) {
            DatasetItem.<DatasetItem>list("itemId in ?1", ids).forEach(i -> known.put(i.itemId, i));
        }
        return known;
    }

    /** True when the event changed the item; a new item joins {@code known}. */
    private boolean applyItem(ItemEvent event, Instant now, Map<UUID, DatasetItem> known) {
        DatasetItem item = known.get(event.itemId());
        if (item != null && item.version >= event.version()) {
            return false;
        }
        boolean isNew = item == null;
        if (isNew) {
            item = new DatasetItem();
            item.itemId = event.itemId();
            item.projectId = event.projectId();
            known.put(item.itemId, item);
        }
        item.version = event.version();
        item.label = event.label();
        item.sha256 = event.sha256();
        item.updatedAt = now;
        switch (event) {
            case ItemAdded added -> {
                item.originalSplit = added.originalSplit();
                item.originalPath = added.originalPath();
                item.source = added.source();
                item.provenance = provenance(added);
            }
            case ItemExcluded ignored -> item.excluded = true;
            case ItemRestored ignored -> item.excluded = false;
            case ItemLabelChanged ignored -> { }
        }
        if (isNew) {
            item.persist();
        }
        return true;
    }

    private String provenance(ItemAdded added) {
        if (added.provenance() == null) {
            return null;
        }
        try {
            return json.writeValueAsString(added.provenance());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("provenance of " + added.itemId() + " is not serialisable", e);
        }
    }
}
