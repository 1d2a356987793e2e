package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.Duplicates;
import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.List;

/**
 * Exact duplicates (same image hash) and near duplicates (nearest neighbours closer than a cosine distance), each
 * pair once, closest first. Reads only the k-NN graph, no classifier: cheap enough to poll.
 */
public final class NearDuplicateFinder implements IssueFinder<NearDuplicate> {

    private final double nearDistance;

    /** @param nearDistance the largest cosine distance of a near duplicate */
    public NearDuplicateFinder(double nearDistance) {
        this.nearDistance = nearDistance;
    }

    @Override
    public List<NearDuplicate> find(ProjectSnapshot snapshot) {
        String[] hashes = snapshot.rows().stream().map(ItemVector::sha256).toArray(String[]::new);
        return Duplicates.find(hashes, snapshot.graph(), nearDistance).stream().map(pair -> {
            ItemVector a = snapshot.row(pair.a());
            ItemVector b = snapshot.row(pair.b());
            return new NearDuplicate(a.itemId(), b.itemId(), pair.distance(), pair.exact(), a.split(), b.split());
        }).toList();
    }
}
