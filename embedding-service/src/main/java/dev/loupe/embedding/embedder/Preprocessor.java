package dev.loupe.embedding.embedder;

/**
 * Image bytes to the model input tensor, following the contract {@code loupe-<color><S>-v1}
 * ({@code loupe-gray64-v1} by default), whose reference is {@code src/test/python/loupe_preprocess.py} (PIL):
 * <ol>
 *   <li>decode to 8-bit gray (PIL {@code convert("L")}, alpha composited over white first) or RGB;</li>
 *   <li>pad to a white square, image centred at {@code floor((side - w) / 2), floor((side - h) / 2)};</li>
 *   <li>resize to {@code S x S} like PIL {@code Image.BILINEAR} (bit-exact);</li>
 *   <li>{@code x = 1 - v/255} as float32, optionally {@code (x - mean[c]) / std[c]}, layout {@code C x S x S}.</li>
 * </ol>
 * Gray input for a 3-channel model is replicated to all channels.
 *
 * <p>Immutable apart from an internal coefficient cache; thread-safe.
 */
public final class Preprocessor {

    /** Default decode limit: 64 megapixels (an 8000x8000 image), enough for photos, refuses decompression bombs. */
    public static final long DEFAULT_MAX_PIXELS = 64L << 20;

    private final int size;
    private final ColorMode color;
    private final int channels;
    private final ImageDecoder decoder;
    private final BilinearResampler resampler = new BilinearResampler();
    /** Per channel, 8-bit value to final float: precomputed so the per-pixel work is one lookup. */
    private final float[][] lut;

    public Preprocessor(int size, ColorMode color, int channels, Normalization normalization, long maxPixels) {
        if (size < 1 || size > 4096) {
            throw new IllegalArgumentException("input size must be in 1..4096, got " + size);
        }
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("input channels must be 1 or 3, got " + channels);
        }
        if (color == null) {
            throw new IllegalArgumentException("color mode is required");
        }
        if (color == ColorMode.RGB && channels != 3) {
            throw new IllegalArgumentException("color mode RGB needs 3 input channels, got " + channels);
        }
        if (normalization != null && normalization.channels() != channels) {
            throw new IllegalArgumentException("normalization has " + normalization.channels()
                    + " channel(s) but the input has " + channels);
        }
        if (maxPixels < 1) {
            throw new IllegalArgumentException("maxPixels must be positive, got " + maxPixels);
        }
        this.size = size;
        this.color = color;
        this.channels = channels;
        this.decoder = new ImageDecoder(maxPixels);
        this.lut = new float[channels][256];
        for (int c = 0; c < channels; c++) {
            for (int v = 0; v < 256; v++) {
                // Same float32 operations as numpy's `1 - arr / 255` on a float32 array.
                float x = 1f - v / 255f;
                lut[c][v] = normalization == null ? x : normalization.apply(c, x);
            }
        }
    }

    /** The contract the Python reference defines: 1 gray channel, 64x64, no normalisation. */
    public static Preprocessor gray64() {
        return new Preprocessor(64, ColorMode.GRAY, 1, null, DEFAULT_MAX_PIXELS);
    }

    public static Preprocessor forModel(ModelSpec spec, long maxPixels) {
        return new Preprocessor(spec.inputSize(), spec.color(), spec.inputChannels(), spec.normalization(), maxPixels);
    }

    /** E.g. {@code loupe-gray64-v1}. Normalisation is not part of it: it belongs to the model. */
    public String contract() {
        return "loupe-" + color.contractName() + size + "-v1";
    }

    public int size() {
        return size;
    }

    public int channels() {
        return channels;
    }

    /** Floats per image: {@code C * S * S}. */
    public int tensorLength() {
        return channels * size * size;
    }

    public float[] process(byte[] image) throws ImageDecodeException {
        float[] out = new float[tensorLength()];
        process(image, out, 0);
        return out;
    }

    /** Writes the {@code C x S x S} tensor of one image into {@code dst} at {@code offset} (for batch buffers). */
    public void process(byte[] image, float[] dst, int offset) throws ImageDecodeException {
        byte[][] planes = resizedPlanes(image);
        int area = size * size;
        for (int c = 0; c < channels; c++) {
            byte[] plane = planes[Math.min(c, planes.length - 1)];
            float[] l = lut[c];
            int o = offset + c * area;
            for (int i = 0; i < area; i++) {
                dst[o + i] = l[plane[i] & 0xff];
            }
        }
    }

    /** Steps 1-3 only: the 8-bit {@code S x S} planes (1 for gray, 3 for RGB). Used for parity checks against PIL. */
    public byte[][] resizedPlanes(byte[] image) throws ImageDecodeException {
        DecodedImage decoded = decoder.decode(image, color);
        byte[][] planes = decoded.planes();
        byte[][] out = new byte[planes.length][];
        for (int p = 0; p < planes.length; p++) {
            out[p] = resampler.padAndResize(planes[p], decoded.width(), decoded.height(), size);
        }
        return out;
    }
}
