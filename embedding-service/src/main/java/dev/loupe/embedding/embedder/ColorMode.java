package dev.loupe.embedding.embedder;

/** Which colour information the preprocessing keeps before resizing. */
public enum ColorMode {
    /** PIL {@code convert("L")}: one 8-bit plane; replicated when the model wants 3 channels. */
    GRAY("gray"),
    /** PIL {@code convert("RGB")}: three 8-bit planes, each resized with the same filter. Needs 3 channels. */
    RGB("rgb");

    private final String contractName;

    ColorMode(String contractName) {
        this.contractName = contractName;
    }

    /** The colour part of the preprocessing contract name, e.g. {@code gray} in {@code loupe-gray64-v1}. */
    public String contractName() {
        return contractName;
    }
}
