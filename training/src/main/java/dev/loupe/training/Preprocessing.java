package dev.loupe.training;

import dev.loupe.imaging.SafeImageReader;

import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;

/**
 * The competition's input pipeline, from image bytes to the model's input, as {@code train.py} did it with
 * {@code tf.keras.preprocessing.image_dataset_from_directory(image_size=(32, 32))} followed by
 * {@code tf.keras.applications.resnet.preprocess_input}:
 * <ol>
 *   <li>{@code tf.io.decode_image(channels=3)}: the image as 8-bit RGB. Gray is replicated into the three channels;
 *       an alpha channel is dropped, not composited (TensorFlow does the same); palettes are expanded; 16-bit samples
 *       keep their high byte. Raster samples are read directly, never through {@code getRGB} (which would pass gray
 *       images through a gamma curve).</li>
 *   <li>{@code tf.image.resize(method="bilinear")} (TF2 defaults: {@code half_pixel_centers=True}, no antialiasing)
 *       to 32x32, aspect ratio not kept, in float32, reproducing TensorFlow's {@code ResizeBilinear} CPU kernel
 *       operation for operation, so the output is not rounded to 8 bits.</li>
 *   <li>Keras' "caffe" mode: RGB to BGR, then minus the ImageNet means {@code [103.939, 116.779, 123.68]} (B, G, R);
 *       no scaling.</li>
 * </ol>
 * The result is laid out channels-first (B, G, R planes of 32x32), what the PyTorch model takes. Stateless and
 * thread-safe.
 */
public final class Preprocessing {

    /** The model's input side. */
    public static final int SIZE = 32;
    /** Keras' caffe means in B, G, R order. */
    static final float[] BGR_MEANS = {103.939f, 116.779f, 123.68f};
    /** Refuses images whose header claims more pixels than this before decoding them (decompression bombs). */
    static final long MAX_PIXELS = 50_000_000L;

    private Preprocessing() {
    }

    /** 8-bit RGB, interleaved, row-major: {@code rgb[(y * width + x) * 3 + c]}. */
    public record RgbImage(int width, int height, byte[] rgb) {
    }

    /** Thrown for bytes that are not a decodable image; training skips and counts such images. */
    public static final class ImageDecodeException extends Exception {
        public ImageDecodeException(String message) {
            super(message);
        }

        public ImageDecodeException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Bytes to the model's input: {@code 3 * 32 * 32} floats, BGR planes, mean-subtracted. */
    public static float[] preprocess(byte[] bytes) throws ImageDecodeException {
        return caffe(resizeBilinear(decodeRgb(bytes), SIZE, SIZE), SIZE * SIZE);
    }

    /** {@code tf.io.decode_image(bytes, channels=3)}. */
    public static RgbImage decodeRgb(byte[] bytes) throws ImageDecodeException {
        try {
            return toRgb(SafeImageReader.read(bytes, MAX_PIXELS));
        } catch (SafeImageReader.UnreadableImageException e) {
            throw new ImageDecodeException(e.getMessage(), e);
        }
    }

    static RgbImage toRgb(BufferedImage image) throws ImageDecodeException {
        ColorModel cm = image.getColorModel(); // straight alpha: SafeImageReader un-premultiplies
        Raster raster = image.getRaster();
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] rgb = new byte[w * h * 3];
        int[] row = new int[w];
        if (cm instanceof IndexColorModel icm) {
            int size = icm.getMapSize();
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, 0, row);
                for (int x = 0; x < w; x++) {
                    int idx = Math.min(row[x], size - 1);
                    int o = (y * w + x) * 3;
                    rgb[o] = (byte) icm.getRed(idx);
                    rgb[o + 1] = (byte) icm.getGreen(idx);
                    rgb[o + 2] = (byte) icm.getBlue(idx);
                }
            }
            return new RgbImage(w, h, rgb);
        }
        int bands = raster.getNumBands();
        int colorBands = bands - (cm.hasAlpha() ? 1 : 0);
        if (colorBands != 1 && colorBands != 3) {
            throw new ImageDecodeException("unsupported image: " + colorBands + " colour bands (e.g. CMYK)");
        }
        int[] bits = raster.getSampleModel().getSampleSize();
        for (int b = 0; b < colorBands; b++) {
            int shift = bits[b] > 8 ? bits[b] - 8 : 0;
            int max = (1 << Math.min(bits[b], 8)) - 1;
            for (int y = 0; y < h; y++) {
                raster.getSamples(0, y, w, 1, b, row);
                for (int x = 0; x < w; x++) {
                    int v = row[x] >>> shift;
                    if (bits[b] < 8) {
                        v = v * 255 / max;
                    }
                    int o = (y * w + x) * 3;
                    if (colorBands == 1) {
                        rgb[o] = rgb[o + 1] = rgb[o + 2] = (byte) v;
                    } else {
                        rgb[o + b] = (byte) v;
                    }
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    /**
     * TensorFlow's {@code ResizeBilinear} with {@code half_pixel_centers=True, align_corners=False} on CPU: for each
     * output coordinate {@code in = (out + 0.5f) * scale - 0.5f} with {@code scale = inSize / (float) outSize},
     * lower = {@code max(floor(in), 0)}, upper = {@code min(ceil(in), inSize - 1)}, lerp = {@code in - floor(in)};
     * top = tl + (tr - tl) * xLerp, bottom likewise, value = top + (bottom - top) * yLerp, all in float.
     *
     * @return RGB planes, {@code out[c * outH * outW + y * outW + x]}, values 0..255 as floats
     */
    public static float[] resizeBilinear(RgbImage image, int outW, int outH) {
        int inW = image.width();
        int inH = image.height();
        byte[] src = image.rgb();
        int[] xLo = new int[outW];
        int[] xHi = new int[outW];
        float[] xLerp = new float[outW];
        weights(inW, outW, xLo, xHi, xLerp);
        int[] yLo = new int[outH];
        int[] yHi = new int[outH];
        float[] yLerp = new float[outH];
        weights(inH, outH, yLo, yHi, yLerp);
        int plane = outW * outH;
        float[] out = new float[3 * plane];
        for (int y = 0; y < outH; y++) {
            int top = yLo[y] * inW;
            int bottom = yHi[y] * inW;
            float yl = yLerp[y];
            for (int x = 0; x < outW; x++) {
                float xl = xLerp[x];
                for (int c = 0; c < 3; c++) {
                    float tl = src[(top + xLo[x]) * 3 + c] & 0xff;
                    float tr = src[(top + xHi[x]) * 3 + c] & 0xff;
                    float bl = src[(bottom + xLo[x]) * 3 + c] & 0xff;
                    float br = src[(bottom + xHi[x]) * 3 + c] & 0xff;
                    float t = tl + (tr - tl) * xl;
                    float b = bl + (br - bl) * xl;
                    out[c * plane + y * outW + x] = t + (b - t) * yl;
                }
            }
        }
        return out;
    }

    private static void weights(int inSize, int outSize, int[] lo, int[] hi, float[] lerp) {
        float scale = inSize / (float) outSize;
        for (int i = 0; i < outSize; i++) {
            float in = ((float) i + 0.5f) * scale - 0.5f;
            float f = (float) Math.floor(in);
            lo[i] = Math.max((int) f, 0);
            hi[i] = Math.min((int) Math.ceil(in), inSize - 1);
            lerp[i] = in - f;
        }
    }

    /**
     * Keras {@code preprocess_input(mode="caffe")}: RGB planes to BGR planes minus the ImageNet means.
     *
     * @param rgbPlanes R, G, B planes of {@code plane} values each
     */
    public static float[] caffe(float[] rgbPlanes, int plane) {
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int from = (2 - c) * plane; // B comes from R's slot reversed: out 0 = B = in 2
            float mean = BGR_MEANS[c];
            for (int i = 0; i < plane; i++) {
                out[c * plane + i] = rgbPlanes[from + i] - mean;
            }
        }
        return out;
    }
}
