package dev.loupe.synthetic;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.zip.Deflater;

/**
 * Hostile test data: a valid 8-bit gray PNG of a huge all-black canvas (a decompression bomb). Zero rows deflate about
 * 1000:1, so 30,000 x 30,000 pixels (900 MB once decoded) fit in about 875 KB. The rows are streamed through the
 * deflater one at a time, so making one needs a row of memory, not the canvas.
 */
public final class BombPng {

    private BombPng() {
    }

    /** A complete, decodable PNG of {@code width x height} black pixels. */
    public static byte[] gray(int width, int height) {
        byte[] row = new byte[width + 1]; // filter type "none", then zeros
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        for (int y = 0; y < height; y++) {
            deflater.setInput(row);
            while (!deflater.needsInput()) {
                idat.write(buf, 0, deflater.deflate(buf));
            }
        }
        deflater.finish();
        while (!deflater.finished()) {
            idat.write(buf, 0, deflater.deflate(buf));
        }
        deflater.end();

        ByteArrayOutputStream out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(GrayPng.SIGNATURE);
        GrayPng.chunk(out, "IHDR", ByteBuffer.allocate(13).putInt(width).putInt(height)
                .put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0).array());
        GrayPng.chunk(out, "IDAT", idat.toByteArray());
        GrayPng.chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }
}
