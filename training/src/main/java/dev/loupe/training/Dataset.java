package dev.loupe.training;

import java.util.List;

/**
 * A training set, decoded and preprocessed in memory (12 KiB per image: 2,880 DCAI images take 35 MB).
 *
 * @param classes  class names in label-index order (sorted, like Keras' {@code image_dataset_from_directory})
 * @param train    the items trained on
 * @param val      the items the best epoch is chosen on
 * @param skipped  images that could not be decoded, with the reason; they are in neither list
 */
public record Dataset(List<String> classes, List<Example> train, List<Example> val, List<Skipped> skipped) {

    public Dataset {
        classes = List.copyOf(classes);
        train = List.copyOf(train);
        val = List.copyOf(val);
        skipped = List.copyOf(skipped);
    }

    /**
     * One preprocessed image.
     *
     * @param id    the item id from an export's manifest, else the image's path relative to the dataset root
     * @param path  the image's path relative to the dataset root (zip entry or file), e.g. {@code train/iv/a.png}
     * @param label index into the dataset's classes
     * @param input {@code 3 * 32 * 32} floats, the model's input ({@link Preprocessing#preprocess(byte[])})
     */
    public record Example(String id, String path, int label, float[] input) {
    }

    /** An image left out because it failed to decode. */
    public record Skipped(String path, String reason) {
    }

    public int skippedImages() {
        return skipped.size();
    }

    /** The same data with other train/val lists (used for folds), keeping the classes. */
    Dataset with(List<Example> newTrain, List<Example> newVal) {
        return new Dataset(classes, newTrain, newVal, skipped);
    }
}
