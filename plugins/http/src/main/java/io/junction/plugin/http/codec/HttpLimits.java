package io.junction.plugin.http.codec;

/**
 * How much of a message head the decoders accept before refusing it.
 *
 * @param maxRequestLineLength the longest request line (or status line), CRLF excluded; longer is 414
 * @param maxHeaderSize the most bytes of field lines in a header section, CRLFs included, the empty
 *     line that ends the section excluded; more is 431. The same bound applies to a trailer section.
 * @param maxHeaderCount the most field lines in a header (or trailer) section; more is 431
 * @param maxChunkExtensionLength the most bytes after the size of a chunk, up to its CRLF; more is 400
 */
public record HttpLimits(int maxRequestLineLength, int maxHeaderSize, int maxHeaderCount, int maxChunkExtensionLength) {

    public HttpLimits {
        requirePositive(maxRequestLineLength, "maxRequestLineLength");
        requirePositive(maxHeaderSize, "maxHeaderSize");
        requirePositive(maxHeaderCount, "maxHeaderCount");
        if (maxChunkExtensionLength < 0) {
            throw new IllegalArgumentException("maxChunkExtensionLength must not be negative: " + maxChunkExtensionLength);
        }
    }

    /** 8 KiB request line, 16 KiB and 100 fields of header section, 4 KiB of chunk extensions. */
    public static HttpLimits defaults() {
        return new HttpLimits(8192, 16384, 100, 4096);
    }

    private static void requirePositive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
