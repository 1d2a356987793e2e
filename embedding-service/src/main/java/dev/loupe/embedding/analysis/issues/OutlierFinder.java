package dev.loupe.embedding.analysis.issues;

import dev.loupe.embedding.analysis.InkMeter;
import dev.loupe.embedding.analysis.ItemVector;
import dev.loupe.embedding.analysis.Outliers;
import dev.loupe.embedding.analysis.ProjectSnapshot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Blank and mostly dark pages first (from pixels: a model that never saw a blank page embeds it like any other;
 * score 100 + the ink's distance from normal), then images far from all their neighbours: the robust z-score of
 * the mean neighbour distance ({@link Outliers}) at least {@link #ROBUST_Z}.
 */
public final class OutlierFinder implements IssueFinder<Outlier> {

    /** Robust z-score from which an image counts as far from its neighbours (Iglewicz and Hoaglin's 3.5). */
    public static final double ROBUST_Z = 3.5;

    /** Below this many items no spread of distances can be told from noise. */
    static final int MIN_ITEMS = 3;

    @Override
    public List<Outlier> find(ProjectSnapshot snapshot) {
        if (snapshot.size() < MIN_ITEMS) {
            return List.of();
        }
        List<Outlier> result = new ArrayList<>();
        for (Outliers.Score o : Outliers.scores(snapshot.graph())) {
            ItemVector row = snapshot.row(o.row());
            Double ink = row.ink();
            Outlier.Reason byInk = ink == null ? null
                    : ink < InkMeter.BLANK ? Outlier.Reason.BLANK
                    : ink > InkMeter.DARK ? Outlier.Reason.MOSTLY_DARK : null;
            if (byInk != null) {
                double score = 100 + (byInk == Outlier.Reason.BLANK ? InkMeter.BLANK - ink : ink - InkMeter.DARK);
                result.add(new Outlier(row.itemId(), byInk, ink, o.meanDistance(), o.robustZ(), score));
            } else if (o.robustZ() >= ROBUST_Z) {
                result.add(new Outlier(row.itemId(), Outlier.Reason.FAR_FROM_NEIGHBOURS, ink, o.meanDistance(),
                        o.robustZ(), o.robustZ()));
            }
        }
        // stable: equal scores keep row (item id) order
        result.sort(Comparator.comparingDouble(Outlier::score).reversed());
        return result;
    }
}
