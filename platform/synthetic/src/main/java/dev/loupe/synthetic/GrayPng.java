package dev.loupe.synthetic;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Minimal encoder for 8-bit grayscale PNGs.
 *
 * <p>ImageIO's writer spent more time than the drawing itself (maximum deflate level plus adaptive
 * filtering, wasted on three-level images) and its output could change between JDK releases. Here
 * rows use filter "none", which three-level images compress well without, and the bytes depend only on
 * the pixels and zlib.
 */
final class GrayPng {

    static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

    private GrayPng() {
    }

    static byte[] encode(BufferedImage image) {
        if (image.getType() != BufferedImage.TYPE_BYTE_GRAY) {
            throw new IllegalArgumentException("expected TYPE_BYTE_GRAY, got type " + image.getType());
        }
        int w = image.getWidth(), h = image.getHeight();
        var raster = image.getRaster();
        byte[] pixels = ((DataBufferByte) raster.getDataBuffer()).getData();
        // A sub-image raster would have its own stride; we only ever encode images we created.
        if (pixels.length != w * h) {
            throw new IllegalArgumentException("image must own a compact raster");
        }

        byte[] raw = new byte[(w + 1) * h];
        for (int y = 0; y < h; y++) {
            raw[y * (w + 1)] = 0; // filter type: none
            System.arraycopy(pixels, y * w, raw, y * (w + 1) + 1, w);
        }
        Deflater deflater = new Deflater(Deflater.BEST_SPEED);
        deflater.setInput(raw);
        deflater.finish();
        var idat = new ByteArrayOutputStream(raw.length / 8 + 64);
        byte[] buf = new byte[32 * 1024];
        while (!deflater.finished()) {
            int n = deflater.deflate(buf);
            idat.write(buf, 0, n);
        }
        deflater.end();

        var out = new ByteArrayOutputStream(idat.size() + 64);
        out.writeBytes(SIGNATURE);
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(w).putInt(h)
                .put((byte) 8)  // bit depth
                .put((byte) 0)  // colour type: grayscale
                .put((byte) 0)  // compression: deflate
                .put((byte) 0)  // filter method: adaptive (per-row type byte)
                .put((byte) 0); // no interlace
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", idat.toByteArray());
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(typeBytes);
        out.writeBytes(data);
        var crc = new CRC32();
        crc.update(typeBytes);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }
}
